/*
 * Sets an environment variable of this process unless it is already set (NativeLibrary.java): OpenBLAS reads its
 * settings from the environment when it is loaded, and Java cannot set one.
 */
#include <jni.h>
#include <stdlib.h>

JNIEXPORT jboolean JNICALL Java_dev_descent_tensor_cpu_NativeLibrary_setDefaultEnvironment(JNIEnv *env, jclass cls,
        jstring name, jstring value) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    const char *v = n == NULL ? NULL : (*env)->GetStringUTFChars(env, value, NULL);
    int ok = n != NULL && v != NULL && setenv(n, v, 0) == 0;
    if (v != NULL) (*env)->ReleaseStringUTFChars(env, value, v);
    if (n != NULL) (*env)->ReleaseStringUTFChars(env, name, n);
    return ok ? JNI_TRUE : JNI_FALSE;
}
