"""ae_lib: the definitions of "On variational autoencoders: theory and applications" in code.

One module per thesis concept; each public object's docstring cites its thesis number.
Every public name is re-exported here, so ``import ae_lib as ae`` is all a chapter needs;
``CHAPTER_MODULES`` says which module serves which chapter (the API pages and the design
page follow it).  The rules every module keeps are on the book's design page
(``chapters/design.md``).
"""

# Chapter 1: neural networks and their training (NumPy, written by hand).
from .activation import Activation
from .activations import (
    ACTIVATIONS,
    get_activation,
    identity,
    leaky_relu,
    relu,
    sigmoid,
    silu,
    softplus,
    tanh,
)
from .adam import Adam
from .backprop import flatten_theta, per_sample_gradients, risk_gradient, set_theta
from .drawing import LAYER_COLORS, draw_network
from .landscapes import Quadratic, four_wells, four_wells_grad, plot_paths, reddi_gradient
from .layer import Layer, Neuron
from .loss import Loss, absolute_loss, binary_cross_entropy, squared_loss
from .network import DeepNetwork
from .numpy_training import RiskHistory, train_network
from .optim import GradientStep, gradient_descent, iterate, step_sizes
from .risk import RiskEstimate, empirical_risk, l_risk
from .stochastic import minibatches, sgd
from .torch_nets import mlp, to_torch

# isort: split
# Chapter 2: autoencoders (the lemmas in NumPy, training in torch).
from .autoencoder import Autoencoder, Decoder, Encoder, check_widths
from .autoencoder_net import AutoencoderNet
from .compression import (
    CODE_FORMATS,
    Quantizer,
    code_bytes,
    png_bytes,
    rate_distortion,
    store_codes,
    zlib_bytes,
)
from .pca import decoder_columns, linear_autoencoder, pca_errors, pca_mse, principal_angles
from .reconstruction import (
    decode,
    encode,
    reconstruction_errors,
    reconstruction_loss,
    reconstruction_mse,
    train_autoencoder,
)
from .training import History, fit

# isort: split
# Chapter 3: variational autoencoders.
from .beta_binomial import BetaBinomial, BetaBinomialLikelihood
from .beta_binomial_mixture import BetaBinomialMixture
from .decoder import LIKELIHOODS, ProbabilisticDecoder, make_likelihood
from .elbo import gaussian_kl, iwae_bound, negative_elbo
from .encoder import GaussianEncoder, diagonal_gaussian, reparameterize
from .evaluation import iwae_nll, per_image_nll
from .gradients import reparam_gradient, score_function_gradient
from .likelihoods import N_LEVELS, BernoulliLikelihood, CategoricalLikelihood, GaussianLikelihood, Likelihood
from .linear_gaussian import LinearGaussianModel
from .mixtures import BernoulliMixture, CategoricalMixture, em_step
from .ppca import fit_linear_vae, fit_ppca
from .priors import LatentPrior
from .sigmoid_belief import AutoregressiveBernoulli, AutoregressiveLikelihood, fit_sigmoid_belief_net
from .vae import VAE
from .vae_training import active_units, vae_loss

# isort: split
# Chapter 4: applications.
from .denoising import add_gaussian_noise, denoising_loss, mask_pixels, pca_projector, psnr
from .downstream import draw_labelled, few_label_accuracy
from .leave_one_out import NoveltyResult, leave_one_digit_out, mean_auc
from .linear_denoisers import RidgeDenoiser, corrupted_pairs, mean_psnr
from .novelty import (
    isolation_forest_scorer,
    negative_elbo_scorer,
    pca_residual_scorer,
    reconstruction_error_scorer,
)
from .roc import auc_se, novelty_auc
from .sample_quality import SampleScore, classifier_sample_score, inception_score_se, sample_gaussian_mixture
from .small_models import train_small_autoencoder, train_small_vae, vae_codes

# isort: split
# Tools every chapter uses.
from .claims import Claim, ClaimFailed, claim
from .data import SPLIT_SEED, TEST_SIZE, TOMCZAK_SIZES, DigitsSplit, load_digits_split, train_val_split
from .errors import TrainingDiverged
from .interactive import explore
from .mnist import IDX_FILES, load_mnist, read_idx
from .plotting import plot_history, show_digits
from .repro import format_table, round_sig, setup_notebook
from .results import RESULTS_DIR, load_results
from .selection import Selection, select_on_validation
from .uncertainty import (
    Estimate,
    SeedSpread,
    format_se,
    mean_se,
    paired_difference,
    ratio_of_means,
    seed_spread,
)

