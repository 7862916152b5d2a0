"""Trains a ``CharCNNRNNEncoder`` from scratch on the captioned CUB birds; reports retrieval.

The text encoder (Reed et al.'s char-CNN-RNN) and a small CNN image encoder are trained jointly
with the symmetric structured joint embedding loss (Reed et al. 2016; GAN-INT-CLS sec. 3.2) on
the captioned birds in ``--data-dir`` (``CUB_200_2011/images.txt``, ``bounding_boxes.txt``,
``train_test_split.txt``, ``text_c10/<class>/<image>.txt`` and, for ``--split stackgan``,
``{train,test}/filenames.pickle``, read directly). Images are cropped around the bird's
bounding box (StackGAN's crop), resized to 76x76 and randomly cropped/flipped to 64x64. Each
step samples ``--per-class`` images of every class, each with one random caption of its 10.

Evaluation, on held-out test images never seen in training (``--split cub``: CUB's own
image-level split of the same classes; ``--split stackgan``: StackGAN's split, whose test
classes are unseen), follows Reed et al.'s class-level top-1: each class is represented by the
mean embedding of all its test captions, and each test image is assigned the class of the
best-scoring representation (image-to-text). The reverse (each caption against class means of
image embeddings) is also printed. Chance is 1 / number of classes.

Default (small) config: conv filters (128, 192, 256), GRU 256, 1024-d joint space; image
encoder ``SmallImageEncoder(filters=(32, 64, 128, 128), dropout=0.5)``; 3000 steps of 40 pairs
(4 per class), Adam 1e-3. About 5 minutes on 2 shared CPU cores.

Results (seed 0, TF 2.21 CPU; deterministic for a given machine)::

    python recipes/train_char_cnn_rnn.py --data-dir ../shared/data/birds
    # CUB image-level split, 10 classes, 300 train / 243 held-out test images:
    #   test  image->text class top-1 0.486, text->image 0.495, chance 0.100   (4.9x chance)
    #   train image->text class top-1 0.873, text->image 0.887               (4 min 46 s)

    python recipes/train_char_cnn_rnn.py --data-dir ../shared/data/birds --split stackgan
    # StackGAN's class-disjoint split (zero-shot, as in Reed et al.): 5 train classes (275
    # images), 5 unseen test classes (268 images):
    #   test  image->text class top-1 0.451, text->image 0.410, chance 0.200
    #   train image->text class top-1 0.855, text->image 0.944               (3 min 46 s)

The gap to training accuracy is over-fitting of a from-scratch image encoder on 300 images;
Reed et al. reach higher numbers with fixed GoogLeNet image features and all 200 classes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from keras_stackgan.data.safe_pickle import load_pickle
from keras_stackgan.text import CharCNNRNNEncoder, JointEmbeddingModel, SmallImageEncoder

LOAD_SIZE, IMAGE_SIZE = 76, 64
SMALL_CONFIG = {"conv_filters": (128, 192, 256), "rnn_dim": 256, "embedding_dim": 1024}
# Reed et al.'s released char-CNN-RNN (reedscot/cvpr2016 HybridCNN + FixedRNN, 8 time steps):
# the layout of CharCNNRNNEncoder.cvpr2016().
PAPER_CONFIG = {
    "conv_filters": (384, 512, 256),
    "kernel_size": 4,
    "pool_size": 3,
    "pool_strides": (3, 3, 2),
    "rnn_type": "rnn",
    "rnn_dim": 256,
    "embedding_dim": 1024,
}
IMAGE_CONFIG = {"filters": (32, 64, 128, 128), "dropout": 0.5}


def split_keys(data_dir: Path, split: str, protocol: str) -> list[str]:
    """Image keys (``<class>/<image>``) of the ``"train"`` or ``"test"`` split.

    ``protocol="cub"``: CUB-200-2011's own image-level split (``train_test_split.txt``), so test
    images are new images of the training classes. ``protocol="stackgan"``: StackGAN's
    ``{train,test}/filenames.pickle``, whose classes are disjoint (zero-shot, as in Reed et al.).
    Only images present in ``images.txt`` are kept.
    """
    root = data_dir / "CUB_200_2011"
    paths = dict(line.split() for line in (root / "images.txt").read_text().splitlines())
    if protocol == "stackgan":
        present = {path[: -len(".jpg")] for path in paths.values()}
        return [k for k in load_pickle(data_dir / split / "filenames.pickle") if k in present]
    is_train = dict(
        line.split() for line in (root / "train_test_split.txt").read_text().splitlines()
    )
    wanted = "1" if split == "train" else "0"
    return [path[: -len(".jpg")] for i, path in paths.items() if is_train[i] == wanted]


def load_split(data_dir: Path, keys: list[str]) -> dict:
    """Images (uint8 ``[N, 76, 76, 3]``), captions (``N`` lists of str) and class labels."""
    root = data_dir / "CUB_200_2011"
    paths = dict(line.split() for line in (root / "images.txt").read_text().splitlines())
    boxes = {
        line.split()[0]: [float(v) for v in line.split()[1:]]
        for line in (root / "bounding_boxes.txt").read_text().splitlines()
    }
    id_of = {path[: -len(".jpg")]: image_id for image_id, path in paths.items()}
    images, captions, labels = [], [], []
    for key in keys:
        x, y, w, h = boxes[id_of[key]]
        image = Image.open(root / "images" / f"{key}.jpg").convert("RGB")
        # StackGAN's crop: a square of side 1.5 * max(w, h) centred on the box, clipped.
        cx, cy, r = x + w / 2, y + h / 2, max(w, h) * 0.75
        box = (max(0, cx - r), max(0, cy - r), min(image.width, cx + r), min(image.height, cy + r))
        image = image.crop(tuple(int(v) for v in box)).resize((LOAD_SIZE, LOAD_SIZE), Image.BICUBIC)
        images.append(np.asarray(image, dtype=np.uint8))
        text = (data_dir / "text_c10" / f"{key}.txt").read_text(encoding="utf-8")
        captions.append([line.strip() for line in text.splitlines() if line.strip()])
        labels.append(int(key.split(".", 1)[0]))
    return {"keys": keys, "images": np.stack(images), "captions": captions, "labels": labels}


def to_model_images(images: np.ndarray) -> np.ndarray:
    return images.astype(np.float32) / 127.5 - 1.0


def center_crop(images: np.ndarray) -> np.ndarray:
    offset = (LOAD_SIZE - IMAGE_SIZE) // 2
    return images[:, offset : offset + IMAGE_SIZE, offset : offset + IMAGE_SIZE]


def batches(split: dict, per_class: int, seed: int):
    """Endless batches of ``per_class`` augmented images of every class, one caption each."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(split["labels"])
    by_class = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    while True:
        rows = np.concatenate(
            [rng.choice(r, per_class, replace=len(r) < per_class) for r in by_class]
        )
        images = np.empty((len(rows), IMAGE_SIZE, IMAGE_SIZE, 3), np.uint8)
        for i, row in enumerate(rows):
            top, left = rng.integers(0, LOAD_SIZE - IMAGE_SIZE + 1, size=2)
            crop = split["images"][row, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
            images[i] = crop[:, ::-1] if rng.random() < 0.5 else crop
        texts = [split["captions"][row][rng.integers(len(split["captions"][row]))] for row in rows]
        yield {"images": to_model_images(images), "texts": np.array(texts), "labels": labels[rows]}


def evaluate(model: JointEmbeddingModel, split: dict) -> dict:
    """Class-level top-1 retrieval on ``split`` (Reed et al.), both directions, and chance."""
    labels = np.asarray(split["labels"])
    classes = np.unique(labels)
    image_embeddings = model.image_encoder.predict(
        to_model_images(center_crop(split["images"])), batch_size=64, verbose=0
    )
    texts = [c for captions in split["captions"] for c in captions]
    text_labels = np.repeat(labels, [len(c) for c in split["captions"]])
    text_embeddings = model.text_encoder.encode(texts, batch_size=256)
    text_means = np.stack([text_embeddings[text_labels == c].mean(0) for c in classes])
    image_means = np.stack([image_embeddings[labels == c].mean(0) for c in classes])
    image_to_text = classes[np.argmax(image_embeddings @ text_means.T, axis=1)] == labels
    text_to_image = classes[np.argmax(text_embeddings @ image_means.T, axis=1)] == text_labels
    return {
        "image_to_text_top1": float(image_to_text.mean()),
        "text_to_image_top1": float(text_to_image.mean()),
        "chance": 1.0 / len(classes),
        "num_images": len(labels),
        "num_classes": len(classes),
    }


def train(
    data_dir: str | Path,
    steps: int = 3000,
    per_class: int = 4,
    learning_rate: float = 1e-3,
    config: str = "small",
    protocol: str = "cub",
    seed: int = 0,
    verbose: int = 1,
) -> tuple[JointEmbeddingModel, dict]:
    """Trains on the train split, evaluates on the test split; returns the model and metrics."""
    keras.utils.set_random_seed(seed)
    data_dir = Path(data_dir)
    train_split, test_split = (
        load_split(data_dir, split_keys(data_dir, split, protocol)) for split in ("train", "test")
    )
    encoder_config = SMALL_CONFIG if config == "small" else PAPER_CONFIG
    text_encoder = CharCNNRNNEncoder(**encoder_config, name="char_cnn_rnn")
    image_encoder = SmallImageEncoder(
        image_size=IMAGE_SIZE, embedding_dim=encoder_config["embedding_dim"], **IMAGE_CONFIG
    )
    model = JointEmbeddingModel(text_encoder, image_encoder)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate))
    num_classes = len(np.unique(train_split["labels"]))
    batch = num_classes * per_class
    signature = {
        "images": tf.TensorSpec([batch, IMAGE_SIZE, IMAGE_SIZE, 3], tf.float32),
        "texts": tf.TensorSpec([batch], tf.string),
        "labels": tf.TensorSpec([batch], tf.int64),
    }
    dataset = tf.data.Dataset.from_generator(
        lambda: batches(train_split, per_class, seed), output_signature=signature
    ).prefetch(2)
    epochs = 10
    model.fit(dataset, steps_per_epoch=max(1, steps // epochs), epochs=epochs, verbose=verbose)
    metrics = {"train": evaluate(model, train_split), "test": evaluate(model, test_split)}
    return model, metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="../shared/data/birds")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--per-class", type=int, default=4, help="pairs per class per batch")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--config", choices=["small", "paper"], default="small")
    parser.add_argument(
        "--split",
        choices=["cub", "stackgan"],
        default="cub",
        help="cub: held-out images of the same classes; stackgan: held-out classes (zero-shot)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", help="optional path of a .keras file for the text encoder")
    args = parser.parse_args()

    start = time.time()
    model, metrics = train(
        args.data_dir,
        args.steps,
        args.per_class,
        args.learning_rate,
        args.config,
        args.split,
        args.seed,
        verbose=2,
    )
    for split, m in metrics.items():
        print(
            f"{split}: image->text class top-1 {m['image_to_text_top1']:.3f}, "
            f"text->image class top-1 {m['text_to_image_top1']:.3f}, chance {m['chance']:.3f} "
            f"({m['num_images']} images, {m['num_classes']} classes)"
        )
    print(f"total time {time.time() - start:.0f} s")
    if args.save:
        model.text_encoder.save(args.save)


if __name__ == "__main__":
    main()
