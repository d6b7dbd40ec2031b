"""Claims the prose makes, checked where they are made.

Thesis items: none numbered; the tools the chapters share.

A page that says "the autoencoder beats PCA at every width" states a comparison of numbers
computed on the page. :func:`claim` states such a sentence together with the condition
that makes it true and the numbers behind it: it returns the claim, whose printed form is
the sentence after a check mark, when the condition holds, and raises
:class:`ClaimFailed`, quoting the sentence and the numbers, when it does not. A false
claim therefore stops the notebook: it can never be stored as an output, and nbval, which
re-runs every cell, fails on it on any machine where the numbers move the other way.

The sentence in the prose is glued from the same object (``glue("key", c.text)``), so that
the page's words and the checked words are one string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

__all__ = ["Claim", "ClaimFailed", "claim"]


class ClaimFailed(AssertionError):
    """A claim of the prose is false for the numbers computed on the page.

    The message quotes the claim and the numbers it was checked on. The remedy is to change
    the prose to what the numbers show, never to loosen the check.

    Examples
    --------
    >>> try:
    ...     claim("the autoencoder beats PCA", 0.031 < 0.030, ae=0.031, pca=0.030)
    ... except AssertionError as err:
    ...     print(type(err).__name__, err)
    ClaimFailed claim is false: 'the autoencoder beats PCA' (ae=0.031, pca=0.03)
    """


@dataclass(frozen=True)
class Claim:
    """A claim that was checked and holds: its sentence and the numbers behind it.

    Printed (``str``), it is the sentence after a check mark, with no number, so that the
    stored output does not move between machines; ``numbers`` keeps the values for a reader
    who asks.

    Attributes
    ----------
    text : str
        The claim as the page states it.
    numbers : dict of str to object
        The numbers the claim was checked on.
    """

    text: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"✓ {self.text}"


def _truth(holds: Any) -> bool:
    """``holds`` as a Python bool; only a bool, a NumPy bool or a one-element bool tensor."""
    if isinstance(holds, (bool, np.bool_)):
        return bool(holds)
    if isinstance(holds, np.ndarray) and holds.dtype == np.bool_ and holds.size == 1:
        return bool(holds.item())
    if isinstance(holds, torch.Tensor) and holds.dtype == torch.bool and holds.numel() == 1:
        return bool(holds.item())
    raise TypeError(
        f"holds must be a bool (the result of a comparison), got {type(holds).__name__}: "
        "write the comparison itself, e.g. holds=a < b, not a number whose truth is implicit"
    )


def _show(value: Any) -> str:
    """A number as the error message shows it: floats to 4 significant digits."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def claim(text: str, holds: Any, **numbers: Any) -> Claim:
    """Check one claim of the prose; raise :class:`ClaimFailed` when it is false.

    Parameters
    ----------
    text : str
        The claim as the page states it, e.g. ``"the ones are among the three hardest
        digits of every method"``; glue it into the prose from the returned object.
    holds : bool
        The comparison that makes the claim true, computed from the page's numbers
        (a Python bool, a NumPy bool or a one-element bool tensor).
    **numbers
        The numbers behind the claim, quoted in the error message (and kept in
        :attr:`Claim.numbers`).

    Returns
    -------
    Claim
        The claim; ``print`` shows ``"✓ " + text``.

    Raises
    ------
    ClaimFailed
        When ``holds`` is false; the message quotes ``text`` and ``numbers``.

    Examples
    --------
    >>> errors = {"AE": 0.012, "PCA": 0.019}
    >>> print(claim("the autoencoder reconstructs better than PCA",
    ...             errors["AE"] < errors["PCA"], **errors))
    ✓ the autoencoder reconstructs better than PCA
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (the claim's sentence), got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text must state the claim, got an empty string")
    if not _truth(holds):
        behind = ", ".join(f"{k}={_show(v)}" for k, v in numbers.items())
        raise ClaimFailed(f"claim is false: {text!r}" + (f" ({behind})" if behind else ""))
    return Claim(text, dict(numbers))
