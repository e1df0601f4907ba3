package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

import java.util.Arrays;

/** Strided copies with dtype conversion, fills and {@code where}, for every dtype. */
final class CopyKernels {
    private static final int BLOCK = 2048;

    private CopyKernels() {
    }

    static Object data(Tensor t) {
        return ((CpuStorage) t.storage()).data;
    }

    /** A new host array holding the elements of {@code t} in row-major order. */
    static Object toHost(Tensor t) {
        Object s = data(t);
        Object d = switch (t.dtype()) {
            case FLOAT32 -> new float[t.numel()];
            case FLOAT64 -> new double[t.numel()];
            case INT64 -> new long[t.numel()];
            case BOOL -> new boolean[t.numel()];
        };
        StridedLoop loop = StridedLoop.of(t.shape().toArray(), new int[][] {t.shape().contiguousStrides(), t.stride()},
                new int[] {0, t.offset()});
        int sd = loop.innerStride(0);
        int ss = loop.innerStride(1);
        loop.forEach((off, n) -> {
            if (sd == 1 && ss == 1) {
                System.arraycopy(s, off[1], d, off[0], n);
            } else {
                copySameType(s, off[1], ss, d, off[0], sd, n);
            }
        });
        return d;
    }

    /** dst = src elementwise; same dtype copies runs directly, other pairs convert through double or long. */
    static void copy(Tensor src, Tensor dst) {
        Object s = data(src);
        Object d = data(dst);
        StridedLoop loop = StridedLoop.of(dst, src);
        int sd = loop.innerStride(0);
        int ss = loop.innerStride(1);
        if (src.dtype() == dst.dtype()) {
            if (sd == 1 && ss == 1) {
                loop.copyRuns(s, d);
                return;
            }
            loop.forEach((off, n) -> {
                if (sd == 1 && ss == 1) {
                    System.arraycopy(s, off[1], d, off[0], n);
                } else {
                    copySameType(s, off[1], ss, d, off[0], sd, n);
                }
            });
            return;
        }
        // integer-to-integer conversions go through long so that large INT64 values stay exact
        boolean viaLong = !src.dtype().isFloatingPoint() && !dst.dtype().isFloatingPoint();
        loop.forEach((off, n) -> {
            if (sd == 1 && ss == 1 && convertRun(s, off[1], d, off[0], n)) {
                return;
            }
            if (viaLong) {
                long[] buf = new long[Math.min(n, BLOCK)];
                for (int k = 0; k < n; k += BLOCK) {
                    int m = Math.min(BLOCK, n - k);
                    readLong(s, off[1] + k * ss, ss, buf, m);
                    writeLong(buf, d, off[0] + k * sd, sd, m);
                }
            } else {
                double[] buf = new double[Math.min(n, BLOCK)];
                for (int k = 0; k < n; k += BLOCK) {
                    int m = Math.min(BLOCK, n - k);
                    readDouble(s, off[1] + k * ss, ss, buf, m);
                    writeDouble(buf, d, off[0] + k * sd, sd, m);
                }
            }
        });
    }

    /**
     * The common conversions of contiguous runs, one typed loop each (masks to floating point, float to
     * double and back); false for other pairs. A boolean becomes 0/1 through an int, which HotSpot turns
     * into a branch-free select (a ternary on the float values was compiled as a branch, slow on random masks).
     */
    private static boolean convertRun(Object s, int so, Object d, int dof, int n) {
        if (s instanceof boolean[] a && d instanceof float[] b) {
            for (int i = 0; i < n; i++) {
                int v = a[so + i] ? 1 : 0;
                b[dof + i] = v;
            }
        } else if (s instanceof boolean[] a && d instanceof double[] b) {
            for (int i = 0; i < n; i++) {
                int v = a[so + i] ? 1 : 0;
                b[dof + i] = v;
            }
        } else if (s instanceof float[] a && d instanceof double[] b) {
            for (int i = 0; i < n; i++) {
                b[dof + i] = a[so + i];
            }
        } else if (s instanceof double[] a && d instanceof float[] b) {
            for (int i = 0; i < n; i++) {
                b[dof + i] = (float) a[so + i];
            }
        } else {
            return false;
        }
        return true;
    }

    private static void copySameType(Object s, int so, int ss, Object d, int dof, int sd, int n) {
        if (s instanceof float[] a) {
            float[] b = (float[]) d;
            for (int i = 0; i < n; i++) {
                b[dof + i * sd] = a[so + i * ss];
            }
        } else if (s instanceof double[] a) {
            double[] b = (double[]) d;
            for (int i = 0; i < n; i++) {
                b[dof + i * sd] = a[so + i * ss];
            }
        } else if (s instanceof long[] a) {
            long[] b = (long[]) d;
            for (int i = 0; i < n; i++) {
                b[dof + i * sd] = a[so + i * ss];
            }
        } else {
            boolean[] a = (boolean[]) s;
            boolean[] b = (boolean[]) d;
            for (int i = 0; i < n; i++) {
                b[dof + i * sd] = a[so + i * ss];
            }
        }
    }

