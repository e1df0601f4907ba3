/**
 * Initialisers as {@code torch.nn.init}: uniform, normal, truncated normal, Xavier and Kaiming (fan mode,
 * nonlinearity gain), orthogonal, zeros and ones, each filling a tensor in place from an explicit
 * {@code Rng}.
 */
@NullMarked
package dev.descent.nn.init;

import org.jspecify.annotations.NullMarked;
