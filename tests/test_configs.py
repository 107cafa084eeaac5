"Every config in configs/ loads (with a stand-in data folder) and names a known dataset, model, preset and split; the paper presets carry the paper's values."
from pathlib import Path
import pytest
from semiseg.cli import load_config, read_yaml, resolve_paths
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

# every key and value of the French presets: the paper (supp. D.4.1, Table 5) and the authors' run_*_experiments.sh (batch 10
# on VOC and 4 on Cityscapes, 40 epochs of 1000 iterations, Adam without weight decay or schedule). backbone_lr_mult is their
# optimiser's: pretrained_parameters() at learning_rate * 0.1, which for DeepLab v2 and PSPNet is the ResNet; their DeepLab v3+
# wrapper is built without `pretraining`, so its pretrained_parameters() is empty and the whole network trains at the full rate.
# --freeze_bn in every run: their DeepLab v2 ResNet fixes BatchNorm statistics and affine ('all'); on v3+ and PSPNet the backbone's
# statistics only ('stats', MeanTeacher's default, so those configs leave the key out)
FRENCH_COMMON = dict(unlabeled_includes_labeled=True, pretrained='../data/weights/resnet101-imagenet.pth', method='meanteacher',
                     mix='cutmix', conf_thresh=0.97, ema_decay=0.99, optimizer='adam', weight_decay=0.0, poly_power=0.0,
                     iters=40000, eval_every=4000, ckpt_every=1000)
FRENCH_VOC = dict(FRENCH_COMMON, dataset='voc_aug', data_root='../data/VOCdevkit/VOC2012', split='voc_aug/french_1_100',
                  aug='french_voc', batch_size=10, batch_size_u=10)
FRENCH = {
    'french_voc_cutmix_deeplabv2_r101.yaml': dict(FRENCH_VOC, model='deeplabv2_r101', lr=3e-5, backbone_lr_mult=0.1, freeze_bn='all'),
    'french_voc_cutmix_deeplabv3p_r101.yaml': dict(FRENCH_VOC, model='deeplabv3p_r101', lr=1e-5, backbone_lr_mult=1.0),
    'french_voc_cutmix_pspnet_r101.yaml': dict(FRENCH_VOC, model='pspnet_r101', lr=1e-4, backbone_lr_mult=0.1),
    'french_cityscapes_cutmix_deeplabv2_r101.yaml': dict(FRENCH_COMMON, dataset='cityscapes', data_root='../data/cityscapes',
                                                         cityscapes_half_res=True, labels=100, model='deeplabv2_r101',
                                                         aug='french_cityscapes', batch_size=4, batch_size_u=4, lr=3e-5,
                                                         backbone_lr_mult=0.1, freeze_bn='all'),
}

def test_french_presets_listed():
    assert {p.name for p in CONFIGS if p.name.startswith('french_')} == set(FRENCH)

