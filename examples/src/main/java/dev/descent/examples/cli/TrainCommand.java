package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.nn.io.Checkpoint;
import dev.descent.nn.io.SafeTensors;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.tensor.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent train}: trains a model given by a spec on a bundled data set or files, with an optimizer of the
 * registry; writes a run folder (command, versions, seed, metrics CSV, loss and accuracy plots) and optionally the
 * model as safetensors and resumable checkpoints.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Train a model on a data set with an optimizer of the registry; write a run folder.",
        description = {
            "Models (--model):",
            "  mlp:IN-H1-...-OUT   Linear layers with ReLU between (parameters 0.weight, 0.bias, 2.weight, ...).",
            "  cnn                 conv(1->32,3)-ReLU-maxpool2-conv(32->64,3)-ReLU-maxpool2-fc(1600->128)-ReLU-fc(128->10).",
            "  resnet[:N]          a small ResNet (widths 8,16,32, N blocks per stage, default 1); resnet20 the paper's.",
            "  transformer[:d=64,heads=4,layers=2,ff=4d,len=64,norm=pre|post]  a character Transformer LM.",
            "Data (--data): mnist10k (8,000 training digits), digits (1,797 UCI digits / 16, file order),"
                    + " tinyshakespeare; or a path: a directory of MNIST IDX files (train-images-idx3-ubyte[.gz],"
                    + " train-labels-idx1-ubyte[.gz]), a CIFAR-10 binary directory (data_batch_1.bin ...), or a"
                    + " text file.",
            "Schedules (--schedule), stepped once per optimizer step, T the total steps: constant, cosine[:ETA_MIN],"
                    + " step:SIZE,GAMMA, multistep:M1,M2,...,GAMMA, exponential:GAMMA, linear:START,END,"
                    + " polynomial[:POWER], cosine-restarts:T0[,T_MULT[,ETA_MIN]], warmup-cosine:WARMUP,"
                    + " warmup-linear:WARMUP, onecycle, inverse-sqrt:WARMUP[,INIT_LR] (fairseq),"
                    + " transformer:D_MODEL,WARMUP (Vaswani et al.), untuned-linear[:BETA2],"
                    + " untuned-exponential[:BETA2] (Ma & Yarats).",
            "The run folder (--out, default ./runs/<time>-<model>-<optimizer>) gets command.txt, run.json, metrics.csv"
                    + " (one row per step), loss.png and accuracy.png.",
        },
        footer = {
            "",
            "Example: an MLP on the UCI digits with Adam for 200 steps, saving the model:",
            "  descent train --model mlp:64-32-10 --data digits --optimizer Adam \\",
            "      --opt lr=1e-2 --steps 200 --batch-size 32 --seed 0 \\",
            "      --save mlp.safetensors",
        })
final class TrainCommand implements Callable<Integer> {
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model spec (see above).")
    private String model;

    @Option(names = "--data", required = true, paramLabel = "NAME_OR_PATH", description = "The data (see above).")
    private String data;

