"""``SentenceEncoder``: a pretrained BERT sentence embedder (all-MiniLM-L6-v2) with in-graph
tokenization, built from keras-hub's ``BertTokenizer`` and ``BertBackbone``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import h5py
import keras
import keras_hub
import tensorflow as tf

from keras_stackgan.assets import saved_model_path
from keras_stackgan.text.sentence_encoder_presets import backbone_presets, preset_aliases
from keras_stackgan.text.text_encoder import TextEncoder

CONFIG_FILE = "config.json"
VOCABULARY_FILE = os.path.join("assets", "tokenizer", "vocabulary.txt")
WEIGHTS_FILE = "backbone_weights.h5"


@keras.saving.register_keras_serializable(package="keras_stackgan")
class SentenceEncoder(TextEncoder):
    """BERT sentence encoder: raw text to L2-normalised sentence embeddings, all in-graph.

    Text is lower-cased, accent-stripped and split into WordPiece tokens by keras-hub's
    ``BertTokenizer`` (TensorFlow Text ops, so it runs inside ``tf.function`` and exported
    SavedModels), packed as ``[CLS] tokens [SEP]`` and truncated to ``sequence_length`` tokens
    (special tokens included; the rest of a longer text is ignored), run through a
    ``keras_hub.models.BertBackbone``, mean-pooled over the non-padding tokens and L2-normalised.
    With the shipped preset this reproduces sentence-transformers' ``all-MiniLM-L6-v2``
    (cosine >= 0.999 to the original, see ``tests/text/test_sentence_encoder.py``).

    Inside graphs every string is valid: empty or whitespace-only text is encoded as
    ``[CLS] [SEP]`` (the same embedding sentence-transformers gives ``""``); characters outside
    the vocabulary (most emoji) and words longer than 100 bytes become ``[UNK]``, as in Hugging
    Face's tokenizer. ``encode`` rejects empty text unless
    ``allow_empty=True``.

    Most users want ``SentenceEncoder.from_pretrained()``; the constructor builds a randomly
    initialised encoder of the given size.

    Args:
        vocabulary: list of str. WordPiece vocabulary; must contain ``[CLS]``, ``[SEP]``,
            ``[PAD]``, ``[MASK]`` and ``[UNK]``.
        num_layers: int. Number of transformer layers.
        num_heads: int. Attention heads per layer.
        hidden_dim: int. Width of the transformer, and size of the output embeddings.
        intermediate_dim: int. Width of the feed-forward sub-layers.
        max_sequence_length: int. Number of learned position embeddings (512 for BERT).
        sequence_length: int. Tokens per sentence after packing, ``[CLS]`` and ``[SEP]``
            included; at most ``max_sequence_length``. Defaults to 64.
        lowercase: bool. Lower-case (Unicode case folding) before tokenizing. Defaults to
            ``True`` (uncased models).
        strip_accents: bool. Remove accents (NFD then drop combining marks). Defaults to
            ``True``, matching Hugging Face's uncased ``BertTokenizer``.
        normalize: bool. L2-normalise the pooled embedding. Defaults to ``True``.
        dropout: float. Dropout rate of the backbone (used only with ``training=True``).
        **kwargs: passed to ``keras.Model`` (``name``, ``dtype``...).

    Call arguments:
        inputs: ``tf.string`` tensor of shape ``[batch]``.

    Returns:
        float32 tensor of shape ``[batch, hidden_dim]``; unit L2 norm (values in ``[-1, 1]``)
        when ``normalize=True``.

    Examples:
    ```python
    encoder = keras_stackgan.text.SentenceEncoder.from_pretrained()
    embeddings = encoder.encode(["a small red bird with black wings"])  # (1, 384) float32

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def embed(texts):
        return encoder(texts)
    ```
    """

    def __init__(
        self,
        vocabulary: list[str],
        num_layers: int,
        num_heads: int,
        hidden_dim: int,
        intermediate_dim: int,
        max_sequence_length: int = 512,
        sequence_length: int = 64,
        lowercase: bool = True,
        strip_accents: bool = True,
        normalize: bool = True,
        dropout: float = 0.1,
        **kwargs,
    ):
        if vocabulary is None or isinstance(vocabulary, str):
            raise ValueError(
                "SentenceEncoder needs the vocabulary as a list of str (load a pretrained "
                "encoder with SentenceEncoder.from_pretrained(), which reads it from the preset)."
            )
        if not 2 < sequence_length <= max_sequence_length:
            raise ValueError(
                f"sequence_length must be in (2, max_sequence_length={max_sequence_length}], "
                f"got {sequence_length}."
            )
        super().__init__(embedding_dim=hidden_dim, **kwargs)

        # === Layers ===
        self.tokenizer = keras_hub.models.BertTokenizer(
            vocabulary=list(vocabulary),
            lowercase=lowercase,
            strip_accents=strip_accents,
            _allow_python_workflow=False,
            name="tokenizer",
        )
        self.packer = keras_hub.layers.StartEndPacker(
            start_value=self.tokenizer.cls_token_id,
            end_value=self.tokenizer.sep_token_id,
            pad_value=self.tokenizer.pad_token_id,
            sequence_length=sequence_length,
            return_padding_mask=True,
            _allow_python_workflow=False,
            name="packer",
        )
        self.backbone = keras_hub.models.BertBackbone(
            vocabulary_size=len(vocabulary),
            num_layers=num_layers,
            num_heads=num_heads,
            hidden_dim=hidden_dim,
            intermediate_dim=intermediate_dim,
            dropout=dropout,
            max_sequence_length=max_sequence_length,
            dtype=self.dtype_policy,
            name="backbone",
        )
        self.built = True

        # === Config ===
        self.vocabulary = list(vocabulary)
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.hidden_dim = hidden_dim
        self.intermediate_dim = intermediate_dim
        self.max_sequence_length = max_sequence_length
        self.sequence_length = sequence_length
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.normalize = normalize
        self.dropout = dropout

    def tokenize(self, texts) -> tuple[tf.Tensor, tf.Tensor]:
        """Token ids and padding mask of ``texts``, as the backbone sees them.

        Args:
            texts: ``tf.string`` tensor ``[batch]``.

        Returns:
            ``(token_ids, padding_mask)``: int32 ``[batch, sequence_length]`` each; the mask is
            1 on ``[CLS]``, the text's tokens and ``[SEP]``, 0 on padding.
        """
        token_ids, padding_mask = self.packer(self.tokenizer(texts))
        return tf.cast(token_ids, "int32"), tf.cast(padding_mask, "int32")

    def encode_strings(self, texts: tf.Tensor, training: bool = False) -> tf.Tensor:
        token_ids, padding_mask = self.tokenize(texts)
        sequence = self.backbone(
            {
                "token_ids": token_ids,
                "segment_ids": tf.zeros_like(token_ids),
                "padding_mask": padding_mask,
            },
            training=training,
        )["sequence_output"]
        sequence = tf.cast(sequence, "float32")
        mask = tf.cast(padding_mask, "float32")[:, :, None]
        pooled = tf.reduce_sum(sequence * mask, axis=1) / tf.maximum(
            tf.reduce_sum(mask, axis=1), 1e-9
        )
        if self.normalize:
            pooled = tf.math.l2_normalize(pooled, axis=-1, epsilon=1e-24)
        return pooled

    def get_config(self) -> dict:
        config = super().get_config()
        del config["embedding_dim"]  # always hidden_dim
        config.update(
            {
                "vocabulary": self.vocabulary,
                "num_layers": self.num_layers,
                "num_heads": self.num_heads,
                "hidden_dim": self.hidden_dim,
                "intermediate_dim": self.intermediate_dim,
                "max_sequence_length": self.max_sequence_length,
                "sequence_length": self.sequence_length,
                "lowercase": self.lowercase,
                "strip_accents": self.strip_accents,
                "normalize": self.normalize,
                "dropout": self.dropout,
            }
        )
        return config

    # === Presets ===

    @classmethod
    def presets(cls) -> dict:
        """The shipped presets: ``{name: {"metadata": {...}, "path": folder}}``."""
        return dict(backbone_presets)

    @classmethod
    def from_pretrained(
        cls, preset: str | os.PathLike = "all_minilm_l6_v2_en", **kwargs
    ) -> SentenceEncoder:
        """Loads a pretrained encoder from a shipped preset name or a preset directory.

        Works offline: reads only local files (``config.json``,
        ``assets/tokenizer/vocabulary.txt``, ``backbone_weights.h5``), never a remote handle. The
        weights may be stored in float16; they are loaded into float32 variables.

        Args:
            preset: a name from ``SentenceEncoder.presets()`` (default ``"all_minilm_l6_v2_en"``,
                alias ``"sentence_encoder"``), or the path of a directory written by
                ``save_to_preset``: a ``pathlib.Path`` or a string with a separator
                (``"./my_encoder"``). A bare name is always a shipped preset, even where the
                current folder has a subfolder of that name.
            **kwargs: override constructor arguments, e.g. ``sequence_length=128`` or ``name``.

        Returns:
            A ``SentenceEncoder`` with pretrained weights.

        Raises:
            ValueError: if ``preset`` is neither a known name nor a preset directory, or the
                files do not match.
        """
        directory = _resolve_preset(preset)
        config_path = directory / CONFIG_FILE
        if not config_path.is_file():
            raise ValueError(f"{directory} is not a SentenceEncoder preset: no {CONFIG_FILE}.")
        serialized = json.loads(config_path.read_text(encoding="utf-8"))
        if serialized.get("class_name") != cls.__name__:
            raise ValueError(
                f"{config_path} describes a {serialized.get('class_name')!r}, not a {cls.__name__}."
            )
        config = dict(serialized["config"])
        vocabulary_path = directory / VOCABULARY_FILE
        with open(vocabulary_path, encoding="utf-8") as file:
            config["vocabulary"] = [line.rstrip("\n") for line in file]
        config.update(kwargs)
        encoder = cls(**config)
        encoder.load_preset_weights(directory / WEIGHTS_FILE)
        return encoder

    def load_preset_weights(self, path: str | os.PathLike) -> None:
        """Loads backbone weights written by ``save_to_preset`` (any float dtype, cast here).

        Raises:
            ValueError: if the file's variables do not match this backbone's names and shapes.
        """
        variables = {variable.path: variable for variable in self.backbone.weights}
        with h5py.File(path, "r") as file:
            stored = {}
            file.visititems(
                lambda name, obj: (
                    stored.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None
                )
            )
            if set(stored) != set(variables):
                missing = sorted(set(variables) - set(stored))
                unexpected = sorted(set(stored) - set(variables))
                raise ValueError(
                    f"{path} does not match this backbone: missing {missing[:5]}, "
                    f"unexpected {unexpected[:5]}."
                )
            for name, variable in variables.items():
                value = stored[name][()]
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"{path}: {name} has shape {value.shape}, expected {variable.shape}."
                    )
                variable.assign(value.astype(variable.dtype))

    def save_to_preset(self, directory: str | os.PathLike, weights_dtype: str = "float16") -> None:
        """Writes this encoder as a preset directory that ``from_pretrained`` reads.

        Files: ``config.json`` (the serialized encoder without its vocabulary),
        ``assets/tokenizer/vocabulary.txt`` (one token per line) and ``backbone_weights.h5``
        (one dataset per backbone variable, named by its path, stored as ``weights_dtype``).

        Args:
            directory: where to write; created if missing.
            weights_dtype: str. Storage dtype of the weights, ``"float16"`` (half the size,
                cosine >= 0.999 to float32 for all-MiniLM-L6-v2) or ``"float32"``.
        """
        directory = Path(directory)
        (directory / VOCABULARY_FILE).parent.mkdir(parents=True, exist_ok=True)
        serialized = keras.saving.serialize_keras_object(self)
        serialized["config"] = {k: v for k, v in self.get_config().items() if k != "vocabulary"}
        (directory / CONFIG_FILE).write_text(json.dumps(serialized, indent=2) + "\n")
        with open(directory / VOCABULARY_FILE, "w", encoding="utf-8") as file:
            file.writelines(f"{token}\n" for token in self.vocabulary)
        with h5py.File(directory / WEIGHTS_FILE, "w") as file:
            for variable in self.backbone.weights:
                value = keras.ops.convert_to_numpy(variable).astype(weights_dtype)
                file.create_dataset(variable.path, data=value)


def _names_a_folder(preset: str | os.PathLike) -> bool:
    # The rule of keras_stackgan.metrics.evaluator_files.names_a_folder, repeated: the text
    # package must not import the metrics package, which imports it.
    if not isinstance(preset, str):
        return True
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return any(s in preset for s in separators) or preset.startswith((".", "~"))


def _resolve_preset(preset: str | os.PathLike) -> Path:
    """A shipped preset's folder for a bare name (never shadowed by a local folder of that
    name), else ``preset`` as a folder: a ``Path``, or a string with a separator or ``./``."""
    if not _names_a_folder(preset):
        name = preset_aliases.get(preset, preset)
        if name in backbone_presets:
            return saved_model_path(backbone_presets[name]["path"])
        known = sorted(backbone_presets) + sorted(preset_aliases)
        raise ValueError(
            f"Unknown SentenceEncoder preset {preset!r}: not one of {known}. To load a folder, "
            f"give it as a path (e.g. './{preset}')."
        )
    directory = Path(os.path.expanduser(os.fspath(preset)))
    if not directory.is_dir():
        raise ValueError(f"SentenceEncoder preset directory {os.fspath(preset)!r} does not exist.")
    return directory
