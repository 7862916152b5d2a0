"""Model families: one sub-package each."""

from keras_stackgan.models.adversarial import AdversarialModel
from keras_stackgan.models.cgan import (
    CBNGenerator,
    CGANDiscriminator,
    CGANGenerator,
    ConditionalGAN,
    ProjectionDiscriminator,
)
from keras_stackgan.models.dcgan import DCGAN, DCGANDiscriminator, DCGANGenerator
from keras_stackgan.models.gan import GAN, GANDiscriminator, GANGenerator
from keras_stackgan.models.gan_int_cls import (
    GANINTCLS,
    GANINTCLSDiscriminator,
    GANINTCLSGenerator,
    StyleEncoder,
    transfer_style,
)
from keras_stackgan.models.infogan import InfoGAN, InfoGANDiscriminator, InfoGANGenerator
from keras_stackgan.models.matching_aware_gan import MatchingAwareGAN
from keras_stackgan.models.pix2pix import (
    PatchGANDiscriminator,
    Pix2Pix,
    Pix2PixPipeline,
    UNetGenerator,
)
from keras_stackgan.models.stackgan import (
    StackGAN,
    StackGANDiscriminator,
    StageIGAN,
    StageIGenerator,
    StageIIGAN,
    StageIIGenerator,
)
from keras_stackgan.models.vae import (
    VAE,
    ConvVAEDecoder,
    ConvVAEEncoder,
    VAEDecoder,
    VAEEncoder,
    VAEPipeline,
)
from keras_stackgan.models.vqvae import (
    VQVAE,
    VQVAE2,
    GatedPixelCNN,
    VQPriorTrainer,
    VQVAE2Pipeline,
    VQVAETrainer,
)
from keras_stackgan.models.wgan import WGAN, WGANCritic, WGANGenerator
from keras_stackgan.models.wgan_gp import WGANGP, WGANGPCritic, WGANGPGenerator

__all__ = [
    "AdversarialModel",
    "CBNGenerator",
    "CGANDiscriminator",
    "CGANGenerator",
    "ConditionalGAN",
    "DCGAN",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "GAN",
    "GANDiscriminator",
    "GANGenerator",
    "GANINTCLS",
    "GANINTCLSDiscriminator",
    "GANINTCLSGenerator",
    "InfoGAN",
    "InfoGANDiscriminator",
    "InfoGANGenerator",
    "MatchingAwareGAN",
    "ProjectionDiscriminator",
    "PatchGANDiscriminator",
    "Pix2Pix",
    "Pix2PixPipeline",
    "StackGAN",
    "StackGANDiscriminator",
    "StageIGAN",
    "StageIGenerator",
    "StageIIGAN",
    "StageIIGenerator",
    "StyleEncoder",
    "UNetGenerator",
    "VAE",
    "ConvVAEDecoder",
    "ConvVAEEncoder",
    "VAEDecoder",
    "VAEEncoder",
    "VAEPipeline",
    "VQVAE",
    "VQVAE2",
    "GatedPixelCNN",
    "VQPriorTrainer",
    "VQVAE2Pipeline",
    "VQVAETrainer",
    "WGAN",
    "WGANCritic",
    "WGANGenerator",
    "WGANGP",
    "WGANGPCritic",
    "WGANGPGenerator",
    "transfer_style",
]
