package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.GradCheck;
import dev.descent.autograd.Variable;
import dev.descent.nn.models.BasicBlock;
import dev.descent.nn.models.LeNet;
import dev.descent.nn.models.MLP;
import dev.descent.nn.models.ResNet;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ready-made models of {@code dev.descent.nn.models}: output shapes, and parameter counts against the same
 * architectures built in PyTorch ({@code fixtures/transformer/models.txt}).
 */
class ModelsTest {
    private static final TransformerFixture COUNTS = TransformerFixture.load("models.txt");

    private static long count(String name) {
        return COUNTS.get(name + ".count").getLong();
    }

    private static List<Integer> shape(Variable v) {
        return java.util.Arrays.stream(v.shape().toArray()).boxed().toList();
    }

    private static Variable images(int n, int c, int size) {
        return Variable.constant(Tensor.randn(new Rng(9), n, c, size, size));
    }

    @Test
    void mlpIsASequentialOfLinearActivationDropout() {
        Sequential mlp = MLP.builder(784, 512, 512, 10).dropout(0.1).build(new Rng(0));
        assertEquals(count("mlp"), mlp.parameterCount());
        assertEquals(7, mlp.size());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"),
                List.copyOf(mlp.stateDict().keySet()));
        assertTrue(mlp.get(1) instanceof ReLU && mlp.get(2) instanceof Dropout && mlp.get(6) instanceof Linear);
        assertEquals(List.of(3, 10), shape(mlp.forward(Variable.constant(Tensor.randn(new Rng(1), 3, 784)))));

        Sequential gelu = MLP.builder(4, 8, 2).activation(GELU::new).bias(false).build(new Rng(0));
        assertEquals(3, gelu.size());
        assertTrue(gelu.get(1) instanceof GELU);
        assertEquals(4 * 8 + 8 * 2, gelu.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> MLP.builder(10));
    }

    @Test
    void leNetForMnistAndCifar() {
        LeNet mnist = LeNet.mnist(new Rng(0));
        assertEquals(count("lenet_mnist"), mnist.parameterCount());
        assertEquals(List.of(2, 10), shape(mnist.forward(images(2, 1, 28))));
        LeNet cifar = LeNet.cifar10(new Rng(0));
        assertEquals(count("lenet_cifar"), cifar.parameterCount());
        assertEquals(List.of(2, 10), shape(cifar.forward(images(2, 3, 32))));
        assertThrows(IllegalArgumentException.class, () -> mnist.forward(images(2, 1, 32)));
        assertTrue(mnist.toString().startsWith("LeNet(\n  (features): Sequential(\n"
                + "    (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))\n"), mnist.toString());
    }

    @Test
    void basicBlockWithAndWithoutBatchNorm() {
        BasicBlock down = new BasicBlock(16, 32, 2, true, new Rng(0));
        assertEquals(count("block_bn_down"), down.parameterCount());
        long buffers = down.namedBuffers().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(COUNTS.get("block_bn_down.buffers").getLong(), buffers);
        assertEquals(List.of("conv1", "bn1", "relu", "conv2", "bn2", "downsample"),
                List.copyOf(down.namedChildren().keySet()));
        assertEquals(List.of(2, 32, 4, 4), shape(down.forward(images(2, 16, 8))));

        BasicBlock plain = new BasicBlock(16, 32, 2, false, new Rng(0));
        assertEquals(count("block_plain_down"), plain.parameterCount());
        assertTrue(plain.namedBuffers().isEmpty());
        assertEquals(List.of(2, 32, 4, 4), shape(plain.forward(images(2, 16, 8))));

        BasicBlock same = new BasicBlock(16, 16, 1, true, new Rng(0));
        assertEquals(count("block_bn_same"), same.parameterCount());
        assertTrue(!same.namedChildren().containsKey("downsample"));
    }

    @Test
    void smallResNetsFor28x28x1And32x32x3() {
        ResNet cifar = ResNet.resnet20(3, 10, new Rng(0));
        assertEquals(count("resnet20_cifar"), cifar.parameterCount());
        assertEquals(List.of(2, 10), shape(cifar.forward(images(2, 3, 32))));

        ResNet mnist = new ResNet(1, new int[] {16, 32, 64}, 1, true, 10, new Rng(0));
        assertEquals(count("resnet8_mnist"), mnist.parameterCount());
        assertEquals(List.of(2, 10), shape(mnist.forward(images(2, 1, 28))));
        mnist.eval();
        assertEquals(List.of(1, 10), shape(mnist.forward(images(1, 1, 28))));

        ResNet plain = new ResNet(1, new int[] {16, 32, 64}, 1, false, 10, new Rng(0));
        assertEquals(count("resnet8_mnist_plain"), plain.parameterCount());
        assertEquals(List.of(2, 10), shape(plain.forward(images(2, 1, 28))));
    }

    @Test
    void gradcheckOfATinyResNetInFloat64() {
        ResNet net = new ResNet(1, new int[] {2, 3, 4}, 1, true, 3, new Rng(5));
        net.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Rng(6), DType.FLOAT64, 2, 1, 6, 6);
        GradCheck.Report report = GradCheck.gradcheck(xs -> net.forward(xs.get(0)), List.of(x));
        assertTrue(report.passed(), report.toString());
        // and one parameter: d(sum of outputs)/d(fc.bias) is the batch size for each class
        net.zeroGrad();
        net.forward(Variable.constant(x)).sum().backward();
        TransformerFixture.assertClose("fc.bias grad", Tensor.full(DType.FLOAT64, 2, 3),
                net.namedParameters().get("fc.bias").grad(), 1e-12);
    }
}
