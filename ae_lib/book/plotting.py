"""Plotting helpers shared by the chapters: digit grids, loss curves, and the interactive explorer.

Thesis items: Figure 3.8 (:obj:`~ae_lib.plot_history`); Figure 3.9 (:obj:`~ae_lib.show_digits`);
Figure 3.10 (:obj:`~ae_lib.show_digits`); Figure 3.13 (:obj:`~ae_lib.show_digits`); Figure 3.15
(:obj:`~ae_lib.show_digits`); Figure 3.16 (:obj:`~ae_lib.show_digits`); Figure 3.17
(:obj:`~ae_lib.plot_history`); Figure 4.1 (:obj:`~ae_lib.show_digits`); Figure 4.3
(:obj:`~ae_lib.show_digits`); Figure 4.4 (:obj:`~ae_lib.show_digits`); Figure 4.7
(:obj:`~ae_lib.show_digits`); Figure 3.5 (:obj:`~ae_lib.draw_vae`); Figure 3.12
(:obj:`~ae_lib.latent_explorer`).

Small plotting helpers shared by the chapters: digit grids, loss curves and the VAE's diagram.

Interactive controls: a slider over the same values a static small-multiples figure shows
(for readers who run the notebook), and a latent-space explorer that needs no kernel: an
HTML snippet with its data and a few kB of inline JavaScript, for the static page.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..core import checks as check
from ..core.training import History

__all__ = ["draw_vae", "explore", "latent_explorer", "plot_history", "show_digits"]

#: The widest figure of the book, in inches (the figure style: ae_lib/book/book.mplstyle).
MAX_WIDTH = 7.0


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
        Inches per digit, at most what keeps the figure 7 in wide (MAX_WIDTH).

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
    label_w = 0.8 if row_labels else 0.0
    scale = min(scale, (MAX_WIDTH - 0.4 - label_w) / n)  # at most 7 in wide, with the labels
    fig, axes = plt.subplots(
        len(arrays),
        n,
        figsize=(scale * n + label_w, scale * len(arrays) + 0.2),
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


def draw_vae(*, ax: Axes | None = None) -> Figure:
    """The VAE as a diagram: x → encoder → (μ, σ), with ε → z → decoder → p_θ(x|z).

    Parameters
    ----------
    ax : Axes, optional
        Where to draw; a new 6.8 × 2.0 inch figure by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.8, 2.0))
    check.instance("ax", ax, Axes)
    ax.set(xlim=(0, 10), ylim=(0.1, 2.8))
    ax.axis("off")
    box = dict(boxstyle="round,pad=0.35", lw=1.0)
    nodes = [  # (x, y, text, face colour or None for plain text)
        (0.35, 2.2, "$x$", None),
        (1.75, 2.2, "encoder\nnetwork $\\phi$", "#c6d7ee"),
        (3.6, 2.2, "$\\mu_\\phi(x)$\n$\\sigma_\\phi(x)$", "#eeeeee"),
        (5.55, 2.2, "$z = \\mu + \\sigma \\odot \\varepsilon$", "#f6d6c9"),
        (5.55, 0.45, "$\\varepsilon \\sim \\mathcal{N}(0, I)$", None),
        (7.7, 2.2, "decoder\nnetwork $\\theta$", "#cfe8d2"),
        (9.4, 2.2, "$p_\\theta(x \\mid z)$", None),
    ]
    texts = [
        ax.text(
            x, y, t, ha="center", va="center", fontsize=11, bbox={**box, "fc": f, "ec": "0.3"} if f else None
        )
        for x, y, t, f in nodes
    ]
    arrow = dict(arrowstyle="-|>", lw=1.2, color="0.2", shrinkA=3, shrinkB=3)
    for a, b in [(0, 1), (1, 2), (2, 3), (3, 5), (5, 6)]:  # left to right, bbox edge to bbox edge
        ax.annotate(
            "", xy=(0, 0.5), xycoords=texts[b], xytext=(1, 0.5), textcoords=texts[a], arrowprops=arrow
        )
    ax.annotate("", xy=(0.5, 0), xycoords=texts[3], xytext=(0.5, 1), textcoords=texts[4], arrowprops=arrow)
    grey: dict[str, Any] = dict(fontsize=10, color="0.35", va="center")
    ax.text(
        3.6,
        1.2,
        "$q_\\phi(z \\mid x) = \\mathcal{N}(\\mu, \\operatorname{diag} \\sigma^2)$",
        ha="center",
        **grey,
    )
    ax.text(5.7, 1.2, "reparameterisation", ha="left", **grey)
    return ax.figure  # type: ignore[return-value]


