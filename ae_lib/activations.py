"""The named activation functions: Example 1.1.2 of the thesis, and a few more.

Each is an :class:`~ae_lib.Activation` (Definition 1.1.1, :mod:`ae_lib.activation`) with
its derivative and its ``torch.nn`` twin; :func:`get_activation` finds one by name, so that
layers and networks accept ``"relu"`` as well as ``relu``.
"""

from __future__ import annotations

import numpy as np
import torch

from . import _checks as check
from .activation import Activation

__all__ = [
    "ACTIVATIONS",
    "get_activation",
    "identity",
    "leaky_relu",
    "relu",
    "sigmoid",
    "silu",
    "softplus",
    "tanh",
]


def _sigmoid(t: np.ndarray) -> np.ndarray:
    # Numerically stable: never exponentiates a large positive number.
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


relu = Activation(
    "ReLU",
    lambda t: np.maximum(t, 0.0),
    lambda t: (t > 0).astype(float),
    torch.nn.ReLU,
)
"""Rectified linear unit φ(t) = max{0, t} (Example 1.1.2)."""


def leaky_relu(alpha: float = 0.01) -> Activation:
    """Leaky ReLU of Example 1.1.2: φ(t) = αt for t ≤ 0 and t for t > 0.

    Parameters
    ----------
    alpha : float
        Slope on the negative half-line.  ``alpha = 1`` gives the identity and
        ``alpha = 0`` gives ReLU; both are still activation functions.

    Raises
    ------
    TypeError, ValueError
        If ``alpha`` is not a finite real number.

    Examples
    --------
    >>> leaky_relu(0.1)([-2.0, 3.0])
    array([-0.2,  3. ])
    """
    a = check.real("alpha", alpha)
    return Activation(
        f"LeakyReLU(α={a:g})",
        lambda t: np.where(t > 0, t, a * t),
        lambda t: np.where(t > 0, 1.0, a),
        lambda: torch.nn.LeakyReLU(a),
    )


sigmoid = Activation(
    "sigmoid",
    _sigmoid,
    lambda t: _sigmoid(t) * (1.0 - _sigmoid(t)),
    torch.nn.Sigmoid,
)
"""Logistic sigmoid φ(t) = 1 / (1 + e^{-t}); outputs in (0, 1), e.g. pixel intensities."""

tanh = Activation("tanh", np.tanh, lambda t: 1.0 - np.tanh(t) ** 2, torch.nn.Tanh)
"""Hyperbolic tangent, outputs in (-1, 1)."""

softplus = Activation(
    "softplus",
    lambda t: np.logaddexp(0.0, t),
    _sigmoid,
    torch.nn.Softplus,
)
"""Softplus φ(t) = log(1 + e^t), a smooth ReLU."""

silu = Activation(
    "SiLU",
    lambda t: t / (1.0 + np.exp(-np.clip(t, -500, 500))),
    lambda t: (s := 1.0 / (1.0 + np.exp(-np.clip(t, -500, 500)))) * (1.0 + t * (1.0 - s)),
    torch.nn.SiLU,
)
"""SiLU (swish) φ(t) = t·σ(t): a smooth ReLU that the book's trained autoencoders use."""

identity = Activation("identity", lambda t: t.copy(), np.ones_like, torch.nn.Identity)
"""φ(t) = t: turns a φ-layer into an affine map (the usual output layer)."""

#: The named activations, for ``get_activation("relu")`` and friends.
ACTIVATIONS: dict[str, Activation] = {
    "relu": relu,
    "leaky_relu": leaky_relu(),
    "sigmoid": sigmoid,
    "tanh": tanh,
    "softplus": softplus,
    "silu": silu,
    "identity": identity,
}


def get_activation(phi: str | Activation, name: str = "phi") -> Activation:
    """Return ``phi`` itself or the named activation from :data:`ACTIVATIONS`.

    Raises
    ------
    ValueError
        For an unknown name.
    TypeError
        For anything that is neither a name nor an :class:`Activation`.
    """
    if isinstance(phi, Activation):
        return phi
    if isinstance(phi, str):
        try:
            return ACTIVATIONS[phi.lower()]
        except KeyError:
            raise ValueError(
                f"{name} must name an activation, one of {sorted(ACTIVATIONS)}; got {phi!r}"
            ) from None
    raise TypeError(f"{name} must be an Activation or a name, got {type(phi).__name__}")
