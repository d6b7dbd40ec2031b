"""The book's experiments: the long runs behind the committed ``results/`` files.

Each module is run from the repository root as ``python -m experiments.<name>`` (every one
has a ``make`` target; ``make help`` lists them). They import ``ae_lib`` (installed
editable) and each other package-relatively; none of them runs in ``make test``, which
checks their committed results instead.

Section 3.3 (``results/ch3_likelihood.json``, ``results/ch3_notes.md``):

* ``ch3_common``: the data parts and VAE training the Section 3.3 experiments share;
* ``ch3_search``: the validation-only search for the default-run VAEs
  (``results/ch3_search.jsonl``);
* ``long_run``: every model and baseline, both splits, seeds (``make results-ch3``);
* ``ch3_report``: the numbers part of ``results/ch3_notes.md``;
* ``ch3_default_timing``: CPU time of the notebook's default run, piece by piece.

Chapter 4: ``ch4_1_numbers`` (``results/ch4_1_denoising.json``) and ``ch4_2_numbers``
(``results/ch4_2_anomaly.json``). ``results_file``: the provenance header every results
file starts with, and how it is written.
"""
