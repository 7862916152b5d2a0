"""The symmetric structured joint embedding loss of Reed et al. (2016), used to train text
encoders against an image encoder."""

from __future__ import annotations

import tensorflow as tf


def symmetric_joint_embedding_loss(
    image_embeddings: tf.Tensor,
    text_embeddings: tf.Tensor,
    labels: tf.Tensor,
    margin: float = 1.0,
) -> tf.Tensor:
    """Symmetric structured joint embedding loss (Reed et al., CVPR 2016, eq. 3-5).

    Compatibility is the dot product ``F(v, t) = phi(v) . psi(t)``. For each image, its score
    with every *other* class present in the batch (the mean score over that class's texts) must
    be below its score with its own class (mean over its own class's texts) by ``margin``; the
    text side is symmetric (each text against the classes' images). The hinge terms are summed
    over classes and averaged over the batch, and the two sides added.

    With one image and one text per class in the batch (as Reed et al.'s loader draws them),
    the hinge terms are those of ``JointEmbeddingLoss`` in reedscot/cvpr2016
    (``train_sje_hybrid.lua``, margin 1, both directions added with ``-symmetric 1``), but the
    normalisation differs: Reed et al. divide each side's hinge sum by ``batch * num_class``
    (the batch size times the number of rows of the other side, i.e. ``batch**2``), while this
    function divides by ``batch`` only. This loss is therefore Reed et al.'s times the number
    of classes in the batch (its gradients too, so an SGD learning rate is not transferable; an
    RMSprop step, Reed et al.'s optimiser, is nearly invariant to the scale). With several
    texts of a class in the batch the scores are class means, which Reed et al.'s code has no
    counterpart for.

    Args:
        image_embeddings: float tensor ``[batch, dim]``, ``phi(v)``.
        text_embeddings: float tensor ``[batch, dim]``, ``psi(t)``; row ``i`` describes image
            ``i``.
        labels: int tensor ``[batch]``, class of row ``i`` (any integer ids).
        margin: float. Hinge margin (``Delta`` for a wrong class). Defaults to 1.

    Returns:
        float32 scalar, ``>= 0``.
    """
    image_embeddings = tf.cast(image_embeddings, "float32")
    text_embeddings = tf.cast(text_embeddings, "float32")
    _, class_index = tf.unique(tf.reshape(labels, [-1]))
    one_hot = tf.one_hot(class_index, tf.reduce_max(class_index) + 1)  # [batch, classes]
    class_mean = one_hot / tf.reduce_sum(one_hot, axis=0, keepdims=True)  # columns sum to 1
    scores = tf.matmul(image_embeddings, text_embeddings, transpose_b=True)  # [image, text]

    def side(scores):
        per_class = tf.matmul(scores, class_mean)  # [rows, classes]: mean score per class
        own = tf.reduce_sum(per_class * one_hot, axis=1, keepdims=True)
        hinge = tf.nn.relu(margin + per_class - own) * (1.0 - one_hot)
        return tf.reduce_mean(tf.reduce_sum(hinge, axis=1))

    return side(scores) + side(tf.transpose(scores))
