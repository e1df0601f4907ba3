package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.tensor.Rng;
import java.io.PrintWriter;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent compare}: several optimizers on one task, each from the same initial weights and seeing the
 * same batches in the same order (per seed); a table of final loss, best accuracy, wall time and optimizer-state
 * memory, and overlaid loss curves with their spread over seeds.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Compare optimizers on one task from the same initialisation and data order.",
        description = {
            "Each optimizer of --optimizers (a registry name, optionally labelled LABEL=NAME to compare one optimizer"
                    + " with several settings) trains the --model on the --data for --steps steps from seeds SEED,"
                    + " SEED+1, ..., SEED+S-1; for a given seed every optimizer starts from the same weights and sees"
                    + " the same batches. Models, data and schedules are those of `descent train`.",
            "Accuracy is evaluated every --eval-every steps and at the end, on the held-out part of the data (MNIST's"
                    + " 2,000 test digits for mnist10k), or else on the first 2,000 training examples.",
            "The run folder gets command.txt, run.json (the command, versions and first seed), results.csv (one row per run), summary.csv (one row per optimizer), loss.png (mean"
                    + " training loss over seeds, smoothed, with a band of one standard deviation), accuracy.png, and"
                    + " runs/<label>-seed<k>/result.json; rerunning the same command resumes, skipping finished runs.",
        },
        footer = {
            "",
            "Example: Adam, AdaBelief and SGD with momentum on MNIST, 2 seeds:",
            "  descent compare --optimizers Adam,AdaBelief,SGD \\",
            "      --opt SGD.lr=0.05 --opt SGD.momentum=0.9 \\",
            "      --model mlp:784-128-10 --data mnist10k --steps 300 --seeds 2 \\",
            "      --out runs/compare-mnist",
        })
