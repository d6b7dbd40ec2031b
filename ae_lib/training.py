"""One training loop for every torch model of the book (Chapters 2–4).

``fit`` is minibatch stochastic gradient descent (Theorem 1.2.6) with a ``torch.optim``
optimiser, per-epoch train and validation losses and optional early stopping.  After every
optimiser step it checks that the loss and the parameters are finite numbers and stops with
:class:`~ae_lib.TrainingDiverged` otherwise.  All randomness comes from ``seed``: the
minibatch order and the loss's noise from one generator, dropout masks from torch's global
generator seeded inside a fork, so that the same seed gives the same history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from . import _checks as check
from . import _fit_parts as parts
from ._device import as_device, on_device
from ._random import Seed, forked_global_rng, seed_ints
from .errors import diverged
from .torch_nets import input_width, model_dtype

__all__ = ["History", "fit"]


@dataclass
class History:
    """What ``fit`` returns: one entry per epoch run.

    Attributes
    ----------
    train_loss : list of float
        Mean training loss over each epoch's minibatches (before each step).
    val_loss : list of float
        Loss on the validation data after each epoch (empty without validation data).
    best_epoch : int or None
        1-based epoch with the lowest validation loss (whose weights are restored when
        early stopping is on).
    stopped_early : bool
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.train_loss)