#: The explorer's script (``%(id)s``: its container): draws the codes and the prior's circles
#: into the SVG from the JSON, and shows the decoded digit of the grid point nearest the
#: pointer (mouse, pen or finger; arrow keys when focused); the container's ``data-index``
#: records the grid index shown, row by row from the bottom left.
_EXPLORER_JS = """(function(){var R=document.getElementById("%(id)s"),D=JSON.parse(R.querySelector("script.lx-data").textContent),
s=R.querySelector("svg"),ns=s.namespaceURI,S=400,M=30,e=D.extent,G=D.grid,P=atob(D.pixels),c=R.querySelector("canvas"),
x2=c.getContext("2d"),im=x2.createImageData(8,8),out=R.querySelector(".lx-z"),k0=-1;
function X(v){return M+(v+e)/(2*e)*(S-2*M)}function Y(v){return S-M-(v+e)/(2*e)*(S-2*M)}
function el(t,a,txt){var n=document.createElementNS(ns,t);for(var q in a)n.setAttribute(q,a[q]);
if(txt)n.textContent=txt;s.appendChild(n);return n}
el("rect",{x:M,y:M,width:S-2*M,height:S-2*M,fill:"#fff",stroke:"#999"});
D.ticks.forEach(function(t){el("text",{x:X(t),y:S-M+16,"text-anchor":"middle","font-size":13},""+t);
el("text",{x:M-6,y:Y(t)+4,"text-anchor":"end","font-size":13},""+t)});
el("text",{x:S/2,y:S-2,"text-anchor":"middle","font-size":13},"z\\u2081");
el("text",{x:M,y:M-12,"text-anchor":"middle","font-size":13},"z\\u2082");
D.circles.forEach(function(r){el("circle",{cx:X(0),cy:Y(0),r:r/(2*e)*(S-2*M),fill:"none",stroke:"#777",
"stroke-dasharray":"5 4"})});
D.codes.forEach(function(z,i){el("circle",{cx:X(z[0]),cy:Y(z[1]),r:2.8,fill:D.colors[D.labels[i]],
"fill-opacity":0.85})});
var mk=el("rect",{width:12,height:12,fill:"none",stroke:"#000","stroke-width":2});
function show(k){if(k===k0)return;k0=k;var i=k%%G,j=(k-i)/G,t=-e+2*e*i/(G-1),u=-e+2*e*j/(G-1);
for(var p=0;p<64;p++){var g=255-P.charCodeAt(64*k+p);im.data[4*p]=im.data[4*p+1]=im.data[4*p+2]=g;im.data[4*p+3]=255}
x2.putImageData(im,0,0);mk.setAttribute("x",X(t)-6);mk.setAttribute("y",Y(u)-6);R.dataset.index=k;
out.textContent="z = ("+t.toFixed(2)+", "+u.toFixed(2)+")"}
function at(cx,cy){var b=s.getBoundingClientRect(),f=function(v){return Math.max(0,Math.min(G-1,Math.round(v*(G-1))))};
show(f(((cy-b.top)/b.height*-S+S-M)/(S-2*M))*G+f(((cx-b.left)/b.width*S-M)/(S-2*M)))}
s.addEventListener("pointermove",function(v){at(v.clientX,v.clientY)});
s.addEventListener("pointerdown",function(v){at(v.clientX,v.clientY)});
["touchstart","touchmove"].forEach(function(n){s.addEventListener(n,function(v){var p=v.touches[0];
if(p){v.preventDefault();at(p.clientX,p.clientY)}},{passive:false})});
s.addEventListener("keydown",function(v){var d={ArrowLeft:-1,ArrowRight:1,ArrowUp:G,ArrowDown:-G}[v.key],i=k0%%G;
if(d===undefined||(d===-1&&i===0)||(d===1&&i===G-1)||k0+d<0||k0+d>=G*G)return;v.preventDefault();show(k0+d)});
show(D.start);R.dataset.ready="1"})();"""


