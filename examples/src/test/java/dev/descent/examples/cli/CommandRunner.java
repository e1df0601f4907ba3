package dev.descent.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code descent} with the analysis commands added, capturing standard output and error. */
final class CommandRunner {
    record Result(int code, String out, String err) {
    }

    private CommandRunner() {
    }

    static Result run(String... args) {
        CommandLine cl = DescentCommand.commandLine();
        for (Object command : new Object[] {new HessianCommand(), new RmedCommand(), new BatchHessianCommand()}) {
            String name = command.getClass().getAnnotation(CommandLine.Command.class).name();
            if (!cl.getSubcommands().containsKey(name)) {
                cl.addSubcommand(command);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The first line of standard error of a run that must fail on its arguments (exit code 2). */
    static String usageError(String... args) {
        Result r = run(args);
        if (r.code() != 2) {
            throw new AssertionError("expected exit code 2, got " + r.code() + ": " + r.out() + r.err());
        }
        return r.err().lines().findFirst().orElse("");
    }
}
