package dev.descent.tensor.cpu;

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
import dev.descent.tensor.Threads;
import dev.descent.tensor.UnaryOp;
import org.jspecify.annotations.Nullable;

/**
 * The CPU backend: Java arrays as storage, OpenBLAS (through JavaCPP) for matrix products, and Java loops
 * for everything else, split across a thread pool when large. Registered with {@link java.util.ServiceLoader}.
 * This class only dispatches on dtype; the kernels live in the classes it names.
 */
public final class CpuBackend implements Backend {

    public CpuBackend() {
        setThreads(Threads.get());
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        Object data = switch (dtype) {
            case FLOAT32 -> new float[size];
            case FLOAT64 -> new double[size];
            case INT64 -> new long[size];
            case BOOL -> new boolean[size];
        };
        return new CpuStorage(dtype, data, size);
    }

    @Override
    public Storage fromHost(DType dtype, Object array) {
        int size = switch (dtype) {
            case FLOAT32 -> ((float[]) array).length;
            case FLOAT64 -> ((double[]) array).length;
            case INT64 -> ((long[]) array).length;
            case BOOL -> ((boolean[]) array).length;
        };
        return new CpuStorage(dtype, array, size);
    }

    @Override
    public Object toHost(Tensor src) {
        return CopyKernels.toHost(src);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CopyKernels.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        CopyKernels.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor in, Tensor out, double p, double q) {
        switch (in.dtype()) {
            case FLOAT32 -> FloatKernels.unary(op, in, out, p, q);
            case FLOAT64 -> DoubleKernels.unary(op, in, out, p, q);
            case INT64 -> LongKernels.unary(op, in, out, p, q);
            case BOOL -> throw new IllegalArgumentException(op.methodName() + ": not defined for BOOL");
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double alpha) {
        switch (a.dtype()) {
            case FLOAT32 -> FloatKernels.binary(op, a, b, out, alpha);
            case FLOAT64 -> DoubleKernels.binary(op, a, b, out, alpha);
            case INT64 -> LongKernels.binary(op, a, b, out, alpha);
            case BOOL -> BoolKernels.binary(op, a, b, out);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        switch (a.dtype()) {
            case FLOAT32 -> FloatKernels.binaryScalar(op, a, s, scalarFirst, out);
            case FLOAT64 -> DoubleKernels.binaryScalar(op, a, s, scalarFirst, out);
            case INT64 -> LongKernels.binaryScalar(op, a, s, scalarFirst, out);
            case BOOL -> BoolKernels.binaryScalar(op, a, s, scalarFirst, out);
        }
    }

    @Override
    public void ternary(TernaryOp op, Tensor a, Tensor b, Tensor c, double s, Tensor out) {
        if (a.dtype() == DType.FLOAT32) {
            FloatKernels.ternary(op, a, b, c, s, out);
        } else {
            DoubleKernels.ternary(op, a, b, c, s, out);
        }
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        CopyKernels.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor in, int[] axes, Tensor out) {
        ReduceKernels.reduce(op, in, axes, out);
    }

    @Override
    public void cumsum(Tensor in, int axis, Tensor out) {
        ReduceKernels.cumsum(in, axis, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        Gemm.matmul(a, b, out);
    }

    @Override
    public void indexSelect(Tensor in, int axis, Tensor index, Tensor out) {
        IndexKernels.indexSelect(in, axis, index, out);
    }

    @Override
    public void gather(Tensor in, int axis, Tensor index, Tensor out) {
        IndexKernels.gather(in, axis, index, out);
    }

    @Override
    public void scatterAdd(Tensor self, int axis, Tensor index, Tensor src) {
        IndexKernels.scatterAdd(self, axis, index, src);
    }

    @Override
    public void conv2d(ConvSpec spec, Tensor x, Tensor w, Tensor out) {
        ConvKernels.forward(spec, x, w, out);
    }

    @Override
    public void conv2dInputGrad(ConvSpec spec, Tensor gradOut, Tensor w, Tensor gradIn) {
        ConvKernels.inputGrad(spec, gradOut, w, gradIn);
    }

    @Override
    public void conv2dWeightGrad(ConvSpec spec, Tensor x, Tensor gradOut, Tensor gradW) {
        ConvKernels.weightGrad(spec, x, gradOut, gradW);
    }

    @Override
    public void maxPool2d(PoolSpec spec, Tensor x, Tensor out, Tensor indices) {
        PoolKernels.maxForward(spec, x, out, indices);
    }

    @Override
    public void maxPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor indices, Tensor gradIn) {
        PoolKernels.maxBackward(spec, gradOut, indices, gradIn);
    }

    @Override
    public void avgPool2d(PoolSpec spec, Tensor x, Tensor out) {
        PoolKernels.avgForward(spec, x, out);
    }

    @Override
    public void avgPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor gradIn) {
        PoolKernels.avgBackward(spec, gradOut, gradIn);
    }

    @Override
    public void fusedUpdate(FusedRule rule, @Nullable Tensor[] tensors, double[] scalars) {
        FusedKernels.run(rule, tensors, scalars);
    }

    @Override
    public void layerNorm(Tensor x, int rows, int cols, @Nullable Tensor weight, @Nullable Tensor bias, double eps, Tensor out, Tensor mean,
                          Tensor rstd) {
        NormKernels.forward(x, rows, cols, weight, bias, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor g, Tensor x, Tensor mean, Tensor rstd, @Nullable Tensor weight, int rows,
                                  int cols, @Nullable Tensor gx, @Nullable Tensor gw, @Nullable Tensor gb) {
        NormKernels.backward(g, x, mean, rstd, weight, rows, cols, gx, gw, gb);
    }

    @Override
    public void reluBackward(Tensor grad, Tensor x, Tensor out) {
        ActivationKernels.reluBackward(grad, x, out);
    }

    @Override
    public void softmaxLastAxis(Tensor x, int cols, boolean log, Tensor out) {
        SoftmaxKernels.forward(x, cols, log, out);
    }

    @Override
    public void softmaxBackwardLastAxis(Tensor y, Tensor g, int cols, boolean log, Tensor out) {
        SoftmaxKernels.backward(y, g, cols, log, out);
    }

    @Override
    public void causalSoftmax(Tensor x, double scale, Tensor out) {
        SoftmaxKernels.causalForward(x, scale, out);
    }

    @Override
    public void causalSoftmaxBackward(Tensor y, Tensor g, double scale, Tensor out) {
        SoftmaxKernels.causalBackward(y, g, scale, out);
    }

    @Override
    public void matmulAddRow(Tensor a, Tensor b, Tensor bias, Tensor out) {
        Gemm.matmulAddRow(a, b, bias, out);
    }

    @Override
    public void conv2dBias(ConvSpec spec, Tensor x, Tensor w, Tensor bias, Tensor out) {
        ConvKernels.forward(spec, x, w, bias, out);
    }

    @Override
    public void setThreads(int threads) {
        Parallel.setThreads(threads);
        Gemm.setThreads(threads);
    }
}
