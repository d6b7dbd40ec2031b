"""Decoder likelihoods p_θ(x|z): the interface, and the Bernoulli, categorical and Gaussian families.

Thesis items: none numbered; what the chapter's section computes beyond the draft.

Decoder likelihoods p_θ(x | z): the interface, and the Bernoulli, categorical and Gaussian families.

A :class:`~ae_lib.ProbabilisticDecoder` maps a code z to ``D · params_per_pixel`` numbers;
its likelihood turns them into p_θ(x | z) over the D pixels (one event, a product over the
pixels, or the autoregressive chain of Definition 3.3.6) and knows the data it models:

=====================  ==============================  ======================  =============
likelihood             data x                          outputs per pixel       encoder reads
=====================  ==============================  ======================  =============
``bernoulli``          binary {0, 1}ᴰ                  1 logit                 x
``categorical``        grey levels {0, …, 16}ᴰ         17 logits               x / 16
``beta_binomial``      counts out of 16 (Def. 3.3.4)   2: α, β via softplus    x / 16
``gaussian``           real pixels                     2: mean, log-variance   x
``autoregressive``     binary, pixel i sees j < i      1 logit (+ W, D × D)    x
=====================  ==============================  ======================  =============

Each has ``log_prob(params, X)``, ``sample(params, seed=)`` and ``mean(params)`` for the
decoder's parameters of shape (…, D) (one per pixel) or (…, D, p) (``p = params_per_pixel``),
and ``check(X)`` for the data.  This module holds the interface and the three textbook
families; the beta-binomial and the autoregressive likelihood live beside their
distributions (:mod:`ae_lib.variational.beta_binomial`, :mod:`ae_lib.variational.sigmoid_belief`), and
:mod:`ae_lib.variational.vae` chooses one by name.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import distributions as td

from ..core import checks as check
from ..core.seeds import Seed, torch_gen

__all__ = ["N_LEVELS", "BernoulliLikelihood", "CategoricalLikelihood", "GaussianLikelihood", "Likelihood"]

#: Number of grey levels of the digits (0..16), the categories of the categorical decoder.
N_LEVELS = 17


class Likelihood(torch.nn.Module):
    """The common interface: p_θ(x | z) from the decoder's parameters of shape (…, D) or (…, D, p).

    Parameters
    ----------
    input_dim : int
        D, the number of pixels.
    """

    name = ""
    params_per_pixel = 1
    data_hint = ""  # what valid data are, for error messages

    def __init__(self, input_dim: int = 64) -> None:
        super().__init__()
        self.input_dim = check.positive_int("input_dim", input_dim)

    def reshape(self, out: torch.Tensor) -> torch.Tensor:
        """The decoder network's outputs, shape (…, D · p), as parameters: shape (…, D) for p = 1, else (…, D, p)."""
        if self.params_per_pixel == 1:
            return out
        return out.reshape(*out.shape[:-1], self.input_dim, self.params_per_pixel)

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        """p_θ(x | z) as a ``torch.distributions`` object with event shape (D,)."""
        raise NotImplementedError

    def log_prob(self, params: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """log p_θ(x | z) summed over the D pixels, shape (…,); X of shape (…, D) broadcasts."""
        return self.distribution(params).log_prob(X)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        """E[x|z] on the data's scale, shape (…, D)."""
        return self.distribution(params).mean

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        """One draw x ~ p_θ(x | z) per code, shape (…, D)."""
        raise NotImplementedError

    def encoder_input(self, X: torch.Tensor) -> torch.Tensor:
        """What the encoder reads for data X of shape (n, D): X itself unless the data are grey levels."""
        return X

    def check(self, X: Any, name: str = "X", dtype: torch.dtype = torch.float32) -> torch.Tensor:
        """X as a finite tensor of shape (n, D) in this likelihood's support, else an error naming ``name``."""
        X = check.as_tensor(name, X, dtype, ndim=2, width=self.input_dim, of="the model's input_dim")
        self.check_support(X, name)
        return X

    def check_support(self, X: torch.Tensor, name: str) -> None:
        """A ``ValueError`` naming ``name`` unless X (shape (n, D)) lies in the support (finite X: always)."""

    def extra_repr(self) -> str:
        return f"input_dim={self.input_dim}"


class BernoulliLikelihood(Likelihood):
    """Independent Bernoulli pixels: p_θ(x | z) = Π_i Bernoulli(x_i; σ(out_i)), x ∈ {0, 1}ᴰ."""

    name = "bernoulli"
    data_hint = "; binarise it, e.g. load_digits_split(kind='binary')"

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        return td.Independent(td.Bernoulli(logits=params), 1)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(params)

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        return torch.bernoulli(torch.sigmoid(params), generator=torch_gen(seed))

    def check_support(self, X: torch.Tensor, name: str) -> None:
        """A ``ValueError`` naming ``name`` unless X (shape (n, D)) is binary."""
        check.integer_levels(name, X, 2, f" for the {self.name} decoder{self.data_hint}")


class CategoricalLikelihood(Likelihood):
    """A free distribution over the 17 grey levels per pixel: 17 logits each."""

    name = "categorical"
    params_per_pixel = N_LEVELS
    data_hint = ", e.g. load_digits_split(kind='raw')"

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        return td.Independent(td.Categorical(logits=params), 1)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        return torch.softmax(params, dim=-1) @ torch.arange(
            N_LEVELS, dtype=params.dtype, device=params.device
        )

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        probs = torch.softmax(params, dim=-1)
        draws = torch.multinomial(probs.reshape(-1, N_LEVELS), 1, generator=torch_gen(seed))
        return draws.reshape(probs.shape[:-1]).to(params.dtype)

    def encoder_input(self, X: torch.Tensor) -> torch.Tensor:
        """X / 16 (shape (n, D)): grey levels scaled to [0, 1] for the encoder."""
        return X / (N_LEVELS - 1)

    def check_support(self, X: torch.Tensor, name: str) -> None:
        """A ``ValueError`` naming ``name`` unless X (shape (n, D)) holds grey levels 0..16."""
        check.integer_levels(name, X, N_LEVELS, f" for the {self.name} decoder{self.data_hint}")


class GaussianLikelihood(Likelihood):
    """Independent Gaussian pixels N(x_i; m_i, e^{v_i}) with (m_i, v_i) the two outputs of pixel i."""

    name = "gaussian"
    params_per_pixel = 2

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        return td.Independent(td.Normal(params[..., 0], torch.exp(0.5 * params[..., 1])), 1)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        return params[..., 0]

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        noise = torch.randn(params.shape[:-1], generator=torch_gen(seed), dtype=params.dtype)
        return params[..., 0] + torch.exp(0.5 * params[..., 1]) * noise