def latent_explorer(
    model: torch.nn.Module, X: Any, y: Any, *, grid: int = 25, extent: float | None = None
) -> str:
    """A latent-space explorer for the static page: the codes, the prior, and the digit under the pointer.

    The mean codes μ_φ(x) of ``X``, coloured by the digit ``y``, and the circles that hold
    50 % and 95 % of the prior N(0, I) are drawn on the code plane; the decoder's mean image
    E[x | z] of the grid point nearest the pointer is shown beside it.  The decoded images of
    a ``grid × grid`` grid of codes are computed here (``model.decoder.mean``), quantised to
    bytes and embedded with the codes as JSON; a few kB of inline JavaScript draw the plot.
    Nothing is loaded from elsewhere, so it works on the built page without a kernel.
    Display it with ``IPython.display.HTML``.

    Parameters
    ----------
    model : VAE
        A trained VAE with ``latent_dim == 2`` and ``input_dim == 64`` whose decoder's mean lies
        in [0, 1] (Bernoulli pixels).
    X : array_like, shape (n, D)
        Images whose mean codes are drawn (D = the model's ``input_dim``).
    y : array_like, shape (n,)
        Their digits, integers 0 to 9.
    grid : int
        Grid points per axis, 2 to 60.
    extent : float, optional
        Half-width of the square of codes, [−extent, extent]²; by default it holds every code
        and the prior's 95 % circle.

    Returns
    -------
    str
        A self-contained HTML snippet; the container ``div.ae-latent-explorer`` records the
        grid index shown (row by row from the bottom left) in ``data-index``.
    """
    check.instance("model", model, torch.nn.Module)
    if not all(hasattr(model, a) for a in ("encode", "decoder", "latent_dim", "input_dim")):
        raise TypeError(f"model must be a VAE (encode, decoder, latent_dim), got {type(model).__name__}")
    if model.latent_dim != 2 or model.input_dim != 64:
        raise ValueError(
            "model must have latent_dim = 2 (to be drawn on the plane) and input_dim = 64 (8×8 digits), "
            f"got latent_dim = {model.latent_dim}, input_dim = {model.input_dim}"
        )
    X = check.data_matrix("X", X, width=64, of="the model's input_dim")
    labels = check.as_finite_array("y", y, ndim=1)
    if labels.shape[0] != X.shape[0] or not np.all(np.isin(labels, np.arange(10))):
        raise ValueError(f"y must hold one digit 0..9 per row of X ({X.shape[0]}), got shape {labels.shape}")
    G = check.positive_int("grid", grid, minimum=2)
    if G > 60:
        raise ValueError(f"grid must be at most 60 (the page carries grid² digits), got {G}")
    e = None if extent is None else check.positive_float("extent", extent)
    circles = [float(np.sqrt(-2 * np.log(p))) for p in (0.5, 0.05)]  # radii holding 50 % and 95 %
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            Z = model.encode(X)[0].double().cpu().numpy()
            if e is None:
                e = float(np.ceil(2 * 1.05 * max(np.abs(Z).max(), circles[1])) / 2)
            ticks = np.linspace(-e, e, G)
            codes = np.array([[a, b] for b in ticks for a in ticks])  # row by row from the bottom left
            mean = model.decoder.mean(codes).double().cpu().numpy()
    finally:
        model.train(was_training)
    if not (np.all(mean >= 0) and np.all(mean <= 1)):
        raise ValueError("model's decoder must give pixel means in [0, 1] (a Bernoulli decoder)")
    data = {
        "grid": G,
        "extent": e,
        "pixels": base64.b64encode(np.round(255 * mean).astype(np.uint8).tobytes()).decode("ascii"),
        "codes": np.round(Z, 3).tolist(),
        "labels": labels.astype(int).tolist(),
        "colors": [matplotlib.colors.to_hex(plt.get_cmap("tab10")(i)) for i in range(10)],
        "circles": circles,
        "ticks": [int(t) for t in range(-int(e), int(e) + 1)],
        "start": int(np.argmin((codes**2).sum(1))),
    }
    payload = json.dumps(data, separators=(",", ":"))
    uid = "lx-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    legend = "".join(
        f'<span style="color:{c};margin-right:.5em">&#9679;&thinsp;{i}</span>'
        for i, c in enumerate(data["colors"])
    )
    return (
        f'<div class="ae-latent-explorer" id="{uid}" data-index="-1" style="display:flex;flex-wrap:wrap;'
        'gap:12px 20px;align-items:flex-start;max-width:100%;color:#222;background:#fff;padding:6px">'
        '<div style="flex:1 1 260px;max-width:420px"><svg viewBox="0 0 400 400" tabindex="0" role="img" '
        "aria-label=\"Mean codes of the digits on the code plane, with the prior's 50 % and 95 % circles; "
        'the pointer picks the code whose decoded digit is shown" style="width:100%;height:auto;'
        f'touch-action:none;cursor:crosshair;display:block"></svg><div style="font-size:.85em">{legend}</div></div>'
        '<div style="flex:0 0 auto"><canvas width="8" height="8" style="width:144px;height:144px;'
        'image-rendering:pixelated;border:1px solid #999;display:block"></canvas>'
        '<div class="lx-z" style="font:.85em monospace;margin-top:4px"></div>'
        '<div style="font-size:.85em;max-width:200px">decoded digit E[x | z] at the grid point nearest '
        f'the pointer</div></div><script type="application/json" class="lx-data">{payload}</script>'
        f"<script>{_EXPLORER_JS % {'id': uid}}</script></div>"
    )
