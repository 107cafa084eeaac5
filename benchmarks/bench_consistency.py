"""Time the consistency loss of French et al. (supplement D.4.4-D.4.5) forward + backward on CPU.

The Pascal VOC setting of the paper: probabilities of shape (8, 21, 321, 321) float32 (69 MB each),
confidence-threshold modulation on (0.97). torch runs with 2 threads (`torch.set_num_threads(2)`).
Each row is the median (and min) of `--runs` timed runs after 2 warm-up runs; a run is the loss's
forward and backward with the student probabilities a leaf tensor whose .grad is cleared between runs.

    PYTHONPATH=. python benchmarks/bench_consistency.py          # prints a table, writes benchmarks/results/consistency.json

Run it on a quiet machine: the script records the 1-minute load average before and after and warns above 1.5.
"""
from __future__ import annotations
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path
import torch
from semiseg.losses import consistency_loss

def plain(s, t, mask=None, tau=0.97):
    "The straightforward autograd version: what the fused loss replaces."
    conf = t.max(1)[0]
    q = (conf >= tau).float().mean()
    return ((s - t) ** 2).sum(1).mean() * q

def timed(fn, runs:int, warmup:int=2)->list[float]:
    ts = []
    for i in range(warmup + runs):
        t0 = time.perf_counter(); fn(); dt = time.perf_counter() - t0
        if i >= warmup: ts.append(dt * 1e3)
    return ts

from _bench import cpu_name          # benchmarks/ is on sys.path when a script runs

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=11)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--shape', type=int, nargs=4, default=[8, 21, 321, 321])
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'consistency.json'))
    ap.add_argument('--child', action='store_true', help='internal: time the two main rows only, print JSON')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    load0 = os.getloadavg()[0]
    if load0 > 1.5: print(f"warning: 1-minute load average {load0:.2f} > 1.5: timings will be noisy")
    B, C, H, W = a.shape
    g = torch.Generator().manual_seed(0)
    S = torch.softmax(torch.randn(B, C, H, W, generator=g), 1)
    T = torch.softmax(torch.randn(B, C, H, W, generator=g) * 4, 1)             # a fairly confident teacher
    Z = torch.randn(B, C, H, W, generator=g)
    M = (torch.rand(B, 1, H, W, generator=g) > 0.3).float()
    mb = S.numel() * S.element_size() / 1e6

    def run_loss(fn, **kw):
        x = S.detach().requires_grad_()
        def step():
            x.grad = None
            fn(x, T, **kw).backward()
        return step
    def softmax_fb():
        z = Z.detach().requires_grad_()
        def step():
            z.grad = None
            torch.softmax(z, 1).backward(S)
        return step
    buf = torch.empty_like(S)
    rows = [
        ('plain autograd (max over classes, (s-t)^2, sum, mean, * q)', run_loss(plain)),
        ('consistency_loss: closed-form gradient, one allocation (default: no mask)', run_loss(consistency_loss)),
        ('consistency_loss with a (B,1,H,W) mask', run_loss(consistency_loss, mask=M)),
        ('consistency_loss, per-pixel thresholding', run_loss(consistency_loss, conf_per_pixel=True)),
        ('context: softmax forward + backward (a logits-fused loss would save it)', softmax_fb()),
        ('context: allocate + write one tensor (empty_like + fill_)', lambda: torch.empty_like(S).fill_(1.)),
        ('context: copy one tensor into an existing one (copy_)', lambda: buf.copy_(S)),
    ]
    if a.child: rows = rows[:2]
    acc = {}
    if not a.child:
        # accuracy at this size: both float32 versions against the formula in float64
        x1, x2, x3 = S.detach().requires_grad_(), S.detach().requires_grad_(), S.double().requires_grad_()
        l1, l2, l3 = consistency_loss(x1, T), plain(x2, T), plain(x3, T.double())
        for l in (l1, l2, l3): l.backward()
        ref = float(l3.detach())
        acc = dict(fused_loss_rel_err=abs(float(l1.detach()) - ref) / ref, plain_loss_rel_err=abs(float(l2.detach()) - ref) / ref,
                   fused_grad_max_abs_err=float((x1.grad.double() - x3.grad).abs().max()),
                   plain_grad_max_abs_err=float((x2.grad.double() - x3.grad).abs().max()),
                   grad_max_abs=float(x3.grad.abs().max()))
        del x1, x2, x3, l1, l2, l3
    results = []
    if a.child:
        for name, fn in rows:
            ts = timed(fn, a.runs); results.append(dict(variant=name, median_ms=round(statistics.median(ts), 2), min_ms=round(min(ts), 2)))
        print(json.dumps(results)); return
    print(f"consistency loss forward+backward, probabilities {tuple(a.shape)} float32 ({mb:.0f} MB each), "
          f"torch {torch.__version__}, {a.threads} threads, CPU: {cpu_name()} ({os.cpu_count()} cores)")
    print(f"{'variant':74s} {'median ms':>10s} {'min ms':>8s}")
    for name, fn in rows:
        ts = timed(fn, a.runs)
        med = statistics.median(ts)
        results.append(dict(variant=name, median_ms=round(med, 2), min_ms=round(min(ts), 2), runs_ms=[round(v, 2) for v in ts]))
        print(f"{name:74s} {med:10.1f} {min(ts):8.1f}")
    # the same two main rows in a fresh process with PyTorch's switch for transparent huge pages on large allocations:
    # the fresh 69 MB gradient then costs ~35 page faults instead of ~17,000
    env = dict(os.environ, THP_MEM_ALLOC_ENABLE='1')
    child = subprocess.run([sys.executable, __file__, '--child', '--runs', str(a.runs), '--threads', str(a.threads), '--shape', *map(str, a.shape)],
                           env=env, capture_output=True, text=True, check=True)
    thp = json.loads(child.stdout.strip().splitlines()[-1])
    for r in thp:
        r['variant'] += ' [THP_MEM_ALLOC_ENABLE=1]'
        print(f"{r['variant']:74s} {r['median_ms']:10.1f} {r['min_ms']:8.1f}")
    load1 = os.getloadavg()[0]
    fused = results[1]['median_ms']
    print(f"target: fused default <= 60 ms -> {'met' if fused <= 60 else 'MISSED'} ({fused:.1f} ms); "
          f"speed-up over plain {results[0]['median_ms'] / fused:.1f}x")
    print("accuracy against float64: loss rel. error fused {fused_loss_rel_err:.1e}, plain {plain_loss_rel_err:.1e}; "
          "gradient max abs. error fused {fused_grad_max_abs_err:.1e}, plain {plain_grad_max_abs_err:.1e} (max |grad| {grad_max_abs:.1e})".format(**acc))
    print(f"load average (1 min) before {load0:.2f}, after {load1:.2f}")
    out = dict(shape=a.shape, dtype='float32', tensor_MB=round(mb, 1), threads=a.threads, runs=a.runs, warmup=2,
               torch=torch.__version__, cpu=cpu_name(), cpu_count=os.cpu_count(), load_before=load0, load_after=load1,
               target_ms=60, target_met=fused <= 60, accuracy=acc, results=results, results_thp=thp)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
