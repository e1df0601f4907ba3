package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Views share storage and read the right elements: each is checked against an index mapping written out
 * in the test, and by writing through the view.
 */
class ViewsTest {
    static final Set<String> COVERS = Set.of("reshape", "view", "permute", "transpose", "t", "narrow", "slice", "select",
            "get", "expand", "broadcastTo", "squeeze", "unsqueeze", "flatten", "contiguous", "clone", "shape", "dim", "size",
            "numel", "dtype", "device", "stride", "offset", "storage", "backend", "isContiguous");

    private static Tensor iota(int... shape) {
        return Tensor.arange(DType.FLOAT64, 0, Shape.of(shape).numel(), 1).reshape(shape);
    }

    @Test
    void permuteAndTransposeMapIndices() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape().toArray());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(j * 12 + k * 4 + i, p.getDouble(i, j, k));
                }
            }
        }
        assertSame(x.storage(), p.storage());
        assertFalse(p.isContiguous());
        assertArrayEquals(x.transpose(0, 2).toDoubleArray(), x.permute(2, 1, 0).toDoubleArray());
        assertArrayEquals(x.transpose(-1, 0).toDoubleArray(), x.permute(2, 1, 0).toDoubleArray());
        Tensor m = iota(2, 3);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, m.t().toDoubleArray());
        assertArrayEquals(new int[] {3, 1}, m.stride());
        assertEquals(1, m.t().stride(0));
        Tensor v = iota(3);
        assertSame(v, v.t(), "t() of a 1-D tensor is the tensor itself");
    }

    @Test
    void reshapeViewsWhenItCanAndCopiesWhenItMust() {
        Tensor x = iota(2, 3, 4);
        Tensor r = x.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, r.shape().toArray());
        assertSame(x.storage(), r.storage());
        assertSame(x.storage(), x.view(4, 6).storage());
        Tensor t = x.transpose(1, 2); // [2, 4, 3]: merging its last two axes crosses the transposition
        Tensor copied = t.reshape(24);
        assertNotSame(x.storage(), copied.storage());
        double[] expected = new double[24];
        int n = 0;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 4; b++) {
                for (int c = 0; c < 3; c++) {
                    expected[n++] = a * 12 + c * 4 + b;
                }
            }
        }
        assertArrayEquals(expected, copied.toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> t.view(24));
        // a view across a merged pair of dims that stay contiguous with each other works on a non-contiguous tensor
        Tensor sliced = iota(4, 6).narrow(1, 0, 3); // [4, 3] with stride [6, 1]
        assertSame(sliced.storage(), sliced.view(2, 2, 3).storage());
        assertArrayEquals(new int[] {2, 2, 3}, sliced.view(2, 2, 3).shape().toArray());
        assertArrayEquals(sliced.toDoubleArray(), sliced.view(2, 2, 3).toDoubleArray());
        assertEquals(0, iota(0, 3).reshape(3, 0).numel());
    }

    @Test
    void slicingNarrowingSelecting() {
        Tensor x = iota(5, 6);
        assertArrayEquals(new double[] {7, 8, 13, 14}, x.narrow(0, 1, 2).narrow(1, 1, 2).toDoubleArray());
        // a negative start counts from the end, as torch.narrow
        assertArrayEquals(x.narrow(1, 1, 2).toDoubleArray(), x.narrow(1, -x.size(1) + 1, 2).toDoubleArray());
        assertArrayEquals(new double[] {1, 3, 5, 25, 27, 29}, x.slice(0, 0, 5, 4).slice(1, 1, 6, 2).toDoubleArray());
        assertArrayEquals(new double[] {24, 25, 26, 27, 28, 29}, x.slice(0, -1, 5, 1).toDoubleArray());
        assertEquals(0, x.slice(1, 4, 2, 1).numel());
        assertArrayEquals(new double[] {4, 10, 16, 22, 28}, x.select(1, 4).toDoubleArray());
        assertArrayEquals(new double[] {24, 25, 26, 27, 28, 29}, x.select(0, -1).toDoubleArray());
        assertEquals(15.0, x.get(2, 3).item());
        assertArrayEquals(new double[] {12, 13, 14, 15, 16, 17}, x.get(2).toDoubleArray());
        Tensor view = x.slice(1, 0, 6, 3);
        view.fill_(-1);
        assertEquals(-1.0, x.getDouble(4, 3), "writes go through the view");
        assertEquals(4.0 * 6 + 4, x.getDouble(4, 4));
    }

    @Test
    void expandSqueezeUnsqueezeFlatten() {
        Tensor col = Tensor.of(1.0, 2.0, 3.0).unsqueeze(1);
        assertArrayEquals(new int[] {3, 1}, col.shape().toArray());
        Tensor e = col.expand(2, 3, 4);
        assertArrayEquals(new int[] {0, 1, 0}, e.stride());
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3},
                e.toDoubleArray());
        assertArrayEquals(new int[] {3, 5}, col.expand(-1, 5).shape().toArray());
        assertArrayEquals(new int[] {2, 3, 1}, col.broadcastTo(Shape.of(2, 3, 1)).shape().toArray());
        Tensor s = iota(1, 3, 1, 2);
        assertArrayEquals(new int[] {3, 2}, s.squeeze().shape().toArray());
        assertArrayEquals(new int[] {1, 3, 2}, s.squeeze(2).shape().toArray());
        assertArrayEquals(new int[] {1, 3, 1, 2}, s.squeeze(1).shape().toArray(), "non-1 axis: unchanged");
        assertArrayEquals(new int[] {1, 3, 1, 2, 1}, s.unsqueeze(-1).shape().toArray());
        assertArrayEquals(new int[] {3, 2}, iota(3, 2).unsqueeze(0).squeeze(0).shape().toArray());
        assertArrayEquals(new int[] {6}, s.flatten().shape().toArray());
        assertArrayEquals(new int[] {1, 3, 2}, s.flatten(1, 2).shape().toArray());
        assertArrayEquals(new int[] {1}, Tensor.scalar(2).flatten().shape().toArray());
        assertEquals(4, s.dim());
        assertEquals(3, s.size(1));
        assertEquals(2, s.size(-1));
        assertEquals(6, s.numel());
        assertEquals(DType.FLOAT64, s.dtype());
        assertEquals(Device.CPU, s.device());
        assertEquals(Device.CPU, s.backend().device());
    }

    @Test
    void contiguousAndCloneCopyOnlyWhenNeeded() {
        Tensor x = iota(3, 4);
        assertSame(x, x.contiguous());
        Tensor t = x.t();
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(t.storage(), c.storage());
        assertArrayEquals(t.toDoubleArray(), c.toDoubleArray());
        Tensor clone = x.clone();
        clone.fill_(0);
        assertEquals(5.0, x.getDouble(1, 1), "a clone has its own storage");
        Tensor narrowed = x.narrow(0, 1, 2);
        assertEquals(4, narrowed.offset());
        assertTrue(narrowed.isContiguous());
        assertEquals(0, narrowed.clone().offset());
    }
}
