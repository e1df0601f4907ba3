package dev.descent.analysis.study;

import dev.descent.analysis.gradnorm.DepthSweep;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.warmup.CellResult;
import dev.descent.analysis.warmup.WarmupCell;
import dev.descent.analysis.warmup.WarmupSettings;
import dev.descent.nn.NormPosition;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes {@code report.md}: what each part of {@link LayerNormStudy} measured, its numbers, its plots, and
 * sentences that state what the numbers show, computed from them (so the text follows the measurement, whatever
 * it turns out to be).
 */
final class StudyMarkdown {
    private StudyMarkdown() {
    }

    static void write(StudyFolder folder, LayerNormStudy.Outcome o) {
        StringBuilder md = new StringBuilder();
        md.append("# Pre-LN against Post-LN Transformers: gradients at initialisation, warmup, curvature\n\n")
                .append("Character-level Transformer language models on tiny Shakespeare (65 characters). Every run"
                        + " is seeded; running the same command again in this folder reuses the finished training"
                        + " runs. Tables and raw numbers are in `gradnorm/`, `warmup/` and `hessian/`.\n\n");
        gradNorms(md, o);
        warmup(md, o);
        hessians(md, o);
        folder.writeString("report.md", md.toString());
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void gradNorms(StringBuilder md, LayerNormStudy.Outcome o) {
        DepthSweep s = o.gradNorms();
        var g = o.settings().gradNorm();
        md.append("## 1. Gradient norms at initialisation\n\n")
                .append(String.format(Locale.ROOT, "Measured: ‖∂L/∂W²‖_F, the Frobenius norm of the loss gradient"
                        + " with respect to the second feed-forward matrix of each block, at Xavier initialisation,"
                        + " for d_model = %d, %d heads, %d-character windows; mean and standard deviation over %d"
                        + " seeds × %d batches of %d. Xiong et al. (2020) predict that for Post-LN the last block's"
                        + " norm does not depend on the depth L, while for Pre-LN it falls like 1/√(1 + L/2).%n%n",
                        g.dModel(), g.heads(), g.seqLen(), g.seeds(), g.batches(), g.batchSize()))
                .append("| depth L | Post-LN, last block | Pre-LN, last block | Pre-LN predicted |\n|---:|---:|---:|---:|\n");
        double[] post = s.lastLayerMean(NormPosition.POST);
        double[] postSd = s.lastLayerStd(NormPosition.POST);
        double[] pre = s.lastLayerMean(NormPosition.PRE);
        double[] preSd = s.lastLayerStd(NormPosition.PRE);
        double[] predicted = s.predicted(NormPosition.PRE);
        for (int i = 0; i < s.depths().length; i++) {
            md.append(String.format(Locale.ROOT, "| %d | %s ± %s | %s ± %s | %s |%n", s.depths()[i], f(post[i]),
                    f(postSd[i]), f(pre[i]), f(preSd[i]), f(predicted[i])));
        }
        int last = post.length - 1;
        double postChange = post[last] / post[0] - 1;
        double preChange = pre[last] / pre[0] - 1;
        double preTheory = predicted[last] / predicted[0] - 1;
        md.append(String.format(Locale.ROOT, "%nFrom L = %d to L = %d, Post-LN's last-block norm changed by %+.0f%%"
                + " and Pre-LN's by %+.0f%% (the 1/√(1 + L/2) law: %+.0f%%). %s%n%n", s.depths()[0], s.depths()[last],
                100 * postChange, 100 * preChange, 100 * preTheory,
                Math.abs(postChange) < 0.3 && preChange < -0.2
                        ? "This is the paper's depth dependence: Post-LN's gradient near the output stays large as"
                        + " the model gets deeper, Pre-LN's shrinks, so Post-LN takes larger steps at the top at the"
                        + " start of training."
                        : "This run does not show the paper's depth dependence cleanly; see the plots."))
                .append("![last block against depth](gradnorm/depth.png)\n\n")
                .append("![per block](gradnorm/per_layer.png)\n\n");
    }

    private static void warmup(StringBuilder md, LayerNormStudy.Outcome o) {
        WarmupSettings w = o.settings().warmup().settings();
        var size = w.size();
        md.append("## 2. Warmup\n\n").append(String.format(Locale.ROOT, "Measured: %d training runs of %d steps"
                + " (Adam, β = (0.9, 0.98), batch %d, a %d-block model with d_model = %d), each Pre-LN or Post-LN,"
                + " at a peak learning rate reached after a linear warmup of 0 or more steps and kept after."
                + " Final loss: the mean of the last %d steps; target loss %s; the loss of predicting character"
                + " frequencies alone is about 3.3 and of a uniform guess ln 65 = 4.17.%n%n",
                o.warmup().results().size(), w.steps(), w.batchSize(), size.layers(), size.dModel(), w.window(),
                f(w.targetLoss())))
                .append("| norm | peak lr | warmup | seed | final loss | steps to target | status |\n")
                .append("|---|---:|---:|---:|---:|---:|---|\n");
        for (CellResult r : o.warmup().results()) {
            WarmupCell c = r.cell();
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s |%n", label(c.norm()),
                    WarmupCell.compact(c.peakLr()), c.warmup(), c.seed(), f(r.finalLoss()),
                    r.stepsToTarget() == null ? "never" : r.stepsToTarget(), r.status()));
        }
        List<CellResult> failed = o.warmup().results().stream().filter(r -> !CellResult.REACHED.equals(r.status()))
                .toList();
        md.append('\n');
        if (failed.isEmpty()) {
            md.append("Every run reached the target loss: at these learning rates neither norm position needed"
                    + " warmup.\n\n");
        } else {
            md.append("Runs that did not reach the target: ").append(failed.stream().map(r -> String.format(
                    Locale.ROOT, "%s at lr %s with warmup %d (final loss %s, %s)", label(r.cell().norm()),
                    WarmupCell.compact(r.cell().peakLr()), r.cell().warmup(), f(r.finalLoss()), r.status()))
                    .collect(Collectors.joining("; "))).append(". ");
            boolean paper = failed.stream().allMatch(r -> r.cell().norm() == NormPosition.POST
                    && r.cell().warmup() == 0);
            md.append(paper ? "Every failure is Post-LN without warmup, and the same settings with warmup, or with"
                    + " Pre-LN, trained: Post-LN needs warmup at a large learning rate and Pre-LN does not, as Xiong"
                    + " et al. report.\n\n"
                    : "Not every failure is Post-LN without warmup; the paper's pattern is not clean here.\n\n");
        }
        for (double lr : o.settings().warmup().peakLrs()) {
            md.append(String.format(Locale.ROOT, "![loss at lr %s](warmup/loss-adam-lr%s.png)%n%n",
                    WarmupCell.compact(lr), WarmupCell.compact(lr)));
        }
        md.append("![gradient norms at step 0](warmup/grad-norm-step0.png)\n\n")
                .append("![final loss against warmup](warmup/final-loss.png)\n\n");
    }

    private static void hessians(StringBuilder md, LayerNormStudy.Outcome o) {
        md.append("## 3. Hessian spectra of the trained models\n\n").append(String.format(Locale.ROOT,
                "Measured: the Hessian of the training loss on one batch, at the final weights of three runs at the"
                        + " largest learning rate, by Lanczos with full reorthogonalisation (%d runs of %d steps,"
                        + " Hessian-vector products by double backpropagation, float32): the top Ritz values of the"
                        + " first run with their residuals, and a spectral density by stochastic Lanczos quadrature"
                        + " (PyHessian's smoothing, log scale).%n%n", o.settings().lanczosRuns(),
                o.settings().lanczosSteps()))
                .append("| model | parameters | top eigenvalues | largest residual | trace (SLQ) |\n")
                .append("|---|---:|---|---:|---:|\n");
        for (HessianSummary h : o.hessians()) {
            double worst = 0;
            for (double r : h.residuals()) {
                worst = Math.max(worst, r);
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2g | %.4g |%n", h.label(), h.parameters(),
                    java.util.Arrays.stream(h.top()).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v))
                            .collect(Collectors.joining(", ")), worst, h.slq().traceEstimate()));
        }
        HessianSummary pre = o.hessians().get(0);
        HessianSummary stalled = o.hessians().get(1);
        HessianSummary warmed = o.hessians().get(2);
        md.append(String.format(Locale.ROOT, "%nThe top eigenvalue is %.3g for Pre-LN without warmup, %.3g for"
                + " Post-LN without warmup and %.3g for Post-LN with warmup. ", pre.top()[0], stalled.top()[0],
                warmed.top()[0]));
        boolean postFailed = o.warmup().results().stream().anyMatch(r -> r.cell().norm() == NormPosition.POST
                && r.cell().warmup() == 0 && r.cell().peakLr() == maxLr(o) && !CellResult.REACHED.equals(r.status()));
        double stalledTrace = stalled.slq().traceEstimate();
        double trainedTrace = Math.min(pre.slq().traceEstimate(), warmed.slq().traceEstimate());
        if (!postFailed) {
            md.append("Post-LN without warmup trained in this run, so there is no failed model to compare.\n\n");
        } else if (stalledTrace < 0.5 * trainedTrace) {
            md.append(String.format(Locale.ROOT, "The Post-LN run that failed without warmup ends in a flatter"
                    + " region than the runs that trained: the trace of its Hessian is %.1f times smaller than the"
                    + " smaller of theirs, consistent with a model stuck near the unigram solution whose lower"
                    + " blocks no longer get gradient. ", trainedTrace / stalledTrace));
        } else {
            md.append("The Post-LN run that failed without warmup is not clearly flatter than the runs that"
                    + " trained. ");
        }
        if (postFailed && warmed.top().length > 1 && warmed.top()[0] > 5 * pre.top()[0]
                && warmed.top()[0] > 5 * warmed.top()[1]) {
            md.append(String.format(Locale.ROOT, "Post-LN trained with warmup ends with one sharp direction far"
                    + " above the rest of its spectrum (%.3g against a next eigenvalue of %.3g), which Pre-LN at"
                    + " the same learning rate does not have (%.3g).", warmed.top()[0], warmed.top()[1],
                    pre.top()[0]));
        }
        md.append("\n\n");
        for (HessianSummary h : o.hessians()) {
            md.append("![").append(h.label()).append("](hessian/").append(h.cellId()).append("-density.png)\n\n");
        }
    }

    private static double maxLr(LayerNormStudy.Outcome o) {
        return o.settings().warmup().peakLrs().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static String label(NormPosition n) {
        return n == NormPosition.PRE ? "Pre-LN" : "Post-LN";
    }
}
