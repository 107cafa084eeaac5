"""The CamVid protocol shared by every method: DeepLabv3+ on EfficientNet-Lite0 (ImageNet weights), CamVid 240x180,
batch 4 labeled + 4 unlabeled, one fixed iteration budget, 20 and 50 labeled frames from seeded random splits.

Each run is `semiseg train` with `configs/camvid_protocol.yaml` plus a few keys (method, its hyper-parameters, labels,
seed); the split seed is the run's seed, so seed s of every method trains on the same labeled frames. Runs live in
`runs/camvid_protocol/<row>_l<labels>_s<seed>/`; a finished run (results.json there) is skipped, a killed one resumes
from its checkpoint. `--collect` gathers every finished run into `benchmarks/results/camvid_protocol.json`; a run that
file already holds (under the same protocol) counts as finished and is kept when its folder is absent (a fresh checkout).

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/camvid_protocol.py &   # two workers, one core each: each claims
    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/camvid_protocol.py &   # the next run nobody holds
    python benchmarks/camvid_protocol.py --collect                                        # table + results file
    python benchmarks/camvid_protocol.py --list                                           # the runs, done or not
    for i in 1 2 3 4 5 6; do python benchmarks/camvid_protocol.py --protocol gpu --iters 1000 & done   # on a GPU machine
    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/camvid_protocol.py --protocol long &                # the budget question on
    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/camvid_protocol.py --protocol long &                # a CPU, over sessions
"""
from __future__ import annotations
import argparse, fnmatch, json, os, platform, statistics, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / 'configs' / 'camvid_protocol.yaml'
RUNS = ROOT / 'runs' / 'camvid_protocol'
RESULTS = ROOT / 'benchmarks' / 'results' / 'camvid_protocol.json'
SEEDS = (0, 1, 2)
CCT_PERTURBATIONS = ('f_noise', 'f_drop', 'dropout', 'obj_msk', 'con_msk', 'g_cutout', 'i_vat')

# row name -> (method keys, label counts, seeds). The issue's plan: SupOnly and CutMix with 3 seeds at 20 and 50 labels,
# every other mean-teacher variant with 1 seed at 20 labels; the other methods append their rows here.
ROWS = {
    'suponly':          (dict(method='suponly'), (20, 50), SEEDS),
    'mt_cutmix':        (dict(method='meanteacher', mix='cutmix'), (20, 50), SEEDS),
    # the confidence modulation (0.97) stands in for a ramp-up (supp. D.4.4); in 200 iterations the teacher stays under 0.97
    # on almost every pixel, so the consistency is nearly off: this row runs CutMix without it (weight 1 from the start)
    'mt_cutmix_nomod':  (dict(method='meanteacher', mix='cutmix', conf_thresh=None), (20,), (0,)),
    # the budget test: both continue from SupOnly's 200-iteration model of the same split for another 200 iterations (a fresh
    # schedule); does the consistency help once the teacher starts competent? (init_from is filled in per labels and seed)
    'suponly_ws':       (dict(method='suponly', init_from='suponly'), (20, 50), (0,)),
    'mt_cutmix_ws':     (dict(method='meanteacher', mix='cutmix', init_from='suponly'), (20, 50), (0,)),
    'mt_cutout':        (dict(method='meanteacher', mix='cutout'), (20,), (0,)),
    'mt_cutmix3':       (dict(method='meanteacher', mix='cutmix3'), (20,), (0,)),
    'mt_ict':           (dict(method='meanteacher', mix='ict'), (20,), (0,)),
    'mt_vat':           (dict(method='meanteacher', mix='vat'), (20,), (0,)),
    'mt_augment':       (dict(method='meanteacher', mix='augment'), (20,), (0,)),
    # the other methods, at their papers' defaults
    'cct':              (dict(method='cct'), (20, 50), SEEDS),
    'cac':              (dict(method='cac'), (20, 50), SEEDS),
    'scl':              (dict(method='scl'), (20, 50), SEEDS),
    # one-seed ablations at 20 labels, after the rows above
    # Kim et al. Table 2: "+ consistency loss" (L_c alone); "+ structured consistency loss" is the scl row
    'scl_lc':           (dict(method='scl', lambda_sc=0.0), (20,), (0,)),
    # Kim et al. Table 3's other teacher: the student's own weights; at 200 iterations the 0.999 EMA teacher is mostly the
    # initial network, so this row tests whether that is what holds SCL back here
    'scl_noema':        (dict(method='scl', ema_teacher=False), (20,), (0,)),
    # Lai et al. Table 3 (the full CAC is Exp. VIII, the cac row; SupOnly is the suponly row)
    'selftraining':     (dict(method='selftraining', teacher_checkpoint=str(RUNS / 'suponly_l20_s0' / 'checkpoint.pt')), (20,), (0,)),  # ST
    'cac_l2':           (dict(method='cac', loss_type='l2'), (20,), (0,)),                                   # Exp. I
    'cac_cl':           (dict(method='cac', direction=False, negative_sampling=False, positive_filtering=False), (20,), (0,)),  # II
    'cac_nons':         (dict(method='cac', negative_sampling=False, positive_filtering=False), (20,), (0,)),   # III
    'cac_nopf':         (dict(method='cac', positive_filtering=False), (20,), (0,)),                         # IV
    'cac_nodir':        (dict(method='cac', direction=False), (20,), (0,)),                                  # V
    'cac_iou1':         (dict(method='cac', iou_min=1.0), (20,), (0,)),                                      # VI
    'cac_noproj':       (dict(method='cac', projector=False), (20,), (0,)),                                  # VII
    # Ouali et al. Fig. 5: each perturbation alone with K = 2 auxiliary decoders
    **{f'cct_{p}_k2':   (dict(method='cct', **{f'k_{q}': 2 if q == p else 0 for q in CCT_PERTURBATIONS}), (20,), (0,))
       for p in CCT_PERTURBATIONS},
    # CAC's image-level extension (Sec. 3.5) on CamVid: image-level labels of the unlabeled frames; CamVid has no background class
    # (CCT's weak labels need one, so CCT has no such row here)
    'cac_weak':         (dict(method='cac', weak_labels=True, background=None, crops='inside'), (20,), (0,)),
    # the noise floor of a paired difference: SupOnly again on the same three splits with another training seed (model
    # initialisation, augmentation and batch order), so a method's per-seed difference from SupOnly can be read against it
    'suponly_reseed':   (dict(method='suponly', train_seed_offset=100), (20,), SEEDS),
}
# The GPU protocol (--protocol gpu): the main rows with 20, 50 and 100 labels and 3 seeds each, a longer budget (--iters),
# its own run folder and results file. Start several workers on one GPU (the network is small): they share the plan.
GPU_ROWS = ('suponly', 'mt_cutmix', 'cct', 'cac', 'scl')
OVERRIDES = {}                                  # keys the protocol variant sets on top of the config (none for the CPU one)
# The long CPU protocol (--protocol long): does CutMix overtake SupOnly with a longer budget? SupOnly and CutMix on split 0
# of 20 and then 50 labels, then split 1 (--only '*_s1' runs them), for --iters iterations (default 1000: about half an hour
# each with the two cores to itself), evaluated four times along the way; each run resumes from its checkpoint, so it may
# span sessions.
LONG_ROWS = ('suponly', 'mt_cutmix')
# Is bf16 autocast on the CPU safe to train with? The same two runs of split 0 at 20 labels again in bf16 (channels-last),
# with the mean-teacher settings of the fp32 runs spelled out, so that the val curves differ only in the arithmetic.
LONG_BF16 = {'suponly_bf16': (dict(method='suponly', amp='bf16'), (20,), (0,)),
             'mt_cutmix_bf16': (dict(method='meanteacher', mix='cutmix', amp='bf16'), (20,), (0,))}
