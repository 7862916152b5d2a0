"""Natural-sentence captions for CUB birds from the class-level attribute table.

CUB-200-2011 gives, for each of its 200 classes, the percentage of images in which each of 312
binary attributes (``has_wing_color::black``, ``has_bill_shape::cone``...) was marked. For
images that have only a class label (``bird_crops100``), ``CUBAttributeCaptioner`` turns that
table into varied sentences such as "this bird has a red crown, black wings and a short
cone-shaped bill": it picks a few attribute groups, more often those the class shows most
often, then a value of each in proportion to its class frequency, and phrases them with one of
several templates. Everything is drawn from a seeded ``numpy.random.Generator``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from keras_stackgan.data.records import ImageRecord
from keras_stackgan.data.text_files import read_lines, read_table

ATTRIBUTE_TABLE = os.path.join("attributes", "class_attribute_labels_continuous.txt")

# Body parts whose colour CUB annotates: group -> (phrase, plural).
_COLOR_PARTS = {
    "wing_color": ("wings", True),
    "upperparts_color": ("upperparts", True),
    "underparts_color": ("underparts", True),
    "back_color": ("back", False),
    "upper_tail_color": ("upper tail", False),
    "under_tail_color": ("undertail", False),
    "breast_color": ("breast", False),
    "throat_color": ("throat", False),
    "forehead_color": ("forehead", False),
    "nape_color": ("nape", False),
    "belly_color": ("belly", False),
    "crown_color": ("crown", False),
    "bill_color": ("bill", False),
    "eye_color": ("eyes", True),
    "leg_color": ("legs", True),
}
_PATTERN_PARTS = {
    "breast_pattern": ("breast", False),
    "back_pattern": ("back", False),
    "tail_pattern": ("tail", False),
    "belly_pattern": ("belly", False),
    "wing_pattern": ("wings", True),
}
_PATTERNS = {
    "solid": "solid-colored",
    "spotted": "spotted",
    "striped": "striped",
    "multi-colored": "multi-colored",
}
_HEAD_PATTERNS = {
    "spotted": "a spotted head",
    "malar": "a malar stripe",
    "crested": "a crested head",
    "masked": "a dark mask around the eyes",
    "unique_pattern": "a distinctive head pattern",
    "eyebrow": "an eyebrow stripe",
    "eyering": "an eyering",
    "plain": "a plain head",
    "eyeline": "an eyeline",
    "striped": "a striped head",
    "capped": "a capped head",
}
_BILL_SHAPES = {
    "curved_(up_or_down)": "curved",
    "dagger": "dagger-like",
    "hooked": "hooked",
    "needle": "needle-like",
    "hooked_seabird": "hooked",
    "spatulate": "spatulate",
    "all-purpose": "all-purpose",
    "cone": "cone-shaped",
    "specialized": "specialized",
}
_BILL_LENGTHS = {
    "about_the_same_as_head": "medium-length",
    "longer_than_head": "long",
    "shorter_than_head": "short",
}
_TAIL_SHAPES = {
    "forked_tail": "forked",
    "rounded_tail": "rounded",
    "notched_tail": "notched",
    "fan-shaped_tail": "fan-shaped",
    "pointed_tail": "pointed",
    "squared_tail": "squared",
}
_WING_SHAPES = {
    "rounded-wings": "rounded",
    "pointed-wings": "pointed",
    "broad-wings": "broad",
    "tapered-wings": "tapered",
    "long-wings": "long",
}
_SIZES = {
    "very_small_(3_-_5_in)": "very small",
    "small_(5_-_9_in)": "small",
    "medium_(9_-_16_in)": "medium-sized",
    "large_(16_-_32_in)": "large",
    "very_large_(32_-_72_in)": "very large",
}
_SHAPES = {
    "perching-like": "perching",
    "upright-perching_water-like": "water",
    "chicken-like-marsh": "marsh",
    "long-legged-like": "long-legged",
    "duck-like": "duck-like",
    "owl-like": "owl-like",
    "gull-like": "gull-like",
    "hummingbird-like": "hummingbird-like",
    "pigeon-like": "pigeon-like",
    "tree-clinging-like": "tree-clinging",
    "hawk-like": "hawk-like",
    "sandpiper-like": "sandpiper-like",
    "upland-ground-like": "ground",
    "swallow-like": "swallow-like",
}
# Groups that describe the whole bird (used in the subject, not in the feature list).
_SUBJECT_GROUPS = ("size", "shape", "primary_color")
_SUBJECT_ADJECTIVE_GROUPS = ("size", "shape")


def _part_of(group: str) -> str:
    """Body part a group describes (``"wing_color"`` and ``"wing_pattern"``: ``"wing"``)."""
    for suffix in ("_color", "_pattern", "_shape", "_length"):
        group = group.removesuffix(suffix)
    return group.replace("upper_", "").replace("under_", "")


def _article(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def _join(items: list[str], oxford: bool) -> str:
    if len(items) <= 1:
        return "".join(items)
    comma = "," if oxford and len(items) > 2 else ""
    return ", ".join(items[:-1]) + f"{comma} and {items[-1]}"


def _color(value: str) -> str:
    return value.replace("_", " ")


class CUBAttributeCaptioner:
    """Generates natural sentences about a CUB class from its attribute frequencies.

    Args:
        attribute_names: 312 str, CUB's ``attributes.txt`` names in id order
            (``"has_bill_shape::cone"``).
        class_table: float array ``[num_classes, num_attributes]``: percentage (0-100) of the
            class's images showing each attribute (``class_attribute_labels_continuous.txt``).
        class_names: ``num_classes`` str, CUB's ``classes.txt`` names in order
            (``"001.Black_footed_Albatross"``), used to look classes up by name.
        min_features: int. Fewest attribute phrases per sentence (default 2).
        max_features: int. Most attribute phrases per sentence (default 4).
        min_relative_frequency: float in ``[0, 1]``. Values of an attribute group are drawn
            only among those seen at least this fraction as often as the group's most frequent
            value (default 0.25; 0 samples every value by raw frequency).

    Examples:
    ```python
    captioner = CUBAttributeCaptioner.from_cub_dir("../shared/data/birds/CUB_200_2011")
    captioner.captions("Black_footed_Albatross", num=2, seed=0)
    # ['this large bird has grey wings, a long hooked bill and ...', ...]
    records = captioner.attach(records, num_captions=10, seed=0)
    ```
    """

    def __init__(
        self,
        attribute_names: Sequence[str],
        class_table: np.ndarray,
        class_names: Sequence[str],
        min_features: int = 2,
        max_features: int = 4,
        min_relative_frequency: float = 0.25,
    ):
        class_table = np.asarray(class_table, dtype=np.float64)
        if class_table.ndim != 2 or class_table.shape[1] != len(attribute_names):
            raise ValueError(
                f"class_table must be [num_classes, {len(attribute_names)}], got "
                f"{class_table.shape}"
            )
        if len(class_names) != class_table.shape[0]:
            raise ValueError(
                f"{len(class_names)} class names for {class_table.shape[0]} table rows"
            )
        if not 1 <= min_features <= max_features:
            raise ValueError(
                f"need 1 <= min_features <= max_features, got {min_features}, {max_features}"
            )
        self.class_table = np.clip(class_table, 0.0, None)
        self.class_names = list(class_names)
        self.min_features = min_features
        self.min_relative_frequency = float(min_relative_frequency)
        self.max_features = max_features
        self.groups: dict[str, list[tuple[int, str]]] = {}
        for column, name in enumerate(attribute_names):
            group, _, value = name.removeprefix("has_").partition("::")
            self.groups.setdefault(group, []).append((column, value))
        self._by_name = {}
        for i, name in enumerate(self.class_names):
            self._by_name[name.lower()] = i
            self._by_name[name.split(".", 1)[-1].lower()] = i

    @classmethod
    def from_cub_dir(cls, cub_dir: str | os.PathLike, **kwargs) -> CUBAttributeCaptioner:
        """Reads ``attributes.txt``, ``attributes/class_attribute_labels_continuous.txt`` and
        ``classes.txt`` of a ``CUB_200_2011`` folder (``attributes.txt`` may also sit in
        ``attributes/`` or next to the folder, as in the official archive)."""
        cub_dir = Path(cub_dir)
        if (cub_dir / "CUB_200_2011").is_dir():
            cub_dir = cub_dir / "CUB_200_2011"
        candidates = [
            cub_dir / "attributes.txt",
            cub_dir / "attributes" / "attributes.txt",
            cub_dir.parent / "attributes.txt",
        ]
        names_path = next((p for p in candidates if p.is_file()), None)
        if names_path is None:
            raise FileNotFoundError(f"No attributes.txt in {[str(p) for p in candidates]}")
        names = [row[1] for row in read_table(names_path, 2)]
        table = np.array(
            [[float(v) for v in line.split()] for line in read_lines(cub_dir / ATTRIBUTE_TABLE)]
        )
        classes = [row[1] for row in read_table(cub_dir / "classes.txt", 2)]
        return cls(names, table, classes, **kwargs)

    def class_index(self, cls: int | str) -> int:
        """Row of the table for a 0-based class index or a class name.

        Names may carry CUB's ``"NNN."`` prefix or not, in any case
        (``"001.Black_footed_Albatross"``, ``"Black_footed_Albatross"``).

        Raises:
            KeyError: for an unknown class.
        """
        if isinstance(cls, int | np.integer):
            if not 0 <= int(cls) < len(self.class_names):
                raise KeyError(f"class index {cls} out of range [0, {len(self.class_names)})")
            return int(cls)
        index = self._by_name.get(str(cls).lower())
        if index is None:
            index = self._by_name.get(str(cls).split(".", 1)[-1].lower())
        if index is None:
            raise KeyError(f"Unknown CUB class {cls!r}")
        return index

    def caption(self, cls: int | str, rng: np.random.Generator) -> str:
        """One sentence about class ``cls`` drawn with ``rng``.

        Args:
            cls: 0-based class index or class name.
            rng: ``numpy.random.Generator``; the same state gives the same sentence.

        Returns:
            str, lower case, ending with a period.
        """
        row = self.class_table[self.class_index(cls)]
        weights = {group: row[[c for c, _ in values]] for group, values in self.groups.items()}
        available = [g for g, w in weights.items() if w.sum() > 0]
        if not available:
            return "a photo of a bird."

        def draw(group):
            # A value in proportion to its class frequency, among the values seen at least a
            # quarter as often as the group's most frequent one (the table is noisy: a few
            # annotators marking an albatross "very small" should not reach the captions).
            w = weights[group]
            w = np.where(w >= self.min_relative_frequency * w.max(), w, 0.0)
            return self.groups[group][rng.choice(len(w), p=w / w.sum())][1]

        # Groups are picked in proportion to how often the class shows their most frequent
        # value, so salient attributes are mentioned more often; one group per body part.
        pool = [g for g in available if g not in _SUBJECT_GROUPS and g != "bill_length"]
        strength = np.array([weights[g].max() for g in pool])
        count = rng.integers(self.min_features, self.max_features + 1)
        phrases, parts = [], set()
        for i in rng.choice(len(pool), size=len(pool), replace=False, p=strength / strength.sum()):
            part = _part_of(pool[i])
            if part in parts:
                continue
            parts.add(part)
            phrases.append(self._phrase(pool[i], draw(pool[i]), draw, weights, rng))
            if len(phrases) == count:
                break

        adjectives = [
            _SIZES.get(draw(g), "") if g == "size" else _SHAPES.get(draw(g), "")
            for g in _SUBJECT_ADJECTIVE_GROUPS
            if g in available and rng.random() < 0.4
        ]
        adjectives = [a for a in adjectives if a]
        noun = " ".join([*adjectives, "bird"])
        primary = (
            _color(draw("primary_color"))
            if "primary_color" in available and rng.random() < 0.35
            else None
        )
        if not phrases:
            phrases = [f"{_color(draw('primary_color'))} feathers"] if primary is None else []
        features = _join(phrases, oxford=bool(rng.random() < 0.3))
        template = rng.integers(4)
        if primary is not None:
            subject = rng.choice([f"this {noun}", f"the {noun}"])
            return f"{subject} is mostly {primary}" + (f" and has {features}." if features else ".")
        if template == 0:
            return f"this {noun} has {features}."
        if template == 1:
            return f"{_article(noun)} with {features}."
        if template == 2:
            return f"this is {_article(noun)} with {features}."
        return f"the {noun} has {features}."

    def _phrase(self, group, value, draw, weights, rng) -> str:
        if group in _COLOR_PARTS:
            part, plural = _COLOR_PARTS[group]
            phrase = f"{_color(value)} {part}"
            return phrase if plural else _article(phrase)
        if group in _PATTERN_PARTS:
            part, plural = _PATTERN_PARTS[group]
            phrase = f"{_PATTERNS.get(value, _color(value))} {part}"
            return phrase if plural else _article(phrase)
        if group == "head_pattern":
            return _HEAD_PATTERNS.get(value, f"a {_color(value)} head")
        if group == "bill_shape":
            words = [_BILL_SHAPES.get(value, _color(value)), "bill"]
            if weights.get("bill_length") is not None and weights["bill_length"].sum() > 0:
                if rng.random() < 0.7:
                    words.insert(0, _BILL_LENGTHS.get(draw("bill_length"), ""))
            return _article(" ".join(w for w in words if w))
        if group == "tail_shape":
            return _article(f"{_TAIL_SHAPES.get(value, _color(value))} tail")
        if group == "wing_shape":
            return f"{_WING_SHAPES.get(value, _color(value))} wings"
        return f"{_color(value)} {group.replace('_', ' ')}"

    def captions(self, cls: int | str, num: int = 10, seed: int = 0) -> list[str]:
        """``num`` sentences about class ``cls``, deterministic in ``seed``."""
        rng = np.random.default_rng([seed, self.class_index(cls)])
        return [self.caption(cls, rng) for _ in range(num)]

    def attach(
        self, records: Sequence[ImageRecord], num_captions: int = 10, seed: int = 0
    ) -> list[ImageRecord]:
        """Copies of ``records`` with ``num_captions`` generated captions each.

        Each record's class is looked up by ``class_name`` (species names such as
        ``"Black_footed_Albatross"`` or ``"001.Black_footed_Albatross"``), else by
        ``class_id``. The captions of a record depend only on ``seed`` and its key, not on its
        position in the list.

        Returns:
            list of ``ImageRecord`` with ``captions`` replaced.

        Raises:
            KeyError: if a record's class is not in the table.
        """
        out = []
        for record in records:
            cls = record.class_name if record.class_name is not None else record.class_id
            rng = np.random.default_rng([seed, zlib.crc32(record.key.encode("utf-8"))])
            out.append(record.with_captions([self.caption(cls, rng) for _ in range(num_captions)]))
        return out
