"""Tests of ae_lib.autoencoder_net: the trainable torch twin of Chapter 2's Autoencoder."""

import pytest
import torch

import ae_lib as ae


class TestAutoencoderNet:
    def test_shapes(self):
        """encode (n, d) → (n, z), decode (n, z) → (n, d), forward = decode ∘ encode."""
        net = AE = ae.AutoencoderNet([64, 32, 8], "silu", output_phi="sigmoid", seed=0)
        x = torch.rand(5, 64)
        assert AE.encode(x).shape == (5, 8) and net.decode(torch.rand(5, 8)).shape == (5, 64)
        assert torch.equal(net(x), net.decode(net.encode(x))) and net.latent_dim == 8

    def test_output_in_unit_interval(self):
        """A sigmoid output layer gives reconstructions in (0, 1)."""
        net = ae.AutoencoderNet([10, 3], "relu", output_phi="sigmoid", seed=0)
        y = net(torch.randn(20, 10) * 10)
        assert (y > 0).all() and (y < 1).all()

    def test_strict_widths(self):
        """Non-monotone widths are refused unless strict=False; the bottleneck must still match."""
        with pytest.raises(ValueError, match=r"Lemma 2\.1\.1"):
            ae.AutoencoderNet([64, 128, 8], "relu")
        net = ae.AutoencoderNet([64, 128, 8], "relu", strict=False)
        assert net.decoder_widths == (8, 128, 64)
        with pytest.raises(ValueError, match="bottleneck mismatch"):
            ae.AutoencoderNet([64, 8], "relu", decoder_widths=[4, 64], strict=False)

    def test_seeded(self):
        """Same seed, same initial weights; the global torch generator is left alone."""
        state = torch.random.get_rng_state()
        a, b = ae.AutoencoderNet([6, 2], "tanh", seed=3), ae.AutoencoderNet([6, 2], "tanh", seed=3)
        assert torch.equal(torch.random.get_rng_state(), state)
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
