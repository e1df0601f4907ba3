// One block per output element: the block's threads stride over the reduced elements, then combine
// their partial results in shared memory. kept maps an output position to the input offset of its first
// element; red maps a reduced position to the offset from there. The block size must be REDUCE_THREADS.
#define REDUCE_THREADS 256
extern "C" __global__ void ${NAME}(const ${T}* in, Layout kept, Layout red, ${OUT}* out, long long nOut,
                                   long long nRed) {
    __shared__ ${ACC} buf[REDUCE_THREADS];
    for (long long o = blockIdx.x; o < nOut; o += gridDim.x) {
        long long base = at(kept, o);
        ${ACC} acc = ${INIT};
        for (long long r = threadIdx.x; r < nRed; r += blockDim.x) {
            ${ACC} v = (${ACC}) in[base + at(red, r)];
            acc = ${COMBINE};
        }
        buf[threadIdx.x] = acc;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                acc = buf[threadIdx.x];
                ${ACC} v = buf[threadIdx.x + s];
                buf[threadIdx.x] = ${COMBINE};
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            out[o] = (${OUT}) buf[0];
        }
        __syncthreads();
    }
}
