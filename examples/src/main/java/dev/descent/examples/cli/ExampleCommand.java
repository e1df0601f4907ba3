package dev.descent.examples.cli;

import dev.descent.examples.programs.CharTransformer;
import dev.descent.examples.programs.CompareOptimizers;
import dev.descent.examples.programs.GradInitPostLn;
import dev.descent.examples.programs.HessianTracking;
import dev.descent.examples.programs.MnistCnn;
import dev.descent.examples.programs.MnistMlp;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code descent example}: lists the example programs, or runs one with its arguments. */
@Command(
        name = "example",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run one of the example programs (their sources are in examples/src/main/java/dev/descent/examples/"
                + "programs).",
        description = "Without a name, lists the examples. With one, runs its main with the remaining arguments.",
        footer = {"", "Example: the MLP on MNIST for one epoch:", "  descent example mnist-mlp 1"})
final class ExampleCommand implements Callable<Integer> {
    /** The programs by name, with what they show. */
    static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

    record Program(String summary, Consumer<String[]> main) {
    }

    static {
        PROGRAMS.put("mnist-mlp", new Program("an MLP on MNIST with Adam; args: [epochs]", MnistMlp::main));
        PROGRAMS.put("mnist-cnn", new Program("a CNN on MNIST, SGD + Nesterov + cosine; args: [steps]",
                MnistCnn::main));
        PROGRAMS.put("char-transformer", new Program("a Pre-LN character LM on tiny Shakespeare; args: [steps]",
                CharTransformer::main));
        PROGRAMS.put("compare-optimizers", new Program("optimizers from one initialisation; args: [name ...]",
                CompareOptimizers::main));
        PROGRAMS.put("gradinit-post-ln", new Program("GradInit for a Post-LN Transformer without warmup; args:"
                + " [steps [gradinit-iterations]]", GradInitPostLn::main));
        PROGRAMS.put("hessian-tracking", new Program("SGD on MNIST, top Hessian eigenvalue beside 2/lr every 50"
                + " steps; args: [steps]", HessianTracking::main));
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The example to run.")
    private String name;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Its arguments.")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            PROGRAMS.forEach((n, p) -> out.printf("  %-20s %s%n", n, p.summary()));
            out.flush();
            return 0;
        }
        Program p = PROGRAMS.get(name);
        if (p == null) {
            throw new ParameterException(spec.commandLine(), "example: unknown example '" + name + "' (known: "
                    + String.join(", ", PROGRAMS.keySet()) + ")");
        }
        try {
            p.main().accept(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            // a malformed argument (NumberFormatException is one) is a usage error, not a crash
            String what = e instanceof NumberFormatException ? "expected a whole number, " + e.getMessage().replace(
                    "For input string: ", "got ") : e.getMessage();
            throw new ParameterException(spec.commandLine(), "example " + name + " " + String.join(" ", args)
                    + ": " + what + " (" + p.summary() + ")", e);
        }
        return 0;
    }
}
