/*
 * FLOAT32 convolution one sample at a time (see NativeConvSamples.java): each call runs a range of samples on the
 * calling thread, so that the Java pool can run ranges side by side, each with its own scratch. Per sample and
 * group, the receptive fields are unfolded into cols [kc x ld] (ld: p rounded up to 16 floats, rows 64-byte
 * aligned) and each kernel is one small GEMM (descent_small_gemm.h):
 *
 *   forward      out [og x p]  = W [og x kc] cols, then + bias
 *   input grad   dcols         = W^T [kc x og] dY [og x p], then col2im adds dcols into dx
 *   weight grad  dW^T [kc x og] += cols dY^T [p x og], summed over the range's samples in order
 *
 * geometry: c, h, w, kh, kw, oh, ow, strideH, strideW, padH, dilationH, cg, p (col2im's), then o, og, kc, ld.
 * firstInside / endInside / firstColumn: per kernel column, the output columns whose input column lies inside
 * the image, and the input column of the first. Java checked every index before the call.
 */
#include <jni.h>
#include <stdint.h>
#include <immintrin.h>
#include "descent_small_gemm.h"

typedef struct {
    int c, h, w, kh, kw, oh, ow, strideH, strideW, padH, dilationH, cg, p, o, og, kc, ld;
    const jint *firstInside, *endInside, *firstColumn;
} geometry;

static geometry geometry_of(const jint *g, const jint *fi, const jint *ei, const jint *fc) {
    geometry r = {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
                  g[15], g[16], fi, ei, fc};
    return r;
}

/* The first 64-byte boundary in a scratch array (Java gave 16 floats to spare). */
static float *aligned(float *p) {
    return (float *) (((uintptr_t) p + 63) & ~(uintptr_t) 63);
}


/*
 * cols [kc x ld] of one sample's group of channels, whose first plane is xs; zeros where the field leaves the
 * image. A row of output positions is moved with masked loads and stores: src is placed so that src[q] is the input
 * of output column q, and lanes outside [lo, hi) are never read.
 */
static DESCENT_AVX512 void im2col(const geometry *g, const float *xs, float *cols) {
    for (int ch = 0; ch < g->cg; ch++) {
        const float *plane = xs + (long) ch * g->h * g->w;
        for (int i = 0; i < g->kh; i++) {
            for (int j = 0; j < g->kw; j++) {
                float *dst = cols + (long) ((ch * g->kh + i) * g->kw + j) * g->ld;
                int lo = g->firstInside[j];
                int hi = g->endInside[j];
                __mmask16 valid0 = descent_inside(0, lo, hi);
                __mmask16 store0 = descent_inside(0, 0, g->ow);
                for (int o = 0; o < g->oh; o++, dst += g->ow) {
                    int ih = o * g->strideH + i * g->dilationH - g->padH;
                    int rowInside = ih >= 0 && ih < g->h;
                    if (g->strideW != 1 && rowInside) {
                        const float *src = plane + (long) ih * g->w + g->firstColumn[j];
                        for (int q = 0; q < g->ow; q++) {
                            dst[q] = q >= lo && q < hi ? src[(long) (q - lo) * g->strideW] : 0.0f;
                        }
                        continue;
                    }
                    uintptr_t src = (uintptr_t) (plane + (long) ih * g->w + g->firstColumn[j]) - sizeof(float) * lo;
                    if (g->ow <= 16) { /* one block, its masks computed once per tap */
                        __m512 v = _mm512_maskz_loadu_ps(rowInside ? valid0 : 0, (const float *) src);
                        _mm512_mask_storeu_ps(dst, store0, v);
                        continue;
                    }
                    for (int q = 0; q < g->ow; q += 16) {
                        __mmask16 valid = rowInside ? descent_inside(q, lo, hi) : 0;
                        __m512 v = _mm512_maskz_loadu_ps(valid, (const float *) (src + sizeof(float) * q));
                        _mm512_mask_storeu_ps(dst + q, descent_inside(q, 0, g->ow), v);
                    }
                }
            }
        }
    }
}

