#!/usr/bin/env bash
# Regenerates DoubleKernels.java from FloatKernels.java (run from this directory after editing FloatKernels).
set -euo pipefail
sed -e 's/float/double/g; s/Float/Double/g; s/FLOAT32/FLOAT64/g; s/(double) //g; s/0\.5f/0.5/g' \
    -e 's/{@code DoubleKernels} is this file for FLOAT64/{@code FloatKernels} is this file for FLOAT32/' \
    FloatKernels.java > DoubleKernels.java
