"""Adam and AMSGrad: the optimiser the thesis's TODO asks for (Kingma & Ba 2015; Reddi et al. 2018)."""

from __future__ import annotations

import math

import numpy as np

from ._checks import positive_float
from .optim import Schedule, _gamma

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
        (β₁, β₂) in [0, 1).
    eps : float
    amsgrad : bool
    """

    def __init__(self, lr: float | Schedule = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, amsgrad: bool = False) -> None:
        _gamma(lr, 0, "lr")
        for name, b in zip(("beta1", "beta2"), betas):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {b}")
        self.lr, self.betas, self.eps = lr, tuple(betas), positive_float("eps", eps)
        self.amsgrad, self.t = bool(amsgrad), 0
        self.m = self.v = self.v_max = None

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The next iterate; advances t and the moment estimates m, v."""
        lr = _gamma(self.lr, self.t, "lr")
        b1, b2 = self.betas
        if self.m is None:
            self.m, self.v, self.v_max = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
        self.t += 1
        self.m = b1 * self.m + (1 - b1) * g
        self.v = b2 * self.v + (1 - b2) * g * g
        v = self.v
        if self.amsgrad:
            self.v_max = v = np.maximum(self.v_max, self.v)
        denom = np.sqrt(v) / math.sqrt(1 - b2 ** self.t) + self.eps
        return x - (lr / (1 - b1 ** self.t)) * self.m / denom
