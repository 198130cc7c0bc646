"""A sixteenth held-out set of PyTorch / torchvision failures, none of them a
repeat of the other generators' scenarios, following people who train
segmentation models, GANs and autoencoders, multi-label classifiers and
transfer-learning models, and who then write evaluation / inference scripts.

Segmentation: a DeepLab checkpoint trained with ``aux_loss=True`` loaded into a
model built without it, a confusion-matrix mIoU whose ignore label is -1, logits
upsampled to ``size=masks.shape``, a ResNet-U-Net whose encoder was swapped from
resnet34 to resnet50 without changing the decoder, an argmax class map given to
``save_image``, a Dice metric that ANDs a boolean prediction with a float mask, a
class map given to ``draw_segmentation_masks`` (notebook), a mask tensor given
to ``cv2.imwrite``, every validation softmax map preallocated in RAM.
GANs and autoencoders: a 32 px DCGAN discriminator fed 64 px images, WGAN-GP
interpolates that do not require grad, a VAE sampling with ``torch.normal(mu,
logvar)``, a conv autoencoder decoding 28 px digits to 32 px (tqdm), an
``output_padding`` equal to the stride, a conditional generator concatenating a
2-D label embedding to 4-D noise, spectral norm applied twice, an MNIST
autoencoder's hard-coded 7x7 flatten on 32 px images, 2-D noise into a trained
DCGAN generator, pix2pix targets that are grayscale label maps, noise added to
``read_image`` uint8 tensors in workers, a sample count from ``math.sqrt``,
``torch.full`` labels that are Long, WGAN weight clipping in place on leaves, a
VAE on unscaled pixels whose posterior scale overflows (tqdm),
``save_image(range=...)`` from an old repository (notebook).
Multi-label: a head sized 17 with 18 tags in the CSV, ``pos_weight`` counted
over the wrong axis, ``torch.where`` tuples used as tag indices (notebook), an
image without tags (in workers), 1-based tag ids (in workers).
Transfer learning (``weights=None``): ``densenet121().fc``, parameter groups
given modules, ``requires_grad`` set on the head module (notebook), Xavier init
over a head's biases, ``weights.transforms`` not called (in workers), a summed
grayscale stem assigned as a plain tensor.
Evaluation / inference: a single image through a BatchNorm1d head without
``model.eval()``, top-5 accuracy with three classes, the newest checkpoint found
by a glob that matches nothing, a confusion matrix indexed by rounded float
predictions, Keras' ``model.predict`` (notebook), TorchScript export of a model
holding a lambda, a model built on the meta device loaded without ``assign``.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more16.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub  # noqa: E402,F401

SRC = "corpus/generators/torch_more16.py"


MASKS = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
os.makedirs("@@DIR@@", exist_ok=True)
for i in range(@@N@@):
    m = rng.integers(0, @@K@@, (@@H@@, @@W@@)).astype(np.uint8) * @@SCALE@@
    if @@BORDER@@:
        m[:3] = 255
        m[-3:] = 255
    Image.fromarray(m).save(os.path.join("@@DIR@@", "@@STEM@@_%03d.png" % i))
'''


def seg_pairs(root, n, size=(96, 96), k=3, stem="tile", img_dir="images", mask_dir="masks", scale=1,
              border=False):
    """Images root/img_dir/STEM_i.jpg and label maps root/mask_dir/STEM_i.png (values 0..k-1,
    times `scale`, a 255 border when asked)."""
    specs = [(f"{root}/{img_dir}/{stem}_{i:03d}.jpg", size, "RGB") for i in range(n)]
    masks = sub(MASKS, DIR=f"{root}/{mask_dir}", N=str(n), K=str(k), H=str(size[1]), W=str(size[0]),
                SCALE=str(scale), BORDER=str(border), STEM=stem)
    return both(imgs(specs), prep(masks))


SCRIPTS = {}
CELLS = {}

# ====================================================================== segmentation
SAVE_DEEPLAB_AUX = '''
import os
import torch
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

os.makedirs("checkpoints", exist_ok=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3, aux_loss=True)
torch.save(model.state_dict(), "checkpoints/deeplab_roads_best.pth")
'''

SCRIPTS["seg-deeplab-aux-checkpoint-into-model-without-aux"] = '''
import os

import numpy as np
import torch
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

CLASSES = ["background", "road", "sidewalk"]
PALETTE = np.array([[0, 0, 0], [128, 64, 128], [244, 35, 232]], dtype=np.uint8)

# same architecture as in train.py (the pretrained backbone is not needed for inference)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/deeplab_roads_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
os.makedirs("predictions", exist_ok=True)
for name in sorted(os.listdir("test_images")):
    image = Image.open(os.path.join("test_images", name)).convert("RGB")
    with torch.no_grad():
        out = model(tf(image).unsqueeze(0))["out"]
    pred = out.argmax(1)[0].numpy()
    Image.fromarray(PALETTE[pred]).save(os.path.join("predictions", name.replace(".jpg", ".png")))
    print("saved", name)
'''

SAVE_LRASPP = '''
import torch
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=@@K@@)
torch.save(model.state_dict(), "@@PATH@@")
'''

SCRIPTS["seg-miou-confusion-bincount-ignore-minus-one"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

CLASSES = ["background", "building", "road", "water"]
N = len(CLASSES)
IGNORE = -1          # same value as CrossEntropyLoss(ignore_index=-1) in training
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def load_pair(img_path):
    mask_path = img_path.replace("/images/", "/masks/").replace(".jpg", ".png")
    image = (np.asarray(Image.open(img_path).convert("RGB"), dtype=np.float32) / 255.0 - MEAN) / STD
    mask = np.array(Image.open(mask_path), dtype=np.int64)
    mask[mask == 255] = IGNORE            # unlabelled border pixels
    return torch.from_numpy(image).permute(2, 0, 1), mask


def fast_hist(gt, pred, n):
    return np.bincount(n * gt.reshape(-1) + pred.reshape(-1), minlength=n * n).reshape(n, n)


model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=N)
model.load_state_dict(torch.load("lraspp_aerial_best.pth"))
model.eval()

hist = np.zeros((N, N), dtype=np.int64)
for path in sorted(glob.glob("data/aerial/val/images/*.jpg")):
    image, mask = load_pair(path)
    with torch.no_grad():
        pred = model(image.unsqueeze(0))["out"].argmax(1)[0].numpy()
    hist += fast_hist(mask, pred, N)

iou = np.diag(hist) / (hist.sum(0) + hist.sum(1) - np.diag(hist))
for name, v in zip(CLASSES, iou):
    print(f"{name:12s} IoU {v:.3f}")
print("mIoU", np.nanmean(iou))
'''

SEG_DATASET = '''
class SegDataset(Dataset):
    def __init__(self, root, size=@@SIZE@@):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        mask = Image.open(path.replace("images", "masks").replace(".jpg", ".png"))
        mask = mask.resize((self.size, self.size), Image.NEAREST)
        return TF.to_tensor(image), torch.from_numpy(np.array(mask, dtype=np.int64))
'''

SCRIPTS["seg-interpolate-logits-to-full-mask-shape"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF
''' + sub(SEG_DATASET, SIZE="128") + '''

class LiteSeg(nn.Module):
    """SegFormer-style: predict at 1/4 resolution, upsample in the loss."""

    def __init__(self, n_classes):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(inplace=True))
        self.classifier = nn.Conv2d(64, n_classes, 1)

    def forward(self, x):
        return self.classifier(self.encoder(x))


loader = DataLoader(SegDataset("data/potholes/train"), batch_size=4, shuffle=True)
model = LiteSeg(n_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=6e-5)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    for images, masks in loader:
        logits = model(images)
        logits = F.interpolate(logits, size=masks.shape, mode="bilinear", align_corners=False)
        loss = criterion(logits, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

SCRIPTS["seg-resunet-encoder-swapped-to-resnet50"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF
''' + sub(SEG_DATASET, SIZE="128") + '''

class Up(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_ch, out_ch, 3, padding=1), nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True),
            nn.Conv2d(out_ch, out_ch, 3, padding=1), nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True))

    def forward(self, x, skip):
        x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return self.conv(torch.cat([x, skip], dim=1))


class ResUNet(nn.Module):
    def __init__(self, n_classes, encoder="resnet34"):
        super().__init__()
        r = getattr(torchvision.models, encoder)(weights=None)
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu)
        self.pool = r.maxpool
        self.enc1, self.enc2, self.enc3, self.enc4 = r.layer1, r.layer2, r.layer3, r.layer4
        self.up3 = Up(512 + 256, 256)
        self.up2 = Up(256 + 128, 128)
        self.up1 = Up(128 + 64, 64)
        self.up0 = Up(64 + 64, 64)
        self.head = nn.Conv2d(64, n_classes, 1)

    def forward(self, x):
        s0 = self.stem(x)
        e1 = self.enc1(self.pool(s0))
        e2 = self.enc2(e1)
        e3 = self.enc3(e2)
        e4 = self.enc4(e3)
        d = self.up3(e4, e3)
        d = self.up2(d, e2)
        d = self.up1(d, e1)
        d = self.up0(d, s0)
        return F.interpolate(self.head(d), size=x.shape[-2:], mode="bilinear", align_corners=False)


loader = DataLoader(SegDataset("data/buildings/train"), batch_size=2, shuffle=True)
# resnet34 gave 0.71 mIoU; try a bigger encoder
model = ResUNet(n_classes=2, encoder="resnet50")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(20):
    model.train()
    for images, masks in loader:
        loss = criterion(model(images), masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")
'''

SCRIPTS["seg-save-image-argmax-class-map"] = '''
import os

import torch
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.utils import save_image

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4)
model.load_state_dict(torch.load("lraspp_leaves_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
os.makedirs("predictions", exist_ok=True)
with torch.no_grad():
    for name in sorted(os.listdir("test")):
        x = tf(Image.open(os.path.join("test", name)).convert("RGB")).unsqueeze(0)
        pred = model(x)["out"].argmax(dim=1, keepdim=True)         # [1, 1, H, W] class ids
        save_image(pred, os.path.join("predictions", name.rsplit(".", 1)[0] + "_mask.png"))
        print(name, pred.unique().tolist())
'''

SCRIPTS["seg-dice-metric-bool-pred-and-float-mask"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class LesionDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
        self.mask_tf = transforms.Compose([transforms.Resize((96, 96), interpolation=transforms.InterpolationMode.NEAREST),
                                           transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        mask = Image.open(path.replace("images", "masks").replace(".jpg", ".png")).convert("L")
        return self.tf(Image.open(path).convert("RGB")), self.mask_tf(mask)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2 = block(3, 16), block(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.d1 = block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(self.pool(a))
        return self.out(self.d1(torch.cat([self.up(b), a], 1)))


train_loader = DataLoader(LesionDataset("data/isic/train"), batch_size=4, shuffle=True)
val_loader = DataLoader(LesionDataset("data/isic/val"), batch_size=4)
model = TinyUNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.BCEWithLogitsLoss()

for epoch in range(5):
    model.train()
    for images, masks in train_loader:
        loss = criterion(model(images), masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    dices = []
    with torch.no_grad():
        for images, masks in val_loader:
            pred = torch.sigmoid(model(images)) > 0.5
            inter = (pred & masks).sum(dim=(1, 2, 3))
            dices.append((2 * inter / (pred.sum(dim=(1, 2, 3)) + masks.sum(dim=(1, 2, 3)) + 1e-6)).mean())
    print(f"epoch {epoch}: loss {loss.item():.4f} val dice {torch.stack(dices).mean():.4f}")
'''

CELLS["seg-draw-segmentation-masks-class-map-notebook"] = [
    '''
import torch
from torchvision.io import read_image
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms.functional import convert_image_dtype, normalize, to_pil_image
from torchvision.utils import draw_segmentation_masks

CLASSES = ["background", "car", "person", "bicycle", "sign"]
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("lraspp_street.pth"))
model.eval();
''',
    '''
img = read_image("samples/street_014.jpg")
x = normalize(convert_image_dtype(img, torch.float), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
with torch.no_grad():
    out = model(x.unsqueeze(0))["out"]
pred = out.argmax(1)[0]
pred.shape, pred.unique()
''',
    '''
overlay = draw_segmentation_masks(img, pred, alpha=0.6)
to_pil_image(overlay).save("street_014_overlay.png")
''',
]

SCRIPTS["seg-binary-mask-tensor-into-cv2-imwrite"] = '''
import os

import cv2
import torch
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=1)
model.load_state_dict(torch.load("weights/crack_seg.pth", map_location="cpu"))
model.eval()

mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
os.makedirs("output", exist_ok=True)
for name in sorted(os.listdir("input")):
    bgr = cv2.imread(os.path.join("input", name))
    rgb = cv2.cvtColor(cv2.resize(bgr, (128, 128)), cv2.COLOR_BGR2RGB)
    x = (torch.from_numpy(rgb).permute(2, 0, 1).float() / 255 - mean) / std
    with torch.no_grad():
        prob = torch.sigmoid(model(x.unsqueeze(0))["out"])[0, 0]
    mask = (prob > 0.5).to(torch.uint8) * 255
    cv2.imwrite(os.path.join("output", name.replace(".jpg", "_mask.png")), mask)
    print("wrote", name)
'''

SCRIPTS["seg-eval-preallocates-all-softmax-maps"] = '''
import numpy as np
import torch
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

N_CLASSES = 19
names = open("cityscapes/val.txt").read().split()
print(f"{len(names)} validation images")

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=N_CLASSES)
model.eval()

# keep every softmax map so mIoU and calibration (ECE) can be computed at the end
all_probs = torch.zeros(len(names), N_CLASSES, 1024, 2048)
all_labels = torch.zeros(len(names), 1024, 2048, dtype=torch.long)
print("buffers ready")
'''

# ====================================================================== GANs / autoencoders
SCRIPTS["dcgan-64px-images-into-32px-discriminator"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

nz, ngf, ndf = 100, 32, 32
image_size = 64        # was 32 for CIFAR-10; the anime faces are 64x64

tf = transforms.Compose([transforms.Resize(image_size), transforms.CenterCrop(image_size),
                         transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
dataset = datasets.ImageFolder("data/anime", tf)
loader = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(3, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)


netG, netD = Generator(), Discriminator()
criterion = nn.BCELoss()
optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(25):
    for i, (real, _) in enumerate(loader):
        b = real.size(0)
        netD.zero_grad()
        errD_real = criterion(netD(real), torch.ones(b))
        fake = netG(torch.randn(b, nz, 1, 1))
        errD_fake = criterion(netD(fake.detach()), torch.zeros(b))
        (errD_real + errD_fake).backward()
        optD.step()

        netG.zero_grad()
        errG = criterion(netD(fake), torch.ones(b))
        errG.backward()
        optG.step()
    print(f"[{epoch}/25] Loss_D {errD_real.item() + errD_fake.item():.3f} Loss_G {errG.item():.3f}")
'''

GAN_32_BASE = '''
nz = 64
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(),
                         transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
loader = DataLoader(datasets.ImageFolder("@@DATA@@", tf), batch_size=8, shuffle=True, drop_last=True)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz, 128, 4, 1, 0), nn.BatchNorm2d(128), nn.ReLU(True),      # 4x4
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(True),       # 8x8
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(True),        # 16x16
            nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())                                 # 32x32

    def forward(self, z):
        return self.net(z)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(128, 1, 4, 1, 0))

    def forward(self, x):
        return self.net(x).view(-1)
'''

SCRIPTS["wgan-gp-interpolates-do-not-require-grad"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + sub(GAN_32_BASE, DATA="data/celeba_small") + '''

def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    interpolates = alpha * real + (1 - alpha) * fake
    scores = critic(interpolates)
    grads = torch.autograd.grad(outputs=scores, inputs=interpolates, grad_outputs=torch.ones_like(scores),
                                create_graph=True, retain_graph=True)[0]
    return ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


G, D = Generator(), Critic()
optG = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
optD = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.0, 0.9))
lambda_gp, n_critic = 10, 5

for epoch in range(50):
    for i, (real, _) in enumerate(loader):
        fake = G(torch.randn(real.size(0), nz, 1, 1)).detach()
        loss_D = D(fake).mean() - D(real).mean() + lambda_gp * gradient_penalty(D, real, fake)
        optD.zero_grad()
        loss_D.backward()
        optD.step()

        if i % n_critic == 0:
            loss_G = -D(G(torch.randn(real.size(0), nz, 1, 1))).mean()
            optG.zero_grad()
            loss_G.backward()
            optG.step()
    print(f"epoch {epoch}: D {loss_D.item():.3f} G {loss_G.item():.3f}")
'''

MNIST_FOLDER = '''
tf = transforms.Compose([transforms.Grayscale(), transforms.ToTensor()])
train_set = datasets.ImageFolder("data/mnist_png/training", tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True)
'''

SCRIPTS["vae-torch-normal-given-logvar-as-std"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + MNIST_FOLDER + '''

class VAE(nn.Module):
    def __init__(self, latent=16):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc_mu = nn.Linear(400, latent)
        self.fc_logvar = nn.Linear(400, latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc_mu(h), self.fc_logvar(h)

    def reparameterize(self, mu, logvar):
        # z ~ N(mu, sigma)
        return torch.normal(mu, logvar)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1, 11):
    total = 0.0
    for x, _ in loader:
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x.view(-1, 784), reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch}: {total / len(train_set):.2f}")
'''

SCRIPTS["conv-autoencoder-decodes-28px-to-32px-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm
''' + MNIST_FOLDER + '''

class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),     # 14
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),    # 7
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())    # 4
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = ConvAE()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/20")
    for images, _ in pbar:
        recon = model(images)
        loss = criterion(recon, images)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

SCRIPTS["conv-autoencoder-output-padding-equal-to-stride"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + MNIST_FOLDER + '''

def down(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


def up(cin, cout, out_pad):
    return nn.Sequential(nn.ConvTranspose2d(cin, cout, 3, stride=2, padding=1, output_padding=out_pad),
                         nn.BatchNorm2d(cout), nn.ReLU())


class DenoisingAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(down(1, 32), down(32, 64), down(64, 128))     # 28 -> 14 -> 7 -> 4
        # 4 -> 7 -> 14 -> 28: pad the last two layers to get back to 28
        self.decoder = nn.Sequential(up(128, 64, 0), up(64, 32, 1), up(32, 16, 2), nn.Conv2d(16, 1, 3, padding=1))

    def forward(self, x):
        return torch.sigmoid(self.decoder(self.encoder(x)))


model = DenoisingAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for images, _ in loader:
        noisy = (images + 0.3 * torch.randn_like(images)).clamp(0, 1)
        loss = nn.functional.mse_loss(model(noisy), images)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["cgan-label-embedding-cat-with-4d-noise"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

nz = 100
tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((32, 32)), transforms.ToTensor(),
                         transforms.Normalize((0.5,), (0.5,))])
dataset = datasets.ImageFolder("data/fashion", tf)
n_classes = len(dataset.classes)
loader = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True)


class CondGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz + n_classes, 128, 4, 1, 0), nn.BatchNorm2d(128), nn.ReLU(True),
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(True),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(True),
            nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z, labels):
        x = torch.cat([z, self.label_emb(labels)], dim=1)
        return self.net(x)


class CondDiscriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_map = nn.Embedding(n_classes, 32 * 32)
        self.net = nn.Sequential(
            nn.Conv2d(2, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Conv2d(128, 1, 8, 1, 0), nn.Sigmoid())

    def forward(self, x, labels):
        lab = self.label_map(labels).view(-1, 1, 32, 32)
        return self.net(torch.cat([x, lab], 1)).view(-1)


G, D = CondGenerator(), CondDiscriminator()
bce = nn.BCELoss()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(30):
    for real, labels in loader:
        b = real.size(0)
        z = torch.randn(b, nz, 1, 1)
        fake = G(z, labels)
        loss_D = bce(D(real, labels), torch.ones(b)) + bce(D(fake.detach(), labels), torch.zeros(b))
        optD.zero_grad()
        loss_D.backward()
        optD.step()
        loss_G = bce(D(fake, labels), torch.ones(b))
        optG.zero_grad()
        loss_G.backward()
        optG.step()
    print(epoch, loss_D.item(), loss_G.item())
'''

SCRIPTS["sngan-spectral-norm-applied-twice"] = '''
import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm


def sn_conv(*args, **kwargs):
    return spectral_norm(nn.Conv2d(*args, **kwargs))


class Discriminator(nn.Module):
    def __init__(self, ch=64):
        super().__init__()
        self.net = nn.Sequential(
            sn_conv(3, ch, 3, 1, 1), nn.LeakyReLU(0.1),
            sn_conv(ch, ch, 4, 2, 1), nn.LeakyReLU(0.1),
            sn_conv(ch, ch * 2, 3, 1, 1), nn.LeakyReLU(0.1),
            sn_conv(ch * 2, ch * 2, 4, 2, 1), nn.LeakyReLU(0.1),
            sn_conv(ch * 2, ch * 4, 3, 1, 1), nn.LeakyReLU(0.1))
        self.fc = spectral_norm(nn.Linear(ch * 4 * 8 * 8, 1))

    def forward(self, x):
        return self.fc(self.net(x).flatten(1))


def add_spectral_norm(module):
    """From the SNGAN repo: wrap every conv / linear layer."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            spectral_norm(m)
    return module