@pytest.mark.parametrize('name', list(FRENCH))
def test_french_presets(name, tmp_path):
    path = Path(__file__).parents[1] / 'configs' / name
    assert read_yaml(path) == FRENCH[name]                                    # every key and value, and no other key
    cfg, m = load_config([path], {'data_root': str(tmp_path)})
    for k, v in FRENCH[name].items():
        v = resolve_paths({k: v}, path.parent)[k]                             # a path in a config starts from its folder
        if k != 'data_root': assert getattr(m if k in ('mix', 'conf_thresh', 'ema_decay') else cfg, k) == v, (k, v)
    assert cfg.optimizer == 'adam' and cfg.lr == TABLE5[cfg.model] and cfg.iters == 40000
    assert (m.ema_decay, m.conf_thresh, m.cons_weight) == (0.99, 0.97, 1.0)
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
                                        split='voc_aug/cac_1323_list0', iters=80 * 1157),   # train.py: iter_per_epoch = 1157
    'scl_cityscapes_deeplabv3p_r101.yaml': dict(method='scl', optimizer='sgd', lr=0.002, poly_power=1.0, weight_decay=1e-3, momentum=0.9,
                                                batch_size=8, batch_size_u=8, eval_ema=True, iters=175 * -(-2975 // 8)),
}

@pytest.mark.parametrize('name', list(PRESETS))
def test_paper_presets(name, tmp_path):
    cfg, m = load_config([Path(__file__).parents[1] / 'configs' / name], {'data_root': str(tmp_path)})
    for k, v in PRESETS[name].items(): assert getattr(cfg, k) == v, (k, getattr(cfg, k), v)
    if cfg.method == 'cct': assert (m.alpha_u, m.rampup, m.sup_loss) == (30.0, 0.1, 'abce')
    if cfg.method == 'cac': assert (m.weight, m.tau, m.gamma, m.negatives_per_crop, m.bank_steps, m.reduction, m.iou_min, m.iou_max) == (0.1, 0.1, 0.75, 6400, 2, 'rows', 0.1, 1.0)
    if cfg.method == 'cac':     # both crops from the unlabeled image resized to a long side in [0.8, 2.0] x 400 (dataloaders/voc.py)
        assert (m.crops, m.rescale_min, m.rescale_max, m.base_size) == ('image', 0.8, 2.0, 400)
    if cfg.method == 'scl': assert (m.n_boxes, m.n_box, m.n_pair, m.lambda_c, m.lambda_sc, m.ema_decay) == (32, 16, 9000, 20.0, 3.0, 0.999)

# UniMatch (Yang et al., CVPR 2023): the authors' configs/pascal.yaml and configs/cityscapes.yaml, which unimatch.py and
# fixmatch.py both read, run on 4 GPUs (README: "the <num_gpu> should be set as 4"). batch_size is per GPU and per stream;
# lr is the backbone's and lr_multi the factor of the rest; an epoch is one pass of the unlabeled loader (DistributedSampler
# over 4 processes, drop_last): floor(ceil(N_u / 4) / batch_size) iterations, N_u the lines of the split's unlabeled.txt
UNIMATCH_GPUS = 4
UNIMATCH_PASCAL = dict(crop_size=321, epochs=80, batch_size=2, lr=0.001, lr_multi=10.0, conf_thresh=0.95, criterion='CELoss')
UNIMATCH_CITYSCAPES = dict(crop_size=801, epochs=240, batch_size=2, lr=0.005, lr_multi=1.0, conf_thresh=0.0, criterion='OHEM',
                           ohem_thresh=0.7, ohem_min_kept=200000)
UNIMATCH_UNLABELED = {'voc/92': 10490, 'voc/183': 10399, 'voc/366': 10216, 'voc/732': 9850, 'voc/1464': 9118,
                      'cityscapes/1_16': 2789, 'cityscapes/1_8': 2603, 'cityscapes/1_4': 2231, 'cityscapes/1_2': 1487}
UNIMATCH_CONFIGS = {f"{m}_{s.replace('/', '_')}.yaml": (m, s) for m in ('unimatch', 'fixmatch') for s in UNIMATCH_UNLABELED}

def test_unimatch_presets_listed():
    assert {p.name for p in CONFIGS if p.name.startswith(('unimatch_', 'fixmatch_'))} == set(UNIMATCH_CONFIGS)

@pytest.mark.parametrize('name', list(UNIMATCH_CONFIGS))
def test_unimatch_presets(name, tmp_path):
    method, split = UNIMATCH_CONFIGS[name]
    a = UNIMATCH_PASCAL if split.startswith('voc/') else UNIMATCH_CITYSCAPES
    cfg, m = load_config([Path(__file__).parents[1] / 'configs' / name], {'data_root': str(tmp_path)})
    assert (cfg.method, cfg.split, cfg.dataset) == (method, split, 'voc_aug' if a is UNIMATCH_PASCAL else 'cityscapes')
    assert (cfg.model, cfg.output_stride, cfg.head_dropout, cfg.pretrained) == ('deeplabv3p_r101', 16, False, str(Path(__file__).resolve().parents[1] / 'data' / 'weights' / 'resnet101-imagenet.pth'))
    assert cfg.crop_size is None and AUG_PRESETS[cfg.aug].crop_size == (a['crop_size'],) * 2 and AUG_PRESETS[cfg.aug].scale == (0.5, 2.0)
    assert cfg.batch_size == cfg.batch_size_u == a['batch_size'] * UNIMATCH_GPUS and not cfg.unlabeled_includes_labeled
    assert (cfg.optimizer, cfg.momentum, cfg.weight_decay, cfg.poly_power) == ('sgd', 0.9, 1e-4, 0.9)
    assert abs(cfg.lr * cfg.backbone_lr_mult - a['lr']) < 1e-12 and abs(cfg.lr - a['lr'] * a['lr_multi']) < 1e-12
    assert cfg.iters == a['epochs'] * (-(-UNIMATCH_UNLABELED[split] // UNIMATCH_GPUS) // a['batch_size'])
    assert m.conf_thresh == a['conf_thresh'] and m.sup_loss == ('ohem' if a['criterion'] == 'OHEM' else 'ce')
    if m.sup_loss == 'ohem': assert (m.ohem_thresh, m.ohem_min_kept * a['batch_size']) == (a['ohem_thresh'], a['ohem_min_kept'])
    assert (m.reduction, m.loss_scale, m.cutmix_p, m.box_area_min, m.box_area_max, m.box_ratio) == ('valid', 0.5, 0.5, 0.02, 0.4, 0.3)
    if method == 'unimatch': assert (m.fp_dropout, m.weight_fp, m.weight_s) == (0.5, 0.5, 0.5)

def test_cac_camvid_crops(tmp_path):
    "CamVid's CAC cuts its crops in the loader, from each frame at its own size (base_size null); with weak labels inside the training crop."
    cfgs = Path(__file__).parents[1] / 'configs'
    _, m = load_config([cfgs / 'camvid_cac.yaml'], {'data_root': str(tmp_path)})
    assert (m.crops, m.rescale_min, m.rescale_max, m.base_size, m.weak_labels) == ('image', 0.8, 2.0, None, False)
    _, w = load_config([cfgs / 'camvid_cac_weak.yaml'], {'data_root': str(tmp_path)})
    assert (w.crops, w.weak_labels, w.background) == ('inside', True, None)
