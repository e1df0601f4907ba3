/*
 * What NativeLibrary.java asks of the process and the machine: an environment variable set unless it already is
 * (OpenBLAS reads its settings from the environment when it is loaded, and Java cannot set one), and whether the
 * processor runs the library's AVX-512 kernels.
 */
#include <jni.h>
#include <stdlib.h>
#include "descent_small_gemm.h"

JNIEXPORT void JNICALL Java_dev_descent_tensor_cpu_NativeLibrary_setDefaultEnvironment(JNIEnv *env, jclass cls,
        jstring name, jstring value) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    const char *v = n == NULL ? NULL : (*env)->GetStringUTFChars(env, value, NULL);
    if (n != NULL && v != NULL) setenv(n, v, 0);
    if (v != NULL) (*env)->ReleaseStringUTFChars(env, value, v);
    if (n != NULL) (*env)->ReleaseStringUTFChars(env, name, n);
}

JNIEXPORT jboolean JNICALL Java_dev_descent_tensor_cpu_NativeLibrary_avx512(JNIEnv *env, jclass cls) {
    return descent_avx512() ? JNI_TRUE : JNI_FALSE;
}
