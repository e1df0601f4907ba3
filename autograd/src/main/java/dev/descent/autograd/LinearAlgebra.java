package dev.descent.autograd;

import dev.descent.tensor.ActivationGrads;
import dev.descent.tensor.Affine;
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
                // a transposed a (G^T in the weight gradient that linear's rule records) gets its gradient in its
                // own layout, as (B G^T)^T, as a transposed b does below: its base then gets a contiguous one
                ga = a2.dim() == 2 && b2.dim() == 2 && isTransposed(a2.value()) ? b2.matmul(g2.t()).t()
                        : sumTo(g2.matmul(b2.transpose(-1, -2)), a2.shape());
                ga = a.dim() == 1 ? ga.reshape(a.shape().toArray()) : ga;
            }
            if (needs[1]) {
                if (b2.dim() == 2 && (a2.dim() > 2 || isTransposed(b2.value()))) {
                    // [B..., M, K] @ [K, N]: fold the batch into rows, one [K, rows] @ [rows, N] product
                    int rows = 1;
                    for (int d = 0; d < a2.dim() - 1; d++) {
                        rows *= a2.size(d);
                    }
                    Variable flatA = a2.reshape(rows, a2.size(-1));
                    Variable flatG = g2.reshape(rows, g2.size(-1));
                    // a transposed b (the weight of x W^T) gets its gradient in its own layout, as (G^T A)^T:
                    // the transpose's rule then hands W a contiguous gradient, which needs no strided copy
                    gb = isTransposed(b2.value()) ? flatG.t().matmul(flatA).t() : flatA.t().matmul(flatG);
                } else {
                    gb = sumTo(a2.transpose(-1, -2).matmul(g2), b2.shape());
                }
                gb = b.dim() == 1 ? gb.reshape(b.shape().toArray()) : gb;
            }
            if (!GradMode.isEnabled()) {
                // products (or sums, views of them) made just now, held by nothing else
                ga = ga == null ? null : Variable.exclusive(ga.value());
                gb = gb == null ? null : Variable.exclusive(gb.value());
            }
            return new Variable[] {ga, gb};
        });
    }

    /**
     * {@code x W^T + b} (x {@code [..., in]}, W {@code [out, in]}, b {@code [out]}) as one primitive whose
     * forward folds the bias into the matrix product. Its rule is the product's and the sum's, written with
     * differentiable operations: {@code dx = G W}, {@code dW = G^T x} over the rows of x (already in W's
     * layout) and {@code db} the sum of G's rows.
     */
    static Variable linear(Variable x, Variable w, Variable b) {
        Tensor value = Affine.linear(x.value(), w.value(), b.value());
        return node("linear", value, x, w, b).saving(x, w).backward((out, g, needs) -> linearGrads(x, w, g, needs));
    }

    /**
     * {@code relu(x W^T + b)} as one primitive: the ReLU is applied in place to the product (one array fewer
     * than linear then relu). Its rule is ReLU's ({@code g} where the output is positive, which is where the
     * product is) followed by linear's, both differentiable.
     */
    static Variable linearRelu(Variable x, Variable w, Variable b) {
        Tensor value = Affine.linearRelu(x.value(), w.value(), b.value());
        return node("linearRelu", value, x, w, b).saving(x, w).savingOutput().backward((out, g, needs) -> {
            // a gradient this rule alone holds (Engine) takes ReLU's mask in place rather than in a new array
            Variable masked = !GradMode.isEnabled() && g.isExclusive()
                    ? Variable.exclusive(ActivationGrads.reluIntoGrad(g.value(), out.value()))
                    : Pointwise.reluGrad(g, out);
            return linearGrads(x, w, masked, needs);
        });
    }

    /** linear's gradients for the output gradient g: {@code G W}, {@code G^T x} over the rows, G's column sums. */
    private static Variable[] linearGrads(Variable x, Variable w, Variable g, boolean[] needs) {
        int rows = 1;
        for (int d = 0; d < x.dim() - 1; d++) {
            rows *= x.size(d);
        }
        if (!GradMode.isEnabled()) {
            // the same products on the values, each a new tensor that the backward pass may add into or adopt
            Tensor flatG = g.value().reshape(rows, w.size(0));
            return new Variable[] {
                needs[0] ? Variable.exclusive(g.value().matmul(w.value())) : null,
                needs[1] ? Variable.exclusive(flatG.t().matmul(x.value().reshape(rows, w.size(1)))) : null,
                needs[2] ? Variable.exclusive(columnSums(flatG)) : null};
        }
        Variable flatG = g.reshape(rows, w.size(0));
        return new Variable[] {
            needs[0] ? g.matmul(w) : null,
            needs[1] ? flatG.t().matmul(x.reshape(rows, w.size(1))) : null,
            needs[2] ? flatG.sum(new int[] {0}, false) : null};
    }

    /**
     * The bias gradient, G's column sums, as the product {@code ones^T G}: one GEMV, which reads G once with
     * vector loads (a sum over axis 0 accumulates in double, element by element, at about three times the cost).
     */
    private static Tensor columnSums(Tensor g) {
        Tensor ones = Tensor.ones(g.dtype(), 1, g.size(0)).to(g.device());
        return ones.matmul(g).reshape(g.size(1));
    }

    /** Whether a matrix is stored column by column (the transpose of a contiguous one) and not also row by row. */
    private static boolean isTransposed(Tensor m) {
        return m.dim() == 2 && m.size(0) > 1 && m.size(1) > 1 && m.stride(0) == 1 && m.stride(1) == m.size(0);
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
