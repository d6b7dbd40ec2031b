"""The library's own exception: training that diverged.

Both training loops, the NumPy one of Chapter 1 (:func:`~ae_lib.train_network`) and the
torch one of Chapters 2–4 (:func:`~ae_lib.fit`), check after every optimiser step that the
parameters are still finite numbers and raise :class:`TrainingDiverged` otherwise, naming
the epoch and the step size, so that a broken model is never returned.
"""

from __future__ import annotations

__all__ = ["TrainingDiverged"]


class TrainingDiverged(FloatingPointError):
    """Training stopped: the loss or the parameters became NaN or infinite.

    The message names the epoch, the step and the step size ``lr``; a smaller ``lr``
    is the usual remedy.

    Examples
    --------
    >>> try:
    ...     raise TrainingDiverged("parameters became NaN at epoch 3, step 7 (lr=10)")
    ... except FloatingPointError as err:
    ...     print(type(err).__name__, err)
    TrainingDiverged parameters became NaN at epoch 3, step 7 (lr=10)
    """


def diverged(what: str, epoch: int, step: int | None, lr: object) -> TrainingDiverged:
    """The exception for ``what`` going non-finite at ``epoch`` (and ``step``) with step size ``lr``."""
    where = f"epoch {epoch}" + (f", step {step}" if step is not None else "")
    lr_text = f"{lr:g}" if isinstance(lr, float) else getattr(lr, "__name__", repr(lr))
    return TrainingDiverged(f"{what} at {where} (lr={lr_text}); training stopped. Try a smaller lr.")
