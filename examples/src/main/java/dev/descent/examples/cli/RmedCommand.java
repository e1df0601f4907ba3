package dev.descent.examples.cli;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.rmed.DiagonalRule;
import dev.descent.analysis.rmed.RmedResult;
import dev.descent.analysis.rmed.RmedStudy;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
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
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent rmed}: R_med (Jiang, Malik and Li) of every weight matrix along training, for several optimizers
 * from one initialisation on the same batches; a run folder with CSV, JSON and the plot.
 */
@Command(
        name = "rmed",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "R_med = max diag(H) / median diag(H) per layer along training, SGD beside Adam from one start.",
        description = {
            "Each optimizer trains a copy of the model initialised from --seed, on the same batches in the same order."
                    + " At step 0 and every --every steps, the Hessian diagonal of each weight matrix over a fixed"
                    + " random set of --hessian-examples examples gives that layer's R_med: exactly (one product per"
                    + " entry) up to --exact-limit entries, else from --diag-samples Rademacher probes. The fraction"
                    + " of negative diagonal entries is kept beside it; R_med is undefined (NaN) when the median is"
                    + " not positive.",
            "Optimizers (--optimizer, repeatable): NAME[:KEY=VALUE,...] of `descent optimizers`, e.g."
                    + " SGD:lr=0.1,momentum=0.9 or Adam:lr=1e-3,betas=0.9,0.999.",
            "The run folder (--out, default ./runs/<time>-rmed-<model>) gets command.txt, run.json, rmed.csv, rmed.json and"
                    + " rmed.png.",
        },
        footer = {"", "Example: the digits MLP, SGD beside Adam, 200 steps, R_med at steps 0, 100 and 200 on",
            "300 examples (a minute or two on 2 cores):",
            "  descent rmed --model mlp:64-32-10 --data digits --steps 200 --every 100 \\",
            "      --hessian-examples 300"})
