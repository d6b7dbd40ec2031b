"""Neurons and layers: Definitions 1.1.3 and 1.1.4 of the thesis.

Each ``__call__`` *is* the formula of its definition::

    Neuron:       h(x) = φ(⟨w, x⟩ + b)                       (eq. 1.1)
    Layer:        H(x) = φ̂(W x + b)                          (eq. 1.2)

Inputs are a single point of shape ``(k,)`` or a batch of ``n`` points of shape
``(n, k)`` (one point per row), so that ``H(X)[j] == H(X[j])``.  Layers compose into the
deep network of Definition 1.1.5 (:mod:`ae_lib.network`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _checks as check
from ._checks import as_finite_array
from ._random import Seed, numpy_rng
from .activation import Activation
from .activations import get_activation

__all__ = ["Layer", "Neuron"]


def check_input(x: np.ndarray, k: int, name: str = "x") -> np.ndarray:
    """x as a finite array of shape (k,) or (n, k), else an error naming ``name``."""
    x = as_finite_array(name, x, ndim=(1, 2))
    if x.shape[-1] != k:
        raise ValueError(f"{name} must have {k} features in its last axis, got shape {x.shape}")
    return x


class Neuron:
    """A φ-neuron with weight w ∈ ℝᵏ and bias b ∈ ℝ (Definition 1.1.3).

    Parameters
    ----------
    w : array_like, shape (k,)
        Weight vector.
    b : float
        Bias.
    phi : Activation or str
        The activation function φ (Definition 1.1.1).

    Attributes
    ----------
    theta : tuple
        The parameters θ = (w, b).
    """

    def __init__(self, w: Sequence[float] | np.ndarray, b: float, phi: Activation | str) -> None:
        self.w = as_finite_array("w", w, ndim=1)
        self.b = check.real("b", b)
        self.phi = get_activation(phi)

    @property
    def theta(self) -> tuple[np.ndarray, float]:
        return self.w, self.b

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """h(x) = φ(⟨w, x⟩ + b); shape ``()`` for x of shape (k,), ``(n,)`` for (n, k)."""
        x = check_input(x, self.w.size)
        return self.phi.fn(x @ self.w + self.b)

    def __repr__(self) -> str:
        return f"Neuron(k={self.w.size}, φ={self.phi.name})"


class Layer:
    """A φ-layer H: ℝᵏ → ℝᵐ of width m with weights W and biases b (Definition 1.1.4).

    Parameters
    ----------
    W : array_like, shape (m, k)
        Weight matrix; row i is the weight w_i = Wᵀe_i of neuron i.
    b : array_like, shape (m,)
        Bias vector; b_i = ⟨b, e_i⟩.
    phi : Activation or str
        The activation function φ.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, phi: Activation | str) -> None:
        self.W = as_finite_array("W", W, ndim=2)
        self.b = as_finite_array("b", b, ndim=1)
        if self.b.shape[0] != self.W.shape[0]:
            raise ValueError(
                f"b must have one entry per row of W: W has shape {self.W.shape}, b has {self.b.shape}"
            )
        self.phi = get_activation(phi)

    @classmethod
    def random(cls, k: int, m: int, phi: Activation | str, *, seed: Seed = 0) -> Layer:
        """A layer ℝᵏ → ℝᵐ with Glorot-uniform weights and zero biases.

        Parameters
        ----------
        k, m : int
            Input and output width, ≥ 1.
        phi : Activation or str
        seed : int, numpy.random.Generator or torch.Generator
            Source of the weights (a generator is advanced).
        """
        k, m = check.positive_int("k", k), check.positive_int("m", m)
        rng = numpy_rng(seed)
        limit = np.sqrt(6.0 / (k + m))
        return cls(rng.uniform(-limit, limit, size=(m, k)), np.zeros(m), phi)

    @property
    def width(self) -> int:
        """m, the number of neurons."""
        return self.W.shape[0]

    @property
    def in_features(self) -> int:
        """k, the input dimension."""
        return self.W.shape[1]

    @property
    def theta(self) -> tuple[np.ndarray, np.ndarray]:
        return self.W, self.b

    def preactivation(self, x: np.ndarray) -> np.ndarray:
        """W x + b, shape (m,) or (n, m)."""
        x = check_input(x, self.in_features)
        return x @ self.W.T + self.b

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """H(x) = φ̂(W x + b) (eq. 1.2); shape (m,) for x of shape (k,), (n, m) for (n, k)."""
        return self.phi.fn(self.preactivation(x))

    def neurons(self) -> list[Neuron]:
        """The component functions h_1, …, h_m of H as neurons with w_i = Wᵀe_i, b_i = ⟨b, e_i⟩."""
        e = np.eye(self.width)
        return [Neuron(self.W.T @ e[i], float(self.b @ e[i]), self.phi) for i in range(self.width)]

    def __repr__(self) -> str:
        return f"Layer({self.in_features} → {self.width}, φ={self.phi.name})"
