/*
 * The small GEMM of descent_small_gemm.h. C is computed in tiles of up to MR rows by NR = 32 columns held in
 * registers (2 x MR accumulators of 16 floats); the panel of B under a tile (K rows of 32 floats) is reused by
 * every row block before the next panel, so it stays in L1 while A streams from L2. Columns past N are masked
 * off in every load and store.
 */
#include <immintrin.h>
#include "descent_small_gemm.h"

#define MR 8
#define NR 32
int descent_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

/*
 * One tile: rows (1 .. MR) x 32 columns of C, m0 / m1 masking each half. The accumulators are named variables (an
 * array of them was kept on the stack by gcc); a tile of fewer rows reads its last row again in place of the
 * missing ones and stores only its own.
 */
#define ROW(r) const float *a##r = a + (long) (r < rows ? r : rows - 1) * lda; \
    __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps(); \
    if (accumulate && r < rows) { \
        c##r##0 = _mm512_maskz_loadu_ps(m0, c + r * ldc); \
        c##r##1 = _mm512_maskz_loadu_ps(m1, c + r * ldc + 16); \
    }
#define STEP(r) { __m512 ar = _mm512_set1_ps(a##r[q]); \
    c##r##0 = _mm512_fmadd_ps(ar, b0, c##r##0); \
    c##r##1 = _mm512_fmadd_ps(ar, b1, c##r##1); }
#define STORE(r) if (r < rows) { \
    _mm512_mask_storeu_ps(c + r * ldc, m0, c##r##0); \
    _mm512_mask_storeu_ps(c + r * ldc + 16, m1, c##r##1); }

static DESCENT_AVX512 void tile(int rows, int k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                        __mmask16 m0, __mmask16 m1, int accumulate) {
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
    for (int q = 0; q < k; q++) {
        const float *bq = b + q * ldb;
        __m512 b0 = _mm512_maskz_loadu_ps(m0, bq);
        __m512 b1 = _mm512_maskz_loadu_ps(m1, bq + 16);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7)
    }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
}

static __mmask16 lanes(int n) {
    return n >= 16 ? (__mmask16) 0xFFFF : n <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << n) - 1);
}

DESCENT_AVX512 void descent_small_gemm(int m, int n, int k, const float *a, long lda, const float *b, long ldb, float *c,
                               long ldc, int accumulate) {
    for (int j = 0; j < n; j += NR) {
        int width = n - j < NR ? n - j : NR;
        __mmask16 m0 = lanes(width);
        __mmask16 m1 = lanes(width - 16);
        for (int i = 0; i < m; i += MR) {
            int rows = m - i < MR ? m - i : MR;
            tile(rows, k, a + i * lda, lda, b + j, ldb, c + i * ldc + j, ldc, m0, m1, accumulate);
        }
    }
}
