"""Checks at the door: argument checks with clear errors, and the error a diverging training raises.

Thesis items: none numbered; the tools the chapters share.

Argument checks shared by every module (the design page).

Each check raises ``TypeError`` (wrong type) or ``ValueError`` (wrong value) whose message
names the user's argument, the violated condition and what was given, before any library
internals run.  NumPy checks return float64 arrays, torch checks tensors of the asked dtype.

The library's own exception: training that diverged.

Both training loops, the NumPy one of Chapter 1 (:func:`~ae_lib.train_network`) and the
torch one of Chapters 2–4 (:func:`~ae_lib.fit`), check after every optimiser step that the
parameters are still finite numbers and raise :class:`TrainingDiverged` otherwise, naming
the epoch and the step size, so that a broken model is never returned.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from sklearn.utils import check_scalar

__all__ = ["TrainingDiverged"]

_REAL = (int, float, np.integer, np.floating)


def _describe(value: Any) -> str:
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return f"{type(value).__name__} of dtype {value.dtype}"
    return type(value).__name__


def as_finite_array(
    name: str, value: Any, ndim: int | tuple[int, ...] | None = None, *, finite: bool = True
) -> np.ndarray:
    """``value`` (array-like or tensor) as a float64 array with ``ndim`` dimensions and no NaN/inf."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers, got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of real numbers ({err})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got {_describe(arr)}")
    arr = arr.astype(float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, but contains NaN or inf")
    return arr


def data_matrix(
    name: str, value: Any, width: int | None = None, of: str = "", *, min_rows: int = 1
) -> np.ndarray:
    """A finite float64 matrix of shape (n, width), n ≥ ``min_rows``; ``of`` says whose width it is."""
    X = as_finite_array(name, value, ndim=2)
    if X.shape[0] < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} row(s), got shape {X.shape}")
    if width is not None and X.shape[1] != width:
        raise ValueError(
            f"{name} must have {width} columns{' (' + of + ')' if of else ''}, got shape {X.shape}"
        )
    return X


def as_tensor(
    name: str,
    value: Any,
    dtype: torch.dtype,
    ndim: int | None = None,
    width: int | None = None,
    of: str = "",
    *,
    finite: bool = True,
) -> torch.Tensor:
    """``value`` (ndarray, tensor or array-like) as a tensor of ``dtype`` (finite unless ``finite=False``);
    the last axis has ``width``."""
    if isinstance(value, torch.Tensor):
        if value.dtype.is_complex:
            raise TypeError(f"{name} must hold real numbers, got {_describe(value)}")
        t = value.to(dtype)
    else:
        t = torch.as_tensor(as_finite_array(name, value, finite=False), dtype=dtype)
    if ndim is not None and t.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {tuple(t.shape)}")
    if t.ndim >= 1 and t.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {tuple(t.shape)})")
    if width is not None and (t.ndim == 0 or t.shape[-1] != width):
        raise ValueError(
            f"{name} must have {width} columns{' (' + of + ')' if of else ''}, got shape {tuple(t.shape)}"
        )
    if finite and not torch.isfinite(t).all():
        raise ValueError(f"{name} must be finite, but contains NaN or inf")
    return t


