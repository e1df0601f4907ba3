"""PyTorch's side of ConvBenchmark: the convolution and pooling kernels of the cnn workload of
../shared/bench/torch_ref.py (batch 64) with the same shapes, timed the way bench/run.sh runs JMH
(1 s of warm-up, then 5 rounds of 1 s; the figure is the mean time per call over the rounds).

Usage: /usr/bin/python3 bench/torch_conv.py [threads ...]   (default: 1 2)
Prints one line per kernel and thread count: kernel<TAB>threads<TAB>ms per call.
The kernel names are ConvBenchmark's method names, so Report can pair the two."""
import sys, time, torch, torch.nn.functional as F

aten = torch.ops.aten
N = 64


def kernels():
    g = torch.Generator().manual_seed(3)
    r = lambda *s: torch.randn(*s, generator=g)
    x1, w1, g1 = r(N, 1, 28, 28), r(32, 1, 3, 3), r(N, 32, 26, 26)
    p1, p1g = r(N, 32, 26, 26), r(N, 32, 13, 13)
    x2, w2, g2 = r(N, 32, 13, 13), r(64, 32, 3, 3), r(N, 64, 11, 11)
    p2, p2g = r(N, 64, 11, 11), r(N, 64, 5, 5)
    p1i = F.max_pool2d(p1, 2, 2, return_indices=True)[1]
    p2i = F.max_pool2d(p2, 2, 2, return_indices=True)[1]

    # the gradient kernels alone, as in Descent: aten's convolution_backward with one output asked for
    def conv_grad(g, x, w, mask):
        return lambda: aten.convolution_backward(g, x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1, mask)

    def pool_back(g, x, i):
        return lambda: aten.max_pool2d_with_indices_backward(g, x, [2, 2], [2, 2], [0, 0], [1, 1], False, i)

    return [
        ("conv1Forward", lambda: F.conv2d(x1, w1)),
        ("conv1InputGrad", conv_grad(g1, x1, w1, [True, False, False])),
        ("conv1WeightGrad", conv_grad(g1, x1, w1, [False, True, False])),
        ("pool1Forward", lambda: F.max_pool2d(p1, 2, 2, return_indices=True)),
        ("pool1Backward", pool_back(p1g, p1, p1i)),
        ("conv2Forward", lambda: F.conv2d(x2, w2)),
        ("conv2InputGrad", conv_grad(g2, x2, w2, [True, False, False])),
        ("conv2WeightGrad", conv_grad(g2, x2, w2, [False, True, False])),
        ("pool2Forward", lambda: F.max_pool2d(p2, 2, 2, return_indices=True)),
        ("pool2Backward", pool_back(p2g, p2, p2i)),
    ]


def run_for(f, seconds):
    """Calls f for about `seconds`; returns the mean seconds per call."""
    calls, t0 = 0, time.perf_counter()
    while True:
        f()
        calls += 1
        t = time.perf_counter() - t0
        if t >= seconds:
            return t / calls


def main():
    threads = [int(a) for a in sys.argv[1:]] or [1, 2]
    print(f"# torch {torch.__version__}, kernel\tthreads\tms per call")
    with torch.no_grad():
        for th in threads:
            torch.set_num_threads(th)
            for name, f in kernels():
                run_for(f, 1.0)
                rounds = [run_for(f, 1.0) for _ in range(5)]
                print(f"{name}\t{th}\t{sum(rounds) / len(rounds) * 1e3:.3f}", flush=True)


if __name__ == "__main__":
    main()
