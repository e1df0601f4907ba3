package dev.descent.tensor.cpu;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.UnaryOp;

/** INT64 elementwise kernels: indices and counts, so simple strided loops suffice. */
final class LongKernels {
    private LongKernels() {
    }

    static long[] data(Tensor t) {
        return (long[]) ((CpuStorage) t.storage()).data;
    }

    static void unary(UnaryOp op, Tensor in, Tensor out, double p, double q) {
        long[] x = data(in);
        long[] o = data(out);
        StridedLoop loop = StridedLoop.of(out, in);
        int so = loop.innerStride(0);
        int si = loop.innerStride(1);
        long lo = (long) Math.max(Math.ceil(p), Long.MIN_VALUE);
        long hi = (long) Math.min(Math.floor(q), Long.MAX_VALUE);
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                o[off[0] + i * so] = apply(op, x[off[1] + i * si], lo, hi);
            }
        });
    }

    private static long apply(UnaryOp op, long v, long lo, long hi) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Long.signum(v);
            case SQUARE -> v * v;
            case RELU -> Math.max(v, 0);
            case CLAMP -> Math.min(Math.max(v, lo), hi);
            default -> throw new IllegalStateException(op + " is not defined for INT64");
        };
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double alpha) {
        long[] x = data(a);
        long[] y = data(b);
        long w = (long) alpha;
        StridedLoop loop = StridedLoop.of(out, a, b);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        if (op.kind() == BinaryOp.Kind.COMPARISON) {
            boolean[] o = BoolKernels.data(out);
            loop.forEach((off, n) -> {
                for (int i = 0; i < n; i++) {
                    o[off[0] + i * so] = compare(op, x[off[1] + i * sa], y[off[2] + i * sb]);
                }
            });
            return;
        }
        long[] o = data(out);
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                o[off[0] + i * so] = apply(op, x[off[1] + i * sa], y[off[2] + i * sb], w);
            }
        });
    }

    static void binaryScalar(BinaryOp op, Tensor a, double scalar, boolean scalarFirst, Tensor out) {
        long[] x = data(a);
        StridedLoop loop = StridedLoop.of(out, a);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        if (op.kind() == BinaryOp.Kind.COMPARISON) {
            boolean[] o = BoolKernels.data(out);
            BinaryOp cmp = scalarFirst ? FloatKernels.mirror(op) : op;
            loop.forEach((off, n) -> {
                for (int i = 0; i < n; i++) {
                    // compare as double so that x < 2.5 works for an INT64 x
                    o[off[0] + i * so] = FloatKernels.compare(cmp, x[off[1] + i * sa], scalar);
                }
            });
            return;
        }
        long s = (long) scalar;
        long[] o = data(out);
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                long v = x[off[1] + i * sa];
                o[off[0] + i * so] = scalarFirst ? apply(op, s, v, 1) : apply(op, v, s, 1);
            }
        });
    }

    private static long apply(BinaryOp op, long a, long b, long w) {
        return switch (op) {
            case ADD -> a + w * b;
            case SUB -> a - w * b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            default -> throw new IllegalStateException(op + " is not defined for INT64");
        };
    }

    static boolean compare(BinaryOp op, long a, long b) {
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
}
