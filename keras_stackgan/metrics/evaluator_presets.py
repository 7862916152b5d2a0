"""Pretrained evaluator presets shipped in ``saved_models/evaluators/`` (data, not code).

Each entry maps a preset name to its metadata and to ``path``, the folder name inside
``saved_models/evaluators/``, which holds ``config.json``, ``model.weights.h5`` and a model card
(``README.md``) with the held-out numbers and the commands that produced them.
"""

EVALUATORS_DIR = "evaluators"

proxy_presets = {
    "birds": {
        "metadata": {
            "description": (
                "ProxyClassifier of 106 CUB bird species (bird_crops100's 100 + the captioned "
                "birds' 10, unified by species), 64x64, for proxy-IS / proxy-FID of the cub "
                "preset. Not comparable with Inception-based IS / FID."
            ),
            "recipe": "recipes/train_proxy_evaluator.py --dataset birds",
        },
        "path": "birds",
    },
    "flowers": {
        "metadata": {
            "description": (
                "ProxyClassifier of the 102 Oxford-102 flower species, 64x64, for proxy-IS / "
                "proxy-FID of the flowers preset. Not comparable with Inception-based IS / FID."
            ),
            "recipe": "recipes/train_proxy_evaluator.py --dataset flowers",
        },
        "path": "flowers",
    },
}

r_precision_presets = {
    "birds": {
        "metadata": {
            "description": (
                "64x64 image encoder trained with a symmetric InfoNCE loss onto the frozen "
                "all-MiniLM-L6-v2 sentence embeddings of the cub preset's captions (human and "
                "attribute captions), for R-precision (1 true + 99 mismatched captions)."
            ),
            "recipe": "recipes/train_r_precision_encoder.py",
        },
        "path": "r_precision_birds",
    },
    "flowers": {
        "metadata": {
            "description": (
                "64x64 image encoder trained with a symmetric InfoNCE loss onto the frozen "
                "all-MiniLM-L6-v2 sentence embeddings of the flowers preset's class-name "
                "captions, for R-precision (1 true + 99 mismatched captions)."
            ),
            "recipe": "recipes/train_r_precision_encoder.py --dataset flowers",
        },
        "path": "r_precision_flowers",
    },
}

# Other names accepted for the same presets (the preset names of the GAN zoo, folder names).
proxy_aliases = {"cub": "birds", "proxy_birds": "birds", "proxy_flowers": "flowers"}
r_precision_aliases = {
    "cub": "birds",
    "r_precision_birds": "birds",
    "r_precision_flowers": "flowers",
}

digit_classifier_presets = {
    "mnist": {
        "metadata": {
            "description": (
                "DigitClassifier (3-stage convnet, 141 k parameters) trained on the MNIST "
                "training digits of ../shared/data/mnist (20,699 of its 22,699; 2,000 for "
                "validation), for the label accuracy of conditional GANs and the "
                "categorical-code accuracy of InfoGAN."
            ),
            "recipe": "recipes/train_digit_classifier.py",
        },
        "path": "mnist",
    },
}
digit_classifier_aliases = {"digits": "mnist"}
