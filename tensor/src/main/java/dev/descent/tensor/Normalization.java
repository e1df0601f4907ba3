package dev.descent.tensor;

import org.jspecify.annotations.Nullable;

/**
 * Layer normalisation as fused kernels: the forward pass (with the per-row mean and reciprocal standard
 * deviation a backward pass reuses) and the first-order backward pass, each one or two passes over memory
 * where the composition of elementwise operations takes about ten. Rows are the leading dimensions; the
 * normalised part is the last {@code normalizedSize} elements of each row (biased variance, as PyTorch).
 */
public final class Normalization {
    private Normalization() {
    }

    /** The normalised output and, per row, the mean and 1 / sqrt(variance + eps) (shape [rows]). */
    public record LayerNormResult(Tensor output, Tensor mean, Tensor rstd) {
    }

    /** The gradients of the input, the weight and the bias (null where not asked for). */
    public record LayerNormGrads(@Nullable Tensor input, @Nullable Tensor weight, @Nullable Tensor bias) {
    }

    /**
     * {@code (x - mean) * rstd * weight + bias} over the last {@code normalizedSize} elements of each row of
     * {@code x}; weight and bias ([normalizedSize], or null) are optional.
     */
    public static LayerNormResult layerNorm(Tensor x, int normalizedSize, @Nullable Tensor weight,
                                            @Nullable Tensor bias, double eps) {
        int rows = rows("layerNorm", x, normalizedSize, weight, bias);
        Tensor xc = x.contiguous();
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), x.shape());
        Tensor mean = Tensor.allocate(x.backend(), x.dtype(), Shape.of(rows));
        Tensor rstd = Tensor.allocate(x.backend(), x.dtype(), Shape.of(rows));
        x.backend().layerNorm(xc, rows, normalizedSize, contiguous(weight), contiguous(bias), eps, out, mean, rstd);
        return new LayerNormResult(out, mean, rstd);
    }

    /**
     * The gradients of {@link #layerNorm} from the output gradient {@code g}, the input and the saved
     * mean and rstd: {@code dx = rstd (g w - mean(g w) - xhat mean(g w xhat))}, {@code dw = sum_rows g xhat},
     * {@code db = sum_rows g}; each only when its flag asks for it.
     */
    public static LayerNormGrads layerNormBackward(Tensor g, Tensor x, Tensor mean, Tensor rstd, @Nullable Tensor weight,
                                                   int normalizedSize, boolean input, boolean wantWeight,
                                                   boolean wantBias) {
        int rows = rows("layerNormBackward", x, normalizedSize, weight, null);
        if (!g.shape().equals(x.shape()) || g.dtype() != x.dtype()) {
            throw new IllegalArgumentException("layerNormBackward: gradient of shape " + g.shape() + " (" + g.dtype()
                    + ") for an input of shape " + x.shape() + " (" + x.dtype() + ")");
        }
        Tensor gx = input ? Tensor.allocate(x.backend(), x.dtype(), x.shape()) : null;
        return backward(g, x, mean, rstd, weight, normalizedSize, rows, gx, wantWeight, wantBias);
    }

    /**
     * {@link #layerNormBackward} with the input's gradient written over {@code g} itself when it can be
     * ({@link ActivationGrads#overwritable}), for a caller that owns g and needs it no more; otherwise into a new
     * tensor.
     */
    public static LayerNormGrads layerNormBackwardIntoGrad(Tensor g, Tensor x, Tensor mean, Tensor rstd,
                                                           @Nullable Tensor weight, int normalizedSize,
                                                           boolean wantWeight, boolean wantBias) {
        if (!ActivationGrads.overwritable(g, x)) {
            return layerNormBackward(g, x, mean, rstd, weight, normalizedSize, true, wantWeight, wantBias);
        }
        int rows = rows("layerNormBackward", x, normalizedSize, weight, null);
        LayerNormGrads d = backward(g, x, mean, rstd, weight, normalizedSize, rows, g, wantWeight, wantBias);
        g.storage().bumpVersion();
        return d;
    }

    private static LayerNormGrads backward(Tensor g, Tensor x, Tensor mean, Tensor rstd, @Nullable Tensor weight,
                                           int normalizedSize, int rows, @Nullable Tensor gx, boolean wantWeight,
                                           boolean wantBias) {
        Tensor gw = wantWeight ? Tensor.allocate(x.backend(), x.dtype(), Shape.of(normalizedSize)) : null;
        Tensor gb = wantBias ? Tensor.allocate(x.backend(), x.dtype(), Shape.of(normalizedSize)) : null;
        x.backend().layerNormBackward(g.contiguous(), x.contiguous(), mean.contiguous(), rstd.contiguous(),
                contiguous(weight), rows, normalizedSize, gx, gw, gb);
        return new LayerNormGrads(gx, gw, gb);
    }

    private static Tensor contiguous(Tensor t) {
        return t == null ? null : t.contiguous();
    }

    private static int rows(String op, Tensor x, int size, Tensor weight, Tensor bias) {
        Checks.floatingPoint(op, x);
        if (size < 1 || x.dim() == 0 || x.numel() % size != 0) {
            throw new IllegalArgumentException(op + ": cannot normalise the last " + size + " elements of rows of shape "
                    + x.shape());
        }
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && (p.numel() != size || p.dtype() != x.dtype())) {
                throw new IllegalArgumentException(op + ": weight or bias of shape " + p.shape() + " (" + p.dtype()
                        + ") for " + size + " normalised elements of " + x.dtype());
            }
        }
        return x.numel() / size;
    }
}
