"Bad settings give one clear error line naming the key or path, and exit code 2: no traceback."
import os
import pytest, torch
from conftest import TINY, semiseg

CASES = [
    (['labelz=20'], "semiseg: error: labelz: unknown key; did you mean 'labels'?"),
    (['labels=1.5'], "semiseg: error: labels: a labeled fraction must be in (0, 1], got 1.5"),
    (['labels=0'], "semiseg: error: labels: a labeled count must be >= 1, got 0"),
    (['dataset=camvid', 'data_root=/no/such/folder'], "semiseg: error: data_root: /no/such/folder is not a folder"),
    (['num_classes=5', 'iters=1'], "semiseg: error: num_classes: the config says 5 but dataset 'synthetic' has 6 classes (background, disc, box, triangle, ring, cross)"),
    (['method=noisystudent'], "semiseg: error: method: unknown method 'noisystudent'; known: cac, cct, fixmatch, meanteacher, scl, selftraining, suponly, unimatch"),
    (['iters=ten'], "semiseg: error: iters: expected int, got 'ten'"),
    (['head_dropout=no'], "semiseg: error: head_dropout: expected bool, got 'no'"),
    (['head_dropout=false'], "semiseg: error: head_dropout: false is for the deeplabv3p_* models; tiny has no such option"),
    (['/no/such/config.yaml'], "semiseg: error: /no/such/config.yaml: no such config file"),
    (['domain2=camvid', 'domain2_data_root=/no/such/folder'], "semiseg: error: domain2_data_root: /no/such/folder is not a folder"),
    (['domain2=synthetic', 'domain2_labels=0'], "semiseg: error: domain2_labels: expected a count >= 1 or a fraction in (0, 1], got 0"),
    (['init_from=/no/such/checkpoint.pt'], "semiseg: error: init_from: /no/such/checkpoint.pt is not a checkpoint file"),
    (['dataset=camvd'], "semiseg: error: dataset: unknown dataset 'camvd'; did you mean 'camvid'?"),
    (['model=deeplabv3p_r101'], "semiseg: error: pretrained: a ResNet-101 backbone needs ImageNet weights: set pretrained: imagenet (torchvision's, "
                                "downloaded once to torch's cache), the path of a torchvision ResNet-101 state dict, or pretrained: none for random weights"),
    (['method=meanteacher', 'batch_size_u=1'], "semiseg: error: batch_size_u: mix='cutmix' pairs the unlabeled images of a batch: batch_size_u per process must be >= 2, got 1"),
    (['pretrained=imagenet'], "semiseg: error: pretrained: model 'tiny' has no pretrained weights (got 'imagenet'); it starts from a random init"),
]


@pytest.mark.parametrize('args,msg', CASES, ids=[c[0][-1] for c in CASES])
def test_bad_config_is_one_clear_line(args, msg, tmp_path):
    r = semiseg('train', *TINY, f'out={tmp_path}/run', *args, check=False)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == msg
    assert not (tmp_path / 'run' / 'checkpoint.pt').exists()


def test_eval_missing_checkpoint(tmp_path):
    r = semiseg('eval', tmp_path / 'none.pt', check=False)
    assert r.returncode == 2 and r.stderr.strip() == f"semiseg: error: {tmp_path / 'none.pt'}: no such checkpoint file"


def test_eval_unreadable_checkpoint_is_one_clear_line(tmp_path):
    "A file that is not a checkpoint, an empty one and one cut short: one line naming the file, exit 2 (eval and --resume)."
    semiseg('train', *TINY, 'iters=1', f'out={tmp_path}/run')
    ck = tmp_path / 'run' / 'checkpoint.pt'
    bad = {'notes.md': 'it is not a file torch.save wrote', 'empty.pt': 'the file is empty', 'cut.pt': 'the file is cut short or damaged'}
    (tmp_path / 'notes.md').write_text('# notes\n'); (tmp_path / 'empty.pt').write_bytes(b''); (tmp_path / 'cut.pt').write_bytes(ck.read_bytes()[:4000])
    for name, why in bad.items():
        r = semiseg('eval', tmp_path / name, check=False)
        assert r.returncode == 2 and r.stderr.strip() == f"semiseg: error: {tmp_path / name}: not a readable checkpoint of semiseg train: {why}" + (
            ' (a zip archive torch cannot read)' if name == 'cut.pt' else ''), r.stderr
    ck.write_bytes(ck.read_bytes()[:4000])
    r = semiseg('train', '--resume', tmp_path / 'run', check=False)
    assert r.returncode == 2 and r.stderr.strip().startswith(f"semiseg: error: --resume: {ck}: not a readable checkpoint"), r.stderr



def test_checkpoint_with_a_pickled_object_is_refused(tmp_path):
    "Checkpoints are read with weights_only=True: one carrying a pickled object is refused with one line under eval and --resume, and its code never runs."
    semiseg('train', *TINY, 'iters=1', f'out={tmp_path}/run')
    ck = tmp_path / 'run' / 'checkpoint.pt'
    st = torch.load(ck, weights_only=True)
    st['extra'] = {'note': Payload(tmp_path / 'ran')}
    torch.save(st, ck)
    for args in (('eval', ck), ('train', '--resume', tmp_path / 'run')):
        r = semiseg(*args, check=False)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert f"{ck}: not a readable checkpoint of semiseg train: it holds a pickled Python object (posix.system)" in r.stderr, r.stderr
    assert not (tmp_path / 'ran').exists()


