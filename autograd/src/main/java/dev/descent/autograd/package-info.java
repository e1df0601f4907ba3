/**
 * Automatic differentiation over {@code Tensor}: the differentiable value type, the graph, one backward
 * rule per primitive beside its forward, {@code grad(...)} with {@code createGraph} for gradients of
 * gradients, no-grad scopes, hooks and gradient checks.
 */
package dev.descent.autograd;
