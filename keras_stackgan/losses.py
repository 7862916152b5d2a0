"""Losses of the matching-aware conditional GANs (GAN-CLS / StackGAN) and InfoGAN.

Every function returns a float32 scalar averaged over the local batch. Under ``tf.distribute``
the training step divides by the number of replicas before taking gradients (Keras'
``scale_loss_for_distribution``), which equals summing over the global batch and dividing by the
global batch size.
"""

from __future__ import annotations

import math

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


def gaussian_kl(mean, log_var):
    """KL divergence of ``q(z|x) = N(mean, diag(exp(log_var)))`` to ``p(z) = N(0, I)``, in nats.

    Kingma & Welling (2014), appendix B, in closed form::

        KL = -0.5 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)

    summed over the latent dimensions and averaged over the batch (nats per example, the unit of
    the ELBO). ``kl_divergence`` above is the same quantity averaged per dimension, as StackGAN's
    code normalises it.

    Args:
        mean: float tensor ``[batch, latent_dim]``.
        log_var: float tensor ``[batch, latent_dim]``, log-variance.

    Returns:
        float32 scalar, >= 0.
    """
    mean = ops.cast(mean, "float32")
    log_var = ops.cast(log_var, "float32")
    per_example = 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)
    return ops.mean(per_example)


def bernoulli_nll(targets, logits):
    """Negative log-likelihood of ``targets`` under independent Bernoullis, in nats per example.

    ``-sum_i [x_i log p_i + (1 - x_i) log(1 - p_i)]`` with ``p = sigmoid(logits)``, summed over
    every non-batch axis (the pixels) and averaged over the batch: the reconstruction term of
    the VAE's negative ELBO (Kingma & Welling 2014, appendix C.1). ``targets`` may be binary or
    grey values in [0, 1] (the cross-entropy of the intensities, treated as probabilities).

    Args:
        targets: float tensor ``[batch, ...]`` in [0, 1].
        logits: float tensor of the same shape.

    Returns:
        float32 scalar, >= 0.
    """
    targets = ops.cast(targets, "float32")
    logits = ops.cast(logits, "float32")
    # softplus(l) - x l = -[x log sigmoid(l) + (1 - x) log(1 - sigmoid(l))], stable for any l.
    elementwise = ops.softplus(logits) - targets * logits
    return ops.mean(ops.sum(ops.reshape(elementwise, (ops.shape(elementwise)[0], -1)), axis=-1))


def vector_quantization_loss(encoded, quantized, commitment_cost: float = 0.25, codebook=True):
    """VQ-VAE's codebook and commitment terms (van den Oord et al. 2017, eq. 3).

    ``||sg[z_e(x)] - e||^2 + beta * ||z_e(x) - sg[e]||^2``, each a mean over every element
    (Sonnet's ``VectorQuantizer`` convention, which the paper's beta = 0.25 was tuned with).
    With EMA codebook updates (``codebook=False``) the codebook is not learned by gradients,
    so only the commitment term remains.

    Args:
        encoded: float tensor ``[..., D]``, the encoder outputs ``z_e``.
        quantized: float tensor of the same shape, the chosen codebook vectors ``e`` (not the
            straight-through values).
        commitment_cost: float, beta.
        codebook: bool, include the codebook term (False with EMA updates).

    Returns:
        dict of float32 scalars: ``loss``, ``codebook`` and ``commitment``.
    """
    encoded = ops.cast(encoded, "float32")
    quantized = ops.cast(quantized, "float32")
    codebook_term = ops.mean(ops.square(ops.stop_gradient(encoded) - quantized))
    commitment = ops.mean(ops.square(encoded - ops.stop_gradient(quantized)))
    loss = commitment_cost * commitment
    if codebook:
        loss = loss + codebook_term
    return {"loss": loss, "codebook": codebook_term, "commitment": commitment}


def autoregressive_nll(indices, logits):
    """Negative log-likelihood of discrete codes under per-position logits, in nats per code.

    ``-mean_(b, i, j) log softmax(logits[b, i, j])[indices[b, i, j]]``: the objective of an
    autoregressive prior ``p(c) = prod_(i, j) p(c_ij | c_<ij)`` over VQ-VAE index grids
    (van den Oord et al. 2016, 2017), averaged over positions (divide by ``log 2`` for bits).

    Args:
        indices: int tensor ``[batch, H, W]`` in ``[0, K)``.
        logits: float tensor ``[batch, H, W, K]``.

    Returns:
        float32 scalar, >= 0.
    """
    logits = ops.cast(logits, "float32")
    indices = ops.cast(indices, "int32")
    return ops.mean(ops.sparse_categorical_crossentropy(indices, logits, from_logits=True))


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


