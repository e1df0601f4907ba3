/**
 * Strided n-dimensional tensors with NumPy and PyTorch semantics ({@link dev.descent.tensor.Tensor}),
 * their value types ({@link dev.descent.tensor.Shape}, {@link dev.descent.tensor.DType},
 * {@link dev.descent.tensor.Device}), the seeded generator {@link dev.descent.tensor.Rng}, and the small
 * {@link dev.descent.tensor.Backend} contract that every device implements. Eager, with no graph: the
 * {@code autograd} module builds differentiation on top.
 */
@NullMarked
package dev.descent.tensor;

import org.jspecify.annotations.NullMarked;
