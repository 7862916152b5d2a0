"""Per-image TensorFlow ops of the input pipeline: decode, StackGAN bbox crop, resize, augment.

All functions are graph ops (usable in ``tf.data.Dataset.map``); no Python runs per image.
"""

from __future__ import annotations

import re

import tensorflow as tf

# StackGAN's crop: a square of half-side 0.75 * max(w, h) around the box centre.
BBOX_SCALE = 0.75


def load_size_for(image_size: int) -> int:
    """The size images are resized to before a random ``image_size`` crop: 76 for 64, 304 for 256.

    StackGAN loads at ``image_size * 76 / 64`` (rounded down).
    """
    return image_size * 76 // 64


def stackgan_crop_window(bbox: tf.Tensor, height: tf.Tensor, width: tf.Tensor) -> tf.Tensor:
    """Crop window of StackGAN's preprocessing, ``[y, x, crop_height, crop_width]`` int32.

    Reproduces ``custom_crop`` of the original code: centre ``(int(x + w/2), int(y + h/2))``,
    half-side ``R = int(0.75 * max(w, h))``, window ``[centre - R, centre + R)`` clipped to the
    image (so it is square unless it touches a border).

    Args:
        bbox: float32 ``[4]``, ``(x, y, width, height)`` in pixels.
        height: int32 scalar, image height.
        width: int32 scalar, image width.

    Returns:
        int32 ``[4]``: ``(y1, x1, y2 - y1, x2 - x1)``, always inside the image and at least 1x1.
    """
    bbox = tf.cast(bbox, tf.float32)
    center_x = tf.cast(tf.floor((2.0 * bbox[0] + bbox[2]) / 2.0), tf.int32)
    center_y = tf.cast(tf.floor((2.0 * bbox[1] + bbox[3]) / 2.0), tf.int32)
    half = tf.cast(tf.floor(tf.maximum(bbox[2], bbox[3]) * BBOX_SCALE), tf.int32)
    y1 = tf.clip_by_value(center_y - half, 0, height - 1)
    x1 = tf.clip_by_value(center_x - half, 0, width - 1)
    y2 = tf.clip_by_value(center_y + half, y1 + 1, height)
    x2 = tf.clip_by_value(center_x + half, x1 + 1, width)
    return tf.stack([y1, x1, y2 - y1, x2 - x1])


_JPEG_TAIL_BYTES = 1024  # where the end-of-image marker is looked for (as image_checks does)


def _decode_naming_the_file(contents: tf.Tensor, path: tf.Tensor) -> tf.Tensor:
    """``tf.io.decode_image``, run eagerly inside ``tf.py_function`` so that its error names the
    file: a failing op inside a ``tf.data`` graph reports only "Invalid PNG data"."""
    try:
        return tf.io.decode_image(contents, channels=3, expand_animations=False)
    except tf.errors.OpError as error:
        name = path.numpy().decode("utf-8", "replace")
        reason = re.sub(r"\{\{[^}]*\}\}\s*|\s*\[Op:.*", "", error.message).strip()
        raise ValueError(f"cannot decode image file {name}: {reason}") from None


def _check_jpeg_end(contents: tf.Tensor, path: tf.Tensor) -> tf.Tensor:
    """``contents``, after an assertion (naming ``path``) that its tail holds FF D9."""
    start = tf.maximum(0, tf.strings.length(contents) - _JPEG_TAIL_BYTES)
    tail = tf.io.decode_raw(tf.strings.substr(contents, start, _JPEG_TAIL_BYTES), tf.uint8)
    ends = tf.reduce_any(tf.logical_and(tail[:-1] == 0xFF, tail[1:] == 0xD9))
    check = tf.debugging.Assert(
        ends, ["cannot decode image file (JPEG without end-of-image marker, truncated?):", path]
    )
    with tf.control_dependencies([check]):
        return tf.identity(contents)


