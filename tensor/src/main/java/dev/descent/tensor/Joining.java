package dev.descent.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** cat, stack, split, chunk and pad: copies into and views of narrowed regions. */
final class Joining {
    private Joining() {
    }

    static Tensor cat(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expects at least one tensor");
        }
        Tensor first = tensors.get(0);
        if (first.dim() == 0) {
            throw new IllegalArgumentException("cat: cannot concatenate rank-0 tensors; use stack");
        }
        int a = Shape.normalizeAxis("cat", axis, first.dim());
        int total = 0;
        for (Tensor t : tensors) {
            Checks.sameDevice("cat", first, t);
            Checks.sameDtype("cat", first, t);
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("cat: shapes " + shapes(tensors) + " differ in rank");
            }
            for (int d = 0; d < t.dim(); d++) {
                if (d != a && t.size(d) != first.size(d)) {
                    throw new IllegalArgumentException("cat: shapes " + shapes(tensors) + " differ in dimension " + d
                            + " (only the joined axis " + a + " may differ)");
                }
            }
            total += t.size(a);
        }
        int[] dims = first.shape().toArray();
        dims[a] = total;
        Tensor out = first.newTensor(first.dtype(), Shape.of(dims));
        int position = 0;
        for (Tensor t : tensors) {
            first.backend().copy(t, out.narrow(a, position, t.size(a)));
            position += t.size(a);
        }
        return out;
    }

    static Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expects at least one tensor");
        }
        Shape shape = tensors.get(0).shape();
        int a = Shape.normalizeAxis("stack", axis, shape.rank() + 1);
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor t : tensors) {
            if (!t.shape().equals(shape)) {
                throw new IllegalArgumentException("stack: expects tensors of one shape, got " + shapes(tensors));
            }
            expanded.add(t.unsqueeze(a));
        }
        return cat(expanded, a);
    }

    static List<Tensor> split(Tensor x, int size, int axis) {
        int a = Shape.normalizeAxis("split", axis, x.dim());
        if (size <= 0) {
            throw new IllegalArgumentException("split: size must be positive, got " + size);
        }
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < x.size(a); start += size) {
            parts.add(x.narrow(a, start, Math.min(size, x.size(a) - start)));
        }
        return parts;
    }

    static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        int a = Shape.normalizeAxis("split", axis, x.dim());
        int sum = Arrays.stream(sizes).sum();
        if (sum != x.size(a) || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " do not add up to size "
                    + x.size(a) + " of axis " + axis + " (shape " + x.shape() + ")");
        }
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            parts.add(x.narrow(a, start, s));
            start += s;
        }
        return parts;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int axis) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int a = Shape.normalizeAxis("chunk", axis, x.dim());
        int size = Math.max((x.size(a) + chunks - 1) / chunks, 1);
        return split(x, size, a);
    }

    static Tensor pad(Tensor x, int[] padding, double value) {
        if (padding.length % 2 != 0 || padding.length > 2 * x.dim()) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding)
                    + " must hold (before, after) pairs for at most " + x.dim() + " dimensions (shape " + x.shape() + ")");
        }
        Checks.scalarFits("pad", x, value);
        int[] dims = x.shape().toArray();
        Tensor src = x;
        for (int i = 0; i < padding.length / 2; i++) {
            int d = x.dim() - 1 - i;
            dims[d] += padding[2 * i] + padding[2 * i + 1];
            if (dims[d] < 0) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " makes dimension " + d
                        + " of shape " + x.shape() + " negative");
            }
            int cropBefore = Math.max(-padding[2 * i], 0);
            int cropAfter = Math.max(-padding[2 * i + 1], 0);
            src = src.narrow(d, Math.min(cropBefore, x.size(d)), Math.max(x.size(d) - cropBefore - cropAfter, 0));
        }
        Tensor out = Tensor.full(x.dtype(), value, dims).to(x.device());
        Tensor dst = out;
        for (int i = 0; i < padding.length / 2; i++) {
            int d = x.dim() - 1 - i;
            dst = dst.narrow(d, Math.max(padding[2 * i], 0), src.size(d));
        }
        x.backend().copy(src, dst);
        return out;
    }

    private static String shapes(List<Tensor> tensors) {
        List<String> s = new ArrayList<>();
        for (Tensor t : tensors) {
            s.add(t.shape().toString());
        }
        return String.join(", ", s);
    }
}
