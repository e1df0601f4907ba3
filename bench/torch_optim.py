"""PyTorch's side of OptimizerStepBenchmark.adamStep10M: adam_step_10M of ../shared/bench/torch_ref.py, the
Adam step alone (lr 1e-3, torch's other defaults) over 10 parameters of 1M floats, N(0, 1), each with a fixed
N(0, 1) gradient set once; with foreach off and on, since the bar compares Descent with the better of the two.
Timed the way bench/run.sh runs JMH (torch_conv.run_for: 1 s of warm-up, then the mean time per step over 5
rounds of 1 s); ROUND_SECONDS (environment) shortens the rounds for a quick check.

Usage: /usr/bin/python3 bench/torch_optim.py [threads ...]   (default: 1 2)
Prints one line per variant and thread count: name<TAB>threads<TAB>ms per step, the names being
adamStep10M_foreachFalse and adamStep10M_foreachTrue (OptimizerStepBenchmark's method name and the variant),
so that Report can pair them with Descent's adamStep10M."""
import os, sys, torch, torch.nn as nn
from torch_conv import run_for

ROUND = float(os.environ.get("ROUND_SECONDS", "1.0"))


def main():
    threads = [int(a) for a in sys.argv[1:]] or [1, 2]
    print(f"# torch {torch.__version__}, workload\tthreads\tms per step")
    torch.manual_seed(0)
    ps = [nn.Parameter(torch.randn(1_000_000)) for _ in range(10)]
    for p in ps:
        p.grad = torch.randn_like(p)
    for th in threads:
        torch.set_num_threads(th)
        for foreach in (False, True):
            opt = torch.optim.Adam(ps, 1e-3, foreach=foreach)
            for _ in range(3):
                opt.step()  # the state is created on the first step, as in torch_ref.py
            run_for(opt.step, ROUND)
            rounds = [run_for(opt.step, ROUND) for _ in range(5)]
            print(f"adamStep10M_foreach{foreach}\t{th}\t{sum(rounds) / len(rounds) * 1e3:.3f}", flush=True)


if __name__ == "__main__":
    main()
