package dev.descent.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code descent} command. It does nothing itself: each piece of work is a subcommand, registered
 * here.
 */
@Command(
        name = "descent",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The command line of Descent, a tensor framework for optimizer research on the JVM.",
        footer = {"", "Example: the main study (Pre-LN against Post-LN, warmup, Hessian spectra; 2-3 minutes),",
            "then the help of one command:",
            "  descent study --out runs/study",
            "  descent help compare"},
        subcommands = {
            BenchGemmCommand.class,
            OptimizersCommand.class,
            OptimizeCommand.class,
            TrainCommand.class,
            StudyCommand.class,
            CompareCommand.class,
            HessianCommand.class,
            RmedCommand.class,
            BatchHessianCommand.class,
            WarmupStudyCommand.class,
            GradNormInitCommand.class,
            RadamVarianceCommand.class,
            ExampleCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class DescentCommand {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new DescentCommand());
    }
}
