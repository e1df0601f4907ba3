package dev.descent.tensor.cpu;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The C layer-norm kernels ({@link NativeNorm}) against the Java ones ({@link FloatNormRows}), bit for bit (NaNs
 * alike), on rows
 * shorter and longer than a block of 64, with and without weight and bias, inputs at an offset, every combination
 * of wanted gradients, and rows of special values; and their range checks. The Java kernels themselves are checked
 * against the definition and finite differences elsewhere (NormalizationTest, the autograd gradient checks).
 */
class NativeNormTest {
    @AfterEach
    void restore() {
        NativeNorm.setEnabled(true);
    }

    @Test
    void libraryLoadsWhereGccIs() {
        if (GemmPathsTest.gccAvailable()) {
            assertNull(NativeLibrary.problem(), "the build had gcc, so the native library should load");
        }
    }

    @Test
    void forwardAndBackwardGiveTheJavaBits() {
        if (NativeLibrary.problem() != null) {
            return; // nothing to compare: the Java kernels are the only ones
        }
        Rng rng = new Rng(11);
        for (int cols : new int[] {1, 7, 63, 64, 100, 128, 200, 515}) {
            for (int affine = 0; affine < 4; affine++) {
                int rows = 37;
                // x and g at an offset inside larger arrays; mean and rstd as the forward makes them
                Tensor x = Tensor.randn(rng, rows + 1, cols).mul(3).add(0.5).narrow(0, 1, rows);
                Tensor g = Tensor.randn(rng, rows + 2, cols).narrow(0, 2, rows);
                if (cols == 100) {
                    x = withSpecialRows(x);
                }
                Tensor w = (affine & 1) != 0 ? Tensor.randn(rng, cols + 3).narrow(0, 3, cols) : null;
                Tensor b = (affine & 2) != 0 ? Tensor.randn(rng, cols + 1).narrow(0, 1, cols) : null;
                String what = "cols " + cols + ", weight " + (w != null) + ", bias " + (b != null);
                List<int[]> java = run(false, x, g, w, b, rows, cols);
                List<int[]> c = run(true, x, g, w, b, rows, cols);
                for (int i = 0; i < java.size(); i++) {
                    assertArrayEquals(java.get(i), c.get(i), what + ", output " + i);
                }
            }
        }
    }

    @Test
    void rangesAreCheckedBeforeTheCall() {
        float[] x = new float[64];
        float[] out = new float[64];
        float[] stats = new float[8];
        assertThrows(IllegalStateException.class,
                () -> NativeNorm.forward(x, 1, null, 0, null, 0, 1e-5, 8, 0, 8, out, stats, stats));
        assertThrows(IllegalStateException.class,
                () -> NativeNorm.forward(x, 0, new float[7], 0, null, 0, 1e-5, 8, 0, 8, out, stats, stats));
        assertThrows(IllegalStateException.class,
                () -> NativeNorm.forward(x, -8, null, 0, null, 0, 1e-5, 8, 1, 8, out, stats, stats));
        assertThrows(IllegalStateException.class, () -> NativeNorm.backward(x, x, stats, stats, null,
                new int[] {0, 0, 1, 0, 0}, 8, 0, 8, out, null, null));
        assertThrows(IllegalStateException.class, () -> NativeNorm.backward(x, x, stats, stats, null,
                new int[] {0, 0, 0, 0, 0}, 8, 0, 8, out, new double[7], null));
    }

    /** Rows of a huge offset, tiny spread, infinities and NaN in place of the first four. */
    private static Tensor withSpecialRows(Tensor x) {
        float[] v = x.contiguous().toFloatArray();
        int cols = x.size(1);
        for (int j = 0; j < cols; j++) {
            v[j] = 1e6f + j * 1e-2f;
            v[cols + j] = 1f + j * 1e-7f;
            v[2 * cols + j] = j == 5 ? Float.POSITIVE_INFINITY : j;
            v[3 * cols + j] = j == 9 ? Float.NaN : -j;
        }
        return Tensor.of(v, x.size(0), cols);
    }

    /** Output, mean, rstd, then for each wanted-gradient combination the input, weight and bias gradients' bits. */
    private static List<int[]> run(boolean nativeKernels, Tensor x, Tensor g, Tensor w, Tensor b, int rows, int cols) {
        NativeNorm.setEnabled(nativeKernels);
        Tensor out = Tensor.zeros(rows, cols);
        Tensor mean = Tensor.zeros(rows);
        Tensor rstd = Tensor.zeros(rows);
        NormKernels.forward(x, rows, cols, w, b, 1e-5, out, mean, rstd);
        List<int[]> bits = new ArrayList<>(List.of(bits(out), bits(mean), bits(rstd)));
        for (int wanted = 0; wanted < 8; wanted++) {
            Tensor gx = (wanted & 1) != 0 ? Tensor.zeros(rows, cols) : null;
            Tensor gw = (wanted & 2) != 0 ? Tensor.zeros(cols) : null;
            Tensor gb = (wanted & 4) != 0 ? Tensor.zeros(cols) : null;
            NormKernels.backward(g, x, mean, rstd, w, rows, cols, gx, gw, gb);
            for (Tensor t : new Tensor[] {gx, gw, gb}) {
                if (t != null) {
                    bits.add(bits(t));
                }
            }
        }
        return bits;
    }

    /**
     * The values' bits, every NaN as one: which NaN an operation on two NaNs returns depends on the order of its
     * operands, which a compiler may swap in a commutative operation (the sign of the NaN is all that differed).
     */
    private static int[] bits(Tensor t) {
        float[] v = t.contiguous().toFloatArray();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToIntBits(v[i]);
        }
        return bits;
    }
}