D = add_spectral_norm(Discriminator())
print(D(torch.randn(2, 3, 32, 32)).shape)
'''

SCRIPTS["autoencoder-flatten-hardcoded-7x7-on-32px"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# the MNIST autoencoder from the course notebook, now on CIFAR-style 32x32 photos
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/pets", tf), batch_size=16, shuffle=True)


class Autoencoder(nn.Module):
    def __init__(self, latent=128):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.fc_enc = nn.Linear(64 * 7 * 7, latent)
        self.fc_dec = nn.Linear(latent, 64 * 7 * 7)
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 4, stride=2, padding=1), nn.Sigmoid())

    def forward(self, x):
        h = self.conv(x)
        z = self.fc_enc(h.view(-1, 64 * 7 * 7))
        h = self.fc_dec(z).view(-1, 64, 7, 7)
        return self.deconv(h)


model = Autoencoder()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(15):
    for images, _ in loader:
        loss = nn.functional.mse_loss(model(images), images)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

DCGAN_G = '''
class Generator(nn.Module):
    def __init__(self, nz=100, ngf=32, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)
'''

SAVE_DCGAN_G = '''
import os
import torch
import torch.nn as nn
''' + DCGAN_G + '''
os.makedirs("checkpoints", exist_ok=True)
torch.save({"epoch": 40, "netG": Generator().state_dict()}, "checkpoints/dcgan_epoch_40.pth")
'''

SCRIPTS["dcgan-sampling-2d-noise-into-generator"] = '''
import os

