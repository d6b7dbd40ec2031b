"""Where torch computes: the ``device`` argument of :func:`~ae_lib.fit` and the evaluation functions.

Private.  :func:`as_device` checks the argument (a string such as ``"cpu"``, ``"cuda"`` or
``"cuda:1"``, or a ``torch.device``) and refuses a device this machine does not have;
:func:`on_device` moves models there for the length of a block and back to where each was,
so that every model the book builds stays on the CPU between calls.  Random draws stay on
the CPU generator whichever the device (their values move, not the generator), so a seed
draws the same noise on every device.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import torch


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


def home(model: torch.nn.Module) -> torch.device | None:
    """The device of the model's first parameter or buffer (``None`` for a model without any)."""
    for t in (*model.parameters(), *model.buffers()):
        return t.device
    return None


@contextlib.contextmanager
def on_device(models: Sequence[torch.nn.Module], device: torch.device) -> Iterator[None]:
    """Run a block with ``models`` on ``device``; move each back to where it was afterwards."""
    homes = [home(m) for m in models]
    for m in models:
        m.to(device)
    try:
        yield
    finally:
        for m, where in zip(models, homes):
            if where is not None:
                m.to(where)
