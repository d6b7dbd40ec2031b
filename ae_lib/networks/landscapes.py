"""Test functions for the optimisers of Section 1.2, and contour plots of their iterates.

Thesis items: none numbered; what the chapter's section computes beyond the draft.

A convex quadratic (L-smooth with L = its largest eigenvalue), a non-convex function with
four local minima, and the online convex problem of Reddi, Kale & Kumar (2018) on which
Adam fails.  Functions take points of shape (..., 2) (or (..., n)), so that they can be
evaluated on a whole grid at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..core import checks as check
from ..core.checks import as_finite_array

__all__ = ["Quadratic", "four_wells", "four_wells_grad", "plot_paths", "reddi_gradient"]


def _points(x: np.ndarray, n: int) -> np.ndarray:
    x = as_finite_array("x", x)
    if x.ndim == 0 or x.shape[-1] != n:
        raise ValueError(f"x must have shape (..., {n}), got shape {x.shape}")
    return x


class Quadratic:
    """f(x) = ½ xᵀ A x for a symmetric positive definite A; minimiser x* = 0.

    Parameters
    ----------
    A : array_like, shape (n, n)

    Attributes
    ----------
    L : float
        The smoothness constant: ∂f is L-Lipschitz with L = λ_max(A).
    """

    def __init__(self, A: np.ndarray) -> None:
        A = as_finite_array("A", A, ndim=2)
        if A.shape[0] != A.shape[1] or not np.allclose(A, A.T):
            raise ValueError(f"A must be a symmetric square matrix, got shape {A.shape}")
        eig = np.linalg.eigvalsh(A)
        if eig.min() <= 0:
            raise ValueError(f"A must be positive definite, smallest eigenvalue {eig.min():.3g}")
        self.A, self.L = A, float(eig.max())

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """f(x) for x of shape (..., n); shape x.shape[:-1]."""
        x = _points(x, self.A.shape[0])
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.A, x)

    def grad(self, x: np.ndarray) -> np.ndarray:
        """∂f(x) = A x, the shape (..., n) of x."""
        return _points(x, self.A.shape[0]) @ self.A.T


def four_wells(x: np.ndarray) -> np.ndarray:
    """f(x) = (x₁² − 1)² + (x₂² − 1)² + 0.3 x₁ + 0.2 x₂: four local minima near (±1, ±1).

    Only the one near (−1, −1) is global.  x of shape (..., 2); the result has shape x.shape[:-1].
    """
    x = _points(x, 2)
    return (x[..., 0] ** 2 - 1) ** 2 + (x[..., 1] ** 2 - 1) ** 2 + 0.3 * x[..., 0] + 0.2 * x[..., 1]


def four_wells_grad(x: np.ndarray) -> np.ndarray:
    """∂f of :func:`four_wells`, same shape (..., 2) as x."""
    x = _points(x, 2)
    return np.stack(
        [4 * x[..., 0] * (x[..., 0] ** 2 - 1) + 0.3, 4 * x[..., 1] * (x[..., 1] ** 2 - 1) + 0.2], axis=-1
    )


def reddi_gradient(t: int, C: float = 1010.0, period: int = 101, small: float = 10.0) -> np.ndarray:
    """∂f_t of Reddi et al.'s online problem f_t(x) = C x if t mod period = 1, else −small·x.

    On the feasible set [−1, 1] the average of the f_t is minimised at x* = −1 as long as
    C > (period − 1)·small; the defaults are the paper's synthetic experiment (Section 5).

    Parameters
    ----------
    t : int
        The step, ≥ 0.
    C, small : float
    period : int

    Returns
    -------
    numpy.ndarray, shape (1,)

    Examples
    --------
    >>> reddi_gradient(1), reddi_gradient(2)
    (array([1010.]), array([-10.]))
    """
    t = check.positive_int("t", t, minimum=0)
    C, small = check.real("C", C), check.real("small", small)
    period = check.positive_int("period", period)
    return np.array([C if t % period == 1 else -small])


def plot_paths(
    f: Callable[[np.ndarray], np.ndarray],
    paths: Sequence[np.ndarray],
    *,
    xlim: tuple[float, float] = (-2, 2),
    ylim: tuple[float, float] = (-2, 2),
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    levels: int = 25,
) -> Axes:
    """Contours of a function f on ℝ² with iterates drawn on top.

    Parameters
    ----------
    f : callable
        Maps points of shape (..., 2) to values of shape (...).
    paths : sequence of ndarray, each of shape (T, 2)
        Iterates x^(0), …, x^(T−1); a dot marks the start, a cross the end.
    xlim, ylim : tuple of float
    ax : Axes, optional
    labels : sequence of str, optional
    levels : int
        Number of contour levels (spaced on a square-root scale above the minimum).
    """
    check.function("f", f)
    paths = [as_finite_array(f"paths[{i}]", p, ndim=2) for i, p in enumerate(paths)]
    for i, p in enumerate(paths):
        if p.shape[1] != 2:
            raise ValueError(f"paths[{i}] must have shape (T, 2), got {p.shape}")
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels needs one entry per path ({len(paths)}), got {len(labels)}")
    levels = check.positive_int("levels", levels, minimum=2)
    ax = plt.gca() if ax is None else ax
    g1, g2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    F = f(np.stack([g1, g2], axis=-1))
    lv = F.min() + (F.max() - F.min()) * np.linspace(0, 1, levels) ** 2
    ax.contour(g1, g2, F, levels=lv, cmap="Greys_r", linewidths=0.7)
    for i, p in enumerate(paths):
        (line,) = ax.plot(p[:, 0], p[:, 1], ".-", ms=3, lw=1, label=None if labels is None else labels[i])
        ax.plot(*p[0], "o", color=line.get_color(), ms=5)
        ax.plot(*p[-1], "x", color=line.get_color(), ms=8, mew=2)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    if labels is not None:
        ax.legend(fontsize=7, loc="upper left", frameon=True)
    return ax
