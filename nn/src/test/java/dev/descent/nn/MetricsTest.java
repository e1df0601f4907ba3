package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.nn.metrics.Perplexity;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Accuracy and perplexity. */
class MetricsTest {

    @Test
    void accuracyFromLogitsTakesTheArgmaxOverClasses() {
        Tensor logits = Tensor.of(new float[] {
            0.1f, 2.0f, -1f,    // predicts 1
            3.0f, 0.0f, 0.5f,   // predicts 0
            0.0f, 0.1f, 0.2f,   // predicts 2
            5.0f, 6.0f, 7.0f}, 4, 3);
        Tensor targets = Tensor.of(1L, 0L, 1L, 2L);
        assertEquals(0.75, Accuracy.of(logits, targets));
        assertEquals(3, Accuracy.correct(logits, targets));
        assertEquals(0.75, Accuracy.of(Variable.constant(logits), targets));
    }

    @Test
    void accuracyFromPredictionsAndWithExtraDimensions() {
        assertEquals(0.5, Accuracy.of(Tensor.of(1L, 2L, 3L, 4L), Tensor.of(1L, 0L, 3L, 0L)));
        // [N=1, C=2, T=3]: per position the larger of the two class scores
        Tensor scores = Tensor.of(new float[] {1, 0, 5, 0, 1, 6}, 1, 2, 3);
        Tensor targets = Tensor.of(new long[] {0, 1, 0}, 1, 3);
        assertEquals(2.0 / 3, Accuracy.of(scores, targets), 1e-15);
    }

    @Test
    void runningAccuracyPoolsBatches() {
        Accuracy acc = new Accuracy();
        assertTrue(Double.isNaN(acc.value()));
        acc.update(Tensor.of(1L, 1L), Tensor.of(1L, 0L));
        acc.update(Tensor.of(2L, 2L, 2L, 2L), Tensor.of(2L, 2L, 2L, 0L));
        assertEquals(4, acc.correct());
        assertEquals(6, acc.total());
        assertEquals(4.0 / 6, acc.value(), 1e-15, "pooled, not the mean of 0.5 and 0.75");
        acc.reset();
        assertEquals(0, acc.total());
    }

    @Test
    void accuracyRejectsMismatchedShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.of(Tensor.zeros(4, 3), Tensor.of(1L, 2L)));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.of(Tensor.zeros(2, 3), Tensor.zeros(2)));
    }

    @Test
    void uniformPredictionsHavePerplexityEqualToTheVocabularySize() {
        Variable logits = Variable.constant(Tensor.zeros(DType.FLOAT64, 6, 50));
        Variable ce = F.crossEntropy(logits, Tensor.of(new long[] {0, 7, 13, 49, 2, 2}, 6));
        assertEquals(50, Perplexity.of(ce), 1e-10);
    }

    @Test
    void runningPerplexityWeightsBatchesByTokens() {
        Perplexity p = new Perplexity();
        assertTrue(Double.isNaN(p.value()));
        p.update(Math.log(2), 10).update(Math.log(8), 30);
        // exp((10 ln 2 + 30 ln 8) / 40) = exp(100 ln 2 / 40) = 2^2.5
        assertEquals(Math.pow(2, 2.5), p.value(), 1e-12);
        assertEquals(40, p.tokens());
        assertThrows(IllegalArgumentException.class, () -> p.update(1, -1));
    }
}