class Payload:
    "An object whose unpickling runs a shell command (here: creates a file)."
    def __init__(self, path): self.path = path
    def __reduce__(self): return (os.system, (f"touch {self.path}",))

def test_eval_bad_window_is_one_clear_line(tmp_path):
    semiseg('train', *TINY, 'iters=1', f'out={tmp_path}/run')
    r = semiseg('eval', tmp_path / 'run' / 'checkpoint.pt', '--window', '12y3', check=False)
    assert r.returncode == 2 and r.stderr.strip() == "semiseg: error: --window: expected a side >= 1 or HxW (e.g. 180x240), got '12y3'"


def test_report_bad_input_is_one_clear_line(tmp_path):
    run = tmp_path / 'run'
    run.mkdir()
    r = semiseg('report', run, check=False)
    assert r.returncode == 2 and r.stderr.strip() == f"semiseg: error: {run / 'results.json'}: missing; expected the results of a finished semiseg train run"
    (run / 'results.json').write_text('{"miou": ')
    (run / 'metrics.jsonl').write_text('')
    r = semiseg('report', run, check=False)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"semiseg: error: {run / 'results.json'}: unreadable (") and 'expected the JSON results of semiseg train' in r.stderr


def test_keys_lists_every_key_and_names_a_typo():
    r = semiseg('keys', 'scl')
    assert r.returncode == 0 and 'ema_warmup' in r.stdout and 'method=scl keys (semiseg.scl.SCL)' in r.stdout and 'method=cct' not in r.stdout
    r = semiseg('keys', 'sccl', check=False)
    assert r.returncode == 2 and r.stderr.strip() == "semiseg: error: keys: unknown method 'sccl'; did you mean 'scl'?"
    assert 'semiseg keys lists every config key' in semiseg('train', '--help').stdout


def _mini_camvid(root, n_train=6, n_val=3, size=(24, 32)):
    "A CamVid-layout folder of random images and labels (ids 0-10, void 11)."
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    for split, n in (('train', n_train), ('val', n_val)):
        (root / split).mkdir(parents=True); (root / f'{split}annot').mkdir()
        lines = []
        for k in range(n):
            Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(root / split / f'{k}.png')
            Image.fromarray(rng.integers(0, 12, size, dtype=np.uint8)).save(root / f'{split}annot' / f'{k}.png')
            lines.append(f'{split}/{k}.png {split}annot/{k}.png')
        (root / f'{split}.txt').write_text('\n'.join(lines) + '\n')
    return root


def test_bad_labels_stop_the_run_at_start(tmp_path):
    "A bad val label (a value CamVid does not have) and a labeled training label of the wrong size stop the run before training, one line each."
    import numpy as np
    from PIL import Image
    root = _mini_camvid(tmp_path / 'camvid')
    keys = ['dataset=camvid', f'data_root={root}', 'labels=6', 'iters=2', 'eval_every=1000', 'crop_size=16']
    Image.fromarray(np.full((24, 32), 40, dtype=np.uint8)).save(root / 'valannot' / '2.png')
    r = semiseg('train', *keys, f'out={tmp_path}/run', check=False)
    assert r.returncode == 2 and r.stderr.strip() == (f"semiseg: error: {root / 'valannot' / '2.png'}: label values [40] are not allowed; "
                                                      "expected CamVid ids 0-10 or void 11"), r.stderr
    assert not (tmp_path / 'run' / 'checkpoint.pt').exists()
    Image.fromarray(np.zeros((24, 32), dtype=np.uint8)).save(root / 'valannot' / '2.png')
    Image.fromarray(np.zeros((20, 32), dtype=np.uint8)).save(root / 'trainannot' / '4.png')
    r = semiseg('train', *keys, f'out={tmp_path}/run2', check=False)
    assert r.returncode == 2 and r.stderr.strip() == (f"semiseg: error: {root / 'trainannot' / '4.png'}: label is 20x32 (HxW) but its image "
                                                      f"{root / 'train' / '4.png'} is 24x32; expected the same size"), r.stderr


def test_folder_of_a_failed_start_is_not_reused_silently(tmp_path):
    "A folder holding what a run left before its first checkpoint: one line naming it, and nothing appended to its log."
    run = tmp_path / 'run'; run.mkdir()
    (run / 'config.yaml').write_text('iters: 3\n'); (run / 'metrics.jsonl').write_text('{"it": 1, "kind": "train"}\n')
    r = semiseg('train', *TINY, f'out={run}', check=False)
    assert r.returncode == 2 and r.stderr.strip() == (f"semiseg: error: out: {run} already holds config.yaml, metrics.jsonl but no checkpoint "
                                                      "(a run that stopped before its first checkpoint, or another folder); remove them or choose another out"), r.stderr
    assert (run / 'metrics.jsonl').read_text() == '{"it": 1, "kind": "train"}\n'
