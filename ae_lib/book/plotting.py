"""Plotting helpers shared by the chapters: digit grids, loss curves, and the interactive explorer.

Thesis items: Figure 3.6 (:obj:`~ae_lib.plot_history`); Figure 3.7 (:obj:`~ae_lib.show_digits`);
Figure 3.8 (:obj:`~ae_lib.show_digits`); Figure 3.10 (:obj:`~ae_lib.show_digits`); Figure 3.12
(:obj:`~ae_lib.show_digits`); Figure 3.13 (:obj:`~ae_lib.show_digits`); Figure 3.14
(:obj:`~ae_lib.plot_history`); Figure 4.1 (:obj:`~ae_lib.show_digits`); Figure 4.3
(:obj:`~ae_lib.show_digits`); Figure 4.4 (:obj:`~ae_lib.show_digits`); Figure 4.7
(:obj:`~ae_lib.show_digits`).

Small plotting helpers shared by the chapters: digit grids and loss curves.

Interactive controls: a slider over the same values a static small-multiples figure shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..core import checks as check
from ..core.training import History

__all__ = ["explore", "plot_history", "show_digits"]


def show_digits(
    rows: Sequence[np.ndarray] | np.ndarray,
    *,
    row_labels: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    vmax: float = 1.0,
    scale: float = 0.9,
) -> Figure:
    """A grid of 8×8 digits: one row per array in ``rows``.

    Parameters
    ----------
    rows : array of shape (n, 64), or a sequence of such arrays (same n)
        E.g. ``[originals, reconstructions]``.
    row_labels : sequence of str, optional
        Written to the left of each row.
    titles : sequence of str, optional
        One title per column (e.g. the labels).
    vmax : float
        Grey value shown as black (1.0 for pixels in [0, 1], 16 for raw grey levels).
    scale : float
        Inches per digit.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if isinstance(rows, np.ndarray) and rows.ndim == 2:
        rows = [rows]
    if isinstance(rows, (str, bytes)) or not isinstance(rows, (Sequence, np.ndarray)) or len(rows) == 0:
        raise TypeError(
            f"rows must be an array of shape (n, 64) or a non-empty sequence of them, got {type(rows).__name__}"
        )
    arrays = [check.as_finite_array(f"rows[{i}]", r, ndim=2) for i, r in enumerate(rows)]
    n = arrays[0].shape[0]
    for i, a in enumerate(arrays):
        if a.shape[1] != 64 or a.shape[0] != n or n == 0:
            raise ValueError(f"rows[{i}] must have shape ({n}, 64) like rows[0], got {a.shape}")
    for name, labels, want in (("row_labels", row_labels, len(arrays)), ("titles", titles, n)):
        if labels is not None and len(labels) != want:
            raise ValueError(f"{name} needs {want} entries, got {len(labels)}")
    vmax, scale = check.positive_float("vmax", vmax), check.positive_float("scale", scale)
    fig, axes = plt.subplots(
        len(arrays),
        n,
        figsize=(scale * n + (0.8 if row_labels else 0), scale * len(arrays) + 0.2),
        squeeze=False,
    )
    for r, a in enumerate(arrays):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(a[c].reshape(8, 8), cmap="gray_r", vmin=0.0, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if titles is not None and r == 0:
                ax.set_title(str(titles[c]), fontsize=8)
        if row_labels is not None:
            axes[r, 0].set_ylabel(row_labels[r], rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout(pad=0.3)
    return fig


def plot_history(history: History, *, ax: Axes | None = None, label: str = "", logy: bool = False) -> Axes:
    """Training (solid) and validation (dashed) loss per epoch of a :class:`History`.

    Parameters
    ----------
    history : History
    ax : Axes, optional
    label : str
    logy : bool

    Returns
    -------
    matplotlib.axes.Axes
    """
    check.instance("history", history, History)
    check.instance("label", label, str)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    epochs = np.arange(1, history.epochs + 1)
    (line,) = ax.plot(epochs, history.train_loss, label=f"{label} train".strip())
    if history.val_loss:
        ax.plot(epochs, history.val_loss, "--", color=line.get_color(), label=f"{label} validation".strip())
    if history.best_epoch is not None and history.stopped_early:
        ax.axvline(history.best_epoch, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.legend(frameon=False)
    return ax


def explore(
    draw: Callable[[float], None], name: str, values: Sequence[float], *, value: float | None = None
) -> None:
    """Show ``draw(v)`` under a slider that runs over ``values``.

    The book's static page shows the same values side by side in one figure; this
    control is for readers who run the notebook.  Tag the cell ``remove-output`` so
    the rendered page, which has no kernel, shows only the code.

    Parameters
    ----------
    draw : callable
        ``draw(v)`` draws one figure for the parameter value ``v`` (and calls
        ``plt.show()``).
    name : str
        Label of the slider, e.g. ``"gamma"``.
    values : sequence of float
        The values the slider runs over (at least one).
    value : float, optional
        Start value; the middle of ``values`` by default.

    Raises
    ------
    ValueError
        If ``values`` is empty or ``value`` is not one of them.
    """
    check.function("draw", draw)
    check.instance("name", name, str)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"values must be a sequence of numbers, got {type(values).__name__}")
    values = list(values)
    if not values:
        raise ValueError("values must contain at least one value")
    if value is None:
        value = values[len(values) // 2]
    if value not in values:
        raise ValueError(f"value={value!r} is not one of values={values!r}")
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.SelectionSlider(options=values, value=value, description=name, continuous_update=False)
    display(widgets.interactive(lambda v: draw(v), v=slider))
