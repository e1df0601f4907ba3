package dev.descent.analysis.spectrum;

import dev.descent.tensor.Rng;

/**
 * The distribution of random probe and start vectors. Both have {@code E[zzᵀ] = I}, so {@code zᵀAz} is an
 * unbiased estimate of {@code tr(A)} either way; Rademacher's variance, {@code 2(‖A‖_F² − Σ A_ii²)}, never
 * exceeds Gaussian's, {@code 2‖A‖_F²}, and is zero for a diagonal {@code A}, hence the default (PH, HE1).
 */
public enum Probe {
    /** Entries ±1 with equal probability. */
    RADEMACHER,
    /** Independent standard normal entries. */
    GAUSSIAN;

    /** A probe of length {@code n} drawn from {@code rng}. */
    public double[] draw(int n, Rng rng) {
        double[] z = new double[n];
        if (this == RADEMACHER) {
            // one random bit per entry, 64 entries per draw
            for (int i = 0; i < n; i += 64) {
                long bits = rng.nextLong();
                for (int j = i; j < Math.min(n, i + 64); j++, bits >>>= 1) {
                    z[j] = (bits & 1L) == 0 ? 1.0 : -1.0;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                z[i] = rng.nextGaussian();
            }
        }
        return z;
    }

    /** A probe of length {@code n} scaled to unit Euclidean norm: a Lanczos start vector. */
    public double[] drawUnit(int n, Rng rng) {
        double[] z = draw(n, rng);
        double norm = Vectors.norm(z);
        if (norm == 0) {
            // only a Gaussian draw can vanish, and only with probability zero; draw again rather than divide by 0
            return drawUnit(n, rng);
        }
        Vectors.scale(1.0 / norm, z);
        return z;
    }
}
