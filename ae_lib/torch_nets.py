"""The torch twins: one builder of fully connected networks, and the twin of a NumPy network.

:func:`mlp` is Definition 1.1.5's f_{φ,L,θ} = H_L ∘ … ∘ H_1 as a ``torch.nn.Sequential``
(``Linear`` then φ per layer).  It is the only place in the package that stacks torch
layers: :func:`~ae_lib.to_torch` (Chapter 1's NumPy networks), :class:`AutoencoderNet`
(Chapter 2) and the encoder and decoder of :class:`~ae_lib.VAE` (Chapter 3) all call it.
:func:`model_dtype` and :func:`input_width` read what a torch model expects of its data.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from . import _checks as check
from ._random import forked_global_rng
from .activation import Activation
from .activations import get_activation, identity
from .layer import Layer
from .network import DeepNetwork

__all__ = ["mlp", "to_torch"]

Phi = Activation | str


def mlp(
    widths: Sequence[int],
    phi: Phi | Sequence[Phi] = "relu",
    *,
    output_phi: Phi = identity,
    dropout: float = 0.0,
    dtype: torch.dtype = torch.float32,
) -> torch.nn.Sequential:
    """A fully connected network with widths ``(d_0, …, d_L)``: ``Linear``, φ (and dropout) per hidden layer.

    Parameters
    ----------
    widths : sequence of int
        ``(d_0, …, d_L)``, at least two entries, each ≥ 1.
    phi : Activation or str, or a sequence of them
        Activation after every hidden layer, or one per hidden layer (L − 1 entries).
    output_phi : Activation or str
        Activation after the last layer (identity: none).
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
    if isinstance(phi, Sequence) and not isinstance(phi, str):
        hidden = [get_activation(p, f"phi[{i}]") for i, p in enumerate(phi)]
        if len(hidden) != len(widths) - 2:
            raise ValueError(
                f"phi needs one activation per hidden layer ({len(widths) - 2}), got {len(hidden)}"
            )
    else:
        hidden = [get_activation(phi)] * (len(widths) - 2)
    dropout = check.fraction("dropout", dropout)
    check.instance("dtype", dtype, torch.dtype)
    layers: list[torch.nn.Module] = []
    for i, act in enumerate([*hidden, get_activation(output_phi, "output_phi")]):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], dtype=dtype))
        if act is not identity:
            layers.append(act.torch())
        if i < len(hidden) and dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
    return torch.nn.Sequential(*layers)


def to_torch(net: DeepNetwork | Layer, dtype: torch.dtype = torch.float64) -> torch.nn.Sequential:
    """The ``torch.nn`` twin of a NumPy network: :func:`~ae_lib.mlp` with the same weights.

    Parameters
    ----------
    net : DeepNetwork or Layer
    dtype : torch.dtype
        float64 by default, so that the twin agrees with NumPy to ~1e-15.

    Returns
    -------
    torch.nn.Sequential
        Maps tensors of shape (n, d_0) to (n, d_L).
    """
    check.instance("net", net, (DeepNetwork, Layer))
    check.instance("dtype", dtype, torch.dtype)
    layers = [net] if isinstance(net, Layer) else net.layers
    widths = (layers[0].in_features, *(H.width for H in layers))
    with forked_global_rng(0):  # mlp's initial weights are overwritten below
        twin = mlp(widths, [H.phi for H in layers[:-1]], output_phi=layers[-1].phi, dtype=dtype)
    linears = [m for m in twin if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, H in zip(linears, layers):
            lin.weight.copy_(torch.as_tensor(H.W, dtype=dtype))
            lin.bias.copy_(torch.as_tensor(H.b, dtype=dtype))
    return twin


def model_dtype(model: torch.nn.Module) -> torch.dtype:
    """The dtype of the model's first floating-point parameter (float32 if it has none)."""
    return next((p.dtype for p in model.parameters() if p.dtype.is_floating_point), torch.float32)


def input_width(model: torch.nn.Module) -> int | None:
    """The width the model reads: its ``input_dim``, else its first ``Linear`` layer's."""
    width = getattr(model, "input_dim", None)
    if width is None:
        width = next((m.in_features for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    return width
