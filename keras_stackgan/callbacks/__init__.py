"""Keras callbacks for GAN training: sample sheets, generator snapshots, time budgets."""

from keras_stackgan.callbacks.epoch_timer import EpochTimer
from keras_stackgan.callbacks.generator_checkpoint import GeneratorCheckpoint
from keras_stackgan.callbacks.sample_grid import SampleGrid
from keras_stackgan.callbacks.time_budget import TimeBudget

__all__ = ["EpochTimer", "GeneratorCheckpoint", "SampleGrid", "TimeBudget"]
