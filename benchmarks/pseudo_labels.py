"""What the unlabeled images teach: the quality of the pseudo-labels that finished CamVid runs would give (issue 21, item 4).

For each run folder given, the model of its final checkpoint (the EMA teacher where the run kept one, `--student` for the
student) predicts every unlabeled training image of the run's split, whole and in eval mode, as `semiseg eval` does. CamVid's
training images all have labels, so each prediction is scored against the true one:
  - `confident`: the share of (non-void) pixels whose top probability reaches the threshold (0.97: French et al.'s
    confidence modulation; 0.95: FixMatch/UniMatch), and the accuracy of the pseudo-labels on those pixels and on all;
  - per class (by the true label): its share of the unlabeled pixels, the share of them that are confident, and the
    accuracy of the confident ones; the mIoU of the predictions on the unlabeled images.
A consistency loss gated by confidence can only teach where the teacher is confident; this shows on which classes that is.

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_labels.py runs/camvid_ssl/mt_cutmix_l20_s0 runs/camvid_ssl/suponly_fbn_l20_s0
writes benchmarks/results/camvid_ssl_pseudo_labels.json (one entry per run, replaced when measured again) and prints a table.
"""
from __future__ import annotations
import argparse, json, time
from pathlib import Path
import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / 'benchmarks' / 'results' / 'camvid_ssl_pseudo_labels.json'


@torch.no_grad()
def measure(run:Path, thresholds=(0.95, 0.97), student:bool=False, batch:int=8)->dict:
    from semiseg.models import build_model, read_checkpoint
    from semiseg.trainer import TrainConfig
    from semiseg.datasets import build_dataset, resolve_split
    from semiseg.data import AUG_PRESETS
    st = read_checkpoint(run / 'checkpoint.pt')
    cfg = TrainConfig(**st['config'])
    which = 'model' if student or st.get('teacher') is None else 'teacher'
    train = build_dataset(cfg, 'train', AUG_PRESETS[cfg.aug].eval())
    _, unl, split = resolve_split(cfg, train)
    assert split['checksum'] == st['split']['checksum'], f"{run}: the split differs from the run's"
    C, ignore = train.info.num_classes, train.info.ignore_index
    model = build_model(cfg.model, C, pretrained='none'); model.load_state_dict(st[which]); model.eval()
    conf_n = {t: np.zeros(C) for t in thresholds}; conf_ok = {t: np.zeros(C) for t in thresholds}
    total, correct, cm = np.zeros(C), np.zeros(C), np.zeros((C, C), dtype=np.int64)
    for s in range(0, len(unl), batch):
        xs, ys = zip(*[train[i] for i in unl[s:s + batch]])
        x, y = torch.stack(xs), torch.stack(ys)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=cfg.amp == 'bf16'):
            p = model(x).float().softmax(1)
        conf, pred = p.max(1)
        valid = y != ignore
        yv, pv, cv = y[valid].numpy(), pred[valid].numpy(), conf[valid].numpy()
        total += np.bincount(yv, minlength=C); correct += np.bincount(yv[pv == yv], minlength=C)
        cm += np.bincount(yv * C + pv, minlength=C * C).reshape(C, C)
        for t in thresholds:
            m = cv >= t
            conf_n[t] += np.bincount(yv[m], minlength=C); conf_ok[t] += np.bincount(yv[m & (pv == yv)], minlength=C)
    iou = np.diag(cm) / np.maximum(cm.sum(0) + cm.sum(1) - np.diag(cm), 1)
    out = dict(run=run.name, model=which, it=st['it'], n_images=len(unl), miou_unlabeled=round(float(iou.mean()), 4),
               accuracy=round(float(correct.sum() / total.sum()), 4), classes=train.info.classes,
               class_share=[round(float(v), 4) for v in total / total.sum()],
               class_accuracy=[round(float(v), 4) for v in correct / np.maximum(total, 1)],
               class_iou=[round(float(v), 4) for v in iou], thresholds={})
    for t in thresholds:
        out['thresholds'][str(t)] = dict(confident=round(float(conf_n[t].sum() / total.sum()), 4),
                                         accuracy_confident=round(float(conf_ok[t].sum() / max(conf_n[t].sum(), 1)), 4),
                                         class_confident=[round(float(v), 4) for v in conf_n[t] / np.maximum(total, 1)],
                                         class_accuracy_confident=[round(float(v), 4) for v in conf_ok[t] / np.maximum(conf_n[t], 1)])
    return out


def table(rows:list, t:str='0.97')->str:
    classes = rows[0]['classes']
    head = f"{'class':<11} {'share':>6} " + ' '.join(f"{r['run'][:18] + ('/ema' if r['model'] == 'teacher' else ''):>30}" for r in rows)
    lines = [head, f"{'':<11} {'':>6} " + ' '.join(f"{'confident / acc(conf) / IoU':>30}" for _ in rows)]
    for c, name in enumerate(classes):
        cells = [f"{r['thresholds'][t]['class_confident'][c]:.2f} / {r['thresholds'][t]['class_accuracy_confident'][c]:.2f} / {r['class_iou'][c]:.2f}" for r in rows]
        lines.append(f"{name:<11} {rows[0]['class_share'][c]:>6.3f} " + ' '.join(f"{x:>30}" for x in cells))
    cells = [f"{r['thresholds'][t]['confident']:.2f} / {r['thresholds'][t]['accuracy_confident']:.2f} / {r['miou_unlabeled']:.2f}" for r in rows]
    lines.append(f"{'all':<11} {1:>6.3f} " + ' '.join(f"{x:>30}" for x in cells))
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('runs', nargs='+', type=Path)
    ap.add_argument('--student', action='store_true', help="the student's weights, not the EMA teacher's")
    a = ap.parse_args()
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else dict(runs=[])
    rows = []
    for run in a.runs:
        t0 = time.time(); r = measure(run, student=a.student); r['seconds'] = round(time.time() - t0, 1); rows.append(r)
    keep = [r for r in old['runs'] if (r['run'], r['model']) not in {(x['run'], x['model']) for x in rows}]
    from semiseg.trainer import device_name
    RESULTS.write_text(json.dumps(dict(about=__doc__.split('\n')[0], device=f"{device_name(torch.device('cpu'))} CPU, {torch.get_num_threads()} thread(s)",
                                       runs=keep + rows), indent=1))
    print(table(rows))


if __name__ == '__main__': main()
