"""Stochastic gradient descent: Theorem 1.2.6 of the thesis.

SGD is gradient descent (:mod:`ae_lib.optim`) with the gradient of the loss on a random
minibatch in place of the full gradient.  :func:`minibatches` draws the minibatches (a
shuffle per epoch, or draws with replacement); :func:`sgd` runs any optimiser of
:mod:`ae_lib.optim` or :class:`~ae_lib.Adam` on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from . import _checks as check
from ._random import Seed, numpy_rng
from .optim import GradientStep, Optimizer, Schedule, iterate

__all__ = ["minibatches", "sgd"]


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
    return batch_indices(k, batch_size, rng, replace)


def batch_indices(k: int, batch_size: int, rng: np.random.Generator, replace: bool) -> Iterator[np.ndarray]:
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
