package dev.descent.nn;

import dev.descent.nn.init.Init;
import dev.descent.nn.init.Init.FanMode;
import dev.descent.nn.init.Init.Nonlinearity;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initialisers of {@link Init} on large tensors against closed-form values: uniform bounds exactly,
 * means and variances within five standard errors (so a wrong scale fails and a right one passes with
 * probability 1 - 6e-7 per check), the gain table and fans against PyTorch (fixtures/layers/init.txt).
 */
class InitTest {
    private static final int N = 200_000;

    /** The sample mean and (biased) variance. */
    private static double[] moments(Tensor t) {
        double[] v = t.cast(DType.FLOAT64).toDoubleArray();
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
        return new double[] {mean, var};
    }

    /** Asserts mean and variance within 5 standard errors, given the distribution's kurtosis (3 for normal). */
    private static void assertMoments(String what, Tensor t, double mean, double var, double kurtosis) {
        double[] m = moments(t);
        int n = t.numel();
        assertEquals(mean, m[0], 5 * Math.sqrt(var / n), what + ": mean");
        assertEquals(var, m[1], 5 * var * Math.sqrt((kurtosis - 1) / n), what + ": variance");
    }

    private static double min(Tensor t) {
        return Arrays.stream(t.cast(DType.FLOAT64).toDoubleArray()).min().orElseThrow();
    }

    private static double max(Tensor t) {
        return Arrays.stream(t.cast(DType.FLOAT64).toDoubleArray()).max().orElseThrow();
    }

    @Test
    void gainTableMatchesPyTorch() {
        Map<String, String> gains = LayersFixture.load("init.txt").get("gains").texts();
        assertEquals(Double.parseDouble(gains.get("linear")), Init.gain(Nonlinearity.LINEAR, 0));
        assertEquals(Double.parseDouble(gains.get("sigmoid")), Init.gain(Nonlinearity.SIGMOID, 0));
        assertEquals(Double.parseDouble(gains.get("tanh")), Init.gain(Nonlinearity.TANH, 0), 1e-15);
        assertEquals(Double.parseDouble(gains.get("relu")), Init.gain(Nonlinearity.RELU, 0), 1e-15);
        assertEquals(Double.parseDouble(gains.get("selu")), Init.gain(Nonlinearity.SELU, 0));
        // PyTorch's leaky_relu default slope is 0.01
        assertEquals(Double.parseDouble(gains.get("leaky_relu")), Init.gain(Nonlinearity.LEAKY_RELU, 0.01), 1e-15);
        assertEquals(Double.parseDouble(gains.get("leaky_relu_0.2")), Init.gain(Nonlinearity.LEAKY_RELU, 0.2), 1e-15);
        assertEquals(Double.parseDouble(gains.get("leaky_relu_2.23606797749979")),
                Init.gain(Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
    }

    @Test
    void fansMatchPyTorchForLinearAndConvolutionWeights() {
        for (Map.Entry<String, String> e : LayersFixture.load("init.txt").get("fans").texts().entrySet()) {
            int[] shape = Arrays.stream(e.getKey().split("x")).mapToInt(Integer::parseInt).toArray();
            int[] expected = Arrays.stream(e.getValue().split(" ")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(expected, Init.fans(Tensor.zeros(shape)), e.getKey());
        }
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
    }

    @Test
    void uniformStaysInItsBoundsWithTheRightMoments() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor t = Init.uniform_(Tensor.zeros(dtype, N), -0.5, 1.5, new Rng(1));
            assertTrue(min(t) >= -0.5 && max(t) <= 1.5, dtype + ": out of [-0.5, 1.5]");
            // the extremes come within 1e-3 of the bounds with probability 1 - 2 exp(-100)
            assertTrue(min(t) < -0.499 && max(t) > 1.499, dtype + ": does not fill [-0.5, 1.5]");
            assertMoments("uniform " + dtype, t, 0.5, 4 / 12.0, 1.8);
        }
    }

    @Test
    void normalHasTheRightMoments() {
        assertMoments("normal", Init.normal_(Tensor.zeros(N), 2, 0.5, new Rng(2)), 2, 0.25, 3);
    }

    /** The standard normal probability of [lo, hi] by Simpson's rule on its density. */
    private static double normalMass(double lo, double hi) {
        int steps = 20_000;
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = lo + i * h;
            double w = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * Math.exp(-z * z / 2);
        }
        return sum * h / 3 / Math.sqrt(2 * Math.PI);
    }

