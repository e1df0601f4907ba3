package dev.descent.cuda;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

/**
 * {@link CudaBackend#matmul} as one strided-batched cuBLAS call. An operand goes to cuBLAS as it is when
 * its matrices are row-major dense and its batch is either dense or one matrix broadcast (every batch
 * stride 0); any other view is first copied to a contiguous temporary.
 */
final class CudaMatmul {
    private final CudaBackend backend;
    private final CublasGemm gemm;

    CudaMatmul(CudaBackend backend, CublasGemm gemm) {
        this.backend = backend;
        this.gemm = gemm;
    }

    void run(Tensor a, Tensor b, Tensor out) {
        int d = out.dim();
        int m = a.size(d - 2);
        int k = a.size(d - 1);
        int n = b.size(d - 1);
        int batch = out.numel() == 0 ? 0 : out.numel() / (m * n);
        if (batch == 0) {
            return;
        }
        if (k == 0) {
            backend.fill(out, 0);
            return;
        }
        Operand pa = Operand.of(backend, a, "matmul");
        Operand pb = Operand.of(backend, b, "matmul");
        try {
            long c = CudaBackend.storage(out, "matmul").address(out.offset());
            gemm.gemm(a.dtype() == DType.FLOAT64, batch, m, n, k, pa.address, pa.batchStride, pb.address,
                    pb.batchStride, c, (long) m * n);
        } finally {
            pa.release();
            pb.release();
        }
    }

    /** A device address and batch stride cuBLAS can take, and the temporary to free afterwards, if any. */
    private record Operand(long address, long batchStride, CudaStorage temporary) {
        static Operand of(CudaBackend backend, Tensor t, String op) {
            int d = t.dim();
            int rows = t.size(d - 2);
            int cols = t.size(d - 1);
            boolean denseMatrix = (cols == 1 || t.stride(d - 1) == 1) && (rows == 1 || t.stride(d - 2) == cols);
            boolean broadcastBatch = true;
            for (int i = 0; i < d - 2; i++) {
                broadcastBatch &= t.size(i) == 1 || t.stride(i) == 0;
            }
            if (denseMatrix && broadcastBatch) {
                return new Operand(CudaBackend.storage(t, op).address(t.offset()), 0, null);
            }
            if (t.isContiguous()) {
                return new Operand(CudaBackend.storage(t, op).address(t.offset()), (long) rows * cols, null);
            }
            CudaStorage tmp = backend.contiguousCopy(t);
            return new Operand(tmp.address(), (long) rows * cols, tmp);
        }

        void release() {
            if (temporary != null) {
                temporary.free();
            }
        }
    }
}