# The cpu and long protocols ran before the trainer had its teacher and BatchNorm keys: their runs keep the settings they
# ran with (BatchNorm trained, the teacher's statistics copied, the teacher in eval mode, no EMA warm-up), whatever the
# methods' defaults are now, so that a run started or resumed today matches the recorded ones.
LEGACY = dict(freeze_bn='off', teacher_bn='copy', teacher_mode='eval', ema_warmup=False)
# (The methods' own defaults changed too with issue 21's parity work: each recorded run's `method` entry in the results file
# lists the hyper-parameters it ran with. Those runs are done and are not run again.)
FIRST = ('suponly', 'mt_cutmix')               # the comparison every table needs, seed by seed
# The protocol with the budget to show semi-supervision (--protocol ssl, configs/camvid_ssl.yaml, issue 21): 2000
# iterations in bf16, every method at its corrected defaults (the authors' code), three paired splits at 20 labels and the
# SupOnly/CutMix pair at 50. French et al. and Kim et al. freeze the backbone's BatchNorm (their defaults), CCT and CAC do not:
# each is compared with the SupOnly that has its BatchNorm (`suponly_fbn` beside `suponly`). `suponly_reseed` is the noise
# floor of a paired difference; `suponly_x2` (twice the budget, split 0) shows whether SupOnly has flattened at this budget.
SSL_ROWS = {
    'suponly':          (dict(method='suponly'), (20, 50), SEEDS),
    'suponly_fbn':      (dict(method='suponly', freeze_bn='stats'), (20, 50), SEEDS),
    'mt_cutmix':        (dict(method='meanteacher', mix='cutmix'), (20, 50), SEEDS),
    'cct':              (dict(method='cct'), (20,), SEEDS),
    'cac':              (dict(method='cac'), (20,), SEEDS),
    'scl':              (dict(method='scl'), (20,), SEEDS),
    # today's reference methods (issue 19): does a method known to work beat SupOnly on this protocol? (BatchNorm trained)
    'fixmatch':         (dict(method='fixmatch'), (20,), SEEDS),
    'unimatch':         (dict(method='unimatch'), (20,), SEEDS),
    'suponly_reseed':   (dict(method='suponly', train_seed_offset=100), (20,), SEEDS),
    'suponly_x2':       (dict(method='suponly', iters=4000), (20,), (0,)),
    # It ends at 52.1 against the 2000-iteration run's 46.5 (+5.6). It is at 51.0 at 2000 of its 4000 iterations and gains 1.2 in
    # its second half (best 52.7 at 3500): with BatchNorm trained, 2000 iterations stop short of where SupOnly flattens. SupOnly
    # with BatchNorm frozen, the baseline of mean teacher and SCL, looked flat over its last 750 iterations (56.9, 56.5, 57.8,
    # 57.6), but a poly schedule flattens every curve as its learning rate ends. The same at 4000 iterations:
    'suponly_fbn_x2':   (dict(method='suponly', freeze_bn='stats', iters=4000), (20,), (0,)),
    # It ends at 59.0 against 57.6 (+1.4), flat over its second half (58.0 to 59.3 from 2000 to 4000 iterations) and 0.7 below
    # SupOnly with all 367 frames labeled at 4000 (59.7): with BatchNorm frozen, split 0's 20 labels are near what both budgets make of labels.
    # diagnosis (item 4): at split 0 CutMix's EMA teacher is SupOnly-with-frozen-BatchNorm's twin on the unlabeled images
    # (benchmarks/results/camvid_ssl_pseudo_labels.json); its consistency term stays ~0.055 against a supervised ~0.27, scaled
    # by the confident share q ~0.4. Is the unsupervised signal too weak to move the network in 2000 iterations? Ten times it:
    'mt_cutmix_w10':    (dict(method='meanteacher', mix='cutmix', cons_weight=10.0), (20,), (0,)),
    # CCT's and CAC's authors train BatchNorm, and so does their baseline here (`suponly`, 46.5 at split 0), while SupOnly with
    # the backbone's BatchNorm frozen reaches 57.6: does their gain over their own baseline survive on the stronger one?
    'cct_fbn':          (dict(method='cct', freeze_bn='stats'), (20,), (0,)),
    'cac_fbn':          (dict(method='cac', freeze_bn='stats'), (20,), (0,)),
    # FixMatch trails SupOnly at split 0 through its first 1000 iterations (40.7 against 43.2), both training BatchNorm on
    # 4 + 4 images, where UniMatch's configs synchronise it over 4 GPUs (16 images a BatchNorm batch in the joint pass, 8 here):
    # is it the method or the BatchNorm of small batches?
    'fixmatch_fbn':     (dict(method='fixmatch', freeze_bn='stats'), (20,), (0,)),
    # FixMatch's val losses at split 0 are on the small classes, whose few confident pseudo-labels on the unlabeled frames name
    # another class (camvid_ssl_pseudo_labels.json). The test: the same run with every wrong pseudo-label dropped (a diagnosis
    # that reads the unlabeled frames' true labels, `oracle`, 06f_fixmatch). If wrong pseudo-labels cost the points, it stops losing.
    'fixmatch_oracle':  (dict(method='fixmatch', oracle=True), (20,), (0,)),
    # The authors' loss is (L_x + L_u) / 2 (`loss_scale` 0.5), and their supervised baseline's is L_x: at one learning rate,
    # FixMatch's labeled images get half SupOnly's gradient. After 40k iterations that makes no difference; after 2000, with
    # SupOnly still rising, it may. The oracle run trails SupOnly already at 250 iterations (32.6 against 35.2), with only
    # right pseudo-labels. Eq. 1 with lambda = 1 (`loss_scale` 1.0) gives the labeled images SupOnly's gradient:
    'fixmatch_ls1':     (dict(method='fixmatch', loss_scale=1.0), (20,), SEEDS),
    # It does: 48.6 against SupOnly's 46.5 at split 0, ahead at all 8 evaluations, BatchNorm trained in both. Frozen, SupOnly
    # reaches 57.6 and FixMatch at the authors' scale falls 7.5 behind it: does Eq. 1's FixMatch beat the stronger baseline?
    'fixmatch_ls1_fbn': (dict(method='fixmatch', loss_scale=1.0, freeze_bn='stats'), (20,), (0,)),
    # UniMatch's total loss halves L_s the same way ((L_x + 0.25 L_s1 + 0.25 L_s2 + 0.5 L_fp) / 2), and it loses more than
    # FixMatch at split 0 (-5.0): does L_s at SupOnly's scale turn it around as it did FixMatch's?
    'unimatch_ls1':     (dict(method='unimatch', loss_scale=1.0), (20,), (0,)),
    # The ceiling: how much do the unlabeled frames' labels hold at this budget? SupOnly (frozen BatchNorm, the stronger
    # baseline) trained on all 367 training frames labeled, same budget: the gap to `suponly_fbn` is what a semi-supervised
    # method could at best win back from the 347 unlabeled frames. (CamVid's val frames are another part of one drive and
    # another mix of classes: benchmarks/results/camvid_splits.json.)
    'suponly_fbn_all':  (dict(method='suponly', freeze_bn='stats'), (367,), (0,)),
    # It scores below split 0's 20-label SupOnly at every evaluation so far (54.1 against 57.8 at 1750) and is still rising:
    # with 18 times the labeled frames, 2000 iterations may be too short to use them. The same at twice the budget:
    'suponly_fbn_all_x2': (dict(method='suponly', freeze_bn='stats', iters=4000), (367,), (0,)),
    # Split 1 leaves 9.6 points to win (the ceiling against `suponly_fbn`), yet CutMix is level there (+0.3). Its EMA teacher's
    # confident pixels (54%, 99% of them right) are those its student already gets right, and the few confident pixels of the
    # small classes are wrong (camvid_ssl_pseudo_labels.json). The test of that explanation: the same run with the confidence
    # modulation off, so that every pixel's consistency counts. If the gate keeps the teacher's knowledge out, this run gains;
    # if the teacher has nothing to add, it does not.
    'mt_cutmix_noconf': (dict(method='meanteacher', mix='cutmix', conf_thresh=None), (20,), (1,)),
    # SCL falls behind its SupOnly on both splits (-13.5, -7.4), and most on the small classes and Car. Its weights (lambda_c 20,
    # lambda_sc 3: Kim et al.'s, for Cityscapes) make its consistency term 2.2 at the end, against a supervised 0.18: the
    # unlabeled frames outweigh the 20 labeled ones twelve to one. The test: the same run
    # with both weights divided by 20 (lambda_c 1, as French et al.'s consistency). If the weight is what costs, it closes the gap.
    'scl_lc1':          (dict(method='scl', lambda_c=1.0, lambda_sc=0.15), (20,), (1,)),
    # It closes 2.9 of the 7.4 points (40.8 against 45.3) and loses the rest on the thin classes: Pole 0.0 IoU against 4.6,
    # SignSymbol 0.5 against 16.4, Fence 3.2 against 13.9. SCL's labeled loss is Eq. 2's boundary relaxation (window 3: a pixel
    # counts as right if its prediction is any class of its 3x3 neighbourhood), and at 240x180 a pole or a sign is one to three
    # pixels wide, so nearly all its pixels are boundary pixels that a neighbour's class satisfies. The test: scl_lc1 with the
    # plain cross-entropy (boundary_window 1), as SupOnly's. If the relaxation is what costs the thin classes, they come back.
    'scl_lc1_bw1':      (dict(method='scl', lambda_c=1.0, lambda_sc=0.15, boundary_window=1), (20,), (1,)),
    # It gains 1.0 over scl_lc1 (41.8), ahead at all 8 evaluations, and stays 3.5 behind SupOnly: the thin classes come back a
    # little (SignSymbol 5.4 IoU against 0.5; SupOnly 16.4), not to SupOnly's level. Its gap to SupOnly opens with training
    # (-0.5 at 250 iterations, -3.9 at 1500), and SupOnly learns SignSymbol only after 1000 iterations (2 IoU at 500, 11 at 1000),
    # when a teacher of decay 0.999 (a horizon of 1000 iterations) still averages the weights of before. The test: the same run
    # with French et al.'s decay, 0.99. If the slow teacher's consistency holds back what the student learns late, the gap closes.
    'scl_lc1_bw1_d99':  (dict(method='scl', lambda_c=1.0, lambda_sc=0.15, boundary_window=1, ema_decay=0.99), (20,), (1,)),
    # It ends at 41.8 as scl_lc1_bw1 did, within 0.5 of it at every evaluation; its EMA model catches up sooner (36.4 against
    # 34.4 at 250 iterations, 41.7 against 39.5 at 500) and ends at 42.6 against 42.2. The student learns no more with a faster
    # teacher: the lag is not what costs. Between scl_lc1_bw1 and mean teacher's CutMix consistency without its confidence gate
    # (mt_cutmix_noconf, 44.9 on split 1) stand Kim et al.'s structured consistency L_sc (weight 0.15 here) and the layered
    # CutMix of 32 boxes instead of one. The test: scl_lc1_bw1 without L_sc. If L_sc is what costs, it comes back to
    # mt_cutmix_noconf's level; if not, the layered masks are what is left.
    'scl_lc1_bw1_sc0':  (dict(method='scl', lambda_c=1.0, lambda_sc=0.0, boundary_window=1), (20,), (1,)),
    # It ends at 42.1 (EMA 42.3), within 0.6 of scl_lc1_bw1 at every evaluation: L_sc at 0.15 costs nothing. Against
    # mt_cutmix_noconf (44.9) it loses most on Pavement (38.8 IoU against 58.8) and Road (83.9 against 89.4). What is left of
    # SCL's path is its masks: 32 boxes layered one over another against French et al.'s one box (and the EMA warm-up). The
    # test: the same run with one box (n_boxes 1). If the layered masks are what costs, it comes back to mt_cutmix_noconf's level.
    'scl_lc1_bw1_sc0_nb1': (dict(method='scl', lambda_c=1.0, lambda_sc=0.0, boundary_window=1, n_boxes=1, n_box=1), (20,), (1,)),
    # It scores 46.0 (EMA 43.6), +0.7 over SupOnly and 3.8 over scl_lc1_bw1_sc0, with Pavement, Fence and Road back: on split 1
    # SCL's -7.4 is its Cityscapes weights (2.9), the boundary relaxation (1.0) and the 32 layered boxes (3.8).
    # The CamVid network keeps DeepLabv3+'s three dropouts (ASPP 0.5, decoder 0.5, classifier 0.1, as CAC's code) for every
    # method; UniMatch's network has none, and FixMatch's pseudo-labels come from a train-mode pass that sees them. Does the
    # network's dropout cost FixMatch? The pair without it (`head_dropout` false), split 0; fixmatch_nodrop against suponly_nodrop:
    'suponly_nodrop':   (dict(method='suponly', head_dropout=False), (20,), (0,)),
    'fixmatch_nodrop':  (dict(method='fixmatch', head_dropout=False), (20,), (0,)),
}
SSL_FIRST = ('suponly', 'suponly_fbn', 'mt_cutmix', 'cct', 'cac', 'scl', 'mt_cutmix_w10', 'fixmatch', 'unimatch', 'cct_fbn', 'fixmatch_fbn', 'fixmatch_oracle', 'fixmatch_ls1', 'fixmatch_ls1_fbn', 'suponly_fbn_all', 'suponly_fbn_all_x2', 'cac_fbn', 'suponly_reseed')
SSL_MAIN = ('suponly', 'suponly_fbn', 'cct', 'cac', 'mt_cutmix', 'suponly_reseed', 'scl')   # the rows the first-priority done-when pairs (on split 2 CCT and CAC first: their verdicts wait on it), and its yardstick
SSL_AFTER = {'mt_cutmix_noconf': ('cct', 2), 'scl_lc1': ('cac', 2), 'scl_lc1_bw1': ('mt_cutmix', 2), 'scl_lc1_bw1_d99': ('scl', 2), 'scl_lc1_bw1_sc0': ('scl', 2)}   # a diagnosis run after one done-when run: (row, split)
SSL_ISSUE19 = (('fixmatch', 'unimatch'), ('suponly_nodrop', 'fixmatch_nodrop'), ('fixmatch_ls1',), ('unimatch_ls1',))   # issue 19's rows after issue 21's, group by group: its done-when rows on splits 1 and 2, the pair without dropout (split 0), fixmatch_ls1 on splits 1 and 2, unimatch_ls1 (split 0)
SSL_ISSUE21_LAST = ('scl_lc1_bw1_sc0_nb1', 'suponly_x2', 'suponly_fbn_x2')   # the first-priority issue's last diagnosis rows, after the 50-label pairs of splits 0 and 1
SSL_L50_FIRST = (0, 1)   # the splits whose 50-label pairs run before issue 19's rows; split 2's, and cac_fbn, run after them

