/**
 * Measurements that the {@code descent} command prints and that benchmarks can reuse, such as the
 * side-by-side comparison of {@code Tensor.matmul} with the raw BLAS library.
 */
package dev.descent.examples.bench;
