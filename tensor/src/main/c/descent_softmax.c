/*
 * Descent's FLOAT32 softmax row kernels (see NativeSoftmax.java): the C twins of FloatSoftmaxRows, bit for bit.
 * Every float and double operation is the Java kernels', in the same order: FloatExp's exponential, 16 double
 * partial sums (element j of a row into sum j mod 16, combined by the same tree), FloatSoftmaxRows.ln (not libm's
 * log, which need not round as Math.log does); -ffp-contract=off, so no multiply-add is fused. The one freedom
 * taken is the order of the row maximum's comparisons, which changes nothing: a row with a NaN is NaN either way,
 * and the sign of a zero maximum reaches no output (x - 0 and x + 0 differ only on zeros, whose exp is 1).
 *
 * Rows go by blocks of 16 elements in vectors of VW lanes (GCC vector extensions). The body at the end of this
 * file is compiled for AVX-512 (16 lanes), AVX2 (8) and baseline SSE2 (4) by including the file into itself
 * under #pragma GCC target (target_clones would leave the inlined helpers lowered for the baseline, their
 * comparisons done lane by lane), and the best that the processor has is chosen when the library loads. Lane i of
 * a block is partial sum i whatever VW: all three give the same bits. Blocks are read whole up to the row's end
 * (lanes past the columns wanted are masked, and 0 in the output), and a block past it is gathered.
 *
 * Arrays are pinned with GetPrimitiveArrayCritical and nothing else happens in the critical region. Java checks
 * every index range before the call (NativeSoftmax). The output may be an input at the same offset (backward
 * writes over g): every block is read before it is written.
 */
#ifndef VW
#include <immintrin.h>
#include <jni.h>
#include <stdint.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
#define SUMS 16 /* elements per block, and double partial sums: element j of a row into sum j mod SUMS */

/* FloatSoftmaxRows.total: t_i = s_i + s_(i+8), u_i = t_i + t_(i+4), (u_0 + u_2) + (u_1 + u_3) */
INLINE double total(const double *s) {
    double t[8];
    for (int i = 0; i < 8; i++) {
        t[i] = s[i] + s[i + 8];
    }
    return ((t[0] + t[4]) + (t[2] + t[6])) + ((t[1] + t[5]) + (t[3] + t[7]));
}

/* FloatSoftmaxRows.ln: fdlibm's logarithm */
INLINE double ln(double x) {
    if (!(x > 0) || x == __builtin_inf()) {
        return x == 0 ? -__builtin_inf() : x > 0 ? x : __builtin_nan("");
    }
    int k = 0;
    if (x < 0x1p-1022) {
        x *= 0x1p54;
        k = -54;
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    k += (int) (bits >> 52) - 1023;
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    double m;
    memcpy(&m, &bits, sizeof m);
    if (m > 1.41421356237309504880) {
        m *= 0.5;
        k++;
    }
    double f = m - 1;
    double hfsq = 0.5 * f * f;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
    double t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01
            + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
    double r = t2 + t1;
    double dk = k;
    return dk * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + dk * 1.90821492927058770002e-10)) - f);
}

/* the number of keys that row r of [lq, lk] score matrices sees */
INLINE long visible(long r, long lq, long lk) {
    return r % lq + 1 < lk ? r % lq + 1 : lk;
}

/* the names in the body, which follow VW and NAME where they are used */
#define NV (SUMS / VW) /* vectors per block */
#define VF NAME(vf)
#define VFU NAME(vfu)
#define VI NAME(vi)
#define VU NAME(vu)
#define VD NAME(vd)
#define BLOCK NAME(block)

/* one instruction set's kernels */
struct kernels {
    void (*forward)(const float *, float *, long, int, long, long);
    void (*backward)(const float *, const float *, float *, long, int, long, long);
    void (*causal_forward)(const float *, float *, long, long, float, long, long);
    void (*causal_backward)(const float *, const float *, float *, long, long, float, long, long);
};

#pragma GCC push_options
#pragma GCC target("avx512f")
#define VW 16
#define NAME(f) f##_avx512
#include "descent_softmax.c" /* this file: the body below, which undefines VW and NAME */
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2")
#define VW 8
#define NAME(f) f##_avx2
#include "descent_softmax.c" /* this file: the body below, which undefines VW and NAME */
#pragma GCC pop_options

#define VW 4
#define NAME(f) f##_sse2
#include "descent_softmax.c" /* this file: the body below, which undefines VW and NAME */

