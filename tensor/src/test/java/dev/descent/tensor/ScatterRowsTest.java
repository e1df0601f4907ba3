package dev.descent.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scatterAdd_ with an expanded row index (indexSelect's and Embedding's gradient, which the CPU backend adds
 * row by row): repeated rows sum, and a bad index changes nothing.
 */
class ScatterRowsTest {
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void rowsAddUpAtTheirIndices(DType dtype) {
        Tensor rows = Tensor.of(1L, 3L, 1L, 0L);
        Tensor index = rows.reshape(4, 1).expand(4, 3);
        Tensor src = Tensor.randn(new Rng(5), dtype, 4, 3);
        Tensor self = Tensor.ones(dtype, 5, 3);
        self.scatterAdd_(0, index, src);
        double[] expected = new double[15];
        java.util.Arrays.fill(expected, 1);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                expected[(int) rows.getDouble(i) * 3 + j] += src.getDouble(i, j);
            }
        }
        assertArrayEquals(expected, self.toDoubleArray(), dtype == DType.FLOAT64 ? 1e-15 : 1e-6);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void anIndexOutOfRangeChangesNothing(DType dtype) {
        Tensor index = Tensor.of(1L, 7L).reshape(2, 1).expand(2, 3);
        Tensor self = Tensor.ones(dtype, 5, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> self.scatterAdd_(0, index, Tensor.ones(dtype, 2, 3)));
        assertTrue(e.getMessage().contains("index 7 is out of range"), e.getMessage());
        double[] ones = new double[15];
        java.util.Arrays.fill(ones, 1);
        assertArrayEquals(ones, self.toDoubleArray(), 0);
    }
}