    private static double density(double z) {
        return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }

    @Test
    void truncatedNormalStaysInRangeWithTheTruncatedMoments() {
        double mean = 0.5;
        double std = 2;
        double a = -1;
        double b = 3;
        Tensor t = Init.truncNormal_(Tensor.zeros(DType.FLOAT64, N), mean, std, a, b, new Rng(3));
        assertTrue(min(t) >= a && max(t) <= b);
        // the moments of N(mean, std^2) conditioned on [a, b]
        double alpha = (a - mean) / std;
        double beta = (b - mean) / std;
        double z = normalMass(alpha, beta);
        double shift = (density(alpha) - density(beta)) / z;
        double expectedMean = mean + std * shift;
        double expectedVar = std * std * (1 + (alpha * density(alpha) - beta * density(beta)) / z - shift * shift);
        // truncation lowers the kurtosis below the normal's 3, so 3 gives a safe (wider) tolerance
        assertMoments("truncated normal", t, expectedMean, expectedVar, 3);
        Tensor narrow = Init.truncNormal_(Tensor.zeros(1000), 0, 1, -0.01, 0.02, new Rng(4));
        assertTrue(min(narrow) >= -0.01 && max(narrow) <= 0.02);
        assertThrows(IllegalArgumentException.class, () -> Init.truncNormal_(Tensor.zeros(2), 0, 1, 1, 1, new Rng(1)));
    }

