"""ae_lib: the definitions of "On variational autoencoders: theory and applications" in code.

One sub-package per part of the book: ``networks`` (Chapter 1), ``autoencoders`` (2),
``variational`` (3), ``applications`` (4), and ``core`` and ``book`` for what every chapter
uses.  Each module is one concept and opens with the thesis items it implements; its
``__all__`` names its public objects, and this file re-exports each of them once, so that
``import ae_lib as ae`` is all a chapter needs.  The order of the imports below is the
reading order of the API reference and of the module map on the design page
(``chapters/design.md``), both generated from it.
"""

# Chapter 1: neural networks and their training (NumPy, written by hand).
from .networks.activations import (
    Activation,
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
from .networks.network import Layer, Neuron, DeepNetwork, to_torch
from .networks.drawing import LAYER_COLORS, draw_network
from .networks.risk import (
    Loss,
    absolute_loss,
    binary_cross_entropy,
    squared_loss,
    RiskEstimate,
    empirical_risk,
    l_risk,
)
from .networks.backprop import (
    flatten_theta,
    per_sample_gradients,
    risk_gradient,
    set_theta,
    RiskHistory,
    train_network,
)
from .networks.optim import GradientStep, gradient_descent, iterate, step_sizes, minibatches, sgd, Adam
from .networks.landscapes import Quadratic, four_wells, four_wells_grad, plot_paths, reddi_gradient

# Chapter 2: autoencoders (the lemmas in NumPy, training in torch).
from .autoencoders.autoencoder import Autoencoder, Decoder, Encoder, check_widths, AutoencoderNet
from .autoencoders.reconstruction import (
    decode,
    encode,
    reconstruction_errors,
    reconstruction_loss,
    reconstruction_mse,
    train_autoencoder,
)
from .autoencoders.pca import decoder_columns, linear_autoencoder, pca_errors, pca_mse, principal_angles
from .autoencoders.compression import (
    CODE_FORMATS,
    Quantizer,
    code_bytes,
    png_bytes,
    rate_distortion,
    store_codes,
    zlib_bytes,
)

# Chapter 3: variational autoencoders.
from .variational.vae import (
    GaussianEncoder,
    diagonal_gaussian,
    reparameterize,
    LIKELIHOODS,
    ProbabilisticDecoder,
    make_likelihood,
    LatentPrior,
    VAE,
)
from .variational.likelihoods import (
    N_LEVELS,
    BernoulliLikelihood,
    CategoricalLikelihood,
    GaussianLikelihood,
    Likelihood,
)
from .variational.linear_gaussian import LinearGaussianModel, fit_linear_vae, fit_ppca
from .variational.elbo import gaussian_kl, iwae_bound, negative_elbo, active_units, vae_loss
from .variational.gradients import reparam_gradient, score_function_gradient
from .variational.mixtures import BernoulliMixture, CategoricalMixture, em_step
from .variational.beta_binomial import BetaBinomial, BetaBinomialLikelihood, BetaBinomialMixture
from .variational.sigmoid_belief import (
    AutoregressiveBernoulli,
    AutoregressiveLikelihood,
    fit_sigmoid_belief_net,
)
from .variational.evaluation import iwae_nll, per_image_nll

# Chapter 4: applications.
from .applications.denoising import (
    add_gaussian_noise,
    denoising_loss,
    mask_pixels,
    pca_projector,
    psnr,
    RidgeDenoiser,
    corrupted_pairs,
    mean_psnr,
)
from .applications.novelty import (
    isolation_forest_scorer,
    negative_elbo_scorer,
    pca_residual_scorer,
    reconstruction_error_scorer,
    auc_se,
    novelty_auc,
    NoveltyResult,
    leave_one_digit_out,
    mean_auc,
)
from .applications.sample_quality import (
    SampleScore,
    classifier_sample_score,
    inception_score_se,
    sample_gaussian_mixture,
)
from .applications.downstream import draw_labelled, few_label_accuracy
from .applications.semi_supervised import M2, m2_accuracy, m2_loss, train_m2
from .applications.small_models import train_small_autoencoder, train_small_vae, vae_codes

# Chapter 5: where the bound loses.
from .gaps.inference import (
    optimise_posterior,
    choose_steps,
    log_weights,
    InferenceGaps,
    inference_gaps,
)

# What every chapter stands on: the training loop, the torch builder, seeds, errors.
from .core.training import History, fit
from .core.torch_nets import TORCH_ACTIVATIONS, mlp
from .core.checks import TrainingDiverged

# What the pages use: data, uncertainty, selection, claims, plots, notebook set-up.
from .book.data import (
    SPLIT_SEED,
    TEST_SIZE,
    TOMCZAK_SIZES,
    DigitsSplit,
    load_digits_split,
    train_val_split,
    IDX_FILES,
    load_mnist,
    read_idx,
)
from .book.uncertainty import (
    Estimate,
    SeedSpread,
    format_se,
    mean_se,
    paired_difference,
    ratio_of_means,
    seed_spread,
)
from .book.selection import Selection, select_on_validation
from .book.claims import Claim, ClaimFailed, claim
from .book.plotting import plot_history, show_digits, explore, draw_vae, latent_explorer
from .book.repro import format_table, round_sig, setup_notebook, RESULTS_DIR, load_results

__version__ = "1.0.0"
