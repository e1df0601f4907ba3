package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.autograd.Variable;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.Cifar10;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Dataset;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.Mnist;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.nn.io.Checkpoint;
import dev.descent.nn.io.SafeTensors;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.nn.models.ResNet;
import dev.descent.optim.Koala;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
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
                    + " step:SIZE,GAMMA, exponential:GAMMA, linear:START,END, warmup-cosine:WARMUP,"
                    + " warmup-linear:WARMUP, onecycle.",
            "The run folder (--out, default ./runs/<time>-<model>-<optimizer>) gets command.txt, run.json, metrics.csv"
                    + " (one row per step), loss.png and accuracy.png.",
        },
        footer = {
            "",
            "Example: an MLP on the UCI digits with Adam for 200 steps, saving the model:",
            "  descent train --model mlp:64-32-10 --data digits --optimizer Adam --opt lr=1e-2 \\",
            "      --steps 200 --batch-size 32 --seed 0 --save mlp.safetensors",
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

    /** The data: batches by example indices, what the model takes, and its kind. */
    record Data(String name, int size, boolean language, int[] exampleShape, int classes, CharVocabulary vocabulary,
                java.util.function.Function<int[], Batch> batches, Dataset<? extends Example> dataset) {
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw bad("--batch-size: expected B >= 1, got " + batchSize);
        }
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
        Optimizers.Entry entry;
        Map<String, Double> values;
        try {
            entry = Optimizers.get(optimizer);
            values = entry.resolve(options);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Data d = loadData(data);
        Rng rng = new Rng(seed);
        Module net;
        try {
            net = buildModel(model, d, rng);
        } catch (IllegalArgumentException e) {
            throw bad("--model: " + e.getMessage());
        }
        if (d.size() < batchSize) {
            throw bad("--batch-size: " + batchSize + " is more than the " + d.size() + " examples of " + d.name());
        }
        long perEpoch = d.size() / batchSize;
        long total;
        if (length == null) {
            total = perEpoch;
        } else if (length.steps != null) {
            total = length.steps;
        } else {
            total = (long) length.epochs * perEpoch;
        }
        if (total < 0) {
            throw bad("--steps/--epochs: expected a count >= 0");
        }
        Optimizer opt;
        try {
            opt = entry.create(net.namedParameters(), options);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Scheduler scheduler = schedule == null ? null : new Scheduler(opt, parseSchedule(schedule,
                scheduleSteps != null ? scheduleSteps : total));
        DataLoader loader = DataLoader.builder(d.dataset()).batchSize(batchSize).shuffle(new Rng(seed ^ 0x5DEECE66DL))
                .dropLast(true).build();

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

        long start = 0;
        if (resume != null) {
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
            start = c.step();
            if (start > total) {
                throw bad("--resume: the checkpoint is at step " + start + ", past the " + total + " steps asked");
            }
        }

        Path run = out != null ? out : Paths.get("runs", LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + "-" + model.replaceAll("[^A-Za-z0-9.-]", "_")
                + "-" + entry.name());
        Files.createDirectories(run);
        writeRecord(run, config, total, start);
        Path csv = run.resolve("metrics.csv");
        boolean append = resume != null && Files.exists(csv);
        List<double[]> rows = new ArrayList<>();
        if (append) {
            for (String line : Files.readAllLines(csv)) {
                if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                    String[] f = line.split(",");
                    if (Long.parseLong(f[0]) <= start) {
                        rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[2]),
                                Double.parseDouble(f[3])});
                    }
                }
            }
        }
        PrintStream err = System.err;
        ProgressBar bar = json ? null : new ProgressBarBuilder().setTaskName("train " + model)
                .setInitialMax(total).setConsumer(new ConsoleProgressBarConsumer(err)).hideEta().build();
        double lastLoss = Double.NaN;
        double lastAcc = Double.NaN;
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE})) {
            if (!append) {
                w.write("step,epoch,loss,accuracy,lr\n");
            }
            if (bar != null) {
                bar.stepTo(start);
            }
            net.train();
            int[] order = null;
            long orderEpoch = -1;
            for (long s = start; s < total; s++) {
                long epoch = s / perEpoch;
                int pos = (int) (s % perEpoch);
                if (epoch != orderEpoch) {
                    order = loader.order((int) epoch);
                    orderEpoch = epoch;
                }
                Batch b = d.batches().apply(Arrays.copyOfRange(order, pos * batchSize, (pos + 1) * batchSize));
                double[] lossAcc = new double[2];
                opt.zeroGrad();
                if (opt instanceof Koala koala) {
                    koala.step(() -> {
                        double f = forwardBackward(net, d, b, lossAcc);
                        return new Koala.Loss(f, f * f);
                    });
                } else {
                    forwardBackward(net, d, b, lossAcc);
                    opt.step();
                }
                double lr = opt.paramGroups().get(0).get("lr");
                if (scheduler != null) {
                    scheduler.step();
                }
                lastLoss = lossAcc[0];
                lastAcc = lossAcc[1];
                w.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%s%n", s + 1, epoch, lossAcc[0], lossAcc[1], lr));
                rows.add(new double[] {s + 1, lossAcc[0], lossAcc[1]});
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossAcc[0]));
                }
                if (checkpoint != null && checkpointEvery > 0 && (s + 1) % checkpointEvery == 0 && s + 1 < total) {
                    writeCheckpoint(checkpoint, s + 1, net, opt, scheduler, rng, config);
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        plots(run, rows);
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
            doc.put("final", Map.of("loss", lastLoss, "accuracy", lastAcc));
            doc.put("run", run.toString());
            stdout.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            stdout.printf(Locale.ROOT, "%s on %s with %s: %d steps, final loss %s, accuracy %s; run folder %s%n",
                    model, d.name(), entry.format(values), total, lastLoss, lastAcc, run);
        }
        stdout.flush();
        return 0;
    }

    /** Forward, loss, backward; puts the loss and the batch accuracy in {@code lossAcc}; returns the loss. */
    private static double forwardBackward(Module net, Data d, Batch b, double[] lossAcc) {
        Variable logits;
        Tensor targets = b.targets();
        if (d.language()) {
            logits = ((TransformerLM) net).forward(b.inputs());
            int v = logits.size(2);
            logits = logits.reshape(-1, v);
            targets = targets.reshape(-1);
        } else {
            logits = ((Layer) net).forward(Variable.constant(b.inputs()));
        }
        Variable loss = F.crossEntropy(logits, targets);
        loss.backward();
        lossAcc[0] = loss.item();
        lossAcc[1] = Accuracy.of(logits.value(), targets);
        return lossAcc[0];
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

    private void writeRecord(Path run, Map<String, Object> config, long total, long start) throws IOException {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder cmd = new StringBuilder("descent train");
        int from = !args.isEmpty() && args.get(0).equals("train") ? 1 : 0;
        for (String a : args.subList(from, args.size())) {
            cmd.append(' ').append(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        Files.writeString(run.resolve("command.txt"), cmd + "\n", StandardOpenOption.CREATE,
                resume != null ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", cmd.toString());
        doc.put("descent", VersionProvider.projectVersion());
        doc.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        doc.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        doc.put("seed", seed);
        doc.put("steps", total);
        doc.put("resumed_from", start);
        doc.put("config", config);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(run.resolve("run.json").toFile(), doc);
    }

    private static void plots(Path run, List<double[]> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (rows.isEmpty()) {
            return;
        }
        double[] x = new double[rows.size()];
        double[] loss = new double[rows.size()];
        double[] acc = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i)[0];
            loss[i] = rows.get(i)[1];
            acc[i] = rows.get(i)[2];
        }
        plot(run.resolve("loss.png"), "training loss", "loss", x, loss);
        plot(run.resolve("accuracy.png"), "training accuracy (batch)", "accuracy", x, acc);
    }

    private static void plot(Path file, String title, String y, double[] x, double[] values) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step").yAxisTitle(y)
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        chart.addSeries(y, x, values);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private LrSchedule parseSchedule(String text, long total) {
        String name = text;
        String args = "";
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            args = text.substring(colon + 1);
        }
        double[] a;
        try {
            a = args.isEmpty() ? new double[0]
                    : Arrays.stream(args.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw bad("--schedule: bad number in '" + text + "'");
        }
        long t = Math.max(1, total);
        try {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "constant":
                    return need(text, a, 0, 0, Schedules.constant());
                case "cosine":
                    return need(text, a, 0, 1, Schedules.cosine(t, a.length > 0 ? a[0] : 0));
                case "step":
                    return need(text, a, 2, 2, a.length == 2 ? Schedules.step((long) a[0], a[1]) : null);
                case "exponential":
                    return need(text, a, 1, 1, a.length == 1 ? Schedules.exponential(a[0]) : null);
                case "linear":
                    return need(text, a, 2, 2, a.length == 2 ? Schedules.linear(a[0], a[1], t) : null);
                case "warmup-cosine":
                    return need(text, a, 1, 1, a.length == 1 ? Schedules.hfCosineWithWarmup((long) a[0], t, 0.5)
                            : null);
                case "warmup-linear":
                    return need(text, a, 1, 1, a.length == 1 ? Schedules.hfLinearWithWarmup((long) a[0], t) : null);
                case "onecycle":
                    return need(text, a, 0, 0, Schedules.oneCycle(t));
                default:
                    throw bad("--schedule: unknown schedule '" + name + "' (known: constant, cosine, step,"
                            + " exponential, linear, warmup-cosine, warmup-linear, onecycle)");
            }
        } catch (IllegalArgumentException e) {
            throw bad("--schedule: " + e.getMessage());
        }
    }

    private LrSchedule need(String text, double[] a, int min, int max, LrSchedule s) {
        if (a.length < min || a.length > max || s == null) {
            throw bad("--schedule: '" + text + "' takes " + (min == max ? min : min + " to " + max) + " argument(s)");
        }
        return s;
    }

    private Data loadData(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        try {
            switch (key) {
                case "digits": {
                    TensorDataset t = Bundled.digits();
                    return images("digits", new TensorDataset(t.inputs().div(16.0), t.targets()));
                }
                case "mnist10k":
                    return images("mnist10k", Bundled.mnistTrain());
                case "tinyshakespeare":
                    return text("tinyshakespeare", Bundled.tinyShakespeare());
                default:
                    break;
            }
            Path p = Paths.get(name);
            if (Files.isDirectory(p)) {
                Path images = firstExisting(p, "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                        "train-images.idx3-ubyte");
                Path labels = firstExisting(p, "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz",
                        "train-labels.idx1-ubyte");
                if (images != null && labels != null) {
                    return images(name, Mnist.read(images, labels));
                }
                if (Files.exists(p.resolve("data_batch_1.bin"))) {
                    return images(name, Cifar10.readTrain(p));
                }
                throw bad("--data: " + name + " holds neither MNIST IDX files (train-images-idx3-ubyte[.gz],"
                        + " train-labels-idx1-ubyte[.gz]) nor CIFAR-10 binary batches (data_batch_1.bin ...)");
            }
            if (Files.isRegularFile(p)) {
                return text(name, Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ParameterException pe) {
                throw pe;
            }
            throw bad("--data: " + name + " could not be read: " + e.getMessage());
        }
        throw bad("--data: unknown data '" + name + "' (known: mnist10k, digits, tinyshakespeare, or a path to MNIST"
                + " IDX files, CIFAR-10 batches or a text file)");
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }

    private static Data images(String name, TensorDataset t) {
        long max = 0;
        for (long y : t.targets().toLongArray()) {
            max = Math.max(max, y);
        }
        int[] shape = new int[t.inputs().dim() - 1];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.inputs().size(i + 1);
        }
        return new Data(name, t.size(), false, shape, (int) max + 1, null, t::batch, t);
    }

    private int textLength = 64;

    private Data text(String name, String text) {
        CharVocabulary vocab = CharVocabulary.of(text);
        TextWindows windows = TextWindows.of(text, vocab, textLength);
        return new Data(name, windows.size(), true, new int[] {textLength}, vocab.size(), vocab, idx -> {
            List<Example> list = new ArrayList<>(idx.length);
            for (int i : idx) {
                list.add(windows.get(i));
            }
            return Batch.collate(list);
        }, windows);
    }

    private Module buildModel(String text, Data d, Rng rng) {
        String name = text;
        String args = "";
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            args = text.substring(colon + 1);
        }
        String kind = name.toLowerCase(Locale.ROOT);
        if (d.language() != kind.equals("transformer")) {
            throw new IllegalArgumentException(d.language()
                    ? "'" + text + "' takes images or features, but " + d.name() + " is text (use transformer)"
                    : "'" + text + "' takes text, but " + d.name() + " is images or features");
        }
        switch (kind) {
            case "mlp": {
                String[] parts = args.split("-");
                int[] sizes;
                try {
                    sizes = Arrays.stream(parts).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': expected mlp:IN-H1-...-OUT with positive"
                            + " integers");
                }
                if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(v -> v < 1)) {
                    throw new IllegalArgumentException("'" + text + "': expected mlp:IN-H1-...-OUT with at least IN"
                            + " and OUT, all positive");
                }
                int features = Arrays.stream(d.exampleShape()).reduce(1, (a, b) -> a * b);
                if (sizes[0] != features) {
                    throw new IllegalArgumentException("'" + text + "' takes " + sizes[0] + " inputs but "
                            + d.name() + " has " + features + " features per example");
                }
                checkClasses(text, sizes[sizes.length - 1], d);
                List<Layer> layers = new ArrayList<>();
                if (d.exampleShape().length > 1) {
                    // images: flatten first; keep the PyTorch names 0.weight, 2.weight ... by flattening the batch
                    // inputs instead of adding a layer
                }
                for (int i = 0; i + 1 < sizes.length; i++) {
                    if (i > 0) {
                        layers.add(new ReLU());
                    }
                    layers.add(new Linear(sizes[i], sizes[i + 1], rng));
                }
                Sequential seq = new Sequential(layers);
                return d.exampleShape().length > 1 ? new FlattenInputs(seq) : seq;
            }
            case "cnn": {
                requireNoArgs(text, args);
                requireShape(text, d, 1, 28);
                checkClasses(text, 10, d);
                return new Sequential(new Conv2d(1, 32, 3, rng), new ReLU(), new MaxPool2d(2),
                        new Conv2d(32, 64, 3, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                        new Linear(1600, 128, rng), new ReLU(), new Linear(128, 10, rng));
            }
            case "resnet":
            case "resnet20": {
                if (d.exampleShape().length != 3) {
                    throw new IllegalArgumentException("'" + text + "' takes images [C, H, W], but " + d.name()
                            + " has examples of shape " + Arrays.toString(d.exampleShape()));
                }
                int c = d.exampleShape()[0];
                if (kind.equals("resnet20")) {
                    requireNoArgs(text, args);
                    return ResNet.resnet20(c, d.classes(), rng);
                }
                int blocks;
                try {
                    blocks = args.isEmpty() ? 1 : Integer.parseInt(args);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': expected resnet[:BLOCKS_PER_STAGE]");
                }
                return new ResNet(c, new int[] {8, 16, 32}, blocks, true, d.classes(), rng);
            }
            case "transformer": {
                Map<String, String> kv = new LinkedHashMap<>();
                if (!args.isEmpty()) {
                    for (String part : args.split(",")) {
                        int eq = part.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("'" + text + "': expected KEY=VALUE, got '" + part
                                    + "'");
                        }
                        kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                    }
                }
                for (String k : kv.keySet()) {
                    if (!List.of("d", "heads", "layers", "ff", "len", "norm").contains(k)) {
                        throw new IllegalArgumentException("'" + text + "': unknown size '" + k
                                + "' (known: d, heads, layers, ff, len, norm)");
                    }
                }
                try {
                    int dm = Integer.parseInt(kv.getOrDefault("d", "64"));
                    int heads = Integer.parseInt(kv.getOrDefault("heads", "4"));
                    int layers = Integer.parseInt(kv.getOrDefault("layers", "2"));
                    int ff = Integer.parseInt(kv.getOrDefault("ff", Integer.toString(4 * dm)));
                    int len = Integer.parseInt(kv.getOrDefault("len", Integer.toString(textLength)));
                    String norm = kv.getOrDefault("norm", "pre").toLowerCase(Locale.ROOT);
                    if (!norm.equals("pre") && !norm.equals("post")) {
                        throw new IllegalArgumentException("'" + text + "': norm must be pre or post, got " + norm);
                    }
                    if (len < textLength) {
                        throw new IllegalArgumentException("'" + text + "': len " + len + " is shorter than the "
                                + textLength + "-character windows");
                    }
                    return new TransformerLM(TransformerLM.Config.builder(d.classes(), len, dm, heads, layers)
                            .dimFeedforward(ff).normPosition(norm.equals("pre") ? NormPosition.PRE : NormPosition.POST)
                            .build(), rng);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': sizes must be integers");
                }
            }
            default:
                throw new IllegalArgumentException("unknown model '" + text
                        + "' (known: mlp:IN-H1-...-OUT, cnn, resnet[:N], resnet20, transformer[:d=..,heads=..,"
                        + "layers=..,ff=..,len=..,norm=pre|post])");
        }
    }

    private static void requireNoArgs(String text, String args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' takes no arguments");
        }
    }

    private static void requireShape(String text, Data d, int channels, int side) {
        if (!Arrays.equals(d.exampleShape(), new int[] {channels, side, side})) {
            throw new IllegalArgumentException("'" + text + "' takes images [" + channels + ", " + side + ", " + side
                    + "], but " + d.name() + " has examples of shape " + Arrays.toString(d.exampleShape()));
        }
    }

    private static void checkClasses(String text, int out, Data d) {
        if (out < d.classes()) {
            throw new IllegalArgumentException("'" + text + "' has " + out + " outputs but " + d.name() + " has "
                    + d.classes() + " classes");
        }
    }

    /** An MLP on images: flattens [N, ...] to [N, features] first; parameter names stay the Sequential's. */
    static final class FlattenInputs extends Layer {
        private final Sequential inner;

        FlattenInputs(Sequential inner) {
            this.inner = Objects.requireNonNull(inner);
            for (Map.Entry<String, Module> e : inner.namedChildren().entrySet()) {
                registerModule(e.getKey(), e.getValue());
            }
        }

        @Override
        public Variable forward(Variable input) {
            return inner.forward(input.flatten(1, input.dim() - 1));
        }
    }
}
