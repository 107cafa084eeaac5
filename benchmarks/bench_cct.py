"""Time and memory of CCT's unsupervised loss (Eq. 2) with the paper's 30 auxiliary decoders, forward + backward, on CPU.

The setting of the issue: an encoder output z of shape (8, 512, 40, 40) float32, 21 classes, three sub-pixel
stages (outputs 320x320), K = 6 for F-Noise, F-Drop, DropOut, G-Cutout and K = 2 for Obj-Msk, Con-Msk, I-VAT.
A run draws the perturbations (I-VAT's power iteration included) and computes L_u and its gradients w.r.t. z and
every decoder weight; the main decoder's prediction (the target) is computed once, outside the timed run.

Two implementations:
  port      the authors' structure, decoder after decoder: each sees its full perturbed z (D = 512 channels), runs
            Conv2d / Conv2d+ReLU+PixelShuffle x3 at full resolution, softmax, F.mse_loss; autograd keeps everything
            (I-VAT by semiseg.perturb.ivat_perturbation through the decoder).
  semiseg   semiseg.cct: perturbations after the first 1x1 convolution where exact, decoders of a kind batched,
            sub-pixel stages, loss and gradients block by block (see nbs/06b_cct.ipynb).

Each (implementation, threads) pair runs in its own process: 1 warm-up run, then `--runs` timed runs (median, min).
Memory: the peak resident set size (VmHWM) during the timed runs, with the high-water mark reset by writing 5 to
/proc/self/clear_refs just before them; "peak" is the whole process (Python, torch, the inputs: about 0.4 GB),
"step" is the peak minus the resident size just before the runs, what the loss itself needs. The arithmetic of
the algorithm (matrix products, forward and backward, I-VAT's extra passes included) is counted analytically:
about 121 GFLOP for the default setting; "GFLOP/s" is that count over the median time.

    PYTHONPATH=. python benchmarks/bench_cct.py            # prints a table, writes benchmarks/results/cct.json

The machine is shared: the script records the 1-minute load average before and after each process.
"""
from __future__ import annotations
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from torch import nn
from semiseg.cct import AuxDecoders, CCT_K, draw_perturbations, cct_unsupervised_loss, perturbed_z
from semiseg.perturb import ivat_perturbation

TARGET_S, TARGET_GB = 6.0, 3.0

def rss_kb(field='VmRSS')->int:
    for line in open('/proc/self/status'):
        if line.startswith(field): return int(line.split()[1])
    return 0

def reset_peak()->bool:
    try:
        with open('/proc/self/clear_refs', 'w') as f: f.write('5')
        return True
    except OSError: return False

from _bench import cpu_name          # benchmarks/ is on sys.path when a script runs

def setup(shape, C, S, seed=0):
    "z (leaf), the 30 decoders, the main decoder's logits at the size of z and the target at full resolution."
    torch.manual_seed(seed)
    B, D, h, w = shape
    decs = nn.ModuleDict({n: AuxDecoders(k, D, C, S) for n, k in CCT_K.items()})
    z = torch.relu(torch.randn(B, D, h, w)).requires_grad_()                       # a post-ReLU feature map
    main = nn.Conv2d(D, C, 1)
    with torch.no_grad():
        main.bias[0] += 2.                                                          # a background class that wins part of the map
        logits = main(z)
        target = F.interpolate(logits, scale_factor=2 ** S, mode='bilinear', align_corners=False).softmax(1)
    return decs, z, logits, target

def gflop(shape, C, S, ks=CCT_K)->float:
    "Matrix-product arithmetic of L_u and its gradients: 3x the forward products (input and weight gradients), plus I-VAT's."
    B, D, h, w = shape
    N = B * h * w
    proj = 2 * C * D * N                                                        # one decoder's first 1x1 convolution
    stages = sum(2 * 4 * C * (C + 1) * 4 ** s * N for s in range(S))            # its sub-pixel stages (bias as a column)
    K = sum(ks.values())
    vat = ks.get('i_vat', 0) * (2 * proj + 3 * stages)                          # W r, W^T g; two forward passes, one backward
    return (3 * K * (proj + stages) + vat) / 1e9

def run_semiseg(decs, z, logits, target, seed, block_elems=None):
    g = torch.Generator().manual_seed(seed)
    perts = draw_perturbations(decs, z, logits, generator=g, block_elems=block_elems)
    loss = cct_unsupervised_loss(decs, z, target, perts, block_elems)
    loss.backward()
    return float(loss)

def run_port(decs, z, logits, target, seed, block_elems=None):
    "The straightforward port: the authors' decoder modules one after the other, autograd throughout."
    g = torch.Generator().manual_seed(seed)
    perts = draw_perturbations({n: d for n, d in decs.items() if n != 'i_vat'}, z, logits, generator=g)
    total, K = 0., sum(d.k for d in decs.values())
    for n, dec in decs.items():
        for k in range(dec.k):
            seq = dec.decoder(k)
            if n == 'i_vat': zk = z + ivat_perturbation(seq, z.detach(), generator=g)
            else: zk = perturbed_z(n, z, perts[n])[k]
            total = total + F.mse_loss(seq(zk).softmax(1), target)
    loss = total / K
    loss.backward()
    return float(loss)

