"""``keras-stackgan``: generate, style, list, export, train and evaluate from the command line.

Examples::

    keras-stackgan list
    keras-stackgan generate "a small red bird with black wings" -o out.png
    keras-stackgan generate "a pink primrose" --preset flowers --num 8 --seed 1 -o flowers.png
    keras-stackgan generate --preset dcgan-flowers --num 16 -o dcgan.png
    keras-stackgan generate --preset cgan-mnist --label 3 --label 7 --num 8 -o digits.png
    keras-stackgan generate --preset vae-mnist --num 16 -o vae.png
    keras-stackgan generate --preset infogan-mnist --label 5 --code 0.5,-1 --num 4 -o info.png
    keras-stackgan style photo1.jpg photo2.jpg --text "a blue bird with white wings" -o style.png
    keras-stackgan translate edges.png -o flower.png --preset pix2pix-edges2flowers
    keras-stackgan export --preset cub -o /models/stackgan_cub
    keras-stackgan train --preset cub --stage 1 --data-dir ../shared/data --minutes 30
    keras-stackgan evaluate --preset cub --data-dir ../shared/data --metrics is,fid,r_precision
    keras-stackgan serve --preset flowers cub --port 8501
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROG = "keras-stackgan"


class CLIError(Exception):
    """Bad input: reported as one line on stderr with exit status 2."""


class _OneLineParser(argparse.ArgumentParser):
    """argparse's parser, but a bad argument is one line on stderr (status 2), no usage dump:
    the same shape as every other error of the CLI (``--help`` still prints the usage)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _image_output(path: str) -> Path:
    """``-o`` checked before any model loads: an image extension Pillow writes, and a file
    that can be created (its folder is made); raises ``CLIError`` otherwise."""
    from PIL import Image

    output = Path(path)
    extension = output.suffix.lower()
    if Image.registered_extensions().get(extension) not in Image.SAVE:
        raise CLIError(f"-o {path}: not an image file name (end it in .png or .jpg)")
    if output.is_dir():
        raise CLIError(f"-o {path} is a folder, not an image file name")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        existed = output.exists()
        with open(output, "ab"):
            pass
        if not existed:
            output.unlink()
    except OSError as error:
        raise CLIError(f"cannot write -o {path}: {error.strerror or error}") from None
    return output


def _save_image(image, output: Path) -> None:
    try:
        image.save(output)
    except OSError as error:
        raise CLIError(f"cannot write {output}: {error.strerror or error}") from None


def _presets_help() -> str:
    # presets.py is plain data and keras_stackgan.pretrained imports lazily: no TensorFlow.
    from keras_stackgan.pretrained.presets import PRESETS

    return ", ".join(PRESETS)


def cmd_list(args) -> int:
    from keras_stackgan.pretrained.load import list_pretrained
    from keras_stackgan.pretrained.presets import PRESETS

    shipped = set(list_pretrained())
    for name, preset in PRESETS.items():
        if name in shipped or args.all:
            meta = preset["metadata"]
            status = "" if name in shipped else "  [not shipped]"
            stages = "/".join(meta.get("stages", ())) or "-"
            family = f"{meta['family']} / {meta['dataset']}"
            print(f"{name:<20} {family:<22} {stages:<7} {meta['description']}{status}")
    return 0


def _zoo_generate(pipeline, args):
    """Images of a noise-to-image preset: ``--num`` per ``--label`` (one column each)."""
    if args.texts:
        raise CLIError(
            f"{args.preset} draws from noise, not from sentences; use --label/--code "
            "(see keras-stackgan generate --help)"
        )
    codes = None
    if args.code:
        if len(args.code) > 1:
            raise CLIError("give --code once (one value per continuous code, comma-separated)")
        try:
            codes = [float(v) for v in args.code[0].split(",")]
        except ValueError as error:
            raise CLIError(
                f"--code must be comma-separated numbers, got {args.code[0]!r}"
            ) from error
    labels = args.label or None
    if labels is not None and not pipeline.num_classes:
        raise CLIError(f"{args.preset} is unconditional: it takes no --label")
    if labels is None:
        images = pipeline.generate(
            args.num, codes=codes, seed=args.seed, truncation=args.truncation
        )
        return images, min(args.num, 8), None
    ids = pipeline.label_ids(labels)
    images = pipeline.generate(
        labels=[i for i in ids for _ in range(args.num)],
        codes=codes,
        seed=args.seed,
        truncation=args.truncation,
    )
    return images, len(ids), [str(label) for label in labels]


