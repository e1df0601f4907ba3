// Calling a layer as a function, `model(x)`, as one writes `model(x)` in PyTorch.
@file:JvmName("LayerCalls")

package dev.descent.kotlin

import dev.descent.autograd.Variable
import dev.descent.nn.Layer
import dev.descent.nn.TransformerLM
import dev.descent.tensor.Tensor

/** `layer(x)`: [Layer.forward]. */
operator fun Layer.invoke(input: Variable): Variable = forward(input)

/** `layer(x)` of data: [Layer.forward] of `x` as a constant (no gradient flows back into the data). */
operator fun Layer.invoke(input: Tensor): Variable = forward(Variable.constant(input))

/** `lm(tokens)`: next-token logits [N, T, vocab] of INT64 token ids [N, T] ([TransformerLM.forward]). */
operator fun TransformerLM.invoke(tokens: Tensor): Variable = forward(tokens)
