import pytest

from keras_stackgan.data import DataError, DataWarning, read_cub
from tests.data import layouts


def test_stackgan_train_split(cub_root):
    with pytest.warns(DataWarning, match="1 skipped"):
        records, report = read_cub(cub_root, "train")
    # 6 listed images exist, one listed key has no image.
    assert len(records) == 6 and report.num_records == 6
    assert report.skipped_by_reason() == {"missing image": 1}
    assert "Gamma_Bird_0099_99" in report.skipped[0].path
    # class_info.pickle (20 entries for 7 filenames) is ignored and said so.
    assert any(
        "class_info.pickle" in p.path and "20 class numbers" in p.reason for p in report.notes
    )
    first = records[0]
    assert first.key == "002.Beta_Bird/Beta_Bird_0001_3"
    assert first.class_id == 1 and first.class_name == "002.Beta_Bird"
    assert first.bbox == layouts.CUB_BOX
    assert first.captions == tuple(layouts.captions_for(first.key))
    assert first.split == "train"
    assert sorted({r.class_id for r in records}) == [1, 2]


def test_stackgan_test_split_and_all(cub_root):
    records, report = read_cub(cub_root, "test")
    assert [r.key for r in records] == [layouts.cub_key(1), layouts.cub_key(2)]
    assert report.num_skipped == 0 and not report.notes
    records, _ = read_cub(cub_root, None)
    assert len(records) == 8 and {r.class_id for r in records} == {0, 1, 2}


def test_cub_own_split(cub_root):
    train, _ = read_cub(cub_root, "train", split_source="cub")
    test, _ = read_cub(cub_root, "test", split_source="cub")
    assert [r.key for r in train] == [layouts.cub_key(i) for i in (1, 3, 5, 7)]
    assert len(test) == 4


def test_reads_plain_cub_folder_without_captions(cub_root):
    records, _ = read_cub(cub_root / "CUB_200_2011", None, captions=False)
    assert len(records) == 8 and all(r.captions == () for r in records)


def test_bad_files_are_skipped_with_reasons(cub_root):
    cub = cub_root / "CUB_200_2011" / "images"
    (cub / f"{layouts.cub_key(3)}.jpg").write_bytes(b"not a jpeg at all")
    truncated = cub / f"{layouts.cub_key(4)}.jpg"
    layouts.write_noise_image(truncated)
    truncated.write_bytes(truncated.read_bytes()[:-2000])
    (cub / f"{layouts.cub_key(5)}.jpg").unlink()
    (cub_root / "text_c10" / f"{layouts.cub_key(6)}.txt").write_text("\n \r\n")
    (cub_root / "text_c10" / f"{layouts.cub_key(7)}.txt").unlink()
    with pytest.warns(DataWarning):
        records, report = read_cub(cub_root, None)
    assert [r.key for r in records] == [layouts.cub_key(i) for i in (1, 2, 8)]
    assert report.skipped_by_reason() == {
        "missing caption file": 1,
        "empty caption file": 1,
        "unreadable image": 1,
        "truncated image": 1,
        "missing image": 1,
    }
    paths = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.skipped}
    assert paths["Beta_Bird_0003_5.jpg"].startswith("missing image")
    assert paths["Gamma_Bird_0001_6.txt"].startswith("empty caption file")


def test_raise_mode_stops_at_first_problem(cub_root):
    (cub_root / "CUB_200_2011" / "images" / f"{layouts.cub_key(2)}.jpg").unlink()
    with pytest.raises(DataError, match="Alpha_Bird_0002_2.jpg: missing image"):
        read_cub(cub_root, None, on_error="raise")


def test_mangled_captions_are_cleaned_and_noted(cub_root):
    path = cub_root / "text_c10" / f"{layouts.cub_key(1)}.txt"
    path.write_text("this\ufffd\ufffdbird is red\nsecond caption\n", encoding="utf-8")
    records, report = read_cub(cub_root, "test")
    assert records[0].captions == ("this bird is red", "second caption")
    assert any("mangled" in p.reason for p in report.notes)


def test_missing_layout_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="images.txt"):
        read_cub(tmp_path, "train")
