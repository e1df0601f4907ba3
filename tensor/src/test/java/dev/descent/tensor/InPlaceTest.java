package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place operations optimizers use: values against references, writes through strided views that
 * leave the rest of the storage alone, version counting, and no allocation proportional to the size.
 */
class InPlaceTest {
    static final Set<String> COVERS = Set.of("add_", "sub_", "mul_", "div_", "addcmul_", "addcdiv_", "lerp_", "maximum_",
            "copy_", "fill_", "zero_", "clamp_", "sqrt_");

    record Entry(String name, BiFunction<Tensor, Tensor[], Tensor> op, Reference ref) {
    }

    interface Reference {
        double apply(double self, double a, double b);
    }

    static final List<Entry> TABLE = List.of(
            new Entry("add_", (s, o) -> s.add_(o[0]), (s, a, b) -> s + a),
            new Entry("add_(alpha)", (s, o) -> s.add_(o[0], -0.5), (s, a, b) -> s - 0.5 * a),
            new Entry("add_(scalar)", (s, o) -> s.add_(1.25), (s, a, b) -> s + 1.25),
            new Entry("sub_", (s, o) -> s.sub_(o[0]), (s, a, b) -> s - a),
            new Entry("mul_", (s, o) -> s.mul_(o[0]), (s, a, b) -> s * a),
            new Entry("mul_(scalar)", (s, o) -> s.mul_(0.9), (s, a, b) -> s * 0.9),
            new Entry("div_", (s, o) -> s.div_(o[1]), (s, a, b) -> s / b),
            new Entry("div_(scalar)", (s, o) -> s.div_(4), (s, a, b) -> s / 4),
            new Entry("addcmul_", (s, o) -> s.addcmul_(o[0], o[1], 0.1), (s, a, b) -> s + 0.1 * a * b),
            new Entry("addcdiv_", (s, o) -> s.addcdiv_(o[0], o[1], -0.01), (s, a, b) -> s - 0.01 * a / b),
            new Entry("lerp_", (s, o) -> s.lerp_(o[0], 0.1), (s, a, b) -> s + 0.1 * (a - s)),
            new Entry("lerp_(0.9)", (s, o) -> s.lerp_(o[0], 0.9), (s, a, b) -> s + 0.9 * (a - s)),
            new Entry("lerp_(tensor)", (s, o) -> s.lerp_(o[0], o[1].div(10)), (s, a, b) -> s + b / 10 * (a - s)),
            new Entry("maximum_", (s, o) -> s.maximum_(o[0]), (s, a, b) -> Math.max(s, a)),
            new Entry("copy_", (s, o) -> s.copy_(o[0]), (s, a, b) -> a),
            new Entry("fill_", (s, o) -> s.fill_(3.5), (s, a, b) -> 3.5),
            new Entry("zero_", (s, o) -> s.zero_(), (s, a, b) -> 0),
            new Entry("clamp_", (s, o) -> s.clamp_(-1, 1), (s, a, b) -> Math.min(Math.max(s, -1), 1)),
            new Entry("sqrt_", (s, o) -> s.abs().sqrt_(), (s, a, b) -> Math.sqrt(Math.abs(s))));

    @Test
    void everyInPlaceOpMatchesItsReferenceThroughStridedViews() {
        Rng rng = new Rng(31);
        for (Entry e : TABLE) {
            for (DType dtype : Inputs.FLOATS) {
                for (int trial = 0; trial < 6; trial++) {
                    int[][] pair = Inputs.broadcastPair(rng);
                    int[] shape = Ref.broadcast(pair[0], pair[1]);
                    Ref self = Inputs.values(rng, dtype, shape, -3, 3);
                    Ref a = Inputs.values(rng, dtype, pair[0], -3, 3);
                    Ref b = Inputs.values(rng, dtype, pair[1], 0.5, 3);
                    double[] v = new double[self.numel()];
                    for (int i = 0; i < v.length; i++) {
                        int[] c = Ref.coords(shape, i);
                        v[i] = e.ref.apply(self.v()[i], a.atBroadcast(c), b.atBroadcast(c));
                    }
                    double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
                    for (Inputs.Layout layout : Inputs.layouts(self, dtype)) {
                        if (layout.name().equals("expanded")) {
                            continue; // writing into a stride-0 view is refused; see ErrorsTest
                        }
                        Tensor target = layout.tensor();
                        int version = target.storage().version();
                        Tensor result = e.op.apply(target, new Tensor[] {Inputs.tensor(a, dtype), Inputs.tensor(b, dtype)});
                        if (!e.name.equals("sqrt_")) {
                            assertSame(target, result, e.name + " returns this");
                            assertTrue(target.storage().version() > version, e.name + " bumps the version");
                        }
                        Ref.assertClose(e.name + " " + dtype + " " + layout.name(), Ref.of(shape, v), result, tol, tol);
                    }
                }
            }
        }
    }

    @Test
    void writesThroughAViewLeaveTheRestAlone() {
        Tensor host = Tensor.zeros(DType.FLOAT64, 4, 5);
        Tensor view = host.slice(0, 1, 4, 2).slice(1, 0, 5, 2); // rows 1, 3; columns 0, 2, 4
        view.add_(Tensor.ones(DType.FLOAT64, 2, 3)).mul_(3);
        double[] expected = new double[20];
        for (int r : new int[] {1, 3}) {
            for (int c : new int[] {0, 2, 4}) {
                expected[r * 5 + c] = 3;
            }
        }
        assertArrayEquals(expected, host.toDoubleArray());
    }

    @Test
    void optimizerStyleUpdatesAllocateNothingProportionalToSize() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 1 << 20;
        Rng rng = new Rng(1);
        Tensor p = Tensor.randn(rng, n);
        Tensor g = Tensor.randn(rng, n);
        Tensor m = Tensor.zeros(n);
        Tensor v = Tensor.zeros(n).add_(1);
        for (int warm = 0; warm < 3; warm++) {
            adamLikeStep(p, g, m, v);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        adamLikeStep(p, g, m, v);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        // a full temporary would be 4 MiB; the loop machinery allocates a few small arrays per call
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    }

    private static void adamLikeStep(Tensor p, Tensor g, Tensor m, Tensor v) {
        m.lerp_(g, 0.1);
        v.mul_(0.999).addcmul_(g, g, 0.001);
        p.addcdiv_(m, v, -1e-3);
        p.add_(g, -1e-4);
        v.clamp_(0, 1e9).sqrt_();
    }
}
