"Every config in configs/ loads (with a stand-in data folder) and names a known dataset, model, preset and split; the paper presets carry the paper's values."
from pathlib import Path
import pytest
from semiseg.cli import load_config, read_yaml
from semiseg.datasets import DATASETS, SPLITS
from semiseg.models import MODELS
from semiseg.data import AUG_PRESETS

CONFIGS = sorted((Path(__file__).parents[1] / 'configs').glob('*.yaml'))

@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.name)
def test_config_loads(path, tmp_path):
    cfg, method = load_config([path], {'data_root': str(tmp_path)})
    assert cfg.dataset in DATASETS and cfg.model in MODELS and cfg.aug in AUG_PRESETS
    assert cfg.split is None or cfg.split in SPLITS, cfg.split
    assert read_yaml(path)['method'] == cfg.method

# French et al., supp. D.4.1 and Table 5: Adam at an architecture's own learning rate, EMA 0.99, threshold 0.97, 40k iterations
TABLE5 = {'deeplabv2_r101': 3e-5, 'deeplabv3p_r101': 1e-5, 'pspnet_r101': 1e-4}

@pytest.mark.parametrize('path', [p for p in CONFIGS if p.name.startswith('french_')], ids=lambda p: p.name)
def test_french_presets(path, tmp_path):
    cfg, m = load_config([path], {'data_root': str(tmp_path)})
    assert cfg.optimizer == 'adam' and cfg.lr == TABLE5[cfg.model] and cfg.iters == 40000
    assert (m.ema_decay, m.conf_thresh, m.cons_weight) == (0.99, 0.97, 1.0)
    assert cfg.unlabeled_includes_labeled
    assert (cfg.batch_size, cfg.aug) == ((10, 'french_voc') if cfg.dataset == 'voc_aug' else (4, 'french_cityscapes'))

def test_camvid_protocol_budget(tmp_path):
    "The protocol's fixed budget and batch: 4 labeled + 4 unlabeled, DeepLabv3+ on EfficientNet-Lite0, at the CamVid frame."
    cfg, _ = load_config([Path(__file__).parents[1] / 'configs' / 'camvid_protocol.yaml'], {'data_root': str(tmp_path)})
    assert (cfg.batch_size, cfg.batch_size_u, cfg.model, cfg.aug) == (4, 4, 'deeplabv3p_effnet_lite0', 'camvid')
    assert cfg.eval_every == cfg.iters

# the other papers' presets: each paper's optimiser, schedule, batch and setting (Ouali Sec. 4.3, Lai Sec. 4.1, Kim Sec. 4.1)
PRESETS = {
    'cct_voc_pspnet_r50.yaml': dict(method='cct', optimizer='sgd', lr=0.01, momentum=0.9, poly_power=0.9, weight_decay=1e-4,
                                    backbone_lr_mult=0.1, batch_size=10, batch_size_u=10, aug='cct_voc', model='pspnet_r50',
                                    output_stride=8, split='voc/1464', iters=50 * -(-9118 // 10)),
    'cac_voc_deeplabv3p_r50.yaml': dict(method='cac', optimizer='sgd', lr=0.01, backbone_lr_mult=0.1, poly_power=0.9, weight_decay=1e-4,
                                        batch_size=8, batch_size_u=8, aug='cac_voc', model='deeplabv3p_r50',
                                        split='voc_aug/cac_1323_list0', iters=80 * -(-9259 // 8)),
    'scl_cityscapes_deeplabv3p_r101.yaml': dict(method='scl', optimizer='sgd', lr=0.002, poly_power=1.0, weight_decay=1e-3, momentum=0.9,
                                                batch_size=8, batch_size_u=8, eval_ema=True, iters=175 * -(-2975 // 8)),
}

@pytest.mark.parametrize('name', list(PRESETS))
def test_paper_presets(name, tmp_path):
    cfg, m = load_config([Path(__file__).parents[1] / 'configs' / name], {'data_root': str(tmp_path)})
    for k, v in PRESETS[name].items(): assert getattr(cfg, k) == v, (k, getattr(cfg, k), v)
    if cfg.method == 'cct': assert (m.alpha_u, m.rampup, m.sup_loss) == (30.0, 0.1, 'abce')
    if cfg.method == 'cac': assert (m.weight, m.tau, m.gamma, m.num_negatives, m.iou_min, m.iou_max) == (0.1, 0.1, 0.75, 19200, 0.1, 1.0)
    if cfg.method == 'scl': assert (m.n_boxes, m.n_box, m.n_pair, m.lambda_c, m.lambda_sc, m.ema_decay) == (32, 16, 9000, 20.0, 3.0, 0.999)
