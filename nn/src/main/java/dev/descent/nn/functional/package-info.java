/**
 * The functional counterpart of every layer and loss, as {@code torch.nn.functional}: {@link
 * dev.descent.nn.functional.F} (linear, dropout, embedding, activations, normalisations, convolution and
 * pooling, attention, losses) and {@link dev.descent.nn.functional.Reduction}. The layers of
 * {@code dev.descent.nn} call these with their parameters.
 */
@NullMarked
package dev.descent.nn.functional;

import org.jspecify.annotations.NullMarked;
