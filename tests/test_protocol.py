"The CamVid protocol driver (benchmarks/camvid_protocol.py): the results file survives a checkout without the run folders."
import importlib.util, json
from pathlib import Path

ROOT = Path(__file__).parents[1]

def load_driver(tmp_path):
    spec = importlib.util.spec_from_file_location('camvid_protocol', ROOT / 'benchmarks' / 'camvid_protocol.py')
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    m.ROOT, m.RUNS, m.RESULTS = tmp_path, tmp_path / 'runs', tmp_path / 'results.json'
    m.ROWS = {r: (k, (20,), (0,)) for r, (k, _, _) in m.ROWS.items() if r in ('suponly', 'mt_cutmix')}
    return m

def entry(row, miou):
    return dict(row=row, labels=20, seed=0, miou=miou, iters=200, wall_time_s=10.0, split='camvid/20_s0', split_checksum='abc',
                method=row, iou={'Sky': miou})

def test_collect_keeps_recorded_runs(tmp_path, capsys):
    m = load_driver(tmp_path)
    import yaml
    proto = yaml.safe_load(m.CONFIG.read_text())
    m.RESULTS.write_text(json.dumps(dict(protocol=proto, runs=[entry('suponly', 0.3)])))
    # mt_cutmix finished in this checkout: its run folder has results.json
    d = m.RUNS / 'mt_cutmix_l20_s0'; d.mkdir(parents=True)
    (d / 'results.json').write_text(json.dumps(dict(miou=0.25, iters=200, wall_time_s=12.0, split=dict(name='camvid/20_s0', checksum='abc'),
                                                    method='meanteacher', iou={'Sky': 0.25})))
    assert set(m.recorded()) == {('suponly', 20, 0)}
    m.collect()
    res = json.loads(m.RESULTS.read_text())
    assert {(r['row'], r['miou']) for r in res['runs']} == {('suponly', 0.3), ('mt_cutmix', 0.25)}
    assert [(s['row'], s['miou_mean']) for s in res['summary']] == [('suponly', 0.3), ('mt_cutmix', 0.25)]
    assert 'kept from the results file (no run folder here): suponly_l20_s0' in capsys.readouterr().out

def test_collect_drops_runs_of_another_protocol(tmp_path, capsys):
    m = load_driver(tmp_path)
    m.RESULTS.write_text(json.dumps(dict(protocol={'iters': 7}, runs=[entry('suponly', 0.3)])))
    assert m.recorded() == {}
    assert 'written under another protocol' in capsys.readouterr().out
    m.collect()
    assert json.loads(m.RESULTS.read_text())['runs'] == []

def test_camvid_splits_describe():
    "benchmarks/camvid_splits.py: the sequences of the frames and the class shares of their pixels, void pixels left out."
    import torch
    spec = importlib.util.spec_from_file_location('camvid_splits', ROOT / 'benchmarks' / 'camvid_splits.py')
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    class Frames:
        names = ['0016E5_07959', '0016E5_07961', '0001TP_006690']
        labels = [torch.tensor([[0, 0], [1, 255]]), torch.tensor([[2, 2], [2, 2]]), torch.tensor([[255, 255], [1, 0]])]
        def name(self, i): return self.names[i]
        def __getitem__(self, i): return None, self.labels[i]
    d = m.describe(Frames(), [0, 1, 2], 3, 255)
    assert d['n'] == 3 and d['sequences'] == {'0001TP': 1, '0016E5': 2}
    assert d['span'] == {'0001TP': ['0001TP_006690'] * 2, '0016E5': ['0016E5_07959', '0016E5_07961']}
    assert d['class_share'] == [round(3 / 9, 5), round(2 / 9, 5), round(4 / 9, 5)]
    assert m.describe(Frames(), [1], 3, 255)['class_share'] == [0.0, 0.0, 1.0]