/* col2im for a stride other than 1 along the width: descent_col2im_items's loops for one sample. */
static void col2im_strided(const geometry *g, const float *dcols, float *dxs) {
    for (int ch = 0; ch < g->cg; ch++) {
        float *plane = dxs + (long) ch * g->h * g->w;
        for (int i = 0; i < g->kh; i++) {
            for (int j = 0; j < g->kw; j++) {
                const float *src = dcols + (long) ((ch * g->kh + i) * g->kw + j) * g->ld;
                int lo = g->firstInside[j];
                int hi = g->endInside[j];
                for (int o = 0; o < g->oh; o++, src += g->ow) {
                    int ih = o * g->strideH + i * g->dilationH - g->padH;
                    if (ih < 0 || ih >= g->h) {
                        continue;
                    }
                    float *t = plane + (long) ih * g->w + g->firstColumn[j];
                    for (int q = 0; q < hi - lo; q++) t[(long) q * g->strideW] += src[lo + q];
                }
            }
        }
    }
}

/*
 * Adds dcols [kc x ld] of one sample and group into its input-gradient planes (first plane dxs), in the order of
 * descent_col2im_items for every element (tap row i, then column j; one output row per tap), so with the same bits.
 * With stride 1 along the width, each block of 16 input columns is loaded once, takes the adds of all its taps in a
 * register, and is stored once: adding row by row into memory stalled on every load that followed an overlapping
 * store.
 */
static DESCENT_AVX512 void col2im(const geometry *g, const float *dcols, float *dxs) {
    if (g->strideW != 1) {
        col2im_strided(g, dcols, dxs);
        return;
    }
    for (int ch = 0; ch < g->cg; ch++) {
        float *plane = dxs + (long) ch * g->h * g->w;
        for (int ih = 0; ih < g->h; ih++) {
            float *row = plane + (long) ih * g->w;
            for (int q = 0; q < g->w; q += 16) {
                __mmask16 own = descent_inside(q, 0, g->w);
                __m512 acc = _mm512_maskz_loadu_ps(own, row + q);
                for (int i = 0; i < g->kh; i++) {
                    int t = ih + g->padH - i * g->dilationH;
                    if (t < 0 || t % g->strideH != 0 || t / g->strideH >= g->oh) {
                        continue;
                    }
                    int o = t / g->strideH;
                    for (int j = 0; j < g->kw; j++) {
                        int shift = g->firstColumn[j] - g->firstInside[j]; /* input column of output column 0 */
                        __mmask16 valid = descent_inside(q, g->firstColumn[j], g->firstColumn[j] + g->endInside[j]
                                                 - g->firstInside[j]);
                        uintptr_t src = (uintptr_t) (dcols + (long) ((ch * g->kh + i) * g->kw + j) * g->ld
                                                     + (long) o * g->ow) - sizeof(float) * shift;
                        __m512 v = _mm512_maskz_loadu_ps(valid, (const float *) (src + sizeof(float) * q));
                        acc = _mm512_mask_add_ps(acc, valid, acc, v);
                    }
                }
                _mm512_mask_storeu_ps(row + q, own, acc);
            }
        }
    }
}

/* Transposes 16 rows of 16 floats in registers (row i of the result: lane i of every input row). */
static inline __attribute__((always_inline)) DESCENT_AVX512 void transpose16(__m512 *t) {
    __m512 a[16], b[16], c[16];
    for (int i = 0; i < 8; i++) {
        a[2 * i] = _mm512_unpacklo_ps(t[2 * i], t[2 * i + 1]);
        a[2 * i + 1] = _mm512_unpackhi_ps(t[2 * i], t[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        __m512d a0 = _mm512_castps_pd(a[4 * i]), a1 = _mm512_castps_pd(a[4 * i + 1]);
        __m512d a2 = _mm512_castps_pd(a[4 * i + 2]), a3 = _mm512_castps_pd(a[4 * i + 3]);
        b[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, a2));
        b[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, a2));
        b[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, a3));
        b[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, a3));
    }
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 4; j++) {
            c[8 * i + j] = _mm512_shuffle_f32x4(b[8 * i + j], b[8 * i + 4 + j], 0x88);
            c[8 * i + 4 + j] = _mm512_shuffle_f32x4(b[8 * i + j], b[8 * i + 4 + j], 0xdd);
        }
    }
    for (int j = 0; j < 8; j++) {
        t[j] = _mm512_shuffle_f32x4(c[j], c[8 + j], 0x88);
        t[8 + j] = _mm512_shuffle_f32x4(c[j], c[8 + j], 0xdd);
    }
}

