package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.schedule.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * One training run of a warmup study: builds the cell's model, optimizer and schedule, trains for the settings'
 * steps (or until the divergence rule trips), and measures. Each step: the loss of the step's batch, backward,
 * the gradient norms when the step is a recorded one, the divergence check, then the update at the scheduled
 * learning rate. Everything a run computes comes from its cell and the shared, read-only data, so a run gives the
 * same numbers on any thread and in any order.
 */
public final class CellRun {
    /**
     * A finished run: its summary, its per-step curve, and the trained model (null for a run loaded from a study
     * folder; its weights are in the cell's {@code model.safetensors}).
     */
    public record Finished(CellResult result, LossCurve curve, @Nullable Module model) {
    }

    private CellRun() {
    }

    /** Trains {@code cell} with {@code settings}, loading the task's data first. */
    public static Finished run(WarmupCell cell, WarmupSettings settings) {
        return run(cell, settings, TaskData.load(settings));
    }

    static Finished run(WarmupCell cell, WarmupSettings settings, TaskData data) {
        TrainingTask task = data.create(cell.norm(), cell.seed());
        Module model = task.model();
        Map<String, Variable> params = model.namedParameters();
        Optimizer opt = Optimizers.get(cell.optimizer()).create(params, optimizerOptions(cell, settings));
        Scheduler scheduler = new Scheduler(opt, WarmupSchedule.of(cell.warmup(), settings.decay()));
        Set<Long> gradientSteps = new HashSet<>(settings.recordedGradientSteps());
        int steps = (int) settings.steps();
        double[] lrs = new double[steps];
        double[] losses = new double[steps];
        List<GradientSnapshot> gradients = new ArrayList<>();
        Long divergedAt = null;
        int run = 0;
        model.train();
        while (run < steps) {
            if (Thread.currentThread().isInterrupted()) {
                // the study was stopped (another cell failed): give the thread back rather than finish
                throw new CancellationException("CellRun: " + cell.id() + " interrupted at step " + run);
            }
            Batch batch = task.nextBatch();
            opt.zeroGrad();
            Variable loss = task.loss(batch);
            loss.backward();
            lrs[run] = opt.paramGroups().get(0).get("lr");
            losses[run] = loss.item();
            if (gradientSteps.contains((long) run)) {
                gradients.add(GradientSnapshot.of(run, params));
            }
            if (settings.divergence().diverged(losses[run], task.classes())) {
                divergedAt = (long) run;
                run++;
                break;
            }
            opt.step();
            scheduler.step();
            run++;
        }
        LossCurve curve = new LossCurve(Arrays.copyOf(lrs, run), Arrays.copyOf(losses, run));
        Long toTarget = curve.stepsToTarget(settings.targetLoss(), settings.window());
        String status = divergedAt != null ? CellResult.DIVERGED : toTarget != null ? CellResult.REACHED
                : CellResult.ABOVE;
        CellResult result = new CellResult(cell.id(), cell, settings.describe(), task.classes(), losses[0],
                curve.finalLoss(settings.window()), divergedAt != null, divergedAt, toTarget, run, status, gradients);
        return new Finished(result, curve, model);
    }

    /**
     * The textual options the cell's optimizer is built with: Xiong et al.'s betas where the optimizer has a pair of
     * betas, then the settings' options, then the cell's peak learning rate as {@code lr}.
     */
    static Map<String, String> optimizerOptions(WarmupCell cell, WarmupSettings settings) {
        Optimizers.Entry entry = Optimizers.get(cell.optimizer());
        Map<String, String> options = new LinkedHashMap<>();
        Optimizers.Hyperparameter betas = entry.hyperparameter("betas");
        if (betas != null && betas.keys().size() == 2) {
            options.put("betas", WarmupSettings.ADAM_BETAS);
        }
        options.putAll(settings.optimizerOptions());
        options.put("lr", Double.toString(cell.peakLr()));
        return options;
    }
}
