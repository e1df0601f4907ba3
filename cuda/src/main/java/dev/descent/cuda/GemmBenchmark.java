package dev.descent.cuda;

import dev.descent.tensor.DType;
import dev.descent.tensor.Device;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * Times {@code Tensor.matmul} of square matrices on the GPU and prints TFLOP/s per size, for the
 * comparison with PyTorch's {@code matmul} on the same GPU. Run by {@code cuda/gpu-run.sh}; arguments:
 * {@code float32|float64} and sizes (default {@code float32 1024 2048 4096 8192}).
 */
public final class GemmBenchmark {
    private GemmBenchmark() {
    }

    /** Prints one line per size: n, median milliseconds per product, TFLOP/s. */
    public static void main(String[] args) {
        if (!CudaAvailability.isAvailable()) {
            System.err.println("GemmBenchmark: " + CudaAvailability.reason());
            System.exit(2);
        }
        DType dtype = args.length > 0 && args[0].equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
        int[] sizes = args.length > 1
                ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024, 2048, 4096, 8192};
        Device gpu = Device.cuda(0);
        System.out.println("n,ms,tflops,dtype=" + dtype.displayName());
        for (int n : sizes) {
            Rng rng = new Rng(n);
            Tensor a = Tensor.randn(rng, dtype, n, n).to(gpu);
            Tensor b = Tensor.randn(rng, dtype, n, n).to(gpu);
            int reps = 20;
            double[] ms = new double[reps];
            for (int r = -3; r < reps; r++) {
                long t0 = System.nanoTime();
                Tensor c = a.matmul(b);
                c.get(0, 0).item(); // a device-to-host copy waits for the product
                long t1 = System.nanoTime();
                ((CudaStorage) c.storage()).free();
                if (r >= 0) {
                    ms[r] = (t1 - t0) / 1e6;
                }
            }
            java.util.Arrays.sort(ms);
            double median = ms[reps / 2];
            System.out.printf("%d,%.3f,%.2f%n", n, median, 2.0 * n * n * n / (median * 1e-3) / 1e12);
        }
    }
}
