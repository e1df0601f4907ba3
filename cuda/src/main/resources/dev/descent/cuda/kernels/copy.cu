// out = convert(in) between any two layouts; BOOL is one byte, 0 or 1.
extern "C" __global__ void ${NAME}(const ${T}* in, Layout li, ${OUT}* out, Layout lo, long long n) {
    GRID_STRIDE(i, n) {
        ${T} x = in[at(li, i)];
        out[at(lo, i)] = ${CONVERT};
    }
}
