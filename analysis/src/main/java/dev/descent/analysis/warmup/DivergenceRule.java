package dev.descent.analysis.warmup;

/**
 * When a run counts as diverged: its training loss is NaN or infinite, or exceeds {@code lossFactor} times the
 * loss of a uniform prediction, {@code ln(classes)} (4.17 nats for tiny Shakespeare's 65 characters). The
 * reference is {@code ln(classes)} rather than the run's own first loss, so that the threshold is the same for
 * every cell of a study; a freshly initialised model starts within a few tenths of a nat of it (4.4 against 4.17
 * for the default LM). One step over the threshold is enough, and the run stops there: twice the uniform loss
 * means confidently wrong predictions, which a run that is training does not pass through. In the default
 * studies no run came near the threshold (no loss ever exceeded the run's initial loss): with Adam and
 * LayerNorm, Post-LN's failure without warmup is a stall at the unigram loss, which this rule does not call
 * divergence; the study reports it as {@code above-target} with its final loss.
 *
 * @param lossFactor the multiple of {@code ln(classes)} above which a loss counts as diverged (greater than 1)
 */
public record DivergenceRule(double lossFactor) {
    /** The default rule: twice the uniform loss. */
    public static final DivergenceRule DEFAULT = new DivergenceRule(2.0);

    /** Checks the factor. */
    public DivergenceRule {
        if (!(lossFactor > 1) || Double.isInfinite(lossFactor)) {
            throw new IllegalArgumentException("DivergenceRule: lossFactor must be a finite number > 1, got "
                    + lossFactor);
        }
    }

    /** The loss above which a run over {@code classes} output classes counts as diverged. */
    public double threshold(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("DivergenceRule.threshold: need at least 2 classes, got " + classes);
        }
        return lossFactor * Math.log(classes);
    }

    /** Whether {@code loss} counts as diverged for a model over {@code classes} output classes. */
    public boolean diverged(double loss, int classes) {
        return !Double.isFinite(loss) || loss > threshold(classes);
    }
}
