package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.tensor.DType;
import dev.descent.tensor.Device;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation the CUDA backend implements, against the CPU backend's result on the same inputs:
 * FLOAT64 to 1e-12 relative, FLOAT32 to 1e-5 relative. Skipped, with the probe's reason, where no GPU is
 * usable (CI, and any machine without the driver or the {@code -Pgpu} natives).
 */
class CudaContractTest {
    private static final Device GPU = Device.cuda(0);

    @BeforeEach
    void requireGpu() {
        assumeTrue(CudaAvailability.isAvailable(), () -> "CUDA contract tests skipped: " + CudaAvailability.reason());
    }

    private static Tensor input(long seed, DType dtype, int... shape) {
        return Tensor.randn(new Rng(seed), dtype, shape);
    }

    private static void assertClose(Tensor cpu, Tensor gpu) {
        assertEquals(Device.CPU, cpu.device());
        assertEquals(GPU, gpu.device());
        assertEquals(cpu.shape(), gpu.shape());
        assertEquals(cpu.dtype(), gpu.dtype());
        if (!cpu.dtype().isFloatingPoint()) {
            assertArrayEquals(cpu.toLongArray(), gpu.to(Device.CPU).toLongArray());
            return;
        }
        double tol = cpu.dtype() == DType.FLOAT64 ? 1e-12 : 1e-5;
        double[] want = cpu.toDoubleArray();
        double[] got = gpu.to(Device.CPU).toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertTrue(Double.isNaN(got[i]), "element " + i + ": expected NaN, got " + got[i]);
            } else {
                double err = Math.abs(want[i] - got[i]) / Math.max(1e-30, Math.max(1, Math.abs(want[i])));
                assertTrue(err <= tol, "element " + i + ": cpu " + want[i] + " gpu " + got[i]);
            }
        }
    }

    private static void check(Tensor x, UnaryOperator<Tensor> op) {
        assertClose(op.apply(x), op.apply(x.to(GPU)));
    }

    @Test
    void roundTripKeepsEveryDtype() {
        for (DType t : DType.values()) {
            Tensor x = input(1, DType.FLOAT64, 3, 5).mul(4).cast(t);
            assertClose(x, x.to(GPU));
        }
        Tensor strided = input(2, DType.FLOAT32, 4, 6).transpose(0, 1).narrow(0, 1, 3);
        assertClose(strided, strided.to(GPU));
        assertClose(strided.contiguous(), strided.to(GPU).contiguous());
    }

    @Test
    void unaryOpsMatchTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = input(3, t, 7, 9);
            Tensor pos = x.abs().add(0.1);
            for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(Tensor::neg, Tensor::abs,
                    Tensor::sign, Tensor::exp, Tensor::tanh, Tensor::sigmoid, Tensor::relu, Tensor::gelu,
                    Tensor::geluTanh, Tensor::silu, Tensor::softplus, Tensor::erf, Tensor::sin, Tensor::cos,
                    Tensor::square, Tensor::expm1, v -> v.clamp(-0.5, 0.7))) {
                check(x, op);
            }
            for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(Tensor::log, Tensor::sqrt,
                    Tensor::rsqrt, Tensor::reciprocal, Tensor::log1p, v -> v.pow(1.5))) {
                check(pos, op);
            }
        }
    }

    @Test
    void binaryOpsWithBroadcastAndScalarsMatchTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = input(4, t, 4, 1, 5);
            Tensor b = input(5, t, 3, 1);
            Tensor ga = a.to(GPU);
            Tensor gb = b.to(GPU);
            assertClose(a.add(b, 0.5), ga.add(gb, 0.5));
            assertClose(a.sub(b), ga.sub(gb));
            assertClose(a.mul(b), ga.mul(gb));
            assertClose(a.div(b), ga.div(gb));
            assertClose(a.maximum(b), ga.maximum(gb));
            assertClose(a.minimum(b), ga.minimum(gb));
            assertClose(a.lt(b).cast(t), ga.lt(gb).cast(t));
            assertClose(a.mul(3.0), ga.mul(3.0));
            assertClose(a.rsub(2.0), ga.rsub(2.0));
            assertClose(a.rdiv(2.0), ga.rdiv(2.0));
        }
        Tensor i = Tensor.of(new long[] {1, -2, 3, 4}, 2, 2);
        assertClose(i.add(i), i.to(GPU).add(i.to(GPU)));
    }

    @Test
    void reductionsMatchTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = input(6, t, 5, 6, 7);
            Tensor g = x.to(GPU);
            assertClose(x.sum(), g.sum());
            assertClose(x.sum(1), g.sum(1));
            assertClose(x.sum(new int[] {0, 2}, true), g.sum(new int[] {0, 2}, true));
            assertClose(x.prod(new int[] {2}, false), g.prod(new int[] {2}, false));
            assertClose(x.max(), g.max());
            assertClose(x.transpose(0, 2).sum(0), g.transpose(0, 2).sum(0));
        }
    }

    @Test
    void matmulMatchesTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = input(7, t, 33, 17);
            Tensor b = input(8, t, 17, 29);
            assertClose(a.matmul(b), a.to(GPU).matmul(b.to(GPU)));
            Tensor ba = input(9, t, 3, 8, 5);
            Tensor bb = input(10, t, 3, 5, 6);
            assertClose(ba.matmul(bb), ba.to(GPU).matmul(bb.to(GPU)));
            Tensor shared = input(11, t, 5, 4);
            assertClose(ba.matmul(shared), ba.to(GPU).matmul(shared.to(GPU)));
            assertClose(a.t().matmul(a), a.to(GPU).t().matmul(a.to(GPU)));
        }
    }

    @Test
    void mixingDevicesFailsNamingBoth() {
        Tensor cpu = Tensor.of(1f, 2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.add(cpu.to(GPU)));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
    }

    @Test
    void unimplementedOpsSayWhich() {
        Tensor x = input(12, DType.FLOAT32, 4).to(GPU);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> x.cumsum(0));
        assertTrue(e.getMessage().contains("cumsum"), e.getMessage());
    }
}
