"""Interactive controls: a slider over the same values a static small-multiples figure shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import _checks as check

__all__ = ["explore"]


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
