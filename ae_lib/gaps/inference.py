"""The gaps of the bound: per-image posterior optimisation, and the approximation and amortisation gaps.

Thesis items: none numbered; what the chapter's section computes beyond the draft (book boxes:
Definition 5.1.1 (:obj:`~ae_lib.optimise_posterior`); Definition 5.1.2
(:obj:`~ae_lib.inference_gaps`); Proposition 5.1.3 (:obj:`~ae_lib.InferenceGaps`)).

A VAE is judged by log p_θ(x) but trained on the ELBO of its encoder's q_φ(z|x).  The
difference splits in two (Cremer, Li and Duvenaud, 2018):

    log p_θ(x) − ELBO(q_φ; x) = [log p_θ(x) − ELBO(q*; x)] + [ELBO(q*; x) − ELBO(q_φ; x)],

where q*_x is the best diagonal Gaussian for the one image x.  The first bracket, the
*approximation gap*, is what the Gaussian family costs; the second, the *amortisation gap*,
what one encoder network for all images costs.  :func:`optimise_posterior` finds q*_x by Adam,
:func:`log_weights` gives the importance weights of any diagonal Gaussian q, and
:func:`inference_gaps` puts the decomposition together.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..core import checks as check
from ..core.seeds import Seed, torch_gen
from ..variational.vae import VAE, diagonal_gaussian, reparameterize

__all__ = ["InferenceGaps", "choose_steps", "inference_gaps", "log_weights", "optimise_posterior"]


def _model_and_data(model: Any, X: Any, name: str = "X") -> tuple[VAE, torch.Tensor]:
    model = check.instance("model", model, VAE)
    return model, model.likelihood.check(X, name, model.dtype)


def _q_params(model: VAE, X: torch.Tensor, mu: Any, log_var: Any) -> tuple[torch.Tensor, torch.Tensor]:
    shape = (X.shape[0], model.latent_dim)
    out = []
    for name, value in (("mu", mu), ("log_var", log_var)):
        t = check.as_tensor(name, value, model.dtype, ndim=2)
        if tuple(t.shape) != shape:
            raise ValueError(f"{name} must have shape (n, d) = {shape}, got {tuple(t.shape)}")
        out.append(t)
    return out[0], out[1]


def _log_w(
    model: VAE, X: torch.Tensor, mu: torch.Tensor, log_var: torch.Tensor, Z: torch.Tensor
) -> torch.Tensor:
    """log p_θ(x|z) + log p(z) − log q(z) at codes Z of shape (S, n, d): shape (S, n)."""
    return (
        model.likelihood.log_prob(model.decoder(Z), X)
        + model.prior.distribution().log_prob(Z)
        - diagonal_gaussian(mu, log_var).log_prob(Z)
    )


@torch.no_grad()
def log_weights(
    model: VAE, X: Any, mu: Any, log_var: Any, k: int, *, seed: Seed = 0, max_rows: int = 20_000
) -> torch.Tensor:
    """Importance weights log w_j = log p_θ(x, z_j) − log q(z_j), z_j ~ q = N(μ, diag σ²), per image.

    Their mean over j is an unbiased estimate of ELBO(q; x) (Theorem 3.1.4), and
    log (1/k) Σ_j w_j one draw of L_k(x) with proposal q (Theorem 3.1.9).  The model is
    evaluated in eval mode (no dropout) and left in the mode it was in.

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood``.
    mu, log_var : array or tensor, shape (n, d)
        The Gaussian q of each image: an encoder's output or :func:`optimise_posterior`'s.
    k : int
        Draws per image, k ≥ 1.
    seed : int, numpy.random.Generator or torch.Generator
    max_rows : int
        Draws are decoded in chunks of at most ``max_rows`` codes (memory).

    Returns
    -------
    torch.Tensor, shape (k, n)
    """
    model, X = _model_and_data(model, X)
    mu, log_var = _q_params(model, X, mu, log_var)
    k = check.positive_int("k", k)
    max_rows = check.positive_int("max_rows", max_rows)
    gen, chunk = torch_gen(seed), max(1, max_rows // X.shape[0])
    was_training = model.training
    model.eval()
    try:
        out = [
            _log_w(model, X, mu, log_var, reparameterize(mu, log_var, seed=gen, n_samples=min(chunk, k - s)))
            for s in range(0, k, chunk)
        ]
    finally:
        model.train(was_training)
    return torch.cat(out)


def _ascend(
    model: VAE, X: torch.Tensor, steps: int, lr: float, n_samples: int, gen: torch.Generator
) -> Iterator[tuple[int, torch.Tensor, torch.Tensor]]:
    """Adam on (μ, log σ²) of every image from the encoder's output; yields (t, μ, log σ²) for t = 0..steps."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            mu0, lv0 = model.encoder(model.likelihood.encoder_input(X))
        mu, lv = mu0.clone().requires_grad_(True), lv0.clone().requires_grad_(True)
        opt = torch.optim.Adam([mu, lv], lr=lr)
        yield 0, mu.detach().clone(), lv.detach().clone()
        for t in range(1, steps + 1):
            Z = reparameterize(mu, lv, seed=gen, n_samples=n_samples)
            # −Σ_i ELBO_i: each image's (μ_i, log σ²_i) gets its own gradient, and Adam scales per coordinate.
            try:
                loss = -_log_w(model, X, mu, lv, Z).mean(0).sum()
            except ValueError as err:  # torch.distributions refusing a NaN or a zero scale after a step
                if t == 1:
                    raise
                raise check.diverged("the posterior optimisation became non-finite", t - 1, None, lr) from err
            mu.grad, lv.grad = torch.autograd.grad(loss, [mu, lv])
            opt.step()
            if not (torch.isfinite(loss) and torch.isfinite(mu).all() and torch.isfinite(lv).all()):
                raise check.diverged("the posterior optimisation became non-finite", t, None, lr)
            yield t, mu.detach().clone(), lv.detach().clone()
    finally:
        model.train(was_training)


