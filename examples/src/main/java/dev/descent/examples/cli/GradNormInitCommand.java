package dev.descent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.gradnorm.DepthSweep;
import dev.descent.analysis.gradnorm.GradNormReport;
import dev.descent.analysis.gradnorm.GradNormSetup;
import dev.descent.analysis.gradnorm.GradientNormsAtInit;
import dev.descent.analysis.gradnorm.ModelKind;
import dev.descent.analysis.gradnorm.PerLayerNorms;
import dev.descent.analysis.gradnorm.StackNorms;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.NormPosition;
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
 * {@code descent gradnorm-init}: Xiong et al.'s Figure 3 at initialisation, the per-layer gradient norm of each
 * layer's second feed-forward matrix for a Pre-LN or Post-LN Transformer, and with {@code --depths} the last
 * layer's norm against depth for both, beside the mean-field predictions; writes a run folder.
 */
@Command(
        name = "gradnorm-init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Gradient norms of W2 per layer at initialisation, Pre-LN or Post-LN (Xiong et al. 2020, Fig. 3).",
        description = {
            "Builds the Transformer (--model lm: a decoder-only char LM on tiny Shakespeare; encdec: an encoder-"
                    + "decoder with L + L layers on sequence reversal), re-initialises it Xavier-normal (biases 0,"
                    + " LayerNorm 1/0, embeddings N(0,1)), and measures ||dL/dW2,l||_F of every layer l on the"
                    + " token cross-entropy, over --seeds initialisations x --batches batches: mean and std.",
            "With --depths, also measures Pre-LN and Post-LN at every depth and sets the last layer's norm"
                    + " beside the mean-field prediction: Post-LN independent of L, Pre-LN ~ 1/sqrt(1 + L/2),"
                    + " both anchored at the first depth.",
            "The run folder (--out, default ./runs/<time>-gradnorm-<model>-<norm>) gets command.txt, run.json (the command,"
                    + " versions and seed), result.json (what --json prints), per_layer.csv and per_layer.png (Pre-LN and Post-LN when --depths includes"
                    + " --layers), and with --depths depth.csv and depth.png.",
        },
        footer = {
            "",
            "Example: a 6-layer Post-LN char LM per layer, and the depth sweep, as JSON:",
            "  descent gradnorm-init --layers 6 --d-model 64 --heads 4 --norm post \\",
            "      --depths 2,4,6,8,12 --json",
            "prints one line:",
            "  {\"model\":\"lm\",\"norm\":\"post\",\"layers\":6,...,\"per_layer\":[1.24,...],",
            "   \"std\":[0.35,...],\"prediction\":{\"per_layer\":[...],...},...,",
            "   \"depth_sweep\":{\"depths\":[2,4,6,8,12],...}}",
        })
