package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Parameters temporarily holding other weights (Lookahead's slow weights, spec/optimizers.md §3, or the
 * iterate average, §12) for evaluation; {@link #close()} puts the training weights back. Use with
 * try-with-resources: {@code try (WeightSwap s = lookahead.swapToSlow()) { evaluate(model); }}. While a swap is
 * open the wrapper refuses to step, so that training never continues from the evaluation weights.
 */
public final class WeightSwap implements AutoCloseable {
    private final Map<Variable, Tensor> backups = new IdentityHashMap<>();
    private final Runnable onClose;
    private boolean open = true;

    /** Copies each value of {@code weights} into its parameter, keeping a copy of the parameter's own value. */
    WeightSwap(Map<Variable, Tensor> weights, Runnable onClose) {
        this.onClose = onClose;
        weights.forEach((p, w) -> {
            backups.put(p, p.value().clone());
            p.value().copy_(w);
        });
    }

    /** Whether the swapped-in weights are still in the parameters. */
    public boolean isOpen() {
        return open;
    }

    /** Restores the training weights (bit-identical copies); a second call does nothing. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        backups.forEach((p, b) -> p.value().copy_(b));
        backups.clear();
        open = false;
        onClose.run();
    }
}
