#!/usr/bin/python3
"""Row h of the course benchmark in PyTorch: per-op dispatch cost from Python.

A chain of 1,000 element-wise ops (z = z + y; z = z * y, 500 times) on 32-float tensors: the arithmetic is
nothing, so the time is Python's and PyTorch's per-op overhead. Same timing method as pytorch_reference.py
(warm-up, calibrated inner count, median of reps); ms per chain read as microseconds per op. Prints its row in
pytorch_reference.py's table format so Course.Bench --compare parses both the same way.

Set-up (Debian): apt-get install -y python3-torch python3-numpy libopenblas0-openmp
Run with:  /usr/bin/python3 dispatch.py [--reps N] [--target-s S] [--threads 2]
"""
import argparse
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--reps", type=int, default=7)
p.add_argument("--target-s", type=float, default=0.3)
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()
assert args.reps >= 5

torch.set_num_threads(args.threads)
torch.manual_seed(0)


def bench(fn, reps=args.reps, target_s=args.target_s, min_warm_s=0.5):
    # pytorch_reference.py's bench(), unchanged
    t0 = time.perf_counter()
    n = 0
    while n < 3 or time.perf_counter() - t0 < min_warm_s:
        fn()
        n += 1
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    inner = max(1, int(round(target_s / max(one, 1e-9))))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return dict(med=statistics.median(times), mn=min(times), mx=max(times), inner=inner, reps=reps)


OPS, SIZE = 1000, 32
x = torch.rand(SIZE)
y = torch.rand(SIZE)


def chain():
    z = x
    for _ in range(OPS // 2):
        z = z + y
        z = z * y


st = bench(chain)
print(f"# torch {torch.__version__}  threads={torch.get_num_threads()}  reps={args.reps}")
hdr = f"{'benchmark':56s} {'med ms':>9s} {'min ms':>9s} {'max ms':>9s} {'steps/s':>9s} {'~GF/s':>7s} {'inner':>5s}"
print(hdr)
print("-" * len(hdr))
med = st["med"]
print(f"{'h  per-op dispatch, 1000 add/mul on 32 floats':56s} {med * 1e3:9.3f} {st['mn'] * 1e3:9.3f} "
      f"{st['mx'] * 1e3:9.3f} {1.0 / med:9.1f} {'':7s} {st['inner']:5d}")
print("~GF/s: none (ms per chain of 1,000 ops = microseconds per op)")
