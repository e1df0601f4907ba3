package dev.descent.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error path: an IllegalArgumentException whose message names the operation and what is at fault. */
class ErrorsTest {

    private static void fails(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static final Tensor A = Tensor.zeros(2, 3);

    @Test
    void shapeMismatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(32, 784).matmul(Tensor.zeros(512, 784)));
        assertEquals("matmul: shapes [32, 784] and [512, 784] cannot be multiplied (784 != 512)", e.getMessage());
        fails(() -> A.add(Tensor.zeros(4)), "add", "[2, 3]", "[4]", "broadcast");
        fails(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 2)), "matmul", "[2, 3, 4]", "[5, 4, 2]", "batch");
        fails(() -> Tensor.scalar(1).matmul(A), "matmul", "[]", "[2, 3]");
        fails(() -> A.add_(Tensor.zeros(4, 2, 3)), "add_", "[2, 3]", "[4, 2, 3]");
        fails(() -> A.reshape(4, 2), "reshape", "[4, 2]", "[2, 3]");
        fails(() -> A.reshape(-1, -1), "reshape", "-1");
        fails(() -> A.t().view(6), "view", "[3, 2]", "reshape");
        fails(() -> A.permute(0), "permute", "[2, 3]");
        fails(() -> A.permute(0, 0), "permute", "twice");
        fails(() -> A.expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        fails(() -> A.narrow(1, 2, 2), "narrow", "axis 1", "size 3");
        fails(() -> A.select(0, 2), "select", "index 2", "size 2");
        fails(() -> A.sum(2), "sum", "axis 2", "rank 2");
        fails(() -> A.get(0, 0, 0), "get", "[2, 3]");
        fails(() -> Tensor.cat(0, A, Tensor.zeros(2, 4)), "cat", "[2, 3]", "[2, 4]");
        fails(() -> Tensor.stack(0, A, Tensor.zeros(3, 2)), "stack", "[2, 3]", "[3, 2]");
        fails(() -> A.split(new int[] {1, 1}, 1), "split", "[1, 1]", "3");
        fails(() -> A.pad(new int[] {1}, 0), "pad", "[1]");
        fails(() -> A.pad(new int[] {-2, -2}, 0), "pad", "negative");
        fails(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "Tensor.of", "[2, 2]", "3");
        fails(() -> Tensor.fromArray(new float[][] {{1, 2}, {3}}), "fromArray", "ragged");
        fails(() -> Tensor.where(Tensor.of(true, false), A, A), "where", "[2]", "[2, 3]");
        fails(() -> Tensor.zeros(2).dot(Tensor.zeros(3)), "dot", "[2]", "[3]");
        fails(() -> A.item(), "item", "[2, 3]");
    }

    @Test
    void dtypeMismatches() {
        fails(() -> A.add(Tensor.zeros(DType.FLOAT64, 2, 3)), "add", "FLOAT32", "FLOAT64", "[2, 3]");
        fails(() -> Tensor.arange(3).exp(), "exp", "INT64", "[3]");
        fails(() -> Tensor.arange(3).div(Tensor.arange(3)), "div", "INT64");
        fails(() -> Tensor.arange(3).add(0.5), "add", "0.5", "INT64");
        fails(() -> Tensor.arange(3).mean(), "mean", "INT64");
        fails(() -> Tensor.arange(3).matmul(Tensor.arange(3)), "matmul", "INT64");
        fails(() -> A.logicalAnd(A), "logicalAnd", "FLOAT32");
        fails(() -> A.indexSelect(0, Tensor.of(0.0)), "indexSelect", "INT64", "FLOAT64");
        fails(() -> Tensor.where(A, A, A), "where", "BOOL", "FLOAT32");
        fails(() -> Tensor.of(true).neg(), "neg", "BOOL");
        fails(() -> Tensor.of(true, false).max(), "max", "BOOL");
        fails(() -> Tensor.randn(new Rng(0), DType.INT64, 2), "randn", "INT64");
    }

    @Test
    void indexAndValueErrors() {
        Tensor x = Tensor.zeros(3, 4);
        fails(() -> x.indexSelect(0, Tensor.of(0L, 3L)), "indexSelect", "index 3", "size 3");
        fails(() -> x.gather(1, Tensor.of(new long[] {0, 4}, 1, 2)), "gather", "index 4", "size 4");
        fails(() -> x.gather(1, Tensor.of(0L)), "gather", "[1]", "[3, 4]");
        fails(() -> x.scatterAdd_(0, Tensor.of(new long[] {-1}, 1, 1), Tensor.zeros(1, 1)), "scatterAdd_", "index -1");
        fails(() -> Tensor.of(0L, 3L).oneHot(3), "oneHot", "3", "3 classes");
        fails(() -> x.clamp(1, 0), "clamp", "min 1.0", "max 0.0");
        fails(() -> Tensor.arange(3).clamp(0.5, 2), "clamp", "0.5", "INT64");
        fails(() -> x.norm(-1), "norm", "-1");
        fails(() -> x.max(0, false).values().argmax(3, false), "argmax", "axis 3");
        fails(() -> Tensor.zeros(0).max(), "max", "size 0");
        fails(() -> Tensor.bernoulli(new Rng(0), 1.5, 2), "bernoulli", "1.5");
        fails(() -> Tensor.randint(new Rng(0), 3, 3, 2), "randint", "[3, 3)");
        fails(() -> Tensor.arange(0, 5, 0), "arange", "step=0");
        fails(() -> x.slice(0, 0, 3, 0), "slice", "step");
        fails(() -> Device.parse("tpu"), "Device.parse", "tpu");
        fails(() -> Shape.of(-1), "Shape", "[-1]");
        fails(() -> Backends.forDevice(Device.cuda(0)), "cuda:0");
    }

    @Test
    void inPlaceWritesIntoExpandedViewsAreRefused() {
        Tensor e = Tensor.zeros(1, 3).expand(4, 3);
        fails(() -> e.add_(Tensor.ones(4, 3)), "add_", "expanded", "[4, 3]", "[0, 1]");
        fails(() -> e.fill_(1), "fill_", "expanded");
        fails(() -> e.mul_(2), "mul_", "expanded");
    }
}
