// Shared by every Descent kernel. NVRTC compiles without system headers: math functions are builtins.
#define MAX_DIMS 8
// A strided view: the element at row-major position i of shape lives at offset + sum(coord[d] * stride[d]).
// Passed by value; the Java side writes it field by field (CudaLayout), so keep the two in step.
struct Layout {
    long long shape[MAX_DIMS];
    long long stride[MAX_DIMS];
    long long offset;
    int ndim;
    int pad;
};

__device__ __forceinline__ long long at(const Layout& l, long long i) {
    long long off = l.offset;
    for (int d = l.ndim - 1; d >= 0; --d) {
        long long s = l.shape[d];
        off += (i % s) * l.stride[d];
        i /= s;
    }
    return off;
}

#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)
