"""A tiny text-to-image pipeline: a random two-layer sentence encoder and tiny generators."""

import numpy as np
import pytest

from keras_stackgan.models.stackgan import StageIGenerator, StageIIGenerator
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from keras_stackgan.text import SentenceEncoder
from tests.text.conftest import TINY_VOCABULARY

EMBEDDING_DIM = 8


def tiny_text_encoder():
    return SentenceEncoder(
        vocabulary=list(TINY_VOCABULARY),
        num_layers=2,
        num_heads=2,
        hidden_dim=EMBEDDING_DIM,
        intermediate_dim=16,
        max_sequence_length=32,
        sequence_length=12,
    )


def _spread(model, seed):
    # The paper's N(0, 0.02) init makes a fresh generator's output an almost flat grey (all
    # pixels 127 or 128 in uint8); wider random kernels give images in which noise and text
    # visibly matter, which is what these tests check.
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        if len(variable.shape) > 1:
            variable.assign(rng.normal(0.0, 0.1, variable.shape).astype("float32"))
    return model


def tiny_generators(stage2=True):
    stage1 = _spread(StageIGenerator(EMBEDDING_DIM, condition_dim=4, noise_dim=6, gf_dim=8), 0)
    if not stage2:
        return stage1, None
    return stage1, _spread(
        StageIIGenerator(EMBEDDING_DIM, condition_dim=4, gf_dim=4, image_size=128), 1
    )


@pytest.fixture
def tiny_pipeline():
    """Stage-I 64 px + Stage-II 128 px with random weights, behind a tokenizer in the graph."""
    stage1, stage2 = tiny_generators()
    return StackGANPipeline(tiny_text_encoder(), stage1, stage2, name="tiny")
