"""Tests of ae_lib.autoencoders.autoencoder.

Tests of ae_lib.autoencoders.autoencoder (Lemmas 2.1.1 and 2.1.2).

Tests of ae_lib.autoencoders.autoencoder: the trainable torch twin of Chapter 2's Autoencoder.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae


class TestCheckWidths:
    @pytest.mark.parametrize("widths", [(5, 4, 3, 2), (5, 5, 2), (3, 3), (7, 1)])
    def test_encoder_accepts_non_increasing(self, widths):
        """d_0 ≥ … ≥ d_L is accepted as an encoder (Lemma 2.1.1)."""
        assert ae.check_widths(widths, "encoder") == tuple(widths)

    def test_encoder_refuses_growth(self):
        """A width that grows names the widths and the offending pair."""
        with pytest.raises(
            ValueError, match=r"widths \[5, 4, 6, 2\] violate Lemma 2.1.1.*d_1 = 4 and d_2 = 6"
        ):
            ae.check_widths([5, 4, 6, 2], "encoder")

    def test_decoder_refuses_shrinking(self):
        """A width that shrinks violates Lemma 2.1.2, naming the widths."""
        with pytest.raises(ValueError, match=r"widths \[2, 3, 1, 5\] violate Lemma 2.1.2"):
            ae.check_widths([2, 3, 1, 5], "decoder")

    def test_bad_kind_and_length(self):
        """An unknown kind or a single width is refused."""
        with pytest.raises(ValueError, match="kind"):
            ae.check_widths([3, 2], "middle")
        with pytest.raises(ValueError, match="at least 2 entries"):
            ae.check_widths([3], "encoder")


class TestEncoder:
    def test_figure_2_2(self):
        """Figure 2.2's encoder maps ℝ⁵ → ℝ² through widths 4 and 3."""
        f = ae.Encoder.from_widths([5, 4, 3, 2], "relu", seed=0)
        assert f.widths == (5, 4, 3, 2) and f(np.ones((7, 5))).shape == (7, 2)

    def test_refuses_growing_widths(self):
        """Building an encoder whose widths grow raises a ValueError naming them."""
        with pytest.raises(ValueError, match=r"\[5, 4, 6, 2\]"):
            ae.Encoder.from_widths([5, 4, 6, 2], "relu", seed=0)

    def test_is_deep_network(self):
        """An encoder is a deep network f_{φ,L,θ} (Definition 1.1.5) with extra conditions."""
        assert isinstance(ae.Encoder.from_widths([3, 2], "tanh", seed=0), ae.DeepNetwork)


class TestDecoder:
    def test_figure_2_3(self):
        """Figure 2.3's decoder maps ℝ² → ℝ⁵ through widths 3 and 4."""
        g = ae.Decoder.from_widths([2, 3, 4, 5], "relu", seed=0)
        assert g.widths == (2, 3, 4, 5) and g(np.ones(2)).shape == (5,)

    def test_refuses_shrinking_widths(self):
        """A decoder whose widths shrink is refused (Lemma 2.1.2)."""
        with pytest.raises(ValueError, match=r"Lemma 2\.1\.2"):
            ae.Decoder.from_widths([2, 4, 3, 5], "relu", seed=0)

    def test_not_an_encoder(self):
        """A decoder is not an encoder (so Autoencoder can tell the two apart)."""
        assert not isinstance(ae.Decoder.from_widths([2, 5], "relu", seed=0), ae.Encoder)


class TestAutoencoder:
    def test_figure_2_1(self):
        """Figure 2.1: widths 5, 4, 3, 2, 3, 4, 5 with bottleneck 2; g∘f maps ℝ⁵ → ℝ⁵."""
        a = ae.Autoencoder.from_widths([5, 4, 3, 2], "relu", seed=0)
        X = np.random.default_rng(0).normal(size=(6, 5))
        assert a.widths == (5, 4, 3, 2, 3, 4, 5) and a.latent_dim == 2
        assert a.encode(X).shape == (6, 2) and a(X).shape == (6, 5)
        np.testing.assert_allclose(a(X), a.decoder(a.encoder(X)), atol=0)

    def test_bottleneck_mismatch(self):
        """An encoder ending in 2 and a decoder starting at 3 are refused, naming both widths."""
        f = ae.Encoder.from_widths([5, 4, 2], "relu", seed=0)
        g = ae.Decoder.from_widths([3, 4, 5], "relu", seed=0)
        with pytest.raises(ValueError, match=r"bottleneck mismatch.*\[5, 4, 2\].*\[3, 4, 5\]"):
            ae.Autoencoder(f, g)

    def test_output_dimension_mismatch(self):
        """The decoder must give back the input dimension."""
        f = ae.Encoder.from_widths([5, 2], "relu", seed=0)
        g = ae.Decoder.from_widths([2, 6], "relu", seed=0)
        with pytest.raises(ValueError, match=r"end in 6"):
            ae.Autoencoder(f, g)

    def test_types(self):
        """Encoder and decoder slots take Encoder and Decoder objects only."""
        g = ae.Decoder.from_widths([2, 5], "relu", seed=0)
        with pytest.raises(TypeError, match="encoder"):
            ae.Autoencoder(g, g)

    def test_torch_twin_agrees(self):
        """The torch twin computes the same codes and reconstructions to 1e-12 (float64)."""
        a = ae.Autoencoder.from_widths([8, 6, 3], ae.silu, output_phi="sigmoid", seed=1)
        net = ae.AutoencoderNet.from_autoencoder(a)
        X = np.random.default_rng(1).normal(size=(50, 8))
        with torch.no_grad():
            Xt = torch.from_numpy(X)
            np.testing.assert_allclose(net.encode(Xt).numpy(), a.encode(X), rtol=0, atol=1e-12)
            np.testing.assert_allclose(net(Xt).numpy(), a(X), rtol=0, atol=1e-12)


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
