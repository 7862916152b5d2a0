"""The preset evaluation driver: caption draws, report formatting, and (slow) a real run."""

import numpy as np
import pytest

from keras_stackgan.data import ImageRecord
from keras_stackgan.evaluation import EvaluationReport, evaluate_preset, held_out_captions
from keras_stackgan.pretrained import list_pretrained


def records(n):
    return [ImageRecord(f"{i}.jpg", f"k{i}", i % 3, (f"a{i}", f"b{i}")) for i in range(n)]


def test_held_out_captions_cover_records_before_repeating():
    picks, captions = held_out_captions(records(5), 12, seed=0)
    assert len(picks) == len(captions) == 12
    assert sorted(picks[:5]) == list(range(5)) and sorted(picks[5:10]) == list(range(5))
    for index, caption in zip(picks, captions, strict=True):
        assert caption in (f"a{index}", f"b{index}")
    again = held_out_captions(records(5), 12, seed=0)
    np.testing.assert_array_equal(picks, again[0])
    assert captions == again[1]


def test_report_table_and_dict():
    report = EvaluationReport(
        "cub", 8, [{"metric": "proxy-FID", "generated": "12.00", "real": "3.00"}], {}, "cmd"
    )
    assert "proxy-FID" in report.table() and "12.00" in report.table()
    assert report.to_dict()["rows"][0]["real"] == "3.00"


def test_unknown_metric():
    with pytest.raises(ValueError, match="Unknown metrics"):
        evaluate_preset("cub", ".", metrics=["bleu"])


@pytest.mark.slow
@pytest.mark.skipif("cub" not in list_pretrained(), reason="the cub preset is not shipped")
def test_evaluate_cub_end_to_end(shared_data):
    report = evaluate_preset("cub", shared_data, num_images=16, progress=False)
    names = [row["metric"] for row in report.rows]
    assert len(names) == 3 and "keras-stackgan evaluate" in report.command
    assert report.values["proxy_fid"]["real_test"] >= 0.0
    assert 0.0 <= report.values["r_precision"]["generated"] <= 1.0
