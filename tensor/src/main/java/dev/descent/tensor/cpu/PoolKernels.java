package dev.descent.tensor.cpu;

import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

/**
 * Max and average pooling over the planes of {@code [N, C, H, W]} tensors (1-D pooling arrives as height 1),
 * with PyTorch's semantics: max pooling records the flat {@code h * W + w} position of the first maximum
 * and lets NaN win (the last NaN of a window, as PyTorch's CPU kernel does); average pooling sums in
 * double. Planes are independent, so they are split across the pool; each is a short direct loop.
 */
final class PoolKernels {
    private PoolKernels() {
    }

    static void maxForward(PoolSpec spec, Tensor x, Tensor out, Tensor indices) {
        Window win = Window.of(spec, x.shape());
        Tensor xc = x.contiguous();
        Object xd = CopyKernels.data(xc);
        Object od = CopyKernels.data(out);
        long[] id = (long[]) CopyKernels.data(indices);
        Parallel.forRange(win.planes, win.grain(), (start, end) -> {
            if (xd instanceof float[] f && win.isTwoByTwo() && NativePool.active()) {
                NativePool.maxTwoByTwo(f, xc.offset(), win.inPlane(), (float[]) od, out.offset(), id, indices.offset(),
                        win.outPlane(), win.w, win.oh, win.ow, start, end);
                return;
            }
            for (int pl = start; pl < end; pl++) {
                int xo = xc.offset() + pl * win.inPlane();
                int oo = out.offset() + pl * win.outPlane();
                int io = indices.offset() + pl * win.outPlane();
                if (xd instanceof float[] f) {
                    maxPlane(win, f, xo, (float[]) od, oo, id, io);
                } else {
                    maxPlane(win, (double[]) xd, xo, (double[]) od, oo, id, io);
                }
            }
        });
    }

    static void maxBackward(PoolSpec spec, Tensor gradOut, Tensor indices, Tensor gradIn) {
        Window win = Window.of(spec, gradIn.shape());
        Tensor gc = gradOut.contiguous();
        Tensor ic = indices.contiguous();
        Object gd = CopyKernels.data(gc);
        long[] id = (long[]) CopyKernels.data(ic);
        Object dd = CopyKernels.data(gradIn);
        Parallel.forRange(win.planes, win.grain(), (start, end) -> {
            for (int pl = start; pl < end; pl++) {
                int go = gc.offset() + pl * win.outPlane();
                int io = ic.offset() + pl * win.outPlane();
                int dOff = gradIn.offset() + pl * win.inPlane();
                if (gd instanceof float[] f) {
                    float[] dx = (float[]) dd;
                    for (int i = 0; i < win.outPlane(); i++) {
                        dx[dOff + win.checkedIndex(id[io + i])] += f[go + i];
                    }
                } else {
                    double[] g = (double[]) gd;
                    double[] dx = (double[]) dd;
                    for (int i = 0; i < win.outPlane(); i++) {
                        dx[dOff + win.checkedIndex(id[io + i])] += g[go + i];
                    }
                }
            }
        });
    }

    static void avgForward(PoolSpec spec, Tensor x, Tensor out) {
        Window win = Window.of(spec, x.shape());
        Tensor xc = x.contiguous();
        Object xd = CopyKernels.data(xc);
        Object od = CopyKernels.data(out);
        Parallel.forRange(win.planes, win.grain(), (start, end) -> {
            for (int pl = start; pl < end; pl++) {
                int xo = xc.offset() + pl * win.inPlane();
                int oo = out.offset() + pl * win.outPlane();
                if (xd instanceof float[] f) {
                    avgPlane(win, f, xo, (float[]) od, oo);
                } else {
                    avgPlane(win, (double[]) xd, xo, (double[]) od, oo);
                }
            }
        });
    }

    static void avgBackward(PoolSpec spec, Tensor gradOut, Tensor gradIn) {
        Window win = Window.of(spec, gradIn.shape());
        Tensor gc = gradOut.contiguous();
        Object gd = CopyKernels.data(gc);
        Object dd = CopyKernels.data(gradIn);
        Parallel.forRange(win.planes, win.grain(), (start, end) -> {
            for (int pl = start; pl < end; pl++) {
                int go = gc.offset() + pl * win.outPlane();
                int dOff = gradIn.offset() + pl * win.inPlane();
                if (gd instanceof float[] f) {
                    avgBackwardPlane(win, f, go, (float[]) dd, dOff);
                } else {
                    avgBackwardPlane(win, (double[]) gd, go, (double[]) dd, dOff);
                }
            }
        });
    }

