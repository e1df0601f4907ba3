package dev.descent.analysis.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedOperatorTest {
    @Test
    void passesProductsThroughAndCountsThem() {
        DenseOperator dense = DenseOperator.of(new double[][] {{2, 1}, {1, -3}});
        List<Integer> seen = new ArrayList<>();
        TimedOperator timed = new TimedOperator(dense, seen::add);
        assertEquals(2, timed.size());
        assertArrayEquals(new double[] {7, -7}, timed.apply(new double[] {2, 3}));
        assertArrayEquals(new double[] {2, 1}, timed.apply(new double[] {1, 0}));
        assertEquals(List.of(1, 2), seen);
        assertEquals(2, timed.applications());
        assertTrue(timed.inner() == dense);
    }

    @Test
    void timesOnlyTheInnerOperator() {
        // the inner operator sleeps 20 ms per product and the listener 30 ms: only the 20 ms count
        CurvatureOperator slow = new CurvatureOperator() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public double[] apply(double[] v) {
                sleep(20);
                return v.clone();
            }
        };
        TimedOperator timed = new TimedOperator(slow, n -> sleep(30));
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            timed.apply(new double[] {1});
        }
        long total = System.nanoTime() - t0;
        assertTrue(timed.nanos() >= 60_000_000L, "at least the three sleeps: " + timed.nanos());
        assertTrue(timed.nanos() <= total - 90_000_000L, "without the listener's sleeps: " + timed.nanos() + " of "
                + total);
    }

    @Test
    void rejectsNulls() {
        assertThrows(NullPointerException.class, () -> new TimedOperator(null));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
