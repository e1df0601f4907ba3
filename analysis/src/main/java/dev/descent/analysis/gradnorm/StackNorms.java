package dev.descent.analysis.gradnorm;

import java.util.Objects;

/**
 * The gradient norms ‖∂L/∂W^{2,l}‖_F of one stack of layers, summarised over a study's samples (initialisation
 * seeds × batches): per layer l = 1..L (index l − 1), the mean and the sample standard deviation (divisor n − 1).
 *
 * @param stack the stack's name: {@code blocks} (the LM), {@code encoder} or {@code decoder}
 * @param mean  mean norm per layer, from the input side up
 * @param std   standard deviation per layer over the individual samples
 */
public record StackNorms(String stack, double[] mean, double[] std) {
    /** Checks that both arrays cover the same layers. */
    public StackNorms {
        Objects.requireNonNull(stack, "StackNorms: stack");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("StackNorms(" + stack + "): " + mean.length + " means and "
                    + std.length + " standard deviations; expected the same positive count");
        }
    }

    /**
     * Summarises raw samples: {@code samples[l][k]} is the norm of layer l + 1 in sample k (every layer the same
     * number of samples, at least 2).
     */
    public static StackNorms of(String stack, double[][] samples) {
        double[] mean = new double[samples.length];
        double[] std = new double[samples.length];
        for (int l = 0; l < samples.length; l++) {
            double[] s = samples[l];
            if (s.length < 2 || s.length != samples[0].length) {
                throw new IllegalArgumentException("StackNorms.of(" + stack + "): layer " + (l + 1) + " has "
                        + s.length + " samples; every layer needs the same number, at least 2");
            }
            double sum = 0;
            for (double v : s) {
                sum += v;
            }
            mean[l] = sum / s.length;
            double squares = 0;
            for (double v : s) {
                squares += (v - mean[l]) * (v - mean[l]);
            }
            std[l] = Math.sqrt(squares / (s.length - 1));
        }
        return new StackNorms(stack, mean, std);
    }

    /** The number of layers L. */
    public int layers() {
        return mean.length;
    }

    /** The mean norm of the last layer, W^{2,L}. */
    public double lastMean() {
        return mean[mean.length - 1];
    }

    /** The standard deviation of the last layer's norm. */
    public double lastStd() {
        return std[std.length - 1];
    }
}
