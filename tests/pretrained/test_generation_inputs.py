"""Generation's bad and unusual input of issue 15, through the API and the CLI.

Each case gives a valid result or one clear error (API: ``ValueError``/``TypeError`` naming
the argument; CLI: one line on stderr, exit status 2, no traceback). The tiny pipeline stands
in for a shipped preset. The SavedModel cases are in ``test_export.py``.
"""

import numpy as np
import pytest

from keras_stackgan import cli
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from tests.pretrained.conftest import tiny_generators, tiny_text_encoder

UNUSUAL_TEXTS = {
    "emoji": "a 🐦 with 🔴 wings 🎉",
    "CJK": "一只红色的小鸟，翅膀是黑色的",
    "RTL": "طائر أحمر صغير بأجنحة سوداء",
    "20,000 characters": "a red bird " * 1818 + "ab",
}


@pytest.fixture(scope="module")
def pipeline():
    stage1, _ = tiny_generators(stage2=False)
    return StackGANPipeline(tiny_text_encoder(), stage1, None, name="tiny-64")


def test_unusual_texts_give_images(pipeline):
    assert len(UNUSUAL_TEXTS["20,000 characters"]) == 20_000
    images = pipeline.generate(list(UNUSUAL_TEXTS.values()), images_per_text=2, seed=0)
    assert images.shape == (8, 64, 64, 3) and images.dtype == np.uint8
    for text in UNUSUAL_TEXTS.values():  # each alone, as a plain str
        assert pipeline.generate(text, seed=5).shape == (1, 64, 64, 3)


@pytest.mark.parametrize(
    "texts, error, match",
    [
        (None, TypeError, "str"),
        ([], ValueError, "(?i)empty|at least one"),
        ("", ValueError, "empty"),
        ([1, 2], TypeError, "str"),
        (["a bird", None], TypeError, "str"),
        (b"a bird", TypeError, "str"),
        (42, TypeError, "str"),
    ],
)
def test_bad_texts_are_one_clear_error(pipeline, texts, error, match):
    with pytest.raises(error, match=match):
        pipeline.generate(texts, seed=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"images_per_text": 0}, "images_per_text"),
        ({"images_per_text": -3}, "images_per_text"),
        ({"images_per_text": 10**9}, "limit"),
        ({"seed": 2**63}, "seed"),
        ({"seed": -(2**63) - 1}, "seed"),
        ({"truncation": 0.0}, "truncation"),
        ({"truncation": -1.0}, "truncation"),
    ],
)
def test_bad_counts_seeds_and_truncations(pipeline, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        pipeline.generate("a red bird", **{"seed": 0, **kwargs})


def test_negative_seeds_are_valid_and_deterministic(pipeline):
    first = pipeline.generate("a red bird", images_per_text=2, seed=-7)
    np.testing.assert_array_equal(
        first, pipeline.generate("a red bird", images_per_text=2, seed=-7)
    )


def test_a_thousand_sentences_are_generated_in_bounded_batches(pipeline, monkeypatch):
    """1,000 sentences at once: every image comes back, and no forward pass of the generator
    (nor of the text encoder) sees more than its batch size."""
    generator_rows, encoder_rows = [], []
    compiled = pipeline._function(False)
    monkeypatch.setattr(
        pipeline,
        "_function",
        lambda stage1: (
            lambda *args: (generator_rows.append(int(args[0].shape[0])), compiled(*args))[1]
        ),
    )
    encode_strings = pipeline.text_encoder.encode_strings
    monkeypatch.setattr(
        pipeline.text_encoder,
        "encode_strings",
        lambda texts, **kw: (encoder_rows.append(int(texts.shape[0])), encode_strings(texts, **kw))[
            1
        ],
    )
    texts = [f"bird number {i} is red" for i in range(1000)]
    images = pipeline.generate(texts, seed=0, batch_size=64)
    assert images.shape == (1000, 64, 64, 3)
    assert generator_rows and max(generator_rows) <= 64 and sum(generator_rows) == 1000
    assert not encoder_rows or max(encoder_rows) <= 64


# === The CLI: one line, exit status 2 ===


@pytest.fixture
def cli_pipeline(monkeypatch, pipeline):
    monkeypatch.setattr(
        "keras_stackgan.pretrained.load.load_pretrained", lambda name, stage=None: pipeline
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["a bird", "--num", "-2"], "--num must be >= 1"),
        (["a bird", "--num", str(10**9)], "limit"),
        (["a bird", "--seed", str(2**64)], "seed"),
        (["a bird", "--truncation", "0"], "truncation"),
        (["a bird", "--truncation", "-1"], "truncation"),
        (["", " "], "non-empty sentence"),
    ],
)
def test_cli_bad_generation_input_is_one_line_status_2(
    cli_pipeline, tmp_path, capsys, argv, message
):
    assert cli.main(["generate", *argv, "-o", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert "Traceback" not in err and err.startswith("keras-stackgan generate: error:")


def test_cli_unknown_stage_is_status_2(cli_pipeline, tmp_path, capsys):
    """argparse refuses ``--stage 512`` in one error line, status 2."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["generate", "a bird", "--stage", "512", "-o", str(tmp_path / "x.png")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: '512'" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_cli_unusual_texts_and_a_missing_output_folder(cli_pipeline, tmp_path, capsys):
    output = tmp_path / "new" / "folder" / "sheet.png"
    argv = ["generate", *UNUSUAL_TEXTS.values(), "--num", "1", "--seed", "-1", "-o", str(output)]
    assert cli.main(argv) == 0
    assert output.is_file() and "wrote" in capsys.readouterr().out


def test_unknown_stage_of_a_preset_folder(tmp_path):
    """``load_preset_dir(..., stage="512")`` names the stages the preset has (before loading
    its text encoder)."""
    from keras_stackgan.pretrained.load import load_preset_dir
    from keras_stackgan.pretrained.package import write_preset

    stage1, _ = tiny_generators(stage2=False)
    write_preset(tmp_path / "p", family="stackgan", text_encoder="none", stage1_generator=stage1)
    with pytest.raises(ValueError, match=r"has stages \['64'\], not '512'"):
        load_preset_dir(tmp_path / "p", stage="512")
