package dev.descent.cuda;

import dev.descent.tensor.Backend;
import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.DType;
import dev.descent.tensor.Device;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.ReduceOp;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.TernaryOp;
import dev.descent.tensor.UnaryOp;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Backend} of CUDA device 0: storages in device memory from a {@link CachingAllocator},
 * matrix products on cuBLAS, and NVRTC-compiled kernels for the rest. Found by {@code ServiceLoader};
 * when no GPU, driver or natives are present the constructor throws with
 * {@link CudaAvailability#reason()}, and {@code Backends} skips it, so nothing fails to load.
 *
 * <p>Implemented: allocate, fromHost, toHost, copy (any dtype conversion), fill, every {@link UnaryOp},
 * every {@link BinaryOp} (also with a scalar), reduce SUM, PROD, MAX and MIN, and matmul (FLOAT32 in full
 * FP32, FLOAT64). Not yet implemented, throwing {@link UnsupportedOperationException} naming the op:
 * ternary, where, reduce ARGMAX and ARGMIN, cumsum, indexSelect, gather, scatterAdd, conv2d and its two
 * gradients, maxPool2d, avgPool2d and their gradients, fusedUpdate, layerNorm and layerNormBackward.
 * {@link #setThreads} has nothing to set: kernels run on the device, and host calls are synchronous.
 */
public final class CudaBackend implements Backend {
    private final Device device = Device.cuda(0);
    private final CudaRuntime runtime;
    private final CachingAllocator allocator;
    private final KernelCache<CUfunc_st> kernels;
    private final CublasGemm gemm;
    private final CudaTransfers transfers;

    /** Connects to device 0; throws {@link IllegalStateException} with the reason when CUDA is unusable. */
    public CudaBackend() {
        if (!CudaAvailability.isAvailable()) {
            throw new IllegalStateException("CUDA backend unavailable: " + CudaAvailability.reason());
        }
        runtime = new CudaRuntime(0);
        runtime.makeCurrent();
        allocator = new CachingAllocator(runtime);
        kernels = new KernelCache<>(Nvrtc::compile, runtime.computeCapability());
        gemm = new CublasGemm();
        transfers = new CudaTransfers(runtime);
    }

    @Override
    public Device device() {
        return device;
    }

    /** The allocator, for its statistics and {@link CachingAllocator#emptyCache()}. */
    public CachingAllocator allocator() {
        return allocator;
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        CudaStorage s = new CudaStorage(device, dtype, size, allocator);
        runtime.zero(s.address(), (long) size * dtype.byteSize());
        return s;
    }

    @Override
    public Storage fromHost(DType dtype, Object array) {
        CudaStorage s = new CudaStorage(device, dtype, java.lang.reflect.Array.getLength(array), allocator);
        transfers.upload(s, array);
        return s;
    }

    @Override
    public Object toHost(Tensor src) {
        CudaStorage s = storage(src, "toHost");
        if (src.isContiguous()) {
            return transfers.download(s, src.offset(), src.numel());
        }
        CudaStorage tmp = new CudaStorage(device, src.dtype(), src.numel(), allocator);
        try {
            copyInto(src, tmp, src.dtype());
            return transfers.download(tmp, 0, src.numel());
        } finally {
            tmp.free();
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        long n = dst.numel();
        if (n == 0) {
            return;
        }
        CUfunc_st f = kernels.get(KernelSources.copy(src.dtype(), dst.dtype()));
        Launcher.launch("copy", f, Launcher.blocksFor(n), storage(src, "copy").address(), layout("copy", src),
                storage(dst, "copy").address(), layout("copy", dst), n);
    }

    @Override
    public void fill(Tensor dst, double value) {
        long n = dst.numel();
        if (n == 0) {
            return;
        }
        CUfunc_st f = kernels.get(KernelSources.fill(dst.dtype()));
        Launcher.launch("fill", f, Launcher.blocksFor(n), storage(dst, "fill").address(), layout("fill", dst), n,
                scalarOf(dst.dtype(), value));
    }

    @Override
    public void unary(UnaryOp op, Tensor in, Tensor out, double p, double q) {
        if (!KernelSources.hasUnary(op)) {
            throw unsupported(op.methodName());
        }
        long n = out.numel();
        if (n == 0) {
            return;
        }
        CUfunc_st f = kernels.get(KernelSources.unary(op, in.dtype()));
        Launcher.launch(op.methodName(), f, Launcher.blocksFor(n), storage(in, op.methodName()).address(),
                layout(op.methodName(), in), storage(out, op.methodName()).address(), layout(op.methodName(), out),
                n, p, q);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double alpha) {
        String name = op.methodName();
        if (!KernelSources.hasBinary(op)) {
            throw unsupported(name);
        }
        launchBinary(op, a.dtype(), storage(a, name).address(), layout(name, a), storage(b, name).address(),
                layout(name, b), out, alpha);
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        String name = op.methodName();
        if (!KernelSources.hasBinary(op)) {
            throw unsupported(name);
        }
        // the scalar becomes a one-element device tensor broadcast to out's shape (all strides 0)
        CudaStorage scalar = (CudaStorage) fromHost(a.dtype(), DeviceScalars.hostArray(a.dtype(), s));
        try {
            byte[] sl = CudaLayout.of(name, out.shape().toArray(), new int[out.dim()], 0);
            long sa = scalar.address();
            long aa = storage(a, name).address();
            byte[] al = layout(name, a);
            if (scalarFirst) {
                launchBinary(op, a.dtype(), sa, sl, aa, al, out, 1.0);
            } else {
                launchBinary(op, a.dtype(), aa, al, sa, sl, out, 1.0);
            }
        } finally {
            scalar.free();
        }
    }

    private void launchBinary(BinaryOp op, DType inType, long a, byte[] la, long b, byte[] lb, Tensor out,
                              double alpha) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        String name = op.methodName();
        CUfunc_st f = kernels.get(KernelSources.binary(op, inType));
        Launcher.launch(name, f, Launcher.blocksFor(n), a, la, b, lb, storage(out, name).address(), layout(name, out),
                n, alpha);
    }

    @Override
    public void reduce(ReduceOp op, Tensor in, int[] axes, Tensor out) {
        String name = "reduce " + op;
        if (!KernelSources.hasReduce(op)) {
            throw unsupported(name);
        }
        long nOut = out.numel();
        if (nOut == 0) {
            return;
        }
        int[] redShape = new int[axes.length];
        int[] redStrides = new int[axes.length];
        long nRed = 1;
        for (int i = 0; i < axes.length; i++) {
            redShape[i] = in.size(axes[i]);
            redStrides[i] = in.stride(axes[i]);
            nRed *= redShape[i];
        }
        byte[] kept = CudaLayout.of(name, out.shape().toArray(), in.stride(), in.offset());
        byte[] red = CudaLayout.of(name, redShape, redStrides, 0);
        CUfunc_st f = kernels.get(KernelSources.reduce(op, in.dtype()));
        int blocks = (int) Math.min(nOut, 1 << 20);
        Launcher.launch(name, f, blocks, storage(in, name).address(), kept, red, storage(out, name).address(out.offset()),
                nOut, nRed);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        new CudaMatmul(this, gemm).run(a, b, out);
    }

    /** A contiguous copy of {@code src} in a new storage of {@code dtype}; the caller frees it. */
    CudaStorage contiguousCopy(Tensor src) {
        CudaStorage tmp = new CudaStorage(device, src.dtype(), src.numel(), allocator);
        copyInto(src, tmp, src.dtype());
        return tmp;
    }

    private void copyInto(Tensor src, CudaStorage dst, DType dtype) {
        long n = src.numel();
        if (n == 0) {
            return;
        }
        int[] shape = src.shape().toArray();
        CUfunc_st f = kernels.get(KernelSources.copy(src.dtype(), dtype));
        Launcher.launch("copy", f, Launcher.blocksFor(n), storage(src, "copy").address(), layout("copy", src),
                dst.address(), CudaLayout.of("copy", shape, src.shape().contiguousStrides(), 0), n);
    }

    static CudaStorage storage(Tensor t, String op) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException(op + ": expected a tensor on cuda, got one on " + t.device());
        }
        return s;
    }

    private static byte[] layout(String op, Tensor t) {
        return CudaLayout.of(op, t.shape().toArray(), t.stride(), t.offset());
    }

    private static Object scalarOf(DType dtype, double v) {
        return switch (dtype) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT64 -> (long) v;
            case BOOL -> (byte) (v != 0 ? 1 : 0);
        };
    }

    private static UnsupportedOperationException unsupported(String op) {
        return new UnsupportedOperationException("cuda: " + op + " is not implemented on the CUDA backend yet");
    }

    @Override
    public void ternary(TernaryOp op, Tensor a, Tensor b, Tensor c, double s, Tensor out) {
        throw unsupported("ternary " + op);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        throw unsupported("where");
    }

    @Override
    public void cumsum(Tensor in, int axis, Tensor out) {
        throw unsupported("cumsum");
    }

    @Override
    public void indexSelect(Tensor in, int axis, Tensor index, Tensor out) {
        throw unsupported("indexSelect");
    }

    @Override
    public void gather(Tensor in, int axis, Tensor index, Tensor out) {
        throw unsupported("gather");
    }

    @Override
    public void scatterAdd(Tensor self, int axis, Tensor index, Tensor src) {
        throw unsupported("scatterAdd");
    }

    @Override
    public void conv2d(ConvSpec spec, Tensor x, Tensor w, Tensor out) {
        throw unsupported("conv2d");
    }

    @Override
    public void conv2dInputGrad(ConvSpec spec, Tensor gradOut, Tensor w, Tensor gradIn) {
        throw unsupported("conv2dInputGrad");
    }

    @Override
    public void conv2dWeightGrad(ConvSpec spec, Tensor x, Tensor gradOut, Tensor gradW) {
        throw unsupported("conv2dWeightGrad");
    }

    @Override
    public void maxPool2d(PoolSpec spec, Tensor x, Tensor out, Tensor indices) {
        throw unsupported("maxPool2d");
    }

    @Override
    public void maxPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor indices, Tensor gradIn) {
        throw unsupported("maxPool2dBackward");
    }

    @Override
    public void avgPool2d(PoolSpec spec, Tensor x, Tensor out) {
        throw unsupported("avgPool2d");
    }

    @Override
    public void avgPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor gradIn) {
        throw unsupported("avgPool2dBackward");
    }

    @Override
    public void setThreads(int threads) {
        // nothing to size: device kernels choose their own parallelism
    }

    @Override
    public void fusedUpdate(FusedRule rule, @Nullable Tensor[] tensors, double[] scalars) {
        throw unsupported("fusedUpdate " + rule);
    }

    @Override
    public void layerNorm(Tensor x, int rows, int cols, @Nullable Tensor weight, @Nullable Tensor bias, double eps, Tensor out,
                          Tensor mean, Tensor rstd) {
        throw unsupported("layerNorm");
    }

    @Override
    public void layerNormBackward(Tensor g, Tensor x, Tensor mean, Tensor rstd, @Nullable Tensor weight, int rows,
                                  int cols, @Nullable Tensor gx, @Nullable Tensor gw, @Nullable Tensor gb) {
        throw unsupported("layerNormBackward");
    }
}