    @Option(names = "--optimizer", required = true, paramLabel = "NAME",
            description = "The optimizer, a name of `descent optimizers`.")
    private String optimizer;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "A hyperparameter as the reference names and writes it (repeatable).")
    private List<String> opts = new ArrayList<>();

    @Option(names = "--schedule", paramLabel = "SPEC", description = "A learning-rate schedule (see above).")
    private String schedule;

    @Option(names = "--schedule-steps", paramLabel = "T", description = "The horizon T of the schedule (default: the"
            + " run's total steps); give it when a run is to be cut and resumed, so that both parts share it.")
    private Long scheduleSteps;

    static final class Length {
        @Option(names = "--steps", paramLabel = "N", description = "Total optimizer steps.")
        Long steps;

        @Option(names = "--epochs", paramLabel = "E", description = "Total epochs (full batches only).")
        Integer epochs;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Length length;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Batch size (default 32).")
    private int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights and of the shuffling (default 0).")
    private long seed;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model as safetensors.")
    private Path save;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Write a resumable checkpoint (model, optimizer, schedule, RNG) to DIR at the end.")
    private Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "With --checkpoint, also every N steps (default: only at the end).")
    private long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue exactly from the checkpoint in DIR (same --model, --data, --optimizer, --opt,"
                    + " --schedule, --batch-size and --seed).")
    private Path resume;

    @Option(names = "--json", description = "No progress bar; print one JSON object (config, final metrics, run"
            + " folder) on standard output.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default ./runs/<time>-...).")
    private Path out;

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw bad("--batch-size: expected B >= 1, got " + batchSize);
        }
        Map<String, String> options = parseOpts();
        Optimizers.Entry entry;
        Map<String, Double> values;
        try {
            entry = Optimizers.get(optimizer);
            values = entry.resolve(options);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Data d;
        try {
            d = DataSpecs.loadData(data);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Rng rng = new Rng(seed);
        Module net;
        try {
            net = ModelSpecs.buildModel(model, d, rng);
        } catch (IllegalArgumentException e) {
            throw bad("--model: " + e.getMessage());
        }
        if (d.size() < batchSize) {
            throw bad("--batch-size: " + batchSize + " is more than the " + d.size() + " examples of " + d.name());
        }
        long perEpoch = d.size() / batchSize;
        long total = length == null ? perEpoch
                : length.steps != null ? length.steps : (long) length.epochs * perEpoch;
        if (total < 0) {
            throw bad("--steps/--epochs: expected a count >= 0");
        }
        Optimizer opt;
        try {
            opt = entry.create(net.namedParameters(), options);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        LrSchedule lrSchedule = parseSchedule(scheduleSteps != null ? scheduleSteps : total);
        Scheduler scheduler = lrSchedule == null ? null : new Scheduler(opt, lrSchedule);
        TrainingLoop loop = new TrainingLoop(net, d, opt, scheduler, batchSize, seed);
        Map<String, Object> config = config(entry, values);
        long start = resume(net, opt, scheduler, rng, config, total);

        Path run = out != null ? out : AnalysisRun.defaultPath(model, entry.name());
        Files.createDirectories(run);
        RunFolder.writeRecord(run, "train", spec.commandLine().getParseResult().originalArgs(), resume != null, seed, config,
                total, start);
        Path csv = run.resolve("metrics.csv");
        boolean append = resume != null && Files.exists(csv);
        List<double[]> rows = append ? RunFolder.readRows(csv, start) : new ArrayList<>();
        PrintStream err = System.err;
        ProgressBar bar = json ? null : new ProgressBarBuilder().setTaskName("train " + model)
                .setInitialMax(total).setConsumer(new ConsoleProgressBarConsumer(err)).hideEta().build();
        double[] last = {Double.NaN, Double.NaN};
        try (Writer w = RunFolder.openMetrics(csv, append)) {
            if (bar != null) {
                bar.stepTo(start);
            }
            loop.run(start, total, (step, epoch, loss, acc, lr) -> {
                w.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%s%n", step, epoch, loss, acc, lr));
                rows.add(new double[] {step, loss, acc});
                last[0] = loss;
                last[1] = acc;
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
                }
                if (checkpoint != null && checkpointEvery > 0 && step % checkpointEvery == 0 && step < total) {
                    writeCheckpoint(checkpoint, step, net, opt, scheduler, rng, config);
                }
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        RunFolder.plots(run, rows);
        if (checkpoint != null) {
            writeCheckpoint(checkpoint, total, net, opt, scheduler, rng, config);
        }
        if (save != null) {
            Path parent = save.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SafeTensors.saveModel(save, net);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>(config);
            doc.put("steps", total);
            doc.put("resumed_from", start);
            doc.put("final", Map.of("loss", last[0], "accuracy", last[1]));
            doc.put("run", run.toString());
            stdout.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            stdout.printf(Locale.ROOT, "%s on %s with %s: %d steps, final loss %s, accuracy %s; run folder %s%n",
                    model, d.name(), entry.format(values), total, last[0], last[1], run);
        }
        stdout.flush();
        return 0;
    }

    /** The --opt values by key, in the order given. */
    private Map<String, String> parseOpts() {
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : opts) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw bad("--opt: expected KEY=VALUE, got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            if (options.put(key, o.substring(eq + 1)) != null) {
                throw bad("--opt: " + key + " given more than once");
            }
        }
        return options;
    }

    /** The --schedule over {@code horizon} steps, or null without one. */
    private LrSchedule parseSchedule(long horizon) {
        if (schedule == null) {
            return null;
        }
        try {
            return ScheduleSpecs.parseSchedule(schedule, horizon);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** The run's configuration, as recorded in run.json and checked on --resume. */
    private Map<String, Object> config(Optimizers.Entry entry, Map<String, Double> values) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("data", data);
        config.put("optimizer", entry.name());
        config.put("hyperparameters", entry.inForce(values));
        config.put("schedule", schedule == null ? "constant" : schedule);
        if (scheduleSteps != null) {
            config.put("schedule_steps", scheduleSteps);
        }
        config.put("batch_size", batchSize);
        config.put("seed", seed);
        return config;
    }

    /** With --resume, restores model, optimizer, schedule and RNG; returns the step to go on from (else 0). */
    private long resume(Module net, Optimizer opt, Scheduler scheduler, Rng rng, Map<String, Object> config,
            long total) throws IOException {
        if (resume == null) {
            return 0;
        }
        Path file = resume.resolve(CHECKPOINT_FILE);
        if (!Files.isRegularFile(file)) {
            throw bad("--resume: no " + CHECKPOINT_FILE + " in " + resume);
        }
        Checkpoint c = Checkpoint.load(file);
        Object saved = c.metadata().get("config");
        String savedJson = new ObjectMapper().writeValueAsString(saved);
        String nowJson = new ObjectMapper().writeValueAsString(
                new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(config), Object.class));
        if (!savedJson.equals(nowJson)) {
            throw bad("--resume: the checkpoint was made with " + savedJson + ", not " + nowJson);
        }
        c.restoreModel(net);
        opt.loadState(c.optimizer().tensors(), c.optimizer().scalars());
        if (scheduler != null) {
            scheduler.loadState(c.schedule().scalars());
        }
        if (c.rngNames().contains("model")) {
            c.restoreRng("model", rng);
        }
        long start = c.step();
        if (start > total) {
            throw bad("--resume: the checkpoint is at step " + start + ", past the " + total + " steps asked");
        }
        return start;
    }

    private static void writeCheckpoint(Path dir, long step, Module net, Optimizer opt, Scheduler scheduler, Rng rng,
            Map<String, Object> config) throws IOException {
        Files.createDirectories(dir);
        Checkpoint.Builder c = Checkpoint.builder().step(step).model(net)
                .optimizer(new Checkpoint.State(opt.stateTensors(), opt.stateScalars()))
                .rng("model", rng).metadata("config", config);
        if (scheduler != null) {
            c.schedule(new Checkpoint.State(Map.of(), scheduler.state()));
        }
        c.build().save(dir.resolve(CHECKPOINT_FILE));
    }
}
