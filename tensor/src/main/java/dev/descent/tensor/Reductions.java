package dev.descent.tensor;

/**
 * Reductions over sets of axes. The primitive ones (sum, prod, max, min, argmax, argmin, cumsum) go to
 * the backend; mean, var, norm, logsumexp, softmax and logSoftmax are composed from them (softmax and
 * logSoftmax over the last axis, and the causal softmax, go to fused backend kernels).
 */
final class Reductions {
    private Reductions() {
    }

    static int[] allAxes(Tensor x) {
        int[] axes = new int[x.dim()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        int[] sorted = Checks.normalizeAxes(name, axes, x.dim());
        if (x.dim() == 0) {
            // a scalar has nothing to reduce: sum/prod/max/min return it, argmax/argmin return 0
            return isArg(op) ? Tensor.zeros(DType.INT64).to(x.device()) : reduceResultInput(op, x).clone();
        }
        if (isArg(op) && sorted.length != 1) {
            throw new IllegalArgumentException(name + ": expects exactly one axis, got " + sorted.length);
        }
        if (x.dtype() == DType.BOOL && (op != ReduceOp.SUM && op != ReduceOp.PROD)) {
            throw new IllegalArgumentException(name + ": not defined for BOOL (shape " + x.shape() + "); cast first");
        }
        int[] kept = x.shape().toArray();
        for (int a : sorted) {
            if (kept[a] == 0 && op != ReduceOp.SUM && op != ReduceOp.PROD) {
                throw new IllegalArgumentException(name + ": cannot reduce over axis " + a + " of size 0 (shape "
                        + x.shape() + ")");
            }
            kept[a] = 1;
        }
        Tensor in = reduceResultInput(op, x);
        DType outType = isArg(op) ? DType.INT64 : in.dtype();
        Tensor out = x.newTensor(outType, Shape.of(kept));
        x.backend().reduce(op, in, sorted, out);
        return keepDim ? out : dropAxes(out, sorted);
    }

    private static boolean isArg(ReduceOp op) {
        return op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
    }

    /** Sums and products of BOOL accumulate in INT64, as in PyTorch. */
    private static Tensor reduceResultInput(ReduceOp op, Tensor x) {
        return x.dtype() == DType.BOOL && (op == ReduceOp.SUM || op == ReduceOp.PROD) ? x.cast(DType.INT64) : x;
    }

    /** The keepDim result viewed without the reduced axes (sorted, distinct). */
    static Tensor dropAxes(Tensor kept, int[] sortedAxes) {
        int[] dims = new int[kept.dim() - sortedAxes.length];
        for (int i = 0, j = 0, k = 0; i < kept.dim(); i++) {
            if (k < sortedAxes.length && sortedAxes[k] == i) {
                k++;
            } else {
                dims[j++] = kept.size(i);
            }
        }
        return kept.reshape(dims);
    }

    /** The number of elements each output of a reduction over {@code axes} combines. */
    private static int count(Tensor x, int[] sortedAxes) {
        int n = 1;
        for (int a : sortedAxes) {
            n *= x.dim() == 0 ? 1 : x.size(a);
        }
        return n;
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        Checks.floatingPoint("mean", x);
        int[] sorted = Checks.normalizeAxes("mean", axes, x.dim());
        return reduce(ReduceOp.SUM, x, sorted, keepDim).div_(count(x, sorted));
    }

    /** Two passes (mean, then squared deviations) for accuracy. */
    static Tensor var(Tensor x, int[] axes, int correction, boolean keepDim) {
        Checks.floatingPoint("var", x);
        int[] sorted = Checks.normalizeAxes("var", axes, x.dim());
        Tensor deviations = x.sub(mean(x, sorted, true));
        Tensor squares = reduce(ReduceOp.SUM, deviations.square(), sorted, keepDim);
        return squares.div_(Math.max(count(x, sorted) - correction, 0));
    }

    static Tensor norm(Tensor x, double p, int[] axes, boolean keepDim) {
        Checks.floatingPoint("norm", x);
        if (p == 1) {
            return reduce(ReduceOp.SUM, x.abs(), axes, keepDim);
        } else if (p == 2) {
            return reduce(ReduceOp.SUM, x.square(), axes, keepDim).sqrt_();
        } else if (p == Double.POSITIVE_INFINITY) {
            return reduce(ReduceOp.MAX, x.abs(), axes, keepDim);
        } else if (p > 0 && Double.isFinite(p)) {
            return reduce(ReduceOp.SUM, x.abs().pow(p), axes, keepDim).pow(1 / p);
        }
        throw new IllegalArgumentException("norm: p must be positive (or infinity), got " + p);
    }

    /** max + log(sum(exp(x - max))); an infinite max is replaced by 0 so that all -inf rows give -inf, not NaN. */
    static Tensor logsumexp(Tensor x, int[] axes, boolean keepDim) {
        Checks.floatingPoint("logsumexp", x);
        int[] sorted = Checks.normalizeAxes("logsumexp", axes, x.dim());
        Tensor max = reduce(ReduceOp.MAX, x, sorted, true);
        Tensor shift = max.maskedFill(max.abs().eq(Double.POSITIVE_INFINITY), 0);
        Tensor result = reduce(ReduceOp.SUM, x.sub(shift).exp(), sorted, true).log().add_(shift);
        return keepDim ? result : dropAxes(result, sorted);
    }

    static Tensor softmax(Tensor x, int axis) {
        Checks.floatingPoint("softmax", x);
        return lastAxis(x, axis) ? fusedLastAxis(x, false) : composedSoftmax(x, axis);
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        Checks.floatingPoint("logSoftmax", x);
        return lastAxis(x, axis) ? fusedLastAxis(x, true) : composedLogSoftmax(x, axis);
    }

    /** Whether {@code axis} is the last one of a tensor of rank 1 or more (where the fused row kernels apply). */
    static boolean lastAxis(Tensor x, int axis) {
        return x.dim() > 0 && Shape.normalizeAxis("softmax", axis, x.dim()) == x.dim() - 1;
    }

    private static Tensor fusedLastAxis(Tensor x, boolean log) {
        Tensor out = x.newTensor(x.dtype(), x.shape());
        x.backend().softmaxLastAxis(x.contiguous(), x.size(-1), log, out);
        return out;
    }

    /** {@link Tensor#causalSoftmax}: checks, then the backend's fused kernel. */
    static Tensor causalSoftmax(Tensor x, double scale) {
        checkCausal("causalSoftmax", x, scale);
        Tensor out = x.newTensor(x.dtype(), x.shape());
        x.backend().causalSoftmax(x.contiguous(), scale, out);
        return out;
    }

    static void checkCausal(String op, Tensor x, double scale) {
        Checks.floatingPoint(op, x);
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": expects attention scores of rank 2 or more ([..., Lq, Lk]),"
                    + " got shape " + x.shape());
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException(op + ": the scale must be finite, got " + scale);
        }
    }

    /** Softmax composed of reductions and elementwise operations, for any axis. */
    static Tensor composedSoftmax(Tensor x, int axis) {
        int[] a = {Shape.normalizeAxis("softmax", axis, x.dim())};
        Tensor e = x.sub(reduce(ReduceOp.MAX, x, a, true)).exp();
        return e.div_(reduce(ReduceOp.SUM, e, a, true));
    }

    static Tensor composedLogSoftmax(Tensor x, int axis) {
        return x.sub(logsumexp(x, new int[] {axis}, true));
    }

    static Tensor cumsum(Tensor x, int axis) {
        int a = Shape.normalizeAxis("cumsum", axis, x.dim());
        Tensor in = x.dtype() == DType.BOOL ? x.cast(DType.INT64) : x;
        if (x.dim() == 0) {
            return in.clone();
        }
        Tensor out = x.newTensor(in.dtype(), x.shape());
        x.backend().cumsum(in, a, out);
        return out;
    }
}
