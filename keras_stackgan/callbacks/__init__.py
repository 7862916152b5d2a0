"""Keras callbacks for GAN training: sample sheets, snapshots, time budgets, safe resumption."""

from keras_stackgan.callbacks.epoch_timer import EpochTimer
from keras_stackgan.callbacks.generator_checkpoint import GeneratorCheckpoint
from keras_stackgan.callbacks.generator_samples import GeneratorSamples
from keras_stackgan.callbacks.non_finite import NonFiniteError, StopOnNonFinite
from keras_stackgan.callbacks.quality_curve import QualityCurve, read_curve
from keras_stackgan.callbacks.resumable_backup import ResumableBackup, resume_epoch
from keras_stackgan.callbacks.sample_grid import SampleGrid
from keras_stackgan.callbacks.time_budget import TimeBudget

__all__ = [
    "EpochTimer",
    "GeneratorCheckpoint",
    "GeneratorSamples",
    "NonFiniteError",
    "QualityCurve",
    "ResumableBackup",
    "SampleGrid",
    "StopOnNonFinite",
    "TimeBudget",
    "read_curve",
    "resume_epoch",
]