def cmd_generate(args) -> int:
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
    from keras_stackgan.pretrained.load import load_pretrained
    from keras_stackgan.visual.grid import image_grid

    if args.num < 1:
        raise CLIError(f"--num must be >= 1, got {args.num}")
    output = _image_output(args.output)
    pipeline = load_pretrained(args.preset, args.stage)
    if isinstance(pipeline, GeneratorPipeline):
        images, columns, captions = _zoo_generate(pipeline, args)
        _save_image(image_grid(images, columns, captions if args.captions else None), output)
        size = images.shape[1]
        print(f"wrote {output}: {len(images)} images of {size}x{size} from {pipeline.name!r}")
        return 0
    from keras_stackgan.models.vae import VAEPipeline
    from keras_stackgan.models.vqvae import VQVAE2Pipeline

    if isinstance(pipeline, VAEPipeline | VQVAE2Pipeline):  # likelihood models: a seed only
        if args.texts or args.label or args.code:
            raise CLIError(f"{args.preset} samples from its prior: give only --num and --seed")
        images = pipeline.generate(args.num, seed=args.seed)
        _save_image(image_grid(images, min(args.num, 8)), output)
        size = images.shape[1]
        print(f"wrote {output}: {len(images)} images of {size}x{size} from {pipeline.name!r}")
        return 0
    if args.label or args.code:
        raise CLIError(f"{args.preset} draws from sentences; --label and --code are for the zoo")
    texts = [t for t in args.texts if t.strip()]
    if not texts:
        raise CLIError("give at least one non-empty sentence")
    images = pipeline.generate(
        texts,
        images_per_text=args.num,
        seed=args.seed,
        truncation=args.truncation,
        sample_condition=args.sample_condition,
    )
    if len(texts) > 1:  # one column per sentence
        columns, captions = len(texts), texts
    else:  # one sentence: a near-square sheet, the sentence under the first column
        columns = min(args.num, 4)
        captions = [texts[0]] + [""] * (columns - 1)
    _save_image(image_grid(images, columns, captions if args.captions else None), output)
    size = images.shape[1]
    print(f"wrote {output}: {len(images)} images of {size}x{size} from {pipeline.name!r}")
    return 0


def cmd_style(args) -> int:
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    from keras_stackgan.pretrained.load import load_pretrained
    from keras_stackgan.visual import style_transfer_sheet

    texts = [t for t in args.text if t.strip()]
    if not texts:
        raise CLIError("give at least one non-empty --text")
    output = _image_output(args.output)
    queries = []
    for path in args.images:
        try:
            with Image.open(path) as image:
                square = image.convert("RGB").resize((64, 64), Image.BICUBIC)
        except UnidentifiedImageError as error:
            raise CLIError(f"not an image: {path}") from error
        queries.append(np.asarray(square))
    pipeline = load_pretrained(args.preset)
    _save_image(style_transfer_sheet(pipeline, np.stack(queries), texts), output)
    print(f"wrote {output}: {len(queries)} images x {len(texts)} sentences from {pipeline.name!r}")
    return 0


def cmd_translate(args) -> int:
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    from keras_stackgan.pretrained.load import load_pretrained
    from keras_stackgan.visual.grid import image_grid

    pipeline = load_pretrained(args.preset)
    if not hasattr(pipeline, "translate"):
        raise CLIError(f"{args.preset} does not translate images (try pix2pix-edges2flowers)")
    images = []
    for path in args.images:
        try:
            with Image.open(path) as image:
                images.append(np.asarray(image.convert("RGB")))
        except (UnidentifiedImageError, OSError) as error:
            raise CLIError(f"not a readable image: {path}") from error
    outputs = pipeline.translate(images, seed=args.seed)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # One image: the translation itself; several: one row, in the order given.
    sheet = Image.fromarray(outputs[0]) if len(outputs) == 1 else image_grid(outputs, len(outputs))
    _save_image(sheet, output)
    size = outputs.shape[1]
    print(f"wrote {output}: {len(outputs)} images of {size}x{size} from {pipeline.name!r}")
    return 0


