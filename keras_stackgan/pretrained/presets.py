"""The pretrained text-to-image presets (data, not code), as keras-hub's ``*_presets.py``.

Each entry names a folder of ``saved_models/`` holding ``config.json`` (the generators'
Keras configs, the text encoder preset, the weight files and what they were trained on), the
``.weights.h5`` files, ``samples.png`` and a model card ``README.md``. ``list_pretrained()``
lists the entries whose folder is shipped.
"""

PRESETS = {
    "cub": {
        "metadata": {
            "description": (
                "StackGAN (small config), Stage-I 64 px + Stage-II 256 px, trained on CUB "
                "birds: 275 images with human captions + 2,999 crops with attribute captions."
            ),
            "family": "stackgan",
            "stages": ("64", "256"),
        },
        "path": "cub",
    },
    "flowers": {
        "metadata": {
            "description": (
                "StackGAN (small config) Stage-I at 64 px, trained on Oxford-102 flowers "
                "(6,552 images at 64x64) with class-name captions."
            ),
            "family": "stackgan",
            "stages": ("64",),
        },
        "path": "flowers",
    },
    "gan-int-cls-cub": {
        "metadata": {
            "description": "GAN-INT-CLS baseline at 64 px on the cub preset's data and budget.",
            "family": "gan-int-cls",
            "stages": ("64",),
        },
        "path": "gan_int_cls_cub",
    },
    "gan-int-cls-flowers": {
        "metadata": {
            "description": "GAN-INT-CLS baseline at 64 px on the flowers preset's data/budget.",
            "family": "gan-int-cls",
            "stages": ("64",),
        },
        "path": "gan_int_cls_flowers",
    },
}