def _ascent_args(steps: Any, lr: Any, n_samples: Any) -> tuple[int, float, int]:
    steps, lr = check.positive_int("steps", steps, minimum=0), check.positive_float("lr", lr)
    return steps, lr, check.positive_int("n_samples", n_samples)


def optimise_posterior(
    model: VAE, X: Any, *, steps: int, lr: float = 0.01, n_samples: int = 8, seed: Seed = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """The best diagonal Gaussian q*_x = argmax_q ELBO(q; x) of each image, by Adam (Definition 5.1.1).

    For each row x of X, starting from the encoder's (μ_φ(x), log σ²_φ(x)), ``steps`` Adam
    steps ascend the Monte-Carlo ELBO

        ELBO(q; x) ≈ (1/S) Σ_s [log p_θ(x | z_s) + log p(z_s) − log q(z_s)],  z_s = μ + σ ⊙ ε_s,

    with S = ``n_samples`` reparameterised draws (Proposition 3.1.6) per step, over
    (μ, log σ²) ∈ ℝ^{2d} of that image alone; the decoder and prior stay fixed (eval mode).
    Every image is optimised at once, each with its own parameters.

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood``.
    steps : int
        Number of Adam steps, ≥ 0 (0 returns the encoder's output); choose it on validation
        images (:func:`choose_steps`).
    lr : float
        Adam's step size, > 0.
    n_samples : int
        Draws per image and step, ≥ 1.
    seed : int, numpy.random.Generator or torch.Generator
        Source of the draws.

    Returns
    -------
    mu, log_var : torch.Tensor, shape (n, d)
        Raises :class:`~ae_lib.TrainingDiverged` when they become non-finite (try a smaller ``lr``).
    """
    model, X = _model_and_data(model, X)
    steps, lr, n_samples = _ascent_args(steps, lr, n_samples)
    gen = torch_gen(seed)
    *_, (_, mu, log_var) = _ascend(model, X, steps, lr, n_samples, gen)  # the last step's q
    return mu, log_var


def choose_steps(
    model: VAE,
    X_val: Any,
    candidates: Sequence[int],
    *,
    lr: float = 0.01,
    n_samples: int = 8,
    k_eval: int = 100,
    tol: float = 0.02,
    seed: Seed = 0,
) -> tuple[int, list[tuple[int, float]]]:
    """The number of Adam steps for :func:`optimise_posterior`, chosen on validation images.

    One optimisation of every validation image runs to ``max(candidates)`` steps; at each
    candidate its mean ELBO over X_val is estimated from ``k_eval`` draws per image (the same
    draws' noise ε for every candidate, so that differences are not noise).  The choice is
    the fewest steps whose mean ELBO lies within ``tol`` nats of the best candidate's.

    Parameters
    ----------
    model : VAE
    X_val : array or tensor, shape (n, D)
        Validation images, never test images.
    candidates : sequence of int
        Step counts ≥ 0, at least one.
    lr, n_samples : float, int
    k_eval : int
        Draws per image for each ELBO estimate, ≥ 1.
    tol : float
        ≥ 0, nats per image.
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    steps : int
    val_elbo : list of (int, float)
        Each candidate (ascending) with its mean validation ELBO in nats per image.
    """
    model, X = _model_and_data(model, X_val, "X_val")
    if isinstance(candidates, (str, bytes)) or not isinstance(candidates, Sequence):
        raise TypeError(f"candidates must be a sequence of ints, got {type(candidates).__name__}")
    if not candidates:
        raise ValueError("candidates must hold at least one number of steps")
    cands = sorted({check.positive_int(f"candidates[{i}]", c, minimum=0) for i, c in enumerate(candidates)})
    _, lr, n_samples = _ascent_args(0, lr, n_samples)
    k_eval = check.positive_int("k_eval", k_eval)
    tol = check.nonneg_float("tol", tol)
    gen = torch_gen(seed)
    eval_seed = int(torch.randint(2**32, (1,), generator=gen))
    scores = []
    for t, mu, log_var in _ascend(model, X, cands[-1], lr, n_samples, gen):
        if t in cands:
            elbo = log_weights(model, X, mu, log_var, k_eval, seed=eval_seed).mean()
            scores.append((t, float(elbo)))
    best = max(s for _, s in scores)
    return next(t for t, s in scores if s >= best - tol), scores


@dataclass(frozen=True)
class InferenceGaps:
    """log p_θ(x) − ELBO(q_φ; x) = approximation gap + amortisation gap, per image (Proposition 5.1.3).

    All values are in nats, one per test image, from :func:`inference_gaps`.  With q⋆ₓ the
    optimised Gaussian of image x: ``approximation = log_px − elbo_optimal`` estimates
    KL(q⋆ₓ ‖ p_θ(z | x)) ≥ 0, ``amortisation = elbo_optimal − elbo_encoder`` estimates
    KL(q_φ ‖ p_θ(z | x)) − KL(q⋆ₓ ‖ p_θ(z | x)) ≥ 0, and ``total`` is their sum.  Since
    ``log_px`` is an importance-weighted bound, E[log_px] ≤ log p_θ(x): the approximation gap
    and the total gap are estimates of lower bounds on the true gaps.

    Attributes
    ----------
    elbo_encoder : numpy.ndarray, shape (n,)
        ELBO(q_φ(z | x); x), the mean of k importance weights of the encoder's q.
    elbo_optimal : numpy.ndarray, shape (n,)
        ELBO(q*_x; x), the mean of k importance weights of the optimised q.
    log_px : numpy.ndarray, shape (n,)
        log p_θ(x) estimated by importance sampling from the mixture ½ q_φ + ½ q*_x (k draws
        from each): the log of an unbiased estimate of p_θ(x), so E[log_px] ≤ log p_θ(x).
    ks : numpy.ndarray, shape (m,)
        The numbers of importance samples of the convergence curves, ascending, the last = k.
    iwae_encoder, iwae_optimal : numpy.ndarray, shape (m, n)
        L_{ks[i]}(x) with proposal q_φ and with q*_x: for each ks[i], the mean of the
        k // ks[i] estimates from disjoint blocks of the k draws.
    steps : int
        Adam steps of :func:`optimise_posterior`.
    """

    elbo_encoder: np.ndarray
    elbo_optimal: np.ndarray
    log_px: np.ndarray
    ks: np.ndarray
    iwae_encoder: np.ndarray
    iwae_optimal: np.ndarray
    steps: int

    @property
    def approximation(self) -> np.ndarray:
        """log p_θ(x) − ELBO(q*_x; x), shape (n,)."""
        return self.log_px - self.elbo_optimal

    @property
    def amortisation(self) -> np.ndarray:
        """ELBO(q*_x; x) − ELBO(q_φ; x), shape (n,)."""
        return self.elbo_optimal - self.elbo_encoder

    @property
    def total(self) -> np.ndarray:
        """log p_θ(x) − ELBO(q_φ; x) = approximation + amortisation, shape (n,)."""
        return self.log_px - self.elbo_encoder


def _block_iwae(log_w: torch.Tensor, ks: list[int]) -> np.ndarray:
    """For each k of ``ks``: L_k per image averaged over the disjoint blocks of k draws, shape (len(ks), n)."""
    rows = []
    for k in ks:
        blocks = log_w[: (log_w.shape[0] // k) * k].reshape(-1, k, log_w.shape[1])
        rows.append((torch.logsumexp(blocks, dim=1) - math.log(k)).mean(0))
    return torch.stack(rows).double().numpy()


@torch.no_grad()
def _weights_and_mixture(
    model: VAE,
    X: torch.Tensor,
    qs: list[tuple[torch.Tensor, torch.Tensor]],
    i: int,
    k: int,
    gen: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """k draws from qs[i]: log p(x, z) − log qs[i](z) and log p(x, z) − log mean_j qs[j](z), each (k, n)."""
    mu, log_var = qs[i]
    chunk, out, mix = max(1, 20_000 // X.shape[0]), [], []
    for s in range(0, k, chunk):
        Z = reparameterize(mu, log_var, seed=gen, n_samples=min(chunk, k - s))
        joint = model.likelihood.log_prob(model.decoder(Z), X) + model.prior.distribution().log_prob(Z)
        log_q = torch.stack([diagonal_gaussian(m, v).log_prob(Z) for m, v in qs])
        out.append(joint - log_q[i])
        mix.append(joint - (torch.logsumexp(log_q, dim=0) - math.log(len(qs))))
    return torch.cat(out), torch.cat(mix)


def inference_gaps(
    model: VAE,
    X: Any,
    *,
    k: int,
    steps: int,
    lr: float = 0.01,
    n_samples: int = 8,
    ks: Sequence[int] | None = None,
    seed: Seed = 0,
) -> InferenceGaps:
    """The approximation and amortisation gaps of a VAE on each image of X (Definition 5.1.2).

    With q_φ the encoder's Gaussian and q*_x = :func:`optimise_posterior`'s (``steps`` Adam
    steps from q_φ), the **amortisation gap** of x is ELBO(q*_x; x) − ELBO(q_φ; x) and the
    **approximation gap** log p_θ(x) − ELBO(q*_x; x) (Cremer, Li and Duvenaud, 2018).  Each ELBO
    is the mean of the k importance weights log p_θ(x, z_j) − log q(z_j) (:func:`log_weights`),
    and log p_θ(x) by the importance-weighted estimate of Theorem 3.1.9 with the
    2k draws of both and the proposal ½ q_φ + ½ q*_x (a defensive mixture: each draw is
    weighted by p_θ(x, z) / (½ q_φ(z) + ½ q*_x(z)), whose mean is unbiased for p_θ(x)).

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood``.
    k : int
        Importance samples per image and proposal, ≥ 1.
    steps : int
        Adam steps, ≥ 0, chosen on validation images (:func:`choose_steps`).
    lr, n_samples : float, int
        As in :func:`optimise_posterior`.
    ks : sequence of int, optional
        Numbers of samples for the convergence curves, each in [1, k]; default 1, 10, 100, …
        below k, and k.
    seed : int, numpy.random.Generator or torch.Generator
        Source of the optimisation's draws and of the importance samples.

    Returns
    -------
    InferenceGaps
    """
    model, X = _model_and_data(model, X)
    k = check.positive_int("k", k)
    steps, lr, n_samples = _ascent_args(steps, lr, n_samples)
    if ks is None:
        ks = [10**i for i in range(int(math.log10(k)) + 1) if 10**i < k] + [k]
    elif isinstance(ks, (str, bytes)) or not isinstance(ks, Sequence) or not ks:
        raise TypeError(f"ks must be a non-empty sequence of ints, got {ks!r}")
    sizes = sorted({check.positive_int(f"ks[{i}]", v) for i, v in enumerate(ks)} | {k})
    if sizes[-1] > k:
        raise ValueError(f"ks must lie in [1, k] = [1, {k}], got {sizes[-1]}")
    gen = torch_gen(seed)
    mu, log_var = optimise_posterior(model, X, steps=steps, lr=lr, n_samples=n_samples, seed=gen)
    was_training = model.training
    model.eval()  # no dropout
    try:
        with torch.no_grad():
            qs = [model.encoder(model.likelihood.encoder_input(X)), (mu, log_var)]
        w_enc, mix_enc = _weights_and_mixture(model, X, qs, 0, k, gen)
        w_opt, mix_opt = _weights_and_mixture(model, X, qs, 1, k, gen)
    finally:
        model.train(was_training)
    # The 2k draws, k from each q, weighted by the mixture ½ q_φ + ½ q*: an unbiased estimate of p(x).
    log_px = torch.logsumexp(torch.cat([mix_enc, mix_opt]), dim=0) - math.log(2 * k)
    return InferenceGaps(
        elbo_encoder=w_enc.mean(0).double().numpy(),
        elbo_optimal=w_opt.mean(0).double().numpy(),
        log_px=log_px.double().numpy(),
        ks=np.array(sizes),
        iwae_encoder=_block_iwae(w_enc, sizes),
        iwae_optimal=_block_iwae(w_opt, sizes),
        steps=steps,
    )
