"The same training under torchrun with 2 CPU processes (gloo) matches the 1-process run with the same global batch."
import json, subprocess, sys
from pathlib import Path
import torch
from conftest import TINY, env1, semiseg, metrics

# tiny_gn: GroupNorm, whose statistics do not depend on how the batch is split over processes
# crop_size=24 <= the smallest rescaled image (0.5 * 48): no padded, ignored pixels, so every process averages its
# loss over the same number of pixels and the mean of the per-process means is the mean over the global batch.
# amp=off: fp32, so the two runs differ only in the order of floating-point sums (bf16 autocast, the default on a CPU
# with bf16 in hardware, rounds differently with the batch split and moves the losses by ~5e-4)
ARGS = TINY + ['model=tiny_gn', 'amp=off', 'crop_size=24', 'iters=30', 'batch_size=8', 'log_every=1', 'eval_every=30', 'ckpt_every=30']


def test_torchrun_two_processes_match_one(tmp_path):
    one, two = tmp_path / 'one', tmp_path / 'two'
    semiseg('train', *ARGS, f'out={one}')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '-m', 'semiseg', 'train', *ARGS, f'out={two}']
    r = subprocess.run(cmd, capture_output=True, text=True, env=env1(), timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]

    l1 = torch.tensor([m['loss'] for m in metrics(one, 'train')])
    l2 = torch.tensor([m['loss'] for m in metrics(two, 'train')])
    assert len(l1) == len(l2) == 30
    # Same weights, same global batches, gradients averaged over the processes: the two runs compute the same
    # thing up to the order of floating-point sums. Tolerance: 1e-4 relative, at every iteration.
    rel = ((l1 - l2).abs() / l1).max()
    assert rel < 1e-4, f"max relative loss difference {rel:.2e}\n{l1}\n{l2}"

    res1, res2 = json.loads((one / 'results.json').read_text()), json.loads((two / 'results.json').read_text())
    assert res2['world'] == 2 and res1['world'] == 1
    assert abs(res1['miou'] - res2['miou']) < 1e-3
    # the confusion matrix is summed over both processes: every val pixel is counted once
    assert res1['val_pixels'] == res2['val_pixels'] == 8 * 48 * 48
    ck = torch.load(two / 'checkpoint.pt', weights_only=True)
    assert ck['world'] == 2 and len(ck['rng']) == 2 and ck['it'] == 30


def test_torchrun_two_domains(tmp_path):
    "Two domains under DDP: each step leaves the other domain's decoder unused (find_unused_parameters), and 2 processes match 1."
    args = ARGS + ['iters=10', 'eval_every=10', 'ckpt_every=10', 'domain2=synthetic', 'domain2_labels=6', 'domain2_crop_size=24']
    one, two = tmp_path / 'one', tmp_path / 'two'
    semiseg('train', *args, f'out={one}')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '-m', 'semiseg', 'train', *args, f'out={two}']
    r = subprocess.run(cmd, capture_output=True, text=True, env=env1(), timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    m1, m2 = metrics(one, 'train'), metrics(two, 'train')
    assert [m['domain'] for m in m2] == [0, 1] * 5
    l1, l2 = torch.tensor([m['loss'] for m in m1]), torch.tensor([m['loss'] for m in m2])
    assert ((l1 - l2).abs() / l1).max() < 1e-4, f"{l1}\n{l2}"
    res1, res2 = json.loads((one / 'results.json').read_text()), json.loads((two / 'results.json').read_text())
    assert [d['val_pixels'] for d in res2['domains']] == [d['val_pixels'] for d in res1['domains']] == [8 * 48 * 48] * 2
    assert abs(res1['miou'] - res2['miou']) < 1e-3
