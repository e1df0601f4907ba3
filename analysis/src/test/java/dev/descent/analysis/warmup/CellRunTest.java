package dev.descent.analysis.warmup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.ParamGroup;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One run of a warmup study against a training loop written out here by hand (model, data order and Adam built
 * directly, the warmup rate set by hand each step), and divergence detection on a run that blows up.
 */
class CellRunTest {
    private static final int STEPS = 12;
    private static final int WARMUP = 4;
    private static final double PEAK = 3e-3;
    private static final ModelSize TINY = new ModelSize(16, 2, 2, 32, 8);

    static WarmupSettings tiny(WarmupTask task, long steps) {
        return new WarmupSettings(task, steps, 4, TINY, LrDecay.CONSTANT, 3.9, DivergenceRule.DEFAULT,
                List.of(0L, 5L), 3, Map.of(), 6);
    }

    /** The hand-written reference: losses per step, and the gradient norms at steps 0 and 5 in float32. */
    private static double[][] referenceRun(NormPosition norm, long seed) {
        String text = Bundled.tinyShakespeare();
        CharVocabulary vocab = CharVocabulary.of(text);
        Rng root = new Rng(seed);
        Rng init = root.split();
        Rng data = root.split();
        TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(vocab.size(), 8, 16, 2, 2).dimFeedforward(32)
                .normPosition(norm).build(), init);
        DataLoader loader = DataLoader.builder(TextWindows.of(text, vocab, 8)).batchSize(4).shuffle(data)
                .dropLast(true).build();
        Adam adam = new Adam(List.of(new ParamGroup(lm.namedParameters(), Map.of("lr", PEAK, "beta1", 0.9,
                "beta2", 0.98))));
        Iterator<Batch> batches = loader.iterator();
        double[] losses = new double[STEPS];
        double[] lrs = new double[STEPS];
        double[] gradNorms = new double[2];
        for (int t = 0; t < STEPS; t++) {
            int u = t + 1;
            lrs[t] = PEAK * (u <= WARMUP ? (double) u / WARMUP : 1.0);
            adam.paramGroups().get(0).set("lr", lrs[t]);
            Batch b = batches.next();
            adam.zeroGrad();
            Variable loss = F.crossEntropy(lm.forward(b.inputs()).reshape(-1, vocab.size()), b.targets().reshape(-1));
            loss.backward();
            losses[t] = loss.item();
            if (t == 0 || t == 5) {
                double sum = 0;
                for (Variable p : lm.parameters()) {
                    Tensor g = p.grad();
                    sum += g.mul(g).sum().item();
                }
                gradNorms[t == 0 ? 0 : 1] = Math.sqrt(sum);
            }
            adam.step();
        }
        return new double[][] {losses, lrs, gradNorms};
    }

    @Test
    void aRunIsTheHandWrittenLoop() {
        WarmupCell cell = new WarmupCell(NormPosition.POST, "adam", PEAK, WARMUP, 3);
        CellRun.Finished run = CellRun.run(cell, tiny(WarmupTask.LM, STEPS));
        double[][] reference = referenceRun(NormPosition.POST, 3);
        assertArrayEquals(reference[0], run.curve().loss(), 0.0, "losses");
        assertArrayEquals(reference[1], run.curve().lr(), 1e-18, "learning rates");
        CellResult r = run.result();
        assertEquals(STEPS, r.stepsRun());
        assertFalse(r.diverged());
        assertNull(r.divergedAt());
        assertEquals(65, r.classes());
        assertEquals(reference[0][0], r.initialLoss());
        double last3 = (reference[0][9] + reference[0][10] + reference[0][11]) / 3;
        assertEquals(last3, r.finalLoss(), 1e-15);
        assertEquals(List.of(0L, 5L, 11L), r.gradients().stream().map(GradientSnapshot::step).toList());
        assertEquals(reference[2][0], r.gradients().get(0).total(), 1e-5 * reference[2][0]);
        assertEquals(reference[2][1], r.gradients().get(1).total(), 1e-5 * reference[2][1]);
        GradientSnapshot g0 = r.gradients().get(0);
        double squares = g0.perTensor().values().stream().mapToDouble(v -> v * v).sum();
        assertEquals(g0.total(), Math.sqrt(squares), 1e-12 * g0.total(), "the total is the norm of the per-tensor norms");
        assertTrue(g0.perTensor().containsKey("layers.1.linear2.weight"), g0.perTensor().keySet().toString());
        assertEquals(r.stepsToTarget() == null ? CellResult.ABOVE : CellResult.REACHED, r.status());
        assertEquals(run.curve().stepsToTarget(3.9, 3), r.stepsToTarget());
    }

    @Test
    void aBlowUpStopsTheRunAtTheFirstStepOverTheThreshold() {
        WarmupCell cell = new WarmupCell(NormPosition.POST, "SGD", 1e4, 0, 1);
        CellRun.Finished run = CellRun.run(cell, tiny(WarmupTask.LM, 50));
        CellResult r = run.result();
        double threshold = 2 * Math.log(65);
        assertTrue(r.diverged(), "SGD at lr 1e4 should blow up: " + java.util.Arrays.toString(run.curve().loss()));
        assertEquals(CellResult.DIVERGED, r.status());
        double[] loss = run.curve().loss();
        assertEquals(r.divergedAt() + 1, loss.length);
        assertEquals(loss.length, r.stepsRun());
        assertTrue(loss.length < 50);
        double last = loss[loss.length - 1];
        assertTrue(!Double.isFinite(last) || last > threshold, "last loss " + last);
        for (int i = 0; i < loss.length - 1; i++) {
            assertTrue(loss[i] <= threshold, "step " + i + " loss " + loss[i] + " is over the threshold already");
        }
    }

    @Test
    void theEncoderDecoderRunsOnTheReversalTask() {
        WarmupSettings s = tiny(WarmupTask.SEQ2SEQ, 6);
        CellRun.Finished run = CellRun.run(new WarmupCell(NormPosition.PRE, "AdamW", 1e-3, 0, 2), s);
        CellResult r = run.result();
        assertEquals(6, r.classes());
        assertEquals(6, r.stepsRun());
        // a fresh model predicts close to uniformly over the 6 tokens
        assertEquals(Math.log(6), r.initialLoss(), 0.5);
        assertTrue(r.gradients().get(0).perTensor().containsKey("transformer.decoder.layers.1.linear2.weight"));
        assertTrue(r.gradients().get(0).perTensor().containsKey("transformer.encoder.layers.0.linear2.weight"));
    }
}
