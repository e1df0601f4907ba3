package dev.descent.examples.cli;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossAndGradient;
import dev.descent.analysis.curvature.TimedOperator;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.spectrum.Eigenpairs;
import dev.descent.analysis.spectrum.Hutchinson;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.LanczosResult;
import dev.descent.analysis.spectrum.Probe;
import dev.descent.analysis.spectrum.SlqResult;
import dev.descent.analysis.spectrum.TraceEstimate;
import dev.descent.analysis.spectrum.Which;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent hessian}: the top eigenvalues of the Hessian of a model's mean cross-entropy over a data set (or a
 * random batch of it) by Lanczos, and on request its spectral density by stochastic Lanczos quadrature and its trace
 * by Hutchinson's estimator; a run folder with JSON, CSV and the density plot.
 */
@Command(
        name = "hessian",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Top Hessian eigenvalues (Lanczos), spectral density (SLQ) and trace (Hutchinson) of a model's loss.",
        description = {
            "The loss is the mean cross-entropy over the chosen examples, the model in evaluation mode. --model and"
                    + " --data are those of `descent train`; --weights loads a model saved with `descent train --save`"
                    + " (without it, the model as initialised from --seed).",
            "The run folder (--out, default ./runs/<time>-hessian-<model>) gets command.txt, run.json, hessian.json,"
                    + " eigenvalues.csv and, with --density, slq.csv (raw nodes and weights of every run), density.csv and density.png"
                    + " (log scale, PyHessian's smoothing).",
        },
        footer = {
            "",
            "Example: the top 5 eigenvalues of an MLP trained for one epoch, over all 8,000 MNIST training digits:",
            "  descent train --model mlp:784-128-10 --data mnist10k --optimizer Adam \\",
            "      --epochs 1 --batch-size 64 --save mlp.safetensors",
            "  descent hessian --model mlp:784-128-10 --weights mlp.safetensors \\",
            "      --data mnist10k --top-k 5 --density",
        })
