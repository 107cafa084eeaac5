"Bad settings give one clear error line naming the key or path, and exit code 2: no traceback."
import pytest
from conftest import TINY, semiseg

CASES = [
    (['labelz=20'], "semiseg: error: labelz: unknown key; did you mean 'labels'?"),
    (['labels=1.5'], "semiseg: error: labels: a labeled fraction must be in (0, 1], got 1.5"),
    (['labels=0'], "semiseg: error: labels: a labeled count must be >= 1, got 0"),
    (['dataset=camvid', 'data_root=/no/such/folder'], "semiseg: error: data_root: /no/such/folder is not a folder"),
    (['num_classes=5', 'iters=1'], "semiseg: error: num_classes: the config says 5 but dataset 'synthetic' has 6 classes (background, disc, box, triangle, ring, cross)"),
    (['method=noisystudent'], "semiseg: error: method: unknown method 'noisystudent'; known: cac, cct, fixmatch, meanteacher, scl, selftraining, suponly, unimatch"),
    (['iters=ten'], "semiseg: error: iters: expected int, got 'ten'"),
    (['/no/such/config.yaml'], "semiseg: error: /no/such/config.yaml: no such config file"),
    (['domain2=camvid', 'domain2_data_root=/no/such/folder'], "semiseg: error: domain2_data_root: /no/such/folder is not a folder"),
    (['domain2=synthetic', 'domain2_labels=0'], "semiseg: error: domain2_labels: expected a count >= 1 or a fraction in (0, 1], got 0"),
    (['init_from=/no/such/checkpoint.pt'], "semiseg: error: init_from: /no/such/checkpoint.pt is not a checkpoint file"),
    (['dataset=camvd'], "semiseg: error: dataset: unknown dataset 'camvd'; did you mean 'camvid'?"),
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