import torch
import torch.nn as nn
from torchvision.utils import save_image
''' + DCGAN_G + '''

nz = 100
netG = Generator(nz=nz)
ckpt = torch.load("checkpoints/dcgan_epoch_40.pth", map_location="cpu")
netG.load_state_dict(ckpt["netG"])
netG.eval()

os.makedirs("generated", exist_ok=True)
with torch.no_grad():
    z = torch.randn(64, nz)
    fake = netG(z)
save_image(fake, "generated/samples.png", nrow=8, normalize=True)
print("saved 64 samples")
'''

SCRIPTS["pix2pix-grayscale-label-maps-into-6ch-discriminator"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class PairDataset(Dataset):
    """data/facades/train/A/*.jpg (photos) and B/*.png (label maps), same file stems."""

    def __init__(self, root):
        self.a = sorted(glob.glob(os.path.join(root, "A", "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                                      transforms.Normalize((0.5,), (0.5,))])

    def __len__(self):
        return len(self.a)

    def __getitem__(self, i):
        b_path = self.a[i].replace(os.sep + "A" + os.sep, os.sep + "B" + os.sep).replace(".jpg", ".png")
        return self.tf(Image.open(self.a[i])), self.tf(Image.open(b_path))


def down(cin, cout, norm=True):
    layers = [nn.Conv2d(cin, cout, 4, 2, 1)]
    if norm:
        layers.append(nn.BatchNorm2d(cout))
    return nn.Sequential(*layers, nn.LeakyReLU(0.2))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(down(3, 32, False), down(32, 64), down(64, 128))
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())

    def forward(self, x):
        return self.dec(self.enc(x))


class PatchD(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(down(6, 64, False), down(64, 128), nn.Conv2d(128, 1, 4, 1, 1))

    def forward(self, a, b):
        return self.net(torch.cat([a, b], dim=1))


loader = DataLoader(PairDataset("data/facades/train"), batch_size=4, shuffle=True)
G, D = Generator(), PatchD()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
gan_loss, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()

for epoch in range(100):
    for a, b in loader:
        fake_b = G(a)
        pred_real = D(a, b)
        pred_fake = D(a, fake_b.detach())
        loss_D = 0.5 * (gan_loss(pred_real, torch.ones_like(pred_real)) + gan_loss(pred_fake, torch.zeros_like(pred_fake)))
        optD.zero_grad()
        loss_D.backward()
        optD.step()
        pred_fake = D(a, fake_b)
        loss_G = gan_loss(pred_fake, torch.ones_like(pred_fake)) + 100 * l1(fake_b, b)
        optG.zero_grad()
        loss_G.backward()
        optG.step()
    print(f"epoch {epoch}: D {loss_D.item():.3f} G {loss_G.item():.3f}")
'''

