/*
 * Layer normalisation of FLOAT32 rows, forward and backward (see NativeNorm.java): the twins of
 * FloatNormRows.java, with every float and double operation in the same order, so that both give the same bits.
 * The Java loops copy each row to index 0 first for HotSpot's vectoriser; here the rows are read in place.
 *
 * Row sums: blocks of 64 elements summed in eight float chains (four for the backward's sum and dot), each block
 * added in double, the tail element by element in double. Weight and bias gradients: float sums over blocks of
 * 32 rows (GRAD_ROW_BLOCK), each added into the double totals of the task.
 *
 * Each hot function is compiled twice (target_clones): for AVX2 and for the x86-64 baseline (SSE2), chosen when
 * the library loads. No FMA either way (-ffp-contract=off in build.sh), so both clones round alike.
 */
#include <jni.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRAD_ROW_BLOCK 32
#define CLONES __attribute__((target_clones("avx2", "default")))

CLONES static double row_sum(const float *x, int n) {
    double total = 0;
    int j = 0;
    for (; j + 63 < n; j += 64) {
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int k = j; k < j + 64; k += 8) {
            for (int l = 0; l < 8; l++) {
                s[l] += x[k + l];
            }
        }
        total += ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
    for (; j < n; j++) {
        total += x[j];
    }
    return total;
}

CLONES static double squared_deviations(const float *x, int n, double mu) {
    float m = (float) mu;
    double total = 0;
    int j = 0;
    for (; j + 63 < n; j += 64) {
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int k = j; k < j + 64; k += 8) {
            for (int l = 0; l < 8; l++) {
                float d = x[k + l] - m;
                s[l] += d * d;
            }
        }
        total += ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
    for (; j < n; j++) {
        double d = x[j] - mu;
        total += d * d;
    }
    return total;
}

CLONES static void forward_rows(const float *x, const float *w, const float *b, double eps, int cols, int r0, int r1,
                                float *out, float *mean, float *rstd) {
    for (int r = r0; r < r1; r++) {
        const float *xr = x + (long) r * cols;
        float *o = out + (long) r * cols;
        double mu = row_sum(xr, cols) / cols;
        double inv = 1 / sqrt(squared_deviations(xr, cols, mu) / cols + eps);
        mean[r] = (float) mu;
        rstd[r] = (float) inv;
        float m = (float) mu;
        float s = (float) inv;
        if (w != NULL && b != NULL) {
            for (int j = 0; j < cols; j++) o[j] = (xr[j] - m) * s * w[j] + b[j];
        } else if (w != NULL) {
            for (int j = 0; j < cols; j++) o[j] = (xr[j] - m) * s * w[j];
        } else if (b != NULL) {
            for (int j = 0; j < cols; j++) o[j] = (xr[j] - m) * s + b[j];
        } else {
            for (int j = 0; j < cols; j++) o[j] = (xr[j] - m) * s;
        }
    }
}

/* out[0] = sum of a, out[1] = sum of a * b: blocks of 64 in four float chains of each, added in double. */
CLONES static void sum_and_dot(const float *a, const float *b, int n, double *out) {
    double total = 0;
    double dot = 0;
    int j = 0;
    for (; j + 63 < n; j += 64) {
        float s[4] = {0, 0, 0, 0};
        float d[4] = {0, 0, 0, 0};
        for (int k = j; k < j + 64; k += 4) {
            for (int l = 0; l < 4; l++) {
                s[l] += a[k + l];
                d[l] += a[k + l] * b[k + l];
            }
        }
        total += (s[0] + s[1]) + (s[2] + s[3]);
        dot += (d[0] + d[1]) + (d[2] + d[3]);
    }
    for (; j < n; j++) {
        total += a[j];
        dot += a[j] * (double) b[j];
    }
    out[0] = total;
    out[1] = dot;
}

static void flush(float *block, double *total, int cols) {
    if (block == NULL) {
        return;
    }
    for (int j = 0; j < cols; j++) {
        total[j] += block[j];
        block[j] = 0;
    }
}

/* The affine case of a backward row in one pass: x-hat, g * w, and the row's terms of the weight and bias sums. */
CLONES static void affine_row(const float *restrict xr, const float *restrict gr, const float *restrict w, float m,
                              float s, int cols, float *restrict xhat, float *restrict gh, float *restrict gwBlock,
                              float *restrict gbBlock) {
    for (int j = 0; j < cols; j++) {
        float xh = (xr[j] - m) * s;
        float gj = gr[j];
        xhat[j] = xh;
        gh[j] = gj * w[j];
        gwBlock[j] += gj * xh;
        gbBlock[j] += gj;
    }
}

/*
 * scratch: 4 * cols floats (xhat, gh, and the weight and bias gradient blocks, zeroed by the caller). gx, gwPart
 * and gbPart may each be NULL (not wanted); w may be NULL (no affine weight).
 */
