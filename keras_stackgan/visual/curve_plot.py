"""``plot_curve``: panels of learning-curve series (``QualityCurve`` rows) against epochs."""

from __future__ import annotations

import os

from PIL import Image, ImageDraw


def plot_curve(rows: list[dict], path: str | os.PathLike, title: str, series) -> None:
    """Saves one panel per series, stacked, as a PNG of 640 px width.

    Drawn with PIL: matplotlib is not a dependency, and a line per series is all we need.

    Args:
        rows: ``read_curve`` rows (each with ``epoch``), in epoch order.
        path: the PNG to write.
        title: the line above the panels.
        series: ``(label, key, colour)`` triples; ``key`` names a column of ``rows`` (rows
            without a value are skipped).
    """
    width, height, margin = 640, 200, 46
    image = Image.new("RGB", (width, len(series) * height + 24), "white")
    draw = ImageDraw.Draw(image)
    draw.text((margin, 4), title, fill="black")
    for k, (label, key, colour) in enumerate(series):
        pairs = [(r["epoch"], r[key]) for r in rows if r.get(key) is not None]
        top = 24 + k * height
        box = (margin, top + 16, width - 12, top + height - 22)
        draw.rectangle(box, outline="grey")
        draw.text((margin, top + 2), label, fill=colour)
        if not pairs:
            continue
        epochs, values = zip(*pairs, strict=True)
        low, high = min(values), max(values)
        first, span, e_span = min(epochs), (high - low) or 1.0, (max(epochs) - min(epochs)) or 1

        def xy(e, v, box=box, low=low, span=span, e_span=e_span, first=first):
            x = box[0] + (e - first) / e_span * (box[2] - box[0])
            return x, box[3] - (v - low) / span * (box[3] - box[1])

        points = [xy(e, v) for e, v in pairs]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        for x, y in points:
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=colour)
        draw.text((2, box[1]), f"{high:.3g}", fill="black")
        draw.text((2, box[3] - 10), f"{low:.3g}", fill="black")
        draw.text((box[0], box[3] + 4), f"epoch {int(min(epochs))}", fill="black")
        draw.text((box[2] - 60, box[3] + 4), f"epoch {int(max(epochs))}", fill="black")
    image.save(path)