final class GradNormInitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "6",
            description = "Layers (per stack for encdec) of the per-layer measurement (default 6).")
    private int layers;

    @Option(names = "--d-model", paramLabel = "D", defaultValue = "64", description = "Model width (default 64).")
    private int dModel;

    @Option(names = "--heads", paramLabel = "H", defaultValue = "4", description = "Attention heads (default 4).")
    private int heads;

    @Option(names = "--ff", paramLabel = "F", description = "Feed-forward width (default 4 D).")
    private Integer ff;

    @Option(names = "--norm", required = true, paramLabel = "pre|post", description = "Where the LayerNorms go.")
    private String norm;

    @Option(names = "--model", paramLabel = "lm|encdec", defaultValue = "lm",
            description = "Decoder-only LM or encoder-decoder (default lm).")
    private String model;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "5", description = "Initialisations (default 5).")
    private int seeds;

    @Option(names = "--batches", paramLabel = "B", defaultValue = "10",
            description = "Batches per initialisation (default 10).")
    private int batches;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Sequences per batch"
            + " (default 8).")
    private int batchSize;

    @Option(names = "--seq-len", paramLabel = "T", defaultValue = "32", description = "Tokens per sequence"
            + " (default 32).")
    private int seqLen;

    @Option(names = "--depths", paramLabel = "L1,L2,...", split = ",",
            description = "Depths of the last-layer sweep, increasing, e.g. 2,4,6,8,12 (default: no sweep).")
    private int[] depths;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0",
            description = "Seed of the batches and of the initialisations (default 0).")
    private long seed;

    @Option(names = "--json", description = "No progress bar; print one JSON object on standard output.")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default ./runs/<time>-gradnorm-...).")
    private Path out;

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        NormPosition position = parseNorm();
        GradNormSetup setup = setup();
        if (layers < 1) {
            throw bad("--layers: expected L >= 1, got " + layers);
        }
        // a sweep through --layers already holds this configuration, measured with the same seeds and batches
        boolean swept = depths != null && contains(depths, layers);
        GradientNormsAtInit study = new GradientNormsAtInit(setup);
        DepthSweep sweep;
        PerLayerNorms measured;
        try (ProgressBar bar = progressBar((depths == null ? 0 : 2 * depths.length) + (swept ? 0 : 1))) {
            if (bar != null) {
                study.onMeasured(m -> bar.step());
            }
            sweep = depths == null ? null : study.sweep(depths);
            measured = swept ? sweep.at(position, layers) : study.measure(position, layers);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Path run = out != null ? out
                : AnalysisRun.defaultPath("gradnorm", setup.model().cliName(), norm.toLowerCase(Locale.ROOT));
        StudyFolder folder = new StudyFolder(run);
        GradNormReport.writePerLayer(folder, swept
                ? List.of(sweep.at(NormPosition.PRE, layers), sweep.at(NormPosition.POST, layers)) : List.of(measured));
        if (sweep != null) {
            GradNormReport.writeDepth(folder, sweep);
        }
        Map<String, Object> doc = document(setup, measured, sweep, run);
        folder.writeJson("result.json", doc);
        AnalysisRun.writeRecord(folder, "gradnorm-init", spec.commandLine().getParseResult().originalArgs(), seed,
                Map.of("config", doc.get("config")));
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            printSummary(stdout, measured, sweep, run);
        }
        stdout.flush();
        return 0;
    }

    /** A progress bar over {@code configurations} measurements on standard error, or null with --json. */
    private ProgressBar progressBar(int configurations) {
        return json ? null : new ProgressBarBuilder().setTaskName("gradnorm-init").setInitialMax(configurations)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    private NormPosition parseNorm() {
        return switch (norm.toLowerCase(Locale.ROOT)) {
            case "pre" -> NormPosition.PRE;
            case "post" -> NormPosition.POST;
            default -> throw bad("--norm: expected pre or post, got '" + norm + "'");
        };
    }

    private GradNormSetup setup() {
        try {
            GradNormSetup.Builder b = GradNormSetup.builder(ModelKind.parse(model)).dModel(dModel).heads(heads)
                    .seqLen(seqLen).batchSize(batchSize).batches(batches).seeds(seeds).seed(seed);
            return (ff != null ? b.dimFeedforward(ff) : b).build();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static boolean contains(int[] values, int value) {
        return Arrays.stream(values).anyMatch(v -> v == value);
    }

    private Map<String, Object> document(GradNormSetup setup, PerLayerNorms measured, DepthSweep sweep, Path run) {
        Map<String, Object> doc = new LinkedHashMap<>(GradNormReport.json(measured));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("d_model", setup.dModel());
        config.put("heads", setup.heads());
        config.put("dim_feedforward", setup.dimFeedforward());
        config.put("seq_len", setup.seqLen());
        config.put("batch_size", setup.batchSize());
        config.put("batches", setup.batches());
        config.put("seeds", setup.seeds());
        config.put("seed", setup.seed());
        doc.put("config", config);
        if (sweep != null) {
            doc.put("depth_sweep", GradNormReport.json(sweep));
        }
        doc.put("run", run.toString());
        return doc;
    }

    private static void printSummary(PrintWriter out, PerLayerNorms m, DepthSweep sweep, Path run) {
        out.printf(Locale.ROOT, "%s %s, L = %d, %d samples per layer, mean initial loss %.4f%n", m.model().cliName(),
                m.norm() == NormPosition.PRE ? "Pre-LN" : "Post-LN", m.layers(), m.samples(), m.meanLoss());
        for (StackNorms s : m.stacks()) {
            List<String> cells = new ArrayList<>();
            for (int l = 0; l < s.layers(); l++) {
                cells.add(String.format(Locale.ROOT, "%.3f±%.3f", s.mean()[l], s.std()[l]));
            }
            out.printf(Locale.ROOT, "  %-8s |dL/dW2,l|_F, l = 1..%d: %s%n", s.stack(), s.layers(),
                    String.join("  ", cells));
        }
        if (sweep != null) {
            out.printf(Locale.ROOT, "last layer against depth (%s), measured / mean field:%n",
                    sweep.pre().get(0).output().stack());
            for (NormPosition p : List.of(NormPosition.POST, NormPosition.PRE)) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < sweep.depths().length; i++) {
                    cells.add(String.format(Locale.ROOT, "L=%d %.3f / %.3f", sweep.depths()[i],
                            sweep.lastLayerMean(p)[i], sweep.predicted(p)[i]));
                }
                out.printf(Locale.ROOT, "  %-7s %s%n", p == NormPosition.PRE ? "Pre-LN" : "Post-LN",
                        String.join("  ", cells));
            }
        }
        out.printf("run folder %s%n", run);
    }
}
