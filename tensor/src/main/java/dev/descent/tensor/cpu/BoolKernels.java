package dev.descent.tensor.cpu;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.Tensor;

/** BOOL kernels: logical operations and comparisons of masks. */
final class BoolKernels {
    private BoolKernels() {
    }

    static boolean[] data(Tensor t) {
        return (boolean[]) ((CpuStorage) t.storage()).data;
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        boolean[] x = data(a);
        boolean[] y = data(b);
        boolean[] o = data(out);
        StridedLoop loop = StridedLoop.of(out, a, b);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        int sb = loop.innerStride(2);
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                o[off[0] + i * so] = apply(op, x[off[1] + i * sa], y[off[2] + i * sb]);
            }
        });
    }

    static void binaryScalar(BinaryOp op, Tensor a, double scalar, boolean scalarFirst, Tensor out) {
        boolean[] x = data(a);
        boolean[] o = data(out);
        boolean s = scalar != 0;
        StridedLoop loop = StridedLoop.of(out, a);
        int so = loop.innerStride(0);
        int sa = loop.innerStride(1);
        loop.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                boolean v = x[off[1] + i * sa];
                o[off[0] + i * so] = scalarFirst ? apply(op, s, v) : apply(op, v, s);
            }
        });
    }

    private static boolean apply(BinaryOp op, boolean a, boolean b) {
        return switch (op) {
            case AND -> a && b;
            case OR -> a || b;
            case XOR, NE -> a != b;
            case EQ -> a == b;
            case LT -> !a && b;
            case LE -> !a || b;
            case GT -> a && !b;
            case GE -> a || !b;
            default -> throw new IllegalStateException(op + " is not defined for BOOL");
        };
    }
}
