package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused Adam and SGD rules give bit for bit what torch.optim's sequences of in-place operations give
 * (the references here, run with Tensor's own in-place operations), in float32 and float64, for every option;
 * and {@link FusedUpdates#apply} rejects calls that do not fit the rule. (The other rules are checked against
 * their optimizers' unfused paths in the optim module.)
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
}