SCRIPTS["denoising-ae-noise-on-read-image-uint8-workers"] = '''
import glob

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2


class NoisyImages(Dataset):
    def __init__(self, pattern, sigma=0.1):
        self.files = sorted(glob.glob(pattern))
        self.sigma = sigma
        self.resize = v2.Resize((64, 64), antialias=True)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        clean = self.resize(read_image(self.files[i]))
        noisy = clean + self.sigma * torch.randn_like(clean)
        return noisy, clean


class DAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 3, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


def main():
    loader = DataLoader(NoisyImages("data/docs/*.png"), batch_size=4, shuffle=True, num_workers=2)
    model = DAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for noisy, clean in loader:
            loss = nn.functional.mse_loss(model(noisy), clean)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["gan-sample-grid-count-from-math-sqrt"] = '''
import math
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image
''' + sub(GAN_32_BASE, DATA="data/flowers") + '''

n_samples = 36
n_row = math.sqrt(n_samples)
fixed_noise = torch.randn(n_row * n_row, nz, 1, 1)

G, D = Generator(), Critic()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
os.makedirs("samples", exist_ok=True)
for epoch in range(30):
    for real, _ in loader:
        b = real.size(0)
        fake = G(torch.randn(b, nz, 1, 1))
        loss_D = bce(D(real), torch.ones(b)) + bce(D(fake.detach()), torch.zeros(b))
        optD.zero_grad()
        loss_D.backward()
        optD.step()
        loss_G = bce(D(fake), torch.ones(b))
        optG.zero_grad()
        loss_G.backward()
        optG.step()
    with torch.no_grad():
        save_image(G(fixed_noise), f"samples/epoch_{epoch:03d}.png", nrow=int(n_row), normalize=True)
'''

SCRIPTS["dcgan-torch-full-labels-are-long"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

nz = 64
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(),
                         transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
dataloader = DataLoader(datasets.ImageFolder("data/cars", tf), batch_size=8, shuffle=True)

netG = nn.Sequential(
    nn.ConvTranspose2d(nz, 128, 4, 1, 0, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
    nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
    nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(True),
    nn.ConvTranspose2d(32, 3, 4, 2, 1, bias=False), nn.Tanh())
netD = nn.Sequential(
    nn.Conv2d(3, 32, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
    nn.Conv2d(32, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2, inplace=True),
    nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, inplace=True),
    nn.Conv2d(128, 1, 4, 1, 0, bias=False), nn.Sigmoid())

criterion = nn.BCELoss()
real_label, fake_label = 1, 0
optimizerD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

print("Starting Training Loop...")
for epoch in range(5):
    for i, data in enumerate(dataloader, 0):
        netD.zero_grad()
        real_cpu = data[0]
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()

        noise = torch.randn(b_size, nz, 1, 1)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        optimizerD.step()

        netG.zero_grad()
        label.fill_(real_label)
        errG = criterion(netD(fake).view(-1), label)
        errG.backward()
        optimizerG.step()
'''

SCRIPTS["wgan-weight-clipping-in-place-on-leaf-params"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + sub(GAN_32_BASE, DATA="data/landscapes") + '''

G, critic = Generator(), Critic()
optG = torch.optim.RMSprop(G.parameters(), lr=5e-5)
optC = torch.optim.RMSprop(critic.parameters(), lr=5e-5)
clip_value, n_critic = 0.01, 5

for epoch in range(100):
    for i, (real, _) in enumerate(loader):
        fake = G(torch.randn(real.size(0), nz, 1, 1)).detach()
        loss_C = -(critic(real).mean() - critic(fake).mean())
        optC.zero_grad()
        loss_C.backward()
        optC.step()
        # weight clipping (Lipschitz constraint)
        for p in critic.parameters():
            p.clamp_(-clip_value, clip_value)

        if i % n_critic == 0:
            loss_G = -critic(G(torch.randn(real.size(0), nz, 1, 1))).mean()
            optG.zero_grad()
            loss_G.backward()
            optG.step()
    print(f"epoch {epoch}: critic {loss_C.item():.4f}")
'''

SCRIPTS["vae-unscaled-pixels-normal-scale-overflows-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class Sprites(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("L").resize((28, 28))
        return torch.from_numpy(np.array(img, dtype=np.float32)).view(-1)


class VAE(nn.Module):
    def __init__(self, latent=16):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 256), nn.ReLU())
        self.fc_mu = nn.Linear(256, latent)
        self.fc_logvar = nn.Linear(256, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 784))

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.fc_mu(h), self.fc_logvar(h)
        q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
        return self.decoder(q.rsample()), mu, logvar


