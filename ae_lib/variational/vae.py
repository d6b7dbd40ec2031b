"""The VAE on one screen: encoder q_φ(z|x), reparameterisation, decoder, prior (Section 3.1).

Thesis items: Definition 3.1.1 (:obj:`~ae_lib.ProbabilisticDecoder`); Definition 3.1.3
(:obj:`~ae_lib.GaussianEncoder`); Proposition 3.1.6 (:obj:`~ae_lib.reparameterize`); Definition
3.1.8 (:obj:`~ae_lib.VAE`); Figure 3.6 (:obj:`~ae_lib.VAE`); Definition 3.3.5
(:obj:`~ae_lib.LatentPrior`).

The encoder q_φ(z|x) and the reparameterisation: Definition 3.1.3 and Proposition 3.1.6.

:class:`GaussianEncoder` maps x to the mean and log-variance of a diagonal Gaussian over the
code z; :func:`reparameterize` draws z = μ + σ ε so that gradients flow through the draw;
:func:`diagonal_gaussian` is q_φ(z|x) as a ``torch.distributions`` object, the one place
it is built (the encoder, the ELBO's KL term and the IWAE weights all use it).

The probabilistic decoder p_θ(x|z), and its likelihood chosen by name (Definition 3.1.1).

A :class:`ProbabilisticDecoder` is a network (Lemma 2.1.2) followed by one likelihood
object (:mod:`ae_lib.variational.likelihoods`, :class:`~ae_lib.BetaBinomialLikelihood`,
:class:`~ae_lib.AutoregressiveLikelihood`); :func:`make_likelihood` picks one by name from
:data:`LIKELIHOODS`.  The :class:`~ae_lib.VAE` holds it beside its encoder and its prior.

The prior p(z) of a VAE: the standard normal, or a learned mixture of Gaussians (Definition 3.3.5).

Definition 3.1.1 fixes p(z) = N(0, I).  Nothing in the ELBO (Theorem 3.1.4) or the IWAE
bound (Theorem 3.1.9) needs that choice; it only makes the KL term closed-form (Lemma 3.1.5).
A prior learned with the model,

    p_ψ(z) = Σ_{k=1}^K π_k N(z; m_k, diag s_k²),

lets the aggregate posterior of the training codes be matched instead of being squeezed into
one Gaussian; the KL term is then estimated by Monte Carlo :cite:p:`tomczak2018vae`.

The variational autoencoder: encoder, decoder and prior as three siblings (Definition 3.1.8).

A :class:`VAE` holds ``vae.encoder`` (a :class:`~ae_lib.GaussianEncoder`, q_φ(z|x)),
``vae.decoder`` (a :class:`~ae_lib.ProbabilisticDecoder`, p_θ(x|z): a network and one
:mod:`likelihood <ae_lib.variational.likelihoods>` object) and ``vae.prior`` (a
:class:`~ae_lib.LatentPrior`, p(z)).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import distributions as td

from ..core import checks as check
from ..core.seeds import Seed, forked_global_rng, seed_ints, torch_gen
from ..core.torch_nets import mlp
from .beta_binomial import BetaBinomialLikelihood
from .likelihoods import BernoulliLikelihood, CategoricalLikelihood, GaussianLikelihood, Likelihood
from .sigmoid_belief import AutoregressiveLikelihood

__all__ = [
    "LIKELIHOODS",
    "VAE",
    "GaussianEncoder",
    "LatentPrior",
    "ProbabilisticDecoder",
    "diagonal_gaussian",
    "make_likelihood",
    "reparameterize",
]


def reparameterize(
    mu: torch.Tensor, log_var: torch.Tensor, *, seed: Seed = 0, n_samples: int | None = None
) -> torch.Tensor:
    """z = μ + σ ⊙ ε with ε ~ N(0, I), σ = exp(log_var / 2) (Proposition 3.1.6).

    z is a differentiable function of (μ, log σ²); the noise ε carries all randomness.

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (n, d)
    seed : int, numpy.random.Generator or torch.Generator
        Source of ε (a generator is advanced).
    n_samples : int, optional
        Draw this many z per row: the result then has shape (n_samples, n, d).

    Returns
    -------
    torch.Tensor, shape (n, d) or (n_samples, n, d)
    """
    mu, log_var = check.gaussian_params(mu, log_var)
    shape = mu.shape if n_samples is None else (check.positive_int("n_samples", n_samples), *mu.shape)
    eps = torch.randn(shape, generator=torch_gen(seed), dtype=mu.dtype).to(
        mu.device
    )  # CPU draws: same everywhere
    return mu + torch.exp(0.5 * log_var) * eps


def diagonal_gaussian(mu: torch.Tensor, log_var: torch.Tensor) -> td.Distribution:
    """q_φ(z|x) = N(μ, diag σ²) as a distribution with event shape (d,).

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (n, d)

    Returns
    -------
    torch.distributions.Distribution
        Batch shape (n,), event shape (d,).
    """
    mu, log_var = check.gaussian_params(mu, log_var)
    return td.Independent(td.Normal(mu, torch.exp(0.5 * log_var)), 1)


class GaussianEncoder(torch.nn.Module):
    """q_φ(z|x) = N(μ_φ(x), diag σ²_φ(x)) (Definition 3.1.3).

    An encoder in the sense of Lemma 2.1.1 whose last layer outputs 2·d numbers: the mean
    μ_φ(x) and the log-variance log σ²_φ(x) of a diagonal Gaussian over the code z ∈ ℝᵈ.

    Parameters
    ----------
    input_dim, latent_dim : int
    hidden : sequence of int
        Widths of the hidden ReLU layers, e.g. ``(128,)``.
    dropout : float
        Dropout probability in [0, 1) after each hidden layer (training mode only).
    """

    def __init__(
        self, input_dim: int, latent_dim: int, hidden: Sequence[int] = (128,), dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.input_dim = check.positive_int("input_dim", input_dim)
        self.latent_dim = check.positive_int("latent_dim", latent_dim)
        hidden = check.widths("hidden", hidden)
        self.net = mlp((self.input_dim, *hidden, 2 * self.latent_dim), "relu", dropout=dropout)

    def forward(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ²), each of shape (n, d), for inputs X of shape (n, input_dim)."""
        out = self.net(X)
        return out[..., : self.latent_dim], out[..., self.latent_dim :]

    def distribution(self, X: torch.Tensor) -> td.Distribution:
        """q_φ(z | x) for each row of X (shape (n, input_dim)): batch shape (n,), event shape (d,)."""
        X = check.as_tensor("X", X, self.net[0].weight.dtype, width=self.input_dim, of="input_dim")
        return diagonal_gaussian(*self(X))


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
        return self.decoder.mean(reparameterize(mu, log_var, seed=seed))

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