static const struct kernels KERNELS[] = {
    {forward_sse2, backward_sse2, causal_forward_sse2, causal_backward_sse2},
    {forward_avx2, backward_avx2, causal_forward_avx2, causal_backward_avx2},
    {forward_avx512, backward_avx512, causal_forward_avx512, causal_backward_avx512},
};

/* the kernels in use: the processor's best when the library loads, or those that chooseInstructionSet chose */
static struct kernels use;

/* 2: AVX-512, 1: AVX2, 0: baseline; the highest that the processor has at most level */
static int choose(int level) {
    __builtin_cpu_init();
    level = level > 2 ? 2 : level < 0 ? 0 : level;
    if (level == 2 && !__builtin_cpu_supports("avx512f")) {
        level = 1;
    }
    if (level == 1 && !__builtin_cpu_supports("avx2")) {
        level = 0;
    }
    use = KERNELS[level];
    return level;
}

__attribute__((constructor)) static void choose_best(void) {
    choose(2);
}

JNIEXPORT jint JNICALL Java_dev_descent_tensor_cpu_NativeSoftmax_chooseInstructionSet(JNIEnv *env, jclass cls,
        jint level) {
    return choose(level);
}

/* Pins a (input), b (input, may be NULL) and c (output), runs body, releases in reverse order. */
#define PINNED(a, b, c, body) do { \
        float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL); \
        float *pb = b == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, b, NULL); \
        float *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL); \
        if (pa != NULL && (b == NULL || pb != NULL) && pc != NULL) { \
            body; \
        } \
        if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0); \
        if (pb != NULL) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT); \
        if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT); \
    } while (0)

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeSoftmax_forwardRows(JNIEnv *env, jclass cls,
        jfloatArray x, jint xo, jfloatArray out, jint oo, jint cols, jboolean log, jint r0, jint r1) {
    PINNED(x, (jfloatArray) NULL, out, use.forward(pa + xo, pc + oo, cols, log, r0, r1));
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeSoftmax_backwardRows(JNIEnv *env, jclass cls,
        jfloatArray y, jint yo, jfloatArray g, jint go, jfloatArray out, jint oo, jint cols, jboolean log, jint r0,
        jint r1) {
    PINNED(y, g, out, use.backward(pa + yo, pb + go, pc + oo, cols, log, r0, r1));
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeSoftmax_causalForwardRows(JNIEnv *env, jclass cls,
        jfloatArray x, jint xo, jfloatArray out, jint oo, jint lq, jint lk, jfloat scale, jint r0, jint r1) {
    PINNED(x, (jfloatArray) NULL, out, use.causal_forward(pa + xo, pc + oo, lq, lk, scale, r0, r1));
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeSoftmax_causalBackwardRows(JNIEnv *env, jclass cls,
        jfloatArray y, jint yo, jfloatArray g, jint go, jfloatArray out, jint oo, jint lq, jint lk, jfloat scale,
        jint r0, jint r1) {
    PINNED(y, g, out, use.causal_backward(pa + yo, pb + go, pc + oo, lq, lk, scale, r0, r1));
}

#else /* the kernels for vectors of VW lanes, named NAME(...) */

typedef float VF __attribute__((vector_size(VW * 4)));
typedef float VFU __attribute__((vector_size(VW * 4), aligned(4)));
typedef int32_t VI __attribute__((vector_size(VW * 4)));
typedef uint32_t VU __attribute__((vector_size(VW * 4)));
typedef double VD __attribute__((vector_size(VW * 4))); /* VW / 2 doubles */
typedef struct {
    VF v[NV];
} BLOCK;

#if VW == 16
#define LANES {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
#elif VW == 8
#define LANES {0, 1, 2, 3, 4, 5, 6, 7}
#else
#define LANES {0, 1, 2, 3}
#endif

/* the lanes of a where m is set, of b elsewhere */
INLINE VF NAME(pick)(VI m, VF a, VF b) {
    return (VF) (((VI) a & m) | ((VI) b & ~m));
}

/* the lanes of vector c of the block at j whose column is below n */
INLINE VI NAME(live)(long j, int c, long n) {
    return (VI) LANES + (int32_t) (j + c * VW) < (int32_t) n;
}

/* the block at p, n elements of it readable: zeros past them */
INLINE BLOCK NAME(load)(const float *p, long n) {
    BLOCK b;
    if (n >= SUMS) {
        for (int c = 0; c < NV; c++) {
            b.v[c] = *(const VFU *) (p + c * VW);
        }
    } else {
        float t[SUMS] = {0};
        memcpy(t, p, n * sizeof(float));
        memcpy(&b, t, sizeof b);
    }
    return b;
}

/* the first min(n, SUMS) elements of b to p */
INLINE void NAME(store)(float *p, long n, BLOCK b) {
    if (n >= SUMS) {
        for (int c = 0; c < NV; c++) {
            *(VFU *) (p + c * VW) = b.v[c];
        }
    } else {
        memcpy(p, &b, n * sizeof(float));
    }
}

/* FloatExp.exp on each lane: clamp (a NaN passes), Cody-Waite reduction, polynomial, two power-of-two factors */
INLINE VF NAME(exp)(VF x) {
    /* max(lo, x) and min(hi, c) are lo > x ? lo : x and hi < c ? hi : c, whose second operand a NaN keeps */
#if VW == 16
    VF c = (VF) _mm512_min_ps(_mm512_set1_ps(100.0f), _mm512_max_ps(_mm512_set1_ps(-110.0f), (__m512) x));
#elif VW == 8
    VF c = (VF) _mm256_min_ps(_mm256_set1_ps(100.0f), _mm256_max_ps(_mm256_set1_ps(-110.0f), (__m256) x));
#else
    VF c = (VF) _mm_min_ps(_mm_set1_ps(100.0f), _mm_max_ps(_mm_set1_ps(-110.0f), (__m128) x));
#endif
    VF t = c * 1.44269504088896341f + 12582912.0f;
    VF n = t - 12582912.0f;
    VF r = c - n * 0.693359375f - n * -2.12194440e-4f;
    VF p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
            + 1.6666665459e-1f) * r + 5.0000001201e-1f;
    VF e = p * (r * r) + r + 1.0f;
    VI k = (VI) ((VU) t - 0x4B400000u);
    VI h = k >> 1;
    VU f1 = ((VU) h + 127u) << 23;
    VU f2 = (((VU) k - (VU) h + 127u) << 23) & ~(VU) ((VI) ((VU) k + 151u) >> 31);
    return e * (VF) f1 * (VF) f2;
}

/* vector c of a block into the partial sums: lane i to sum c * VW + i (widened by the instructions themselves:
 * GCC splits __builtin_convertvector into narrower conversions) */
INLINE void NAME(add)(VD *s, int c, VF v) {
#if VW == 16
    s[2 * c] += (VD) _mm512_cvtps_pd(_mm512_castps512_ps256((__m512) v));
    s[2 * c + 1] += (VD) _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd((__m512) v), 1)));
