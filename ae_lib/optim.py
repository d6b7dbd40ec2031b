"""Gradient descent and SGD: Theorems 1.2.1 and 1.2.6 of the thesis.

Everything here works on a vector x ∈ ℝⁿ (for a network, θ flattened by
``ae.flatten_theta``).  An optimiser turns the current point and a gradient into the next
point; :func:`iterate` runs one for a number of steps.  The step sizes γ_t (t = 0, 1, …)
are a number (constant) or a schedule ``t -> γ_t`` such as ``step_sizes("1/t", c)``.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator

import numpy as np

from ._checks import as_finite_array, positive_float, positive_int

__all__ = ["step_sizes", "GradientStep", "iterate", "gradient_descent", "minibatches", "sgd"]

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
    """
    if kind not in _POWERS:
        raise ValueError(f"kind must be one of {sorted(_POWERS)}, got {kind!r}")
    c, p = positive_float("c", c), _POWERS[kind]
    schedule = lambda t: c / (t + 1) ** p  # noqa: E731
    schedule.__name__ = f"{c:g}/(t+1)^{p:g}"
    return schedule


def _gamma(schedule: float | Schedule, t: int, name: str = "step size") -> float:
    g = schedule(t) if callable(schedule) else schedule
    if isinstance(g, bool) or not isinstance(g, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(g).__name__} at t={t}")
    if not math.isfinite(g) or g <= 0:
        raise ValueError(f"{name} must be finite and > 0, got γ_{t} = {g}")
    return float(g)


class GradientStep:
    """x ← x − γ_t g: the step of gradient descent (eq. 1.4) and of SGD (eq. 1.6).

    Parameters
    ----------
    gamma : float or callable
        A constant step size or a schedule t ↦ γ_t (t counts the steps taken, from 0).
    """

    def __init__(self, gamma: float | Schedule) -> None:
        _gamma(gamma, 0, "gamma")
        self.gamma, self.t = gamma, 0

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The next iterate x − γ_t g; advances t."""
        gamma = _gamma(self.gamma, self.t, "gamma")
        self.t += 1
        return x - gamma * g


Optimizer = Any  # GradientStep, ae.Adam, or anything with .step(x, g) -> x_new


def iterate(optimizer: Optimizer, grad: Callable[[np.ndarray, int], np.ndarray], x0: np.ndarray,
            steps: int, *, project: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Run ``optimizer`` for ``steps`` steps with gradients ``grad(x, t)``.

    Parameters
    ----------
    optimizer : GradientStep or Adam
        Anything with a method ``step(x, g)`` returning the next iterate.
    grad : callable
        ``grad(x, t)``: the (possibly stochastic) gradient used in step t = 0, 1, …
    x0 : array_like, shape (n,)
        The initial guess x^(0).
    steps : int
    project : callable, optional
        Applied after each step (projection onto a feasible set).

    Returns
    -------
    ndarray, shape (steps + 1, n)
        The iterates x^(0), …, x^(steps); stops early (shorter array) if an iterate
        overflows to inf or NaN.
    """
    x = as_finite_array("x0", x0, ndim=1).copy()
    steps = positive_int("steps", steps)
    path = [x]
    for t in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            x = optimizer.step(x, np.asarray(grad(x, t), dtype=float))
        if project is not None:
            x = project(x)
        if not np.all(np.isfinite(x)):
            break
        path.append(x)
    return np.array(path)


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
                     gamma: float | Schedule, steps: int) -> np.ndarray:
    """The gradient descent iterates x^(t+1) = x^(t) − γ_t ∂_x f(x^(t)) of Theorem 1.2.1 (eq. 1.4).

    Parameters
    ----------
    grad : callable
        ∂_x f: ℝⁿ → ℝⁿ.
    x0 : array_like, shape (n,)
    gamma : float or callable
        Constant step size or schedule t ↦ γ_t.
    steps : int

    Returns
    -------
    ndarray, shape (steps + 1, n)
        x^(0), …, x^(steps) (shorter if the iterates overflow).
    """
    return iterate(GradientStep(gamma), lambda x, t: grad(x), x0, steps)


def minibatches(k: int, batch_size: int, rng: np.random.Generator, *,
                replace: bool = False) -> Iterator[np.ndarray]:
    """Index arrays of minibatches, epoch after epoch, without end.

    Each epoch is a fresh permutation of {0, …, k − 1} cut into consecutive pieces of
    ``batch_size`` (the last one may be shorter), like a shuffling ``DataLoader``.  With
    ``replace=True`` every minibatch is instead ``batch_size`` independent uniform draws.
    """
    k, batch_size = positive_int("k", k), positive_int("batch_size", batch_size)
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator (randomness is passed in)")
    while replace:
        yield rng.integers(0, k, size=batch_size)
    while True:
        order = rng.permutation(k)
        yield from (order[i:i + batch_size] for i in range(0, k, batch_size))


def sgd(grad_batch: Callable[[np.ndarray, np.ndarray], np.ndarray], x0: np.ndarray, k: int,
        gamma: float | Schedule, steps: int, *, batch_size: int = 1, seed: int = 0,
        replace: bool = False, optimizer: Optimizer | None = None) -> np.ndarray:
    """Stochastic gradient descent θ^(t) = θ^(t−1) − γ_{t−1} ∂_{θ,i} R (Theorem 1.2.6, eq. 1.6).

    Parameters
    ----------
    grad_batch : callable
        ``grad_batch(x, idx)``: the gradient of the average loss over the samples ``idx``.
    x0 : array_like, shape (n,)
    k : int
        Size of the data set.
    gamma : float or callable
        Step sizes (ignored when ``optimizer`` is given).
    steps : int
    batch_size : int
        1 is the thesis's single-sample SGD; larger values give minibatch SGD.
    seed : int
        Seeds the order of :func:`minibatches`.
    replace : bool
        Draw samples with replacement (i.i.d.) instead of shuffling once per epoch.
    optimizer : GradientStep or Adam, optional
        Use another update rule with the same stochastic gradients (e.g. Adam).

    Returns
    -------
    ndarray, shape (steps + 1, n)
    """
    batches = minibatches(k, batch_size, np.random.default_rng(seed), replace=replace)
    opt = GradientStep(gamma) if optimizer is None else optimizer
    return iterate(opt, lambda x, t: grad_batch(x, next(batches)), x0, steps)