def cmd_export(args) -> int:
    from keras_stackgan.export import export_saved_model
    from keras_stackgan.pretrained.load import load_pretrained

    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise CLIError(f"-o {args.output} is a file: give the model base folder TF Serving watches")
    pipeline = load_pretrained(args.preset, args.stage)
    path = export_saved_model(pipeline, args.output, version=args.version)
    print(f"wrote SavedModel {path} (signatures generate_from_text, generate_from_embedding)")
    return 0


def cmd_train(args) -> int:
    from keras_stackgan.pretrained.training import train_stage

    if args.preset not in ("cub", "flowers"):
        raise CLIError(f"train supports the presets cub and flowers, got {args.preset!r}")
    if args.preset == "flowers" and args.stage != 1:
        raise CLIError("the flowers preset has only Stage-I (its images are 64x64)")
    if not Path(args.data_dir).is_dir():
        raise CLIError(f"--data-dir {args.data_dir} is not a folder")
    run_dir = Path(args.run_dir or Path("runs") / args.preset)
    try:
        summary = _train(args, run_dir, train_stage)
    except FloatingPointError as error:  # NonFiniteError: the run diverged; one line, status 1
        print(f"{PROG} train: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    return 0


def _train(args, run_dir: Path, train_stage) -> dict:
    return train_stage(
        args.preset,
        args.stage,
        args.data_dir,
        run_dir / f"stage{args.stage}",
        config=args.config,
        epochs=args.epochs,
        minutes=args.minutes,
        seed=args.seed,
        cache_dir=run_dir / "embeddings",
        stage1_run_dir=run_dir / "stage1",
        jit_compile="auto" if args.stage == 1 else False,
    )


def cmd_evaluate(args) -> int:
    from keras_stackgan.evaluation import evaluate_preset

    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    report = evaluate_preset(
        args.preset,
        args.data_dir,
        metrics=metrics,
        num_images=args.num,
        seed=args.seed,
        condition=args.condition,
    )
    print(report.table())
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(report.to_dict(), indent=2) + "\n")
        print(f"wrote {args.output}")
    return 0


