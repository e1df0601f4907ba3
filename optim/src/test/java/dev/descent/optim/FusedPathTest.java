package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fused optimizer gives bit for bit the results of its unfused path (the sequence of in-place tensor
 * operations), in float32 and float64: the same optimizer runs on a contiguous parameter (the fused pass) and on
 * the same values stored column-major (not contiguous, so the in-place operations run), with the same
 * gradients, and after every step the parameters agree in every bit; at the end so do every state buffer, the
 * scalars of the state and the gradients (Adan scales them in place). The rules that compute sums (LAMB,
 * Adafactor, KOALA) and the 8-bit ones also run on shapes of several summation blocks (1024 elements) and
 * quantization blocks: rows longer than a block, vectors, rank 3, and a last dimension of 1.
 */
class FusedPathTest {
    private static final int ROWS = 3;
    private static final int COLS = 41;
    private static final int STEPS = 8;

    static Stream<Arguments> cases() {
        return FusedCases.all().flatMap(c -> dtypes(c).map(d -> Arguments.of(c, d)));
    }

    private static Stream<DType> dtypes(FusedCases.Case c) {
        return c.float32Only() ? Stream.of(DType.FLOAT32) : Stream.of(DType.FLOAT32, DType.FLOAT64);
    }

    private static final int[][] SHAPES = {{5, 1100}, {3000}, {3, 20, 70}, {2, 1100, 1}, {4, 1, 9}};

    static Stream<Arguments> phasedCases() {
        return FusedCases.phased().flatMap(c -> dtypes(c).flatMap(d -> Stream.of(SHAPES)
                .map(shape -> Arguments.of(c, d, shape))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void fusedAndUnfusedPathsAgreeBitForBit(FusedCases.Case c, DType dtype) {
        Tensor init = Tensor.randn(new Rng(7), dtype, ROWS, COLS);
        runBoth(c, init, FusedCases.gradients(11, dtype, STEPS, ROWS, COLS), c + " " + dtype);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("phasedCases")
    void phasedRulesAgreeBitForBitOverManyBlocks(FusedCases.Case c, DType dtype, int[] shape) {
        Tensor init = Tensor.randn(new Rng(9), dtype, shape);
        int n = init.numel();
        List<Tensor> grads = FusedCases.gradients(13, dtype, 3, 1, n).stream().map(g -> g.reshape(shape)).toList();
        runBoth(c, init, grads, c + " " + dtype + " " + init.shape());
    }

    /** The parallel split of a large tensor (two ranges with 2 threads) changes nothing either. */
    @Test
    void largeTensorsSplitAcrossThreadsAgreeBitForBit() {
        int cols = (1 << 18) + 3;
        Threads.set(2);
        try {
            List<FusedCases.Case> cases = Stream.concat(FusedCases.all().filter(k -> k.name().equals("RMSprop")
                    && k.options().size() > 3).limit(1), FusedCases.phased().filter(k -> k.options().size() <= 1
                    || k.options().containsKey("min_8bit_size"))).toList();
            for (FusedCases.Case c : cases) {
                Tensor init = Tensor.randn(new Rng(8), DType.FLOAT32, 2, cols);
                runBoth(c, init, FusedCases.gradients(12, DType.FLOAT32, 2, 2, cols), c + " on 2 threads");
            }
        } finally {
            Threads.set(1);
        }
    }

    /**
     * Runs {@code c} on a contiguous copy of {@code init} and on a strided one (the first and last dimensions
     * swapped in memory; a vector is every second element of a larger one), compares after every step.
     */
    private static void runBoth(FusedCases.Case c, Tensor init, List<Tensor> grads, String what) {
        Variable fusedParam = Variable.parameter(init.clone());
        Variable stridedParam = Variable.parameter(strided(init));
        assertTrue(fusedParam.value().isContiguous() && !stridedParam.value().isContiguous(), what);
        Optimizer fused = c.create(Map.of("w", fusedParam));
        Optimizer unfused = c.create(Map.of("w", stridedParam));
        for (int s = 0; s < grads.size(); s++) {
            fusedParam.setGrad(grads.get(s).clone());
            stridedParam.setGrad(grads.get(s).clone());
            c.step(fused);
            c.step(unfused);
            assertBitsEqual(stridedParam.value(), fusedParam.value(), what + ", parameter after step " + (s + 1));
        }
        assertBitsEqual(stridedParam.grad(), fusedParam.grad(), what + ", gradient");
        Map<String, Tensor> expected = unfused.stateTensors();
        Map<String, Tensor> actual = fused.stateTensors();
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), what + ", buffers");
        expected.forEach((k, t) -> assertBitsEqual(t, actual.get(k), what + ", buffer " + k));
        assertEquals(unfused.stateScalars(), fused.stateScalars(), what + ", scalars");
    }

    private static Tensor strided(Tensor init) {
        if (init.dim() < 2) {
            return Tensor.zeros(init.dtype(), init.numel(), 2).select(1, 0).copy_(init);
        }
        int n = init.dim();
        return init.transpose(0, n - 1).contiguous().transpose(0, n - 1);
    }

    /** Compares the raw bits, so that -0 differs from 0 and any rounding difference shows. */
    private static void assertBitsEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what);
        assertEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(bits(expected), bits(actual), what);
    }

    private static long[] bits(Tensor t) {
        if (t.dtype() == DType.INT64) {
            return t.toLongArray(); // packed 8-bit codes
        }
        double[] values = t.dtype() == DType.FLOAT64 ? t.toDoubleArray() : null;
        float[] floats = t.dtype() == DType.FLOAT32 ? t.toFloatArray() : null;
        long[] out = new long[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values != null ? Double.doubleToLongBits(values[i]) : Float.floatToIntBits(floats[i]);
        }
        return out;
    }
}
