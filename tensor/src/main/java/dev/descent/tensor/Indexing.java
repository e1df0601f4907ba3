package dev.descent.tensor;

/** Shape checks for the index-driven operations; positions are checked against sizes by the backend. */
final class Indexing {
    private Indexing() {
    }

    static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        Checks.sameDevice("indexSelect", x, index);
        Checks.dtype("indexSelect", index, DType.INT64);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 0-D or 1-D, got shape " + index.shape());
        }
        if (x.dim() == 0) {
            throw new IllegalArgumentException("indexSelect: cannot select from a rank-0 tensor");
        }
        int a = Shape.normalizeAxis("indexSelect", axis, x.dim());
        Tensor idx = index.reshape(-1);
        int[] dims = x.shape().toArray();
        dims[a] = idx.size(0);
        Tensor out = x.newTensor(x.dtype(), Shape.of(dims));
        x.backend().indexSelect(x, a, idx, out);
        return index.dim() == 0 ? out.squeeze(a) : out;
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        Checks.sameDevice("gather", x, index);
        Checks.dtype("gather", index, DType.INT64);
        int a = Shape.normalizeAxis("gather", axis, x.dim());
        checkIndexShape("gather", x, a, index, "input");
        Tensor out = x.newTensor(x.dtype(), index.shape());
        x.backend().gather(x, a, index, out);
        return out;
    }

    static void scatterAdd(Tensor self, int axis, Tensor index, Tensor src) {
        Checks.sameDevice("scatterAdd_", self, index, src);
        Checks.dtype("scatterAdd_", index, DType.INT64);
        Checks.sameDtype("scatterAdd_", self, src);
        if (self.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("scatterAdd_: not defined for BOOL (shape " + self.shape() + ")");
        }
        Checks.writable("scatterAdd_", self);
        int a = Shape.normalizeAxis("scatterAdd_", axis, self.dim());
        checkIndexShape("scatterAdd_", self, a, index, "self");
        if (src.dim() != index.dim()) {
            throw new IllegalArgumentException("scatterAdd_: index of shape " + index.shape() + " and src of shape "
                    + src.shape() + " must have the same rank");
        }
        Tensor used = src;
        for (int d = 0; d < index.dim(); d++) {
            if (index.size(d) > src.size(d)) {
                throw new IllegalArgumentException("scatterAdd_: index of shape " + index.shape()
                        + " is larger than src of shape " + src.shape() + " in dimension " + d);
            }
            used = used.narrow(d, 0, index.size(d));
        }
        self.backend().scatterAdd(self, a, index, used);
        self.storage().bumpVersion();
    }

    /** PyTorch's rule: same rank, and index no larger than the target outside the indexed axis. */
    private static void checkIndexShape(String op, Tensor x, int axis, Tensor index, String what) {
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index of shape " + index.shape() + " must have the rank of the "
                    + what + " of shape " + x.shape());
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != axis && index.size(d) > x.size(d)) {
                throw new IllegalArgumentException(op + ": index of shape " + index.shape() + " is larger than the "
                        + what + " of shape " + x.shape() + " in dimension " + d);
            }
        }
    }

    static Tensor take(Tensor x, Tensor index) {
        Checks.dtype("take", index, DType.INT64);
        return indexSelect(x.reshape(-1), 0, index.reshape(-1)).reshape(index.shape().toArray());
    }

    static Tensor oneHot(Tensor index, int numClasses) {
        Checks.dtype("oneHot", index, DType.INT64);
        if (numClasses < 1) {
            throw new IllegalArgumentException("oneHot: numClasses must be >= 1, got " + numClasses);
        }
        if (index.numel() > 0) {
            long lo = (long) index.min().item();
            long hi = (long) index.max().item();
            if (lo < 0 || hi >= numClasses) {
                throw new IllegalArgumentException("oneHot: class index " + (lo < 0 ? lo : hi)
                        + " is out of range for " + numClasses + " classes (index shape " + index.shape() + ")");
            }
        }
        Tensor classes = Tensor.arange(numClasses).to(index.device());
        return index.unsqueeze(-1).eq(classes).cast(DType.INT64);
    }
}
