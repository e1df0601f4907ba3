package dev.descent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.examples.bench.GemmComparison;
import dev.descent.examples.bench.GemmComparison.Row;
import dev.descent.examples.bench.Machine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code descent bench-gemm}: the GEMM table of {@link GemmComparison}, as text or JSON. */
@Command(
        name = "bench-gemm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Compare Tensor.matmul with cblas_sgemm on off-heap memory (GFLOP/s and ratio).",
        description = "Times Tensor.matmul on FLOAT32 n x n matrices and cblas_sgemm called directly on"
                + " off-heap copies of the same matrices, in this process, for each size and thread count."
                + " Each figure is the median of 5 measurements of at least 0.5 s, the two interleaved so"
                + " that drift hits both.",
        footer = {"", "Example: two sizes at 1 and 2 threads (under a minute), as JSON, kept in a folder:",
            "  descent bench-gemm --sizes 256,1024 --threads 1,2 --json \\",
            "      --out runs/gemm"})
final class BenchGemmCommand implements Callable<Integer> {
    private static final String FORMAT = "%6s  %7s  %16s  %14s  %6s%n";

    @Spec
    private CommandSpec spec;

    @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "64,128,256,512,1024,2048",
            description = "Matrix sizes n, comma-separated (default: ${DEFAULT-VALUE}).")
    private int[] sizes;

    @Option(names = "--threads", split = ",", paramLabel = "T", defaultValue = "1,2",
            description = "Thread counts, comma-separated (default: ${DEFAULT-VALUE}).")
    private int[] threads;

    @Option(names = "--json", description = "Print the rows as a JSON array on standard output instead of a table.")
    private boolean json;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + GemmComparison.DEFAULT_SEED,
            description = "Seed of the uniform operands (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write gemm.csv, gemm.json and the run record"
            + " (command.txt, run.json with the machine) to DIR.")
    private @Nullable Path outDir;

    @Override
    public Integer call() throws JsonProcessingException {
        requirePositive("--sizes", sizes);
        requirePositive("--threads", threads);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String machine = "GEMM, FLOAT32, n x n @ n x n on " + Machine.describe();
        List<Row> rows;
        if (json) {
            err.println(machine);
            err.flush();
            rows = GemmComparison.run(sizes, threads, seed, row -> {
                err.printf(Locale.ROOT, "n = %d, %d thread(s): ratio %.2f%n", row.n(), row.threads(), row.ratio());
                err.flush();
            });
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } else {
            out.println(machine);
            out.printf(Locale.ROOT, FORMAT, "n", "threads", "descent GFLOP/s", "cblas GFLOP/s", "ratio");
            out.flush();
            rows = GemmComparison.run(sizes, threads, seed, row -> {
                out.printf(Locale.ROOT, FORMAT, row.n(), row.threads(), fixed(row.descentGflops(), 2),
                        fixed(row.cblasGflops(), 2), fixed(row.ratio(), 3));
                out.flush();
            });
        }
        if (outDir != null) {
            write(new StudyFolder(outDir), machine, rows);
        }
        out.flush();
        return 0;
    }

    private void write(StudyFolder folder, String machine, List<Row> rows) {
        List<List<Object>> csv = new ArrayList<>();
        for (Row r : rows) {
            csv.add(List.of(r.n(), r.threads(), r.descentGflops(), r.cblasGflops(), r.ratio()));
        }
        folder.writeCsv("gemm.csv", List.of("n", "threads", "descent_gflops", "cblas_gflops", "ratio"), csv);
        folder.writeJson("gemm.json", rows);
        AnalysisRun.writeRecord(folder, "bench-gemm", spec.commandLine().getParseResult().originalArgs(), seed,
                Map.of("machine", machine));
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private void requirePositive(String option, int[] values) {
        for (int v : values) {
            if (v < 1) {
                throw new ParameterException(spec.commandLine(), option + ": expected positive integers, got " + v);
            }
        }
    }
}
