"""Deep networks: Definition 1.1.5 of the thesis, layers composed.

``__call__`` *is* the formula::

    DeepNetwork:  f_{φ,L,θ}(x) = H_L ∘ … ∘ H_1(x)             (eq. 1.3)

with the layers H_i of :mod:`ae_lib.layer`.  Inputs are a single point of shape ``(d_0,)``
or a batch of ``n`` points of shape ``(n, d_0)`` (one point per row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from . import _checks as check
from ._random import Seed, numpy_rng
from .activation import Activation
from .activations import get_activation
from .layer import Layer, check_input

__all__ = ["DeepNetwork"]

_Net = TypeVar("_Net", bound="DeepNetwork")


class DeepNetwork:
    """A φ-deep neural network f_{φ,L,θ} = H_L ∘ … ∘ H_1 (Definition 1.1.5).

    Parameters
    ----------
    layers : sequence of Layer
        H_1, …, H_L; the output width of H_i must equal the input width of H_{i+1}.

    Notes
    -----
    The thesis uses one φ for every layer, the last one included.  The book lets each
    layer carry its own φ (``DeepNetwork.from_widths(..., output_phi=identity)`` gives
    the usual affine output layer); with a single φ it is exactly Definition 1.1.5.
    A network of depth L has L + 1 widths ``(d_0, d_1, …, d_L)``: input, L - 1 hidden
    widths and output (see the Remark in Section 1.1 on the draft's indexing).
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(f"layers must be a sequence of Layer, got {type(layers).__name__}")
        layers = list(layers)
        if not layers:
            raise ValueError("layers must contain at least one Layer (depth L >= 1)")
        for i, H in enumerate(layers):
            if not isinstance(H, Layer):
                raise TypeError(f"layers[{i}] must be a Layer, got {type(H).__name__}")
        for i in range(len(layers) - 1):
            if layers[i].width != layers[i + 1].in_features:
                raise ValueError(
                    f"layers[{i}] has width {layers[i].width} but layers[{i + 1}] expects "
                    f"{layers[i + 1].in_features} inputs"
                )
        self.layers = layers

    @classmethod
    def from_widths(
        cls: type[_Net],
        widths: Sequence[int],
        phi: Activation | str,
        *,
        seed: Seed = 0,
        output_phi: Activation | str | None = None,
    ) -> _Net:
        """A randomly initialised network with widths ``(d_0, …, d_L)``.

        Parameters
        ----------
        widths : sequence of int
            Input width, hidden widths, output width; at least two entries.
        phi : Activation or str
            Activation of every layer.
        seed : int, numpy.random.Generator or torch.Generator
            Source of the random weights.
        output_phi : Activation or str, optional
            Activation of the last layer; default ``phi`` (the thesis's definition).

        Examples
        --------
        >>> DeepNetwork.from_widths([4, 3, 2], "relu", seed=0)
        DeepNetwork(widths=(4, 3, 2), L=2)
        """
        widths = check.widths("widths", widths, min_len=2)
        phi = get_activation(phi)
        last = phi if output_phi is None else get_activation(output_phi, "output_phi")
        rng = numpy_rng(seed)
        return cls(
            [
                Layer.random(widths[i], widths[i + 1], phi if i < len(widths) - 2 else last, seed=rng)
                for i in range(len(widths) - 1)
            ]
        )

    @property
    def depth(self) -> int:
        """L, the number of layers."""
        return len(self.layers)

    @property
    def widths(self) -> tuple[int, ...]:
        """(d_0, d_1, …, d_L): input width followed by each layer's width."""
        return (self.layers[0].in_features,) + tuple(H.width for H in self.layers)

    @property
    def theta(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """θ = (θ_1, …, θ_L) with θ_i = (W_i, b_i)."""
        return [H.theta for H in self.layers]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """f(x) = H_L(… H_1(x)) (eq. 1.3); shape (d_L,) for x of shape (d_0,), (n, d_L) for (n, d_0)."""
        x = check_input(x, self.widths[0])
        for H in self.layers:
            x = H.phi.fn(x @ H.W.T + H.b)
        return x

    def __repr__(self) -> str:
        return f"DeepNetwork(widths={self.widths}, L={self.depth})"
