# The two commands of the README: `make book` and `make test`. Both start from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
PYTEST := $(BIN)/python -m pytest
# Linux: the default PyPI torch wheel is the multi-GB CUDA build. Set TORCH_INDEX_URL to
# install the CPU build first, e.g. `make book TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu`.
TORCH_INDEX_URL ?=
TORCH_VERSION := $(shell sed -n 's/^torch==//p' requirements.txt)
# pytest runs on JOBS cores (pytest-xdist): one notebook (its kernel has one torch thread) or
# one unit-test file per worker at a time; --dist loadfile keeps a notebook's cells in one kernel.
# Files start longest first, in the order tests/durations.json gives (--file-durations in
# pyproject.toml; `make durations` measures it again), not xdist's by number of tests.
JOBS ?= 2
XDIST := -n $(JOBS) --dist loadfile --no-loadscope-reorder
# nbval runs the notebook kernels as an AVX2 machine would (torch's ATen kernels and MKL at
# AVX2), not on this machine's AVX-512 ones: every run stands in for another CPU, so a tolerance
# that is too tight fails on the machine that stored the outputs too (`make execute` stores
# them under the default kernels). ATEN_CPU_CAPABILITY=default moves as many cells but costs
# about 25 % more CPU time; its spread is in the study too (`make spread`, tests/test_spread.py),
# so `pytest chapters` under it passes as well: NBVAL_KERNEL_ENV=--nbval-kernel-env=ATEN_CPU_CAPABILITY=default.
NBVAL_KERNEL_ENV := --nbval-kernel-env=ATEN_CPU_CAPABILITY=avx2 --nbval-kernel-env=MKL_CBWR=AVX2
# One thread everywhere: stored outputs were produced at one thread, and 2-core CI is faster so.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED := 0

.PHONY: help install book test check durations unit nbval book-strict browser-check latex pdf lab execute timings spread clean
.PHONY: lint typecheck doctest

