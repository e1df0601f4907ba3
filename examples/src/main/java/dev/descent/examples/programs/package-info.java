/**
 * Runnable example programs, each a {@code main} under 200 lines that the README shows and
 * {@code descent example NAME} runs: an MLP and a CNN on MNIST, a character Transformer language model, an
 * optimizer comparison, GradInit for a Post-LN Transformer trained without warmup, and a training loop that
 * tracks the top Hessian eigenvalue.
 */
package dev.descent.examples.programs;
