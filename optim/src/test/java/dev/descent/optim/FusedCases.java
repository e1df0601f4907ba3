package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The optimizers with a fused update, each with option sets that reach every branch of its fused rule
 * (variants, weight-decay modes, rectification regimes), for the tests of the fused path. LARS fuses the
 * elementwise part of its step, after its two norms.
 */
final class FusedCases {
    private FusedCases() {
    }

    /** One optimizer configuration: a name for messages, the constructor and the group's options. */
    record Case(String name, Function<List<ParamGroup>, Optimizer> build, Map<String, Double> options) {
        Optimizer create(Map<String, Variable> params) {
            return build.apply(List.of(new ParamGroup(params, options)));
        }

        @Override
        public String toString() {
            return name + " " + options;
        }
    }

    private static Case c(String name, Function<List<ParamGroup>, Optimizer> build, Object... keysAndValues) {
        Map<String, Double> options = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
        }
        return new Case(name, build, options);
    }

    /** Every fused optimizer with its option sets. */
    static Stream<Case> all() {
        List<Case> cases = new ArrayList<>(List.of(
                c("SGD", SGD::new, "lr", 0.01),
                c("SGD", SGD::new, "lr", 0.01, "momentum", 0.9, "dampening", 0.1, "weight_decay", 0.01),
                c("SGD", SGD::new, "lr", 0.01, "momentum", 0.9, "nesterov", 1, "maximize", 1),
                c("Adam", Adam::new, "lr", 0.01),
                c("Adam", Adam::new, "lr", 0.01, "amsgrad", 1, "weight_decay", 0.1, "maximize", 1),
                c("Adam", Adam::new, "lr", 0.01, "decoupled_weight_decay", 1, "weight_decay", 0.1),
                c("AdamW", AdamW::new, "lr", 0.01, "amsgrad", 1),
                c("Adamax", Adamax::new, "lr", 0.01),
                c("Adamax", Adamax::new, "lr", 0.01, "weight_decay", 0.1, "maximize", 1),
                c("RMSprop", RMSprop::new, "lr", 0.01),
                c("RMSprop", RMSprop::new, "lr", 0.01, "centered", 1),
                c("RMSprop", RMSprop::new, "lr", 0.01, "momentum", 0.9),
                c("RMSprop", RMSprop::new, "lr", 0.01, "centered", 1, "momentum", 0.5, "weight_decay", 0.1,
                        "maximize", 1),
                c("Adagrad", Adagrad::new, "lr", 0.01),
                c("Adagrad", Adagrad::new, "lr", 0.01, "lr_decay", 0.1, "initial_accumulator_value", 0.5,
                        "weight_decay", 0.1, "maximize", 1),
                c("Adadelta", Adadelta::new, "lr", 0.5),
                c("Adadelta", Adadelta::new, "lr", 0.5, "rho", 0.5, "weight_decay", 0.1, "maximize", 1),
                c("NAdam", NAdam::new, "lr", 0.01),
                c("NAdam", NAdam::new, "lr", 0.01, "weight_decay", 0.1, "maximize", 1),
                c("NAdam", NAdam::new, "lr", 0.01, "weight_decay", 0.1, "decoupled_weight_decay", 1),
                c("RAdam", RAdam::new, "lr", 0.01),
                c("RAdam", RAdam::new, "lr", 0.01, "beta2", 0.9, "weight_decay", 0.1, "maximize", 1),
                c("RAdam", RAdam::new, "lr", 0.01, "beta2", 0.9, "weight_decay", 0.1, "decoupled_weight_decay", 1),
                c("OfficialRAdam", OfficialRAdam::new, "lr", 0.01, "beta2", 0.9),
                c("OfficialRAdam", OfficialRAdam::new, "lr", 0.01, "degenerated_to_sgd", 1, "weight_decay", 0.1),
                c("OfficialRAdam", OfficialRAdam::new, "lr", 0.01, "beta2", 0.9, "weight_decay", 0.1,
                        "step_size_cache", 0, "strict_threshold", 1),
                c("AdaBelief", AdaBelief::new, "lr", 0.01),
                c("AdaBelief", AdaBelief::new, "lr", 0.01, "beta2", 0.9, "amsgrad", 1, "weight_decay", 0.1),
                c("AdaBelief", AdaBelief::new, "lr", 0.01, "rectify", 0, "amsgrad", 1, "weight_decouple", 0,
                        "weight_decay", 0.1),
                c("AdaBelief", AdaBelief::new, "lr", 0.01, "beta2", 0.9, "degenerated_to_sgd", 0, "fixed_decay", 1,
                        "weight_decay", 0.01),
                c("ACProp", ACProp::new, "lr", 0.01),
                c("ACProp", ACProp::new, "lr", 0.01, "amsgrad", 1, "momentum_update", 1, "weight_decay", 0.1),
                c("ACProp", ACProp::new, "lr", 0.01, "rectify", 1, "beta2", 0.9, "weight_decouple", 1,
                        "weight_decay", 0.1),
                c("ACProp", ACProp::new, "lr", 0.01, "rectify", 1, "amsgrad", 1, "degenerated_to_sgd", 0),
                c("DiffGrad", DiffGrad::new, "lr", 0.01),
                c("DiffGrad", DiffGrad::new, "lr", 0.01, "paper_epsilon", 1, "weight_decay", 0.1),
                c("Adan", Adan::new, "lr", 0.01),
                c("Adan", Adan::new, "lr", 0.01, "weight_decay", 0.1, "no_prox", 1),
                c("Adan", Adan::new, "lr", 0.01, "weight_decay", 0.1, "max_grad_norm", 0.5),
                c("PNM", PNM::new, "lr", 0.01),
                c("PNM", PNM::new, "lr", 0.01, "decoupled", 0, "weight_decay", 0.1, "beta0", 0.5),
                c("AdaPNM", AdaPNM::new, "lr", 0.01),
                c("AdaPNM", AdaPNM::new, "lr", 0.01, "amsgrad", 0, "decoupled", 0, "weight_decay", 0.1),
                c("SignSGD", SignSGD::new, "lr", 0.01, "weight_decay", 0.1),
                c("SignSGD", SignSGD::new, "lr", 0.01, "decoupled", 0, "weight_decay", 0.1, "maximize", 1),
                c("Signum", Signum::new, "lr", 0.01, "weight_decay", 0.1),
                c("Signum", Signum::new, "lr", 0.01, "decoupled", 0, "weight_decay", 0.1, "maximize", 1),
                c("GeneralizedSignSGD", GeneralizedSignSGD::new, "lr", 0.01),
                c("GeneralizedSignSGD", GeneralizedSignSGD::new, "lr", 0.01, "use_bias_correction", 1,
                        "weight_decay", 0.1),
                c("LARS", LARS::new, "lr", 0.1, "weight_decay", 0.01),
                c("LARS", LARS::new, "lr", 0.1, "momentum", 0, "adapt", 0),
                c("PadamW", PadamW::new, "lr", 0.01, "weight_decay", 0.1),
                c("PadamW", PadamW::new, "lr", 0.01, "amsgrad", 0, "partial", 0.5, "decoupled_weight_decay", 0,
                        "weight_decay", 0.1)));
        return cases.stream();
    }

    /**
     * Seeded gradients for {@code steps} steps of a {@code rows x cols} parameter, N(0, 1) with every seventh
     * element exactly zero (sign(0), ties of max and the friction at zero difference are reached).
     */
    static List<Tensor> gradients(long seed, DType dtype, int steps, int rows, int cols) {
        Rng rng = new Rng(seed);
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            double[] g = Tensor.randn(rng, DType.FLOAT64, rows * cols).toDoubleArray();
            for (int i = s % 7; i < g.length; i += 7) {
                g[i] = 0;
            }
            out.add(Tensor.of(g, rows, cols).cast(dtype));
        }
        return out;
    }
}
