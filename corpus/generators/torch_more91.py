"""A ninety-first held-out set (g171, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: artists and creative coders training image models in PyTorch for their own projects -- neural style
transfer on VGG features (the Gatys / PyTorch-tutorial recipe and the ``fast_neural_style`` example), small GANs and
autoencoders on their own drawings and photos (mixed sizes, PNGs with transparency, palette GIFs, scanned sketches
in greyscale), CLIP-style image / text pairs from a folder of caption files, pix2pix-style paired ``A/`` + ``B/``
folders, sample grids and images written with ``torchvision.utils`` / PIL, and ImageAI 3.0.3 classifiers that sort
an art archive by style (about a fifth of the cases). A natural mix of causes, each program built so that its cause
is known by construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- style transfer: a palette GIF poster opened without ``convert("RGB")`` as the style image, through VGG19 features
  (notebook, data.image_channels); style Gram targets computed once from a VGG whose parameters still require grad
  and never detached (optim.autograd_graph); the Gatys repository's caffe ``vgg_conv.pth`` (``conv1_1.weight`` keys)
  loaded into torchvision's ``vgg19().features`` (model.weights_mismatch); the tutorial's switch to ``LBFGS`` kept
  with the Adam loop's bare ``optimizer.step()`` (model.api_misuse); an old ``fast_neural_style`` ``candy.pth``
  holding InstanceNorm ``running_mean`` / ``running_var`` keys (env.version_incompat);
- GANs / autoencoders: a DCGAN on drawings of mixed aspect ratios with ``Resize(64)`` and no crop (workers,
  data.image_size_mismatch); a pix2pix paired set whose square ``A`` sketches and 4:3 ``B`` photos meet in the
  discriminator's channel concat (data.image_size_mismatch); saved samples turned into PIL images with ``.numpy()``
  on the generator output (notebook, optim.autograd_graph); a sticker autoencoder kept in RGBA whose
  ``save_image`` goes to ``.jpg`` (data.image_channels); a conv autoencoder on raw 0-255 pixels with SGD under
  anomaly mode (tqdm, optim.divergence); a VAE whose flatten size was written for 64 px run at ``--size 96``
  (model.input_shape); ``read_image`` uint8 tensors straight into the encoder (data.dtype); a Colab GAN
  notebook's ``torch.device("cuda")`` on a laptop without an NVIDIA driver (notebook, env.cuda_setup); samples
  exported with a ``multiprocessing.Pool`` mapping a lambda (env.multiprocessing);
- CLIP-style pairs: an image without its caption ``.txt`` (workers, data.missing_or_corrupt); contrastive targets
  ``torch.arange(cfg["batch_size"])`` built once and met by the short last batch (tqdm, data.label_shape);
- art archive classifiers (torchvision): 1-based style ids from the archive spreadsheet (tqdm,
  data.label_out_of_range); multi-label medium tags on ``resnet18(weights=None)`` with its 1000-way head kept
  (model.output_mismatch); the whole archive preloaded at scan resolution (resource.host_memory);
- ImageAI 3: ``ClassificationModelTrainer`` on an archive whose ``test/`` holds an extra ``unsorted`` folder
  (data.label_out_of_range), on a class folder holding an HTML page saved as ``.jpg`` (data.missing_or_corrupt),
  with ``transfer_from_model`` set to the artist's own earlier 3-style model (model.weights_mismatch); a sorting
  script that sets ResNet50 for the MobileNetV2 file the trainer wrote (model.weights_mismatch); ``classifyImage``
  with the docs' ``result_count=5`` on a 3-style model (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more91.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more91.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ the artist's own files
# images written by extension (PNG with an alpha region, palette GIF, greyscale scan, JPEG photo)
ART_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
for path, (w, h), mode in @@SPECS@@:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rgb = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    img = Image.fromarray(rgb)
    if mode == "RGBA":
        alpha = np.full((h, w), 255, np.uint8)
        alpha[: h // 3] = 0
        img = Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    elif mode == "P":
        img = img.quantize(colors=32)
    elif mode == "L":
        img = img.convert("L")
    img.save(path)
'''


def art(specs):
    return prep(sub(ART_PREP, SPECS=repr(list(specs))))


def photos(root, n, size, mode="RGB", ext="jpg", stem="img"):
    return [(f"{root}/{stem}_{i:03d}.{ext}", size, mode) for i in range(n)]


# a small DCGAN (64 px) as the artist keeps it in dcgan.py
DCGAN = '''
import torch.nn as nn

NZ, NGF, NDF = 64, 32, 32


class Generator(nn.Module):
    def __init__(self, nz=NZ, ngf=NGF, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self, ndf=NDF, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)
'''

G_CKPT_PREP = '''
import os
import torch
from dcgan import Generator

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(Generator().state_dict(), "checkpoints/netG_epoch_200.pth")
'''

# ================================================================== style transfer
CELLS["palette-gif-style-image-vgg19-features-notebook"] = [
    '''import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms

imsize = 128
loader = transforms.Compose([transforms.Resize((imsize, imsize)), transforms.ToTensor()])


def image_loader(path):
    image = Image.open(path)
    return loader(image).unsqueeze(0)


content_img = image_loader("art/content/harbour_at_dusk.jpg")
style_img = image_loader("art/style/risograph_poster.gif")
print(content_img.shape, style_img.shape)''',
    '''cnn = models.vgg19(weights=None).features.eval()
for p in cnn.parameters():
    p.requires_grad_(False)
STYLE_LAYERS = {0: "conv1_1", 5: "conv2_1", 10: "conv3_1", 19: "conv4_1", 28: "conv5_1"}


def get_features(x):
    feats = {}
    for i, layer in enumerate(cnn):
        x = layer(x)
        if i in STYLE_LAYERS:
            feats[STYLE_LAYERS[i]] = x
    return feats


def gram(t):
    b, c, h, w = t.shape
    f = t.view(b * c, h * w)
    return f @ f.t() / (b * c * h * w)


style_grams = {k: gram(v) for k, v in get_features(style_img).items()}
{k: v.shape for k, v in style_grams.items()}''',
]

STYLE_COMMON = '''
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms
from torchvision.utils import save_image

SIZE = 128
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
LAYERS = {0: "conv1_1", 5: "conv2_1", 10: "conv3_1", 19: "conv4_1", 21: "conv4_2"}
STYLE = ["conv1_1", "conv2_1", "conv3_1", "conv4_1"]
CONTENT = "conv4_2"


def load(path):
    tf = transforms.Compose([transforms.Resize((SIZE, SIZE)), transforms.ToTensor()])
    return tf(Image.open(path).convert("RGB")).unsqueeze(0)


def gram(t):
    b, c, h, w = t.shape
    f = t.view(c, h * w)
    return f @ f.t() / (c * h * w)
'''

SCRIPTS["style-gram-targets-from-unfrozen-vgg-not-detached"] = STYLE_COMMON + '''

vgg = models.vgg19(weights=None).features[:22].eval()
# vgg.load_state_dict(torch.load("models/vgg19_features.pth"))   # restored from the last session


def features(x):
    out = {}
    x = (x - MEAN) / STD
    for i, layer in enumerate(vgg):
        x = layer(x)
        if i in LAYERS:
            out[LAYERS[i]] = x
    return out


content = load("art/content/self_portrait.jpg")
style = load("art/style/ink_wash.jpg")
style_grams = {l: gram(f) for l, f in features(style).items() if l in STYLE}
content_target = features(content)[CONTENT]

target = content.clone().requires_grad_(True)
opt = torch.optim.Adam([target], lr=0.02)
alpha, beta = 1.0, 1e4
for step in range(1, 301):
    tf = features(target)
    c_loss = F.mse_loss(tf[CONTENT], content_target)
    s_loss = sum(F.mse_loss(gram(tf[l]), style_grams[l]) for l in STYLE)
    loss = alpha * c_loss + beta * s_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        target.clamp_(0, 1)
    if step % 50 == 0:
        print(f"step {step}: content {c_loss.item():.4f} style {s_loss.item():.4f}")
        save_image(target, f"out/step_{step:03d}.png")
'''

# the Gatys repository's converted caffe VGG19: keys conv1_1.weight ... conv5_4.bias
CAFFE_VGG_PREP = '''
import os
import torch

os.makedirs("models", exist_ok=True)
blocks = [(1, 2, 3, 64), (2, 2, 64, 128), (3, 4, 128, 256), (4, 4, 256, 512), (5, 4, 512, 512)]
sd = {}
for b, n, cin, cout in blocks:
    for k in range(1, n + 1):
        c_in = cin if k == 1 else cout
        sd[f"conv{b}_{k}.weight"] = torch.zeros(cout, c_in, 3, 3)
        sd[f"conv{b}_{k}.bias"] = torch.zeros(cout)
torch.save(sd, "models/vgg_conv.pth")
'''

SCRIPTS["gatys-caffe-vgg-conv-pth-into-torchvision-vgg19"] = STYLE_COMMON + '''

# weights from the Gatys style-transfer repository (models/vgg_conv.pth, the caffe VGG19 converted to PyTorch)
vgg = models.vgg19(weights=None).features
vgg.load_state_dict(torch.load("models/vgg_conv.pth"))
vgg.eval().requires_grad_(False)

content = load("art/content/self_portrait.jpg")
style = load("art/style/ink_wash.jpg")
print("loaded", content.shape, style.shape)
'''

SCRIPTS["style-transfer-lbfgs-bare-step-from-adam-loop"] = STYLE_COMMON + '''

vgg = models.vgg19(weights=None).features[:22].eval().requires_grad_(False)


def features(x):
    out = {}
    x = (x - MEAN) / STD
    for i, layer in enumerate(vgg):
        x = layer(x)
        if i in LAYERS:
            out[LAYERS[i]] = x
    return out


content = load("art/content/self_portrait.jpg")
style = load("art/style/ink_wash.jpg")
with torch.no_grad():
    style_grams = {l: gram(f) for l, f in features(style).items() if l in STYLE}
    content_target = features(content)[CONTENT]

input_img = content.clone().requires_grad_(True)
# the tutorial says L-BFGS gives nicer results than Adam for this
optimizer = torch.optim.LBFGS([input_img])
for step in range(1, 301):
    optimizer.zero_grad()
    tf = features(input_img)
    loss = F.mse_loss(tf[CONTENT], content_target) + 1e5 * sum(F.mse_loss(gram(tf[l]), style_grams[l]) for l in STYLE)
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(step, loss.item())
        save_image(input_img.detach().clamp(0, 1), f"out/lbfgs_{step:03d}.png")
'''

# pytorch/examples fast_neural_style: TransformerNet (a reduced copy)
TRANSFORMER_NET = '''
import torch
import torch.nn as nn


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = ConvLayer(ch, ch, 3, 1)
        self.in1 = nn.InstanceNorm2d(ch, affine=True)
        self.conv2 = ConvLayer(ch, ch, 3, 1)
        self.in2 = nn.InstanceNorm2d(ch, affine=True)
        self.relu = nn.ReLU()

    def forward(self, x):
        return x + self.in2(self.conv2(self.relu(self.in1(self.conv1(x)))))


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        if self.upsample:
            x = nn.functional.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = ConvLayer(3, 32, 9, 1)
        self.in1 = nn.InstanceNorm2d(32, affine=True)
        self.conv2 = ConvLayer(32, 64, 3, 2)
        self.in2 = nn.InstanceNorm2d(64, affine=True)
        self.conv3 = ConvLayer(64, 128, 3, 2)
        self.in3 = nn.InstanceNorm2d(128, affine=True)
        self.res1 = ResidualBlock(128)
        self.res2 = ResidualBlock(128)
        self.deconv1 = UpsampleConvLayer(128, 64, 3, 1, upsample=2)
        self.in4 = nn.InstanceNorm2d(64, affine=True)
        self.deconv2 = UpsampleConvLayer(64, 32, 3, 1, upsample=2)
        self.in5 = nn.InstanceNorm2d(32, affine=True)
        self.deconv3 = ConvLayer(32, 3, 9, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        y = self.relu(self.in1(self.conv1(x)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res2(self.res1(y))
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)
'''

# a checkpoint saved by torch 0.3 / 0.4: InstanceNorm2d then tracked running stats, so they were saved
CANDY_PREP = '''
import os
from collections import OrderedDict
import torch
from transformer_net import TransformerNet

os.makedirs("saved_models", exist_ok=True)
torch.manual_seed(0)
net = TransformerNet()
sd = OrderedDict()
for k, v in net.state_dict().items():
    sd[k] = v
    mod = k.rsplit(".", 1)[0]
    if k.endswith(".bias") and isinstance(net.get_submodule(mod), torch.nn.InstanceNorm2d):
        sd[mod + ".running_mean"] = torch.zeros_like(v)
        sd[mod + ".running_var"] = torch.ones_like(v)
torch.save(sd, "saved_models/candy.pth")
'''

SCRIPTS["fast-neural-style-old-candy-pth-instancenorm-running-stats"] = '''
import argparse

import torch
from PIL import Image
from torchvision import transforms
from torchvision.utils import save_image

from transformer_net import TransformerNet

p = argparse.ArgumentParser(description="stylize my photos with the candy model from the fast_neural_style zoo")
p.add_argument("--content-image", default="art/content/market_street.jpg")
p.add_argument("--model", default="saved_models/candy.pth")
p.add_argument("--output-image", default="out/market_street_candy.png")
args = p.parse_args()

content = transforms.ToTensor()(Image.open(args.content_image).convert("RGB")).mul(255).unsqueeze(0)
with torch.no_grad():
    style_model = TransformerNet()
    state_dict = torch.load(args.model)
    style_model.load_state_dict(state_dict)
    output = style_model(content)
save_image(output.clamp(0, 255) / 255, args.output_image)
'''

# ================================================================== GANs / autoencoders
SCRIPTS["dcgan-own-drawings-resize-int-mixed-aspect-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image

from dcgan import Generator, Discriminator, NZ

IMAGE_SIZE = 64

if __name__ == "__main__":
    # my sketchbook pages, photographed in portrait and landscape
    dataset = datasets.ImageFolder("drawings", transform=transforms.Compose([
        transforms.Resize(IMAGE_SIZE),
        transforms.ToTensor(),
        transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    ]))
    loader = DataLoader(dataset, batch_size=8, shuffle=True, num_workers=2)
    netG, netD = Generator(), Discriminator()
    criterion = nn.BCELoss()
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    fixed_noise = torch.randn(16, NZ, 1, 1)
    for epoch in range(25):
        for i, (real, _) in enumerate(loader):
            b = real.size(0)
            netD.zero_grad()
            fake = netG(torch.randn(b, NZ, 1, 1))
            errD = criterion(netD(real), torch.ones(b)) + criterion(netD(fake.detach()), torch.zeros(b))
            errD.backward()
            optD.step()
            netG.zero_grad()
            errG = criterion(netD(fake), torch.ones(b))
            errG.backward()
            optG.step()
        print(f"[{epoch}/25] Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f}")
        save_image(netG(fixed_noise).detach(), f"samples/epoch_{epoch:03d}.png", normalize=True)
'''

SCRIPTS["pix2pix-square-sketches-4-3-photos-discriminator-concat"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class PairedFolders(Dataset):
    """pairs/A/*.png (my pencil sketches, scanned square) <-> pairs/B/*.jpg (the photos they were drawn from)"""

    def __init__(self, root, size=128):
        self.a = sorted(glob.glob(os.path.join(root, "A", "*.png")))
        self.b = sorted(glob.glob(os.path.join(root, "B", "*.jpg")))
        norm = transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
        self.tf_a = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor(), norm])
        self.tf_b = transforms.Compose([transforms.Resize(size), transforms.ToTensor(), norm])

    def __len__(self):
        return len(self.a)

    def __getitem__(self, i):
        a = self.tf_a(Image.open(self.a[i]).convert("RGB"))
        b = self.tf_b(Image.open(self.b[i]).convert("RGB"))
        return {"A": a, "B": b}


def block(cin, cout, down=True):
    conv = nn.Conv2d(cin, cout, 4, 2, 1) if down else nn.ConvTranspose2d(cin, cout, 4, 2, 1)
    return nn.Sequential(conv, nn.BatchNorm2d(cout), nn.LeakyReLU(0.2) if down else nn.ReLU())


G = nn.Sequential(block(3, 32), block(32, 64), block(64, 128), block(128, 64, False), block(64, 32, False),
                  nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
D = nn.Sequential(nn.Conv2d(6, 32, 4, 2, 1), nn.LeakyReLU(0.2), block(32, 64), block(64, 128),
                  nn.Conv2d(128, 1, 4, 1, 1))          # PatchGAN
gan_loss, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
loader = DataLoader(PairedFolders("pairs"), batch_size=2, shuffle=True)

for epoch in range(100):
    for batch in loader:
        real_A, real_B = batch["A"], batch["B"]
        fake_B = G(real_A)
        # backward_D
        optD.zero_grad()
        pred_fake = D(torch.cat((real_A, fake_B), 1).detach())
        real_AB = torch.cat((real_A, real_B), 1)
        pred_real = D(real_AB)
        loss_D = 0.5 * (gan_loss(pred_fake, torch.zeros_like(pred_fake)) + gan_loss(pred_real, torch.ones_like(pred_real)))
        loss_D.backward()
        optD.step()
        # backward_G
        optG.zero_grad()
        pred_fake = D(torch.cat((real_A, fake_B), 1))
        loss_G = gan_loss(pred_fake, torch.ones_like(pred_fake)) + 100 * l1(fake_B, real_B)
        loss_G.backward()
        optG.step()
    print(epoch, loss_D.item(), loss_G.item())
'''

CELLS["gan-samples-to-pil-numpy-on-generator-output-notebook"] = [
    '''import os
import numpy as np
import torch
from PIL import Image

from dcgan import Generator, NZ

netG = Generator()
netG.load_state_dict(torch.load("checkpoints/netG_epoch_200.pth", map_location="cpu"))
netG.eval()
os.makedirs("exports", exist_ok=True)''',
    '''# 16 new "drawings" for the zine, one PNG each
torch.manual_seed(42)
z = torch.randn(16, NZ, 1, 1)
fake = netG(z)
for i, img in enumerate(fake):
    arr = ((img.permute(1, 2, 0).numpy() + 1) * 127.5).astype(np.uint8)
    Image.fromarray(arr).save(f"exports/zine_{i:02d}.png")''',
]

SCRIPTS["sticker-autoencoder-rgba-save-image-jpg"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from torchvision.utils import save_image


class Stickers(Dataset):
    """my sticker designs: PNGs with transparency, kept in RGBA so the model learns the cut-out too"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.png")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGBA"))


class ConvAE(nn.Module):
    def __init__(self, ch=4):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(ch, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, ch, 4, 2, 1),
                                 nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


os.makedirs("samples", exist_ok=True)
loader = DataLoader(Stickers("stickers"), batch_size=4, shuffle=True)
model = ConvAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1, 51):
    for x in loader:
        recon = model(x)
        loss = F.mse_loss(recon, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
    # small files to post to the group chat
    save_image(torch.cat([x, recon.detach()]), f"samples/epoch_{epoch:03d}.jpg", nrow=4)
'''

SCRIPTS["conv-autoencoder-raw-0-255-pixels-sgd-anomaly-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from tqdm import tqdm


class Photos(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB").resize((64, 64))
        return torch.from_numpy(np.array(img)).permute(2, 0, 1).float()


model = nn.Sequential(
    nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
    nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1))
torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)      # to find where the loss goes wrong
loader = DataLoader(Photos("photos/*.jpg"), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(20):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x in pbar:
        loss = F.mse_loss(model(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.4g}")
'''

SCRIPTS["vae-flatten-for-64px-run-at-size-96"] = '''
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class ConvVAE(nn.Module):
    def __init__(self, latent=32):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Conv2d(64, 128, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.mu = nn.Linear(128 * 8 * 8, latent)          # 64 px in -> 8x8 maps
        self.logvar = nn.Linear(128 * 8 * 8, latent)
        self.fc = nn.Linear(latent, 128 * 8 * 8)
        self.dec = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(64, 32, 4, 2, 1),
                                 nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Sigmoid())

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(self.fc(z).view(-1, 128, 8, 8)), mu, logvar


p = argparse.ArgumentParser()
p.add_argument("--data", default="drawings")
p.add_argument("--size", type=int, default=64)
p.add_argument("--epochs", type=int, default=30)
args = p.parse_args()

tf = transforms.Compose([transforms.Resize((args.size, args.size)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder(args.data, transform=tf), batch_size=8, shuffle=True)
vae = ConvVAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
for epoch in range(args.epochs):
    for x, _ in loader:
        recon, mu, logvar = vae(x)
        kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
        loss = F.binary_cross_entropy(recon, x) + kld
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["read-image-uint8-scans-into-encoder"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms import v2


class Paintings(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))
        self.resize = v2.Resize((64, 64), antialias=True)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        # read_image is faster than PIL for my 2000 scans
        return self.resize(read_image(self.files[i], mode=ImageReadMode.RGB))


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU())
        self.decoder = nn.Sequential(nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 3, 4, 2, 1),
                                     nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


if __name__ == "__main__":
    loader = DataLoader(Paintings("paintings/*.jpg"), batch_size=4, shuffle=True, num_workers=2)
    model = AE()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(10):
        for x in loader:
            loss = F.mse_loss(model(x), x / 255.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

CELLS["colab-gan-notebook-cuda-device-on-laptop-notebook"] = [
    '''# downloaded from the workshop's Colab and run locally in Jupyter
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from dcgan import Generator, Discriminator, NZ

device = torch.device("cuda")
batch_size, lr, beta1 = 8, 2e-4, 0.5''',
    '''dataset = datasets.ImageFolder("drawings", transform=transforms.Compose([
    transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))
dataloader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
netG = Generator().to(device)
netD = Discriminator().to(device)
print(netG)''',
]

SCRIPTS["export-samples-pool-map-lambda"] = '''
import os
from multiprocessing import Pool

import torch
from torchvision.utils import save_image

from dcgan import Generator, NZ

OUT = "exports/print_run"

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    netG = Generator()
    netG.load_state_dict(torch.load("checkpoints/netG_epoch_200.pth", map_location="cpu"))
    netG.eval()
    with torch.no_grad():
        samples = netG(torch.randn(64, NZ, 1, 1))
    # 64 prints for the exhibition: write them in parallel
    with Pool(4) as pool:
        pool.map(lambda i: save_image(samples[i], f"{OUT}/print_{i:03d}.png", normalize=True), range(len(samples)))
    print("done")
'''

# ================================================================== CLIP-style image / caption pairs
CLIP_MODEL = '''
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, MAXLEN = 2048, 24


def tokenize(text):
    ids = [hash(w) % (VOCAB - 1) + 1 for w in text.lower().split()][:MAXLEN]
    return torch.tensor(ids + [0] * (MAXLEN - len(ids)))


class TinyCLIP(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.image_encoder = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                           nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, dim))
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=0)
        self.text_proj = nn.Linear(dim, dim)
        self.logit_scale = nn.Parameter(torch.tensor(2.659))

    def forward(self, images, tokens):
        img = F.normalize(self.image_encoder(images), dim=-1)
        txt = F.normalize(self.text_proj(self.embed(tokens).mean(1)), dim=-1)
        return self.logit_scale.exp() * img @ txt.t()
'''

CAPTIONS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
words = "ink charcoal harbour cat portrait moon study sketch blue figure window garden".split()
os.makedirs("captioned", exist_ok=True)
for i in range(@@N@@):
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"captioned/piece_{i:03d}.png")
    if i not in @@SKIP@@:
        with open(f"captioned/piece_{i:03d}.txt", "w") as f:
            f.write(" ".join(rng.choice(words, 6)) + "\\n")
'''

SCRIPTS["clip-pairs-image-without-caption-txt-workers"] = '''
import glob
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from tiny_clip import TinyCLIP, tokenize


class CaptionFolder(Dataset):
    """captioned/piece_XXX.png + captioned/piece_XXX.txt, written as I tagged the archive"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.png")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        with open(os.path.splitext(path)[0] + ".txt") as f:
            caption = f.read().strip()
        return self.tf(Image.open(path).convert("RGB")), tokenize(caption)


if __name__ == "__main__":
    ds = CaptionFolder("captioned")
    print(f"{len(ds)} image/caption pairs")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
    model = TinyCLIP()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.1)
    for epoch in range(10):
        for images, tokens in loader:
            logits = model(images, tokens)
            labels = torch.arange(len(images))
            loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

SCRIPTS["clip-contrastive-arange-from-config-batch-size-short-last-batch-tqdm"] = '''
import glob
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

from tiny_clip import TinyCLIP, tokenize

cfg = {"root": "captioned", "batch_size": 4, "epochs": 5, "lr": 5e-4}


class CaptionFolder(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.png")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        with open(os.path.splitext(path)[0] + ".txt") as f:
            return self.tf(Image.open(path).convert("RGB")), tokenize(f.read())


loader = DataLoader(CaptionFolder(cfg["root"]), batch_size=cfg["batch_size"], shuffle=True)
model = TinyCLIP()
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
labels = torch.arange(cfg["batch_size"])       # the i-th image goes with the i-th caption
for epoch in range(cfg["epochs"]):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/{cfg['epochs']}")
    for images, tokens in pbar:
        logits = model(images, tokens)
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

# ================================================================== the art archive (torchvision)
ARCHIVE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
styles = ["cubism", "impressionism", "surrealism", "ukiyo-e", "expressionism"]
tags = ["oil", "ink", "watercolour", "charcoal", "collage", "digital"]
os.makedirs("archive/images", exist_ok=True)
rows = []
for i in range(@@N@@):
    Image.fromarray(rng.integers(0, 255, (80, 64, 3), dtype=np.uint8)).save(f"archive/images/work_{i:04d}.jpg")
    t = sorted(set(rng.choice(tags, 2).tolist()))
    rows.append((f"work_{i:04d}.jpg", 1 + i % 5, styles[i % 5], ";".join(t)))
with open("archive/archive.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "style_id", "style", "medium")] + rows)
'''


def archive(n=16):
    return prep(sub(ARCHIVE_PREP, N=str(n)))


SCRIPTS["archive-style-ids-one-based-from-spreadsheet-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

STYLES = ["cubism", "impressionism", "surrealism", "ukiyo-e", "expressionism"]


class Archive(Dataset):
    """archive.csv exported from my catalogue spreadsheet: file, style_id, style, medium"""

    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"{self.root}/{r['file']}").convert("RGB")), int(r["style_id"])


loader = DataLoader(Archive("archive/archive.csv", "archive/images"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(STYLES))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    correct = 0
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        out = model(x)
        loss = criterion(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        correct += (out.argmax(1) == y).sum().item()
    print(f"acc {correct / len(loader.dataset):.3f}")
'''

SCRIPTS["archive-medium-tags-resnet18-1000-head-kept"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

MEDIA = ["oil", "ink", "watercolour", "charcoal", "collage", "digital"]


class ArchiveTags(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        target = torch.zeros(len(MEDIA))
        for t in r["medium"].split(";"):
            target[MEDIA.index(t)] = 1.0
        return self.tf(Image.open(f"{self.root}/{r['file']}").convert("RGB")), target


loader = DataLoader(ArchiveTags("archive/archive.csv", "archive/images"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None)      # a work can be ink AND watercolour, so multi-label
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(15):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["archive-preloaded-at-scan-resolution"] = '''
import csv

import numpy as np
import torch
from PIL import Image
from torch.utils.data import TensorDataset, DataLoader

SCAN_W, SCAN_H = 3600, 4800         # the archive's 300 dpi A4 scans
with open("archive/index.csv") as f:
    rows = list(csv.DictReader(f))
print(f"{len(rows)} works in the archive index")

# load everything once so the epochs are fast
images = np.zeros((len(rows), 3, SCAN_H, SCAN_W), dtype=np.float32)
labels = np.zeros(len(rows), dtype=np.int64)
for i, r in enumerate(rows):
    img = Image.open(f"archive/images/{r['file']}").convert("RGB").resize((SCAN_W, SCAN_H))
    images[i] = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
    labels[i] = int(r["style_id"])
loader = DataLoader(TensorDataset(torch.from_numpy(images), torch.from_numpy(labels)), batch_size=8, shuffle=True)
'''

INDEX_PREP = '''
import csv
with open("archive/index.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(("file", "style_id"))
    for i in range(2400):
        w.writerow((f"work_{i % 16:04d}.jpg", i % 5))
'''

# ================================================================== ImageAI 3: sorting the art archive by style
IMAGEAI_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAs@@ARCH@@()
trainer.setDataDirectory("art_styles")
trainer.trainModel(num_experiments=@@EPOCHS@@, batch_size=4@@EXTRA@@)
'''

SCRIPTS["imageai-trainer-test-folder-extra-unsorted-class"] = sub(IMAGEAI_TRAIN, ARCH="MobileNetV2", EPOCHS="5",
                                                                   EXTRA="")
SCRIPTS["imageai-trainer-html-page-saved-as-jpg"] = sub(IMAGEAI_TRAIN, ARCH="MobileNetV2", EPOCHS="5", EXTRA="")
SCRIPTS["imageai-trainer-transfer-from-own-3-style-model"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# I added two new styles to the archive; continue from last month's model instead of starting over
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("art_styles")
trainer.trainModel(num_experiments=5, batch_size=4,
                   transfer_from_model="art_styles/models/resnet50-art_styles-test_acc_0.83333_epoch-7.pt")
'''

SCRIPTS["imageai-sorter-resnet50-type-for-mobilenetv2-file"] = '''
import glob
import os
import shutil

from imageai.Classification.Custom import CustomImageClassification

sorter = CustomImageClassification()
sorter.setModelTypeAsResNet50()
sorter.setModelPath("art_styles/models/mobilenet_v2-art_styles-test_acc_0.75000_epoch-3.pt")
sorter.setJsonPath("art_styles/models/art_styles_model_classes.json")
sorter.loadModel()

for path in sorted(glob.glob("inbox/*.jpg")):
    names, probs = sorter.classifyImage(path, result_count=1)
    os.makedirs(f"sorted/{names[0]}", exist_ok=True)
    shutil.move(path, f"sorted/{names[0]}/")
    print(f"{os.path.basename(path)} -> {names[0]} ({probs[0]:.1f}%)")
'''

SCRIPTS["imageai-classify-result-count-5-three-styles"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

sorter = CustomImageClassification()
sorter.setModelTypeAsMobileNetV2()
sorter.setModelPath("art_styles/models/mobilenet_v2-art_styles-test_acc_0.75000_epoch-3.pt")
sorter.setJsonPath("art_styles/models/art_styles_model_classes.json")
sorter.loadModel()

for path in sorted(glob.glob("inbox/*.jpg")):
    predictions, probabilities = sorter.classifyImage(path, result_count=5)
    for name, prob in zip(predictions, probabilities):
        print(f"{path}: {name} : {prob:.2f}")
'''

STYLES3 = ["cubism", "impressionism", "ukiyo_e"]


def art_styles(extra_test=(), per_train=3, per_test=1, bad=None):
    specs = class_folder("art_styles/train", STYLES3, per_train, size=(120, 96))
    specs += class_folder("art_styles/test", STYLES3 + list(extra_test), per_test, size=(120, 96))
    if bad:
        specs.append((bad, (0, 0), "text"))
    return imgs(specs)


def cases():
    out, add, script, notebook = case_builders("torch-more91-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    dc = {"dcgan.py": DCGAN}
    clip = {"tiny_clip.py": CLIP_MODEL}
    style_imgs = imgs([("art/content/self_portrait.jpg", (160, 200), "RGB"), ("art/style/ink_wash.jpg", (200, 150), "RGB")])
    drawings_mixed = art([(f"drawings/sketchbook/page_{i:02d}.jpg", [(300, 400), (400, 300), (360, 360)][i % 3], "RGB")
                          for i in range(10)])
    drawings_sq = art(photos("drawings/sketchbook", 10, (96, 96), stem="page"))
    cls3 = '["cubism", "impressionism", "ukiyo_e"]'

    # ---- style transfer
    notebook("palette-gif-style-image-vgg19-features-notebook", "data.image_channels", forms=NB,
             setup=art([("art/content/harbour_at_dusk.jpg", (200, 150), "RGB"),
                        ("art/style/risograph_poster.gif", (180, 240), "P")]))
    script("style-gram-targets-from-unfrozen-vgg-not-detached", "optim.autograd_graph", argv="style_transfer.py",
           setup=both(style_imgs, write("out/.keep", "")))
    script("gatys-caffe-vgg-conv-pth-into-torchvision-vgg19", "model.weights_mismatch", argv="style_transfer.py",
           setup=both(style_imgs, prep(CAFFE_VGG_PREP)))
    script("style-transfer-lbfgs-bare-step-from-adam-loop", "model.api_misuse", argv="style_lbfgs.py",
           setup=both(style_imgs, write("out/.keep", "")))
    script("fast-neural-style-old-candy-pth-instancenorm-running-stats", "env.version_incompat",
           also=["model.weights_mismatch"], argv="stylize.py", extra={"transformer_net.py": TRANSFORMER_NET},
           setup=both(imgs([("art/content/market_street.jpg", (96, 72), "RGB")]), write("out/.keep", ""),
                      prep(CANDY_PREP)))

    # ---- GANs / autoencoders
    script("dcgan-own-drawings-resize-int-mixed-aspect-workers", "data.image_size_mismatch", forms=W,
           argv="train_dcgan.py", extra=dc, setup=drawings_mixed)
    script("pix2pix-square-sketches-4-3-photos-discriminator-concat", "data.image_size_mismatch",
           argv="train_pix2pix.py",
           setup=art([(f"pairs/A/{i:03d}.png", (200, 200), "L") for i in range(6)]
                     + [(f"pairs/B/{i:03d}.jpg", (240, 180), "RGB") for i in range(6)]))
    notebook("gan-samples-to-pil-numpy-on-generator-output-notebook", "optim.autograd_graph",
             also=["model.api_misuse"], forms=NB, files=dc, setup=prep(G_CKPT_PREP))
    script("sticker-autoencoder-rgba-save-image-jpg", "data.image_channels", also=["model.api_misuse"],
           argv="train_stickers.py", setup=art(photos("stickers", 8, (72, 72), mode="RGBA", ext="png", stem="sticker")))
    script("conv-autoencoder-raw-0-255-pixels-sgd-anomaly-tqdm", "optim.divergence", forms=P, argv="train_ae.py",
           setup=art(photos("photos", 12, (80, 80))))
    script("vae-flatten-for-64px-run-at-size-96", "model.input_shape", argv="train_vae.py", args=("--size", "96"),
           setup=drawings_sq)
    script("read-image-uint8-scans-into-encoder", "data.dtype", argv="train_ae.py",
           setup=art(photos("paintings", 8, (90, 70))))
    notebook("colab-gan-notebook-cuda-device-on-laptop-notebook", "env.cuda_setup", forms=NB, files=dc,
             setup=drawings_sq)
    script("export-samples-pool-map-lambda", "env.multiprocessing", argv="export_prints.py", extra=dc,
           setup=prep(G_CKPT_PREP))

    # ---- CLIP-style pairs
    script("clip-pairs-image-without-caption-txt-workers", "data.missing_or_corrupt", forms=W, argv="train_clip.py",
           extra=clip, setup=prep(sub(CAPTIONS_PREP, N="12", SKIP="[7]")))
    script("clip-contrastive-arange-from-config-batch-size-short-last-batch-tqdm", "data.label_shape", forms=P,
           argv="train_clip.py", extra=clip, setup=prep(sub(CAPTIONS_PREP, N="10", SKIP="[]")))

    # ---- the art archive, torchvision
    script("archive-style-ids-one-based-from-spreadsheet-tqdm", "data.label_out_of_range", forms=P,
           argv="train_styles.py", setup=archive())
    script("archive-medium-tags-resnet18-1000-head-kept", "model.output_mismatch", argv="train_tags.py",
           setup=archive())
    script("archive-preloaded-at-scan-resolution", "resource.host_memory", argv="train_archive.py",
           setup=both(archive(), prep(INDEX_PREP)))

    # ---- ImageAI 3
    script("imageai-trainer-test-folder-extra-unsorted-class", "data.label_out_of_range",
           also=["data.missing_or_corrupt"], framework="imageai", forms=P, argv="train_sorter.py", timeout=400,
           setup=art_styles(extra_test=["unsorted"], per_test=2))
    script("imageai-trainer-html-page-saved-as-jpg", "data.missing_or_corrupt", framework="imageai", forms=P,
           argv="train_sorter.py", timeout=400, setup=art_styles(bad="art_styles/train/ukiyo_e/hokusai_wave_hires.jpg"))
    script("imageai-trainer-transfer-from-own-3-style-model", "model.weights_mismatch", framework="imageai",
           argv="train_sorter.py", timeout=400,
           setup=both(art_styles(), save_cls("resnet50", cls3,
                                             "art_styles/models/resnet50-art_styles-test_acc_0.83333_epoch-7.pt",
                                             "art_styles/models/art_styles_model_classes.json")))
    script("imageai-sorter-resnet50-type-for-mobilenetv2-file", "model.weights_mismatch", also=["model.api_misuse"],
           framework="imageai", argv="sort_inbox.py",
           exception="Exception",  # ImageAI re-raises the load_state_dict RuntimeError as Exception
           setup=both(save_cls("mobilenet_v2", cls3,
                               "art_styles/models/mobilenet_v2-art_styles-test_acc_0.75000_epoch-3.pt",
                               "art_styles/models/art_styles_model_classes.json"),
                      imgs(photos("inbox", 2, (160, 120)))))
    script("imageai-classify-result-count-5-three-styles", "model.api_misuse", framework="imageai",
           argv="sort_inbox.py",
           setup=both(save_cls("mobilenet_v2", cls3,
                               "art_styles/models/mobilenet_v2-art_styles-test_acc_0.75000_epoch-3.pt",
                               "art_styles/models/art_styles_model_classes.json"),
                      imgs(photos("inbox", 2, (160, 120)))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
