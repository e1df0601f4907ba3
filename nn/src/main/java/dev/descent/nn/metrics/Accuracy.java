package dev.descent.nn.metrics;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * The fraction of predictions equal to their targets. Predictions are either class scores (logits or
 * probabilities) [N, C, d...], whose argmax over the class axis 1 is taken (the layout of
 * {@code crossEntropy}), or INT64 class predictions of the targets' shape [N, d...].
 *
 * <pre>{@code
 * double acc = Accuracy.of(model.forward(x), labels);     // one batch
 * Accuracy running = new Accuracy();                      // a whole evaluation set
 * for (Batch b : testLoader) running.update(model.forward(b.inputs()).value(), b.targets());
 * running.value();
 * }</pre>
 */
public final class Accuracy {
    private long correct;
    private long total;

    /** The accuracy of one batch of scores or predictions against INT64 targets. */
    public static double of(Tensor scoresOrPredictions, Tensor targets) {
        return (double) correct(scoresOrPredictions, targets) / targets.numel();
    }

    public static double of(Variable scores, Tensor targets) {
        return of(scores.value(), targets);
    }

    /** The number of predictions equal to their targets. */
    public static long correct(Tensor scoresOrPredictions, Tensor targets) {
        if (targets.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Accuracy: targets must be INT64 class indices, got " + targets.dtype()
                    + " (shape " + targets.shape() + ")");
        }
        Tensor predictions = predictions(scoresOrPredictions, targets);
        return (long) predictions.eq(targets).cast(DType.INT64).sum().item();
    }

    private static Tensor predictions(Tensor p, Tensor targets) {
        if (p.dtype() == DType.INT64 && p.shape().equals(targets.shape())) {
            return p;
        }
        if (p.dtype().isFloatingPoint() && p.dim() >= 1 && Arrays.equals(withoutClassAxis(p), targets.shape().toArray())) {
            return p.argmax(p.dim() == 1 ? 0 : 1, false);
        }
        throw new IllegalArgumentException("Accuracy: expected class scores [N, C, d...] or INT64 predictions with"
                + " targets [N, d...], got " + p.shape() + " (" + p.dtype() + ") and targets " + targets.shape());
    }

    private static int[] withoutClassAxis(Tensor p) {
        int[] dims = p.shape().toArray();
        if (dims.length == 1) {
            return new int[0];
        }
        int[] out = new int[dims.length - 1];
        out[0] = dims[0];
        System.arraycopy(dims, 2, out, 1, dims.length - 2);
        return out;
    }

    /** Adds a batch to the running count; returns this. */
    public Accuracy update(Tensor scoresOrPredictions, Tensor targets) {
        correct += correct(scoresOrPredictions, targets);
        total += targets.numel();
        return this;
    }

    public Accuracy update(Variable scores, Tensor targets) {
        return update(scores.value(), targets);
    }

    /** The accuracy over every batch added since the last reset; NaN before the first. */
    public double value() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    public long correct() {
        return correct;
    }

    public long total() {
        return total;
    }

    public void reset() {
        correct = 0;
        total = 0;
    }

    @Override
    public String toString() {
        return "Accuracy(" + correct + " / " + total + ")";
    }
}