def gaussian_params(mu: Any, log_var: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """μ and log σ² of a diagonal Gaussian as tensors of μ's dtype and one shape.

    Not checked for finiteness: inside a training step a NaN must reach the loss, where
    the training loop names the epoch it diverged in.
    """
    mu = as_tensor("mu", mu, mu.dtype if isinstance(mu, torch.Tensor) else torch.float32, finite=False)
    log_var = as_tensor("log_var", log_var, mu.dtype, finite=False)
    if log_var.shape != mu.shape:
        raise ValueError(f"log_var must have the shape of mu {tuple(mu.shape)}, got {tuple(log_var.shape)}")
    return mu, log_var


def _no_bool(name: str, value: Any, kind: str) -> None:
    # scikit-learn's check_scalar takes True for the integer 1; a flag passed as a number is a slip
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an instance of {kind}, not bool.")


def positive_int(name: str, value: Any, minimum: int = 1) -> int:
    """``value`` if it is an integer ≥ ``minimum`` (default 1), else an error naming ``name``.

    scikit-learn's ``check_scalar`` ("k == 0, must be >= 1."), with a bool refused.
    """
    _no_bool(name, value, "int")
    return int(check_scalar(value, name, numbers.Integral, min_val=minimum))


def real(name: str, value: Any) -> float:
    """``value`` if it is a finite real number (or a 0-d tensor holding one), else an error naming ``name``."""
    if isinstance(value, torch.Tensor) and value.ndim == 0:
        value = value.item()
    _no_bool(name, value, "float")
    check_scalar(value, name, numbers.Real)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def positive_float(name: str, value: Any) -> float:
    """``value`` if it is a finite real number > 0, else an error naming ``name``."""
    return float(check_scalar(real(name, value), name, numbers.Real, min_val=0, include_boundaries="neither"))


def nonneg_float(name: str, value: Any) -> float:
    """``value`` if it is a finite real number ≥ 0, else an error naming ``name``."""
    return float(check_scalar(real(name, value), name, numbers.Real, min_val=0, include_boundaries="left"))


def fraction(name: str, value: Any, *, closed: bool = False) -> float:
    """A real number in [0, 1) (or [0, 1] with ``closed=True``), else an error naming ``name``."""
    v = real(name, value)
    return float(
        check_scalar(
            v, name, numbers.Real, min_val=0, max_val=1, include_boundaries="both" if closed else "left"
        )
    )


def one_of(name: str, value: Any, options: Sequence[Any]) -> Any:
    """``value`` if it is one of ``options``, else a ``ValueError`` listing them."""
    if not isinstance(value, (str, type(None))):
        raise TypeError(f"{name} must be one of {list(options)}, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")
    return value


def instance(name: str, value: Any, cls: type | tuple[type, ...]) -> Any:
    """``value`` if it is an instance of ``cls``, else a ``TypeError`` naming ``name``."""
    if not isinstance(value, cls):
        want = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise TypeError(f"{name} must be a {want}, got {type(value).__name__}")
    return value


def function(name: str, value: Any) -> Callable:
    """``value`` if it is callable, else a ``TypeError`` naming ``name``."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def widths(name: str, value: Any, min_len: int = 1) -> tuple[int, ...]:
    """A sequence of integers ≥ 1 (an int alone is a ``TypeError``: write ``(128,)``)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(f"{name} must be a sequence of int, e.g. (128,), got {type(value).__name__}")
    out = tuple(positive_int(f"{name}[{i}]", d) for i, d in enumerate(value))
    if len(out) < min_len:
        raise ValueError(f"{name} needs at least {min_len} entries, got {list(out)}")
    return out


def in_range(name: str, arr: np.ndarray | torch.Tensor, lo: float, hi: float) -> None:
    """A ``ValueError`` naming ``name`` unless every entry lies in [lo, hi]."""
    a_min, a_max = float(arr.min()), float(arr.max())
    if a_min < lo or a_max > hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}], got values in [{a_min:g}, {a_max:g}]")


def integer_levels(name: str, arr: np.ndarray | torch.Tensor, n_levels: int, hint: str = "") -> None:
    """A ``ValueError`` unless every entry is an integer in 0..n_levels − 1 (binary for 2 levels)."""
    lib = torch if isinstance(arr, torch.Tensor) else np
    ok = (arr == lib.round(arr)) & (arr >= 0) & (arr <= n_levels - 1)
    if not bool(ok.all()):
        what = "binary (0 or 1)" if n_levels == 2 else f"integers in 0..{n_levels - 1}"
        raise ValueError(f"{name} must be {what}{hint}")


def probability_vector(name: str, value: Any) -> np.ndarray:
    """A 1-D array of probabilities that sum to 1, else an error naming ``name``."""
    p = as_finite_array(name, value, ndim=1)
    if p.size == 0 or np.any(p < 0) or abs(p.sum() - 1.0) > 1e-6:
        raise ValueError(f"{name} must be a probability vector (entries >= 0, sum 1), got sum {p.sum():.6g}")
    return p


def step_size(name: str, schedule: Any, t: int) -> float:
    """γ_t of a constant step size or a schedule t ↦ γ_t; finite and > 0, else an error naming ``name``."""
    g = schedule(t) if callable(schedule) else schedule
    if isinstance(g, bool) or not isinstance(g, _REAL):
        raise TypeError(
            f"{name} must be a real number or a schedule t -> float, got {type(g).__name__} at t={t}"
        )
    if not math.isfinite(g) or g <= 0:
        raise ValueError(f"{name} must be finite and > 0, got γ_{t} = {g}")
    return float(g)


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


def data_pair(
    X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    """X and Y as float arrays with one sample per row: shapes (k, d_in) and (k, d_out), k ≥ 1."""
    X = as_finite_array(x_name, X, ndim=(1, 2))
    Y = as_finite_array(y_name, Y, ndim=(1, 2))
    if len(X) == 0:
        raise ValueError(f"{x_name} is empty: the data set D needs k >= 1 data points")
    if len(X) != len(Y):
        raise ValueError(f"{x_name} and {y_name} must have the same length k, got {len(X)} and {len(Y)}")
    return X.reshape(len(X), -1), Y.reshape(len(Y), -1)


def unit_interval(name: str, X: Any) -> Any:
    """``X`` (array or tensor) if every pixel lies in [0, 1] (the kind ``load_digits_split('unit')`` gives)."""
    in_range(name, X, 0.0, 1.0)
    return X
