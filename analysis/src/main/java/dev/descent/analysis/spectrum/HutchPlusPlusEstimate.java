package dev.descent.analysis.spectrum;

/**
 * A Hutch++ estimate of {@code tr(A)}: the exact trace of A on a sketched subspace plus a Hutchinson
 * estimate of the rest.
 *
 * @param estimate {@code lowRankTrace + residualTrace}
 * @param lowRankTrace {@code tr(QᵀAQ)} on the orthonormal sketch basis Q
 * @param residualTrace the Hutchinson estimate of {@code tr((I − QQᵀ)A(I − QQᵀ))}
 * @param standardError the standard error of {@code residualTrace}, the only random part given Q
 * @param sketchRank the number of columns of Q
 * @param residualSamples the Hutchinson samples of the residual part (shared, not copied)
 * @param matvecs the operator applications spent
 */
public record HutchPlusPlusEstimate(double estimate, double lowRankTrace, double residualTrace, double standardError,
        int sketchRank, double[] residualSamples, int matvecs) {
}
