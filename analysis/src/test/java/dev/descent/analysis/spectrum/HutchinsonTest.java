package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HutchinsonTest {
    static double[][] randomSymmetric(int n, Rng rng) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = rng.nextGaussian() + (i == j ? 1 : 0);
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    @Test
    void isExactForADiagonalWithRademacherProbes() {
        double[] d = {3, -1, 0.25, 7, 2};
        TraceEstimate t = new Hutchinson().estimate(new DiagonalOperator(d), new Rng(1));
        assertEquals(11.25, t.estimate(), 1e-14);
        assertEquals(0, t.standardError());
        assertEquals(Hutchinson.DEFAULT_MIN_SAMPLES, t.samples());
    }

    @Test
    void liesWithinThreeStandardErrorsOfTheTraceOnADenseMatrix() {
        double[][] a = randomSymmetric(80, new Rng(2));
        DenseOperator op = DenseOperator.of(a);
        for (Probe probe : Probe.values()) {
            TraceEstimate t = new Hutchinson(probe, 0, 2, 300).estimate(op, new Rng(3));
            assertEquals(300, t.samples());
            assertTrue(Math.abs(t.estimate() - TestMatrices.trace(a)) < 3 * t.standardError(),
                    probe + ": " + t.estimate() + " ± " + t.standardError() + " vs " + TestMatrices.trace(a));
            double[] s = t.sampleValues();
            double mean = Arrays.stream(s).average().orElseThrow();
            double variance = Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / (s.length - 1);
            assertEquals(mean, t.estimate(), 1e-9);
            assertEquals(Math.sqrt(variance / s.length), t.standardError(), 1e-9);
        }
    }

    @Test
    void stopsAtTheFirstSampleWhoseRelativeStandardErrorMeetsTheTolerance() {
        double[][] a = randomSymmetric(40, new Rng(4));
        for (int i = 0; i < 40; i++) {
            a[i][i] += 20;
        }
        double tolerance = 0.01;
        TraceEstimate t = new Hutchinson(Probe.RADEMACHER, tolerance, 5, 1000).estimate(DenseOperator.of(a),
                new Rng(5));
        assertTrue(t.samples() > 5 && t.samples() < 1000, "stopped after " + t.samples());
        assertTrue(t.standardError() <= tolerance * Math.abs(t.estimate()));
        double[] before = Arrays.copyOf(t.sampleValues(), t.samples() - 1);
        double mean = Arrays.stream(before).average().orElseThrow();
        double se = Math.sqrt(Arrays.stream(before).map(x -> (x - mean) * (x - mean)).sum()
                / (before.length - 1) / before.length);
        assertTrue(se > tolerance * Math.abs(mean), "one sample earlier the rule was not yet met");
    }

    @Test
    void rejectsBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Hutchinson(Probe.RADEMACHER, 1e-3, 1, 10));
        assertTrue(e.getMessage().contains("got 0.001, 1, 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Hutchinson(Probe.RADEMACHER, 1e-3, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new Hutchinson(Probe.RADEMACHER, -1, 2, 5));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> new DiagonalOperator(new double[] {1, 2}).apply(new double[3]));
        assertTrue(length.getMessage().contains("vector has 3 elements, the operator maps vectors of 2"));
    }
}
