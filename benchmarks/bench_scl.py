"""Time and memory of the structured consistency loss of Kim et al. (BMVC 2020, Eq. 10), forward + backward on CPU.

The setting of the issue: probabilities of shape (4, 19, 256, 512) float32 (40 MB each; 19 classes as Cityscapes),
layered CutMix with N = 32 boxes, the loss on the last N_box = 16 boxes, N_pair = 9000 pairs per box at most.
Rows:

- straightforward: image by image and box by box, the full |T_n| x |T_n| cosine-similarity matrices of student and
  teacher, then Drop (Eq. 9) as written: a random subset of N_pair of their entries (randperm), autograd;
- gathers + autograd: the same sampled pairs as ours (`sample_pairs`), both pixels of every pair gathered from the
  normalised maps and the cosines computed by autograd: the obvious vectorised version;
- structured_consistency_loss: ours (sparse kernels, gradient in closed form in the forward pass);
- structured_consistency_loss(n_pair=None): all pairs of every box, exactly (Eq. 8), by the Gram identity;
- context: the layered CutMix masks of the batch, a fresh 40 MB tensor, softmax forward + backward of the shape.

Memory: every row runs in a fresh process. After the inputs (student and teacher probabilities, box map) exist, the
process's peak resident set is reset (`echo 5 > /proc/self/clear_refs`, which sets VmHWM to the current RSS); one
cold forward + backward later, "peak extra MB" is VmHWM - RSS before: everything the loss allocated at its peak,
the 40 MB gradient it returns included, plus what the allocator kept. Time: the median (and min) of `--runs` runs
after one warm-up (the straightforward row: one run, the cold one).

    PYTHONPATH=. python benchmarks/bench_scl.py        # prints a table, writes benchmarks/results/scl.json

The target (issue): <= 0.25 s and <= 300 MB beyond the inputs for our loss on "this CPU" (2 cores); rows are timed
with 1 and with 2 torch threads. The machine is shared: the load average is recorded before and after each row.
"""
from __future__ import annotations
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from semiseg.mixers import layered_cutmix_masks
from semiseg.losses import structured_consistency_loss, box_pixels, sample_pairs

SHAPE, N, NBOX, NPAIR = (4, 19, 256, 512), 32, 16, 9000
TARGET_S, TARGET_MB = 0.25, 300

def straightforward(ps, pt, idx, n_boxes=N, n_box=NBOX, n_pair=NPAIR, generator=None):
    "Box by box: full similarity matrices, then Drop as written (a random subset of n_pair entries)."
    B, C = ps.shape[:2]
    tot = ps.new_zeros(())
    for b in range(B):
        for n in range(n_boxes - n_box, n_boxes):
            m = (idx[b] == n).view(-1)
            c = int(m.sum())
            if c == 0: continue
            s = F.normalize(ps[b].reshape(C, -1)[:, m], dim=0)
            with torch.no_grad(): t = F.normalize(pt[b].reshape(C, -1)[:, m], dim=0)
            d = (s.T @ s - t.T @ t).view(-1)
            if c * c > n_pair: d = d[torch.randperm(c * c, generator=generator)[:n_pair]]
            tot = tot + d.square().mean()
    return tot / (B * n_box)

def gathers_autograd(ps, pt, idx, n_boxes=N, n_box=NBOX, n_pair=NPAIR, generator=None):
    "Our pair sample, the cosines by gathering both pixels of every pair, gradient by autograd."
    B, C = ps.shape[:2]
    b, q, counts = box_pixels(idx, range(n_boxes - n_box, n_boxes))
    I, J, w, _ = (t.reshape(-1) for t in sample_pairs(counts, n_pair, generator))
    def cos(p):
        x = F.normalize(p.reshape(B, C, -1).permute(0, 2, 1)[b, q], dim=1)
        return (x[I] * x[J]).sum(1)
    with torch.no_grad(): at = cos(pt)
    return ((cos(ps) - at).square() * w.float()).sum() / (B * n_box)

def ours(ps, pt, idx, generator=None): return structured_consistency_loss(ps, pt, idx, N, NBOX, NPAIR, generator)
def ours_exact(ps, pt, idx, generator=None): return structured_consistency_loss(ps, pt, idx, N, NBOX, None)

ROWS = {
    'straightforward': ('straightforward: per box, full |T_n|^2 similarity matrices, Drop by randperm, autograd', straightforward),
    'gathers': ('gathers + autograd: our pair sample, both pixels gathered per pair', gathers_autograd),
    'ours': ('structured_consistency_loss (N_pair = 9000)', ours),
    'exact': ('structured_consistency_loss (n_pair=None: all pairs, exactly)', ours_exact),
    'masks': ('context: layered_cutmix_masks for the batch (N = 32)', None),
    'alloc': ('context: allocate and write one 40 MB tensor', None),
    'softmax': ('context: softmax forward + backward of the shape', None),
}

def status_kb(key:str)->int:
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'): return int(line.split()[1])
    raise KeyError(key)

