package dev.descent.nn.data;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * The characters of a text, sorted, each given its position as a token id (as the character-level models of
 * char-rnn and nanoGPT build them: {@code sorted(set(text))}). Characters are Unicode code points, so a
 * character outside the Basic Multilingual Plane is one token.
 */
public final class CharVocabulary {
    private final int[] codePoints;

    private CharVocabulary(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
    }

    /** The distinct characters of {@code text}, sorted by code point. */
    public static CharVocabulary of(String text) {
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        if (distinct.length == 0) {
            throw new IllegalArgumentException("CharVocabulary: the text is empty");
        }
        return new CharVocabulary(distinct);
    }

    /** The number of characters (token ids are 0 .. size - 1). */
    public int size() {
        return codePoints.length;
    }

    /** The token id of {@code codePoint}, or -1 if it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    /** The character (code point) of token {@code id}. */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("CharVocabulary: token " + id + " is out of range for " + size()
                    + " characters");
        }
        return codePoints[id];
    }

    /** The token ids of {@code text}, INT64 [number of characters]. */
    public Tensor encode(String text) {
        long[] ids = new long[text.codePointCount(0, text.length())];
        for (int i = 0, at = 0; at < text.length(); i++) {
            int cp = text.codePointAt(at);
            int id = indexOf(cp);
            if (id < 0) {
                throw new IllegalArgumentException("CharVocabulary.encode: character '" + Character.toString(cp)
                        + "' (U+" + String.format("%04X", cp) + ") at position " + i + " is not in the vocabulary of "
                        + size() + " characters");
            }
            ids[i] = id;
            at += Character.charCount(cp);
        }
        return Tensor.of(ids);
    }

    /** The text of INT64 token ids of any shape, in row-major order. */
    public String decode(Tensor tokens) {
        if (tokens.dtype() != DType.INT64) {
            throw new IllegalArgumentException("CharVocabulary.decode: tokens must be INT64, got " + tokens.dtype());
        }
        return decode(tokens.toLongArray());
    }

    /** The text of token ids. */
    public String decode(long... tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (long id : tokens) {
            if (id < 0 || id >= codePoints.length) {
                throw new IllegalArgumentException("CharVocabulary.decode: token " + id + " is out of range for "
                        + size() + " characters");
            }
            sb.appendCodePoint(codePoints[(int) id]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CharVocabulary(" + size() + " characters)";
    }
}
