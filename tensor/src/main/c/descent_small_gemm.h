/*
 * A single-threaded FLOAT32 GEMM for operands that fit in cache (one sample of a convolution), in AVX-512:
 * C[M x N] = (accumulate ? C : 0) + A[M x K] B[K x N], all row-major with leading dimensions lda, ldb, ldc.
 *
 * Every element of C is one chain of fused multiply-adds in the order k = 0 .. K-1, starting from 0 or from C's
 * old value, so the result does not depend on the blocking: a Java loop of Math.fma in that order gives the same
 * bits (the tests check this).
 */
#ifndef DESCENT_SMALL_GEMM_H
#define DESCENT_SMALL_GEMM_H

#include <immintrin.h>

/* Marks a function compiled for AVX-512F; callers check descent_avx512() first. */
#define DESCENT_AVX512 __attribute__((target("avx512f")))

/* Whether this CPU runs AVX-512F code (this GEMM, the per-sample convolutions, the pooling kernel). */
int descent_avx512(void);

void descent_small_gemm(int m, int n, int k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                        int accumulate);

/* The lanes of a 16-float block at position q that fall in [lo, hi), as a mask. */
static inline __mmask16 descent_inside(int q, int lo, int hi) {
    int a = lo - q < 0 ? 0 : lo - q;
    int b = hi - q > 16 ? 16 : hi - q;
    return b <= a ? 0 : (__mmask16) (((1u << b) - 1) & ~((1u << a) - 1));
}

#endif
