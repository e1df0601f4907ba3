/*
 * Descent's bridge from Java arrays to OpenBLAS's GEMM and GEMV (see NativeGemm.java).
 *
 * JavaCPP's array overloads of cblas_sgemm copy every array in and out (Get/Release<T>ArrayElements), and
 * copying into off-heap scratch costs about as much again as the product for the shapes of a small
 * Transformer. Here the arrays are pinned with GetPrimitiveArrayCritical, which on HotSpot hands out the heap
 * address itself, and BLAS reads and writes them in place. Nothing else happens inside the critical region:
 * no JNI call, no allocation, no blocking. The GEMM itself is OpenBLAS's, loaded by JavaCPP; its address is
 * passed in, so this library links against nothing but libc.
 *
 * offsets holds count triples (A's, B's and C's first element), one product per triple.
 */
#include <jni.h>
#include <stdint.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double,
                         double *, int);

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeGemm_sgemm(JNIEnv *env, jclass cls, jlong fn,
        jboolean transA, jboolean transB, jint m, jint n, jint k, jfloatArray a, jint lda, jfloatArray b, jint ldb,
        jfloat beta, jfloatArray c, jint ldc, jintArray offsets, jint count) {
    sgemm_fn gemm = (sgemm_fn) (intptr_t) fn;
    jint *o = (*env)->GetPrimitiveArrayCritical(env, offsets, NULL);
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    float *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (o != NULL && pa != NULL && pb != NULL && pc != NULL) {
        for (jint i = 0; i < count; i++) {
            gemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1.0f, pa + o[3 * i], lda,
                 pb + o[3 * i + 1], ldb, beta, pc + o[3 * i + 2], ldc);
        }
    }
    /* released in reverse order; A, B and the offsets were only read */
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb != NULL) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (o != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, o, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeGemm_dgemm(JNIEnv *env, jclass cls, jlong fn,
        jboolean transA, jboolean transB, jint m, jint n, jint k, jdoubleArray a, jint lda, jdoubleArray b,
        jint ldb, jdouble beta, jdoubleArray c, jint ldc, jintArray offsets, jint count) {
    dgemm_fn gemm = (dgemm_fn) (intptr_t) fn;
    jint *o = (*env)->GetPrimitiveArrayCritical(env, offsets, NULL);
    double *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    double *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    double *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (o != NULL && pa != NULL && pb != NULL && pc != NULL) {
        for (jint i = 0; i < count; i++) {
            gemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1.0, pa + o[3 * i], lda,
                 pb + o[3 * i + 1], ldb, beta, pc + o[3 * i + 2], ldc);
        }
    }
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb != NULL) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (o != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, o, JNI_ABORT);
}

/*
 * Matrix-vector products y = op(A) x (alpha 1, beta 0, y contiguous), one per offsets triple (A's, x's and y's
 * first element): a product with one row or one column, where GEMM would pack a whole operand for nothing.
 */
typedef void (*sgemv_fn)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemv_fn)(int, int, int, int, double, const double *, int, const double *, int, double, double *,
                         int);

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeGemm_sgemv(JNIEnv *env, jclass cls, jlong fn,
        jboolean trans, jint m, jint n, jfloatArray a, jint lda, jfloatArray x, jint incx, jfloatArray y,
        jintArray offsets, jint count) {
    sgemv_fn gemv = (sgemv_fn) (intptr_t) fn;
    jint *o = (*env)->GetPrimitiveArrayCritical(env, offsets, NULL);
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    if (o != NULL && pa != NULL && px != NULL && py != NULL) {
        for (jint i = 0; i < count; i++) {
            gemv(ROW_MAJOR, trans ? TRANS : NO_TRANS, m, n, 1.0f, pa + o[3 * i], lda, px + o[3 * i + 1], incx, 0.0f,
                 py + o[3 * i + 2], 1);
        }
    }
    if (py != NULL) (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (o != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, o, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeGemm_dgemv(JNIEnv *env, jclass cls, jlong fn,
        jboolean trans, jint m, jint n, jdoubleArray a, jint lda, jdoubleArray x, jint incx, jdoubleArray y,
        jintArray offsets, jint count) {
    dgemv_fn gemv = (dgemv_fn) (intptr_t) fn;
    jint *o = (*env)->GetPrimitiveArrayCritical(env, offsets, NULL);
    double *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    double *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    double *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    if (o != NULL && pa != NULL && px != NULL && py != NULL) {
        for (jint i = 0; i < count; i++) {
            gemv(ROW_MAJOR, trans ? TRANS : NO_TRANS, m, n, 1.0, pa + o[3 * i], lda, px + o[3 * i + 1], incx, 0.0,
                 py + o[3 * i + 2], 1);
        }
    }
    if (py != NULL) (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (o != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, o, JNI_ABORT);
}