/* dst [cols x ldd] = src [rows x lds] transposed, in blocks of 16 x 16 (masked at the edges). */
static DESCENT_AVX512 void transpose(const float *src, long lds, int rows, int cols, float *dst, long ldd) {
    for (int r = 0; r < rows; r += 16) {
        int nr = rows - r < 16 ? rows - r : 16;
        for (int c = 0; c < cols; c += 16) {
            int nc = cols - c < 16 ? cols - c : 16;
            __mmask16 colMask = descent_inside(0, 0, nc);
            __m512 t[16];
            for (int i = 0; i < 16; i++) {
                t[i] = i < nr ? _mm512_maskz_loadu_ps(colMask, src + (r + i) * lds + c) : _mm512_setzero_ps();
            }
            transpose16(t);
            for (int i = 0; i < nc; i++) {
                _mm512_mask_storeu_ps(dst + (c + i) * ldd + r, descent_inside(0, 0, nr), t[i]);
            }
        }
    }
}

static void forward(const geometry *g, const float *x, const float *w, const float *bias, float *out, int n0,
                    int n1, float *scratch) {
    float *cols = aligned(scratch);
    int groups = g->c / g->cg;
    for (int s = n0; s < n1; s++) {
        for (int grp = 0; grp < groups; grp++) {
            im2col(g, x + ((long) s * g->c + (long) grp * g->cg) * g->h * g->w, cols);
            float *y = out + ((long) s * g->o + (long) grp * g->og) * g->p;
            descent_small_gemm(g->og, g->p, g->kc, w + (long) grp * g->og * g->kc, g->kc, cols, g->ld, y, g->p, 0);
            if (bias != NULL) {
                for (int r = 0; r < g->og; r++) {
                    float b = bias[grp * g->og + r];
                    float *row = y + (long) r * g->p;
                    for (int q = 0; q < g->p; q++) row[q] += b;
                }
            }
        }
    }
}

static void input_grad(const geometry *g, const float *dy, const float *wT, float *dx, int dxOff, int n0, int n1,
                       float *scratch) {
    float *dcols = aligned(scratch);
    int groups = g->c / g->cg;
    for (int s = n0; s < n1; s++) {
        for (int grp = 0; grp < groups; grp++) {
            const float *dys = dy + ((long) s * g->o + (long) grp * g->og) * g->p;
            descent_small_gemm(g->kc, g->p, g->og, wT + (long) grp * g->kc * g->og, g->og, dys, g->p, dcols, g->ld, 0);
            col2im(g, dcols, dx + dxOff + ((long) s * g->c + (long) grp * g->cg) * g->h * g->w);
        }
    }
}

static void weight_grad(const geometry *g, const float *x, const float *dy, float *dwT, int n0, int n1,
                        float *scratch) {
    float *cols = aligned(scratch);
    float *dyT = aligned(cols + (long) g->kc * g->ld);
    int groups = g->c / g->cg;
    for (int s = n0; s < n1; s++) {
        for (int grp = 0; grp < groups; grp++) {
            im2col(g, x + ((long) s * g->c + (long) grp * g->cg) * g->h * g->w, cols);
            const float *dys = dy + ((long) s * g->o + (long) grp * g->og) * g->p;
            transpose(dys, g->p, g->og, g->p, dyT, g->og);
            descent_small_gemm(g->kc, g->og, g->p, cols, g->ld, dyT, g->og, dwT + (long) grp * g->kc * g->og, g->og, 1);
        }
    }
}


