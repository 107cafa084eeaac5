"""What the CamVid protocol's labeled splits hold: for each split (labels, seed) the video sequence of every labeled frame, the
class shares of their pixels, and the unlabeled pool's sequences; and the same for the val set, which is one sequence.

The 367 training frames come from three drives (0001TP, 0006R0, 0016E5), one frame a second; the 101 val frames are one
stretch of 0016E5 (every second frame of 07959-08159, under 7 s of video at 30 fps) with that drive's training frames on
either side of it. A split whose labeled frames hold fewer frames of 0016E5 has seen less of the val drive, which is one
reason the same method scores differently on different splits. Reads the labels only (a few seconds):

    PYTHONPATH=. python benchmarks/camvid_splits.py      # -> benchmarks/results/camvid_splits.json, and a table
"""
from __future__ import annotations
import argparse, json
from collections import Counter
from pathlib import Path
import torch
from semiseg.trainer import TrainConfig
from semiseg.datasets import build_dataset, resolve_split

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'benchmarks' / 'results' / 'camvid_splits.json'


def sequence(name:str)->str: return name.split('_')[0]      # 0016E5_07959 -> 0016E5


def describe(ds, ids, n_classes:int, ignore:int)->dict:
    "The sequences of frames `ids` of `ds`, and the share of their labeled pixels in each class."
    counts = torch.zeros(n_classes, dtype=torch.long)
    for i in ids:
        y = ds[i][1].flatten()
        counts += torch.bincount(y[y != ignore].long(), minlength=n_classes)[:n_classes]
    names = sorted(ds.name(i) for i in ids)
    return dict(n=len(ids), sequences=dict(sorted(Counter(map(sequence, names)).items())),
                span={q: [min(n for n in names if sequence(n) == q), max(n for n in names if sequence(n) == q)] for q in sorted(set(map(sequence, names)))},
                class_share=[round(float(c), 5) for c in counts / counts.sum()])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data-root', default=str(ROOT.parent / 'shared' / 'data' / 'camvid'))
    ap.add_argument('--labels', type=int, nargs='+', default=[20, 50])
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    a = ap.parse_args()
    cfg = TrainConfig(dataset='camvid', data_root=a.data_root)
    train, val = build_dataset(cfg, 'train', None), build_dataset(cfg, 'val', None)
    info = train.info
    out = dict(classes=list(info.classes), val=describe(val, range(len(val)), info.num_classes, info.ignore_index),
               train=describe(train, range(len(train)), info.num_classes, info.ignore_index), splits=[])
    for labels in a.labels:
        for seed in a.seeds:
            cfg = TrainConfig(dataset='camvid', data_root=a.data_root, labels=labels, split_seed=seed)
            lab, unl, rec = resolve_split(cfg, train)
            out['splits'].append(dict(labels=labels, seed=seed, name=rec['name'], checksum=rec['checksum'],
                                      labeled=describe(train, lab, info.num_classes, info.ignore_index),
                                      unlabeled_sequences=dict(sorted(Counter(sequence(train.name(i)) for i in unl).items()))))
    OUT.write_text(json.dumps(out, indent=1) + '\n')
    seqs = sorted(out['train']['sequences'])
    print(f"{'split':<22}" + ''.join(f"{s:>8}" for s in seqs) + ''.join(f"{c[:8]:>9}" for c in out['classes']))
    for r in [dict(name='val (101 frames)', labeled=out['val']), dict(name='train (367 frames)', labeled=out['train']), *out['splits']]:
        print(f"{r['name']:<22}" + ''.join(f"{r['labeled']['sequences'].get(s, 0):>8}" for s in seqs)
              + ''.join(f"{100 * v:>9.2f}" for v in r['labeled']['class_share']))
    print(f"wrote {OUT}")


if __name__ == '__main__': main()
