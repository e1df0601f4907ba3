package dev.descent.autograd;

import dev.descent.tensor.ActivationGrads;
import dev.descent.tensor.Tensor;

import static dev.descent.autograd.Ops.node;
import static dev.descent.autograd.Ops.sumTo;

/**
 * Elementwise operations and their backward rules. Each rule is written in {@code Variable} operations, so
 * it is differentiable again; pieces whose derivative is zero almost everywhere (masks, signs) enter as
 * constants. Binary rules sum each gradient back to its input's shape ({@link Ops#sumTo}).
 */
final class Pointwise {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);
    private static final double GELU_TANH_CUBIC = 0.044715;

    private Pointwise() {
    }

    private static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    /** A BOOL tensor as 0/1 in {@code like}'s dtype, entering a rule as a constant. */
    private static Variable mask(Tensor bool, Variable like) {
        return Variable.constant(bool.cast(like.dtype()));
    }

    // ------------------------------------------------------------------ unary

    static Variable neg(Variable x) {
        return node("neg", x.value().neg(), x).backward((out, g, needs) -> one(g.neg()));
    }

    static Variable abs(Variable x) {
        return node("abs", x.value().abs(), x).saving(x)
                .backward((out, g, needs) -> one(g.mul(Variable.constant(x.value().sign()))));
    }

    static Variable sign(Variable x) {
        return node("sign", x.value().sign(), x)
                .backward((out, g, needs) -> one(Variable.constant(g.value().zerosLike())));
    }

    static Variable exp(Variable x) {
        return node("exp", x.value().exp(), x).savingOutput().backward((out, g, needs) -> one(g.mul(out)));
    }

    static Variable log(Variable x) {
        return node("log", x.value().log(), x).saving(x).backward((out, g, needs) -> one(g.div(x)));
    }

    static Variable log1p(Variable x) {
        return node("log1p", x.value().log1p(), x).saving(x).backward((out, g, needs) -> one(g.div(x.add(1))));
    }

    static Variable expm1(Variable x) {
        return node("expm1", x.value().expm1(), x).savingOutput()
                .backward((out, g, needs) -> one(g.mul(out.add(1))));
    }

    static Variable sqrt(Variable x) {
        return node("sqrt", x.value().sqrt(), x).savingOutput()
                .backward((out, g, needs) -> one(g.div(out).mul(0.5)));
    }

    static Variable rsqrt(Variable x) {
        // d/dx x^(-1/2) = -x^(-3/2) / 2 = -out^3 / 2
        return node("rsqrt", x.value().rsqrt(), x).savingOutput()
                .backward((out, g, needs) -> one(g.mul(out.pow(3)).mul(-0.5)));
    }

    static Variable square(Variable x) {
        return node("square", x.value().square(), x).saving(x).backward((out, g, needs) -> one(g.mul(x).mul(2)));
    }

    static Variable reciprocal(Variable x) {
        return node("reciprocal", x.value().reciprocal(), x).savingOutput()
                .backward((out, g, needs) -> one(g.mul(out.square()).neg()));
    }

    static Variable sin(Variable x) {
        return node("sin", x.value().sin(), x).saving(x).backward((out, g, needs) -> one(g.mul(x.cos())));
    }

    static Variable cos(Variable x) {
        return node("cos", x.value().cos(), x).saving(x).backward((out, g, needs) -> one(g.mul(x.sin()).neg()));
    }

    static Variable tanh(Variable x) {
        return node("tanh", x.value().tanh(), x).savingOutput()
                .backward((out, g, needs) -> one(g.mul(out.square().rsub(1))));
    }

    static Variable sigmoid(Variable x) {
        return node("sigmoid", x.value().sigmoid(), x).savingOutput()
                .backward((out, g, needs) -> one(g.mul(out.mul(out.rsub(1)))));
    }

    static Variable relu(Variable x) {
        // a gradient this rule alone holds (Engine) takes the mask in place, as linearRelu's rule does
        return node("relu", x.value().relu(), x).saving(x).backward((out, g, needs) -> one(
                !GradMode.isEnabled() && g.isExclusive()
                        ? Variable.exclusive(ActivationGrads.reluIntoGrad(g.value(), x.value()))
                        : reluGrad(g, x)));
    }

    /**
     * {@code g * (x > 0)} as one fused kernel: relu's backward. It is linear in g and its mask is constant
     * in x (zero derivative almost everywhere), so its own rule is itself applied to the incoming gradient.
     */
    static Variable reluGrad(Variable g, Variable x) {
        return node("reluGrad", ActivationGrads.relu(g.value(), x.value()), g).saving(x)
                .backward((out, gg, needs) -> one(reluGrad(gg, x)));
    }

    static Variable gelu(Variable x) {
        // d/dx x Phi(x) = Phi(x) + x phi(x)
        return node("gelu", x.value().gelu(), x).saving(x).backward((out, g, needs) -> {
            Variable cdf = x.mul(SQRT_HALF).erf().add(1).mul(0.5);
            Variable pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
            return one(g.mul(cdf.add(x.mul(pdf))));
        });
    }

    static Variable geluTanh(Variable x) {
        // y = x (1 + tanh u) / 2 with u = c (x + k x^3): y' = (1 + tanh u) / 2 + x (1 - tanh^2 u) c (1 + 3 k x^2) / 2
        return node("geluTanh", x.value().geluTanh(), x).saving(x).backward((out, g, needs) -> {
            Variable th = x.add(x.pow(3).mul(GELU_TANH_CUBIC)).mul(GELU_TANH_SCALE).tanh();
            Variable du = x.square().mul(3 * GELU_TANH_CUBIC).add(1).mul(GELU_TANH_SCALE);
            Variable d = th.add(1).mul(0.5).add(x.mul(th.square().rsub(1)).mul(du).mul(0.5));
            return one(g.mul(d));
        });
    }

    static Variable silu(Variable x) {
        // d/dx x s(x) = s (1 + x (1 - s))
        return node("silu", x.value().silu(), x).saving(x).backward((out, g, needs) -> {
            Variable s = x.sigmoid();
            return one(g.mul(s.mul(x.mul(s.rsub(1)).add(1))));
        });
    }

    static Variable softplus(Variable x, double beta, double threshold) {
        // sigmoid(beta x), and 1 where beta x > threshold (the linear region)
        return node("softplus", x.value().softplus(beta, threshold), x).saving(x).backward((out, g, needs) -> {
            Tensor linear = x.value().mul(beta).gt(threshold);
            return one(g.mul(x.mul(beta).sigmoid().maskedFill(linear, 1)));
        });
    }

    static Variable erf(Variable x) {
        return node("erf", x.value().erf(), x).saving(x)
                .backward((out, g, needs) -> one(g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI))));
    }

    static Variable clamp(Variable x, double min, double max) {
        return node("clamp", x.value().clamp(min, max), x).saving(x).backward((out, g, needs) -> {
            Tensor inside = x.value().ge(min).logicalAnd(x.value().le(max));
            return one(g.mul(mask(inside, g)));
        });
    }

    static Variable pow(Variable x, double e) {
        return node("pow", x.value().pow(e), x).saving(x).backward((out, g, needs) -> {
            if (e == 0) {
                return one(Variable.constant(g.value().zerosLike()));
            }
            return one(g.mul(x.pow(e - 1)).mul(e));
        });
    }

    // ------------------------------------------------------------------ binary

    static Variable add(Variable a, Variable b, double alpha) {
        return node(alpha == -1 ? "sub" : "add", a.value().add(b.value(), alpha), a, b).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? sumTo(g, a.shape()) : null,
                    needs[1] ? sumTo(alpha == 1 ? g : g.mul(alpha), b.shape()) : null});
    }

    static Variable addScalar(Variable x, double s) {
        return node("add", x.value().add(s), x).backward((out, g, needs) -> one(g));
    }

    static Variable mul(Variable a, Variable b) {
        return node("mul", a.value().mul(b.value()), a, b).saving(a, b).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? sumTo(timesGradient(g, b), a.shape()) : null,
                    needs[1] ? sumTo(timesGradient(g, a), b.shape()) : null});
    }

    /**
     * {@code g * other}, or {@code other} itself when g is a constant 1 spread to other's shape and type: what
     * {@code sum}'s rule passes back from a seed of 1, as in the inner product {@code sum(g * v)} of a
     * Hessian-vector product, whose second pass then skips a product and an array the size of every parameter
     * (x * 1 is x, to the bit). The result may share other's storage: the engine adds in place only into
     * gradients it made, and {@code .grad} copies any other.
     */
    static Variable timesGradient(Variable g, Variable other) {
        return isSpreadOne(g, other) ? other : g.mul(other);
    }

    private static boolean isSpreadOne(Variable g, Variable other) {
        Tensor t = g.value();
        if (g.requiresGrad() || t.dtype() != other.value().dtype() || !t.shape().equals(other.shape())
                || t.numel() == 0) {
            return false;
        }
        for (int i = 0; i < t.dim(); i++) {
            if (t.stride(i) != 0 && t.size(i) != 1) {
                return false;
            }
        }
        return t.getDouble(new int[t.dim()]) == 1.0;
    }

    static Variable mulScalar(Variable x, double s) {
        return node("mul", x.value().mul(s), x).backward((out, g, needs) -> one(g.mul(s)));
    }

    static Variable div(Variable a, Variable b) {
        return node("div", a.value().div(b.value()), a, b).saving(a, b).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? sumTo(g.div(b), a.shape()) : null,
                    needs[1] ? sumTo(g.mul(a).div(b.square()).neg(), b.shape()) : null});
    }

    static Variable rdiv(Variable x, double s) {
        return node("rdiv", x.value().rdiv(s), x).saving(x)
                .backward((out, g, needs) -> one(g.div(x.square()).mul(-s)));
    }

    static Variable pow(Variable a, Variable b) {
        return node("pow", a.value().pow(b.value()), a, b).saving(a, b).backward((out, g, needs) -> {
            Variable ga = needs[0] ? sumTo(g.mul(b).mul(a.pow(b.sub(1))), a.shape()) : null;
            Variable gb = null;
            if (needs[1]) {
                // as PyTorch: where a == 0 and b >= 0 the term a^b log a is taken as 0, not 0 * -inf
                Tensor zeroBase = a.value().eq(0).logicalAnd(b.value().ge(0));
                gb = sumTo(g.mul(a.pow(b).mul(a.log()).maskedFill(zeroBase, 0)), b.shape());
            }
            return new Variable[] {ga, gb};
        });
    }

    static Variable rpow(Variable x, double s) {
        return node("rpow", x.value().rpow(s), x).saving(x).backward((out, g, needs) -> {
            if (s == 0) {
                // 0^x: the derivative is taken as 0 where x >= 0, as PyTorch
                Variable d = x.rpow(s).mul(Math.log(s)).maskedFill(x.value().ge(0), 0);
                return one(g.mul(d));
            }
            return one(g.mul(x.rpow(s)).mul(Math.log(s)));
        });
    }

    static Variable maximum(Variable a, Variable b) {
        return extremum("maximum", a, b, a.value().maximum(b.value()), true);
    }

    static Variable minimum(Variable a, Variable b) {
        return extremum("minimum", a, b, a.value().minimum(b.value()), false);
    }

    /** The gradient goes to the larger (smaller) operand, split equally at ties. */
    private static Variable extremum(String op, Variable a, Variable b, Tensor value, boolean max) {
        return node(op, value, a, b).saving(a, b).backward((out, g, needs) -> {
            Tensor wins = max ? a.value().gt(b.value()) : a.value().lt(b.value());
            Tensor toA = wins.cast(g.dtype()).add(a.value().eq(b.value()).cast(g.dtype()).mul(0.5));
            Variable shareA = Variable.constant(toA);
            return new Variable[] {
                needs[0] ? sumTo(g.mul(shareA), a.shape()) : null,
                needs[1] ? sumTo(g.mul(shareA.rsub(1)), b.shape()) : null};
        });
    }

    static Variable lerp(Variable a, Variable end, double w) {
        return node("lerp", a.value().lerp(end.value(), w), a, end).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? sumTo(g.mul(1 - w), a.shape()) : null,
                    needs[1] ? sumTo(g.mul(w), end.shape()) : null});
    }

    static Variable where(Tensor cond, Variable a, Variable b) {
        return node("where", Tensor.where(cond, a.value(), b.value()), a, b).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? sumTo(where(cond, g, 0), a.shape()) : null,
                    needs[1] ? sumTo(where(cond.logicalNot(), g, 0), b.shape()) : null});
    }

    static Variable where(Tensor cond, Variable a, double s) {
        return node("where", Tensor.where(cond, a.value(), s), a)
                .backward((out, g, needs) -> one(sumTo(where(cond, g, 0), a.shape())));
    }

    static Variable maskedFill(Variable x, Tensor mask, double value) {
        return node("maskedFill", x.value().maskedFill(mask, value), x)
                .backward((out, g, needs) -> one(g.maskedFill(mask, 0)));
    }
}