def ssl_order(r)->tuple:
    "camvid_ssl's run order: split 0's rows up to `suponly_fbn_all_x2` (SSL_FIRST's order); the done-when's paired rows of splits 1 and 2 and their reseeds, split by split (SSL_AFTER's diagnosis runs among them); the 50-label pairs of splits 0 and 1; issue 21's last diagnosis rows; FixMatch's and UniMatch's rows of splits 1 and 2 (split by split), the pair without dropout, `fixmatch_ls1`'s, `unimatch_ls1`; then any other row (`cac_fbn`, split 2's 50-label pairs)."
    row, _, labels, seed = r
    rank = SSL_FIRST.index(row) if row in SSL_FIRST else 99
    if seed == 0 and (labels == 20 or labels == 367) and rank <= SSL_FIRST.index('suponly_fbn_all_x2'): return (0, seed, rank)
    if labels == 20 and row in SSL_MAIN: return (1, seed, SSL_MAIN.index(row))
    if row in SSL_AFTER: return (1, SSL_AFTER[row][1], SSL_MAIN.index(SSL_AFTER[row][0]) + 0.5)
    if labels == 50 and seed in SSL_L50_FIRST: return (2, seed, SSL_MAIN.index(row) if row in SSL_MAIN else 99)
    if row in SSL_ISSUE21_LAST: return (3, SSL_ISSUE21_LAST.index(row), seed)
    for g, rows in enumerate(SSL_ISSUE19):
        if labels == 20 and row in rows: return (4, g, seed, rows.index(row))
    return (5, labels, seed, rank)

