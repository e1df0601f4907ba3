package dev.descent.nn.functional;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;

/** Layer, RMS, batch and group normalisation, written with differentiable operations. */
final class Normalization {
    private Normalization() {
    }

    /** The last {@code count} axes of a rank-{@code rank} tensor. */
    private static int[] lastAxes(int rank, int count) {
        int[] axes = new int[count];
        for (int i = 0; i < count; i++) {
            axes[i] = rank - count + i;
        }
        return axes;
    }

    private static void checkTrailing(String op, Variable x, int[] normalizedShape) {
        int k = normalizedShape.length;
        boolean ok = k <= x.dim();
        for (int i = 0; ok && i < k; i++) {
            ok = x.size(x.dim() - k + i) == normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": input of shape " + x.shape() + " does not end with the normalized"
                    + " shape " + java.util.Arrays.toString(normalizedShape));
        }
    }

    static Variable layerNorm(Variable x, int[] normalizedShape, Variable weight, Variable bias, double eps) {
        checkTrailing("layerNorm", x, normalizedShape);
        return x.layerNorm(normalizedShape, weight, bias, eps); // one primitive with fused kernels
    }

    static Variable rmsNorm(Variable x, int[] normalizedShape, Variable weight, double eps) {
        checkTrailing("rmsNorm", x, normalizedShape);
        int[] axes = lastAxes(x.dim(), normalizedShape.length);
        Variable y = x.mul(x.square().mean(axes, true).add(eps).rsqrt());
        return affine(y, weight, null);
    }

    private static Variable affine(Variable y, Variable weight, Variable bias) {
        Variable out = weight == null ? y : y.mul(weight);
        return bias == null ? out : out.add(bias);
    }

    /** Per-channel affine parameters of shape [C] broadcast against [N, C, ...]. */
    private static Variable channelwise(Variable p, int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = p.size(0);
        return p.reshape(shape);
    }

    static Variable batchNorm(Variable x, Tensor runningMean, Tensor runningVar, Variable weight, Variable bias,
                              boolean training, double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected [N, C, ...], got shape " + x.shape());
        }
        int c = x.size(1);
        int[] axes = new int[x.dim() - 1];
        axes[0] = 0;
        for (int d = 2; d < x.dim(); d++) {
            axes[d - 1] = d;
        }
        int[] statShape = new int[x.dim()];
        java.util.Arrays.fill(statShape, 1);
        statShape[1] = c;
        Variable mean;
        Variable variance;
        if (training || runningMean == null) {
            int count = x.numel() / Math.max(c, 1);
            if (training && count <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training,"
                        + " got input of shape " + x.shape());
            }
            mean = x.mean(axes, true);
            variance = x.sub(mean).square().mean(axes, true);
            if (training && runningMean != null) {
                // running statistics use the unbiased variance, as PyTorch
                try (Autograd.Scope scope = Autograd.noGrad()) {
                    Tensor batchMean = mean.value().reshape(c).cast(runningMean.dtype());
                    Tensor unbiased = variance.value().reshape(c).mul((double) count / (count - 1)).cast(runningVar.dtype());
                    runningMean.mul_(1 - momentum).add_(batchMean, momentum);
                    runningVar.mul_(1 - momentum).add_(unbiased, momentum);
                }
            }
        } else {
            mean = Variable.constant(runningMean.reshape(statShape).cast(x.dtype()));
            variance = Variable.constant(runningVar.reshape(statShape).cast(x.dtype()));
        }
        Variable y = x.sub(mean).mul(variance.add(eps).rsqrt());
        Variable out = weight == null ? y : y.mul(channelwise(weight, x.dim()));
        return bias == null ? out : out.add(channelwise(bias, x.dim()));
    }

    static Variable groupNorm(Variable x, int groups, Variable weight, Variable bias, double eps) {
        if (x.dim() < 2 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + groups + " groups do not divide the channels of shape "
                    + x.shape());
        }
        int n = x.size(0);
        Variable grouped = x.reshape(n, groups, -1);
        Variable centred = grouped.sub(grouped.mean(new int[] {2}, true));
        Variable variance = centred.square().mean(new int[] {2}, true);
        Variable y = centred.mul(variance.add(eps).rsqrt()).reshape(x.shape().toArray());
        Variable out = weight == null ? y : y.mul(channelwise(weight, x.dim()));
        return bias == null ? out : out.add(channelwise(bias, x.dim()));
    }
}
