"""The four training variants of Reed et al. (2016): GAN, GAN-CLS, GAN-INT and GAN-INT-CLS.

- CLS (matching-aware discriminator): D also learns to reject real images paired with
  mismatched text. The authors' code weights the terms
  ``BCE(real, 1) + cls_weight * BCE(wrong, 0) + (1 - cls_weight) * BCE(fake, 0)`` with
  ``cls_weight = 0.5``; without CLS it is ``BCE(real, 1) + BCE(fake, 0)``.
- INT (manifold interpolation): G is also trained to fool D on ``batch // 2`` images
  generated from interpolated embeddings ``beta * t1 + (1 - beta) * t2`` (``beta = 0.5``),
  ``t1`` the first half of the batch's embeddings and ``t2`` the second half, as in
  ``main_cls_int.lua`` (``interp_type = 1``). D never sees these (there are no real images for
  them).

The losses are built from :mod:`keras_stackgan.losses`; this module only says which terms a
variant has.
"""

from __future__ import annotations

from dataclasses import dataclass

from keras import ops

from keras_stackgan import losses


@dataclass(frozen=True)
class Variant:
    """Which terms a training variant has.

    Attributes:
        name: ``"gan"``, ``"gan-cls"``, ``"gan-int"`` or ``"gan-int-cls"``.
        matching_aware: bool, D's mismatched-text term (CLS).
        interpolation: bool, G's interpolated-text term (INT).
    """

    name: str
    matching_aware: bool
    interpolation: bool

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Metrics a ``GANINTCLS`` trained with this variant reports, in order."""
        names = ["d_loss", "g_loss", "d_real"]
        if self.matching_aware:
            names.append("d_wrong")
        names.append("d_fake")
        if self.interpolation:
            names.append("g_int")
        return tuple(names)


VARIANTS: dict[str, Variant] = {
    "gan": Variant("gan", matching_aware=False, interpolation=False),
    "gan-cls": Variant("gan-cls", matching_aware=True, interpolation=False),
    "gan-int": Variant("gan-int", matching_aware=False, interpolation=True),
    "gan-int-cls": Variant("gan-int-cls", matching_aware=True, interpolation=True),
}


def resolve_variant(variant: str | Variant) -> Variant:
    """A :class:`Variant` from its name (case and ``_``/``-`` insensitive) or itself."""
    if isinstance(variant, Variant):
        return variant
    key = str(variant).lower().replace("_", "-")
    if key not in VARIANTS:
        raise ValueError(f"Unknown variant {variant!r}; available: {sorted(VARIANTS)}")
    return VARIANTS[key]


def interpolate_embeddings(embeddings, beta: float = 0.5):
    """``beta * t[:h] + (1 - beta) * t[h:2h]`` with ``h = batch // 2`` (the authors' pairing).

    Args:
        embeddings: float tensor ``[batch, embedding_dim]``, batch >= 2.
        beta: float in [0, 1].

    Returns:
        Tensor ``[batch // 2, embedding_dim]`` of the same dtype; row ``i`` mixes rows ``i``
        and ``i + batch // 2`` (the last row of an odd batch is left out).
    """
    half = ops.shape(embeddings)[0] // 2
    return beta * embeddings[:half] + (1.0 - beta) * embeddings[half : 2 * half]


def variant_discriminator_loss(
    variant: str | Variant, real_logits, wrong_logits, fake_logits, wrong_weight: float = 0.5
) -> dict:
    """D's loss for ``variant``: with CLS the matching-aware loss, otherwise the plain one.

    Args:
        variant: name or :class:`Variant`.
        real_logits, fake_logits: float ``[batch, 1]``, D on real / generated images with
            their text.
        wrong_logits: float ``[batch, 1]``, D on real images with mismatched text; ignored (and
            may be None) without CLS.
        wrong_weight: float in [0, 1], the authors' ``cls_weight`` (0.5).

    Returns:
        dict of float32 scalars ``loss``, ``real``, ``wrong`` (0 without CLS), ``fake``.
    """
    variant = resolve_variant(variant)
    if not variant.matching_aware:
        return losses.discriminator_loss(real_logits, None, fake_logits)
    return losses.discriminator_loss(real_logits, wrong_logits, fake_logits, wrong_weight)


def variant_generator_loss(
    variant: str | Variant, fake_logits, interpolated_logits=None, interpolation_weight=1.0
) -> dict:
    """G's loss for ``variant``: ``BCE(fake, 1)``, with INT one weighted BCE over all images.

    With INT this is the authors' ``criterion_interp``: one BCE averaged over the
    ``batch + batch // 2`` images, weight 1 for the matched fakes and ``interpolation_weight``
    (``interp_weight = 1.0``) for the interpolated ones, i.e.
    ``(B * BCE(fake) + w * H * BCE(int)) / (B + H)`` with ``H = batch // 2``: at ``w = 1`` the
    matched term weighs twice the interpolated one.

    Args:
        variant: name or :class:`Variant`.
        fake_logits: float ``[batch, 1]``, D on generated images with their text.
        interpolated_logits: float ``[batch // 2, 1]``, D on images generated from
            interpolated text with that text; required with INT, ignored (and may be None)
            without.
        interpolation_weight: float >= 0.

    Returns:
        dict of float32 scalars ``loss``, ``fake`` and, with INT, ``interpolated``.
    """
    variant = resolve_variant(variant)
    fake = losses.generator_loss(fake_logits)
    if not variant.interpolation:
        return {"loss": fake, "fake": fake}
    if interpolated_logits is None:
        raise ValueError(f"The {variant.name!r} variant needs interpolated_logits")
    interpolated = losses.generator_loss(interpolated_logits)
    matched = ops.cast(ops.shape(fake_logits)[0], "float32")
    mixed = ops.cast(ops.shape(interpolated_logits)[0], "float32")
    loss = (matched * fake + interpolation_weight * mixed * interpolated) / (matched + mixed)
    return {"loss": loss, "fake": fake, "interpolated": interpolated}
