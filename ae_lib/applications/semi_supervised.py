"""The semi-supervised VAE M2: labels as a partly observed latent variable (Section 4.5).

Thesis items: Definition 4.5.1 (:obj:`~ae_lib.M2`).

Section 4.4 trained a VAE without labels and fitted a classifier on its codes afterwards;
nothing in the ELBO asked the codes to separate the classes.  Model M2 of Kingma, Rezende,
Mohamed and Welling, "Semi-supervised learning with deep generative models" (2014), makes
the class y ∈ {0, …, K−1} a latent variable of the model,

    p(y) = 1/K,   p(z) = N(0, I),   p_θ(x | y, z)  (a decoder reading (z, one-hot y)),

observed for the few labelled images and summed out for the others, with two inference
networks: q_φ(z | x, y) (a Gaussian encoder reading (x, one-hot y)) and q_φ(y | x) (a
classifier).  Its bounds, in nats per image:

    −L(x, y) = E_{q_φ(z|x,y)}[log p_θ(x | y, z)] + log p(y) − KL(q_φ(z|x,y) ‖ N(0, I)),
    U(x)     = Σ_y q_φ(y | x) (−L(x, y)) + H(q_φ(y | x))        (both ≤ log p_θ(x, y), log p_θ(x)),

and the objective to minimise adds the classifier's cross-entropy on the labelled images,

    J^α = Σ_{(x,y) labelled} L(x, y) + Σ_{x unlabelled} (−U(x)) + α · E_{labelled}[−log q_φ(y | x)].

The classifier learns from the unlabelled images through U: it is rewarded for putting its
mass on the classes whose decoder explains x best.  :func:`train_m2` trains with
:func:`~ae_lib.fit` on minibatches that mix both kinds (the label −1 marks an unlabelled
image); :func:`m2_accuracy` measures the classifier q_φ(y|x) on test images.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from ..core import checks as check
from ..core.seeds import Seed, forked_global_rng, seed_ints, torch_gen
from ..core.torch_nets import mlp
from ..core.training import fit
from ..variational.elbo import gaussian_kl
from ..variational.likelihoods import CategoricalLikelihood, Likelihood
from ..variational.vae import make_likelihood, reparameterize

__all__ = ["M2", "m2_accuracy", "m2_loss", "train_m2"]


class M2(torch.nn.Module):
    """Kingma et al.'s M2: p(y) p(z) p_θ(x|y,z) with q_φ(z|x,y) and q_φ(y|x) (Definition 4.5.1).

    Parameters
    ----------
    input_dim : int
        D, the number of pixels (64).
    n_classes : int
        K ≥ 2.
    latent_dim : int
        d, the dimension of z.
    hidden : sequence of int
        Hidden ReLU widths of the classifier and of the encoder (the decoder reverses them),
        e.g. ``(128,)``.
    likelihood : str or Likelihood
        The decoder family, as for :class:`~ae_lib.VAE` ("categorical" on grey levels 0..16,
        "bernoulli" on binary pixels, ...).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the initial weights; torch's global generator is left as it was.

    Notes
    -----
    Every bound is one Monte-Carlo draw per image; :meth:`class_bounds` uses the same noise
    ε for all K labels (common random numbers), so that its row y equals
    :meth:`labelled_bound` for that label with the same seed.
    """

    def __init__(
        self,
        input_dim: int = 64,
        n_classes: int = 10,
        latent_dim: int = 8,
        hidden: Sequence[int] = (128,),
        likelihood: str | Likelihood = "categorical",
        seed: Seed = 0,
    ) -> None:
        super().__init__()
        self.input_dim = check.positive_int("input_dim", input_dim)
        self.n_classes = check.positive_int("n_classes", n_classes, minimum=2)
        self.latent_dim = check.positive_int("latent_dim", latent_dim)
        hidden = check.widths("hidden", hidden)
        self.likelihood = make_likelihood(likelihood, self.input_dim)
        (init,) = seed_ints(seed, 1)
        D, K, d = self.input_dim, self.n_classes, self.latent_dim
        with forked_global_rng(init):
            self.classifier = mlp((D, *hidden, K), "relu")  # logits of q_φ(y|x)
            self.encoder = mlp((D + K, *hidden, 2 * d), "relu")  # (μ, log σ²) of q_φ(z|x,y)
            self.decoder = mlp((d + K, *hidden[::-1], D * self.likelihood.params_per_pixel), "relu")
        self.val_accuracy: list[float] = []  # filled by train_m2 when given validation data

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the weights (float32 unless converted)."""
        return self.classifier[0].weight.dtype

    def check_data(self, X: Any, name: str = "X") -> torch.Tensor:
        """X (shape (n, D)) as a tensor if it is valid data for the likelihood (:func:`~ae_lib.fit` calls it)."""
        return self.likelihood.check(X, name, self.dtype)

    def check_labels(self, y: Any, n: int, name: str = "y") -> torch.Tensor:
        """y as a long tensor of shape (n,) with entries in {0, …, K−1}, else an error naming ``name``."""
        y = check.as_tensor(name, y, torch.float64, ndim=1)
        if y.shape[0] != n:
            raise ValueError(f"{name} needs one label per image ({n}), got {y.shape[0]}")
        if not bool(((y == y.round()) & (y >= 0) & (y < self.n_classes)).all()):
            raise ValueError(f"{name} must hold integer labels in 0..{self.n_classes - 1}")
        return y.long()

    def logits(self, X: Any) -> torch.Tensor:
        """The classifier's logits for data X of shape (n, D): shape (n, K)."""
        X = self.check_data(X)
        return self.classifier(self.likelihood.encoder_input(X))

    def classify(self, X: Any) -> torch.Tensor:
        """q_φ(y | x) for data X of shape (n, D): shape (n, K), each row sums to 1."""
        return torch.softmax(self.logits(X), dim=-1)

    @torch.no_grad()
    def predict(self, X: Any) -> torch.Tensor:
        """argmax_y q_φ(y | x) for data X of shape (n, D): a long tensor of shape (n,)."""
        return self.logits(X).argmax(-1)

    def _bound(self, X: torch.Tensor, onehot: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """−L(x, y) for X (…, n, D), one-hot y (…, n, K) and noise ε (n, d): shape (…, n)."""
        mu, log_var = self.encoder(torch.cat([self.likelihood.encoder_input(X), onehot], -1)).chunk(2, -1)
        z = mu + torch.exp(0.5 * log_var) * eps
        params = self.likelihood.reshape(self.decoder(torch.cat([z, onehot], -1)))
        return self._log_px(params, X) - math.log(self.n_classes) - gaussian_kl(mu, log_var)

    def _log_px(self, params: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """log p_θ(x | y, z) summed over the pixels, shape (…, n)."""
        if isinstance(self.likelihood, CategoricalLikelihood):  # the same number, 7 times faster
            return torch.log_softmax(params, -1).gather(-1, X.long()[..., None]).sum((-1, -2))
        return self.likelihood.log_prob(params, X)

    def _noise(self, n: int, seed: Seed) -> torch.Tensor:
        zeros = torch.zeros(n, self.latent_dim, dtype=self.dtype)
        return reparameterize(zeros, zeros, seed=torch_gen(seed))

    def labelled_bound(self, X: Any, y: Any, *, seed: Seed = 0) -> torch.Tensor:
        """−L(x, y) ≤ log p_θ(x, y) per image, one draw of z: shape (n,) for X (n, D), y (n,).

        −L(x, y) = log p_θ(x | y, z) + log p(y) − KL(q_φ(z|x,y) ‖ N(0, I)),
        z = μ_φ(x, y) + σ_φ(x, y) ε, with the closed-form KL of Lemma 3.1.5.
        """
        X = self.check_data(X)
        y = self.check_labels(y, X.shape[0]).to(X.device)
        onehot = torch.nn.functional.one_hot(y, self.n_classes).to(X.dtype)
        return self._bound(X, onehot, self._noise(X.shape[0], seed).to(X.device))

    def class_bounds(self, X: Any, *, seed: Seed = 0) -> torch.Tensor:
        """−L(x, y) for every label y, shape (n, K), for X of shape (n, D); one ε per image for all y."""
        X = self.check_data(X)
        n, K = X.shape[0], self.n_classes
        onehot = torch.eye(K, dtype=X.dtype, device=X.device)[:, None, :].expand(K, n, K)
        eps = self._noise(n, seed).to(X.device)
        return self._bound(X.expand(K, n, self.input_dim), onehot, eps).T

    def unlabelled_bound(self, X: Any, *, seed: Seed = 0) -> torch.Tensor:
        """U(x) = Σ_y q_φ(y|x) (−L(x, y)) + H(q_φ(y|x)) ≤ log p_θ(x), shape (n,) for X (n, D)."""
        bounds = self.class_bounds(X, seed=seed)
        log_q = torch.log_softmax(self.logits(X), dim=-1)
        return (log_q.exp() * (bounds - log_q)).sum(-1)

    def extra_repr(self) -> str:
        return f"input_dim={self.input_dim}, n_classes={self.n_classes}, latent_dim={self.latent_dim}"


def m2_loss(weight: float = 1.0) -> Callable[[M2, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]:
    """J^α per image of a minibatch that mixes labelled and unlabelled images, a ``loss_fn`` for ``fit``.

    For a batch ``(X, y)`` of n images, X of shape (n, D) and y of shape (n,) with y = −1
    marking an unlabelled image,

        loss = (1/n) [Σ_{y ≥ 0} (L(x, y) − ``weight`` · log q_φ(y|x)) + Σ_{y = −1} (−U(x))].

    Over the minibatches of an epoch its mean is J^α / N with α = ``weight`` · N_l, N_l the
    number of labelled images: the paper's α = 0.1·N is ``weight = 0.1·N/N_l``.

    Parameters
    ----------
    weight : float
        ≥ 0: the weight of each labelled image's cross-entropy −log q_φ(y|x).

    Returns
    -------
    callable
        ``loss_fn(model, (X, y), seed) -> scalar tensor``.
    """
    weight = check.nonneg_float("weight", weight)

    def loss_fn(model: M2, batch: tuple[torch.Tensor, ...], seed: torch.Generator) -> torch.Tensor:
        check.instance("model", model, M2)
        if len(batch) != 2:
            raise ValueError(f"m2_loss needs batches (X, y), got a tuple of {len(batch)}")
        X, y = batch
        lab = y >= 0
        total = X.new_zeros(())
        if bool(lab.any()):
            Xl, yl = X[lab], y[lab].long()
            log_q = torch.log_softmax(model.logits(Xl), -1).gather(1, yl[:, None])[:, 0]
            total = total - (model.labelled_bound(Xl, yl, seed=seed) + weight * log_q).sum()
        if not bool(lab.all()):
            total = total - model.unlabelled_bound(X[~lab], seed=seed).sum()
        return total / X.shape[0]

    return loss_fn


def train_m2(
    X: np.ndarray,
    y: np.ndarray,
    labelled: np.ndarray,
    *,
    alpha: float | None = None,
    n_classes: int = 10,
    latent_dim: int = 8,
    hidden: Sequence[int] = (128,),
    likelihood: str = "categorical",
    epochs: int = 50,
    batch_size: int = 128,
    lr: float = 3e-3,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    seed: Seed = 0,
) -> M2:
    """M2 trained on all images X, of which only the rows ``labelled`` keep their label.

    Adam with step size ``lr`` on :func:`m2_loss` with ``weight = alpha / N_l``, minibatches
    that mix labelled and unlabelled images in their proportion; Section 4.4's VAE recipe
    (code length 8, one hidden layer of 128, categorical decoder on grey levels).

    Parameters
    ----------
    X : array, shape (n, D)
        All training images, in the likelihood's support (grey levels 0..16 for "categorical").
    y : array, shape (n,)
        Labels 0..K−1; only ``y[labelled]`` is read (the others may be anything, e.g. −1).
    labelled : array of int, shape (N_l,)
        Indices of the labelled images (e.g. :func:`~ae_lib.draw_labelled`), without repeats.
    alpha : float, optional
        α of J^α, ≥ 0; default the paper's 0.1·n.
    n_classes : int
        K ≥ 2.
    latent_dim : int
    hidden : sequence of int
    likelihood : str
    epochs, batch_size : int
    lr : float
    X_val, y_val : array of shape (m, D) and (m,), optional
        Labelled validation images: then the classifier's validation accuracy after each
        epoch is kept in ``model.val_accuracy`` (a list of float), to choose settings on.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the weights, the minibatches and the codes.

    Returns
    -------
    M2
        Trained, in eval mode.
    """
    X = check.data_matrix("X", X)
    y_all = check.as_finite_array("y", y, ndim=1, finite=False)
    if len(y_all) != len(X):
        raise ValueError(f"y needs one label per row of X ({len(X)}), got {len(y_all)}")
    idx = check.as_finite_array("labelled", labelled, ndim=1)
    if idx.size == 0 or np.any(idx != np.round(idx)) or idx.min() < 0 or idx.max() >= len(X):
        raise ValueError(f"labelled must hold row indices of X in 0..{len(X) - 1}, at least one")
    idx = idx.astype(int)
    if len(np.unique(idx)) != len(idx):
        raise ValueError("labelled must not repeat an index")
    init_seed, fit_seed = seed_ints(seed, 2)
    model = M2(X.shape[1], n_classes, latent_dim, hidden, likelihood, seed=init_seed)
    model.check_data(X, "X")
    model.check_labels(y_all[idx], len(idx), "y[labelled]")
    alpha = 0.1 * len(X) if alpha is None else check.nonneg_float("alpha", alpha)
    epochs = check.positive_int("epochs", epochs)
    batch_size = check.positive_int("batch_size", batch_size)
    val = None
    if X_val is not None or y_val is not None:
        Xv = None if X_val is None else model.check_data(X_val, "X_val")
        if Xv is None or y_val is None:
            raise ValueError("pass both X_val and y_val, or neither")
        val = (Xv, model.check_labels(y_val, Xv.shape[0], "y_val"))
    targets = np.full(len(X), -1.0)
    targets[idx] = y_all[idx]
    loss, gen = m2_loss(alpha / len(idx)), torch_gen(fit_seed)
    lr = check.positive_float("lr", lr)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.val_accuracy = []
    for _ in range(epochs if val is not None else 1):  # one epoch at a time when validating
        fit(
            model,
            loss,
            (X, targets),
            epochs=1 if val is not None else epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=lambda params, lr: opt,  # one Adam state across the calls
            seed=gen,
        )
        if val is not None:
            model.val_accuracy.append(float((model.predict(val[0]) == val[1]).double().mean()))
    return model.eval()


def m2_accuracy(model: M2, X: np.ndarray, y: np.ndarray, *, per_image: bool = False) -> float | np.ndarray:
    """Test accuracy of the classifier argmax_y q_φ(y|x) on images X (n, D) with labels y (n,).

    Parameters
    ----------
    model : M2
    X : array, shape (n, D)
    y : array, shape (n,)
    per_image : bool
        Return whether each image was classified correctly (bool array of shape (n,)), for
        standard errors over the test images paired with other classifiers.

    Returns
    -------
    float or numpy.ndarray of bool, shape (n,)
    """
    check.instance("model", model, M2)
    check.instance("per_image", per_image, bool)
    Xt = model.check_data(X, "X")
    yt = model.check_labels(y, Xt.shape[0], "y")
    correct = (model.predict(Xt) == yt).numpy()
    return correct if per_image else float(correct.mean())
