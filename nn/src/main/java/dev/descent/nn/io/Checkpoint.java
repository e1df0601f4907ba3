package dev.descent.nn.io;

import dev.descent.nn.Module;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a training run needs to continue exactly where it stopped: the model's state dict, the
 * optimizer's and the learning-rate schedule's state, the states of the random generators (data order,
 * dropout, ...), the step, and free-form metadata. A run resumed from a checkpoint with the same code draws
 * the same numbers and computes the same parameters, bit for bit, as the run that was never interrupted.
 *
 * <p>A checkpoint is one safetensors file, written atomically, so that a crash during a save leaves the
 * previous checkpoint intact. Its tensors are named by section: {@code model.<name>},
 * {@code optimizer.<name>}, {@code schedule.<name>} and {@code rng.<name>} (an INT64 tensor of the four
 * state words of {@link Rng#state()}); its string metadata holds {@code format}
 * ({@value #FORMAT}), {@code format_version}, {@code step}, and the JSON texts {@code optimizer} and
 * {@code schedule} (their scalars) and {@code metadata}. Python's {@code safetensors} reads it as it reads
 * any other file, e.g. to take the model's weights.
 *
 * <p>{@link #load(Path)} checks the file in full and reports every problem it finds in one exception;
 * the {@code restore} methods check that the checkpoint fits what it is restored into.
 *
 * <pre>{@code
 * Checkpoint.builder().step(step).model(model).optimizer(optimizerState).rng("data", dataRng).build().save(file);
 * ...
 * Checkpoint c = Checkpoint.load(file);
 * c.restoreModel(model);
 * c.restoreRng("data", dataRng);
 * long step = c.step();
 * }</pre>
 *
 * <p>The tensors of a checkpoint built here are referenced, not copied: save it before training changes
 * them. RNG states and scalars are copied when they are given to the builder.
 */
public final class Checkpoint {
    /** The value of the {@code format} metadata entry that marks a Descent checkpoint. */
    public static final String FORMAT = "descent.checkpoint";

    /** The version of the layout described above, stored as {@code format_version}. */
    public static final int FORMAT_VERSION = 1;

    /**
     * The state of a stateful training component (an optimizer, a schedule): named tensors (buffers such as
     * momentum) and named scalars (counters, hyperparameters). Scalars are null, Boolean, String, integers,
     * finite floating-point numbers, or Lists and String-keyed Maps of these; they are normalised on
     * construction (integers to Long, floating point to Double), so that a saved and a loaded state compare
     * equal.
     *
     * @param tensors the named tensors, referenced, not copied
     * @param scalars the named JSON values
     */
    public record State(Map<String, Tensor> tensors, Map<String, Object> scalars) {
        /** A state with no tensors and no scalars. */
        public static final State EMPTY = new State(Map.of(), Map.of());

        /**
         * Checks and copies both maps.
         *
         * @throws IllegalArgumentException if a name is null or empty, a tensor is null, or a scalar cannot be
         *     stored as JSON
         */
        public State {
            tensors = checkedTensors(tensors, "State tensors");
            scalars = JsonValues.normalizeObject(scalars, "State scalars");
        }

        /** A state of tensors only. */
        public static State ofTensors(Map<String, Tensor> tensors) {
            return new State(tensors, Map.of());
        }
    }

    private final long step;
    private final Map<String, Tensor> model;
    private final State optimizer;
    private final State schedule;
    private final Map<String, long[]> rngs;
    private final Map<String, Object> metadata;

    Checkpoint(long step, Map<String, Tensor> model, State optimizer, State schedule, Map<String, long[]> rngs,
            Map<String, Object> metadata) {
        this.step = step;
        this.model = checkedTensors(model, "Checkpoint model");
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.rngs = Collections.unmodifiableMap(new LinkedHashMap<>(rngs));
        this.metadata = JsonValues.normalizeObject(metadata, "Checkpoint metadata");
    }

    /** A builder of a checkpoint at step 0 with nothing in it. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and checks a checkpoint.
     *
     * @throws MalformedFileException if the file is not a safetensors file, not a checkpoint, or a checkpoint
     *     with wrong or missing parts; the message lists every problem found
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        return CheckpointFormat.decode(SafeTensors.read(file), file.toString());
    }

    /**
     * Writes this checkpoint to {@code file} atomically, replacing any file there.
     *
     * @throws IOException if it cannot be written; the previous file, if any, is then unchanged
     */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, CheckpointFormat.tensors(this), CheckpointFormat.metadata(this));
    }

    /** The number of training steps taken when the checkpoint was made. */
    public long step() {
        return step;
    }

    /** The model's state dict; unmodifiable. */
    public Map<String, Tensor> model() {
        return model;
    }

    /** The optimizer's state ({@link State#EMPTY} if none was given). */
    public State optimizer() {
        return optimizer;
    }

    /** The schedule's state ({@link State#EMPTY} if none was given). */
    public State schedule() {
        return schedule;
    }

    /** The names of the RNG states, in the order they were given. */
    public Set<String> rngNames() {
        return rngs.keySet();
    }

    /**
     * A copy of the RNG state {@code name}, as {@link Rng#state()} returned it.
     *
     * @throws IllegalArgumentException if there is none of that name; the message lists those there are
     */
    public long[] rngState(String name) {
        long[] state = rngs.get(name);
        if (state == null) {
            throw new IllegalArgumentException("Checkpoint: no RNG state '" + name + "' among " + rngs.keySet());
        }
        return state.clone();
    }

    /** The free-form metadata; unmodifiable. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Copies the model state into {@code target}, strictly; see {@link Module#loadStateDict(Map)}. */
    public void restoreModel(Module target) {
        target.loadStateDict(model);
    }

    /** Sets {@code rng} to the state saved as {@code name}; see {@link #rngState(String)}. */
    public void restoreRng(String name, Rng rng) {
        rng.restore(rngState(name));
    }

    /** The step and the size of each part, e.g. {@code Checkpoint{step=100, model=4 tensors, ...}}. */
    @Override
    public String toString() {
        return "Checkpoint{step=" + step + ", model=" + model.size() + " tensors, optimizer=" + optimizer.tensors().size()
                + " tensors and " + optimizer.scalars().size() + " scalars, schedule=" + schedule.tensors().size()
                + " tensors and " + schedule.scalars().size() + " scalars, rngs=" + rngs.keySet() + ", metadata="
                + metadata.keySet() + "}";
    }

    private static Map<String, Tensor> checkedTensors(Map<String, Tensor> tensors, String what) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name == null || name.isEmpty() || t == null) {
                throw new IllegalArgumentException(what + ": '" + name + "' -> " + (t == null ? "null" : "tensor")
                        + "; names must be non-empty and tensors non-null");
            }
            out.put(name, t);
        });
        return Collections.unmodifiableMap(out);
    }

    /** Collects the parts of a {@link Checkpoint}. */
    public static final class Builder {
        private long step;
        private Map<String, Tensor> model = Map.of();
        private State optimizer = State.EMPTY;
        private State schedule = State.EMPTY;
        private final Map<String, long[]> rngs = new LinkedHashMap<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** The number of training steps taken; must be non-negative. */
        public Builder step(long step) {
            if (step < 0) {
                throw new IllegalArgumentException("Checkpoint.Builder.step: the step must be >= 0, got " + step);
            }
            this.step = step;
            return this;
        }

        /** The model's state dict, taken from {@code model} now (its tensors are referenced, not copied). */
        public Builder model(Module model) {
            return model(model.stateDict());
        }

        /** The model's state dict. */
        public Builder model(Map<String, Tensor> stateDict) {
            this.model = checkedTensors(stateDict, "Checkpoint model");
            return this;
        }

        /** The optimizer's state. */
        public Builder optimizer(State state) {
            this.optimizer = Objects.requireNonNull(state, "optimizer state");
            return this;
        }

        /** The learning-rate schedule's state. */
        public Builder schedule(State state) {
            this.schedule = Objects.requireNonNull(state, "schedule state");
            return this;
        }

        /** The current state of {@code rng}, saved as {@code name} (non-empty, unique). */
        public Builder rng(String name, Rng rng) {
            if (name == null || name.isEmpty() || rngs.containsKey(name)) {
                throw new IllegalArgumentException("Checkpoint.Builder.rng: the name '" + name
                        + "' must be non-empty and not given before");
            }
            rngs.put(name, rng.state());
            return this;
        }

        /** A free-form metadata entry; {@code value} is any value a {@link State} scalar can be. */
        public Builder metadata(String key, Object value) {
            Objects.requireNonNull(key, "metadata key");
            metadata.put(key, JsonValues.normalize(value, "Checkpoint metadata." + key));
            return this;
        }

        /** The checkpoint. */
        public Checkpoint build() {
            return new Checkpoint(step, model, optimizer, schedule, rngs, metadata);
        }
    }
}
