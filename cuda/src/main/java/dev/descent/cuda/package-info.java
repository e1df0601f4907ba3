/**
 * The CUDA backend: the {@code Backend} contract on an NVIDIA GPU, with cuBLAS for matrix products,
 * NVRTC-compiled kernels for the other primitives and a caching device allocator. Found through
 * {@code ServiceLoader}, and optional at run time.
 */
@NullMarked
package dev.descent.cuda;

import org.jspecify.annotations.NullMarked;