CLONES static void backward_rows(const float *g, const float *x, const float *mean, const float *rstd, const float *w,
                                 int cols, int r0, int r1, float *gx, double *gwPart, double *gbPart, float *scratch) {
    /* restrict: the scratch rows overlap nothing else, so that the loops writing them vectorise without checks
     * (gx may be g itself, an input gradient written over its output gradient row by row, so it is not restrict) */
    float *restrict xhat = scratch;
    float *restrict gh = scratch + cols;
    float *restrict gwBlock = gwPart == NULL ? NULL : scratch + 2 * (long) cols;
    float *restrict gbBlock = gbPart == NULL ? NULL : scratch + 3 * (long) cols;
    double sums[2];
    for (int r = r0; r < r1; r++) {
        const float *gr = g + (long) r * cols;
        const float *xr = x + (long) r * cols;
        const float *ghr = w == NULL ? gr : gh;
        float m = mean[r];
        float s = rstd[r];
        if (w != NULL && gwBlock != NULL && gbBlock != NULL) {
            affine_row(xr, gr, w, m, s, cols, xhat, gh, gwBlock, gbBlock);
        } else {
            for (int j = 0; j < cols; j++) xhat[j] = (xr[j] - m) * s;
            if (w != NULL) {
                for (int j = 0; j < cols; j++) gh[j] = gr[j] * w[j];
            }
            if (gwBlock != NULL) {
                for (int j = 0; j < cols; j++) gwBlock[j] += gr[j] * xhat[j];
            }
            if (gbBlock != NULL) {
                for (int j = 0; j < cols; j++) gbBlock[j] += gr[j];
            }
        }
        if ((r - r0) % GRAD_ROW_BLOCK == GRAD_ROW_BLOCK - 1 || r == r1 - 1) {
            flush(gwBlock, gwPart, cols);
            flush(gbBlock, gbPart, cols);
        }
        if (gx != NULL) {
            sum_and_dot(ghr, xhat, cols, sums);
            float meanA = (float) (sums[0] / cols);
            float meanB = (float) (sums[1] / cols);
            float *o = gx + (long) r * cols;
            for (int j = 0; j < cols; j++) o[j] = s * (ghr[j] - meanA - xhat[j] * meanB);
        }
    }
}

#define PIN(type, array) ((array) == NULL ? NULL : (type *) (*env)->GetPrimitiveArrayCritical(env, (array), NULL))
#define UNPIN(array, pointer, mode) \
    if ((pointer) != NULL) (*env)->ReleasePrimitiveArrayCritical(env, (array), (pointer), (mode))

/* Offsets were checked by NativeNorm; x, w and b start at their offsets, out, mean and rstd at 0. */
JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeNorm_forwardRows(JNIEnv *env, jclass cls, jfloatArray x, jint xo,
        jfloatArray w, jint wo, jfloatArray b, jint bo, jdouble eps, jint cols, jint r0, jint r1, jfloatArray out,
        jfloatArray mean, jfloatArray rstd) {
    float *px = PIN(float, x);
    float *pw = PIN(float, w);
    float *pb = PIN(float, b);
    float *po = PIN(float, out);
    float *pm = PIN(float, mean);
    float *ps = PIN(float, rstd);
    if (px != NULL && (w == NULL || pw != NULL) && (b == NULL || pb != NULL) && po != NULL && pm != NULL
            && ps != NULL) {
        forward_rows(px + xo, pw == NULL ? NULL : pw + wo, pb == NULL ? NULL : pb + bo, eps, cols, r0, r1, po, pm, ps);
    }
    UNPIN(rstd, ps, 0);
    UNPIN(mean, pm, 0);
    UNPIN(out, po, 0);
    UNPIN(b, pb, JNI_ABORT);
    UNPIN(w, pw, JNI_ABORT);
    UNPIN(x, px, JNI_ABORT);
}

/* offsets: g's, x's, mean's, rstd's and w's first element; gx starts at 0. Returns false when out of memory. */
JNIEXPORT jboolean JNICALL Java_dev_descent_tensor_cpu_NativeNorm_backwardRows(JNIEnv *env, jclass cls, jfloatArray g,
        jfloatArray x, jfloatArray mean, jfloatArray rstd, jfloatArray w, jint go, jint xo, jint mo, jint so, jint wo,
        jint cols, jint r0, jint r1, jfloatArray gx, jdoubleArray gwPart, jdoubleArray gbPart) {
    /* allocated before anything is pinned: nothing but the kernel runs inside the critical region */
    float *scratch = calloc(4 * (size_t) (cols > 0 ? cols : 1), sizeof(float));
    if (scratch == NULL) {
        return JNI_FALSE;
    }
    float *pg = PIN(float, g);
    float *px = PIN(float, x);
    float *pm = PIN(float, mean);
    float *ps = PIN(float, rstd);
    float *pw = PIN(float, w);
    float *pgx = PIN(float, gx);
    double *pgw = PIN(double, gwPart);
    double *pgb = PIN(double, gbPart);
    if (pg != NULL && px != NULL && pm != NULL && ps != NULL && (w == NULL || pw != NULL) && (gx == NULL || pgx != NULL)
            && (gwPart == NULL || pgw != NULL) && (gbPart == NULL || pgb != NULL)) {
        backward_rows(pg + go, px + xo, pm + mo, ps + so, pw == NULL ? NULL : pw + wo, cols, r0, r1, pgx, pgw, pgb,
                      scratch);
    }
    UNPIN(gbPart, pgb, 0);
    UNPIN(gwPart, pgw, 0);
    UNPIN(gx, pgx, 0);
    UNPIN(w, pw, JNI_ABORT);
    UNPIN(rstd, ps, JNI_ABORT);
    UNPIN(mean, pm, JNI_ABORT);
    UNPIN(x, px, JNI_ABORT);
    UNPIN(g, pg, JNI_ABORT);
    free(scratch);
    return JNI_TRUE;
}
