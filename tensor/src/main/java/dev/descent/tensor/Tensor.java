package dev.descent.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A strided n-dimensional array: a {@link Storage}, a {@link Shape}, strides and an offset. Eager, with no
 * graph (the {@code autograd} module wraps it). Semantics follow NumPy and PyTorch: broadcasting by
 * NumPy's rules, views that share storage, reductions with {@code keepDim}, {@code torch.matmul}'s rules.
 *
 * <p>Operations return new tensors except the in-place ones, whose names end in an underscore
 * ({@code add_}, {@code mul_}, ...) as in PyTorch; these write through the view and allocate nothing.
 * Views ({@link #reshape}, {@link #permute}, {@link #transpose}, {@link #narrow}, {@link #expand}, ...)
 * share storage with their source, so an in-place write through one is seen by the other.
 *
 * <p>Every argument error is an {@link IllegalArgumentException} whose message names the operation and
 * the shapes, dtypes or devices at fault, e.g.
 * {@code matmul: shapes [32, 784] and [512, 784] cannot be multiplied (784 != 512)}. Axes may be
 * negative, counting from the end.
 *
 * <p>This class is the facade: a flat list of documented operations. The work happens in the device's
 * {@link Backend} and in package-private helpers.
 */
public final class Tensor {
    private final Storage storage;
    private final Shape shape;
    private final int[] strides;
    private final int offset;
    private final Backend backend;

    Tensor(Storage storage, Shape shape, int[] strides, int offset, Backend backend) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.backend = backend;
    }

    /** A contiguous tensor adopting {@code data} (a host array of {@code dtype}) on the CPU. */
    static Tensor wrap(DType dtype, Object data, Shape shape) {
        Backend cpu = Backends.cpu();
        return new Tensor(cpu.fromHost(dtype, data), shape, shape.contiguousStrides(), 0, cpu);
    }

    /** A new zero-filled contiguous tensor on {@code backend}. */
    static Tensor allocate(Backend backend, DType dtype, Shape shape) {
        return new Tensor(backend.allocate(dtype, shape.numel()), shape, shape.contiguousStrides(), 0, backend);
    }

    /** A view of this tensor's storage with another shape, strides and offset. */
    Tensor view(Shape newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newShape, newStrides, newOffset, backend);
    }

    /** A zero-filled tensor of this one's device, with the given dtype and shape. */
    Tensor newTensor(DType dtype, Shape newShape) {
        return allocate(backend, dtype, newShape);
    }

    // ---------------------------------------------------------------- creation

    /** Zeros of the default dtype FLOAT32. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    /** Zeros of {@code dtype}. */
    public static Tensor zeros(DType dtype, int... shape) {
        return allocate(Backends.cpu(), dtype, Shape.of(shape));
    }

    /** Ones of the default dtype FLOAT32. */
    public static Tensor ones(int... shape) {
        return full(DType.FLOAT32, 1, shape);
    }

    /** Ones of {@code dtype}. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    /** A FLOAT32 tensor filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        return full(DType.FLOAT32, value, shape);
    }

    /** A tensor of {@code dtype} filled with {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        return value == 0 ? t : t.fill_(value);
    }

    /** A rank-0 FLOAT32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(DType.FLOAT32, value);
    }

    /** A rank-0 tensor of {@code dtype}. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    /** A 1-D FLOAT32 tensor holding a copy of {@code values}. */
    public static Tensor of(float... values) {
        return wrap(DType.FLOAT32, values.clone(), Shape.of(values.length));
    }

    /** A 1-D FLOAT64 tensor holding a copy of {@code values}. */
    public static Tensor of(double... values) {
        return wrap(DType.FLOAT64, values.clone(), Shape.of(values.length));
    }

    /** A 1-D INT64 tensor holding a copy of {@code values}. */
    public static Tensor of(long... values) {
        return wrap(DType.INT64, values.clone(), Shape.of(values.length));
    }

    /** A 1-D BOOL tensor holding a copy of {@code values}. */
    public static Tensor of(boolean... values) {
        return wrap(DType.BOOL, values.clone(), Shape.of(values.length));
    }

    /**
     * A tensor holding a copy of a rectangular Java array of any rank, e.g. {@code float[][][]}. The dtype
     * follows the element type: float to FLOAT32, double to FLOAT64, long and int to INT64, boolean to BOOL.
     */
    public static Tensor fromArray(Object array) {
        return Creation.fromArray(array);
    }

    /** A FLOAT32 tensor of {@code shape} holding a copy of {@code data} in row-major order. */
    public static Tensor of(float[] data, int... shape) {
        return ofFlat(DType.FLOAT32, data.clone(), data.length, shape);
    }

    /** A FLOAT64 tensor of {@code shape} holding a copy of {@code data} in row-major order. */
    public static Tensor of(double[] data, int... shape) {
        return ofFlat(DType.FLOAT64, data.clone(), data.length, shape);
    }

    /** An INT64 tensor of {@code shape} holding a copy of {@code data} in row-major order. */
    public static Tensor of(long[] data, int... shape) {
        return ofFlat(DType.INT64, data.clone(), data.length, shape);
    }

    private static Tensor ofFlat(DType dtype, Object data, int length, int[] shape) {
        Shape s = Shape.of(shape);
        if (s.numel() != length) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape " + s
                    + " (" + s.numel() + " elements)");
        }
        return wrap(dtype, data, s);
    }

    /** INT64 values {@code 0, 1, ..., end - 1}. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** INT64 values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}. */
    public static Tensor arange(long start, long end, long step) {
        return Creation.arange(DType.INT64, start, end, step);
    }

    /** Values of {@code dtype} from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}. */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        return Creation.arange(dtype, start, end, step);
    }

    /** {@code steps} FLOAT32 values evenly spaced from {@code start} to {@code end}, both included. */
    public static Tensor linspace(double start, double end, int steps) {
        return Creation.linspace(DType.FLOAT32, start, end, steps);
    }

    /** {@code steps} values of {@code dtype} evenly spaced from {@code start} to {@code end}, both included. */
    public static Tensor linspace(DType dtype, double start, double end, int steps) {
        return Creation.linspace(dtype, start, end, steps);
    }

    /** The FLOAT32 identity matrix of size n x n. */
    public static Tensor eye(int n) {
        return Creation.eye(DType.FLOAT32, n, n);
    }

    /** An n x m matrix of {@code dtype} with ones on the main diagonal. */
    public static Tensor eye(DType dtype, int n, int m) {
        return Creation.eye(dtype, n, m);
    }

    /** FLOAT32 values uniform in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return Random.uniform(rng, DType.FLOAT32, Shape.of(shape));
    }

    /** Values of a float {@code dtype} uniform in [0, 1). */
    public static Tensor rand(Rng rng, DType dtype, int... shape) {
        return Random.uniform(rng, dtype, Shape.of(shape));
    }

    /** FLOAT32 standard normal values. */
    public static Tensor randn(Rng rng, int... shape) {
        return Random.normal(rng, DType.FLOAT32, Shape.of(shape));
    }

    /** Standard normal values of a float {@code dtype}. */
    public static Tensor randn(Rng rng, DType dtype, int... shape) {
        return Random.normal(rng, dtype, Shape.of(shape));
    }

    /** INT64 values uniform in [low, high). */
    public static Tensor randint(Rng rng, long low, long high, int... shape) {
        return Random.integers(rng, low, high, Shape.of(shape));
    }

    /** FLOAT32 values that are 1 with probability {@code p}, else 0. */
    public static Tensor bernoulli(Rng rng, double p, int... shape) {
        return Random.bernoulli(rng, full(DType.FLOAT32, p, shape));
    }

    /** Values that are 1 with the probability held in this tensor at the same position, else 0. */
    public Tensor bernoulli(Rng rng) {
        return Random.bernoulli(rng, this);
    }

    /** A uniformly random permutation of {@code 0 .. n-1} (INT64), by Fisher-Yates. */
    public static Tensor randperm(Rng rng, int n) {
        return Random.permutation(rng, n);
    }

    /** Zeros with this tensor's dtype, shape and device. */
    public Tensor zerosLike() {
        return newTensor(dtype(), shape);
    }

    /** Ones with this tensor's dtype, shape and device. */
    public Tensor onesLike() {
        return zerosLike().fill_(1);
    }

    // ---------------------------------------------------------------- properties

    public Shape shape() {
        return shape;
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.rank();
    }

    /** Size of dimension {@code axis}. */
    public int size(int axis) {
        return shape.get(axis);
    }

    /** Number of elements. */
    public int numel() {
        return shape.numel();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return storage.device();
    }

    /** A copy of the strides, in elements. */
    public int[] stride() {
        return strides.clone();
    }

    /** Stride of dimension {@code axis}, in elements. */
    public int stride(int axis) {
        return strides[Shape.normalizeAxis("stride", axis, dim())];
    }

    /** Position of the first element in the storage. */
    public int offset() {
        return offset;
    }

    /** The storage this tensor views. */
    public Storage storage() {
        return storage;
    }

    /** The backend of this tensor's device. */
    public Backend backend() {
        return backend;
    }

    /** True when the elements are laid out densely in row-major order. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = dim() - 1; i >= 0; i--) {
            int size = shape.get(i);
            if (size != 1 && strides[i] != expected) {
                return false;
            }
            expected *= size;
        }
        return true;
    }

    // ---------------------------------------------------------------- host access

    /** The value of a one-element tensor, as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: expects a tensor with one element, got shape " + shape);
        }
        return switch (dtype()) {
            case FLOAT32 -> ((float[]) backend.toHost(this))[0];
            case FLOAT64 -> ((double[]) backend.toHost(this))[0];
            case INT64 -> ((long[]) backend.toHost(this))[0];
            case BOOL -> ((boolean[]) backend.toHost(this))[0] ? 1 : 0;
        };
    }

    /** The element at {@code index} (one position per dimension), as a double. */
    public double getDouble(int... index) {
        return get(index).item();
    }

    /** The element at {@code index} of an INT64 tensor. */
    public long getLong(int... index) {
        Tensor e = get(index);
        Checks.dtype("getLong", e, DType.INT64);
        return ((long[]) backend.toHost(e))[0];
    }

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return (float[]) backend.toHost(cast(DType.FLOAT32));
    }

    /** The elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return (double[]) backend.toHost(cast(DType.FLOAT64));
    }

    /** The elements in row-major order, converted to long (floats truncate toward zero). */
    public long[] toLongArray() {
        return (long[]) backend.toHost(cast(DType.INT64));
    }

    /** The elements in row-major order, converted to boolean (non-zero is true). */
    public boolean[] toBooleanArray() {
        return (boolean[]) backend.toHost(cast(DType.BOOL));
    }

    // ---------------------------------------------------------------- views

    /** The same elements in {@code newShape} (one size may be -1); a view when strides allow, else a copy. */
    public Tensor reshape(int... newShape) {
        int[] dims = Views.inferShape("reshape", shape, newShape);
        int[] viewStrides = Views.viewStrides(shape.toArray(), strides, dims);
        return viewStrides != null ? view(Shape.of(dims), viewStrides, offset) : contiguous().reshape(dims);
    }

    /** As {@link #reshape} but never copies: throws when the strides do not allow a view. */
    public Tensor view(int... newShape) {
        int[] dims = Views.inferShape("view", shape, newShape);
        int[] viewStrides = Views.viewStrides(shape.toArray(), strides, dims);
        if (viewStrides == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + shape + " and strides "
                    + Arrays.toString(strides) + " cannot be viewed as " + Arrays.toString(dims)
                    + " without copying; use reshape");
        }
        return view(Shape.of(dims), viewStrides, offset);
    }

    /** A view with the dimensions reordered: dimension i of the result is dimension {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != dim()) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank "
                    + dim() + " of shape " + shape);
        }
        Checks.normalizeAxes("permute", order, dim()); // rejects repeated axes
        int[] dims = new int[dim()];
        int[] newStrides = new int[dim()];
        for (int i = 0; i < order.length; i++) {
            int a = Shape.normalizeAxis("permute", order[i], dim());
            dims[i] = shape.get(a);
            newStrides[i] = strides[a];
        }
        return view(Shape.of(dims), newStrides, offset);
    }

    /** A view with dimensions {@code a} and {@code b} swapped. */
    public Tensor transpose(int a, int b) {
        int[] order = new int[dim()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int x = Shape.normalizeAxis("transpose", a, dim());
        int y = Shape.normalizeAxis("transpose", b, dim());
        order[x] = y;
        order[y] = x;
        return permute(order);
    }

    /** The transpose of a matrix (a view); a 1-D tensor is returned unchanged, as torch.Tensor.t. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + shape);
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** A view of {@code length} positions of {@code axis} starting at {@code start} (negative: from the end). */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shape.normalizeAxis("narrow", axis, dim());
        int size = shape.get(a);
        int from = start < 0 ? start + size : start; // a negative start counts from the end, as in PyTorch
        if (from < 0 || length < 0 || from + length > size) {
            throw new IllegalArgumentException("narrow: positions [" + start + ", " + (start + length)
                    + ") are out of range for axis " + axis + " of size " + size + " (shape " + shape + ")");
        }
        int[] dims = shape.toArray();
        dims[a] = length;
        return view(Shape.of(dims), strides, offset + (length == 0 ? 0 : from * strides[a]));
    }

    /**
     * A view of positions {@code start, start + step, ...} below {@code end} along {@code axis}, as Python's
     * {@code x[start:end:step]}: negative start and end count from the end, and both are clamped to the size.
     */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shape.normalizeAxis("slice", axis, dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int size = shape.get(a);
        int s = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
        int e = Math.min(Math.max(end < 0 ? end + size : end, s), size);
        int count = (e - s + step - 1) / step;
        int[] dims = shape.toArray();
        dims[a] = count;
        int[] newStrides = strides.clone();
        newStrides[a] = strides[a] * step;
        return view(Shape.of(dims), newStrides, offset + (count == 0 ? 0 : s * strides[a]));
    }

    /** The view at position {@code index} of {@code axis}, with that dimension removed. */
    public Tensor select(int axis, int index) {
        int a = Shape.normalizeAxis("select", axis, dim());
        int size = shape.get(a);
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for axis " + axis
                    + " of size " + size + " (shape " + shape + ")");
        }
        int[] dims = new int[dim() - 1];
        int[] newStrides = new int[dim() - 1];
        for (int d = 0, j = 0; d < dim(); d++) {
            if (d != a) {
                dims[j] = shape.get(d);
                newStrides[j++] = strides[d];
            }
        }
        return view(Shape.of(dims), newStrides, offset + i * strides[a]);
    }

    /** {@code x[i][j]...}: selects along the leading dimensions, one index each (a view). */
    public Tensor get(int... indices) {
        if (indices.length > dim()) {
            throw new IllegalArgumentException("get: " + indices.length + " indices for a tensor of shape " + shape);
        }
        Tensor t = this;
        for (int index : indices) {
            t = t.select(0, index);
        }
        return t;
    }

    /** A view broadcast to {@code newShape}; a size of -1 keeps that dimension. No data is copied. */
    public Tensor expand(int... newShape) {
        int[] dims = newShape.clone();
        int lead = dims.length - dim();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (i < lead) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dimension in "
                            + Arrays.toString(newShape));
                }
                dims[i] = shape.get(i - lead);
            }
        }
        return view(Shape.of(dims), Views.expandStrides("expand", this, dims), offset);
    }

    /** A view broadcast to {@code target} by NumPy's rules. */
    public Tensor broadcastTo(Shape target) {
        if (target.equals(shape)) {
            return this;
        }
        return view(target, Views.expandStrides("broadcastTo", this, target.toArray()), offset);
    }

    /** A view without the dimensions of size 1. */
    public Tensor squeeze() {
        int keep = 0;
        for (int i = 0; i < dim(); i++) {
            keep += shape.get(i) == 1 ? 0 : 1;
        }
        int[] dims = new int[keep];
        int[] newStrides = new int[keep];
        for (int i = 0, j = 0; i < dim(); i++) {
            if (shape.get(i) != 1) {
                dims[j] = shape.get(i);
                newStrides[j++] = strides[i];
            }
        }
        return view(Shape.of(dims), newStrides, offset);
    }

    /** A view without dimension {@code axis} if its size is 1; otherwise this tensor, as PyTorch. */
    public Tensor squeeze(int axis) {
        int a = Shape.normalizeAxis("squeeze", axis, dim());
        return dim() == 0 || shape.get(a) != 1 ? this : select(a, 0);
    }

    /** A view with a new dimension of size 1 at position {@code axis} (which may equal the rank). */
    public Tensor unsqueeze(int axis) {
        int a = Shape.normalizeAxis("unsqueeze", axis, dim() + 1);
        int[] dims = new int[dim() + 1];
        int[] newStrides = new int[dim() + 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i == a) {
                dims[i] = 1;
                newStrides[i] = a < dim() ? strides[a] * shape.get(a) : 1;
            } else {
                dims[i] = shape.get(j);
                newStrides[i] = strides[j++];
            }
        }
        return view(Shape.of(dims), newStrides, offset);
    }

    /** All dimensions merged into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Dimensions {@code startAxis..endAxis} (inclusive) merged into one. */
    public Tensor flatten(int startAxis, int endAxis) {
        if (dim() == 0) {
            return reshape(1);
        }
        int s = Shape.normalizeAxis("flatten", startAxis, dim());
        int e = Shape.normalizeAxis("flatten", endAxis, dim());
        if (s > e) {
            throw new IllegalArgumentException("flatten: start axis " + startAxis + " comes after end axis " + endAxis);
        }
        int[] dims = new int[dim() - (e - s)];
        for (int i = 0, j = 0; i < dim(); i++) {
            if (i <= s || i > e) {
                dims[j++] = shape.get(i);
            } else {
                dims[j - 1] *= shape.get(i);
            }
        }
        return reshape(dims);
    }

    /** This tensor if it is contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy with its own storage. */
    @Override
    public Tensor clone() {
        Tensor out = newTensor(dtype(), shape);
        backend.copy(this, out);
        return out;
    }

    /** A copy converted to {@code target} (this tensor itself when the dtype already matches). */
    public Tensor cast(DType target) {
        if (target == dtype()) {
            return this;
        }
        Tensor out = newTensor(target, shape);
        backend.copy(this, out);
        return out;
    }

    /** A copy on {@code target} (this tensor itself when it is already there). */
    public Tensor to(Device target) {
        if (target.equals(device())) {
            return this;
        }
        Object host = backend.toHost(this);
        Backend b = Backends.forDevice(target);
        return new Tensor(b.fromHost(dtype(), host), shape, shape.contiguousStrides(), 0, b);
    }

    // ---------------------------------------------------------------- elementwise, unary

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this, 0, 0);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this, 0, 0);
    }

    /** -1, 0 or 1 by the sign of each element (NaN stays NaN). */
    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this, 0, 0);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this, 0, 0);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this, 0, 0);
    }

    /** log(1 + x), accurate for small x. */
    public Tensor log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this, 0, 0);
    }

    /** exp(x) - 1, accurate for small x. */
    public Tensor expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this, 0, 0);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this, 0, 0);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this, 0, 0);
    }

    /** x * x. */
    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, this, 0, 0);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this, 0, 0);
    }

    public Tensor sin() {
        return Elementwise.unary(UnaryOp.SIN, this, 0, 0);
    }

    public Tensor cos() {
        return Elementwise.unary(UnaryOp.COS, this, 0, 0);
    }

    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this, 0, 0);
    }

    /** 1 / (1 + exp(-x)), computed without overflow for large |x|. */
    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this, 0, 0);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this, 0, 0);
    }

    /** GELU in its exact form, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)). */
    public Tensor gelu() {
        return Elementwise.unary(UnaryOp.GELU_ERF, this, 0, 0);
    }

    /** GELU by the tanh approximation, PyTorch's {@code approximate='tanh'}. */
    public Tensor geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, this, 0, 0);
    }

    /** x * sigmoid(x). */
    public Tensor silu() {
        return Elementwise.unary(UnaryOp.SILU, this, 0, 0);
    }

    /** log(1 + exp(x)), with PyTorch's defaults beta = 1 and threshold = 20. */
    public Tensor softplus() {
        return softplus(1, 20);
    }

    /** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold, as torch.nn.functional.softplus. */
    public Tensor softplus(double beta, double threshold) {
        return Elementwise.unary(UnaryOp.SOFTPLUS, this, beta, threshold);
    }

    /** The error function. */
    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this, 0, 0);
    }

    /**
     * Each element limited to [min, max]; NaN stays NaN. Use infinities for a one-sided clamp. On INT64
     * the finite bounds must be whole numbers.
     */
    public Tensor clamp(double min, double max) {
        Elementwise.checkClamp(this, min, max);
        return Elementwise.unary(UnaryOp.CLAMP, this, min, max);
    }

    /** x raised to the power {@code exponent}. */
    public Tensor pow(double exponent) {
        return Elementwise.scalar(BinaryOp.POW, this, exponent, false);
    }

    // ---------------------------------------------------------------- elementwise, binary

    /** this + other, broadcast. */
    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other, 1);
    }

    /** this + alpha * other, broadcast, as torch.add(x, y, alpha=...). */
    public Tensor add(Tensor other, double alpha) {
        return Elementwise.binary(BinaryOp.ADD, this, other, alpha);
    }

    public Tensor add(double s) {
        return Elementwise.scalar(BinaryOp.ADD, this, s, false);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other, 1);
    }

    public Tensor sub(double s) {
        return Elementwise.scalar(BinaryOp.SUB, this, s, false);
    }

    /** s - this. */
    public Tensor rsub(double s) {
        return Elementwise.scalar(BinaryOp.SUB, this, s, true);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other, 1);
    }

    public Tensor mul(double s) {
        return Elementwise.scalar(BinaryOp.MUL, this, s, false);
    }

    /** True division; floating-point dtypes only. */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other, 1);
    }

    public Tensor div(double s) {
        return Elementwise.scalar(BinaryOp.DIV, this, s, false);
    }

    /** s / this. */
    public Tensor rdiv(double s) {
        return Elementwise.scalar(BinaryOp.DIV, this, s, true);
    }

    /** this raised to the power other, elementwise and broadcast. */
    public Tensor pow(Tensor other) {
        return Elementwise.binary(BinaryOp.POW, this, other, 1);
    }

    /** s raised to the power this. */
    public Tensor rpow(double s) {
        return Elementwise.scalar(BinaryOp.POW, this, s, true);
    }

    /** The larger of each pair, broadcast; NaN wins. */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other, 1);
    }

    /** The smaller of each pair, broadcast; NaN wins. */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other, 1);
    }

    /** this + weight * (end - this). */
    public Tensor lerp(Tensor end, double weight) {
        return Elementwise.binary(BinaryOp.LERP, this, end, weight);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other, 1);
    }

    public Tensor eq(double s) {
        return Elementwise.scalar(BinaryOp.EQ, this, s, false);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other, 1);
    }

    public Tensor ne(double s) {
        return Elementwise.scalar(BinaryOp.NE, this, s, false);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other, 1);
    }

    public Tensor lt(double s) {
        return Elementwise.scalar(BinaryOp.LT, this, s, false);
    }

    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other, 1);
    }

    public Tensor le(double s) {
        return Elementwise.scalar(BinaryOp.LE, this, s, false);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other, 1);
    }

    public Tensor gt(double s) {
        return Elementwise.scalar(BinaryOp.GT, this, s, false);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other, 1);
    }

    public Tensor ge(double s) {
        return Elementwise.scalar(BinaryOp.GE, this, s, false);
    }

    public Tensor logicalAnd(Tensor other) {
        return Elementwise.binary(BinaryOp.AND, this, other, 1);
    }

    public Tensor logicalOr(Tensor other) {
        return Elementwise.binary(BinaryOp.OR, this, other, 1);
    }

    public Tensor logicalXor(Tensor other) {
        return Elementwise.binary(BinaryOp.XOR, this, other, 1);
    }

    public Tensor logicalNot() {
        Checks.dtype("logicalNot", this, DType.BOOL);
        return Elementwise.scalar(BinaryOp.XOR, this, 1, false);
    }

    /** {@code cond ? a : b} elementwise; all three broadcast; cond is BOOL, a and b share a dtype. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /** {@code cond ? a : s}, e.g. masking with a constant. */
    public static Tensor where(Tensor cond, Tensor a, double s) {
        return Elementwise.where(cond, a, full(a.dtype(), s).to(a.device()));
    }

    /** This tensor with {@code value} wherever {@code mask} (BOOL, broadcast) is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        Checks.scalarFits("maskedFill", this, value);
        Tensor filled = Elementwise.where(mask, full(dtype(), value).to(device()), this);
        if (!filled.shape.equals(shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + mask.shape()
                    + " does not broadcast to the tensor's shape " + shape);
        }
        return filled;
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements (rank 0). INT64 and BOOL sum to INT64. */
    public Tensor sum() {
        return Reductions.reduce(ReduceOp.SUM, this, Reductions.allAxes(this), false);
    }

    /** The sum over {@code axes}, which are removed. */
    public Tensor sum(int... axes) {
        return Reductions.reduce(ReduceOp.SUM, this, axes, false);
    }

    /** The sum over {@code axes}, kept as size 1 when {@code keepDim}. */
    public Tensor sum(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.SUM, this, axes, keepDim);
    }

    /** The mean of all elements (rank 0); floating-point dtypes only. */
    public Tensor mean() {
        return Reductions.mean(this, Reductions.allAxes(this), false);
    }

    public Tensor mean(int... axes) {
        return Reductions.mean(this, axes, false);
    }

    public Tensor mean(int[] axes, boolean keepDim) {
        return Reductions.mean(this, axes, keepDim);
    }

    /** The product of all elements. */
    public Tensor prod() {
        return Reductions.reduce(ReduceOp.PROD, this, Reductions.allAxes(this), false);
    }

    public Tensor prod(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.PROD, this, axes, keepDim);
    }

    /** The largest element (rank 0); NaN if any element is NaN. */
    public Tensor max() {
        return Reductions.reduce(ReduceOp.MAX, this, Reductions.allAxes(this), false);
    }

    /** The largest element over {@code axes} (values only), as torch.amax. */
    public Tensor amax(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.MAX, this, axes, keepDim);
    }

    /** The largest values along {@code axis} and their positions, as torch.max(x, dim). */
    public ValuesAndIndices max(int axis, boolean keepDim) {
        return new ValuesAndIndices(Reductions.reduce(ReduceOp.MAX, this, new int[] {axis}, keepDim),
                Reductions.reduce(ReduceOp.ARGMAX, this, new int[] {axis}, keepDim));
    }

    /** The smallest element (rank 0); NaN if any element is NaN. */
    public Tensor min() {
        return Reductions.reduce(ReduceOp.MIN, this, Reductions.allAxes(this), false);
    }

    /** The smallest element over {@code axes} (values only), as torch.amin. */
    public Tensor amin(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.MIN, this, axes, keepDim);
    }

    /** The smallest values along {@code axis} and their positions, as torch.min(x, dim). */
    public ValuesAndIndices min(int axis, boolean keepDim) {
        return new ValuesAndIndices(Reductions.reduce(ReduceOp.MIN, this, new int[] {axis}, keepDim),
                Reductions.reduce(ReduceOp.ARGMIN, this, new int[] {axis}, keepDim));
    }

    /** The flat (row-major) position of the largest element, first on ties. */
    public Tensor argmax() {
        return Reductions.reduce(ReduceOp.ARGMAX, flatten(), new int[] {0}, false);
    }

    /** Positions of the largest values along {@code axis}, first on ties. */
    public Tensor argmax(int axis, boolean keepDim) {
        return Reductions.reduce(ReduceOp.ARGMAX, this, new int[] {axis}, keepDim);
    }

    /** The flat (row-major) position of the smallest element, first on ties. */
    public Tensor argmin() {
        return Reductions.reduce(ReduceOp.ARGMIN, flatten(), new int[] {0}, false);
    }

    /** Positions of the smallest values along {@code axis}, first on ties. */
    public Tensor argmin(int axis, boolean keepDim) {
        return Reductions.reduce(ReduceOp.ARGMIN, this, new int[] {axis}, keepDim);
    }

    /** The unbiased variance of all elements (correction 1, as torch.var). */
    public Tensor var() {
        return Reductions.var(this, Reductions.allAxes(this), 1, false);
    }

    /** The variance over {@code axes}, dividing by {@code n - correction}. */
    public Tensor var(int[] axes, int correction, boolean keepDim) {
        return Reductions.var(this, axes, correction, keepDim);
    }

    /** The unbiased standard deviation of all elements. */
    public Tensor std() {
        return var().sqrt();
    }

    /** The standard deviation over {@code axes}, dividing by {@code n - correction}. */
    public Tensor std(int[] axes, int correction, boolean keepDim) {
        return Reductions.var(this, axes, correction, keepDim).sqrt();
    }

    /** The p-norm of all elements for p = 1, 2 or infinity. */
    public Tensor norm(double p) {
        return Reductions.norm(this, p, Reductions.allAxes(this), false);
    }

    /** The p-norm over {@code axes} for p = 1, 2 or infinity. */
    public Tensor norm(double p, int[] axes, boolean keepDim) {
        return Reductions.norm(this, p, axes, keepDim);
    }

    /** log(sum(exp(x))) over {@code axes}, computed without overflow. */
    public Tensor logsumexp(int[] axes, boolean keepDim) {
        return Reductions.logsumexp(this, axes, keepDim);
    }

    /** Inclusive prefix sums along {@code axis}. INT64 and BOOL sum to INT64. */
    public Tensor cumsum(int axis) {
        return Reductions.cumsum(this, axis);
    }

    /** exp(x) / sum(exp(x)) along {@code axis}, computed without overflow. */
    public Tensor softmax(int axis) {
        return Reductions.softmax(this, axis);
    }

    /** x - logsumexp(x) along {@code axis}. */
    public Tensor logSoftmax(int axis) {
        return Reductions.logSoftmax(this, axis);
    }

    /**
     * The causal softmax of attention scores {@code [..., Lq, Lk]}: {@code softmax(scale * x)} over the last
     * axis where query i (row i of each {@code [Lq, Lk]} matrix) sees keys 0..i only, aligned at the top left
     * as PyTorch's {@code is_causal} (a query i >= Lk sees every key). Equal to scaling, filling the positions
     * j > i with -inf and taking {@link #softmax}, but in one pass that skips them: the result is exactly 0
     * there, and x is not read there, so a NaN or infinity there does not matter. Floating-point x of rank 2
     * or more; scale finite.
     */
    public Tensor causalSoftmax(double scale) {
        return Reductions.causalSoftmax(this, scale);
    }

    // ---------------------------------------------------------------- linear algebra

    /** The matrix product with torch.matmul's rules for 1-D, 2-D and batched N-D operands. */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    /** The outer product of two 1-D tensors. */
    public Tensor outer(Tensor other) {
        return MatMul.outer(this, other);
    }

    /** The inner product of two 1-D tensors (rank 0). */
    public Tensor dot(Tensor other) {
        return MatMul.dot(this, other);
    }

    // ---------------------------------------------------------------- indexing

    /** The slices along {@code axis} at the INT64 positions in 1-D {@code index}. */
    public Tensor indexSelect(int axis, Tensor index) {
        return Indexing.indexSelect(this, axis, index);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for axis 1, and likewise for any rank and axis. */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /** A copy of this tensor with {@code src} added at the positions {@code index} gives along {@code axis}. */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return clone().scatterAdd_(axis, index, src);
    }

    /** In place: {@code this[i][index[i][j]] += src[i][j]} for axis 1, and likewise for any rank and axis. */
    public Tensor scatterAdd_(int axis, Tensor index, Tensor src) {
        Indexing.scatterAdd(this, axis, index, src);
        return this;
    }

    /** The elements at the given flat (row-major) INT64 positions, in index's shape. */
    public Tensor take(Tensor index) {
        return Indexing.take(this, index);
    }

    /** One-hot rows: an INT64 tensor of shape {@code [..., numClasses]} from INT64 class indices. */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    // ---------------------------------------------------------------- joining and splitting

    /** The tensors joined along an existing {@code axis}; other sizes must agree. */
    public static Tensor cat(int axis, Tensor... tensors) {
        return Joining.cat(List.of(tensors), axis);
    }

    /** The tensors joined along an existing {@code axis}. */
    public static Tensor cat(List<Tensor> tensors, int axis) {
        return Joining.cat(tensors, axis);
    }

    /** The tensors (of one shape) joined along a new {@code axis}. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return Joining.stack(List.of(tensors), axis);
    }

    /** The tensors (of one shape) joined along a new {@code axis}. */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        return Joining.stack(tensors, axis);
    }

    /** Views of {@code size} positions each along {@code axis} (the last may be smaller). */
    public List<Tensor> split(int size, int axis) {
        return Joining.split(this, size, axis);
    }

    /** Views of the given sizes along {@code axis}, which must add up to the axis size. */
    public List<Tensor> split(int[] sizes, int axis) {
        return Joining.split(this, sizes, axis);
    }

    /** {@code chunks} views along {@code axis} of equal size, rounded up, as torch.chunk. */
    public List<Tensor> chunk(int chunks, int axis) {
        return Joining.chunk(this, chunks, axis);
    }

    /**
     * Constant padding as torch.nn.functional.pad: {@code padding} holds (before, after) pairs starting
     * from the last dimension; negative amounts crop.
     */
    public Tensor pad(int[] padding, double value) {
        return Joining.pad(this, padding, value);
    }

    // ---------------------------------------------------------------- in place (allocate nothing)

    /** this += other. */
    public Tensor add_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, other, 1);
    }

    /** this += alpha * other. */
    public Tensor add_(Tensor other, double alpha) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, other, alpha);
    }

    /** this += s. */
    public Tensor add_(double s) {
        return Elementwise.scalarInPlace(BinaryOp.ADD, this, s);
    }

    /** this -= other. */
    public Tensor sub_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, other, 1);
    }

    /** this *= other. */
    public Tensor mul_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, other, 1);
    }

    /** this *= s. */
    public Tensor mul_(double s) {
        return Elementwise.scalarInPlace(BinaryOp.MUL, this, s);
    }

    /** this /= other. */
    public Tensor div_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.DIV, this, other, 1);
    }

    /** this /= s. */
    public Tensor div_(double s) {
        return Elementwise.scalarInPlace(BinaryOp.DIV, this, s);
    }

    /** this += value * t1 * t2. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        return Elementwise.ternaryInPlace(TernaryOp.ADDCMUL, this, t1, t2, value);
    }

    /** this += value * t1 / t2. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        return Elementwise.ternaryInPlace(TernaryOp.ADDCDIV, this, t1, t2, value);
    }

    /** this += weight * (end - this). */
    public Tensor lerp_(Tensor end, double weight) {
        return Elementwise.binaryInPlace(BinaryOp.LERP, this, end, weight);
    }

    /** this += weight * (end - this), with a per-element weight. */
    public Tensor lerp_(Tensor end, Tensor weight) {
        return Elementwise.ternaryInPlace(TernaryOp.LERP, this, end, weight, 1);
    }

    /** this = max(this, other). */
    public Tensor maximum_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.MAXIMUM, this, other, 1);
    }

    /** Copies {@code src} (broadcast to this shape, same dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        Checks.sameDevice("copy_", this, src);
        Checks.sameDtype("copy_", this, src);
        Checks.writable("copy_", this);
        backend.copy(src.broadcastTo(shape), this);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        Checks.scalarFits("fill_", this, value);
        Checks.writable("fill_", this);
        backend.fill(this, value);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to zero. */
    public Tensor zero_() {
        return fill_(0);
    }

    /** Limits every element to [min, max] in place. */
    public Tensor clamp_(double min, double max) {
        Elementwise.checkClamp(this, min, max);
        return Elementwise.unaryInPlace(UnaryOp.CLAMP, this, min, max);
    }

    /** Square root in place. */
    public Tensor sqrt_() {
        return Elementwise.unaryInPlace(UnaryOp.SQRT, this, 0, 0);
    }

    // ---------------------------------------------------------------- printing

    /**
     * The values as PyTorch prints them, abbreviated with {@code ...} beyond 1000 elements, followed by the
     * shape and dtype, e.g. {@code tensor([[1.0000, 2.5000]], shape=[1, 2], dtype=float32)}.
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    /** The result of a max or min along an axis: the values and their INT64 positions. */
    public record ValuesAndIndices(Tensor values, Tensor indices) {
    }
}
