package dev.descent.tensor;

import java.util.Objects;

/**
 * Where a tensor's storage lives. Every tensor has exactly one device, and an operation on tensors of two
 * different devices is an error that names both.
 */
public final class Device {
    /** The kinds of device Descent knows. */
    public enum Kind { CPU, CUDA }

    /** The host: Java arrays, OpenBLAS for GEMM. */
    public static final Device CPU = new Device(Kind.CPU, 0);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /** The CUDA device with the given ordinal. */
    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Device.cuda: index must be >= 0, got " + index);
        }
        return new Device(Kind.CUDA, index);
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
    public static Device parse(String name) {
        String s = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Device.parse: unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
    }

    public Kind kind() {
        return kind;
    }

    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind == kind && d.index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, index);
    }

    /** {@code cpu} or {@code cuda:N}, as PyTorch prints them. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
