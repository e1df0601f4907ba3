package dev.descent.tensor.cpu;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.TernaryOp;
import dev.descent.tensor.UnaryOp;

/**
 * FLOAT32 elementwise kernels. Each op is a plain loop {@code o[i] = f(a[i], b[i])} with one index for
 * every operand, which HotSpot vectorises where the op allows; it runs in place on runs where every
 * operand is contiguous and starts at the same offset (a fresh output beside inputs at offset 0, or an
 * in-place update). Loops with a separate offset per operand ({@code o[oo + i] = a[ao + i] + ...}) ran
 * 1.4x to 3x slower on JDK 17 when not inlined, so every other run is gathered into a small buffer,
 * computed there and scattered back. {@code DoubleKernels} is this file for FLOAT64, made by
 * {@code gen-double-kernels.sh}.
 */
final class FloatKernels {
    private static final int BLOCK = 2048;
    /**
     * Runs at least this long whose operands start at different offsets are copied into aligned buffers and
     * added there (a vectorised loop between copies) rather than added in place by a scalar loop.
     */
    private static final int SHIFTED_MAX = 256;

    private FloatKernels() {
    }

    static float[] data(Tensor t) {
        return (float[]) ((CpuStorage) t.storage()).data;
    }

    // ------------------------------------------------------------------ drivers

    static void unary(UnaryOp op, Tensor in, Tensor out, double p, double q) {
        float[] x = data(in);
        float[] o = data(out);
        float fp = (float) p;
        float fq = (float) q;
        StridedLoop loop = StridedLoop.of(out, in);
        int so = loop.innerStride(0);
        int si = loop.innerStride(1);
        loop.forEach(grain(op), (off, n) -> {
            if (so == 1 && si == 1 && off[1] == off[0]) {
                unary(op, x, o, off[0], off[0] + n, fp, fq);
                return;
            }
            float[] buf = new float[Math.min(n, BLOCK)];
            for (int s = 0; s < n; s += BLOCK) {
                int m = Math.min(BLOCK, n - s);
                gather(x, off[1] + s * si, si, buf, m);
                unary(op, buf, buf, 0, m, fp, fq);
                scatter(buf, o, off[0] + s * so, so, m);
            }
        });
    }

