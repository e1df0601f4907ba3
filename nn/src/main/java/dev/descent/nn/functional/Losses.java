package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Loss functions with PyTorch's semantics (1.13), composed of differentiable {@link Variable} operations so
 * that their gradients can be differentiated again. {@link Reduction#NONE} keeps one loss per sample (per
 * position for inputs with extra dimensions), which is what per-sample methods such as KOALA need.
 *
 * <p>Class-index losses take the classes on axis 1 of [N, C, d...] (or axis 0 of an unbatched [C] with a
 * 0-D target). Targets equal to {@code ignoreIndex} contribute 0 and are left out of the mean; when every
 * target is ignored, the mean is 0 / 0 = NaN with zero gradients, as in PyTorch.
 */
final class Losses {
    /** Above this, softplus(x) equals x to the dtype's precision (e^-20 and e^-40 are below half an ulp of 1). */
    private static final double SOFTPLUS_LINEAR_FLOAT32 = 20;
    private static final double SOFTPLUS_LINEAR_FLOAT64 = 40;

    private Losses() {
    }

    static Variable crossEntropy(Variable input, Tensor target, Reduction reduction, int ignoreIndex,
                                 double labelSmoothing) {
        if (target.dtype().isFloatingPoint()) {
            // as F.cross_entropy: a floating-point target holds class probabilities
            if (ignoreIndex >= 0) {
                throw new IllegalArgumentException("crossEntropy: ignoreIndex " + ignoreIndex + " is not supported for"
                        + " class-probability targets (target of shape " + target.shape() + ", " + target.dtype() + ")");
            }
            return crossEntropyWithProbabilities(input, Variable.constant(target), reduction, labelSmoothing);
        }
        checkSmoothing("crossEntropy", labelSmoothing);
        ClassTargets t = ClassTargets.of("crossEntropy", input, target, ignoreIndex);
        Variable logProbs = t.input().logSoftmax(1);
        Variable perSample = t.pick(logProbs).neg();
        if (labelSmoothing > 0) {
            // PyTorch: (1 - eps) * nll + (eps / C) * (-sum_c log p_c), both zero where the target is ignored
            Variable uniform = t.masked(logProbs.sum(new int[] {1}, false).neg());
            perSample = perSample.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing / t.classes()));
        }
        return t.reduce(perSample, reduction);
    }

    static Variable crossEntropyWithProbabilities(Variable input, Variable target, Reduction reduction,
                                                  double labelSmoothing) {
        String op = "crossEntropyWithProbabilities";
        checkSmoothing(op, labelSmoothing);
        if (input.dim() == 0 || !input.shape().equals(target.shape()) || input.dtype() != target.dtype()) {
            throw new IllegalArgumentException(op + ": target of shape " + target.shape() + " (" + target.dtype()
                    + ") must have the shape and dtype of the input, " + input.shape() + " (" + input.dtype() + ")"
                    + " with classes on axis " + classAxis(input));
        }
        int axis = classAxis(input);
        int classes = input.size(axis);
        Variable probs = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        Variable perSample = input.logSoftmax(axis).mul(probs).sum(new int[] {axis}, false).neg();
        // the mean is over samples (every position of [N, d...]), not over classes
        return reduce(perSample, reduction, perSample.numel());
    }

    static Variable nllLoss(Variable logProbs, Tensor target, Reduction reduction, int ignoreIndex) {
        ClassTargets t = ClassTargets.of("nllLoss", logProbs, target, ignoreIndex);
        return t.reduce(t.pick(t.input()).neg(), reduction);
    }

    static Variable mseLoss(Variable input, Variable target, Reduction reduction) {
        checkSameShape("mseLoss", input, target);
        return reduce(input.sub(target).square(), reduction, input.numel());
    }

    static Variable l1Loss(Variable input, Variable target, Reduction reduction) {
        checkSameShape("l1Loss", input, target);
        return reduce(input.sub(target).abs(), reduction, input.numel());
    }

    static Variable smoothL1Loss(Variable input, Variable target, Reduction reduction, double beta) {
        checkSameShape("smoothL1Loss", input, target);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1Loss: beta must be >= 0, got " + beta);
        }
        Variable diff = input.sub(target);
        if (beta == 0) {
            // PyTorch's rule: beta = 0 is exactly the L1 loss
            return reduce(diff.abs(), reduction, input.numel());
        }
        Tensor quadratic = diff.value().abs().lt(beta);
        Variable perElement = Variable.where(quadratic, diff.square().mul(0.5 / beta), diff.abs().sub(0.5 * beta));
        return reduce(perElement, reduction, input.numel());
    }

    /**
     * {@code -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]} written as
     * {@code y softplus(-x) + (1 - y) softplus(x)}: both terms are non-negative and computed without
     * overflow or cancellation, for hard and soft targets alike, and the gradient is {@code sigmoid(x) - y}
     * everywhere (including x = 0).
     */
    static Variable binaryCrossEntropyWithLogits(Variable input, Variable target, Reduction reduction) {
        checkSameShape("binaryCrossEntropyWithLogits", input, target);
        double linear = input.dtype() == DType.FLOAT64 ? SOFTPLUS_LINEAR_FLOAT64 : SOFTPLUS_LINEAR_FLOAT32;
        Variable positive = input.neg().softplus(1, linear).mul(target);
        Variable negative = input.softplus(1, linear).mul(target.rsub(1));
        return reduce(positive.add(negative), reduction, input.numel());
    }

    // ------------------------------------------------------------------ helpers

    static Variable reduce(Variable perElement, Reduction reduction, double meanCount) {
        return switch (Objects.requireNonNull(reduction, "reduction is null (use Reduction.NONE, MEAN or SUM)")) {
            case NONE -> perElement;
            case SUM -> perElement.sum();
            case MEAN -> perElement.sum().div(meanCount);
        };
    }

    /** Axis 1 of [N, C, d...], axis 0 of an unbatched [C]. */
    private static int classAxis(Variable input) {
        return input.dim() == 1 ? 0 : 1;
    }

    private static void checkSmoothing(String op, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
    }

    /** Elementwise losses take input and target of one shape: PyTorch's broadcasting here is almost always a bug. */
    private static void checkSameShape(String op, Variable input, Variable target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": input of shape " + input.shape() + " and target of shape "
                    + target.shape() + " differ (the shapes must be equal; reshape one, e.g. a [N, 1] output to [N])");
        }
        if (input.dtype() != target.dtype()) {
            throw new IllegalArgumentException(op + ": input (" + input.dtype() + ", shape " + input.shape()
                    + ") and target (" + target.dtype() + ") must have the same dtype");
        }
    }

    /**
     * Class-index targets checked against the input, with the input seen as batched [N, C, d...]: the ignore
     * mask, the safe gather index (ignored positions point at class 0) and the count that the mean divides by.
     */
    private record ClassTargets(Variable input, Tensor index, Tensor ignored, int classes, long counted,
                                boolean unbatched) {

        static ClassTargets of(String op, Variable input, Tensor target, int ignoreIndex) {
            if (target.dtype() != DType.INT64) {
                throw new IllegalArgumentException(op + ": class-index target must be INT64, got " + target.dtype()
                        + " (shape " + target.shape() + ")" + (target.dtype().isFloatingPoint()
                        ? "; for class probabilities use crossEntropyWithProbabilities" : ""));
            }
            if (input.dim() == 0) {
                throw new IllegalArgumentException(op + ": input must be [C] or [N, C, d...], got a 0-D input");
            }
            boolean unbatched = input.dim() == 1;
            int[] expected = expectedTargetShape(input);
            if (!Arrays.equals(expected, target.shape().toArray())) {
                throw new IllegalArgumentException(op + ": input of shape " + input.shape() + " needs a target of shape "
                        + Arrays.toString(expected) + " (the input's shape without the class axis "
                        + (unbatched ? 0 : 1) + "), got " + target.shape());
            }
            int classes = input.size(unbatched ? 0 : 1);
            long counted = checkRange(op, input, target, classes, ignoreIndex);
            Variable batched = unbatched ? input.unsqueeze(0) : input;
            Tensor t = unbatched ? target.reshape(1) : target;
            Tensor ignored = t.eq(ignoreIndex);
            Tensor index = Tensor.where(ignored, t.zerosLike(), t).unsqueeze(1);
            return new ClassTargets(batched, index, ignored, classes, counted, unbatched);
        }

        private static int[] expectedTargetShape(Variable input) {
            if (input.dim() == 1) {
                return new int[0];
            }
            int[] shape = new int[input.dim() - 1];
            shape[0] = input.size(0);
            for (int d = 2; d < input.dim(); d++) {
                shape[d - 1] = input.size(d);
            }
            return shape;
        }

        /** The number of targets not ignored, after checking that each is a class in [0, classes). */
        private static long checkRange(String op, Variable input, Tensor target, int classes, int ignoreIndex) {
            long[] values = target.toLongArray();
            long counted = 0;
            for (int i = 0; i < values.length; i++) {
                long v = values[i];
                if (v == ignoreIndex) {
                    continue;
                }
                if (v < 0 || v >= classes) {
                    throw new IllegalArgumentException(op + ": target " + v + " at flat position " + i + " is out of"
                            + " range for " + classes + " classes (input of shape " + input.shape() + ", target of"
                            + " shape " + target.shape() + ", ignoreIndex " + ignoreIndex + ")");
                }
                counted++;
            }
            return counted;
        }

        /** The values of {@code perClass} [N, C, d...] at the target classes, [N, d...], zero where ignored. */
        Variable pick(Variable perClass) {
            return masked(perClass.gather(1, index).squeeze(1));
        }

        Variable masked(Variable perSample) {
            return perSample.maskedFill(ignored, 0);
        }

        /** The reduction, with the mean over the targets not ignored; NONE has the target's shape. */
        Variable reduce(Variable perSample, Reduction reduction) {
            if (reduction == Reduction.NONE) {
                return unbatched ? perSample.reshape() : perSample;
            }
            return Losses.reduce(perSample, reduction, counted);
        }
    }
}
