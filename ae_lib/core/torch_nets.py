"""The torch builder: Definition 1.1.5's network f_{φ,L,θ} as a ``torch.nn.Sequential``.

Thesis items: none numbered; the tools the chapters share.

:func:`mlp` stacks ``Linear`` then φ per layer, H_L ∘ … ∘ H_1.  It is the only place in the
package that stacks torch layers: :func:`~ae_lib.to_torch` (Chapter 1's NumPy networks),
:class:`~ae_lib.AutoencoderNet` (Chapter 2) and the encoder and decoder of
:class:`~ae_lib.VAE` (Chapter 3) all call it.  It stands on torch alone: φ is a name of
:data:`TORCH_ACTIVATIONS` or a zero-argument factory of a ``torch.nn.Module`` (such as a
Chapter 1 activation's ``.torch``).  :func:`model_dtype` and :func:`input_width` read what a
torch model expects of its data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from . import checks as check

__all__ = ["TORCH_ACTIVATIONS", "mlp"]

#: φ by name, as the ``torch.nn`` module class that applies it (the names of Example 1.1.2).
TORCH_ACTIVATIONS: dict[str, Callable[[], torch.nn.Module]] = {
    "relu": torch.nn.ReLU,
    "leaky_relu": torch.nn.LeakyReLU,
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "softplus": torch.nn.Softplus,
    "silu": torch.nn.SiLU,
    "identity": torch.nn.Identity,
}

Phi = str | Callable[[], torch.nn.Module]


def _torch_activation(phi: Phi, name: str) -> torch.nn.Module:
    """φ as a fresh module: a name of :data:`TORCH_ACTIVATIONS` or a factory called once."""
    if isinstance(phi, str):
        try:
            return TORCH_ACTIVATIONS[phi.lower()]()
        except KeyError:
            raise ValueError(
                f"{name} must name an activation, one of {sorted(TORCH_ACTIVATIONS)}; got {phi!r}"
            ) from None
    factory = getattr(phi, "torch", phi)  # a Chapter 1 Activation brings its torch twin
    if not callable(factory):
        raise TypeError(
            f"{name} must be an activation name or a torch module factory, got {type(phi).__name__}"
        )
    module = factory()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"{name} must make a torch.nn.Module, got {type(module).__name__}")
    return module


def mlp(
    widths: Sequence[int],
    phi: Phi | Sequence[Phi] = "relu",
    *,
    output_phi: Phi = "identity",
    dropout: float = 0.0,
    dtype: torch.dtype = torch.float32,
) -> torch.nn.Sequential:
    """A fully connected network with widths ``(d_0, …, d_L)``: ``Linear``, φ (and dropout) per hidden layer.

    Parameters
    ----------
    widths : sequence of int
        ``(d_0, …, d_L)``, at least two entries, each ≥ 1.
    phi : str or callable, or a sequence of them
        φ after every hidden layer, or one per hidden layer (L − 1 entries): a name of
        :data:`TORCH_ACTIVATIONS` or a zero-argument factory of a ``torch.nn.Module``.
    output_phi : str or callable
        φ after the last layer (``"identity"``: none).
    dropout : float
        Dropout probability in [0, 1) after each hidden activation (training mode only).
    dtype : torch.dtype

    Returns
    -------
    torch.nn.Sequential
        Maps inputs of shape (n, d_0) to outputs of shape (n, d_L).  The initial weights
        come from torch's global generator: call it under a seeded fork (the classes do).

    Examples
    --------
    >>> mlp((4, 3, 2), "tanh")
    Sequential(
      (0): Linear(in_features=4, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=2, bias=True)
    )
    """
    widths = check.widths("widths", widths, min_len=2)
    n_hidden = len(widths) - 2
    if isinstance(phi, Sequence) and not isinstance(phi, str):
        if len(phi) != n_hidden:
            raise ValueError(f"phi needs one activation per hidden layer ({n_hidden}), got {len(phi)}")
        phis = [(p, f"phi[{i}]") for i, p in enumerate(phi)]
    else:
        phis = [(phi, "phi")] * n_hidden
    phis.append((output_phi, "output_phi"))
    for p, name in phis:  # every φ is refused or accepted before a layer is built
        _torch_activation(p, name)
    dropout = check.fraction("dropout", dropout)
    check.instance("dtype", dtype, torch.dtype)
    layers: list[torch.nn.Module] = []
    for i, (p, name) in enumerate(phis):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], dtype=dtype))
        act = _torch_activation(p, name)
        if not isinstance(act, torch.nn.Identity):
            layers.append(act)
        if i < n_hidden and dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
    return torch.nn.Sequential(*layers)


def model_dtype(model: torch.nn.Module) -> torch.dtype:
    """The dtype of the model's first floating-point parameter (float32 if it has none)."""
    return next((p.dtype for p in model.parameters() if p.dtype.is_floating_point), torch.float32)


def input_width(model: torch.nn.Module) -> int | None:
    """The width the model reads: its ``input_dim``, else its first ``Linear`` layer's."""
    width = getattr(model, "input_dim", None)
    if width is None:
        width = next((m.in_features for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    return width
