"""fp32 against bf16 autocast on the CPU for every method's training step, with and without channels-last.

The CamVid protocol's network (DeepLabv3+ on EfficientNet-Lite0, 11 classes) on batches of 4 labeled and 4 unlabeled
random images of 180x240. A timed step is `method.step` plus the backward of the summed losses, as in
`bench_iteration.py`. Each method runs in four settings: fp32 (the default before bf16), fp32 channels-last, bf16
autocast (losses in fp32, as the methods compute them) and bf16 autocast with channels-last (what `amp: bf16` runs on the
CPU). Settings and methods are timed round-robin, `--runs` rounds after one warm-up round, so that load from other
processes falls on all of them alike; the table gives medians and the speed-up of each setting over fp32.

    OMP_NUM_THREADS=2 PYTHONPATH=. python benchmarks/bench_precision.py      # writes benchmarks/results/precision.json
"""
from __future__ import annotations
import argparse, copy, json, os, platform, statistics, time
from pathlib import Path
import torch
from semiseg.models import build_model
from semiseg.methods import SupOnly, Trainable
from semiseg.mean_teacher import MeanTeacher
from semiseg.cct import CCT
from semiseg.cac import CAC
from semiseg.scl import SCL
from semiseg.trainer import cpu_bf16_native

SETTINGS = {'fp32': (None, False), 'fp32_cl': (None, True), 'bf16': (torch.bfloat16, False), 'bf16_cl': (torch.bfloat16, True)}

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', 2)))
    ap.add_argument('--model', default='deeplabv3p_effnet_lite0')
    ap.add_argument('--only', default=None, help="comma-separated method names (default: all)")
    ap.add_argument('--batch', type=int, default=4, help="labeled and unlabeled images per step (the protocol's 4 + 4)")
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'precision.json'))
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    C, size, iters = 11, (180, 240), 100
    methods = {'suponly': SupOnly(), **{f'mt_{m}': MeanTeacher(mix=m) for m in ('cutmix', 'cutout', 'cutmix3', 'ict', 'augment', 'vat')},
               'cct': CCT(), 'cac': CAC(), 'scl': SCL()}
    if a.only: methods = {k: v for k, v in methods.items() if k in a.only.split(',')}
    B = a.batch
    x_l, y_l, x_u = torch.rand(B, 3, *size), torch.randint(0, C, (B, *size)), torch.rand(B, 3, *size)
    nets = {}
    for name, m in methods.items():
        m.setup(num_classes=C, ignore_index=255, iters=iters)
        torch.manual_seed(0); model = build_model(a.model, C)
        base = Trainable(model, m.extra_modules(model)).train()
        for s, (_, cl) in SETTINGS.items():
            net = copy.deepcopy(base)
            if cl: net.to(memory_format=torch.channels_last)
            nets[name, s] = (net, copy.deepcopy(net.model).eval().requires_grad_(False))

    def step(name, s):
        net, teacher = nets[name, s]
        dtype = SETTINGS[s][0]
        torch.manual_seed(1)
        with torch.autocast('cpu', dtype=dtype or torch.float32, enabled=dtype is not None):
            losses, _ = net(methods[name], teacher, (x_l, y_l), (x_u,), iters)
        sum(losses.values()).backward(); net.zero_grad(set_to_none=True)

    times = {k: [] for k in nets}
    for r in range(a.runs + 1):
        for k in nets:
            t0 = time.perf_counter(); step(*k); dt = time.perf_counter() - t0
            if r: times[k].append(dt)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{a.model}, batch {B} + {B} at {size[1]}x{size[0]}, {a.threads} thread(s), median of {a.runs} rounds; "
          f"CPU bf16 in hardware: {cpu_bf16_native()}")
    print(f"{'method':<12}" + ''.join(f"{s + ' s':>11}" for s in SETTINGS) + ''.join(f"{'x ' + s:>11}" for s in list(SETTINGS)[1:]))
    rows = []
    for name in methods:
        t = {s: med[name, s] for s in SETTINGS}
        rows.append(dict(method=name, seconds={s: round(v, 3) for s, v in t.items()}, speedup={s: round(t['fp32'] / t[s], 2) for s in SETTINGS}))
        print(f"{name:<12}" + ''.join(f"{t[s]:>11.2f}" for s in SETTINGS) + ''.join(f"{t['fp32'] / t[s]:>11.2f}" for s in list(SETTINGS)[1:]))
    load = os.getloadavg()[0]
    res = dict(model=a.model, batch=f'{B} labeled + {B} unlabeled', size=list(size), threads=a.threads, runs=a.runs,
               cpu=platform.processor() or platform.machine(), cores=os.cpu_count(), cpu_bf16_native=cpu_bf16_native(),
               torch=torch.__version__, load_avg_1min=round(load, 2), rows=rows)
    Path(a.out).write_text(json.dumps(res, indent=1) + '\n')
    print(f"1-min load average {load:.2f}" + ("  (other processes were running: ratios are interleaved, absolute times are not clean)" if load > a.threads + 0.5 else ''))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
