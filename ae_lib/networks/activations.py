"""Activation functions φ and the named ones of the thesis (Definition 1.1.1, Example 1.1.2).

Thesis items: Definition 1.1.1 (:obj:`~ae_lib.Activation`); Example 1.1.2
(:obj:`~ae_lib.leaky_relu`).

Activation functions: Definition 1.1.1 of the thesis.

An activation function is a continuous, non-constant map φ: ℝ → ℝ.  Here it is an
:class:`Activation` object that applies φ componentwise to arrays of any shape (the
map φ̂ of eq. 1.2), knows its derivative φ' (needed for backpropagation in Section 1.2)
and knows its twin ``torch.nn`` module (needed from Chapter 2 on).  The named ones of
Example 1.1.2 are in :mod:`ae_lib.networks.activations`.

The named activation functions: Example 1.1.2 of the thesis, and a few more.

Each is an :class:`~ae_lib.Activation` (Definition 1.1.1, :mod:`ae_lib.networks.activations`) with
its derivative and its ``torch.nn`` twin; :func:`get_activation` finds one by name, so that
layers and networks accept ``"relu"`` as well as ``relu``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from ..core import checks as check

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "identity",
    "leaky_relu",
    "relu",
    "sigmoid",
    "silu",
    "softplus",
    "tanh",
]

ArrayFn = Callable[[np.ndarray], np.ndarray]

# Points at which Definition 1.1.1's "non-constant" is checked.
_PROBE = np.concatenate([np.linspace(-10.0, 10.0, 201), [-1e3, 1e3]])


class Activation:
    """A φ-activation function in the sense of Definition 1.1.1.

    Parameters
    ----------
    name : str
        Display name, e.g. ``"ReLU"``.
    fn : callable
        φ, applied componentwise to a float array (any shape) and returning one of the
        same shape.
    derivative : callable, optional
        φ', same convention.  Where φ is not differentiable (ReLU at 0) the value of a
        subgradient is used, matching torch autograd.
    torch_module : callable, optional
        Zero-argument factory of the equivalent ``torch.nn.Module``.

    Raises
    ------
    TypeError
        If ``fn`` is not callable.
    ValueError
        If φ is constant on a grid of 203 points in [-1000, 1000] (Definition 1.1.1
        demands a non-constant function) or returns non-finite values there.

    Notes
    -----
    Continuity cannot be checked numerically; it is the caller's promise.
    """

    def __init__(
        self,
        name: str,
        fn: ArrayFn,
        derivative: ArrayFn | None = None,
        torch_module: Callable[[], torch.nn.Module] | None = None,
    ) -> None:
        check.instance("name", name, str)
        check.function("fn", fn)
        for arg, value in (("derivative", derivative), ("torch_module", torch_module)):
            if value is not None:
                check.function(arg, value)
        with np.errstate(all="ignore"):
            values = np.asarray(fn(_PROBE.copy()), dtype=float)
        if values.shape != _PROBE.shape:
            raise ValueError(
                f"fn must act componentwise (shape in = shape out); got {values.shape} for {_PROBE.shape}"
            )
        if not np.all(np.isfinite(values)):
            raise ValueError(f"fn of activation {name!r} returned non-finite values on [-1000, 1000]")
        if np.ptp(values) == 0.0:
            raise ValueError(
                f"fn of activation {name!r} is constant; Definition 1.1.1 requires a non-constant φ"
            )
        self.name = name
        self.fn = fn
        self.fn_prime = derivative
        self._torch_module = torch_module

    def __call__(self, t: np.ndarray | float) -> np.ndarray:
        """φ̂(t): φ applied to each entry of ``t`` (eq. 1.2), any shape; the result has the shape of t."""
        return self.fn(check.as_finite_array("t", t))

    def derivative(self, t: np.ndarray | float) -> np.ndarray:
        """φ'(t) componentwise, the shape of t; raises ``NotImplementedError`` if none was given."""
        if self.fn_prime is None:
            raise NotImplementedError(f"activation {self.name!r} has no derivative")
        return self.fn_prime(check.as_finite_array("t", t))

    def torch(self) -> torch.nn.Module:
        """A fresh ``torch.nn`` module computing the same φ."""
        if self._torch_module is None:
            raise NotImplementedError(f"activation {self.name!r} has no torch twin")
        return self._torch_module()

    def __repr__(self) -> str:
        return f"Activation({self.name})"


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
