package dev.descent.analysis.spectrum;

import java.util.Arrays;
import java.util.Comparator;

/** Which end of the spectrum a top-k solver returns (ARPACK's and HE1's names: LA, LM, SA). */
public enum Which {
    /** The k largest eigenvalues, largest first. */
    LARGEST_ALGEBRAIC,
    /** The k eigenvalues of largest absolute value, largest magnitude first; they may be negative. */
    LARGEST_MAGNITUDE,
    /** The k smallest eigenvalues, smallest first. */
    SMALLEST_ALGEBRAIC;

    /** The indices of the {@code k} values this end selects from {@code values}, in this end's order. */
    int[] select(double[] values, int k) {
        Comparator<Integer> order = switch (this) {
            case LARGEST_ALGEBRAIC -> Comparator.comparingDouble(i -> -values[i]);
            case LARGEST_MAGNITUDE -> Comparator.comparingDouble(i -> -Math.abs(values[i]));
            case SMALLEST_ALGEBRAIC -> Comparator.comparingDouble(i -> values[i]);
        };
        Integer[] indices = new Integer[values.length];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        Arrays.sort(indices, order);
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) {
            chosen[i] = indices[i];
        }
        return chosen;
    }
}