    private static void maxPlane(Window win, float[] x, int xo, float[] out, int oo, long[] idx, int io) {
        if (win.isTwoByTwo()) {
            MaxPoolTwoByTwo.plane(win.w, win.oh, win.ow, x, xo, out, oo, idx, io);
            return;
        }
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                int best = win.h0[oh] * win.w + win.w0[ow];
                float max = Float.NEGATIVE_INFINITY;
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = h * win.w + w; w < win.w1[ow]; w++, at++) {
                        float v = x[xo + at];
                        if (v > max || Float.isNaN(v)) {
                            max = v;
                            best = at;
                        }
                    }
                }
                out[oo + i] = max;
                idx[io + i] = best;
            }
        }
    }

    private static void maxPlane(Window win, double[] x, int xo, double[] out, int oo, long[] idx, int io) {
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                int best = win.h0[oh] * win.w + win.w0[ow];
                double max = Double.NEGATIVE_INFINITY;
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = h * win.w + w; w < win.w1[ow]; w++, at++) {
                        double v = x[xo + at];
                        if (v > max || Double.isNaN(v)) {
                            max = v;
                            best = at;
                        }
                    }
                }
                out[oo + i] = max;
                idx[io + i] = best;
            }
        }
    }

    /** Means of one plane's windows, summed in double as PyTorch's CPU kernel does. */
    private static void avgPlane(Window win, float[] x, int xo, float[] out, int oo) {
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                double sum = 0;
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = xo + h * win.w + w; w < win.w1[ow]; w++, at++) {
                        sum += x[at];
                    }
                }
                out[oo + i] = (float) (sum / win.divisor(oh, ow));
            }
        }
    }

    private static void avgPlane(Window win, double[] x, int xo, double[] out, int oo) {
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                double sum = 0;
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = xo + h * win.w + w; w < win.w1[ow]; w++, at++) {
                        sum += x[at];
                    }
                }
                out[oo + i] = sum / win.divisor(oh, ow);
            }
        }
    }

    /** Spreads each window's gradient evenly over the elements its divisor counts (those inside the input). */
    private static void avgBackwardPlane(Window win, float[] g, int go, float[] dx, int dOff) {
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                float share = g[go + i] / win.divisor(oh, ow);
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = dOff + h * win.w + w; w < win.w1[ow]; w++, at++) {
                        dx[at] += share;
                    }
                }
            }
        }
    }

    private static void avgBackwardPlane(Window win, double[] g, int go, double[] dx, int dOff) {
        for (int oh = 0, i = 0; oh < win.oh; oh++) {
            for (int ow = 0; ow < win.ow; ow++, i++) {
                double share = g[go + i] / win.divisor(oh, ow);
                for (int h = win.h0[oh]; h < win.h1[oh]; h++) {
                    for (int w = win.w0[ow], at = dOff + h * win.w + w; w < win.w1[ow]; w++, at++) {
                        dx[at] += share;
                    }
                }
            }
        }
    }

    /**
     * The windows of one plane, clipped to the input: rows [h0[oh], h1[oh]) and columns [w0[ow], w1[ow]),
     * and the divisor of each for average pooling.
     */
    private static final class Window {
        final PoolSpec spec;
        final int planes;
        final int h;
        final int w;
        final int oh;
        final int ow;
        final int[] h0;
        final int[] h1;
        final int[] w0;
        final int[] w1;
        /** Window extent including padding, as PyTorch counts it for {@code count_include_pad}. */
        final int[] hPadded;
        final int[] wPadded;

        private Window(PoolSpec spec, Shape x) {
            this.spec = spec;
            this.planes = x.get(0) * x.get(1);
            this.h = x.get(2);
            this.w = x.get(3);
            this.oh = spec.outHeight(h);
            this.ow = spec.outWidth(w);
            h0 = new int[oh];
            h1 = new int[oh];
            hPadded = new int[oh];
            clip(oh, spec.strideH(), spec.padH(), spec.kernelH(), h, h0, h1, hPadded);
            w0 = new int[ow];
            w1 = new int[ow];
            wPadded = new int[ow];
            clip(ow, spec.strideW(), spec.padW(), spec.kernelW(), w, w0, w1, wPadded);
        }

        static Window of(PoolSpec spec, Shape x) {
            return new Window(spec, x);
        }

        private static void clip(int n, int stride, int pad, int kernel, int size, int[] lo, int[] hi, int[] padded) {
            for (int i = 0; i < n; i++) {
                int start = i * stride - pad;
                int end = Math.min(start + kernel, size + pad);
                padded[i] = end - start;
                lo[i] = Math.max(start, 0);
                hi[i] = Math.min(end, size);
            }
        }

        /** Whether every window is 2 x 2 at stride 2 inside the input (no padding): the common pooling. */
        boolean isTwoByTwo() {
            return spec.kernelH() == 2 && spec.kernelW() == 2 && spec.strideH() == 2 && spec.strideW() == 2
                    && spec.padH() == 0 && spec.padW() == 0 && 2 * oh <= h && 2 * ow <= w;
        }

        int inPlane() {
            return h * w;
        }

        int outPlane() {
            return oh * ow;
        }

        /** Indices come from the caller, so a bad one must fail here rather than write into another plane. */
        int checkedIndex(long index) {
            if (index < 0 || index >= inPlane()) {
                throw new IllegalArgumentException("index " + index + " is outside the input plane [" + h + ", " + w
                        + "] (valid: 0 to " + (inPlane() - 1) + ")");
            }
            return (int) index;
        }

        int divisor(int i, int j) {
            return spec.countIncludePad() ? hPadded[i] * wPadded[j] : (h1[i] - h0[i]) * (w1[j] - w0[j]);
        }

        /** Planes per parallel task: enough that each task touches about {@link Parallel#GRAIN} elements. */
        int grain() {
            return Math.max(1, Parallel.GRAIN / Math.max(1, inPlane() + outPlane()));
        }
    }
}