def load_image(path: tf.Tensor, bbox: tf.Tensor, use_bbox: tf.Tensor, size: int) -> tf.Tensor:
    """Reads, decodes, optionally bbox-crops and resizes one image.

    JPEGs are decoded at the smallest libjpeg scale (1, 1/2, 1/4, 1/8) that keeps the crop
    window at least ``size`` pixels on its short side, which makes Stage-I loading of large
    photos several times faster (the window is then located to within ``ratio`` pixels); PNG,
    GIF and BMP go through ``tf.io.decode_image``. Grayscale and CMYK become RGB.

    A file that cannot be decoded raises an error naming it (``InvalidArgumentError``): JPEGs
    are checked for their end-of-image marker in the graph (a truncated JPEG is the failure
    seen in practice), PNG, GIF and BMP are decoded eagerly in ``tf.py_function`` (slower than
    graph decoding, but their corruptions, e.g. a truncated PNG, can only be found by decoding).

    Args:
        path: tf.string scalar, the image file.
        bbox: float32 ``[4]``, ``(x, y, width, height)`` in pixels (ignored unless ``use_bbox``).
        use_bbox: bool scalar. Crop with ``stackgan_crop_window`` first.
        size: int. Output side; the (crop of the) image is resized to ``size x size`` (aspect
            not kept, as in StackGAN) with antialiased bicubic interpolation.

    Returns:
        uint8 ``[size, size, 3]`` in ``[0, 255]``.
    """
    contents = tf.io.read_file(path)

    def window_for(shape):
        full = tf.stack([0, 0, shape[0], shape[1]])
        return tf.cond(
            use_bbox, lambda: stackgan_crop_window(bbox, shape[0], shape[1]), lambda: full
        )

    def jpeg():
        checked = _check_jpeg_end(contents, path)
        window = window_for(tf.io.extract_jpeg_shape(checked, output_type=tf.int32))
        # libjpeg can decode at 1/2, 1/4 or 1/8 scale (DCT scaling) for a fraction of the
        # cost; use the smallest scale that keeps the crop at least ``size`` pixels wide.
        side = tf.minimum(window[2], window[3])
        branch = tf.reduce_sum(tf.cast(side >= size * tf.constant([2, 4, 8]), tf.int32))

        def decode_at(ratio):
            def decode():
                image = tf.io.decode_jpeg(checked, channels=3, ratio=ratio)
                scaled = tf.shape(image, out_type=tf.int32)
                y, x = (
                    tf.minimum(window[0] // ratio, scaled[0] - 1),
                    tf.minimum(window[1] // ratio, scaled[1] - 1),
                )
                h = tf.clip_by_value(window[2] // ratio, 1, scaled[0] - y)
                w = tf.clip_by_value(window[3] // ratio, 1, scaled[1] - x)
                return tf.slice(image, [y, x, 0], [h, w, 3])

            return decode

        return tf.switch_case(branch, [decode_at(r) for r in (1, 2, 4, 8)])

    def other():
        image = tf.py_function(_decode_naming_the_file, [contents, path], tf.uint8)
        image.set_shape([None, None, 3])
        window = window_for(tf.shape(image, out_type=tf.int32))
        return tf.slice(image, [window[0], window[1], 0], [window[2], window[3], 3])

    image = tf.cond(tf.io.is_jpeg(contents), jpeg, other)
    image.set_shape([None, None, 3])
    # Antialiasing only matters when shrinking, and costs ~3x when enlarging (64 px flowers).
    shrinking = tf.reduce_any(tf.shape(image)[:2] > size)
    image = tf.cond(
        shrinking,
        lambda: tf.image.resize(image, [size, size], method="bicubic", antialias=True),
        lambda: tf.image.resize(image, [size, size], method="bicubic"),
    )
    return tf.cast(tf.clip_by_value(tf.round(image), 0.0, 255.0), tf.uint8)


def augment(image: tf.Tensor, size: int, seed: tf.Tensor, flip: bool = True) -> tf.Tensor:
    """Random ``size`` crop and horizontal flip, scaled to ``[-1, 1]``; deterministic in ``seed``.

    Args:
        image: uint8 ``[L, L, 3]`` with ``L >= size``.
        size: int. Crop side.
        seed: int32/int64 ``[2]``, a stateless-random seed (same seed, same crop and flip).
        flip: bool. Flip left-right with probability 0.5.

    Returns:
        float32 ``[size, size, 3]`` in ``[-1, 1]``.
    """
    seeds = tf.random.experimental.stateless_split(seed, num=2)
    image = tf.image.stateless_random_crop(image, [size, size, 3], seed=seeds[0])
    if flip:
        image = tf.image.stateless_random_flip_left_right(image, seed=seeds[1])
    return tf.cast(image, tf.float32) / 127.5 - 1.0
