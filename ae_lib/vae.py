"""The variational autoencoder: encoder q_φ(z|x), decoder p_θ(x|z) and the reparameterisation.

Definitions 3.1.1 (latent-variable model, :class:`ProbabilisticDecoder`), 3.1.3 (Gaussian variational
family, :class:`GaussianEncoder`), Proposition 3.1.6 (:func:`reparameterize`) and
Definition 3.1.8 (:class:`VAE`).  Three decoder likelihoods, all through
``torch.distributions`` with the D = 64 pixels as one event:

``"bernoulli"``    binarised pixels x ∈ {0, 1}ᴰ, decoder output: logits (…, D);
``"categorical"``  grey levels x ∈ {0, …, 16}ᴰ, decoder output: logits (…, D, 17);
``"beta_binomial"`` grey levels as counts out of 16 (Definition 3.3.4), decoder output
                   (…, D, 2): α and β through a softplus;
``"gaussian"``     real pixels, decoder output (…, D, 2): mean and log-variance.
"""

from __future__ import annotations

from typing import Literal, Sequence

import torch
from torch import distributions as td

from ._checks import positive_int
from .beta_binomial import BetaBinomial
from .priors import LatentPrior
from .sigmoid_belief import AutoregressiveBernoulli

__all__ = ["LIKELIHOODS", "N_LEVELS", "GREY_LEVELS", "check_vae_data", "reparameterize", "GaussianEncoder", "ProbabilisticDecoder", "VAE"]

#: The decoder likelihoods a :class:`VAE` offers.
LIKELIHOODS = ("bernoulli", "categorical", "beta_binomial", "gaussian")
#: Number of grey levels of the digits (0..16), the categories of the categorical decoder.
N_LEVELS = 17
#: The likelihoods whose data are grey levels 0..16.
GREY_LEVELS = ("categorical", "beta_binomial")
_EPS = 1e-4  # floor of the beta-binomial's α, β: keeps log B(α, β) finite

Likelihood = Literal["bernoulli", "categorical", "beta_binomial", "gaussian"]


def _likelihood(name: str) -> str:
    if name not in LIKELIHOODS:
        raise ValueError(f"likelihood must be one of {LIKELIHOODS}, got {name!r}")
    return name


def check_vae_data(x: torch.Tensor, likelihood: str) -> torch.Tensor:
    """``x`` as a float tensor if it is valid data for ``likelihood``, else a ``ValueError``.

    Bernoulli data must be 0 or 1, categorical and beta-binomial data integers in 0..16,
    Gaussian data finite.
    """
    x = torch.as_tensor(x, dtype=torch.float32)
    if not torch.isfinite(x).all():
        raise ValueError("x must be finite, but contains NaN or inf")
    if _likelihood(likelihood) == "bernoulli" and not ((x == 0) | (x == 1)).all():
        raise ValueError("x must be binary (0 or 1) for the Bernoulli decoder; binarise it, "
                         "e.g. load_digits_split(kind='binary')")
    if likelihood in GREY_LEVELS and not ((x == x.round()) & (x >= 0) & (x < N_LEVELS)).all():
        raise ValueError(f"x must hold integers in 0..{N_LEVELS - 1} for the "
                         f"{likelihood} decoder, e.g. load_digits_split(kind='raw')")
    return x


def reparameterize(mu: torch.Tensor, log_var: torch.Tensor, generator: torch.Generator | None = None,
                   n_samples: int | None = None) -> torch.Tensor:
    """z = μ + σ ⊙ ε with ε ~ N(0, I), σ = exp(log_var / 2) (Proposition 3.1.6).

    z is a differentiable function of (μ, log σ²); the noise ε carries all randomness.

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (n, d)
    generator : torch.Generator, optional
        Source of ε.
    n_samples : int, optional
        Draw this many z per row: the result then has shape (n_samples, n, d).

    Returns
    -------
    torch.Tensor, shape (n, d) or (n_samples, n, d)
    """
    shape = mu.shape if n_samples is None else (positive_int("n_samples", n_samples), *mu.shape)
    eps = torch.randn(shape, generator=generator, dtype=mu.dtype)
    return mu + torch.exp(0.5 * log_var) * eps


