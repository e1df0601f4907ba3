package dev.descent.examples.cli;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.examples.programs.CharTransformer;
import dev.descent.examples.programs.CompareOptimizers;
import dev.descent.examples.programs.GradInitPostLn;
import dev.descent.examples.programs.HessianTracking;
import dev.descent.examples.programs.MnistCnn;
import dev.descent.examples.programs.MnistMlp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        description = {"Without a name, lists the examples. With one, runs its main with the remaining arguments and"
                + " --seed; each program draws its weights, data order and samples from that seed.",
            "With --out DIR the program's output goes to DIR/output.txt as well, beside the run record (command.txt,"
                + " run.json). With --json the output goes to standard error and one JSON object {example, args,"
                + " seed, seconds, output: [lines]} to standard output."},
        footer = {"", "Example: the MLP on MNIST for one epoch, from seed 3, kept in a folder:",
            "  descent example mnist-mlp 1 --seed 3 --out runs/mlp-seed3"})
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

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "The seed of the program's random numbers (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Write output.txt and the run record to DIR.")
    private @Nullable Path outDir;

    @Option(names = "--json", description = "Print one JSON object at the end; the program's lines go to standard"
            + " error meanwhile.")
    private boolean json;

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
        List<String> withSeed = new ArrayList<>(args);
        withSeed.addAll(List.of("--seed", Long.toString(seed)));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream before = System.out;
        long start = System.nanoTime();
        try {
            System.setOut(new PrintStream(new Tee(json ? System.err : before, captured), true,
                    StandardCharsets.UTF_8));
            p.main().accept(withSeed.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            // a malformed argument (NumberFormatException is one) is a usage error, not a crash
            String what = e instanceof NumberFormatException ? "expected a whole number, " + e.getMessage().replace(
                    "For input string: ", "got ") : e.getMessage();
            throw new ParameterException(spec.commandLine(), "example " + name + " " + String.join(" ", args)
                    + ": " + what + " (" + p.summary() + ")", e);
        } finally {
            System.setOut(before);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = captured.toString(StandardCharsets.UTF_8);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("example", name);
        doc.put("args", args);
        doc.put("seed", seed);
        doc.put("seconds", seconds);
        if (outDir != null) {
            StudyFolder folder = new StudyFolder(outDir);
            folder.writeString("output.txt", text);
            AnalysisRun.writeRecord(folder, "example", spec.commandLine().getParseResult().originalArgs(), seed, doc);
        }
        if (json) {
            doc.put("output", text.lines().toList());
            out.println(StudyFolder.toJson(doc));
            out.flush();
        }
        return 0;
    }

    /** Writes everything to two streams: the console and the copy kept for --out and --json. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
