package dev.descent.nn.metrics;

import dev.descent.autograd.Variable;

/**
 * {@code exp} of the mean cross-entropy per token (in nats), the usual measure of a language model: a model
 * that spreads its probability uniformly over V tokens has perplexity V. The running form weights each
 * batch's mean by its number of tokens, so that it equals the perplexity of all the tokens together.
 */
public final class Perplexity {
    private double weightedLoss;
    private long tokens;

    /** The perplexity of a mean cross-entropy (natural logarithm), e.g. {@code crossEntropy(...).item()}. */
    public static double of(double meanCrossEntropy) {
        return Math.exp(meanCrossEntropy);
    }

    /** The perplexity of a single-element mean cross-entropy. */
    public static double of(Variable meanCrossEntropy) {
        return of(meanCrossEntropy.item());
    }

    /** Adds a batch's mean cross-entropy over {@code tokens} tokens; returns this. */
    public Perplexity update(double meanCrossEntropy, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("Perplexity: token count must be >= 0, got " + tokens);
        }
        weightedLoss += meanCrossEntropy * tokens;
        this.tokens += tokens;
        return this;
    }

    /** The token-weighted mean cross-entropy so far; NaN before any token. */
    public double meanCrossEntropy() {
        return tokens == 0 ? Double.NaN : weightedLoss / tokens;
    }

    /** The perplexity over every token added since the last reset; NaN before any. */
    public double value() {
        return Math.exp(meanCrossEntropy());
    }

    public long tokens() {
        return tokens;
    }

    public void reset() {
        weightedLoss = 0;
        tokens = 0;
    }

    @Override
    public String toString() {
        return "Perplexity(" + value() + " over " + tokens + " tokens)";
    }
}