def runs(pattern:str='*', skip:str='')->list[tuple[str, dict, int, int]]:
    "(row, method keys, labels, seed) of every planned run whose folder name matches one of the comma-separated globs `pattern` and none of `skip`, in the order they are run."
    match = lambda name, globs: any(fnmatch.fnmatch(name, g) for g in globs.split(',') if g)
    plan = [(row, keys, labels, seed) for row, (keys, ls, ss) in ROWS.items() for labels in ls for seed in ss
            if match(run_name(row, labels, seed), pattern) and not match(run_name(row, labels, seed), skip)]
    # the mean-teacher issue's table first (SupOnly vs CutMix seed by seed, then the one-seed variants), then the other
    # methods issue by issue (SCL's rows, CCT's, CAC's), so that each issue's table completes as early as it can
    if RUNS.name == 'camvid_ssl': return sorted(plan, key=ssl_order)
    later = ('scl', 'scl_lc', 'scl_noema', 'cct', *(f'cct_{p}_k2' for p in CCT_PERTURBATIONS), 'cac')
    def order(r):
        row, _, labels, seed = r
        if row in FIRST: return (seed, labels, list(ROWS).index(row))
        if row in later: return (10 + later.index(row), labels, seed)
        if 'scl' not in ROWS or list(ROWS).index(row) > list(ROWS).index('scl'): return (100, labels, list(ROWS).index(row))
        return (6 if row.endswith('_ws') else 5, labels, list(ROWS).index(row))
    return sorted(plan, key=order)