/* The arrays a call pins: geometry and column tables, then up to five float arrays (NULL ones are skipped). */
typedef struct {
    jintArray arrays[4];
    jint *ints[4];
    jfloatArray floats[5];
    float *data[5];
} pinned;

static int pin(JNIEnv *env, pinned *p) {
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        p->ints[i] = (*env)->GetPrimitiveArrayCritical(env, p->arrays[i], NULL);
        ok &= p->ints[i] != NULL;
    }
    for (int i = 0; i < 5; i++) {
        p->data[i] = p->floats[i] == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, p->floats[i], NULL);
        ok &= p->floats[i] == NULL || p->data[i] != NULL;
    }
    return ok;
}

/* Releases in reverse order; `written` is the index of the float array the call wrote (its contents are kept). */
static void unpin(JNIEnv *env, pinned *p, int written) {
    for (int i = 4; i >= 0; i--) {
        if (p->data[i] != NULL) (*env)->ReleasePrimitiveArrayCritical(env, p->floats[i], p->data[i], i == written ? 0 : JNI_ABORT);
    }
    for (int i = 3; i >= 0; i--) {
        if (p->ints[i] != NULL) (*env)->ReleasePrimitiveArrayCritical(env, p->arrays[i], p->ints[i], JNI_ABORT);
    }
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeConvSamples_forwardSamples(JNIEnv *env, jclass cls,
        jfloatArray x, jint xOff, jfloatArray w, jint wOff, jfloatArray bias, jint bOff, jfloatArray out, jint outOff,
        jintArray geometryArray, jintArray firstInside, jintArray endInside, jintArray firstColumn, jint n0, jint n1,
        jfloatArray scratch) {
    pinned p = {{geometryArray, firstInside, endInside, firstColumn}, {0}, {x, w, bias, out, scratch}, {0}};
    if (pin(env, &p)) {
        geometry g = geometry_of(p.ints[0], p.ints[1], p.ints[2], p.ints[3]);
        forward(&g, p.data[0] + xOff, p.data[1] + wOff, bias == NULL ? NULL : p.data[2] + bOff, p.data[3] + outOff,
                n0, n1, p.data[4]);
    }
    unpin(env, &p, 3);
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeConvSamples_inputGradSamples(JNIEnv *env, jclass cls,
        jfloatArray dy, jint dyOff, jfloatArray wT, jfloatArray dx, jint dxOff, jintArray geometryArray,
        jintArray firstInside, jintArray endInside, jintArray firstColumn, jint n0, jint n1, jfloatArray scratch) {
    pinned p = {{geometryArray, firstInside, endInside, firstColumn}, {0}, {dy, wT, dx, scratch, NULL}, {0}};
    if (pin(env, &p)) {
        geometry g = geometry_of(p.ints[0], p.ints[1], p.ints[2], p.ints[3]);
        input_grad(&g, p.data[0] + dyOff, p.data[1], p.data[2], dxOff, n0, n1, p.data[3]);
    }
    unpin(env, &p, 2);
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeConvSamples_weightGradSamples(JNIEnv *env, jclass cls,
        jfloatArray x, jint xOff, jfloatArray dy, jint dyOff, jfloatArray dwT, jintArray geometryArray,
        jintArray firstInside, jintArray endInside, jintArray firstColumn, jint n0, jint n1, jfloatArray scratch) {
    pinned p = {{geometryArray, firstInside, endInside, firstColumn}, {0}, {x, dy, dwT, scratch, NULL}, {0}};
    if (pin(env, &p)) {
        geometry g = geometry_of(p.ints[0], p.ints[1], p.ints[2], p.ints[3]);
        weight_grad(&g, p.data[0] + xOff, p.data[1] + dyOff, p.data[2], n0, n1, p.data[3]);
    }
    unpin(env, &p, 2);
}
