"""Time and memory of CAC's Directional Contrastive Loss, forward + backward on CPU, against the number of negatives (Table 4).

The setting of the paper's Pascal VOC runs: 8 unlabeled image pairs per GPU, crops of 320x320 whose projected
features phi (128 channels) are 40x40 (DeepLabv3+: 1/4, then 2x2 average pooling), negatives per GPU from
500 to 25.6k (Table 4; 19.2k is the paper's choice). The overlap of each pair comes from
`semiseg.mixers.sample_overlapping_crops` (crops 320 in a 512x512 resized image, offsets on the stride-8 grid,
IoU in [0.1, 1]); confidences are uniform in [0, 1] and pseudo labels uniform over 21 classes, for both the overlap
and the negatives. A run is: read the overlap rows out of the two (8, 128, 40, 40) feature maps, the loss
(masks of Eq. 2 and 7, negative sampling of Eq. 5, both directions, Eq. 8), and its backward into the feature maps.

Rows:
- `semiseg`: `semiseg.losses.directional_contrastive_loss` (tiles, gradient made in forward, rows without a loss
  dropped, negatives of the anchor's label skipped by range).
- `checkpointed`: the algorithm of the authors' code, written here for comparison: every overlap row of both
  directions against all negatives, in chunks of 8000 negatives under `torch.utils.checkpoint` (recomputed in
  backward), a running maximum from the first chunk, the masks applied to the per-row losses at the end.

Time: median of `--runs` timed runs after one warm-up run, wall-clock and CPU time (process time, all threads: on a
shared machine the CPU time of a one-thread run is the steadier figure). Memory: peak resident set size above the inputs,
in a fresh process per row: the process builds its inputs, runs the smallest problem once to load the kernels,
resets the kernel's high-water mark (`echo 5 > /proc/self/clear_refs`), runs forward + backward once and
reads `VmHWM` from `/proc/self/status`; the figure is VmHWM minus the resident size just before the run.
(PyTorch's CPU allocator returns large blocks to the system on free, so the high-water mark is the true peak.)

    PYTHONPATH=. python benchmarks/bench_cac.py           # prints a table, writes benchmarks/results/cac.json

The machine is shared: the script records the 1-minute load average before and after each measurement.
"""
from __future__ import annotations
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path

NEGATIVES = [500, 1000, 2000, 6400, 12800, 19200, 25600]     # Table 4
REPORT = [500, 6400, 19200]                                   # the rows the targets name
TARGET_S, TARGET_MB = 0.8, 400

from _bench import cpu_name          # benchmarks/ is on sys.path when a script runs

def rss_mb()->float:
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'): return int(line.split()[1]) / 1024
    return float('nan')

def hwm_mb()->float:
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'): return int(line.split()[1]) / 1024
    return float('nan')

def reset_hwm()->bool:
    try:
        with open('/proc/self/clear_refs', 'w') as f: f.write('5')
        return True
    except OSError: return False

def make_inputs(m:int, B:int=8, D:int=128, hf:int=40, C:int=21, seed:int=0):
    "Feature maps of the two crops (leaves), their confidences and pseudo labels, the crops' boxes, and m negatives."
    import torch
    from semiseg.mixers import sample_overlapping_crops
    g = torch.Generator().manual_seed(seed)
    r = 8
    boxes = sample_overlapping_crops(B, (512, 512), (hf * r, hf * r), stride=r, iou=(0.1, 1.0), generator=g)
    phi = [torch.randn(B, D, hf, hf, generator=g).requires_grad_() for _ in range(2)]
    conf = [torch.rand(B, hf, hf, generator=g) for _ in range(2)]
    lab = [torch.randint(0, C, (B, hf, hf), generator=g) for _ in range(2)]
    neg = torch.nn.functional.normalize(torch.randn(m, D, generator=g), dim=1)
    neg_lab = torch.randint(0, C, (m,), generator=g)
    return dict(phi=phi, conf=conf, lab=lab, boxes=boxes, neg=neg, neg_lab=neg_lab)

