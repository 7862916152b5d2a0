"""The presets a server holds: loaded once, described for the page and the REST metadata.

Two kinds are served, told apart by their pipeline class:

- ``"text"``: ``StackGANPipeline`` (StackGAN, GAN-INT-CLS): sentences in; StackGAN presets with
  a Stage-II also give the 64 px Stage-I sketch, GAN-INT-CLS presets with a style encoder do
  style transfer.
- ``"noise"``: ``GeneratorPipeline`` (DCGAN, WGAN-GP, cGAN, InfoGAN, ...): a count, class labels
  (when ``num_classes``) and continuous codes (when ``code_dim``) in.

Pipelines of other families are skipped with a warning until the server learns them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

TEXT, NOISE = "text", "noise"


@dataclass
class ServedPreset:
    """One loaded pipeline and what the page and the REST API need to know about it.

    Attributes:
        name: the preset (model) name used in URLs and requests.
        pipeline: the ``StackGANPipeline`` or ``GeneratorPipeline``.
        kind: ``"text"`` or ``"noise"``.
        info: JSON-ready description (``describe()``).
    """

    name: str
    pipeline: Any
    kind: str
    info: dict = field(default_factory=dict)

    @property
    def has_stage2(self) -> bool:
        return self.kind == TEXT and self.pipeline.stage2_generator is not None

    @property
    def has_style(self) -> bool:
        return self.kind == TEXT and getattr(self.pipeline, "style_encoder", None) is not None

    def describe(self) -> dict:
        """The preset as the page sees it (``GET /api/presets``)."""
        return dict(self.info)


def _kind(pipeline) -> str | None:
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
    from keras_stackgan.pretrained.pipeline import StackGANPipeline

    if isinstance(pipeline, StackGANPipeline):
        return TEXT
    if isinstance(pipeline, GeneratorPipeline):
        return NOISE
    return None


def _registry_metadata(name: str) -> dict:
    from keras_stackgan.pretrained.presets import PRESETS

    return dict(PRESETS.get(name, {}).get("metadata", {}))


def wrap(name: str, pipeline) -> ServedPreset | None:
    """A ``ServedPreset`` for a pipeline, or None (logged) for a family the server cannot run."""
    kind = _kind(pipeline)
    if kind is None:
        logger.warning("not serving %s: %s pipelines are not supported yet", name, type(pipeline))
        return None
    metadata = {**_registry_metadata(name), **getattr(pipeline, "metadata", {})}
    info = {
        "name": name,
        "kind": kind,
        "family": metadata.get("family", ""),
        "dataset": metadata.get("dataset", ""),
        "description": metadata.get("description", ""),
        "image_size": int(pipeline.image_size),
    }
    if kind == TEXT:
        info.update(
            channels=3,
            stage1_size=int(pipeline.stage1_generator.image_size),
            shows_stage1=pipeline.stage2_generator is not None,
            style_transfer=getattr(pipeline, "style_encoder", None) is not None,
            embedding_dim=int(pipeline.embedding_dim),
        )
    else:
        info.update(
            channels=int(pipeline.channels),
            num_classes=int(pipeline.num_classes),
            class_names=list(pipeline.class_names) if pipeline.class_names else None,
            code_dim=int(pipeline.code_dim),
            noise_dim=int(pipeline.noise_dim),
        )
    return ServedPreset(name, pipeline, kind, info)


def wrap_all(pipelines: Mapping[str, Any]) -> dict[str, ServedPreset]:
    """``wrap`` every pipeline; raises ValueError when none can be served."""
    served = {}
    for name, pipeline in pipelines.items():
        preset = wrap(name, pipeline)
        if preset is not None:
            served[name] = preset
    if not served:
        raise ValueError(f"none of the presets {list(pipelines)} can be served")
    return served


def load_pipelines(names: Iterable[str] | None = None) -> dict[str, Any]:
    """Loads presets once, by name (``load_pretrained``); None loads every shipped preset.

    Returns:
        dict name -> pipeline, in the order given.

    Raises:
        ValueError: for an unknown or unshipped preset name (the message lists the shipped).
    """
    from keras_stackgan.pretrained.load import list_pretrained, load_pretrained

    names = list(names) if names else list_pretrained()
    pipelines = {}
    for name in dict.fromkeys(names):
        logger.info("loading %s", name)
        pipelines[name] = load_pretrained(name)
    return pipelines
