"""Neurons, layers and deep networks f_{φ,L,θ} in NumPy, and their torch twins (Section 1.1).

Thesis items: Definition 1.1.3 (:obj:`~ae_lib.Neuron`); Definition 1.1.4 (:obj:`~ae_lib.Layer`);
Definition 1.1.5 (:obj:`~ae_lib.DeepNetwork`).

Neurons and layers: Definitions 1.1.3 and 1.1.4 of the thesis.

Each ``__call__`` *is* the formula of its definition::

    Neuron:       h(x) = φ(⟨w, x⟩ + b)                       (eq. 1.1)
    Layer:        H(x) = φ̂(W x + b)                          (eq. 1.2)

Inputs are a single point of shape ``(k,)`` or a batch of ``n`` points of shape
``(n, k)`` (one point per row), so that ``H(X)[j] == H(X[j])``.  Layers compose into the
deep network of Definition 1.1.5 (:mod:`ae_lib.networks.network`).

Deep networks: Definition 1.1.5 of the thesis, layers composed.

``__call__`` *is* the formula::

    DeepNetwork:  f_{φ,L,θ}(x) = H_L ∘ … ∘ H_1(x)             (eq. 1.3)

with the layers H_i of :mod:`ae_lib.networks.network`.  Inputs are a single point of shape ``(d_0,)``
or a batch of ``n`` points of shape ``(n, d_0)`` (one point per row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import torch

from ..core import checks as check
from ..core.checks import as_finite_array
from ..core.seeds import Seed, forked_global_rng, numpy_rng
from ..core.torch_nets import mlp
from .activations import Activation, get_activation

__all__ = ["DeepNetwork", "Layer", "Neuron", "to_torch"]


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


_Net = TypeVar("_Net", bound="DeepNetwork")


class DeepNetwork:
    """A φ-deep neural network f_{φ,L,θ} = H_L ∘ … ∘ H_1 (Definition 1.1.5).

    Parameters
    ----------
    layers : sequence of Layer
        H_1, …, H_L; the output width of H_i must equal the input width of H_{i+1}.

    Notes
    -----
    The thesis uses one φ for every layer, the last one included.  The book lets each
    layer carry its own φ (``DeepNetwork.from_widths(..., output_phi=identity)`` gives
    the usual affine output layer); with a single φ it is exactly Definition 1.1.5.
    A network of depth L has L + 1 widths ``(d_0, d_1, …, d_L)``: input, L - 1 hidden
    widths and output (see the Remark in Section 1.1 on the draft's indexing).
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(f"layers must be a sequence of Layer, got {type(layers).__name__}")
        layers = list(layers)
        if not layers:
            raise ValueError("layers must contain at least one Layer (depth L >= 1)")
        for i, H in enumerate(layers):
            if not isinstance(H, Layer):
                raise TypeError(f"layers[{i}] must be a Layer, got {type(H).__name__}")
        for i in range(len(layers) - 1):
            if layers[i].width != layers[i + 1].in_features:
                raise ValueError(
                    f"layers[{i}] has width {layers[i].width} but layers[{i + 1}] expects "
                    f"{layers[i + 1].in_features} inputs"
                )
        self.layers = layers

    @classmethod
    def from_widths(
        cls: type[_Net],
        widths: Sequence[int],
        phi: Activation | str,
        *,
        seed: Seed = 0,
        output_phi: Activation | str | None = None,
    ) -> _Net:
        """A randomly initialised network with widths ``(d_0, …, d_L)``.

        Parameters
        ----------
        widths : sequence of int
            Input width, hidden widths, output width; at least two entries.
        phi : Activation or str
            Activation of every layer.
        seed : int, numpy.random.Generator or torch.Generator
            Source of the random weights.
        output_phi : Activation or str, optional
            Activation of the last layer; default ``phi`` (the thesis's definition).

        Examples
        --------
        >>> DeepNetwork.from_widths([4, 3, 2], "relu", seed=0)
        DeepNetwork(widths=(4, 3, 2), L=2)
        """
        widths = check.widths("widths", widths, min_len=2)
        phi = get_activation(phi)
        last = phi if output_phi is None else get_activation(output_phi, "output_phi")
        rng = numpy_rng(seed)
        return cls(
            [
                Layer.random(widths[i], widths[i + 1], phi if i < len(widths) - 2 else last, seed=rng)
                for i in range(len(widths) - 1)
            ]
        )

    @property
    def depth(self) -> int:
        """L, the number of layers."""
        return len(self.layers)

    @property
    def widths(self) -> tuple[int, ...]:
        """(d_0, d_1, …, d_L): input width followed by each layer's width."""
        return (self.layers[0].in_features,) + tuple(H.width for H in self.layers)

    @property
    def theta(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """θ = (θ_1, …, θ_L) with θ_i = (W_i, b_i)."""
        return [H.theta for H in self.layers]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """f(x) = H_L(… H_1(x)) (eq. 1.3); shape (d_L,) for x of shape (d_0,), (n, d_L) for (n, d_0)."""
        x = check_input(x, self.widths[0])
        for H in self.layers:
            x = H.phi.fn(x @ H.W.T + H.b)
        return x

    def __repr__(self) -> str:
        return f"DeepNetwork(widths={self.widths}, L={self.depth})"


def to_torch(net: DeepNetwork | Layer, dtype: torch.dtype = torch.float64) -> torch.nn.Sequential:
    """The ``torch.nn`` twin of a NumPy network: :func:`~ae_lib.mlp` with the same weights.

    Parameters
    ----------
    net : DeepNetwork or Layer
    dtype : torch.dtype
        float64 by default, so that the twin agrees with NumPy to ~1e-15.

    Returns
    -------
    torch.nn.Sequential
        Maps tensors of shape (n, d_0) to (n, d_L).
    """
    check.instance("net", net, (DeepNetwork, Layer))
    check.instance("dtype", dtype, torch.dtype)
    layers = [net] if isinstance(net, Layer) else net.layers
    widths = (layers[0].in_features, *(H.width for H in layers))
    with forked_global_rng(0):  # mlp's initial weights are overwritten below
        twin = mlp(widths, [H.phi.torch for H in layers[:-1]], output_phi=layers[-1].phi.torch, dtype=dtype)
    linears = [m for m in twin if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, H in zip(linears, layers):
            lin.weight.copy_(torch.as_tensor(H.W, dtype=dtype))
            lin.bias.copy_(torch.as_tensor(H.b, dtype=dtype))
    return twin
