"""The probabilistic decoder p_θ(x|z), and its likelihood chosen by name (Definition 3.1.1).

A :class:`ProbabilisticDecoder` is a network (Lemma 2.1.2) followed by one likelihood
object (:mod:`ae_lib.likelihoods`, :class:`~ae_lib.BetaBinomialLikelihood`,
:class:`~ae_lib.AutoregressiveLikelihood`); :func:`make_likelihood` picks one by name from
:data:`LIKELIHOODS`.  The :class:`~ae_lib.VAE` holds it beside its encoder and its prior.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import distributions as td

from . import _checks as check
from ._random import Seed
from .beta_binomial import BetaBinomialLikelihood
from .likelihoods import BernoulliLikelihood, CategoricalLikelihood, GaussianLikelihood, Likelihood
from .sigmoid_belief import AutoregressiveLikelihood
from .torch_nets import mlp

__all__ = ["LIKELIHOODS", "ProbabilisticDecoder", "make_likelihood"]

#: The decoder likelihoods a :class:`~ae_lib.VAE` offers, by name.
LIKELIHOODS: dict[str, type[Likelihood]] = {
    cls.name: cls
    for cls in (
        BernoulliLikelihood,
        CategoricalLikelihood,
        BetaBinomialLikelihood,
        GaussianLikelihood,
        AutoregressiveLikelihood,
    )
}


def make_likelihood(likelihood: str | Likelihood, input_dim: int = 64) -> Likelihood:
    """The likelihood object for a name of :data:`LIKELIHOODS` (or ``likelihood`` itself).

    Parameters
    ----------
    likelihood : str or Likelihood
    input_dim : int
        D; must match an object's own ``input_dim``.

    Examples
    --------
    >>> make_likelihood("categorical", 64).params_per_pixel
    17
    """
    input_dim = check.positive_int("input_dim", input_dim)
    if isinstance(likelihood, Likelihood):
        if likelihood.input_dim != input_dim:
            raise ValueError(f"likelihood has input_dim {likelihood.input_dim}, the model {input_dim}")
        return likelihood
    if not isinstance(likelihood, str):
        raise TypeError(
            f"likelihood must be a name in {list(LIKELIHOODS)} or a Likelihood, "
            f"got {type(likelihood).__name__}"
        )
    check.one_of("likelihood", likelihood, list(LIKELIHOODS))
    return LIKELIHOODS[likelihood](input_dim)


class ProbabilisticDecoder(torch.nn.Module):
    """p_θ(x|z) of the latent-variable model p_θ(x) = ∫ p_θ(x|z) p(z) dz (Definition 3.1.1).

    A decoder network (Lemma 2.1.2) maps a code z to the parameters of p_θ(x|z), which
    its ``likelihood`` object turns into a distribution over the D pixels.

    Parameters
    ----------
    latent_dim, output_dim : int
    hidden : sequence of int
        Widths of the hidden ReLU layers, in the decoder's order (e.g. ``(128,)``).
    likelihood : str or Likelihood
        A name of :data:`~ae_lib.LIKELIHOODS` ("bernoulli", "categorical", "beta_binomial",
        "gaussian", "autoregressive") or a likelihood object.
    dropout : float
    """

    def __init__(
        self,
        latent_dim: int,
        output_dim: int,
        hidden: Sequence[int] = (128,),
        likelihood: str | Likelihood = "bernoulli",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.latent_dim = check.positive_int("latent_dim", latent_dim)
        self.output_dim = check.positive_int("output_dim", output_dim)
        self.likelihood = make_likelihood(likelihood, self.output_dim)
        hidden = check.widths("hidden", hidden)
        width = self.output_dim * self.likelihood.params_per_pixel
        self.net = mlp((self.latent_dim, *hidden, width), "relu", dropout=dropout)

    def forward(self, Z: torch.Tensor) -> torch.Tensor:
        """Parameters of p_θ(x|z) for codes Z of shape (…, d): shape (…, D) or (…, D, p)."""
        return self.likelihood.reshape(self.net(Z))

    def codes(self, Z: Any) -> torch.Tensor:
        """Z as a finite tensor of the decoder's dtype whose last axis has ``latent_dim`` entries."""
        return check.as_tensor("Z", Z, self.net[0].weight.dtype, width=self.latent_dim, of="latent_dim")

    def distribution(self, Z: torch.Tensor) -> td.Distribution:
        """p_θ(x | z) for codes Z of shape (…, d) as a ``torch.distributions`` object with event shape (D,)."""
        return self.likelihood.distribution(self(self.codes(Z)))

    def mean(self, Z: torch.Tensor) -> torch.Tensor:
        """E[x | z] on the data's scale (probabilities, grey levels 0..16, or means), shape (…, D)."""
        return self.likelihood.mean(self(self.codes(Z)))

    def sample(self, Z: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        """One draw x ~ p_θ(x|z) per code of Z (shape (…, d)), shape (…, D)."""
        return self.likelihood.sample(self(self.codes(Z)), seed=seed)
