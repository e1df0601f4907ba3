package dev.descent.tensor;

/** Checks, output allocation and backend dispatch for the elementwise operations of {@link Tensor}. */
final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        checkUnary(op, x);
        Tensor out = x.newTensor(x.dtype(), x.shape());
        x.backend().unary(op, x, out, p, q);
        return out;
    }

    static Tensor unaryInPlace(UnaryOp op, Tensor x, double p, double q) {
        checkUnary(op, x);
        Checks.writable(op.methodName() + "_", x);
        x.backend().unary(op, x, x, p, q);
        x.storage().bumpVersion();
        return x;
    }

    private static void checkUnary(UnaryOp op, Tensor x) {
        if (op.floatOnly()) {
            Checks.floatingPoint(op.methodName(), x);
        } else if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op.methodName() + ": not defined for BOOL (shape " + x.shape() + ")");
        }
    }

    static void checkClamp(Tensor x, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        for (double bound : new double[] {min, max}) {
            if (!Double.isInfinite(bound)) {
                Checks.scalarFits("clamp", x, bound);
            }
        }
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b, double alpha) {
        String name = op.methodName();
        checkBinary(name, op, a, b);
        Shape shape = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = a.newTensor(op.resultType(a.dtype()), shape);
        a.backend().binary(op, a.broadcastTo(shape), b.broadcastTo(shape), out, alpha);
        return out;
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor self, Tensor other, double alpha) {
        String name = op.methodName() + "_";
        checkBinary(name, op, self, other);
        Shape shape = Shape.broadcast(name, self.shape(), other.shape());
        if (!shape.equals(self.shape())) {
            throw new IllegalArgumentException(name + ": the result shape " + shape + " of shapes " + self.shape()
                    + " and " + other.shape() + " differs from the shape being written " + self.shape());
        }
        Checks.writable(name, self);
        self.backend().binary(op, self, other.broadcastTo(shape), self, alpha);
        self.storage().bumpVersion();
        return self;
    }

    private static void checkBinary(String name, BinaryOp op, Tensor a, Tensor b) {
        Checks.sameDevice(name, a, b);
        Checks.sameDtype(name, a, b);
        checkAccepts(name, op, a);
    }

    private static void checkAccepts(String name, BinaryOp op, Tensor a) {
        if (!op.accepts(a.dtype())) {
            throw new IllegalArgumentException(name + ": not defined for " + a.dtype() + " (shape " + a.shape() + ")"
                    + (op.kind() == BinaryOp.Kind.FLOAT_ONLY ? "; cast to FLOAT32 or FLOAT64 first" : ""));
        }
    }

    static Tensor scalar(BinaryOp op, Tensor a, double s, boolean scalarFirst) {
        String name = op.methodName();
        checkAccepts(name, op, a);
        checkScalar(name, op, a, s);
        Tensor out = a.newTensor(op.resultType(a.dtype()), a.shape());
        a.backend().binaryScalar(op, a, s, scalarFirst, out);
        return out;
    }

    static Tensor scalarInPlace(BinaryOp op, Tensor self, double s) {
        String name = op.methodName() + "_";
        checkAccepts(name, op, self);
        checkScalar(name, op, self, s);
        Checks.writable(name, self);
        self.backend().binaryScalar(op, self, s, false, self);
        self.storage().bumpVersion();
        return self;
    }

    private static void checkScalar(String name, BinaryOp op, Tensor a, double s) {
        if (op.kind() == BinaryOp.Kind.LOGICAL && s != 0 && s != 1) {
            throw new IllegalArgumentException(name + ": a logical scalar must be 0 or 1, got " + s);
        }
        if (op.kind() != BinaryOp.Kind.COMPARISON) {
            Checks.scalarFits(name, a, s);
        }
    }

    static Tensor ternaryInPlace(TernaryOp op, Tensor self, Tensor b, Tensor c, double s) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT) + "_";
        Checks.sameDevice(name, self, b, c);
        Checks.sameDtype(name, self, b);
        Checks.sameDtype(name, self, c);
        Checks.floatingPoint(name, self);
        Shape shape = Shape.broadcast(name, Shape.broadcast(name, self.shape(), b.shape()), c.shape());
        if (!shape.equals(self.shape())) {
            throw new IllegalArgumentException(name + ": shapes " + b.shape() + " and " + c.shape()
                    + " do not broadcast to the shape being written " + self.shape());
        }
        Checks.writable(name, self);
        self.backend().ternary(op, self, b.broadcastTo(shape), c.broadcastTo(shape), s, self);
        self.storage().bumpVersion();
        return self;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Checks.sameDevice("where", cond, a, b);
        Checks.dtype("where", cond, DType.BOOL);
        Checks.sameDtype("where", a, b);
        Shape shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = a.newTensor(a.dtype(), shape);
        a.backend().where(cond.broadcastTo(shape), a.broadcastTo(shape), b.broadcastTo(shape), out);
        return out;
    }
}
