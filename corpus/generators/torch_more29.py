"""A twenty-ninth held-out set of PyTorch / torchvision / ImageAI 3 failures: the causes
that are hardest to tell apart from the message alone, each built so that its cause is
unambiguous by construction (what the program breaks).

- model.output_mismatch: the model's output does not fit the loss / metric / post-processing
  (a 64-px DCGAN discriminator on 128-px images, a VAE's (recon, mu, logvar) tuple into
  MSELoss, a multi-task (logits, box) tuple in an eval cell, a log-softmax head sampled with
  multinomial, an x2 ESPCN on x4 pairs, a one-logit head on a multi-label set, a dict-returning
  retrieval model into softmax, an ImageNet head kept under an ArcFace margin head);
- data.label_shape: the labels are wrong (a [B, 1] column into BCELoss, tag ids padded instead
  of multi-hot, one-hot labels in an accuracy compare and a class-name lookup, one-hot masks
  channel-last into CrossEntropyLoss, per-object labels concatenated for a per-image
  classifier, [B, 1] pair labels into CosineEmbeddingLoss, teacher argmax ids given to KLDivLoss);
- model.api_misuse: a library call used wrongly or out of order (an optimizer restored from a
  model state dict, ``reduction=None``, ``get_last_lr()`` formatted as a float, grad norms read
  after ``zero_grad()``, ``batch_sampler`` with ``batch_size``, SGD given the model, Keras-style
  ``model.train(loader)``, the dataset iterated instead of the loader, ImageAI 3's
  ``nms_treshold`` spelled correctly);
- other: plain bugs in the user's own Python (an augment helper without ``return``, an
  extension typo in a loader helper, a NameError, images passed as the target, an off-by-one
  header skip, a bad format spec, a batch helper returning (labels, images), a float step
  count, an ImageAI detector helper without ``return``, ``os.listdir`` names without the folder);
- optim.divergence: fp16 sum-of-squares overflow, a CenterNet focal loss divided by zero
  positives, an unbounded warm-up multiplier, entropy sharpening with ``p * log(p)``, a GRU on
  raw watts, an age regressor at a high learning rate, raw-pixel inputs into a hand-written
  BCE before MC mask sampling, and per-image standardisation of blank frames.

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads).

Labels are by construction. Four gained an `also` when the set joined the corpus, so that the
same failure carries the same labels there: the DCGAN discriminator given larger images
(model.input_shape, as torch_more16's and a public thread's), the batch helper that returns
labels first (model.input_shape, as torch_more4's swapped dataset), the float step count in
`range` (model.api_misuse, as keras_more5's), and the grad norm logged after `zero_grad`
(optim.autograd_graph, as torch_more12's case of the same name).

    /work/venvs/torch/bin/python corpus/generators/torch_more29.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more29.py"

SCRIPTS = {}
CELLS = {}

# ============================================================ model.output_mismatch
SCRIPTS["dcgan-128px-images-64px-discriminator"] = '''
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.datasets as dset
import torchvision.transforms as transforms

# DCGAN tutorial, image_size raised from 64 to 128 for sharper faces
dataroot = "data/celeba"
workers = 0
batch_size = 16
image_size = 128
nc, nz, ngf, ndf = 3, 100, 16, 16
num_epochs = 5
lr = 0.0002
beta1 = 0.5

dataset = dset.ImageFolder(root=dataroot,
                           transform=transforms.Compose([
                               transforms.Resize(image_size),
                               transforms.CenterCrop(image_size),
                               transforms.ToTensor(),
                               transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
                           ]))
dataloader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=workers)
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, input):
        return self.main(input)


netG = Generator().to(device)
netG.apply(weights_init)
netD = Discriminator().to(device)
netD.apply(weights_init)
criterion = nn.BCELoss()
fixed_noise = torch.randn(64, nz, 1, 1, device=device)
real_label, fake_label = 1., 0.
optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

print("Starting Training Loop...")
for epoch in range(num_epochs):
    for i, data in enumerate(dataloader, 0):
        netD.zero_grad()
        real_cpu = data[0].to(device)
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float, device=device)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()

        noise = torch.randn(b_size, nz, 1, 1, device=device)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        optimizerD.step()
        if i % 50 == 0:
            print(f"[{epoch}/{num_epochs}][{i}/{len(dataloader)}] Loss_D: {(errD_real + errD_fake).item():.4f}")
'''

SCRIPTS["vae-forward-tuple-into-mse-reconstruction"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from models import VAE   # swapped in for the plain ConvAutoencoder of last week

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((32, 32)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/faces", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = VAE(latent_dim=16)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    total = 0.0
    for images, _ in loader:
        recon = model(images)
        loss = criterion(recon, images)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * images.size(0)
    print(f"epoch {epoch}: recon loss {total / len(train_ds):.4f}")
'''

VAE_MODELS = '''
import torch
import torch.nn as nn


class VAE(nn.Module):
    def __init__(self, latent_dim=16):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten())
        self.fc_mu = nn.Linear(32 * 8 * 8, latent_dim)
        self.fc_logvar = nn.Linear(32 * 8 * 8, latent_dim)
        self.fc_dec = nn.Linear(latent_dim, 32 * 8 * 8)
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1), nn.Sigmoid())

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.fc_mu(h), self.fc_logvar(h)
        z = self.reparameterize(mu, logvar)
        recon = self.decoder(self.fc_dec(z).view(-1, 32, 8, 8))
        return recon, mu, logvar
'''

CELLS["multitask-species-box-tuple-eval-argmax-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader, TensorDataset
''',
    '''
class PetNet(nn.Module):
    """species classifier with a box head for the head crop (Oxford pets style)"""
    def __init__(self, n_species=4):
        super().__init__()
        backbone = torchvision.models.resnet18(weights=None)
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.cls_head = nn.Linear(512, n_species)
        self.box_head = nn.Sequential(nn.Linear(512, 4), nn.Sigmoid())

    def forward(self, x):
        f = self.backbone(x)
        return self.cls_head(f), self.box_head(f)

model = PetNet()
torch.manual_seed(0)
x_train, y_train, b_train = torch.randn(24, 3, 64, 64), torch.randint(0, 4, (24,)), torch.rand(24, 4)
x_val, y_val = torch.randn(8, 3, 64, 64), torch.randint(0, 4, (8,))
train_loader = DataLoader(TensorDataset(x_train, y_train, b_train), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(x_val, y_val), batch_size=8)
''',
    '''
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
model.train()
for x, y, b in train_loader:
    logits, boxes = model(x)
    loss = F.cross_entropy(logits, y) + F.smooth_l1_loss(boxes, b)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("train loss", round(loss.item(), 4))
''',
    '''
model.eval()
correct = 0
with torch.no_grad():
    for x, y in val_loader:
        preds = model(x).argmax(dim=1)
        correct += (preds == y).sum().item()
print("val accuracy", correct / len(val_loader.dataset))
''',
]

SCRIPTS["char-rnn-log-softmax-head-multinomial-sampling"] = '''
import torch
import torch.nn as nn

text = open("data/tiny_shakespeare.txt").read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text])


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, 32)
        self.lstm = nn.LSTM(32, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, vocab)
        self.out = nn.LogSoftmax(dim=-1)     # paired with NLLLoss below

    def forward(self, x, h=None):
        y, h = self.lstm(self.embed(x), h)
        return self.out(self.fc(y)), h


model = CharRNN(len(chars))
criterion = nn.NLLLoss()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
seq = 40
for step in range(30):
    ix = torch.randint(0, len(data) - seq - 1, (16,))
    x = torch.stack([data[i:i + seq] for i in ix])
    y = torch.stack([data[i + 1:i + seq + 1] for i in ix])
    out, _ = model(x)
    loss = criterion(out.reshape(-1, len(chars)), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.3f}")


@torch.no_grad()
def sample(model, start="ROMEO:", n=200):
    model.eval()
    x = torch.tensor([[stoi[c] for c in start]])
    h = None
    result = start
    for _ in range(n):
        probs, h = model(x, h)
        next_id = torch.multinomial(probs[0, -1], num_samples=1)
        result += itos[next_id.item()]
        x = next_id.view(1, 1)
    return result


print(sample(model))
'''

SHAKESPEARE = ("ROMEO:\nBut soft, what light through yonder window breaks?\nIt is the east, and Juliet is the sun.\n"
               "JULIET:\nO Romeo, Romeo, wherefore art thou Romeo?\nDeny thy father and refuse thy name.\n") * 20

SCRIPTS["espcn-x2-model-on-x4-pairs"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

SCALE = 4          # the DIV2K x4 track
HR_CROP = 96


class SRPairs(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.crop = transforms.RandomCrop(HR_CROP)
        self.to_tensor = transforms.ToTensor()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        hr = self.crop(Image.open(self.files[i]).convert("RGB"))
        lr = hr.resize((HR_CROP // SCALE, HR_CROP // SCALE), Image.BICUBIC)
        return self.to_tensor(lr), self.to_tensor(hr)


class ESPCN(nn.Module):
    def __init__(self, upscale_factor=2, channels=3):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 64, 5, padding=2), nn.Tanh(),
            nn.Conv2d(64, 32, 3, padding=1), nn.Tanh(),
            nn.Conv2d(32, channels * upscale_factor ** 2, 3, padding=1))
        self.shuffle = nn.PixelShuffle(upscale_factor)

    def forward(self, x):
        return torch.sigmoid(self.shuffle(self.body(x)))


loader = DataLoader(SRPairs("data/DIV2K_train_HR"), batch_size=4, shuffle=True)
model = ESPCN()
criterion = nn.MSELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for lr_img, hr_img in loader:
        sr = model(lr_img)
        loss = criterion(sr, hr_img)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} mse {loss.item():.5f}")
'''

SCRIPTS["one-logit-head-reused-for-multilabel-tags"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

TAGS = ["clear", "cloudy", "haze", "primary", "water", "road"]


def build_model(num_outputs=1):
    """shared with the cloud / no-cloud project"""
    m = torchvision.models.resnet18(weights=None)
    m.fc = nn.Linear(m.fc.in_features, num_outputs)
    return m


class PlanetTags(Dataset):
    def __init__(self, csv_path, img_dir):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = Image.open(f"{self.img_dir}/{row['image_name']}.jpg").convert("RGB")
        target = torch.zeros(len(TAGS))
        for t in row["tags"].split():
            target[TAGS.index(t)] = 1.0
        return self.tf(img), target


loader = DataLoader(PlanetTags("data/planet/train_tags.csv", "data/planet/train-jpg"), batch_size=8, shuffle=True)
model = build_model()
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''


def planet_setup(work: Path):
    import random
    rnd = random.Random(3)
    tags = ["clear", "cloudy", "haze", "primary", "water", "road"]
    rows = ["image_name,tags"]
    specs = []
    for i in range(16):
        name = f"train_{i}"
        rows.append(f"{name},{' '.join(sorted(rnd.sample(tags, rnd.randint(1, 3))))}")
        specs.append((f"data/planet/train-jpg/{name}.jpg", (64, 64), "RGB"))
    (work / "data/planet").mkdir(parents=True, exist_ok=True)
    (work / "data/planet/train_tags.csv").write_text("\n".join(rows) + "\n")
    make_images(work, specs)


SCRIPTS["retrieval-model-dict-output-into-softmax"] = '''
import sys

import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms

from model import ProductNet

CLASSES = ["bag", "dress", "shirt", "shoe", "watch"]

model = ProductNet(num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/productnet_best.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

for path in sys.argv[1:]:
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        probs = F.softmax(model(x), dim=1)
    conf, idx = probs.max(dim=1)
    print(f"{path}: {CLASSES[idx.item()]} ({conf.item():.1%})")
'''

PRODUCTNET = '''
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class ProductNet(nn.Module):
    """classifier that also returns an L2-normalised embedding for the similar-items index"""
    def __init__(self, num_classes=5, emb_dim=128):
        super().__init__()
        self.backbone = torchvision.models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.embed = nn.Linear(512, emb_dim)
        self.classifier = nn.Linear(512, num_classes)

    def forward(self, x):
        f = self.backbone(x)
        return {"logits": self.classifier(f), "embedding": F.normalize(self.embed(f), dim=1)}
'''

SAVE_PRODUCTNET = '''
import os
import torch
from model import ProductNet
os.makedirs("checkpoints", exist_ok=True)
torch.save(ProductNet(num_classes=5).state_dict(), "checkpoints/productnet_best.pt")
'''

SCRIPTS["arcface-head-given-imagenet-1000-logits"] = '''
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class ArcMarginProduct(nn.Module):
    def __init__(self, in_features, out_features, s=30.0, m=0.50):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        nn.init.xavier_uniform_(self.weight)
        self.s, self.m = s, m
        self.cos_m, self.sin_m = math.cos(m), math.sin(m)

    def forward(self, embedding, label):
        cosine = F.linear(F.normalize(embedding), F.normalize(self.weight))
        sine = torch.sqrt((1.0 - cosine ** 2).clamp(0, 1))
        phi = cosine * self.cos_m - sine * self.sin_m
        one_hot = F.one_hot(label, cosine.size(1)).float()
        return self.s * (one_hot * phi + (1.0 - one_hot) * cosine)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/whales/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

backbone = torchvision.models.resnet18(weights=None)      # 512-d embedding
metric_fc = ArcMarginProduct(512, len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(list(backbone.parameters()) + list(metric_fc.parameters()), lr=0.01, momentum=0.9)

for epoch in range(10):
    for images, labels in loader:
        feats = backbone(images)
        logits = metric_fc(feats, labels)
        loss = criterion(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

# ============================================================ data.label_shape
SCRIPTS["defect-label-kept-as-column-bceloss"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class CastingDefects(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = [r for r in csv.DictReader(f)]
        self.root = root
        self.tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((48, 48)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = self.tf(Image.open(f"{self.root}/{r['file']}"))
        y = torch.tensor([float(r["defective"])])
        return x, y


class DefectNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc(self.features(x))).squeeze(1)


loader = DataLoader(CastingDefects("data/casting/labels.csv", "data/casting/images"), batch_size=8, shuffle=True,
                    num_workers=2)
model = DefectNet()
criterion = nn.BCELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def main():
    for epoch in range(5):
        for x, y in loader:
            p = model(x)
            loss = criterion(p, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} bce {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def casting_setup(work: Path):
    rows = ["file,defective"]
    specs = []
    for i in range(16):
        specs.append((f"data/casting/images/cast_{i:04d}.jpeg", (60, 60), "L"))
        rows.append(f"cast_{i:04d}.jpeg,{i % 3 == 0:d}")
    make_images(work, specs)
    (work / "data/casting/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["multilabel-tag-ids-padded-bcewithlogits"] = '''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MAX_TAGS = 4     # pad so every sample has the same length and default_collate can stack


class RecipePhotos(Dataset):
    def __init__(self, ann_path, vocab_path):
        self.items = json.load(open(ann_path))
        self.vocab = json.load(open(vocab_path))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        ids = [self.vocab.index(t) for t in item["ingredients"]][:MAX_TAGS]
        ids += [0] * (MAX_TAGS - len(ids))
        img = Image.open(item["image"]).convert("RGB")
        return self.tf(img), torch.tensor(ids, dtype=torch.float32)


ds = RecipePhotos("data/food/annotations.json", "data/food/ingredients.json")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=len(ds.vocab))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

for epoch in range(3):
    for x, y in loader:
        logits = model(x)
        loss = criterion(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def food_setup(work: Path):
    import json
    import random
    rnd = random.Random(5)
    vocab = ["tomato", "basil", "cheese", "egg", "rice", "salmon", "avocado", "lime", "onion", "garlic",
             "chili", "noodles"]
    items = []
    specs = []
    for i in range(16):
        p = f"data/food/images/dish_{i:03d}.jpg"
        specs.append((p, (72, 64), "RGB"))
        items.append({"image": p, "ingredients": rnd.sample(vocab, rnd.randint(2, 5))})
    make_images(work, specs)
    (work / "data/food/annotations.json").write_text(json.dumps(items, indent=1))
    (work / "data/food/ingredients.json").write_text(json.dumps(vocab))


SCRIPTS["keras-one-hot-npy-labels-accuracy-compare"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

# arrays exported from the old Keras notebook (y is to_categorical output)
X = np.load("data/signs_x.npy")          # (N, 32, 32, 3) uint8
y = np.load("data/signs_y.npy")          # (N, 10) float32
X = torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(y)
n_train = int(0.8 * len(X))
train_loader = DataLoader(TensorDataset(X[:n_train], y[:n_train]), batch_size=16, shuffle=True)
val_loader = DataLoader(TensorDataset(X[n_train:], y[n_train:]), batch_size=16)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 8 * 8, 10))
criterion = nn.CrossEntropyLoss()      # accepts class probabilities as targets
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    model.train()
    for xb, yb in tqdm(train_loader, desc=f"epoch {epoch}"):
        loss = criterion(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in val_loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
    print(f"epoch {epoch} val acc {correct / (len(X) - n_train):.3f}")
'''

SIGNS_NPY = '''
import numpy as np
rng = np.random.default_rng(0)
np.save("data/signs_x.npy", rng.integers(0, 256, (80, 32, 32, 3), dtype=np.uint8))
np.save("data/signs_y.npy", np.eye(10, dtype=np.float32)[rng.integers(0, 10, 80)])
'''

CELLS["one-hot-pt-labels-class-name-lookup-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
data = torch.load("data/cifar_subset.pt")      # {"images": uint8 N x 3 x 32 x 32, "labels": one-hot N x 10}
images = data["images"].float() / 255
labels = data["labels"]
print(images.shape, labels.shape)
''',
    '''
model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
                      nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for xb, yb in DataLoader(TensorDataset(images, labels), batch_size=16, shuffle=True):
    loss = nn.functional.cross_entropy(model(xb), yb)
    opt.zero_grad(); loss.backward(); opt.step()
print("loss", round(loss.item(), 3))
''',
    '''
model.eval()
with torch.no_grad():
    preds = model(images[:6]).argmax(1)
for img_label, pred in zip(labels[:6], preds):
    print(f"true: {CLASSES[img_label]:>10}   predicted: {CLASSES[pred]}")
''',
]

CIFAR_PT = '''
import os
import torch
os.makedirs("data", exist_ok=True)
g = torch.Generator().manual_seed(0)
imgs = torch.randint(0, 256, (48, 3, 32, 32), dtype=torch.uint8, generator=g)
lbl = torch.nn.functional.one_hot(torch.randint(0, 10, (48,), generator=g), 10).float()
torch.save({"images": imgs, "labels": lbl}, "data/cifar_subset.pt")
'''

SCRIPTS["seg-masks-one-hot-channel-last-crossentropy"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 4   # background, road, building, vegetation


class AerialSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = os.path.basename(self.images[i])
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(os.path.join(self.root, "masks", name)), dtype=np.int64)
        mask = F.one_hot(torch.from_numpy(mask), NUM_CLASSES).float()    # for the dice term
        return torch.from_numpy(img).permute(2, 0, 1), mask


def dice_loss(logits, onehot, eps=1.0):
    probs = logits.softmax(1)
    inter = (probs * onehot.permute(0, 3, 1, 2)).sum((2, 3))
    union = probs.sum((2, 3)) + onehot.permute(0, 3, 1, 2).sum((2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, NUM_CLASSES, 1))
ce = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(AerialSeg("data/aerial/train"), batch_size=4, shuffle=True)
for epoch in range(5):
    for img, mask in loader:
        logits = model(img)
        loss = ce(logits, mask) + dice_loss(logits, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def aerial_setup(work: Path):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(2)
    for d in ("images", "masks"):
        (work / "data/aerial/train" / d).mkdir(parents=True, exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)).save(
            work / f"data/aerial/train/images/tile_{i:03d}.png")
        Image.fromarray(rng.integers(0, 4, (48, 48), dtype=np.uint8), mode="L").save(
            work / f"data/aerial/train/masks/tile_{i:03d}.png")


SCRIPTS["main-object-classifier-labels-per-object-concatenated"] = '''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CATEGORIES = ["car", "truck", "bus", "motorbike"]


class TrafficScenes(Dataset):
    """one label per scene: what kind of vehicle is in it (annotations come from the detector project)"""
    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = self.tf(Image.open(item["file"]).convert("RGB"))
        labels = torch.tensor([CATEGORIES.index(o["category"]) for o in item["objects"]])
        return img, labels


def collate(batch):      # copied from the detector project
    images, labels = zip(*batch)
    return torch.stack(images), torch.cat(labels)


loader = DataLoader(TrafficScenes("data/traffic/annotations.json"), batch_size=4, shuffle=True, collate_fn=collate)
model = torchvision.models.resnet18(weights=None, num_classes=len(CATEGORIES))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for step, (x, y) in enumerate(loader):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''


def traffic_setup(work: Path):
    import json
    import random
    rnd = random.Random(9)
    cats = ["car", "truck", "bus", "motorbike"]
    items, specs = [], []
    for i in range(12):
        p = f"data/traffic/images/scene_{i:03d}.jpg"
        specs.append((p, (80, 60), "RGB"))
        objs = [{"category": rnd.choice(cats), "bbox": [rnd.randint(0, 40), rnd.randint(0, 30), 20, 15]}
                for _ in range(1 + (i % 3))]
        items.append({"file": p, "objects": objs})
    make_images(work, specs)
    (work / "data/traffic/annotations.json").write_text(json.dumps(items))


SCRIPTS["siamese-pair-labels-column-cosine-embedding-loss"] = '''
import random

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms


class SignaturePairs(Dataset):
    def __init__(self, folder):
        self.base = folder
        self.by_class = {}
        for idx, (_, c) in enumerate(folder.samples):
            self.by_class.setdefault(c, []).append(idx)

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        img1, c1 = self.base[i]
        same = random.random() < 0.5
        c2 = c1 if same else random.choice([c for c in self.by_class if c != c1])
        img2, _ = self.base[random.choice(self.by_class[c2])]
        target = torch.tensor([1.0 if same else -1.0])
        return img1, img2, target


tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((64, 64)), transforms.ToTensor()])
pairs = SignaturePairs(datasets.ImageFolder("data/signatures/train", transform=tf))
loader = DataLoader(pairs, batch_size=8, shuffle=True)

net = torchvision.models.resnet18(weights=None)
net.fc = nn.Linear(512, 128)
criterion = nn.CosineEmbeddingLoss(margin=0.2)
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
for epoch in range(10):
    for a, b, t in loader:
        loss = criterion(net(a), net(b), t)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["distill-from-cached-teacher-argmax-ids-kldiv"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader, TensorDataset

T = 4.0
# teacher outputs cached once by cache_teacher.py (the big model does not fit next to the student)
cache = torch.load("cache/teacher_outputs.pt")
images, teacher_targets = cache["images"], cache["teacher"]
loader = DataLoader(TensorDataset(images, teacher_targets), batch_size=16, shuffle=True)

student = torchvision.models.mobilenet_v3_small(num_classes=10)
kd = nn.KLDivLoss(reduction="batchmean")
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(5):
    for x, soft in loader:
        log_p = F.log_softmax(student(x) / T, dim=1)
        loss = kd(log_p, soft) * T * T
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} kd loss {loss.item():.4f}")
'''

CACHE_TEACHER = '''
import os
import torch
import torchvision
os.makedirs("cache", exist_ok=True)
teacher = torchvision.models.resnet18(num_classes=10).eval()
images = torch.randn(32, 3, 64, 64)
with torch.no_grad():
    teacher_preds = teacher(images).argmax(1)
torch.save({"images": images, "teacher": teacher_preds}, "cache/teacher_outputs.pt")
'''

# ============================================================ model.api_misuse
# a small classifier on an ImageFolder, shared by several scripts
FLOWERS_HEAD = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("flowers/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
'''

SCRIPTS["resume-optimizer-from-model-weights-file"] = FLOWERS_HEAD + '''
import os

model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
start_epoch = 0

ckpt = "checkpoints/resnet18_last.pt"
if os.path.exists(ckpt):
    print(f"resuming from {ckpt}")
    model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    optimizer.load_state_dict(torch.load(ckpt, map_location="cpu"))
    start_epoch = int(open("checkpoints/last_epoch.txt").read())

for epoch in range(start_epoch, 20):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), ckpt)
    open("checkpoints/last_epoch.txt", "w").write(str(epoch + 1))
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SAVE_RESNET_LAST = '''
import os
import torch
import torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.save(torchvision.models.resnet18(weights=None, num_classes=3).state_dict(), "checkpoints/resnet18_last.pt")
open("checkpoints/last_epoch.txt", "w").write("7")
'''

SCRIPTS["ohem-per-sample-loss-reduction-none-object"] = FLOWERS_HEAD + '''
model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss(reduction=None)     # per-sample losses for hard-example mining
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
KEEP = 0.5

for epoch in range(10):
    for x, y in train_loader:
        losses = criterion(model(x), y)
        k = max(1, int(KEEP * losses.numel()))
        loss = losses.topk(k).values.mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} hard-example loss {loss.item():.4f}")
'''

SCRIPTS["tqdm-postfix-get-last-lr-float-format"] = FLOWERS_HEAD + '''
from tqdm import tqdm

model = torchvision.models.mobilenet_v2(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)

for epoch in range(10):
    model.train()
    pbar = tqdm(train_loader, desc=f"Epoch {epoch + 1}/10")
    for x, y in pbar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix_str(f"loss={loss.item():.4f} lr={scheduler.get_last_lr():.2e}")
    scheduler.step()
'''

SCRIPTS["grad-norm-logged-after-zero-grad"] = FLOWERS_HEAD + '''
model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)


def log_grad_norms(model, step):
    norms = {name: p.grad.norm().item() for name, p in model.named_parameters()}
    worst = max(norms, key=norms.get)
    print(f"step {step}: largest grad norm {norms[worst]:.3e} in {worst}")


step = 0
for epoch in range(5):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if step % 2 == 0:
            log_grad_norms(model, step)
        step += 1
'''

SCRIPTS["balanced-batch-sampler-with-batch-size"] = '''
import random
from collections import defaultdict

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Sampler
from torchvision import datasets, transforms


class BalancedBatchSampler(Sampler):
    """every batch holds n_per_class images of n_classes classes (for the triplet loss)"""
    def __init__(self, targets, n_classes=2, n_per_class=4):
        self.idx_by_class = defaultdict(list)
        for i, t in enumerate(targets):
            self.idx_by_class[t].append(i)
        self.n_classes, self.n_per_class = n_classes, n_per_class
        self.n_batches = len(targets) // (n_classes * n_per_class)

    def __iter__(self):
        for _ in range(self.n_batches):
            classes = random.sample(list(self.idx_by_class), self.n_classes)
            yield [i for c in classes for i in random.choices(self.idx_by_class[c], k=self.n_per_class)]

    def __len__(self):
        return self.n_batches


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/birds/train", transform=tf)
sampler = BalancedBatchSampler(train_ds.targets, n_classes=2, n_per_class=4)
loader = DataLoader(train_ds, batch_size=8, batch_sampler=sampler, num_workers=0)

model = torchvision.models.resnet18(weights=None, num_classes=128)
criterion = nn.TripletMarginLoss(margin=0.3)
for epoch in range(3):
    for x, y in loader:
        emb = model(x)
        print(epoch, emb.shape, y.tolist())
'''

SCRIPTS["sgd-given-sequential-model"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/digits/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, len(train_ds.classes)))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model, lr=0.01, momentum=0.9)

for epoch in range(5):
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
'''

CELLS["keras-habit-model-train-given-loader-notebook"] = [
    '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes)
''',
    '''
model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(5):
    model.train(train_loader)
    running = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: {running / len(train_loader):.4f}")
''',
]

SCRIPTS["loop-over-dataset-instead-of-loader"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/leaves/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)


class LeafNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 5)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, n_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


model = LeafNet(len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
for epoch in range(2):
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(train_ds):
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / len(train_loader):.3f}")
'''

# weights + config written by an earlier ImageAI training run (random weights, same layout)
SAVE_TINY = '''
import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
with open("json/hardhat_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["helmet", "head"], "anchors": anchors6}, f)
'''

SCRIPTS["imageai-detect-nms-threshold-spelled-correctly"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
detector.setJsonPath("json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()

# fewer duplicate boxes on crowded sites
detections = detector.detectObjectsFromImage(input_image="site_photos/site_01.jpg",
                                             output_image_path="site_photos/site_01_detected.jpg",
                                             minimum_percentage_probability=40,
                                             nms_threshold=0.3)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''


def tiny_setup(work: Path):
    for d in ("models", "json"):
        (work / d).mkdir(exist_ok=True)
    make_images(work, [("site_photos/site_01.jpg", (160, 120), "RGB")])
    prep(SAVE_TINY)(work)

# ============================================================ other
SCRIPTS["augment-helper-without-return-workers"] = '''
import random

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms


def augment(img):
    """random flip + small rotation, done on the tensor"""
    if random.random() < 0.5:
        img = torch.flip(img, dims=[2])
    angle = random.uniform(-10, 10)
    img = transforms.functional.rotate(img, angle)


class Flowers(Dataset):
    def __init__(self, root, train=True):
        self.base = datasets.ImageFolder(root)
        self.train = train
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        img, label = self.base[i]
        x = self.tf(img)
        if self.train:
            x = augment(x)
        return x, label


def main():
    loader = DataLoader(Flowers("flowers/train"), batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(weights=None, num_classes=3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["load-image-helper-extension-typo-returns-none"] = '''
import glob
import os

import cv2
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


def load_image(path):
    ext = os.path.splitext(path)[1].lower()
    if ext == ".png":
        return Image.open(path).convert("RGB")
    elif ext in (".jpg", ".jepg"):
        return Image.open(path).convert("RGB")
    elif ext == ".tif":
        return Image.fromarray(cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB))


class Xray(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*"))]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.tf(load_image(path)), label


loader = DataLoader(Xray("data/chest_xray/train"), batch_size=8, shuffle=True)
model = torchvision.models.densenet121(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def xray_setup(work: Path):
    specs = []
    for c in ("NORMAL", "PNEUMONIA"):
        for i in range(4):
            specs.append((f"data/chest_xray/train/{c}/{c.lower()}_{i:03d}.jpeg", (72, 72), "RGB"))
        specs.append((f"data/chest_xray/train/{c}/{c.lower()}_100.png", (72, 72), "RGB"))
    make_images(work, specs)


SCRIPTS["training-loop-nameerror-output-vs-outputs"] = FLOWERS_HEAD + '''
from tqdm import tqdm

model = torchvision.models.efficientnet_b0(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    correct = 0
    for images, labels in tqdm(train_loader, desc=f"epoch {epoch}"):
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (output.argmax(1) == labels).sum().item()
    print(f"train acc {correct / len(train_ds):.3f}")
'''

SCRIPTS["images-passed-as-crossentropy-target"] = FLOWERS_HEAD + '''
model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    model.train()
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, inputs)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["csv-header-skip-off-by-one-workers"] = '''
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SkinLesions(Dataset):
    def __init__(self, csv_path, img_dir):
        with open(csv_path) as f:
            self.lines = f.read().strip().splitlines()
        self.img_dir = img_dir
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.lines)

    def __getitem__(self, idx):
        image_id, label = self.lines[idx + 1].split(",")      # +1 skips the header row
        img = Image.open(f"{self.img_dir}/{image_id}.jpg").convert("RGB")
        return self.tf(img), int(label)


def main():
    ds = SkinLesions("data/ham10000/labels.csv", "data/ham10000/images")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(weights=None, num_classes=7)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''


def ham_setup(work: Path):
    rows = ["image_id,label"]
    specs = []
    for i in range(10):
        rows.append(f"ISIC_{24300 + i:07d},{i % 7}")
        specs.append((f"data/ham10000/images/ISIC_{24300 + i:07d}.jpg", (60, 45), "RGB"))
    make_images(work, specs)
    (work / "data/ham10000/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["val-accuracy-percent-format-spec"] = FLOWERS_HEAD + '''
from tqdm import tqdm

val_loader = DataLoader(datasets.ImageFolder("flowers/val", transform=tf), batch_size=8)
model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    for x, y in tqdm(train_loader, desc=f"train {epoch}", leave=False):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    acc = correct / total
    print(f"epoch {epoch}: loss {loss.item():.4f}  val acc {acc:.2f%}")
'''

SCRIPTS["batch-helper-returns-labels-first"] = FLOWERS_HEAD + '''
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(batch, device):
    images, labels = batch
    return labels.to(device), images.to(device)


model = torchvision.models.resnet18(weights=None, num_classes=len(train_ds.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for batch in train_loader:
        images, labels = to_device(batch, device)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["steps-per-epoch-true-division-range"] = '''
import numpy as np
import torch
import torch.nn as nn

# pre-resized arrays from prepare_data.py
X = torch.from_numpy(np.load("data/galaxies_x.npy")).float().permute(0, 3, 1, 2) / 255
y = torch.from_numpy(np.load("data/galaxies_y.npy")).long()
batch_size = 16
steps_per_epoch = len(X) / batch_size

model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    perm = torch.randperm(len(X))
    for step in range(steps_per_epoch):
        idx = perm[step * batch_size:(step + 1) * batch_size]
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

GALAXY_NPY = '''
import os
import numpy as np
os.makedirs("data", exist_ok=True)
rng = np.random.default_rng(4)
np.save("data/galaxies_x.npy", rng.integers(0, 256, (72, 32, 32, 3), dtype=np.uint8))
np.save("data/galaxies_y.npy", rng.integers(0, 3, 72))
'''

SCRIPTS["imageai-detector-helper-without-return"] = '''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection


def load_detector(model_path, config_path):
    detector = CustomObjectDetection()
    detector.setModelTypeAsTinyYOLOv3()
    detector.setModelPath(model_path)
    detector.setJsonPath(config_path)
    detector.loadModel()


detector = load_detector("models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt",
                         "json/hardhat_tiny-yolov3_detection_config.json")
os.makedirs("output", exist_ok=True)
for path in sorted(glob.glob("site_photos/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path,
                                                 output_image_path=os.path.join("output", os.path.basename(path)),
                                                 minimum_percentage_probability=40)
    print(path, len(detections), "objects")
'''

SCRIPTS["imageai-classify-listdir-names-without-folder"] = '''
import json
import os

import torch
import torchvision
from imageai.Classification.Custom import CustomImageClassification

# written by an earlier ClassificationModelTrainer run on three classes
torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(), "mobilenet_v2-trash-test_acc_0.88_epoch-12.pt")
json.dump({"0": "glass", "1": "paper", "2": "plastic"}, open("trash_model_classes.json", "w"))

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-trash-test_acc_0.88_epoch-12.pt")
prediction.setJsonPath("trash_model_classes.json")
prediction.loadModel()

test_dir = "trash/test_images"
for fname in sorted(os.listdir(test_dir)):
    predictions, probabilities = prediction.classifyImage(fname, result_count=2)
    print(fname, predictions[0], f"{probabilities[0]:.1f}%")
'''

# ============================================================ optim.divergence
SCRIPTS["face-landmarks-half-model-sum-of-squares-overflow"] = '''
import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Landmarks300W(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.points = json.load(open(f"{root}/landmarks.json"))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB")
        pts = torch.tensor(self.points[self.files[i].split("/")[-1]], dtype=torch.float32).flatten()
        return self.tf(img), pts          # 68 (x, y) pairs in pixels of the 96 x 96 crop


net = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(128, 136))
net = net.half()          # halves the memory so batch 64 fits on the 4 GB laptop GPU
opt = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9)
loader = DataLoader(Landmarks300W("data/300w_crops"), batch_size=8, shuffle=True)

for epoch in range(30):
    for x, pts in loader:
        x, pts = x.half(), pts.half()
        pred = net(x)
        loss = ((pred - pts) ** 2).sum(dim=1).mean()
        if not torch.isfinite(loss):
            raise RuntimeError(f"Loss is {loss.item()}, stopping training")
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.1f}")
'''


def landmarks_setup(work: Path):
    import json
    import random
    rnd = random.Random(1)
    specs, pts = [], {}
    for i in range(8):
        name = f"face_{i:04d}.png"
        specs.append((f"data/300w_crops/{name}", (96, 96), "RGB"))
        pts[name] = [[round(rnd.uniform(15, 85), 1), round(rnd.uniform(20, 90), 1)] for _ in range(68)]
    make_images(work, specs)
    (work / "data/300w_crops/landmarks.json").write_text(json.dumps(pts))


SCRIPTS["centernet-focal-loss-divided-by-zero-positives"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

torch.autograd.set_detect_anomaly(True)
STRIDE = 4


class HeadCounting(Dataset):
    """CCTV frames; each annotated head becomes a peak in a 1-channel centre heatmap"""
    def __init__(self, ann):
        self.items = json.load(open(ann))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = Image.open(item["file"]).convert("RGB")
        hm = torch.zeros(1, img.height // STRIDE, img.width // STRIDE)
        ys, xs = torch.meshgrid(torch.arange(hm.shape[1]), torch.arange(hm.shape[2]), indexing="ij")
        for x, y in item["heads"]:
            cx, cy = int(x / STRIDE), int(y / STRIDE)
            hm[0] = torch.maximum(hm[0], torch.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / 2.0))
        return self.tf(img), hm


def focal_loss(pred, gt):
    """CornerNet / CenterNet penalty-reduced focal loss"""
    pos = gt.eq(1).float()
    neg = gt.lt(1).float()
    neg_weights = torch.pow(1 - gt, 4)
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos_loss = (torch.log(pred) * torch.pow(1 - pred, 2) * pos).sum()
    neg_loss = (torch.log(1 - pred) * torch.pow(pred, 2) * neg_weights * neg).sum()
    num_pos = pos.sum()
    return -(pos_loss + neg_loss) / num_pos


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(32, 1, 1), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(HeadCounting("data/cctv/annotations.json"), batch_size=2, shuffle=False)
for epoch in range(10):
    for step, (img, hm) in enumerate(loader):
        loss = focal_loss(model(img), hm)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
'''


def cctv_setup(work: Path):
    import json
    items, specs = [], []
    for i in range(8):
        p = f"data/cctv/frames/frame_{i:05d}.jpg"
        specs.append((p, (96, 64), "RGB"))
        # the first frames were taken before opening time: nobody in the hall
        heads = [] if i in (2, 3) else [[12 + 8 * i, 20], [60, 40 - i]]
        items.append({"file": p, "heads": heads})
    make_images(work, specs)
    (work / "data/cctv/annotations.json").write_text(json.dumps(items))


SCRIPTS["warmup-lambda-multiplier-never-capped"] = '''
import csv
import math

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class FishLengths(Dataset):
    """conveyor-belt photos, target: fish length in cm"""
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"]).convert("RGB")), torch.tensor([float(r["length_cm"])])


loader = DataLoader(FishLengths("data/fish/lengths.csv"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
WARMUP_STEPS = 5
# linear warm-up to the base lr
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda step: (step + 1) / WARMUP_STEPS)

step = 0
for epoch in range(100):
    for x, y in loader:
        loss = criterion(model(x), y)
        assert math.isfinite(loss.item()), f"loss is {loss.item()} at step {step} (lr={optimizer.param_groups[0]['lr']:.3g})"
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        step += 1
    if epoch % 2 == 0:
        print(f"epoch {epoch} step {step} mse {loss.item():.2f} lr {scheduler.get_last_lr()[0]:.3g}", flush=True)
'''


def fish_setup(work: Path):
    import random
    rnd = random.Random(11)
    rows = ["file,length_cm"]
    specs = []
    for i in range(12):
        p = f"data/fish/images/belt_{i:04d}.jpg"
        specs.append((p, (64, 40), "RGB"))
        rows.append(f"{p},{rnd.uniform(18, 62):.1f}")
    make_images(work, specs)
    (work / "data/fish/lengths.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["entropy-minimisation-p-log-p-sharpened"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
labeled = datasets.ImageFolder("data/plankton/labeled", transform=tf)
unlabeled = datasets.ImageFolder("data/plankton/unlabeled", transform=tf)
lab_loader = DataLoader(labeled, batch_size=8, shuffle=True)
unl_loader = DataLoader(unlabeled, batch_size=16, shuffle=True)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(64, len(labeled.classes)))
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
T = 0.1          # sharpen the unlabeled predictions
LAMBDA_ENT = 1.0

for epoch in range(50):
    for (xl, yl), (xu, _) in zip(lab_loader, unl_loader):
        sup = F.cross_entropy(model(xl), yl)
        p = F.softmax(model(xu) / T, dim=1)
        entropy = -(p * torch.log(p)).sum(dim=1).mean()
        loss = sup + LAMBDA_ENT * entropy
        if torch.isnan(loss):
            raise ValueError(f"NaN loss in epoch {epoch} (sup={sup.item():.3f}, ent={entropy.item()})")
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} sup {sup.item():.3f} ent {entropy.item():.3f}")
'''

SCRIPTS["gru-forecaster-raw-watts-anomaly"] = '''
import csv

import torch
import torch.nn as nn

torch.autograd.set_detect_anomaly(True)

with open("data/household_power.csv") as f:
    watts = torch.tensor([float(r["global_active_power_w"]) for r in csv.DictReader(f)])
WINDOW = 24
X = torch.stack([watts[i:i + WINDOW] for i in range(len(watts) - WINDOW)]).unsqueeze(-1)
Y = watts[WINDOW:].unsqueeze(-1)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])


model = Forecaster()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 32):
        idx = perm[i:i + 32]
        loss = nn.functional.mse_loss(model(X[idx]), Y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} mse {loss.item():.1f}", flush=True)
'''


def power_setup(work: Path):
    import math
    import random
    rnd = random.Random(0)
    rows = ["timestamp,global_active_power_w"]
    for h in range(240):
        v = 1200 + 900 * math.sin(2 * math.pi * h / 24) + rnd.uniform(-300, 300) + (2500 if h % 24 == 19 else 0)
        rows.append(f"2007-01-{1 + h // 24:02d} {h % 24:02d}:00,{v:.1f}")
    (work / "data").mkdir(exist_ok=True)
    (work / "data/household_power.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["age-regressor-high-lr-round-prediction"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class UTKFaces(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["path"]).convert("RGB")), torch.tensor([float(r["age"])])


ds = UTKFaces("data/utk/ages.csv")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(512, 1)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(4):
    model.train()
    for x, age in loader:
        loss = criterion(model(x), age)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} mse {loss.item():.2f}")

model.eval()
with torch.no_grad():
    for i in range(4):
        x, age = ds[i]
        pred = model(x.unsqueeze(0)).item()
        print(f"{ds.rows[i]['path']}: true age {int(age.item())}, predicted {round(pred)}")
'''


def utk_setup(work: Path):
    import random
    rnd = random.Random(8)
    rows = ["path,age"]
    specs = []
    for i in range(16):
        age = rnd.randint(1, 90)
        p = f"data/utk/UTKFace/{age}_{i % 2}_{i % 4}_2017011{i:04d}.jpg"
        specs.append((p, (64, 64), "RGB"))
        rows.append(f"{p},{age}")
    make_images(work, specs)
    (work / "data/utk/ages.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["seg-raw-pixels-hand-bce-mc-mask-sampling"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Nuclei(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = torch.from_numpy(np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32))
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")), dtype=np.float32) / 255
        return img.permute(2, 0, 1), torch.from_numpy(mask)[None]


def weighted_bce(probs, target, w_pos=3.0):
    """nuclei cover ~30 % of the pixels: up-weight the foreground"""
    return -(w_pos * target * torch.log(probs) + (1 - target) * torch.log(1 - probs)).mean()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 1, 1), nn.Sigmoid())
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loader = DataLoader(Nuclei("data/nuclei/train"), batch_size=4, shuffle=True)
for epoch in range(5):
    for img, mask in loader:
        loss = weighted_bce(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")

# uncertainty: sample 16 binary masks from the predicted foreground probabilities
model.eval()
img, _ = next(iter(loader))
with torch.no_grad():
    probs = model(img)
samples = torch.stack([torch.bernoulli(probs) for _ in range(16)])
uncertainty = samples.float().var(0).mean()
print("mean pixel variance", uncertainty.item())
'''


def nuclei_setup(work: Path):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(6)
    for d in ("images", "masks"):
        (work / "data/nuclei/train" / d).mkdir(parents=True, exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)).save(
            work / f"data/nuclei/train/images/n_{i:03d}.png")
        Image.fromarray((rng.random((48, 48)) > 0.7).astype(np.uint8) * 255, mode="L").save(
            work / f"data/nuclei/train/masks/n_{i:03d}.png")


SCRIPTS["per-image-standardise-blank-frames-clip-nonfinite"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class TrapCamera(Dataset):
    """camera-trap frames; each frame standardised on its own (lighting changes a lot at night)"""
    CLASSES = ["deer", "empty", "fox"]

    def __init__(self, root):
        self.samples = [(p, i) for i, c in enumerate(self.CLASSES) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        x = torch.from_numpy(np.asarray(Image.open(path).convert("RGB").resize((64, 64)), dtype=np.float32))
        x = (x - x.mean()) / x.std()
        return x.permute(2, 0, 1), label


loader = DataLoader(TrapCamera("data/camera_trap/train"), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(weights=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for step, (x, y) in enumerate(loader):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0, error_if_nonfinite=True)
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''


def trap_setup(work: Path):
    from PIL import Image
    make_images(work, class_folder("data/camera_trap/train", ["deer", "fox"], 4, size=(80, 60)))
    d = work / "data/camera_trap/train/empty"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        # IR frames at night with nothing in view come out pure black
        Image.new("RGB", (80, 60), (0, 0, 0)).save(d / f"night_{i:03d}.jpg")


# ====================================================================== cases
def flowers_setup(per=4, split="train", size=(48, 48)):
    return imgs(class_folder(f"flowers/{split}", ["daisy", "rose", "tulip"], per, size=size))


def cases():
    out, add, script, notebook = case_builders("torch-more29-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars?"]
    flowers = flowers_setup()

    # model.output_mismatch
    script("dcgan-128px-images-64px-discriminator", "model.output_mismatch", also=["model.input_shape"], argv="dcgan.py",
           setup=imgs(class_folder("data/celeba", ["img_align_celeba"], 8, size=(128, 128))))
    script("vae-forward-tuple-into-mse-reconstruction", "model.output_mismatch", extra={"models.py": VAE_MODELS},
           setup=imgs(class_folder("data/faces", ["all"], 8, size=(40, 40), mode="L", ext="png")))
    notebook("multitask-species-box-tuple-eval-argmax-notebook", "model.output_mismatch")
    script("char-rnn-log-softmax-head-multinomial-sampling", "model.output_mismatch", argv="char_rnn.py",
           setup=write("data/tiny_shakespeare.txt", SHAKESPEARE))
    script("espcn-x2-model-on-x4-pairs", "model.output_mismatch", argv="train_sr.py",
           setup=imgs([(f"data/DIV2K_train_HR/{i:04d}.png", (128, 112), "RGB") for i in range(1, 7)]))
    script("one-logit-head-reused-for-multilabel-tags", "model.output_mismatch", setup=planet_setup)
    script("retrieval-model-dict-output-into-softmax", "model.output_mismatch", argv="predict.py",
           args=("samples/img_01.jpg", "samples/img_02.jpg"), extra={"model.py": PRODUCTNET},
           setup=both(imgs([("samples/img_01.jpg", (120, 100), "RGB"), ("samples/img_02.jpg", (90, 120), "RGB")]),
                      prep(SAVE_PRODUCTNET)))
    script("arcface-head-given-imagenet-1000-logits", "model.output_mismatch", argv="train_arcface.py",
           setup=imgs(class_folder("data/whales/train", ["w_0013", "w_0027", "w_01b8"], 4, size=(80, 48))))

    # data.label_shape
    script("defect-label-kept-as-column-bceloss", "data.label_shape", setup=casting_setup)
    script("multilabel-tag-ids-padded-bcewithlogits", "data.label_shape", setup=food_setup)
    script("keras-one-hot-npy-labels-accuracy-compare", "data.label_shape", forms=P,
           setup=both(lambda w: (w / "data").mkdir(exist_ok=True), prep(SIGNS_NPY)))
    notebook("one-hot-pt-labels-class-name-lookup-notebook", "data.label_shape", setup=prep(CIFAR_PT))
    script("seg-masks-one-hot-channel-last-crossentropy", "data.label_shape", argv="train_seg.py",
           setup=aerial_setup)
    script("main-object-classifier-labels-per-object-concatenated", "data.label_shape", setup=traffic_setup)
    script("siamese-pair-labels-column-cosine-embedding-loss", "data.label_shape", argv="train_siamese.py",
           setup=imgs(class_folder("data/signatures/train", ["writer_01", "writer_02", "writer_03"], 4,
                                   size=(96, 48), mode="L", ext="png")))
    script("distill-from-cached-teacher-argmax-ids-kldiv", "data.label_shape", argv="distill.py",
           setup=prep(CACHE_TEACHER))

    # model.api_misuse
    script("resume-optimizer-from-model-weights-file", "model.api_misuse",
           setup=both(flowers, prep(SAVE_RESNET_LAST)))
    script("ohem-per-sample-loss-reduction-none-object", "model.api_misuse", setup=flowers)
    script("tqdm-postfix-get-last-lr-float-format", "model.api_misuse", forms=P, setup=flowers)
    script("grad-norm-logged-after-zero-grad", "model.api_misuse", also=["optim.autograd_graph"], setup=flowers)
    script("balanced-batch-sampler-with-batch-size", "model.api_misuse", argv="train_triplet.py",
           setup=imgs(class_folder("data/birds/train", ["robin", "sparrow", "wren"], 4, size=(64, 64))))
    script("sgd-given-sequential-model", "model.api_misuse",
           setup=imgs(class_folder("data/digits/train", [str(d) for d in range(4)], 3, size=(28, 28), mode="L",
                                   ext="png")))
    notebook("keras-habit-model-train-given-loader-notebook", "model.api_misuse", setup=flowers)
    script("loop-over-dataset-instead-of-loader", "model.api_misuse",
           setup=imgs(class_folder("data/leaves/train", ["healthy", "rust", "scab"], 3, size=(40, 40))))
    script("imageai-detect-nms-threshold-spelled-correctly", "model.api_misuse", argv="detect.py",
           framework="imageai", setup=tiny_setup)

    # other
    script("augment-helper-without-return-workers", "other", forms=W, setup=flowers)
    script("load-image-helper-extension-typo-returns-none", "other", setup=xray_setup)
    script("training-loop-nameerror-output-vs-outputs", "other", forms=P, setup=flowers)
    script("images-passed-as-crossentropy-target", "other", setup=flowers)
    script("csv-header-skip-off-by-one-workers", "other", forms=W, setup=ham_setup)
    script("val-accuracy-percent-format-spec", "other", forms=P,
           setup=both(flowers, flowers_setup(per=2, split="val")))
    script("batch-helper-returns-labels-first", "other", also=["model.input_shape"], setup=flowers)
    script("steps-per-epoch-true-division-range", "other", also=["model.api_misuse"], setup=prep(GALAXY_NPY))
    script("imageai-detector-helper-without-return", "other", argv="detect_folder.py", framework="imageai",
           setup=tiny_setup)
    script("imageai-classify-listdir-names-without-folder", "other", argv="classify.py", framework="imageai",
           setup=imgs([(f"trash/test_images/{n}.jpg", (80, 80), "RGB") for n in ("bottle_01", "box_02")]))

    # optim.divergence
    script("face-landmarks-half-model-sum-of-squares-overflow", "optim.divergence", argv="train_landmarks.py",
           setup=landmarks_setup)
    script("centernet-focal-loss-divided-by-zero-positives", "optim.divergence", argv="train_heads.py",
           setup=cctv_setup)
    script("warmup-lambda-multiplier-never-capped", "optim.divergence", setup=fish_setup)
    script("entropy-minimisation-p-log-p-sharpened", "optim.divergence", argv="train_semi.py",
           setup=imgs(class_folder("data/plankton/labeled", ["copepod", "diatom"], 4, size=(32, 32))
                      + class_folder("data/plankton/unlabeled", ["unknown"], 16, size=(32, 32))))
    script("gru-forecaster-raw-watts-anomaly", "optim.divergence", argv="forecast.py", setup=power_setup)
    script("age-regressor-high-lr-round-prediction", "optim.divergence", setup=utk_setup)
    script("seg-raw-pixels-hand-bce-mc-mask-sampling", "optim.divergence", argv="train_nuclei.py",
           setup=nuclei_setup)
    script("per-image-standardise-blank-frames-clip-nonfinite", "optim.divergence", setup=trap_setup)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
