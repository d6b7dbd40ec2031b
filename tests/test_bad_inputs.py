"""Every entry point refuses bad input before any library internals run (the design page).

Each entry of ``CASES`` names a public callable, a factory of good keyword arguments, and
for each argument a list of bad values: ``T(v)`` must raise ``TypeError``, ``V(v)``
``ValueError``, and the message must name the argument.  ``test_every_callable_has_cases``
fails when a public callable has no entry and no reasoned exemption.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import layout
import numpy as np
import pytest
import torch
from sklearn.mixture import GaussianMixture

import ae_lib as ae

NAN = math.nan
RNG = np.random.default_rng(0)


def T(value: Any) -> tuple[type, Any]:
    return TypeError, value


def V(value: Any) -> tuple[type, Any]:
    return ValueError, value


SEED = [T("0"), T(1.5), T(True), V(-1), V(2**40)]
SIZE = [T(2.5), T("3"), V(0), V(-1)]
POSITIVE = [T("a"), V(NAN), V(math.inf), V(0.0), V(-1.0)]
NONNEG = [T("a"), V(NAN), V(-0.5)]
FRACTION = [T("a"), V(NAN), V(-0.1), V(1.0)]
# A device this machine lacks ("cuda:99" everywhere, "cuda" without a GPU), a wrong type, an unknown name.
DEVICE = [V("nodevice"), V("meta"), V("cuda:99"), T(3.5), T(0), T(None)]
DEVICE += [] if torch.cuda.is_available() else [V("cuda"), V(torch.device("cuda"))]


def fitted_gmm(covariance_type: str = "full") -> GaussianMixture:
    return GaussianMixture(2, covariance_type=covariance_type, random_state=0).fit(RNG.random((20, 3)))


def with_nan(a: np.ndarray) -> np.ndarray:
    b = np.array(a, dtype=float)
    b.flat[0] = NAN
    return b


def matrix(a: np.ndarray, *, width: bool = True) -> list[tuple[type, Any]]:
    """Wrong type, NaN, a 1-D array and (optionally) one column too few."""
    bad = [T("abc"), V(with_nan(a)), V(np.asarray(a)[0])]
    return bad + ([V(np.asarray(a)[:, :-1])] if width else [])


# --- small good inputs -----------------------------------------------------------------
X3 = RNG.random((6, 3))
Y2 = RNG.random((6, 2))
XB = (RNG.random((8, 6)) > 0.5).astype(float)  # binary, width 6
XR = RNG.integers(0, 17, size=(8, 6)).astype(float)  # grey levels, width 6
XU = RNG.random((20, 64))  # pixels in [0, 1], width 64


def net() -> ae.DeepNetwork:
    return ae.DeepNetwork.from_widths([3, 4, 2], "tanh", seed=0, output_phi="identity")


def ae_net() -> ae.AutoencoderNet:
    return ae.AutoencoderNet([6, 4, 2], "relu", seed=0)


def vae(likelihood: str = "bernoulli") -> ae.VAE:
    return ae.VAE(6, 2, (4,), likelihood, seed=0)


def mse_loss(model: torch.nn.Module, batch: tuple[torch.Tensor, ...], seed: torch.Generator) -> torch.Tensor:
    return ((model(batch[0]) - batch[0]) ** 2).mean()


def split() -> ae.DigitsSplit:
    return ae.DigitsSplit(XU, XU[:10], np.arange(20) % 10, np.arange(10))


@functools.cache
def mnist_dir() -> Path:
    """A tiny MNIST directory, the four IDX files of two 2×2 images and two labels, written once."""
    folder = Path(tempfile.mkdtemp(prefix="ae_lib_mnist_"))
    header = {3: bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]), 1: bytes([0, 0, 8, 1, 0, 0, 0, 2])}
    for name in ae.IDX_FILES.values():
        ndim = 3 if "images" in name else 1
        (folder / name).write_bytes(header[ndim] + bytes(range(8 if ndim == 3 else 2)))
    return folder


def novelty_results(n: int = 10) -> list[ae.NoveltyResult]:
    """Two held-out-digit experiments on the same n test items."""
    y = np.arange(n) % 5
    return [ae.NoveltyResult(c, 0.5, np.linspace(0, 1, n), y == c) for c in (0, 1)]


class _Classifier:
    n_features_in_ = 3

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.full((len(X), 2), 0.5)


def fitted_mixture() -> ae.CategoricalMixture:
    return ae.CategoricalMixture(2, n_levels=17).fit(XR, max_iter=2, seed=0)


@dataclass
class Case:
    fn: Callable[..., Any]
    good: Callable[[], dict[str, Any]]
    bad: dict[str, list[tuple[type, Any]]]


def case(
    fn: Callable[..., Any], good: Callable[[], dict[str, Any]], /, **bad: list[tuple[type, Any]]
) -> Case:
    return Case(fn, good, bad)


LOSS_BAD = dict(Y=[T("abc"), V(with_nan(Y2))], Y_hat=[T("abc"), V(Y2[:, :1]), V(with_nan(Y2))])

CASES: dict[str, Case] = {
    # Chapter 1 -------------------------------------------------------------------------
    "Activation": case(
        ae.Activation,
        lambda: dict(name="id", fn=lambda t: t),
        name=[T(3)],
        fn=[T(3), V(lambda t: np.full_like(t, 0.5))],
        derivative=[T(3)],
        torch_module=[T(3)],
    ),
    "Neuron": case(
        ae.Neuron,
        lambda: dict(w=[1.0, 2.0], b=0.5, phi="relu"),
        w=[T("abc"), V([NAN, 1.0]), V([[1.0]])],
        b=[T("a"), V(NAN)],
        phi=[T(3), V("nope")],
    ),
    "Layer": case(
        ae.Layer,
        lambda: dict(W=np.ones((2, 3)), b=np.zeros(2), phi="relu"),
        W=[T("abc"), V(with_nan(np.ones((2, 3)))), V(np.ones(3))],
        b=[V(np.zeros(3))],
        phi=[T(3), V("nope")],
    ),
    "DeepNetwork": case(
        ae.DeepNetwork,
        lambda: dict(layers=net().layers),
        layers=[T("abc"), V([]), T([1]), V(net().layers[::-1])],
    ),
    "to_torch": case(ae.to_torch, lambda: dict(net=net()), net=[T(3)], dtype=[T("float64")]),
    "mlp": case(
        ae.mlp,
        lambda: dict(widths=(3, 4, 2)),
        widths=[T(64), V([3]), V([3, 0])],
        phi=[V("nope"), V(["relu", "relu"])],
        output_phi=[T(3)],
        dropout=FRACTION,
        dtype=[T("float32")],
    ),
    "draw_network": case(
        ae.draw_network,
        lambda: dict(widths=[3, 2]),
        widths=[T(5), V([3]), V([3, 0]), T([3, 2.5])],
        title=[T(3)],
        colors=[V(["red"])],
        labels=[V(["a"])],
    ),
    **{
        name: case(getattr(ae, name), lambda: dict(Y=Y2, Y_hat=Y2), **LOSS_BAD)
        for name in ("squared_loss", "absolute_loss")
    },
    "empirical_risk": case(
        ae.empirical_risk,
        lambda: dict(loss=ae.squared_loss, predict=lambda X: X, X=X3, Y=X3),
        loss=[T(1)],
        predict=[T(1), V(lambda X: X[:, :1])],
        X=[T("abc"), V(with_nan(X3))],
        Y=[V(X3[:2]), V(with_nan(X3))],
    ),
    "l_risk": case(
        ae.l_risk,
        lambda: dict(
            loss=ae.squared_loss,
            predict=lambda X: X,
            sample=lambda n, g: (g.normal(size=(n, 1)), g.normal(size=(n, 1))),
            n=10,
        ),
        loss=[T(1)],
        predict=[T(1)],
        sample=[T(1), T(lambda n, g: 3)],
        n=[T(2.5), V(1)],
        seed=SEED,
    ),
    "gradient_descent": case(
        ae.gradient_descent,
        lambda: dict(grad=lambda x: x, x0=[1.0], lr=0.1, steps=2),
        grad=[T(3)],
        x0=[T("a"), V([NAN])],
        lr=POSITIVE,
        steps=SIZE,
    ),
    "sgd": case(
        ae.sgd,
        lambda: dict(grad_batch=lambda x, i: x, x0=[1.0], k=4, lr=0.1, steps=2),
        grad_batch=[T(3)],
        x0=[V([NAN])],
        k=SIZE,
        lr=POSITIVE,
        steps=SIZE,
        batch_size=SIZE,
        seed=SEED,
    ),
    "Adam": case(
        ae.Adam,
        lambda: dict(lr=0.01),
        lr=POSITIVE,
        betas=[T(0.9), T("ab"), V((0.9,)), V((0.9, 1.0)), V((-0.1, 0.9))],
        eps=POSITIVE,
        amsgrad=[T("yes")],
    ),
    "train_network": case(
        ae.train_network,
        lambda: dict(net=net(), loss=ae.squared_loss, X=X3, Y=Y2, optimizer=ae.GradientStep(0.1), epochs=1),
        net=[T("net")],
        loss=[T(1)],
        X=matrix(X3),
        Y=[V(Y2[:, :1]), V(Y2[:2])],
        optimizer=[T(0.1)],
        epochs=SIZE,
        batch_size=SIZE,
        seed=SEED,
        X_test=[V(X3[:, :2]), V(X3)],
        Y_test=[V(Y2)],
    ),
    **{
        name: case(
            getattr(ae, name), lambda: dict(x=[0.0, 1.0]), x=[T("a"), V([0.0, 1.0, 2.0]), V([NAN, 0.0])]
        )
        for name in ("four_wells", "four_wells_grad")
    },
    # Chapter 2 -------------------------------------------------------------------------
    "Encoder": case(
        ae.Encoder,
        lambda: dict(layers=ae.DeepNetwork.from_widths([3, 2], "relu").layers),
        layers=[T("abc"), V(ae.DeepNetwork.from_widths([2, 3], "relu").layers)],
    ),
    "Decoder": case(
        ae.Decoder,
        lambda: dict(layers=ae.DeepNetwork.from_widths([2, 3], "relu").layers),
        layers=[T("abc"), V(ae.DeepNetwork.from_widths([3, 2], "relu").layers)],
    ),
    "Autoencoder": case(
        ae.Autoencoder,
        lambda: dict(
            encoder=ae.Encoder.from_widths([3, 2], "relu"), decoder=ae.Decoder.from_widths([2, 3], "relu")
        ),
        encoder=[T(3)],
        decoder=[T(3), V(ae.Decoder.from_widths([1, 3], "relu")), V(ae.Decoder.from_widths([2, 4], "relu"))],
    ),
    "AutoencoderNet": case(
        ae.AutoencoderNet,
        lambda: dict(encoder_widths=[6, 4, 2]),
        encoder_widths=[T(64), V([64]), V([4, 8]), T([4, 2.5])],
        decoder_widths=[V([3, 6]), T(6)],
        phi=[V("nope"), T(3)],
        output_phi=[T(3)],
        seed=SEED,
        dtype=[T("float")],
    ),
    "fit": case(
        ae.fit,
        lambda: dict(model=ae_net(), loss_fn=mse_loss, X_train=XB, epochs=1),
        model=[T(3)],
        loss_fn=[T(3), T(lambda m, b, g: 3.0)],
        X_train=matrix(XB) + [V(XB[:0])],
        X_val=[V(XB[:, :5]), V(with_nan(XB))],
        epochs=SIZE,
        batch_size=SIZE,
        lr=POSITIVE,
        optimizer=[V("adamw"), T(3), T(lambda params, lr: 3)],
        weight_decay=NONNEG,
        patience=SIZE,
        seed=SEED,
        device=DEVICE,
        dtype=[T("float")],
        schedule=[V("cosine"), T(3)],
    ),
    "train_autoencoder": case(
        ae.train_autoencoder,
        lambda: dict(model=ae_net(), X_train=XB, epochs=1),
        model=[T(3)],
        X_train=matrix(XB),
        val_fraction=FRACTION,
        epochs=SIZE,
        lr=POSITIVE,
        noise=NONNEG,
        schedule=[V("cosine")],
        seed=SEED,
    ),
    "reconstruction_mse": case(
        ae.reconstruction_mse, lambda: dict(model=ae_net(), X=XB), model=[T(3)], X=matrix(XB)
    ),
    "reconstruction_errors": case(
        ae.reconstruction_errors, lambda: dict(model=ae_net(), X=XB), model=[T(3)], X=matrix(XB)
    ),
    "pca_mse": case(
        ae.pca_mse,
        lambda: dict(X_train=X3, X_test=X3, latent_dim=2),
        X_train=matrix(X3, width=False),
        X_test=matrix(X3),
        latent_dim=SIZE + [V(4)],
    ),
    "pca_errors": case(
        ae.pca_errors,
        lambda: dict(X_train=X3, X_test=X3, latent_dim=2),
        X_train=matrix(X3, width=False),
        X_test=matrix(X3),
        latent_dim=SIZE + [V(4)],
    ),
    "linear_autoencoder": case(
        ae.linear_autoencoder,
        lambda: dict(input_dim=6, latent_dim=2),
        input_dim=SIZE,
        latent_dim=SIZE,
        center=[V(np.zeros(5)), V(with_nan(np.zeros(6))), T("abc")],
        seed=SEED,
        dtype=[T("float64")],
    ),
    "store_codes": case(
        ae.store_codes,
        lambda: dict(Z=X3, fmt="8-bit", Z_train=X3),
        Z=matrix(X3, width=False),
        fmt=[T(4), V("int4")],
        Z_train=[V(None), V(X3[:, :2]), V(with_nan(X3))],
    ),
    **{
        name: case(
            getattr(ae, name),
            lambda: dict(X_raw=np.zeros((2, 64))),
            X_raw=[T("a"), V(np.zeros((2, 63))), V(np.full((2, 64), 256.0)), V(np.full((2, 64), 2.5))],
        )
        for name in ("zlib_bytes", "png_bytes")
    },
    "rate_distortion": case(
        ae.rate_distortion,
        lambda: dict(name="id", encode=lambda X: X, decode=lambda Z: Z, X_train=X3, X_test=X3),
        name=[T(3)],
        encode=[T(3), V(lambda X: X[0])],
        decode=[T(3), V(lambda Z: Z[:, :1])],
        X_train=matrix(X3, width=False),
        X_test=matrix(X3),
    ),
    "claim": case(
        ae.claim,
        lambda: dict(text="a < b", holds=True),
        text=[T(3), T(None), V(""), V("  ")],
        holds=[T(1), T(0.0), T("yes"), T(None), T(np.array([True, False]))],
    ),
    # Chapter 3 -------------------------------------------------------------------------
    "GaussianEncoder": case(
        ae.GaussianEncoder,
        lambda: dict(input_dim=6, latent_dim=2, hidden=(4,)),
        input_dim=SIZE,
        latent_dim=SIZE,
        hidden=[T(4), V((0,))],
        dropout=FRACTION,
    ),
    "ProbabilisticDecoder": case(
        ae.ProbabilisticDecoder,
        lambda: dict(latent_dim=2, output_dim=6, hidden=(4,)),
        latent_dim=SIZE,
        output_dim=SIZE,
        hidden=[T(4)],
        dropout=FRACTION,
        likelihood=[T(3), V("poisson"), V(ae.BernoulliLikelihood(5))],
    ),
    "VAE": case(
        ae.VAE,
        lambda: dict(input_dim=6, latent_dim=2, hidden=(4,)),
        input_dim=SIZE,
        latent_dim=SIZE,
        hidden=[T(64), V((0,)), T(("a",))],
        likelihood=[T(3), V("poisson")],
        dropout=FRACTION,
        prior_components=SIZE,
        seed=SEED,
    ),
    **{
        name: case(getattr(ae, name), lambda: dict(input_dim=6), input_dim=SIZE)
        for name in (
            "Likelihood",
            "BernoulliLikelihood",
            "CategoricalLikelihood",
            "BetaBinomialLikelihood",
            "GaussianLikelihood",
            "AutoregressiveLikelihood",
        )
    },
    "LatentPrior": case(
        ae.LatentPrior,
        lambda: dict(latent_dim=2, n_components=3),
        latent_dim=SIZE,
        n_components=SIZE,
        seed=SEED,
    ),
    "LinearGaussianModel": case(
        ae.LinearGaussianModel,
        lambda: dict(W=np.ones((3, 1)), b=np.zeros(3), sigma2=0.5),
        W=[T("a"), V(np.ones(3)), V(with_nan(np.ones((3, 1))))],
        b=[V(np.zeros(2))],
        sigma2=POSITIVE,
    ),
    "fit_ppca": case(
        ae.fit_ppca,
        lambda: dict(X=X3, latent_dim=1),
        X=[T("a"), V(with_nan(X3)), V(X3[:1]), V(np.ones((5, 3)))],
        latent_dim=SIZE + [V(3)],
    ),
    "fit_linear_vae": case(
        ae.fit_linear_vae,
        lambda: dict(X=X3, latent_dim=1, steps=2),
        X=[T("a"), V(with_nan(X3)), V(X3[:1]), V(np.ones((5, 3)))],
        latent_dim=SIZE,
        steps=SIZE,
        lr=POSITIVE,
        seed=SEED,
    ),
    "negative_elbo": case(
        ae.negative_elbo,
        lambda: dict(model=vae(), X=XB),
        model=[T(3)],
        X=matrix(XB) + [V(XB * 0.5), V(XB[:0])],
        seed=SEED,
        beta=NONNEG,
        n_samples=SIZE,
        reduction=[V("avg"), T(3)],
    ),
    "iwae_bound": case(
        ae.iwae_bound,
        lambda: dict(model=vae(), X=XB, k=3),
        model=[T(3)],
        X=matrix(XB) + [V(XB + 1)],
        k=SIZE,
        seed=SEED,
        max_rows=SIZE,
    ),
    "iwae_nll": case(
        ae.iwae_nll,
        lambda: dict(model=vae(), X=XB, k=3),
        model=[T(3), V([]), T([vae(), 3])],
        X=matrix(XB) + [V(XB * 0.5)],
        k=SIZE,
        seed=SEED,
        device=DEVICE,
    ),
    "active_units": case(
        ae.active_units,
        lambda: dict(model=vae(), X=XB),
        model=[T(3)],
        X=matrix(XB) + [V(XB[:1])],
        threshold=POSITIVE,
    ),
    "reparam_gradient": case(
        ae.reparam_gradient,
        lambda: dict(f=torch.sin, mu=0.0, sigma=1.0, n=4),
        f=[T(3), V(lambda t: t.sum())],
        mu=[T("a"), V(NAN)],
        sigma=POSITIVE,
        n=SIZE,
        seed=SEED,
    ),
    "score_function_gradient": case(
        ae.score_function_gradient,
        lambda: dict(f=torch.sin, mu=0.0, sigma=1.0, n=4),
        f=[T(3)],
        mu=[T("a"), V(math.inf)],
        sigma=POSITIVE,
        n=SIZE,
        seed=SEED,
    ),
    "CategoricalMixture": case(
        ae.CategoricalMixture,
        lambda: dict(n_components=2),
        n_components=SIZE,
        n_levels=SIZE + [V(1)],
        alpha=NONNEG,
    ),
    "BernoulliMixture": case(
        ae.BernoulliMixture, lambda: dict(n_components=2), n_components=SIZE, alpha=NONNEG
    ),
    "BetaBinomial": case(
        ae.BetaBinomial,
        lambda: dict(total_count=16, concentration1=torch.ones(3), concentration0=torch.ones(3)),
        total_count=SIZE,
        concentration1=[V(torch.tensor([-1.0])), V(torch.tensor([NAN])), T("a")],
        concentration0=[V(torch.zeros(3))],
    ),
    "AutoregressiveBernoulli": case(
        ae.AutoregressiveBernoulli,
        lambda: dict(logits=torch.zeros(4), weights=torch.zeros(4, 4)),
        logits=[T(np.zeros(4)), V(torch.tensor([NAN, 0.0, 0.0, 0.0])), V(torch.tensor(0.0))],
        weights=[V(torch.zeros(3, 3)), T(np.zeros((4, 4))), V(torch.full((4, 4), NAN))],
    ),
    "fit_sigmoid_belief_net": case(
        ae.fit_sigmoid_belief_net,
        lambda: dict(X=XB),
        X=matrix(XB, width=False) + [V(XB * 0.5), V(XB[:0])],
        C=POSITIVE,
    ),
    # Chapter 4 -------------------------------------------------------------------------
    "add_gaussian_noise": case(
        ae.add_gaussian_noise,
        lambda: dict(X=XB, sigma=0.1),
        X=matrix(XB, width=False) + [V(XB + 1), V(torch.tensor(XB) - 1)],
        sigma=NONNEG,
        seed=SEED,
    ),
    "mask_pixels": case(
        ae.mask_pixels,
        lambda: dict(X=XB, fraction=0.5),
        X=matrix(XB, width=False) + [V(torch.full((2, 2), NAN))],
        fraction=FRACTION,
        seed=SEED,
    ),
    "BetaBinomialMixture": case(
        ae.BetaBinomialMixture,
        lambda: dict(n_components=2),
        n_components=SIZE,
        total_count=SIZE,
        alpha=NONNEG,
        m_steps=SIZE,
    ),
    "per_image_nll": case(
        ae.per_image_nll,
        lambda: dict(model=vae(), X=XB, k=3),
        model=[T(3), V([]), T([vae(), 3])],
        X=matrix(XB) + [V(XB * 0.5)],
        k=SIZE,
        seed=SEED,
        device=DEVICE,
    ),
    "RidgeDenoiser": case(ae.RidgeDenoiser, lambda: dict(strength=1e-3), strength=POSITIVE),
    "corrupted_pairs": case(
        ae.corrupted_pairs,
        lambda: dict(X=XU[:4], corruptions=[lambda x, g: x], n_copies=2),
        X=[T("abc"), V(with_nan(XU[:4])), V(XU[:4] + 2.0)],
        corruptions=[V([]), V([3])],
        n_copies=SIZE,
        seed=SEED,
    ),
    "mean_psnr": case(
        ae.mean_psnr,
        lambda: dict(denoiser=lambda X: X, X_clean=XU[:4], X_corrupted=XU[:4]),
        X_clean=[T("abc"), V(with_nan(XU[:4])), V(XU[:4] + 2.0)],
        X_corrupted=[V([]), V(XU[:3]), V(with_nan(XU[:4]))],
    ),
    "psnr": case(
        ae.psnr,
        lambda: dict(clean=XB, estimate=XB * 0.5),
        clean=[T("a"), V(with_nan(XB))],
        estimate=[V(XB[:, :2]), V(with_nan(XB))],
        data_range=POSITIVE,
    ),
    "pca_residual_scorer": case(ae.pca_residual_scorer, lambda: dict(n_components=2), n_components=SIZE),
    "isolation_forest_scorer": case(
        ae.isolation_forest_scorer,
        lambda: dict(),
        n_estimators=SIZE,
        max_samples=[T(2.5), V("some"), V(1), T(None)],
        seed=SEED,
    ),
    "reconstruction_error_scorer": case(
        ae.reconstruction_error_scorer, lambda: dict(train=lambda X: ae_net()), train=[T(3)]
    ),
    "negative_elbo_scorer": case(
        ae.negative_elbo_scorer, lambda: dict(train=lambda X: vae()), train=[T(3)], n_samples=SIZE, seed=SEED
    ),
    "novelty_auc": case(
        ae.novelty_auc,
        lambda: dict(scores=[0.1, 0.9], is_novel=[False, True]),
        scores=[T("ab"), V([NAN, 1.0]), V([[0.1, 0.9]])],
        is_novel=[V([True]), V([True, True]), V([0, 2])],
    ),
    "leave_one_digit_out": case(
        ae.leave_one_digit_out,
        lambda: dict(fit=ae.pca_residual_scorer(2), split=split(), digits=[1]),
        fit=[T(3)],
        split=[T(3)],
        digits=[V([11]), T(5), V([]), V([-1])],
    ),
    "classifier_sample_score": case(
        ae.classifier_sample_score,
        lambda: dict(classifier=_Classifier(), X=X3),
        classifier=[T(3)],
        X=matrix(X3),
    ),
    "sample_gaussian_mixture": case(
        ae.sample_gaussian_mixture,
        lambda: dict(mixture=fitted_gmm(), n=4),
        mixture=[T(3), T("gmm"), V(GaussianMixture(2)), V(fitted_gmm("diag"))],
        n=SIZE,
        seed=SEED,
    ),
    "draw_labelled": case(
        ae.draw_labelled,
        lambda: dict(y=np.arange(10) % 2, per_class=2),
        y=[T("abc"), V([]), V(np.zeros((2, 2)))],
        per_class=SIZE + [V(6)],
        seed=SEED,
    ),
    "few_label_accuracy": case(
        ae.few_label_accuracy,
        lambda: dict(
            F_train=X3, y_train=np.arange(6) % 2, F_test=X3, y_test=np.arange(6) % 2, per_class=1, n_draws=1
        ),
        F_train=matrix(X3, width=False),
        y_train=[V(np.arange(5))],
        F_test=matrix(X3),
        y_test=[V(np.arange(2))],
        per_class=SIZE + [T("5")],
        n_draws=SIZE,
        seed=SEED,
        C=POSITIVE,
        standardize=[T("yes")],
        per_image=[T(1)],
    ),
    "train_small_autoencoder": case(
        ae.train_small_autoencoder,
        lambda: dict(X=XU, epochs=1),
        X=matrix(XU, width=False) + [V(XU + 1)],
        latent_dim=SIZE,
        hidden=[T(32), V((0,))],
        epochs=SIZE,
        seed=SEED,
        corruptions=[T(3)],
    ),
    "train_small_vae": case(
        ae.train_small_vae,
        lambda: dict(X_raw=XR, epochs=1),
        X_raw=matrix(XR, width=False) + [V(XR + 0.5), V(XR + 17)],
        latent_dim=SIZE,
        hidden=[T(64)],
        epochs=SIZE,
        seed=SEED,
    ),
    "vae_codes": case(
        ae.vae_codes, lambda: dict(model=vae("categorical"), X_raw=XR), model=[T(3)], X_raw=matrix(XR)
    ),
    # Chapter 5 -------------------------------------------------------------------------
    "optimise_posterior": case(
        ae.optimise_posterior,
        lambda: dict(model=vae(), X=XB, steps=2),
        model=[T(3)],
        X=matrix(XB) + [V(XB * 0.5)],
        steps=[T(2.5), T("3"), V(-1)],
        lr=POSITIVE,
        n_samples=SIZE,
        seed=SEED,
    ),
    "choose_steps": case(
        ae.choose_steps,
        lambda: dict(model=vae(), X_val=XB, candidates=[0, 2], k_eval=3),
        model=[T(3)],
        X_val=matrix(XB) + [V(XB * 0.5)],
        candidates=[T(3), V([]), V([-1])],
        lr=POSITIVE,
        n_samples=SIZE,
        k_eval=SIZE,
        tol=NONNEG,
        seed=SEED,
    ),
    "log_weights": case(
        ae.log_weights,
        lambda: dict(model=vae(), X=XB, mu=torch.zeros(8, 2), log_var=torch.zeros(8, 2), k=3),
        model=[T(3)],
        X=matrix(XB) + [V(XB * 0.5)],
        mu=[T("a"), V(torch.zeros(8, 3)), V(torch.full((8, 2), NAN))],
        log_var=[T("a"), V(torch.zeros(7, 2)), V(torch.full((8, 2), NAN))],
        k=SIZE,
        seed=SEED,
        max_rows=SIZE,
    ),
    "inference_gaps": case(
        ae.inference_gaps,
        lambda: dict(model=vae(), X=XB, k=10, steps=2),
        model=[T(3)],
        X=matrix(XB) + [V(XB * 0.5)],
        k=SIZE,
        steps=[T(2.5), V(-1)],
        lr=POSITIVE,
        n_samples=SIZE,
        ks=[T("1"), V([0]), V([20])],
        seed=SEED,
    ),
    "M2": case(
        ae.M2,
        lambda: dict(input_dim=6, n_classes=3, latent_dim=2, hidden=(4,)),
        input_dim=SIZE,
        n_classes=SIZE + [V(1)],
        latent_dim=SIZE,
        hidden=[T(4), V((0,))],
        likelihood=[T(3), V("poisson")],
        seed=SEED,
    ),
    "m2_loss": case(ae.m2_loss, lambda: dict(weight=1.0), weight=NONNEG),
    "train_m2": case(
        ae.train_m2,
        lambda: dict(X=XR, y=np.arange(8) % 2, labelled=[0, 1], n_classes=2, hidden=(4,), epochs=1),
        X=matrix(XR, width=False) + [V(XR + 0.5)],
        y=[T("abc"), V(np.arange(7)), V(np.full(8, 5))],
        labelled=[T("abc"), V([]), V([0, 0]), V([8]), V([0.5])],
        alpha=NONNEG,
        n_classes=SIZE + [V(1)],
        latent_dim=SIZE,
        hidden=[T(4), V((0,))],
        likelihood=[T(3), V("poisson")],
        epochs=SIZE,
        batch_size=SIZE,
        lr=POSITIVE,
        X_val=[T("abc"), V(XR[:, :-1]), V(XR + 0.5)],
        y_val=[V(np.arange(3))],
        seed=SEED,
    ),
    "m2_accuracy": case(
        ae.m2_accuracy,
        lambda: dict(model=ae.M2(6, 2, 2, (4,), seed=0), X=XR, y=np.arange(8) % 2),
        model=[T(3), T(vae("categorical"))],
        X=matrix(XR) + [V(XR + 0.5)],
        y=[T("abc"), V(np.arange(7)), V(np.full(8, 2))],
        per_image=[T(1)],
    ),
    # Tools -----------------------------------------------------------------------------
    "load_digits_split": case(ae.load_digits_split, lambda: dict(kind="raw"), kind=[T(3), V("gray")]),
    "read_idx": case(
        ae.read_idx, lambda: dict(path=mnist_dir() / "t10k-labels-idx1-ubyte"), path=[T(3), T(None), T(b"x")]
    ),
    "load_mnist": case(
        ae.load_mnist,
        lambda: dict(path=mnist_dir()),
        path=[T(3), T(None), V(mnist_dir() / "t10k-labels-idx1-ubyte")],
        kind=[T(3), V("grey")],
    ),
    "train_val_split": case(
        ae.train_val_split,
        lambda: dict(X=X3),
        X=[T("a"), V(X3[:1]), V(with_nan(X3))],
        y=[V(np.arange(5)), V([NAN] * 6)],
        val_fraction=FRACTION + [V(0.0)],
        seed=SEED,
    ),
    "show_digits": case(
        ae.show_digits,
        lambda: dict(rows=[XU[:2]]),
        rows=[T("abc"), V([np.zeros((2, 63))]), V([XU[:2], XU[:3]]), V([with_nan(XU[:2])]), T([])],
        row_labels=[V(["a", "b"])],
        titles=[V(["a"])],
        vmax=POSITIVE,
        scale=POSITIVE,
    ),
    "latent_explorer": case(
        ae.latent_explorer,
        lambda: dict(model=ae.VAE(64, 2, (4,), seed=0), X=XU, y=np.arange(20) % 10, grid=3),
        model=[T(3), T("vae"), V(ae.VAE(64, 3, (4,), seed=0)), V(vae())],
        X=matrix(XU),
        y=[T("abc"), V(np.arange(19)), V(np.arange(20)), V([NAN] * 20)],
        grid=SIZE + [V(1), V(61)],
        extent=POSITIVE,
    ),
    "draw_vae": case(ae.draw_vae, lambda: dict(), ax=[T(3), T("ax")]),
}

#: Public callables without bad-input cases, and why.
CASES.update(
    {
        "mean_se": case(
            ae.mean_se, lambda: dict(values=[1.0, 2.0, 3.0]), values=[T("abc"), V([1.0]), V([1.0, NAN])]
        ),
        "seed_spread": case(
            ae.seed_spread, lambda: dict(values=[1.0, 2.0, 3.0]), values=[T("abc"), V([1.0]), V([1.0, NAN])]
        ),
        "paired_difference": case(
            ae.paired_difference,
            lambda: dict(a=[1.0, 2.0, 3.0], b=[1.5, 2.0, 2.5]),
            a=[T("abc"), V([1.0, 2.0]), V([1.0, NAN, 3.0])],
            b=[V([1.0, 2.0]), V([1.0, NAN, 3.0])],
        ),
        "ratio_of_means": case(
            ae.ratio_of_means,
            lambda: dict(a=[1.0, 2.0, 3.0], b=[1.5, 2.0, 2.5]),
            a=[T("abc"), V([1.0, 2.0]), V([1.0, NAN, 3.0])],
            b=[V([1.0, 2.0]), V([1.0, NAN, 3.0]), V([1.0, -1.0, 0.0])],
        ),
        "auc_se": case(
            ae.auc_se,
            lambda: dict(scores=[0.1, 0.4, 0.35, 0.8], is_positive=[0, 0, 1, 1]),
            scores=[T("abc"), V([0.1, NAN, 0.3, 0.4]), V([0.1, 0.2])],
            is_positive=[V([0, 0, 0, 0]), V([0, 2, 1, 1]), V([0, 1])],
            method=[V("bootstrap")],
        ),
        "format_se": case(
            ae.format_se,
            lambda: dict(mean=1.0, se=0.1),
            mean=[T("a"), V(NAN)],
            se=[T("a"), V(NAN), V(-0.1)],
            unit=[T(3)],
        ),
        "load_results": case(
            ae.load_results, lambda: dict(name="ch4_1_denoising"), name=[T(3), V("no-such-file")]
        ),
        "select_on_validation": case(
            ae.select_on_validation,
            lambda: dict(
                fit=lambda X, c=1.0: c,
                score=lambda m, X: float(m),
                candidates=[{"c": 1.0}],
                X_fit=X3,
                X_val=X3,
            ),
            fit=[T(3)],
            score=[T(3)],
            candidates=[V([]), T([3])],
            X_fit=[T("abc"), V(with_nan(X3))],
            X_val=[T("abc"), V(with_nan(X3)), V(X3[:, :2])],
        ),
    }
)

#: Public callables that are not entry points: formulas and helpers that the entry points call
#: with data they have checked, or that a page calls with what it computed.  Their behaviour
#: is tested in tests/<part>/test_<module>.py; their arguments are not a reader's data.
INSIDE = {
    **dict.fromkeys(
        ("relu", "sigmoid", "tanh", "softplus", "silu", "identity"),
        "φ, applied by the layers it was given to",
    ),
    "leaky_relu": "builds an Activation, which checks φ (Activation has cases)",
    "get_activation": "looks up a name for the constructors, which have cases",
    "flatten_theta": "reads θ off a network the constructors checked",
    "set_theta": "writes θ computed by train_network into a checked network",
    "per_sample_gradients": "the formula inside train_network (which has cases)",
    "risk_gradient": "the formula inside train_network (which has cases)",
    "step_sizes": "a schedule for GradientStep and gradient_descent, which check lr",
    "GradientStep": "an update rule that gradient_descent and train_network check",
    "minibatches": "the index stream inside sgd and train_network",
    "iterate": "the loop inside gradient_descent (which has cases)",
    "Quadratic": "a test function of Section 1.2's figures, built from constants",
    "reddi_gradient": "a test function of Section 1.2's figures",
    "plot_paths": "draws iterates that gradient_descent or sgd returned",
    "binary_cross_entropy": "a Loss object; empirical_risk and l_risk check its inputs",
    "Loss": "a formula pair the risks check when they call it",
    "check_widths": "the width rule the Encoder, Decoder and Autoencoder constructors apply",
    "decoder_columns": "reads a trained linear autoencoder's weights",
    "principal_angles": "compares two bases that pca_mse and linear_autoencoder produced",
    "code_bytes": "sizes codes that store_codes checks",
    "Quantizer": "a setting that store_codes and rate_distortion check",
    "reconstruction_loss": "the loss_fn inside fit (which has cases)",
    "encode": "runs a trained model on data that train_autoencoder checked",
    "decode": "runs a trained model on codes that encode returned",
    "reparameterize": "Proposition 3.1.6's formula, called with an encoder's μ and log σ²",
    "diagonal_gaussian": "q_φ(z|x) built from an encoder's μ and log σ²",
    "gaussian_kl": "Lemma 3.1.5's formula, called with an encoder's μ and log σ²",
    "make_likelihood": "picks a likelihood by name for VAE, whose constructor has cases",
    "vae_loss": "the loss_fn inside fit (which has cases)",
    "em_step": "one step inside the mixtures' fit, which has cases",
    "denoising_loss": "the loss_fn inside fit (which has cases)",
    "pca_projector": "a baseline built from a checked training matrix inside the denoising pages",
    "mean_auc": "averages the records leave_one_digit_out returned",
    "inception_score_se": "summarises what classifier_sample_score returned",
    "format_table": "prints numbers the page computed",
    "round_sig": "rounds numbers the page computed",
    "setup_notebook": "the first line of every notebook, called with a constant seed",
    "explore": "an interactive figure over a trained model",
    "plot_history": "draws a History that fit returned",
}

EXEMPT = {
    "RiskHistory": "a record that train_network fills; it takes no user input",
    "RiskEstimate": "a record that l_risk returns",
    "History": "a record that fit fills (plot_history checks it is one)",
    "SampleScore": "a record that classifier_sample_score returns",
    "NoveltyResult": "a record that leave_one_digit_out returns",
    "DigitsSplit": "a frozen record of four arrays that load_digits_split returns",
    "TrainingDiverged": "an exception class",
    "ClaimFailed": "an exception class",
    "Claim": "a record that claim returns",
    "Estimate": "a record that mean_se and paired_difference return",
    "SeedSpread": "a record that seed_spread returns",
    "Selection": "a record that select_on_validation returns",
    "InferenceGaps": "a record that inference_gaps returns",
}

PARAMS = [
    pytest.param(name, arg, err, value, id=f"{name}-{arg}-{i}")
    for name, c in CASES.items()
    for arg, values in c.bad.items()
    for i, (err, value) in enumerate(values)
]


@pytest.mark.parametrize("name,arg,err,value", PARAMS)
def test_bad_input_is_refused(name: str, arg: str, err: type, value: Any) -> None:
    """The callable raises the right error type, and its message names the argument."""
    c = CASES[name]
    kwargs = {**c.good(), arg: value}
    with pytest.raises(err) as info:
        c.fn(**kwargs)
    assert arg in str(info.value), f"{name}({arg}=...) raised {info.value!r}, which does not name {arg!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_good_input_is_accepted(name: str) -> None:
    """The good arguments of each case pass (so the bad ones fail for the reason tested)."""
    if name in {"setup_notebook", "explore"}:
        pytest.skip("changes global state / needs a display")
    CASES[name].fn(**CASES[name].good())


def test_every_entry_point_has_cases() -> None:
    """Completeness: every public callable is an entry point with bad-input cases, a formula
    or helper inside one (INSIDE), or a record (EXEMPT), each with its reason."""
    public = {n for n in layout.public_names() if callable(getattr(ae, n))}
    known = set(CASES) | set(EXEMPT) | set(INSIDE)
    assert not public - known, sorted(public - known)
    assert not known - public, "cases for names that are not public"
    assert not set(CASES) & set(INSIDE), sorted(set(CASES) & set(INSIDE))


# --- methods of the public classes --------------------------------------------------------
METHODS = [
    ("VAE.encode", lambda: vae().encode, dict(X=XB), dict(X=matrix(XB))),
    ("VAE.decode", lambda: vae().decode, dict(Z=torch.zeros(3, 2)), dict(Z=[T("a"), V(torch.zeros(3, 3))])),
    ("VAE.sample", lambda: vae().sample, dict(n=3), dict(n=SIZE, seed=SEED)),
    ("VAE.forward", lambda: vae(), dict(X=XB), dict(X=matrix(XB), seed=SEED)),
    (
        "ProbabilisticDecoder.mean",
        lambda: vae().decoder.mean,
        dict(Z=np.zeros((3, 2))),
        dict(Z=[T("a"), V(np.zeros((3, 3))), V(np.full((3, 2), NAN))]),
    ),
    (
        "ProbabilisticDecoder.sample",
        lambda: vae().decoder.sample,
        dict(Z=np.zeros((3, 2))),
        dict(Z=[V(np.zeros((3, 1)))], seed=SEED),
    ),
    (
        "GaussianEncoder.distribution",
        lambda: vae().encoder.distribution,
        dict(X=XB),
        dict(X=[T("abc"), V(with_nan(XB)), V(XB[:, :-1])]),
    ),
    ("VAE.check_data", lambda: vae().check_data, dict(X=XB), dict(X=matrix(XB) + [V(XB * 0.5)])),
    ("LatentPrior.sample", lambda: ae.LatentPrior(2, 3).sample, dict(n=3), dict(n=SIZE, seed=SEED)),
    (
        "LatentPrior.log_prob",
        lambda: ae.LatentPrior(2).log_prob,
        dict(Z=torch.zeros(3, 2)),
        dict(Z=[T("a"), V(torch.zeros(3, 3))]),
    ),
    (
        "CategoricalLikelihood.check",
        lambda: ae.CategoricalLikelihood(6).check,
        dict(X=XR),
        dict(X=matrix(XR) + [V(XR + 0.5), V(XR - 1)]),
    ),
    (
        "CategoricalMixture.fit",
        lambda: ae.CategoricalMixture(2).fit,
        dict(X=XR),
        dict(X=matrix(XR, width=False) + [V(XR + 17), V(XR[:0])], max_iter=SIZE, tol=NONNEG, seed=SEED),
    ),
    ("CategoricalMixture.log_prob", lambda: fitted_mixture().log_prob, dict(X=XR), dict(X=matrix(XR))),
    ("CategoricalMixture.sample", lambda: fitted_mixture().sample, dict(n=2), dict(n=SIZE, seed=SEED)),
    ("Quantizer.encode", lambda: ae.Quantizer(X3).encode, dict(Z=X3), dict(Z=matrix(X3))),
    (
        "Quantizer.decode",
        lambda: ae.Quantizer(X3).decode,
        dict(Q=np.zeros((2, 3))),
        dict(Q=[V(np.full((2, 3), 256.0)), V(np.zeros((2, 2)))]),
    ),
    (
        "LinearGaussianModel.elbo",
        lambda: ae.LinearGaussianModel(np.ones((3, 1)), np.zeros(3), 0.5).elbo,
        dict(X=X3, m=np.zeros((6, 1)), S=np.eye(1)),
        dict(X=matrix(X3), m=[V(np.zeros((6, 2))), V(np.zeros((5, 1)))], S=[V(-np.eye(1)), V(np.eye(2))]),
    ),
    (
        "LinearGaussianModel.log_marginal",
        lambda: ae.LinearGaussianModel(np.ones((3, 1)), np.zeros(3), 0.5).log_marginal,
        dict(X=X3),
        dict(X=matrix(X3)),
    ),
    ("DeepNetwork.__call__", lambda: net(), dict(x=X3), dict(x=[T("abc"), V(with_nan(X3)), V(X3[:, :2])])),
    (
        "DeepNetwork.from_widths",
        lambda: ae.DeepNetwork.from_widths,
        dict(widths=[3, 2], phi="relu"),
        dict(widths=[T(3), V([3])], phi=[V("nope")], seed=SEED),
    ),
    ("Layer.random", lambda: ae.Layer.random, dict(k=2, m=3, phi="relu"), dict(k=SIZE, m=SIZE, seed=SEED)),
    (
        "Autoencoder.from_widths",
        lambda: ae.Autoencoder.from_widths,
        dict(encoder_widths=[4, 2], phi="relu"),
        dict(encoder_widths=[V([2, 4])], decoder_widths=[V([4, 2])], seed=SEED),
    ),
    (
        "AutoencoderNet.from_autoencoder",
        lambda: ae.AutoencoderNet.from_autoencoder,
        dict(autoencoder=ae.Autoencoder.from_widths([4, 2], "relu")),
        dict(autoencoder=[T(3)]),
    ),
    (
        "BetaBinomial.sample",
        lambda: ae.BetaBinomial(16, torch.ones(2), torch.ones(2)).sample,
        dict(),
        dict(seed=SEED),
    ),
    ("Activation.derivative", lambda: ae.relu.derivative, dict(t=[1.0]), dict(t=[T("a"), V([NAN])])),
    ("Loss.grad", lambda: ae.squared_loss.grad, dict(Y=Y2, Y_hat=Y2), LOSS_BAD),
]
METHOD_PARAMS = [
    pytest.param(bound, good, arg, err, value, id=f"{name}-{arg}-{i}")
    for name, bound, good, bad in METHODS
    for arg, values in bad.items()
    for i, (err, value) in enumerate(values)
]


@pytest.mark.parametrize("bound,good,arg,err,value", METHOD_PARAMS)
def test_method_bad_input_is_refused(bound: Callable, good: dict, arg: str, err: type, value: Any) -> None:
    """Methods of the public classes check their arguments the same way."""
    with pytest.raises(err) as info:
        bound()(**{**good, arg: value})
    assert arg in str(info.value), f"{info.value!r} does not name {arg!r}"


@pytest.mark.parametrize("name,bound,good", [pytest.param(n, b, g, id=n) for n, b, g, _ in METHODS])
def test_method_good_input_is_accepted(name: str, bound: Callable, good: dict) -> None:
    bound()(**good)


# --- images out of the range an entry point expects -----------------------------------------
def _off(X: np.ndarray, value: float) -> np.ndarray:
    X = np.array(X, dtype=float)
    X[0, 0] = value
    return X


#: (entry point, its call with one out-of-range pixel, the argument it names): binary images
#: (Bernoulli models), grey levels 0..16 (categorical, beta-binomial models) and the unit
#: interval (autoencoders, corruptions, PSNR), whatever the entry point calls inside.
IMAGE_RANGE = [
    ("negative_elbo", lambda: ae.negative_elbo(vae(), _off(XB, 0.5)), "X"),
    ("iwae_nll", lambda: ae.iwae_nll([vae()], _off(XB, 0.5), k=2), "X"),
    ("BernoulliMixture.fit", lambda: ae.BernoulliMixture(2).fit(_off(XB, 0.5)), "X"),
    ("CategoricalMixture.fit", lambda: ae.CategoricalMixture(2).fit(_off(XR, 17)), "X"),
    ("BetaBinomialMixture.fit", lambda: ae.BetaBinomialMixture(2).fit(_off(XR, 17)), "X"),
    (
        "train_small_autoencoder",
        lambda: ae.train_small_autoencoder(_off(XU, 2.0), latent_dim=2, epochs=1),
        "X",
    ),
    (
        "train_autoencoder",
        lambda: ae.train_autoencoder(ae.AutoencoderNet((64, 8, 2)), _off(XU, 2.0)),
        "X_train",
    ),
    ("reconstruction_mse", lambda: ae.reconstruction_mse(ae.AutoencoderNet((64, 8, 2)), _off(XU, -0.1)), "X"),
    (
        "reconstruction_errors",
        lambda: ae.reconstruction_errors(ae.AutoencoderNet((64, 8, 2)), _off(XU, 2.0)),
        "X",
    ),
    ("add_gaussian_noise", lambda: ae.add_gaussian_noise(_off(XU, 2.0), 0.1), "X"),
    ("mask_pixels", lambda: ae.mask_pixels(_off(XU, 2.0), 0.5), "X"),
    ("mask_pixels on a tensor", lambda: ae.mask_pixels(torch.as_tensor(_off(XU, 2.0)), 0.5), "X"),
    ("psnr", lambda: ae.psnr(_off(XU, 2.0), XU), "clean"),
]


@pytest.mark.parametrize("call,arg", [pytest.param(c, a, id=n) for n, c, a in IMAGE_RANGE])
def test_images_out_of_range_are_refused(call: Callable[[], Any], arg: str) -> None:
    """An entry point that takes images refuses a pixel outside the kind it expects, naming it."""
    with pytest.raises(ValueError) as info:
        call()
    assert arg in str(info.value)
