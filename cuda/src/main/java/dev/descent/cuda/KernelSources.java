package dev.descent.cuda;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.DType;
import dev.descent.tensor.ReduceOp;
import dev.descent.tensor.UnaryOp;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the source of each kernel from the templates in {@code dev/descent/cuda/kernels}: a template
 * ({@code unary.cu}, {@code binary.cu}, ...) with {@code ${NAME}}, {@code ${T}} and the op's expression
 * (from {@code unary.properties} and {@code binary.properties}) filled in, after {@code common.cuh}. One
 * kernel per (op, dtype), named so that the name alone identifies the source: the kernel cache's key.
 * Pure Java; nothing here needs a GPU.
 */
public final class KernelSources {
    private static final String DIR = "/dev/descent/cuda/kernels/";
    private static final String COMMON = load("common.cuh");
    private static final Properties UNARY = properties("unary.properties");
    private static final Properties BINARY = properties("binary.properties");

    private KernelSources() {
    }

    /** The C++ type of a dtype's elements on the device. */
    public static String cType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long long";
            case BOOL -> "unsigned char";
        };
    }

    /** Whether a unary op has an expression (so the backend implements it). */
    public static boolean hasUnary(UnaryOp op) {
        return UNARY.containsKey(op.name());
    }

    /** Whether a binary op has an expression (so the backend implements it). */
    public static boolean hasBinary(BinaryOp op) {
        return BINARY.containsKey(op.name());
    }

    /** {@code out = op(in)} for one dtype. */
    public static KernelSource unary(UnaryOp op, DType dtype) {
        String name = "unary_" + lower(op) + "_" + dtype.displayName();
        return build("unary.cu", name, Map.of("T", cType(dtype), "EXPR", expression(UNARY, op.name())));
    }

    /** {@code out = a op b} for inputs of one dtype. */
    public static KernelSource binary(BinaryOp op, DType dtype) {
        String name = "binary_" + lower(op) + "_" + dtype.displayName();
        String t = cType(dtype);
        String expr = expression(BINARY, op.name()).replace("${T}", t);
        return build("binary.cu", name, Map.of("T", t, "OUT", cType(op.resultType(dtype)), "EXPR", expr));
    }

    /** Copies between layouts, converting {@code from} to {@code to} (non-zero is true for BOOL). */
    public static KernelSource copy(DType from, DType to) {
        String name = "copy_" + from.displayName() + "_to_" + to.displayName();
        String convert = to == DType.BOOL ? "(unsigned char) (x != 0)" : "(" + cType(to) + ") x";
        return build("copy.cu", name, Map.of("T", cType(from), "OUT", cType(to), "CONVERT", convert));
    }

    /** Sets every element of a view. */
    public static KernelSource fill(DType dtype) {
        return build("fill.cu", "fill_" + dtype.displayName(), Map.of("T", cType(dtype)));
    }

    /** Whether {@link #reduce} has a kernel for this op. */
    public static boolean hasReduce(ReduceOp op) {
        return op == ReduceOp.SUM || op == ReduceOp.PROD || op == ReduceOp.MAX || op == ReduceOp.MIN;
    }

    /** The dtype a reduction of {@code in} produces: INT64 for sums and products of integers and booleans. */
    public static DType reduceResult(ReduceOp op, DType in) {
        boolean counts = op == ReduceOp.SUM || op == ReduceOp.PROD;
        return counts && !in.isFloatingPoint() ? DType.INT64 : in;
    }

    /** SUM, PROD, MAX or MIN over a set of axes; floats accumulate in double. */
    public static KernelSource reduce(ReduceOp op, DType in) {
        if (!hasReduce(op)) {
            throw new UnsupportedOperationException("cuda: reduce " + op + " has no kernel yet");
        }
        DType outType = reduceResult(op, in);
        String acc = in.isFloatingPoint() ? "double" : "long long";
        String init = switch (op) {
            case SUM -> "0";
            case PROD -> "1";
            case MAX -> in.isFloatingPoint() ? "-(1.0 / 0.0)" : "(-9223372036854775807LL - 1)";
            default -> in.isFloatingPoint() ? "(1.0 / 0.0)" : "9223372036854775807LL";
        };
        String combine = switch (op) {
            case SUM -> "acc + v";
            case PROD -> "acc * v";
            case MAX -> "(acc != acc || acc >= v) ? acc : v";
            default -> "(acc != acc || acc <= v) ? acc : v";
        };
        String name = "reduce_" + lower(op) + "_" + in.displayName();
        return build("reduce.cu", name, Map.of("T", cType(in), "OUT", cType(outType), "ACC", acc,
                "INIT", init, "COMBINE", combine));
    }

    private static KernelSource build(String template, String name, Map<String, String> values) {
        String body = load(template).replace("${NAME}", name);
        for (Map.Entry<String, String> e : values.entrySet()) {
            body = body.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (body.contains("${")) {
            throw new IllegalStateException("KernelSources: unfilled placeholder in " + name + ": " + body);
        }
        return new KernelSource(name, COMMON + "\n" + body);
    }

    private static String expression(Properties table, String op) {
        String expr = table.getProperty(op);
        if (expr == null) {
            throw new UnsupportedOperationException("cuda: no kernel for " + op + " yet");
        }
        return expr;
    }

    private static String lower(Enum<?> op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    private static Properties properties(String file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(load(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static String load(String file) {
        try (InputStream in = KernelSources.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("KernelSources: missing resource " + DIR + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
