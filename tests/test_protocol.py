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
