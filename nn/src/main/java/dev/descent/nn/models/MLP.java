package dev.descent.nn.models;

import dev.descent.nn.Dropout;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds multilayer perceptrons as a {@link Sequential}, the way one writes them in PyTorch: for widths
 * {@code w0, w1, ..., wk}, {@code Linear(w0, w1), act, [Dropout], Linear(w1, w2), act, [Dropout], ...,
 * Linear(w(k-1), wk)}, children named "0", "1", ... as {@code nn.Sequential}. The last Linear has no activation
 * after it (its outputs are logits or regression values); the Dropout layers appear only when p > 0.
 *
 * <pre>{@code
 * Sequential mlp = MLP.builder(784, 512, 512, 10).dropout(0.1).build(new Rng(0));
 * }</pre>
 */
public final class MLP {
    private MLP() {
    }

    /** A builder for layer widths {@code widths[0]} (input) to {@code widths[k]} (output), at least two. */
    public static Builder builder(int... widths) {
        return new Builder(widths);
    }

    /** Options of an MLP; every setter returns the builder. */
    public static final class Builder {
        private final int[] widths;
        private Supplier<? extends Layer> activation = ReLU::new;
        private double dropout;
        private boolean bias = true;

        private Builder(int[] widths) {
            if (widths.length < 2) {
                throw new IllegalArgumentException("MLP: needs at least an input and an output width, got "
                        + java.util.Arrays.toString(widths));
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("MLP: widths must be positive, got "
                            + java.util.Arrays.toString(widths));
                }
            }
            this.widths = widths.clone();
        }

        /** The activation after each hidden Linear, a fresh module per use (default {@code ReLU::new}). */
        public Builder activation(Supplier<? extends Layer> factory) {
            this.activation = Objects.requireNonNull(factory, "activation");
            return this;
        }

        /** Dropout probability after each hidden activation (default 0: no Dropout layers). */
        public Builder dropout(double p) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("MLP: dropout " + p + " is not in [0, 1]");
            }
            this.dropout = p;
            return this;
        }

        /** Whether the Linear layers have biases (default true). */
        public Builder bias(boolean withBias) {
            this.bias = withBias;
            return this;
        }

        /** The network, its weights drawn from {@code rng} (which the Dropout layers keep). */
        public Sequential build(Rng rng) {
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i + 1 < widths.length; i++) {
                layers.add(new Linear(widths[i], widths[i + 1], bias, rng));
                if (i + 2 < widths.length) {
                    layers.add(activation.get());
                    if (dropout > 0) {
                        layers.add(new Dropout(dropout, rng));
                    }
                }
            }
            return new Sequential(layers);
        }
    }
}