def claim(out:Path)->bool:
    "Take run folder `out` for this process unless a live process holds it (a claim file with its PID)."
    out.mkdir(parents=True, exist_ok=True)
    f = out / '.claim'
    for _ in range(2):
        try:
            fd = os.open(f, os.O_CREAT | os.O_EXCL | os.O_WRONLY); os.write(fd, str(os.getpid()).encode()); os.close(fd); return True
        except FileExistsError:
            if holder(out) is not None: return False                                # held by a live process
            f.unlink(missing_ok=True)                                                # a dead worker's claim
    return False

def holder(out:Path)->int|None:
    "The PID of the live process that holds run folder `out` (`claim`), or None."
    try: pid = int((out / '.claim').read_text() or 0); os.kill(pid, 0); return pid
    except (FileNotFoundError, ValueError, ProcessLookupError): return None
    except PermissionError: return pid                                          # alive, another user's

def run_status(out:Path, recorded:bool)->str:
    "What `--list` says of run folder `out`: done, started (the last logged iteration, and the worker that holds it), or not begun."
    if (out / 'results.json').exists(): return 'done'
    if (out / 'checkpoint.pt').exists() or (out / 'metrics.jsonl').exists():
        from semiseg.trainer import read_metrics
        logs = read_metrics(out) if (out / 'metrics.jsonl').exists() else []
        it, pid = max((m['it'] for m in logs), default=0), holder(out)
        return f"started, iteration {it}" + (f", running (pid {pid})" if pid else '')
    return 'done (results file)' if recorded else '-'

def run_name(row, labels, seed): return f"{row}_l{labels}_s{seed}"

