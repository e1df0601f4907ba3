package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * FLOAT64 inputs for gradient checks, in the layouts the engine must handle: contiguous, permuted (a
 * transposed view) and sliced (every other element of a larger tensor). Values are drawn so that no input
 * sits on a kink or at a tie (differences of at least about 1e-3), where central differences would lie.
 */
final class GradInputs {
    private final Rng rng;

    GradInputs(long seed) {
        this.rng = new Rng(seed);
    }

    /** Uniform in [lo, hi), contiguous. */
    Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.rand(rng, DType.FLOAT64, shape).mul(hi - lo).add(lo);
    }

    /** Standard normal, contiguous. */
    Tensor normal(int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, shape);
    }

    /** Uniform in [lo, hi) but never within 0.05 of zero: safe for relu, abs, sign and clamp at 0. */
    Tensor awayFromZero(double lo, double hi, int... shape) {
        Tensor u = uniform(lo, hi, shape);
        return u.add(u.sign().mul(0.05));
    }

    /** A view of the given shape whose last two axes are transposed in memory (not contiguous). */
    Tensor permuted(Tensor contiguous) {
        int r = contiguous.dim();
        if (r < 2) {
            return contiguous;
        }
        return contiguous.transpose(r - 2, r - 1).contiguous().transpose(r - 2, r - 1);
    }

    /** A view with the same values whose last axis has stride 2 (every other element of a larger tensor). */
    Tensor sliced(Tensor contiguous) {
        int r = contiguous.dim();
        if (r == 0) {
            return contiguous;
        }
        Tensor wide = Tensor.cat(r, contiguous.unsqueeze(r), contiguous.unsqueeze(r).mul(7)).flatten(r - 1, r);
        return wide.slice(r - 1, 0, wide.size(r - 1), 2);
    }
}
