"""Packaging for keras-stackgan.

Tool configuration (ruff, pytest) lives in pyproject.toml; this file holds the package metadata.
The shipped weights in the top-level ``saved_models/`` folder are installed as the package
``keras_stackgan.saved_models`` so that ``load_pretrained`` works offline after ``pip install``.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
version = {}
exec((HERE / "keras_stackgan" / "version.py").read_text(), version)

setup(
    name="keras-stackgan",
    version=version["__version__"],
    description="StackGAN and the text-to-image GANs it grew from, in Keras 3 / TensorFlow 2.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10,<3.14",
    packages=find_packages(include=["keras_stackgan", "keras_stackgan.*"])
    + ["keras_stackgan.saved_models"],
    package_dir={"keras_stackgan.saved_models": "saved_models"},
    package_data={
        "keras_stackgan.saved_models": ["*", "*/*", "*/*/*", "*/*/*/*"],
        "keras_stackgan.serve": ["page/*"],  # the demo page's HTML, JS and CSS
    },
    include_package_data=True,
    # Compact training states of runs in progress (keras_stackgan.pretrained.training_state)
    # stay in the repository for the next session; users' installs do not carry them.
    exclude_package_data={
        "keras_stackgan.saved_models": ["training_state/*", "training_state/*/*"]
    },
    install_requires=[
        "tensorflow>=2.21,<2.22",
        "keras>=3.15,<3.16",
        "keras-hub>=0.32,<0.33",
        "tensorflow-text>=2.21,<2.22",
        "tensorflow-hub>=0.16,<0.17",
        "h5py>=3.10",
        "numpy>=1.26,<3",
        "pillow>=10",
        "scipy>=1.11",
        "tqdm>=4.60",
        # Training logs (keras.callbacks.TensorBoard, SampleGrid image summaries); TF 2.21
        # no longer installs it.
        "tensorboard>=2.21,<2.22",
    ],
    extras_require={
        # selenium drives Debian's chromium in the serve page's browser test (no download).
        "dev": ["pytest>=8", "pytest-timeout>=2.2", "ruff>=0.6", "selenium>=4.20"],
        # keras-stackgan serve: Flask (routing, test client, werkzeug's threaded local server).
        "serve": ["flask>=3.1,<4"],
    },
    entry_points={"console_scripts": ["keras-stackgan=keras_stackgan.cli:main"]},
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
)