def cmd_serve(args) -> int:
    import importlib.util

    if importlib.util.find_spec("flask") is None:
        raise CLIError(
            "serve needs the [serve] extra (Flask): pip install 'keras-stackgan[serve]', or "
            'pip install -e ".[serve]" in a checkout'
        )
    if not 0 <= args.port <= 65535:
        raise CLIError(f"--port must be 0..65535, got {args.port}")
    if args.max_pending < 1:
        raise CLIError(f"--max-pending must be >= 1, got {args.max_pending}")
    from keras_stackgan.serve import load_pipelines, serve

    names = [name for group in args.preset or [] for name in group]
    print(f"loading {', '.join(names) if names else 'every shipped preset'} ...", flush=True)
    serve(load_pipelines(names), args.host, args.port, max_pending=args.max_pending)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="StackGAN text-to-image models: generate images from sentences, export "
        "them for TF Serving, train and evaluate the shipped presets.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list the pretrained presets")
    listing.add_argument("--all", action="store_true", help="also presets not shipped")
    listing.set_defaults(run=cmd_list)

    generate = commands.add_parser(
        "generate",
        help="images from sentences (or a zoo preset's noise, labels, codes), as one grid",
        description="Generates --num images per sentence (one column each) into a PNG grid. "
        "Noise-to-image presets (dcgan-flowers, wgan-gp-flowers, cgan-mnist, infogan-mnist) take "
        "no sentence: --num images (per --label for class-conditional ones).",
    )
    generate.add_argument(
        "texts", nargs="*", metavar="TEXT", help="English sentence(s) (text-to-image presets)"
    )
    generate.add_argument("--preset", default="cub", help=f"one of: {_presets_help()}")
    generate.add_argument("--stage", choices=["64", "256"], default=None, help="output size")
    generate.add_argument("--num", type=int, default=8, help="images per sentence (8)")
    generate.add_argument("--seed", type=int, default=0, help="noise seed (0)")
    generate.add_argument("--truncation", type=float, default=None, help="e.g. 1.0")
    generate.add_argument("--sample-condition", action="store_true", help="sample the CA")
    generate.add_argument(
        "--label",
        action="append",
        help="class id or name (cgan-mnist: 0-9; infogan-mnist: its categorical code 0-9); "
        "repeatable, one column each",
    )
    generate.add_argument(
        "--code", action="append", help="InfoGAN continuous codes, e.g. 0.5,-1 (default random)"
    )
    generate.add_argument("--captions", action="store_true", help="write captions under columns")
    generate.add_argument("-o", "--output", default="out.png", help="PNG path (out.png)")
    generate.set_defaults(run=cmd_generate)

    style = commands.add_parser(
        "style",
        help="GAN-INT-CLS style transfer: your images' pose and background, new sentences",
    )
    style.add_argument("images", nargs="+", metavar="IMAGE", help="query image files")
    style.add_argument("--text", action="append", required=True, help="a sentence (repeatable)")
    style.add_argument(
        "--preset", default="gan-int-cls-cub", help="gan-int-cls-cub or gan-int-cls-flowers"
    )
    style.add_argument("-o", "--output", default="style.png", help="PNG path (style.png)")
    style.set_defaults(run=cmd_style)

    translate = commands.add_parser(
        "translate",
        help="image-to-image presets (pix2pix): translate image files",
        description="Translates each image (any size; resized to the model's) with an "
        "image-to-image preset into one PNG: the image itself for one input, a row for several.",
    )
    translate.add_argument("images", nargs="+", metavar="IMAGE", help="input image files")
    translate.add_argument("--preset", default="pix2pix-edges2flowers", help="an image preset")
    translate.add_argument("--seed", type=int, default=0, help="seed of the dropout noise (0)")
    translate.add_argument("-o", "--output", default="translated.png", help="PNG path")
    translate.set_defaults(run=cmd_translate)

    export = commands.add_parser("export", help="SavedModel for TF Serving")
    export.add_argument("--preset", default="cub", help=f"one of: {_presets_help()}")
    export.add_argument("--stage", choices=["64", "256"], default=None)
    export.add_argument("-o", "--output", required=True, help="model base path")
    export.add_argument(
        "--version", type=int, default=None, help="version folder (default: the next one)"
    )
    export.set_defaults(run=cmd_export)

    train = commands.add_parser(
        "train",
        help="train a preset (resumable; wraps recipes/train_cub.py, train_flowers.py)",
    )
    train.add_argument("--preset", choices=["cub", "flowers"], required=True)
    train.add_argument("--stage", type=int, choices=[1, 2], default=1)
    train.add_argument("--data-dir", required=True, help="folder with birds/, flowers/, ...")
    train.add_argument("--run-dir", default=None, help="checkpoints and logs (runs/<preset>)")
    train.add_argument("--config", default="small", help='"small" (CPU) or "paper" (GPU)')
    train.add_argument("--epochs", type=int, default=None, help="total epochs to reach")
    train.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(run=cmd_train)

    evaluate = commands.add_parser("evaluate", help="proxy-IS, proxy-FID, R-precision")
    evaluate.add_argument("--preset", default="cub", help=f"one of: {_presets_help()}")
    evaluate.add_argument("--data-dir", required=True, help="folder with birds/, flowers/, ...")
    evaluate.add_argument("--metrics", default="is,fid,r_precision")
    evaluate.add_argument("--num", type=int, default=2000, help="generated images")
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument(
        "--condition",
        choices=["sample", "mean"],
        default="sample",
        help="CA condition: sampled (truncated normal, as the original code) or its mean",
    )
    evaluate.add_argument("--output", default=None, help="JSON report path")
    evaluate.set_defaults(run=cmd_evaluate)

    serve = commands.add_parser(
        "serve",
        help="a local demo page and a TF Serving-compatible REST API (needs the [serve] extra)",
        description="Loads the presets once and serves http://HOST:PORT/ (type sentences, see "
        "the images) and TF Serving's REST API: POST /v1/models/PRESET:predict, "
        "GET /v1/models/PRESET[/metadata]. Model calls run one at a time; requests beyond "
        "--max-pending get 503.",
    )
    serve.add_argument(
        "--preset",
        nargs="+",
        action="append",
        metavar="NAME",
        help=f"presets to serve (default: every shipped one); of: {_presets_help()}",
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (127.0.0.1: this machine)")
    serve.add_argument("--port", type=int, default=8501, help="TCP port (8501)")
    serve.add_argument(
        "--max-pending", type=int, default=8, help="model calls queued at once (8); more get 503"
    )
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``keras-stackgan`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (CLIError, ValueError, TypeError, OSError, KeyError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        print(f"{PROG} {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
