/*
 * col2im of FLOAT32 convolutions (see NativeConv.java): the twin of ConvColumns.col2im's loops, adding every
 * column entry back into the input position it came from, in the same order (item, tap, output row, column), so
 * that both give the same bits. HotSpot runs the Java add scalar: its source and destination runs sit at two
 * different offsets, which its vectoriser does not align.
 *
 * geometry: c, h, w, kh, kw, oh, ow, strideH, strideW, padH, dilationH, cg, p. Items [start, end) are
 * (sample, channel) pairs of the chunk, sample = item / cg; sample n0 + sample's plane of channel grp * cg + ch
 * starts at dxOff + ((n0 + sample) * c + grp * cg + ch) * h * w. Java checked every index before the call.
 */
#include <jni.h>

static void col2im_items(const float *cols, int ld, float *dx, int dxOff, const jint *g, const jint *firstInside,
                         const jint *endInside, const jint *firstColumn, int n0, int grp, int start, int end) {
    int c = g[0], h = g[1], w = g[2], kh = g[3], kw = g[4], oh = g[5], ow = g[6], strideH = g[7], strideW = g[8];
    int padH = g[9], dilationH = g[10], cg = g[11], p = g[12];
    for (int item = start; item < end; item++) {
        int sample = item / cg;
        int ch = item - sample * cg;
        float *plane = dx + dxOff + ((long) (n0 + sample) * c + grp * cg + ch) * h * w;
        int r = ch * kh * kw;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++, r++) {
                int lo = firstInside[j];
                int len = endInside[j] - lo;
                const float *src = cols + (long) r * ld + (long) sample * p + lo;
                float *dst = plane + firstColumn[j];
                for (int o = 0; o < oh; o++, src += ow) {
                    int ih = o * strideH + i * dilationH - padH;
                    if (ih < 0 || ih >= h || len <= 0) {
                        continue;
                    }
                    float *t = dst + (long) ih * w;
                    if (strideW == 1) {
                        for (int q = 0; q < len; q++) t[q] += src[q];
                    } else {
                        for (int q = 0; q < len; q++) t[(long) q * strideW] += src[q];
                    }
                }
            }
        }
    }
}

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeConv_col2imItems(JNIEnv *env, jclass cls, jfloatArray cols,
        jint ld, jfloatArray dx, jint dxOff, jintArray geometry, jintArray firstInside, jintArray endInside,
        jintArray firstColumn, jint n0, jint grp, jint start, jint end) {
    jint *g = (*env)->GetPrimitiveArrayCritical(env, geometry, NULL);
    jint *fi = (*env)->GetPrimitiveArrayCritical(env, firstInside, NULL);
    jint *ei = (*env)->GetPrimitiveArrayCritical(env, endInside, NULL);
    jint *fc = (*env)->GetPrimitiveArrayCritical(env, firstColumn, NULL);
    float *pc = (*env)->GetPrimitiveArrayCritical(env, cols, NULL);
    float *pd = (*env)->GetPrimitiveArrayCritical(env, dx, NULL);
    if (g != NULL && fi != NULL && ei != NULL && fc != NULL && pc != NULL && pd != NULL) {
        col2im_items(pc, ld, pd, dxOff, g, fi, ei, fc, n0, grp, start, end);
    }
    if (pd != NULL) (*env)->ReleasePrimitiveArrayCritical(env, dx, pd, 0);
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, cols, pc, JNI_ABORT);
    if (fc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, firstColumn, fc, JNI_ABORT);
    if (ei != NULL) (*env)->ReleasePrimitiveArrayCritical(env, endInside, ei, JNI_ABORT);
    if (fi != NULL) (*env)->ReleasePrimitiveArrayCritical(env, firstInside, fi, JNI_ABORT);
    if (g != NULL) (*env)->ReleasePrimitiveArrayCritical(env, geometry, g, JNI_ABORT);
}