#: Module names per chapter ("1".."4") and for the shared tools, each in reading order.
# fmt: off
CHAPTER_MODULES: dict[str, tuple[str, ...]] = {
    "1": ("activation", "activations", "layer", "network", "torch_nets", "drawing", "loss", "risk",
          "backprop", "optim", "stochastic", "adam", "numpy_training", "landscapes"),
    "2": ("autoencoder", "autoencoder_net", "training", "reconstruction", "pca", "compression"),
    "3": ("encoder", "decoder", "vae", "likelihoods", "priors", "linear_gaussian", "ppca", "elbo",
          "gradients", "vae_training", "mixtures", "beta_binomial", "beta_binomial_mixture",
          "sigmoid_belief", "evaluation"),
    "4": ("denoising", "linear_denoisers", "novelty", "roc", "leave_one_out", "sample_quality",
          "downstream", "small_models"),
    "tools": ("data", "mnist", "claims", "errors", "repro", "plotting", "interactive", "uncertainty", "selection",
              "results"),
}
#: Every public module, in the order of the book (chapters 1-4, then the tools).
MODULES: tuple[str, ...] = tuple(m for mods in CHAPTER_MODULES.values() for m in mods)

__all__ = [
    # Chapter 1
    "ACTIVATIONS", "Activation", "get_activation", "identity", "leaky_relu", "relu", "sigmoid", "silu",
    "softplus", "tanh", "Adam", "flatten_theta", "per_sample_gradients", "risk_gradient", "set_theta",
    "LAYER_COLORS", "draw_network", "Quadratic", "four_wells", "four_wells_grad", "plot_paths",
    "reddi_gradient", "DeepNetwork", "Layer", "Neuron", "RiskHistory", "train_network", "GradientStep",
    "gradient_descent", "iterate", "minibatches", "sgd", "step_sizes", "Loss", "RiskEstimate",
    "absolute_loss", "binary_cross_entropy", "empirical_risk", "l_risk", "squared_loss", "mlp", "to_torch",
    # Chapter 2
    "Autoencoder", "Decoder", "Encoder", "check_widths", "AutoencoderNet", "CODE_FORMATS", "Quantizer",
    "code_bytes", "png_bytes", "rate_distortion", "store_codes", "zlib_bytes",
    "decoder_columns", "linear_autoencoder", "pca_errors", "pca_mse", "principal_angles", "decode", "encode",
    "reconstruction_errors", "reconstruction_loss", "reconstruction_mse", "train_autoencoder", "History", "fit",
    # Chapter 3
    "GaussianEncoder", "diagonal_gaussian", "reparameterize", "VAE", "ProbabilisticDecoder",
    "BetaBinomial", "gaussian_kl", "iwae_bound", "negative_elbo", "reparam_gradient",
    "score_function_gradient", "LIKELIHOODS", "N_LEVELS", "AutoregressiveLikelihood", "BernoulliLikelihood",
    "BetaBinomialLikelihood", "CategoricalLikelihood", "GaussianLikelihood", "Likelihood", "make_likelihood",
    "LinearGaussianModel", "fit_linear_vae", "fit_ppca", "BernoulliMixture", "CategoricalMixture", "em_step",
    "LatentPrior", "AutoregressiveBernoulli", "fit_sigmoid_belief_net", "active_units", "vae_loss",
    "BetaBinomialMixture", "iwae_nll", "per_image_nll",
    # Chapter 4
    "add_gaussian_noise", "denoising_loss", "mask_pixels", "pca_projector", "psnr", "SampleScore",
    "classifier_sample_score", "draw_labelled", "few_label_accuracy", "NoveltyResult",
    "isolation_forest_scorer", "leave_one_digit_out", "negative_elbo_scorer", "novelty_auc",
    "pca_residual_scorer", "reconstruction_error_scorer", "train_small_autoencoder", "train_small_vae",
    "vae_codes", "RidgeDenoiser", "corrupted_pairs", "mean_psnr", "mean_auc",
    "inception_score_se", "sample_gaussian_mixture",
    # Tools
    "SPLIT_SEED", "TEST_SIZE", "DigitsSplit", "load_digits_split", "train_val_split", "Claim", "ClaimFailed", "claim",
    "TrainingDiverged", "IDX_FILES", "load_mnist", "read_idx",
    "explore", "plot_history", "show_digits", "format_table", "round_sig", "setup_notebook", "TOMCZAK_SIZES", "RESULTS_DIR",
    "load_results", "Selection", "select_on_validation", "Estimate", "SeedSpread", "auc_se", "format_se",
    "mean_se", "paired_difference", "ratio_of_means", "seed_spread",
]
# fmt: on

__version__ = "1.0.0"
