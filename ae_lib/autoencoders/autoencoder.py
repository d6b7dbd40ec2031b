"""Encoders, decoders and autoencoders, in NumPy and as one torch module (Section 2.1).

Thesis items: Lemma 2.1.1 (:obj:`~ae_lib.Encoder`); Lemma 2.1.2 (:obj:`~ae_lib.Decoder`).

Encoders, decoders and autoencoders: Lemmas 2.1.1 and 2.1.2 of the thesis.

An encoder is a deep network whose widths never grow, ``d_0 ≥ d_1 ≥ … ≥ d_L``
(Lemma 2.1.1); a decoder one whose widths never shrink, ``d_0 ≤ … ≤ d_L``
(Lemma 2.1.2); an autoencoder is ``decoder ∘ encoder`` where the encoder's output width
(the *bottleneck*, the code dimension) is the decoder's input width and the decoder
gives back the input dimension.  Widths are indexed as in the book, ``(d_0, …, d_L)``
with ``d_0`` the input (see the Remark on depth and widths in Section 1.1).

The classes are built from the Section 1.1 :class:`~ae_lib.Layer` and
:class:`~ae_lib.DeepNetwork`; :class:`~ae_lib.AutoencoderNet` is their ``torch.nn`` twin,
used for training.

The trainable autoencoder: the ``torch.nn`` twin of Chapter 2's :class:`~ae_lib.Autoencoder`.

Its encoder and decoder are :func:`~ae_lib.mlp` networks whose widths obey Lemmas 2.1.1 and
2.1.2 (unless ``strict=False``); :func:`~ae_lib.fit` trains it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from ..core import checks as check
from ..core.seeds import Seed, forked_global_rng, numpy_rng, seed_ints
from ..core.torch_nets import mlp
from ..networks.activations import Activation, get_activation, identity
from ..networks.network import DeepNetwork, Layer, to_torch

__all__ = ["Autoencoder", "AutoencoderNet", "Decoder", "Encoder", "check_widths"]


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


class AutoencoderNet(torch.nn.Module):
    """The ``torch.nn`` twin of :class:`~ae_lib.Autoencoder`, for training.

    Parameters
    ----------
    encoder_widths : sequence of int
        ``(d_0, …, latent_dim)``.
    phi : Activation or str
        Hidden activation ("relu", "silu", "tanh", ... or an Activation).
    output_phi, code_phi : Activation or str
        Activation of the reconstruction (e.g. "sigmoid" for pixels in [0, 1]) and of the code.
    decoder_widths : sequence of int, optional
        Default ``encoder_widths`` reversed.
    strict : bool
        Enforce Lemmas 2.1.1/2.1.2 (default).  ``strict=False`` admits non-monotone widths,
        for the Remark that monotone widths are a convention; the bottleneck and input
        dimension must still match.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the initial weights (torch's default initialisation); torch's global
        generator is left as it was.
    dtype : torch.dtype
    """

    def __init__(
        self,
        encoder_widths: Sequence[int],
        phi: Activation | str = "relu",
        *,
        output_phi: Activation | str = identity,
        code_phi: Activation | str = identity,
        decoder_widths: Sequence[int] | None = None,
        strict: bool = True,
        seed: Seed = 0,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        ew = check.widths("encoder_widths", encoder_widths, min_len=2)
        dw = (
            tuple(reversed(ew))
            if decoder_widths is None
            else check.widths("decoder_widths", decoder_widths, 2)
        )
        if strict:
            check_widths(ew, "encoder", name="encoder_widths")
            check_widths(dw, "decoder", name="decoder_widths")
        if ew[-1] != dw[0] or dw[-1] != ew[0]:
            raise ValueError(f"bottleneck mismatch: encoder_widths {list(ew)}, decoder_widths {list(dw)}")
        phi, output_phi = get_activation(phi, "phi"), get_activation(output_phi, "output_phi")
        code_phi = get_activation(code_phi, "code_phi")
        self.encoder_widths, self.decoder_widths = ew, dw
        (init,) = seed_ints(seed, 1)
        with forked_global_rng(init):
            self.encoder = mlp(ew, phi.torch, output_phi=code_phi.torch, dtype=dtype)
            self.decoder = mlp(dw, phi.torch, output_phi=output_phi.torch, dtype=dtype)

    @classmethod
    def from_autoencoder(cls, autoencoder: Autoencoder, dtype: torch.dtype = torch.float64) -> AutoencoderNet:
        """The twin of a NumPy :class:`~ae_lib.Autoencoder`, with the same weights (float64 by default)."""
        check.instance("autoencoder", autoencoder, Autoencoder)
        net = cls.__new__(cls)
        torch.nn.Module.__init__(net)
        net.encoder_widths, net.decoder_widths = autoencoder.encoder.widths, autoencoder.decoder.widths
        net.encoder = to_torch(autoencoder.encoder, dtype)
        net.decoder = to_torch(autoencoder.decoder, dtype)
        return net

    @property
    def input_dim(self) -> int:
        """d_0, the width of the data."""
        return self.encoder_widths[0]

    @property
    def latent_dim(self) -> int:
        """The code (bottleneck) dimension."""
        return self.encoder_widths[-1]

    def encode(self, X: torch.Tensor) -> torch.Tensor:
        """Codes f(x), shape (n, latent_dim), of inputs of shape (n, input_dim)."""
        return self.encoder(X)

    def decode(self, Z: torch.Tensor) -> torch.Tensor:
        """Reconstructions g(z), shape (n, input_dim), of codes of shape (n, latent_dim)."""
        return self.decoder(Z)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """The reconstruction g(f(x)), shape (n, input_dim)."""
        return self.decoder(self.encoder(X))
