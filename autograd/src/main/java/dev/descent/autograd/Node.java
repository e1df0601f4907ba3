package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One recorded operation: its name, its inputs, the rule that maps the output's gradient to the inputs',
 * and the versions of the values the rule saved. Each node has exactly one output (multi-output
 * operations such as {@code split} are recorded as one node per output).
 */
final class Node {
    final String op;
    final Variable[] inputs;
    private BackwardRule rule;
    /** The tensors the rule reads (not the variables: a leaf's tensor can be replaced, the saved one cannot). */
    private Tensor[] saved;
    private int[] savedVersions;
    /** Where the forward ran, kept only in anomaly mode. */
    final Throwable forwardTrace;

    Node(String op, Variable[] inputs, BackwardRule rule, Variable[] saved) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
        this.saved = new Tensor[saved.length];
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) {
            this.saved[i] = saved[i].value();
            savedVersions[i] = this.saved[i].storage().version();
        }
        this.forwardTrace = GradMode.isAnomalyEnabled()
                ? new Throwable("forward of '" + op + "' (recorded in anomaly mode)") : null;
    }

    /** Adds the output to the saved values once it exists (for rules that reuse the output). */
    void saveOutput(Variable output) {
        saved = Arrays.copyOf(saved, saved.length + 1);
        savedVersions = Arrays.copyOf(savedVersions, savedVersions.length + 1);
        saved[saved.length - 1] = output.value();
        savedVersions[saved.length - 1] = output.value().storage().version();
    }

    boolean released() {
        return rule == null;
    }

    /** Runs the rule after checking that nothing it saved was changed in place since. */
    @Nullable Variable[] apply(Variable output, Variable gradOutput, boolean[] needs) {
        if (rule == null) {
            throw freed();
        }
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].storage().version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("backward: a value of shape " + saved[i].shape() + " saved by '" + op
                        + "' was modified in place after it was saved (version " + savedVersions[i] + " then, "
                        + now + " now); its gradient would be wrong. Clone the value before changing it in place,"
                        + " or change it after backward.");
            }
        }
        return rule.apply(output, gradOutput, needs);
    }

    /**
     * The rule when this node records a narrow ({@link Engine} adds its gradient into a slice in place), null
     * for any other operation; fails as {@link #apply} does once the graph was freed.
     */
    Shapes.@Nullable NarrowRule narrowRule() {
        if (rule == null) {
            throw freed();
        }
        return rule instanceof Shapes.NarrowRule r ? r : null;
    }

    private IllegalStateException freed() {
        return new IllegalStateException("backward: the graph through '" + op + "' was already freed by an"
                + " earlier backward; pass retainGraph = true to the first one to run backward twice");
    }

    /** Frees what the rule holds (saved values); a later backward through this node fails clearly. */
    void release() {
        rule = null;
        saved = new Tensor[0];
        savedVersions = new int[0];
    }

    @Override
    public String toString() {
        return op;
    }
}
