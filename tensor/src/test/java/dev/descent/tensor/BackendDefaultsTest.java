package dev.descent.tensor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The composed default methods of {@link Backend} (what a backend without fused kernels, such as CUDA's,
 * runs) give what the CPU backend's fused kernels give. The defaults run on a proxy of the CPU backend
 * that forwards every other method to it.
 */
class BackendDefaultsTest {
    private static final Set<String> DEFAULTS = Set.of("reluBackward", "softmaxLastAxis", "softmaxBackwardLastAxis",
            "matmulAddRow", "conv2dBias", "causalSoftmax", "causalSoftmaxBackward");

    private static Backend withDefaults(Backend cpu) {
        InvocationHandler h = (proxy, m, args) -> {
            try {
                return DEFAULTS.contains(m.getName()) ? InvocationHandler.invokeDefault(proxy, m, args)
                        : m.invoke(cpu, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }


    @Test
    void composedDefaultsAgreeWithTheFusedKernels() {
        Rng rng = new Rng(21);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
            Tensor x = Tensor.randn(rng, dtype, 6, 5);
            Tensor g = Tensor.randn(rng, dtype, 6, 5);
            Backend cpu = x.backend();
            Backend b = withDefaults(cpu);
            {
                Tensor fused = Tensor.allocate(cpu, dtype, x.shape());
                Tensor byDefault = Tensor.allocate(cpu, dtype, x.shape());
                cpu.reluBackward(g, x, fused);
                b.reluBackward(g, x, byDefault);
                assertArrayEquals(fused.toDoubleArray(), byDefault.toDoubleArray(), 0, "reluBackward " + dtype);
                for (boolean log : new boolean[] {false, true}) {
                    cpu.softmaxLastAxis(x, 5, log, fused);
                    b.softmaxLastAxis(x, 5, log, byDefault);
                    assertArrayEquals(fused.toDoubleArray(), byDefault.toDoubleArray(), tol, "softmax " + log);
                    Tensor y = fused.clone();
                    cpu.softmaxBackwardLastAxis(y, g, 5, log, fused);
                    b.softmaxBackwardLastAxis(y, g, 5, log, byDefault);
                    assertArrayEquals(fused.toDoubleArray(), byDefault.toDoubleArray(), tol, "backward " + log);
                }
                for (int[] shape : new int[][] {{6, 5}, {2, 3, 5}, {5, 3}}) {
                    Tensor scores = Tensor.randn(rng, dtype, shape);
                    Tensor up = Tensor.randn(rng, dtype, shape);
                    Tensor c1 = Tensor.allocate(cpu, dtype, scores.shape());
                    Tensor c2 = Tensor.allocate(cpu, dtype, scores.shape());
                    cpu.causalSoftmax(scores, 0.7, c1);
                    b.causalSoftmax(scores, 0.7, c2);
                    assertArrayEquals(c1.toDoubleArray(), c2.toDoubleArray(), tol, "causalSoftmax " + scores.shape());
                    Tensor y = c1.clone();
                    cpu.causalSoftmaxBackward(y, up, 0.7, c1);
                    b.causalSoftmaxBackward(y, up, 0.7, c2);
                    assertArrayEquals(c1.toDoubleArray(), c2.toDoubleArray(), tol, "causalSoftmaxBackward " + scores.shape());
                }
                Tensor w = Tensor.randn(rng, dtype, 3, 5);
                Tensor bias = Tensor.randn(rng, dtype, 3);
                Tensor p1 = Tensor.allocate(cpu, dtype, Shape.of(6, 3));
                Tensor p2 = Tensor.allocate(cpu, dtype, Shape.of(6, 3));
                cpu.matmulAddRow(x, w.t(), bias, p1);
                b.matmulAddRow(x, w.t(), bias, p2);
                assertArrayEquals(p1.toDoubleArray(), p2.toDoubleArray(), tol, "matmulAddRow " + dtype);
                Tensor img = Tensor.randn(rng, dtype, 2, 4, 5, 5);
                Tensor kernel = Tensor.randn(rng, dtype, 6, 2, 3, 3);
                Tensor channelBias = Tensor.randn(rng, dtype, 6);
                ConvSpec spec = new ConvSpec(2, 1, 1, 0, 1, 1, 2);
                Tensor c1 = Convolution.conv2d(img, kernel, channelBias, spec);
                Tensor c2 = Tensor.allocate(cpu, dtype, c1.shape());
                b.conv2dBias(spec, img, kernel, channelBias, c2);
                assertArrayEquals(c1.toDoubleArray(), c2.toDoubleArray(), tol, "conv2dBias " + dtype);
                Tensor unfused = Convolution.conv2d(img, kernel, spec).add(channelBias.reshape(1, 6, 1, 1));
                assertArrayEquals(unfused.toDoubleArray(), c1.toDoubleArray(), tol, "conv2d + bias " + dtype);
            }
        }
    }
}
