"""Trains the style encoder S of a GAN-INT-CLS preset, for style transfer (Reed et al. 2016).

S learns ``||z - S(G(z, t))||^2`` against the preset's frozen generator G on the training
captions (the same cached embeddings the GAN used), then is measured on held-out captions in
image space (``style_reconstruction_error``) and draws a style-transfer sheet from real
held-out query images::

    python recipes/train_style_encoder.py --preset gan-int-cls-cub --steps 10000
    python recipes/train_style_encoder.py --preset gan-int-cls-flowers --steps 10000
    python recipes/package_preset.py --preset gan-int-cls-cub --run-dir runs/gan-int-cls-cub

Writes into ``--run-dir`` (default ``runs/<preset>``), where ``package_preset.py`` picks S up::

    style_encoder.weights.h5       S
    style_encoder.json             steps, learning curve, wall time, held-out errors
    samples/style_transfer.png     real held-out query images x sample captions
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
STYLE_ENCODER_FILE = "style_encoder.weights.h5"
STYLE_SUMMARY_FILE = "style_encoder.json"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--preset", required=True, choices=["gan-int-cls-cub", "gan-int-cls-flowers"]
    )
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--run-dir", type=Path, default=None, help="default runs/<preset>")
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument(
        "--df-dim", type=int, default=None, help="base width of S (default: the config's)"
    )
    parser.add_argument("--held-out", type=int, default=512, help="held-out captions measured")
    parser.add_argument("--queries", type=int, default=4, help="query images in the sheet")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", type=int, default=2)
    from keras_stackgan.models.compile_mode import add_compile_arguments, jit_compile_argument

    add_compile_arguments(parser, autotune=True)
    args = parser.parse_args(argv)

    from keras_stackgan.evaluation import held_out_captions, held_out_images, preset_data
    from keras_stackgan.pretrained import load_pretrained
    from keras_stackgan.pretrained.datasets import preset_records
    from keras_stackgan.pretrained.style import train_style_encoder
    from keras_stackgan.pretrained.training import SAMPLE_CAPTIONS, train_caption_embeddings
    from keras_stackgan.visual import style_transfer_sheet

    run_dir = args.run_dir or REPO / "runs" / args.preset
    dataset, _ = preset_data(args.preset)
    pipeline = load_pretrained(args.preset)
    training_config = pipeline.metadata["training"]["stage1"]["config"]  # GANINTCLSConfig
    train = preset_records(dataset, args.data_dir, "train")
    cache_dir = REPO / "runs" / dataset / "embeddings"
    captions = train_caption_embeddings(dataset, train, pipeline.text_encoder, cache_dir).values
    test = preset_records(dataset, args.data_dir, "test")
    _, held_out = held_out_captions(test, args.held_out, args.seed)

    encoder, summary = train_style_encoder(
        pipeline.stage1_generator,
        captions,
        pipeline.embed(held_out),
        steps=args.steps,
        df_dim=args.df_dim or training_config["style_df_dim"],
        seed=args.seed,
        verbose=args.verbose,
        precision=args.precision,
        jit_compile=jit_compile_argument(args),
        autotune=args.autotune,
    )
    run_dir.mkdir(parents=True, exist_ok=True)
    encoder.save_weights(os.fspath(run_dir / STYLE_ENCODER_FILE))

    pipeline.style_encoder = encoder
    sheet = run_dir / "samples" / "style_transfer.png"
    sheet.parent.mkdir(exist_ok=True)
    style_transfer_sheet(
        pipeline,
        held_out_images(test, args.queries, args.seed),
        SAMPLE_CAPTIONS[dataset],
        "real held-out image",
    ).save(sheet)
    summary.update(
        preset=args.preset,
        held_out_captions=args.held_out,
        sheet=os.fspath(sheet.relative_to(run_dir)),
        command="python recipes/train_style_encoder.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    )
    (run_dir / STYLE_SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    errors = summary["held_out"]
    print(
        f"{args.preset}: S loss {summary['loss_curve'][0]:.3f} -> {summary['final_loss']:.3f} "
        f"in {summary['seconds']:.0f} s; held-out image MSE {errors['reconstruction']:.4f} "
        f"(fresh z {errors['random_noise']:.4f}, z = 0 {errors['zero_noise']:.4f})"
    )
    return summary


if __name__ == "__main__":
    main()
