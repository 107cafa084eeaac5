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

def test_collect_keeps_the_recorded_difference_of_two_kept_runs(tmp_path):
    "Two runs kept from the results file (their folders gone with a machine) keep the paired difference it recorded from their unrounded scores, not one of their scores rounded to 4 places."
    m = load_driver(tmp_path)
    import yaml
    proto = yaml.safe_load(m.CONFIG.read_text())
    cutmix = dict(entry('mt_cutmix', 0.25), baseline='suponly', vs_baseline=-0.04987)      # 0.25004 - 0.29991, written when both folders were here
    m.RESULTS.write_text(json.dumps(dict(protocol=proto, runs=[entry('suponly', 0.3), cutmix])))
    m.collect()
    assert {r['row']: r.get('vs_baseline') for r in json.loads(m.RESULTS.read_text())['runs']} == {'suponly': None, 'mt_cutmix': -0.04987}
    d = m.RUNS / 'mt_cutmix_l20_s0'; d.mkdir(parents=True)      # a run finished here again: its difference is taken afresh
    (d / 'results.json').write_text(json.dumps(dict(miou=0.26, iters=200, wall_time_s=12.0, split=dict(name='camvid/20_s0', checksum='abc'),
                                                    method='meanteacher', iou={'Sky': 0.26})))
    m.collect()
    res = json.loads(m.RESULTS.read_text())['runs']
    assert {r['row']: r.get('vs_baseline') for r in res}['mt_cutmix'] == round(0.26 - 0.3, 5)

def test_collect_takes_differences_of_the_recorded_unrounded_scores(tmp_path):
    "A run finished here is recorded with its unrounded score; once its folder is gone, differences use that score, not the 4-place one."
    m = load_driver(tmp_path)
    import yaml
    proto = yaml.safe_load(m.CONFIG.read_text())
    for row, miou in (('suponly', 0.300049), ('mt_cutmix', 0.250051)):
        d = m.RUNS / f'{row}_l20_s0'; d.mkdir(parents=True)
        (d / 'results.json').write_text(json.dumps(dict(miou=miou, iters=200, wall_time_s=12.0, split=dict(name='camvid/20_s0', checksum='abc'),
                                                        method='meanteacher', iou={'Sky': miou})))
    m.collect()
    res = {r['row']: r for r in json.loads(m.RESULTS.read_text())['runs']}
    assert res['mt_cutmix']['miou_exact'] == 0.250051 and res['mt_cutmix']['miou'] == 0.2501 and res['suponly']['miou'] == 0.3
    assert res['mt_cutmix']['vs_baseline'] == round(0.250051 - 0.300049, 5) == -0.05
    import shutil; shutil.rmtree(m.RUNS)                    # a new machine: only the results file is left
    rec = json.loads(m.RESULTS.read_text()); rec['runs'] = [{k: v for k, v in r.items() if k != 'vs_baseline'} for r in rec['runs']]
    m.RESULTS.write_text(json.dumps(rec))                   # nothing recorded to keep: the difference is taken again
    m.collect()
    res = {r['row']: r for r in json.loads(m.RESULTS.read_text())['runs']}
    assert res['mt_cutmix']['vs_baseline'] == -0.05         # of the unrounded scores (of the rounded ones: 0.2501 - 0.3 = -0.0499)

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

def test_verdict_of_the_done_when():
    "Met: a mean of at least +2 mIoU over the three splits and at least two splits at +2; with one split to run, what it must give."
    v = load_driver(Path('/nonexistent')).verdict
    assert v({0: .03, 1: .025, 2: .01}) == 'met'                   # mean +2.2, two splits at +2
    assert v({0: .05, 1: .05, 2: -.01}) == 'met'                   # one split below zero is allowed
    assert v({0: .03, 1: .03, 2: -.01}) == 'not met'               # mean +1.7
    assert v({0: .01, 1: .01, 2: .10}) == 'not met'                # mean +4.0 but one split at +2
    assert v({0: .053, 1: .033}) == 'met unless the last split gives below -2.6'
    assert v({0: .03, 1: .0}) == 'met only if the last split gives +3.0 or more'    # for the mean
    assert v({0: .05, 1: .0}) == 'met only if the last split gives +2.0 or more'    # for the second split at +2
    assert v({0: -.005, 1: .003}) == 'not met, whatever the last split gives'
    assert v({0: .01}) == '1 of 3 splits in'

