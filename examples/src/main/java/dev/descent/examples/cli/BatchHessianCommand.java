package dev.descent.examples.cli;

import dev.descent.analysis.batchhessian.BatchHessianResult;
import dev.descent.analysis.batchhessian.BatchHessianStudy;
import dev.descent.analysis.batchhessian.BatchTop;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent batch-hessian}: the top Hessian eigenvalue over random batches of B examples for several B, beside
 * the one over all the data (Granziol, Zohren and Roberts); a run folder with CSV, JSON and the plot against 1/B.
 */
@Command(
        name = "batch-hessian",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Top eigenvalue of batch Hessians (B = 1, 2, 4, ...) beside the full-data one (Granziol et al.).",
        description = {
            "The loss is the mean cross-entropy over each batch (drawn without replacement from --seed), the model in"
                    + " evaluation mode, at the weights of --weights, or as initialised from --seed and then trained"
                    + " for --train-steps steps with --train-optimizer on batches of --train-batch-size.",
            "The run folder (--out, default ./runs/<time>-batch-hessian-<model>) gets command.txt, run.json, batch_hessian.csv,"
                    + " batch_hessian.json and batch_hessian.png (mean ± sd against 1/B, the full-data value as a"
                    + " horizontal line).",
        },
        footer = {"", "Example: the digits MLP after 300 SGD steps, 10 batches per size:",
            "  descent batch-hessian --model mlp:64-32-10 --data digits --train-steps 300"})
final class BatchHessianCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model spec of descent train.")
    private String model;

    @Option(names = "--weights", paramLabel = "FILE", description = "Safetensors weights (descent train --save).")
    private Path weights;

    @Option(names = "--data", required = true, paramLabel = "NAME_OR_PATH", description = "The data of descent train.")
    private String data;

    @Option(names = "--train-steps", paramLabel = "N", defaultValue = "0",
            description = "Train first for N steps (default 0).")
    private long trainSteps;

    @Option(names = "--train-optimizer", paramLabel = "SPEC", defaultValue = "SGD:lr=0.1",
            description = "NAME[:KEY=VALUE,...] for --train-steps (default SGD:lr=0.1).")
    private String trainOptimizer;

    @Option(names = "--train-batch-size", paramLabel = "B", defaultValue = "32",
            description = "Batch size for --train-steps (default 32).")
    private int trainBatchSize;

    @Option(names = "--batch-sizes", paramLabel = "B", split = ",",
            defaultValue = "1,2,4,8,16,32,64,128,256,512,1024", description = "Batch sizes (default 1,2,4,...,1024).")
    private int[] batchSizes;

    @Option(names = "--batches-per-size", paramLabel = "R", defaultValue = "10",
            description = "Random batches per size (default 10).")
    private int batchesPerSize;

    @Option(names = "--lanczos-steps", paramLabel = "M", defaultValue = "30",
            description = "Lanczos steps per run (default 30).")
    private int lanczosSteps;

    @Option(names = "--chunk", paramLabel = "C", defaultValue = "1000",
            description = "Examples per forward pass of the full-data Hessian (default 1000).")
    private int chunk;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            description = "The dtype of the products (default float32).")
    private String dtype;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights, the training order, the batches and the start vectors.")
    private long seed;

    @Option(names = "--json", description = "No progress bar; print the results as one JSON object.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        BatchHessianStudy.Builder builder;
        int runs;
        Data d;
        try {
            DType type = AnalysisInputs.dtype(dtype);
            d = AnalysisInputs.data(data);
            Module net = AnalysisInputs.model(model, d, seed, weights, DType.FLOAT32);
            train(net, d);
            net.to(type);
            builder = BatchHessianStudy.builder(net, AnalysisInputs.loss(d), d.batches(), d.size())
                    .batchSizes(batchSizes).batchesPerSize(batchesPerSize).lanczosSteps(lanczosSteps).chunk(chunk)
                    .seed(seed);
            runs = builder.build().runs();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        BatchHessianResult result;
        long t0 = System.nanoTime();
        try (ProductProgress bar = ProductProgress.start("batch-hessian", runs, json, System.err)) {
            result = builder.progress(done -> bar.step("Lanczos runs")).build().run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        StudyFolder folder = AnalysisRun.folder(out, "batch-hessian", model);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("config", config(d));
        record.put("seconds", seconds);
        AnalysisRun.writeRecord(folder, "batch-hessian", spec.commandLine().getParseResult().originalArgs(), seed,
                record);
        result.write(folder);
        print(result, folder, d);
        return 0;
    }

    /** The --train-steps steps of --train-optimizer, on the shuffled batches of descent train. */
    private void train(Module net, Data d) throws IOException {
        if (trainSteps < 0 || trainBatchSize < 1 || trainBatchSize > d.size()) {
            throw new IllegalArgumentException("--train-steps must be >= 0 and --train-batch-size in 1.." + d.size()
                    + ", got " + trainSteps + " and " + trainBatchSize);
        }
        if (trainSteps == 0) {
            return;
        }
        OptimizerSpec optimizer = OptimizerSpec.parse(trainOptimizer);
        new TrainingLoop(net, d, optimizer.create(net.namedParameters()), null, trainBatchSize, seed)
                .run(0, trainSteps, (step, epoch, loss, accuracy, lr) -> { });
    }

    private Map<String, Object> config(Data d) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", model);
        c.put("data", d.name());
        c.put("weights", weights == null ? null : weights.toString());
        c.put("train_steps", trainSteps);
        c.put("train_optimizer", trainSteps == 0 ? null : OptimizerSpec.parse(trainOptimizer).toString());
        c.put("train_batch_size", trainBatchSize);
        c.put("batch_sizes", batchSizes);
        c.put("batches_per_size", batchesPerSize);
        c.put("lanczos_steps", lanczosSteps);
        c.put("dtype", dtype);
        return c;
    }

    private void print(BatchHessianResult result, StudyFolder folder, Data d) {
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", config(d));
            doc.putAll(result.toMap());
            doc.put("run", folder.root().toString());
            stdout.println(StudyFolder.toJson(doc));
        } else {
            stdout.printf(Locale.ROOT, "top Hessian eigenvalue of %s on %s (%d Lanczos steps per run):%n", model,
                    d.name(), lanczosSteps);
            stdout.printf(Locale.ROOT, "  %6s  %12s  %12s%n", "B", "mean", "sd");
            for (BatchTop t : result.batches()) {
                stdout.printf(Locale.ROOT, "  %6d  %12.6g  %12.6g%n", t.batchSize(), t.mean(), t.standardDeviation());
            }
            stdout.printf(Locale.ROOT, "  %6s  %12.6g  (all %d examples)%n", "full", result.fullTop(),
                    result.examples());
            stdout.printf(Locale.ROOT, "excess over the full value ~ c / B with c = %.4g; run folder %s%n",
                    result.excessPerInverseBatch(), folder.root());
        }
        stdout.flush();
    }
}
