package dev.descent.examples.cli;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.warmup.DivergenceRule;
import dev.descent.analysis.warmup.LrDecay;
import dev.descent.analysis.warmup.ModelSize;
import dev.descent.analysis.warmup.StudyResult;
import dev.descent.analysis.warmup.WarmupGrid;
import dev.descent.analysis.warmup.WarmupSettings;
import dev.descent.analysis.warmup.WarmupStudy;
import dev.descent.analysis.warmup.WarmupTask;
import dev.descent.nn.NormPosition;
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
 * {@code descent warmup-study}: Xiong et al.'s warmup experiment as a grid (norm position × peak lr × warmup ×
 * optimizer × seed), run in parallel and resumably into a study folder; prints the results table, or one JSON
 * object with {@code --json}.
 */
@Command(
        name = "warmup-study",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Train Pre-LN and Post-LN Transformers over a grid of peak learning rates and warmups; tabulate"
                + " and plot.",
        description = {
            "Tasks (--task): lm, a character Transformer LM on tiny Shakespeare (uniform loss ln 65 = 4.17, unigram"
                    + " loss 3.31); seq2seq, an encoder-decoder reversing random sequences (uniform loss ln V).",
            "Each cell trains with linear warmup to the peak lr (update u runs at u/W * peak), then a constant or"
                    + " inverse-sqrt rate; Adam-family optimizers use betas 0.9,0.98 unless --opt sets them.",
            "A run diverges (and stops) when its loss is NaN/Inf or above --divergence-factor * ln(classes). The"
                    + " final loss is the mean of the last --window losses; steps to target is the first step at"
                    + " which the mean of the last --window losses is at or below --target-loss.",
            "The study folder (--out) gets command.txt and run.json (the command, versions and seeds),"
                    + " runs/<cell>/{result.json,loss.csv} as each cell finishes, then"
                    + " results.csv, summary.csv, results.json, loss-<optimizer>-lr<peak>.png, grad-norm-step0.png and"
                    + " final-loss.png. Run the same command again to resume: finished cells are loaded, the rest"
                    + " (including a cell cut off mid-run) are trained from step 0.",
            "Cells run on --jobs threads; the tensor library runs single-threaded meanwhile, so results do not"
                    + " depend on --jobs.",
        },
        footer = {
            "",
            "Example: the default LM grid (16 runs of 400 steps) on 2 cores:",
            "  descent warmup-study --jobs 2 --out runs/warmup-lm",
            "A small custom grid, as JSON:",
            "  descent warmup-study --task seq2seq --norm post --lr 5e-3 \\",
            "      --warmup 0,50,200 --optimizer adam,radam --seeds 1 --steps 300 --json",
        })