help:
	@echo "make book     build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test     unit tests + nbval over every notebook (one run on 2 cores) + warnings-as-errors"
	@echo "              book build + browser check + LaTeX build"
	@echo "make check    only the unit tests + nbval of make test (make unit, make nbval: each alone)"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make pdf      build the book as a PDF through LaTeX (needs texlive)"
	@echo "make execute  re-run every notebook top to bottom and store its outputs (maintainers)"
	@echo "make timings  run every notebook once and print its wall time"
	@echo "make spread   measure each printed number's spread between machines (NOTEBOOKS=... for some)"
	@echo "make durations  re-measure the seconds per test file (tests/durations.json: longest first)"
	@echo "make results  the experiments behind results/*.json (about an hour): make results-ch3 and make results-ch4"
	@echo "  make results-ch3          Section 3.3's long run: models, baselines, splits, seeds (results/ch3_likelihood.json)"
	@echo "  make results-ch4          make results-ch4-1 and make results-ch4-2"
	@echo "  make results-ch4-1        Section 4.1's denoising numbers (results/ch4_1_denoising.json)"
	@echo "  make results-ch4-2        Section 4.2's anomaly numbers (results/ch4_2_anomaly.json)"
	@echo "  make results-ch5-1        Section 5.1's gaps of the bound, k = 5000, five seeds (results/ch5_1_gaps.json)"
	@echo "  make results-ch4-5        Section 4.5's semi-supervised VAE M2 on 4.4's protocol (results/ch4_5_m2.json)"
	@echo "  make results-ch3-search   Section 3.3's validation-only VAE search: CH3_SEARCH=\"binary B15 --seeds 0,1\" (default: its log as a table)"
	@echo "  make results-ch3-report   render the numbers part of results/ch3_notes.md from results/ch3_likelihood.json"
	@echo "  make results-ch3-timing   CPU time of Section 3.3's default run, piece by piece"
	@echo "  make results-mnist DATA=path/to/mnist [DEVICE=cuda]  the book's VAEs on MNIST you have (never in CI)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 14))' || \
	  { echo "$(PYTHON) is missing or not Python 3.11 to 3.14 (the numpy, scipy and torch pins have wheels for those only): make PYTHON=python3.12 ..."; exit 1; }
	@test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV) || \
	  { echo "$(PYTHON) -m venv failed: on Debian/Ubuntu install python3-venv (sudo apt-get install -y python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(if $(TORCH_INDEX_URL),$(BIN)/python -m pip install --quiet torch==$(TORCH_VERSION) --index-url $(TORCH_INDEX_URL))
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(BIN)/python tools/gen_api.py
	$(BIN)/python tools/gen_pages.py
	$(BIN)/python tools/gen_intro.py
	$(BIN)/jupyter-book build . --keep-going
	@echo "Open _build/html/index.html"

unit: $(STAMP)
	$(PYTEST) tests $(XDIST)

nbval: $(STAMP)
	$(PYTEST) chapters $(XDIST) $(NBVAL_KERNEL_ENV)

# unit tests, ae_lib's doctests and nbval in one pytest run, so that unit-test files fill the
# gaps between notebooks.
check: $(STAMP)
	$(PYTEST) tests chapters ae_lib --doctest-modules $(XDIST) $(NBVAL_KERNEL_ENV)

# The same run, writing each file's seconds into tests/durations.json (commit it when the
# order of the slowest files changed).
durations: $(STAMP)
	$(PYTEST) tests chapters $(XDIST) $(NBVAL_KERNEL_ENV) --store-file-durations

# ruff over every Python file (rules, line length and files in pyproject.toml); `ruff format .` fixes layout.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy over ae_lib (configuration in pyproject.toml; a cold run takes about 10 s).
typecheck: $(STAMP)
	$(BIN)/mypy

# The examples in ae_lib's docstrings.
doctest: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules ae_lib

book-strict: $(STAMP)
	$(BIN)/python tools/gen_api.py
	$(BIN)/python tools/gen_pages.py
	$(BIN)/python tools/gen_intro.py
	rm -rf _build/html _build/.doctrees
	$(BIN)/jupyter-book build . -W -n --keep-going

# Opens every built page in headless Chromium (Debian package `chromium`, driven by Playwright's
# Python package; no browser download): math typeset offline, images loaded, internal links
# resolve, no JavaScript errors. Screenshots of two pages land in _build/screenshots.
# Without Chromium it is skipped with one line, except under CI (CI set), where it is required.
browser-check: $(STAMP)
	@if [ -n "$$CI" ] || PYTHONPATH=tools $(BIN)/python -c 'import sys; from check_book import find_chromium; sys.exit(find_chromium(None) is None)'; then \
	  echo "$(BIN)/python tools/check_book.py _build/html"; $(BIN)/python tools/check_book.py _build/html; \
	else \
	  echo "browser check SKIPPED: no Chromium found; install it (sudo apt-get install -y chromium) or name one with CHROMIUM=/path/to/chrome"; \
	fi

# LaTeX source of the PDF book (no TeX needed), so that `make pdf` cannot rot unnoticed; its
# chapter and section numbers must be the HTML book's (tools/check_latex.py).
latex: $(STAMP)
	$(BIN)/jupyter-book build . --builder latex -W -n --keep-going
	$(BIN)/python tools/check_latex.py _build/latex/ae-book.tex

# The PDF book (needs TeX: see the README for the Debian packages).
pdf: $(STAMP)
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "PDF: _build/latex/ae-book.pdf"

# The parts of make test run side by side on the two cores: pytest's two workers (check), and
# beside them ruff and mypy, then the book (strict build, browser check, LaTeX source), which fill
# the gaps pytest leaves (its start-up, the last long notebook). Each part's output is printed
# together when it ends (--output-sync); make test fails if any part fails.
test: $(STAMP)
	$(MAKE) --no-print-directory -j 3 --output-sync=target test-parts

.PHONY: test-parts static book-checks
test-parts: check static book-checks

static: lint typecheck

book-checks: $(STAMP)
	$(MAKE) --no-print-directory book-strict
	$(MAKE) --no-print-directory browser-check
	$(MAKE) --no-print-directory latex

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

# Two notebooks at a time (JOBS), each kernel on one torch thread: the same outputs as one by one.
execute: $(STAMP)
	$(BIN)/python tools/colab_cell.py $(NOTEBOOKS)
	printf '%s\n' $(NOTEBOOKS) | xargs -P $(JOBS) -I{} $(BIN)/jupyter nbconvert --to notebook --execute \
	  --inplace --NotebookClient.record_timing=False --log-level=WARN {}

timings: $(STAMP)
	$(BIN)/python tools/time_notebooks.py $(NOTEBOOKS)

# The spread study: each notebook under eleven kernel settings that stand in for other CPUs
# (torch's, MKL's and oneDNN's kernels, OpenBLAS's core types Haswell, Zen, SkylakeX and
# Sandybridge, and an AMD machine's kernels of all three at once; each set in that run's kernel
# only, never in make test) and three seed shifts; writes results/spread.json
# (tests/test_spread.py reads it) and results/spread_report.md.
# `make spread NOTEBOOKS=chapters/ch2_2_training.ipynb` for one;
# SPREAD_ARGS="--openblas-coretype Cooperlake" adds a run (that run's kernel only).
# `make tolerances` then writes into each cell the tolerance its measured spread needs (twice
# the larger of its machine and seed spread, never less than declared); outputs stay as stored.
spread: $(STAMP)
	$(BIN)/python tools/measure_spread.py --jobs $(JOBS) $(NOTEBOOKS) $(SPREAD_ARGS)

.PHONY: tolerances
tolerances: $(STAMP)
	$(BIN)/python tools/measure_spread.py --declare

clean:
	rm -rf _build .pytest_cache

# The experiments (experiments/, run as python -m experiments.<name>): opt-in, never in make test.
# The long run (about an hour on one core): Section 3.3's models and baselines on the book's and
# Tomczak's splits with seeds, Section 4.1's seed spreads, and Section 4.2's seeds and
# longer-trained VAE. The pages quote the committed files results/ch3_likelihood.json,
# results/ch4_1_denoising.json and results/ch4_2_anomaly.json.
# `make results-ch3` or `make results-ch4` for one chapter.
.PHONY: results results-ch3 results-ch4 results-ch4-1 results-ch4-2 results-ch5-1 results-ch4-5 results-ch3-search results-ch3-report results-ch3-timing results-mnist
results: results-ch3 results-ch4 results-ch5-1 results-ch4-5
	$(BIN)/python tools/gen_intro.py --figure
results-ch4: results-ch4-1 results-ch4-2

# Section 3.3's long run: every model and baseline, both splits, seeds (results/ch3_likelihood.json).
results-ch3: $(STAMP)
	$(BIN)/python -m experiments.long_run --out results/ch3_likelihood.json

# Section 4.1's denoising numbers with seeds and baselines chosen on validation (results/ch4_1_denoising.json).
results-ch4-1: $(STAMP)
	$(BIN)/python -m experiments.ch4_1_numbers --out results/ch4_1_denoising.json

# Section 4.2's anomaly numbers with seeds and the longer-trained VAE (results/ch4_2_anomaly.json).
results-ch4-2: $(STAMP)
	$(BIN)/python -m experiments.ch4_2_numbers --out results/ch4_2_anomaly.json

# Section 5.1's approximation and amortisation gaps of the binary VAE, k = 5000, five seeds (results/ch5_1_gaps.json).
results-ch5-1: $(STAMP)
	$(BIN)/python -m experiments.ch5_1_gaps --out results/ch5_1_gaps.json

# Section 4.5's M2 on Section 4.4's draws, its settings chosen on validation (results/ch4_5_m2.json, ~15 min).
results-ch4-5: $(STAMP)
	$(BIN)/python -m experiments.ch4_5_m2 --out results/ch4_5_m2.json

# Section 3.3's search for the default-run VAEs on validation only: CH3_SEARCH="binary B15 --seeds 0,1,2"
# trains those candidates and appends to results/ch3_search.jsonl; the default prints the log as a table.
CH3_SEARCH ?= --table
results-ch3-search: $(STAMP)
	$(BIN)/python -m experiments.ch3_search $(CH3_SEARCH)

# The numbers part of results/ch3_notes.md, rendered again from results/ch3_likelihood.json (seconds).
results-ch3-report: $(STAMP)
	$(BIN)/python -m experiments.ch3_report --write

# CPU time of Section 3.3's default (notebook) run, piece by piece; prints times only (a few minutes).
results-ch3-timing: $(STAMP)
	$(BIN)/python -m experiments.ch3_default_timing

# The book's VAEs on MNIST-size data the reader already has (IDX files or an .npz; nothing is
# downloaded), every (configuration, seed) run side by side through joblib, on DEVICE (cpu by
# default); results/mnist.json. Never run in CI. MNIST_ARGS passes more options, e.g. "--seeds 0 --epochs 5".
results-mnist: $(STAMP)
	$(BIN)/python -m experiments.mnist --data "$(DATA)" --device $(or $(DEVICE),cpu) --out results/mnist.json $(MNIST_ARGS)
