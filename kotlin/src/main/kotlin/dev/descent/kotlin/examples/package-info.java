/**
 * Runnable Kotlin examples, each a {@code main} over a function that its spec runs small: an MLP on the
 * bundled MNIST subset ({@code MnistMlp}), a warmup sweep run in parallel by coroutines ({@code WarmupSweep}),
 * the top of a Hessian spectrum from Hessian-vector products ({@code HessianSpectrum}), and the README's
 * Kotlin example ({@code ReadmeExample}).
 */
package dev.descent.kotlin.examples;
