"""Text encoders: raw sentences to float32 conditioning embeddings, inside TensorFlow graphs.

- ``TextEncoder``: the interface (a ``keras.Model``): ``embedding_dim``, ``name``,
  ``__call__(tf.string [batch]) -> float32 [batch, embedding_dim]``, ``encode(list[str])``.
- ``SentenceEncoder``: pretrained all-MiniLM-L6-v2 (384-d), shipped in ``saved_models/``.
- ``HubTextEncoder``: any TF-Hub handle or local SavedModel.
- ``PrecomputedEmbeddings``: lookup of StackGAN's original char-CNN-RNN vectors (no free text).
- ``CharCNNRNNEncoder``: Reed et al.'s char-CNN-RNN, trained from scratch with
  ``JointEmbeddingModel`` (text + ``SmallImageEncoder``, ``symmetric_joint_embedding_loss``).
"""

from keras_stackgan.text.char_cnn_rnn_encoder import CharCNNRNNEncoder
from keras_stackgan.text.hub_text_encoder import HubTextEncoder
from keras_stackgan.text.image_encoder import SmallImageEncoder
from keras_stackgan.text.joint_embedding_loss import symmetric_joint_embedding_loss
from keras_stackgan.text.joint_embedding_model import JointEmbeddingModel
from keras_stackgan.text.precomputed_embeddings import PrecomputedEmbeddings
from keras_stackgan.text.sentence_encoder import SentenceEncoder
from keras_stackgan.text.text_encoder import TextEncoder

__all__ = [
    "CharCNNRNNEncoder",
    "HubTextEncoder",
    "JointEmbeddingModel",
    "PrecomputedEmbeddings",
    "SentenceEncoder",
    "SmallImageEncoder",
    "TextEncoder",
    "symmetric_joint_embedding_loss",
]
