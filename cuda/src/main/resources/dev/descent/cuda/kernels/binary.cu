// out = x op y with x, y broadcast views of the inputs (stride 0 on broadcast dimensions).
extern "C" __global__ void ${NAME}(const ${T}* a, Layout la, const ${T}* b, Layout lb, ${OUT}* out, Layout lo,
                                   long long n, double alpha) {
    GRID_STRIDE(i, n) {
        ${T} x = a[at(la, i)];
        ${T} y = b[at(lb, i)];
        out[at(lo, i)] = (${OUT}) (${EXPR});
    }
}
