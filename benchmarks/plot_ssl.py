"""The val curves of the camvid_ssl protocol, one panel per 20-label split, from benchmarks/results/camvid_ssl.json (finished
runs only): the two SupOnly baselines dashed, every method of the done-when and FixMatch/UniMatch solid, and SupOnly trained on
all 367 frames labeled (the ceiling of this budget) as a dotted line where it has run.

    python benchmarks/plot_ssl.py      # -> nbs/images/camvid_ssl_curves.png (the README shows it)
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
BASELINES = {'suponly': 'SupOnly (BN trained)', 'suponly_fbn': 'SupOnly (BN frozen)'}
METHODS = {'mt_cutmix': 'mean teacher CutMix', 'cct': 'CCT', 'cac': 'CAC', 'scl': 'SCL', 'fixmatch': 'FixMatch', 'unimatch': 'UniMatch',
           'fixmatch_ls1': 'FixMatch, λ = 1'}


def main():
    res = json.loads(RESULTS.read_text())
    by = {(r['row'], r['labels'], r['seed']): r for r in res['runs']}
    seeds = sorted({s for (row, l, s) in by if l == 20 and row in BASELINES})
    ceiling = next((r for r in res['runs'] if r['row'] == 'suponly_fbn_all'), None)
    fig, axs = plt.subplots(1, len(seeds), figsize=(4.6 * len(seeds), 3.8), sharey=True, squeeze=False)
    colours = dict(zip(METHODS, plt.cm.tab10.colors[2:]))
    for ax, s in zip(axs[0], seeds):
        for (row, name), c in zip(BASELINES.items(), ('0.35', 'k')):
            if (row, 20, s) in by: ax.plot(*zip(*[(i, 100 * v) for i, v in by[row, 20, s]['curve']]), '--', color=c, lw=1.6, label=name)
        for row, name in METHODS.items():
            if (row, 20, s) in by: ax.plot(*zip(*[(i, 100 * v) for i, v in by[row, 20, s]['curve']]), '-', color=colours[row], lw=1.1, label=name)
        if ceiling: ax.axhline(100 * ceiling['miou'], ls=':', color='k', lw=1.2, label='SupOnly, all 367 labeled (BN frozen)')
        ax.set_title(f"split {s}, 20 labeled frames"); ax.set_xlabel('iteration'); ax.grid(alpha=.3)
    axs[0][0].set_ylabel('val mIoU (%)')
    legend = {}                                                     # every line of every panel, once
    for ax in axs[0]:
        for h, l in zip(*ax.get_legend_handles_labels()): legend.setdefault(l, h)
    fig.legend(legend.values(), legend.keys(), fontsize=8, loc='lower center', ncol=5, frameon=False)
    fig.suptitle(f"CamVid, DeepLabv3+ EfficientNet-Lite0, {res['protocol']['iters']} iterations, bf16 ({res['hardware'].split(';')[0]})", fontsize=9)
    fig.tight_layout(rect=(0, 0.12, 1, 1)); OUT.parent.mkdir(parents=True, exist_ok=True); fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


if __name__ == '__main__': main()
