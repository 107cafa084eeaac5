"Shared helpers for the tests that run semiseg as a command."
import json, os, subprocess, sys
from pathlib import Path
import pytest

# a small, fast synthetic run: every test that trains starts from these settings
TINY = ['synthetic_train=40', 'synthetic_val=8', 'synthetic_size=48', 'crop_size=32', 'labels=8', 'workers=0']


def env1():
    "The environment of a child process: one torch thread, so runs are reproducible and do not oversubscribe the CPU."
    return {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHONUNBUFFERED': '1'}


def semiseg(*args, check=True, timeout=600):
    "Run `python -m semiseg ARGS`; return the CompletedProcess."
    r = subprocess.run([sys.executable, '-m', 'semiseg', *map(str, args)], capture_output=True, text=True, env=env1(), timeout=timeout)
    if check and r.returncode != 0: raise AssertionError(f"semiseg {' '.join(map(str, args))} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return r


def metrics(run_dir, kind=None):
    recs = [json.loads(l) for l in (Path(run_dir) / 'metrics.jsonl').read_text().splitlines() if l.strip()]
    return [r for r in recs if kind is None or r['kind'] == kind]
