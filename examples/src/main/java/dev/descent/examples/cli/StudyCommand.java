package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.gradnorm.GradNormSetup;
import dev.descent.analysis.study.LayerNormStudy;
import dev.descent.analysis.warmup.WarmupGrid;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent study}: the main study, Pre-LN against Post-LN, written up as a report with plots. */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Pre-LN against Post-LN Transformers on tiny Shakespeare: gradient norms at initialisation, a"
                + " warmup grid, and the Hessian spectra of the trained models; writes report.md with its plots.",
        description = {
            "Three parts, each in a subfolder of the run folder:",
            "  gradnorm/  |dL/dW2|_F per block at Xavier initialisation, Pre-LN and Post-LN, depths 2, 4, 6, 8, beside"
                    + " Xiong et al.'s prediction;",
            "  warmup/    8 Adam runs of 400 steps: Pre-LN and Post-LN x peak lr 3e-3 and 1e-2 x warmup 0 and 100;",
            "  hessian/   top eigenvalues and spectral densities (stochastic Lanczos quadrature) of three trained"
                    + " models at lr 1e-2: Pre-LN and Post-LN without warmup, Post-LN with warmup.",
            "report.md says what was measured and what it shows. 2 to 3 minutes on 2 cores; rerunning the same"
                    + " command in the same folder reuses the finished training runs.",
        },
        footer = {"", "Example: the study, then a rerun with other seeds (a robustness check):",
            "  descent study --out runs/study", "  descent study --seed 1 --out runs/study-seed1"})
final class StudyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/study",
            description = "The run folder (default runs/study).")
    private Path out;

    @Option(names = "--jobs", paramLabel = "J", description = "Training runs at once (default: the number of cores).")
    private Integer jobs;

    @Option(names = "--quick", description = "A miniature of the study (seconds): for trying the command out.")
    private boolean quick;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the gradient-norm"
            + " measurements; the training runs and the Hessians use S + 1 (default 0, the README's numbers).")
    private long seed;

    @Option(names = "--json", description = "Print a JSON summary on standard output (progress still goes to"
            + " standard error).")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        int j = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (j < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jobs: expected >= 1, got " + j);
        }
        LayerNormStudy.Settings settings = seeded(quick ? LayerNormStudy.Settings.quick(j)
                : LayerNormStudy.Settings.standard(j));
        long started = System.nanoTime();
        RunFolder.writeRecord(java.nio.file.Files.createDirectories(out), "study", spec.commandLine().getParseResult()
                .originalArgs(), false, seed, Map.of("quick", quick, "jobs", j), 0, 0);
        LayerNormStudy.Outcome outcome = LayerNormStudy.run(settings, out, line -> {
            System.err.println(line);
            System.err.flush();
        });
        double minutes = (System.nanoTime() - started) / 6e10;
        PrintWriter stdout = spec.commandLine().getOut();
        Path report = out.resolve("report.md");
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("report", report.toString());
            doc.put("minutes", minutes);
            doc.put("warmup_runs", outcome.warmup().results().size());
            doc.put("failed_runs", outcome.warmup().results().stream()
                    .filter(r -> !"reached-target".equals(r.status())).map(r -> r.id()).toList());
            doc.put("top_eigenvalues", outcome.hessians().stream().map(h -> List.of(h.label(), h.top()[0])).toList());
            stdout.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            stdout.printf(java.util.Locale.ROOT, "Done in %.1f minutes. The report is %s (open it in any Markdown"
                    + " viewer; the plots are beside it).%n", minutes, report.toAbsolutePath());
        }
        stdout.flush();
        return 0;
    }

    /** The settings with this run's seeds: S for the gradient norms, S + 1 for the training runs. */
    private LayerNormStudy.Settings seeded(LayerNormStudy.Settings s) {
        GradNormSetup g = s.gradNorm();
        GradNormSetup gradNorm = new GradNormSetup(g.model(), g.dModel(), g.heads(), g.dimFeedforward(), g.seqLen(),
                g.batchSize(), g.batches(), g.seeds(), seed, g.taskVocabulary());
        WarmupGrid w = s.warmup();
        WarmupGrid warmup = new WarmupGrid(w.norms(), w.peakLrs(), w.warmups(), w.optimizers(), List.of(seed + 1),
                w.settings());
        return new LayerNormStudy.Settings(s.depths(), gradNorm, warmup, s.lanczosRuns(), s.lanczosSteps(), s.jobs());
    }
}
