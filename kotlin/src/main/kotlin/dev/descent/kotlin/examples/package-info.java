/**
 * Runnable Kotlin examples, each a {@code main} over a function that its spec runs small: an MLP on the
 * bundled MNIST subset ({@code MnistMlp}), a small warmup study written with the studies DSL ({@code WarmupSweep}),
 * the top eigenvalues and spectral density of a trained MLP's Hessian by Lanczos and stochastic Lanczos quadrature
 * ({@code HessianSpectrum}), and the README's Kotlin example ({@code ReadmeExample}).
 */
package dev.descent.kotlin.examples;