    @Test
    void xavierAndKaimingUseTheirClosedFormScales() {
        int[] shape = {400, 100, 3, 3}; // fan in 900, fan out 3600
        Tensor xu = Init.xavierUniform_(Tensor.zeros(shape), 2, new Rng(5));
        double r = 2 * Math.sqrt(6.0 / (900 + 3600));
        assertTrue(max(xu) <= r && min(xu) >= -r && max(xu) > 0.999 * r);
        assertMoments("xavier uniform", xu, 0, r * r / 3, 1.8);
        assertMoments("xavier normal", Init.xavierNormal_(Tensor.zeros(shape), 1.5, new Rng(6)), 0,
                1.5 * 1.5 * 2.0 / (900 + 3600), 3);
        Tensor ku = Init.kaimingUniform_(Tensor.zeros(shape), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Rng(7));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 900);
        assertTrue(max(ku) <= bound && min(ku) >= -bound && max(ku) > 0.999 * bound);
        Tensor kuOut = Init.kaimingUniform_(Tensor.zeros(shape), 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU,
                new Rng(7));
        double boundOut = Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 3600);
        assertTrue(max(kuOut) <= boundOut && max(kuOut) > 0.999 * boundOut);
        assertMoments("kaiming normal", Init.kaimingNormal_(Tensor.zeros(shape), 0, FanMode.FAN_OUT,
                Nonlinearity.RELU, new Rng(8)), 0, 2.0 / 3600, 3);
        // PyTorch's default for Linear and Conv: a = sqrt(5) gives U(-1/sqrt(fanIn), 1/sqrt(fanIn))
        Tensor dflt = Init.kaimingUniform_(Tensor.zeros(shape), Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
                new Rng(9));
        assertTrue(max(dflt) <= 1 / 30.0 && max(dflt) > 0.999 / 30);
    }

    /** Max |M^T M - g^2 I| for the columns of m [rows, cols]. */
    private static double gramError(double[] m, int rows, int cols, double gain) {
        double worst = 0;
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double dot = 0;
                for (int k = 0; k < rows; k++) {
                    dot += m[k * cols + i] * m[k * cols + j];
                }
                worst = Math.max(worst, Math.abs(dot - (i == j ? gain * gain : 0)));
            }
        }
        return worst;
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        // tall: Q^T Q = I
        double[] tall = Init.orthogonal_(Tensor.zeros(DType.FLOAT64, 60, 25), 1, new Rng(10)).toDoubleArray();
        assertEquals(0, gramError(tall, 60, 25, 1), 1e-12);
        // wide: Q Q^T = I (the rows are orthonormal)
        double[] wide = Init.orthogonal_(Tensor.zeros(DType.FLOAT64, 25, 60), 1, new Rng(11)).toDoubleArray();
        assertEquals(0, gramError(transpose(wide, 25, 60), 60, 25, 1), 1e-12);
        // square with a gain, and a convolution weight flattened to [out, in * k * k]
        double[] square = Init.orthogonal_(Tensor.zeros(DType.FLOAT64, 30, 30), 2, new Rng(12)).toDoubleArray();
        assertEquals(0, gramError(square, 30, 30, 2), 1e-12);
        assertEquals(0, gramError(transpose(square, 30, 30), 30, 30, 2), 1e-12);
        double[] conv = Init.orthogonal_(Tensor.zeros(DType.FLOAT64, 8, 2, 3, 3), 1, new Rng(13)).toDoubleArray();
        assertEquals(0, gramError(transpose(conv, 8, 18), 18, 8, 1), 1e-12);
        double[] single = Init.orthogonal_(Tensor.zeros(DType.FLOAT32, 40, 10), 1, new Rng(14)).toDoubleArray();
        assertEquals(0, gramError(single, 40, 10, 1), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal_(Tensor.zeros(5), 1, new Rng(1)));
    }

    @Test
    void orthogonalIsNotBiasedTowardTheIdentity() {
        // Haar-distributed Q: each entry of a 30 x 30 Q has mean 0 and variance 1/30
        int n = 30;
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        for (int seed = 0; seed < 20; seed++) {
            for (double v : Init.orthogonal_(Tensor.zeros(DType.FLOAT64, n, n), 1, new Rng(seed)).toDoubleArray()) {
                sum += v;
                sumSq += v * v;
                count++;
            }
        }
        assertEquals(0, sum / count, 5 * Math.sqrt(1.0 / n / count));
        assertEquals(1.0 / n, sumSq / count, 1e-12); // each row has norm 1, exactly
        double diagonal = 0;
        for (int seed = 0; seed < 20; seed++) {
            double[] q = Init.orthogonal_(Tensor.zeros(DType.FLOAT64, n, n), 1, new Rng(100 + seed)).toDoubleArray();
            for (int i = 0; i < n; i++) {
                diagonal += q[i * n + i];
            }
        }
        // the trace of a Haar orthogonal matrix has mean 0 and variance 1 (Diaconis and Shahshahani)
        assertEquals(0, diagonal / 20, 5 / Math.sqrt(20));
    }

    @Test
    void constantsFillExactly() {
        assertArrayEquals(new double[] {0, 0, 0}, Init.zeros_(Tensor.ones(3)).toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, Init.ones_(Tensor.zeros(DType.FLOAT64, 2)).toDoubleArray());
    }

    @Test
    void everyRandomInitialiserIsDeterminedByItsSeed() {
        Map<String, BiFunction<Tensor, Rng, Tensor>> inits = Map.of(
                "uniform", (t, r) -> Init.uniform_(t, -1, 1, r),
                "normal", (t, r) -> Init.normal_(t, 0, 1, r),
                "truncNormal", (t, r) -> Init.truncNormal_(t, 0, 1, -2, 2, r),
                "xavierUniform", (t, r) -> Init.xavierUniform_(t, 1, r),
                "xavierNormal", (t, r) -> Init.xavierNormal_(t, 1, r),
                "kaimingUniform", (t, r) -> Init.kaimingUniform_(t, 0, FanMode.FAN_IN, Nonlinearity.RELU, r),
                "kaimingNormal", (t, r) -> Init.kaimingNormal_(t, 0, FanMode.FAN_IN, Nonlinearity.RELU, r),
                "orthogonal", (t, r) -> Init.orthogonal_(t, 1, r));
        inits.forEach((name, init) -> {
            double[] a = init.apply(Tensor.zeros(6, 4), new Rng(42)).toDoubleArray();
            double[] b = init.apply(Tensor.zeros(6, 4), new Rng(42)).toDoubleArray();
            double[] c = init.apply(Tensor.zeros(6, 4), new Rng(43)).toDoubleArray();
            assertArrayEquals(a, b, name + ": same seed, same values");
            assertFalse(Arrays.equals(a, c), name + ": another seed, other values");
        });
    }
}