    private static void readDouble(Object s, int off, int stride, double[] buf, int n) {
        if (s instanceof float[] a) {
            for (int i = 0; i < n; i++) {
                buf[i] = a[off + i * stride];
            }
        } else if (s instanceof double[] a) {
            for (int i = 0; i < n; i++) {
                buf[i] = a[off + i * stride];
            }
        } else if (s instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                buf[i] = a[off + i * stride];
            }
        } else {
            boolean[] a = (boolean[]) s;
            for (int i = 0; i < n; i++) {
                int v = a[off + i * stride] ? 1 : 0; // through an int: branch-free
                buf[i] = v;
            }
        }
    }

    /** Float to INT64 truncates toward zero, as a C cast and PyTorch do; to BOOL is "non-zero". */
    private static void writeDouble(double[] buf, Object d, int off, int stride, int n) {
        if (d instanceof float[] a) {
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = (float) buf[i];
            }
        } else if (d instanceof double[] a) {
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = buf[i];
            }
        } else if (d instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = (long) buf[i];
            }
        } else {
            boolean[] a = (boolean[]) d;
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = buf[i] != 0;
            }
        }
    }

    private static void readLong(Object s, int off, int stride, long[] buf, int n) {
        if (s instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                buf[i] = a[off + i * stride];
            }
        } else {
            boolean[] a = (boolean[]) s;
            for (int i = 0; i < n; i++) {
                buf[i] = a[off + i * stride] ? 1 : 0;
            }
        }
    }

    private static void writeLong(long[] buf, Object d, int off, int stride, int n) {
        if (d instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = buf[i];
            }
        } else {
            boolean[] a = (boolean[]) d;
            for (int i = 0; i < n; i++) {
                a[off + i * stride] = buf[i] != 0;
            }
        }
    }

    static void fill(Tensor dst, double value) {
        Object d = data(dst);
        if (dst.numel() == 1) {
            // a scalar (an optimizer's per-step counter such as NAdam's mu_product): no loop object to allocate
            int at = dst.offset();
            if (d instanceof float[] a) {
                a[at] = (float) value;
            } else if (d instanceof double[] a) {
                a[at] = value;
            } else if (d instanceof long[] a) {
                a[at] = (long) value;
            } else {
                ((boolean[]) d)[at] = value != 0;
            }
            return;
        }
        StridedLoop loop = StridedLoop.of(dst);
        int sd = loop.innerStride(0);
        loop.forEach((off, n) -> {
            int end = off[0] + (n - 1) * sd + 1;
            if (d instanceof float[] a) {
                if (sd == 1) {
                    Arrays.fill(a, off[0], end, (float) value);
                } else {
                    for (int i = 0; i < n; i++) {
                        a[off[0] + i * sd] = (float) value;
                    }
                }
            } else if (d instanceof double[] a) {
                for (int i = 0; i < n; i++) {
                    a[off[0] + i * sd] = value;
                }
            } else if (d instanceof long[] a) {
                for (int i = 0; i < n; i++) {
                    a[off[0] + i * sd] = (long) value;
                }
            } else {
                boolean[] a = (boolean[]) d;
                for (int i = 0; i < n; i++) {
                    a[off[0] + i * sd] = value != 0;
                }
            }
        });
    }

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        boolean[] c = BoolKernels.data(cond);
        Object x = data(a);
        Object y = data(b);
        Object o = data(out);
        StridedLoop loop = StridedLoop.of(out, cond, a, b);
        int so = loop.innerStride(0);
        int sc = loop.innerStride(1);
        int sa = loop.innerStride(2);
        int sb = loop.innerStride(3);
        loop.forEach((off, n) -> {
            // floating point selects by bit masks: a ternary on the values compiles to a branch, which
            // random masks mispredict half the time (3x slower, measured)
            if (o instanceof float[] r) {
                float[] p = (float[]) x;
                float[] q = (float[]) y;
                for (int i = 0; i < n; i++) {
                    int m = c[off[1] + i * sc] ? -1 : 0;
                    int bits = Float.floatToRawIntBits(p[off[2] + i * sa]) & m
                            | Float.floatToRawIntBits(q[off[3] + i * sb]) & ~m;
                    r[off[0] + i * so] = Float.intBitsToFloat(bits);
                }
            } else if (o instanceof double[] r) {
                double[] p = (double[]) x;
                double[] q = (double[]) y;
                for (int i = 0; i < n; i++) {
                    long m = c[off[1] + i * sc] ? -1L : 0L;
                    long bits = Double.doubleToRawLongBits(p[off[2] + i * sa]) & m
                            | Double.doubleToRawLongBits(q[off[3] + i * sb]) & ~m;
                    r[off[0] + i * so] = Double.longBitsToDouble(bits);
                }
            } else if (o instanceof long[] r) {
                long[] p = (long[]) x;
                long[] q = (long[]) y;
                for (int i = 0; i < n; i++) {
                    r[off[0] + i * so] = c[off[1] + i * sc] ? p[off[2] + i * sa] : q[off[3] + i * sb];
                }
            } else {
                boolean[] r = (boolean[]) o;
                boolean[] p = (boolean[]) x;
                boolean[] q = (boolean[]) y;
                for (int i = 0; i < n; i++) {
                    r[off[0] + i * so] = c[off[1] + i * sc] ? p[off[2] + i * sa] : q[off[3] + i * sb];
                }
            }
        });
    }
}
