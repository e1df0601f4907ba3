package dev.descent.analysis.curvature;

import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Copies of a model in another dtype, for curvature work in FLOAT64 on a model trained in FLOAT32.
 * {@link Module#to(DType)} converts a model <b>in place</b> (each parameter keeps its {@code Variable} and gets a
 * cast tensor; gradients of the old dtype are dropped), which would change the model being trained; a copy
 * leaves it alone.
 *
 * <pre>{@code
 * Sequential f64 = ModelCopy.float64(model, () -> new Sequential(new Linear(784, 128, new Rng(0)),
 *         new ReLU(), new Linear(128, 10, new Rng(0))));
 * }</pre>
 */
public final class ModelCopy {
    private ModelCopy() {
    }

    /** A FLOAT64 copy of {@code source}: {@link #inDtype(Module, Supplier, DType)} with FLOAT64. */
    public static <M extends Module> M float64(M source, Supplier<? extends M> factory) {
        return inDtype(source, factory, DType.FLOAT64);
    }

    /**
     * A copy of {@code source} in {@code dtype}: {@code factory} builds a model of the same architecture (its own
     * initial values do not matter), which is cast to {@code dtype} and then given {@code source}'s parameters
     * and buffers (values copied and cast, as {@link Module#loadStateDict}) and each module's training flag.
     *
     * @throws IllegalArgumentException if the factory's model has other parameter or buffer names or shapes
     */
    public static <M extends Module> M inDtype(M source, Supplier<? extends M> factory, DType dtype) {
        M copy = factory.get();
        if (copy == source) {
            throw new IllegalArgumentException("ModelCopy: the factory returned the source model itself; it must build"
                    + " a new one");
        }
        copy.to(dtype);
        copy.loadStateDict(source.stateDict());
        Map<String, Module> from = source.namedModules();
        // parents first, so that each module's own flag is set last (train(flag) also sets the descendants)
        copy.namedModules().forEach((name, m) -> {
            Module original = from.get(name);
            if (original != null) {
                m.train(original.isTraining());
            }
        });
        return copy;
    }
}