final class WarmupStudyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "lm", description = "lm or seq2seq (default lm).")
    private String task;

    @Option(names = "--norm", split = ",", paramLabel = "LIST", description = "pre and/or post (default pre,post).")
    private List<String> norms;

    @Option(names = "--lr", split = ",", paramLabel = "LIST",
            description = "Peak learning rates (default 3e-3,1e-2 for lm, 1e-3,5e-3 for seq2seq).")
    private List<Double> lrs;

    @Option(names = "--warmup", split = ",", paramLabel = "LIST", description = "Warmup updates (default 0,100).")
    private List<Long> warmups;

    @Option(names = "--optimizer", split = ",", paramLabel = "LIST",
            description = "Optimizers of `descent optimizers` (default Adam).")
    private List<String> optimizers;

    @Option(names = "--seeds", split = ",", paramLabel = "LIST", description = "The seeds, e.g. 1,2,3 (default 1,2).")
    private List<Long> seeds;

    @Option(names = "--seed", paramLabel = "S", description = "One seed: the same as --seeds S.")
    private Long seed;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "A hyperparameter for every optimizer, as the reference writes it (repeatable).")
    private List<String> opts = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "Updates per run (default 400).")
    private Long steps;

    @Option(names = "--batch-size", paramLabel = "B", description = "Sequences per batch (default 16).")
    private Integer batchSize;

    @Option(names = "--d-model", paramLabel = "D", description = "Model width (default 64).")
    private Integer dModel;

    @Option(names = "--heads", paramLabel = "H", description = "Attention heads (default 4).")
    private Integer heads;

    @Option(names = "--layers", paramLabel = "L", description = "Blocks, per stack for seq2seq (default 6 lm, 3 seq2seq).")
    private Integer layers;

    @Option(names = "--feedforward", paramLabel = "F", description = "Feed-forward width (default 4 * d-model).")
    private Integer feedforward;

    @Option(names = "--seq-len", paramLabel = "T", description = "Sequence length (default 32 lm, 12 seq2seq).")
    private Integer seqLen;

    @Option(names = "--vocab", paramLabel = "V", description = "seq2seq: distinct tokens (default 16).")
    private Integer vocab;

    @Option(names = "--decay", paramLabel = "KIND", description = "After warmup: constant or inverse-sqrt (default"
            + " constant).")
    private String decay;

    @Option(names = "--target-loss", paramLabel = "X", description = "Target loss (default 2.6 lm, 1.0 seq2seq).")
    private Double targetLoss;

    @Option(names = "--divergence-factor", paramLabel = "F",
            description = "Diverged above F * ln(classes) (default 2).")
    private Double divergenceFactor;

    @Option(names = "--grad-steps", split = ",", paramLabel = "LIST",
            description = "Steps at which per-tensor gradient norms are recorded, besides the last (default 0,10,100).")
    private List<Long> gradSteps;

    @Option(names = "--window", paramLabel = "K", description = "Losses averaged for the final loss (default 20).")
    private Integer window;

    @Option(names = "--jobs", paramLabel = "J", description = "Cells run at once (default: available processors).")
    private Integer jobs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The study folder (default ./runs/warmup-study-<task>); run again with it to resume.")
    private Path out;

    @Option(names = "--json", description = "No progress; print one JSON object (folder, settings, grid, cells).")
    private boolean json;

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() {
        if (seed != null && seeds != null) {
            throw bad("--seed and --seeds: give one of them, got --seed " + seed + " and --seeds " + seeds);
        }
        WarmupGrid grid;
        try {
            grid = grid();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (threads < 1) {
            throw bad("--jobs: expected J >= 1, got " + threads);
        }
        Path folder = out != null ? out : Path.of("runs", "warmup-study-" + grid.settings().task().label());
        PrintWriter err = spec.commandLine().getErr();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StudyFolder record = new StudyFolder(folder);
        AnalysisRun.writeRecord(record, "warmup-study", args, grid.seeds().get(0), Map.of("seeds", grid.seeds()));
        long start = System.nanoTime();
        StudyResult result;
        try {
            result = WarmupStudy.run(grid, folder, threads, (r, reused, done, total) -> {
                if (!json) {
                    err.printf(Locale.ROOT, "[%d/%d] %s %s: final loss %.4f, %s%n", done, total, r.id(),
                            reused ? "loaded" : "trained", r.finalLoss(), r.status());
                    err.flush();
                }
            });
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(StudyFolder.toJson(WarmupStudyOutput.document(grid, result, seconds)));
        } else {
            stdout.print(WarmupStudyOutput.table(result.results()));
            stdout.printf(Locale.ROOT, "%d cells trained, %d loaded, %.1f s; study folder %s%n", result.trained(),
                    result.reused(), seconds, folder);
        }
        stdout.flush();
        return 0;
    }

    private WarmupGrid grid() {
        WarmupTask t = WarmupTask.parse(task);
        WarmupGrid d = WarmupGrid.defaults(t);
        WarmupSettings s = d.settings();
        ModelSize z = s.size();
        int width = or(dModel, z.dModel());
        ModelSize size = new ModelSize(width, or(heads, z.heads()), or(layers, z.layers()),
                or(feedforward, dModel == null ? z.feedforward() : 4 * width), or(seqLen, z.seqLen()));
        long n = or(steps, s.steps());
        WarmupSettings settings = new WarmupSettings(t, n, or(batchSize, s.batchSize()), size,
                decay == null ? s.decay() : LrDecay.parse(decay), or(targetLoss, s.targetLoss()),
                divergenceFactor == null ? s.divergence() : new DivergenceRule(divergenceFactor),
                or(gradSteps, s.gradientSteps()), or(window, (int) Math.min(s.window(), n)), parseOpts(),
                or(vocab, s.seq2seqVocabulary()));
        List<NormPosition> normList = norms == null ? d.norms() : norms.stream().map(WarmupStudyCommand::norm).toList();
        return new WarmupGrid(normList, or(lrs, d.peakLrs()), or(warmups, d.warmups()), or(optimizers, d.optimizers()),
                seed != null ? List.of(seed) : or(seeds, d.seeds()), settings);
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }

    private static NormPosition norm(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "pre" -> NormPosition.PRE;
            case "post" -> NormPosition.POST;
            default -> throw new IllegalArgumentException("--norm: expected pre or post, got '" + name + "'");
        };
    }

    private Map<String, String> parseOpts() {
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : opts) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--opt: expected KEY=VALUE, got '" + o + "'");
            }
            if (options.put(o.substring(0, eq).trim(), o.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--opt: " + o.substring(0, eq).trim() + " given more than once");
            }
        }
        return options;
    }
}
