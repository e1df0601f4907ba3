#!/usr/bin/env bash
# Builds the bench module and runs its JMH benchmarks, then prints the derived tables (GFLOP/s, GB/s,
# ratios; for ConvBenchmark also PyTorch's times when /usr/bin/python3 has torch).
#
#   bench/run.sh [REGEX] [JMH options...]
#
# REGEX selects benchmarks as JMH does (default: all), e.g. Gemm, Elementwise, Conv, 'Gemm.*descent'.
# Further arguments go to JMH, e.g. -p n=256,512 -p threads=2. JMH_OPTS replaces the default run
# settings (fork, warm-up, iterations); SKIP_BUILD=1 skips the Maven build. Results land in
# bench/results/: the JMH JSON, PyTorch's times (if any) and the report (Markdown).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

regex="${1:-.*}"
[[ $# -gt 0 ]] && shift
# settings for a small (2-core) machine: one fork, 3 x 1 s warm-up, 5 x 1 s measurement
jmh_opts=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s"}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "building bench (mvn package -pl bench -am) ..." >&2
    mvn -q -o -DskipTests package -pl bench -am \
        || mvn -q -DskipTests package -pl bench -am
fi

cp="bench/target/classes:bench/target/lib/*"
mkdir -p bench/results
stamp="$(date +%Y%m%d-%H%M%S)"
name="$(echo "$regex" | tr -c 'A-Za-z0-9_-' '_' | sed 's/_*$//')"
json="bench/results/${name:-all}-$stamp.json"

# shellcheck disable=SC2086 # jmh_opts is a list of options
java -cp "$cp" org.openjdk.jmh.Main "$regex" $jmh_opts -bm avgt -tu us -rf json -rff "$json" "$@"

# Runs a PyTorch script with T threads. torch.set_num_threads sizes only PyTorch's own pool: Debian's
# PyTorch does its matrix products in the system BLAS (OpenBLAS when libopenblas0 is installed), whose
# pool is sized by OPENBLAS_NUM_THREADS when the process starts, so both are set here.
torch_threads() {
    OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" /usr/bin/python3 "$2" "$1"
}

# PyTorch's side of ConvBenchmark, with the thread counts JMH ran (-p threads=...), after JMH, never beside it
torch_tsv=""
conv_selected=false
for k in conv1Forward conv1InputGrad conv1WeightGrad pool1Forward pool1Backward \
         conv2Forward conv2InputGrad conv2WeightGrad pool2Forward pool2Backward; do
    [[ "dev.descent.bench.ConvBenchmark.$k" =~ $regex ]] && conv_selected=true
done
if $conv_selected && /usr/bin/python3 -c "import torch" 2>/dev/null; then
    threads="1 2"
    for a in "$@"; do
        [[ $a == threads=* ]] && threads="${a#threads=}" && threads="${threads//,/ }"
    done
    torch_tsv="bench/results/torch_conv-$stamp.tsv"
    echo "PyTorch conv kernels, threads: $threads ..." >&2
    # one process per thread count, with OpenBLAS's own pool sized to match (torch_threads, above)
    for t in $threads; do torch_threads "$t" bench/torch_conv.py; done | tee "$torch_tsv" >&2
fi

# PyTorch's side of AutogradBenchmark, the same way
if [[ "dev.descent.bench.AutogradBenchmark.mlpGrad" =~ $regex || "dev.descent.bench.AutogradBenchmark.mlpHvp" =~ $regex ]] \
        && /usr/bin/python3 -c "import torch" 2>/dev/null; then
    threads="1 2"
    for a in "$@"; do
        [[ $a == threads=* ]] && threads="${a#threads=}" && threads="${threads//,/ }"
    done
    autograd_tsv="bench/results/torch_autograd-$stamp.tsv"
    echo "PyTorch autograd workloads, threads: $threads ..." >&2
    for t in $threads; do torch_threads "$t" bench/torch_autograd.py; done | tee "$autograd_tsv" >&2
    torch_tsv="${torch_tsv:+$torch_tsv }$autograd_tsv"
fi

# PyTorch's side of StepBenchmark (training steps of ../shared/bench/torch_ref.py's models), the same way
steps_selected=false
for k in mlp cnn transformer; do
    [[ "dev.descent.bench.StepBenchmark.$k" =~ $regex ]] && steps_selected=true
done
torch_ref="${TORCH_REF:-$root/../shared/bench/torch_ref.py}"
if $steps_selected && /usr/bin/python3 -c "import torch" 2>/dev/null; then
    if [[ -f "$torch_ref" ]]; then
        threads="1 2"
        for a in "$@"; do
            [[ $a == threads=* ]] && threads="${a#threads=}" && threads="${threads//,/ }"
        done
        steps_tsv="bench/results/torch_steps-$stamp.tsv"
        echo "PyTorch training steps, threads: $threads ..." >&2
        for t in $threads; do TORCH_REF="$torch_ref" torch_threads "$t" bench/torch_steps.py; done | tee "$steps_tsv" >&2
        torch_tsv="${torch_tsv:+$torch_tsv }$steps_tsv"
    else
        echo "no $torch_ref (set TORCH_REF): StepBenchmark's report has Descent's column only" >&2
    fi
fi

# PyTorch's side of OptimizerStepBenchmark.adamStep10M (Adam with foreach off and on), the same way
if [[ "dev.descent.bench.OptimizerStepBenchmark.adamStep10M" =~ $regex ]] \
        && /usr/bin/python3 -c "import torch" 2>/dev/null; then
    threads="1 2"
    for a in "$@"; do
        [[ $a == threads=* ]] && threads="${a#threads=}" && threads="${threads//,/ }"
    done
    optim_tsv="bench/results/torch_optim-$stamp.tsv"
    echo "PyTorch Adam step (adam_step_10M), threads: $threads ..." >&2
    for t in $threads; do torch_threads "$t" bench/torch_optim.py; done | tee "$optim_tsv" >&2
    torch_tsv="${torch_tsv:+$torch_tsv }$optim_tsv"
fi

echo
# shellcheck disable=SC2086 # torch_tsv is a list of files
java -cp "$cp" dev.descent.bench.Report "$json" $torch_tsv | tee "${json%.json}.md"
echo "results: $json${torch_tsv:+, $torch_tsv}, ${json%.json}.md" >&2
