package dev.descent.nn.io;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a {@link Checkpoint} maps onto a safetensors file (the layout is described there), both ways. Decoding
 * goes through the whole file before it gives up, so that one exception names every problem.
 */
final class CheckpointFormat {
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final String SCHEDULE = "schedule.";
    private static final String RNG = "rng.";
    private static final Set<String> METADATA_KEYS =
            Set.of("format", "format_version", "step", "optimizer", "schedule", "metadata");

    private CheckpointFormat() {
    }

    static Map<String, Tensor> tensors(Checkpoint c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        c.model().forEach((name, t) -> out.put(MODEL + name, t));
        c.optimizer().tensors().forEach((name, t) -> out.put(OPTIMIZER + name, t));
        c.schedule().tensors().forEach((name, t) -> out.put(SCHEDULE + name, t));
        for (String name : c.rngNames()) {
            out.put(RNG + name, Tensor.of(c.rngState(name)));
        }
        return out;
    }

    static Map<String, String> metadata(Checkpoint c) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("format", Checkpoint.FORMAT);
        out.put("format_version", Integer.toString(Checkpoint.FORMAT_VERSION));
        out.put("step", Long.toString(c.step()));
        out.put("optimizer", JsonValues.write(c.optimizer().scalars()));
        out.put("schedule", JsonValues.write(c.schedule().scalars()));
        out.put("metadata", JsonValues.write(c.metadata()));
        return out;
    }

    static Checkpoint decode(SafeTensors file, String source) throws MalformedFileException {
        Map<String, String> meta = file.metadata();
        if (!Checkpoint.FORMAT.equals(meta.get("format"))) {
            throw new MalformedFileException(source + ": not a Descent checkpoint (its metadata has no format \""
                    + Checkpoint.FORMAT + "\")");
        }
        String version = meta.get("format_version");
        if (!Integer.toString(Checkpoint.FORMAT_VERSION).equals(version)) {
            throw new MalformedFileException(source + ": checkpoint format version " + version
                    + " is not one this version of Descent reads (" + Checkpoint.FORMAT_VERSION + ")");
        }
        List<String> problems = new ArrayList<>();
        for (String key : meta.keySet()) {
            if (!METADATA_KEYS.contains(key)) {
                problems.add("unexpected metadata entry '" + key + "'");
            }
        }
        long step = step(meta.get("step"), problems);
        Map<String, Object> optimizerScalars = json(meta, "optimizer", problems);
        Map<String, Object> scheduleScalars = json(meta, "schedule", problems);
        Map<String, Object> metadata = json(meta, "metadata", problems);

        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        Map<String, Tensor> schedule = new LinkedHashMap<>();
        Map<String, long[]> rngs = new LinkedHashMap<>();
        file.tensors().forEach((name, t) -> {
            String section = name.substring(0, name.indexOf('.') + 1);
            String rest = name.substring(section.length());
            Map<String, Tensor> target = switch (section) {
                case MODEL -> model;
                case OPTIMIZER -> optimizer;
                case SCHEDULE -> schedule;
                default -> null;
            };
            if (rest.isEmpty() || (target == null && !section.equals(RNG))) {
                problems.add("tensor '" + name + "' is in no section (model., optimizer., schedule. or rng.)");
            } else if (target != null) {
                target.put(rest, t);
            } else {
                rngState(name, t, problems).ifPresent(state -> rngs.put(rest, state));
            }
        });
        if (!problems.isEmpty()) {
            throw new MalformedFileException(source + " is not a valid checkpoint: " + String.join("; ", problems));
        }
        return new Checkpoint(step, model, new Checkpoint.State(optimizer, optimizerScalars),
                new Checkpoint.State(schedule, scheduleScalars), rngs, metadata);
    }

    private static long step(String text, List<String> problems) {
        try {
            long step = Long.parseLong(text == null ? "" : text);
            if (step >= 0) {
                return step;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(text == null ? "metadata entry 'step' is missing" : "step '" + text + "' is not a non-negative integer");
        return 0;
    }

    private static Map<String, Object> json(Map<String, String> meta, String key, List<String> problems) {
        String text = meta.get(key);
        if (text == null) {
            problems.add("metadata entry '" + key + "' is missing");
            return Map.of();
        }
        try {
            return JsonValues.read(text, "metadata entry '" + key + "'");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Map.of();
        }
    }

    private static Optional<long[]> rngState(String name, Tensor t, List<String> problems) {
        if (t.dtype() != DType.INT64 || !t.shape().equals(Shape.of(4))) {
            problems.add("RNG state '" + name + "' must be INT64 of shape [4], not " + t.dtype().displayName() + t.shape());
            return Optional.empty();
        }
        long[] state = t.toLongArray();
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            problems.add("RNG state '" + name + "' is all zeros, which no generator can be in");
            return Optional.empty();
        }
        return Optional.of(state);
    }
}