def overlap_rows(inp):
    "The overlap rows of both crops: phi (N, D), conf (N,), labels (N,), image (N,)."
    import torch
    from semiseg.mixers import overlap_masks
    phi1, phi2 = inp['phi']
    B, D, hf, wf = phi1.shape
    m = overlap_masks(inp['boxes'], (hf, wf))
    rows = lambda t, k: t.permute(0, 2, 3, 1)[m[:, k]] if t.ndim == 4 else t[m[:, k]]
    image = torch.arange(B)[:, None, None].expand(B, hf, wf)[m[:, 0]]
    return (rows(phi1, 0), rows(phi2, 1), rows(inp['conf'][0], 0), rows(inp['conf'][1], 1),
            rows(inp['lab'][0], 0), rows(inp['lab'][1], 1), image)

def run_semiseg(inp):
    from semiseg.losses import directional_contrastive_loss
    p1, p2, c1, c2, y1, y2, image = overlap_rows(inp)
    loss = directional_contrastive_loss(p1, p2, c1, c2, y1, y2, inp['neg'], inp['neg_lab'], image=image, n_images=len(inp['boxes']))
    loss.backward()
    return loss

def run_checkpointed(inp, tau:float=0.1, gamma:float=0.75, b:int=8000, eps:float=1e-8):
    "The authors' algorithm (gradient checkpointing over chunks of negatives), re-written for the comparison."
    import torch, torch.nn.functional as F
    from torch.utils.checkpoint import checkpoint
    p1, p2, c1, c2, y1, y2, image = overlap_rows(inp)
    f1, f2 = F.normalize(p1, dim=1), F.normalize(p2, dim=1)
    neg, yn = inp['neg'], inp['neg_lab']
    def first(pos, f, k, yk, y):
        s = torch.cat([pos, f @ k.T / tau], 1)
        mask = torch.cat([torch.ones(len(f), 1), (yk[None] != y[:, None]).float()], 1)
        mx = s.max(1, keepdim=True)[0]
        return (torch.exp(s - mx) * mask).sum(1), mx
    def rest(f, k, yk, y, mx):
        return (torch.exp(f @ k.T / tau - mx) * (yk[None] != y[:, None]).float()).sum(1)
    total = 0
    for fa, fp, ya, ca, cp in [(f1, f2, y1, c1, c2), (f2, f1, y2, c2, c1)]:
        pos = (fa * fp.detach()).sum(1, keepdim=True) / tau
        down = torch.zeros(len(fa))
        for i in range(0, len(neg), b):
            if i == 0:
                part, mx = checkpoint(first, pos, fa, neg[i:i + b], yn[i:i + b], ya, use_reentrant=False)
            else:
                part = checkpoint(rest, fa, neg[i:i + b], yn[i:i + b], ya, mx, use_reentrant=False)
            down = down + part
        l = -torch.log(torch.exp(pos - mx).squeeze(1) / (down + eps) + eps)
        mask = ((cp > gamma) & (ca < cp)).float()
        total = total + (l * mask).sum() / (mask.sum() + 1e-12)
    total.backward()
    return total

IMPLS = {'semiseg': run_semiseg, 'checkpointed': run_checkpointed}

