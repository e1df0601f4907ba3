package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused Adam step gives bit for bit what torch.optim.Adam's sequence of in-place operations gives
 * (the reference here, run with Tensor's own in-place operations), in float32 and float64, for every option.
 */
class FusedUpdatesTest {

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
                    FusedUpdates.adam(p1, g, m1, v1, x1, h, t);
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
                    FusedUpdates.sgd(p1, g, b1, h, t == 1);
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusedUpdates.adam(a,
                Tensor.zeros(4, 3), a.zerosLike(), a.zerosLike(), null, new AdamHyper(1, 0.9, 0.99, 1e-8, 0, false,
                        false, false), 1));
        assertTrue(e.getMessage().contains("adam") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }
}
