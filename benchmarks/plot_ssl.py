"""The val curves of the camvid_ssl protocol, one panel per split and label count (20, then 50 where run), from
benchmarks/results/camvid_ssl.json (finished runs only): the two SupOnly baselines dashed, every method of the done-when and
FixMatch/UniMatch solid, and SupOnly trained on all 367 frames labeled (the ceiling of this budget) as a dotted line where it
has run. And the done-when at a glance: each row's paired differences to its SupOnly by split (dots), their mean (bar), the
done-when's +2 points, and the band within which SupOnly retrained with another seed moved (the yardstick of chance).

    python benchmarks/plot_ssl.py      # -> nbs/images/camvid_ssl_curves.png, camvid_ssl_done_when.png (the README shows both)
"""
from __future__ import annotations
import json
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / 'benchmarks' / 'results' / 'camvid_ssl.json'
OUT = ROOT / 'nbs' / 'images' / 'camvid_ssl_curves.png'
OUT_DONE = ROOT / 'nbs' / 'images' / 'camvid_ssl_done_when.png'
BASELINES = {'suponly': 'SupOnly (BN trained)', 'suponly_fbn': 'SupOnly (BN frozen)'}
METHODS = {'mt_cutmix': 'mean teacher CutMix', 'cct': 'CCT', 'cac': 'CAC', 'scl': 'SCL', 'fixmatch': 'FixMatch', 'unimatch': 'UniMatch',
           'fixmatch_ls1': 'FixMatch, λ = 1'}


def curves(res:dict):
    by = {(r['row'], r['labels'], r['seed']): r for r in res['runs']}
    seeds = sorted({s for (row, l, s) in by if l == 20 and row in BASELINES})
    counts = sorted({l for (row, l, s) in by if row in BASELINES})          # a row of panels per label count: 20, then 50
    ceiling = next((r for r in res['runs'] if r['row'] == 'suponly_fbn_all'), None)
    fig, axs = plt.subplots(len(counts), len(seeds), figsize=(4.6 * len(seeds), 0.6 + 3.2 * len(counts)), sharex=True, sharey=True, squeeze=False)
    colours = dict(zip(METHODS, plt.cm.tab10.colors[2:]))
    for axr, n in zip(axs, counts):
        for ax, s in zip(axr, seeds):
            for (row, name), c in zip(BASELINES.items(), ('0.35', 'k')):
                if (row, n, s) in by: ax.plot(*zip(*[(i, 100 * v) for i, v in by[row, n, s]['curve']]), '--', color=c, lw=1.6, label=name)
            for row, name in METHODS.items():
                if (row, n, s) in by: ax.plot(*zip(*[(i, 100 * v) for i, v in by[row, n, s]['curve']]), '-', color=colours[row], lw=1.1, label=name)
            if ceiling: ax.axhline(100 * ceiling['miou'], ls=':', color='k', lw=1.2, label='SupOnly, all 367 labeled (BN frozen)')
            ax.set_title(f"split {s}, {n} labeled frames", fontsize=10); ax.grid(alpha=.3)
        axr[0].set_ylabel('val mIoU (%)')
    for ax in axs[-1]: ax.set_xlabel('iteration')
    legend = {}                                                     # every line of every panel, once
    for ax in axs.flat:
        for h, l in zip(*ax.get_legend_handles_labels()): legend.setdefault(l, h)
    fig.legend(legend.values(), legend.keys(), fontsize=8, loc='lower center', ncol=5, frameon=False)
    fig.suptitle(f"CamVid, DeepLabv3+ EfficientNet-Lite0, {res['protocol']['iters']} iterations, {res['protocol']['amp']} ({res['hardware'].split(';')[0]})", fontsize=9)
    fig.tight_layout(rect=(0, 0.45 / (0.6 + 3.2 * len(counts)), 1, 1)); OUT.parent.mkdir(parents=True, exist_ok=True); fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


def done_when(res:dict):
    "The `done_when` table of the results file as a figure: one column per row, a dot per split, the mean as a bar."
    board = [p for p in res['done_when'] if p['row'] != 'suponly_reseed' and p['labels'] == 20]
    reseed = next((p for p in res['done_when'] if p['row'] == 'suponly_reseed'), None)
    margin = res['margin']
    fig, ax = plt.subplots(figsize=(1.05 * len(board) + 3.6, 3.8))
    if reseed:
        lim = max(abs(v) for v in reseed['diff'].values())
        ax.axhspan(-100 * lim, 100 * lim, color='0.9', zorder=0,
                   label=f"SupOnly retrained with another seed: within ±{100 * lim:.1f} ({len(reseed['diff'])} split{'s' * (len(reseed['diff']) > 1)})")
    ax.axhline(0, color='k', lw=0.8); ax.axhline(100 * margin, color='tab:green', ls='--', lw=1, label=f"done-when: +{100 * margin:.0f} points")
    markers = dict(zip('012', 'os^'))
    for x, p in enumerate(board):
        ax.bar(x, 100 * p['mean'], width=0.6, color='tab:blue' if p['verdict'] == 'met' else '0.6', alpha=0.55)
        for s, v in p['diff'].items(): ax.plot(x, 100 * v, markers.get(s, 'o'), color='k', ms=5, label=f"split {s}")
    n = len(res['seeds'])
    ax.set_xticks(range(len(board)), [f"{p['row']}\nBN {'trained' if p['baseline'] == 'suponly' else 'frozen'}\n{len(p['diff'])}/{n} splits" for p in board], fontsize=8)
    ax.set_ylabel('val mIoU − its SupOnly (points)'); ax.grid(axis='y', alpha=.3)
    h, l = ax.get_legend_handles_labels(); legend = dict(zip(l, h))
    ax.legend(legend.values(), legend.keys(), fontsize=7, loc='upper left', bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(f"CamVid, 20 labels: paired differences by split (bars: their mean; blue: done-when met), {res['protocol']['iters']} iterations, {res['protocol']['amp']}", fontsize=8)
    fig.tight_layout(); fig.savefig(OUT_DONE, dpi=110)
    print(f"wrote {OUT_DONE}")


def main():
    res = json.loads(RESULTS.read_text())
    curves(res)
    if 'done_when' in res: done_when(res)


if __name__ == '__main__': main()
