package dev.descent.examples.programs;

import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of an example program: its positional arguments, and {@code --seed S} anywhere among them
 * (default 0). A program draws its random numbers from the streams {@link #rng(int) rng(0)}, {@code rng(1)}, ...
 * of the seed: stream {@code k} of seed {@code S} is {@code new Rng(16 S + k)}, so that seed 0 gives the streams
 * {@code Rng(0)}, {@code Rng(1)}, ... and no two seeds share a stream.
 */
public final class ExampleArgs {
    /** Streams per seed. */
    static final int STREAMS = 16;

    private final List<String> positional;
    private final long seed;

    private ExampleArgs(List<String> positional, long seed) {
        this.positional = positional;
        this.seed = seed;
    }

    /** Splits {@code args} into {@code --seed S} and the positional arguments, in order. */
    public static ExampleArgs parse(String... args) {
        List<String> positional = new ArrayList<>();
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seed")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--seed: expected a whole number after it");
                }
                seed = Long.parseLong(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        return new ExampleArgs(List.copyOf(positional), seed);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The seed of stream {@code k} (0 to 15): {@code 16 seed + k}. */
    public long seed(int k) {
        if (k < 0 || k >= STREAMS) {
            throw new IllegalArgumentException("ExampleArgs.seed: stream " + k + " outside 0.." + (STREAMS - 1));
        }
        return STREAMS * seed + k;
    }

    /** A new generator for stream {@code k} (0 to 15): each call starts the stream afresh. */
    public Rng rng(int k) {
        return new Rng(seed(k));
    }

    /** The positional arguments. */
    public List<String> positional() {
        return positional;
    }

    /** Positional argument {@code index} as a whole number, or {@code otherwise} when there are fewer. */
    public int intAt(int index, int otherwise) {
        return positional.size() > index ? Integer.parseInt(positional.get(index)) : otherwise;
    }
}
