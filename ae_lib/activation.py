"""Activation functions: Definition 1.1.1 of the thesis.

An activation function is a continuous, non-constant map φ: ℝ → ℝ.  Here it is an
:class:`Activation` object that applies φ componentwise to arrays of any shape (the
map φ̂ of eq. 1.2), knows its derivative φ' (needed for backpropagation in Section 1.2)
and knows its twin ``torch.nn`` module (needed from Chapter 2 on).  The named ones of
Example 1.1.2 are in :mod:`ae_lib.activations`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from . import _checks as check

__all__ = ["Activation"]

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