def uncond_discriminator_loss(
    real_logits,
    wrong_logits,
    fake_logits,
    uncond_real_logits,
    uncond_fake_logits,
    wrong_weight: float = 0.5,
):
    """StackGAN-Pytorch's Stage-II D loss with its unconditional logits (float32 terms).

    ``compute_discriminator_loss`` in StackGAN-Pytorch's ``miscc/utils.py``, when
    ``netD.get_uncond_logits`` is not None::

        errD = (errD_real + uncond_errD_real) / 2 + (errD_fake + errD_wrong + uncond_errD_fake) / 3

    every term a mean BCE (``real``: real images with their text, target 1; ``wrong``: real
    images with mismatched text, 0; ``fake``: generated images with their text, 0; the
    ``uncond_`` terms score the images alone). ``wrong_weight`` generalises it as
    ``(real + uncond_real) / 2 + 2/3 * (w * wrong + (1 - w) * fake) + uncond_fake / 3``, which is
    the formula above at the default ``w = 0.5``.

    Args:
        real_logits, wrong_logits, fake_logits: float tensors ``[batch, 1]``, the conditional
            head's logits.
        uncond_real_logits, uncond_fake_logits: float tensors ``[batch, 1]``, the
            unconditional head's logits of the real and the generated images.
        wrong_weight: float in [0, 1].

    Returns:
        dict of float32 scalars: ``loss`` (the total), ``real``, ``wrong``, ``fake``,
        ``uncond_real`` and ``uncond_fake`` (the unweighted BCEs).
    """
    real = _bce_with_logits(real_logits, 1.0)
    wrong = _bce_with_logits(wrong_logits, 0.0)
    fake = _bce_with_logits(fake_logits, 0.0)
    uncond_real = _bce_with_logits(uncond_real_logits, 1.0)
    uncond_fake = _bce_with_logits(uncond_fake_logits, 0.0)
    conditional_negatives = wrong_weight * wrong + (1.0 - wrong_weight) * fake
    loss = (real + uncond_real) / 2.0 + (2.0 * conditional_negatives + uncond_fake) / 3.0
    return {
        "loss": loss,
        "real": real,
        "wrong": wrong,
        "fake": fake,
        "uncond_real": uncond_real,
        "uncond_fake": uncond_fake,
    }


def uncond_generator_loss(fake_logits, uncond_fake_logits):
    """StackGAN-Pytorch's Stage-II G adversarial loss with unconditional logits (float32).

    ``compute_generator_loss`` in its ``miscc/utils.py``: ``errD_fake + uncond_errD_fake``,
    ``BCE(D(fake, text), 1) + BCE(D_uncond(fake), 1)`` (weights 1 and 1; the trainer adds
    ``KL * cfg.TRAIN.COEFF.KL``).

    Args:
        fake_logits, uncond_fake_logits: float tensors ``[batch, 1]``.
    """
    return _bce_with_logits(fake_logits, 1.0) + _bce_with_logits(uncond_fake_logits, 1.0)


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


def wasserstein_critic_loss(real_scores, fake_scores):
    """WGAN critic loss ``mean(D(fake)) - mean(D(real))`` (Arjovsky et al. 2017, Algorithm 1).

    The critic maximises ``mean(D(real)) - mean(D(fake))``, its estimate of the Wasserstein-1
    distance between the data and the generator (up to the Lipschitz constant the weight
    clipping or the gradient penalty enforces); minimising this loss is the same thing.

    Args:
        real_scores, fake_scores: float tensors ``[batch, 1]``, unbounded critic scores (no
            sigmoid).

    Returns:
        float32 scalar, the negated Wasserstein estimate.
    """
    real_scores = ops.cast(real_scores, "float32")
    fake_scores = ops.cast(fake_scores, "float32")
    return ops.mean(fake_scores) - ops.mean(real_scores)


