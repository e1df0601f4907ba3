package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.NormPosition;
import org.junit.jupiter.api.Test;

/**
 * Xiong et al.'s Theorem 1 on a small Transformer LM at initialisation, averaged over 5 seeds × 4 batches: the
 * last layer's W2 gradient norm stays put as Post-LN gets deeper and falls as Pre-LN does (the mean-field
 * prediction for L = 8 against L = 2 is 1 and sqrt(2/5) = 0.63).
 */
class XiongDepthTrendTest {
    @Test
    void postLnLastLayerIsFlatInDepthAndPreLnFalls() {
        GradNormSetup setup = GradNormSetup.builder(ModelKind.LM).dModel(32).heads(2).seqLen(16).batchSize(4)
                .seeds(5).batches(4).seed(0).build();
        DepthSweep sweep = new GradientNormsAtInit(setup).sweep(2, 8);
        double[] post = sweep.lastLayerMean(NormPosition.POST);
        double[] pre = sweep.lastLayerMean(NormPosition.PRE);
        double postRatio = post[1] / post[0];
        double preRatio = pre[1] / pre[0];
        assertTrue(postRatio > 0.7 && postRatio < 1.3, "Post-LN L=8 / L=2 = " + postRatio);
        assertTrue(preRatio < 0.8, "Pre-LN L=8 / L=2 = " + preRatio);
    }
}
