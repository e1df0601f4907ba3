package dev.descent.analysis.curvature;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Which tensors a model's parameters and buffers held, and how many in-place writes each had seen, at one
 * moment: a kept gradient graph is valid only while both are unchanged (an optimizer step writes in place; a
 * dtype change or {@code setValue} swaps the tensor).
 */
final class StateStamp {
    private final List<Tensor> tensors;
    private final int[] versions;

    private StateStamp(List<Tensor> tensors) {
        this.tensors = tensors;
        this.versions = new int[tensors.size()];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = tensors.get(i).storage().version();
        }
    }

    static StateStamp of(Module model) {
        return new StateStamp(new ArrayList<>(model.stateDict().values()));
    }

    /** Whether {@code model} still holds the same tensors, unwritten since this stamp. */
    boolean matches(Module model) {
        List<Tensor> now = new ArrayList<>(model.stateDict().values());
        if (now.size() != tensors.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i) != tensors.get(i) || now.get(i).storage().version() != versions[i]) {
                return false;
            }
        }
        return true;
    }
}
