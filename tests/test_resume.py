"A run killed with SIGKILL after a checkpoint resumes and ends exactly as an uninterrupted run."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import torch
from conftest import TINY, env1, semiseg, metrics

ARGS = TINY + ['iters=150', 'ckpt_every=10', 'log_every=5', 'eval_every=50']


def _ckpt_it(path):
    try: return torch.load(path, map_location='cpu', weights_only=True)['it']
    except Exception: return None      # not written yet


def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    full, killed = tmp_path / 'full', tmp_path / 'killed'
    semiseg('train', *ARGS, f'out={full}')

    p = subprocess.Popen([sys.executable, '-m', 'semiseg', 'train', *ARGS, f'out={killed}'], env=env1(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, it = time.time() + 300, None
    while time.time() < deadline and p.poll() is None:
        it = _ckpt_it(killed / 'checkpoint.pt')
        if it is not None and it >= 20: break
        time.sleep(0.05)
    assert p.poll() is None, "the run ended before it could be killed; make it longer"
    p.send_signal(signal.SIGKILL); p.wait()
    it = _ckpt_it(killed / 'checkpoint.pt')
    assert it is not None and 20 <= it < 150, it
    assert not (killed / 'results.json').exists()

    semiseg('train', '--resume', killed)

    a, b = json.loads((full / 'results.json').read_text()), json.loads((killed / 'results.json').read_text())
    assert a['miou'] == b['miou'] and a['iou'] == b['iou']
    # the log reads as one uninterrupted run: same records, nothing lost or doubled
    assert metrics(full) == metrics(killed)
    sa = torch.load(full / 'checkpoint.pt', weights_only=True)
    sb = torch.load(killed / 'checkpoint.pt', weights_only=True)
    for k in ('model', 'teacher'):
        for n, v in sa[k].items(): assert torch.equal(v, sb[k][n]), (k, n)
    assert sorted(os.listdir(killed)) == sorted(os.listdir(full))


def test_resume_refuses_overrides_and_missing_checkpoint(tmp_path):
    r = semiseg('train', '--resume', tmp_path, check=False)
    assert r.returncode == 2 and f'no checkpoint.pt in {tmp_path}' in r.stderr
    r = semiseg('train', 'iters=5', '--resume', tmp_path, check=False)
    assert r.returncode == 2 and 'keeps its saved config' in r.stderr