def child(a):
    torch.set_num_threads(a.threads)
    decs, z, logits, target = setup(a.shape, a.classes, a.stages)
    fn = run_semiseg if a.impl == 'semiseg' else run_port
    load0 = os.getloadavg()[0]
    fn(decs, z, logits, target, 0, a.block_elems); z.grad = None; decs.zero_grad()   # warm-up
    base = rss_kb(); ok = reset_peak()
    ts, cpu = [], []
    for i in range(a.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(decs, z, logits, target, i + 1, a.block_elems)
        ts.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
        z.grad = None; decs.zero_grad()
    peak = rss_kb('VmHWM') if ok else None
    print(json.dumps(dict(impl=a.impl, threads=a.threads, median_s=round(statistics.median(ts), 3), min_s=round(min(ts), 3),
                          runs_s=[round(t, 3) for t in ts], cpu_s_median=round(statistics.median(cpu), 3),
                          peak_rss_GB=None if peak is None else round(peak / 1e6, 3),
                          step_GB=None if peak is None else round((peak - base) / 1e6, 3),
                          rss_before_GB=round(base / 1e6, 3), block_elems=a.block_elems,
                          load_before=load0, load_after=os.getloadavg()[0])))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--impls', nargs='+', default=['semiseg', 'port'])
    ap.add_argument('--shape', type=int, nargs=4, default=[8, 512, 40, 40])
    ap.add_argument('--classes', type=int, default=21)
    ap.add_argument('--stages', type=int, default=3)
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'cct.json'))
    ap.add_argument('--child', action='store_true', help='internal: one (impl, threads) measurement, printed as JSON')
    ap.add_argument('--block-elems', type=int, default=None, help='semiseg: elements per block tensor (default: the CPU default)')
    ap.add_argument('--impl', default='semiseg', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child: a.threads = a.threads[0]; return child(a)
    B, D, h, w = a.shape
    print(f"CCT unsupervised loss, 30 auxiliary decoders, z {tuple(a.shape)}, {a.classes} classes, outputs "
          f"{h * 2 ** a.stages}x{w * 2 ** a.stages}; torch {torch.__version__}, CPU: {cpu_name()} ({os.cpu_count()} cores)")
    gf = gflop(a.shape, a.classes, a.stages)
    print(f"arithmetic of the algorithm: {gf:.1f} GFLOP")
    print(f"{'implementation':16s} {'threads':>7s} {'median s':>9s} {'min s':>7s} {'CPU s':>7s} {'peak GB':>8s} {'step GB':>8s} {'GFLOP/s':>8s} {'load':>10s}")
    rows = []
    for impl in a.impls:
        for th in a.threads:
            cmd = [sys.executable, __file__, '--child', '--impl', impl, '--threads', str(th), '--runs', str(a.runs),
                   '--shape', *map(str, a.shape), '--classes', str(a.classes), '--stages', str(a.stages)]
            if a.block_elems: cmd += ['--block-elems', str(a.block_elems)]
            env = dict(os.environ, OMP_NUM_THREADS=str(th))
            r = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if r.returncode != 0: print(f"{impl} with {th} threads failed:\n{r.stderr[-2000:]}"); continue
            row = json.loads(r.stdout.strip().splitlines()[-1]); rows.append(row)
            print(f"{impl:16s} {th:7d} {row['median_s']:9.2f} {row['min_s']:7.2f} {row['cpu_s_median']:7.2f} {row['peak_rss_GB'] or float('nan'):8.2f} "
                  f"{row['step_GB'] or float('nan'):8.2f} {gf / row['median_s']:8.1f} {row['load_before']:4.1f}->{row['load_after']:4.1f}", flush=True)
    best = [r for r in rows if r['impl'] == 'semiseg']
    if best:
        b = min(best, key=lambda r: r['median_s'])
        met = b['median_s'] <= TARGET_S and (b['peak_rss_GB'] or 0) <= TARGET_GB
        print(f"target: <= {TARGET_S} s and <= {TARGET_GB} GB peak on this CPU -> {'met' if met else 'MISSED'} "
              f"(semiseg, {b['threads']} threads: {b['median_s']:.2f} s, peak {b['peak_rss_GB']} GB)")
    out = dict(setting=dict(shape=a.shape, classes=a.classes, stages=a.stages, decoders=CCT_K, dtype='float32'), runs=a.runs, warmup=1,
               torch=torch.__version__, cpu=cpu_name(), cpu_count=os.cpu_count(),
               note='shared machine: compare the load averages; memory is VmHWM with the high-water mark reset before the timed runs',
               gflop=round(gf, 1), target=dict(seconds=TARGET_S, peak_GB=TARGET_GB), results=rows)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
