"""Fixtures of the text encoder tests: a tiny vocabulary and the shipped pretrained encoder."""

import pytest

TINY_VOCABULARY = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "a", "the", "small", "large", "red", "white", "black", "bird", "wings", "with", "has",
    "beak", "##s", "##ed", ".", ",", "!", "cafe",
]  # fmt: skip


@pytest.fixture
def tiny_sentence_encoder_kwargs():
    """Constructor arguments of a randomly initialised two-layer ``SentenceEncoder``."""
    return {
        "vocabulary": list(TINY_VOCABULARY),
        "num_layers": 2,
        "num_heads": 2,
        "hidden_dim": 8,
        "intermediate_dim": 16,
        "max_sequence_length": 32,
        "sequence_length": 12,
    }


@pytest.fixture(scope="session")
def pretrained_sentence_encoder():
    """The shipped ``all_minilm_l6_v2_en`` encoder, loaded once per test session."""
    from keras_stackgan.text import SentenceEncoder

    return SentenceEncoder.from_pretrained()