def wasserstein_generator_loss(fake_scores):
    """WGAN generator loss ``-mean(D(G(z)))`` (Arjovsky et al. 2017, Algorithm 1), float32."""
    return -ops.mean(ops.cast(fake_scores, "float32"))


def gradient_penalty(gradients, epsilon: float = 1e-12):
    """WGAN-GP's penalty ``mean_i (||grad_x D(x_hat_i)||_2 - 1)^2`` (Gulrajani et al. 2017, Alg. 1).

    ``x_hat_i = eps_i * x_i + (1 - eps_i) * G(z_i)`` with ``eps_i ~ U[0, 1]``; the norm is taken
    per example over every pixel and channel. ``epsilon`` inside the square root keeps the
    penalty differentiable at a zero gradient (it changes the norm by at most
    ``sqrt(epsilon)``).

    Args:
        gradients: float tensor ``[batch, ...]``, the critic's gradient at each interpolate.
        epsilon: float, added to the squared norm before the square root.

    Returns:
        float32 scalar >= 0; the critic loss adds it with weight ``lambda`` (10).
    """
    gradients = ops.cast(gradients, "float32")
    squared = ops.sum(ops.square(ops.reshape(gradients, (ops.shape(gradients)[0], -1))), axis=-1)
    return ops.mean(ops.square(ops.sqrt(squared + epsilon) - 1.0))


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


def information_loss(
    class_logits,
    labels,
    code_mean,
    codes,
    code_log_std=None,
    categorical_weight: float = 1.0,
    continuous_weight: float = 1.0,
):
    """InfoGAN's information loss: the negative variational lower bound of I(c; G(z, c)).

    Chen et al. (2016), eq. 4-6: ``L_I(G, Q) = E[log Q(c | x)] + H(c) <= I(c; G(z, c))`` with
    ``x = G(z, c)``. ``H(c)`` is a constant of the code prior, so minimising the cross-entropy
    terms maximises the bound; for a categorical code ``c1`` and continuous codes ``c_j`` with a
    factored Gaussian ``Q(c_j | x) = N(mu_j(x), sigma_j(x)^2)``::

        loss = categorical_weight * mean_b[ -log softmax(class_logits)[c1] ]
             + continuous_weight * mean_b[ sum_j ( 0.5 * log(2 pi) + log sigma_j
                                                  + (c_j - mu_j)^2 / (2 sigma_j^2) ) ]

    The continuous term sums over the code dimensions and averages over the batch, as the
    official code (openai/InfoGAN ``Gaussian.logli``); ``code_log_std=None`` fixes
    ``sigma = 1`` (its ``fix_std=True``, used for MNIST), leaving
    ``0.5 * log(2 pi) + 0.5 * (c_j - mu_j)^2`` per dimension. The mutual-information estimates
    are ``log(num_classes) - categorical`` and ``H(c_cont) - continuous``.

    Args:
        class_logits: float ``[batch, num_classes]``, Q's logits of the categorical code.
        labels: int ``[batch]``, the categorical code fed to G.
        code_mean: float ``[batch, code_dim]``, Q's means of the continuous codes.
        codes: float ``[batch, code_dim]``, the continuous codes fed to G.
        code_log_std: optional float ``[batch, code_dim]``, Q's log standard deviations
            (None: sigma = 1).
        categorical_weight, continuous_weight: floats, the paper's lambda for each kind.

    Returns:
        dict of float32 scalars: ``loss`` (weighted total), ``categorical`` (cross-entropy,
        nats) and ``continuous`` (Gaussian negative log-likelihood, nats per example).
    """
    class_logits = ops.cast(class_logits, "float32")
    labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
    categorical = ops.mean(
        ops.sparse_categorical_crossentropy(labels, class_logits, from_logits=True)
    )
    mean = ops.cast(code_mean, "float32")
    codes = ops.cast(codes, "float32")
    log_std = ops.zeros_like(mean) if code_log_std is None else ops.cast(code_log_std, "float32")
    nll = (
        0.5 * math.log(2.0 * math.pi)
        + log_std
        + 0.5 * ops.square(codes - mean) * ops.exp(-2.0 * log_std)
    )
    continuous = ops.mean(ops.sum(nll, axis=-1))
    loss = categorical_weight * categorical + continuous_weight * continuous
    return {"loss": loss, "categorical": categorical, "continuous": continuous}
