"""Image grids and the paper's visual analyses on a tiny random pipeline."""

import numpy as np
import pytest
from PIL import Image

from keras_stackgan.visual import (
    image_grid,
    interpolate_noise,
    interpolate_texts,
    rows_to_sheet,
    save_grid,
    stages_side_by_side,
    style_transfer_sheet,
)
from tests.pretrained.conftest import tiny_pipeline  # noqa: F401 (fixture)


def test_grid_layout_and_captions(tmp_path):
    images = np.zeros((6, 10, 10, 3), np.uint8)
    images[2] = 255  # column 1, row 0 (column-major: 2 rows of 3 columns)
    sheet = image_grid(images, 3, padding=2)
    assert sheet.size == (3 * 12 + 2, 2 * 12 + 2)
    pixels = np.asarray(sheet)
    assert pixels[2:12, 14:24].min() == 255 and pixels[2:12, 2:12].max() == 0
    captioned = image_grid(images, 3, ["a", "b", "a much longer caption that wraps"])
    assert captioned.size[1] > sheet.size[1]
    path = save_grid(tmp_path / "sub" / "g.png", images.astype(np.float32) / 127.5 - 1.0, 3)
    assert (tmp_path / "sub" / "g.png").is_file() and path.endswith("g.png")
    with pytest.raises(ValueError, match="captions"):
        image_grid(images, 3, ["only one"])


def test_text_interpolation_ends_at_the_sentences(tiny_pipeline):  # noqa: F811
    rows = interpolate_texts(tiny_pipeline, "a red bird", "a black bird", steps=4, rows=2)
    assert rows.shape == (2, 4, 128, 128, 3)
    noise, _ = tiny_pipeline.noise(2, 0)
    ends = tiny_pipeline.generate_from_noise(
        np.repeat(tiny_pipeline.embed(["a red bird", "a black bird"]), 1, axis=0),
        np.stack([np.asarray(noise)[0], np.asarray(noise)[0]]),
    )
    np.testing.assert_array_equal(rows[0, 0], ends[0])
    np.testing.assert_array_equal(rows[0, -1], ends[1])
    assert rows_to_sheet(rows).size == (4 * 130 + 2, 2 * 130 + 2)


def test_noise_interpolation_and_stages(tiny_pipeline):  # noqa: F811
    rows = interpolate_noise(tiny_pipeline, ["a red bird"], steps=3, seeds=(0, 1))
    assert rows.shape == (1, 3, 128, 128, 3)
    assert not np.array_equal(rows[0, 0], rows[0, -1])
    sheet = stages_side_by_side(tiny_pipeline, ["a red bird", "white wings"])
    assert sheet.size[0] == 2 * 130 + 2 and sheet.size[1] > 2 * 130
    with pytest.raises(ValueError, match="steps"):
        interpolate_noise(tiny_pipeline, ["a"], steps=1)


def test_style_transfer_sheet_rows_are_queries():
    from keras_stackgan.models.gan_int_cls import GANINTCLSGenerator, StyleEncoder
    from keras_stackgan.pretrained.pipeline import StackGANPipeline
    from tests.pretrained.conftest import EMBEDDING_DIM, tiny_text_encoder

    pipeline = StackGANPipeline(
        tiny_text_encoder(),
        GANINTCLSGenerator(EMBEDDING_DIM, noise_dim=6, gf_dim=4),
        style_encoder=StyleEncoder(6, df_dim=4),
    )
    queries = np.random.default_rng(0).integers(0, 256, (3, 100, 100, 3), dtype=np.uint8)
    sheet = style_transfer_sheet(pipeline, queries, ["a red bird", "white wings"])
    # 3 rows of 1 query + 2 sentences, 64 px cells with 2 px padding, captions underneath.
    assert sheet.size[0] == 3 * 66 + 2 and sheet.size[1] > 3 * 66 + 2
    cell = np.asarray(sheet)[2 + 66 : 2 + 66 + 64, 2 : 2 + 64]  # row 1, column 0
    expected = np.asarray(Image.fromarray(queries[1]).resize((64, 64), Image.BICUBIC))
    np.testing.assert_array_equal(cell, expected)


def test_plot_curve_and_the_learning_curve_recipe(tmp_path, capsys):
    from PIL import Image

    from keras_stackgan.callbacks.quality_curve import _cell
    from keras_stackgan.visual import plot_curve
    from tests.conftest import load_recipe

    header = "epoch,generator_steps,proxy_is,proxy_fid,r_precision,train_seconds"
    rows = [[2, 204, 2.5, 20.0, 0.05, 600], [4, 408, 2.9, 15.5, None, 1200]]
    lines = [header] + [",".join(_cell(v) for v in row) for row in rows]
    (tmp_path / "curve.csv").write_text("\n".join(lines) + "\n")
    load_recipe("learning_curve").main([str(tmp_path), "--plot", str(tmp_path / "c.png")])
    out = capsys.readouterr().out
    assert "| 2 | 204 | 10 | 2.50 | 20.00 | 5.0% |" in out
    assert "| 4 | 408 | 20 | 2.90 | 15.50 |  |" in out
    with Image.open(tmp_path / "c.png") as image:
        assert image.size == (640, 3 * 200 + 24)
    plot_curve([], tmp_path / "empty.png", "no rows", [("x", "proxy_fid", "red")])
    assert (tmp_path / "empty.png").is_file()