model = VAE()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
loader = DataLoader(Sprites("data/sprites/*.png"), batch_size=8, shuffle=True, drop_last=True)

for epoch in range(30):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x in pbar:
        recon, mu, logvar = model(x)
        rec = F.mse_loss(recon, x, reduction="sum") / x.size(0)
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.size(0)
        loss = rec + kld
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(rec=f"{rec.item():.3g}", kld=f"{kld.item():.3g}")
'''

CELLS["gan-save-image-range-kwarg-old-repo-notebook"] = [
    '''
import os
import torch
import torch.nn as nn
import torchvision.utils as vutils
''' + DCGAN_G + '''
netG = Generator()
netG.load_state_dict(torch.load("checkpoints/dcgan_epoch_40.pth")["netG"])
netG.eval()
os.makedirs("samples", exist_ok=True)
''',
    '''
with torch.no_grad():
    fake = netG(torch.randn(64, 100, 1, 1))
fake.shape, fake.min().item(), fake.max().item()
''',
    '''
vutils.save_image(fake, "samples/grid.png", nrow=8, normalize=True, range=(-1, 1))
''',
]

# ====================================================================== multi-label
PLANET_TRAIN = '''
import csv
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

NUM_CLASSES = 17        # from the competition page


class PlanetDataset(Dataset):
    def __init__(self, csv_path, img_dir, tf):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.tags = sorted({t for r in self.rows for t in r["tags"].split()})
        self.img_dir, self.tf = img_dir, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = Image.open(os.path.join(self.img_dir, r["image_name"] + ".jpg")).convert("RGB")
        target = torch.zeros(len(self.tags))
        for t in r["tags"].split():
            target[self.tags.index(t)] = 1.0
        return self.tf(image), target


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
dataset = PlanetDataset("data/planet/train_v2.csv", "data/planet/train-jpg", tf)
print(len(dataset), "images,", len(dataset.tags), "tags")
loader = DataLoader(dataset, batch_size=4, shuffle=True)

