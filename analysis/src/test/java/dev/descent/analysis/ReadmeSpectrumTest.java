package dev.descent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.spectrum.Eigenpairs;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.Probe;
import dev.descent.analysis.spectrum.SlqResult;
import dev.descent.analysis.spectrum.SpectralDensity;
import dev.descent.analysis.spectrum.StochasticLanczosQuadrature;
import dev.descent.analysis.spectrum.Which;
import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.tensor.Rng;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Hessian spectrum" snippet as written there (its output folder a temporary one), on the README's
 * MLP after 60 steps of its training loop; then its numbers against a residual computed here and an independent
 * SLQ run.
 */
class ReadmeSpectrumTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeSpectrumSnippetFindsTheTopEigenvaluesAndDrawsTheDensity() throws Exception {
        Rng rng = new Rng(42);
        Sequential model = new Sequential(new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
        Adam adam = new Adam(model.namedParameters(), 1e-3);
        DataLoader loader = DataLoader.builder(Bundled.mnistTrain()).batchSize(64).shuffle(new Rng(1)).build();
        int steps = 0;
        for (Batch b : loader) {
            adam.zeroGrad();
            F.crossEntropy(model.forward(Variable.constant(b.inputs().flatten(1, 3))), b.targets()).backward();
            adam.step();
            if (++steps == 60) {
                break;
            }
        }
        // --- as in the README (there: Path dir = Path.of("runs", "spectrum");)
        HessianOperator hessian = HessianOperator.builder(model, LossFunction.crossEntropyOnFlattened())
                .data(DataLoader.builder(Bundled.mnistTrain().subset(0, 1000)).batchSize(1000).build())
                .build();                                       // the Hessian of the mean loss over 1,000 digits
        Eigenpairs top = Lanczos.forTopK(5, hessian.size()).topK(hessian, 5, Which.LARGEST_ALGEBRAIC, false, new Rng(0));
        System.out.println(Arrays.toString(top.values()));    // largest first; top.residuals() says how converged
        SlqResult slq = new StochasticLanczosQuadrature(1, 60, Probe.RADEMACHER).estimate(hessian, new Rng(1));
        new StudyFolder(dir).writePlot("density.png", SpectralDensity.pyHessian(slq).plot("Hessian spectral density"));
        // ---
        double[] values = top.values();
        for (int i = 1; i < values.length; i++) {
            assertTrue(values[i] <= values[i - 1], Arrays.toString(values));
        }
        // the same run keeping its basis gives the top Ritz vector v: ‖Hv − λv‖, computed here, is small
        double[] v = Lanczos.forTopK(5, hessian.size()).topK(hessian, 1, Which.LARGEST_ALGEBRAIC, true, new Rng(0))
                .vectors()[0];
        double[] hv = hessian.apply(v);
        double residual = 0;
        for (int i = 0; i < v.length; i++) {
            residual += (hv[i] - values[0] * v[i]) * (hv[i] - values[0] * v[i]);
        }
        assertTrue(Math.sqrt(residual) < 1e-3 * values[0], "‖Hv − λv‖ = " + Math.sqrt(residual));
        assertTrue(top.residuals()[0] < 1e-3 * values[0], "reported residual " + top.residuals()[0]);
        // the SLQ run, from another start and of another length, finds the same top: a Ritz value never exceeds it
        assertEquals(values[0], slq.maxNode(), 1e-4 * values[0]);
        assertEquals(800, ImageIO.read(dir.resolve("density.png").toFile()).getWidth());
    }
}
