package dev.descent.analysis.rmed;

import org.jspecify.annotations.Nullable;

/**
 * The diagonal of one layer's Hessian block, exact or estimated. Arrays are shared, not copied.
 *
 * @param diagonal the diagonal entries, in the layer's row-major order
 * @param standardErrors the standard error of each estimated entry, or {@code null} when exact
 * @param products the Hessian-vector products spent
 */
public record LayerDiagonal(double[] diagonal, double @Nullable [] standardErrors, int products) {
    /** Whether the diagonal is exact. */
    public boolean exact() {
        return standardErrors == null;
    }

    /** The mean standard error of the entries (0 when exact). */
    public double meanStandardError() {
        if (standardErrors == null) {
            return 0;
        }
        double sum = 0;
        for (double e : standardErrors) {
            sum += e;
        }
        return sum / standardErrors.length;
    }

    /** R_med of this diagonal. */
    public Rmed rmed() {
        return Rmed.of(diagonal);
    }
}
