#!/usr/bin/env bash
# Builds what a GPU run needs and runs it there. Needs a linux-x86_64 machine with an NVIDIA driver new
# enough for CUDA 13.1; the CUDA libraries themselves (cudart, NVRTC, cuBLAS) come from the -Pgpu jars.
#
#   cuda/gpu-run.sh build     # on a machine with Maven and network: jars into cuda/target/gpu-run/lib
#                             # (about 385 MB with the natives; cuBLAS from the host toolkit, see pom.xml) and a jlink runtime (~50 MB) into
#                             # cuda/target/gpu-run/jre
#   cuda/gpu-run.sh test      # on the GPU machine: the CUDA contract tests (JUnit console launcher)
#   cuda/gpu-run.sh bench     # on the GPU machine: GEMM TFLOP/s for float32 and float64
#
# Copy cuda/target/gpu-run to the GPU machine if it has no Maven; test and bench use only what is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/target/gpu-run"
mvn_args=(${MVN_ARGS:-})

build() {
  (cd "$root" && mvn -q "${mvn_args[@]}" install -DskipTests -pl tensor,cuda -am)
  (cd "$here" && mvn -q "${mvn_args[@]}" test-compile dependency:copy-dependencies -Pgpu \
      -DincludeScope=test -DoutputDirectory="$out/lib")
  cp "$here"/target/descent-cuda-*.jar "$out/lib/" 2>/dev/null || (cd "$here" && mvn -q "${mvn_args[@]}" jar:jar \
      && cp "$here"/target/descent-cuda-*.jar "$out/lib/")
  rm -rf "$out/test-classes" && cp -r "$here/target/test-classes" "$out/test-classes"
  # the console launcher runs the JUnit tests without Maven on the GPU machine
  (cd "$here" && mvn -q "${mvn_args[@]}" dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.13.4 \
      -DoutputDirectory="$out/tools")
  rm -rf "$out/jre"
  jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.desktop \
      --strip-debug --no-header-files --no-man-pages --output "$out/jre"
  du -sh "$out/lib" "$out/jre"
}

java_bin() {
  if [ -x "$out/jre/bin/java" ]; then echo "$out/jre/bin/java"; else echo java; fi
}

run_tests() {
  "$(java_bin)" -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -jar "$out"/tools/junit-platform-console-standalone-*.jar \
      execute --class-path "$out/test-classes:$out/lib/*" --select-package dev.descent.cuda --details tree
}

run_bench() {
  local cp="$out/lib/*"
  "$(java_bin)" -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$cp" dev.descent.cuda.GemmBenchmark float32 1024 2048 4096 8192
  "$(java_bin)" -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$cp" dev.descent.cuda.GemmBenchmark float64 1024 2048 4096
}

case "${1:-}" in
  build) build ;;
  test) run_tests ;;
  bench) run_bench ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
