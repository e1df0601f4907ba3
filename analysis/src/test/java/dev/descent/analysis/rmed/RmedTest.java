package dev.descent.analysis.rmed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistic on hand-made diagonals, the exact/estimated diagonal rule on matrices of known diagonal, and the
 * files of a result without a single defined point.
 */
class RmedTest {
    @Test
    void ratioOfMaxToMedianForEvenAndOddCounts() {
        Rmed even = Rmed.of(new double[] {3, 10, 1, 2});
        assertEquals(2.5, even.median());
        assertEquals(10, even.max());
        assertEquals(4.0, even.value(), 1e-15);
        assertEquals(0, even.negativeFraction());
        assertEquals(4, even.size());
        Rmed odd = Rmed.of(new double[] {5, -1, 2, 8, 4});
        assertEquals(4, odd.median());
        assertEquals(2.0, odd.value(), 1e-15);
        assertEquals(0.2, odd.negativeFraction(), 1e-15);
        assertTrue(odd.defined());
    }

    @Test
    void undefinedWhenTheMedianIsNotPositive() {
        Rmed zero = Rmed.of(new double[] {0, 0, 0, 7});
        assertTrue(Double.isNaN(zero.value()));
        assertFalse(zero.defined());
        assertEquals(7, zero.max());
        Rmed negative = Rmed.of(new double[] {-3, -2, 1});
        assertTrue(Double.isNaN(negative.value()));
        assertEquals(2.0 / 3, negative.negativeFraction(), 1e-15);
    }

    @Test
    void rejectsEmptyAndNonFiniteDiagonals() {
        assertThrows(IllegalArgumentException.class, () -> Rmed.of(new double[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rmed.of(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("entry 1 is NaN"), e.getMessage());
    }

    @Test
    void exactDiagonalUpToTheLimit() {
        double[][] m = {{4, 1, 0.5}, {1, 2, -1}, {0.5, -1, 9}};
        LayerDiagonal d = new DiagonalRule(3, 2).compute(DenseOperator.of(m), new Rng(0));
        assertTrue(d.exact());
        assertNull(d.standardErrors());
        assertArrayEquals(new double[] {4, 2, 9}, d.diagonal(), 1e-15);
        assertEquals(3, d.products());
        assertEquals(9.0 / 4, d.rmed().value(), 1e-15);
    }

    @Test
    void estimateAboveTheLimitIsWithinItsStandardErrors() {
        double[][] m = {{4, 1, 0.5}, {1, 2, -1}, {0.5, -1, 9}};
        LayerDiagonal d = new DiagonalRule(2, 400).compute(DenseOperator.of(m), new Rng(1));
        assertFalse(d.exact());
        assertEquals(400, d.products());
        double[] truth = {4, 2, 9};
        for (int i = 0; i < 3; i++) {
            // entry i's samples are A_ii + Σ_j A_ij z_i z_j: standard deviation sqrt(Σ_{j≠i} A_ij²)
            double sd = Math.sqrt(m[i][0] * m[i][0] + m[i][1] * m[i][1] + m[i][2] * m[i][2] - m[i][i] * m[i][i]);
            assertEquals(sd / 20, d.standardErrors()[i], 0.2 * sd / 20, "standard error of entry " + i);
            assertEquals(truth[i], d.diagonal()[i], 4 * d.standardErrors()[i], "entry " + i);
        }
        assertTrue(d.meanStandardError() > 0);
    }

    @Test
    void aResultWhoseEveryPointIsUndefinedStillWritesItsFiles(@TempDir Path dir) throws Exception {
        Rmed undefined = Rmed.of(new double[] {-1, 0, 2});
        RmedResult result = new RmedResult(List.of("SGD"), List.of("0.weight"), List.of(
                new RmedPoint("SGD", 0, "0.weight", 1.5, undefined, true, 3, 0),
                new RmedPoint("SGD", 5, "0.weight", 1.2, undefined, true, 3, 0)));
        assertTrue(Double.isNaN(result.trajectoryMean("SGD", "0.weight")));
        result.write(new StudyFolder(dir));
        assertEquals(3, Files.readAllLines(dir.resolve("rmed.csv")).size());
        assertTrue(Files.readAllLines(dir.resolve("rmed.csv")).get(1).startsWith("SGD,0,0.weight,1.5,NaN,2.0,0.0,"));
        assertEquals(800, ImageIO.read(dir.resolve("rmed.png").toFile()).getWidth());
        assertThrows(IllegalArgumentException.class, () -> result.series("Adam", "0.weight"));
    }

    @Test
    void ruleRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new DiagonalRule(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new DiagonalRule(10, 1));
    }
}
