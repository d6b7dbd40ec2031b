# The two commands of the README: `make book` and `make test`. Both start from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
# One thread everywhere: stored outputs were produced at one thread, and 2-core CI is faster so.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED := 0

.PHONY: help install book test unit nbval book-strict browser-check latex pdf lab execute timings clean

help:
	@echo "make book     build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test     unit tests + nbval over every notebook + warnings-as-errors book build"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make pdf      build the book as a PDF through LaTeX (needs texlive)"
	@echo "make execute  re-run every notebook top to bottom and store its outputs (maintainers)"
	@echo "make timings  run every notebook once and print its wall time"

$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(BIN)/python tools/gen_api.py
	$(BIN)/python tools/gen_pages.py
	$(BIN)/jupyter-book build . --keep-going
	@echo "Open _build/html/index.html"

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest chapters

book-strict: $(STAMP)
	$(BIN)/python tools/gen_api.py
	$(BIN)/python tools/gen_pages.py
	rm -rf _build/html _build/.doctrees
	$(BIN)/jupyter-book build . -W -n --keep-going

# Opens every built page in headless Chromium (Debian package `chromium`): math typeset
# offline, images loaded, internal links resolve, no JavaScript errors. Screenshots of two
# pages land in _build/screenshots.
browser-check: $(STAMP)
	$(BIN)/python tools/check_book.py _build/html

# LaTeX source of the PDF book (no TeX needed), so that `make pdf` cannot rot unnoticed.
latex: $(STAMP)
	$(BIN)/jupyter-book build . --builder latex -W -n --keep-going

# The PDF book (needs TeX: see the README for the Debian packages).
pdf: $(STAMP)
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "PDF: _build/latex/ae-book.pdf"

test: unit nbval book-strict browser-check latex

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

execute: $(STAMP)
	$(BIN)/python tools/colab_cell.py $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --NotebookClient.record_timing=False $(NOTEBOOKS)

timings: $(STAMP)
	$(BIN)/python tools/time_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf _build .pytest_cache

# The opt-in long run (about an hour on one core): Section 3.3's models and baselines on the
# book's and Tomczak's splits with seeds, and Section 4.1's seed spreads. The pages quote the
# committed files results/ch3_likelihood.json and results/ch4_1_denoising.json.
.PHONY: results
results: $(STAMP)
	$(BIN)/python tools/long_run.py --out results/ch3_likelihood.json
	$(BIN)/python tools/ch4_1_numbers.py --out results/ch4_1_denoising.json
