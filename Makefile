# The README's test command is `make test`: every notebook through nbdev_test, then pytest.
# OMP_NUM_THREADS=1: nbdev_test runs two notebooks at a time on this 2-core machine.
export OMP_NUM_THREADS ?= 1

.PHONY: test nbtest pytest export clean docs readme

test: nbtest pytest

nbtest:
	nbdev_test --n_workers 2

pytest:
	python -m pytest tests -q -p no:cacheprovider

export:
	nbdev_export && nbdev_clean

readme:
	python tools/make_readme.py

docs:
	python tools/build_docs.py
