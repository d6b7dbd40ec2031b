"""Gradient descent and its step sizes: Theorem 1.2.1 of the thesis.

Everything here works on a vector x ∈ ℝⁿ (for a network, θ flattened by
``ae.flatten_theta``).  An optimiser turns the current point and a gradient into the next
point; :func:`iterate` runs one for a number of steps.  The step sizes γ_t (t = 0, 1, …),
called ``lr`` in code, are a number (constant) or a schedule ``t -> γ_t`` such as
``step_sizes("1/t", c)``.  Stochastic gradient descent (Theorem 1.2.6) reuses both, with
the gradients of minibatches: :mod:`ae_lib.stochastic`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import _checks as check
from ._checks import as_finite_array

__all__ = ["GradientStep", "gradient_descent", "iterate", "step_sizes"]

Schedule = Callable[[int], float]
_POWERS = {"constant": 0.0, "1/t": 1.0, "1/sqrt(t)": 0.5, "1/t^2": 2.0}


def step_sizes(kind: str, c: float) -> Schedule:
    """The schedule γ_t = c / (t + 1)^p, t = 0, 1, 2, …

    Parameters
    ----------
    kind : {"constant", "1/t", "1/sqrt(t)", "1/t^2"}
        p = 0, 1, 1/2, 2.  Only "1/t" and "1/sqrt(t)" have Σγ_t = ∞ and γ_t → 0; of those
        only "1/t" also has Σγ_t² < ∞ (the Robbins–Monro conditions).
    c : float
        γ_0 > 0.

    Returns
    -------
    callable
        t ↦ γ_t, for an int t or an array of them (same shape).

    Examples
    --------
    >>> step_sizes("1/t", 0.5)(3)
    0.125
    """
    check.one_of("kind", kind, sorted(_POWERS))
    c, p = check.positive_float("c", c), _POWERS[kind]

    def schedule(t: Any) -> Any:
        return c / (t + 1) ** p

    schedule.__name__ = f"{c:g}/(t+1)^{p:g}"
    return schedule


class GradientStep:
    """x ← x − γ_t g: the step of gradient descent (eq. 1.4) and of SGD (eq. 1.6).

    Parameters
    ----------
    lr : float or callable
        The step size γ: a constant, or a schedule t ↦ γ_t (t counts the steps taken, from 0).
    """

    def __init__(self, lr: float | Schedule) -> None:
        if not callable(lr):
            check.positive_float("lr", lr)
        check.step_size("lr", lr, 0)
        self.lr, self.t = lr, 0

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The next iterate x − γ_t g, shape (n,) like x and g; advances t."""
        lr = check.step_size("lr", self.lr, self.t)
        self.t += 1
        return x - lr * g


Optimizer = Any  # GradientStep, ae.Adam, or anything with .step(x, g) -> x_new


def iterate(
    optimizer: Optimizer,
    grad: Callable[[np.ndarray, int], np.ndarray],
    x0: np.ndarray,
    steps: int,
    *,
    project: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Run ``optimizer`` for ``steps`` steps with gradients ``grad(x, t)``.

    Parameters
    ----------
    optimizer : GradientStep or Adam
        Anything with a method ``step(x, g)`` returning the next iterate.
    grad : callable
        ``grad(x, t)``: the (possibly stochastic) gradient used in step t = 0, 1, …, shape (n,).
    x0 : array_like, shape (n,)
        The initial guess x^(0).
    steps : int
    project : callable, optional
        Applied after each step (projection onto a feasible set).

    Returns
    -------
    ndarray, shape (steps + 1, n)
        The iterates x^(0), …, x^(steps); stops early (shorter array) if an iterate
        overflows to inf or NaN: the path of a divergent iteration is the lesson here.
    """
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a method step(x, g), got {type(optimizer).__name__}")
    check.function("grad", grad)
    if project is not None:
        check.function("project", project)
    x = as_finite_array("x0", x0, ndim=1).copy()
    steps = check.positive_int("steps", steps)
    path = [x]
    for t in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            g = np.asarray(grad(x, t), dtype=float)
            if g.shape != x.shape:
                raise ValueError(f"grad(x, t) must have the shape of x0 {x.shape}, got {g.shape}")
            x = optimizer.step(x, g)
        if project is not None:
            x = project(x)
        if not np.all(np.isfinite(x)):
            break
        path.append(x)
    return np.array(path)


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float | Schedule, steps: int
) -> np.ndarray:
    """The gradient descent iterates x^(t+1) = x^(t) − γ_t ∂_x f(x^(t)) of Theorem 1.2.1 (eq. 1.4).

    Parameters
    ----------
    grad : callable
        ∂_x f: ℝⁿ → ℝⁿ, arrays of shape (n,).
    x0 : array_like, shape (n,)
    lr : float or callable
        The step size γ: a constant or a schedule t ↦ γ_t.
    steps : int

    Returns
    -------
    ndarray, shape (steps + 1, n)
        x^(0), …, x^(steps) (shorter if the iterates overflow).

    Examples
    --------
    >>> gradient_descent(lambda x: 2 * x, [1.0], lr=0.25, steps=2)
    array([[1.  ],
           [0.5 ],
           [0.25]])
    """
    check.function("grad", grad)
    return iterate(GradientStep(lr), lambda x, t: grad(x), x0, steps)
