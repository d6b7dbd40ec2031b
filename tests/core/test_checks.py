"""Tests of ae_lib.core.checks: one exception for training that diverged, and its message."""

from __future__ import annotations

from pathlib import Path

import ae_lib as ae
from ae_lib.core.checks import diverged


class TestTrainingDiverged:
    def test_one_exception_class(self):
        """Both loops raise ae_lib.core.checks.TrainingDiverged, a FloatingPointError."""
        from ae_lib.core import checks, training
        from ae_lib.networks import backprop

        assert issubclass(ae.TrainingDiverged, FloatingPointError)
        assert ae.TrainingDiverged is checks.TrainingDiverged
        assert "diverged(" in Path(training.__file__).read_text()
        assert "diverged(" in Path(backprop.__file__).read_text()

    def test_message_names_epoch_step_and_lr(self):
        """The message names what went non-finite, the epoch, the step (when known) and lr."""
        err = diverged("the training loss became nan", 3, 7, 0.5)
        assert isinstance(err, ae.TrainingDiverged)
        assert str(err).startswith("the training loss became nan at epoch 3, step 7 (lr=0.5)")
        assert "at epoch 2 (lr=" in str(diverged("the validation loss became inf", 2, None, 1e-3))

    def test_schedule_named(self):
        """A step-size schedule is named by its __name__ (step_sizes gives one)."""
        assert "(lr=0.5/(t+1)^1)" in str(diverged("x", 1, 1, ae.step_sizes("1/t", 0.5)))
