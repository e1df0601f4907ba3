package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.nn.NormPosition;
import org.junit.jupiter.api.Test;

/** The predictions against their closed forms, worked by hand. */
class MeanFieldPredictionTest {
    @Test
    void postLnIsFlatInDepthAndPreLnFallsLikeOneOverRootOfOnePlusHalfL() {
        int[] depths = {2, 4, 6, 8, 12};
        assertArrayEquals(new double[] {0.9, 0.9, 0.9, 0.9, 0.9},
                MeanFieldPrediction.lastLayer(NormPosition.POST, depths, 2, 0.9), 0.0);
        // (1 + 2/2) / (1 + L/2) = 2/2, 2/3, 2/4, 2/5, 2/7
        double[] expected = {0.6, 0.6 * Math.sqrt(2.0 / 3), 0.6 * Math.sqrt(0.5), 0.6 * Math.sqrt(0.4),
            0.6 * Math.sqrt(2.0 / 7)};
        assertArrayEquals(expected, MeanFieldPrediction.lastLayer(NormPosition.PRE, depths, 2, 0.6), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), MeanFieldPrediction.depthFactor(NormPosition.PRE, 4, 8), 1e-15);
    }

    @Test
    void perLayerPostLnShrinksByRootTwoThirdsPerLayerDownAndPreLnIsFlat() {
        assertArrayEquals(new double[] {1.5 * 4.0 / 9, 1.5 * Math.sqrt(8.0 / 27), 1.5 * 2.0 / 3,
            1.5 * Math.sqrt(2.0 / 3), 1.5}, MeanFieldPrediction.perLayer(NormPosition.POST, 5, 1.5), 1e-15);
        assertArrayEquals(new double[] {0.7, 0.7, 0.7}, MeanFieldPrediction.perLayer(NormPosition.PRE, 3, 0.7), 0.0);
    }

    @Test
    void nonPositiveDepthsAreRejected() {
        assertEquals("MeanFieldPrediction.depthFactor: depths must be positive, got 0 and 2",
                assertThrows(IllegalArgumentException.class,
                        () -> MeanFieldPrediction.depthFactor(NormPosition.PRE, 0, 2)).getMessage());
        assertEquals("MeanFieldPrediction.perLayer: layers must be positive, got -1",
                assertThrows(IllegalArgumentException.class,
                        () -> MeanFieldPrediction.perLayer(NormPosition.POST, -1, 1)).getMessage());
    }
}
