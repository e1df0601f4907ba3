package dev.descent.autograd;

import org.jspecify.annotations.Nullable;

/**
 * The backward rule of one operation: the gradients of its inputs, given the gradient of its output.
 *
 * <p>A rule is written with {@link Variable} operations, never with raw tensors, so that when the engine
 * runs it with {@code createGraph} the gradients it returns are themselves differentiable; this is what
 * makes gradients of gradients work for every operation, user-defined ones included.
 */
@FunctionalInterface
public interface BackwardRule {
    /**
     * @param output     the operation's output (for rules that reuse it, such as {@code exp})
     * @param gradOutput the gradient of the output, of the output's shape
     * @param needs      {@code needs[i]} is true when input i's gradient is wanted; a rule may return
     *                   {@code null} for the others and skip computing them
     * @return one gradient per input, each of that input's shape, or {@code null} for an input that gets none
     */
    @Nullable Variable[] apply(Variable output, Variable gradOutput, boolean[] needs);
}
