package dev.descent.tensor;

/**
 * The affine map of a linear layer, {@code x W^T + b}, as one matrix product whose output starts as the
 * bias (BLAS's {@code beta = 1}), rather than a product followed by a broadcast addition that allocates and
 * writes a second tensor of the output's size.
 */
public final class Affine {
    private Affine() {
    }

    /**
     * {@code x W^T + bias} for x {@code [..., in]} (rank 1 or more), weight {@code [out, in]} and bias
     * {@code [out]}, giving {@code [..., out]}; one floating-point dtype and one device.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Checks.sameDevice("linear", x, weight);
        Checks.sameDevice("linear", x, bias);
        Checks.sameDtype("linear", x, weight);
        Checks.sameDtype("linear", x, bias);
        Checks.floatingPoint("linear", x);
        if (x.dim() == 0 || weight.dim() != 2 || x.size(-1) != weight.size(1) || bias.dim() != 1
                || bias.size(0) != weight.size(0)) {
            throw new IllegalArgumentException("linear: input of shape " + x.shape() + ", weight of shape "
                    + weight.shape() + " and bias of shape " + bias.shape() + " do not fit (expected [..., in],"
                    + " [out, in] and [out])");
        }
        int in = weight.size(1);
        int out = weight.size(0);
        int rows = 1;
        for (int d = 0; d < x.dim() - 1; d++) {
            rows *= x.size(d);
        }
        int[] outShape = x.shape().toArray();
        outShape[outShape.length - 1] = out;
        Tensor result = Tensor.allocate(x.backend(), x.dtype(), Shape.of(rows, out));
        x.backend().matmulAddRow(x.reshape(rows, in), weight.t(), bias.contiguous(), result);
        return result.reshape(outShape);
    }

    /**
     * {@code relu(x W^T + b)}: {@link #linear} with the ReLU applied in place to the product it has just made,
     * so that no second array is allocated and written. Same values as {@code linear(x, weight, bias).relu()}.
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        return Elementwise.unaryInPlace(UnaryOp.RELU, linear(x, weight, bias), 0, 0);
    }
}
