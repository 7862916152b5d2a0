"""Pretrained ``SentenceEncoder`` presets shipped in ``saved_models/`` (data, not code).

Each entry maps a preset name to its metadata and to ``path``, the folder name inside the
top-level ``saved_models/`` directory (installed as ``keras_stackgan.saved_models``), which holds
``config.json``, ``assets/tokenizer/vocabulary.txt``, ``backbone_weights.h5``, a model card and the
upstream licence notice.
"""

backbone_presets = {
    "all_minilm_l6_v2_en": {
        "metadata": {
            "description": (
                "all-MiniLM-L6-v2 sentence-transformers model (6-layer, 384-d MiniLM BERT, "
                "uncased WordPiece vocabulary, masked mean pooling, L2-normalised), converted "
                "to keras-hub BertBackbone weights stored as float16. Apache-2.0."
            ),
            "params": 22_713_216,
            "path": "sentence_encoder",
        },
        "path": "sentence_encoder",
    },
}

# Other names accepted for the same presets (the folder name, as in ``saved_models/<name>/``).
preset_aliases = {"sentence_encoder": "all_minilm_l6_v2_en"}
