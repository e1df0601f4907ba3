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
 * bitsandbytes' {@code Adam8bit} (spec/optimizers.md §13.2): Adam whose two moments are stored as 8-bit codes
 * of the dynamic maps (signed for the first moment, unsigned for the second, §13.1) with one float32 absmax
 * per block. Each step, per block: dequantize with the old absmax, update the moments in float32, take the new
 * absmax, update the parameter ({@code θ ← θ + stepSize · s1/(sqrt(s2) + ε·sqrt(1−β2^t))}, then
 * {@code θ ← θ(1 − ηλ)} when {@code λ > 0}: decoupled decay after the step, §13.2 step 5 and §16),
 * requantize.
 * A gradient element that is NaN or infinite zeroes both moments of that element and leaves it unchanged
 * (§13.2 step 1).
 *
 * <p>Tensors with fewer than {@code min_8bit_size} elements, and parameters in the full-precision set, keep
 * float32 moments updated as bitsandbytes' 32-bit kernel (same formula, {@code (1−β2)·(g·g)}, decay after the
 * step, no NaN skipping). AMSGrad does not exist here, as in bitsandbytes. Hyperparameters: {@code lr},
 * {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}, {@code block_size}, {@code min_8bit_size}.
 *
 * <p>Contiguous tensors take one fused pass ({@link FusedRule#BNB_ADAM_8BIT}: per block, dequantize, update,
 * new absmax, requantize, on the packed codes in place; {@link FusedRule#BNB_ADAM} for 32-bit state) that
 * allocates nothing; others take the same arithmetic over copied arrays.
 */
public class Adam8bit extends EightBitOptimizer {
    /** bitsandbytes' defaults (§13.2). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "block_size", (double) BlockwiseQuantization.DEFAULT_BLOCK_SIZE,
            "min_8bit_size", MIN_8BIT_SIZE);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam8bit(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))), Set.of());
    }

    /**
     * Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}; the parameters named in
     * {@code fullPrecision} keep 32-bit state (§13.4: StableEmbedding's weights).
     */
    public Adam8bit(List<ParamGroup> groups, Set<String> fullPrecision) {
        this("Adam8bit", groups, DEFAULTS, fullPrecision);
    }

    /** For variants (AdamW8bit) with another name and other defaults. */
    protected Adam8bit(String name, List<ParamGroup> groups, Map<String, Double> defaults, Set<String> fullPrecision) {
        super(name, groups, defaults, fullPrecision);
    }

    /** Checks lr, eps, weight_decay {@code >= 0}, betas in [0, 1), and the block size (§13.2). */
    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        for (String key : new String[] {"lr", "eps", "weight_decay"}) {
            if (!(g.get(key) >= 0)) {
                throw new IllegalArgumentException(name() + ": invalid " + key + " " + g.get(key) + " (expected 0 <= "
                        + key + ")");
            }
        }
        for (String key : new String[] {"beta1", "beta2"}) {
            if (!(g.get(key) >= 0 && g.get(key) < 1)) {
                throw new IllegalArgumentException(name() + ": invalid " + key + " " + g.get(key) + " (expected 0 <= "
                        + key + " < 1)");
            }
        }
    }

    private final EightBitFused fused32 = new EightBitFused(FusedRule.BNB_ADAM);
    private final EightBitFused fused8 = new EightBitFused(FusedRule.BNB_ADAM_8BIT);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        checkFloat32(p, grad);
        boolean eightBit = isEightBit(g, p);
        long t = state.advance();
        Tensor theta = p.value();
        float lr = (float) g.get("lr");
        float beta1 = (float) g.get("beta1");
        float beta2 = (float) g.get("beta2");
        float eps = (float) g.get("eps");
        float wd = (float) g.get("weight_decay");
        float correction1 = 1f - (float) Math.pow(beta1, t);
        float correction2 = (float) Math.sqrt(1f - (float) Math.pow(beta2, t));
        float stepSize = -lr * correction2 / correction1;
        float decay = 1f - lr * wd;
        int n = theta.numel();
        if (!eightBit) {
            Tensor m = fullBuffer(state, "state1", theta);
            Tensor v = fullBuffer(state, "state2", theta);
            if (fused32.set(0, theta).set(1, grad).set(2, m).set(3, v).put(beta1).put(1f - beta1).put(beta2)
                    .put(1f - beta2).put(eps * correction2).put(stepSize).put(decay).put(wd > 0f ? 1 : 0).run()) {
                return;
            }
        } else {
            int bs = (int) g.get("block_size");
            fused8.set(0, theta).set(1, grad).set(2, codeBuffer(state, "state1", n))
                    .set(3, codeBuffer(state, "state2", n)).set(4, absmaxBuffer(state, "absmax1", n, bs))
                    .set(5, absmaxBuffer(state, "absmax2", n, bs)).set(6, EightBitFused.SIGNED)
                    .set(7, EightBitFused.UNSIGNED);
            if (fused8.put(bs).put(beta1).put(1f - beta1).put(beta2).put(1f - beta2).put(correction2 * eps)
                    .put(stepSize).put(decay).put(wd > 0f ? 1 : 0).run()) {
                return;
            }
        }
        float[] pv = theta.toFloatArray();
        float[] gv = grad.toFloatArray();
        if (!eightBit) {
            float[] s1 = full(state, "state1", theta);
            float[] s2 = full(state, "state2", theta);
            for (int i = 0; i < n; i++) {
                float gi = gv[i];
                s1[i] = s1[i] * beta1 + (1f - beta1) * gi;
                s2[i] = s2[i] * beta2 + (1f - beta2) * (gi * gi);
                pv[i] = pv[i] + stepSize * (s1[i] / ((float) Math.sqrt(s2[i]) + eps * correction2));
                if (wd > 0f) {
                    pv[i] = pv[i] * decay;
                }
            }
            storeFloats(state, "state1", s1);
            storeFloats(state, "state2", s2);
            storeParam(theta, pv);
            return;
        }
        int bs = (int) g.get("block_size");
        byte[] c1 = codes(state, "state1", n);
        byte[] c2 = codes(state, "state2", n);
        float[] a1 = absmax(state, "absmax1", n, bs);
        float[] a2 = absmax(state, "absmax2", n, bs);
        float[] q1 = DynamicMap.signedShared();
        float[] q2 = DynamicMap.unsignedShared();
        float[] s1 = new float[Math.min(bs, n)];
        float[] s2 = new float[s1.length];
        for (int b = 0; b < a1.length; b++) {
            int from = b * bs;
            int len = Math.min(n, from + bs) - from;
            float old1 = a1[b];
            float old2 = a2[b];
            float m1 = -Float.MAX_VALUE;
            float m2 = -Float.MAX_VALUE;
            for (int j = 0; j < len; j++) {
                int i = from + j;
                float gi = gv[i];
                if (Float.isFinite(gi)) {
                    float v = q2[c2[i] & 0xFF] * old2;
                    s2[j] = v * beta2 + (1f - beta2) * gi * gi;
                    float m = q1[c1[i] & 0xFF] * old1;
                    s1[j] = m * beta1 + (1f - beta1) * gi;
                } else {
                    s1[j] = 0f;
                    s2[j] = 0f;
                }
                m1 = BlockwiseQuantization.fmaxf(m1, Math.abs(s1[j]));
                m2 = BlockwiseQuantization.fmaxf(m2, Math.abs(s2[j]));
            }
            a1[b] = m1;
            a2[b] = m2;
            for (int j = 0; j < len; j++) {
                int i = from + j;
                if (Float.isFinite(gv[i])) {
                    pv[i] = pv[i] + stepSize * (s1[j] / ((float) Math.sqrt(s2[j]) + correction2 * eps));
                    if (wd > 0f) {
                        pv[i] = pv[i] * decay;
                    }
                }
                c1[i] = (byte) BlockwiseQuantization.signedStateCode(q1, s1[j], s1[j] / m1);
                c2[i] = (byte) BlockwiseQuantization.nearest(q2, s2[j] / m2, false);
            }
        }
        storeCodes(state, "state1", c1);
        storeCodes(state, "state2", c2);
        storeFloats(state, "absmax1", a1);
        storeFloats(state, "absmax2", a2);
        storeParam(theta, pv);
    }
}
