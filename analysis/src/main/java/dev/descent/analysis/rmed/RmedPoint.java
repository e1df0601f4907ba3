package dev.descent.analysis.rmed;

/**
 * One layer's R_med at one step of one optimizer's run.
 *
 * @param optimizer the optimizer's name in the study
 * @param step the optimizer steps taken (0: the shared initialisation)
 * @param layer the parameter's dotted name
 * @param loss the mean loss over the curvature data at this step
 * @param rmed the statistic, with the diagonal's max, median and negative fraction
 * @param exact whether the diagonal was exact (else estimated)
 * @param products the Hessian-vector products the diagonal cost
 * @param meanStandardError the mean standard error of the estimated diagonal entries (0 when exact)
 */
public record RmedPoint(String optimizer, long step, String layer, double loss, Rmed rmed, boolean exact,
        int products, double meanStandardError) {
}
