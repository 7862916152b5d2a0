"""The zoo's one preset registry (data, not code), as keras-hub's ``*_presets.py``.

Each entry has one shape: ``metadata`` (``description``, ``family``, ``dataset``, and
``stages`` for the text-to-image families) and ``path``, a folder of ``saved_models/`` holding
``config.json`` (the networks' Keras configs, weight file names, what they were trained on),
the ``.weights.h5`` files, sample sheets and a model card ``README.md``. ``list_pretrained()``
lists the entries whose folder is shipped. Text-to-image presets (``stackgan``,
``gan-int-cls``) load as ``StackGANPipeline``; the adversarial zoo's noise-to-image presets as
``GeneratorPipeline``.
"""

PRESETS = {
    "cub": {
        "metadata": {
            "description": (
                "StackGAN (small config), Stage-I 64 px + Stage-II 256 px, trained on CUB "
                "birds: 275 images with human captions + 2,999 crops with attribute captions."
            ),
            "family": "stackgan",
            "dataset": "cub",
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
            "dataset": "flowers",
            "stages": ("64",),
        },
        "path": "flowers",
    },
    "gan-int-cls-cub": {
        "metadata": {
            "description": "GAN-INT-CLS baseline at 64 px on the cub preset's data and budget.",
            "family": "gan-int-cls",
            "dataset": "cub",
            "stages": ("64",),
        },
        "path": "gan_int_cls_cub",
    },
    "gan-int-cls-flowers": {
        "metadata": {
            "description": "GAN-INT-CLS baseline at 64 px on the flowers preset's data/budget.",
            "family": "gan-int-cls",
            "dataset": "flowers",
            "stages": ("64",),
        },
        "path": "gan_int_cls_flowers",
    },
    "dcgan-flowers": {
        "metadata": {
            "description": "DCGAN (Radford et al. 2016) at 64 px on Oxford-102 flowers.",
            "family": "dcgan",
            "dataset": "flowers",
        },
        "path": "dcgan_flowers",
    },
    "wgan-gp-flowers": {
        "metadata": {
            "description": "WGAN-GP (Gulrajani et al. 2017) at 64 px on Oxford-102 flowers.",
            "family": "wgan-gp",
            "dataset": "flowers",
        },
        "path": "wgan_gp_flowers",
    },
    "cgan-mnist": {
        "metadata": {
            "description": (
                "Conditional GAN on MNIST digits with a conditional-batch-norm generator "
                "(class ids 0-9)."
            ),
            "family": "cgan",
            "dataset": "mnist",
        },
        "path": "cgan_mnist",
    },
    "infogan-mnist": {
        "metadata": {
            "description": (
                "InfoGAN (Chen et al. 2016) on MNIST: a 10-way categorical code (labels) and "
                "2 continuous codes in [-1, 1]."
            ),
            "family": "infogan",
            "dataset": "mnist",
        },
        "path": "infogan_mnist",
    },
    "pix2pix-edges2flowers": {
        "metadata": {
            "description": (
                "pix2pix (Isola et al. 2017, small config) at 64 px: Sobel edge maps -> "
                "Oxford-102 flowers (image-to-image; Pix2PixPipeline.translate)."
            ),
            "family": "pix2pix",
            "dataset": "flowers",
        },
        "path": "pix2pix_edges2flowers",
    },
    "vae-mnist": {
        "metadata": {
            "description": (
                "VAE (Kingma & Welling 2014) on MNIST: 784-400-20 encoder, 20-d Gaussian "
                "latent, 20-400-784 Bernoulli decoder."
            ),
            "family": "vae",
            "dataset": "mnist",
        },
        "path": "vae_mnist",
    },
    "vae-flowers": {
        "metadata": {
            "description": (
                "Convolutional VAE (Kingma & Welling 2014) on 64 px Oxford-102 flowers: "
                "64-d Gaussian latent, Bernoulli decoder (config flowers-small)."
            ),
            "family": "vae",
            "dataset": "flowers",
        },
        "path": "vae_flowers",
    },
    "vqvae2-flowers": {
        "metadata": {
            "description": (
                "VQ-VAE-2 (Razavi et al. 2019, small config) at 64 px on Oxford-102 flowers, "
                "with gated PixelCNN priors over its 8x8 top and 16x16 bottom codes."
            ),
            "family": "vqvae2",
            "dataset": "flowers",
        },
        "path": "vqvae2_flowers",
    },
}
