"""The M-step of :class:`~ae_lib.BetaBinomialMixture`: beta-binomial (Pólya) parameters from level counts.

Private: the numerics behind the mixture's generalised EM (its docstring states the
method): log BB(l; N, a, b) for all levels at once, and one ascent step for (a, b) that
takes the better of Minka's fixed point :cite:p:`minka2000estimating` and a Newton step
in (log a, log b).  Everything is vectorised over the components k and the pixels j.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

_FLOOR, _CEIL = 1e-4, 1e6  # range of a, b (the floor is reached only without pseudo-counts)


def rising_sums(a: np.ndarray, N: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σ_{m<l} f(a + m) for l = 0..N and f = log, 1/x, 1/x²: each of shape (*a.shape, N + 1).

    These are log Γ(a + l) − log Γ(a), ψ(a + l) − ψ(a) and ψ′(a) − ψ′(a + l): exact finite
    sums for integer l, cheaper and more accurate for large a than the special functions.
    """
    x = a[..., None] + np.arange(N)
    zero = np.zeros((*a.shape, 1))
    log_g, psi, trigamma = (np.concatenate([zero, np.cumsum(v, -1)], -1) for v in (np.log(x), 1 / x, x**-2.0))
    return log_g, psi, trigamma


def log_pmf_table(N: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log BB(l; N, a, b) for l = 0..N: shape (*a.shape, N + 1)."""
    levels = np.arange(N + 1)
    log_choose = gammaln(N + 1) - gammaln(levels + 1) - gammaln(N - levels + 1)
    la, lb, ls = rising_sums(a, N)[0], rising_sums(b, N)[0], rising_sums(a + b, N)[0]
    return log_choose + la + lb[..., ::-1] - ls[..., -1:]


def m_update(counts: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One ascent step for (a, b) of every (k, j), given level counts of shape (K, D, N + 1).

    Two proposals: Minka's fixed point (a minorise–maximise step, never lower) and Newton's
    step in (log a, log b); each (k, j) keeps the better of the two.
    """
    N = counts.shape[-1] - 1
    W = counts.sum(-1)
    _, d1a, d2a = rising_sums(a, N)
    _, d1b, d2b = rising_sums(b, N)
    _, d1s, d2s = rising_sums(a + b, N)
    rev = counts[..., ::-1]  # counts of N − l: b plays a's part for the complementary count
    num_a, num_b, den = (counts * d1a).sum(-1), (rev * d1b).sum(-1), W * d1s[..., -1]
    live = den > 0  # a component without weight keeps its parameters
    safe = np.where(live, den, 1.0)
    a1 = np.where(live, np.clip(a * num_a / safe, _FLOOR, _CEIL), a)
    b1 = np.where(live, np.clip(b * num_b / safe, _FLOOR, _CEIL), b)
    # Newton in u = log a, v = log b (the objective is far closer to quadratic there).
    gu, gv = a * (num_a - den), b * (num_b - den)
    th = W * d2s[..., -1]  # −∂²/∂a∂b of the normaliser term
    huu = a * a * (th - (counts * d2a).sum(-1)) + gu
    hvv = b * b * (th - (rev * d2b).sum(-1)) + gv
    huv = a * b * th
    det = huu * hvv - huv**2
    ok = live & (huu < 0) & (det > 0)
    det = np.where(ok, det, 1.0)
    du = np.clip((hvv * gu - huv * gv) / det, -3, 3)
    dv = np.clip((huu * gv - huv * gu) / det, -3, 3)
    a2, b2 = np.clip(a * np.exp(-du), _FLOOR, _CEIL), np.clip(b * np.exp(-dv), _FLOOR, _CEIL)
    f1 = (counts * log_pmf_table(N, a1, b1)).sum(-1)
    f2 = (counts * log_pmf_table(N, a2, b2)).sum(-1)
    newton = ok & (f2 > f1)
    return np.where(newton, a2, a1), np.where(newton, b2, b1)
