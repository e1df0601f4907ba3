package dev.descent.cuda;

/** The CUDA C++ source of one kernel and the name of its {@code extern "C"} entry point. */
public record KernelSource(String name, String source) {
}
