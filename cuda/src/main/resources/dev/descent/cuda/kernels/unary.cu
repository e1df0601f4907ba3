// out = op(in): x is the element in its own type, d the same value as a double (float math runs in double
// so that FLOAT32 results round once, as the CPU backend's do).
extern "C" __global__ void ${NAME}(const ${T}* in, Layout li, ${T}* out, Layout lo, long long n, double p, double q) {
    GRID_STRIDE(i, n) {
        ${T} x = in[at(li, i)];
        double d = (double) x;
        (void) d;
        out[at(lo, i)] = (${T}) (${EXPR});
    }
}
