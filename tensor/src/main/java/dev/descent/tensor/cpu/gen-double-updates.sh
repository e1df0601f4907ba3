#!/usr/bin/env bash
# Regenerates the Double*Updates.java loops from Float*Updates.java (run from this directory after editing them).
set -euo pipefail
for f in Float*Updates.java; do
    sed -e 's/float/double/g; s/Float/Double/g; s/FLOAT32/FLOAT64/g; s/(double) //g; s/\b\([0-9]\+\)f\b/\1.0/g' \
        -e 's/{@code Double\([A-Za-z]*\)Updates} is this file for FLOAT64/{@code Float\1Updates} is this file for FLOAT32/' \
        "$f" > "Double${f#Float}"
done
