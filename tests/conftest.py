"""Session-wide fixtures: the digits loaded once, and the trained models several tests share."""

from __future__ import annotations

import pytest
import torch

import ae_lib as ae


@pytest.fixture(scope="session", autouse=True)
def one_thread() -> None:
    """One torch thread, as in the notebooks: the headline numbers were measured so."""
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def digits_unit() -> ae.DigitsSplit:
    return ae.load_digits_split("unit")


@pytest.fixture(scope="session")
def digits_raw() -> ae.DigitsSplit:
    return ae.load_digits_split("raw")


@pytest.fixture(scope="session")
def digits_binary() -> ae.DigitsSplit:
    return ae.load_digits_split("binary")


@pytest.fixture(scope="session")
def small_vae(digits_raw: ae.DigitsSplit) -> ae.VAE:
    """Chapter 4's VAE (categorical decoder, d = 8, hidden (128,), 40 epochs), as Sections 4.3 and 4.4 train it."""
    return ae.train_small_vae(digits_raw.X_train, latent_dim=8, hidden=(128,), epochs=40)
