/**
 * Evaluation metrics: classification {@link dev.descent.nn.metrics.Accuracy} and language-model
 * {@link dev.descent.nn.metrics.Perplexity}, each as a one-shot function of a batch and as a running
 * accumulator over an evaluation loop. Metrics read values; they record nothing for backward.
 */
@NullMarked
package dev.descent.nn.metrics;

import org.jspecify.annotations.NullMarked;
