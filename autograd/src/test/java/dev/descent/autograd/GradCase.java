package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * One row of a gradient-check table: a readable name, the function of the inputs, and the FLOAT64 inputs
 * (non-float inputs such as indices are passed as constants).
 */
record GradCase(String name, Function<List<Variable>, Variable> f, List<Tensor> inputs) {
    static GradCase of(String name, Function<List<Variable>, Variable> f, Tensor... inputs) {
        return new GradCase(name, f, List.of(inputs));
    }

    @Override
    public String toString() {
        return name;
    }
}
