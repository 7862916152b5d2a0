"""Reproduces the ``flowers`` preset: StackGAN Stage-I at 64 px on Oxford-102.

The shared Oxford-102 images are 64x64, so this preset has no Stage-II. Captions are built
from class names ("a photo of a pink primrose, a type of flower."); the test split is held
out. See ``recipes/train_stackgan.py`` for the options::

    python recipes/train_flowers.py --minutes 40
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_stackgan import main  # noqa: E402

if __name__ == "__main__":
    main("flowers", stages=(1,))
