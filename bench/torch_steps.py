"""PyTorch's side of StepBenchmark: one training step (zero grads + forward + loss + backward + optimizer
step) of the mlp, cnn and transformer workloads of ../shared/bench/torch_ref.py, with its models, batch
sizes, optimizers and hyperparameters, cycling 4 random batches generated once as torch_ref.py does, timed
the way bench/run.sh runs JMH (torch_conv.run_for: 1 s of warm-up, then the mean time per step over 5
rounds of 1 s).

torch_ref.py runs its benchmarks when imported, so its model classes (CNN, LM) are taken from its source
(the class definitions only); its MLP is an expression there, written out the same way here. TORCH_REF
overrides where torch_ref.py is looked for (default: ../shared/bench/torch_ref.py beside the repository).

Usage: /usr/bin/python3 bench/torch_steps.py [threads ...]   (default: 1 2)
Prints one line per workload and thread count: name<TAB>threads<TAB>ms per step, the names being
StepBenchmark's method names so that Report can pair the two."""
import ast, os, sys, torch, torch.nn as nn, torch.nn.functional as F
from torch_conv import run_for

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_REF = os.environ.get("TORCH_REF", os.path.join(HERE, "..", "..", "shared", "bench", "torch_ref.py"))


def ref_classes(path=TORCH_REF, names=("CNN", "LM")):
    """The named class definitions of torch_ref.py, executed without the rest of the file."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    body = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in names]
    missing = set(names) - {n.name for n in body}
    if missing:
        sys.exit(f"torch_steps.py: {path} has no class {', '.join(sorted(missing))}")
    scope = {"torch": torch, "nn": nn, "F": F}
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), scope)
    return [scope[n] for n in names]


CNN, LM = ref_classes()


def step_fn(model, make_batch, loss_fn, opt):
    """One training step on the next of 4 batches made once, as torch_ref.bench times it."""
    xs = [make_batch() for _ in range(4)]
    i = 0

    def step():
        nonlocal i
        x, y = xs[i % 4]
        i += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def workloads():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    cnn = CNN()
    lm = LM()
    return [
        ("mlp", step_fn(mlp, lambda: (torch.randn(128, 784), torch.randint(0, 10, (128,))), F.cross_entropy,
                        torch.optim.Adam(mlp.parameters(), 1e-3))),
        ("cnn", step_fn(cnn, lambda: (torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), F.cross_entropy,
                        torch.optim.SGD(cnn.parameters(), 0.01, momentum=0.9))),
        ("transformer", step_fn(lm, lambda: (torch.randint(0, 256, (32, 64)), torch.randint(0, 256, (32, 64))),
                                lambda o, y: F.cross_entropy(o.reshape(-1, 256), y.reshape(-1)),
                                torch.optim.AdamW(lm.parameters(), 3e-4))),
    ]


def main():
    threads = [int(a) for a in sys.argv[1:]] or [1, 2]
    print(f"# torch {torch.__version__}, workload\tthreads\tms per step")
    for th in threads:
        torch.set_num_threads(th)
        for name, f in workloads():
            run_for(f, 1.0)
            rounds = [run_for(f, 1.0) for _ in range(5)]
            print(f"{name}\t{th}\t{sum(rounds) / len(rounds) * 1e3:.3f}", flush=True)


if __name__ == "__main__":
    main()
