"""Network diagrams: Figure 1.1 and Figures 2.1–2.3 of the thesis, drawn by code.

Thesis items: Figure 1.1 (:obj:`~ae_lib.draw_network`); Figure 2.1 (:obj:`~ae_lib.draw_network`);
Figure 2.2 (:obj:`~ae_lib.draw_network`); Figure 2.3 (:obj:`~ae_lib.draw_network`).

The thesis drew its figures with the online tool NN-SVG; the book draws the same
pictures from a list of widths so that the figure and the network cannot disagree.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..core import checks as check

__all__ = ["LAYER_COLORS", "draw_network"]

#: Node colours of :func:`draw_network` by role of the column.
LAYER_COLORS = {
    "input": "#4C72B0",
    "hidden": "#DD8452",
    "bottleneck": "#C44E52",
    "output": "#55A868",
}


def draw_network(
    widths: Sequence[int],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    colors: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    bottleneck: bool = False,
) -> Figure:
    """Draw a fully connected network with one column of nodes per width.

    Draws Figure 1.1 and Figure 2.1, Figure 2.2 and Figure 2.3 of the thesis (the
    autoencoder, its encoder and its decoder) from their lists of widths.

    Parameters
    ----------
    widths : sequence of int
        ``(d_0, d_1, …, d_L)``: input width, hidden widths, output width.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
    colors : sequence of str, optional
        One node colour per column.  Default: input blue, hidden orange, output green.
    labels : sequence of str, optional
        One caption per column.  Default: ``"input ℝ^d"``, ``"hidden d"``, ``"output ℝ^d"``.
    bottleneck : bool
        Colour the narrowest hidden column red (the code of an autoencoder).

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing (white, opaque background).

    Raises
    ------
    ValueError
        If fewer than two widths are given, or ``colors``/``labels`` have the wrong length.
    """
    widths = list(check.widths("widths", widths, min_len=2))
    n = len(widths)
    if title is not None:
        check.instance("title", title, str)
    if colors is None:
        colors = [LAYER_COLORS["input"]] + [LAYER_COLORS["hidden"]] * (n - 2) + [LAYER_COLORS["output"]]
        if bottleneck and n > 2:
            inner = widths[1:-1]
            colors[1 + inner.index(min(inner))] = LAYER_COLORS["bottleneck"]
    if labels is None:
        labels = [f"input\n$\\mathbb{{R}}^{{{widths[0]}}}$"]
        labels += [f"hidden {i}\n{d}" for i, d in enumerate(widths[1:-1], start=1)]
        labels += [f"output\n$\\mathbb{{R}}^{{{widths[-1]}}}$"]
    for name, seq in (("colors", colors), ("labels", labels)):
        if isinstance(seq, str) or len(seq) != n:
            raise ValueError(f"{name} needs one entry per width ({n}), got {seq!r}")

    dx = 2.0  # column spacing in node units: room for the captions under the columns
    if ax is None:
        fig, ax = plt.subplots(figsize=(0.8 * n + 0.4, 0.36 * max(widths) + 1.2), dpi=100)
    else:
        fig = ax.figure
    fig.patch.set_facecolor("white")
    ax.set_facecolor("white")
    top = max(widths)
    # Node positions: column j at x = j, nodes centred vertically.
    pos = [[(dx * j, (top - 1) / 2 + (d - 1) / 2 - i) for i in range(d)] for j, d in enumerate(widths)]
    for a, b in itertools.pairwise(pos):
        for x0, y0 in a:
            for x1, y1 in b:
                ax.plot([x0, x1], [y0, y1], color="0.6", lw=0.6, zorder=1)
    for col, c in zip(pos, colors):
        xs, ys = zip(*col)
        ax.scatter(xs, ys, s=260, color=c, edgecolor="black", linewidth=0.8, zorder=2)
    for j, text in enumerate(labels):
        ax.text(dx * j, -0.9, text, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.9, dx * (n - 1) + 0.9)
    ax.set_ylim(-2.2, top - 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    return fig
