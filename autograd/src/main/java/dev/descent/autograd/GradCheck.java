package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gradient checks as PyTorch's {@code gradcheck} and {@code gradgradcheck}: the Jacobian that backward
 * computes against central differences, element by element, in FLOAT64. An element passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}. The report names the input with the worst
 * element and gives the largest absolute and relative errors over all inputs.
 */
public final class GradCheck {
    /** PyTorch's defaults. */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param passed      every element of every Jacobian within tolerance
     * @param worstInput  the input holding the worst element (by how far it exceeds its tolerance)
     * @param maxAbsError the largest |analytic - numeric| over all inputs
     * @param maxRelError the largest |analytic - numeric| / |numeric| over elements with numeric != 0
     */
    public record Report(boolean passed, String worstInput, double maxAbsError, double maxRelError) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + ": worst element in " + worstInput + ", max abs error "
                    + maxAbsError + ", max rel error " + maxRelError;
        }
    }

    /** {@link #gradcheck(Function, List, double, double, double)} with PyTorch's defaults. */
    public static Report gradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        return gradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks the first derivatives of {@code f} at {@code inputs}. FLOAT64 inputs are differentiated (as
     * parameters); inputs of other dtypes (indices, masks) are passed as constants.
     */
    public static Report gradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs,
                                   double eps, double atol, double rtol) {
        checkDtypes("gradcheck", inputs);
        List<Variable> vars = new ArrayList<>();
        List<Integer> diff = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Tensor t = inputs.get(k);
            boolean isFloat = t.dtype() == DType.FLOAT64;
            vars.add(isFloat ? Variable.parameter(t) : Variable.constant(t));
            if (isFloat) {
                diff.add(k);
            }
        }
        Variable out = f.apply(vars);
        int m = out.numel();
        List<Variable> diffVars = new ArrayList<>();
        for (int k : diff) {
            diffVars.add(vars.get(k));
        }
        // analytic Jacobians, one backward per output element: analytic[k][i][j] = d out_i / d in_k[j]
        double[][][] analytic = new double[diff.size()][m][];
        for (int i = 0; i < m; i++) {
            List<Variable> grads = null;
            if (out.requiresGrad()) {
                double[] e = new double[m];
                e[i] = 1;
                Tensor seed = Tensor.of(e, out.shape().toArray());
                grads = Autograd.grad(List.of(out), diffVars, List.of(seed), true, false, true);
            }
            for (int k = 0; k < diff.size(); k++) {
                Variable g = grads == null ? null : grads.get(k);
                analytic[k][i] = g == null ? new double[diffVars.get(k).numel()] : g.value().toDoubleArray();
            }
        }
        Tolerance tol = new Tolerance(atol, rtol);
        for (int k = 0; k < diff.size(); k++) {
            int index = diff.get(k);
            Tensor x = inputs.get(index);
            double[] base = x.toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double[] plus = evaluate(f, inputs, index, base, j, eps);
                double[] minus = evaluate(f, inputs, index, base, j, -eps);
                for (int i = 0; i < m; i++) {
                    double numeric = (plus[i] - minus[i]) / (2 * eps);
                    tol.add("input " + index + " (shape " + x.shape() + "), element " + j + " of the input, "
                            + "element " + i + " of the output", analytic[k][i][j], numeric);
                }
            }
        }
        return tol.report();
    }

    /** {@link #gradgradcheck(Function, List, double, double, double)} with PyTorch's defaults. */
    public static Report gradgradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        return gradgradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks the second derivatives of {@code f}: {@link #gradcheck} of the vector-Jacobian product
     * {@code (inputs, v) -> grad(f(inputs), inputs, v, createGraph)} with a fixed random {@code v}, which is
     * an input of the checked function too (as in PyTorch).
     */
    public static Report gradgradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs,
                                       double eps, double atol, double rtol) {
        checkDtypes("gradgradcheck", inputs);
        Variable probe;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            List<Variable> constants = new ArrayList<>();
            for (Tensor t : inputs) {
                constants.add(Variable.constant(t));
            }
            probe = f.apply(constants);
        }
        Tensor v = Tensor.randn(new Rng(1234), DType.FLOAT64, probe.shape().toArray());
        int n = inputs.size();
        List<Tensor> all = new ArrayList<>(inputs);
        all.add(v);
        Function<List<Variable>, Variable> vjp = vars -> {
            // runs with recording on even inside the no-grad evaluations of the central differences; there
            // the inputs come as constants and are made leaves again (only their values matter)
            try (Autograd.Scope scope = Autograd.enableGrad()) {
                return vectorJacobian(f, vars.subList(0, n), vars.get(n));
            }
        };
        return gradcheck(vjp, all, eps, atol, rtol);
    }

    /** grad(f(xs), xs, v) with a graph, flattened and concatenated. */
    private static Variable vectorJacobian(Function<List<Variable>, Variable> f, List<Variable> given, Variable v) {
        List<Variable> xs = new ArrayList<>();
        List<Variable> wrt = new ArrayList<>();
        for (Variable x : given) {
            Variable leaf = x.requiresGrad() || x.dtype() != DType.FLOAT64 ? x : Variable.parameter(x.value());
            xs.add(leaf);
            if (leaf.requiresGrad()) {
                wrt.add(leaf);
            }
        }
        Variable out = f.apply(xs);
        if (!out.requiresGrad() || wrt.isEmpty()) {
            return Variable.constant(Tensor.zeros(DType.FLOAT64, 0));
        }
        // <out, v> differentiated with a graph: the gradient is linear in v and differentiable in both
        Variable inner = out.mul(v).sum();
        List<Variable> grads = Autograd.grad(List.of(inner), wrt, null, true, true, true);
        List<Variable> flat = new ArrayList<>();
        for (int k = 0; k < wrt.size(); k++) {
            Variable g = grads.get(k);
            flat.add(g == null ? Variable.constant(Tensor.zeros(DType.FLOAT64, wrt.get(k).numel()))
                    : g.reshape(-1));
        }
        return Variable.cat(flat, 0);
    }

    private static void checkDtypes(String op, List<Tensor> inputs) {
        boolean any = false;
        for (Tensor t : inputs) {
            if (t.dtype() == DType.FLOAT32) {
                throw new IllegalArgumentException(op + ": inputs must be FLOAT64 (central differences in float32 are"
                        + " too coarse), got FLOAT32 of shape " + t.shape());
            }
            any |= t.dtype() == DType.FLOAT64;
        }
        if (!any) {
            throw new IllegalArgumentException(op + ": no FLOAT64 input to differentiate");
        }
    }

    /** f at inputs with element j of input k moved by delta, flattened; recording off. */
    private static double[] evaluate(Function<List<Variable>, Variable> f, List<Tensor> inputs, int k,
                                     double[] base, int j, double delta) {
        double[] moved = base.clone();
        moved[j] += delta;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            List<Variable> vars = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Tensor t = i == k ? Tensor.of(moved, inputs.get(i).shape().toArray()) : inputs.get(i);
                vars.add(Variable.constant(t));
            }
            return f.apply(vars).value().cast(DType.FLOAT64).toDoubleArray();
        }
    }

    /** Running worst errors. */
    private static final class Tolerance {
        private final double atol;
        private final double rtol;
        private double maxAbs;
        private double maxRel;
        private double worstExcess = Double.NEGATIVE_INFINITY;
        private String worst = "no element";
        private boolean passed = true;

        Tolerance(double atol, double rtol) {
            this.atol = atol;
            this.rtol = rtol;
        }

        void add(String where, double analytic, double numeric) {
            double err = Math.abs(analytic - numeric);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, err);
            if (numeric != 0) {
                maxRel = Math.max(maxRel, err / Math.abs(numeric));
            }
            double excess = err - (atol + rtol * Math.abs(numeric));
            if (excess > 0) {
                passed = false;
            }
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = where + " (analytic " + analytic + ", numeric " + numeric + ")";
            }
        }

        Report report() {
            return new Report(passed, worst, maxAbs, maxRel);
        }
    }
}
