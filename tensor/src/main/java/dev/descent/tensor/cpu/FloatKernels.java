package dev.descent.tensor.cpu;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.TernaryOp;
import dev.descent.tensor.UnaryOp;

/**
 * FLOAT32 elementwise kernels. Each op is a plain indexed loop over contiguous runs, which HotSpot
 * vectorises where the op allows; runs with other strides are gathered into a small buffer, computed
 * contiguously and scattered back. {@code DoubleKernels} is the same file for FLOAT64.
 */
final class FloatKernels {
    private static final int BLOCK = 2048;

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
            if (so == 1 && si == 1) {
                unary(op, x, off[1], o, off[0], n, fp, fq);
                return;
            }
            float[] buf = new float[Math.min(n, BLOCK)];
            for (int s = 0; s < n; s += BLOCK) {
                int m = Math.min(BLOCK, n - s);
                gather(x, off[1] + s * si, si, buf, m);
                unary(op, buf, 0, buf, 0, m, fp, fq);
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
            if (so == 1 && sa == 1 && sb == 1) {
                binary(op, x, off[1], y, off[2], o, off[0], n, w);
            } else if (so == 1 && sa == 1 && sb == 0) {
                scalarRight(op, x, off[1], y[off[2]], o, off[0], n, w);
            } else if (so == 1 && sa == 0 && sb == 1) {
                scalarLeft(op, x[off[1]], y, off[2], o, off[0], n, w);
            } else {
                float[] bufA = new float[Math.min(n, BLOCK)];
                float[] bufB = new float[bufA.length];
                for (int s = 0; s < n; s += BLOCK) {
                    int m = Math.min(BLOCK, n - s);
                    gather(x, off[1] + s * sa, sa, bufA, m);
                    gather(y, off[2] + s * sb, sb, bufB, m);
                    binary(op, bufA, 0, bufB, 0, bufA, 0, m, w);
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
            loop.forEach((off, n) -> {
                for (int i = 0; i < n; i++) {
                    o[off[0] + i * so] = compare(cmp, x[off[1] + i * sa], s);
                }
            });
            return;
        }
        float[] o = data(out);
        StridedLoop loop = StridedLoop.of(out, a);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        loop.forEach((off, n) -> {
            if (so == 1 && sa == 1) {
                if (scalarFirst) {
                    scalarLeft(op, s, x, off[1], o, off[0], n, 1);
                } else {
                    scalarRight(op, x, off[1], s, o, off[0], n, 1);
                }
                return;
            }
            float[] buf = new float[Math.min(n, BLOCK)];
            for (int k = 0; k < n; k += BLOCK) {
                int m = Math.min(BLOCK, n - k);
                gather(x, off[1] + k * sa, sa, buf, m);
                if (scalarFirst) {
                    scalarLeft(op, s, buf, 0, buf, 0, m, 1);
                } else {
                    scalarRight(op, buf, 0, s, buf, 0, m, 1);
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
            if (so == 1 && sa == 1 && sb == 1 && sc == 1) {
                ternary(op, x, off[1], y, off[2], z, off[3], o, off[0], n, s);
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
                ternary(op, bufA, 0, bufB, 0, bufC, 0, bufA, 0, m, s);
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
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                o[off[0] + i * so] = compare(op, x[off[1] + i * sa], y[off[2] + i * sb]);
            }
        });
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
        for (int i = 0; i < n; i++) {
            dst[i] = src[off + i * stride];
        }
    }

    static void scatter(float[] src, float[] dst, int off, int stride, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i * stride] = src[i];
        }
    }

    // ------------------------------------------------------------------ contiguous loops

    static void unary(UnaryOp op, float[] x, int xo, float[] o, int oo, int n, float p, float q) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.signum(x[xo + i]); }
            case SQUARE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * x[xo + i]; }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0); }
            case CLAMP -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], p), q); }
            case EXP -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.exp(x[xo + i]); }
            case LOG -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.log(x[xo + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.log1p(x[xo + i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.expm1(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sqrt(x[xo + i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) o[oo + i] = (float) (1 / Math.sqrt(x[xo + i])); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[oo + i] = 1 / x[xo + i]; }
            case SIN -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sin(x[xo + i]); }
            case COS -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.cos(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.tanh(x[xo + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Scalar.sigmoid(x[xo + i]); }
            case GELU_ERF -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Scalar.geluErf(x[xo + i]); }
            case GELU_TANH -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Scalar.geluTanh(x[xo + i]); }
            case SILU -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Scalar.silu(x[xo + i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Scalar.softplus(x[xo + i], p, q); }
            case ERF -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Erf.erf(x[xo + i]); }
        }
    }

    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n, float w) {
        switch (op) {
            case ADD -> {
                if (w == 1) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
                else { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * b[bo + i]; }
            }
            case SUB -> {
                if (w == 1) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
                else { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - w * b[bo + i]; }
            }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case LERP -> {
                // PyTorch's formula: from the nearer end, so that weight 1 gives exactly b
                if (Math.abs(w) < 0.5f) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * (b[bo + i] - a[ao + i]); }
                else { for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] - (b[bo + i] - a[ao + i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /** o = a op s. */
    static void scalarRight(BinaryOp op, float[] a, int ao, float s, float[] o, int oo, int n, float w) {
        switch (op) {
            case ADD -> { float t = w * s; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + t; }
            case SUB -> { float t = w * s; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - t; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * s; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / s; }
            case POW -> {
                if (s == 2) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * a[ao + i]; }
                else { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(a[ao + i], s); }
            }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], s); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], s); }
            case LERP -> {
                if (Math.abs(w) < 0.5f) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * (s - a[ao + i]); }
                else { for (int i = 0; i < n; i++) o[oo + i] = s - (s - a[ao + i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /** o = s op b. */
    static void scalarLeft(BinaryOp op, float s, float[] b, int bo, float[] o, int oo, int n, float w) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = s + w * b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = s - w * b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = s * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = s / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(s, b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(s, b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(s, b[bo + i]); }
            case LERP -> {
                if (Math.abs(w) < 0.5f) { for (int i = 0; i < n; i++) o[oo + i] = s + w * (b[bo + i] - s); }
                else { for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] - (b[bo + i] - s) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    static void ternary(TernaryOp op, float[] a, int ao, float[] b, int bo, float[] c, int co, float[] o, int oo,
                        int n, float s) {
        switch (op) {
            case ADDCMUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s * b[bo + i] * c[co + i]; }
            case ADDCDIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s * b[bo + i] / c[co + i]; }
            case LERP -> {
                for (int i = 0; i < n; i++) {
                    float w = c[co + i];
                    float d = b[bo + i] - a[ao + i];
                    o[oo + i] = Math.abs(w) < 0.5f ? a[ao + i] + w * d : b[bo + i] - d * (1 - w);
                }
            }
        }
    }
}
