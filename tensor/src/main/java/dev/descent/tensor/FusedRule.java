package dev.descent.tensor;

import java.util.List;

/**
 * The optimizer updates a backend runs as one fused pass over memory ({@link FusedUpdates#apply}).
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
 *
 * <p>Rules whose optimizer needs whole-tensor reductions between its elementwise steps (LAMB's norms,
 * Adafactor's factored statistics, KOALA's norms) run in phases, one call each: a phase computes its sums in
 * the order of the tensor reductions it replaces ({@code sum} of the squares over all elements, by the CPU
 * backend's blocked summation) and writes them into the rule's trailing output scalars ({@link #outputs()}),
 * which the optimizer reads after the call. Slots that are not elementwise with the parameter have their own
 * {@link Layout}: the factored statistics, and the 8-bit states' codes, block scales and quantization maps.
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
    ADAN(List.of(state("param"), state("grad"), state("exp_avg"), state("exp_avg_sq"), state("exp_avg_diff"),
            state("neg_pre_grad")), slots(),
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
            slots("decay", "l2", "beta1", "1-beta1", "beta2", "1-beta2", "eps", "exponent", "step")),
    /**
     * LAMB's first phase: the Adam moments in place and, without storing it, the update
     * {@code u = (m/bc1) / (sqrt(v/bc2) + eps) + wd θ}; outputs the sums of θ² and of u².
     */
    LAMB_MOMENTS(List.of(in("param"), in("grad"), state("exp_avg"), state("exp_avg_sq")), slots(),
            slots("beta1", "1-beta1", "beta2", "1-beta2", "bc1", "bc2", "eps", "wd"), out("sum(param^2)",
                    "sum(update^2)")),
    /** LAMB's second phase: {@code θ += step u}, with u recomputed from the moments as {@link #LAMB_MOMENTS}. */
    LAMB_APPLY(List.of(state("param"), in("exp_avg"), in("exp_avg_sq")), slots(),
            slots("bc1", "bc2", "eps", "wd", "step"), out()),
    /**
     * HF/fairseq Adafactor with factored second moments ({@code u = g² + eps1} averaged over rows and columns of
     * the last two dimensions). {@code phase} 0 updates the row and column statistics and outputs the sum of θ²;
     * 1 outputs the sum of the squares of the update {@code rsqrt(row/mean(row)) rsqrt(col) g}; 2 applies it:
     * divided by {@code clip}, times {@code alpha}, through the first moment when present, then
     * {@code θ += decay θ} when {@code decays} (decay = −wd α) and {@code θ −= u}.
     */
    ADAFACTOR_FACTORED(List.of(state("param"), in("grad"), side("exp_avg_sq_row", Layout.ROWS),
            side("exp_avg_sq_col", Layout.COLUMNS)), slots("exp_avg"),
            slots("phase", "eps1", "beta2t", "1-beta2t", "clip", "alpha", "beta1", "1-beta1", "decays", "decay"),
            out("sum(param^2)", "sum(update^2)")),
    /**
     * HF/fairseq Adafactor with a full second moment (tensors of rank 0 or 1): {@code phase} 0 updates it and
     * outputs the sums of θ² and of the update's squares ({@code rsqrt(v) g}); 1 applies the update as
     * {@link #ADAFACTOR_FACTORED}'s phase 2.
     */
    ADAFACTOR_VECTOR(List.of(state("param"), in("grad"), state("exp_avg_sq")), slots("exp_avg"),
            slots("phase", "eps1", "beta2t", "1-beta2t", "clip", "alpha", "beta1", "1-beta1", "decays", "decay"),
            out("sum(param^2)", "sum(update^2)")),
    /**
     * torch.optim.Adafactor with factored second moments (row and column means of d², d = ±g, through norms):
     * {@code phase} 0 interpolates the row and column variances by {@code w} and outputs the sum of θ²; 1 outputs
     * the sum of the squares of the update {@code rsqrt(max(row col / max(mean(row), eps1), eps1²)) d}; 2 applies
     * it: {@code θ ← θ decay} (1 for none), {@code θ += step u}.
     */
    ADAFACTOR_TORCH_FACTORED(List.of(state("param"), in("grad"), side("row_var", Layout.ROWS),
            side("col_var", Layout.COLUMNS)), slots(),
            slots("phase", "maximize", "w", "eps1", "eps1^2", "decay", "step"),
            out("sum(param^2)", "sum(update^2)")),
    /**
     * torch.optim.Adafactor with a full variance: {@code phase} 0 interpolates it towards d² and outputs the sums
     * of θ² and of the update's squares ({@code rsqrt(max(variance, eps1²)) d}); 1 applies the update as
     * {@link #ADAFACTOR_TORCH_FACTORED}'s phase 2.
     */
    ADAFACTOR_TORCH_VECTOR(List.of(state("param"), in("grad"), state("variance")), slots(),
            slots("phase", "maximize", "w", "eps1", "eps1^2", "decay", "step"),
            out("sum(param^2)", "sum(update^2)")),
    /**
     * The squared norms of a layer, without changing it: the sums of g², of {@code h = g + wd θ} squared and of
     * θ², each as {@code t.square().sum()} sums them (KOALA's three norms, LARS's two, Adan's clipping norm).
     */
    SQUARED_NORMS(List.of(in("param"), in("grad")), slots(), slots("wd"),
            out("sum(grad^2)", "sum(h^2)", "sum(param^2)")),
    /**
     * KOALA-M's predict: outputs the sum of {@code (avg − θ)²}, then {@code θ += u}, {@code u ← a u}.
     */
    KOALA_PREDICT(List.of(state("param"), state("velocity"), in("weight_avg")), slots(), slots("a"),
            out("sum((avg-param)^2)")),
    /**
     * KOALA-M's update: {@code h = g + wd θ}, {@code θ += k1 h}, {@code u += k2 h},
     * {@code avg ← keep avg + weight θ}.
     */
    KOALA_APPLY(List.of(state("param"), in("grad"), state("velocity"), state("weight_avg")), slots(),
            slots("wd", "k1", "k2", "keep", "weight"), out()),
    /**
     * bitsandbytes' 32-bit Adam kernel (FLOAT32): {@code s1 ← β1 s1 + (1−β1) g}, {@code s2 ← β2 s2 + (1−β2) g²},
     * {@code θ += step s1/(sqrt(s2) + eps c2)}, then {@code θ ← θ decay} when {@code decays}.
     */
    BNB_ADAM(List.of(state("param"), in("grad"), state("state1"), state("state2")), slots(),
            slots("beta1", "1-beta1", "beta2", "1-beta2", "eps*c2", "step", "decay", "decays"), out()),
    /**
     * bitsandbytes' 8-bit blockwise Adam (FLOAT32): per block, dequantize both moments with the old absmax,
     * update them (a non-finite gradient zeroes the element's moments and leaves it unchanged), take the new
     * absmax, update θ as {@link #BNB_ADAM} and requantize (the signed map with sign preservation for s1).
     */
    BNB_ADAM_8BIT(List.of(state("param"), in("grad"), side("state1", Layout.CODES), side("state2", Layout.CODES),
            side("absmax1", Layout.BLOCKS), side("absmax2", Layout.BLOCKS), map("qmap1"), map("qmap2")), slots(),
            slots("block_size", "beta1", "1-beta1", "beta2", "1-beta2", "eps*c2", "step", "decay", "decays"),
            out()),
    /**
     * bitsandbytes' 8-bit blockwise momentum (FLOAT32): {@code g += wd θ} when {@code wd > 0}, dequantize,
     * {@code s ← g} at the first step else {@code β s + g}, new absmax, {@code θ −= lr s}, requantize.
     */
    BNB_MOMENTUM_8BIT(List.of(state("param"), in("grad"), side("state1", Layout.CODES),
            side("absmax1", Layout.BLOCKS), map("qmap1")), slots(),
            slots("block_size", "wd", "beta", "first", "lr"), out());

    /**
     * How a slot's tensor is laid out. Every tensor is contiguous and on the parameter's device; the
     * elementwise ones also share its dtype, shape and storage offset, the others start anywhere.
     */
    public enum Layout {
        /** The parameter's dtype, shape and offset. */
        ELEMENTWISE,
        /** The parameter's dtype, one element per row of its last two dimensions (numel / size(-1)). */
        ROWS,
        /** The parameter's dtype, one element per column of its last two dimensions (numel / size(-2)). */
        COLUMNS,
        /** INT64, eight unsigned 8-bit codes per element (code i in bits 8 (i mod 8) of element i / 8). */
        CODES,
        /** FLOAT32, one element per block of {@code block_size} elements (a scalar of the rule; a multiple of 8). */
        BLOCKS,
        /** FLOAT32, 256 ascending values: a quantization map. */
        MAP
    }

    /** A tensor slot: its name, its layout and whether the rule writes it. */
    public record Slot(String name, Layout layout, boolean written) {
    }

    private final List<Slot> required;
    private final List<Slot> optional;
    private final List<Slot> all;
    private final List<String> scalars;
    private final int outputCount;

    FusedRule(List<?> required, List<?> optional, List<String> scalars) {
        this(required, optional, scalars, List.of());
    }

    FusedRule(List<?> required, List<?> optional, List<String> inputs, List<String> outputs) {
        this.required = asSlots(required, true);
        this.optional = asSlots(optional, false);
        this.all = java.util.stream.Stream.concat(this.required.stream(), this.optional.stream()).toList();
        this.scalars = java.util.stream.Stream.concat(inputs.stream(), outputs.stream()).toList();
        this.outputCount = outputs.size();
    }

    /** Names become elementwise slots; the gradient (slot 1 of a list of names) is read only, as in every rule. */
    private static List<Slot> asSlots(List<?> slots, boolean required) {
        List<Slot> out = new java.util.ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Object s = slots.get(i);
            out.add(s instanceof Slot slot ? slot
                    : new Slot((String) s, Layout.ELEMENTWISE, !(required && i == 1 && s.equals("grad"))));
        }
        return List.copyOf(out);
    }

    private static List<String> slots(String... names) {
        return List.of(names);
    }

    private static List<String> out(String... names) {
        return List.of(names);
    }

    private static Slot in(String name) {
        return new Slot(name, Layout.ELEMENTWISE, false);
    }

    private static Slot state(String name) {
        return new Slot(name, Layout.ELEMENTWISE, true);
    }

    private static Slot side(String name, Layout layout) {
        return new Slot(name, layout, true);
    }

    private static Slot map(String name) {
        return new Slot(name, Layout.MAP, false);
    }

    /** The tensor slots, required ones first. */
    public List<Slot> slotList() {
        return all;
    }

    /** The names of the tensor slots, required ones first. */
    public List<String> tensorNames() {
        return slotList().stream().map(Slot::name).toList();
    }

    /** The number of tensor slots a call passes. */
    public int tensorCount() {
        return required.size() + optional.size();
    }

    /** The number of leading slots that must not be null. */
    public int requiredCount() {
        return required.size();
    }

    /** The names of the scalars, in order: the inputs, then the {@link #outputs()}. */
    public List<String> scalarNames() {
        return scalars;
    }

    /** The names of the trailing scalars that the rule writes (its sums), in order; empty for most rules. */
    public List<String> outputs() {
        return scalars.subList(scalars.size() - outputCount, scalars.size());
    }

    /** Whether the rule takes FLOAT32 tensors only (bitsandbytes' kernels, whose arithmetic is float32's). */
    public boolean float32Only() {
        return this == BNB_ADAM || this == BNB_ADAM_8BIT || this == BNB_MOMENTUM_8BIT;
    }

    /** Whether the rule writes its gradient slot (only {@link #ADAN}, which clips in place). */
    public boolean writesGrad() {
        return this == ADAN;
    }
}
