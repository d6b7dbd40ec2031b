"""The trainable autoencoder: the ``torch.nn`` twin of Chapter 2's :class:`~ae_lib.Autoencoder`.

Its encoder and decoder are :func:`~ae_lib.mlp` networks whose widths obey Lemmas 2.1.1 and
2.1.2 (unless ``strict=False``); :func:`~ae_lib.fit` trains it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from . import _checks as check
from ._random import Seed, forked_global_rng, seed_ints
from .activations import get_activation, identity
from .autoencoder import Autoencoder, check_widths
from .torch_nets import Phi, mlp, to_torch

__all__ = ["AutoencoderNet"]


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
        phi: Phi = "relu",
        *,
        output_phi: Phi = identity,
        code_phi: Phi = identity,
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
            self.encoder = mlp(ew, phi, output_phi=code_phi, dtype=dtype)
            self.decoder = mlp(dw, phi, output_phi=output_phi, dtype=dtype)

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
