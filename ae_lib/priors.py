"""The prior p(z) of a VAE: the standard normal, or a learned mixture of Gaussians (Definition 3.3.5).

Definition 3.1.1 fixes p(z) = N(0, I).  Nothing in the ELBO (Theorem 3.1.4) or the IWAE
bound (Theorem 3.1.9) needs that choice; it only makes the KL term closed-form (Lemma 3.1.5).
A prior learned with the model,

    p_ψ(z) = Σ_{k=1}^K π_k N(z; m_k, diag s_k²),

lets the aggregate posterior of the training codes be matched instead of being squeezed into
one Gaussian; the KL term is then estimated by Monte Carlo :cite:p:`tomczak2018vae`.
"""

from __future__ import annotations

import torch
from torch import distributions as td

from . import _checks as check
from ._random import Seed, torch_gen

__all__ = ["LatentPrior"]


class LatentPrior(torch.nn.Module):
    """p(z) on ℝᵈ: N(0, I) for ``n_components = 1``, else a learned Gaussian mixture (Definition 3.3.5).

    Parameters
    ----------
    latent_dim : int
        d ≥ 1.
    n_components : int
        K ≥ 1.  K = 1 is the fixed standard normal (no parameters); K > 1 a mixture with
        learned weights π = softmax(logits), means m (K, d) drawn from N(0, I) at
        initialisation, and scales s = exp(log_scales) starting at 1.
    seed : int, numpy.random.Generator or torch.Generator
        Source of the initial means.
    """

    def __init__(self, latent_dim: int, n_components: int = 1, *, seed: Seed = 0) -> None:
        super().__init__()
        self.latent_dim = check.positive_int("latent_dim", latent_dim)
        self.n_components = check.positive_int("n_components", n_components)
        gen = torch_gen(seed)
        # The origin of N(0, I): a buffer, so that it moves with the model (not in the state dict).
        self.register_buffer("origin", torch.zeros(self.latent_dim), persistent=False)
        if self.n_components > 1:
            K, d = self.n_components, self.latent_dim
            self.means = torch.nn.Parameter(torch.randn(K, d, generator=gen))
            self.log_scales = torch.nn.Parameter(torch.zeros(K, d))
            self.logits = torch.nn.Parameter(torch.zeros(K))

    @property
    def standard(self) -> bool:
        """True for the fixed N(0, I), whose KL to a Gaussian encoder is closed-form (Lemma 3.1.5)."""
        return self.n_components == 1

    def distribution(self) -> td.Distribution:
        """p(z) as a ``torch.distributions`` object with event shape (d,)."""
        if self.standard:
            zeros = self.origin
            return td.Independent(td.Normal(zeros, torch.ones_like(zeros)), 1)
        components = td.Independent(td.Normal(self.means, torch.exp(self.log_scales)), 1)
        return td.MixtureSameFamily(td.Categorical(logits=self.logits), components)

    def log_prob(self, Z: torch.Tensor) -> torch.Tensor:
        """log p(z) for codes Z of shape (…, d); shape (…,)."""
        Z = check.as_tensor("Z", Z, torch.float32, width=self.latent_dim, of="latent_dim")
        return self.distribution().log_prob(Z)

    def sample(self, n: int, *, seed: Seed = 0) -> torch.Tensor:
        """n draws z ~ p(z), shape (n, d)."""
        n = check.positive_int("n", n)
        gen = torch_gen(seed)
        eps = torch.randn(n, self.latent_dim, generator=gen)
        if self.standard:
            return eps
        with torch.no_grad():
            k = torch.multinomial(torch.softmax(self.logits, 0), n, replacement=True, generator=gen)
            return self.means[k] + torch.exp(self.log_scales[k]) * eps

    def extra_repr(self) -> str:
        return f"latent_dim={self.latent_dim}, n_components={self.n_components}"
