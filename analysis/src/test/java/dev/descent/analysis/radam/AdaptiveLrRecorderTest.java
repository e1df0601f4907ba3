package dev.descent.analysis.radam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.optim.Adam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.RAdam;
import dev.descent.optim.SGD;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recorder against a second-moment EMA that the test keeps itself from the gradients it saw. */
class AdaptiveLrRecorderTest {
    private static final double BETA2 = 0.99;

    @Test
    void matchesAnIndependentEmaOfTheGradients() {
        Rng rng = new Rng(4);
        Linear model = new Linear(6, 3, rng);
        Tensor x = Tensor.randn(rng, 40, 6).mul(Tensor.of(new float[] {1, 1, 0, 1, 1, 1})); // feature 2 always 0
        Tensor y = Tensor.randn(rng, 40, 3);
        Optimizer adam = new Adam(List.of(new ParamGroup(model.namedParameters(),
                Map.of("lr", 1e-2, "beta2", BETA2))));
        AdaptiveLrRecorder recorder = new AdaptiveLrRecorder(adam);
        List<Variable> params = model.parameters();
        double[][] v = new double[params.size()][];
        for (int t = 1; t <= 25; t++) {
            adam.zeroGrad();
            F.mseLoss(model.forward(Variable.constant(x)), Variable.constant(y), Reduction.MEAN).backward();
            List<Double> psi = new ArrayList<>();
            int zeros = 0;
            for (int i = 0; i < params.size(); i++) {
                double[] g = params.get(i).grad().toDoubleArray();
                if (v[i] == null) {
                    v[i] = new double[g.length];
                }
                for (int k = 0; k < g.length; k++) {
                    v[i][k] = BETA2 * v[i][k] + (1 - BETA2) * g[k] * g[k];
                    if (v[i][k] == 0) {
                        zeros++;
                    } else {
                        psi.add(Math.sqrt((1 - Math.pow(BETA2, t)) / v[i][k]));
                    }
                }
            }
            adam.step();
            AdaptiveLrStats s = recorder.record();
            assertEquals(t, s.step());
            assertEquals(3, zeros, "the weights of the always-zero feature");
            assertEquals(zeros, s.zeroCoordinates());
            assertEquals(psi.size(), s.coordinates());
            double[] sorted = psi.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double mean = Arrays.stream(sorted).average().orElseThrow();
            double var = Arrays.stream(sorted).map(p -> (p - mean) * (p - mean)).sum() / sorted.length;
            assertRel(mean, s.mean(), "mean at " + t);
            assertRel(var, s.variance(), "variance at " + t);
            assertRel(sorted[0], s.min(), "min");
            assertRel(sorted[sorted.length - 1], s.max(), "max");
            // 18 coordinates: the median sits at position 8.5, the 25% quantile at 4.25 (0-based)
            assertEquals(18, sorted.length);
            assertRel((sorted[8] + sorted[9]) / 2, s.median(), "median");
            assertRel(0.75 * sorted[4] + 0.25 * sorted[5], s.q25(), "q25");
            assertEquals(RectificationTerms.rho(BETA2, t), s.rho(), 1e-12);
            double r = RectificationTerms.rectification(BETA2, t);
            if (t < 5) {
                assertTrue(Double.isNaN(s.rectification()) && Double.isNaN(s.rectifiedVariance()), "t " + t);
            } else {
                assertEquals(r * r * s.variance(), s.rectifiedVariance(), 1e-12 * s.rectifiedVariance());
            }
        }
        assertEquals(25, recorder.history().size());
    }

    /** The optimizer keeps v in float32, the test in float64. */
    private static void assertRel(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.abs(expected), what);
    }

    @Test
    void readsRAdamAndRejectsWhatItCannotRead() {
        Variable p = Variable.parameter(Tensor.of(new float[] {1, 2}));
        RAdam radam = new RAdam(Map.of("p", p), 0.1);
        AdaptiveLrRecorder recorder = new AdaptiveLrRecorder(radam);
        IllegalStateException early = assertThrows(IllegalStateException.class, recorder::record);
        assertTrue(early.getMessage().contains("no step"), early.getMessage());
        p.setGrad(Tensor.of(new float[] {0.5f, -2}));
        radam.step();
        AdaptiveLrStats s = recorder.record();
        // one step: v = (1 − β2) g², so ψ = 1/|g| exactly
        assertEquals(1.25, s.mean(), 1e-6);
        assertEquals(0.5625, s.variance(), 1e-6);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new AdaptiveLrRecorder(radam, "max_exp_avg_sq").record());
        assertTrue(missing.getMessage().contains("'p'") && missing.getMessage().contains("exp_avg_sq"),
                missing.getMessage());
        IllegalArgumentException sgd = assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveLrRecorder(new SGD(Map.of("p", p), 0.1)));
        assertTrue(sgd.getMessage().contains("beta2"), sgd.getMessage());
        Variable q = Variable.parameter(Tensor.of(new float[] {1}));
        Adam mixed = new Adam(List.of(new ParamGroup(Map.of("p", p), Map.of("beta2", 0.9)),
                new ParamGroup(Map.of("q", q), Map.of("beta2", 0.99))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveLrRecorder(mixed));
        assertTrue(e.getMessage().contains("0.9") && e.getMessage().contains("0.99"), e.getMessage());
    }
}
