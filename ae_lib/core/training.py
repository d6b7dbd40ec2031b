"""One training loop for every torch model of the book, its parts, and the device it runs on.

Thesis items: none numbered; the tools the chapters share.

One training loop for every torch model of the book (Chapters 2–4).

``fit`` is minibatch stochastic gradient descent (Theorem 1.2.6) with a ``torch.optim``
optimiser, per-epoch train and validation losses and optional early stopping.  After every
optimiser step it checks that the loss and the parameters are finite numbers and stops with
:class:`~ae_lib.TrainingDiverged` otherwise.  All randomness comes from ``seed``: the
minibatch order and the loss's noise from one generator, dropout masks from torch's global
generator seeded inside a fork, so that the same seed gives the same history.

The parts :func:`~ae_lib.fit` is assembled from: data, optimiser, schedule, evaluation, early stopping, progress.

Private: each is a few lines that check one argument of ``fit`` and build one torch object
from it, so that ``fit`` itself reads as the training loop it is.

Where torch computes: the ``device`` argument of :func:`~ae_lib.fit` and the evaluation functions.

Private.  :func:`as_device` checks the argument (a string such as ``"cpu"``, ``"cuda"`` or
``"cuda:1"``, or a ``torch.device``) and refuses a device this machine does not have;
:func:`on_device` moves models there for the length of a block and back to where each was,
so that every model the book builds stays on the CPU between calls.  Random draws stay on
the CPU generator whichever the device (their values move, not the generator), so a seed
draws the same noise on every device.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import torch

from . import checks as check
from .checks import diverged
from .seeds import Seed, forked_global_rng, seed_ints
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
    loss_fn: LossFn,
    X_train: Data,
    X_val: Data | None = None,
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
    train = _as_data("X_train", X_train, dtype, device, width, check_data)
    val = None if X_val is None else _as_data("X_val", X_val, dtype, device, width, check_data)
    order_seed, val_seed, dropout_seed = seed_ints(seed, 3)
    gen = torch.Generator().manual_seed(order_seed)
    hist, best, show = History(), _Best(patience), _progress_enabled(progress)
    with on_device([model], device), forked_global_rng(dropout_seed):  # dropout: seeded, caller's RNG kept
        params = _trainable(model)
        opt = _optimizer(optimizer, params, lr, weight_decay)
        sched = _scheduler(schedule, opt, lr, epochs * -(-train[0].shape[0] // batch_size))
        for epoch in range(1, epochs + 1):
            step = _Step(model, loss_fn, opt, sched, params, gen, epoch, lr)
            hist.train_loss.append(_train_epoch(step, train, batch_size))
            if val is not None:
                hist.val_loss.append(
                    _evaluate(model, loss_fn, val, max(batch_size, 256), val_seed, epoch, lr)
                )
                hist.stopped_early = best.update(hist.val_loss[-1], epoch, model)
            if show:
                val_loss = hist.val_loss[-1] if hist.val_loss else None
                _print_progress(
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
    loss_fn: LossFn
    opt: torch.optim.Optimizer
    sched: Any
    params: list[torch.nn.Parameter]
    gen: torch.Generator
    epoch: int
    lr: float

    def __call__(self, batch: tuple[torch.Tensor, ...], step: int) -> float:
        loss = _scalar_loss(self.loss_fn(self.model, batch, self.gen))
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


Data: TypeAlias = np.ndarray | torch.Tensor | tuple[np.ndarray | torch.Tensor, ...]
LossFn: TypeAlias = Callable[[torch.nn.Module, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]


class _Best:
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


def _as_data(
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


def _trainable(model: torch.nn.Module) -> list[torch.nn.Parameter]:
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")
    return params


def _optimizer(
    optimizer: str | Callable, params: Sequence[torch.nn.Parameter], lr: float, weight_decay: float
) -> torch.optim.Optimizer:
    if callable(optimizer):
        return check.instance("optimizer(parameters, lr)", optimizer(params, lr), torch.optim.Optimizer)
    check.one_of("optimizer", optimizer, ("adam", "sgd"))
    cls = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    return cls(params, lr=lr, weight_decay=weight_decay)


def _scheduler(schedule: str | None, opt: torch.optim.Optimizer, lr: float, total_steps: int) -> Any:
    check.one_of("schedule", schedule, (None, "onecycle"))
    if schedule is None:
        return None
    return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total_steps)


def _progress_enabled(progress: bool | None) -> bool:
    if os.environ.get("CI"):
        return False  # never in CI, never in stored outputs
    if progress is None:
        return os.environ.get("AE_LIB_PROGRESS", "") == "1"
    return bool(progress)


def _print_progress(epoch: int, epochs: int, train: float, val: float | None, last: bool) -> None:
    """One progress line on stderr, rewritten each epoch; a newline after the last."""
    msg = f"\repoch {epoch}/{epochs} train {train:.4g}" + (f" val {val:.4g}" if val is not None else "")
    print(msg, end="\n" if last else "", file=sys.stderr, flush=True)


@torch.no_grad()
def _evaluate(
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
        total += float(_scalar_loss(loss_fn(model, batch, gen))) * batch[0].shape[0]
    if not np.isfinite(total):
        raise diverged(f"the validation loss became {total / n}", epoch, None, lr)
    return total / n


def _scalar_loss(loss: Any) -> torch.Tensor:
    """``loss_fn``'s value as a 0-d tensor, or a ``TypeError`` naming ``loss_fn``."""
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise TypeError(f"loss_fn must return a scalar tensor, got {type(loss).__name__}")
    return loss.reshape(())


def as_device(device: Any, name: str = "device") -> torch.device:
    """``device`` as a ``torch.device`` that exists here, else a ``TypeError``/``ValueError`` naming ``name``."""
    if not isinstance(device, (str, torch.device)):
        raise TypeError(
            f"{name} must be a str such as 'cpu' or 'cuda', or a torch.device, got {type(device).__name__}"
        )
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise ValueError(f"{name} must name a torch device such as 'cpu' or 'cuda', got {device!r}") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"{name}={str(device)!r}, but torch.cuda.is_available() is False on this machine"
            )
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(
                f"{name}={str(device)!r}, but this machine has {torch.cuda.device_count()} CUDA device(s)"
            )
    elif dev.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(
            f"{name}={str(device)!r}, but torch.backends.mps.is_available() is False on this machine"
        )
    elif dev.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"{name} must be 'cpu', 'cuda' or 'mps' (optionally with an index), got {device!r}")
    return dev


def _home(model: torch.nn.Module) -> torch.device | None:
    """The device of the model's first parameter or buffer (``None`` for a model without any)."""
    for t in (*model.parameters(), *model.buffers()):
        return t.device
    return None


@contextlib.contextmanager
def on_device(models: Sequence[torch.nn.Module], device: torch.device) -> Iterator[None]:
    """Run a block with ``models`` on ``device``; move each back to where it was afterwards."""
    homes = [_home(m) for m in models]
    for m in models:
        m.to(device)
    try:
        yield
    finally:
        for m, where in zip(models, homes):
            if where is not None:
                m.to(where)
