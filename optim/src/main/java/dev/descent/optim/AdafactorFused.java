package dev.descent.optim;

import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * {@link Adafactor}'s fused steps, for contiguous tensors: the same arithmetic as its in-place operations, bit
 * for bit, in two or three passes over memory that allocate nothing ({@link FusedRule#ADAFACTOR_FACTORED} and
 * the other Adafactor rules): the statistics with the parameter's norm, then (factored) the update's norm, then
 * the step, which recomputes the update from the statistics rather than storing it. Each method creates the
 * buffers the unfused path would (same names, shapes and order) and returns false, without touching the step
 * counter, when the tensors do not qualify.
 */
final class AdafactorFused {
    private final FusedStep hfFactored = new FusedStep(FusedRule.ADAFACTOR_FACTORED);
    private final FusedStep hfVector = new FusedStep(FusedRule.ADAFACTOR_VECTOR);
    private final FusedStep torchFactored = new FusedStep(FusedRule.ADAFACTOR_TORCH_FACTORED);
    private final FusedStep torchVector = new FusedStep(FusedRule.ADAFACTOR_TORCH_VECTOR);

    /** A buffer of {@code shape} but with {@code size} at {@code axis}, or without {@code axis} when size < 0. */
    static Tensor statistic(ParamState state, String name, Tensor theta, int axis, int size) {
        Tensor b = state.buffer(name);
        if (b == null) {
            int[] shape = theta.shape().toArray();
            int[] s;
            if (size < 0) {
                s = new int[shape.length - 1];
                for (int i = 0, j = 0; i < shape.length; i++) {
                    if (i != axis) {
                        s[j++] = shape[i];
                    }
                }
            } else {
                s = Arrays.copyOf(shape, shape.length);
                s[axis] = size;
            }
            b = Tensor.zeros(theta.dtype(), s);
            state.buffers().put(name, b);
        }
        return b;
    }

    /** spec §6 (a), fused; false (nothing done) when the tensors do not qualify. */
    boolean hf(ParamGroup g, Tensor theta, Tensor grad, ParamState state) {
        int n = theta.dim();
        boolean factored = n >= 2;
        double beta1 = g.get("beta1");
        Tensor row = factored ? statistic(state, "exp_avg_sq_row", theta, n - 1, -1) : null;
        Tensor col = factored ? statistic(state, "exp_avg_sq_col", theta, n - 2, -1) : null;
        Tensor v = factored ? null : state.zeroBuffer("exp_avg_sq", theta);
        Tensor m = Double.isNaN(beta1) ? null : state.zeroBuffer("exp_avg", theta);
        FusedStep f = factored ? hfFactored : hfVector;
        if (factored ? !f.begin(theta, grad, row, col, m) : !f.begin(theta, grad, v, m)) {
            return false;
        }
        long t = state.advance();
        double beta2t = 1.0 - Math.pow(t, g.get("decay_rate"));
        f.put(0).put(g.get("eps1")).put(beta2t).put(1.0 - beta2t).put(0).put(0).put(0).put(0).put(0).put(0);
        f.runPhase();
        double paramRms = Paper2Support.norm(f.output(0), theta.dtype()) / Math.sqrt(theta.numel());
        double rho = g.get("lr");
        if (g.get("relative_step") != 0) {
            double cap = g.get("warmup_init") != 0 ? 1e-6 * t : 1e-2;
            rho = Math.min(cap, 1.0 / Math.sqrt(t));
        }
        double scale = g.get("scale_parameter") != 0 ? Math.max(g.get("eps2"), paramRms) : 1.0;
        double alpha = scale * rho;
        if (factored) {
            f.put(1).put(0).put(0).put(0).put(0).put(0).put(0).put(0).put(0).put(0).runPhase();
        }
        double updateRms = Paper2Support.norm(f.output(1), theta.dtype()) / Math.sqrt(theta.numel());
        double wd = g.get("weight_decay");
        f.put(factored ? 2 : 1).put(0).put(0).put(0).put(Math.max(updateRms / g.get("clip_threshold"), 1.0))
                .put(alpha).put(m == null ? 0 : beta1).put(m == null ? 0 : 1 - beta1).put(wd != 0).put(-wd * alpha)
                .run();
        return true;
    }

    /** spec §6 (b), fused; false (nothing done) when the tensors do not qualify. */
    boolean torch(ParamGroup g, Tensor theta, Tensor grad, ParamState state) {
        int n = theta.dim();
        boolean factored = n > 1;
        Tensor row = factored ? statistic(state, "row_var", theta, n - 1, 1) : null;
        Tensor col = factored ? statistic(state, "col_var", theta, n - 2, 1) : null;
        Tensor variance = factored ? null : state.zeroBuffer("variance", theta);
        FusedStep f = factored ? torchFactored : torchVector;
        if (factored ? !f.begin(theta, grad, row, col) : !f.begin(theta, grad, variance)) {
            return false;
        }
        boolean maximize = g.get("maximize") != 0;
        double eps1 = g.get("eps1");
        if (Double.isNaN(eps1)) {
            eps1 = Paper2Support.machineEpsilon(theta.dtype());
        }
        double lr = g.get("lr");
        long t = state.advance();
        double w = Math.pow((double) t, g.get("beta2_decay"));
        double rho = Math.min(lr, 1 / Math.pow((double) t, 0.5));
        double wd = g.get("weight_decay");
        double decay = wd != 0 ? 1 - lr * wd : 1;
        f.put(0).put(maximize).put(w).put(eps1).put(eps1 * eps1).put(decay).put(0).runPhase();
        double alpha = Math.max(g.get("eps2"), Paper2Support.norm(f.output(0), theta.dtype())
                / Math.sqrt(theta.numel())) * rho;
        if (factored) {
            f.put(1).put(maximize).put(w).put(eps1).put(eps1 * eps1).put(decay).put(0).runPhase();
        }
        double denom = Math.max(1.0, Paper2Support.norm(f.output(1), theta.dtype())
                / (Math.sqrt(theta.numel()) * g.get("d")));
        f.put(factored ? 2 : 1).put(maximize).put(w).put(eps1).put(eps1 * eps1).put(decay).put(-alpha / denom)
                .run();
        return true;
    }
}
