package dev.descent.nn;

import dev.descent.autograd.Variable;

/**
 * A module with one input and one output, the kind {@link Sequential} chains: most layers, activations and
 * blocks. Modules with other signatures (attention takes query, key and value) extend {@link Module} only.
 */
public abstract class Layer extends Module {
    /** The layer applied to {@code input}. */
    public abstract Variable forward(Variable input);
}
