package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The measured norms are gradient norms (finite differences), aggregated as documented, and reproducible. */
class GradientNormsAtInitTest {
    private static GradNormSetup.Builder small(ModelKind kind) {
        return GradNormSetup.builder(kind).dModel(16).heads(2).dimFeedforward(32).seqLen(8).batchSize(3);
    }

    /** The loss with W replaced by W + step * direction (W restored afterwards). */
    private static double lossAt(InitProbe probe, Batch batch, Variable w, Tensor direction, double step) {
        Tensor saved = w.value().clone();
        try (Autograd.Scope s = Autograd.noGrad()) {
            w.value().copy_(saved.add(direction.mul(step)));
            return probe.loss(batch).item();
        } finally {
            w.value().copy_(saved);
        }
    }

    /**
     * Along the unit gradient u = g/|g| the loss changes at the rate |g|, and along a random direction v at
     * the rate <g, v>; both by central differences, the model in FLOAT64.
     */
    private static void checkAgainstFiniteDifferences(ModelKind kind, String stack, int layer) {
        GradNormSetup setup = small(kind).build();
        InitProbe probe = InitProbe.create(setup, NormPosition.POST, 2, new Rng(11));
        probe.model().to(dev.descent.tensor.DType.FLOAT64);
        Batch batch = StudyBatches.draw(setup, new Rng(12)).get(0);
        Variable w = probe.secondFeedForwardWeights().get(stack).get(layer);
        double norm = GradientNormsAtInit.frobeniusNorms(probe.loss(batch), List.of(w))[0];
        Variable g = Autograd.grad(probe.loss(batch), w);
        Tensor unit = g.value().div(norm);
        double h = 1e-5;
        double alongGradient = (lossAt(probe, batch, w, unit, h) - lossAt(probe, batch, w, unit, -h)) / (2 * h);
        assertEquals(norm, alongGradient, 1e-6 * Math.max(1, norm), stack + " layer " + (layer + 1));
        Tensor v = Tensor.randn(new Rng(13), w.value().shape().toArray()).cast(dev.descent.tensor.DType.FLOAT64);
        double alongV = (lossAt(probe, batch, w, v, h) - lossAt(probe, batch, w, v, -h)) / (2 * h);
        double inner = g.value().mul(v).sum().item();
        assertEquals(inner, alongV, 1e-6 * Math.max(1, Math.abs(inner)), stack + " layer " + (layer + 1));
        assertTrue(norm > 1e-4, "a gradient that vanishes proves nothing: " + norm);
    }

    @Test
    void languageModelNormsAreGradientNorms() {
        checkAgainstFiniteDifferences(ModelKind.LM, "blocks", 0);
        checkAgainstFiniteDifferences(ModelKind.LM, "blocks", 1);
    }

    @Test
    void encoderAndDecoderNormsAreGradientNorms() {
        checkAgainstFiniteDifferences(ModelKind.ENCODER_DECODER, "encoder", 1);
        checkAgainstFiniteDifferences(ModelKind.ENCODER_DECODER, "decoder", 0);
    }

    @Test
    void meansAndStandardDeviationsAreOverSeedsTimesBatches() {
        GradNormSetup setup = small(ModelKind.ENCODER_DECODER).seeds(3).batches(2).seed(4).build();
        GradientNormsAtInit study = new GradientNormsAtInit(setup);
        PerLayerNorms m = study.measure(NormPosition.PRE, 3);
        assertEquals(6, m.samples());
        assertEquals(List.of("encoder", "decoder"), m.stacks().stream().map(StackNorms::stack).toList());
        double[][][] raw = new double[2][3][6];
        double lossSum = 0;
        for (int k = 0; k < 3; k++) {
            InitProbe probe = InitProbe.create(setup, NormPosition.PRE, 3, new Rng(study.initSeed(k)));
            for (int b = 0; b < 2; b++) {
                for (int s = 0; s < 2; s++) {
                    for (int l = 0; l < 3; l++) {
                        Variable w = probe.secondFeedForwardWeights().get(s == 0 ? "encoder" : "decoder").get(l);
                        Variable loss = probe.loss(study.batches().get(b));
                        raw[s][l][k * 2 + b] = Math.sqrt(Autograd.grad(loss, w).value().square().sum().item());
                        lossSum += s == 0 && l == 0 ? loss.item() : 0;
                    }
                }
            }
        }
        for (int s = 0; s < 2; s++) {
            for (int l = 0; l < 3; l++) {
                double mean = java.util.Arrays.stream(raw[s][l]).average().orElseThrow();
                double var = java.util.Arrays.stream(raw[s][l]).map(x -> (x - mean) * (x - mean)).sum() / 5;
                assertEquals(mean, m.stacks().get(s).mean()[l], 1e-5 * mean);
                assertEquals(Math.sqrt(var), m.stacks().get(s).std()[l], 1e-4 * mean);
            }
        }
        assertEquals(lossSum / 6, m.meanLoss(), 1e-5);
        assertEquals(m.stack("decoder"), m.output());
    }

    @Test
    void theSameSetupGivesTheSameNumbersAndTheSeedChangesThem() {
        GradNormSetup setup = small(ModelKind.LM).seeds(2).batches(1).seed(9).build();
        PerLayerNorms a = new GradientNormsAtInit(setup).measure(NormPosition.POST, 2);
        PerLayerNorms b = new GradientNormsAtInit(setup).measure(NormPosition.POST, 2);
        PerLayerNorms c = new GradientNormsAtInit(small(ModelKind.LM).seeds(2).batches(1).seed(10).build())
                .measure(NormPosition.POST, 2);
        assertArrayEquals(a.output().mean(), b.output().mean(), 0.0);
        assertArrayEquals(a.output().std(), b.output().std(), 0.0);
        assertTrue(a.output().mean()[1] != c.output().mean()[1]);
    }

    @Test
    void badInputIsRejectedWithTheValues() {
        GradientNormsAtInit study = new GradientNormsAtInit(small(ModelKind.LM).seeds(2).batches(1).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> study.measure(NormPosition.PRE, 0))
                .getMessage().contains("layers must be positive, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> study.sweep(4, 2)).getMessage()
                .contains("strictly increasing, got [4, 2]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GradNormSetup.builder(ModelKind.LM).dModel(30).heads(4).build()).getMessage()
                .contains("dModel 30 is not a multiple of heads 4"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GradNormSetup.builder(ModelKind.LM).seeds(1).batches(1).build()).getMessage()
                .contains("at least 2 samples"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelKind.parse("gpt")).getMessage()
                .contains("unknown model 'gpt'"));
    }
}
