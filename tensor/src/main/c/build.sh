#!/bin/sh
# Compiles the C files beside this script into OUT_DIR/linux-x86_64/libdescent_native.so (NativeLibrary: the
# GEMM bridge, the row kernels, the per-sample convolutions), run by Maven at compile time: build.sh JAVA_HOME OUT_DIR. Without gcc
# or JNI headers, or on another platform, it says so and builds nothing: Descent then runs its Java paths
# (slower, same results).
#
# -ffp-contract=off: no fused multiply-adds, so that the kernels round exactly as their Java twins do (the
# per-sample convolutions' fused multiply-adds are written out as intrinsics, in the order ConvBySampleTest checks).
# -Werror=implicit-function-declaration: a call to an undeclared function would otherwise build, and the library
# would then fail at run time with an undefined symbol that ends the JVM.
java_home="$1"
out="$2/linux-x86_64"
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "descent_native: not Linux x86_64, no native library (Java paths only)"
    exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
    echo "descent_native: WARNING: no gcc, no native library (Java paths only: slower, same results)"
    exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "descent_native: WARNING: no $java_home/include/jni.h, no native library (Java paths only)"
    exit 0
fi
mkdir -p "$out"
rm -f "$out/libdescent_blas.so" # the former name of the library, left by builds before the rename
if ! gcc -O3 -ffp-contract=off -shared -fPIC -Wall -Werror=implicit-function-declaration -I"$java_home/include" -I"$java_home/include/linux" \
        -o "$out/libdescent_native.so" "$here"/*.c; then
    echo "descent_native: WARNING: gcc failed, no native library (Java paths only)"
    rm -f "$out/libdescent_native.so"
fi
exit 0
