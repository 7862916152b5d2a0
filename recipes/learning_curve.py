"""Prints and plots the learning curves of text-to-image runs (``curve.csv``, issue 17).

``recipes/train_cub.py``, ``train_flowers.py`` and ``train_gan_int_cls.py`` measure their
generator every ``--curve-every`` epochs on ``--curve-images`` held-out captions
(``keras_stackgan.evaluation.caption_curve``: proxy-IS, proxy-FID to the training images,
R-precision, drawn as ``keras-stackgan evaluate`` draws them). This prints one markdown table
per run and writes a PNG of the three series::

    python recipes/learning_curve.py runs/cub/stage2 runs/gan-int-cls-cub --plot curves.png
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

SERIES = [
    ("proxy-FID to the training images (lower is better)", "proxy_fid", "darkred"),
    ("proxy-IS (higher is better)", "proxy_is", "navy"),
    ("R-precision (higher is better)", "r_precision", "darkgreen"),
]


def curve_table(run_dir: Path) -> str:
    """A markdown table of the run's ``curve.csv`` rows."""
    from keras_stackgan.callbacks import read_curve
    from keras_stackgan.evaluation import CURVE_FILE

    rows = read_curve(Path(run_dir) / CURVE_FILE)
    if not rows:
        raise SystemExit(f"{run_dir}: no {CURVE_FILE} (train with --curve-every N)")

    def cell(row, key, fmt):
        return "" if row.get(key) is None else fmt.format(row[key])

    lines = [
        f"`{run_dir}`:",
        "",
        "| epoch | generator steps | train min | proxy-IS | proxy-FID | R-precision |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['epoch'])} | {int(r['generator_steps']):,} | "
            f"{r['train_seconds'] / 60:.0f} | {cell(r, 'proxy_is', '{:.2f}')} | "
            f"{cell(r, 'proxy_fid', '{:.2f}')} | "
            + ("" if r.get("r_precision") is None else f"{100 * r['r_precision']:.1f}%")
            + " |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="run directories with curve.csv")
    parser.add_argument("--plot", type=Path, default=None, help="PNG per run: <stem>-<k>.png")
    args = parser.parse_args(argv)
    from keras_stackgan.callbacks import read_curve
    from keras_stackgan.evaluation import CURVE_FILE
    from keras_stackgan.visual import plot_curve

    for k, run in enumerate(args.runs):
        print(curve_table(run), end="\n\n")
        if args.plot:
            single = len(args.runs) == 1
            path = args.plot if single else args.plot.with_stem(f"{args.plot.stem}-{k}")
            plot_curve(read_curve(run / CURVE_FILE), path, f"{run}: held-out captions", SERIES)
            print(f"wrote {path}\n")


if __name__ == "__main__":
    main()
