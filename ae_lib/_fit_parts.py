"""The parts :func:`~ae_lib.fit` is assembled from: data, optimiser, schedule, evaluation, early stopping, progress.

Private: each is a few lines that check one argument of ``fit`` and build one torch object
from it, so that ``fit`` itself reads as the training loop it is.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import torch

from . import _checks as check
from .errors import diverged

Data: TypeAlias = np.ndarray | torch.Tensor | tuple[np.ndarray | torch.Tensor, ...]
LossFn: TypeAlias = Callable[[torch.nn.Module, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]


class Best:
    """The lowest validation loss so far, its epoch and (with patience) its weights."""

    def __init__(self, patience: int | None) -> None:
        self.patience, self.value, self.bad = patience, float("inf"), 0
        self.epoch: int | None = None
        self.state: dict | None = None

    def update(self, value: float, epoch: int, model: torch.nn.Module) -> bool:
        """Record ``value``; True when ``patience`` epochs passed without improvement."""
        if value < self.value:
            self.value, self.epoch, self.bad = value, epoch, 0
            if self.patience is not None:
                self.state = copy.deepcopy(model.state_dict())
        else:
            self.bad += 1
        return self.patience is not None and self.bad >= self.patience

    def restore(self, model: torch.nn.Module) -> int | None:
        """Load the best weights (if kept), switch to eval mode; the best epoch."""
        if self.state is not None:
            model.load_state_dict(self.state)
        model.eval()
        return self.epoch


def as_data(
    name: str,
    data: Data,
    dtype: torch.dtype,
    device: torch.device,
    width: int | None,
    check_data: Callable | None,
) -> tuple[torch.Tensor, ...]:
    """The tensors of ``data`` (one array, or a tuple sliced together), checked and converted once."""
    items: tuple[Any, ...] = data if isinstance(data, tuple) else (data,)
    if not items:
        raise ValueError(f"{name} is an empty tuple")
    names = [name] if len(items) == 1 else [f"{name}[{i}]" for i in range(len(items))]
    out = tuple(check.as_tensor(nm, d, dtype).to(device) for nm, d in zip(names, items))
    if out[0].ndim < 2:
        raise ValueError(f"{names[0]} must have shape (n, D), got shape {tuple(out[0].shape)}")
    if width is not None and out[0].shape[1] != width:
        raise ValueError(
            f"{names[0]} must have {width} columns (the model's input width), got shape {tuple(out[0].shape)}"
        )
    if check_data is not None:
        check_data(out[0], names[0])
    if any(t.shape[0] != out[0].shape[0] for t in out):
        raise ValueError(f"all arrays in {name} need the same length, got {[t.shape[0] for t in out]}")
    return out


def trainable(model: torch.nn.Module) -> list[torch.nn.Parameter]:
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")
    return params


def optimizer(
    optimizer: str | Callable, params: Sequence[torch.nn.Parameter], lr: float, weight_decay: float
) -> torch.optim.Optimizer:
    if callable(optimizer):
        return check.instance("optimizer(parameters, lr)", optimizer(params, lr), torch.optim.Optimizer)
    check.one_of("optimizer", optimizer, ("adam", "sgd"))
    cls = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    return cls(params, lr=lr, weight_decay=weight_decay)


def scheduler(schedule: str | None, opt: torch.optim.Optimizer, lr: float, total_steps: int) -> Any:
    check.one_of("schedule", schedule, (None, "onecycle"))
    if schedule is None:
        return None
    return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total_steps)


def progress_enabled(progress: bool | None) -> bool:
    if os.environ.get("CI"):
        return False  # never in CI, never in stored outputs
    if progress is None:
        return os.environ.get("AE_LIB_PROGRESS", "") == "1"
    return bool(progress)


def print_progress(epoch: int, epochs: int, train: float, val: float | None, last: bool) -> None:
    """One progress line on stderr, rewritten each epoch; a newline after the last."""
    msg = f"\repoch {epoch}/{epochs} train {train:.4g}" + (f" val {val:.4g}" if val is not None else "")
    print(msg, end="\n" if last else "", file=sys.stderr, flush=True)


@torch.no_grad()
def evaluate(
    model: torch.nn.Module,
    loss_fn: LossFn,
    data: tuple[torch.Tensor, ...],
    batch_size: int,
    seed: int,
    epoch: int,
    lr: float,
) -> float:
    """The mean loss over ``data`` in eval mode, with the same noise at every epoch."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    n, total = data[0].shape[0], 0.0
    for start in range(0, n, batch_size):
        batch = tuple(t[start : start + batch_size] for t in data)
        total += float(scalar_loss(loss_fn(model, batch, gen))) * batch[0].shape[0]
    if not np.isfinite(total):
        raise diverged(f"the validation loss became {total / n}", epoch, None, lr)
    return total / n


def scalar_loss(loss: Any) -> torch.Tensor:
    """``loss_fn``'s value as a 0-d tensor, or a ``TypeError`` naming ``loss_fn``."""
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise TypeError(f"loss_fn must return a scalar tensor, got {type(loss).__name__}")
    return loss.reshape(())
