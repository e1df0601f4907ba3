package dev.descent.optim;

import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** One parameter's optimizer state: its step counter and named buffers (created lazily, at the first step). */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** The number of updates this parameter has received. */
    public long step() {
        return step;
    }

    /** Advances the step counter and returns the new value (1 at the first update). */
    public long advance() {
        return ++step;
    }

    void setStep(long step) {
        this.step = step;
    }

    /** Buffer {@code name}, created by {@code init} the first time it is asked for. */
    public Tensor buffer(String name, Supplier<Tensor> init) {
        return buffers.computeIfAbsent(name, k -> init.get());
    }

    /**
     * Buffer {@code name}, created zero-filled with {@code like}'s dtype and shape the first time it is asked
     * for. Unlike {@code buffer(name, like::zerosLike)} this allocates nothing once the buffer exists (a method
     * reference capturing {@code like} is a new object at every call).
     */
    public Tensor zeroBuffer(String name, Tensor like) {
        Tensor b = buffers.get(name);
        if (b == null) {
            b = like.zerosLike();
            buffers.put(name, b);
        }
        return b;
    }

    /** Buffer {@code name}, or null if it does not exist yet. */
    public @Nullable Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The buffers by name, in creation order (live: changing a tensor changes the state). */
    public Map<String, Tensor> buffers() {
        return buffers;
    }
}
