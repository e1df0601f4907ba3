package dev.descent.optim;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

/**
 * Helpers shared by the paper optimizers of spec/optimizers.md §§6, 8, 9, 11 and by LARS and LAMB: norms and
 * hyperparameter checks whose failures name the optimizer, the hyperparameter, its value and what was
 * expected, as {@link Validation} does.
 */
final class Paper2Support {
    private Paper2Support() {
    }

    /** The L2 norm of all elements of {@code t}, as a double. */
    static double norm(Tensor t) {
        return t.norm(2).item();
    }

    /**
     * The L2 norm of a tensor of {@code dtype} from the sum of its squares as a fused rule outputs it: the
     * value {@link #norm(Tensor)} gives (the sum rounded to the dtype, its square root in the dtype).
     */
    static double norm(double sumOfSquares, DType dtype) {
        double sum = sum(sumOfSquares, dtype);
        return dtype == DType.FLOAT32 ? (float) Math.sqrt(sum) : Math.sqrt(sum);
    }

    /** A sum as a fused rule outputs it, rounded to {@code dtype} as a tensor sum's {@code item()} gives it. */
    static double sum(double sum, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) sum : sum;
    }

    /** {@code RMS(t) = ‖t‖ / sqrt(numel(t))} (spec §0). */
    static double rms(Tensor t) {
        return norm(t) / Math.sqrt(t.numel());
    }

    /** The machine epsilon of a floating-point dtype ({@code torch.finfo(dtype).eps}). */
    static double machineEpsilon(DType dtype) {
        return dtype == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
    }

    static IllegalArgumentException invalid(String optimizer, String key, double value, String expected) {
        return new IllegalArgumentException(optimizer + ": invalid " + key + " " + value + " (expected " + expected
                + ")");
    }

    /** Requires {@code key >= 0}. */
    static void nonNegative(String optimizer, ParamGroup g, String... keys) {
        Validation.nonNegative(optimizer, g, keys);
    }

    /** Requires {@code 0 <= key < 1}. */
    static void beta(String optimizer, ParamGroup g, String... keys) {
        for (String key : keys) {
            Validation.inRange(optimizer, g, key, 0.0, 1.0, false);
        }
    }

    /** Requires 0/1 flags. */
    static void flags(String optimizer, ParamGroup g, String... keys) {
        Validation.flags(optimizer, g, keys);
    }

    /** Requires a learning rate that was given (not NaN, the "required" default) and is {@code >= 0}. */
    static void requiredLr(String optimizer, ParamGroup g) {
        double lr = g.get("lr");
        if (Double.isNaN(lr)) {
            throw invalid(optimizer, "lr", lr, "a learning rate: lr is required");
        }
        Validation.nonNegative(optimizer, g, "lr");
    }
}