def _mlp(sizes: Sequence[int], dropout: float) -> torch.nn.Sequential:
    layers: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
    return torch.nn.Sequential(*layers)


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
        Dropout probability after each hidden layer (active in training mode only).
    """

    def __init__(self, input_dim: int, latent_dim: int, hidden: Sequence[int] = (128,),
                 dropout: float = 0.0) -> None:
        super().__init__()
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.net = _mlp([positive_int("input_dim", input_dim), *hidden, 2 * self.latent_dim], dropout)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ²), each of shape (n, d), for inputs x of shape (n, D)."""
        out = self.net(x)
        return out[..., : self.latent_dim], out[..., self.latent_dim:]

    def distribution(self, x: torch.Tensor) -> td.Distribution:
        """q_φ(· | x) as a ``torch.distributions`` object with event shape (d,)."""
        mu, log_var = self(x)
        return td.Independent(td.Normal(mu, torch.exp(0.5 * log_var)), 1)


class ProbabilisticDecoder(torch.nn.Module):
    """The latent-variable model p_θ(x) = ∫ p_θ(x|z) p(z) dz with p(z) = N(0, I) (Definition 3.1.1).

    A decoder network (Lemma 2.1.2) maps a code z to the parameters of p_θ(x|z), a product
    over the D pixels of Bernoulli, 17-category, beta-binomial or Gaussian factors.

    Parameters
    ----------
    latent_dim, output_dim : int
    hidden : sequence of int
        Widths of the hidden ReLU layers, in the decoder's order (e.g. ``(128,)``).
    likelihood : {"bernoulli", "categorical", "beta_binomial", "gaussian"}
    dropout : float
    prior_components : int
        1: p(z) = N(0, I) as in Definition 3.1.1; K > 1: a learned mixture of K Gaussians
        (Definition 3.3.5, :class:`~ae_lib.LatentPrior`).
    autoregressive : bool
        Bernoulli only: pixel i also sees the pixels j < i, p_θ(x|z) =
        Π_i Bernoulli(x_i; σ(f_θ(z)_i + Σ_{j<i} W_ji x_j)) (Definition 3.3.6); W starts at 0.
    """

    def __init__(self, latent_dim: int, output_dim: int, hidden: Sequence[int] = (128,),
                 likelihood: Likelihood = "bernoulli", dropout: float = 0.0, prior_components: int = 1,
                 autoregressive: bool = False) -> None:
        super().__init__()
        self.likelihood = _likelihood(likelihood)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.output_dim = positive_int("output_dim", output_dim)
        self._per_pixel = {"bernoulli": 1, "categorical": N_LEVELS, "beta_binomial": 2, "gaussian": 2}[likelihood]
        self.net = _mlp([self.latent_dim, *hidden, self.output_dim * self._per_pixel], dropout)
        self.latent_prior = LatentPrior(self.latent_dim, prior_components)
        self.autoregressive = bool(autoregressive)
        if self.autoregressive:
            if likelihood != "bernoulli":
                raise ValueError(f"autoregressive=True needs likelihood='bernoulli', got {likelihood!r}")
            self.ar_weights = torch.nn.Parameter(torch.zeros(self.output_dim, self.output_dim))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Parameters of p_θ(x|z) for codes z of shape (…, d); see the module docstring."""
        out = self.net(z)
        if self.likelihood == "bernoulli":
            return out
        return out.reshape(*out.shape[:-1], self.output_dim, self._per_pixel)

    def distribution(self, z: torch.Tensor) -> td.Distribution:
        """p_θ(· | z) as a ``torch.distributions`` object with event shape (D,)."""
        params = self(z)
        if self.autoregressive:
            return AutoregressiveBernoulli(params, self.ar_weights)
        if self.likelihood == "bernoulli":
            base = td.Bernoulli(logits=params)
        elif self.likelihood == "categorical":
            base = td.Categorical(logits=params)
        elif self.likelihood == "beta_binomial":
            alpha, beta = torch.nn.functional.softplus(params).unbind(-1)
            base = BetaBinomial(N_LEVELS - 1, alpha + _EPS, beta + _EPS)
        else:
            base = td.Normal(params[..., 0], torch.exp(0.5 * params[..., 1]))
        return td.Independent(base, 1)

    def mean(self, z: torch.Tensor) -> torch.Tensor:
        """E[x | z] on the data's scale (probabilities, grey levels 0..16, or means), shape (…, D).

        With ``autoregressive=True`` the mean-field approximation of
        :attr:`AutoregressiveBernoulli.mean <ae_lib.AutoregressiveBernoulli.mean>`.
        """
        if self.autoregressive:
            return self.distribution(z).mean
        params = self(z)
        if self.likelihood == "bernoulli":
            return torch.sigmoid(params)
        if self.likelihood == "categorical":
            levels = torch.arange(N_LEVELS, dtype=params.dtype)
            return torch.softmax(params, dim=-1) @ levels
        if self.likelihood == "beta_binomial":
            return self.distribution(z).base_dist.mean
        return params[..., 0]

    def prior(self) -> td.Distribution:
        """p(z) on ℝᵈ: N(0, I), or the learned mixture if ``prior_components > 1``."""
        return self.latent_prior.distribution()


class VAE(torch.nn.Module):
    """A variational autoencoder: encoder q_φ(z|x) and decoder p_θ(x|z) (Definition 3.1.8).

    Trained by maximising the ELBO (Theorem 3.1.4) over θ and φ together; see
    :func:`~ae_lib.negative_elbo` and :func:`~ae_lib.vae_loss`.

    Parameters
    ----------
    input_dim : int
        D, the number of pixels (64).
    latent_dim : int
        d ≥ 1, the dimension of the code z.
    hidden : sequence of int
        Encoder hidden widths; the decoder uses them in reverse.
    likelihood : {"bernoulli", "categorical", "beta_binomial", "gaussian"}
    dropout : float
    prior_components : int
        1 for p(z) = N(0, I); K > 1 for a learned mixture prior (Definition 3.3.5).
    autoregressive : bool
        Bernoulli only: the autoregressive decoder of Definition 3.3.6.
    seed : int, optional
        Seeds the initial weights (``torch.manual_seed`` is not touched).
    """

    def __init__(self, input_dim: int = 64, latent_dim: int = 2, hidden: Sequence[int] = (128,),
                 likelihood: Likelihood = "bernoulli", dropout: float = 0.0, prior_components: int = 1,
                 autoregressive: bool = False, seed: int | None = 0) -> None:
        super().__init__()
        hidden = [positive_int("hidden width", h) for h in hidden]
        with torch.random.fork_rng(enabled=seed is not None):
            if seed is not None:
                torch.manual_seed(seed)
            self.encoder = GaussianEncoder(input_dim, latent_dim, hidden, dropout)
            self.decoder = ProbabilisticDecoder(latent_dim, input_dim, hidden[::-1], likelihood, dropout,
                                                prior_components, autoregressive)
        self.likelihood = self.decoder.likelihood
        self.latent_dim = self.encoder.latent_dim

    def encoder_input(self, x: torch.Tensor) -> torch.Tensor:
        """What the encoder sees: x itself, or x / 16 for grey levels."""
        return x / (N_LEVELS - 1) if self.likelihood in GREY_LEVELS else x

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ_φ(x), log σ²_φ(x)), each of shape (n, d), for data x of shape (n, D)."""
        return self.encoder(self.encoder_input(torch.as_tensor(x, dtype=torch.float32)))

    def reparameterize(self, mu: torch.Tensor, log_var: torch.Tensor,
                       generator: torch.Generator | None = None) -> torch.Tensor:
        """A code z ~ q_φ(z|x) as μ + σ ε (see :func:`~ae_lib.reparameterize`)."""
        return reparameterize(mu, log_var, generator)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Parameters of p_θ(x|z), see :meth:`ProbabilisticDecoder.forward`."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """E[x̂ | z] for one code z ~ q_φ(z|x): a stochastic reconstruction, shape (n, D)."""
        mu, log_var = self.encode(x)
        return self.decoder.mean(self.reparameterize(mu, log_var, generator))

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """E[x̂ | z = μ_φ(x)]: the deterministic reconstruction through the mean code, shape (n, D)."""
        return self.decoder.mean(self.encode(x)[0])

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, *, mean: bool = True) -> torch.Tensor:
        """n draws z ~ p(z), decoded: E[x|z] if ``mean`` else x ~ p_θ(x|z); shape (n, D)."""
        z = self.decoder.latent_prior.sample(n, generator)
        if mean:
            return self.decoder.mean(z)
        if self.decoder.autoregressive:
            return self.decoder.distribution(z).sample(generator=generator)
        params = self.decoder(z)
        if self.likelihood == "bernoulli":
            return torch.bernoulli(torch.sigmoid(params), generator=generator)
        if self.likelihood == "categorical":
            probs = torch.softmax(params, dim=-1).reshape(-1, N_LEVELS)
            return torch.multinomial(probs, 1, generator=generator).reshape(n, -1).float()
        if self.likelihood == "beta_binomial":
            return self.decoder.distribution(z).base_dist.sample(generator=generator)
        noise = torch.randn(params.shape[:-1], generator=generator)
        return params[..., 0] + torch.exp(0.5 * params[..., 1]) * noise