SUPONLY = ('suponly', 'suponly_fbn')   # SupOnly with the backbone's BatchNorm trained, and frozen
DONE_WHEN = ('mt_cutmix', 'cct', 'cac', 'scl')   # issue 21: each beats its SupOnly by 2 mIoU on the mean of 3 splits and on 2 of them
DONE_WHEN_ALSO = ('suponly_reseed', 'fixmatch', 'unimatch', 'fixmatch_ls1', 'fixmatch_ls1_fbn', 'unimatch_ls1')   # judged by the same rule, in the same table
MARGIN = 0.02

PAIRED = {'fixmatch_nodrop': 'suponly_nodrop'}   # a run on another network than the protocol's: the SupOnly of that network

def baseline(row:str, labels:int, freeze_bn:str)->str|None:
    "The SupOnly row a run is paired with: the one that treats the backbone's BatchNorm as the run did (`freeze_bn` off: `suponly`, else `suponly_fbn`), or PAIRED's, at the same labels; None for SupOnly itself or where no such SupOnly is planned."
    base = PAIRED.get(row, 'suponly' if freeze_bn == 'off' else 'suponly_fbn')
    if row in SUPONLY or base not in ROWS or labels not in ROWS[base][1]: return None
    return base

def verdict(diffs:dict, n_splits:int=len(SEEDS))->str:
    "The done-when on paired differences by split (`diffs`): met when their mean is at least MARGIN and at least two are; with splits still to run, what they would have to give."
    n, ge = len(diffs), sum(v >= MARGIN for v in diffs.values())
    if n == n_splits: return 'met' if sum(diffs.values()) / n >= MARGIN and ge >= 2 else 'not met'
    if n != n_splits - 1: return f"{n} of {n_splits} splits in"
    need = MARGIN * n_splits - sum(diffs.values())      # what the last split must give for the mean to reach MARGIN
    if ge == 0: return "not met, whatever the last split gives"
    if ge == 1: return f"met only if the last split gives {100 * max(need, MARGIN):+.1f} or more"
    return f"met unless the last split gives below {100 * need:+.1f}"

def pairs(by:dict, m, labels:int=20)->list[dict]:
    "The done-when's table (at 20 labels; at other label counts the same pairing, without a verdict): each row of DONE_WHEN and DONE_WHEN_ALSO against its SupOnly split by split, against the stronger of the two SupOnly runs, their means, the splits at +MARGIN or more, and the verdict (`by`: the finished runs by (row, labels, seed), each with its `vs_baseline`; `m`: a key's val mIoU, unrounded where the run folder is here)."
    out = []
    for row in (*DONE_WHEN, *DONE_WHEN_ALSO):
        own = {s: by[row, labels, s]['vs_baseline'] for s in SEEDS if by.get((row, labels, s), {}).get('vs_baseline') is not None}
        if not own: continue
        strongest = {s: m((row, labels, s)) - max(m((b, labels, s)) for b in SUPONLY if (b, labels, s) in by) for s in own}
        mean = lambda d: round(sum(d.values()) / len(d), 5)
        out.append(dict(row=row, labels=labels, baseline=by[row, labels, next(iter(own))]['baseline'],
                        diff={str(s): v for s, v in own.items()}, vs_strongest={str(s): round(v, 5) for s, v in strongest.items()},
                        mean=mean(own), mean_vs_strongest=mean(strongest), splits_ge_margin=sum(v >= MARGIN for v in own.values()),
                        verdict='' if row == 'suponly_reseed' or labels != 20 else verdict(own)))   # the done-when is at 20 labels
    return out

def protocol()->dict:
    "The training settings every run of this protocol shares: the config file and the protocol variant's overrides (not data_root: this script sets it)."
    import yaml
    return {k: v for k, v in {**yaml.safe_load(CONFIG.read_text()), **OVERRIDES}.items() if k != 'data_root'}

def recorded()->dict:
    """The runs the results file already holds, by (row, labels, seed), if it was written under the protocol as it is now:
    a fresh checkout has the results file but not the ignored run folders, and those runs are done, not to be run again."""
    if not RESULTS.exists(): return {}
    res = json.loads(RESULTS.read_text())
    if {k: v for k, v in res.get('protocol', {}).items() if k != 'data_root'} != json.loads(json.dumps(protocol())):
        print(f"{RESULTS.relative_to(ROOT)} was written under another protocol: its runs are not kept", flush=True); return {}
    return {(d['row'], d['labels'], d['seed']): d for d in res.get('runs', [])}

def train_one(row, keys, labels, seed):
    from semiseg.cli import load_config
    from semiseg.trainer import Trainer, discard_unfinished_start
    out = RUNS / run_name(row, labels, seed)
    if (out / 'results.json').exists(): return json.loads((out / 'results.json').read_text())
    if 'init_from' in keys:                     # a warm start from another row's finished run of the same labels and seed
        src = RUNS / run_name(keys['init_from'], labels, seed)
        if not (src / 'results.json').exists(): print(f"== {run_name(row, labels, seed)}: waits for {src.name}", flush=True); return None
        keys = dict(keys, init_from=str(src / 'checkpoint.pt'))
    keys = dict(keys); train_seed = seed + keys.pop('train_seed_offset', 0)      # the split is always the run's seed
    cfg, method = load_config([CONFIG], dict(keys, **LEGACY, **OVERRIDES, labels=labels, seed=train_seed, split_seed=seed, data_root=str(ROOT.parent / 'shared' / 'data' / 'camvid'),
                                             out=str(out)))
    resume = (out / 'checkpoint.pt').exists()
    if not resume: discard_unfinished_start(out)            # a start killed before its first checkpoint: begin again, its log too
    print(f"== {run_name(row, labels, seed)}" + (" (resuming)" if resume else ""), flush=True)
    return Trainer(cfg, method, out, resume=resume, quiet=False).fit()

