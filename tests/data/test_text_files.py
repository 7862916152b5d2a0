import warnings

import pytest

from keras_stackgan.data.records import DataError, DataWarning, ImageRecord, ProblemLog
from keras_stackgan.data.text_files import clean_caption, read_caption_file, read_table


def test_read_table_handles_crlf_bom_blank_lines_and_separators(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"\xef\xbb\xbf1 a/b c.jpg\r\n\r\n2 d.jpg\r\n")
    assert read_table(path, 2) == [["1", "a/b c.jpg"], ["2", "d.jpg"]]
    path.write_text("0, Black_footed_Albatross\n1, Laysan_Albatross\n")
    assert read_table(path, 2, sep=",")[1] == ["1", "Laysan_Albatross"]
    path.write_text("1\n")
    with pytest.raises(ValueError, match="line 1"):
        read_table(path, 2)


def test_clean_caption_replaces_mangled_spaces():
    # Reed's CUB captions contain U+FFFD pairs where spaces were lost (see shared birds).
    caption, repaired = clean_caption("this\ufffd\ufffdbird has\u00a0a  red crown.\r")
    assert caption == "this bird has a red crown." and repaired
    assert clean_caption("  a caf\u00e9 bird ") == ("a caf\u00e9 bird", False)


def test_read_caption_file_decodes_cp1252_and_drops_blank_lines(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("a bird\r\n\r\n  \r\nan \u00e9l\u00e8ve\r\n".encode("cp1252"))
    captions, notes = read_caption_file(path)
    assert captions == ["a bird", "an \u00e9l\u00e8ve"]
    assert notes == ["not valid UTF-8, decoded as Windows-1252"]


def test_problem_log_skip_warns_once_with_count_and_paths():
    log = ProblemLog("root", "skip")
    log.skip("a.jpg", "missing image: no such file")
    log.skip("b.jpg", "unreadable image: bad")
    log.note("c.txt", "repaired")
    with pytest.warns(DataWarning, match=r"1 records, 2 skipped[\s\S]*a\.jpg"):
        records, report = log.finish([ImageRecord("x.jpg", "x")])
    assert report.num_skipped == 2 and report.num_records == 1
    assert report.skipped_by_reason() == {"missing image": 1, "unreadable image": 1}
    assert [p.path for p in report.notes] == ["c.txt"]


def test_problem_log_raise_names_the_path():
    log = ProblemLog("root", "raise")
    with pytest.raises(DataError, match="a.jpg: missing image") as info:
        log.skip("a.jpg", "missing image")
    assert info.value.path == "a.jpg"
    with pytest.raises(ValueError, match="on_error"):
        ProblemLog("root", "ignore")


def test_clean_read_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ProblemLog("root", "skip").finish([])
