// Every element of the view out set to v (already converted to the element type on the host side).
extern "C" __global__ void ${NAME}(${T}* out, Layout lo, long long n, ${T} v) {
    GRID_STRIDE(i, n) {
        out[at(lo, i)] = v;
    }
}
