#!/bin/sh
# Compiles descent_blas.c into OUT_DIR/linux-x86_64/libdescent_blas.so for NativeGemm (run by Maven at
# compile time: build.sh JAVA_HOME OUT_DIR). Without gcc or JNI headers, or on another platform, it says so
# and builds nothing: Descent then copies GEMM operands through off-heap scratch instead (slower, same results).
java_home="$1"
out="$2/linux-x86_64"
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "descent_blas: not Linux x86_64, no native GEMM bridge (operands will be copied)"
    exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
    echo "descent_blas: WARNING: no gcc, no native GEMM bridge (operands will be copied)"
    exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "descent_blas: WARNING: no $java_home/include/jni.h, no native GEMM bridge (operands will be copied)"
    exit 0
fi
mkdir -p "$out"
if ! gcc -O2 -shared -fPIC -Wall -I"$java_home/include" -I"$java_home/include/linux" \
        -o "$out/libdescent_blas.so" "$here/descent_blas.c"; then
    echo "descent_blas: WARNING: gcc failed, no native GEMM bridge (operands will be copied)"
    rm -f "$out/libdescent_blas.so"
fi
exit 0
