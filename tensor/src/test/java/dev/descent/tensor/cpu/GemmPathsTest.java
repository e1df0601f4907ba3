package dev.descent.tensor.cpu;

import dev.descent.tensor.Affine;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.File;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The two GEMM paths, the JNI bridge that works on the arrays in place ({@link NativeGemm}) and the one that
 * copies operands through off-heap scratch, on the layouts the backend meets: plain, transposed, attention heads
 * inside a wider projection (lines far apart), broadcast batches, a bias, empty inner dimensions, and products
 * with one row or one column (GEMV on the in-place path) whose vector is strided. Each is
 * checked against a product computed here by definition in double.
 */
class GemmPathsTest {
    @AfterEach
    void restore() {
        NativeGemm.setEnabled(true);
    }

    @Test
    void bridgeIsBuiltAndLoadsWhereGccIs() {
        if (gccAvailable()) {
            assertNull(NativeGemm.problem(), "the build had gcc, so the bridge should load");
        }
    }

    /** Whether this is Linux x86_64 with gcc on the PATH: where the build compiles the native library. */
    static boolean gccAvailable() {
        boolean linux64 = System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        return linux64 && java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && new File(dir, "gcc").canExecute());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void bothPathsMatchTheDefinition(DType dtype) {
        Rng rng = new Rng(7);
        Tensor qkv = Tensor.randn(rng, dtype, 2, 5, 3, 4, 16); // [batch, time, q/k/v, heads, head size]
        List<Supplier<Tensor[]>> cases = List.of(
                () -> new Tensor[] {Tensor.randn(rng, dtype, 37, 53), Tensor.randn(rng, dtype, 53, 29)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 53, 37).transpose(0, 1),
                        Tensor.randn(rng, dtype, 29, 53).transpose(0, 1)},
                () -> new Tensor[] {qkv.select(2, 0).permute(0, 2, 1, 3),
                        qkv.select(2, 1).permute(0, 2, 3, 1)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 3, 1, 7, 8), Tensor.randn(rng, dtype, 5, 8, 6)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 6, 9), Tensor.randn(rng, dtype, 9)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 4, 0), Tensor.randn(rng, dtype, 0, 3)},
                // one row or one column (GEMV on the in-place path): plain, transposed matrix, strided vector
                () -> new Tensor[] {Tensor.randn(rng, dtype, 1, 53), Tensor.randn(rng, dtype, 53, 29)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 1, 53), Tensor.randn(rng, dtype, 29, 53).transpose(0, 1)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 53, 4).transpose(0, 1).narrow(0, 2, 1),
                        Tensor.randn(rng, dtype, 53, 29)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 53, 37).transpose(0, 1),
                        Tensor.randn(rng, dtype, 53, 5).narrow(1, 2, 1)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 37, 53), Tensor.randn(rng, dtype, 5, 53).narrow(0, 3, 1)
                        .transpose(0, 1)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 3, 1, 8), Tensor.randn(rng, dtype, 3, 8, 6)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 4, 1, 8), Tensor.randn(rng, dtype, 8, 6)},
                () -> new Tensor[] {Tensor.randn(rng, dtype, 1, 7), Tensor.randn(rng, dtype, 7, 1)});
        for (Supplier<Tensor[]> c : cases) {
            Tensor[] ab = c.get();
            double[] expected = product(ab[0], ab[1]);
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-4;
            NativeGemm.setEnabled(true);
            Tensor inPlace = ab[0].matmul(ab[1]);
            NativeGemm.setEnabled(false);
            Tensor copied = ab[0].matmul(ab[1]);
            String what = ab[0].shape() + " @ " + ab[1].shape();
            assertArrayEquals(expected, inPlace.toDoubleArray(), tol, "in place: " + what);
            assertArrayEquals(expected, copied.toDoubleArray(), tol, "copied: " + what);
            assertEquals(inPlace.shape(), copied.shape(), what);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void linearAddsTheBiasOnBothPaths(DType dtype) {
        Rng rng = new Rng(8);
        for (int k : new int[] {20, 0}) {
            Tensor x = Tensor.randn(rng, dtype, k, 33).transpose(0, 1); // [33, k], a transposed view
            Tensor w = Tensor.randn(rng, dtype, 17, k);
            Tensor b = Tensor.randn(rng, dtype, 17);
            double[] expected = product(x, w.transpose(0, 1));
            double[] bias = b.toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                expected[i] += bias[i % 17];
            }
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-4;
            NativeGemm.setEnabled(true);
            assertArrayEquals(expected, Affine.linear(x, w, b).toDoubleArray(), tol, "in place, k = " + k);
            NativeGemm.setEnabled(false);
            assertArrayEquals(expected, Affine.linear(x, w, b).toDoubleArray(), tol, "copied, k = " + k);
        }
    }

    /** matmul of a [..., M, K] by b [..., K, N] or [K], batch axes broadcast, by definition in double. */
    private static double[] product(Tensor a, Tensor b) {
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int rank = Math.max(a.dim(), b2.dim());
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b2.size(-1);
        int[] outShape = new int[rank];
        for (int d = 0; d < rank - 2; d++) {
            int da = d - (rank - a.dim());
            int db = d - (rank - b2.dim());
            outShape[d] = Math.max(da >= 0 ? a.size(da) : 1, db >= 0 ? b2.size(db) : 1);
        }
        outShape[rank - 2] = m;
        outShape[rank - 1] = n;
        int batches = 1;
        for (int d = 0; d < rank - 2; d++) {
            batches *= outShape[d];
        }
        double[] out = new double[batches * m * n];
        int[] coord = new int[rank];
        for (int bIndex = 0; bIndex < batches; bIndex++) {
            int rest = bIndex;
            for (int d = rank - 3; d >= 0; d--) {
                coord[d] = rest % outShape[d];
                rest /= outShape[d];
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += at(a, coord, rank, i, p) * at(b2, coord, rank, p, j);
                    }
                    out[(bIndex * m + i) * n + j] = s;
                }
            }
        }
        return out;
    }

    /** Element (r, c) of t's matrix at the batch coordinate (broadcast: size-1 and missing axes read index 0). */
    private static double at(Tensor t, int[] coord, int rank, int r, int c) {
        int[] index = new int[t.dim()];
        for (int d = 0; d < t.dim() - 2; d++) {
            index[d] = t.size(d) == 1 ? 0 : coord[d + rank - t.dim()];
        }
        index[t.dim() - 2] = r;
        index[t.dim() - 1] = c;
        return t.getDouble(index);
    }
}
