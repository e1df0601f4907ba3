package dev.descent.tensor;

/**
 * The geometry of a 2-D convolution (a 1-D convolution is a 2-D one with height 1): stride, zero
 * padding and dilation per spatial axis, and the number of groups. Shapes follow PyTorch: input
 * {@code [N, C, H, W]}, weight {@code [O, C / groups, KH, KW]}, output {@code [N, O, OH, OW]} with
 * {@code OH = (H + 2 padH - dilationH (KH - 1) - 1) / strideH + 1}.
 */
public record ConvSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    public ConvSpec {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv: invalid geometry: stride (" + strideH + ", " + strideW
                    + "), padding (" + padH + ", " + padW + "), dilation (" + dilationH + ", " + dilationW
                    + "), groups " + groups + " (strides, dilations and groups must be >= 1, padding >= 0)");
        }
    }

    /** The same stride, padding and dilation on both axes. */
    public static ConvSpec of(int stride, int padding, int dilation, int groups) {
        return new ConvSpec(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Output height for input height {@code h} and kernel height {@code kh}. */
    public int outHeight(int h, int kh) {
        return Math.floorDiv(h + 2 * padH - dilationH * (kh - 1) - 1, strideH) + 1;
    }

    /** Output width for input width {@code w} and kernel width {@code kw}. */
    public int outWidth(int w, int kw) {
        return Math.floorDiv(w + 2 * padW - dilationW * (kw - 1) - 1, strideW) + 1;
    }
}