final class RmedCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp:64-32-10",
            description = "The model spec of descent train (default mlp:64-32-10).")
    private String model;

    @Option(names = "--data", paramLabel = "NAME_OR_PATH", defaultValue = "digits",
            description = "The data of descent train (default digits).")
    private String data;

    @Option(names = "--optimizer", paramLabel = "SPEC", description = "An optimizer (default: SGD:lr=0.1 and"
            + " Adam:lr=0.001).")
    private List<String> optimizers = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "Steps per optimizer (default 300).")
    private long steps;

    @Option(names = "--every", paramLabel = "K", defaultValue = "25", description = "R_med every K steps (default 25).")
    private long every;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Batch size (default 32).")
    private int batchSize;

    @Option(names = "--hessian-examples", paramLabel = "N", defaultValue = "1000",
            description = "Examples of the Hessian (default 1000, or all if fewer), drawn once from --seed.")
    private int hessianExamples;

    @Option(names = "--exact-limit", paramLabel = "E", defaultValue = "4096",
            description = "Largest layer whose diagonal is exact (default 4096). Estimates overstate R_med: their"
                    + " noise swamps the small entries around the median.")
    private int exactLimit;

    @Option(names = "--diag-samples", paramLabel = "S", defaultValue = "100",
            description = "Probes of an estimated diagonal (default 100).")
    private int diagSamples;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float64",
            description = "The dtype of the curvature (default float64; training stays float32).")
    private String dtype;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights, the batch order, the Hessian examples and the probes.")
    private long seed;

    @Option(names = "--json", description = "No progress bar; print the summary and every point as JSON.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder.")
    private Path out;

    /** The bar while the study runs. */
    private ProductProgress progress;

    @Override
    public Integer call() {
        RmedStudy study;
        List<OptimizerSpec> specs = new ArrayList<>();
        Data d;
        int layers;
        try {
            if (batchSize < 1 || hessianExamples < 1) {
                throw new IllegalArgumentException("--batch-size and --hessian-examples must be >= 1, got " + batchSize
                        + " and " + hessianExamples);
            }
            for (String o : optimizers.isEmpty() ? List.of("SGD:lr=0.1", "Adam:lr=0.001") : optimizers) {
                specs.add(OptimizerSpec.parse(o));
            }
            d = AnalysisInputs.data(data);
            Data data = d;
            DType type = AnalysisInputs.dtype(dtype);
            Supplier<Module> architecture = () -> AnalysisInputs.model(model, data, seed, null, DType.FLOAT32);
            int[] curvature = AnalysisInputs.sample(d, Math.min(hessianExamples, d.size()), seed);
            if (batchSize > d.size()) {
                throw new IllegalArgumentException("--batch-size: " + batchSize + " is more than the " + d.size()
                        + " examples of " + d.name());
            }
            RmedStudy.Builder b = RmedStudy.builder(architecture, AnalysisInputs.loss(d), loader(d),
                            AnalysisInputs.chunks(d, curvature, 1000))
                    .steps(steps).every(every).diagonal(new DiagonalRule(exactLimit, diagSamples))
                    .float64(type == DType.FLOAT64).seed(seed);
            for (OptimizerSpec s : specs) {
                b.optimizer(s.toString(), s::create);
            }
            layers = RmedStudy.weightMatrices(architecture.get()).size();
            study = b.listener(p -> progressStep()).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long planned = (long) specs.size() * layers * (steps / every + 1 + (steps % every == 0 ? 0 : 1));
        RmedResult result;
        try (ProductProgress bar = ProductProgress.start("rmed", planned, json, System.err)) {
            progress = bar;
            result = study.run();
        }
        StudyFolder folder = AnalysisRun.folder(out, "rmed", model);
        AnalysisRun.writeRecord(folder, "rmed", spec.commandLine().getParseResult().originalArgs(), seed,
                Map.of("config", config(specs, d)));
        result.write(folder);
        print(result, folder, specs, d);
        return 0;
    }

    private void progressStep() {
        if (progress != null) {
            progress.step("R_med");
        }
    }

    private DataLoader loader(Data d) {
        DataLoader.Builder b = d.dataset() instanceof TensorDataset t ? DataLoader.builder(t)
                : DataLoader.builder(d.dataset());
        return b.batchSize(batchSize).shuffle(new Rng(seed ^ 0x5DEECE66DL)).dropLast(true).build();
    }

    private Map<String, Object> config(List<OptimizerSpec> specs, Data d) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", model);
        c.put("data", d.name());
        c.put("optimizers", specs.stream().map(OptimizerSpec::toString).toList());
        c.put("steps", steps);
        c.put("every", every);
        c.put("batch_size", batchSize);
        c.put("hessian_examples", Math.min(hessianExamples, d.size()));
        c.put("exact_limit", exactLimit);
        c.put("diag_samples", diagSamples);
        c.put("dtype", dtype);
        return c;
    }

    private void print(RmedResult result, StudyFolder folder, List<OptimizerSpec> specs, Data d) {
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", config(specs, d));
            doc.put("summary", result.summary());
            doc.put("points", result.points());
            doc.put("run", folder.root().toString());
            stdout.println(StudyFolder.toJson(doc));
        } else {
            stdout.printf(Locale.ROOT, "R_med of %s on %s, %d steps (geometric mean after step 0; final; final"
                    + " negative fraction):%n", model, d.name(), steps);
            for (String layer : result.layers()) {
                for (String optimizer : result.optimizers()) {
                    Map<String, Double> s = result.summary().get(layer).get(optimizer);
                    stdout.printf(Locale.ROOT, "  %-12s %-28s %10.4g %10.4g %8.4f%n", layer, optimizer,
                            s.get("trajectory_geometric_mean"), s.get("final"), s.get("final_negative_fraction"));
                }
            }
            stdout.printf(Locale.ROOT, "run folder %s%n", folder.root());
        }
        stdout.flush();
    }
}
