package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import org.junit.jupiter.api.Test;

/** The test-support operators of the curvature package that the solvers' tests rely on. */
class OperatorsTest {
    @Test
    void denseOperatorMultipliesByTheMatrix() {
        DenseOperator op = DenseOperator.of(new double[][] {{2, 1}, {1, -3}});
        assertArrayEquals(new double[] {7, -7}, op.apply(new double[] {2, 3}));
        assertEquals(2, op.size());
        assertEquals(1, op.get(1, 0));
    }

    @Test
    void denseOperatorRejectsAsymmetricRaggedAndEmptyMatrices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseOperator.of(new double[][] {{1, 2}, {0, 1}}));
        assertTrue(e.getMessage().contains("not symmetric, entries (0, 1) and (1, 0) differ by 2.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DenseOperator.of(new double[][] {{1, 2}, {2}}));
        assertTrue(e.getMessage().contains("row 1 has 1 entries, the matrix has 2 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseOperator.of(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> DenseOperator.of(new double[][] {{Double.NaN}}));
    }

    @Test
    void diagonalOperatorScalesEachEntry() {
        double[] d = {1, -2, 0.5};
        DiagonalOperator op = new DiagonalOperator(d);
        d[0] = 100;
        assertArrayEquals(new double[] {2, -2, 2}, op.apply(new double[] {2, 1, 4}));
        assertThrows(IllegalArgumentException.class, () -> new DiagonalOperator(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new DiagonalOperator(new double[] {Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> op.apply(new double[2]));
    }
}
