package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After warm-up, a step of a fused optimizer allocates nothing (DESIGN.md §5): the bytes this thread allocates
 * during 20 steps over 4 parameters (a matrix, a vector, a tensor of rank 3 and one of several summation
 * blocks, so that Adafactor takes both its factored and its full path) are counted
 * ({@code com.sun.management.ThreadMXBean}), three times, and the least count must be 0. The unfused path
 * allocates temporary tensors at every step, so this also shows that each configuration takes the fused path,
 * norms included (LARS's, Adan's clipping).
 */
class FusedStepAllocationTest {
    private static final int STEPS = 20;

    static Stream<FusedCases.Case> cases() {
        return FusedCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFusedStepAllocatesNothing(FusedCases.Case c) {
        Rng rng = new Rng(3);
        Map<String, Variable> params = new LinkedHashMap<>();
        int[][] shapes = {{8, 16}, {128}, {2, 4, 16}, {3, 1500}};
        for (int i = 0; i < shapes.length; i++) {
            Variable p = Variable.parameter(Tensor.randn(rng, shapes[i]));
            p.setGrad(Tensor.randn(rng, shapes[i]));
            params.put("p" + i, p);
        }
        Optimizer optimizer = c.create(params);
        for (int i = 0; i < 10; i++) {
            c.step(optimizer);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < STEPS; i++) {
                c.step(optimizer);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, least, c + ": bytes allocated by " + STEPS + " steps");
    }
}
