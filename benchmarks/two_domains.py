"""CCT on two domains (Ouali et al., Sec. 3.4, Table 2): CamVid + the synthetic scenes, CCT against the baseline trained on
the labeled images only, both with the shared encoder and one decoder per domain (configs/camvid_synthetic_{cct,suponly}.yaml).

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/two_domains.py &     # a worker: trains the next run nobody holds
    python benchmarks/two_domains.py --collect                             # table + benchmarks/results/two_domains.json

Runs live in runs/two_domains/<method>_s<seed>/; a finished run is skipped, a killed one resumes from its checkpoint.
"""
from __future__ import annotations
import argparse, json, os, platform, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from camvid_protocol import claim

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / 'runs' / 'two_domains'
RESULTS = ROOT / 'benchmarks' / 'results' / 'two_domains.json'
PLAN = [('suponly', 0), ('cct', 0)]

def train_one(method:str, seed:int):
    from semiseg.cli import load_config
    from semiseg.domains import make_trainer
    from semiseg.trainer import discard_unfinished_start
    out = RUNS / f"{method}_s{seed}"
    if (out / 'results.json').exists(): return
    cfg, m = load_config([ROOT / 'configs' / f'camvid_synthetic_{method}.yaml'],
                         dict(seed=seed, split_seed=seed, data_root=str(ROOT.parent / 'shared' / 'data' / 'camvid'), out=str(out)))
    resume = (out / 'checkpoint.pt').exists()
    if not resume: discard_unfinished_start(out)            # a start killed before its first checkpoint begins again
    print(f"== {out.name}" + (" (resuming)" if resume else ""), flush=True)
    make_trainer(cfg, m, out, resume=resume).fit()

def collect():
    rows = []
    for method, seed in PLAN:
        p = RUNS / f"{method}_s{seed}" / 'results.json'
        if not p.exists(): continue
        r = json.loads(p.read_text())
        rows.append(dict(method=method, seed=seed, iters=r['iters'], wall_time_s=r['wall_time_s'], miou_mean=round(r['miou'], 4),
                         domains=[dict(dataset=d['dataset'], miou=round(d['miou'], 4), iou={k: round(v, 4) for k, v in d['iou'].items()})
                                  for d in r['domains']], split=r['split']['name']))
    res = dict(setting="CamVid (20 labels) + synthetic scenes (20 labels), DeepLabv3+ EfficientNet-Lite0 shared encoder, 400 iterations "
                       "alternating domains (200 each), batch 4 + 4, SGD lr 0.01 (backbone 0.001)",
               hardware=f"{platform.machine()} CPU, {os.cpu_count()} cores, no GPU; OMP_NUM_THREADS=1, the other core busy with another run",
               runs=rows)
    RESULTS.write_text(json.dumps(res, indent=1) + '\n')
    print(f"{'method':<10}{'CamVid':>8}{'synthetic':>11}{'mean':>7}{'wall s':>9}")
    for r in rows:
        print(f"{r['method']:<10}{100 * r['domains'][0]['miou']:>8.1f}{100 * r['domains'][1]['miou']:>11.1f}{100 * r['miou_mean']:>7.1f}{r['wall_time_s']:>9.0f}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--collect', action='store_true', help="write the results file from the finished runs")
    if ap.parse_args().collect: return collect()
    for method, seed in PLAN:
        out = RUNS / f"{method}_s{seed}"
        if (out / 'results.json').exists() or not claim(out): continue
        try: train_one(method, seed)
        finally: (out / '.claim').unlink(missing_ok=True)

if __name__ == '__main__': main()