def test_collect_pairs_each_run_with_the_suponly_of_its_batchnorm(tmp_path, capsys):
    "camvid_ssl: a run with the backbone's BatchNorm frozen is paired with `suponly_fbn`, one with it trained with `suponly`; differences of the unrounded scores."
    m = load_driver(tmp_path)
    m.RUNS = tmp_path / 'camvid_ssl'
    m.ROWS = {r: (k, (20, 50), (0, 1)) for r, (k, _, _) in m.SSL_ROWS.items() if r in ('suponly', 'suponly_fbn', 'mt_cutmix', 'cct')}
    scores = {('suponly', 0): .40, ('suponly_fbn', 0): .50, ('mt_cutmix', 0): .52000004, ('cct', 0): .43,
              ('suponly', 1): .30, ('suponly_fbn', 1): .35, ('mt_cutmix', 1): .3499, ('cct', 1): .36}
    scores50 = {('suponly_fbn', 0): .55, ('mt_cutmix', 0): .58, ('suponly', 1): .45}         # the 50-label pairs: one complete
    for (row, seed, labels), miou in [(k + (20,), v) for k, v in scores.items()] + [(k + (50,), v) for k, v in scores50.items()]:
        d = m.RUNS / m.run_name(row, labels, seed); d.mkdir(parents=True)
        fbn = 'stats' if row in ('suponly_fbn', 'mt_cutmix') else 'off'
        (d / 'results.json').write_text(json.dumps(dict(miou=miou, iters=200, wall_time_s=1.0, split=dict(name=f'camvid/{labels}_s{seed}', checksum='c'),
                                                        method=dict(name=row), config=dict(freeze_bn=fbn), iou={'Sky': miou})))
    m.collect()
    res = json.loads(m.RESULTS.read_text())
    by = {(r['row'], r['seed']): r for r in res['runs'] if r['labels'] == 20}
    assert by['mt_cutmix', 0]['baseline'] == 'suponly_fbn' and by['cct', 1]['baseline'] == 'suponly'
    assert by['suponly', 0]['baseline'] is None and 'vs_baseline' not in by['suponly_fbn', 1]
    assert by['mt_cutmix', 0]['vs_baseline'] == round(.52000004 - .50, 5) and by['cct', 1]['vs_baseline'] == round(.36 - .30, 5)
    dw = {p['row']: p for p in res['done_when']}
    assert set(dw) == {'mt_cutmix', 'cct'}
    assert res['margin'] == 0.02
    assert dw['cct']['diff'] == {'0': 0.03, '1': 0.06} and dw['cct']['mean'] == 0.045 and dw['cct']['splits_ge_margin'] == 2
    assert dw['cct']['vs_strongest'] == {'0': round(.43 - .50, 5), '1': round(.36 - .35, 5)}
    assert dw['cct']['verdict'] == 'met unless the last split gives below -3.0'
    assert dw['mt_cutmix']['verdict'] == 'met only if the last split gives +4.0 or more'
    assert all(p['labels'] == 20 for p in res['done_when'])        # the done-when is at 20 labels; 50 is paired apart, no verdict
    assert [(p['row'], p['diff'], p['verdict']) for p in res['pairs_l50']] == [('mt_cutmix', {'0': round(.58 - .55, 5)}, '')]

