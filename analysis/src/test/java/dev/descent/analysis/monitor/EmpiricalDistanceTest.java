package dev.descent.analysis.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Rng;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** KS and W1 against hand values, closed forms for Gaussians, and a quantile-function reference; histograms. */
class EmpiricalDistanceTest {
    @Test
    void handComputedValues() {
        double[] a = {3, 1, 2};
        assertEquals(0, EmpiricalDistance.kolmogorovSmirnov(a, new double[] {1, 2, 3}), 0);
        assertEquals(0, EmpiricalDistance.wasserstein1(a, new double[] {2, 3, 1}), 0);
        // b = a + 0.5: the CDFs differ by 1/3 on [1, 1.5), [2, 2.5), [3, 3.5)
        double[] b = {1.5, 2.5, 3.5};
        assertEquals(1.0 / 3, EmpiricalDistance.kolmogorovSmirnov(a, b), 1e-15);
        assertEquals(0.5, EmpiricalDistance.wasserstein1(a, b), 1e-15);
        // unequal sizes: F_{0} − F_{0,1} = 1/2 on [0, 1)
        assertEquals(0.5, EmpiricalDistance.kolmogorovSmirnov(new double[] {0}, new double[] {0, 1}), 0);
        assertEquals(0.5, EmpiricalDistance.wasserstein1(new double[] {0}, new double[] {0, 1}), 0);
        // ties: F_a(1) = 2/3, F_b(1) = 1/3, equal from 2 on
        assertEquals(1.0 / 3, EmpiricalDistance.kolmogorovSmirnov(new double[] {1, 1, 2}, new double[] {1, 2, 2}),
                1e-15);
        assertEquals(1.0 / 3, EmpiricalDistance.wasserstein1(new double[] {1, 1, 2}, new double[] {1, 2, 2}), 1e-15);
        // disjoint supports: KS = 1 and W1 = the difference of the means
        assertEquals(1, EmpiricalDistance.kolmogorovSmirnov(new double[] {0, 1}, new double[] {5, 9, 10}), 0);
        assertEquals(8 - 0.5, EmpiricalDistance.wasserstein1(new double[] {0, 1}, new double[] {5, 9, 10}), 1e-14);
        assertArrayEquals(new double[] {3, 1, 2}, a, "inputs are not reordered");
    }

    @Test
    void aShiftedSampleIsAtWassersteinDistanceTheShift() {
        Rng rng = new Rng(3);
        double[] a = new double[500];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() * 3;
        }
        for (double shift : new double[] {0.25, -4}) {
            double[] b = Arrays.stream(a).map(v -> v + shift).toArray();
            assertEquals(Math.abs(shift), EmpiricalDistance.wasserstein1(a, b), 1e-12);
            assertEquals(EmpiricalDistance.wasserstein1(b, a), EmpiricalDistance.wasserstein1(a, b), 1e-12);
        }
    }

    /** Large Gaussian samples: KS(N(0,1), N(δ,1)) = 2Φ(δ/2) − 1 and W1(N(0,1), N(0,4)) = |σ1 − σ2| sqrt(2/π). */
    @Test
    void largeGaussianSamplesApproachTheClosedForms() {
        Rng rng = new Rng(9);
        int n = 40_000;
        double[] a = new double[n];
        double[] shifted = new double[n + 7];
        double[] wide = new double[n - 3];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian();
        }
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = 1 + rng.nextGaussian();
        }
        for (int i = 0; i < wide.length; i++) {
            wide[i] = 2 * rng.nextGaussian();
        }
        double phiHalf = 0.6914624612740131; // Φ(0.5)
        assertEquals(2 * phiHalf - 1, EmpiricalDistance.kolmogorovSmirnov(a, shifted), 0.015);
        assertEquals(1, EmpiricalDistance.wasserstein1(a, shifted), 0.03);
        assertEquals(Math.sqrt(2 / Math.PI), EmpiricalDistance.wasserstein1(a, wide), 0.03);
    }

    /** W1 = ∫₀¹ |Q_a(u) − Q_b(u)| du, integrated exactly over the breakpoints i/n and j/m of the quantile functions. */
    @Test
    void agreesWithTheQuantileFormAndABruteForceKs() {
        Rng rng = new Rng(5);
        for (int trial = 0; trial < 20; trial++) {
            double[] a = sample(rng, 1 + rng.nextInt(30));
            double[] b = sample(rng, 1 + rng.nextInt(30));
            assertEquals(quantileW1(a, b), EmpiricalDistance.wasserstein1(a, b), 1e-12);
            assertEquals(bruteKs(a, b), EmpiricalDistance.kolmogorovSmirnov(a, b), 1e-15);
        }
    }

    private static double[] sample(Rng rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.round(rng.nextGaussian() * 4) / 2.0; // coarse values, so that ties occur
        }
        return x;
    }

    private static double quantileW1(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        TreeSet<Double> cuts = new TreeSet<>();
        for (int i = 0; i <= x.length; i++) {
            cuts.add((double) i / x.length);
        }
        for (int j = 0; j <= y.length; j++) {
            cuts.add((double) j / y.length);
        }
        double sum = 0;
        Double prev = null;
        for (double u : cuts) {
            if (prev != null) {
                double mid = (prev + u) / 2;
                sum += (u - prev) * Math.abs(x[(int) (mid * x.length)] - y[(int) (mid * y.length)]);
            }
            prev = u;
        }
        return sum;
    }

    private static double bruteKs(double[] a, double[] b) {
        double sup = 0;
        for (double[] s : new double[][] {a, b}) {
            for (double v : s) {
                sup = Math.max(sup, Math.abs(cdf(a, v) - cdf(b, v)));
            }
        }
        return sup;
    }

    private static double cdf(double[] s, double v) {
        return Arrays.stream(s).filter(x -> x <= v).count() / (double) s.length;
    }

    @Test
    void histogramsCountEveryValueOnce() {
        Histogram h = Histogram.of(new double[] {0, 0.1, 0.5, 0.99, 1, 1}, 4);
        assertEquals(0, h.lo(), 0);
        assertEquals(1, h.hi(), 0);
        assertArrayEquals(new long[] {2, 0, 1, 3}, h.counts());
        assertEquals(6, h.total());
        Histogram flat = Histogram.of(new double[] {2, 2}, 3);
        assertEquals(1.5, flat.lo(), 0);
        assertEquals(2.5, flat.hi(), 0);
        assertArrayEquals(new long[] {0, 2, 0}, flat.counts());
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalDistance.wasserstein1(new double[] {1}, new double[0]));
        assertTrue(e.getMessage().contains("wasserstein1") && e.getMessage().contains("b is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalDistance.kolmogorovSmirnov(new double[] {1, Double.NaN}, new double[] {1}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[] {1}, 0));
    }
}
