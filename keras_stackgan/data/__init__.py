"""Datasets and ``tf.data`` input pipelines for text-to-image GANs.

Readers return ``ReadResult(records, report)``: ``ImageRecord``s (image path, key, class id,
captions, bounding box, split) and a ``ReadReport`` of everything skipped or repaired.

- ``read_cub``: CUB-200-2011 in StackGAN's ``Data/birds`` layout (captions in ``text_c10``).
- ``read_cub_crops``: class-only CUB crops with comma tables (``bird_crops100``).
- ``read_oxford102``: Oxford-102 flowers (``labels.csv``, ``.mat`` files or split pickles).
- ``read_coco``: COCO captions JSON.
- ``read_image_folder`` / ``read_manifest``: user data (``image.jpg`` + ``image.txt``, CSV, JSONL).

Captions for class-only data: ``CUBAttributeCaptioner`` (CUB attribute sentences) and
``ClassNameCaptioner`` ("a photo of a pink primrose, a type of flower."). Caption embeddings:
``EmbeddingCache.embed_records`` (any text encoder, cached ``.npy``) or ``load_char_cnn_rnn`` +
``align_precomputed`` (StackGAN's pickles). Then ``make_stackgan_dataset`` builds batches of
``(real_images, text_embeddings, wrong_images)``.

Class-conditional GANs: ``read_mnist`` (official IDX files, ``.gz`` or raw),
``load_labelled_oxford102`` / ``load_labelled_cub_crops`` (``LabelledImages(images, labels,
class_names)``), then ``make_labelled_dataset`` (or ``make_mnist_dataset``) builds batches of
``(images, int32 labels)``.

Image-to-image (pix2pix): ``read_paired_folder`` / ``load_paired_folder`` (the ``A|B`` layout of
the pix2pix datasets, either direction), pairs derived from our images (``load_edges2flowers``,
``load_gray2birds``), then ``make_paired_dataset`` builds batches of ``(inputs, targets)``.
"""

from keras_stackgan.data.attribute_captions import CUBAttributeCaptioner
from keras_stackgan.data.caption_embeddings import CaptionEmbeddings
from keras_stackgan.data.class_captions import ClassNameCaptioner
from keras_stackgan.data.coco import read_coco
from keras_stackgan.data.cub import read_cub
from keras_stackgan.data.cub_crops import read_cub_crops
from keras_stackgan.data.derived_pairs import (
    grayscale_images,
    load_edges2flowers,
    load_gray2birds,
    sobel_edge_maps,
)
from keras_stackgan.data.embedding_cache import EmbeddingCache
from keras_stackgan.data.folder import read_image_folder, read_manifest
from keras_stackgan.data.image_checks import check_image_file
from keras_stackgan.data.image_ops import load_image, load_size_for, stackgan_crop_window
from keras_stackgan.data.labelled import (
    LabelledImages,
    load_labelled_cub_crops,
    load_labelled_oxford102,
    make_labelled_dataset,
)
from keras_stackgan.data.mnist import make_mnist_dataset, read_idx, read_mnist
from keras_stackgan.data.oxford102 import load_cat_to_name, read_oxford102
from keras_stackgan.data.paired import (
    PairedImages,
    load_paired_folder,
    make_paired_dataset,
    read_paired_folder,
)
from keras_stackgan.data.pipeline import load_images, make_stackgan_dataset, steps_per_epoch
from keras_stackgan.data.precomputed import (
    AlignedEmbeddings,
    PrecomputedTable,
    align_precomputed,
    load_char_cnn_rnn,
)
from keras_stackgan.data.records import (
    DataError,
    DataWarning,
    ImageRecord,
    Problem,
    ReadReport,
    ReadResult,
)
from keras_stackgan.data.safe_pickle import RestrictedUnpickler, load_pickle

__all__ = [
    "AlignedEmbeddings",
    "CUBAttributeCaptioner",
    "CaptionEmbeddings",
    "ClassNameCaptioner",
    "DataError",
    "DataWarning",
    "EmbeddingCache",
    "ImageRecord",
    "LabelledImages",
    "PairedImages",
    "PrecomputedTable",
    "Problem",
    "ReadReport",
    "ReadResult",
    "RestrictedUnpickler",
    "align_precomputed",
    "check_image_file",
    "grayscale_images",
    "load_cat_to_name",
    "load_char_cnn_rnn",
    "load_edges2flowers",
    "load_gray2birds",
    "load_image",
    "load_images",
    "load_labelled_cub_crops",
    "load_labelled_oxford102",
    "load_paired_folder",
    "load_pickle",
    "load_size_for",
    "make_labelled_dataset",
    "make_mnist_dataset",
    "make_paired_dataset",
    "make_stackgan_dataset",
    "read_cub",
    "read_cub_crops",
    "read_coco",
    "read_idx",
    "read_image_folder",
    "read_manifest",
    "read_mnist",
    "read_oxford102",
    "read_paired_folder",
    "sobel_edge_maps",
    "stackgan_crop_window",
    "steps_per_epoch",
]
