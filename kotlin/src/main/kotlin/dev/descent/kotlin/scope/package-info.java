/**
 * Scopes: {@code noGrad { }} and {@code enableGrad { }} over autograd's recording switch, {@code seeded(42) { }}
 * which gives the DSL builders a current random generator, and their coroutine forms ({@code NoGrad},
 * {@code seededContext}), which follow a coroutine from thread to thread. Device scopes will join them once a
 * GPU backend exists.
 */
package dev.descent.kotlin.scope;
