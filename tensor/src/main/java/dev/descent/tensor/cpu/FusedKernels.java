package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;

/**
 * The CPU side of {@link dev.descent.tensor.FusedUpdates}: picks the loop of a rule for the dtype and splits
 * large tensors across the pool. Each loop repeats exactly the arithmetic of the in-place operations the
 * optimizer would otherwise run one after another (the same scalars, rounded to the dtype as those kernels
 * round them, in the same order), so that both paths give identical results. The loops index every array with
 * one index (the tensors start at one offset): HotSpot vectorises those, while the same Adam loop with an offset
 * per array ran 4x slower in cache (2.2 against 0.5 ns per element, JDK 17). The FLOAT32 loops are in the
 * {@code Float*Updates} classes; the {@code Double*Updates} classes are made from them by
 * {@code gen-double-updates.sh}. The rules that compute sums run on the calling thread ({@link #reduces}); the
 * 8-bit rules split by quantization blocks ({@link QuantizedUpdates}).
 */
final class FusedKernels {
    /** Elements per block of the rules that run two loops per block (a few arrays of it stay in L1/L2 cache). */
    static final int BLOCK = 1024;

    private FusedKernels() {
    }

    static void run(FusedRule rule, Tensor[] t, double[] s) {
        int n = t[0].numel();
        boolean f32 = t[0].dtype() == DType.FLOAT32;
        if (n == 0) {
            java.util.Arrays.fill(s, s.length - rule.outputs().size(), s.length, 0.0); // empty sums
            return;
        }
        if (rule == FusedRule.BNB_ADAM_8BIT || rule == FusedRule.BNB_MOMENTUM_8BIT) {
            QuantizedUpdates.run(rule == FusedRule.BNB_ADAM_8BIT, t, s); // splits by blocks
            return;
        }
        if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1 || reduces(rule, s)) {
            range(rule, f32, t, s, 0, n); // no task, no allocation
        } else {
            Parallel.forRange(n, Parallel.GRAIN, (from, to) -> range(rule, f32, t, s, from, to));
        }
    }

    /**
     * Whether this call of {@code rule} computes sums (its outputs, or the factored statistics): those run over
     * the whole tensor on the calling thread, in the order of the single-threaded reductions they replace.
     */
    private static boolean reduces(FusedRule rule, double[] s) {
        return switch (rule) {
            case LAMB_MOMENTS, SQUARED_NORMS, KOALA_PREDICT -> true;
            case ADAFACTOR_FACTORED, ADAFACTOR_TORCH_FACTORED -> s[0] < 2;
            case ADAFACTOR_VECTOR, ADAFACTOR_TORCH_VECTOR -> s[0] == 0;
            default -> false;
        };
    }

    private static void range(FusedRule rule, boolean f32, Tensor[] t, double[] s, int from, int to) {
        if (f32) {
            switch (rule) {
                case SGD -> FloatSgdAdamUpdates.sgd(t, s, from, to);
                case ADAM -> FloatSgdAdamUpdates.adam(t, s, from, to);
                case ADAMAX -> FloatSgdAdamUpdates.adamax(t, s, from, to);
                case NADAM -> FloatSgdAdamUpdates.nadam(t, s, from, to);
                case RADAM -> FloatSgdAdamUpdates.radam(t, s, from, to);
                case RMSPROP -> FloatRmsUpdates.rmsprop(t, s, from, to);
                case ADAGRAD -> FloatRmsUpdates.adagrad(t, s, from, to);
                case ADADELTA -> FloatRmsUpdates.adadelta(t, s, from, to);
                case OFFICIAL_RADAM -> FloatBeliefUpdates.officialRadam(t, s, from, to);
                case ADABELIEF -> FloatBeliefUpdates.adabelief(t, s, from, to);
                case ACPROP -> FloatBeliefUpdates.acprop(t, s, from, to);
                case DIFFGRAD -> FloatAdamVariantUpdates.diffgrad(t, s, from, to);
                case ADAN -> FloatAdamVariantUpdates.adan(t, s, from, to);
                case PADAMW -> FloatAdamVariantUpdates.padamw(t, s, from, to);
                case PNM -> FloatMomentumUpdates.pnm(t, s, from, to);
                case ADAPNM -> FloatMomentumUpdates.adapnm(t, s, from, to);
                case SIGN -> FloatMomentumUpdates.sign(t, s, from, to);
                case GENERALIZED_SIGN -> FloatMomentumUpdates.generalizedSign(t, s, from, to);
                case LAMB_MOMENTS -> FloatNormUpdates.lambMoments(t, s, from, to);
                case LAMB_APPLY -> FloatNormUpdates.lambApply(t, s, from, to);
                case SQUARED_NORMS -> FloatNormUpdates.koalaNorms(t, s, from, to);
                case KOALA_PREDICT -> FloatNormUpdates.koalaPredict(t, s, from, to);
                case KOALA_APPLY -> FloatNormUpdates.koalaApply(t, s, from, to);
                case ADAFACTOR_FACTORED -> FloatAdafactorUpdates.factored(t, s, from, to);
                case ADAFACTOR_VECTOR -> FloatAdafactorUpdates.vector(t, s, from, to);
                case ADAFACTOR_TORCH_FACTORED -> FloatAdafactorTorchUpdates.factored(t, s, from, to);
                case ADAFACTOR_TORCH_VECTOR -> FloatAdafactorTorchUpdates.vector(t, s, from, to);
                case BNB_ADAM -> QuantizedUpdates.adam(t, s, from, to);
                case BNB_ADAM_8BIT, BNB_MOMENTUM_8BIT -> throw new IllegalStateException(rule + " runs by blocks");
            }
        } else {
            switch (rule) {
                case SGD -> DoubleSgdAdamUpdates.sgd(t, s, from, to);
                case ADAM -> DoubleSgdAdamUpdates.adam(t, s, from, to);
                case ADAMAX -> DoubleSgdAdamUpdates.adamax(t, s, from, to);
                case NADAM -> DoubleSgdAdamUpdates.nadam(t, s, from, to);
                case RADAM -> DoubleSgdAdamUpdates.radam(t, s, from, to);
                case RMSPROP -> DoubleRmsUpdates.rmsprop(t, s, from, to);
                case ADAGRAD -> DoubleRmsUpdates.adagrad(t, s, from, to);
                case ADADELTA -> DoubleRmsUpdates.adadelta(t, s, from, to);
                case OFFICIAL_RADAM -> DoubleBeliefUpdates.officialRadam(t, s, from, to);
                case ADABELIEF -> DoubleBeliefUpdates.adabelief(t, s, from, to);
                case ACPROP -> DoubleBeliefUpdates.acprop(t, s, from, to);
                case DIFFGRAD -> DoubleAdamVariantUpdates.diffgrad(t, s, from, to);
                case ADAN -> DoubleAdamVariantUpdates.adan(t, s, from, to);
                case PADAMW -> DoubleAdamVariantUpdates.padamw(t, s, from, to);
                case PNM -> DoubleMomentumUpdates.pnm(t, s, from, to);
                case ADAPNM -> DoubleMomentumUpdates.adapnm(t, s, from, to);
                case SIGN -> DoubleMomentumUpdates.sign(t, s, from, to);
                case GENERALIZED_SIGN -> DoubleMomentumUpdates.generalizedSign(t, s, from, to);
                case LAMB_MOMENTS -> DoubleNormUpdates.lambMoments(t, s, from, to);
                case LAMB_APPLY -> DoubleNormUpdates.lambApply(t, s, from, to);
                case SQUARED_NORMS -> DoubleNormUpdates.koalaNorms(t, s, from, to);
                case KOALA_PREDICT -> DoubleNormUpdates.koalaPredict(t, s, from, to);
                case KOALA_APPLY -> DoubleNormUpdates.koalaApply(t, s, from, to);
                case ADAFACTOR_FACTORED -> DoubleAdafactorUpdates.factored(t, s, from, to);
                case ADAFACTOR_VECTOR -> DoubleAdafactorUpdates.vector(t, s, from, to);
                case ADAFACTOR_TORCH_FACTORED -> DoubleAdafactorTorchUpdates.factored(t, s, from, to);
                case ADAFACTOR_TORCH_VECTOR -> DoubleAdafactorTorchUpdates.vector(t, s, from, to);
                case BNB_ADAM, BNB_ADAM_8BIT, BNB_MOMENTUM_8BIT -> throw new IllegalStateException(rule + " is FLOAT32");
            }
        }
    }

    /**
     * {@code Math.signum(x)}, bit for bit (±0 and NaN are returned as they are), without branches, so that loops
     * using it vectorise: any nonzero float times 2^254 is at least 2^105 in magnitude and clamps to ±1.
     */
    static float sign(float x) {
        return Math.min(Math.max(x * 0x1p127f * 0x1p127f, -1f), 1f);
    }

    /** {@link #sign(float)} for doubles: any nonzero double times 2^2046 is at least 2^972 in magnitude. */
    static double sign(double x) {
        return Math.min(Math.max(x * 0x1p1023 * 0x1p1023, -1.0), 1.0);
    }

    /**
     * {@code d[j] = 1 / sqrt(d[j])} for j < n: FloatKernels' rsqrt ({@code (float) (1 / Math.sqrt(x))}) of floats
     * first copied into d, then rounded back one by one. Over doubles the loop vectorises; the same expression
     * on each float (converted, square-rooted and divided in double) ran at 10 - 15 ns per element on JDK 17.
     */
    static void reciprocalSqrt(double[] d, int n) {
        for (int j = 0; j < n; j++) {
            d[j] = 1 / Math.sqrt(d[j]);
        }
    }

    /** The FLOAT32 array of {@code t}, or null for an absent optional slot. */
    static float[] floats(Tensor t) {
        return t == null ? null : FloatKernels.data(t);
    }

    /** The FLOAT64 array of {@code t}, or null for an absent optional slot. */
    static double[] doubles(Tensor t) {
        return t == null ? null : DoubleKernels.data(t);
    }
}
