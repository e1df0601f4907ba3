package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;
import java.io.File;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C softmax kernels ({@link NativeSoftmax}) against the Java ones ({@link FloatSoftmaxRows}): the same bits
 * for every kernel (NaNs compared as NaN: Java leaves their payload unspecified), on rows of 1 to 1000 columns,
 * causal score matrices square and rectangular, inputs and outputs at nonzero offsets (narrowed tensors, whose
 * surroundings must stay untouched), the backward written over its gradient, and rows of special values:
 * -inf (some or all), +inf, NaN, values near the float range's ends and subnormals; on each instruction set of
 * the C kernels. Also: bad index ranges are exceptions, and the logarithm both paths share
 * ({@link FloatSoftmaxRows#ln}) is within 1 ulp of Math.log.
 */
class NativeSoftmaxTest {
    private static final int[] COLS = {1, 3, 17, 64, 256, 1000};
    private static final int[][] CAUSAL = {{5, 5}, {7, 3}, {3, 7}, {64, 64}, {17, 33}, {2, 1000}, {1, 1}};

    /** The instruction sets of the C kernels: AVX-512, AVX2, baseline (those the processor lacks fall back). */
    private static final int[] LEVELS = {2, 1, 0};

    @AfterEach
    void restore() {
        NativeSoftmax.setEnabled(true);
        if (NativeLibrary.problem() == null) {
            NativeSoftmax.useInstructionSet(2);
        }
    }

    @Test
    void libraryIsBuiltAndLoadsWhereGccIs() {
        boolean linux64 = System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        boolean gcc = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && new File(dir, "gcc").canExecute());
        if (linux64 && gcc) {
            assertNull(NativeLibrary.problem(), "the build had gcc, so the library should load");
        }
    }

    @Test
    void forwardAndBackwardMatchTheJavaKernelsBitForBit() {
        assumeTrue(NativeLibrary.problem() == null, "no native library");
        for (int level : LEVELS) {
            forwardAndBackward(new Random(11), "instruction set " + NativeSoftmax.useInstructionSet(level) + ", ");
        }
    }

    private static void forwardAndBackward(Random rnd, String isa) {
        for (int cols : COLS) {
            int rows = cols >= 256 ? 9 : 40;
            for (boolean log : new boolean[] {false, true}) {
                String what = isa + (log ? "logSoftmax" : "softmax") + " of " + rows + " x " + cols;
                Tensor x = rowsOf(Tensor.of(values(rnd, rows, cols, true), rows + 4, cols), 2, rows);
                bothPaths(what, marked(rows + 3, cols), cols, out -> SoftmaxKernels.forward(x, cols, log,
                        rowsOf(out, 3, rows)));
                // the backward from the output (finite or not) and a gradient with special values, into a new
                // tensor and over the gradient itself
                NativeSoftmax.setEnabled(false);
                Tensor y = Tensor.zeros(rows, cols);
                SoftmaxKernels.forward(x, cols, log, y);
                float[] g = values(rnd, rows, cols, false);
                Tensor gt = rowsOf(Tensor.of(g, rows + 4, cols), 1, rows);
                bothPaths(what + " backward", marked(rows + 2, cols), cols,
                        out -> SoftmaxKernels.backward(y, gt, cols, log, rowsOf(out, 2, rows)));
                bothPaths(what + " backward over g", g, cols, out -> {
                    Tensor over = rowsOf(out, 1, rows);
                    SoftmaxKernels.backward(y, over, cols, log, over);
                });
            }
        }
    }

    @Test
    void causalKernelsMatchTheJavaKernelsBitForBit() {
        assumeTrue(NativeLibrary.problem() == null, "no native library");
        for (int level : LEVELS) {
            causal(new Random(12), "instruction set " + NativeSoftmax.useInstructionSet(level) + ", ");
        }
    }

    private static void causal(Random rnd, String isa) {
        for (int[] qk : CAUSAL) {
            int lq = qk[0];
            int lk = qk[1];
            int rows = 3 * lq;
            for (float scale : new float[] {0.125f, 1f, -0.7f}) {
                String what = isa + "causalSoftmax of 3 x [" + lq + ", " + lk + "], scale " + scale;
                Tensor x = scores(Tensor.of(values(rnd, rows, lk, true), rows + 4, lk), 1, lq);
                bothPaths(what, marked(rows + 2, lk), lk, out -> SoftmaxKernels.causalForward(x, scale,
                        scores(out, 2, lq)));
                NativeSoftmax.setEnabled(false);
                Tensor y = Tensor.zeros(3, lq, lk);
                SoftmaxKernels.causalForward(x, scale, y);
                float[] g = values(rnd, rows, lk, false);
                Tensor gt = scores(Tensor.of(g, rows + 4, lk), 1, lq);
                bothPaths(what + " backward", marked(rows + 1, lk), lk, out -> SoftmaxKernels.causalBackward(y, gt,
                        scale, scores(out, 1, lq)));
                bothPaths(what + " backward over g", g, lk, out -> {
                    Tensor over = scores(out, 1, lq);
                    SoftmaxKernels.causalBackward(y, over, scale, over);
                });
            }
        }
    }

    @Test
    void rangesOfRowsComposeTheWhole() {
        assumeTrue(NativeLibrary.problem() == null, "no native library");
        Random rnd = new Random(14);
        int lq = 5;
        int lk = 7;
        int rows = 3 * lq;
        float[] x = values(rnd, rows, lk, true);
        float[] g = values(rnd, rows, lk, false);
        float[][] whole = new float[4][x.length];
        float[][] parts = new float[4][x.length];
        for (float[][] out : new float[][][] {whole, parts}) {
            int[] cuts = out == whole ? new int[] {0, rows} : new int[] {0, 4, 11, rows};
            for (int i = 0; i + 1 < cuts.length; i++) {
                int r0 = cuts[i];
                int r1 = cuts[i + 1];
                NativeSoftmax.forward(x, lk, out[0], lk, lk, true, r0, r1);
                NativeSoftmax.backward(x, lk, g, 2 * lk, out[1], 0, lk, false, r0, r1);
                NativeSoftmax.causalForward(x, 2 * lk, out[2], lk, lq, lk, 0.5f, r0, r1);
                NativeSoftmax.causalBackward(x, lk, g, 0, out[3], 2 * lk, lq, lk, 0.5f, r0, r1);
            }
        }
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(whole[k][i]), Float.floatToIntBits(parts[k][i]),
                        "kernel " + k + ", element " + i);
            }
        }
    }

    @Test
    void badRangesAreExceptions() {
        assumeTrue(NativeLibrary.problem() == null, "no native library");
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[12];
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.forward(a, 1, b, 0, 4, false, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.forward(a, 0, b, 1, 4, true, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.forward(a, -1, b, 0, 4, true, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.forward(a, 0, b, 0, 4, true, 2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.forward(a, 0, b, 0, 4, true, -1, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeSoftmax.forward(a, 0, b, 0, 1 << 30, true, 0, 1 << 4));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.backward(a, 0, b, 5, c, 0, 4, true, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.backward(a, 0, b, 0, c, 0, 4, false, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.backward(a, 9, b, 0, c, 0, 4, false, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeSoftmax.causalForward(a, 0, b, 1, 3, 4, 1f, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> NativeSoftmax.causalForward(a, 0, b, 0, 0, 4, 1f, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeSoftmax.causalBackward(a, 0, b, 0, c, 4, 3, 4, 1f, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeSoftmax.causalBackward(a, 0, b, -4, c, 0, 3, 4, 1f, 1, 2));
        // within range: runs (and writes only the rows asked for)
        java.util.Arrays.fill(c, 7f);
        NativeSoftmax.causalBackward(a, 0, b, 0, c, 4, 3, 4, 1f, 1, 2);
        for (int i = 0; i < 12; i++) {
            assertEquals(i >= 8 ? 0f : 7f, c[i], "element " + i);
        }
    }

    @Test
    void logarithmIsWithinOneUlpOfMathLog() {
        Random rnd = new Random(13);
        for (int i = 0; i < 200_000; i++) {
            double x = i < 100_000 ? 1 + rnd.nextDouble() * (i % 2 == 0 ? 1 : 2000)
                    : Math.scalb(0.5 + rnd.nextDouble(), rnd.nextInt(2098) - 1074);
            double expected = Math.log(x);
            assertTrue(Math.abs(FloatSoftmaxRows.ln(x) - expected) <= Math.ulp(expected), "ln(" + x + ")");
        }
        assertEquals(0.0, FloatSoftmaxRows.ln(1.0));
        assertEquals(Math.log(Double.MIN_VALUE), FloatSoftmaxRows.ln(Double.MIN_VALUE), 1e-12);
        assertEquals(Math.log(Double.MAX_VALUE), FloatSoftmaxRows.ln(Double.MAX_VALUE), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, FloatSoftmaxRows.ln(0.0));
        assertEquals(Double.NEGATIVE_INFINITY, FloatSoftmaxRows.ln(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, FloatSoftmaxRows.ln(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(FloatSoftmaxRows.ln(Double.NaN)));
        assertTrue(Double.isNaN(FloatSoftmaxRows.ln(-1.0)));
    }

    /**
     * Runs {@code kernel} on the C path and on the Java path, each on a tensor of {@code initial}'s values (rows of
     * {@code cols}) that it writes into (a view of), and asserts the same bits everywhere in it, and that the
     * kernel changed it.
     */
    private static void bothPaths(String what, float[] initial, int cols, Consumer<Tensor> kernel) {
        float[][] outs = new float[2][];
        for (int path = 0; path < 2; path++) {
            Tensor out = Tensor.of(initial, initial.length / cols, cols);
            NativeSoftmax.setEnabled(path == 0);
            kernel.accept(out);
            outs[path] = (float[]) ((CpuStorage) out.storage()).data;
        }
        NativeSoftmax.setEnabled(true);
        int nans = 0;
        int changed = 0;
        for (int i = 0; i < initial.length; i++) {
            float c = outs[0][i];
            float java = outs[1][i];
            nans += Float.isNaN(java) ? 1 : 0;
            changed += Float.floatToIntBits(java) != Float.floatToIntBits(initial[i]) ? 1 : 0;
            if (Float.floatToIntBits(c) != Float.floatToIntBits(java)) {
                throw new AssertionError(what + ": element " + i + " is " + c + " in C, " + java + " in Java");
            }
        }
        assertTrue(nans < initial.length && changed > 0, what + ": all NaN or unchanged");
    }

    /** {@code rows * cols} copies of a marker value. */
    private static float[] marked(int rows, int cols) {
        float[] v = new float[rows * cols];
        java.util.Arrays.fill(v, -12345f);
        return v;
    }

    /** Rows [start, start + n) of a matrix: a contiguous view at an offset. */
    private static Tensor rowsOf(Tensor matrix, int start, int n) {
        Tensor v = matrix.narrow(0, start, n);
        assertSame(matrix.storage(), v.storage());
        return v;
    }

    /** Three {@code [lq, lk]} score matrices from row {@code start} of a matrix of lk columns: a view. */
    private static Tensor scores(Tensor matrix, int start, int lq) {
        Tensor v = rowsOf(matrix, start, 3 * lq).reshape(3, lq, matrix.size(1));
        assertSame(matrix.storage(), v.storage());
        return v;
    }

    /**
     * {@code rows * cols} values, plus two rows of margin before and after: mostly normal with a spread that
     * varies by row, and rows of special values (the kind chosen by the row's index). Gradients
     * ({@code specials} false) have rows with some -inf, and rows where +2^100 and -2^100 cancel exactly amid
     * small values: their sum depends on the order of every addition, which makes it visible in float.
     */
    private static float[] values(Random rnd, int rows, int cols, boolean specials) {
        float[] v = new float[(rows + 4) * cols];
        for (int r = 0; r < rows + 4; r++) {
            int kind = specials ? r % 9 : r % 3 == 0 ? 1 : r % 3 == 1 ? 9 : 0;
            float spread = (float) Math.pow(10, rnd.nextInt(4) - 1);
            for (int j = 0; j < cols; j++) {
                float x = (float) rnd.nextGaussian() * spread;
                v[r * cols + j] = switch (kind) {
                    case 1 -> rnd.nextInt(3) == 0 ? Float.NEGATIVE_INFINITY : x;
                    case 2 -> Float.NEGATIVE_INFINITY;
                    case 3 -> j == cols / 2 ? Float.POSITIVE_INFINITY : x;
                    case 4 -> j == cols / 3 ? Float.NaN : x;
                    case 5 -> x * 3e37f;
                    case 6 -> x * 1e-40f;
                    case 7 -> rnd.nextBoolean() ? 0f : -0f;
                    case 8 -> x * 200;
                    default -> x;
                };
            }
            if (kind == 9) {
                List<Integer> columns = new java.util.ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    columns.add(j);
                }
                java.util.Collections.shuffle(columns, rnd);
                int pairs = (cols + 2) / 4;
                for (int i = 0; i < 2 * pairs && i + 1 < cols; i++) {
                    v[r * cols + columns.get(i)] = i % 2 == 0 ? 0x1p100f : -0x1p100f;
                }
            }
        }
        return v;
    }
}
