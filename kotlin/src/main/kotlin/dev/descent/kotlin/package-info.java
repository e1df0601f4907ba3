/**
 * Kotlin over Descent: the operators Java cannot declare (a scalar on the left, unary minus, an infix
 * {@code matmul}), indexing with ranges ({@code x[0, 1..3]}, {@code x[all, 0]}), and calling a layer as a
 * function. Subpackages hold the scopes ({@code scope}), the DSL builders ({@code dsl}), the coroutine data
 * pipelines and training loops ({@code coroutines}), builders over the analysis studies and Hessian
 * operators ({@code analysis}) and runnable examples ({@code examples}). Nothing here adds math of its own;
 * everything delegates to the Java modules.
 */
package dev.descent.kotlin;
