"""Files that used to crash or hang the readers and the pipeline (issue 18), and epoch streams.

Each test names the file it cannot use, or skips it with its path, instead of failing later
(or forever) without saying which file it was.
"""

import pickle
import struct
import warnings
import zlib

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_stackgan.data import (
    CaptionEmbeddings,
    DataError,
    DataWarning,
    ImageRecord,
    check_image_file,
    load_char_cnn_rnn,
    make_stackgan_dataset,
    read_image_folder,
)
from keras_stackgan.data.safe_pickle import load_pickle, loads_pickle
from keras_stackgan.data.stackgan_split import load_stackgan_split
from tests.data import layouts


def write_truncated_png(path, size=64):
    pixels = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_png_header(path, width, height):
    """A tiny PNG whose header claims ``width x height`` (a decompression bomb's header)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def caption_folder(tmp_path):
    folder = tmp_path / "photos"
    for name in ("good", "truncated", "huge"):
        layouts.write_lines(folder / f"{name}.txt", [f"a photo called {name}"])
    layouts.write_image(folder / "good.png", (200, 30, 30), fmt="PNG")
    write_truncated_png(folder / "truncated.png")
    write_png_header(folder / "huge.png", 20000, 20000)
    return folder


def test_truncated_and_huge_pngs_are_skipped_with_their_path(tmp_path):
    folder = caption_folder(tmp_path)
    with pytest.warns(DataWarning, match="2 skipped"):
        records, report = read_image_folder(folder)
    assert [r.key for r in records] == ["good"]
    reasons = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.skipped}
    assert reasons["truncated.png"].startswith("truncated image: PNG has no IEND chunk")
    assert reasons["huge.png"].startswith("image too large")
    with pytest.raises(DataError, match="huge.png: image too large"):
        read_image_folder(folder, on_error="raise")


def test_size_limit_is_configurable(tmp_path):
    path = layouts.write_image(tmp_path / "wide.png", (1, 2, 3), size=(300, 200), fmt="PNG")
    assert check_image_file(path) is None
    assert "300x200 = 60,000 pixels, more than max_pixels=50,000" in check_image_file(
        path, max_pixels=50000
    )
    write_png_header(tmp_path / "big.png", 12000, 10000)  # 120 MP: more than the default
    assert check_image_file(tmp_path / "big.png").startswith("image too large")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Pillow DecompressionBombWarning leaks out
        assert check_image_file(tmp_path / "big.png", max_pixels=None) is None


@pytest.mark.parametrize("cache", ["memory", "none"])
def test_undecodable_images_inside_tf_data_name_the_file(tmp_path, cache):
    """Records that bypassed the readers' checks: building the in-memory bank raises a
    DataError naming the file; decoding per epoch raises a TensorFlow error naming it."""
    records = [
        ImageRecord(str(layouts.write_image(tmp_path / "a.png", (9, 9, 9), fmt="PNG")), "a", 0),
        ImageRecord(str(write_truncated_png(tmp_path / "bad.png")), "bad", 1),
        ImageRecord(str(layouts.write_noise_image(tmp_path / "c.jpg")), "c", 2),
    ]
    embeddings = CaptionEmbeddings.from_dense(np.ones((3, 1, 4), np.float32))
    if cache == "memory":
        with pytest.raises(DataError, match=r"bad\.png: TensorFlow cannot decode it: Invalid PNG"):
            make_stackgan_dataset(records, embeddings, batch_size=3, cache=cache, shuffle=False)
        return
    dataset = make_stackgan_dataset(records, embeddings, batch_size=3, cache=cache, shuffle=False)
    with pytest.raises(tf.errors.OpError, match=r"cannot decode image file .*bad\.png"):
        next(iter(dataset))


def test_truncated_jpeg_inside_tf_data_names_the_file(tmp_path):
    path = layouts.write_noise_image(tmp_path / "cut.jpg")
    path.write_bytes(path.read_bytes()[:-600])
    records = [ImageRecord(str(path), "cut", 0), ImageRecord(str(path), "cut2", 1)]
    embeddings = CaptionEmbeddings.from_dense(np.ones((2, 1, 4), np.float32))
    with pytest.raises(DataError, match=r"cut\.jpg: .*end-of-image marker"):
        make_stackgan_dataset(records, embeddings, batch_size=2, cache="memory")


def test_shared_reference_pickle_bomb_is_refused_quickly(tmp_path):
    """15 KB of ``[obj] * 1000`` nested six times: 10^18 items if walked naively."""
    bomb = "x"
    for _ in range(6):
        bomb = [bomb] * 1000
    path = tmp_path / "filenames.pickle"
    path.write_bytes(pickle.dumps(bomb, protocol=2))
    assert path.stat().st_size < 20_000
    with pytest.raises(DataError, match=r"filenames\.pickle: .*expands to more than"):
        load_pickle(path)
    from keras_stackgan.data.records import ProblemLog

    with pytest.raises(DataError, match="filenames.pickle"):
        load_stackgan_split(tmp_path, ProblemLog(tmp_path, "skip"))


def test_cycles_and_shared_small_objects(tmp_path):
    shared = ["a", "b"]
    assert loads_pickle(pickle.dumps([shared] * 50)) == [["a", "b"]] * 50
    cycle = []
    cycle.append(cycle)
    with pytest.raises(pickle.UnpicklingError, match="cycle"):
        loads_pickle(pickle.dumps(cycle))


def corrupted_pickles():
    """Pickles whose bytes make the unpickler raise TypeError, AttributeError, MemoryError,
    OverflowError... rather than UnpicklingError."""
    array = pickle.dumps(np.arange(6, dtype=np.float32).reshape(2, 3), protocol=2)
    yield "bad reconstruct args", array.replace(b"\x86", b"\x85", 1)  # TUPLE2 -> TUPLE1
    yield "huge long", b"\x80\x02\x8b\xff\xff\xff\x7f" + b"\x00" * 8 + b"."  # LONG4, 2 GB
    yield "dtype attribute", pickle.dumps(np.dtype("f4"), protocol=2).replace(b"f4", b"zz")
    yield "append to int", b"\x80\x02K\x01K\x02a."  # APPEND onto an int
    for cut in range(1, len(array), 37):
        yield f"cut at {cut}", array[:cut]


@pytest.mark.parametrize("name, data", list(corrupted_pickles()))
def test_corrupted_pickles_raise_the_data_error_naming_the_file(tmp_path, name, data):
    path = tmp_path / "char-CNN-RNN-embeddings.pickle"
    path.write_bytes(data)
    with pytest.raises(DataError, match=r"char-CNN-RNN-embeddings\.pickle"):
        load_pickle(path)


def test_precomputed_reader_names_the_bad_pickle(tmp_path):
    layouts.write_pickle(tmp_path / "char-CNN-RNN-embeddings.pickle", np.zeros((2, 3, 4)))
    (tmp_path / "filenames.pickle").write_bytes(b"\x80\x02K\x01K\x02a.")
    with pytest.raises(DataError, match=r"filenames\.pickle: not a valid data pickle"):
        load_char_cnn_rnn(tmp_path)


# === The epoch stream (repeat=True): epoch k depends on (seed, k) only ===


@pytest.fixture
def stream_parts(tmp_path):
    records = [
        ImageRecord(
            str(layouts.write_noise_image(tmp_path / f"{i}.jpg", seed=i)), f"k{i}", i % 3, ("a",)
        )
        for i in range(7)
    ]
    return records, CaptionEmbeddings.from_dense(np.eye(7, dtype=np.float32)[:, None])


def take(dataset, n):
    return [tf.nest.map_structure(lambda t: t.numpy(), b) for b in dataset.take(n)]


def test_stream_resumed_at_epoch_k_is_epoch_k(stream_parts):
    """A fresh dataset started at epoch 2 gives the batches an uninterrupted stream gives
    there (order, crops, flips, wrong images), and epochs differ from each other."""
    records, embeddings = stream_parts
    options = dict(batch_size=3, seed=5, repeat=True, extras=("index", "wrong_index"))
    steps = 7 // 3
    uninterrupted = take(make_stackgan_dataset(records, embeddings, **options), 3 * steps)
    resumed = take(make_stackgan_dataset(records, embeddings, initial_epoch=2, **options), steps)
    for a, b in zip(uninterrupted[2 * steps :], resumed, strict=True):
        for x, y in zip(tf.nest.flatten(a), tf.nest.flatten(b), strict=True):
            np.testing.assert_array_equal(x, y)
    orders = [
        np.concatenate([b[3]["index"] for b in uninterrupted[e * 2 : e * 2 + 2]]) for e in (0, 1)
    ]
    assert not np.array_equal(orders[0], orders[1])
    assert all(len(set(order)) == len(order) for order in orders)  # an epoch is a permutation


def test_stream_and_batch_size_arguments(stream_parts):
    records, embeddings = stream_parts
    with pytest.raises(ValueError, match="initial_epoch needs repeat=True"):
        make_stackgan_dataset(records, embeddings, initial_epoch=3)
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
            make_stackgan_dataset(records, embeddings, batch_size=bad)
