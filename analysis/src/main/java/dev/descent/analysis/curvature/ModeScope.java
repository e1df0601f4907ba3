package dev.descent.analysis.curvature;

import dev.descent.nn.BatchNormBase;
import dev.descent.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a model into a {@link CurvatureMode} and, when closed, puts back every module's training flag and every
 * batch norm's frozen flag as they were; for try-with-resources around one curvature computation.
 */
final class ModeScope implements AutoCloseable {
    private final List<Module> modules;
    private final boolean[] training;
    private final List<BatchNormBase> batchNorms = new ArrayList<>();
    private final List<Boolean> frozen = new ArrayList<>();

    private ModeScope(Module model, CurvatureMode mode) {
        this.modules = new ArrayList<>(model.namedModules().values());
        this.training = new boolean[modules.size()];
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i);
            training[i] = m.isTraining();
            if (m instanceof BatchNormBase) {
                BatchNormBase bn = (BatchNormBase) m;
                batchNorms.add(bn);
                frozen.add(bn.runningStatsFrozen());
            }
        }
        model.eval();
        for (BatchNormBase bn : batchNorms) {
            // frozen in both modes, so that even a module switched to training from outside cannot write
            bn.freezeRunningStats(true);
            if (mode == CurvatureMode.TRAIN_BATCH_STATS_FROZEN) {
                bn.train(true);
            }
        }
    }

    /** Enters {@code mode} on {@code model}. */
    static ModeScope enter(Module model, CurvatureMode mode) {
        return new ModeScope(model, mode);
    }

    @Override
    public void close() {
        // train(flag) also sets the descendants; going parents first (namedModules' depth-first order) lets
        // each module's own call come last, so every module ends with its own flag
        for (int i = 0; i < modules.size(); i++) {
            modules.get(i).train(training[i]);
        }
        for (int i = 0; i < batchNorms.size(); i++) {
            batchNorms.get(i).freezeRunningStats(frozen.get(i));
        }
    }
}
