"""The default run on the built-in synthetic scenes, for every method: `semiseg train` with its defaults (the tiny network,
20 labeled scenes of 96x96, 2000 iterations, amp 'auto') and `method=...` at that method's defaults, the EMA model
evaluated beside the student. Each run lives in `runs/synthetic_default/<name>/` and resumes from its checkpoint if killed;
`--collect` writes `benchmarks/results/synthetic_default.json`.

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/synthetic_default.py            # runs what is not done, then collects
"""
from __future__ import annotations
import argparse, json, os, platform, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS, RESULTS = ROOT / 'runs' / 'synthetic_default', ROOT / 'benchmarks' / 'results' / 'synthetic_default.json'
ROWS = {'suponly': {}, 'meanteacher_cutmix': dict(method='meanteacher', mix='cutmix'), 'cct': dict(method='cct'),
        'cac': dict(method='cac'), 'scl': dict(method='scl'), 'fixmatch': dict(method='fixmatch'), 'unimatch': dict(method='unimatch')}

def cpu_name()->str:
    try: return next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--collect', action='store_true', help="only write the results file from the finished runs")
    ap.add_argument('--only', default=None, help="comma-separated row names")
    a = ap.parse_args()
    from semiseg.cli import load_config
    from semiseg.trainer import Trainer, discard_unfinished_start
    rows = [r for r in ROWS if a.only is None or r in a.only.split(',')]
    # the rows the results file holds already: a fresh checkout has it but not the ignored run folders, and those runs are done
    recorded = {r['row']: r for r in json.loads(RESULTS.read_text())['runs']} if RESULTS.exists() else {}
    if not a.collect:
        for name in rows:
            out = RUNS / name
            if (out / 'results.json').exists() or name in recorded: continue
            cfg, method = load_config([], dict(ROWS[name], eval_ema=True, out=str(out)))
            print(f"== {name}", flush=True)
            discard_unfinished_start(out)                   # a start killed before its first checkpoint begins again
            Trainer(cfg, method, out, resume=(out / 'checkpoint.pt').exists(), quiet=True).fit()
    runs = []
    for name in ROWS:
        p = RUNS / name / 'results.json'
        if not p.exists():
            if name in recorded: runs.append(recorded[name])
            continue
        r = json.loads(p.read_text())
        runs.append(dict(row=name, method=r['method'], miou=round(r['miou'], 4), miou_ema=round(r.get('miou_ema', float('nan')), 4),
                         iters=r['iters'], wall_time_s=r['wall_time_s'], amp=r['config']['amp'], split=r['split'],
                         iou={k: round(v, 4) for k, v in r['iou'].items()}))
    import torch
    RESULTS.write_text(json.dumps(dict(hardware=f"{cpu_name()}, {os.cpu_count()} cores, no GPU, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
                                                 "one run at a time beside other work", torch=torch.__version__, runs=runs), indent=1) + '\n')
    for r in runs: print(f"{r['row']:<20} mIoU {100 * r['miou']:5.1f}   EMA model {100 * r['miou_ema']:5.1f}   {r['wall_time_s']:.0f} s")
    print(f"wrote {RESULTS.relative_to(ROOT)}")

if __name__ == '__main__': main()
