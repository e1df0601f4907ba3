package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** cat, stack, split, chunk and pad against coordinate loops. */
class JoiningTest {
    static final Set<String> COVERS = Set.of("cat", "stack", "split", "chunk", "pad");

    @Test
    void catAlongEveryAxisWithMixedLayouts() {
        Rng rng = new Rng(51);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL)) {
            for (int trial = 0; trial < 8; trial++) {
                int[] shape = Inputs.shape(rng, 3, 4);
                if (shape.length == 0) {
                    shape = new int[] {2};
                }
                int axis = rng.nextInt(shape.length);
                int[] s2 = shape.clone();
                s2[axis] = 1 + rng.nextInt(3);
                Ref a = Inputs.values(rng, dtype, shape, 0, 9);
                Ref b = Inputs.values(rng, dtype, s2, 0, 9);
                int[] out = shape.clone();
                out[axis] += s2[axis];
                double[] v = new double[Ref.numel(out)];
                for (int i = 0; i < v.length; i++) {
                    int[] c = Ref.coords(out, i);
                    if (c[axis] < shape[axis]) {
                        v[i] = a.v()[Ref.flat(shape, c)];
                    } else {
                        c[axis] -= shape[axis];
                        v[i] = b.v()[Ref.flat(s2, c)];
                    }
                }
                for (Inputs.Layout la : Inputs.layouts(a, dtype)) {
                    Ref.assertExact("cat " + la.name(), Ref.of(out, v), Tensor.cat(axis, la.tensor(), Inputs.tensor(b, dtype)));
                }
            }
        }
    }

    @Test
    void stackAddsAnAxis() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, Tensor.stack(0, a, b).toDoubleArray());
        assertArrayEquals(new double[] {1, 5, 2, 6, 3, 7, 4, 8}, Tensor.stack(List.of(a, b), -1).toDoubleArray());
        assertArrayEquals(new int[] {2, 2, 2}, Tensor.stack(1, a, b).shape().toArray());
        assertArrayEquals(new double[] {1, 2, 5, 6, 3, 4, 7, 8}, Tensor.stack(1, a, b).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, Tensor.cat(List.of(a, b), 0).toDoubleArray());
    }

    @Test
    void splitAndChunkAreViews() {
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 10, 1);
        List<Tensor> parts = x.split(4, 0);
        assertEquals(3, parts.size());
        assertArrayEquals(new double[] {8, 9}, parts.get(2).toDoubleArray());
        assertSame(x.storage(), parts.get(1).storage());
        List<Tensor> sized = x.split(new int[] {1, 6, 3}, 0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, sized.get(1).toDoubleArray());
        List<Tensor> chunks = x.reshape(2, 5).chunk(3, 1);
        assertEquals(3, chunks.size());
        assertArrayEquals(new double[] {0, 1, 5, 6}, chunks.get(0).toDoubleArray());
        assertArrayEquals(new double[] {4, 9}, chunks.get(2).toDoubleArray());
        assertEquals(2, Tensor.arange(2).chunk(5, 0).size(), "torch.chunk returns fewer chunks when the axis is short");
    }

    @Test
    void padAddsAndCropsLikeTorchFunctionalPad() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // last dim: 1 before, 2 after; first dim: 1 after
        Tensor p = x.pad(new int[] {1, 2, 0, 1}, -1);
        assertArrayEquals(new int[] {3, 6}, p.shape().toArray());
        assertArrayEquals(new double[] {-1, 1, 2, 3, -1, -1, -1, 4, 5, 6, -1, -1, -1, -1, -1, -1, -1, -1},
                p.toDoubleArray());
        Tensor cropped = x.pad(new int[] {-1, 0}, 0);
        assertArrayEquals(new double[] {2, 3, 5, 6}, cropped.toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 2, 3, 0}, Tensor.of(1.0, 2.0, 3.0).pad(new int[] {1, 1}, 0).toDoubleArray());
        // a strided input: column 1 of x is [2, 5]
        assertArrayEquals(new double[] {0, 0, 0, 2, 5}, x.select(1, 1).pad(new int[] {3, 0}, 0).toDoubleArray());
    }
}
