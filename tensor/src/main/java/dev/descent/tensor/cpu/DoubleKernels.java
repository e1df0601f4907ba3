package dev.descent.tensor.cpu;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.TernaryOp;
import dev.descent.tensor.UnaryOp;

/**
 * FLOAT64 elementwise kernels. Each op is a plain indexed loop over contiguous runs, which HotSpot
 * vectorises where the op allows; runs with other strides are gathered into a small buffer, computed
 * contiguously and scattered back. {@code FloatKernels} is the same file for FLOAT32.
 */
final class DoubleKernels {
    private static final int BLOCK = 2048;

    private DoubleKernels() {
    }

    static double[] data(Tensor t) {
        return (double[]) ((CpuStorage) t.storage()).data;
    }

    // ------------------------------------------------------------------ drivers

    static void unary(UnaryOp op, Tensor in, Tensor out, double p, double q) {
        double[] x = data(in);
        double[] o = data(out);
        double fp = p;
        double fq = q;
        StridedLoop loop = StridedLoop.of(out, in);
        int so = loop.innerStride(0);
        int si = loop.innerStride(1);
        loop.forEach(grain(op), (off, n) -> {
            if (so == 1 && si == 1) {
                unary(op, x, off[1], o, off[0], n, fp, fq);
                return;
            }
            double[] buf = new double[Math.min(n, BLOCK)];
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
        double[] x = data(a);
        double[] y = data(b);
        double w = alpha;
        if (op.kind() == BinaryOp.Kind.COMPARISON) {
            compare(op, x, y, a, b, out);
            return;
        }
        double[] o = data(out);
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
                double[] bufA = new double[Math.min(n, BLOCK)];
                double[] bufB = new double[bufA.length];
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
        double[] x = data(a);
        double s = scalar;
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
        double[] o = data(out);
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
            double[] buf = new double[Math.min(n, BLOCK)];
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
        double[] x = data(a);
        double[] y = data(b);
        double[] z = data(c);
        double[] o = data(out);
        double s = scalar;
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
            double[] bufA = new double[Math.min(n, BLOCK)];
            double[] bufB = new double[bufA.length];
            double[] bufC = new double[bufA.length];
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

    private static void compare(BinaryOp op, double[] x, double[] y, Tensor a, Tensor b, Tensor out) {
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

    static void gather(double[] src, int off, int stride, double[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[off + i * stride];
        }
    }

    static void scatter(double[] src, double[] dst, int off, int stride, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i * stride] = src[i];
        }
    }

    // ------------------------------------------------------------------ contiguous loops

    static void unary(UnaryOp op, double[] x, int xo, double[] o, int oo, int n, double p, double q) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.signum(x[xo + i]); }
            case SQUARE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * x[xo + i]; }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0); }
            case CLAMP -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], p), q); }
            case EXP -> { for (int i = 0; i < n; i++) o[oo + i] = Math.exp(x[xo + i]); }
            case LOG -> { for (int i = 0; i < n; i++) o[oo + i] = Math.log(x[xo + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) o[oo + i] = Math.log1p(x[xo + i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) o[oo + i] = Math.expm1(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i] = Math.sqrt(x[xo + i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) o[oo + i] = (1 / Math.sqrt(x[xo + i])); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[oo + i] = 1 / x[xo + i]; }
            case SIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.sin(x[xo + i]); }
            case COS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.cos(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[oo + i] = Math.tanh(x[xo + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[oo + i] = Scalar.sigmoid(x[xo + i]); }
            case GELU_ERF -> { for (int i = 0; i < n; i++) o[oo + i] = Scalar.geluErf(x[xo + i]); }
            case GELU_TANH -> { for (int i = 0; i < n; i++) o[oo + i] = Scalar.geluTanh(x[xo + i]); }
            case SILU -> { for (int i = 0; i < n; i++) o[oo + i] = Scalar.silu(x[xo + i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) o[oo + i] = Scalar.softplus(x[xo + i], p, q); }
            case ERF -> { for (int i = 0; i < n; i++) o[oo + i] = Erf.erf(x[xo + i]); }
        }
    }

    static void binary(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n, double w) {
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
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case LERP -> {
                // PyTorch's formula: from the nearer end, so that weight 1 gives exactly b
                if (Math.abs(w) < 0.5) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * (b[bo + i] - a[ao + i]); }
                else { for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] - (b[bo + i] - a[ao + i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /** o = a op s. */
    static void scalarRight(BinaryOp op, double[] a, int ao, double s, double[] o, int oo, int n, double w) {
        switch (op) {
            case ADD -> { double t = w * s; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + t; }
            case SUB -> { double t = w * s; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - t; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * s; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / s; }
            case POW -> {
                if (s == 2) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * a[ao + i]; }
                else { for (int i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i], s); }
            }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], s); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], s); }
            case LERP -> {
                if (Math.abs(w) < 0.5) { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + w * (s - a[ao + i]); }
                else { for (int i = 0; i < n; i++) o[oo + i] = s - (s - a[ao + i]) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    /** o = s op b. */
    static void scalarLeft(BinaryOp op, double s, double[] b, int bo, double[] o, int oo, int n, double w) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = s + w * b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = s - w * b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = s * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = s / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = Math.pow(s, b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(s, b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(s, b[bo + i]); }
            case LERP -> {
                if (Math.abs(w) < 0.5) { for (int i = 0; i < n; i++) o[oo + i] = s + w * (b[bo + i] - s); }
                else { for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] - (b[bo + i] - s) * (1 - w); }
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        }
    }

    static void ternary(TernaryOp op, double[] a, int ao, double[] b, int bo, double[] c, int co, double[] o, int oo,
                        int n, double s) {
        switch (op) {
            case ADDCMUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s * b[bo + i] * c[co + i]; }
            case ADDCDIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s * b[bo + i] / c[co + i]; }
            case LERP -> {
                for (int i = 0; i < n; i++) {
                    double w = c[co + i];
                    double d = b[bo + i] - a[ao + i];
                    o[oo + i] = Math.abs(w) < 0.5 ? a[ao + i] + w * d : b[bo + i] - d * (1 - w);
                }
            }
        }
    }
}
