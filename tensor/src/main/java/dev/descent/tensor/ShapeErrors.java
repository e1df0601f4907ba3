package dev.descent.tensor;

import java.util.ArrayList;
import java.util.List;

/** Argument errors that end with every involved shape the reason did not already name. */
final class ShapeErrors {
    private ShapeErrors() {
    }

    /** {@code op: reason [name shape, ...]}, listing each non-null shape absent from the reason. */
    static IllegalArgumentException of(String op, String reason, String[] names, Shape... shapes) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String named = names[i] + " " + shapes[i];
            if (shapes[i] != null && !reason.contains(named)) {
                missing.add(named);
            }
        }
        String trailer = missing.isEmpty() ? "" : " [" + String.join(", ", missing) + "]";
        return new IllegalArgumentException(op + ": " + reason + trailer);
    }
}
