"""One training loop for every torch model of the book (Chapters 2–4).

``fit`` is minibatch stochastic gradient descent (Theorem 1.2.6) with a ``torch.optim``
optimiser, per-epoch train and validation losses, optional early stopping, and a hard
stop when the loss stops being a finite number.
"""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch

from ._checks import positive_float, positive_int

__all__ = ["History", "TrainingDiverged", "fit", "as_tensor"]

LossFn = Callable[[torch.nn.Module, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]


class TrainingDiverged(FloatingPointError):
    """The training loss became NaN or infinite; training was stopped."""


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
        return len(self.train_loss)


def as_tensor(x: np.ndarray | torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A float tensor on the CPU from an array or tensor (no copy if already right)."""
    return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x, dtype=dtype)


def _as_tuple(data, name: str, dtype: torch.dtype) -> tuple[torch.Tensor, ...]:
    items = data if isinstance(data, (tuple, list)) else (data,)
    out = tuple(as_tensor(d, dtype) for d in items)
    n = out[0].shape[0]
    if n == 0:
        raise ValueError(f"{name} is empty")
    for t in out[1:]:
        if t.shape[0] != n:
            raise ValueError(f"all arrays in {name} need the same length, got {[t.shape[0] for t in out]}")
    for t in out:
        if not torch.isfinite(t).all():
            raise ValueError(f"{name} contains NaN or inf")
    return out


def _progress_enabled(progress: bool | None) -> bool:
    if os.environ.get("CI"):
        return False  # never in CI, never in stored outputs
    if progress is None:
        return os.environ.get("AE_LIB_PROGRESS", "") == "1"
    return bool(progress)


@torch.no_grad()
def _evaluate(model, loss_fn, data, batch_size, seed) -> float:
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    n, total = data[0].shape[0], 0.0
    for start in range(0, n, batch_size):
        batch = tuple(t[start : start + batch_size] for t in data)
        total += float(loss_fn(model, batch, gen)) * batch[0].shape[0]
    return total / n


def fit(
    model: torch.nn.Module,
    loss_fn: LossFn,
    train: np.ndarray | torch.Tensor | Sequence,
    val: np.ndarray | torch.Tensor | Sequence | None = None,
    *,
    epochs: int = 100,
    batch_size: int = 64,
    lr: float = 1e-3,
    optimizer: str | Callable = "adam",
    weight_decay: float = 0.0,
    patience: int | None = None,
    seed: int = 0,
    device: str | torch.device = "cpu",
    dtype: torch.dtype = torch.float32,
    progress: bool | None = None,
    schedule: str | None = None,
) -> History:
    """Train ``model`` by minibatch gradient steps on ``loss_fn``.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place (and moved to ``device``).
    loss_fn : callable
        ``loss_fn(model, batch, generator) -> scalar tensor``: the mean loss over the
        minibatch.  ``batch`` is a tuple of tensors (the rows of ``train``), ``generator``
        a ``torch.Generator`` for any noise the loss draws (VAE sampling, corruption).
    train, val : array, tensor, or tuple of them
        Data of shape (n, …); a tuple such as ``(inputs, targets)`` is sliced row-wise
        together.  ``val`` is optional; early stopping needs it.
    epochs, batch_size : int
    lr : float
        Step size γ of the optimiser.
    optimizer : {"adam", "sgd"} or callable
        A name, or ``callable(parameters, lr) -> torch.optim.Optimizer``.
    weight_decay : float
    patience : int, optional
        Stop after this many epochs without a lower validation loss and restore the
        best weights.  ``None`` trains for all ``epochs``.
    seed : int
        Seeds the minibatch order and the loss's generator; same seed, same history.
    device : str or torch.device
        ``"cpu"`` unless asked; ``"cuda"`` works where present.
    progress : bool, optional
        A progress line on stderr; always off when the ``CI`` variable is set, and off
        by default unless ``AE_LIB_PROGRESS=1``.
    schedule : {None, "onecycle"}
        Step-size schedule.  ``None``: constant ``lr``.  ``"onecycle"``:
        ``torch.optim.lr_scheduler.OneCycleLR`` with peak ``lr`` over all ``epochs``
        (warm up, then anneal), stepped after every minibatch.

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        When a minibatch loss is NaN or infinite (with the epoch, the step and the
        step size, so that the reader can lower ``lr``).
    """
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    lr = positive_float("lr", lr)
    if patience is not None:
        patience = positive_int("patience", patience)
        if val is None:
            raise ValueError("patience (early stopping) needs validation data: pass val")
    device = torch.device(device)
    train_t = tuple(t.to(device) for t in _as_tuple(train, "train", dtype))
    val_t = None if val is None else tuple(t.to(device) for t in _as_tuple(val, "val", dtype))
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")
    if optimizer == "adam":
        opt = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    elif optimizer == "sgd":
        opt = torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    elif callable(optimizer):
        opt = optimizer(params, lr)
    else:
        raise ValueError(f"optimizer must be 'adam', 'sgd' or a callable, got {optimizer!r}")

    gen = torch.Generator().manual_seed(seed)
    n = train_t[0].shape[0]
    if schedule == "onecycle":
        steps = epochs * ((n + batch_size - 1) // batch_size)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    elif schedule is None:
        sched = None
    else:
        raise ValueError(f"schedule must be None or 'onecycle', got {schedule!r}")
    hist = History()
    best, best_state, bad = float("inf"), None, 0
    show = _progress_enabled(progress)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(n, generator=gen).to(device)
        total = 0.0
        for step, start in enumerate(range(0, n, batch_size), start=1):
            idx = order[start : start + batch_size]
            batch = tuple(t[idx] for t in train_t)
            loss = loss_fn(model, batch, gen)
            if not torch.isfinite(loss):
                raise TrainingDiverged(
                    f"training loss became {loss.item()} at epoch {epoch}, step {step} "
                    f"(lr={lr:g}); training stopped. Try a smaller lr."
                )
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * idx.numel()
        hist.train_loss.append(total / n)
        if val_t is not None:
            v = _evaluate(model, loss_fn, val_t, max(batch_size, 256), seed + 1)
            hist.val_loss.append(v)
            if v < best:
                best, bad, hist.best_epoch = v, 0, epoch
                if patience is not None:
                    best_state = copy.deepcopy(model.state_dict())
            else:
                bad += 1
        if show:
            msg = f"\repoch {epoch}/{epochs} train {hist.train_loss[-1]:.4g}"
            msg += f" val {hist.val_loss[-1]:.4g}" if hist.val_loss else ""
            print(msg, end="", file=sys.stderr, flush=True)
        if patience is not None and bad >= patience:
            hist.stopped_early = True
            break
    if show:
        print(file=sys.stderr)
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return hist
