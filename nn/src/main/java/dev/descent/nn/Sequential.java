package dev.descent.nn;

import dev.descent.autograd.Variable;
import java.util.List;

/** Layers applied in order, named "0", "1", ... as {@code torch.nn.Sequential}. */
public final class Sequential extends Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    public Sequential(List<? extends Layer> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            registerModule(Integer.toString(i), this.layers.get(i));
        }
    }

    /** Layer {@code i}. */
    public Layer get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Variable forward(Variable input) {
        Variable x = input;
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
