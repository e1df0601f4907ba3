"""PyTorch's side of AutogradBenchmark: mlp_grad and mlp_hvp of ../shared/bench/torch_ref.py (a
784-512-512-10 ReLU MLP, cross-entropy, batch 128), timed as bench/run.sh runs JMH (torch_conv.run_for).

Usage: /usr/bin/python3 bench/torch_autograd.py [threads ...]   (default: 1 2)
Prints one line per workload and thread count: name<TAB>threads<TAB>ms per call, the names being
AutogradBenchmark's method names so that Report can pair the two."""
import sys, torch, torch.nn as nn, torch.nn.functional as F
from torch_conv import run_for


def workloads():
    torch.manual_seed(5)
    mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    params = list(mlp.parameters())
    v = [torch.randn_like(p) for p in params]

    def grad():
        return torch.autograd.grad(F.cross_entropy(mlp(x), y), params)

    def hvp():
        g = torch.autograd.grad(F.cross_entropy(mlp(x), y), params, create_graph=True)
        return torch.autograd.grad(sum((gi * vi).sum() for gi, vi in zip(g, v)), params)

    return [("mlpGrad", grad), ("mlpHvp", hvp)]


def main():
    threads = [int(a) for a in sys.argv[1:]] or [1, 2]
    print(f"# torch {torch.__version__}, workload\tthreads\tms per call")
    for th in threads:
        torch.set_num_threads(th)
        for name, f in workloads():
            run_for(f, 1.0)
            rounds = [run_for(f, 1.0) for _ in range(5)]
            print(f"{name}\t{th}\t{sum(rounds) / len(rounds) * 1e3:.3f}", flush=True)


if __name__ == "__main__":
    main()
