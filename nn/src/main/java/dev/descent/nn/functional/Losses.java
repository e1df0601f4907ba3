package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;

/** Loss functions. */
final class Losses {
    private Losses() {
    }

    static Variable crossEntropy(Variable input, Tensor target, Reduction reduction, int ignoreIndex, double labelSmoothing) { throw new UnsupportedOperationException("being written"); }
    static Variable crossEntropyWithProbabilities(Variable input, Variable target, Reduction reduction, double labelSmoothing) { throw new UnsupportedOperationException("being written"); }
    static Variable nllLoss(Variable logProbs, Tensor target, Reduction reduction, int ignoreIndex) { throw new UnsupportedOperationException("being written"); }
    static Variable mseLoss(Variable input, Variable target, Reduction reduction) { throw new UnsupportedOperationException("being written"); }
    static Variable l1Loss(Variable input, Variable target, Reduction reduction) { throw new UnsupportedOperationException("being written"); }
    static Variable smoothL1Loss(Variable input, Variable target, Reduction reduction, double beta) { throw new UnsupportedOperationException("being written"); }
    static Variable binaryCrossEntropyWithLogits(Variable input, Variable target, Reduction reduction) { throw new UnsupportedOperationException("being written"); }
}
