package dev.descent.cuda;

import static org.bytedeco.cuda.global.cublas.*;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Row-major batched GEMM on cuBLAS. cuBLAS is column-major, and a row-major {@code C = A B} is the
 * column-major {@code C^T = B^T A^T}, so the operands and M/N are swapped instead of transposing data.
 * The default math mode is kept, so FLOAT32 products use full FP32 arithmetic (no TF32).
 */
final class CublasGemm {
    private final cublasContext handle = new cublasContext();

    CublasGemm() {
        check(cublasCreate_v2(handle), "cublasCreate");
    }

    /**
     * {@code C[i] = A[i] B[i]} for {@code batch} row-major matrices A {@code [m, k]}, B {@code [k, n]}, C
     * {@code [m, n]}, at device addresses a, b, c with batch strides in elements (0 repeats one matrix).
     */
    void gemm(boolean float64, int batch, int m, int n, int k, long a, long strideA, long b, long strideB,
              long c, long strideC) {
        if (float64) {
            DoublePointer one = new DoublePointer(1).put(1.0);
            DoublePointer zero = new DoublePointer(1).put(0.0);
            check(cublasDgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, one,
                    new DoublePointer(CudaRuntime.at(b)), n, strideB, new DoublePointer(CudaRuntime.at(a)), k,
                    strideA, zero, new DoublePointer(CudaRuntime.at(c)), n, strideC, batch),
                    "cublasDgemmStridedBatched");
            one.close();
            zero.close();
        } else {
            FloatPointer one = new FloatPointer(1).put(1f);
            FloatPointer zero = new FloatPointer(1).put(0f);
            check(cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, one,
                    new FloatPointer(CudaRuntime.at(b)), n, strideB, new FloatPointer(CudaRuntime.at(a)), k,
                    strideA, zero, new FloatPointer(CudaRuntime.at(c)), n, strideC, batch),
                    "cublasSgemmStridedBatched");
            one.close();
            zero.close();
        }
    }

    private static void check(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call, status, "cuBLAS status");
        }
    }
}
