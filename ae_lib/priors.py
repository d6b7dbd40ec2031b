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

from ._checks import positive_int

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
    generator : torch.Generator, optional
        Source of the initial means.
    """

    def __init__(self, latent_dim: int, n_components: int = 1, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.n_components = positive_int("n_components", n_components)
        if self.n_components > 1:
            K, d = self.n_components, self.latent_dim
            self.means = torch.nn.Parameter(torch.randn(K, d, generator=generator))
            self.log_scales = torch.nn.Parameter(torch.zeros(K, d))
            self.logits = torch.nn.Parameter(torch.zeros(K))

    @property
    def standard(self) -> bool:
        """True for the fixed N(0, I), whose KL to a Gaussian encoder is closed-form."""
        return self.n_components == 1

    def distribution(self) -> td.Distribution:
        """p(z) as a ``torch.distributions`` object with event shape (d,)."""
        if self.standard:
            zeros = torch.zeros(self.latent_dim)
            return td.Independent(td.Normal(zeros, torch.ones_like(zeros)), 1)
        components = td.Independent(td.Normal(self.means, torch.exp(self.log_scales)), 1)
        return td.MixtureSameFamily(td.Categorical(logits=self.logits), components)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n draws z ~ p(z), shape (n, d), reproducible with ``generator``."""
        n = positive_int("n", n)
        eps = torch.randn(n, self.latent_dim, generator=generator)
        if self.standard:
            return eps
        with torch.no_grad():
            k = torch.multinomial(torch.softmax(self.logits, 0), n, replacement=True, generator=generator)
            return self.means[k] + torch.exp(self.log_scales[k]) * eps
