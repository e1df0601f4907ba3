package dev.descent.tensor;

import java.util.Arrays;

/** torch.matmul's rules on top of the backend's batched GEMM. */
final class MatMul {
    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Checks.sameDevice("matmul", a, b);
        Checks.sameDtype("matmul", a, b);
        Checks.floatingPoint("matmul", a);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got shapes "
                    + a.shape() + " and " + b.shape());
        }
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int m = a2.size(-2);
        int k = a2.size(-1);
        int n = b2.size(-1);
        if (b2.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape()
                    + " cannot be multiplied (" + k + " != " + b2.size(-2) + ")");
        }
        Tensor product = a2.dim() > 2 && b2.dim() == 2 ? foldedProduct(a2, b2) : batchedProduct(a, b, a2, b2, m, k, n);
        // drop the dimensions that 1-D operands gained
        if (a.dim() == 1) {
            product = product.squeeze(-2);
        }
        if (b.dim() == 1) {
            product = product.squeeze(-1);
        }
        return product;
    }

    /** [B..., M, K] @ [K, N]: one GEMM of [B*M, K] @ [K, N], the way PyTorch folds it. */
    private static Tensor foldedProduct(Tensor a, Tensor b) {
        int[] outShape = a.shape().toArray();
        outShape[outShape.length - 1] = b.size(1);
        int rows = 1;
        for (int d = 0; d < a.dim() - 1; d++) {
            rows *= a.size(d);
        }
        Tensor flat = a.reshape(rows, a.size(-1)); // explicit rows: -1 is ambiguous when K is 0
        Tensor out = a.newTensor(a.dtype(), Shape.of(flat.size(0), b.size(1)));
        a.backend().matmul(flat, b, out);
        return out.reshape(outShape);
    }

    private static Tensor batchedProduct(Tensor a, Tensor b, Tensor a2, Tensor b2, int m, int k, int n) {
        Shape batchA = Shape.of(Arrays.copyOf(a2.shape().toArray(), a2.dim() - 2));
        Shape batchB = Shape.of(Arrays.copyOf(b2.shape().toArray(), b2.dim() - 2));
        Shape batch;
        try {
            batch = Shape.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dimensions of shapes " + a.shape() + " and " + b.shape()
                    + " cannot be broadcast (" + batchA + " vs " + batchB + ")", e);
        }
        int[] outDims = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        int[] aDims = outDims.clone();
        aDims[batch.rank() + 1] = k;
        int[] bDims = outDims.clone();
        bDims[batch.rank()] = k;
        Tensor out = a.newTensor(a.dtype(), Shape.of(outDims));
        a.backend().matmul(a2.broadcastTo(Shape.of(aDims)), b2.broadcastTo(Shape.of(bDims)), out);
        return out;
    }

    static Tensor outer(Tensor a, Tensor b) {
        Checks.rank("outer", a, 1);
        Checks.rank("outer", b, 1);
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    static Tensor dot(Tensor a, Tensor b) {
        Checks.rank("dot", a, 1);
        Checks.rank("dot", b, 1);
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("dot: shapes " + a.shape() + " and " + b.shape()
                    + " differ in length (" + a.size(0) + " != " + b.size(0) + ")");
        }
        return matmul(a, b);
    }
}
