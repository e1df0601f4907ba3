/**
 * Descent's main study, the README's first command: Pre-LN against Post-LN Transformers on tiny Shakespeare,
 * with and without warmup, their gradient norms at initialisation, and the Hessian spectra of the trained models,
 * written up as a Markdown report with its plots.
 */
@NullMarked
package dev.descent.analysis.study;

import org.jspecify.annotations.NullMarked;