def fit(
    model: torch.nn.Module,
    loss_fn: parts.LossFn,
    X_train: parts.Data,
    X_val: parts.Data | None = None,
    *,
    epochs: int = 100,
    batch_size: int = 64,
    lr: float = 1e-3,
    optimizer: str | Callable = "adam",
    weight_decay: float = 0.0,
    patience: int | None = None,
    seed: Seed = 0,
    device: str | torch.device = "cpu",
    dtype: torch.dtype | None = None,
    progress: bool | None = None,
    schedule: str | None = None,
) -> History:
    """Train ``model`` by minibatch gradient steps on ``loss_fn``.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place on ``device``, then moved back to where it was; left in eval mode.
    loss_fn : callable
        ``loss_fn(model, batch, seed) -> scalar tensor``: the mean loss over the minibatch.
        ``batch`` is a tuple of tensors (rows of ``X_train``), ``seed`` the ``torch.Generator``
        for any noise the loss draws (VAE codes, corruptions).
    X_train, X_val : array or tensor of shape (n, D), or a tuple of them
        A tuple such as ``(inputs, targets)`` is sliced row-wise together; the first entry's
        width must match the model's input width (its ``input_dim`` or first ``Linear``), and
        a model with a ``check_data(X, name)`` method (a VAE: the likelihood's support) checks
        it too.  ``X_val`` is optional; early stopping needs it.
    epochs, batch_size : int
    lr : float
        Step size γ of the optimiser (Theorem 1.2.6).
    optimizer : {"adam", "sgd"} or callable
        A name, or ``callable(parameters, lr) -> torch.optim.Optimizer``.
    weight_decay : float
    patience : int, optional
        Stop after this many epochs without a lower validation loss and restore the
        best weights.  ``None`` trains for all ``epochs``.
    seed : int, numpy.random.Generator or torch.Generator
        An int ``s`` seeds the minibatch order and the loss's generator with ``s``, the
        validation noise with ``s + 1`` and dropout with ``s + 2``; same seed, same history.
    device : str or torch.device
        Where the model and each minibatch are computed: ``"cpu"`` (the default, the book's
        outputs) or ``"cuda"`` where ``torch.cuda.is_available()``.  All noise but dropout's
        is drawn on the CPU and moved, so a seed draws the same numbers on every device.
    dtype : torch.dtype, optional
        The data's dtype; default the model's (float64 for ``linear_autoencoder``).
    progress : bool, optional
        A progress line on stderr; always off when the ``CI`` variable is set, and off
        by default unless ``AE_LIB_PROGRESS=1``.
    schedule : {None, "onecycle"}
        ``None``: constant ``lr``.  ``"onecycle"``: ``torch.optim.lr_scheduler.OneCycleLR`` with
        peak ``lr`` over all ``epochs`` (warm up, then anneal), stepped after every minibatch.

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        When a minibatch loss or a parameter after a step is NaN or infinite, naming the
        epoch, the step and ``lr``.
    """
    check.instance("model", model, torch.nn.Module)
    check.function("loss_fn", loss_fn)
    epochs, batch_size = check.positive_int("epochs", epochs), check.positive_int("batch_size", batch_size)
    lr, weight_decay = check.positive_float("lr", lr), check.nonneg_float("weight_decay", weight_decay)
    if patience is not None:
        patience = check.positive_int("patience", patience)
        if X_val is None:
            raise ValueError("patience (early stopping) needs validation data: pass X_val")
    dtype = model_dtype(model) if dtype is None else check.instance("dtype", dtype, torch.dtype)
    device = as_device(device)
    width, check_data = input_width(model), getattr(model, "check_data", None)
    train = parts.as_data("X_train", X_train, dtype, device, width, check_data)
    val = None if X_val is None else parts.as_data("X_val", X_val, dtype, device, width, check_data)
    order_seed, val_seed, dropout_seed = seed_ints(seed, 3)
    gen = torch.Generator().manual_seed(order_seed)
    hist, best, show = History(), parts.Best(patience), parts.progress_enabled(progress)
    with on_device([model], device), forked_global_rng(dropout_seed):  # dropout: seeded, caller's RNG kept
        params = parts.trainable(model)
        opt = parts.optimizer(optimizer, params, lr, weight_decay)
        sched = parts.scheduler(schedule, opt, lr, epochs * -(-train[0].shape[0] // batch_size))
        for epoch in range(1, epochs + 1):
            step = _Step(model, loss_fn, opt, sched, params, gen, epoch, lr)
            hist.train_loss.append(_train_epoch(step, train, batch_size))
            if val is not None:
                hist.val_loss.append(
                    parts.evaluate(model, loss_fn, val, max(batch_size, 256), val_seed, epoch, lr)
                )
                hist.stopped_early = best.update(hist.val_loss[-1], epoch, model)
            if show:
                val_loss = hist.val_loss[-1] if hist.val_loss else None
                parts.print_progress(
                    epoch, epochs, hist.train_loss[-1], val_loss, hist.stopped_early or epoch == epochs
                )
            if hist.stopped_early:
                break
        hist.best_epoch = best.restore(model)
    return hist


@dataclass
class _Step:
    """One optimiser step on a minibatch, with the divergence checks of contract §5."""

    model: torch.nn.Module
    loss_fn: parts.LossFn
    opt: torch.optim.Optimizer
    sched: Any
    params: list[torch.nn.Parameter]
    gen: torch.Generator
    epoch: int
    lr: float

    def __call__(self, batch: tuple[torch.Tensor, ...], step: int) -> float:
        loss = parts.scalar_loss(self.loss_fn(self.model, batch, self.gen))
        if not torch.isfinite(loss):
            raise diverged(f"the training loss became {loss.item()}", self.epoch, step, self.lr)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        if self.sched is not None:
            self.sched.step()
        # One reduction for all parameters: a NaN or an infinity anywhere makes the sum non-finite.
        if not torch.isfinite(torch.stack([p.sum() for p in self.params]).sum()):
            raise diverged("the parameters became NaN or infinite", self.epoch, step, self.lr)
        return loss.item()


def _train_epoch(step: _Step, data: tuple[torch.Tensor, ...], batch_size: int) -> float:
    """One pass over ``data`` in a random order; the mean minibatch loss."""
    step.model.train()
    n = data[0].shape[0]
    order = torch.randperm(n, generator=step.gen).to(data[0].device)
    total = 0.0
    for i, start in enumerate(range(0, n, batch_size), start=1):
        idx = order[start : start + batch_size]
        total += step(tuple(t[idx] for t in data), i) * idx.numel()
    return total / n
