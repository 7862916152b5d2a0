"""Template captions from class names, for datasets with labels but no captions (flowers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from keras_stackgan.data.records import ImageRecord

DEFAULT_TEMPLATES = (
    "a photo of {a_name}, a type of {noun}.",
    "a close-up photo of {a_name}.",
    "a picture of {a_name} {noun}.",
    "a bright photo of the {name}.",
    "{a_name} {noun} in full view.",
    "a cropped photo of {a_name}, a kind of {noun}.",
)


def _with_article(name: str) -> str:
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def readable_class_name(name: str) -> str:
    """``"001.Black_footed_Albatross"`` -> ``"black footed albatross"``; others lower-cased."""
    name = name.split(".", 1)[1] if name[:3].isdigit() and "." in name else name
    return name.replace("_", " ").strip().lower()


class ClassNameCaptioner:
    """Captions such as "a photo of a pink primrose, a type of flower." from class names.

    Every record of a class gets one caption per template; the pipeline then draws one of them
    at random per example, so no seed is needed.

    Args:
        class_names: mapping from 0-based class id to name, used for records without
            ``class_name``; may be empty when every record has one.
        noun: str. The kind of object ("flower", "bird"), used by the templates.
        templates: str templates with the fields ``{name}``, ``{a_name}`` (name with "a"/"an")
            and ``{noun}``.

    Examples:
    ```python
    captioner = ClassNameCaptioner(noun="flower")
    captioner.captions("pink primrose")[0]  # 'a photo of a pink primrose, a type of flower.'
    records = captioner.attach(records)
    ```
    """

    def __init__(
        self,
        class_names: Mapping[int, str] | None = None,
        noun: str = "flower",
        templates: Sequence[str] = DEFAULT_TEMPLATES,
    ):
        if not templates:
            raise ValueError("templates must not be empty")
        self.class_names = dict(class_names or {})
        self.noun = noun
        self.templates = tuple(templates)

    def captions(self, name: str) -> list[str]:
        """One caption per template for the class called ``name``."""
        name = readable_class_name(name)
        return [
            t.format(name=name, a_name=_with_article(name), noun=self.noun) for t in self.templates
        ]

    def attach(self, records: Sequence[ImageRecord]) -> list[ImageRecord]:
        """Copies of ``records`` with template captions of their class.

        Raises:
            KeyError: if a record has neither ``class_name`` nor a ``class_id`` in
                ``class_names``.
        """
        out = []
        for record in records:
            name = record.class_name or self.class_names.get(record.class_id)
            if name is None:
                raise KeyError(f"No class name for record {record.key!r} (id {record.class_id})")
            out.append(record.with_captions(self.captions(name)))
        return out
