"""Reproduces the ``cub`` preset: StackGAN Stage-I (64 px) then Stage-II (256 px).

Data: ``<data-dir>/birds`` (CUB images with 10 human captions each) and
``<data-dir>/bird_crops100`` (attribute captions), test splits held out; the shipped sentence
encoder embeds the captions. See ``recipes/train_stackgan.py`` for the options::

    python recipes/train_cub.py --stage 1 --minutes 40
    python recipes/train_cub.py --stage 2 --minutes 60
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_stackgan import main  # noqa: E402

if __name__ == "__main__":
    main("cub", stages=(1, 2))
