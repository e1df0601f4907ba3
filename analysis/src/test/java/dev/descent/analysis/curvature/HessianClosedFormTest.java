package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.assertMatrixClose;
import static dev.descent.analysis.curvature.CurvatureFixtures.dense;

import dev.descent.autograd.Variable;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Hessians of linear models against their closed forms, computed here from the data and the model's weights.
 * A linear model's parameters (weight [C, d] row-major, then bias [C]) are indexed by {@code k}; parameter k
 * belongs to output {@code c(k)} and multiplies feature {@code φ_k(x)}: {@code x_j} for a weight, 1 for a bias.
 */
class HessianClosedFormTest {
    private static final int N = 9;
    private static final int D = 3;

    @Test
    void linearRegressionWithMeanSquaredErrorHasTwoOverNXTransposeX() {
        // torch's MSE mean divides by the number of output elements, N here: H = (2/N) X̃ᵀX̃, X̃ = [X, 1]
        checkRegression(1);
    }

    @Test
    void meanSquaredErrorOverSeveralOutputsAveragesOverEveryElement() {
        // outputs [N, 2]: the mean is over 2N elements, so each output's block is (2 / 2N) X̃ᵀX̃, none across
        checkRegression(2);
    }

    private static void checkRegression(int outputs) {
        Rng rng = new Rng(1);
        Linear model = linear(D, outputs, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, N, D);
        Batch batch = new Batch(x, Tensor.randn(rng, DType.FLOAT64, N, outputs));
        HessianOperator op = HessianOperator.builder(model, LossFunction.meanSquaredError()).batch(batch).build();
        double[][] features = rows(x);
        int p = outputs * (D + 1);
        double[][] expected = new double[p][p];
        for (int k = 0; k < p; k++) {
            for (int l = 0; l < p; l++) {
                if (output(k, outputs) != output(l, outputs)) {
                    continue;
                }
                for (double[] xi : features) {
                    expected[k][l] += 2.0 / (N * outputs) * phi(k, xi, outputs) * phi(l, xi, outputs);
                }
            }
        }
        assertMatrixClose(expected, dense(op), 1e-12);
    }

    @Test
    void binaryLogisticRegressionHasTheWeightedCovariance() {
        // BCE with logits: H = (1/N) Σ p(1 − p) x̃ x̃ᵀ, p = σ(w·x + b)
        Rng rng = new Rng(2);
        Linear model = linear(D, 1, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, N, D);
        Tensor y = Tensor.randint(rng, 0, 2, N, 1).cast(DType.FLOAT64);
        LossFunction bce = (m, b) -> F.binaryCrossEntropyWithLogits(((Layer) m).forward(Variable.constant(b.inputs())),
                Variable.constant(b.targets()), Reduction.MEAN);
        HessianOperator op = HessianOperator.builder(model, bce).batch(new Batch(x, y)).build();
        double[] w = model.weight().value().toDoubleArray();
        double bias = model.bias().value().item();
        double[][] expected = new double[D + 1][D + 1];
        for (double[] xi : rows(x)) {
            double z = bias;
            for (int j = 0; j < D; j++) {
                z += w[j] * xi[j];
            }
            double p = 1 / (1 + Math.exp(-z));
            for (int k = 0; k <= D; k++) {
                for (int l = 0; l <= D; l++) {
                    expected[k][l] += p * (1 - p) * phi(k, xi, 1) * phi(l, xi, 1) / N;
                }
            }
        }
        assertMatrixClose(expected, dense(op), 1e-12);
    }

    @Test
    void softmaxRegressionHasTheKroneckerFormOfTheSoftmaxCovariance() {
        // cross-entropy: H = (1/N) Σ (diag(p) − ppᵀ) ⊗ x̃ x̃ᵀ, entry (k, l) = (δ p_c − p_c p_c') φ_k φ_l
        int classes = 4;
        Rng rng = new Rng(3);
        Linear model = linear(D, classes, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, N, D);
        Batch batch = new Batch(x, Tensor.randint(rng, 0, classes, N));
        HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        double[] w = model.weight().value().toDoubleArray();
        double[] bias = model.bias().value().toDoubleArray();
        int p = classes * (D + 1);
        double[][] expected = new double[p][p];
        for (double[] xi : rows(x)) {
            double[] prob = softmax(w, bias, xi, classes);
            for (int k = 0; k < p; k++) {
                for (int l = 0; l < p; l++) {
                    int c = output(k, classes);
                    int c2 = output(l, classes);
                    double cov = (c == c2 ? prob[c] : 0) - prob[c] * prob[c2];
                    expected[k][l] += cov * phi(k, xi, classes) * phi(l, xi, classes) / N;
                }
            }
        }
        assertMatrixClose(expected, dense(op), 1e-12);
    }

    private static Linear linear(int in, int out, Rng rng) {
        Linear model = new Linear(in, out, rng);
        model.to(DType.FLOAT64);
        return model;
    }

    /** The output that parameter k feeds: row of the weight, or index of the bias. */
    private static int output(int k, int outputs) {
        return k < outputs * D ? k / D : k - outputs * D;
    }

    /** The feature that parameter k multiplies. */
    private static double phi(int k, double[] x, int outputs) {
        return k < outputs * D ? x[k % D] : 1;
    }

    private static double[] softmax(double[] w, double[] bias, double[] x, int classes) {
        double[] z = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = bias[c];
            for (int j = 0; j < D; j++) {
                z[c] += w[c * D + j] * x[j];
            }
            z[c] = Math.exp(z[c]);
            total += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= total;
        }
        return z;
    }

    private static double[][] rows(Tensor x) {
        double[] flat = x.toDoubleArray();
        double[][] out = new double[x.size(0)][x.size(1)];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * out[i].length, out[i], 0, out[i].length);
        }
        return out;
    }
}