final class HessianCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model spec of descent train.")
    private String model;

    @Option(names = "--weights", paramLabel = "FILE", description = "Safetensors weights (descent train --save).")
    private Path weights;

    @Option(names = "--data", required = true, paramLabel = "NAME_OR_PATH", description = "The data of descent train.")
    private String data;

    @Option(names = "--batch", paramLabel = "full|N", defaultValue = "full",
            description = "All examples (default), or N drawn at random from --seed.")
    private String batch;

    @Option(names = "--chunk", paramLabel = "C", defaultValue = "1000",
            description = "Examples per forward pass (default 1000); does not change the result.")
    private int chunk;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "1", description = "Eigenvalues to find (default 1).")
    private int topK;

    @Option(names = "--lanczos-steps", paramLabel = "M", description = "Lanczos steps of the top-k run and of each SLQ"
            + " run (default max(2K+1, 30), or 80 with --density).")
    private Integer lanczosSteps;

    @Option(names = "--density", description = "Also the spectral density by SLQ (its first run is the top-k run).")
    private boolean density;

    @Option(names = "--density-runs", paramLabel = "R", defaultValue = "1",
            description = "SLQ runs (default 1, as PyHessian; 10 in spectral-density).")
    private int densityRuns;

    @Option(names = "--trace", description = "Also the trace, by Hutchinson's estimator with Rademacher probes.")
    private boolean trace;

    @Option(names = "--trace-samples", paramLabel = "S", defaultValue = "100",
            description = "Most probes of the trace (default 100; it stops at relative standard error 1e-3).")
    private int traceSamples;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            description = "The dtype of the products (default float32); Lanczos itself is always float64.")
    private String dtype;

    @Option(names = "--keep-graphs", description = "Keep each chunk's gradient graph between products (faster, more"
            + " memory).")
    private boolean keepGraphs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights, the --batch draw and the random vectors (default 0).")
    private long seed;

    @Option(names = "--json", description = "No progress bar; print the results as one JSON object.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder.")
    private Path out;

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() {
        HessianOperator h;
        Data d;
        int examples;
        try {
            checkCounts();
            DType type = AnalysisInputs.dtype(dtype);
            d = AnalysisInputs.data(data);
            Module net = AnalysisInputs.model(model, d, seed, weights, type);
            int[] indices = batch.equals("full") ? AnalysisInputs.range(d.size())
                    : AnalysisInputs.sample(d, parseBatch(), seed);
            examples = indices.length;
            h = HessianOperator.builder(net, AnalysisInputs.loss(d)).batches(AnalysisInputs.chunks(d, indices, chunk))
                    .reuseGraph(keepGraphs).build();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (topK > h.size()) {
            throw bad("--top-k: " + topK + " is more than the model's " + h.size() + " parameters");
        }
        int steps = Math.min(h.size(), lanczosSteps != null ? lanczosSteps
                : density ? Math.max(80, Lanczos.forTopK(topK, h.size()).steps()) : Lanczos.forTopK(topK, h.size()).steps());
        if (steps < topK) {
            throw bad("--lanczos-steps: " + steps + " steps cannot give " + topK + " eigenvalues");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model);
        doc.put("data", d.name());
        doc.put("examples", examples);
        doc.put("parameters", h.size());
        doc.put("dtype", h.dtype().toString().toLowerCase(Locale.ROOT));
        long planned = (long) steps * (density ? densityRuns : 1) + (trace ? traceSamples : 0);
        Spectrum spectrum;
        try (ProductProgress progress = ProductProgress.start("hessian", planned, json, System.err)) {
            spectrum = measure(h, steps, progress, doc);
        }
        StudyFolder folder = AnalysisRun.folder(out, "hessian", model);
        write(folder, doc, spectrum.top(), spectrum.slq());
        doc.put("run", folder.root().toString());
        print(doc, spectrum.top(), spectrum.slq());
        return 0;
    }

    /** The top-k pairs, and the SLQ rules with --density (else null). */
    private record Spectrum(Eigenpairs top, SlqResult slq) {
    }

    /** Loss, Lanczos, then the trace and the density as asked; puts every number and the timings into {@code doc}. */
    private Spectrum measure(HessianOperator h, int steps, ProductProgress progress, Map<String, Object> doc) {
        Rng rng = new Rng(seed);
        String[] phase = {"loss"};
        TimedOperator timed = new TimedOperator(h, n -> progress.step(phase[0]));
        long t0 = System.nanoTime();
        LossAndGradient lg = h.lossAndGradient();
        doc.put("loss", lg.loss());
        doc.put("gradient_norm", lg.gradientNorm());
        long lanczosStart = System.nanoTime();
        phase[0] = "Lanczos";
        Lanczos lanczos = new Lanczos(steps);
        LanczosResult first = lanczos.run(timed, rng);
        double lanczosSeconds = (System.nanoTime() - lanczosStart) / 1e9;
        double lanczosProducts = timed.nanos() / 1e9;
        Eigenpairs top = Eigenpairs.select(first, topK, Which.LARGEST_ALGEBRAIC);
        doc.put("eigenvalues", top.values());
        doc.put("residuals", top.residuals());
        doc.put("lanczos_steps", first.steps());
        if (trace) {
            phase[0] = "trace";
            TraceEstimate t = new Hutchinson(Probe.RADEMACHER, Hutchinson.DEFAULT_TOLERANCE,
                    Math.min(Hutchinson.DEFAULT_MIN_SAMPLES, traceSamples), traceSamples).estimate(timed, rng);
            doc.put("trace", t.estimate());
            doc.put("trace_standard_error", t.standardError());
            doc.put("trace_samples", t.samples());
        }
        SlqResult slq = null;
        if (density) {
            slq = HessianDensity.run(lanczos, timed, first, densityRuns, rng, n -> phase[0] = "SLQ run " + n);
            doc.put("density", HessianDensity.toMap(slq));
        }
        progress.resize(timed.applications());
        h.release();
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("seconds", (System.nanoTime() - t0) / 1e9);
        timing.put("hessian_vector_products", timed.applications());
        timing.put("lanczos_seconds", lanczosSeconds);
        timing.put("lanczos_product_seconds", lanczosProducts);
        doc.put("timing", timing);
        return new Spectrum(top, slq);
    }

    private void checkCounts() {
        if (topK < 1 || chunk < 1 || densityRuns < 1 || traceSamples < 2
                || (lanczosSteps != null && lanczosSteps < 1)) {
            throw new IllegalArgumentException("expected --top-k, --chunk, --density-runs, --lanczos-steps >= 1 and"
                    + " --trace-samples >= 2, got " + topK + ", " + chunk + ", " + densityRuns + ", " + lanczosSteps
                    + ", " + traceSamples);
        }
    }

    private int parseBatch() {
        try {
            return Integer.parseInt(batch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--batch: expected full or a number of examples, got '" + batch + "'");
        }
    }

    private void write(StudyFolder folder, Map<String, Object> doc, Eigenpairs top, SlqResult slq) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        AnalysisRun.writeRecord(folder, "hessian", args, seed, Map.of());
        Map<String, Object> record = AnalysisRun.record("hessian", args, seed);
        record.putAll(doc);
        folder.writeJson("hessian.json", record);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < top.count(); i++) {
            rows.add(List.of(i + 1, top.values()[i], top.residuals()[i]));
        }
        folder.writeCsv("eigenvalues.csv", List.of("rank", "eigenvalue", "residual"), rows);
        if (slq != null) {
            HessianDensity.write(folder, slq, model + " on " + data);
        }
    }

    private void print(Map<String, Object> doc, Eigenpairs top, SlqResult slq) {
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(StudyFolder.toJson(doc));
        } else {
            stdout.printf(Locale.ROOT, "Hessian of %s on %s: %d examples, %d parameters, %s; loss %.6g%n", model,
                    doc.get("data"), (Integer) doc.get("examples"), (Integer) doc.get("parameters"), doc.get("dtype"),
                    (Double) doc.get("loss"));
            stdout.printf(Locale.ROOT, "top %d eigenvalues (Lanczos, %d steps):%n", top.count(), doc.get("lanczos_steps"));
            // the products carry the dtype's rounding, so a smaller Ritz residual says only "converged to that"
            double floor = ("float32".equals(doc.get("dtype")) ? 0x1p-23 : 0x1p-52) * Math.abs(top.values()[0]);
            for (int i = 0; i < top.count(); i++) {
                double r = top.residuals()[i];
                stdout.printf(Locale.ROOT, "  %2d  %14.8g   residual %s%n", i + 1, top.values()[i],
                        r < floor ? String.format(Locale.ROOT, "< %.1e (%s rounding)", floor, doc.get("dtype"))
                                : String.format(Locale.ROOT, "%.2e", r));
            }
            if (doc.containsKey("trace")) {
                stdout.printf(Locale.ROOT, "trace %.6g ± %.2g (Hutchinson, %d probes)%n", (Double) doc.get("trace"),
                        (Double) doc.get("trace_standard_error"), (Integer) doc.get("trace_samples"));
            }
            if (slq != null) {
                stdout.printf(Locale.ROOT, "density: %d SLQ run(s), nodes in [%.6g, %.6g], SLQ trace %.6g%n",
                        slq.runs(), slq.minNode(), slq.maxNode(), slq.traceEstimate());
            }
            stdout.printf(Locale.ROOT, "run folder %s%n", doc.get("run"));
        }
        stdout.flush();
    }
}
