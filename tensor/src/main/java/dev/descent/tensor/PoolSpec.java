package dev.descent.tensor;

/**
 * The geometry of a 2-D pooling window (1-D pooling uses height 1): kernel size, stride and implicit
 * padding per axis. Padding is -infinity for max pooling and zero for average pooling;
 * {@code countIncludePad} says whether average pooling divides by the full window (PyTorch's default)
 * or only by the elements inside the input. Output size is {@code (H + 2 padH - KH) / strideH + 1}.
 */
public record PoolSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countIncludePad) {

    public PoolSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool: invalid geometry: kernel (" + kernelH + ", " + kernelW
                    + "), stride (" + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + ")");
        }
        if (padH * 2 > kernelH || padW * 2 > kernelW) {
            throw new IllegalArgumentException("pool: padding (" + padH + ", " + padW
                    + ") must be at most half the kernel (" + kernelH + ", " + kernelW + ")");
        }
    }

    /** A square window; stride defaults to the kernel size in PyTorch, pass it explicitly here. */
    public static PoolSpec of(int kernel, int stride, int padding) {
        return new PoolSpec(kernel, kernel, stride, stride, padding, padding, true);
    }

    /** Output height for input height {@code h}. */
    public int outHeight(int h) {
        return Math.floorDiv(h + 2 * padH - kernelH, strideH) + 1;
    }

    /** Output width for input width {@code w}. */
    public int outWidth(int w) {
        return Math.floorDiv(w + 2 * padW - kernelW, strideW) + 1;
    }
}
