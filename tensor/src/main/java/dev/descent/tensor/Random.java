package dev.descent.tensor;

/** Fills host arrays from an {@link Rng} for the random creation functions of {@link Tensor}. */
final class Random {
    private Random() {
    }

    static Tensor uniform(Rng rng, DType dtype, Shape shape) {
        Checks.floatingPoint("rand", dtype);
        int n = shape.numel();
        if (dtype == DType.FLOAT32) {
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = rng.nextFloat();
            }
            return Tensor.wrap(dtype, data, shape);
        }
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = rng.nextDouble();
        }
        return Tensor.wrap(dtype, data, shape);
    }

    static Tensor normal(Rng rng, DType dtype, Shape shape) {
        Checks.floatingPoint("randn", dtype);
        int n = shape.numel();
        Object data = Creation.newArray(dtype, n);
        double[] pair = new double[2];
        for (int i = 0; i < n; i += 2) {
            rng.nextGaussianPair(pair);
            Creation.set(data, dtype, i, pair[0]);
            if (i + 1 < n) {
                Creation.set(data, dtype, i + 1, pair[1]);
            }
        }
        return Tensor.wrap(dtype, data, shape);
    }

    static Tensor integers(Rng rng, long low, long high, Shape shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: empty range [" + low + ", " + high + ")");
        }
        long[] data = new long[shape.numel()];
        long span = high - low;
        for (int i = 0; i < data.length; i++) {
            data[i] = low + rng.nextLong(span);
        }
        return Tensor.wrap(DType.INT64, data, shape);
    }

    static Tensor bernoulli(Rng rng, Tensor probabilities) {
        Checks.floatingPoint("bernoulli", probabilities);
        double[] p = (double[]) Backends.cpu().toHost(probabilities.cast(DType.FLOAT64).to(Device.CPU));
        Object data = Creation.newArray(probabilities.dtype(), p.length);
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("bernoulli: probability " + p[i] + " at flat position " + i
                        + " is outside [0, 1]");
            }
            Creation.set(data, probabilities.dtype(), i, rng.nextDouble() < p[i] ? 1 : 0);
        }
        return Tensor.wrap(probabilities.dtype(), data, probabilities.shape()).to(probabilities.device());
    }

    static Tensor permutation(Rng rng, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be >= 0, got " + n);
        }
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
        return Tensor.wrap(DType.INT64, data, Shape.of(n));
    }
}