def child(impl:str, m:int, runs:int, threads:int)->dict:
    "Measure one row in this (fresh) process: peak memory of one run, then the timings."
    import torch
    torch.set_num_threads(threads)
    fn = IMPLS[impl]
    fn(make_inputs(500))                                   # load the kernels on a small problem
    inp = make_inputs(m)
    import gc; gc.collect()
    ok = reset_hwm()
    before = rss_mb()
    fn(inp)
    peak = hwm_mb() - before if ok else float('nan')
    for t in inp['phi']: t.grad = None
    ts, cs = [], []
    for i in range(runs + 1):
        t0, c0 = time.perf_counter(), time.process_time(); fn(inp); dt, dc = time.perf_counter() - t0, time.process_time() - c0
        for t in inp['phi']: t.grad = None
        if i: ts.append(dt); cs.append(dc)
    # the work: rows that carry a loss, and the negatives each of them is compared with
    from semiseg.losses import dc_masks
    p1, p2, c1, c2, y1, y2, image = overlap_rows(inp)
    m1, m2 = dc_masks(c1, c2)
    ya = torch.cat([y1[m1], y2[m2]])
    counts = torch.bincount(inp['neg_lab'], minlength=int(max(ya.max(), inp['neg_lab'].max())) + 1)
    kept = int((m - counts[ya]).sum())                     # sum over rows of the negatives with another label
    D = p1.shape[1]
    return dict(impl=impl, negatives=m, threads=threads, median_s=statistics.median(ts), min_s=min(ts), runs_s=ts,
                cpu_median_s=statistics.median(cs),
                peak_mb=peak, overlap_locations=len(p1), rows_with_loss=len(ya),
                gflop_rows_with_loss=2 * 2 * kept * D / 1e9)    # two products (s_ij and sum_j P_ij k_j) of 2 flops per multiply-add

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--negatives', type=int, nargs='+', default=NEGATIVES)
    ap.add_argument('--checkpointed', type=int, nargs='*', default=[500, 19200], help='negatives for the checkpointed rows (slow)')
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'cac.json'))
    ap.add_argument('--child', nargs=4, metavar=('IMPL', 'M', 'RUNS', 'THREADS'), help='internal: one row, printed as JSON')
    a = ap.parse_args()
    if a.child:
        impl, m, runs, th = a.child
        print(json.dumps(child(impl, int(m), int(runs), int(th)))); return
    env = dict(os.environ, OMP_NUM_THREADS='1')
    rows = []
    plan = [('semiseg', m, a.runs, th) for th in a.threads for m in a.negatives]
    plan += [('checkpointed', m, 1, th) for th in a.threads for m in a.checkpointed]
    import torch
    print(f"CAC directional contrastive loss, forward + backward: 8 image pairs, 128-d features at 40x40, CPU: {cpu_name()} "
          f"({os.cpu_count()} cores), torch {torch.__version__}")
    print(f"{'implementation':13s} {'threads':>7s} {'negatives':>9s} {'rows':>6s} {'GFLOP':>6s} {'median s':>9s} {'min s':>7s} {'CPU s':>7s} {'peak MB':>8s} {'load':>5s}")
    for impl, m, runs, th in plan:
        load0 = os.getloadavg()[0]
        r = subprocess.run([sys.executable, __file__, '--child', impl, str(m), str(runs), str(th)], env=env,
                           capture_output=True, text=True, check=True)
        row = json.loads(r.stdout.strip().splitlines()[-1])
        row['load_before'], row['load_after'] = load0, os.getloadavg()[0]
        rows.append(row)
        print(f"{impl:13s} {th:7d} {m:9d} {row['rows_with_loss']:6d} {row['gflop_rows_with_loss']:6.1f} {row['median_s']:9.3f} "
              f"{row['min_s']:7.3f} {row['cpu_median_s']:7.3f} {row['peak_mb']:8.1f} {row['load_before']:5.2f}")
    best = {m: min((r for r in rows if r['impl'] == 'semiseg' and r['negatives'] == m), key=lambda r: r['median_s']) for m in a.negatives}
    t = best.get(19200)
    if t:
        met = t['median_s'] <= TARGET_S and t['peak_mb'] <= TARGET_MB
        print(f"target at 19.2k negatives: <= {TARGET_S} s and <= {TARGET_MB} MB -> {'met' if met else 'MISSED'} "
              f"({t['median_s']:.3f} s with {t['threads']} threads, {t['peak_mb']:.0f} MB)")
    out = dict(setting=dict(pairs=8, channels=128, feature_size=[40, 40], crop=320, image=512, stride=8, iou=[0.1, 1.0],
                            classes=21, confidences='uniform [0, 1]', tau=0.1, gamma=0.75),
               torch=torch.__version__, cpu=cpu_name(), cpu_count=os.cpu_count(), runs=a.runs,
               memory_method='peak RSS above the inputs: /proc/self/clear_refs=5 then VmHWM - VmRSS, fresh process per row',
               note='shared machine: timings depend on the load average recorded with each row',
               target=dict(negatives=19200, seconds=TARGET_S, mb=TARGET_MB,
                           met=bool(t and t['median_s'] <= TARGET_S and t['peak_mb'] <= TARGET_MB)),
               results=rows)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
