package dev.descent.tensor;

import java.util.List;

/**
 * The elementwise optimizer updates a backend runs as one fused pass over memory ({@link FusedUpdates#apply}).
 * Each rule lists its tensor slots (the parameter, its gradient, then the state buffers) and its scalars, in
 * the order a call passes them. Slots marked optional come last; a present one turns its variant on (AMSGrad,
 * momentum, centring), an absent one is passed as null.
 *
 * <p>The scalars are the numbers the optimizer's own sequence of in-place operations uses (coefficients
 * already combined in double precision, such as {@code -lr / (1 - beta1^t)}), so that a backend only rounds
 * them to the dtype as the in-place kernels do and repeats the sequence element by element: the fused result
 * is then identical, bit for bit, to the unfused one. Flags are 0 or 1; an L2 coefficient of 0 means none; a
 * decay factor multiplies the parameter before the update (1 when there is none). Weight decay is either L2 or
 * decoupled, so at most one of the two is active: with an L2 coefficient, the rules do not apply the factor.
 */
public enum FusedRule {
    /** torch.optim.SGD. */
    SGD(slots("param", "grad"), slots("momentum_buffer"),
            slots("maximize", "l2", "momentum", "1-dampening", "nesterov", "first", "-lr")),
    /** torch.optim.Adam and AdamW. */
    ADAM(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots("max_exp_avg_sq"),
            slots("maximize", "l2", "decay", "beta1", "1-beta1", "beta2", "1-beta2", "sqrt(bc2)", "eps", "-lr/bc1")),
    /** torch.optim.Adamax. */
    ADAMAX(slots("param", "grad", "exp_avg", "exp_inf"), slots(),
            slots("maximize", "l2", "beta1", "1-beta1", "beta2", "eps", "-lr/bc1")),
    /** torch.optim.NAdam: {@code bc2} is {@code 1 - beta2^t}; the two steps multiply g/D and m/D. */
    NADAM(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots(),
            slots("maximize", "l2", "decay", "beta1", "1-beta1", "beta2", "1-beta2", "bc2", "eps", "grad_step",
                    "momentum_step")),
    /** torch.optim.RAdam; {@code adaptive} selects the rectified step over the momentum step. */
    RADAM(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots(),
            slots("maximize", "l2", "decay", "beta1", "1-beta1", "beta2", "1-beta2", "adaptive", "eps", "step")),
    /** torch.optim.RMSprop; grad_avg present is the centred variant, momentum_buffer present is momentum. */
    RMSPROP(slots("param", "grad", "square_avg"), slots("grad_avg", "momentum_buffer"),
            slots("maximize", "l2", "alpha", "1-alpha", "eps", "momentum", "-lr")),
    /** torch.optim.Adagrad; {@code step} is {@code -lr / (1 + (t-1) lr_decay)}. */
    ADAGRAD(slots("param", "grad", "sum"), slots(), slots("maximize", "l2", "eps", "step")),
    /** torch.optim.Adadelta. */
    ADADELTA(slots("param", "grad", "square_avg", "acc_delta"), slots(),
            slots("maximize", "l2", "rho", "1-rho", "eps", "-lr")),
    /**
     * The official RAdam code: {@code mode} 0 updates the moments only, 1 adds the momentum step, 2 the rectified
     * step; {@code decay_on} applies {@code theta += decay * theta} first (decay = -wd lr).
     */
    OFFICIAL_RADAM(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots(),
            slots("beta1", "1-beta1", "beta2", "1-beta2", "mode", "decay_on", "decay", "eps", "step")),
    /**
     * adabelief_pytorch's AdaBelief: {@code mode} 0 is the unrectified step {@code m / D}, 1 the rectified step
     * {@code m / (sqrt(s) + eps)}, 2 the momentum step, 3 none.
     */
    ADABELIEF(slots("param", "grad", "exp_avg", "exp_avg_var"), slots("max_exp_avg_var"),
            slots("decay", "l2", "beta1", "1-beta1", "beta2", "1-beta2", "eps", "sqrt(bc2)", "mode", "step")),
    /**
     * The official ACProp: {@code mode} 0 is the first step {@code theta += step * (m / bc1)}, 1 the
     * unrectified step, 2 the rectified step, 3 the momentum step, 4 none.
     */
    ACPROP(slots("param", "grad", "exp_avg", "exp_avg_var"), slots("max_exp_avg_var"),
            slots("decay", "l2", "beta1", "1-beta1", "beta2", "1-beta2", "eps", "bc1", "sqrt(bc2_prev)", "mode",
                    "momentum_update", "step")),
    /** diffGrad_v2; {@code paper_epsilon} divides sqrt(v) by {@code sqrt(bc2)} before adding eps. */
    DIFFGRAD(slots("param", "grad", "exp_avg", "exp_avg_sq", "previous_grad"), slots(),
            slots("l2", "beta1", "1-beta1", "beta2", "1-beta2", "paper_epsilon", "sqrt(bc2)", "eps", "step")),
    /**
     * The official Adan; writes the gradient too (scaled by {@code clip} in place); {@code seed} restarts the
     * previous gradient; {@code decay} multiplies theta before the step ({@code no_prox}) or divides it after.
     */
    ADAN(slots("param", "grad", "exp_avg", "exp_avg_sq", "exp_avg_diff", "neg_pre_grad"), slots(),
            slots("seed", "clip", "beta1", "1-beta1", "beta2", "1-beta2", "beta3", "1-beta3", "sqrt(bc3)", "eps",
                    "no_prox", "decay", "-lr/bc1", "-lr*beta2/bc2")),
    /** The official PNM; {@code pos} is the buffer updated at this step, {@code neg} the other. */
    PNM(slots("param", "grad", "pos", "neg"), slots(),
            slots("decay", "l2", "beta1^2", "1-beta1^2", "1+beta0", "-beta0", "1/noise_norm", "-lr")),
    /** The official AdaPNM, with {@code pos} and {@code neg} as {@link #PNM}. */
    ADAPNM(slots("param", "grad", "pos", "neg", "exp_avg_sq"), slots("max_exp_avg_sq"),
            slots("decay", "l2", "beta1^2", "1-beta1^2", "beta2", "1-beta2", "sqrt(bc2)", "eps", "1+beta0", "-beta0",
                    "1/noise_norm", "-lr/bc1")),
    /** signSGD, and Signum when the momentum buffer is present. */
    SIGN(slots("param", "grad"), slots("momentum"), slots("maximize", "l2", "decay", "beta", "1-beta", "-lr")),
    /** Generalized SignSGD ({@code bc1}, {@code bc2} are 1 without bias correction). */
    GENERALIZED_SIGN(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots(),
            slots("l2", "beta1", "1-beta1", "bc1", "beta2", "1-beta2", "bc2", "eps", "-lr")),
    /** Padam with decoupled weight decay (GadamX's base); {@code exponent} is {@code 2 partial}. */
    PADAMW(slots("param", "grad", "exp_avg", "exp_avg_sq"), slots("max_exp_avg_sq"),
            slots("decay", "l2", "beta1", "1-beta1", "beta2", "1-beta2", "eps", "exponent", "step"));

    private final List<String> required;
    private final List<String> optional;
    private final List<String> scalars;

    FusedRule(List<String> required, List<String> optional, List<String> scalars) {
        this.required = required;
        this.optional = optional;
        this.scalars = scalars;
    }

    private static List<String> slots(String... names) {
        return List.of(names);
    }

    /** The names of the tensor slots, required ones first. */
    public List<String> tensorNames() {
        return java.util.stream.Stream.concat(required.stream(), optional.stream()).toList();
    }

    /** The number of tensor slots a call passes. */
    public int tensorCount() {
        return required.size() + optional.size();
    }

    /** The number of leading slots that must not be null. */
    public int requiredCount() {
        return required.size();
    }

    /** The names of the scalars, in order. */
    public List<String> scalarNames() {
        return scalars;
    }

    /** Whether the rule writes its gradient slot (only {@link #ADAN}, which clips in place). */
    public boolean writesGrad() {
        return this == ADAN;
    }
}
