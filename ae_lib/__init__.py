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
    "data",  # the digits and the book's split
    "training",  # the shared training loop
    "plotting",
    "repro",
    "interactive",  # sliders for readers who run the notebooks
    "risk",  # Definitions 1.2.2, 1.2.3
    "backprop",  # Lemma 1.2.4
    "optim",  # Theorems 1.2.1, 1.2.6
    "adam",  # the thesis's TODO on Adam
    "numpy_training",  # Corollary 1.2.5
    "landscapes",  # test functions for Section 1.2's optimisers
]

__all__: list[str] = []
for _name in MODULES:
    _mod = import_module(f".{_name}", __name__)
    for _obj in _mod.__all__:
        globals()[_obj] = getattr(_mod, _obj)
    __all__ += _mod.__all__
del _name, _mod, _obj

__version__ = "0.1.0"
