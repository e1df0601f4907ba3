package dev.descent.tensor;

import java.util.Locale;

/**
 * Prints tensors the way PyTorch does: nested brackets, one common width per tensor, 4 decimals or
 * scientific notation chosen from the range of values, integers written {@code 1.}, and more than 1000
 * elements abbreviated to the first and last 3 positions of each long dimension. Shape and dtype follow.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        boolean summarize = t.numel() > THRESHOLD;
        boolean[] elided = new boolean[t.dim()];
        Tensor shown = t.to(Device.CPU);
        if (summarize) {
            for (int d = 0; d < t.dim(); d++) {
                if (t.size(d) > 2 * EDGE) {
                    elided[d] = true;
                    shown = Tensor.cat(d, shown.narrow(d, 0, EDGE), shown.narrow(d, t.size(d) - EDGE, EDGE));
                }
            }
        }
        String[] cells = cells(shown);
        int width = 0;
        for (String c : cells) {
            width = Math.max(width, c.length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(cells[0]);
        } else {
            appendBlock(sb, shown.shape().toArray(), elided, cells, width, 0, new int[] {0}, "tensor(".length());
        }
        sb.append(", shape=").append(t.shape()).append(", dtype=").append(t.dtype().displayName());
        if (!t.device().equals(Device.CPU)) {
            sb.append(", device=").append(t.device());
        }
        return sb.append(')').toString();
    }

    private static void appendBlock(StringBuilder sb, int[] dims, boolean[] elided, String[] cells, int width,
                                    int depth, int[] cursor, int indent) {
        sb.append('[');
        int n = dims[depth];
        boolean last = depth == dims.length - 1;
        int perLine = Math.max(1, (LINE_WIDTH - indent - depth - 1) / (width + 2));
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                if (last) {
                    sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + depth + 1) : ", ");
                } else {
                    sb.append(',').append("\n".repeat(dims.length - depth - 1)).append(" ".repeat(indent + depth + 1));
                }
            }
            if (elided[depth] && i == EDGE) {
                // within a row PyTorch pads the ellipsis with one space; between rows it stands alone
                sb.append(last ? " ..., " : "...,\n" + " ".repeat(indent + depth + 1));
            }
            if (last) {
                String c = cells[cursor[0]++];
                sb.append(" ".repeat(width - c.length())).append(c);
            } else {
                appendBlock(sb, dims, elided, cells, width, depth + 1, cursor, indent);
            }
        }
        sb.append(']');
    }

    private static String[] cells(Tensor t) {
        int n = t.numel();
        String[] out = new String[n];
        switch (t.dtype()) {
            case BOOL -> {
                boolean[] v = t.toBooleanArray();
                for (int i = 0; i < n; i++) {
                    out[i] = v[i] ? "True" : "False";
                }
            }
            case INT64 -> {
                long[] v = t.toLongArray();
                for (int i = 0; i < n; i++) {
                    out[i] = Long.toString(v[i]);
                }
            }
            default -> {
                double[] v = t.toDoubleArray();
                String style = floatStyle(v);
                for (int i = 0; i < n; i++) {
                    out[i] = formatFloat(v[i], style);
                }
            }
        }
        return out;
    }

    /** PyTorch's choice: "int" when all finite values are whole, "sci" for wide or extreme ranges, else "fixed". */
    private static String floatStyle(double[] v) {
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        boolean allWhole = true;
        boolean any = false;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                continue;
            }
            allWhole &= x == Math.rint(x);
            if (x != 0) {
                any = true;
                maxAbs = Math.max(maxAbs, Math.abs(x));
                minAbs = Math.min(minAbs, Math.abs(x));
            }
        }
        if (!any) {
            return allWhole ? "int" : "fixed";
        }
        if (allWhole) {
            return maxAbs > 1e8 ? "sci" : "int";
        }
        return maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4 ? "sci" : "fixed";
    }

    private static String formatFloat(double x, String style) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return switch (style) {
            case "int" -> String.format(Locale.ROOT, "%.0f.", x);
            case "sci" -> String.format(Locale.ROOT, "%.4e", x);
            default -> String.format(Locale.ROOT, "%.4f", x);
        };
    }
}
