package dev.descent.examples;

import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.GradInit;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GradInit (spec {@code optimizers.md} §14; papers.md row 6) on a small Post-LN character Transformer LM
 * meant to be trained with Adam at a large learning rate and no warmup: the Adam (sign-step) variant
 * learns one scale per parameter tensor, lowering the loss after one Adam step compared with the default
 * initialisation.
 */
class GradInitModelTest {
    private static final int T = 16;
    private static final int HALF = 8;

    private static final String TEXT = Bundled.tinyShakespeare().substring(0, 50_000);
    private static final CharVocabulary VOCAB = CharVocabulary.of(TEXT);
    private static final TextWindows WINDOWS = TextWindows.of(TEXT, VOCAB, T);

    private static TransformerLM model() {
        return new TransformerLM(TransformerLM.Config.builder(VOCAB.size(), T, 32, 2, 2).dimFeedforward(64)
                .dropout(0.0).normPosition(NormPosition.POST).build(), new Rng(5));
    }

    private static Batch sample(Rng rng) {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < HALF; i++) {
            ex.add(WINDOWS.get(rng.nextInt(WINDOWS.size())));
        }
        return Batch.collate(ex);
    }

    private static Variable ce(TransformerLM lm, Batch b) {
        return F.crossEntropy(lm.forward(b.inputs()).reshape(-1, VOCAB.size()), b.targets().reshape(-1));
    }

    private static double meanAdamLoss(TransformerLM lm, double lr, int steps) {
        Adam adam = new Adam(lm.namedParameters(), lr);
        Rng rng = new Rng(77);
        double sum = 0;
        for (int s = 0; s < steps; s++) {
            Batch b = sample(rng);
            adam.zeroGrad();
            Variable loss = ce(lm, b);
            loss.backward();
            adam.step();
            sum += loss.item();
        }
        return sum / steps;
    }

    @Test
    void gradInitLowersTheLossAfterOneLargeAdamStepOnPostLn() {
        TransformerLM lm = model();
        Map<String, Variable> params = lm.namedParameters();
        GradInit.Loss<Batch> loss = GradInit.Loss.averaging(b -> ce(lm, b));
        Rng probe = new Rng(123);
        List<Batch> s0 = List.of(sample(probe), sample(probe));
        List<Batch> s1 = List.of(s0.get(0), sample(probe));
        double eta = 3e-2; // large for Adam on a Post-LN Transformer without warmup
        double before = GradInit.lossAfterStep(params, loss, s0, s1, GradInit.Alg.ADAM, eta, false);
        GradInit gradInit = new GradInit(params, new GradInit.Options().gradinitAlg(GradInit.Alg.ADAM)
                .gradinitEta(eta).gradinitIters(100).gradinitLr(2.5e-2).gradinitBeta2(0.98).gradinitGradClip(1e8)
                .seed(1));
        GradInit.Result r = gradInit.run(loss, GradInitModelTest::sample);
        double after = GradInit.lossAfterStep(params, loss, s0, s1, GradInit.Alg.ADAM, eta, false);
        assertTrue(after < before - 0.1, "loss after one Adam step (lr " + eta + "): " + before + " -> " + after);

        // per-tensor scales: changed, within their bounds, some blocks shrunk for this large step
        Map<String, Double> scales = r.scales();
        assertEquals(params.size(), scales.size() + (int) params.keySet().stream()
                .filter(n -> GradInit.defaultKind(n) == GradInit.Kind.FIXED).count());
        assertTrue(scales.get("layers.0.norm1.weight") != 1.0, scales.toString());
        for (Map.Entry<String, Double> e : scales.entrySet()) {
            GradInit.Kind kind = GradInit.defaultKind(e.getKey());
            double a = e.getValue();
            assertTrue(a >= (kind == GradInit.Kind.BIAS ? 0 : 0.01) && (kind != GradInit.Kind.NORM || a <= 100),
                    e.getKey() + " = " + a);
        }
        assertTrue(scales.values().stream().anyMatch(a -> a < 0.9), scales.toString());
        // the parameters hold the scales: ‖θ‖ = α‖θ⁰‖
        TransformerLM fresh = model();
        double n0 = fresh.namedParameters().get("layers.1.linear1.weight").value().norm(2).item();
        assertEquals(scales.get("layers.1.linear1.weight") * n0,
                params.get("layers.1.linear1.weight").value().norm(2).item(), 1e-4 * n0);

        // and real Adam training at that learning rate, without warmup, goes better from the GradInit start
        double fromDefault = meanAdamLoss(fresh, eta, 30);
        double fromGradInit = meanAdamLoss(lm, eta, 30);
        assertTrue(fromGradInit < fromDefault, "mean loss over 30 Adam steps: default " + fromDefault
                + ", GradInit " + fromGradInit);
    }
}
