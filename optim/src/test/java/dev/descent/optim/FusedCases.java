package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.optim.eightbit.Adam8bit;
import dev.descent.optim.eightbit.AdamW8bit;
import dev.descent.optim.eightbit.Momentum8bit;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The optimizers with a fused update, each with option sets that reach every branch of its fused rule
 * (variants, weight-decay modes, rectification regimes), for the tests of the fused path. LARS fuses the
 * elementwise part of its step, after its two norms. LAMB, Adafactor (both modes), KOALA (stepped by
 * {@code predict} and {@code update} with a fixed loss) and the 8-bit optimizers (FLOAT32 only) run in phases
 * whose fused rules compute their norms and statistics themselves.
 */
final class FusedCases {
    private FusedCases() {
    }

    /**
     * One optimizer configuration: a name for messages, the constructor, the group's options, how to take a
     * step, and whether it takes FLOAT32 tensors only.
     */
    record Case(String name, Function<List<ParamGroup>, Optimizer> build, Map<String, Double> options,
                Consumer<Optimizer> stepper, boolean float32Only) {
        Optimizer create(Map<String, Variable> params) {
            return build.apply(List.of(new ParamGroup(params, options)));
        }

        void step(Optimizer optimizer) {
            stepper.accept(optimizer);
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
        return new Case(name, build, options, Optimizer::step, false);
    }

    /** KOALA's step with the loss 1.5 and mean squared sample loss 2.5. */
    private static void koalaStep(Optimizer o) {
        Koala k = (Koala) o;
        k.predict();
        k.update(1.5, 2.5);
    }

    private static Case koala(String name, Function<List<ParamGroup>, Optimizer> build, Object... keysAndValues) {
        Case c = c(name, build, keysAndValues);
        return new Case(name, build, c.options(), FusedCases::koalaStep, false);
    }

    private static Case eightBit(String name, Function<List<ParamGroup>, Optimizer> build, Object... keysAndValues) {
        Case c = c(name, build, keysAndValues);
        return new Case(name, build, c.options(), Optimizer::step, true);
    }

    /** The cases whose rules compute norms or statistics (LAMB, Adafactor, KOALA) and the 8-bit ones. */
    static Stream<Case> phased() {
        Function<List<ParamGroup>, Optimizer> hf = g -> new Adafactor(g, Adafactor.Mode.HF);
        Function<List<ParamGroup>, Optimizer> torch = g -> new Adafactor(g, Adafactor.Mode.TORCH);
        Function<List<ParamGroup>, Optimizer> kv = g -> new Koala.Vanilla(g, Map.of());
        Function<List<ParamGroup>, Optimizer> km = g -> new Koala.Momentum(g, Map.of());
        Function<List<ParamGroup>, Optimizer> adam8 = g -> new Adam8bit(g, Set.of());
        Function<List<ParamGroup>, Optimizer> adamw8 = g -> new AdamW8bit(g, Set.of());
        Function<List<ParamGroup>, Optimizer> momentum8 = g -> new Momentum8bit(g, Set.of());
        return Stream.of(
                c("LAMB", LAMB::new, "lr", 0.01),
                c("LAMB", LAMB::new, "lr", 0.01, "weight_decay", 0.1, "bias_correction", 0, "phi_lower", 0.5,
                        "phi_upper", 2),
                c("Adafactor", hf),
                c("Adafactor", hf, "beta1", 0.9, "weight_decay", 0.1),
                c("Adafactor", hf, "relative_step", 0, "lr", 0.01, "scale_parameter", 0, "clip_threshold", 0.5),
                c("Adafactor", hf, "warmup_init", 1, "eps1", 1e-3),
                c("AdafactorTorch", torch),
                c("AdafactorTorch", torch, "maximize", 1, "weight_decay", 0.1, "eps1", 1e-3),
                c("AdafactorTorch", torch, "lr", 0.5, "beta2_decay", -0.5, "d", 1.5),
                koala("KoalaV", kv),
                koala("KoalaV", kv, "weight_decay", 0.1),
                koala("KoalaM", km),
                koala("KoalaM", km, "weight_decay", 0.1, "lr", 0.5),
                eightBit("Adam8bit", adam8),
                eightBit("Adam8bit", adam8, "min_8bit_size", 0, "block_size", 64),
                eightBit("AdamW8bit", adamw8, "min_8bit_size", 0),
                eightBit("AdamW8bit", adamw8, "weight_decay", 0.1),
                eightBit("Momentum8bit", momentum8, "min_8bit_size", 0, "block_size", 64, "weight_decay", 0.1),
                eightBit("Momentum8bit", momentum8, "weight_decay", 0.1));
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
        return Stream.concat(cases.stream(), phased());
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
