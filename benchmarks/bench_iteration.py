"""Iteration time of each mean-teacher variant relative to SupOnly on the same batch, next to the ideal ratio.

The CamVid protocol's network (DeepLabv3+ on EfficientNet-Lite0, 11 classes) on batches of 4 labeled and 4 unlabeled
random images of 180x240, on the CPU. A timed iteration is `method.step` plus the backward of the summed losses (the
optimiser step and the EMA update are the same for every method and left out). The ideal time of a variant counts the
network passes it cannot avoid, each timed on its own on the same batch size:

    F  forward with autograd (train mode),  B  its backward,  T  forward without autograd (the teacher)
    SupOnly: F + B                          Cutout, CutMix, CutMix3, ICT, augment: 2 (F + B) + T
    VAT: 2 (F + B) + T + T + (F + B)        (the power iteration: a clean forward, then forward and backward of x + r)

Variants, the components and SupOnly are timed round-robin, `--runs` rounds after one warm-up round, so that load
from other processes falls on all of them alike; the table gives medians and the ratio measured / ideal.

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/bench_iteration.py        # writes benchmarks/results/iteration.json
"""
from __future__ import annotations
import argparse, json, os, platform, statistics, time
from pathlib import Path
import torch
import torch.nn.functional as F
from semiseg.models import build_model
from semiseg.methods import SupOnly, Trainable
from semiseg.mean_teacher import MeanTeacher

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', 2)))
    ap.add_argument('--model', default='deeplabv3p_effnet_lite0')
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'iteration.json'))
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    C, size = 11, (180, 240)
    model = build_model(a.model, C)
    net, teacher = Trainable(model, torch.nn.ModuleDict()).train(), build_model(a.model, C).eval().requires_grad_(False)
    x_l, y_l, x_u = torch.rand(4, 3, *size), torch.randint(0, C, (4, *size)), torch.rand(4, 3, *size)
    methods = {'suponly': SupOnly(), **{m: MeanTeacher(mix=m) for m in ('cutout', 'cutmix', 'cutmix3', 'ict', 'augment', 'vat')}}
    for m in methods.values(): m.setup(num_classes=C, ignore_index=255, iters=100)

    def step(m):
        losses, _ = net(m, teacher, (x_l, y_l), (x_u,), 0)
        sum(losses.values()).backward(); net.zero_grad(set_to_none=True)
    def fwd_bwd():
        F.cross_entropy(model(x_l), y_l).backward(); net.zero_grad(set_to_none=True)
    def fwd():
        return F.cross_entropy(model(x_l), y_l)
    def teach():
        with torch.no_grad(): teacher(x_u)

    jobs = {**{k: (lambda m=m: step(m)) for k, m in methods.items()}, 'F+B': fwd_bwd, 'F': fwd, 'T': teach}
    times = {k: [] for k in jobs}
    for r in range(a.runs + 1):
        for k, fn in jobs.items():
            t0 = time.perf_counter(); out = fn(); dt = time.perf_counter() - t0; del out
            if r: times[k].append(dt)
    med = {k: statistics.median(v) for k, v in times.items()}
    FB, T = med['F+B'], med['T']
    ideal = {'suponly': FB, **{m: 2 * FB + T for m in ('cutout', 'cutmix', 'cutmix3', 'ict', 'augment')}, 'vat': 3 * FB + 2 * T}
    rows = []
    print(f"{a.model}, batch 4 + 4 at {size[1]}x{size[0]}, {a.threads} thread(s), median of {a.runs} rounds")
    print(f"passes: F {1e3 * med['F']:.0f} ms, F+B {1e3 * FB:.0f} ms, T (no grad) {1e3 * T:.0f} ms")
    print(f"{'variant':<10}{'ms/iter':>9}{'ratio':>8}{'ideal':>8}{'measured/ideal':>16}")
    for k in methods:
        ratio, iratio = med[k] / med['suponly'], ideal[k] / ideal['suponly']
        rows.append(dict(variant=k, ms=round(1e3 * med[k], 1), ratio=round(ratio, 3), ideal_ratio=round(iratio, 3), over_ideal=round(med[k] / ideal[k], 3)))
        print(f"{k:<10}{1e3 * med[k]:>9.0f}{ratio:>8.2f}{iratio:>8.2f}{med[k] / ideal[k]:>16.2f}")
    load = os.getloadavg()[0]
    res = dict(model=a.model, batch='4 labeled + 4 unlabeled', size=list(size), threads=a.threads, runs=a.runs,
               cpu=platform.processor() or platform.machine(), cores=os.cpu_count(), load_avg_1min=round(load, 2),
               passes_ms={k: round(1e3 * med[k], 1) for k in ('F', 'F+B', 'T')}, rows=rows)
    Path(a.out).write_text(json.dumps(res, indent=1) + '\n')
    print(f"1-min load average {load:.2f}" + ("  (other processes were running: ratios are interleaved, absolute times are not clean)" if load > a.threads + 0.5 else ''))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
