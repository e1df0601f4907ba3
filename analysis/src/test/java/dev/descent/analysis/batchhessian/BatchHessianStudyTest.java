package dev.descent.analysis.batchhessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.TensorDataset;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study on a model small enough for dense Hessians: with as many Lanczos steps as parameters every Ritz
 * value is exact, so each batch's value must be the top eigenvalue (by Jacobi rotations) of the dense Hessian
 * of some batch of that size, and the full value that of the whole data.
 */
class BatchHessianStudyTest {
    private static final int N = 12;

    @TempDir
    Path dir;

    @Test
    void valuesAreTopEigenvaluesOfDenseBatchAndFullHessians() throws Exception {
        Rng rng = new Rng(4);
        Sequential model = new Sequential(new Linear(3, 3, rng), new Tanh(), new Linear(3, 2, rng));
        model.to(DType.FLOAT64);
        TensorDataset data = new TensorDataset(Tensor.randn(new Rng(5), DType.FLOAT64, N, 3),
                Tensor.randint(new Rng(6), 0, 2, N));
        int p = (int) model.parameterCount();
        List<Integer> progress = new ArrayList<>();
        BatchHessianStudy study = BatchHessianStudy.builder(model, LossFunction.crossEntropy(), data::batch, N)
                .batchSizes(1, N).batchesPerSize(4).lanczosSteps(p).chunk(5).seed(3).progress(progress::add).build();
        assertEquals(9, study.runs());
        BatchHessianResult result = study.run();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), progress);

        // every single example's Hessian, densely; and the whole data's in one batch (the study used chunks 5, 5, 2)
        List<Double> singles = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            singles.add(denseTop(model, data.batch(new int[] {i})));
        }
        int[] all = new int[N];
        for (int i = 0; i < N; i++) {
            all[i] = i;
        }
        double full = denseTop(model, data.batch(all));
        assertEquals(full, result.fullTop(), 1e-9 * Math.abs(full));
        for (double v : result.batches().get(0).values()) {
            assertTrue(singles.stream().anyMatch(s -> Math.abs(s - v) <= 1e-9 * Math.abs(s)), v + " in " + singles);
        }
        BatchTop whole = result.batches().get(1);
        for (double v : whole.values()) {
            assertEquals(full, v, 1e-9 * Math.abs(full), "a batch of all N examples is the full data");
        }
        assertEquals(0, whole.standardDeviation(), 1e-9 * Math.abs(full));

        result.write(new StudyFolder(dir));
        assertEquals(1 + 8 + 1, Files.readAllLines(dir.resolve("batch_hessian.csv")).size());
        assertTrue(Files.readString(dir.resolve("batch_hessian.json")).contains("excess_per_inverse_batch"));
        assertEquals(800, ImageIO.read(dir.resolve("batch_hessian.png").toFile()).getWidth());
    }

    @Test
    void summariesAndTheFittedExcessByHand() {
        BatchTop two = new BatchTop(2, new double[] {1, 3, 5}, new double[3]);
        assertEquals(3, two.mean(), 1e-15);
        assertEquals(2, two.standardDeviation(), 1e-15);
        BatchTop four = new BatchTop(4, new double[] {2}, new double[1]);
        assertEquals(0, four.standardDeviation());
        // excesses 2 at 1/B = 1/2 and 1 at 1/4: c = (1/2 · 2 + 1/4 · 1) / (1/4 + 1/16) = 4
        BatchHessianResult r = new BatchHessianResult(1, 0, 100, 10, List.of(two, four));
        assertEquals(4, r.excessPerInverseBatch(), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> fullPart = (Map<String, Object>) r.toMap().get("full");
        assertEquals(1.0, fullPart.get("lambda_max"));
    }

    @Test
    void rejectsBatchSizesOutsideTheData() {
        Sequential model = new Sequential(new Linear(3, 2, new Rng(0)));
        TensorDataset data = new TensorDataset(Tensor.randn(new Rng(5), 4, 3), Tensor.randint(new Rng(6), 0, 2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchHessianStudy.builder(model, LossFunction.crossEntropy(), data::batch, 4).batchSizes(8)
                        .build());
        assertTrue(e.getMessage().contains("batch size 8 is outside 1..4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchHessianStudy.builder(model, LossFunction.crossEntropy(), data::batch, 4).batchesPerSize(0)
                        .build());
    }

    /** The largest eigenvalue of the dense Hessian over {@code batch}, built column by column from unit vectors. */
    private static double denseTop(Sequential model, Batch batch) {
        CurvatureOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        int n = op.size();
        double[][] m = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            m[j] = op.apply(e);
        }
        double[][] sym = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sym[i][j] = 0.5 * (m[i][j] + m[j][i]);
            }
        }
        double[] values = Jacobi.eigenvalues(sym);
        return values[values.length - 1];
    }
}
