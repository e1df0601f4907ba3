package dev.descent.analysis.spectrum;

import java.util.ArrayList;
import java.util.List;

/**
 * A contiguous range of an operator's coordinates, such as one parameter tensor's entries in the flat
 * parameter vector.
 *
 * @param name a label for reports (e.g. the parameter's name)
 * @param offset the first coordinate
 * @param length the number of coordinates
 */
public record Block(String name, int offset, int length) {
    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException if {@code offset < 0} or {@code length < 1}
     */
    public Block {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("Block " + name + ": need offset >= 0 and length >= 1, got offset "
                    + offset + ", length " + length);
        }
    }

    /** Blocks laid end to end from coordinate 0, as parameters are flattened in order. */
    public static List<Block> consecutive(List<String> names, int[] lengths) {
        if (names.size() != lengths.length) {
            throw new IllegalArgumentException("Block.consecutive: " + names.size() + " names for " + lengths.length
                    + " lengths");
        }
        List<Block> blocks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < lengths.length; i++) {
            blocks.add(new Block(names.get(i), offset, lengths[i]));
            offset += lengths[i];
        }
        return List.copyOf(blocks);
    }
}
