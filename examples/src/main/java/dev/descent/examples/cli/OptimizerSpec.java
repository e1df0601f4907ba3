package dev.descent.examples.cli;

import dev.descent.autograd.Variable;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer of the registry with its hyperparameters in one argument, {@code NAME[:KEY=VALUE,...]}, as the
 * analysis commands take it: {@code SGD:lr=0.1,momentum=0.9} or {@code Adam:lr=1e-3,betas=0.9,0.999} (a piece
 * without {@code =} continues the value before it, so tuples need no quoting). Values are checked when parsed.
 *
 * @param name the registry's name
 * @param options the hyperparameters as the reference names and writes them
 */
record OptimizerSpec(String name, Map<String, String> options) {
    /**
     * Parses and checks {@code text}.
     *
     * @throws IllegalArgumentException for an unknown optimizer or hyperparameter, or a bad value
     */
    static OptimizerSpec parse(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text.trim() : text.substring(0, colon).trim();
        Map<String, String> options = new LinkedHashMap<>();
        String last = null;
        if (colon >= 0 && colon + 1 < text.length()) {
            for (String piece : text.substring(colon + 1).split(",")) {
                int eq = piece.indexOf('=');
                if (eq > 0) {
                    last = piece.substring(0, eq).trim();
                    if (options.put(last, piece.substring(eq + 1).trim()) != null) {
                        throw new IllegalArgumentException("'" + text + "': " + last + " given twice");
                    }
                } else if (last != null) {
                    options.put(last, options.get(last) + "," + piece.trim());
                } else {
                    throw new IllegalArgumentException("'" + text + "': expected NAME:KEY=VALUE,..., got '" + piece
                            + "'");
                }
            }
        }
        Optimizers.Entry entry = Optimizers.get(name);
        entry.resolve(options);
        return new OptimizerSpec(entry.name(), options);
    }

    /** The optimizer over {@code params}. */
    Optimizer create(Map<String, Variable> params) {
        return Optimizers.get(name).create(params, options);
    }

    /** The text form, {@code NAME:KEY=VALUE,...}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name);
        String sep = ":";
        for (Map.Entry<String, String> o : options.entrySet()) {
            s.append(sep).append(o.getKey()).append('=').append(o.getValue());
            sep = ",";
        }
        return s.toString();
    }
}
