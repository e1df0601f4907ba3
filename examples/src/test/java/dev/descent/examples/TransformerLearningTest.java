package dev.descent.examples;

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
import dev.descent.tensor.Rng;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real learning: a small character-level Transformer LM (Pre-LN and Post-LN) trained with Adam on the
 * bundled tiny Shakespeare for a fixed number of steps (not seconds). A model that learned nothing stays
 * at the uniform loss ln(V) ~ 4.2 nats; the first steps already learn the character frequencies, so the
 * bar is on the last steps against the first ones.
 */
class TransformerLearningTest {
    private static final int STEPS = 80;

    private static double[] train(NormPosition norm) {
        String text = Bundled.tinyShakespeare().substring(0, 200_000);
        CharVocabulary vocab = CharVocabulary.of(text);
        TextWindows windows = TextWindows.of(text, vocab, 32);
        Rng rng = new Rng(11);
        TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(vocab.size(), 32, 64, 4, 2)
                .dimFeedforward(128).normPosition(norm).build(), rng);
        Adam adam = new Adam(lm.namedParameters(), 3e-3);
        DataLoader loader = DataLoader.builder(windows).batchSize(32).shuffle(new Rng(12)).dropLast(true).build();
        Iterator<Batch> batches = loader.iterator();
        double[] losses = new double[STEPS];
        for (int step = 0; step < STEPS; step++) {
            Batch b = batches.next();
            adam.zeroGrad();
            Variable logits = lm.forward(b.inputs());
            Variable loss = F.crossEntropy(logits.reshape(-1, vocab.size()), b.targets().reshape(-1));
            loss.backward();
            adam.step();
            losses[step] = loss.item();
        }
        return losses;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    @Test
    void preLnLossFalls() {
        double[] losses = train(NormPosition.PRE);
        double first = mean(losses, 0, 5);
        double last = mean(losses, STEPS - 5, STEPS);
        assertTrue(last < first - 1.0 && last < 3.0, "Pre-LN: loss " + first + " -> " + last);
    }

    @Test
    void postLnLossFalls() {
        double[] losses = train(NormPosition.POST);
        double first = mean(losses, 0, 5);
        double last = mean(losses, STEPS - 5, STEPS);
        assertTrue(last < first - 1.0 && last < 3.0, "Post-LN: loss " + first + " -> " + last);
    }
}