#elif VW == 8
    s[2 * c] += (VD) _mm256_cvtps_pd(_mm256_castps256_ps128((__m256) v));
    s[2 * c + 1] += (VD) _mm256_cvtps_pd(_mm256_extractf128_ps((__m256) v, 1));
#else
    s[2 * c] += (VD) _mm_cvtps_pd((__m128) v);
    s[2 * c + 1] += (VD) _mm_cvtps_pd(_mm_movehl_ps((__m128) v, (__m128) v));
#endif
}

INLINE double NAME(total)(const VD *s) {
    double d[SUMS];
    memcpy(d, s, sizeof d);
    return total(d);
}

/* the largest of p[j] * scale, j < n (n >= 1), avail readable; NaNs skipped (a row with one is NaN anyway) */
INLINE float NAME(rowmax)(const float *p, long n, long avail, float scale) {
    VF m[NV];
    for (int c = 0; c < NV; c++) {
        m[c] = (VF) {0} - __builtin_inff();
    }
    for (long j = 0; j < n; j += SUMS) {
        BLOCK b = NAME(load)(p + j, avail - j);
        for (int c = 0; c < NV; c++) {
            VF v = b.v[c] * scale;
            m[c] = NAME(pick)(NAME(live)(j, c, n) & (v > m[c]), v, m[c]);
        }
    }
    float r = m[0][0];
    for (int c = 0; c < NV; c++) {
        for (int i = 0; i < VW; i++) {
            r = m[c][i] > r ? m[c][i] : r;
        }
    }
    return r;
}

/* the sum of the float products a_j b_j, j < n, avail readable */
INLINE double NAME(dot)(const float *a, const float *b, long n, long avail) {
    VD s[2 * NV] = {0};
    for (long j = 0; j < n; j += SUMS) {
        BLOCK x = NAME(load)(a + j, avail - j);
        BLOCK y = NAME(load)(b + j, avail - j);
        for (int c = 0; c < NV; c++) {
            NAME(add)(s, c, NAME(pick)(NAME(live)(j, c, n), x.v[c] * y.v[c], (VF) {0}));
        }
    }
    return NAME(total)(s);
}

