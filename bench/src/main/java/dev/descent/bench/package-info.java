/**
 * JMH benchmarks of the tensor engine against raw references measured in the same run: {@code Tensor.matmul}
 * against {@code cblas_sgemm} on off-heap memory, elementwise ops against plain {@code float[]} loops, and
 * the convolution and pooling kernels of the {@code cnn} workload (with PyTorch's times beside them when
 * {@code bench/run.sh} finds torch). {@link dev.descent.bench.Report} turns JMH's JSON into the tables of
 * {@code docs/performance.md}. Not part of the test run.
 */
package dev.descent.bench;
