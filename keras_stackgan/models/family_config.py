"""The one shape of every family's configuration: a frozen dataclass plus named presets.

Each family defines ``@dataclass(frozen=True) class XConfig(FamilyConfig)`` with its fields,
a ``CONFIGS`` dict (``"paper"``, ``"small"``, ...) and ``x_config(name_or_config, **changes)``
returning ``resolve_config(XConfig, CONFIGS, name_or_config, changes)``. No global config
object: configs are passed explicitly (the original StackGAN code read a mutable ``cfg``).
"""

from __future__ import annotations

import dataclasses


class FamilyConfig:
    """Mixin of the families' frozen config dataclasses: copies, dicts, validation."""

    def replace(self, **changes):
        """A copy with some fields changed (validated again by ``__post_init__``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        """The fields as a JSON-able dict (what run.json and model cards record)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict):
        """A config from a dict; raises ValueError naming unknown fields."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"Unknown {cls.__name__} fields: {sorted(unknown)}")
        return cls(**values)


def resolve_config(config_class, configs: dict, name_or_config, changes: dict | None = None):
    """A config from a name in ``configs``, a dict or an instance, with ``changes`` applied.

    Raises:
        ValueError: for an unknown name or unknown fields.
    """
    if isinstance(name_or_config, config_class):
        config = name_or_config
    elif isinstance(name_or_config, dict):
        config = config_class.from_dict(name_or_config)
    elif isinstance(name_or_config, str) and name_or_config in configs:
        config = configs[name_or_config]
    else:
        raise ValueError(
            f"Unknown {config_class.__name__} {name_or_config!r}; available: {sorted(configs)}"
        )
    return config.replace(**changes) if changes else config
