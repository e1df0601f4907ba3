package dev.descent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result ({@code -rf json}) of the benchmarks in this package into Markdown tables of
 * derived figures: GFLOP/s and descent / cblas for GEMM, GB/s and descent / loop for elementwise ops, and
 * for convolutions, the autograd workloads and the training steps the time beside PyTorch's when the output
 * files of {@code torch_conv.py} / {@code torch_autograd.py} / {@code torch_steps.py} are given, and for the
 * optimizer step Adam's time beside PyTorch's ({@code torch_optim.py}) and every optimizer's ns per parameter.
 *
 * <p>Usage: {@code Report result.json [torch.tsv ...]}.
 */
public final class Report {
    /** One benchmark result: class and method names, parameters, seconds per call and its error. */
    record Row(String bench, String method, Map<String, String> params, double seconds, double error) {
        int param(String name) {
            return Integer.parseInt(params.get(name));
        }

        String key(String... names) {
            StringBuilder s = new StringBuilder();
            for (String n : names) {
                s.append(params.get(n)).append('/');
            }
            return s.toString();
        }
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Report result.json [torch.tsv ...]");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        Map<String, Double> torch = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            torch.putAll(readTorch(Path.of(args[i])));
        }
        gemm(rows);
        elementwise(rows);
        conv(rows, torch);
        autograd(rows, torch);
        steps(rows, torch);
        optimizerSteps(rows, torch);
    }

    static List<Row> read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : new ObjectMapper().readTree(json.toFile())) {
            String full = r.get("benchmark").asText();
            String[] parts = full.split("\\.");
            Map<String, String> params = new HashMap<>();
            JsonNode ps = r.path("params");
            ps.fieldNames().forEachRemaining(k -> params.put(k, ps.get(k).asText()));
            JsonNode m = r.get("primaryMetric");
            double unit = toSeconds(m.get("scoreUnit").asText());
            double error = m.get("scoreError").asDouble(Double.NaN); // "NaN" with a single iteration
            rows.add(new Row(parts[parts.length - 2], parts[parts.length - 1], params,
                    m.get("score").asDouble() * unit, error * unit));
        }
        return rows;
    }

    private static double toSeconds(String unit) {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new IllegalArgumentException("Report: run JMH with -bm avgt; unexpected unit " + unit);
        };
    }

    /** torch_conv.py's lines {@code kernel<TAB>threads<TAB>ms}, keyed by {@code kernel/threads/}. */
    static Map<String, Double> readTorch(Path tsv) throws IOException {
        Map<String, Double> ms = new HashMap<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.trim().split("\t");
            if (f.length == 3 && !line.startsWith("#")) {
                ms.put(f[0] + "/" + f[1] + "/", Double.parseDouble(f[2]));
            }
        }
        return ms;
    }

    private static Map<String, Row> index(List<Row> rows, String bench, String... params) {
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : rows) {
            if (r.bench.equals(bench)) {
                byKey.put(r.method + "/" + r.key(params), r);
            }
        }
        return byKey;
    }

    /** The rows of one benchmark class, methods in the given order (JMH sorts them by name). */
    private static List<Row> ordered(List<Row> rows, String bench, List<String> methods) {
        List<Row> out = new ArrayList<>();
        for (String m : methods) {
            for (Row r : rows) {
                if (r.bench.equals(bench) && r.method.equals(m)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static void gemm(List<Row> rows) {
        Map<String, Row> by = index(rows, "GemmBenchmark", "n", "threads");
        List<String> failures = new ArrayList<>();
        StringBuilder t = new StringBuilder("| n | threads | descent µs | cblas µs | descent GFLOP/s | cblas GFLOP/s | ratio | bar |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row d : ordered(rows, "GemmBenchmark", List.of("descent"))) {
            Row c = by.get("cblas/" + d.key("n", "threads"));
            if (c == null) {
                continue;
            }
            int n = d.param("n");
            double flop = 2.0 * n * n * n;
            double ratio = c.seconds / d.seconds;
            double bar = n >= 256 ? 0.90 : n == 64 ? 0.75 : Double.NaN;
            t.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %.1f | %.1f | %.2f | %s |%n", n,
                    d.params.get("threads"), micros(d), micros(c), flop / d.seconds / 1e9, flop / c.seconds / 1e9,
                    ratio, verdict(ratio, bar, "n=" + n + " threads=" + d.params.get("threads"), failures)));
        }
        print("GEMM (Tensor.matmul vs cblas_sgemm on FloatPointer), bar: >= 0.90 for n >= 256, >= 0.75 at n = 64",
                t, failures);
    }

    static void elementwise(List<Row> rows) {
        Map<String, Row> by = index(rows, "ElementwiseBenchmark", "size", "threads");
        List<String> failures = new ArrayList<>();
        StringBuilder t = new StringBuilder("| op | elements | threads | descent µs | loop µs | descent GB/s | loop GB/s | ratio | bar |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row d : ordered(rows, "ElementwiseBenchmark", List.of("add", "mul", "exp", "addInPlace"))) {
            String loopName = "loop" + Character.toUpperCase(d.method.charAt(0)) + d.method.substring(1);
            Row l = by.get(loopName + "/" + d.key("size", "threads"));
            if (l == null) {
                continue;
            }
            double bytes = (d.method.equals("exp") ? 8.0 : 12.0) * d.param("size");
            double ratio = l.seconds / d.seconds;
            t.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f | %.2f | %.2f | %s |%n", d.method,
                    d.param("size"), d.params.get("threads"), micros(d), micros(l), bytes / d.seconds / 1e9,
                    bytes / l.seconds / 1e9, ratio,
                    verdict(ratio, 0.8, d.method + " size=" + d.params.get("size") + " threads=" + d.params.get("threads"),
                            failures)));
        }
        print("Elementwise (Tensor vs single-threaded float[] loop), bar: >= 0.8", t, failures);
    }

    static void conv(List<Row> rows, Map<String, Double> torch) {
        StringBuilder t = new StringBuilder("| kernel | threads | descent ms | torch ms | torch ms / descent ms |\n"
                + "|---|---:|---:|---:|---:|\n");
        List<String> kernels = new ArrayList<>();
        for (String layer : List.of("conv1", "pool1", "conv2", "pool2")) {
            List<String> kinds = layer.startsWith("conv") ? List.of("Forward", "InputGrad", "WeightGrad")
                    : List.of("Forward", "Backward");
            kinds.forEach(k -> kernels.add(layer + k));
        }
        List<Row> conv = ordered(rows, "ConvBenchmark", kernels);
        for (String threads : conv.stream().map(r -> r.params.get("threads")).distinct().sorted().toList()) {
            // a training step needs every kernel but conv1's input gradient (its input is data)
            double mine = 0;
            double theirs = 0;
            int counted = 0;
            for (Row d : conv) {
                if (!d.params.get("threads").equals(threads)) {
                    continue;
                }
                Double ms = torch.get(d.method + "/" + threads + "/");
                row(t, d.method, threads, d.seconds * 1e3, ms);
                if (!d.method.equals("conv1InputGrad")) {
                    mine += d.seconds * 1e3;
                    theirs = ms == null || Double.isNaN(theirs) ? Double.NaN : theirs + ms;
                    counted++;
                }
            }
            if (counted == kernels.size() - 1) {
                row(t, "**step total** (all but conv1InputGrad)", threads, mine, Double.isNaN(theirs) ? null : theirs);
            }
        }
        print("Convolution and pooling kernels of the cnn workload (batch 64); a ratio above 1 means Descent is faster",
                t, List.of());
    }

    /** mlp_grad and mlp_hvp against PyTorch; bars: each <= 1.0 x PyTorch, and HVP / gradient <= 3. */
    static void autograd(List<Row> rows, Map<String, Double> torch) {
        StringBuilder t = new StringBuilder("| workload | threads | descent ms | torch ms | descent / torch | bar |\n"
                + "|---|---:|---:|---:|---:|---|\n");
        List<String> failures = new ArrayList<>();
        List<Row> all = ordered(rows, "AutogradBenchmark", List.of("mlpGrad", "mlpHvp"));
        for (String threads : all.stream().map(r -> r.params.get("threads")).distinct().sorted().toList()) {
            Map<String, Double> mine = new HashMap<>();
            for (Row d : all) {
                if (!d.params.get("threads").equals(threads)) {
                    continue;
                }
                double ms = d.seconds * 1e3;
                mine.put(d.method, ms);
                Double theirs = torch.get(d.method + "/" + threads + "/");
                String ratio = theirs == null ? "-" : String.format(Locale.ROOT, "%.2f", ms / theirs);
                String verdict = theirs == null ? "-"
                        : verdict(theirs / ms, 1.0, d.method + " threads=" + threads + " (descent / torch)", failures);
                t.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s |%n", d.method, threads, ms,
                        theirs == null ? "-" : String.format(Locale.ROOT, "%.3f", theirs), ratio, verdict));
            }
            if (mine.containsKey("mlpGrad") && mine.containsKey("mlpHvp")) {
                double ratio = mine.get("mlpHvp") / mine.get("mlpGrad");
                t.append(String.format(Locale.ROOT, "| HVP / gradient | %s | %.2f | | | %s |%n", threads, ratio,
                        verdict(3 / ratio, 1.0, "HVP / gradient threads=" + threads + " above 3", failures)));
            }
        }
        print("Autograd: mlp_grad and mlp_hvp (784-512-512-10 MLP, batch 128); bars: descent / torch <= 1, "
                + "HVP / gradient <= 3", t, failures);
    }

    /** StepBenchmark beside PyTorch; bars on descent / torch: mlp <= 1.0, cnn <= 1.3, transformer <= 1.0. */
    static void steps(List<Row> rows, Map<String, Double> torch) {
        Map<String, Double> bars = Map.of("mlp", 1.0, "cnn", 1.3, "transformer", 1.0);
        StringBuilder t = new StringBuilder("| workload | threads | descent ms | torch ms | descent / torch | bar |\n"
                + "|---|---:|---:|---:|---:|---|\n");
        List<String> failures = new ArrayList<>();
        List<Row> all = ordered(rows, "StepBenchmark", List.of("mlp", "cnn", "transformer"));
        for (String threads : all.stream().map(r -> r.params.get("threads")).distinct().sorted().toList()) {
            for (Row d : all) {
                if (!d.params.get("threads").equals(threads)) {
                    continue;
                }
                double ms = d.seconds * 1e3;
                double bar = bars.get(d.method);
                Double theirs = torch.get(d.method + "/" + threads + "/");
                String ratio = "-";
                String verdict = "-";
                if (theirs != null) {
                    double r = ms / theirs;
                    ratio = String.format(Locale.ROOT, "%.2f", r);
                    if (r <= bar) {
                        verdict = String.format(Locale.ROOT, "<= %.1f holds", bar);
                    } else {
                        verdict = String.format(Locale.ROOT, "<= %.1f **fails**", bar);
                        failures.add(String.format(Locale.ROOT, "%s threads=%s descent / torch %.2f > %.1f", d.method,
                                threads, r, bar));
                    }
                }
                t.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s |%n", d.method, threads, ms,
                        theirs == null ? "-" : String.format(Locale.ROOT, "%.3f", theirs), ratio, verdict));
            }
        }
        print("Training steps (zero grads + forward + loss + backward + optimizer step) of ../shared/bench's mlp, "
                + "cnn and transformer; bars on descent / torch: mlp <= 1.0, cnn <= 1.3, transformer <= 1.0",
                t, failures);
    }

    /**
     * OptimizerStepBenchmark: adamStep10M beside PyTorch's Adam with foreach off and on (bar: descent / the
     * better of the two <= 1.0), then stepPerParameter as nanoseconds per parameter (step time / 10M).
     */
    static void optimizerSteps(List<Row> rows, Map<String, Double> torch) {
        StringBuilder t = new StringBuilder("| workload | threads | descent ms | torch ms foreach=False | "
                + "torch ms foreach=True | descent / best torch | bar |\n|---|---:|---:|---:|---:|---:|---|\n");
        List<String> failures = new ArrayList<>();
        List<Row> adam = ordered(rows, "OptimizerStepBenchmark", List.of("adamStep10M"));
        for (Row d : adam.stream().sorted((a, b) -> a.param("threads") - b.param("threads")).toList()) {
            String threads = d.params.get("threads");
            double ms = d.seconds * 1e3;
            Double off = torch.get("adamStep10M_foreachFalse/" + threads + "/");
            Double on = torch.get("adamStep10M_foreachTrue/" + threads + "/");
            Double best = off == null ? on : on == null ? off : Math.min(off, on);
            String ratio = "-";
            String verdict = "-";
            if (best != null) {
                double r = ms / best;
                ratio = String.format(Locale.ROOT, "%.2f", r);
                verdict = verdict(1 / r, 1.0, "adamStep10M threads=" + threads + " (descent / best torch)", failures)
                        .replace("holds", "<= 1.0 holds").replace("**fails**", "<= 1.0 **fails**");
            }
            t.append(String.format(Locale.ROOT, "| adam_step_10M | %s | %.3f | %s | %s | %s | %s |%n", threads, ms,
                    off == null ? "-" : String.format(Locale.ROOT, "%.3f", off),
                    on == null ? "-" : String.format(Locale.ROOT, "%.3f", on), ratio, verdict));
        }
        print("Optimizer step alone: adam_step_10M (Adam over 10 x 1M floats, fixed gradients); bar: descent / "
                + "the better of torch's foreach off and on <= 1.0", t, failures);

        perParameter(rows, "stepPerParameter", "Optimizer step time per parameter (ns; one step over 10 x 1M floats"
                + " / 10M), every registry optimizer");
        perParameter(rows, "factoredStepPerParameter", "Optimizer step time per parameter (ns; one step over 10"
                + " matrices of 1000 x 1000 / 10M), the factored optimizers");
    }

    /** The ns-per-parameter table of one {@code OptimizerStepBenchmark} method, a column per thread count. */
    private static void perParameter(List<Row> rows, String method, String title) {
        List<Row> each = ordered(rows, "OptimizerStepBenchmark", List.of(method));
        if (each.isEmpty()) {
            return;
        }
        List<String> threadCounts = each.stream().map(r -> r.params.get("threads")).distinct()
                .sorted((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)).toList();
        StringBuilder header = new StringBuilder("| optimizer |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String th : threadCounts) {
            header.append(" ns / parameter, ").append(th).append(th.equals("1") ? " thread |" : " threads |");
            rule.append("---:|");
        }
        StringBuilder n = new StringBuilder(header).append('\n').append(rule).append('\n');
        List<String> names = each.stream().map(r -> r.params.get("optimizer")).distinct().toList();
        for (String name : names) {
            n.append("| ").append(name).append(" |");
            for (String th : threadCounts) {
                Row r = each.stream().filter(x -> x.params.get("optimizer").equals(name)
                        && x.params.get("threads").equals(th)).findFirst().orElse(null);
                n.append(r == null ? " - |" : String.format(Locale.ROOT, " %.3f |",
                        r.seconds * 1e9 / OptimizerStepBenchmark.PARAMETERS));
            }
            n.append('\n');
        }
        print(title, n, List.of());
    }

    private static void row(StringBuilder t, String kernel, String threads, double mine, Double torchMs) {
        t.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s |%n", kernel, threads, mine,
                torchMs == null ? "-" : String.format(Locale.ROOT, "%.3f", torchMs),
                torchMs == null ? "-" : String.format(Locale.ROOT, "%.2f", torchMs / mine)));
    }

    private static String micros(Row r) {
        return Double.isNaN(r.error) ? String.format(Locale.ROOT, "%.1f", r.seconds * 1e6)
                : String.format(Locale.ROOT, "%.1f ± %.1f", r.seconds * 1e6, r.error * 1e6);
    }

    private static String verdict(double ratio, double bar, String what, List<String> failures) {
        if (Double.isNaN(bar)) {
            return "-";
        }
        if (ratio >= bar) {
            return "holds";
        }
        failures.add(what + " " + String.format(Locale.ROOT, "%.2f < %.2f", ratio, bar));
        return "**fails**";
    }

    private static void print(String title, StringBuilder table, List<String> failures) {
        if (table.chars().filter(ch -> ch == '\n').count() <= 2) {
            return; // no rows of this benchmark in the result
        }
        System.out.println("## " + title + "\n");
        System.out.println(table);
        if (!failures.isEmpty()) {
            System.out.println("Below the bar: " + String.join("; ", failures) + "\n");
        }
    }
}
