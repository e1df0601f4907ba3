/**
 * Automatic differentiation over {@code Tensor}, with gradients of gradients.
 *
 * <ul>
 *   <li>{@link dev.descent.autograd.Variable}: the differentiable value, with the same operations as
 *       {@code Tensor}; {@code backward()} accumulates into leaves' {@code .grad}.</li>
 *   <li>{@link dev.descent.autograd.Autograd}: {@code grad(...)} (gradients as new values, with
 *       {@code createGraph} for higher derivatives), no-grad and anomaly scopes.</li>
 *   <li>{@link dev.descent.autograd.Functional}: vector-Jacobian and Jacobian-vector products,
 *       Hessian-vector products by double backprop, dense Jacobians and Hessians of small functions.</li>
 *   <li>{@link dev.descent.autograd.CustomFunction}: user-defined operations whose backward is written in
 *       {@code Variable} operations, so they are differentiable again.</li>
 *   <li>{@link dev.descent.autograd.GradCheck}: {@code gradcheck} and {@code gradgradcheck} against central
 *       differences in FLOAT64.</li>
 * </ul>
 *
 * <p>Every primitive has one backward rule, next to its forward (package-private families: pointwise,
 * shapes, reductions, linear algebra, indexing, convolutions), written with {@code Variable} operations;
 * the engine runs them in reverse topological order, with recording on only when {@code createGraph} asks.
 */
@NullMarked
package dev.descent.autograd;

import org.jspecify.annotations.NullMarked;
