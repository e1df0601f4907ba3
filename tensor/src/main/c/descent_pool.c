/*
 * Max pooling of FLOAT32 planes with 2 x 2 windows at stride 2 and no padding (see NativePool.java): the twin of
 * MaxPoolTwoByTwo.plane, 16 windows at a time in AVX-512, with the same results to the bit. For each window of
 * a (top left), b, c, d (bottom right): without a NaN, the position is the first of a, b, c, d equal to the maximum
 * (so -0.0 and 0.0 tie, and the first wins); with one, the last NaN's. The value stored is the element at that
 * position itself, so that -0.0 stays -0.0 and a NaN keeps its payload.
 *
 * Planes [p0, p1) of width x (2 outH + rest) floats each, from xo; outputs and indices outH x outW per plane from
 * oo and io. Java checked every index before the call.
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include "descent_small_gemm.h"


static DESCENT_AVX512 void pool_row(const float *top, long width, float *out, jlong *idx, long first, int n) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const float *bottom = top + width;
    for (int q = 0; q < n; q += 16) {
        int count = n - q < 16 ? n - q : 16;
        __mmask16 own = descent_inside(0, 0, count);
        __mmask16 lo = descent_inside(0, 0, 2 * count);      /* input columns 0 .. 15 of this block */
        __mmask16 hi = descent_inside(16, 0, 2 * count);     /* input columns 16 .. 31 */
        const float *t = top + 2 * q, *u = bottom + 2 * q;
        __m512 t0 = _mm512_maskz_loadu_ps(lo, t), t1 = _mm512_maskz_loadu_ps(hi, t + 16);
        __m512 u0 = _mm512_maskz_loadu_ps(lo, u), u1 = _mm512_maskz_loadu_ps(hi, u + 16);
        __m512 a = _mm512_permutex2var_ps(t0, even, t1), b = _mm512_permutex2var_ps(t0, odd, t1);
        __m512 c = _mm512_permutex2var_ps(u0, even, u1), d = _mm512_permutex2var_ps(u0, odd, u1);
        __mmask16 nanA = _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), nanB = _mm512_cmp_ps_mask(b, b, _CMP_UNORD_Q);
        __mmask16 nanC = _mm512_cmp_ps_mask(c, c, _CMP_UNORD_Q), nanD = _mm512_cmp_ps_mask(d, d, _CMP_UNORD_Q);
        __mmask16 nan = nanA | nanB | nanC | nanD;
        /* without NaNs the maximum's value is exact; which of two equal zeros it is does not matter to == */
        __m512 m = _mm512_max_ps(_mm512_max_ps(a, b), _mm512_max_ps(c, d));
        __mmask16 eqA = _mm512_cmp_ps_mask(a, m, _CMP_EQ_OQ), eqB = _mm512_cmp_ps_mask(b, m, _CMP_EQ_OQ);
        __mmask16 eqC = _mm512_cmp_ps_mask(c, m, _CMP_EQ_OQ);
        /* which element: d unless an earlier one equals the maximum; with a NaN, the last NaN */
        __mmask16 pickC = (eqC & ~eqB & ~eqA & ~nan) | (nanC & ~nanD);
        __mmask16 pickB = (eqB & ~eqA & ~nan) | (nanB & ~nanC & ~nanD);
        __mmask16 pickA = (eqA & ~nan) | (nan & ~nanB & ~nanC & ~nanD);
        __m512 v = _mm512_mask_mov_ps(_mm512_mask_mov_ps(_mm512_mask_mov_ps(d, pickC, c), pickB, b), pickA, a);
        /* positions: a at first + 2 (q + lane), b one right, c one down, d both */
        __m512i base = _mm512_add_epi32(_mm512_set1_epi32((int) (first + 2 * q)), _mm512_add_epi32(lane, lane));
        __m512i pos = _mm512_add_epi32(base, _mm512_set1_epi32((int) width + 1));
        pos = _mm512_mask_mov_epi32(pos, pickC, _mm512_add_epi32(base, _mm512_set1_epi32((int) width)));
        pos = _mm512_mask_mov_epi32(pos, pickB, _mm512_add_epi32(base, _mm512_set1_epi32(1)));
        pos = _mm512_mask_mov_epi32(pos, pickA, base);
        _mm512_mask_storeu_ps(out + q, own, v);
        _mm512_mask_storeu_epi64(idx + q, (__mmask8) own, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(pos)));
        _mm512_mask_storeu_epi64(idx + q + 8, (__mmask8) (own >> 8),
                                 _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(pos, 1)));
    }
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativePool_maxTwoByTwoPlanes(JNIEnv *env, jclass cls,
        jfloatArray x, jint xo, jint inPlane, jfloatArray out, jint oo, jlongArray idx, jint io, jint outPlane,
        jint width, jint outH, jint outW, jint p0, jint p1) {
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *po = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    jlong *pi = (*env)->GetPrimitiveArrayCritical(env, idx, NULL);
    if (px != NULL && po != NULL && pi != NULL) {
        for (jint p = p0; p < p1; p++) {
            const float *plane = px + xo + (long) p * inPlane;
            for (jint oh = 0; oh < outH; oh++) {
                long top = 2L * oh * width;
                pool_row(plane + top, width, po + oo + (long) p * outPlane + (long) oh * outW,
                         pi + io + (long) p * outPlane + (long) oh * outW, top, outW);
            }
        }
    }
    if (pi != NULL) (*env)->ReleasePrimitiveArrayCritical(env, idx, pi, 0);
    if (po != NULL) (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
}
