"""Data-loading throughput of the training stream: images/s through `make_stream` with the training transform,
for CamVid (240x180 JPEG/PNG from disk) and the built-in synthetic scenes, with 0, 1 and 2 loader workers.

    PYTHONPATH=. OMP_NUM_THREADS=1 python benchmarks/bench_loader.py [--camvid PATH] [--batches 40] [--batch-size 8]

Prints a table and writes benchmarks/results/loader.json.
"""
import argparse, json, os, platform, time
from pathlib import Path
import torch
from semiseg.data import train_transform, make_stream
from semiseg.datasets import camvid
from semiseg.synthetic import SyntheticShapes

def find_camvid()->Path:
    "shared/data/camvid beside the project (searched upwards from this file and the working directory)."
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for p in start.parents:
            if (p/'shared/data/camvid/train.txt').is_file(): return p/'shared/data/camvid'
    raise FileNotFoundError("shared/data/camvid not found above this project; pass --camvid")

def images_per_s(ds, workers:int, batches:int, bs:int, warmup:int=3)->float:
    "Images/s of the training stream over `batches` batches, after `warmup` batches (worker start-up excluded)."
    stream = make_stream(ds, range(len(ds)), bs, seed=0, workers=workers)
    for _ in range(warmup): next(stream)
    t = time.perf_counter()
    for _ in range(batches): next(stream)
    dt = time.perf_counter() - t
    del stream
    return batches * bs / dt

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--camvid', type=Path, default=None)
    ap.add_argument('--batches', type=int, default=40)
    ap.add_argument('--batch-size', type=int, default=8)
    ap.add_argument('--workers', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--out', type=Path, default=Path(__file__).parent/'results'/'loader.json')
    a = ap.parse_args()
    setups = {
        'camvid': (camvid(a.camvid or find_camvid(), 'train', transform=train_transform((180, 240))), 'train split (367), crop 180x240'),
        'synthetic': (SyntheticShapes(n=500, size=(96, 96), split='train', transform=train_transform(64)), '500 scenes 96x96, crop 64'),
    }
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else None
    rows = []
    for name, (ds, what) in setups.items():
        for w in a.workers:
            rows.append(dict(dataset=name, setup=what, workers=w, images_per_s=round(images_per_s(ds, w, a.batches, a.batch_size), 1)))
            print(f"{name:10s} workers={w}  {rows[-1]['images_per_s']:8.1f} images/s", flush=True)
    hw = dict(cpu=platform.processor() or platform.machine(), cpu_count=os.cpu_count(), torch=torch.__version__,
              torch_threads=torch.get_num_threads(), load_average_1min_at_start=load)
    print(f"\n| dataset | setup | {' | '.join(f'{w} workers' for w in a.workers)} |\n| --- | --- |{' --- |' * len(a.workers)}")
    for name, (_, what) in setups.items():
        print(f"| {name} | {what} | " + ' | '.join(f"{r['images_per_s']:.1f}" for r in rows if r['dataset'] == name) + ' |')
    print(f"\nimages/s, batch {a.batch_size}, {a.batches} timed batches after 3 warm-up; {hw}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(dict(rows=rows, batch_size=a.batch_size, batches=a.batches, hardware=hw,
                                     unit='images/s through make_stream with train_transform'), indent=1) + '\n')

if __name__ == '__main__': main()