def test_ssl_run_order(tmp_path):
    "camvid_ssl's queue: every planned run once; a split's done-when rows and reseed before the next split's; issue 21's 50-label pairs of splits 0 and 1 and its last diagnosis rows before issue 19's splits 1 and 2, whose done-when rows (fixmatch, unimatch) come before the pair without dropout, fixmatch_ls1's and unimatch_ls1; split 2's 50-label pairs and cac_fbn last."
    m = load_driver(tmp_path)
    m.ROWS, m.RUNS = m.SSL_ROWS, tmp_path / 'camvid_ssl'
    names = [m.run_name(row, labels, seed) for row, _, labels, seed in m.runs()]
    planned = {m.run_name(row, l, s) for row, (_, ls, ss) in m.SSL_ROWS.items() for l in ls for s in ss}
    assert len(names) == len(set(names)) and set(names) == planned
    at = names.index
    assert at('mt_cutmix_l20_s1') < at('suponly_reseed_l20_s1') < at('suponly_l20_s2') < at('mt_cutmix_l20_s2') < at('suponly_reseed_l20_s2') < at('scl_l20_s2')
    assert at('mt_cutmix_noconf_l20_s1') == at('cct_l20_s2') + 1 and at('scl_lc1_l20_s1') == at('cac_l20_s2') + 1
    assert at('scl_lc1_bw1_l20_s1') == at('mt_cutmix_l20_s2') + 1
    assert at('scl_lc1_bw1_d99_l20_s1') == at('scl_l20_s2') + 1 and at('scl_lc1_bw1_sc0_l20_s1') == at('scl_lc1_bw1_d99_l20_s1') + 1
    assert at('scl_l20_s2') < at('suponly_l50_s0') < at('mt_cutmix_l50_s0') < at('suponly_l50_s1') < at('mt_cutmix_l50_s1')
    assert at('mt_cutmix_l50_s1') < at('scl_lc1_bw1_sc0_nb1_l20_s1') < at('suponly_x2_l20_s0') < at('suponly_fbn_x2_l20_s0') < at('fixmatch_l20_s1') < at('unimatch_l20_s1') < at('fixmatch_l20_s2') < at('unimatch_l20_s2') < at('suponly_nodrop_l20_s0') < at('fixmatch_nodrop_l20_s0') < at('fixmatch_ls1_l20_s1') < at('fixmatch_ls1_l20_s2')
    assert at('fixmatch_ls1_l20_s2') < at('unimatch_ls1_l20_s0') < at('cac_fbn_l20_s0') < at('suponly_l50_s2') < at('suponly_fbn_l50_s2') < at('mt_cutmix_l50_s2') == len(names) - 1

def test_ssl_baselines(tmp_path):
    "Each camvid_ssl run's SupOnly: the one of its BatchNorm treatment, or the SupOnly of its own network (PAIRED); none for SupOnly itself."
    m = load_driver(tmp_path)
    m.ROWS = m.SSL_ROWS
    assert [m.baseline(*a) for a in [('fixmatch', 20, 'off'), ('fixmatch_fbn', 20, 'stats'), ('fixmatch_nodrop', 20, 'off'),
                                     ('suponly_nodrop', 20, 'off'), ('suponly', 20, 'off'), ('suponly_fbn', 50, 'stats')]] == \
        ['suponly', 'suponly_fbn', 'suponly_nodrop', 'suponly', None, None]
    for row, base in m.PAIRED.items():     # a pair differs in the method alone
        (keys, ls, ss), (bkeys, bls, bss) = m.SSL_ROWS[row], m.SSL_ROWS[base]
        assert set(ls) <= set(bls) and set(ss) <= set(bss) and bkeys['method'] == 'suponly'
        assert {k: v for k, v in keys.items() if k != 'method'} == {k: v for k, v in bkeys.items() if k != 'method'}

def test_list_says_how_far_a_started_run_is_and_who_runs_it(tmp_path):
    "`--list`: a started run gives its last logged iteration, and the PID of the live worker that holds it; a dead worker's claim is not 'running'."
    import os, subprocess, sys
    m = load_driver(tmp_path)
    d = tmp_path / 'runs' / 'mt_cutmix_l20_s0'; d.mkdir(parents=True)
    assert m.run_status(d, recorded=False) == '-' and m.run_status(d, recorded=True) == 'done (results file)'
    (d / 'checkpoint.pt').write_bytes(b'')
    (d / 'metrics.jsonl').write_text('\n'.join(json.dumps(r) for r in [dict(it=100, kind='train', loss=1.0), dict(it=150, kind='val', miou=0.3)]) + '\n')
    assert m.run_status(d, recorded=False) == 'started, iteration 150'
    (d / '.claim').write_text(str(os.getpid()))
    assert m.run_status(d, recorded=False) == f'started, iteration 150, running (pid {os.getpid()})'
    dead = subprocess.Popen([sys.executable, '-c', 'pass']); dead.wait()
    (d / '.claim').write_text(str(dead.pid))
    assert m.holder(d) is None and m.run_status(d, recorded=False) == 'started, iteration 150'
    assert m.claim(d) and (d / '.claim').read_text() == str(os.getpid())          # a dead worker's claim is taken over
    (d / 'results.json').write_text('{}')
    assert m.run_status(d, recorded=True) == 'done'