/*
 * Softmax (or log-softmax: log) of scale * x over the first n of a row of lk, the rest set to 0: the forward of
 * FloatSoftmaxRows (n = lk, scale 1, whose product changes nothing) and its causal forward (log false).
 */
INLINE void NAME(forward_row)(const float *x, float *o, long n, long lk, float scale, int log) {
    float max = NAME(rowmax)(x, n, lk, scale);
    float shift = log && __builtin_fabsf(max) == __builtin_inff() ? 0.0f : max;
    VD s[2 * NV] = {0};
    for (long j = 0; j < n; j += SUMS) {
        BLOCK b = NAME(load)(x + j, lk - j);
        for (int c = 0; c < NV; c++) {
            b.v[c] = NAME(pick)(NAME(live)(j, c, n), NAME(exp)(b.v[c] * scale - shift), (VF) {0});
            NAME(add)(s, c, b.v[c]);
        }
        if (!log) {
            NAME(store)(o + j, lk - j, b);
        }
    }
    float by = log ? (float) ln(NAME(total)(s)) + shift : (float) NAME(total)(s);
    long j = 0;
    for (; j < n; j += SUMS) {
        BLOCK b = NAME(load)(log ? x + j : o + j, lk - j);
        for (int c = 0; c < NV; c++) {
            b.v[c] = NAME(pick)(NAME(live)(j, c, n), log ? b.v[c] - by : b.v[c] / by, (VF) {0});
        }
        NAME(store)(o + j, lk - j, b);
    }
    if (j < lk) {
        memset(o + j, 0, (lk - j) * sizeof(float));
    }
}

/*
 * Over the first n of a row of lk, the rest set to 0: y (g - sum(g y)) scale, or g - exp(y) sum(g) (log): the
 * backward of FloatSoftmaxRows (n = lk, scale 1) and its causal backward (log false).
 */
INLINE void NAME(backward_row)(const float *y, const float *g, float *o, long n, long lk, float scale, int log) {
    float s;
    if (log) {
        VD sums[2 * NV] = {0};
        for (long j = 0; j < n; j += SUMS) {
            BLOCK b = NAME(load)(g + j, lk - j);
            for (int c = 0; c < NV; c++) {
                NAME(add)(sums, c, NAME(pick)(NAME(live)(j, c, n), b.v[c], (VF) {0}));
            }
        }
        s = (float) NAME(total)(sums);
    } else {
        s = (float) NAME(dot)(g, y, n, lk);
    }
    long j = 0;
    for (; j < n; j += SUMS) {
        BLOCK gb = NAME(load)(g + j, lk - j);
        BLOCK yb = NAME(load)(y + j, lk - j);
        for (int c = 0; c < NV; c++) {
            VF v = log ? gb.v[c] - NAME(exp)(yb.v[c]) * s : yb.v[c] * (gb.v[c] - s) * scale;
            gb.v[c] = NAME(pick)(NAME(live)(j, c, n), v, (VF) {0});
        }
        NAME(store)(o + j, lk - j, gb);
    }
    if (j < lk) {
        memset(o + j, 0, (lk - j) * sizeof(float));
    }
}

/* (the row functions are inlined with log a constant, the branches on it gone) */
static void NAME(forward)(const float *x, float *out, long cols, int log, long r0, long r1) {
    for (long row = r0; row < r1; row++) {
        if (log) {
            NAME(forward_row)(x + row * cols, out + row * cols, cols, cols, 1.0f, 1);
        } else {
            NAME(forward_row)(x + row * cols, out + row * cols, cols, cols, 1.0f, 0);
        }
    }
}

static void NAME(backward)(const float *y, const float *g, float *out, long cols, int log, long r0, long r1) {
    for (long row = r0; row < r1; row++) {
        if (log) {
            NAME(backward_row)(y + row * cols, g + row * cols, out + row * cols, cols, cols, 1.0f, 1);
        } else {
            NAME(backward_row)(y + row * cols, g + row * cols, out + row * cols, cols, cols, 1.0f, 0);
        }
    }
}

static void NAME(causal_forward)(const float *x, float *out, long lq, long lk, float scale, long r0, long r1) {
    for (long row = r0; row < r1; row++) {
        NAME(forward_row)(x + row * lk, out + row * lk, visible(row, lq, lk), lk, scale, 0);
    }
}

static void NAME(causal_backward)(const float *y, const float *g, float *out, long lq, long lk, float scale,
                                  long r0, long r1) {
    for (long row = r0; row < r1; row++) {
        NAME(backward_row)(y + row * lk, g + row * lk, out + row * lk, visible(row, lq, lk), lk, scale, 0);
    }
}

#undef LANES
#undef VW
#undef NAME
#endif
