package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numerically hard inputs: large logits, long reductions, all -inf rows. */
class NumericsTest {

    @Test
    void softmaxAndLogsumexpStayFiniteAroundTenThousand() {
        for (DType dtype : Inputs.FLOATS) {
            Tensor x = Tensor.of(10000.0, 10001.0, 9999.0, -10000.0).cast(dtype);
            // closed form: shift by the max, 10001
            double z = Math.exp(-1) + 1 + Math.exp(-2);
            double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-15;
            double[] p = x.softmax(0).toDoubleArray();
            assertEquals(Math.exp(-1) / z, p[0], tol);
            assertEquals(1 / z, p[1], tol);
            assertEquals(Math.exp(-2) / z, p[2], tol);
            assertEquals(0, p[3], 0);
            assertEquals(10001 + Math.log(z), x.logsumexp(new int[] {0}, false).item(), dtype == DType.FLOAT32 ? 1e-3 : 1e-11);
            assertEquals(-1 - Math.log(z), x.logSoftmax(0).toDoubleArray()[0], dtype == DType.FLOAT32 ? 1e-3 : 1e-11);
            Tensor neg = x.neg();
            assertEquals(10000 + Math.log(1 + Math.exp(-20000)), neg.logsumexp(new int[] {0}, false).item(), 1e-3);
        }
        Tensor allMinusInf = Tensor.full(DType.FLOAT64, Double.NEGATIVE_INFINITY, 2, 3);
        double[] lse = allMinusInf.logsumexp(new int[] {1}, false).toDoubleArray();
        assertEquals(Double.NEGATIVE_INFINITY, lse[0], "all -inf rows give -inf, not NaN");
    }

    @Test
    void reductionsOfTenMillionFloatsStayAccurate() {
        int n = 10_000_000;
        Rng rng = new Rng(2024);
        Tensor x = Tensor.rand(rng, n);
        float[] v = x.toFloatArray();
        // the reference: Kahan-compensated double summation of exactly the stored floats
        double sum = 0;
        double c = 0;
        for (float f : v) {
            double y = f - c;
            double t = sum + y;
            c = (t - sum) - y;
            sum = t;
        }
        assertEquals(sum, x.sum().item(), Math.abs(sum) * 2e-7, "float32 sum of 1e7 elements");
        assertEquals(sum / n, x.mean().item(), 2e-7);
        // the same reduction along an axis of a 2-D view, and over the leading axis (column sums)
        Tensor m = x.reshape(1000, 10_000);
        double[] rowSums = m.sum(1).toDoubleArray();
        double[] colSums = m.sum(0).toDoubleArray();
        double totalRows = 0;
        double totalCols = 0;
        for (double r : rowSums) {
            totalRows += r;
        }
        for (double r : colSums) {
            totalCols += r;
        }
        assertEquals(sum, totalRows, Math.abs(sum) * 1e-6);
        assertEquals(sum, totalCols, Math.abs(sum) * 1e-6);
        double varReference = 0;
        double mean = sum / n;
        for (float f : v) {
            varReference += (f - mean) * (f - mean);
        }
        varReference /= n - 1;
        assertEquals(varReference, x.var().item(), varReference * 1e-5);
        Tensor big = Tensor.full(DType.FLOAT32, 1, n).add_(1e-4f);
        assertEquals(n * (1 + 1e-4f), big.sum().item(), n * 1e-6, "no drift from adding 1 ten million times");
    }

    @Test
    void sigmoidAndSoftplusDoNotOverflow() {
        Tensor x = Tensor.of(-1000.0, 1000.0);
        assertEquals(0, x.sigmoid().toDoubleArray()[0]);
        assertEquals(1, x.sigmoid().toDoubleArray()[1]);
        assertEquals(1000, x.softplus().toDoubleArray()[1]);
        assertTrue(x.softplus().toDoubleArray()[0] >= 0);
        assertEquals(-0.0, x.silu().toDoubleArray()[0], 0.0);
    }
}