def collect():
    "Every finished run as a row of the results file; a summary per (row, labels): mean and spread of val mIoU."
    from semiseg.trainer import read_metrics
    done, unfinished, kept, old, exact = [], [], [], recorded(), {}
    for row, keys, labels, seed in runs():
        p = RUNS / run_name(row, labels, seed) / 'results.json'
        if not p.exists():
            if not (p.parent / 'metrics.jsonl').exists() and (row, labels, seed) in old:   # finished in an earlier checkout
                done.append(old[row, labels, seed]); kept.append(run_name(row, labels, seed))
                if 'miou_exact' in old[row, labels, seed]: exact[row, labels, seed] = old[row, labels, seed]['miou_exact']
                continue
            if (p.parent / 'metrics.jsonl').exists():          # a run still going (or waiting to resume): how far, and its evaluations
                logs = read_metrics(p.parent)
                unfinished.append(dict(row=row, labels=labels, seed=seed, it=max((m['it'] for m in logs), default=0),
                                       curve=[[m['it'], round(m['miou'], 4)] for m in logs if m['kind'] == 'val']))
            continue
        r = json.loads(p.read_text()); exact[row, labels, seed] = r['miou']
        # mean teacher's consistency weight under the confidence modulation: the share of confident teacher pixels, averaged
        # over the logged steps (from the run's metrics.jsonl)
        logs = read_metrics(p.parent, 'train') if (p.parent / 'metrics.jsonl').exists() else []
        conf = [m['conf'] for m in logs if m.get('conf') is not None]
        # the val mIoU at every evaluation along the way (one, at the end, in the 200-iteration protocol)
        vals = read_metrics(p.parent, 'val') if (p.parent / 'metrics.jsonl').exists() else []
        curve = [[m['it'], round(m['miou'], 4)] for m in vals]
        # the EMA model's val mIoU (the teacher of the EMA methods) at the same evaluations, where the run evaluated it
        curve_ema = [[m['it'], round(m['miou_ema'], 4)] for m in vals if 'miou_ema' in m]
        # miou_exact: the unrounded score, so that paired differences stay exact once the run folder is gone with the machine
        done.append(dict(row=row, labels=labels, seed=seed, miou=round(r['miou'], 4), miou_exact=r['miou'], iters=r['iters'], wall_time_s=r['wall_time_s'],
                         **({'miou_ema': round(r['miou_ema'], 4)} if 'miou_ema' in r else {}),
                         **({'best_miou': max(v for _, v in curve), 'best_it': max(curve, key=lambda c: c[1])[0]} if len(curve) > 1 else {}),
                         **({'conf_mean': round(sum(conf) / len(conf), 4)} if conf else {}),
                         **({'curve': curve} if len(curve) > 1 else {}),
                         **({'curve_ema': curve_ema} if len(curve_ema) > 1 else {}),
                         split=r['split']['name'], split_checksum=r['split']['checksum'], method=r['method'], freeze_bn=r.get('config', {}).get('freeze_bn', 'off'),
                         iou={k: round(v, 4) for k, v in r['iou'].items()}))
    # each run beside the SupOnly it is paired with (same split, same labels, same BatchNorm treatment)
    by = {(d['row'], d['labels'], d['seed']): d for d in done}
    m = lambda k: exact.get(k, by[k]['miou'])      # differences of the unrounded scores, where the run folder is here or the file recorded it
    for d in done:
        was, was_base = d.pop('vs_baseline', None), d.get('baseline')
        d['baseline'] = baseline(d['row'], d['labels'], d.get('freeze_bn', 'off'))
        k, kb = (d['row'], d['labels'], d['seed']), (d['baseline'], d['labels'], d['seed'])
        if kb not in by: continue
        # both runs kept from the results file (their folders gone with a machine) and recorded before it held unrounded scores:
        # keep the difference it recorded, taken when the unrounded scores were here, rather than one of scores rounded to 4 places
        keep = was is not None and was_base == d['baseline'] and k not in exact and kb not in exact
        d['vs_baseline'] = was if keep else round(m(k) - m(kb), 5)
    summary = []
    for row, (keys, ls, ss) in ROWS.items():
        for labels in ls:
            ms = [d['miou'] for d in done if d['row'] == row and d['labels'] == labels]
            if not ms: continue
            ws = [d['wall_time_s'] for d in done if d['row'] == row and d['labels'] == labels]
            summary.append(dict(row=row, labels=labels, n=len(ms), planned=len(ss), miou_mean=round(statistics.mean(ms), 4),
                                miou_std=round(statistics.stdev(ms), 4) if len(ms) > 1 else None,
                                miou_min=min(ms), miou_max=max(ms), wall_time_s_mean=round(statistics.mean(ws), 1)))
    l50 = pairs(by, m, 50) if RUNS.name == 'camvid_ssl' else []     # the SupOnly/CutMix pairs at 50 labels, where run
    import torch
    gpu = torch.cuda.get_device_name(0) if OVERRIDES and torch.cuda.is_available() else None
    res = dict(protocol=protocol(), seeds=list(SEEDS),
               hardware=(f"{gpu}, several runs at a time on the one GPU" if gpu else
                         f"{platform.machine()} CPU, {os.cpu_count()} cores, no GPU; " + ("one run at a time with OMP_NUM_THREADS=2, or two with 1 each"
                                if RUNS.name == 'camvid_protocol_long' else "two runs at a time, OMP_NUM_THREADS=1 each" if RUNS.name == 'camvid_ssl'
                                else "runs two or three at a time, OMP_NUM_THREADS=1 each")),
               note="wall_time_s is the training process's own time with the other core busy with another run (and at times with other work)",
               summary=summary, **({'margin': MARGIN, 'done_when': pairs(by, m)} if RUNS.name == 'camvid_ssl' else {}),
               **({'pairs_l50': l50} if l50 else {}), runs=done,
               **({'unfinished': unfinished} if unfinished else {}))
    RESULTS.write_text(json.dumps(res, indent=1) + '\n')
    print(f"{'row':<14}{'labels':>7}{'runs':>6}   mIoU mean ± std (min-max)        wall s")
    for s in summary:
        sd = f"± {100 * s['miou_std']:.1f}" if s['miou_std'] is not None else '     '
        print(f"{s['row']:<14}{s['labels']:>7}{s['n']:>4}/{s['planned']}   {100 * s['miou_mean']:5.1f} {sd} ({100 * s['miou_min']:.1f}-{100 * s['miou_max']:.1f})"
              f"{s['wall_time_s_mean']:>14.0f}")
    for p in res.get('done_when', []) + res.get('pairs_l50', []):
        print(f"{p['row']:<18} l{p['labels']} vs {p['baseline']:<12}" + ''.join(f"{100 * p['diff'][str(s)]:+6.1f}" if str(s) in p['diff'] else '      ' for s in SEEDS)
              + f"   mean {100 * p['mean']:+.1f}   {p['verdict']}")
    if kept: print(f"kept from the results file (no run folder here): {', '.join(kept)}")
    for u in unfinished: print(f"unfinished: {run_name(u['row'], u['labels'], u['seed'])} at iteration {u['it']}, val mIoU so far {u['curve']}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', default='*', help="globs over run names, comma-separated, e.g. 'mt_*_l20_s0,suponly_*'")
    ap.add_argument('--skip', default='', help="globs of run names not to run, comma-separated, e.g. 'cac_*'")
    ap.add_argument('--list', action='store_true', help="print the planned runs and whether each is done")
    ap.add_argument('--collect', action='store_true', help="write the results file from the finished runs")
    ap.add_argument('--protocol', choices=('cpu', 'gpu', 'long', 'ssl'), default='cpu', help="cpu: the 200-iteration protocol of the results file; "
                    "ssl: configs/camvid_ssl.yaml (2000 iterations, bf16, the methods' corrected defaults) in runs/camvid_ssl; "
                    "gpu: the main rows at 20/50/100 labels, 3 seeds, --iters iterations, in runs/camvid_protocol_gpu; "
                    "long: SupOnly and CutMix at 20 and 50 labels, seeds 0 and 1, --iters iterations on the CPU, in runs/camvid_protocol_long")
    ap.add_argument('--iters', type=int, default=1000, help="the budget of the gpu and long protocols (default 1000)")
    a = ap.parse_args()
    global RUNS, RESULTS, ROWS, OVERRIDES, CONFIG, LEGACY
    if a.protocol == 'gpu':
        RUNS, RESULTS = ROOT / 'runs' / 'camvid_protocol_gpu', ROOT / 'benchmarks' / 'results' / 'camvid_protocol_gpu.json'
        ROWS = {r: (k, (20, 50, 100), SEEDS) for r, (k, _, _) in ROWS.items() if r in GPU_ROWS}
        OVERRIDES = dict(iters=a.iters, eval_every=a.iters, ckpt_every=max(1, a.iters // 4))
    elif a.protocol == 'ssl':
        CONFIG, RUNS, RESULTS = ROOT / 'configs' / 'camvid_ssl.yaml', ROOT / 'runs' / 'camvid_ssl', ROOT / 'benchmarks' / 'results' / 'camvid_ssl.json'
        ROWS, LEGACY = SSL_ROWS, {}
    elif a.protocol == 'long':
        RUNS, RESULTS = ROOT / 'runs' / 'camvid_protocol_long', ROOT / 'benchmarks' / 'results' / 'camvid_protocol_long.json'
        ROWS = {r: (k, (20, 50), (0, 1)) for r, (k, _, _) in ROWS.items() if r in LONG_ROWS} | LONG_BF16
        OVERRIDES = dict(iters=a.iters, eval_every=max(1, a.iters // 4), ckpt_every=50)
    if a.collect: return collect()
    old = recorded()
    plan = [r for r in runs(a.only, a.skip) if (r[0], r[2], r[3]) not in old or (RUNS / run_name(r[0], r[2], r[3])).exists()]
    if a.list:
        for row, _, labels, seed in runs(a.only, a.skip):
            print(f"{run_name(row, labels, seed):<24} {run_status(RUNS / run_name(row, labels, seed), (row, labels, seed) in old)}")
        return
    from semiseg.trainer import METHODS
    for row, keys, labels, seed in plan:
        if keys['method'] not in METHODS: continue          # a method this checkout does not have yet
        out = RUNS / run_name(row, labels, seed)
        if (out / 'results.json').exists() or not claim(out): continue
        try: res = train_one(row, keys, labels, seed)
        finally: (out / '.claim').unlink(missing_ok=True)
        if res is not None:                     # a run finished: start afresh, so the next run uses the code and plan as they are now
            sys.stdout.flush(); os.execv(sys.executable, [sys.executable, *sys.argv])

if __name__ == '__main__': main()
