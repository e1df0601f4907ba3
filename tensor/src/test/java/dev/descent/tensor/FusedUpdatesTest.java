package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused Adam and SGD rules give bit for bit what torch.optim's sequences of in-place operations give
 * (the references here, run with Tensor's own in-place operations), in float32 and float64, for every option;
 * and {@link FusedUpdates#apply} rejects calls that do not fit the rule. (The other rules are checked against
 * their optimizers' unfused paths in the optim module.) The sums that the phased rules output equal, bit for
 * bit, the reductions {@code t.square().sum()} they replace, for sizes around the summation blocks; slots that
 * are not elementwise are checked against their layouts.
 */
class FusedUpdatesTest {
    /** The hyperparameters of one Adam run, as torch.optim.Adam names them. */
    private record AdamHyper(double lr, double beta1, double beta2, double eps, double weightDecay,
                             boolean decoupledWeightDecay, boolean maximize, boolean amsgrad) {
    }

    /** The hyperparameters of one SGD run. */
    private record SgdHyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                            boolean maximize) {
    }

    private static double flag(boolean b) {
        return b ? 1 : 0;
    }

    /** The fused ADAM rule with the scalars Adam's optimizer passes. */
    private static void fusedAdam(Tensor p, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamHyper h, long step) {
        boolean decoupled = h.decoupledWeightDecay();
        double[] scalars = {flag(h.maximize()), decoupled ? 0 : h.weightDecay(),
            decoupled ? 1 - h.lr() * h.weightDecay() : 1, h.beta1(), 1 - h.beta1(), h.beta2(), 1 - h.beta2(),
            Math.sqrt(1 - Math.pow(h.beta2(), step)), h.eps(), -h.lr() / (1 - Math.pow(h.beta1(), step))};
        FusedUpdates.apply(FusedRule.ADAM, new Tensor[] {p, grad, m, v, vMax}, scalars);
    }

    /** The fused SGD rule with the scalars SGD's optimizer passes. */
    private static void fusedSgd(Tensor p, Tensor grad, Tensor buf, SgdHyper h, boolean first) {
        double[] scalars = {flag(h.maximize()), h.weightDecay(), h.momentum(), 1 - h.dampening(), flag(h.nesterov()),
            flag(first), -h.lr()};
        FusedUpdates.apply(FusedRule.SGD, new Tensor[] {p, grad, buf}, scalars);
    }

    /** torch.optim.Adam's single-tensor step, written with in-place tensor operations. */
    private static void reference(Tensor p, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamHyper h, long step) {
        Tensor d = h.maximize() ? grad.neg() : grad;
        if (h.weightDecay() != 0) {
            if (h.decoupledWeightDecay()) {
                p.mul_(1 - h.lr() * h.weightDecay());
            } else {
                d = d.add(p, h.weightDecay());
            }
        }
        m.mul_(h.beta1()).add_(d, 1 - h.beta1());
        v.mul_(h.beta2()).addcmul_(d, d, 1 - h.beta2());
        double bc1 = 1 - Math.pow(h.beta1(), step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2(), step));
        Tensor second = v;
        if (vMax != null) {
            vMax.maximum_(v);
            second = vMax;
        }
        Tensor denom = second.sqrt().div_(bc2Sqrt).add_(h.eps());
        p.addcdiv_(m, denom, -h.lr() / bc1);
    }

    @Test
    void fusedAdamEqualsTheInPlaceSequenceBitForBit() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 8; variant++) {
                boolean decoupled = (variant & 1) != 0;
                boolean maximize = (variant & 2) != 0;
                boolean amsgrad = (variant & 4) != 0;
                Rng rng = new Rng(100 + variant);
                // 70000 elements: more than one parallel range with 2 threads
                Tensor p1 = Tensor.randn(rng, dtype, 70_000);
                Tensor p2 = p1.clone();
                Tensor m1 = p1.zerosLike();
                Tensor v1 = p1.zerosLike();
                Tensor x1 = amsgrad ? p1.zerosLike() : null;
                Tensor m2 = p1.zerosLike();
                Tensor v2 = p1.zerosLike();
                Tensor x2 = amsgrad ? p1.zerosLike() : null;
                for (int t = 1; t <= 4; t++) {
                    Tensor g = Tensor.randn(rng, dtype, 70_000);
                    AdamHyper h = new AdamHyper(1e-2, 0.9, 0.99, 1e-8, variant % 3 == 0 ? 0 : 0.05, decoupled, maximize,
                            amsgrad);
                    fusedAdam(p1, g, m1, v1, x1, h, t);
                    reference(p2, g, m2, v2, x2, h, t);
                }
                String what = dtype + " variant " + variant;
                if (dtype == DType.FLOAT32) {
                    assertArrayEquals(p2.toFloatArray(), p1.toFloatArray(), 0f, what);
                    assertArrayEquals(v2.toFloatArray(), v1.toFloatArray(), 0f, what);
                } else {
                    assertArrayEquals(p2.toDoubleArray(), p1.toDoubleArray(), 0, what);
                    assertArrayEquals(m2.toDoubleArray(), m1.toDoubleArray(), 0, what);
                }
            }
        }
    }

    /** torch.optim.SGD's step with in-place tensor operations; returns the (possibly new) momentum buffer. */
    private static Tensor referenceSgd(Tensor p, Tensor grad, Tensor buf, SgdHyper h) {
        Tensor d = h.maximize() ? grad.neg() : grad;
        if (h.weightDecay() != 0) {
            d = d.add(p, h.weightDecay());
        }
        if (h.momentum() != 0) {
            if (buf == null) {
                buf = d.clone();
            } else {
                buf.mul_(h.momentum()).add_(d, 1 - h.dampening());
            }
            d = h.nesterov() ? d.add(buf, h.momentum()) : buf;
        }
        p.add_(d, -h.lr());
        return buf;
    }

    @Test
    void fusedSgdEqualsTheInPlaceSequenceBitForBit() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 8; variant++) {
                boolean momentum = (variant & 1) != 0;
                boolean nesterov = momentum && (variant & 2) != 0;
                boolean maximize = (variant & 4) != 0;
                SgdHyper h = new SgdHyper(0.05, momentum ? 0.9 : 0, nesterov ? 0 : 0.1, variant % 3 == 0 ? 0 : 0.01,
                        nesterov, maximize);
                Rng rng = new Rng(200 + variant);
                Tensor p1 = Tensor.randn(rng, dtype, 70_000);
                Tensor p2 = p1.clone();
                Tensor b1 = momentum ? p1.zerosLike() : null;
                Tensor b2 = null;
                for (int t = 1; t <= 4; t++) {
                    Tensor g = Tensor.randn(rng, dtype, 70_000);
                    fusedSgd(p1, g, b1, h, t == 1);
                    b2 = referenceSgd(p2, g, b2, h);
                }
                String what = dtype + " variant " + variant;
                assertArrayEquals(p2.toDoubleArray(), p1.toDoubleArray(), 0, what);
                if (momentum) {
                    assertArrayEquals(b2.toDoubleArray(), b1.toDoubleArray(), 0, what);
                }
            }
        }
    }

    @Test
    void onlyContiguousTensorsOfOneDtypeAndShapeQualify() {
        Tensor a = Tensor.zeros(3, 4);
        assertTrue(FusedUpdates.qualifies(a, a.zerosLike(), null));
        assertFalse(FusedUpdates.qualifies(a, a.t().contiguous().t()));
        assertFalse(FusedUpdates.qualifies(a, Tensor.zeros(DType.FLOAT64, 3, 4)));
        assertFalse(FusedUpdates.qualifies(a, Tensor.zeros(4, 3)));
        // contiguous, but at another offset than the others: the loops index every array with one index
        assertFalse(FusedUpdates.qualifies(a, Tensor.zeros(4, 4).narrow(0, 1, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fusedAdam(a,
                Tensor.zeros(4, 3), a.zerosLike(), a.zerosLike(), null, new AdamHyper(1, 0.9, 0.99, 1e-8, 0, false,
                        false, false), 1));
        assertTrue(e.getMessage().contains("ADAM") && e.getMessage().contains("[4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FusedUpdates.apply(FusedRule.SGD,
                new Tensor[] {a, a.zerosLike()}, new double[7]));
        assertTrue(e.getMessage().contains("SGD takes 3 tensors") && e.getMessage().contains("got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FusedUpdates.apply(FusedRule.RMSPROP,
                new Tensor[] {a, a.zerosLike(), null, null, null}, new double[7]));
        assertTrue(e.getMessage().contains("'square_avg'"), e.getMessage());
    }

    /** The sum that {@code t.square().sum()} stores, as a double (rounded to float for FLOAT32). */
    private static double squareSum(Tensor t) {
        return t.square().sum().item();
    }

    private static double stored(double sum, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) sum : sum;
    }

    @Test
    void theOutputSumsAreTheTensorReductionsBitForBit() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 7, 8, 1023, 1024, 1025, 3001, 9000}) {
                Rng rng = new Rng(n);
                Tensor p = Tensor.randn(rng, dtype, n);
                Tensor g = Tensor.randn(rng, dtype, n);
                String what = dtype + " n=" + n;
                double[] s = {0.3, 0, 0, 0};
                FusedUpdates.apply(FusedRule.SQUARED_NORMS, new Tensor[] {p, g}, s);
                assertEquals(squareSum(g), stored(s[1], dtype), what + " sum(g^2)");
                assertEquals(squareSum(g.add(p, 0.3)), stored(s[2], dtype), what + " sum(h^2)");
                assertEquals(squareSum(p), stored(s[3], dtype), what + " sum(p^2)");
                Tensor m = Tensor.randn(rng, dtype, n);
                Tensor v = Tensor.randn(rng, dtype, n).abs();
                double[] lamb = {0.9, 0.1, 0.99, 0.01, 0.5, 0.25, 1e-6, 0.01, 0, 0};
                Tensor theta = p.clone();
                Tensor m2 = m.clone();
                Tensor v2 = v.clone();
                FusedUpdates.apply(FusedRule.LAMB_MOMENTS, new Tensor[] {p, g, m, v}, lamb);
                m2.mul_(0.9).add_(g, 0.1);
                v2.mul_(0.99).addcmul_(g, g, 0.01);
                Tensor update = m2.div(0.5).div_(v2.div(0.25).sqrt_().add_(1e-6)).add_(theta, 0.01);
                assertEquals(squareSum(theta), stored(lamb[8], dtype), what + " LAMB sum(p^2)");
                assertEquals(squareSum(update), stored(lamb[9], dtype), what + " LAMB sum(u^2)");
                assertArrayEquals(m2.toDoubleArray(), m.toDoubleArray(), 0, what + " exp_avg");
            }
        }
    }

    @Test
    void slotsThatAreNotElementwiseMustFitTheirLayouts() {
        Tensor p = Tensor.zeros(2, 3, 4);
        Tensor row = Tensor.zeros(2, 3);
        Tensor col = Tensor.zeros(2, 4);
        double[] s = new double[FusedRule.ADAFACTOR_FACTORED.scalarNames().size()];
        assertTrue(FusedUpdates.qualifies(FusedRule.ADAFACTOR_FACTORED, new Tensor[] {p, p, row, col, null}, s));
        assertFalse(FusedUpdates.qualifies(FusedRule.ADAFACTOR_FACTORED, new Tensor[] {p, p, col, row, null}, s));
        assertFalse(FusedUpdates.qualifies(FusedRule.ADAFACTOR_FACTORED, new Tensor[] {p, p, row.t(), col, null}, s));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusedUpdates.apply(
                FusedRule.ADAFACTOR_FACTORED, new Tensor[] {p, p, col, row, null}, s));
        assertTrue(e.getMessage().contains("exp_avg_sq_row ROWS") && e.getMessage().contains("[2, 4]"),
                e.getMessage());
        assertEquals(java.util.List.of("sum(param^2)", "sum(update^2)"), FusedRule.ADAFACTOR_FACTORED.outputs());
        // 8-bit: INT64 codes (8 per element), one FLOAT32 scale per block of block_size, a 256-value map
        Tensor theta = Tensor.zeros(130);
        Tensor codes = Tensor.zeros(DType.INT64, 17);
        Tensor map = Tensor.zeros(256);
        double[] q = {64, 0, 0.9, 1, 1e-3};
        assertTrue(FusedUpdates.qualifies(FusedRule.BNB_MOMENTUM_8BIT,
                new Tensor[] {theta, theta, codes, Tensor.zeros(3), map}, q));
        assertFalse(FusedUpdates.qualifies(FusedRule.BNB_MOMENTUM_8BIT,
                new Tensor[] {theta, theta, codes, Tensor.zeros(2), map}, q));
        assertFalse(FusedUpdates.qualifies(FusedRule.BNB_MOMENTUM_8BIT,
                new Tensor[] {theta, theta, Tensor.zeros(17), Tensor.zeros(3), map}, q));
        Tensor wide = Tensor.zeros(DType.FLOAT64, 130);
        assertFalse(FusedUpdates.qualifies(FusedRule.BNB_MOMENTUM_8BIT,
                new Tensor[] {wide, wide, codes, Tensor.zeros(3), map}, q));
    }

    /** bitsandbytes' quantize_2D search (as optim's BlockwiseQuantization), the reference for the codes. */
    private static int nearest(float[] code, float x, boolean signed) {
        int pivot = 127;
        int upperPivot = 255;
        int lowerPivot = 0;
        float lower = signed ? -1f : 0f;
        float upper = 1f;
        float val = code[pivot];
        for (int i = 64; i > 0; i >>= 1) {
            if (x > val) {
                lowerPivot = pivot;
                lower = val;
                pivot += i;
            } else {
                upperPivot = pivot;
                upper = val;
                pivot -= i;
            }
            val = code[pivot];
        }
        if (x > val) {
            return x > (upper + val) * 0.5f ? upperPivot : pivot;
        }
        return x < (lower + val) * 0.5f ? lowerPivot : pivot;
    }

    /**
     * The 8-bit momentum rule's codes at its first step (state = gradient, absmax 1 in every block, so that the
     * scaled values are the gradients themselves) are the search's codes with sign preservation, for every code
     * value and every midpoint the search compares with, their neighbouring floats, ±0, ±1 and random values.
     */
    @Test
    void eightBitCodesAreTheSearchsCodesAtEveryBoundary() {
        float[] code = new float[256];
        for (int k = 0; k < 127; k++) {
            code[128 + k] = (float) Math.pow(10, -6 + 6.0 * k / 126);
            code[126 - k] = -code[128 + k];
        }
        code[127] = 0f;
        code[255] = 1f;
        code[0] = -1f;
        java.util.Arrays.sort(code);
        java.util.List<Float> points = new java.util.ArrayList<>(java.util.List.of(0f, -0f, 1f, -1f));
        for (int k = 0; k < 256; k++) {
            float lowerMid = ((k == 0 ? -1f : code[k - 1]) + code[k]) * 0.5f;
            for (float c : new float[] {code[k], lowerMid, (1f + code[k]) * 0.5f, (-1f + code[k]) * 0.5f}) {
                points.add(c);
                points.add(Math.nextUp(c));
                points.add(Math.nextDown(c));
            }
        }
        Rng rng = new Rng(5);
        for (double r : Tensor.randn(rng, DType.FLOAT64, 2000).toDoubleArray()) {
            points.add((float) Math.tanh(r));
        }
        points.removeIf(x -> Math.abs(x) > 1);
        int bs = 64;
        int perBlock = bs - 1;
        int blocks = (points.size() + perBlock - 1) / perBlock;
        float[] g = new float[blocks * bs];
        for (int i = 0; i < points.size(); i++) {
            g[i / perBlock * bs + i % perBlock] = points.get(i);
        }
        for (int b = 0; b < blocks; b++) {
            g[b * bs + perBlock] = 1f; // the block's absmax
        }
        int n = g.length;
        Tensor theta = Tensor.zeros(n);
        Tensor codes = Tensor.zeros(DType.INT64, n / 8);
        Tensor absmax = Tensor.zeros(blocks);
        FusedUpdates.apply(FusedRule.BNB_MOMENTUM_8BIT, new Tensor[] {theta, Tensor.of(g, n), codes, absmax,
            Tensor.of(code, 256)}, new double[] {bs, 0, 0.9, 1, 0});
        long[] words = codes.toLongArray();
        for (int i = 0; i < n; i++) {
            int c = nearest(code, g[i], true);
            if (Float.floatToRawIntBits(code[c]) < 0 != Float.floatToRawIntBits(g[i]) < 0) {
                c = (c + (g[i] > 0f ? 1 : -1)) & 0xFF;
            }
            assertEquals(c, (int) (words[i >>> 3] >>> ((i & 7) << 3)) & 0xFF, "code of " + g[i]);
        }
        assertArrayEquals(new float[blocks], absmax.sub(1).toFloatArray(), 0f);
    }
}
