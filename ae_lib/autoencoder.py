"""Encoders, decoders and autoencoders: Lemmas 2.1.1 and 2.1.2 of the thesis.

An encoder is a deep network whose widths never grow, ``d_0 ≥ d_1 ≥ … ≥ d_L``
(Lemma 2.1.1); a decoder one whose widths never shrink, ``d_0 ≤ … ≤ d_L``
(Lemma 2.1.2); an autoencoder is ``decoder ∘ encoder`` where the encoder's output width
(the *bottleneck*, the code dimension) is the decoder's input width and the decoder
gives back the input dimension.  Widths are indexed as in the book, ``(d_0, …, d_L)``
with ``d_0`` the input (see the Remark on depth and widths in Section 1.1).

The classes are built from the Section 1.1 :class:`~ae_lib.Layer` and
:class:`~ae_lib.DeepNetwork`; :class:`~ae_lib.AutoencoderNet` is their ``torch.nn`` twin,
used for training.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _checks as check
from ._random import Seed, numpy_rng
from .activation import Activation
from .activations import get_activation, identity
from .layer import Layer
from .network import DeepNetwork

__all__ = ["Autoencoder", "Decoder", "Encoder", "check_widths"]


def check_widths(widths: Sequence[int], kind: str, *, name: str = "widths") -> tuple[int, ...]:
    """Check the width condition of an encoder or a decoder.

    The conditions are those of Lemma 2.1.1 (encoder) and Lemma 2.1.2 (decoder).

    Parameters
    ----------
    widths : sequence of int
        ``(d_0, …, d_L)``, at least two entries.
    kind : {"encoder", "decoder"}
        ``"encoder"``: ``d_0 ≥ … ≥ d_L``; ``"decoder"``: ``d_0 ≤ … ≤ d_L``.
    name : str
        The argument's name in error messages.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        Naming the widths and the first pair that breaks the condition.

    Examples
    --------
    >>> check_widths([5, 4, 3, 2], "encoder")
    (5, 4, 3, 2)
    """
    check.one_of("kind", kind, ("encoder", "decoder"))
    widths = check.widths(name, widths, min_len=2)
    lemma, sign = ("Lemma 2.1.1", "≥") if kind == "encoder" else ("Lemma 2.1.2", "≤")
    for i in range(len(widths) - 1):
        a, b = widths[i], widths[i + 1]
        if (a < b) if kind == "encoder" else (a > b):
            raise ValueError(
                f"{name} {list(widths)} violate {lemma} (d_0 {sign} … {sign} d_L): "
                f"d_{i} = {a} and d_{i + 1} = {b}"
            )
    return widths


class _MonotoneNetwork(DeepNetwork):
    _kind = ""

    def __init__(self, layers: Sequence[Layer]) -> None:
        super().__init__(layers)
        check_widths(self.widths, self._kind, name="the widths of layers")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(widths={self.widths}, L={self.depth})"


class Encoder(_MonotoneNetwork):
    """An encoding neural network, widths ``d_0 ≥ d_1 ≥ … ≥ d_L`` (Lemma 2.1.1).

    Construct it like a :class:`~ae_lib.DeepNetwork` (from layers, or
    ``Encoder.from_widths(widths, phi, seed=, output_phi=)``); widths that grow anywhere
    raise a ``ValueError`` naming them.
    """

    _kind = "encoder"


class Decoder(_MonotoneNetwork):
    """A decoding neural network, widths ``d_0 ≤ d_1 ≤ … ≤ d_L`` (Lemma 2.1.2).

    Construct it like :class:`Encoder`; widths that shrink anywhere raise a ``ValueError``.
    """

    _kind = "decoder"


class Autoencoder:
    """An autoencoder ``g ∘ f``: an encoder f, then a decoder g.

    The encoder's widths obey Lemma 2.1.1, the decoder's Lemma 2.1.2.

    Parameters
    ----------
    encoder : Encoder
        ℝ^{d_0} → ℝ^{d}, d = ``latent_dim`` the bottleneck (code) dimension.
    decoder : Decoder
        ℝ^{d} → ℝ^{d_0}.

    Raises
    ------
    ValueError
        If the encoder's output width differs from the decoder's input width (mismatched
        bottleneck) or the decoder's output width differs from the input width.
    """

    def __init__(self, encoder: Encoder, decoder: Decoder) -> None:
        check.instance("encoder", encoder, Encoder)
        check.instance("decoder", decoder, Decoder)
        e, d = encoder.widths, decoder.widths
        if e[-1] != d[0]:
            raise ValueError(
                f"bottleneck mismatch: encoder widths {list(e)} end in {e[-1]} but decoder "
                f"widths {list(d)} start at {d[0]}"
            )
        if d[-1] != e[0]:
            raise ValueError(
                f"decoder widths {list(d)} end in {d[-1]}, but the encoder widths {list(e)} "
                f"read inputs of dimension {e[0]}"
            )
        self.encoder, self.decoder = encoder, decoder

    @classmethod
    def from_widths(
        cls,
        encoder_widths: Sequence[int],
        phi: Activation | str,
        *,
        decoder_widths: Sequence[int] | None = None,
        output_phi: Activation | str = identity,
        code_phi: Activation | str = identity,
        seed: Seed = 0,
    ) -> Autoencoder:
        """A random autoencoder; the decoder mirrors the encoder unless given.

        Parameters
        ----------
        encoder_widths : sequence of int
            ``(d_0, …, latent_dim)``, e.g. ``(5, 4, 3, 2)`` for Figure 2.1.
        phi : Activation or str
            Hidden activation.
        decoder_widths : sequence of int, optional
            Default ``encoder_widths`` reversed.
        output_phi, code_phi : Activation or str
            Activation of the reconstruction and of the code layers (default identity).
        seed : int, numpy.random.Generator or torch.Generator
            Source of the random weights.
        """
        phi = get_activation(phi)
        ew = check_widths(encoder_widths, "encoder", name="encoder_widths")
        dw = (
            tuple(reversed(ew))
            if decoder_widths is None
            else check_widths(decoder_widths, "decoder", name="decoder_widths")
        )
        rng = numpy_rng(seed)
        enc = Encoder.from_widths(ew, phi, seed=rng, output_phi=get_activation(code_phi, "code_phi"))
        dec = Decoder.from_widths(dw, phi, seed=rng, output_phi=get_activation(output_phi, "output_phi"))
        return cls(enc, dec)

    @property
    def latent_dim(self) -> int:
        """The code (bottleneck) dimension d."""
        return self.encoder.widths[-1]

    @property
    def widths(self) -> tuple[int, ...]:
        """All widths ``(d_0, …, d, …, d_0)`` (Figure 2.1 reads 5, 4, 3, 2, 3, 4, 5)."""
        return self.encoder.widths + self.decoder.widths[1:]

    def encode(self, x: np.ndarray) -> np.ndarray:
        """The code f(x), shape (d,) for x of shape (d_0,), or (n, d) for a batch (n, d_0)."""
        return self.encoder(x)

    def decode(self, z: np.ndarray) -> np.ndarray:
        """The reconstruction g(z), shape (d_0,) or (n, d_0), of codes of shape (d,) or (n, d)."""
        return self.decoder(z)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """g(f(x)), the shape of x."""
        return self.decode(self.encode(x))

    def __repr__(self) -> str:
        return f"Autoencoder(widths={self.widths}, latent_dim={self.latent_dim})"
