package dev.descent.optim.eightbit;

import dev.descent.autograd.Variable;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamState;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the 8-bit optimizers share (spec/optimizers.md §13.2): the choice between 8-bit and 32-bit state per
 * parameter (32-bit for tensors with fewer than {@code min_8bit_size} elements and for the parameters named
 * in the full-precision set, bitsandbytes' {@code optim_bits=32} override, as StableEmbedding's weights
 * request, §13.4), and the packed storage of codes described in the package documentation. Group
 * hyperparameters every subclass has: {@code block_size} (256; 2048 is the paper's) and
 * {@code min_8bit_size} (4096).
 */
public abstract class EightBitOptimizer extends Optimizer {
    /** bitsandbytes' {@code min_8bit_size} (§13.2). */
    public static final double MIN_8BIT_SIZE = 4096;

    private final Set<String> fullPrecision;
    private final Map<Variable, String> paramNames = new IdentityHashMap<>();

    /**
     * An optimizer over {@code groups} (missing hyperparameters from {@code defaults}) that keeps 32-bit state
     * for the parameters named in {@code fullPrecision} (§13.2, §13.4).
     */
    protected EightBitOptimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults,
                                Set<String> fullPrecision) {
        super(name, groups, defaults);
        this.fullPrecision = Set.copyOf(fullPrecision);
        for (ParamGroup g : paramGroups()) {
            g.params().forEach((n, p) -> paramNames.put(p, n));
        }
    }

    /** The names of the parameters whose state stays 32-bit whatever their size (§13.4). */
    public Set<String> fullPrecisionParameters() {
        return fullPrecision;
    }

    /**
     * True when {@code p}'s state is (or, before its first step, will be) 8-bit: an existing state decides by
     * its {@code state1} buffer's dtype; otherwise {@code p} is not named in the full-precision set and has at
     * least {@code min_8bit_size} elements (§13.2).
     */
    public boolean isEightBit(ParamGroup g, Variable p) {
        ParamState s = state(p);
        if (s != null && s.buffer("state1") != null) {
            return s.buffer("state1").dtype() == DType.INT64;
        }
        return !fullPrecision.contains(paramNames.get(p)) && p.value().numel() >= g.get("min_8bit_size");
    }

    /** Checks {@code block_size} and {@code min_8bit_size}, naming the value at fault. */
    @Override
    protected void validate(ParamGroup g) {
        BlockwiseQuantization.checkBlockSize(name(), g.get("block_size"));
        if (!(g.get("min_8bit_size") >= 0)) {
            throw new IllegalArgumentException(name() + ": invalid min_8bit_size " + g.get("min_8bit_size")
                    + " (expected 0 <= min_8bit_size)");
        }
    }

    /** Fails unless {@code p} and {@code grad} are FLOAT32 tensors of one shape. */
    protected final void checkFloat32(Variable p, Tensor grad) {
        Tensor theta = p.value();
        if (theta.dtype() != DType.FLOAT32 || grad.dtype() != DType.FLOAT32 || !theta.shape().equals(grad.shape())) {
            throw new IllegalArgumentException(name() + ": parameter '" + paramNames.get(p) + "' and its gradient must"
                    + " be FLOAT32 tensors of one shape, got " + theta.dtype() + " " + theta.shape() + " and "
                    + grad.dtype() + " " + grad.shape());
        }
    }

    /** An 8-bit state's codes: buffer {@code key} (packed, INT64), created as all-zero codes (bitsandbytes' init). */
    protected final Tensor codeBuffer(ParamState s, String key, int n) {
        Tensor t = bufferOrZeros(s, key, DType.INT64, (n + 7) / 8);
        if (t.dtype() != DType.INT64 || t.numel() != (n + 7) / 8) {
            throw new IllegalStateException(name() + ": buffer " + key + " is " + t.dtype() + " " + t.shape()
                    + ", expected INT64 [" + (n + 7) / 8 + "]");
        }
        return t;
    }

    /** An 8-bit state's codes: buffer {@code key} unpacked, created as all-zero codes (bitsandbytes' init). */
    protected final byte[] codes(ParamState s, String key, int n) {
        return BlockwiseQuantization.unpack(codeBuffer(s, key, n).toLongArray(), n);
    }

    /** An 8-bit state's absmax: buffer {@code key} (FLOAT32, one per block), created as zeros (bitsandbytes' init). */
    protected final Tensor absmaxBuffer(ParamState s, String key, int n, int blockSize) {
        int nb = BlockwiseQuantization.blocks(n, blockSize);
        Tensor t = bufferOrZeros(s, key, DType.FLOAT32, nb);
        if (t.dtype() != DType.FLOAT32 || t.numel() != nb) {
            throw new IllegalStateException(name() + ": buffer " + key + " is " + t.dtype() + " " + t.shape()
                    + ", expected FLOAT32 [" + nb + "] for block_size " + blockSize);
        }
        return t;
    }

    /** An 8-bit state's absmax: buffer {@code key} as floats, created as zeros (bitsandbytes' init). */
    protected final float[] absmax(ParamState s, String key, int n, int blockSize) {
        return absmaxBuffer(s, key, n, blockSize).toFloatArray();
    }

    /** A 32-bit state: buffer {@code key}, created as zeros of {@code p}'s shape. */
    protected final Tensor fullBuffer(ParamState s, String key, Tensor theta) {
        Tensor t = s.buffer(key);
        if (t == null) {
            t = Tensor.zeros(DType.FLOAT32, theta.shape().toArray());
            s.buffers().put(key, t);
        }
        if (t.dtype() != DType.FLOAT32 || !t.shape().equals(theta.shape())) {
            throw new IllegalStateException(name() + ": buffer " + key + " is " + t.dtype() + " " + t.shape()
                    + ", expected FLOAT32 " + theta.shape());
        }
        return t;
    }

    /** A 32-bit state: buffer {@code key} as floats, created as zeros of {@code p}'s shape. */
    protected final float[] full(ParamState s, String key, Tensor theta) {
        return fullBuffer(s, key, theta).toFloatArray();
    }

    /** Buffer {@code key}, created as {@code size} zeros of {@code dtype} (without a capturing lambda). */
    private static Tensor bufferOrZeros(ParamState s, String key, DType dtype, int size) {
        Tensor t = s.buffer(key);
        if (t == null) {
            t = Tensor.zeros(dtype, size);
            s.buffers().put(key, t);
        }
        return t;
    }

    /** Stores codes back into buffer {@code key}. */
    protected static void storeCodes(ParamState s, String key, byte[] codes) {
        s.buffer(key).copy_(Tensor.of(BlockwiseQuantization.pack(codes), s.buffer(key).shape().toArray()));
    }

    /** Stores floats back into buffer {@code key}. */
    protected static void storeFloats(ParamState s, String key, float[] values) {
        s.buffer(key).copy_(Tensor.of(values, s.buffer(key).shape().toArray()));
    }

    /** Writes {@code values} into the parameter. */
    protected static void storeParam(Tensor theta, float[] values) {
        theta.copy_(Tensor.of(values, theta.shape().toArray()));
    }
}
