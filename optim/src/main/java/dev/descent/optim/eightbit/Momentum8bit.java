package dev.descent.optim.eightbit;

import dev.descent.autograd.Variable;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamState;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bitsandbytes' 8-bit SGD with momentum ({@code SGD8bit}, the 1-state {@code MOMENTUM} kernel;
 * spec/optimizers.md §13.2 applied to one state): the momentum buffer is stored as codes of the signed
 * dynamic map (§13.1) with one float32 absmax per block. Each step, per element: {@code g ← g + λθ} when
 * {@code λ > 0} (L2 decay, as bitsandbytes' momentum kernels), dequantize {@code s} with the old absmax,
 * {@code s ← g} at step 1 else {@code s ← βs + g} (no dampening, no Nesterov), new absmax per block,
 * {@code θ ← θ − ηs}, requantize with sign preservation (§13.2 step 6).
 *
 * <p>The 1-state kernels have no NaN/Inf test (§13.2 step 1 is the 2-state kernel's): a non-finite gradient
 * propagates, as in bitsandbytes. Tensors with fewer than {@code min_8bit_size} elements and parameters in the
 * full-precision set keep a float32 buffer with the same arithmetic. Hyperparameters: {@code lr},
 * {@code momentum} (must be &gt; 0: bitsandbytes rejects SGD without momentum), {@code weight_decay},
 * {@code block_size}, {@code min_8bit_size}.
 *
 * <p>Contiguous tensors take one fused pass that allocates nothing ({@link FusedRule#BNB_MOMENTUM_8BIT}, per
 * block on the packed codes in place; {@link FusedRule#SGD}'s momentum rule, the same arithmetic, for 32-bit
 * state); others take the same arithmetic over copied arrays.
 */
public class Momentum8bit extends EightBitOptimizer {
    /** The defaults: lr 1e-3, momentum 0.9, no decay, block size 256, min_8bit_size 4096. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "momentum", 0.9, "weight_decay", 0.0,
            "block_size", (double) BlockwiseQuantization.DEFAULT_BLOCK_SIZE, "min_8bit_size", MIN_8BIT_SIZE);

    /** One group of {@code params} with learning rate {@code lr}, {@code momentum} and the other defaults. */
    public Momentum8bit(Map<String, Variable> params, double lr, double momentum) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr, "momentum", momentum))), Set.of());
    }

    /**
     * Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}; the parameters named in
     * {@code fullPrecision} keep 32-bit state (§13.4).
     */
    public Momentum8bit(List<ParamGroup> groups, Set<String> fullPrecision) {
        super("Momentum8bit", groups, DEFAULTS, fullPrecision);
    }

    /** Checks lr, weight_decay {@code >= 0}, momentum {@code > 0}, and the block size. */
    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        for (String key : new String[] {"lr", "weight_decay"}) {
            if (!(g.get(key) >= 0)) {
                throw new IllegalArgumentException(name() + ": invalid " + key + " " + g.get(key) + " (expected 0 <= "
                        + key + ")");
            }
        }
        if (!(g.get("momentum") > 0)) {
            throw new IllegalArgumentException(name() + ": invalid momentum " + g.get("momentum")
                    + " (expected 0 < momentum; bitsandbytes has no 8-bit SGD without momentum)");
        }
    }

    private final EightBitFused fused32 = new EightBitFused(FusedRule.SGD);
    private final EightBitFused fused8 = new EightBitFused(FusedRule.BNB_MOMENTUM_8BIT);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        checkFloat32(p, grad);
        boolean eightBit = isEightBit(g, p);
        long t = state.advance();
        Tensor theta = p.value();
        float lr = (float) g.get("lr");
        float beta1 = (float) g.get("momentum");
        float wd = (float) g.get("weight_decay");
        int n = theta.numel();
        if (!eightBit) {
            // SGD's rule: d = g + wd θ (when wd > 0), s = d at step 1 else β s + 1 · d, θ += (−lr) s
            fused32.set(0, theta).set(1, grad).set(2, fullBuffer(state, "state1", theta));
            if (fused32.put(0).put(wd > 0f ? wd : 0).put(beta1).put(1).put(0).put(t == 1 ? 1 : 0).put(-lr).run()) {
                return;
            }
        } else {
            int bs = (int) g.get("block_size");
            fused8.set(0, theta).set(1, grad).set(2, codeBuffer(state, "state1", n))
                    .set(3, absmaxBuffer(state, "absmax1", n, bs)).set(4, EightBitFused.SIGNED);
            if (fused8.put(bs).put(wd).put(beta1).put(t == 1 ? 1 : 0).put(lr).run()) {
                return;
            }
        }
        float[] pv = theta.toFloatArray();
        float[] gv = grad.toFloatArray();
        if (!eightBit) {
            float[] s1 = full(state, "state1", theta);
            for (int i = 0; i < n; i++) {
                float gi = gv[i];
                if (wd > 0f) {
                    gi = gi + pv[i] * wd;
                }
                s1[i] = t == 1 ? gi : s1[i] * beta1 + gi;
                pv[i] = pv[i] + -lr * s1[i];
            }
            storeFloats(state, "state1", s1);
            storeParam(theta, pv);
            return;
        }
        int bs = (int) g.get("block_size");
        byte[] c1 = codes(state, "state1", n);
        float[] a1 = absmax(state, "absmax1", n, bs);
        float[] q1 = DynamicMap.signedShared();
        float[] s1 = new float[Math.min(bs, n)];
        for (int b = 0; b < a1.length; b++) {
            int from = b * bs;
            int len = Math.min(n, from + bs) - from;
            float old = a1[b];
            float m1 = -Float.MAX_VALUE;
            for (int j = 0; j < len; j++) {
                int i = from + j;
                float gi = gv[i];
                if (wd > 0f) {
                    gi += pv[i] * wd;
                }
                float s = q1[c1[i] & 0xFF] * old;
                s1[j] = t == 1 ? gi : s * beta1 + gi;
                m1 = BlockwiseQuantization.fmaxf(m1, Math.abs(s1[j]));
            }
            a1[b] = m1;
            for (int j = 0; j < len; j++) {
                int i = from + j;
                pv[i] = pv[i] - lr * s1[j];
                c1[i] = (byte) BlockwiseQuantization.signedStateCode(q1, s1[j], s1[j] / m1);
            }
        }
        storeCodes(state, "state1", c1);
        storeFloats(state, "absmax1", a1);
        storeParam(theta, pv);
    }
}
