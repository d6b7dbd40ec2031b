"""ae_lib: the definitions of "On variational autoencoders: theory and applications" in code.

One module per thesis concept; each public object's docstring cites its thesis number.
Public names are re-exported here, so ``import ae_lib as ae`` is all a chapter needs.
"""

from importlib import import_module

# Module order = reading order of the book; the API page follows it.
MODULES = [
    "activations",  # Definition 1.1.1, Example 1.1.2
    "network",  # Definitions 1.1.3-1.1.5
    "drawing",  # Figures 1.1, 2.1-2.3
    "risk",  # Definitions 1.2.2, 1.2.3
    "backprop",  # Lemma 1.2.4
    "optim",  # Theorems 1.2.1, 1.2.6
    "adam",  # the thesis's TODO on Adam
    "numpy_training",  # Corollary 1.2.5
    "landscapes",  # test functions for Section 1.2's optimisers
    "data",  # the digits and the book's split
    "training",  # the shared training loop
    "autoencoder",  # Lemmas 2.1.1, 2.1.2
    "reconstruction",  # Section 2.2: training autoencoders, PCA
    "compression",  # Section 2.3: bytes per image vs error
    "plotting",
    "repro",
    "interactive",  # sliders for readers who run the notebooks
    "vae",  # Definitions 3.1.1, 3.1.3, 3.1.8, Proposition 3.1.6
    "elbo",  # Theorem 3.1.4, Lemma 3.1.5, Theorem 3.1.9, Definitions 3.2.1-3.2.2
    "linear_gaussian",  # Example 3.1.2, Proposition 3.1.10
    "gradients",  # Lemma 3.1.7
    "mixtures",  # Definition 3.3.1, Example 3.3.2, Theorem 3.3.3
    "beta_binomial",  # Definition 3.3.4
    "beta_binomial_mixture",  # Section 3.3: the classical baseline for counts
    "priors",  # Definition 3.3.5
    "sigmoid_belief",  # Definition 3.3.6
    "denoising",  # Section 4.1: corruptions, PSNR (Definition 4.1.1)
    "novelty",  # Section 4.2: novelty scores, ROC AUC (Definition 4.2.1)
    "downstream",  # Sections 4.3-4.4: sample score (Definition 4.3.1), few labels
    "small_models",  # Chapter 4: the small AE and VAE recipes
    "uncertainty",  # standard errors, paired differences, seed spreads
    "evaluation",  # per-image NLLs for standard errors
    "selection",  # baselines chosen on the validation part
    "linear_denoisers",  # Section 4.1: ridge denoiser, PSNR on validation
    "results",  # committed results of the long runs
]

__all__: list[str] = []
for _name in MODULES:
    _mod = import_module(f".{_name}", __name__)
    for _obj in _mod.__all__:
        if _obj in __all__:  # two modules exporting one name: the later would shadow the earlier
            raise ImportError(f"ae_lib.{_name} exports {_obj!r}, which an earlier module already exports")
        globals()[_obj] = getattr(_mod, _obj)
    __all__ += _mod.__all__
del _name, _mod, _obj

__version__ = "0.1.0"
