package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, in place on the {@link Variable#grad()} tensors of a list of parameters; parameters
 * without a gradient are skipped. Global-norm clipping scales every gradient by one factor computed from the
 * norm of all of them together (the norm of the per-tensor norms); per-tensor clipping scales each gradient
 * by its own factor (Keras {@code clipnorm}); value clipping clamps each element.
 */
public final class Clipping {
    /** The epsilon torch adds to the total norm before dividing. */
    public static final double TORCH_EPSILON = 1e-6;

    /** How the scaling factor is computed from the total norm {@code N}. */
    public enum Style {
        /**
         * torch {@code clip_grad_norm_}: every gradient is multiplied by
         * {@code min(1, maxNorm/(N + 1e-6))}, even when that is 1 (a non-finite N makes the gradients NaN).
         */
        TORCH,
        /**
         * optax {@code clip_by_global_norm}: no epsilon; gradients are left as they are when
         * {@code N < maxNorm}, else replaced by {@code g / N · maxNorm}.
         */
        OPTAX
    }

    private Clipping() {
    }

    /** torch {@code clip_grad_norm_(params, maxNorm)}: the L2 global norm, TORCH style; returns the norm. */
    public static double clipGradNorm(List<Variable> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, Style.TORCH, false);
    }

    /**
     * Scales the gradients so that their global {@code normType}-norm is at most {@code maxNorm} (see
     * {@link Style}) and returns the norm they had. {@code normType} is any {@code p > 0}, or
     * {@link Double#POSITIVE_INFINITY} for the largest absolute element. With {@code errorIfNonfinite} a NaN or
     * infinite norm throws {@link ArithmeticException} before any gradient is touched. No gradients: returns 0.
     */
    public static double clipGradNorm(List<Variable> params, double maxNorm, double normType, Style style,
            boolean errorIfNonfinite) {
        if (!(maxNorm >= 0) || !(normType > 0) || style == null) {
            throw new IllegalArgumentException("Clipping.clipGradNorm: need maxNorm >= 0, normType > 0 and a style, got "
                    + maxNorm + ", " + normType + ", " + style);
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0.0;
        }
        double total = normOf(grads, normType);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new ArithmeticException("Clipping.clipGradNorm: the total norm of order " + normType
                    + " of the gradients is " + total + ", so they cannot be clipped");
        }
        if (style == Style.TORCH) {
            double factor = Math.min(1.0, maxNorm / (total + TORCH_EPSILON));
            for (Tensor g : grads) {
                g.mul_(factor);
            }
        } else if (!(total < maxNorm)) {
            for (Tensor g : grads) {
                g.div_(total).mul_(maxNorm);
            }
        }
        return total;
    }

    /**
     * The global {@code normType}-norm of the parameters' gradients: the norm of the vector of per-tensor
     * norms, which for finite {@code p} equals the norm of all elements concatenated. 0 when none has a
     * gradient.
     */
    public static double globalNorm(List<Variable> params, double normType) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("Clipping.globalNorm: normType must be > 0, got " + normType);
        }
        List<Tensor> grads = grads(params);
        return grads.isEmpty() ? 0.0 : normOf(grads, normType);
    }

    /**
     * torch {@code clip_grad_value_}: clamps every gradient element into {@code [−clipValue, clipValue]}.
     */
    public static void clipGradValue(List<Variable> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("Clipping.clipGradValue: clipValue must be >= 0, got " + clipValue);
        }
        for (Tensor g : grads(params)) {
            g.clamp_(-clipValue, clipValue);
        }
    }

    /**
     * Keras {@code clipnorm} (TensorFlow {@code tf.clip_by_norm} on each gradient): every gradient tensor is
     * clipped to L2 norm {@code maxNorm} on its own, {@code g ← g·maxNorm / max(‖g‖, maxNorm)}, computed in that
     * order as TensorFlow does (so a gradient within the bound is multiplied and divided by {@code maxNorm},
     * which may move its last bit). Returns each parameter's gradient norm before clipping, in the order of
     * {@code params}, with 0 for a parameter without a gradient (which is skipped).
     */
    public static double[] clipGradNormPerTensor(List<Variable> params, double maxNorm) {
        if (!(maxNorm > 0) || maxNorm == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("Clipping.clipGradNormPerTensor: maxNorm must be positive and finite, got "
                    + maxNorm);
        }
        double[] norms = new double[params.size()];
        for (int i = 0; i < norms.length; i++) {
            Tensor g = params.get(i).grad();
            if (g != null) {
                norms[i] = g.norm(2.0).item();
                g.mul_(maxNorm).div_(Math.max(norms[i], maxNorm));
            }
        }
        return norms;
    }

    private static List<Tensor> grads(List<Variable> params) {
        List<Tensor> out = new ArrayList<>(params.size());
        for (Variable p : params) {
            if (p.grad() != null) {
                out.add(p.grad());
            }
        }
        return out;
    }

    private static double normOf(List<Tensor> grads, double p) {
        double[] norms = new double[grads.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = tensorNorm(grads.get(i), p);
        }
        if (norms.length == 1) {
            return norms[0];
        }
        if (p == Double.POSITIVE_INFINITY) {
            double max = norms[0];
            for (double n : norms) {
                max = Double.isNaN(n) || n > max ? n : max;
            }
            return max;
        }
        return vectorNorm(norms, p);
    }

    private static double tensorNorm(Tensor g, double p) {
        if (p == 1.0 || p == 2.0 || p == Double.POSITIVE_INFINITY) {
            return g.norm(p).item();
        }
        return vectorNorm(g.toDoubleArray(), p);
    }

    /** The p-norm of {@code values}, with the largest magnitude factored out so that no power overflows. */
    private static double vectorNorm(double[] values, double p) {
        double scale = 0.0;
        for (double v : values) {
            double a = Math.abs(v);
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            scale = Math.max(scale, a);
        }
        if (scale == 0.0 || Double.isInfinite(scale)) {
            return scale;
        }
        double sum = 0.0;
        for (double v : values) {
            sum += Math.pow(Math.abs(v) / scale, p);
        }
        return scale * Math.pow(sum, 1.0 / p);
    }
}
