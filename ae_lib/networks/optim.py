"""Gradient descent, stochastic gradient descent and Adam (Theorems 1.2.1 and 1.2.6).

Thesis items: Theorem 1.2.1 (:obj:`~ae_lib.gradient_descent`); Theorem 1.2.6 (:obj:`~ae_lib.sgd`).

Gradient descent and its step sizes: Theorem 1.2.1 of the thesis.

Everything here works on a vector x ∈ ℝⁿ (for a network, θ flattened by
``ae.flatten_theta``).  An optimiser turns the current point and a gradient into the next
point; :func:`iterate` runs one for a number of steps.  The step sizes γ_t (t = 0, 1, …),
called ``lr`` in code, are a number (constant) or a schedule ``t -> γ_t`` such as
``step_sizes("1/t", c)``.  Stochastic gradient descent (Theorem 1.2.6) reuses both, with
the gradients of minibatches: :mod:`ae_lib.networks.optim`.

Stochastic gradient descent: Theorem 1.2.6 of the thesis.

SGD is gradient descent (:mod:`ae_lib.networks.optim`) with the gradient of the loss on a random
minibatch in place of the full gradient.  :func:`minibatches` draws the minibatches (a
shuffle per epoch, or draws with replacement); :func:`sgd` runs any optimiser of
:mod:`ae_lib.networks.optim` or :class:`~ae_lib.Adam` on them.

Adam and AMSGrad: the optimiser the draft asks about at the end of Section 1.2 (Kingma & Ba 2015; Reddi et al. 2018).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from ..core import checks as check
from ..core.checks import as_finite_array
from ..core.seeds import Seed, numpy_rng

__all__ = ["Adam", "GradientStep", "gradient_descent", "iterate", "minibatches", "sgd", "step_sizes"]

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


def minibatches(k: int, batch_size: int, *, seed: Seed = 0, replace: bool = False) -> Iterator[np.ndarray]:
    """Index arrays of minibatches, epoch after epoch, without end.

    Each epoch is a fresh permutation of {0, …, k − 1} cut into consecutive pieces of
    ``batch_size`` (the last one may be shorter), like a shuffling ``DataLoader``.  With
    ``replace=True`` every minibatch is instead ``batch_size`` independent uniform draws.

    Parameters
    ----------
    k : int
        Size of the data set.
    batch_size : int
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the order (a generator is advanced as batches are drawn).
    replace : bool

    Yields
    ------
    numpy.ndarray of int, shape (batch_size,) or shorter
    """
    k, batch_size = check.positive_int("k", k), check.positive_int("batch_size", batch_size)
    rng = numpy_rng(seed)
    return _batch_indices(k, batch_size, rng, replace)


def _batch_indices(k: int, batch_size: int, rng: np.random.Generator, replace: bool) -> Iterator[np.ndarray]:
    """:func:`minibatches` without the checks: index arrays of shape (batch_size,) or shorter, from ``rng``."""
    while replace:
        yield rng.integers(0, k, size=batch_size)
    while True:
        order = rng.permutation(k)
        yield from (order[i : i + batch_size] for i in range(0, k, batch_size))


def sgd(
    grad_batch: Callable[[np.ndarray, np.ndarray], np.ndarray],
    x0: np.ndarray,
    k: int,
    lr: float | Schedule,
    steps: int,
    *,
    batch_size: int = 1,
    seed: Seed = 0,
    replace: bool = False,
    optimizer: Optimizer | None = None,
) -> np.ndarray:
    """Stochastic gradient descent θ^(t) = θ^(t−1) − γ_{t−1} ∂_{θ,i} R (Theorem 1.2.6, eq. 1.6).

    Parameters
    ----------
    grad_batch : callable
        ``grad_batch(x, idx)``: the gradient, shape (n,), of the average loss over the samples ``idx``.
    x0 : array_like, shape (n,)
    k : int
        Size of the data set.
    lr : float or callable
        Step sizes γ_t (ignored when ``optimizer`` is given).
    steps : int
    batch_size : int
        1 is the thesis's single-sample SGD; larger values give minibatch SGD.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the order of :func:`minibatches`.
    replace : bool
        Draw samples with replacement (i.i.d.) instead of shuffling once per epoch.
    optimizer : GradientStep or Adam, optional
        Use another update rule with the same stochastic gradients (e.g. Adam).

    Returns
    -------
    ndarray, shape (steps + 1, n)
    """
    check.function("grad_batch", grad_batch)
    batches = minibatches(k, batch_size, seed=seed, replace=replace)
    opt = GradientStep(lr) if optimizer is None else optimizer
    return iterate(opt, lambda x, t: grad_batch(x, next(batches)), x0, steps)


class Adam:
    """Adam (Kingma & Ba) with bias correction, and its AMSGrad variant (Reddi et al.).

    With m_0 = v_0 = 0 and t = 1, 2, …::

        m_t = β₁ m_{t-1} + (1 − β₁) g,    v_t = β₂ v_{t-1} + (1 − β₂) g²,
        x ← x − α_t (m_t / (1 − β₁ᵗ)) / (√(v̂_t / (1 − β₂ᵗ)) + ε),

    where v̂_t = v_t for Adam and v̂_t = max(v̂_{t-1}, v_t) for AMSGrad; exactly the update
    of ``torch.optim.Adam(amsgrad=...)``.

    Parameters
    ----------
    lr : float or callable
        α, or a schedule t ↦ α_t (t counted from 0).
    betas : tuple of float
        (β₁, β₂), each in [0, 1).
    eps : float
        > 0.
    amsgrad : bool
    """

    def __init__(
        self,
        lr: float | Schedule = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        amsgrad: bool = False,
    ) -> None:
        if not callable(lr):
            check.positive_float("lr", lr)
        check.step_size("lr", lr, 0)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, (Sequence, np.ndarray)):
            raise TypeError(f"betas must be a pair (beta1, beta2), got {type(betas).__name__}")
        if len(betas) != 2:
            raise ValueError(f"betas must have length 2 (beta1, beta2), got {len(betas)} entries")
        self.betas = (check.fraction("betas[0]", betas[0]), check.fraction("betas[1]", betas[1]))
        self.lr, self.eps = lr, check.positive_float("eps", eps)
        self.amsgrad, self.t = bool(check.instance("amsgrad", amsgrad, (bool, np.bool_))), 0
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        self.v_max: np.ndarray | None = None

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The next iterate, shape (n,) like x and g; advances t and the moment estimates m, v."""
        lr = check.step_size("lr", self.lr, self.t)
        b1, b2 = self.betas
        if self.m is None or self.v is None or self.v_max is None:
            self.m, self.v, self.v_max = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
        self.t += 1
        self.m = b1 * self.m + (1 - b1) * g
        self.v = b2 * self.v + (1 - b2) * g * g
        v = self.v
        if self.amsgrad:
            self.v_max = v = np.maximum(self.v_max, self.v)
        denom = np.sqrt(v) / math.sqrt(1 - b2**self.t) + self.eps
        return x - (lr / (1 - b1**self.t)) * self.m / denom
