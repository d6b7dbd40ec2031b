"""Adam and AMSGrad: the optimiser the draft asks about at the end of Section 1.2 (Kingma & Ba 2015; Reddi et al. 2018)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import _checks as check
from .optim import Schedule

__all__ = ["Adam"]


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
