package dev.descent.analysis.study;

import dev.descent.analysis.gradnorm.DepthSweep;
import dev.descent.analysis.gradnorm.GradNormReport;
import dev.descent.analysis.gradnorm.GradNormSetup;
import dev.descent.analysis.gradnorm.GradientNormsAtInit;
import dev.descent.analysis.gradnorm.ModelKind;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.spectrum.SpectralDensity;
import dev.descent.analysis.warmup.ModelSize;
import dev.descent.analysis.warmup.StudyResult;
import dev.descent.analysis.warmup.TrainedCells;
import dev.descent.analysis.warmup.WarmupCell;
import dev.descent.analysis.warmup.WarmupGrid;
import dev.descent.analysis.warmup.WarmupSettings;
import dev.descent.analysis.warmup.WarmupStudy;
import dev.descent.analysis.warmup.WarmupTask;
import dev.descent.nn.NormPosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The main study: (1) gradient norms at initialisation of Pre-LN and Post-LN character LMs against depth (Xiong et
 * al., Figure 3); (2) a warmup grid, Pre-LN and Post-LN × two peak learning rates × warmup 0 and 100 with Adam on
 * tiny Shakespeare; (3) the Hessian of three trained models of the grid at the larger learning rate: Pre-LN
 * without warmup, Post-LN without warmup, Post-LN with warmup. It writes each part's tables and plots into a
 * subfolder and a report that says what was measured and what it shows ({@link StudyMarkdown}).
 */
public final class LayerNormStudy {
    /**
     * The study's sizes.
     *
     * @param depths        the depths of the gradient-norm sweep (the largest also gives the per-layer plot)
     * @param gradNorm      the gradient-norm setup
     * @param warmup        the warmup grid (its largest peak learning rate is the one whose models are analysed)
     * @param lanczosRuns   Lanczos runs per Hessian (the first gives the top eigenvalues)
     * @param lanczosSteps  steps per run
     * @param jobs          threads for the warmup grid
     */
    public record Settings(int[] depths, GradNormSetup gradNorm, WarmupGrid warmup, int lanczosRuns,
                           int lanczosSteps, int jobs) {
        /** The README's study: 2 to 3 minutes on 2 cores. */
        public static Settings standard(int jobs) {
            return new Settings(new int[] {2, 4, 6, 8}, GradNormSetup.builder(ModelKind.LM).dModel(64).heads(4)
                    .seqLen(32).batchSize(8).seeds(5).batches(4).build(),
                    new WarmupGrid(List.of(NormPosition.PRE, NormPosition.POST), List.of(3e-3, 1e-2),
                            List.of(0L, 100L), List.of("Adam"), List.of(1L), WarmupSettings.defaults(WarmupTask.LM)),
                    3, 30, jobs);
        }

        /** A miniature of the same study for tests: seconds, not minutes. */
        public static Settings quick(int jobs) {
            WarmupSettings base = WarmupSettings.defaults(WarmupTask.LM);
            WarmupSettings small = new WarmupSettings(WarmupTask.LM, 40, 8, new ModelSize(32, 2, 2, 64, 16),
                    base.decay(), base.targetLoss(), base.divergence(), List.of(0L, 10L), base.window(),
                    base.optimizerOptions(), base.seq2seqVocabulary());
            return new Settings(new int[] {2, 4}, GradNormSetup.builder(ModelKind.LM).dModel(32).heads(2)
                    .seqLen(16).batchSize(4).seeds(2).batches(2).build(),
                    new WarmupGrid(List.of(NormPosition.PRE, NormPosition.POST), List.of(3e-3, 1e-2),
                            List.of(0L, 10L), List.of("Adam"), List.of(1L), small),
                    2, 10, jobs);
        }
    }

    /** What the study measured. */
    public record Outcome(Settings settings, DepthSweep gradNorms, StudyResult warmup, List<HessianSummary> hessians) {
    }

    private LayerNormStudy() {
    }

    /** Runs the study into {@code folder}, telling {@code progress} what it does; writes report.md last. */
    public static Outcome run(Settings s, Path folder, Consumer<String> progress) {
        StudyFolder root = new StudyFolder(folder);
        progress.accept("[1/3] gradient norms at initialisation, depths " + java.util.Arrays.toString(s.depths()));
        DepthSweep sweep = new GradientNormsAtInit(s.gradNorm())
                .onMeasured(m -> progress.accept(String.format(java.util.Locale.ROOT,
                        "      %s-LN, %d layers: last layer %.3f", m.norm() == NormPosition.PRE ? "Pre" : "Post",
                        m.layers(), m.output().mean()[m.layers() - 1])))
                .sweep(s.depths());
        GradNormReport.write(new StudyFolder(folder.resolve("gradnorm")), sweep, s.depths()[s.depths().length - 1]);

        int cells = s.warmup().cells().size();
        progress.accept("[2/3] warmup grid: " + cells + " runs of " + s.warmup().settings().steps()
                + " steps on " + s.jobs() + " threads (runs finished earlier in this folder are reused)");
        StudyResult warmup = WarmupStudy.run(s.warmup(), folder.resolve("warmup"), s.jobs(),
                (r, reused, done, total) -> progress.accept(String.format(java.util.Locale.ROOT,
                        "      %d/%d %s: final loss %.3f, %s%s", done, total, r.id(), r.finalLoss(), r.status(),
                        reused ? " (from an earlier run)" : "")));
        progress.accept("      " + warmup.trained() + " trained now, " + warmup.reused() + " reused");

        progress.accept("[3/3] Hessian spectra of three trained models (" + s.lanczosRuns() + " Lanczos runs of "
                + s.lanczosSteps() + " steps each)");
        double lr = s.warmup().peakLrs().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        long longest = s.warmup().warmups().stream().mapToLong(Long::longValue).max().orElseThrow();
        long seed = s.warmup().seeds().get(0);
        TrainedCells trained = new TrainedCells(s.warmup().settings(), folder.resolve("warmup"));
        List<HessianSummary> hessians = new ArrayList<>();
        StudyFolder hessianFolder = new StudyFolder(folder.resolve("hessian"));
        for (WarmupCell cell : List.of(new WarmupCell(NormPosition.PRE, "Adam", lr, 0, seed),
                new WarmupCell(NormPosition.POST, "Adam", lr, 0, seed),
                new WarmupCell(NormPosition.POST, "Adam", lr, longest, seed))) {
            String label = (cell.norm() == NormPosition.PRE ? "Pre-LN" : "Post-LN") + ", warmup " + cell.warmup();
            HessianSummary h = HessianSummary.of(label, cell.id(), trained.load(cell, 1), s.lanczosRuns(), s.lanczosSteps(), 5,
                    seed);
            progress.accept(String.format(java.util.Locale.ROOT, "      %s: top eigenvalue %.4g", label, h.top()[0]));
            String file = cell.id();
            h.slq().writeCsv(hessianFolder, file + "-slq.csv");
            SpectralDensity density = SpectralDensity.pyHessian(h.slq());
            hessianFolder.writePlot(file + "-density.png", density.plot("Hessian spectral density, " + label
                    + " (lr " + lr + ")"));
            hessians.add(h);
        }
        Outcome outcome = new Outcome(s, sweep, warmup, hessians);
        StudyMarkdown.write(root, outcome);
        return outcome;
    }
}
