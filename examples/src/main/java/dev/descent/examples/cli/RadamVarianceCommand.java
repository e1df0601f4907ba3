package dev.descent.examples.cli;

import dev.descent.analysis.radam.AdaptiveLrRecorder;
import dev.descent.analysis.radam.AdaptiveLrStats;
import dev.descent.analysis.radam.VarianceCurves;
import dev.descent.analysis.radam.VarianceReport;
import dev.descent.analysis.radam.VarianceSimulation;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.autograd.Variable;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Layer;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.ParamGroup;
import dev.descent.tensor.Rng;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent radam-variance}: the variance of Adam's adaptive learning rate (RAdam, spec/analysis.md §4) by
 * Monte Carlo for Gaussian gradients, as the RAdam README's Figure 1, and optionally along a real run (an MLP on
 * the bundled MNIST digits trained with Adam), read from the optimizer's second-moment buffers.
 */
@Command(
        name = "radam-variance",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Variance of Adam's adaptive learning rate psi_t = sqrt((1-b2^t)/v_t), raw and RAdam-rectified.",
        description = {
            "Simulates g_t ~ N(mu, sigma^2) i.i.d. in --trials independent sequences for each --mu, and records"
                    + " Var[psi_t] and Var[r_t psi_t] at every step up to --steps (the RAdam README's Figure 1).",
            "With --run N, also trains mlp:784-H-10 on mnist10k with Adam (beta2 = --beta2) for N steps and records"
                    + " the distribution of psi across coordinates at every step.",
            "The run folder gets command.txt, run.json, variance.csv, variance.json, variance.png,"
                    + " rectified_variance.png and, with --run, adaptive_lr.csv, adaptive_lr_quantiles.png and"
                    + " adaptive_lr_variance.png.",
        },
        footer = {"", "Example (the README's Figure 1):", "  descent radam-variance --trials 2000 --steps 6000"})
final class RadamVarianceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--beta2", paramLabel = "B2", defaultValue = "0.999", description = "Second-moment decay"
            + " (default 0.999).")
    private double beta2;

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "1", description = "Gradient standard deviation"
            + " (default 1).")
    private double sigma;

    @Option(names = "--mu", paramLabel = "MU", split = ",", description = "Gradient means, comma-separated (default"
            + " 0,0.001,0.01,0.1,1,10).")
    private List<Double> mus = new ArrayList<>(VarianceSimulation.README_MUS);

    @Option(names = "--trials", paramLabel = "N", defaultValue = "2000", description = "Independent sequences per mu"
            + " (default 2000).")
    private int trials;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "6000", description = "Steps simulated (default"
            + " 6000).")
    private int steps;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default 0).")
    private long seed;

    @Option(names = "--run", paramLabel = "N", defaultValue = "0", description = "Also train the MNIST MLP with Adam"
            + " for N steps and record psi along the run (default 0: no run).")
    private int runSteps;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "128", description = "With --run: hidden width"
            + " (default 128).")
    private int hidden;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "With --run: Adam's learning"
            + " rate (default 1e-3).")
    private double lr;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "With --run: batch size"
            + " (default 64).")
    private int batchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default"
            + " ./runs/<time>-radam-variance).")
    private Path out;

    @Option(names = "--json", description = "Print the summary (config, table, run folder) as one JSON object.")
    private boolean json;

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() {
        if (runSteps < 0 || hidden < 1 || batchSize < 1 || !(lr > 0)) {
            throw bad("--run, --hidden, --batch-size, --lr: expected N >= 0, H >= 1, B >= 1 and LR > 0, got "
                    + runSteps + ", " + hidden + ", " + batchSize + ", " + lr);
        }
        VarianceCurves curves;
        try {
            curves = VarianceSimulation.run(beta2, sigma, mus, trials, steps, seed);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Path dir = out != null ? out : AnalysisRun.defaultPath("radam-variance");
        StudyFolder folder = new StudyFolder(dir);
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        AnalysisRun.writeRecord(folder, "radam-variance", args, seed, Map.of("config", config()));
        Map<String, Object> doc = new LinkedHashMap<>(VarianceReport.writeSimulation(folder, curves));
        if (runSteps > 0) {
            List<AdaptiveLrStats> history = train();
            VarianceReport.writeRun(folder, history);
            doc.put("run", VarianceReport.runSummary(history));
        }
        doc.put("run_folder", dir.toString());
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(StudyFolder.toJson(doc));
        } else {
            VarianceCurves.Curve first = curves.curves().get(0);
            int t = Math.min(100, steps);
            stdout.printf(Locale.ROOT, "beta2 %s, %d trials, %d steps: at mu = %s, Var[psi_%d] = %.3g,"
                    + " Var[r psi_%d] = %.3g; run folder %s%n", beta2, trials, steps, first.mu(), t,
                    first.varianceAt(t), t, first.rectifiedVarianceAt(t), dir);
        }
        stdout.flush();
        return 0;
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("descent", VersionProvider.projectVersion());
        c.put("java", System.getProperty("java.version"));
        c.put("beta2", beta2);
        c.put("sigma", sigma);
        c.put("mu", mus);
        c.put("trials", trials);
        c.put("steps", steps);
        c.put("seed", seed);
        if (runSteps > 0) {
            c.put("run", Map.of("model", "mlp:784-" + hidden + "-10", "data", "mnist10k", "optimizer", "Adam",
                    "lr", lr, "batch_size", batchSize, "steps", runSteps));
        }
        return c;
    }

    /** Trains the MLP with Adam, recording ψ after every step. */
    private List<AdaptiveLrStats> train() {
        Data d = DataSpecs.loadData("mnist10k");
        Module net = ModelSpecs.buildModel("mlp:784-" + hidden + "-10", d, new Rng(seed));
        Adam adam = new Adam(List.of(new ParamGroup(net.namedParameters(), Map.of("lr", lr, "beta2", beta2))));
        AdaptiveLrRecorder recorder = new AdaptiveLrRecorder(adam);
        DataLoader loader = DataLoader.builder(d.dataset()).batchSize(batchSize).shuffle(new Rng(seed ^ 0x5DEECE66DL))
                .dropLast(true).build();
        int perEpoch = d.size() / batchSize;
        ProgressBar bar = json ? null : new ProgressBarBuilder().setTaskName("Adam on mnist10k")
                .setInitialMax(runSteps).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        try {
            int[] order = null;
            for (int s = 0; s < runSteps; s++) {
                if (s % perEpoch == 0) {
                    order = loader.order(s / perEpoch);
                }
                int pos = s % perEpoch;
                Batch b = d.batches().apply(Arrays.copyOfRange(order, pos * batchSize, (pos + 1) * batchSize));
                adam.zeroGrad();
                Variable loss = F.crossEntropy(((Layer) net).forward(Variable.constant(b.inputs())), b.targets());
                loss.backward();
                adam.step();
                recorder.record();
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss.item()));
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return recorder.history();
    }
}
