package dev.descent.nn.data;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

/**
 * Windows of a token sequence for next-token prediction: example i is the tokens
 * {@code [i * stride, i * stride + length)} as input and the same window moved one token on as target,
 * both INT64 [length]. Batched by a {@link DataLoader} into [B, length] inputs and targets, the form a
 * character-level language model trains on.
 */
public final class TextWindows implements Dataset<Example> {
    private final Tensor tokens;
    private final int length;
    private final int stride;

    /**
     * @param tokens a 1-D INT64 sequence of at least {@code length + 1} tokens
     * @param length the window length T
     * @param stride how far apart consecutive windows start (T for disjoint windows, 1 for every offset)
     */
    public TextWindows(Tensor tokens, int length, int stride) {
        if (tokens.dtype() != DType.INT64 || tokens.dim() != 1) {
            throw new IllegalArgumentException("TextWindows: tokens must be a 1-D INT64 tensor, got " + tokens.shape()
                    + " " + tokens.dtype());
        }
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException("TextWindows: length and stride must be positive, got " + length
                    + " and " + stride);
        }
        if (tokens.size(0) < length + 1) {
            throw new IllegalArgumentException("TextWindows: " + tokens.size(0) + " tokens are too few for one window of"
                    + " length " + length + " and its target (" + (length + 1) + " needed)");
        }
        this.tokens = tokens.contiguous();
        this.length = length;
        this.stride = stride;
    }

    /** Disjoint windows of {@code length} characters of {@code text}, encoded with {@code vocabulary}. */
    public static TextWindows of(String text, CharVocabulary vocabulary, int length) {
        return new TextWindows(vocabulary.encode(text), length, length);
    }

    @Override
    public int size() {
        return (tokens.size(0) - length - 1) / stride + 1;
    }

    @Override
    public Example get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TextWindows: window " + index + " is out of range for " + size()
                    + " windows");
        }
        int start = index * stride;
        return new Example(tokens.narrow(0, start, length), tokens.narrow(0, start + 1, length));
    }

    public int length() {
        return length;
    }

    public int stride() {
        return stride;
    }

    /** The whole token sequence. */
    public Tensor tokens() {
        return tokens;
    }
}