    /** Transcendental ops are worth splitting across threads at smaller sizes than memory-bound ones. */
    private static int grain(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, SQUARE, RELU, CLAMP, SQRT, RSQRT, RECIPROCAL -> Parallel.GRAIN;
            default -> Parallel.GRAIN / 8;
        };
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double alpha) {
        float[] x = data(a);
        float[] y = data(b);
        float w = (float) alpha;
        if (op.kind() == BinaryOp.Kind.COMPARISON) {
            compare(op, x, y, a, b, out);
            return;
        }
        float[] o = data(out);
        StridedLoop loop = StridedLoop.of(out, a, b);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        loop.forEach((off, n) -> {
            if (so == 1 && sa == 1 && sb == 1 && off[1] == off[0] && off[2] == off[0]) {
                binary(op, x, y, o, off[0], off[0] + n, w);
            } else if (so == 1 && sa == 1 && sb == 0 && off[1] == off[0]) {
                scalarRight(op, x, y[off[2]], o, off[0], off[0] + n, w);
            } else if (so == 1 && sa == 0 && sb == 1 && off[2] == off[0]) {
                scalarLeft(op, x[off[1]], y, o, off[0], off[0] + n, w);
            } else if (so == 1 && sa == 1 && sb == 1 && shifted(op, x, off[1], y, off[2], o, off[0], n, w)) {
                return;
            } else {
                float[] bufA = new float[Math.min(n, BLOCK)];
                float[] bufB = new float[bufA.length];
                for (int s = 0; s < n; s += BLOCK) {
                    int m = Math.min(BLOCK, n - s);
                    gather(x, off[1] + s * sa, sa, bufA, m);
                    gather(y, off[2] + s * sb, sb, bufB, m);
                    binary(op, bufA, bufB, bufA, 0, m, w);
                    scatter(bufA, o, off[0] + s * so, so, m);
                }
            }
        });
    }

    static void binaryScalar(BinaryOp op, Tensor a, double scalar, boolean scalarFirst, Tensor out) {
        float[] x = data(a);
        float s = (float) scalar;
        if (op.kind() == BinaryOp.Kind.COMPARISON) {
            boolean[] o = (boolean[]) ((CpuStorage) out.storage()).data;
            StridedLoop loop = StridedLoop.of(out, a);
            int so = loop.innerStride(0);
            int sa = loop.innerStride(1);
            BinaryOp cmp = scalarFirst ? mirror(op) : op;
            float[] scalarArray = {s};
            loop.forEach((off, n) -> compare(cmp, x, off[1], sa, scalarArray, 0, 0, o, off[0], so, n));
            return;
        }
        float[] o = data(out);
        StridedLoop loop = StridedLoop.of(out, a);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        loop.forEach((off, n) -> {
            if (so == 1 && sa == 1 && off[1] == off[0]) {
                if (scalarFirst) {
                    scalarLeft(op, s, x, o, off[0], off[0] + n, 1);
                } else {
                    scalarRight(op, x, s, o, off[0], off[0] + n, 1);
                }
                return;
            }
            float[] buf = new float[Math.min(n, BLOCK)];
            for (int k = 0; k < n; k += BLOCK) {
                int m = Math.min(BLOCK, n - k);
                gather(x, off[1] + k * sa, sa, buf, m);
                if (scalarFirst) {
                    scalarLeft(op, s, buf, buf, 0, m, 1);
                } else {
                    scalarRight(op, buf, s, buf, 0, m, 1);
                }
                scatter(buf, o, off[0] + k * so, so, m);
            }
        });
    }

    static void ternary(TernaryOp op, Tensor a, Tensor b, Tensor c, double scalar, Tensor out) {
        float[] x = data(a);
        float[] y = data(b);
        float[] z = data(c);
        float[] o = data(out);
        float s = (float) scalar;
        StridedLoop loop = StridedLoop.of(out, a, b, c);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        int sc = loop.innerStride(3);
        loop.forEach((off, n) -> {
            if (so == 1 && sa == 1 && sb == 1 && sc == 1 && off[1] == off[0] && off[2] == off[0] && off[3] == off[0]) {
                ternary(op, x, y, z, o, off[0], off[0] + n, s);
                return;
            }
            float[] bufA = new float[Math.min(n, BLOCK)];
            float[] bufB = new float[bufA.length];
            float[] bufC = new float[bufA.length];
            for (int k = 0; k < n; k += BLOCK) {
                int m = Math.min(BLOCK, n - k);
                gather(x, off[1] + k * sa, sa, bufA, m);
                gather(y, off[2] + k * sb, sb, bufB, m);
                gather(z, off[3] + k * sc, sc, bufC, m);
                ternary(op, bufA, bufB, bufC, bufA, 0, m, s);
                scatter(bufA, o, off[0] + k * so, so, m);
            }
        });
    }

    private static void compare(BinaryOp op, float[] x, float[] y, Tensor a, Tensor b, Tensor out) {
        boolean[] o = (boolean[]) ((CpuStorage) out.storage()).data;
        StridedLoop loop = StridedLoop.of(out, a, b);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        loop.forEach((off, n) -> compare(op, x, off[1], sa, y, off[2], sb, o, off[0], so, n));
    }

    /** One run of a comparison, with the choice of comparison made once per run rather than per element. */
    private static void compare(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys,
                                boolean[] o, int oo, int os, int n) {
        if (xs == 1 && os == 1 && ys == 0) {
            compareScalar(op, x, xo, y[yo], o, oo, n);
            return;
        }
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] == y[yo + i * ys]; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] != y[yo + i * ys]; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] < y[yo + i * ys]; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] <= y[yo + i * ys]; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] > y[yo + i * ys]; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] >= y[yo + i * ys]; }
            default -> throw new IllegalStateException("not a comparison: " + op);
        }
    }

    /** A contiguous run against one value (masks such as {@code x > 0}): loops HotSpot vectorises. */
    private static void compareScalar(BinaryOp op, float[] x, int xo, float v, boolean[] o, int oo, int n) {
        if (xo == oo) {
            compareScalarSameIndex(op, x, v, o, oo, oo + n);
            return;
        }
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == v; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != v; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < v; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= v; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > v; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= v; }
            default -> throw new IllegalStateException("not a comparison: " + op);
        }
    }

    /** {@link #compareScalar} when input and output runs start at the same offset: one index, vectorised. */
    private static void compareScalarSameIndex(BinaryOp op, float[] x, float v, boolean[] o, int from, int to) {
        switch (op) {
            case EQ -> { for (int i = from; i < to; i++) o[i] = x[i] == v; }
            case NE -> { for (int i = from; i < to; i++) o[i] = x[i] != v; }
            case LT -> { for (int i = from; i < to; i++) o[i] = x[i] < v; }
            case LE -> { for (int i = from; i < to; i++) o[i] = x[i] <= v; }
            case GT -> { for (int i = from; i < to; i++) o[i] = x[i] > v; }
            case GE -> { for (int i = from; i < to; i++) o[i] = x[i] >= v; }
            default -> throw new IllegalStateException("not a comparison: " + op);
        }
    }

    /** The comparison with its operands swapped: s < x is x > s. */
    static BinaryOp mirror(BinaryOp op) {
        return switch (op) {
            case LT -> BinaryOp.GT;
            case LE -> BinaryOp.GE;
            case GT -> BinaryOp.LT;
            case GE -> BinaryOp.LE;
            default -> op;
        };
    }

    static boolean compare(BinaryOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    static void gather(float[] src, int off, int stride, float[] dst, int n) {
        if (stride == 1) {
            System.arraycopy(src, off, dst, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[i] = src[off + i * stride];
        }
    }

    static void scatter(float[] src, float[] dst, int off, int stride, int n) {
        if (stride == 1) {
            System.arraycopy(src, 0, dst, off, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[off + i * stride] = src[i];
        }
    }

    // ------------------------------------------------------------------ contiguous loops

    static void unary(UnaryOp op, float[] x, float[] o, int from, int to, float p, float q) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) o[i] = -x[i]; }
            case ABS -> { for (int i = from; i < to; i++) o[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = from; i < to; i++) o[i] = Math.signum(x[i]); }
            case SQUARE -> { for (int i = from; i < to; i++) o[i] = x[i] * x[i]; }
            case RELU -> { for (int i = from; i < to; i++) o[i] = Math.max(x[i], 0); }
            case CLAMP -> { for (int i = from; i < to; i++) o[i] = Math.min(Math.max(x[i], p), q); }
            case EXP -> { for (int i = from; i < to; i++) o[i] = (float) Math.exp(x[i]); }
            case LOG -> { for (int i = from; i < to; i++) o[i] = (float) Math.log(x[i]); }
            case LOG1P -> { for (int i = from; i < to; i++) o[i] = (float) Math.log1p(x[i]); }
            case EXPM1 -> { for (int i = from; i < to; i++) o[i] = (float) Math.expm1(x[i]); }
            case SQRT -> { for (int i = from; i < to; i++) o[i] = (float) Math.sqrt(x[i]); }
            case RSQRT -> { for (int i = from; i < to; i++) o[i] = (float) (1 / Math.sqrt(x[i])); }
            case RECIPROCAL -> { for (int i = from; i < to; i++) o[i] = 1 / x[i]; }
            case SIN -> { for (int i = from; i < to; i++) o[i] = (float) Math.sin(x[i]); }
            case COS -> { for (int i = from; i < to; i++) o[i] = (float) Math.cos(x[i]); }
            case TANH -> { for (int i = from; i < to; i++) o[i] = (float) Math.tanh(x[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) o[i] = (float) Scalar.sigmoid(x[i]); }
            case GELU_ERF -> { for (int i = from; i < to; i++) o[i] = (float) Scalar.geluErf(x[i]); }
            case GELU_TANH -> { for (int i = from; i < to; i++) o[i] = (float) Scalar.geluTanh(x[i]); }
            case SILU -> { for (int i = from; i < to; i++) o[i] = (float) Scalar.silu(x[i]); }
            case SOFTPLUS -> { for (int i = from; i < to; i++) o[i] = (float) Scalar.softplus(x[i], p, q); }
            case ERF -> { for (int i = from; i < to; i++) o[i] = (float) Erf.erf(x[i]); }
        }
    }

    static void binary(BinaryOp op, float[] a, float[] b, float[] o, int from, int to, float w) {
        switch (op) {
            case ADD -> {
                if (w == 1) { for (int i = from; i < to; i++) o[i] = a[i] + b[i]; }
                else { for (int i = from; i < to; i++) o[i] = a[i] + w * b[i]; }
            }
            case SUB -> {
                if (w == 1) { for (int i = from; i < to; i++) o[i] = a[i] - b[i]; }
                else { for (int i = from; i < to; i++) o[i] = a[i] - w * b[i]; }
            }
            case MUL -> { for (int i = from; i < to; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = a[i] / b[i]; }
            case POW -> { for (int i = from; i < to; i++) o[i] = (float) Math.pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = from; i < to; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = from; i < to; i++) o[i] = Math.min(a[i], b[i]); }
            case LERP -> {
                // PyTorch's formula: from the nearer end, so that weight 1 gives exactly b
                if (Math.abs(w) < 0.5f) { for (int i = from; i < to; i++) o[i] = a[i] + w * (b[i] - a[i]); }
                else { for (int i = from; i < to; i++) o[i] = b[i] - (b[i] - a[i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /**
     * The common arithmetic on contiguous runs whose operands start at different offsets (a bias row added to
     * every row of a matrix): loops with one offset per operand, slower than the same-index loops but much
     * faster than the buffered path; false for other ops, which take that path.
     */
    private static boolean shifted(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n, float w) {
        if (n >= SHIFTED_MAX) {
            return false; // HotSpot 17 runs these loops scalar (three index expressions); buffers vectorise
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - w * b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** o = a op s. */
    static void scalarRight(BinaryOp op, float[] a, float s, float[] o, int from, int to, float w) {
        switch (op) {
            case ADD -> { float t = w * s; for (int i = from; i < to; i++) o[i] = a[i] + t; }
            case SUB -> { float t = w * s; for (int i = from; i < to; i++) o[i] = a[i] - t; }
            case MUL -> { for (int i = from; i < to; i++) o[i] = a[i] * s; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = a[i] / s; }
            case POW -> {
                if (s == 2) { for (int i = from; i < to; i++) o[i] = a[i] * a[i]; }
                else { for (int i = from; i < to; i++) o[i] = (float) Math.pow(a[i], s); }
            }
            case MAXIMUM -> { for (int i = from; i < to; i++) o[i] = Math.max(a[i], s); }
            case MINIMUM -> { for (int i = from; i < to; i++) o[i] = Math.min(a[i], s); }
            case LERP -> {
                if (Math.abs(w) < 0.5f) { for (int i = from; i < to; i++) o[i] = a[i] + w * (s - a[i]); }
                else { for (int i = from; i < to; i++) o[i] = s - (s - a[i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /** o = s op b. */
    static void scalarLeft(BinaryOp op, float s, float[] b, float[] o, int from, int to, float w) {
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) o[i] = s + w * b[i]; }
            case SUB -> { for (int i = from; i < to; i++) o[i] = s - w * b[i]; }
            case MUL -> { for (int i = from; i < to; i++) o[i] = s * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = s / b[i]; }
            case POW -> { for (int i = from; i < to; i++) o[i] = (float) Math.pow(s, b[i]); }
            case MAXIMUM -> { for (int i = from; i < to; i++) o[i] = Math.max(s, b[i]); }
            case MINIMUM -> { for (int i = from; i < to; i++) o[i] = Math.min(s, b[i]); }
            case LERP -> {
                if (Math.abs(w) < 0.5f) { for (int i = from; i < to; i++) o[i] = s + w * (b[i] - s); }
                else { for (int i = from; i < to; i++) o[i] = b[i] - (b[i] - s) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    static void ternary(TernaryOp op, float[] a, float[] b, float[] c, float[] o, int from, int to, float s) {
        switch (op) {
            case ADDCMUL -> { for (int i = from; i < to; i++) o[i] = a[i] + s * b[i] * c[i]; }
            case ADDCDIV -> { for (int i = from; i < to; i++) o[i] = a[i] + s * b[i] / c[i]; }
            case LERP -> {
                for (int i = from; i < to; i++) {
                    float w = c[i];
                    float d = b[i] - a[i];
                    o[i] = Math.abs(w) < 0.5f ? a[i] + w * d : b[i] - d * (1 - w);
                }
            }
        }
    }
}
