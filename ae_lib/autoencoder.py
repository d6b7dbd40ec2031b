"""Encoders, decoders and autoencoders: Lemmas 2.1.1 and 2.1.2 of the thesis.

An encoder is a deep network whose widths never grow, ``d_0 ≥ d_1 ≥ … ≥ d_L``
(Lemma 2.1.1); a decoder one whose widths never shrink, ``d_0 ≤ … ≤ d_L``
(Lemma 2.1.2); an autoencoder is ``decoder ∘ encoder`` where the encoder's output width
(the *bottleneck*, the code dimension) is the decoder's input width and the decoder
gives back the input dimension.  Widths are indexed as in the book, ``(d_0, …, d_L)``
with ``d_0`` the input (see the Remark on depth and widths in Section 1.1).

The NumPy classes are built from the Section 1.1 :class:`~ae_lib.Layer` and
:class:`~ae_lib.DeepNetwork`; :class:`AutoencoderNet` is their ``torch.nn`` twin, used
for training.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from ._checks import positive_int
from .activations import Activation, get_activation, identity
from .network import DeepNetwork, to_torch

__all__ = ["Encoder", "Decoder", "Autoencoder", "AutoencoderNet", "check_widths"]

def check_widths(widths: Sequence[int], kind: str) -> tuple[int, ...]:
    """Check the width condition of an encoder (Lemma 2.1.1) or a decoder (Lemma 2.1.2).

    Parameters
    ----------
    widths : sequence of int
        ``(d_0, …, d_L)``, at least two entries.
    kind : {"encoder", "decoder"}
        ``"encoder"``: ``d_0 ≥ … ≥ d_L``; ``"decoder"``: ``d_0 ≤ … ≤ d_L``.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        Naming the widths and the first pair that breaks the condition.
    """
    if kind not in ("encoder", "decoder"):
        raise ValueError(f"kind must be 'encoder' or 'decoder', got {kind!r}")
    widths = tuple(positive_int(f"widths[{i}]", d) for i, d in enumerate(widths))
    if len(widths) < 2:
        raise ValueError(f"widths needs an input and an output width, got {list(widths)}")
    lemma, sign = ("Lemma 2.1.1", "≥") if kind == "encoder" else ("Lemma 2.1.2", "≤")
    for i in range(len(widths) - 1):
        a, b = widths[i], widths[i + 1]
        if (a < b) if kind == "encoder" else (a > b):
            raise ValueError(
                f"{kind} widths {list(widths)} violate {lemma} (d_0 {sign} … {sign} d_L): "
                f"d_{i} = {a} and d_{i + 1} = {b}"
            )
    return widths


class _MonotoneNetwork(DeepNetwork):
    _kind = ""

    def __init__(self, layers) -> None:
        super().__init__(layers)
        check_widths(self.widths, self._kind)

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
    """An autoencoder ``g ∘ f``: encoder f (Lemma 2.1.1) then decoder g (Lemma 2.1.2).

    Parameters
    ----------
    encoder : Encoder
        ℝ^{d_0} → ℝ^{z}, z the bottleneck (code) dimension.
    decoder : Decoder
        ℝ^{z} → ℝ^{d_0}.

    Raises
    ------
    ValueError
        If the encoder's output width differs from the decoder's input width (mismatched
        bottleneck) or the decoder's output width differs from the input width.
    """

    def __init__(self, encoder: Encoder, decoder: Decoder) -> None:
        if not isinstance(encoder, Encoder):
            raise TypeError(f"encoder must be an Encoder, got {type(encoder).__name__}")
        if not isinstance(decoder, Decoder):
            raise TypeError(f"decoder must be a Decoder, got {type(decoder).__name__}")
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
        seed: int | np.random.Generator = 0,
    ) -> "Autoencoder":
        """A random autoencoder; the decoder mirrors the encoder unless given.

        Parameters
        ----------
        encoder_widths : sequence of int
            ``(d_0, …, z)``, e.g. ``(5, 4, 3, 2)`` for Figure 2.1.
        phi : Activation or str
            Hidden activation.
        decoder_widths : sequence of int, optional
            Default ``encoder_widths`` reversed.
        output_phi, code_phi : Activation or str
            Activation of the reconstruction and of the code layers (default identity).
        seed : int or numpy.random.Generator
        """
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        phi = get_activation(phi)
        ew = check_widths(encoder_widths, "encoder")
        dw = tuple(reversed(ew)) if decoder_widths is None else check_widths(decoder_widths, "decoder")
        enc = Encoder.from_widths(ew, phi, seed=rng, output_phi=get_activation(code_phi))
        dec = Decoder.from_widths(dw, phi, seed=rng, output_phi=get_activation(output_phi))
        return cls(enc, dec)

    @property
    def bottleneck(self) -> int:
        """z, the code dimension."""
        return self.encoder.widths[-1]

    @property
    def widths(self) -> tuple[int, ...]:
        """All widths ``(d_0, …, z, …, d_0)`` (Figure 2.1 reads 5, 4, 3, 2, 3, 4, 5)."""
        return self.encoder.widths + self.decoder.widths[1:]

    def encode(self, x: np.ndarray) -> np.ndarray:
        """The code f(x), shape (z,) or (n, z)."""
        return self.encoder(x)

    def decode(self, z: np.ndarray) -> np.ndarray:
        """The reconstruction g(z), shape (d_0,) or (n, d_0)."""
        return self.decoder(z)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """g(f(x))."""
        return self.decode(self.encode(x))

    def to_torch(self, dtype: torch.dtype = torch.float64) -> "AutoencoderNet":
        """The :class:`AutoencoderNet` twin with the same weights."""
        net = AutoencoderNet.__new__(AutoencoderNet)
        torch.nn.Module.__init__(net)
        net.encoder, net.decoder = to_torch(self.encoder, dtype), to_torch(self.decoder, dtype)
        net.encoder_widths, net.decoder_widths = self.encoder.widths, self.decoder.widths
        return net

    def __repr__(self) -> str:
        return f"Autoencoder(widths={self.widths}, bottleneck={self.bottleneck})"


class AutoencoderNet(torch.nn.Module):
    """The ``torch.nn`` twin of :class:`Autoencoder`, for training.

    Parameters
    ----------
    encoder_widths : sequence of int
        ``(d_0, …, z)``.
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
    seed : int
        Seeds the initial weights (torch's default initialisation).
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
        seed: int = 0,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        ew = tuple(positive_int(f"encoder_widths[{i}]", d) for i, d in enumerate(encoder_widths))
        dw = tuple(reversed(ew)) if decoder_widths is None else tuple(
            positive_int(f"decoder_widths[{i}]", d) for i, d in enumerate(decoder_widths))
        if strict:
            check_widths(ew, "encoder"), check_widths(dw, "decoder")
        if len(ew) < 2 or len(dw) < 2:
            raise ValueError(f"encoder and decoder need >= 2 widths, got {list(ew)} and {list(dw)}")
        if ew[-1] != dw[0] or dw[-1] != ew[0]:
            raise ValueError(f"bottleneck mismatch: encoder widths {list(ew)}, decoder widths {list(dw)}")
        self.encoder_widths, self.decoder_widths = ew, dw
        gen = torch.random.fork_rng(devices=[])
        with gen:
            torch.manual_seed(seed)
            self.encoder = self._stack(ew, get_activation(phi), get_activation(code_phi), dtype)
            self.decoder = self._stack(dw, get_activation(phi), get_activation(output_phi), dtype)

    @staticmethod
    def _stack(widths, phi, last, dtype) -> torch.nn.Sequential:
        mods: list[torch.nn.Module] = []
        for i in range(len(widths) - 1):
            mods.append(torch.nn.Linear(widths[i], widths[i + 1], dtype=dtype))
            act = phi if i < len(widths) - 2 else last
            if act is not identity:
                mods.append(act.torch())
        return torch.nn.Sequential(*mods)

    @property
    def bottleneck(self) -> int:
        """z, the code dimension."""
        return self.encoder_widths[-1]

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Codes, shape (n, z)."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstructions, shape (n, d_0)."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The reconstruction decode(encode(x))."""
        return self.decoder(self.encoder(x))
