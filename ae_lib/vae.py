"""The variational autoencoder: encoder, decoder and prior as three siblings (Definition 3.1.8).

A :class:`VAE` holds ``vae.encoder`` (a :class:`~ae_lib.GaussianEncoder`, q_φ(z|x)),
``vae.decoder`` (a :class:`~ae_lib.ProbabilisticDecoder`, p_θ(x|z): a network and one
:mod:`likelihood <ae_lib.likelihoods>` object) and ``vae.prior`` (a
:class:`~ae_lib.LatentPrior`, p(z)).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from . import _checks as check
from ._random import Seed, forked_global_rng, seed_ints, torch_gen
from .decoder import ProbabilisticDecoder
from .encoder import GaussianEncoder, draw_codes, reparameterize
from .likelihoods import Likelihood
from .priors import LatentPrior

__all__ = ["VAE"]


class VAE(torch.nn.Module):
    """A variational autoencoder: encoder q_φ(z|x), decoder p_θ(x|z) and prior p(z) (Definition 3.1.8).

    Trained by maximising the ELBO (Theorem 3.1.4) over θ and φ together; see
    :func:`~ae_lib.negative_elbo` and :func:`~ae_lib.vae_loss`.

    Parameters
    ----------
    input_dim : int
        D, the number of pixels (64).
    latent_dim : int
        d ≥ 1, the dimension of the code z.
    hidden : sequence of int
        Encoder hidden widths, e.g. ``(128,)``; the decoder uses them in reverse.
    likelihood : str or Likelihood
        "bernoulli", "categorical", "beta_binomial", "gaussian" or "autoregressive"
        (Definition 3.3.6's decoder), or a likelihood object.
    dropout : float
        In [0, 1), after each hidden layer of encoder and decoder.
    prior_components : int
        1 for p(z) = N(0, I); K > 1 for a learned mixture prior (Definition 3.3.5).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the initial weights; torch's global generator is left as it was.
    """

    def __init__(
        self,
        input_dim: int = 64,
        latent_dim: int = 2,
        hidden: Sequence[int] = (128,),
        likelihood: str | Likelihood = "bernoulli",
        dropout: float = 0.0,
        prior_components: int = 1,
        seed: Seed = 0,
    ) -> None:
        super().__init__()
        hidden = check.widths("hidden", hidden)
        check.positive_int("prior_components", prior_components)
        init, prior_seed = seed_ints(seed, 2)
        with forked_global_rng(init):
            self.encoder = GaussianEncoder(input_dim, latent_dim, hidden, dropout)
            self.decoder = ProbabilisticDecoder(latent_dim, input_dim, hidden[::-1], likelihood, dropout)
        self.prior = LatentPrior(latent_dim, prior_components, seed=prior_seed)

    @property
    def input_dim(self) -> int:
        """D."""
        return self.encoder.input_dim

    @property
    def latent_dim(self) -> int:
        """d."""
        return self.encoder.latent_dim

    @property
    def likelihood(self) -> Likelihood:
        """The decoder's likelihood object."""
        return self.decoder.likelihood

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the weights (float32 unless converted)."""
        return self.encoder.net[0].weight.dtype

    def _data(self, X: Any, name: str = "X") -> torch.Tensor:
        return check.as_tensor(name, X, self.dtype, ndim=2, width=self.input_dim, of="the model's input_dim")

    def check_data(self, X: Any, name: str = "X") -> torch.Tensor:
        """X as a tensor of the model's dtype if it is valid data for the likelihood (:func:`~ae_lib.fit` calls it)."""
        return self.likelihood.check(X, name, self.dtype)

    def encode(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ_φ(x), log σ²_φ(x)), each of shape (n, d), for data X of shape (n, D) (any real values)."""
        return self.encoder(self.likelihood.encoder_input(self._data(X)))

    def reparameterize(self, mu: torch.Tensor, log_var: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        """A code z ~ q_φ(z|x) as μ + σ ε, shape (n, d) (see :func:`~ae_lib.reparameterize`)."""
        return reparameterize(mu, log_var, seed=seed)

    def decode(self, Z: torch.Tensor) -> torch.Tensor:
        """Parameters of p_θ(x|z) for codes Z of shape (n, d), see :meth:`ProbabilisticDecoder.forward`."""
        return self.decoder(check.as_tensor("Z", Z, self.dtype, width=self.latent_dim, of="latent_dim"))

    def forward(self, X: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        """E[x̂ | z] for one code z ~ q_φ(z|x): a stochastic reconstruction, shape (n, D)."""
        mu, log_var = self.encode(X)
        return self.decoder.mean(draw_codes(mu, log_var, torch_gen(seed), None))

    @torch.no_grad()
    def reconstruct(self, X: torch.Tensor) -> torch.Tensor:
        """E[x̂ | z = μ_φ(x)]: the deterministic reconstruction through the mean code, shape (n, D)."""
        return self.decoder.mean(self.encode(X)[0])

    @torch.no_grad()
    def sample(self, n: int, *, seed: Seed = 0, mean: bool = True) -> torch.Tensor:
        """n draws z ~ p(z), decoded: E[x|z] if ``mean`` else x ~ p_θ(x|z); shape (n, D)."""
        gen = torch_gen(seed)
        z = self.prior.sample(n, seed=gen)
        return self.decoder.mean(z) if mean else self.decoder.sample(z, seed=gen)
