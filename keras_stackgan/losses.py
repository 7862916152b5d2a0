"""Losses of the matching-aware conditional GANs (GAN-CLS / StackGAN).

Every function returns a float32 scalar averaged over the local batch. Under ``tf.distribute``
the training step divides by the number of replicas before taking gradients (Keras'
``scale_loss_for_distribution``), which equals summing over the global batch and dividing by the
global batch size.
"""

from __future__ import annotations

from keras import ops


def _bce_with_logits(logits, target: float):
    logits = ops.cast(logits, "float32")
    labels = ops.full_like(logits, target)
    return ops.mean(ops.binary_crossentropy(labels, logits, from_logits=True))


def kl_divergence(mu, logvar):
    """KL divergence of ``N(mu, diag(exp(logvar)))`` to ``N(0, I)``, averaged per element.

    ``0.5 * mean(exp(logvar) + mu**2 - 1 - logvar)`` over the batch and the condition
    dimensions. Both original implementations average over the condition dimensions as well as
    the batch (TF: ``KL_loss``, PyTorch: ``KL_loss``), and the paper's coefficient (2.0 in the
    released configs) is tuned for that normalisation. Multiply by ``condition_dim`` for the KL in
    nats per example.

    Args:
        mu: float tensor ``[batch, condition_dim]``.
        logvar: float tensor ``[batch, condition_dim]``, log-variance.

    Returns:
        float32 scalar, >= 0.
    """
    mu = ops.cast(mu, "float32")
    logvar = ops.cast(logvar, "float32")
    return 0.5 * ops.mean(ops.exp(logvar) + ops.square(mu) - 1.0 - logvar)


def discriminator_loss(real_logits, wrong_logits, fake_logits, wrong_weight: float = 0.5):
    """Matching-aware discriminator loss.

    ``BCE(real, 1) + wrong_weight * BCE(wrong, 0) + (1 - wrong_weight) * BCE(fake, 0)``, where
    ``real`` scores real images with their own text, ``wrong`` real images with mismatched text
    and ``fake`` generated images with their text. With the default 0.5 this is StackGAN's
    ``errD_real + 0.5 * (errD_wrong + errD_fake)``. Pass ``wrong_logits=None`` for a plain
    conditional GAN (``BCE(real, 1) + BCE(fake, 0)``).

    Args:
        real_logits, wrong_logits, fake_logits: float tensors ``[batch, 1]``.
        wrong_weight: float in [0, 1].

    Returns:
        dict of float32 scalars: ``loss`` (the total), ``real``, ``wrong`` and ``fake``.
    """
    real = _bce_with_logits(real_logits, 1.0)
    fake = _bce_with_logits(fake_logits, 0.0)
    if wrong_logits is None:
        return {"loss": real + fake, "real": real, "wrong": ops.zeros_like(real), "fake": fake}
    wrong = _bce_with_logits(wrong_logits, 0.0)
    loss = real + wrong_weight * wrong + (1.0 - wrong_weight) * fake
    return {"loss": loss, "real": real, "wrong": wrong, "fake": fake}


def generator_loss(fake_logits):
    """Non-saturating generator loss ``BCE(fake, 1)`` (float32 scalar).

    ``-mean log D(G(z)) = mean softplus(-logit)``: the generator objective Goodfellow et al.
    (2014, section 3) recommend in practice, with strong gradients early in training when D
    rejects the fakes confidently (``minimax_generator_loss`` is the game's own objective).
    """
    return _bce_with_logits(fake_logits, 1.0)


def minimax_generator_loss(fake_logits):
    """The minimax generator loss ``mean log(1 - D(G(z)))`` (float32 scalar, <= 0).

    The generator's side of the game ``min_G max_D E[log D(x)] + E[log(1 - D(G(z)))]``
    (Goodfellow et al. 2014, eq. 1): ``log(1 - sigmoid(logit)) = -softplus(logit)``, so this is
    ``-BCE(fake, 0)``, minimised by G. It saturates (vanishing gradients) while D rejects the
    fakes, which is why ``generator_loss`` is used in practice.

    Args:
        fake_logits: float tensor ``[batch, 1]``, D's logits of generated images.
    """
    return -_bce_with_logits(fake_logits, 0.0)


def l1_loss(targets, outputs):
    """pix2pix's reconstruction term ``L_L1(G) = E_{x,y,z} ||y - G(x, z)||_1``, per element.

    Isola et al. (2017), eq. 3: the mean absolute difference over the batch, the pixels and the
    channels (images in [-1, 1], so in [0, 2]); the paper weighs it by ``lambda = 100``.

    Args:
        targets: float tensor ``[batch, H, W, C]``, the real outputs y.
        outputs: float tensor of the same shape, the generated G(x, z).

    Returns:
        float32 scalar >= 0.
    """
    return ops.mean(ops.abs(ops.cast(targets, "float32") - ops.cast(outputs, "float32")))


def patch_discriminator_loss(real_logits, fake_logits):
    """pix2pix's D loss: ``0.5 * (BCE(D(x, y), 1) + BCE(D(x, G(x, z)), 0))`` over every patch.

    Isola et al. (2017), eq. 1 and section 3.3: D maximises
    ``L_cGAN = E[log D(x, y)] + E[log(1 - D(x, G(x, z)))]``, each logit of the PatchGAN's grid
    classifying one patch, averaged over the batch and the grid; "we divide the objective by 2
    while optimizing D, which slows down the rate at which D learns relative to G".

    Args:
        real_logits, fake_logits: float tensors ``[batch, P, P, 1]``.

    Returns:
        dict of float32 scalars: ``loss`` (the halved sum), ``real`` and ``fake``.
    """
    real = _bce_with_logits(real_logits, 1.0)
    fake = _bce_with_logits(fake_logits, 0.0)
    return {"loss": 0.5 * (real + fake), "real": real, "fake": fake}


def pix2pix_generator_loss(
    fake_logits, targets, outputs, lambda_l1: float = 100.0, lambda_gan: float = 1.0
):
    """pix2pix's G objective ``lambda_gan * L_cGAN + lambda_l1 * L_L1`` (eq. 4).

    ``G* = arg min_G max_D L_cGAN(G, D) + lambda L_L1(G)``, with G's side of ``L_cGAN`` in the
    non-saturating form ``BCE(D(x, G(x, z)), 1)`` over every patch (section 3.3: "we train to
    maximize log D(x, G(x, z))"). ``lambda_gan = 0`` is the L1-only U-Net baseline of the
    paper's table 1 (then ``fake_logits`` may be None).

    Args:
        fake_logits: float tensor ``[batch, P, P, 1]`` (or None when ``lambda_gan`` is 0).
        targets, outputs: float tensors ``[batch, H, W, C]``, y and G(x, z).
        lambda_l1: float >= 0, the paper's lambda (100).
        lambda_gan: float >= 0, weight of the adversarial term (1).

    Returns:
        dict of float32 scalars: ``loss``, ``gan`` (0 without the term) and ``l1``.
    """
    l1 = l1_loss(targets, outputs)
    gan = ops.zeros_like(l1) if lambda_gan == 0 else _bce_with_logits(fake_logits, 1.0)
    return {"loss": lambda_gan * gan + lambda_l1 * l1, "gan": gan, "l1": l1}
