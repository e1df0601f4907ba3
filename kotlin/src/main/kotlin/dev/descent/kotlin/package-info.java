/**
 * Kotlin over Descent: operators Java cannot declare (a scalar on the left, unary minus), and the home of
 * DSL builders, scopes and coroutine pipelines. It adds no math of its own; everything delegates to
 * {@code Tensor}'s Java methods.
 */
package dev.descent.kotlin;
