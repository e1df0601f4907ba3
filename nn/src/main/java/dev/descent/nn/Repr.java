package dev.descent.nn;

/** Numbers and flags written as PyTorch's {@code extra_repr} writes them (Python's repr). */
final class Repr {
    private Repr() {
    }

    /** A double as Python prints it: {@code 0.1}, {@code 1.0}, {@code 1e-05}. */
    static String num(double x) {
        String s = Double.toString(x);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exponent = Integer.parseInt(s.substring(e + 1));
        if (exponent > -5 && exponent < 16) {
            return new java.math.BigDecimal(s).toPlainString();
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** {@code True} or {@code False}. */
    static String flag(boolean b) {
        return b ? "True" : "False";
    }

    /** A shape as a Python tuple: {@code (128,)} or {@code (2, 3)}. */
    static String tuple(int... dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return sb.append(")").toString();
    }
}