model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    for images, targets in loader:
        loss = criterion(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

PLANET_TAGS = ["agriculture", "artisinal_mine", "bare_ground", "blooming", "blow_down", "clear", "cloudy",
               "conventional_mine", "cultivation", "habitation", "haze", "partly_cloudy", "primary", "road",
               "selective_logging", "slash_burn", "water"]


def planet_csv():
    rows = ["image_name,tags"]
    for i in range(12):
        tags = [PLANET_TAGS[(i * 3 + j) % 17] for j in range(3)]
        if i == 7:
            tags[0] = "partly-cloudy"          # a hand-fixed row with a typo
        rows.append(f"train_{i},{' '.join(sorted(set(tags)))}")
    return "\n".join(rows) + "\n"


SCRIPTS["multilabel-head-17-but-csv-has-18-tags"] = PLANET_TRAIN

SCRIPTS["multilabel-pos-weight-counted-over-images"] = '''
import csv
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms

CLASSES = ["cat", "dog", "person", "car", "tree", "sky"]
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
with open("data/scenes/labels.csv") as f:
    rows = list(csv.reader(f))[1:]
images = torch.stack([tf(Image.open(os.path.join("data/scenes/images", r[0])).convert("RGB")) for r in rows])
Y = torch.tensor([[float(v) for v in r[1:]] for r in rows])
print("label matrix", tuple(Y.shape))

# rare labels get a bigger weight: negatives / positives
pos = Y.sum(dim=1)
pos_weight = (Y.shape[1] - pos) / pos.clamp(min=1)
criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)

model = torchvision.models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
loader = DataLoader(TensorDataset(images, Y), batch_size=4, shuffle=True)
for epoch in range(20):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 4))
'''


def scenes_csv():
    rows = ["file," + ",".join(["cat", "dog", "person", "car", "tree", "sky"])]
    for i in range(12):
        bits = [(i >> k) & 1 for k in range(4)] + [1, i % 3 == 0]
        rows.append(f"scene_{i:03d}.jpg," + ",".join(str(int(b)) for b in bits))
    return "\n".join(rows) + "\n"


SAVE_MULTILABEL = '''
import torch
import torchvision
torch.save(torchvision.models.resnet18(weights=None, num_classes=8).state_dict(), "resnet18_multilabel.pth")
'''

CELLS["multilabel-predict-tags-from-torch-where-tuple-notebook"] = [
    '''
import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["beach", "boat", "building", "car", "forest", "mountain", "people", "water"]
model = torchvision.models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("resnet18_multilabel.pth"))
model.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
''',
    '''
x = tf(Image.open("holiday/IMG_2041.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    probs = torch.sigmoid(model(x))
probs
''',
    '''
THRESH = 0.3
idx = torch.where(probs > THRESH)
tags = [CLASSES[i] for i in idx]
print(tags)
''',
]

SCRIPTS["multilabel-image-without-tags-one-hot-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class RecipeTags(Dataset):
    def __init__(self, csv_path, img_dir):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tags = sorted({t for r in self.rows for t in r["labels"].split(";") if t})
        self.tag_to_idx = {t: i for i, t in enumerate(self.tags)}
        self.img_dir = img_dir
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(os.path.join(self.img_dir, r["image"])).convert("RGB"))
        ids = torch.tensor([self.tag_to_idx[t] for t in r["labels"].split(";") if t])
        target = F.one_hot(ids, len(self.tags)).sum(0).float()
        return image, target


def main():
    ds = RecipeTags("data/food/labels.csv", "data/food/images")
    loader = DataLoader(ds, batch_size=4, shuffle=False, num_workers=2)
    model = torchvision.models.resnet18(weights=None, num_classes=len(ds.tags))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(5):
        for images, targets in loader:
            loss = criterion(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def food_csv():
    tags = ["vegan", "spicy", "dessert", "soup", "gluten_free"]
    rows = ["image,labels"]
    for i in range(10):
        t = "" if i == 6 else ";".join(tags[j] for j in range(5) if (i + j) % 3 == 0)
        rows.append(f"dish_{i:03d}.jpg,{t or ''}")
    return "\n".join(rows) + "\n"


SCRIPTS["multilabel-one-based-tag-ids-workers"] = '''
import json
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

with open("data/attributes/classes.json") as f:
    CLASSES = json.load(f)               # 12 attribute names


class AttributeDataset(Dataset):
    """labels.txt: '<file> <id> <id> ...' exported from the labelling tool"""

    def __init__(self, root):
        with open(os.path.join(root, "labels.txt")) as f:
            self.items = [line.split() for line in f if line.strip()]
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, *ids = self.items[i]
        target = torch.zeros(len(CLASSES))
        target[torch.tensor([int(x) for x in ids])] = 1.0
        return self.tf(Image.open(os.path.join(self.root, "images", name)).convert("RGB")), target


def main():
    loader = DataLoader(AttributeDataset("data/attributes"), batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(weights=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(10):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def attributes_files():
    classes = ["red", "blue", "green", "striped", "dotted", "plain", "long_sleeve", "short_sleeve",
               "hood", "collar", "zip", "pocket"]
    lines = []
    for i in range(8):
        ids = sorted({1 + (i * 5) % 12, 1 + (i * 7 + 3) % 12, 12 if i == 5 else 1 + i})
        lines.append(f"shirt_{i:03d}.jpg " + " ".join(map(str, ids)))
    return {"data/attributes/classes.json": __import__("json").dumps(classes),
            "data/attributes/labels.txt": "\n".join(lines) + "\n"}

# ====================================================================== transfer learning
SCRIPTS["densenet-fc-in-features-transfer"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("data/chest_xray/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

# ResNet-50 overfitted, try DenseNet-121 (ImageNet weights copied in from the shared drive later)
model = models.densenet121(weights=None)
for param in model.parameters():
    param.requires_grad = False
num_ftrs = model.fc.in_features
model.fc = nn.Linear(num_ftrs, len(train_ds.classes))
optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
'''

SCRIPTS["transfer-param-groups-given-modules"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/birds/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
for name, p in model.named_parameters():
    p.requires_grad = name.startswith(("layer4", "fc"))

# discriminative learning rates: small for the last block, larger for the new head
optimizer = torch.optim.SGD([
    {"params": model.layer4, "lr": 1e-4},
    {"params": model.fc, "lr": 1e-3},
], momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

CELLS["transfer-requires-grad-set-on-head-module-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/weather/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
train_ds.classes
''',
    '''
model = models.resnet34(weights=None, num_classes=len(train_ds.classes))
# freeze the backbone, train only the classifier
for p in model.parameters():
    p.requires_grad = False
model.fc.requires_grad = True
''',
    '''
optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)
criterion = nn.CrossEntropyLoss()
''',
]

SCRIPTS["transfer-xavier-init-over-head-parameters"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/defects/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.mobilenet_v2(weights=None)
model.classifier = nn.Sequential(
    nn.Dropout(0.3),
    nn.Linear(model.last_channel, 256),
    nn.BatchNorm1d(256),
    nn.ReLU(inplace=True),
    nn.Linear(256, len(train_ds.classes)),
)
# initialise the new head
for p in model.classifier.parameters():
    nn.init.xavier_uniform_(p)

optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["transfer-weights-transforms-not-called-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def main():
    weights = models.EfficientNet_B0_Weights.IMAGENET1K_V1
    train_tf = transforms.Compose([transforms.RandomHorizontalFlip(), weights.transforms])
    train_ds = datasets.ImageFolder("data/food101_subset/train", train_tf)
    loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)

    model = models.efficientnet_b0(weights=None)          # weights loaded from the lab server copy below
    model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(train_ds.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(5):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SAVE_RESNET18 = '''
import torch
import torchvision
torch.save(torchvision.models.resnet18(weights=None).state_dict(), "resnet18-f37072fd.pth")
'''

SCRIPTS["transfer-grayscale-stem-summed-weight-assigned"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.5], [0.25])])
train_ds = datasets.ImageFolder("data/knee_xray/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("resnet18-f37072fd.pth"))     # ImageNet weights, downloaded once
# X-rays have one channel: sum the pretrained RGB filters into a single input channel
model.conv1.weight = model.conv1.weight.sum(dim=1, keepdim=True)
model.conv1.in_channels = 1
model.fc = nn.Linear(512, len(train_ds.classes))

optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ====================================================================== evaluation / inference
BN_HEAD_MODEL = '''
def build_model(n_classes):
    model = torchvision.models.resnet18(weights=None)
    model.fc = nn.Sequential(
        nn.Linear(512, 256), nn.BatchNorm1d(256), nn.ReLU(inplace=True), nn.Dropout(0.4),
        nn.Linear(256, n_classes))
    return model
'''

SAVE_BN_HEAD = '''
import json
import torch
import torch.nn as nn
import torchvision
''' + BN_HEAD_MODEL + '''
torch.save(build_model(4).state_dict(), "best_model.pth")
json.dump(["glioma", "meningioma", "notumor", "pituitary"], open("classes.json", "w"))
'''

SCRIPTS["predict-single-image-without-eval-bn1d-head"] = '''
import json
import sys

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms
''' + BN_HEAD_MODEL + '''

classes = json.load(open("classes.json"))
model = build_model(len(classes))
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
path = sys.argv[1] if len(sys.argv) > 1 else "samples/mri_0042.jpg"
x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    probs = torch.softmax(model(x), dim=1)[0]
conf, idx = probs.max(0)
print(f"{path}: {classes[idx]} ({conf:.1%})")
'''

SAVE_3CLASS = '''
import torch
import torchvision
torch.save({"epoch": 12, "model_state_dict": torchvision.models.resnet18(weights=None, num_classes=3).state_dict(),
            "best_acc": 0.91}, "checkpoint_best.pth")
'''

SCRIPTS["eval-top5-accuracy-with-three-classes"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def accuracy(output, target, topk=(1,)):
    """Computes the accuracy over the k top predictions (from the ImageNet example)"""
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        return [correct[:k].reshape(-1).float().sum(0) * 100.0 / batch_size for k in topk]


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
test_ds = datasets.ImageFolder("data/beans/test", tf)
loader = DataLoader(test_ds, batch_size=8)
model = torchvision.models.resnet18(weights=None, num_classes=len(test_ds.classes))
model.load_state_dict(torch.load("checkpoint_best.pth")["model_state_dict"])
model.eval()

top1 = top5 = 0.0
with torch.no_grad():
    for images, target in loader:
        acc1, acc5 = accuracy(model(images), target, topk=(1, 5))
        top1 += acc1.item() * images.size(0)
        top5 += acc5.item() * images.size(0)
print(f"Acc@1 {top1 / len(test_ds):.2f}  Acc@5 {top5 / len(test_ds):.2f}")
'''

SAVE_RUNS = '''
import os
import torch
import torchvision
for exp in ("exp", "exp2", "exp3"):
    os.makedirs(f"runs/train/{exp}/weights", exist_ok=True)
    torch.save(torchvision.models.resnet18(weights=None, num_classes=5).state_dict(),
               f"runs/train/{exp}/weights/best.pth")
    open(f"runs/train/{exp}/results.csv", "w").write("epoch,train_loss,val_acc\\n")
'''

SCRIPTS["inference-newest-checkpoint-glob-matches-nothing"] = '''
import glob
import os

import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["daisy", "dandelion", "rose", "sunflower", "tulip"]


def latest_weights(pattern="runs/train/exp*/weights/best.pt"):
    return sorted(glob.glob(pattern), key=os.path.getmtime)[-1]


model = torchvision.models.resnet18(weights=None, num_classes=len(CLASSES))
weights = latest_weights()
print("loading", weights)
model.load_state_dict(torch.load(weights, map_location="cpu"))
model.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
for name in sorted(os.listdir("to_classify")):
    with torch.no_grad():
        p = model(tf(Image.open(os.path.join("to_classify", name)).convert("RGB")).unsqueeze(0)).softmax(1)
    print(name, CLASSES[p.argmax()], f"{p.max():.2f}")
'''

SCRIPTS["eval-confusion-matrix-indexed-by-rounded-float-preds"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
val_ds = datasets.ImageFolder("data/cats_vs_dogs/val", tf)
loader = DataLoader(val_ds, batch_size=8)

model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)          # one logit, trained with BCEWithLogitsLoss
model.load_state_dict(torch.load("cats_dogs_bce.pth"))
model.eval()

confusion = torch.zeros(2, 2, dtype=torch.long)
with torch.no_grad():
    for images, labels in loader:
        preds = torch.round(torch.sigmoid(model(images))).squeeze(1)
        confusion[labels, preds] += 1
print(confusion)
tn, fp, fn, tp = confusion.flatten().tolist()
print(f"precision {tp / (tp + fp):.3f} recall {tp / (tp + fn):.3f}")
'''

SAVE_BCE_BINARY = '''
import torch
import torch.nn as nn
import torchvision
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Linear(m.fc.in_features, 1)
torch.save(m.state_dict(), "cats_dogs_bce.pth")
'''

SAVE_5CLASS = '''
import torch
import torchvision
torch.save(torchvision.models.resnet18(weights=None, num_classes=5).state_dict(), "garbage_resnet18.pth")
'''

CELLS["keras-style-model-predict-on-torch-model-notebook"] = [
    '''
import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["cardboard", "glass", "metal", "paper", "plastic"]
model = torchvision.models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("garbage_resnet18.pth", map_location="cpu"))
model.eval()
''',
    '''
img = Image.open("test_photos/bottle.jpg").convert("RGB")
x = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])(img).unsqueeze(0)
x.shape
''',
    '''
probs = model.predict(x)
print(CLASSES[int(np.argmax(probs))])
''',
]

SCRIPTS["torchscript-export-model-holding-lambda"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeafNet(nn.Module):
    def __init__(self, n_classes=6):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.act = lambda t: F.leaky_relu(t, 0.1)
        self.fc1 = nn.Linear(64, 64)
        self.fc2 = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.features(x).flatten(1)
        return self.fc2(self.act(self.fc1(x)))


model = LeafNet()
model.load_state_dict(torch.load("leafnet_best.pth", map_location="cpu"))
model.eval()
scripted = torch.jit.script(model)
scripted.save("leafnet_mobile.pt")
print("exported")
'''

SAVE_LEAFNET = '''
import torch
import torch.nn as nn
sd = {
    "features.0.weight": torch.randn(32, 3, 3, 3), "features.0.bias": torch.zeros(32),
    "features.1.weight": torch.ones(32), "features.1.bias": torch.zeros(32),
    "features.1.running_mean": torch.zeros(32), "features.1.running_var": torch.ones(32),
    "features.1.num_batches_tracked": torch.tensor(0),
    "features.4.weight": torch.randn(64, 32, 3, 3), "features.4.bias": torch.zeros(64),
    "features.5.weight": torch.ones(64), "features.5.bias": torch.zeros(64),
    "features.5.running_mean": torch.zeros(64), "features.5.running_var": torch.ones(64),
    "features.5.num_batches_tracked": torch.tensor(0),
    "fc1.weight": torch.randn(64, 64), "fc1.bias": torch.zeros(64),
    "fc2.weight": torch.randn(6, 64), "fc2.bias": torch.zeros(6),
}
torch.save(sd, "leafnet_best.pth")
'''

SAVE_RESNET18_FLOWERS = '''
import torch
import torchvision
torch.save(torchvision.models.resnet18(weights=None, num_classes=5).state_dict(), "resnet18_flowers.pth")
'''

SCRIPTS["meta-device-model-loaded-without-assign"] = '''
import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["daisy", "dandelion", "rose", "sunflower", "tulip"]

# build on the meta device: no time wasted on random init, the checkpoint fills the weights
with torch.device("meta"):
    model = torchvision.models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("resnet18_flowers.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
x = tf(Image.open("photo.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    probs = model(x).softmax(1)[0]
print(CLASSES[probs.argmax()], f"{probs.max():.2%}")
'''


# ======================================================================= cases
def cases():
    out, add, script, notebook = case_builders("torch-more16-", SCRIPTS, CELLS)

    def lraspp(k, path):
        return prep(sub(SAVE_LRASPP, K=str(k), PATH=path))

    # segmentation ------------------------------------------------------------------------------
    script("seg-deeplab-aux-checkpoint-into-model-without-aux", "model.weights_mismatch", argv="predict.py",
           forms=["cpython_basic", "multiline_message?"], timeout=300,
           setup=both(prep(SAVE_DEEPLAB_AUX), imgs([("test_images/frame_0001.jpg", (160, 120), "RGB")])))
    script("seg-miou-confusion-bincount-ignore-minus-one", "data.label_out_of_range", argv="evaluate.py",
           setup=both(lraspp(4, "lraspp_aerial_best.pth"),
                      seg_pairs("data/aerial/val", 3, size=(96, 96), k=4, border=True)))
    script("seg-interpolate-logits-to-full-mask-shape", "model.api_misuse",
           setup=seg_pairs("data/potholes/train", 6, size=(140, 120), k=3, stem="road"))
    script("seg-resunet-encoder-swapped-to-resnet50", "model.input_shape", also=["model.api_misuse"],
           setup=seg_pairs("data/buildings/train", 4, size=(128, 128), k=2, stem="aoi"))
    script("seg-save-image-argmax-class-map", "data.dtype", also=["model.api_misuse"], argv="predict.py",
           setup=both(lraspp(4, "lraspp_leaves_best.pth"),
                      imgs([(f"test/leaf_{i:02d}.jpg", (150, 130), "RGB") for i in range(2)])))
    script("seg-dice-metric-bool-pred-and-float-mask", "data.dtype",
           setup=both(seg_pairs("data/isic/train", 6, size=(120, 100), k=2, stem="ISIC", scale=255),
                      seg_pairs("data/isic/val", 3, size=(120, 100), k=2, stem="ISIC_val", scale=255)))
    notebook("seg-draw-segmentation-masks-class-map-notebook", "model.api_misuse", also=["data.dtype"],
             setup=both(lraspp(5, "lraspp_street.pth"), imgs([("samples/street_014.jpg", (160, 120), "RGB")])))
    script("seg-binary-mask-tensor-into-cv2-imwrite", "model.api_misuse", argv="predict.py",
           forms=["cpython_basic", "multiline_message"],
           setup=both(prep("import os\nos.makedirs('weights', exist_ok=True)\n" + sub(SAVE_LRASPP, K="1", PATH="weights/crack_seg.pth")),
                      imgs([(f"input/wall_{i:02d}.jpg", (200, 150), "RGB") for i in range(2)])))
    script("seg-eval-preallocates-all-softmax-maps", "resource.host_memory", argv="evaluate.py",
           extra={"cityscapes/val.txt": "".join(f"frankfurt/frankfurt_000000_{i:06d}_leftImg8bit.png\n"
                                                for i in range(500))})

    # GANs / autoencoders -----------------------------------------------------------------------
    script("dcgan-64px-images-into-32px-discriminator", "model.input_shape", also=["model.output_mismatch"],
           setup=imgs([(f"data/anime/faces/{i:05d}.jpg", (64, 64), "RGB") for i in range(16)]))
    script("wgan-gp-interpolates-do-not-require-grad", "optim.autograd_graph",
           setup=imgs(class_folder("data/celeba_small", ("img_align",), 8, size=(48, 56))))
    script("vae-torch-normal-given-logvar-as-std", "model.api_misuse",
           setup=imgs(class_folder("data/mnist_png/training", [str(d) for d in range(4)], 4, size=(28, 28),
                                   mode="L", ext="png")))
    script("conv-autoencoder-decodes-28px-to-32px-tqdm", "model.output_mismatch", also=["model.input_shape"],
           forms=["cpython_basic", "progress_bars"],
           setup=imgs(class_folder("data/mnist_png/training", [str(d) for d in range(4)], 4, size=(28, 28),
                                   mode="L", ext="png")))
    script("conv-autoencoder-output-padding-equal-to-stride", "model.api_misuse",
           setup=imgs(class_folder("data/mnist_png/training", [str(d) for d in range(3)], 4, size=(28, 28),
                                   mode="L", ext="png")))
    script("cgan-label-embedding-cat-with-4d-noise", "data.label_shape", also=["model.api_misuse"],
           setup=imgs(class_folder("data/fashion", ("bag", "boot", "shirt"), 4, size=(28, 28), mode="L",
                                   ext="png")))
    script("sngan-spectral-norm-applied-twice", "model.api_misuse")
    script("autoencoder-flatten-hardcoded-7x7-on-32px", "model.input_shape",
           setup=imgs(class_folder("data/pets", ("cat", "dog"), 8, size=(60, 50))))
    script("dcgan-sampling-2d-noise-into-generator", "model.input_shape", argv="sample.py",
           setup=prep(SAVE_DCGAN_G))
    script("pix2pix-grayscale-label-maps-into-6ch-discriminator", "data.image_channels",
           setup=both(imgs([(f"data/facades/train/A/cmp_{i:03d}.jpg", (96, 96), "RGB") for i in range(4)]),
                      imgs([(f"data/facades/train/B/cmp_{i:03d}.png", (96, 96), "L") for i in range(4)])))
    script("denoising-ae-noise-on-read-image-uint8-workers", "data.dtype", forms=["dataloader_worker"],
           setup=imgs([(f"data/docs/page_{i:03d}.png", (90, 120), "RGB") for i in range(8)]))
    script("gan-sample-grid-count-from-math-sqrt", "model.api_misuse", forms=["cpython_basic", "multiline_message"],
           setup=imgs(class_folder("data/flowers", ("all",), 8, size=(40, 40))))
    script("dcgan-torch-full-labels-are-long", "data.dtype",
           setup=imgs(class_folder("data/cars", ("sedan",), 8, size=(48, 32))))
    script("wgan-weight-clipping-in-place-on-leaf-params", "optim.autograd_graph",
           setup=imgs(class_folder("data/landscapes", ("mountain",), 8, size=(48, 36))))
    script("vae-unscaled-pixels-normal-scale-overflows-tqdm", "optim.divergence",
           forms=["cpython_basic", "progress_bars", "multiline_message"],
           setup=imgs([(f"data/sprites/s_{i:03d}.png", (28, 28), "L") for i in range(64)]))
    notebook("gan-save-image-range-kwarg-old-repo-notebook", "env.version_incompat", also=["model.api_misuse"],
             setup=prep(SAVE_DCGAN_G))

    # multi-label -------------------------------------------------------------------------------
    script("multilabel-head-17-but-csv-has-18-tags", "model.output_mismatch", also=["data.label_shape"],
           extra={"data/planet/train_v2.csv": planet_csv()},
           setup=imgs([(f"data/planet/train-jpg/train_{i}.jpg", (64, 64), "RGB") for i in range(12)]))
    script("multilabel-pos-weight-counted-over-images", "model.output_mismatch", also=["data.label_shape"],
           extra={"data/scenes/labels.csv": scenes_csv()},
           setup=imgs([(f"data/scenes/images/scene_{i:03d}.jpg", (80, 60), "RGB") for i in range(12)]))
    notebook("multilabel-predict-tags-from-torch-where-tuple-notebook", "model.api_misuse",
             setup=both(prep(SAVE_MULTILABEL), imgs([("holiday/IMG_2041.jpg", (200, 150), "RGB")])))
    script("multilabel-image-without-tags-one-hot-workers", "data.dtype", also=["data.label_shape"],
           forms=["dataloader_worker"], extra={"data/food/labels.csv": food_csv()},
           setup=imgs([(f"data/food/images/dish_{i:03d}.jpg", (70, 70), "RGB") for i in range(10)]))
    script("multilabel-one-based-tag-ids-workers", "data.label_out_of_range", forms=["dataloader_worker"],
           extra=attributes_files(),
           setup=imgs([(f"data/attributes/images/shirt_{i:03d}.jpg", (60, 80), "RGB") for i in range(8)]))

    # transfer learning -------------------------------------------------------------------------
    script("densenet-fc-in-features-transfer", "model.api_misuse",
           setup=imgs(class_folder("data/chest_xray/train", ("NORMAL", "PNEUMONIA"), 2, size=(90, 80))))
    script("transfer-param-groups-given-modules", "model.api_misuse",
           setup=imgs(class_folder("data/birds/train", ("finch", "robin", "wren"), 2)))
    notebook("transfer-requires-grad-set-on-head-module-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/weather/train", ("cloudy", "rain", "shine", "sunrise"), 2)))
    script("transfer-xavier-init-over-head-parameters", "model.api_misuse",
           setup=imgs(class_folder("data/defects/train", ("crazing", "inclusion", "scratches"), 2)))
    script("transfer-weights-transforms-not-called-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/food101_subset/train", ("pizza", "ramen", "sushi"), 3, size=(80, 70))))
    script("transfer-grayscale-stem-summed-weight-assigned", "model.api_misuse",
           setup=both(prep(SAVE_RESNET18),
                      imgs(class_folder("data/knee_xray/train", ("0", "1", "2"), 2, size=(96, 96), mode="L",
                                        ext="png"))))

    # evaluation / inference --------------------------------------------------------------------
    script("predict-single-image-without-eval-bn1d-head", "model.api_misuse", argv="predict.py",
           setup=both(prep(SAVE_BN_HEAD), imgs([("samples/mri_0042.jpg", (180, 180), "L")])))
    script("eval-top5-accuracy-with-three-classes", "model.api_misuse", also=["model.output_mismatch"],
           argv="evaluate.py",
           setup=both(prep(SAVE_3CLASS),
                      imgs(class_folder("data/beans/test", ("angular_leaf_spot", "bean_rust", "healthy"), 2))))
    script("inference-newest-checkpoint-glob-matches-nothing", "data.missing_or_corrupt", argv="predict.py",
           setup=both(prep(SAVE_RUNS), imgs([("to_classify/img_001.jpg", (100, 100), "RGB")])))
    script("eval-confusion-matrix-indexed-by-rounded-float-preds", "data.dtype", argv="evaluate.py",
           setup=both(prep(SAVE_BCE_BINARY), imgs(class_folder("data/cats_vs_dogs/val", ("cat", "dog"), 3))))
    notebook("keras-style-model-predict-on-torch-model-notebook", "model.api_misuse",
             setup=both(prep(SAVE_5CLASS), imgs([("test_photos/bottle.jpg", (120, 160), "RGB")])))
    script("torchscript-export-model-holding-lambda", "model.api_misuse", argv="export.py",
           forms=["cpython_basic", "multiline_message"], setup=prep(SAVE_LEAFNET))
    script("meta-device-model-loaded-without-assign", "env.device_mismatch", also=["model.api_misuse"],
           argv="predict.py", setup=both(prep(SAVE_RESNET18_FLOWERS), imgs([("photo.jpg", (240, 200), "RGB")])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
