"""Tests of ae_lib.core.seeds: one spelling of randomness, converted once."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ae_lib.core.seeds import forked_global_rng, numpy_rng, seed_ints, torch_gen


class TestSeeds:
    def test_int_seeds_repeat(self):
        """The same int gives the same draws, from NumPy and from torch."""
        assert numpy_rng(3).random() == numpy_rng(3).random()
        a = torch.rand(2, generator=torch_gen(3))
        assert torch.equal(a, torch.rand(2, generator=torch_gen(3)))

    def test_generators_pass_through(self):
        """A generator of the library asked for is used and advanced as given."""
        g, t = np.random.default_rng(0), torch.Generator().manual_seed(0)
        assert numpy_rng(g) is g and torch_gen(t) is t

    def test_other_library_draws_one_seed(self):
        """A generator of the other library is converted by drawing one seed from it."""
        g = np.random.default_rng(0)
        torch_gen(g)
        assert g.random() != np.random.default_rng(0).random()

    def test_seed_ints(self):
        """n separate streams: s, s + 1, ... for an int s."""
        assert seed_ints(5, 3) == [5, 6, 7]

    def test_forked_global_rng_leaves_the_caller_s_state(self):
        """Draws inside the fork are seeded; torch's global generator is as it was after."""
        before = torch.get_rng_state()
        with forked_global_rng(1):
            a = torch.rand(1)
        with forked_global_rng(1):
            assert torch.equal(a, torch.rand(1))
        assert torch.equal(before, torch.get_rng_state())

    @pytest.mark.parametrize("bad", ["0", 1.5, True, -1])
    def test_bad_seed(self, bad):
        with pytest.raises((TypeError, ValueError), match="seed"):
            numpy_rng(bad)
