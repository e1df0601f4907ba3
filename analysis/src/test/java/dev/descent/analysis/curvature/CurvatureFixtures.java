package dev.descent.analysis.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.autograd.Variable;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.Function;

/** Small models, data and dense-matrix helpers shared by the curvature tests. */
final class CurvatureFixtures {
    private CurvatureFixtures() {
    }

    /** A FLOAT64 MLP in → hidden → out with tanh or ReLU between (parameters 0.weight, 0.bias, 2.weight, 2.bias). */
    static Sequential mlp(int in, int hidden, int out, boolean relu, long seed) {
        Rng rng = new Rng(seed);
        Layer activation = relu ? new ReLU() : new Tanh();
        Sequential model = new Sequential(new Linear(in, hidden, rng), activation, new Linear(hidden, out, rng));
        model.to(DType.FLOAT64);
        return model;
    }

    /** A FLOAT64 classification batch: Gaussian inputs [n, in], labels in [0, classes). */
    static Batch classification(Rng rng, int n, int in, int classes) {
        return new Batch(Tensor.randn(rng, DType.FLOAT64, n, in), Tensor.randint(rng, 0, classes, n));
    }

    /** The dense matrix of an operator, column by column from unit vectors; row-major [size][size]. */
    static double[][] dense(CurvatureOperator op) {
        int n = op.size();
        double[][] columns = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            columns[j] = op.apply(e);
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = columns[j][i];
            }
        }
        return m;
    }

    /** The dense Hessian of a function of one flat FLOAT64 vector, by autograd's {@code Functional.hessian}. */
    static double[][] hessian(Function<Variable, Variable> f, double[] at) {
        double[] flat = dev.descent.autograd.Functional.hessian(f, Tensor.of(at, at.length)).toDoubleArray();
        double[][] m = new double[at.length][at.length];
        for (int i = 0; i < at.length; i++) {
            System.arraycopy(flat, i * at.length, m[i], 0, at.length);
        }
        return m;
    }

    /**
     * The loss of the two-layer MLP written directly on a flat parameter vector laid out as the model's
     * parameters (W1 [h, in], b1, W2 [out, h], b2), with cross-entropy written out as logsumexp minus the true
     * logit: a path that shares no module or loss code with the operator.
     */
    static Function<Variable, Variable> flatMlpLoss(Batch batch, int in, int hidden, int out, boolean relu) {
        Tensor onehot = batch.targets().oneHot(out).cast(DType.FLOAT64);
        return theta -> {
            int at = 0;
            Variable w1 = theta.narrow(0, at, hidden * in).reshape(hidden, in);
            at += hidden * in;
            Variable b1 = theta.narrow(0, at, hidden);
            at += hidden;
            Variable w2 = theta.narrow(0, at, out * hidden).reshape(out, hidden);
            at += out * hidden;
            Variable b2 = theta.narrow(0, at, out);
            Variable pre = Variable.constant(batch.inputs()).matmul(w1.t()).add(b1);
            Variable h = relu ? pre.relu() : pre.tanh();
            Variable z = h.matmul(w2.t()).add(b2);
            Variable nll = z.logsumexp(new int[] {1}, false).sub(z.mul(Variable.constant(onehot)).sum(1));
            return nll.mean();
        };
    }

    /** Asserts that two matrices agree entrywise to {@code tol} times the larger's largest magnitude (or 1). */
    static void assertMatrixClose(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length, "rows");
        double scale = Math.max(1, Math.max(maxAbs(expected), maxAbs(actual)));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol * scale, "entry (" + i + ", " + j + ")");
            }
        }
    }

    static double maxAbs(double[][] m) {
        double max = 0;
        for (double[] row : m) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }

    /** A FLOAT64 Gaussian vector. */
    static double[] gaussian(Rng rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
