/**
 * DSL builders over the Java APIs: models ({@code sequential { linear(784, 256); relu(); ... }},
 * {@code transformerLM(vocab, len) { norm = PRE; layers = 6 }}), optimizers with parameter groups
 * ({@code adamW(model) { lr = 1e-3; group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 } }}) and
 * schedules of phases ({@code schedule { warmup(100); cosine(900) }}). Each builds the Java objects one
 * would build by hand, nothing more; random draws come from the current generator of a {@code seeded} block
 * unless one is given.
 */
package dev.descent.kotlin.dsl;
