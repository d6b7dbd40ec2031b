"""The one spelling of randomness: ``seed: int | numpy.random.Generator | torch.Generator``.

Thesis items: none numbered; the tools the chapters share.

Every public callable that draws random numbers takes ``seed`` and turns it into the
generator it needs with :func:`numpy_rng` or :func:`torch_gen`.  An int ``0 <= seed < 2**32``
seeds a fresh generator; a generator of either library is used and advanced as given (the
other library's generator is converted by drawing one seed from it).  Nothing here, and
nothing that calls it, draws from a global generator; :func:`forked_global_rng` lets a
model constructor or ``fit`` seed torch's global generator without disturbing the caller's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, TypeAlias

import numpy as np
import torch

Seed: TypeAlias = int | np.random.Generator | torch.Generator

#: Int seeds lie in [0, SEED_LIMIT): every library the book uses accepts them (scikit-learn's
#: ``random_state`` is the narrowest).
SEED_LIMIT = 2**32


def check_seed(seed: Any, name: str = "seed") -> Seed:
    """``seed`` if it is a valid seed, else a ``TypeError``/``ValueError`` naming ``name``."""
    if isinstance(seed, (np.random.Generator, torch.Generator)):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"{name} must be an int, a numpy.random.Generator or a torch.Generator, got {type(seed).__name__}"
        )
    if not 0 <= seed < SEED_LIMIT:
        raise ValueError(f"{name} must be an int in [0, 2**32), got {seed}")
    return int(seed)


def _draw_int(seed: Seed) -> int:
    """One int in [0, 2**62) drawn from a generator (or the int itself)."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**62))
    if isinstance(seed, torch.Generator):
        return int(torch.randint(2**62, (1,), generator=seed))
    return int(seed)


def numpy_rng(seed: Any, name: str = "seed") -> np.random.Generator:
    """A ``numpy.random.Generator`` for ``seed`` (the same object if it already is one)."""
    seed = check_seed(seed, name)
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(_draw_int(seed))


def torch_gen(seed: Any, name: str = "seed") -> torch.Generator:
    """A CPU ``torch.Generator`` for ``seed`` (the same object if it already is one)."""
    seed = check_seed(seed, name)
    if isinstance(seed, torch.Generator):
        return seed
    return torch.Generator().manual_seed(_draw_int(seed))


def seed_ints(seed: Any, n: int, name: str = "seed") -> list[int]:
    """``n`` int seeds for ``n`` separate streams: ``s, s + 1, …`` for an int ``s``, else ``n`` draws."""
    seed = check_seed(seed, name)
    if isinstance(seed, int):
        return [seed + i for i in range(n)]
    return [_draw_int(seed) for _ in range(n)]


def sklearn_state(seed: Any, name: str = "seed") -> int:
    """A ``random_state`` for scikit-learn: the int itself, or one drawn from the generator."""
    seed = check_seed(seed, name)
    return seed if isinstance(seed, int) else _draw_int(seed) % SEED_LIMIT


@contextlib.contextmanager
def forked_global_rng(seed: int) -> Iterator[None]:
    """Run a block with torch's global generator seeded by ``seed``; restore it afterwards.

    For what draws from the global generator by design (``torch.nn.Linear``'s initial
    weights, dropout masks): the caller's global state is left as it was.
    """
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    with torch.random.fork_rng(devices=cuda):  # CUDA's generators too, once a model has used them
        torch.manual_seed(seed)
        yield
