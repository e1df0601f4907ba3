package dev.descent.autograd;

import dev.descent.tensor.Tensor;

import static dev.descent.autograd.Ops.node;
import static dev.descent.autograd.Ops.sumTo;

/**
 * Differentiable matrix products. For {@code C = A B} the gradients are {@code dA = G B^T} and
 * {@code dB = A^T G}; torch.matmul's 1-D operands are handled by adding the axis they lose (to the
 * operands and to G) and removing it from the gradient, and broadcast batch axes are summed back with
 * {@link Ops#sumTo}.
 */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /** torch.matmul, with the rule above; an N-D by 2-D product folds its batch into rows for dB, as PyTorch. */
    static Variable matmul(Variable a, Variable b) {
        Tensor value = a.value().matmul(b.value());
        return node("matmul", value, a, b).saving(a, b).backward((out, g, needs) -> {
            if (a.dim() == 1 && b.dim() == 1) {
                return new Variable[] {needs[0] ? b.mul(g) : null, needs[1] ? a.mul(g) : null};
            }
            // the 2-D (or batched) problem torch.matmul solves: a as a row, b as a column when 1-D
            Variable a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
            Variable b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
            Variable g2 = a.dim() == 1 ? g.unsqueeze(-2) : g;
            g2 = b.dim() == 1 ? g2.unsqueeze(-1) : g2;
            Variable ga = null;
            Variable gb = null;
            if (needs[0]) {
                ga = sumTo(g2.matmul(b2.transpose(-1, -2)), a2.shape());
                ga = a.dim() == 1 ? ga.reshape(a.shape().toArray()) : ga;
            }
            if (needs[1]) {
                if (a2.dim() > 2 && b2.dim() == 2) {
                    // [B..., M, K] @ [K, N]: fold the batch into rows, one [K, rows] @ [rows, N] product
                    int rows = 1;
                    for (int d = 0; d < a2.dim() - 1; d++) {
                        rows *= a2.size(d);
                    }
                    gb = a2.reshape(rows, a2.size(-1)).t().matmul(g2.reshape(rows, g2.size(-1)));
                } else {
                    gb = sumTo(a2.transpose(-1, -2).matmul(g2), b2.shape());
                }
                gb = b.dim() == 1 ? gb.reshape(b.shape().toArray()) : gb;
            }
            return new Variable[] {ga, gb};
        });
    }

    /** The outer product of two vectors: {@code dA = G b}, {@code dB = G^T a}. */
    static Variable outer(Variable a, Variable b) {
        Tensor value = a.value().outer(b.value());
        return node("outer", value, a, b).saving(a, b).backward((out, g, needs) -> new Variable[] {
            needs[0] ? g.matmul(b) : null,
            needs[1] ? a.matmul(g) : null});
    }

    /** The inner product of two vectors: {@code dA = g b}, {@code dB = g a}. */
    static Variable dot(Variable a, Variable b) {
        Tensor value = a.value().dot(b.value());
        return node("dot", value, a, b).saving(a, b).backward((out, g, needs) -> new Variable[] {
            needs[0] ? b.mul(g) : null,
            needs[1] ? a.mul(g) : null});
    }
}