final class CompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--optimizers", required = true, split = ",", paramLabel = "[LABEL=]NAME",
            description = "The optimizers, comma-separated registry names (see `descent optimizers`).")
    private List<String> optimizers;

    @Option(names = "--opt", paramLabel = "LABEL.KEY=VALUE",
            description = "A hyperparameter of one optimizer, as the reference names it (repeatable).")
    private List<String> opts = new ArrayList<>();

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model spec of `descent train`.")
    private String model;

    @Option(names = "--data", required = true, paramLabel = "NAME_OR_PATH", description = "The data of `descent train`.")
    private String data;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps per run (default: one epoch).")
    private Long steps;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Batch size (default 32).")
    private int batchSize;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "1", description = "Seeds per optimizer (default 1).")
    private int seeds;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "The first seed (default 0).")
    private long seed;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "A learning-rate schedule of `descent train`.")
    private String schedule;

    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate accuracy every K steps (default N/10).")
    private Long evalEvery;

    @Option(names = "--json", description = "No progress bar; print one JSON object (the summary) on standard output.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default ./runs/<time>-compare-...).")
    private Path out;

    /** run.json: how this comparison was made (rewritten by a rerun, which may add seeds or optimizers). */
    private void writeRecord(Path run, Map<String, Optimizers.Entry> entries, Map<String, Map<String, String>> options,
            long total, long every) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("data", data);
        Map<String, Object> optimizers = new LinkedHashMap<>();
        entries.forEach((label, entry) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("optimizer", entry.name());
            one.put("options", options.get(label));
            optimizers.put(label, one);
        });
        config.put("optimizers", optimizers);
        config.put("steps", total);
        config.put("batch_size", batchSize);
        config.put("seeds", seeds);
        config.put("schedule", schedule);
        config.put("eval_every", every);
        AnalysisRun.writeRecord(new StudyFolder(run), "compare", spec.commandLine().getParseResult().originalArgs(),
                seed, Map.of("config", config));
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1 || seeds < 1) {
            throw bad("--batch-size and --seeds: expected >= 1, got " + batchSize + " and " + seeds);
        }
        Map<String, Optimizers.Entry> entries = entries();
        Map<String, Map<String, String>> options = options(entries);
        Data d;
        try {
            d = DataSpecs.loadData(data);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (d.size() < batchSize) {
            throw bad("--batch-size: " + batchSize + " is more than the " + d.size() + " examples of " + d.name());
        }
        long total = steps != null ? steps : d.size() / batchSize;
        long every = evalEvery != null ? evalEvery : Math.max(1, total / 10);
        if (total < 1 || every < 1) {
            throw bad("--steps and --eval-every: expected >= 1, got " + total + " and " + every);
        }
        Batch evaluation = evaluationBatch(d);
        Path run = out != null ? out : AnalysisRun.defaultPath("compare", model, String.join("-", entries.keySet()));
        writeRecord(run, entries, options, total, every);
        ProgressBar bar = json ? null : new ProgressBarBuilder().setTaskName("compare")
                .setInitialMax(total * seeds * entries.size()).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        List<ComparisonRun> runs = new ArrayList<>();
        try {
            for (int k = 0; k < seeds; k++) {
                for (var e : entries.entrySet()) {
                    String label = e.getKey();
                    Map<String, Object> config = config(e.getValue(), options.get(label), total, every, seed + k);
                    Path dir = run.resolve("runs").resolve(label + "-seed" + (seed + k));
                    ComparisonRun r = ComparisonRun.load(dir, config);
                    if (r == null) {
                        if (bar != null) {
                            bar.setExtraMessage(label + ", seed " + (seed + k));
                        }
                        r = train(label, e.getValue(), options.get(label), d, evaluation, seed + k, total, every,
                                config, bar);
                        r.save(dir);
                    } else if (bar != null) {
                        bar.stepBy(total);
                    }
                    runs.add(r);
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        ComparisonReport report = new ComparisonReport(new ArrayList<>(entries.keySet()), runs,
                d.heldOut() != null ? "held-out" : "training sample");
        report.write(run);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("data", data);
            doc.put("steps", total);
            doc.put("seeds", seeds);
            doc.put("summary", report.summary());
            doc.put("run", run.toString());
            stdout.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            stdout.print(report.table());
            stdout.printf(Locale.ROOT, "run folder %s%n", run);
        }
        stdout.flush();
        return 0;
    }

    /** The optimizers by label, in the order given. */
    private Map<String, Optimizers.Entry> entries() {
        Map<String, Optimizers.Entry> entries = new LinkedHashMap<>();
        for (String item : optimizers) {
            int eq = item.indexOf('=');
            String label = (eq < 0 ? item : item.substring(0, eq)).trim();
            String name = (eq < 0 ? item : item.substring(eq + 1)).trim();
            if (!label.matches("[A-Za-z0-9_-]+")) {
                throw bad("--optimizers: label '" + label + "' may hold only letters, digits, '_' and '-'");
            }
            try {
                if (entries.put(label, Optimizers.get(name)) != null) {
                    throw bad("--optimizers: " + label + " is given twice; label repeats as LABEL=NAME");
                }
            } catch (IllegalArgumentException e) {
                throw bad("--optimizers: " + e.getMessage());
            }
        }
        return entries;
    }

    /** The --opt values by optimizer label, checked against each optimizer's hyperparameters. */
    private Map<String, Map<String, String>> options(Map<String, Optimizers.Entry> entries) {
        Map<String, Map<String, String>> byLabel = new LinkedHashMap<>();
        entries.keySet().forEach(label -> byLabel.put(label, new LinkedHashMap<>()));
        for (String o : opts) {
            int dot = o.indexOf('.');
            int eq = o.indexOf('=');
            if (dot <= 0 || eq < dot + 2) {
                throw bad("--opt: expected LABEL.KEY=VALUE, got '" + o + "'");
            }
            String label = o.substring(0, dot);
            Map<String, String> forLabel = byLabel.get(label);
            if (forLabel == null) {
                throw bad("--opt " + o + ": " + label + " is not one of --optimizers " + entries.keySet());
            }
            if (forLabel.put(o.substring(dot + 1, eq).trim(), o.substring(eq + 1)) != null) {
                throw bad("--opt: " + o.substring(0, eq) + " given more than once");
            }
        }
        for (var e : entries.entrySet()) {
            try {
                e.getValue().resolve(byLabel.get(e.getKey()));
            } catch (IllegalArgumentException ex) {
                throw bad("--opt " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return byLabel;
    }

    private Map<String, Object> config(Optimizers.Entry entry, Map<String, String> options, long total, long every,
            long runSeed) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("data", data);
        config.put("optimizer", entry.name());
        config.put("hyperparameters", entry.inForce(entry.resolve(options)));
        config.put("schedule", schedule == null ? "constant" : schedule);
        config.put("steps", total);
        config.put("eval_every", every);
        config.put("batch_size", batchSize);
        config.put("seed", runSeed);
        return config;
    }

    /** One run: the model from {@code runSeed}, the optimizer, the shared training loop, evaluations. */
    private ComparisonRun train(String label, Optimizers.Entry entry, Map<String, String> options, Data d,
            Batch evaluation, long runSeed, long total, long every, Map<String, Object> config, ProgressBar bar)
            throws Exception {
        Module net;
        try {
            net = ModelSpecs.buildModel(model, d, new Rng(runSeed));
        } catch (IllegalArgumentException e) {
            throw bad("--model: " + e.getMessage());
        }
        Optimizer opt = entry.create(net.namedParameters(), options);
        LrSchedule lr = null;
        if (schedule != null) {
            try {
                lr = ScheduleSpecs.parseSchedule(schedule, total);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }
        TrainingLoop loop = new TrainingLoop(net, d, opt, lr == null ? null : new Scheduler(opt, lr), batchSize,
                runSeed);
        double[] losses = new double[(int) total];
        List<Long> evalSteps = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        long started = System.nanoTime();
        loop.run(0, total, (step, epoch, loss, acc, rate) -> {
            losses[(int) step - 1] = loss;
            if (step % every == 0 || step == total) {
                evalSteps.add(step);
                accuracy.add(loop.evaluate(evaluation)[1]);
            }
            if (bar != null) {
                bar.step();
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        long stateBytes = opt.stateBytes();
        return new ComparisonRun(label, runSeed, config, losses, evalSteps.stream().mapToLong(Long::longValue).toArray(),
                accuracy.stream().mapToDouble(Double::doubleValue).toArray(), seconds, stateBytes,
                net.parameterCount());
    }

    /** The held-out batch, or the first 2,000 training examples. */
    private static Batch evaluationBatch(Data d) {
        if (d.heldOut() != null) {
            return d.heldOut().get();
        }
        int[] first = new int[Math.min(2000, d.size())];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        return d.batches().apply(first);
    }
}
