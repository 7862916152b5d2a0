"""Text encoders: raw sentences to float32 conditioning embeddings, inside TensorFlow graphs."""

from keras_stackgan.text.sentence_encoder import SentenceEncoder
from keras_stackgan.text.text_encoder import TextEncoder

__all__ = ["SentenceEncoder", "TextEncoder"]