def child(name:str, runs:int, threads:int):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    B, C, H, W = SHAPE
    M, idx = layered_cutmix_masks(B, (H, W), n_boxes=N, generator=g)
    z = torch.randn(B, C, H, W, generator=g)
    pt = torch.softmax(torch.randn(B, C, H, W, generator=g) * 3, 1)
    ps = torch.softmax(pt.log() + torch.randn(B, C, H, W, generator=g), 1).requires_grad_()   # a noisy student
    fn = ROWS[name][1]
    info = {}
    if fn is not None:
        def step():
            ps.grad = None
            loss = fn(ps, pt, idx, generator=g)
            loss.backward()
            return float(loss.detach())
    elif name == 'masks': step = lambda: layered_cutmix_masks(B, (H, W), n_boxes=N, generator=g)
    elif name == 'alloc': step = lambda: torch.empty(B, C, H, W).fill_(1.)
    else:
        zz = z.detach().requires_grad_()
        def step():
            zz.grad = None
            torch.softmax(zz, 1).backward(pt)
    rss0 = status_kb('VmRSS')
    with open('/proc/self/clear_refs', 'w') as f: f.write('5')       # VmHWM := VmRSS
    t0 = time.perf_counter(); out = step(); cold = time.perf_counter() - t0
    peak = (status_kb('VmHWM') - rss0) / 1024
    if isinstance(out, float): info['loss'] = out
    ts = [cold] if name == 'straightforward' else []
    if name != 'straightforward':
        step()                                                          # warm-up
        for _ in range(runs):
            t0 = time.perf_counter(); step(); ts.append(time.perf_counter() - t0)
    print(json.dumps(dict(name=name, threads=threads, median_s=statistics.median(ts), min_s=min(ts), runs_s=ts,
                          cold_s=cold, peak_extra_MB=peak, **info)))

from _bench import cpu_name          # benchmarks/ is on sys.path when a script runs

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--rows', nargs='+', default=list(ROWS), choices=list(ROWS))
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'scl.json'))
    ap.add_argument('--child', help='internal: run one row in this process and print JSON')
    a = ap.parse_args()
    if a.child: return child(a.child, a.runs, a.threads[0])
    B, C, H, W = SHAPE
    print(f"structured consistency loss, forward + backward: probabilities {SHAPE} float32, N = {N}, N_box = {NBOX}, N_pair = {NPAIR}; "
          f"torch {torch.__version__}, CPU: {cpu_name()} ({os.cpu_count()} cores)")
    print(f"{'variant':86s} {'thr':>3s} {'median s':>9s} {'min s':>7s} {'peak extra MB':>13s} {'load':>9s}")
    results = []
    for threads in a.threads:
        for name in a.rows:
            load0 = os.getloadavg()[0]
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            p = subprocess.run([sys.executable, __file__, '--child', name, '--runs', str(a.runs), '--threads', str(threads)],
                               env=env, capture_output=True, text=True)
            if p.returncode: raise RuntimeError(f"row {name} failed:\n{p.stderr}")
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r.update(variant=ROWS[name][0], load_before=load0, load_after=os.getloadavg()[0])
            results.append(r)
            print(f"{r['variant']:86s} {threads:3d} {r['median_s']:9.3f} {r['min_s']:7.3f} {r['peak_extra_MB']:13.0f} "
                  f"{load0:4.1f}-{r['load_after']:<4.1f}", flush=True)
    def row(name, threads): return next((r for r in results if r['name'] == name and r['threads'] == threads), None)
    summary = {}
    for threads in a.threads:
        o, s = row('ours', threads), row('straightforward', threads)
        if o is None: continue
        summary[threads] = dict(time_s=o['median_s'], peak_extra_MB=o['peak_extra_MB'],
                                time_met=o['median_s'] <= TARGET_S, memory_met=o['peak_extra_MB'] <= TARGET_MB)
        if s is not None:
            summary[threads].update(speedup_vs_straightforward=s['median_s'] / o['median_s'],
                                    memory_ratio_vs_straightforward=s['peak_extra_MB'] / max(o['peak_extra_MB'], 1e-9))
        ctx, sm = row('alloc', threads), row('softmax', threads)
        if sm is not None: summary[threads]['time_in_softmax_fwd_bwd'] = o['median_s'] / sm['median_s']   # machine-load-independent-ish
        print(f"{threads} thread(s): ours {o['median_s']:.3f} s (target {TARGET_S} s: {'met' if o['median_s'] <= TARGET_S else 'MISSED'}), "
              f"peak extra {o['peak_extra_MB']:.0f} MB (target {TARGET_MB} MB: {'met' if o['peak_extra_MB'] <= TARGET_MB else 'MISSED'})"
              + (f"; {s['median_s'] / o['median_s']:.0f}x faster and {s['peak_extra_MB'] / max(o['peak_extra_MB'], 1e-9):.0f}x less memory than the straightforward version" if s else '')
              + (f"; one fresh 40 MB tensor takes {1e3 * ctx['median_s']:.0f} ms right now" if ctx else '')
              + (f"; ours = {o['median_s'] / sm['median_s']:.1f} x a softmax forward + backward of the shape" if sm else ''))
    out = dict(shape=SHAPE, dtype='float32', n_boxes=N, n_box=NBOX, n_pair=NPAIR, runs=a.runs, warmup=1, torch=torch.__version__,
               cpu=cpu_name(), cpu_count=os.cpu_count(), target_s=TARGET_S, target_MB=TARGET_MB,
               memory_method='fresh process per row; VmHWM - VmRSS around one cold forward+backward after resetting VmHWM via /proc/self/clear_refs',
               note='shared machine: compare rows measured at similar load; the load average (1 min) is recorded for every row',
               summary=summary, results=results)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
