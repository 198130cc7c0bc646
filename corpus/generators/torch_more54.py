"""A fifty-fourth held-out set (g106, scored 0.88 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: people training image models that are not plain classifiers: GANs (DCGAN, pix2pix, CycleGAN-style,
WGAN-GP), VAEs, siamese and triplet networks for signature / face verification, OCR with a CRNN and CTC, image
captioning with a CNN encoder and an LSTM / transformer decoder, video action recognition on frame folders and
super-resolution (SRCNN, EDSR). A natural mix of causes, each program built so that its cause is known by
construction; none a repeat of the scenarios in the other generators:

- data: a pix2pix ``facades`` folder of side-by-side A|B files holding one plain photo (in workers), LFW
  ``pairs.txt`` image numbers joined without their zero padding (in workers), UCF101 ``trainlist01.txt`` class
  ids kept 1-based for an ``r3d_18`` head (tqdm), captions fed as ``captions[:, :-1]`` but scored against the
  whole caption (notebook), a Y-channel SRCNN checkpoint given an RGB photo, CTC ``input_lengths`` built as
  ``torch.ones(B) * T`` (tqdm);
- model: a pix2pix ``unet_256`` generator (eight downsamplings) on 128 px crops, a transformer caption decoder
  fed batch-first tensors without ``batch_first=True``, a siamese signature verifier whose Euclidean distance
  goes into ``BCELoss`` (tqdm), a CRNN licence-plate reader given 64 px high crops, an EDSR x2 release
  checkpoint loaded into the x4 model, a DCGAN sampling notebook loading the training checkpoint dict (G, D and
  both optimizers) into the generator, ``mvit_v2_s`` fine-tuned on the 112 px clips of an R3D recipe;
- optimisation: a WGAN-GP gradient penalty taken with ``autograd.grad`` without ``grad_outputs`` (tqdm), a
  CycleGAN loop whose discriminators stay frozen after the generator step, a vanilla GAN with a hand-written
  ``log(D(x))`` loss on raw 0-255 pixels at a high learning rate (anomaly mode);
- resource / environment: EDSR validation on whole DIV2K-sized images without tiling under a job memory limit,
  a pix2pix-style model wrapping G and D in one ``DistributedDataParallel`` (torchrun), a frame-folder dataset
  holding an OpenCV MOG2 background subtractor under spawn workers, a caption checkpoint that bundles the
  ``Vocabulary`` object under the ``weights_only`` default, pix2pix-style options whose ``--gpu_ids`` default
  of ``0`` meets a laptop without a GPU;
- plain bugs: a CycleGAN unaligned dataset indexing domain B with the index of the longer domain A (in workers),
  a VAE splitting its encoder output with ``chunk(2)`` along the batch, a triplet embedding L2-normalised without
  ``keepdim`` (tqdm).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: "release"
checkpoints are files an earlier step left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more54.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more54.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["pix2pix-facades-aligned-folder-one-plain-photo-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


class AlignedDataset(Dataset):
    """pix2pix 'aligned' layout: every file holds A and B side by side (A|B)"""

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        AB = Image.open(self.paths[i]).convert("RGB")
        w, h = AB.size
        w2 = w // 2
        A = AB.crop((0, 0, w2, h))
        B = AB.crop((w2, 0, w, h))
        return {"A": self.tf(A), "B": self.tf(B), "path": self.paths[i]}


def block(i, o, norm=True):
    layers = [nn.Conv2d(i, o, 4, 2, 1)]
    if norm:
        layers.append(nn.BatchNorm2d(o))
    return layers + [nn.LeakyReLU(0.2)]


def main():
    ds = AlignedDataset("datasets/facades/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    G = nn.Sequential(*block(3, 32, False), *block(32, 64), nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                      nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
    D = nn.Sequential(*block(6, 32, False), *block(32, 64), nn.Conv2d(64, 1, 4, 1, 1))
    optG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
    gan, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
    print(f"{len(ds)} training pairs")
    for epoch in range(1, 6):
        for batch in loader:
            real_A, real_B = batch["A"], batch["B"]
            fake_B = G(real_A)
            pred_fake = D(torch.cat([real_A, fake_B.detach()], 1))
            pred_real = D(torch.cat([real_A, real_B], 1))
            loss_D = 0.5 * (gan(pred_fake, torch.zeros_like(pred_fake)) + gan(pred_real, torch.ones_like(pred_real)))
            optD.zero_grad()
            loss_D.backward()
            optD.step()
            pred_fake = D(torch.cat([real_A, fake_B], 1))
            loss_G = gan(pred_fake, torch.ones_like(pred_fake)) + 100 * l1(fake_B, real_B)
            optG.zero_grad()
            loss_G.backward()
            optG.step()
        print(f"epoch {epoch}: D {loss_D.item():.3f} G {loss_G.item():.3f}")


if __name__ == "__main__":
    main()
'''

FACADES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("datasets/facades/train", exist_ok=True)
for i in range(1, 12):
    a = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)       # label map
    b = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)       # photo
    Image.fromarray(np.concatenate([a, b], axis=1)).save(f"datasets/facades/train/{i}.jpg", quality=92)
# a facade photo I took myself, dropped into the folder to "add more data"
Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save("datasets/facades/train/my_street_01.jpg")
'''

SCRIPTS["lfw-pairs-txt-image-numbers-without-zero-padding-workers"] = '''
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

LFW = "data/lfw-deepfunneled"


class LFWPairs(Dataset):
    """the standard verification protocol: pairs.txt, 'name n1 n2' (same) or 'name1 n1 name2 n2' (different)"""

    def __init__(self, root, pairs_file, tf):
        with open(pairs_file) as f:
            f.readline()                      # "<folds>\\t<pairs per fold>"
            self.pairs = [line.split() for line in f if line.strip()]
        self.root, self.tf = root, tf

    def __len__(self):
        return len(self.pairs)

    def path(self, name, num):
        return os.path.join(self.root, name, f"{name}_{num}.jpg")

    def __getitem__(self, i):
        p = self.pairs[i]
        if len(p) == 3:
            a, b, same = self.path(p[0], p[1]), self.path(p[0], p[2]), 1
        else:
            a, b, same = self.path(p[0], p[1]), self.path(p[2], p[3]), 0
        load = lambda q: self.tf(Image.open(q).convert("RGB"))  # noqa: E731
        return load(a), load(b), same


def main():
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
    pairs = LFWPairs(LFW, "data/pairs.txt", tf)
    loader = DataLoader(pairs, batch_size=8, num_workers=2)
    net = models.resnet18(weights=None, num_classes=128)     # embedding net trained on CASIA-WebFace
    net.eval()
    sims, labels = [], []
    with torch.no_grad():
        for a, b, same in loader:
            sims.append(F.cosine_similarity(net(a), net(b)))
            labels.append(same)
    sims, labels = torch.cat(sims), torch.cat(labels)
    acc = max(((sims > t) == labels.bool()).float().mean().item() for t in torch.linspace(-1, 1, 201))
    print(f"LFW verification accuracy: {acc:.4f}")


if __name__ == "__main__":
    main()
'''

LFW_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
people = {"Abel_Pacheco": 4, "Akhmed_Zakayev": 3, "Amber_Tamblyn": 2, "Anders_Fogh_Rasmussen": 4, "Angela_Bassett": 5}
for name, n in people.items():
    os.makedirs(f"data/lfw-deepfunneled/{name}", exist_ok=True)
    for k in range(1, n + 1):
        arr = rng.integers(0, 256, (125, 125, 3), dtype=np.uint8)
        Image.fromarray(arr).save(f"data/lfw-deepfunneled/{name}/{name}_{k:04d}.jpg")
lines = ["1\\t6",
         "Abel_Pacheco\\t1\\t4", "Akhmed_Zakayev\\t1\\t3", "Angela_Bassett\\t2\\t5",
         "Abel_Pacheco\\t1\\tAmber_Tamblyn\\t2", "Akhmed_Zakayev\\t2\\tAngela_Bassett\\t1",
         "Anders_Fogh_Rasmussen\\t3\\tAmber_Tamblyn\\t1"]
open("data/pairs.txt", "w").write("\\n".join(lines) + "\\n")
'''

SCRIPTS["ucf101-trainlist-one-based-class-ids-r3d18-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.video import r3d_18
from tqdm import tqdm

FRAMES = "UCF101_frames"          # extracted with ffmpeg: <video name>/frame_00001.jpg ...
SPLITS = "ucfTrainTestlist"
CLIP_LEN = 8


class FrameFolderClips(Dataset):
    def __init__(self, split_file, tf):
        self.items = []
        with open(split_file) as f:
            for line in f:
                video, label = line.split()         # ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1
                name = os.path.splitext(os.path.basename(video))[0]
                self.items.append((os.path.join(FRAMES, name), int(label)))
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        folder, label = self.items[i]
        frames = sorted(glob.glob(os.path.join(folder, "*.jpg")))
        step = max(1, len(frames) // CLIP_LEN)
        clip = [self.tf(Image.open(p).convert("RGB")) for p in frames[::step][:CLIP_LEN]]
        return torch.stack(clip, dim=1), label        # C, T, H, W


classes = [line.split()[1] for line in open(os.path.join(SPLITS, "classInd.txt"))]
tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.43, 0.40, 0.37], [0.23, 0.22, 0.22])])
train_set = FrameFolderClips(os.path.join(SPLITS, "trainlist01.txt"), tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True)
model = r3d_18(weights=None, num_classes=len(classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
print(f"{len(train_set)} clips, {len(classes)} classes: {classes}")
for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for clips, labels in pbar:
        loss = criterion(model(clips), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

UCF_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
classes = ["ApplyEyeMakeup", "Archery", "BalanceBeam"]
os.makedirs("ucfTrainTestlist", exist_ok=True)
with open("ucfTrainTestlist/classInd.txt", "w") as f:
    for i, c in enumerate(classes, 1):
        f.write(f"{i} {c}\\n")
rows = []
for i, c in enumerate(classes, 1):
    for g in (8, 9):
        name = f"v_{c}_g{g:02d}_c01"
        os.makedirs(f"UCF101_frames/{name}", exist_ok=True)
        for k in range(1, 11):
            arr = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
            Image.fromarray(arr).save(f"UCF101_frames/{name}/frame_{k:05d}.jpg")
        rows.append(f"{c}/{name}.avi {i}")
open("ucfTrainTestlist/trainlist01.txt", "w").write("\\n".join(rows) + "\\n")
'''

CELLS["caption-lstm-inputs-shifted-targets-not-notebook"] = [
    '''
import json
import re
from collections import Counter

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

caps = json.load(open("flickr_mini/captions.json"))
counter = Counter(w for c in caps.values() for w in re.findall(r"[a-z]+", c.lower()))
itos = ["<pad>", "<start>", "<end>", "<unk>"] + sorted(counter)
stoi = {w: i for i, w in enumerate(itos)}
MAX_LEN = 12


def encode(text):
    ids = [stoi["<start>"]] + [stoi.get(w, 3) for w in re.findall(r"[a-z]+", text.lower())][:MAX_LEN - 2] + [stoi["<end>"]]
    return ids + [0] * (MAX_LEN - len(ids))


class Flickr(Dataset):
    def __init__(self, caps, tf):
        self.items = list(caps.items())
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, text = self.items[i]
        return self.tf(Image.open(f"flickr_mini/images/{name}").convert("RGB")), torch.tensor(encode(text))


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
loader = DataLoader(Flickr(caps, tf), batch_size=4, shuffle=True)
print(len(itos), "words")
''',
    '''
class CaptionModel(nn.Module):
    def __init__(self, vocab_size, embed=128, hidden=256):
        super().__init__()
        cnn = models.resnet18(weights=None)
        cnn.fc = nn.Linear(512, hidden)
        self.encoder = cnn
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=0)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, images, captions):
        h0 = self.encoder(images).unsqueeze(0)
        out, _ = self.lstm(self.embed(captions), (h0, torch.zeros_like(h0)))
        return self.out(out)


model = CaptionModel(len(itos))
criterion = nn.CrossEntropyLoss(ignore_index=0)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
''',
    '''
for epoch in range(5):
    for images, captions in loader:
        outputs = model(images, captions[:, :-1])          # teacher forcing: feed all but the last token
        loss = criterion(outputs.reshape(-1, outputs.size(-1)), captions.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
''',
]

FLICKR_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(19)
os.makedirs("flickr_mini/images", exist_ok=True)
texts = ["A dog runs across the grass .", "Two children play in the sand at the beach .",
         "A man rides a bike down a hill .", "A girl in a red coat walks in the snow .",
         "A brown dog jumps over a fence .", "People sit outside a cafe ."]
caps = {}
for i, t in enumerate(texts):
    name = f"{1000268201 + i * 7919}_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(f"flickr_mini/images/{name}")
    caps[name] = t
json.dump(caps, open("flickr_mini/captions.json", "w"), indent=1)
'''

SCRIPTS["srcnn-y-channel-checkpoint-given-rgb-photo"] = '''
import argparse

import torch
import torch.nn as nn
from PIL import Image
from torchvision.transforms.functional import to_pil_image, to_tensor


class SRCNN(nn.Module):
    def __init__(self, num_channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channels, 64, kernel_size=9, padding=9 // 2)
        self.conv2 = nn.Conv2d(64, 32, kernel_size=5, padding=5 // 2)
        self.conv3 = nn.Conv2d(32, num_channels, kernel_size=5, padding=5 // 2)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        return self.conv3(x)


ap = argparse.ArgumentParser()
ap.add_argument("--weights-file", required=True)
ap.add_argument("--image-file", required=True)
ap.add_argument("--scale", type=int, default=3)
args = ap.parse_args()

model = SRCNN()
model.load_state_dict(torch.load(args.weights_file, map_location="cpu"))
model.eval()

image = Image.open(args.image_file).convert("RGB")
w, h = image.size
bicubic = image.resize((w * args.scale, h * args.scale), resample=Image.BICUBIC)
bicubic.save(args.image_file.replace(".", f"_bicubic_x{args.scale}."))
x = to_tensor(bicubic).unsqueeze(0)
with torch.no_grad():
    preds = model(x).clamp(0.0, 1.0)
to_pil_image(preds[0]).save(args.image_file.replace(".", f"_srcnn_x{args.scale}."))
'''

SRCNN_PREP = '''
import torch
import torch.nn as nn

# srcnn_x3.pth as the training script saved it (trained on the Y channel of 91-image patches)
sd = {"conv1.weight": torch.randn(64, 1, 9, 9) * 1e-3, "conv1.bias": torch.zeros(64),
      "conv2.weight": torch.randn(32, 64, 5, 5) * 1e-3, "conv2.bias": torch.zeros(32),
      "conv3.weight": torch.randn(1, 32, 5, 5) * 1e-3, "conv3.bias": torch.zeros(1)}
torch.save(sd, "srcnn_x3.pth")
'''

SCRIPTS["crnn-ctc-input-lengths-ones-times-t-float-tqdm"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from tqdm import tqdm

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
char2idx = {c: i + 1 for i, c in enumerate(ALPHABET)}         # 0 is the CTC blank
MAX_CHARS = 8


class Plates(Dataset):
    def __init__(self, root):
        self.files = sorted(os.listdir(root))
        self.root = root
        self.tf = T.Compose([T.Grayscale(), T.Resize((32, 128)), T.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        text = self.files[i].split("_")[0]                  # AB123CD_0001.png
        target = torch.zeros(MAX_CHARS, dtype=torch.long)
        target[:len(text)] = torch.tensor([char2idx[c] for c in text])
        return self.tf(Image.open(os.path.join(self.root, self.files[i]))), target, len(text)


class CRNN(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(64, 128, 3, 1, 1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d((2, 1), (2, 1)),
            nn.Conv2d(128, 128, 3, 1, 1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d((4, 1), (4, 1)))
        self.rnn = nn.LSTM(128, 128, bidirectional=True)
        self.fc = nn.Linear(256, n_classes)

    def forward(self, x):
        f = self.cnn(x).squeeze(2).permute(2, 0, 1)        # T, B, C
        out, _ = self.rnn(f)
        return self.fc(out).log_softmax(2)


loader = DataLoader(Plates("plates/train"), batch_size=4, shuffle=True)
model = CRNN(len(ALPHABET) + 1)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, targets, target_lengths in pbar:
        log_probs = model(images)
        T_steps, B = log_probs.shape[:2]
        input_lengths = torch.ones(B) * T_steps
        loss = ctc(log_probs, targets, input_lengths, target_lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=loss.item())
'''

PLATES_PREP = '''
import os
import random
import numpy as np
from PIL import Image

rng = np.random.default_rng(23)
random.seed(23)
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
os.makedirs("plates/train", exist_ok=True)
for i in range(10):
    text = "".join(random.choice(A) for _ in range(random.choice([6, 7])))
    Image.fromarray(rng.integers(0, 256, (@@H@@, 140, 3), dtype=np.uint8)).save(f"plates/train/{text}_{i:04d}.png")
'''

# ================================================================== model
SCRIPTS["pix2pix-unet256-generator-on-128px-crops"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

LOAD_SIZE, CROP_SIZE = 143, 128      # "smaller images train faster on my laptop" (was 286 / 256)


def down(i, o, norm=True):
    layers = [nn.LeakyReLU(0.2), nn.Conv2d(i, o, 4, 2, 1, bias=False)]
    if norm:
        layers.append(nn.BatchNorm2d(o))
    return nn.Sequential(*layers)


def up(i, o, dropout=False):
    layers = [nn.ReLU(), nn.ConvTranspose2d(i, o, 4, 2, 1, bias=False), nn.BatchNorm2d(o)]
    if dropout:
        layers.append(nn.Dropout(0.5))
    return nn.Sequential(*layers)


class UnetGenerator(nn.Module):
    """the pix2pix 'unet_256' generator: 8 downsamplings, skip connections"""

    def __init__(self, ngf=16):
        super().__init__()
        c = [ngf, ngf * 2, ngf * 4, ngf * 8, ngf * 8, ngf * 8, ngf * 8, ngf * 8]
        self.downs = nn.ModuleList([nn.Conv2d(3, c[0], 4, 2, 1)] +
                                   [down(c[k - 1], c[k], norm=k < 7) for k in range(1, 8)])
        self.ups = nn.ModuleList([up(c[7], c[6], True)] +
                                 [up(c[k] * 2, c[k - 1], dropout=k > 4) for k in range(6, 0, -1)])
        self.final = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(c[0] * 2, 3, 4, 2, 1), nn.Tanh())

    def forward(self, x):
        skips = []
        for d in self.downs:
            x = d(x)
            skips.append(x)
        skips = skips[:-1][::-1]
        for u, s in zip(self.ups, skips):
            x = torch.cat([u(x), s], 1)
        return self.final(x)


class Maps(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(f"{root}/*.jpg"))
        self.tf = T.Compose([T.Resize(LOAD_SIZE), T.RandomCrop(CROP_SIZE), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        AB = Image.open(self.paths[i]).convert("RGB")
        w, h = AB.size
        return self.tf(AB.crop((0, 0, w // 2, h))), self.tf(AB.crop((w // 2, 0, w, h)))


loader = DataLoader(Maps("datasets/maps/train"), batch_size=4, shuffle=True)
G = UnetGenerator()
opt = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
l1 = nn.L1Loss()
for epoch in range(5):
    for real_A, real_B in loader:
        loss = l1(G(real_A), real_B)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

MAPS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(29)
os.makedirs("datasets/maps/train", exist_ok=True)
for i in range(1, 9):
    Image.fromarray(rng.integers(0, 256, (150, 300, 3), dtype=np.uint8)).save(f"datasets/maps/train/{i}.jpg")
'''

SCRIPTS["caption-transformer-decoder-batch-first-tensors-default-layout"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

vocab = json.load(open("coco_mini/vocab.json"))        # word -> id, built by build_vocab.py
PAD, MAX_LEN = vocab["<pad>"], 16


class CocoCaptions(Dataset):
    def __init__(self, ann, tf):
        self.items = json.load(open(ann))
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        ids = [vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in it["caption"].lower().split()] + [vocab["<end>"]]
        ids = (ids + [PAD] * MAX_LEN)[:MAX_LEN]
        return self.tf(Image.open(it["file"]).convert("RGB")), torch.tensor(ids)


class Captioner(nn.Module):
    def __init__(self, vocab_size, d_model=256):
        super().__init__()
        cnn = models.resnet18(weights=None)
        self.encoder = nn.Sequential(*list(cnn.children())[:-2])       # B, 512, h, w
        self.proj = nn.Linear(512, d_model)
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, MAX_LEN, d_model))
        layer = nn.TransformerDecoderLayer(d_model=d_model, nhead=8, dim_feedforward=512)
        self.decoder = nn.TransformerDecoder(layer, num_layers=3)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, images, tokens):
        mem = self.proj(self.encoder(images).flatten(2).transpose(1, 2))   # B, h*w, d
        tgt = self.embed(tokens) + self.pos[:, :tokens.size(1)]            # B, L, d
        mask = nn.Transformer.generate_square_subsequent_mask(tokens.size(1))
        h = self.decoder(tgt, mem, tgt_mask=mask, tgt_key_padding_mask=tokens == PAD)
        return self.out(h)


loader = DataLoader(CocoCaptions("coco_mini/train.json", T.Compose([T.Resize((128, 128)), T.ToTensor()])),
                    batch_size=4, shuffle=True)
model = Captioner(len(vocab))
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
crit = nn.CrossEntropyLoss(ignore_index=PAD)
for epoch in range(10):
    for images, caps in loader:
        logits = model(images, caps[:, :-1])
        loss = crit(logits.reshape(-1, logits.size(-1)), caps[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")
'''

COCO_CAP_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(31)
os.makedirs("coco_mini/images", exist_ok=True)
caps = ["a cat sitting on a laptop keyboard", "a plate of food with broccoli and rice",
        "a man riding a wave on top of a surfboard", "a red double decker bus on a street",
        "two giraffes standing next to a tree", "a kitchen with a stove and a sink"]
items, words = [], set()
for i, c in enumerate(caps):
    f = f"coco_mini/images/COCO_train2014_{i + 9:012d}.jpg"
    Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(f)
    items.append({"file": f, "caption": c})
    words.update(c.split())
vocab = {w: i for i, w in enumerate(["<pad>", "<start>", "<end>", "<unk>"] + sorted(words))}
json.dump(items, open("coco_mini/train.json", "w"), indent=1)
json.dump(vocab, open("coco_mini/vocab.json", "w"))
'''

SCRIPTS["siamese-signature-euclidean-distance-into-bceloss-tqdm"] = '''
import csv
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

random.seed(0)
torch.manual_seed(0)


class SignaturePairs(Dataset):
    """CEDAR-style pairs: genuine/genuine -> 1, genuine/forged -> 0"""

    def __init__(self, csv_file, tf):
        with open(csv_file) as f:
            self.rows = [(r["a"], r["b"], float(r["same"])) for r in csv.DictReader(f)]
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        a, b, same = self.rows[i]
        return self.tf(Image.open(a).convert("RGB")), self.tf(Image.open(b).convert("RGB")), torch.tensor(same)


class SiameseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = models.resnet18(weights=None, num_classes=128)     # shared twin

    def forward(self, a, b):
        return self.cnn(a), self.cnn(b)


tf = T.Compose([T.Resize((64, 128)), T.ToTensor()])
loader = DataLoader(SignaturePairs("signatures/pairs.csv", tf), batch_size=8, shuffle=True)
net = SiameseNet()
criterion = nn.BCELoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(5):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for a, b, same in pbar:
        e1, e2 = net(a, b)
        distance = F.pairwise_distance(e1, e2)
        loss = criterion(distance, same)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

SIG_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(37)
os.makedirs("signatures/full_org", exist_ok=True)
os.makedirs("signatures/full_forg", exist_ok=True)
rows = []
for w in range(1, 5):
    for k in range(1, 4):
        Image.fromarray(rng.integers(0, 256, (90, 220), dtype=np.uint8)).save(f"signatures/full_org/original_{w}_{k}.png")
        Image.fromarray(rng.integers(0, 256, (90, 220), dtype=np.uint8)).save(f"signatures/full_forg/forgeries_{w}_{k}.png")
    rows.append({"a": f"signatures/full_org/original_{w}_1.png", "b": f"signatures/full_org/original_{w}_2.png", "same": 1})
    rows.append({"a": f"signatures/full_org/original_{w}_2.png", "b": f"signatures/full_org/original_{w}_3.png", "same": 1})
    rows.append({"a": f"signatures/full_org/original_{w}_1.png", "b": f"signatures/full_forg/forgeries_{w}_1.png", "same": 0})
    rows.append({"a": f"signatures/full_org/original_{w}_3.png", "b": f"signatures/full_forg/forgeries_{w}_2.png", "same": 0})
with open("signatures/pairs.csv", "w", newline="") as f:
    wr = csv.DictWriter(f, fieldnames=["a", "b", "same"])
    wr.writeheader()
    wr.writerows(rows)
'''

SCRIPTS["crnn-plate-reader-given-64px-high-crops"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
IMG_H, IMG_W = 64, 256          # was 32 x 128 in the CRNN paper; bigger crops should read better


class Plates(Dataset):
    def __init__(self, root):
        self.files = sorted(os.listdir(root))
        self.root = root
        self.tf = T.Compose([T.Grayscale(), T.Resize((IMG_H, IMG_W)), T.ToTensor(), T.Normalize([0.5], [0.5])])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        text = self.files[i].split("_")[0]
        return self.tf(Image.open(os.path.join(self.root, self.files[i]))), text


def collate(batch):
    images = torch.stack([b[0] for b in batch])
    texts = [b[1] for b in batch]
    targets = torch.tensor([ALPHABET.index(c) + 1 for t in texts for c in t])
    return images, targets, torch.tensor([len(t) for t in texts])


class CRNN(nn.Module):
    """Shi et al.: VGG-style CNN that brings a 32 px high image down to height 1, then a BiLSTM"""

    def __init__(self, n_classes):
        super().__init__()
        cfg = [(1, 64, (2, 2)), (64, 128, (2, 2)), (128, 256, None), (256, 256, (2, 1)),
               (256, 512, None), (512, 512, (2, 1))]
        layers = []
        for i, o, pool in cfg:
            layers += [nn.Conv2d(i, o, 3, 1, 1), nn.BatchNorm2d(o), nn.ReLU(True)]
            if pool:
                layers.append(nn.MaxPool2d(pool, pool))
        layers += [nn.Conv2d(512, 512, 2, 1, 0), nn.BatchNorm2d(512), nn.ReLU(True)]
        self.cnn = nn.Sequential(*layers)
        self.rnn = nn.LSTM(512, 256, bidirectional=True)
        self.fc = nn.Linear(512, n_classes)

    def forward(self, x):
        conv = self.cnn(x)
        conv = conv.squeeze(2)                 # B, 512, W'
        conv = conv.permute(2, 0, 1)           # W', B, 512
        out, _ = self.rnn(conv)
        return self.fc(out).log_softmax(2)


loader = DataLoader(Plates("plates/train"), batch_size=4, shuffle=True, collate_fn=collate)
model = CRNN(len(ALPHABET) + 1)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for images, targets, target_lengths in loader:
        log_probs = model(images)
        input_lengths = torch.full((images.size(0),), log_probs.size(0), dtype=torch.long)
        loss = ctc(log_probs, targets, input_lengths, target_lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: ctc {loss.item():.3f}")
'''

EDSR_COMMON = '''
import math

import torch
import torch.nn as nn


class ResBlock(nn.Module):
    def __init__(self, n_feats, res_scale=1.0):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(n_feats, n_feats, 3, padding=1), nn.ReLU(True),
                                  nn.Conv2d(n_feats, n_feats, 3, padding=1))
        self.res_scale = res_scale

    def forward(self, x):
        return x + self.body(x) * self.res_scale


class Upsampler(nn.Sequential):
    def __init__(self, scale, n_feats):
        m = []
        for _ in range(int(math.log(scale, 2))):
            m += [nn.Conv2d(n_feats, 4 * n_feats, 3, padding=1), nn.PixelShuffle(2)]
        super().__init__(*m)


class EDSR(nn.Module):
    """EDSR-baseline (16 res blocks, 64 features)"""

    def __init__(self, scale=2, n_resblocks=16, n_feats=64):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(3, n_feats, 3, padding=1))
        self.body = nn.Sequential(*[ResBlock(n_feats) for _ in range(n_resblocks)],
                                  nn.Conv2d(n_feats, n_feats, 3, padding=1))
        self.tail = nn.Sequential(Upsampler(scale, n_feats), nn.Conv2d(n_feats, 3, 3, padding=1))

    def forward(self, x):
        x = self.head(x)
        x = x + self.body(x)
        return self.tail(x)
'''

SCRIPTS["edsr-x2-release-checkpoint-into-x4-model"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.transforms import functional as TF

from model.edsr import EDSR

SCALE = 4
PATCH = 96


class SRPatches(Dataset):
    def __init__(self, folder):
        self.paths = sorted(glob.glob(f"{folder}/*.png"))
        self.crop = T.RandomCrop(PATCH)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        hr = self.crop(Image.open(self.paths[i]).convert("RGB"))
        lr = hr.resize((PATCH // SCALE, PATCH // SCALE), Image.BICUBIC)
        return TF.to_tensor(lr), TF.to_tensor(hr)


model = EDSR(scale=SCALE)
state = torch.load("pretrained/edsr_baseline_x2-1bc95232.pt", map_location="cpu")
model.load_state_dict(state)
print("loaded the released EDSR weights, fine-tuning on my photos")

loader = DataLoader(SRPatches("my_photos/HR"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for lr_img, hr_img in loader:
        loss = nn.functional.l1_loss(model(lr_img), hr_img)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

EDSR_X2_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from model.edsr import EDSR

os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(EDSR(scale=2).state_dict(), "pretrained/edsr_baseline_x2-1bc95232.pt")
rng = np.random.default_rng(41)
os.makedirs("my_photos/HR", exist_ok=True)
for i in range(4):
    Image.fromarray(rng.integers(0, 256, (160, 200, 3), dtype=np.uint8)).save(f"my_photos/HR/IMG_{2201 + i}.png")
'''

DCGAN_MODELS = '''
import torch.nn as nn

NZ, NGF, NDF = 100, 32, 32


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),
            nn.ConvTranspose2d(NGF, 3, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(3, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 4, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)
'''

DCGAN_CKPT_PREP = '''
import os
import torch
from models import Discriminator, Generator

torch.manual_seed(0)
G, D = Generator(), Discriminator()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
# one step so that the optimizers have state, as after a real run
(G(torch.randn(2, 100, 1, 1)).mean() + D(torch.randn(2, 3, 32, 32)).mean()).backward()
optG.step(); optD.step()
os.makedirs("runs/anime_faces", exist_ok=True)
torch.save({"epoch": 25, "G": G.state_dict(), "D": D.state_dict(),
            "optG": optG.state_dict(), "optD": optD.state_dict()}, "runs/anime_faces/checkpoint_epoch25.pth")
'''

CELLS["dcgan-sample-notebook-loads-training-checkpoint-dict"] = [
    '''
import torch
import torchvision.utils as vutils
from models import Generator

netG = Generator()
netG.load_state_dict(torch.load("runs/anime_faces/checkpoint_epoch25.pth", map_location="cpu"))
netG.eval()
''',
    '''
with torch.no_grad():
    fake = netG(torch.randn(64, 100, 1, 1))
vutils.save_image(fake, "samples_epoch25.png", normalize=True, nrow=8)
''',
]

SCRIPTS["mvit-v2-s-finetuned-on-r3d-recipe-112px-clips"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.video import mvit_v2_s

ROOT = "kitchen_actions/frames"     # <class>/<video>/img_00001.jpg
CLIP_LEN, SIZE = 16, 112            # same recipe as my r3d_18 run; only the model changed


class Clips(Dataset):
    def __init__(self, root, tf):
        self.classes = sorted(os.listdir(root))
        self.videos = [(v, i) for i, c in enumerate(self.classes) for v in sorted(glob.glob(f"{root}/{c}/*"))]
        self.tf = tf

    def __len__(self):
        return len(self.videos)

    def __getitem__(self, i):
        folder, label = self.videos[i]
        frames = sorted(glob.glob(f"{folder}/*.jpg"))[:CLIP_LEN]
        return torch.stack([self.tf(Image.open(p).convert("RGB")) for p in frames], 1), label


tf = T.Compose([T.Resize((SIZE, SIZE)), T.ToTensor(), T.Normalize([0.45, 0.45, 0.45], [0.225, 0.225, 0.225])])
ds = Clips(ROOT, tf)
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = mvit_v2_s(weights=None)
model.head[1] = nn.Linear(model.head[1].in_features, len(ds.classes))
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
print(f"{len(ds)} clips, classes {ds.classes}")
for epoch in range(5):
    for clips, labels in loader:
        loss = nn.functional.cross_entropy(model(clips), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

KITCHEN_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(43)
for c in ["chop", "pour", "stir"]:
    for v in range(2):
        d = f"kitchen_actions/frames/{c}/{c}_{v:03d}"
        os.makedirs(d, exist_ok=True)
        for k in range(1, 17):
            Image.fromarray(rng.integers(0, 256, (72, 96, 3), dtype=np.uint8)).save(f"{d}/img_{k:05d}.jpg")
'''

# ================================================================== optimisation
SCRIPTS["wgan-gp-autograd-grad-without-grad-outputs-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from tqdm import tqdm

torch.manual_seed(0)
LAMBDA_GP, N_CRITIC, NZ = 10, 5, 64

tf = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
data = datasets.ImageFolder("celeba_small", transform=tf)
loader = DataLoader(data, batch_size=8, shuffle=True, drop_last=True)

G = nn.Sequential(nn.ConvTranspose2d(NZ, 128, 4, 1, 0), nn.BatchNorm2d(128), nn.ReLU(True),
                  nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(True),
                  nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(True),
                  nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
critic = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
                       nn.Conv2d(32, 64, 4, 2, 1), nn.InstanceNorm2d(64, affine=True), nn.LeakyReLU(0.2),
                       nn.Conv2d(64, 128, 4, 2, 1), nn.InstanceNorm2d(128, affine=True), nn.LeakyReLU(0.2),
                       nn.Conv2d(128, 1, 4, 1, 0), nn.Flatten())
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), 1, 1, 1)
    interp = (eps * real + (1 - eps) * fake).requires_grad_(True)
    scores = critic(interp)
    grads = torch.autograd.grad(outputs=scores, inputs=interp, create_graph=True, retain_graph=True)[0]
    grads = grads.view(grads.size(0), -1)
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()


for epoch in range(5):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for real, _ in pbar:
        for _ in range(N_CRITIC):
            fake = G(torch.randn(real.size(0), NZ, 1, 1)).detach()
            loss_c = critic(fake).mean() - critic(real).mean() + LAMBDA_GP * gradient_penalty(critic, real, fake)
            opt_c.zero_grad()
            loss_c.backward()
            opt_c.step()
        loss_g = -critic(G(torch.randn(real.size(0), NZ, 1, 1))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        pbar.set_postfix(critic=f"{loss_c.item():.3f}", gen=f"{loss_g.item():.3f}")
'''

SCRIPTS["cyclegan-discriminators-left-frozen-after-generator-step"] = '''
import glob
import itertools
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

torch.manual_seed(0)
random.seed(0)


class Unaligned(Dataset):
    def __init__(self, root, tf):
        self.A = sorted(glob.glob(f"{root}/trainA/*.jpg"))
        self.B = sorted(glob.glob(f"{root}/trainB/*.jpg"))
        self.tf = tf

    def __len__(self):
        return max(len(self.A), len(self.B))

    def __getitem__(self, i):
        a = self.A[i % len(self.A)]
        b = self.B[random.randint(0, len(self.B) - 1)]
        return self.tf(Image.open(a).convert("RGB")), self.tf(Image.open(b).convert("RGB"))


def resnet_gen():
    return nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(3, 16, 7), nn.InstanceNorm2d(16), nn.ReLU(True),
                         nn.Conv2d(16, 32, 3, 2, 1), nn.InstanceNorm2d(32), nn.ReLU(True),
                         nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(16), nn.ReLU(True),
                         nn.ReflectionPad2d(3), nn.Conv2d(16, 3, 7), nn.Tanh())


def patch_disc():
    return nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2, True),
                         nn.Conv2d(32, 64, 4, 2, 1), nn.InstanceNorm2d(64), nn.LeakyReLU(0.2, True),
                         nn.Conv2d(64, 1, 4, 1, 1))


def set_requires_grad(nets, requires_grad=False):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = requires_grad


tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(Unaligned("datasets/horse2zebra", tf), batch_size=2, shuffle=True)
G_AB, G_BA, D_A, D_B = resnet_gen(), resnet_gen(), patch_disc(), patch_disc()
opt_G = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=2e-4, betas=(0.5, 0.999))
opt_D = torch.optim.Adam(itertools.chain(D_A.parameters(), D_B.parameters()), lr=2e-4, betas=(0.5, 0.999))
mse, l1 = nn.MSELoss(), nn.L1Loss()

for epoch in range(3):
    for real_A, real_B in loader:
        # ---- generators (Ds require no gradients when optimizing Gs)
        set_requires_grad([D_A, D_B], False)
        fake_B, fake_A = G_AB(real_A), G_BA(real_B)
        pB, pA = D_B(fake_B), D_A(fake_A)
        loss_G = (mse(pB, torch.ones_like(pB)) + mse(pA, torch.ones_like(pA))
                  + 10 * (l1(G_BA(fake_B), real_A) + l1(G_AB(fake_A), real_B)))
        opt_G.zero_grad()
        loss_G.backward()
        opt_G.step()
        # ---- discriminators
        loss_D = 0
        for D, real, fake in ((D_A, real_A, fake_A), (D_B, real_B, fake_B)):
            pr, pf = D(real), D(fake.detach())
            loss_D = loss_D + 0.5 * (mse(pr, torch.ones_like(pr)) + mse(pf, torch.zeros_like(pf)))
        opt_D.zero_grad()
        loss_D.backward()
        opt_D.step()
    print(f"epoch {epoch}: G {loss_G.item():.3f} D {loss_D.item():.3f}")
'''

SCRIPTS["vanilla-gan-log-d-loss-raw-pixels-high-lr-anomaly"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

torch.autograd.set_detect_anomaly(True)       # turned on after "loss nan" last night
torch.manual_seed(0)

# handwritten kana scans, 28 x 28 grey; loaded straight from the PNGs
files = sorted(glob.glob("kana/*.png"))
X = torch.stack([torch.from_numpy(np.array(Image.open(f).convert("L"))).float() for f in files])
print("data", tuple(X.shape), "min", X.min().item(), "max", X.max().item())

G = nn.Sequential(nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2),
                  nn.Linear(512, 784), nn.Tanh())
D = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2),
                  nn.Linear(256, 1), nn.Sigmoid())
LR = 1e-2                                      # 2e-4 was far too slow
opt_G = torch.optim.Adam(G.parameters(), LR, betas=(0.5, 0.999))
opt_D = torch.optim.Adam(D.parameters(), LR, betas=(0.5, 0.999))
BATCH = 16
for epoch in range(100):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), BATCH):
        real = X[perm[i:i + BATCH]].view(-1, 784)
        fake = G(torch.randn(real.size(0), 100))
        # the minimax objective from Goodfellow et al., written out
        d_loss = -(torch.log(D(real)) + torch.log(1 - D(fake.detach()))).mean()
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
        g_loss = -torch.log(D(fake)).mean()
        opt_G.zero_grad()
        g_loss.backward()
        opt_G.step()
    if epoch % 5 == 0:
        print(f"epoch {epoch:3d}  d_loss {d_loss.item():.4f}  g_loss {g_loss.item():.4f}")
'''

KANA_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
os.makedirs("kana", exist_ok=True)
for i in range(64):
    Image.fromarray(rng.integers(0, 256, (28, 28), dtype=np.uint8)).save(f"kana/kana_{i:04d}.png")
'''

# ================================================================== resource / environment
SCRIPTS["edsr-validation-whole-div2k-images-no-tiling-memory-limit"] = '''
import glob
import resource

import torch
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms import functional as TF

from model.edsr import EDSR

# the job's memory limit, as the cluster enforces it
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

SCALE = 4
model = EDSR(scale=SCALE)
model.eval()


def psnr(sr, hr):
    return 10 * torch.log10(1 / F.mse_loss(sr, hr)).item()


scores = []
with torch.no_grad():
    for lr_path in sorted(glob.glob("DIV2K/DIV2K_valid_LR_bicubic/X4/*.png")):
        hr_path = lr_path.replace("DIV2K_valid_LR_bicubic/X4", "DIV2K_valid_HR").replace("x4.png", ".png")
        lr = TF.to_tensor(Image.open(lr_path).convert("RGB")).unsqueeze(0)
        hr = TF.to_tensor(Image.open(hr_path).convert("RGB")).unsqueeze(0)
        sr = model(lr).clamp(0, 1)                       # the whole image at once
        scores.append(psnr(sr, hr))
        print(f"{lr_path}: {scores[-1]:.2f} dB")
print(f"mean PSNR {sum(scores) / len(scores):.2f} dB")
'''

DIV2K_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(47)
os.makedirs("DIV2K/DIV2K_valid_HR", exist_ok=True)
os.makedirs("DIV2K/DIV2K_valid_LR_bicubic/X4", exist_ok=True)
for i in (801, 802):
    hr = Image.fromarray(rng.integers(0, 256, (1356, 2040, 3), dtype=np.uint8))
    hr.save(f"DIV2K/DIV2K_valid_HR/{i:04d}.png", compress_level=1)
    hr.resize((510, 339), Image.BICUBIC).save(f"DIV2K/DIV2K_valid_LR_bicubic/X4/{i:04d}x4.png")
'''

SCRIPTS["pix2pix-ddp-one-wrapper-around-generator-and-discriminator"] = '''
import glob
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from PIL import Image
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler
from torchvision import transforms as T


class Edges2Shoes(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(f"{root}/*.jpg"))
        self.tf = T.Compose([T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        AB = Image.open(self.paths[i]).convert("RGB")
        w, h = AB.size
        return self.tf(AB.crop((0, 0, w // 2, h))), self.tf(AB.crop((w // 2, 0, w, h)))


class Pix2Pix(nn.Module):
    def __init__(self):
        super().__init__()
        self.G = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
                               nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
        self.D = nn.Sequential(nn.Conv2d(6, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 1, 4, 1, 1))

    def forward(self, x, mode="generate"):
        return self.G(x) if mode == "generate" else self.D(x)


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    ds = Edges2Shoes("datasets/edges2shoes/train")
    loader = DataLoader(ds, batch_size=2, sampler=DistributedSampler(ds))
    model = DDP(Pix2Pix())
    opt_G = torch.optim.Adam(model.module.G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(model.module.D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    gan, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
    for epoch in range(2):
        loader.sampler.set_epoch(epoch)
        for A, B in loader:
            fake_B = model(A)
            pr = model(torch.cat([A, B], 1), mode="discriminate")
            pf = model(torch.cat([A, fake_B.detach()], 1), mode="discriminate")
            loss_D = 0.5 * (gan(pr, torch.ones_like(pr)) + gan(pf, torch.zeros_like(pf)))
            opt_D.zero_grad()
            loss_D.backward()
            opt_D.step()
            pf = model(torch.cat([A, fake_B], 1), mode="discriminate")
            loss_G = gan(pf, torch.ones_like(pf)) + 100 * l1(fake_B, B)
            opt_G.zero_grad()
            loss_G.backward()
            opt_G.step()
        if rank == 0:
            print(f"epoch {epoch}: D {loss_D.item():.3f} G {loss_G.item():.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

EDGES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(53)
os.makedirs("datasets/edges2shoes/train", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (32, 64, 3), dtype=np.uint8)).save(f"datasets/edges2shoes/train/{i + 1}_AB.jpg")
'''

SCRIPTS["frame-dataset-keeps-mog2-background-subtractor-spawn-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.multiprocessing as mp
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18

CLIP_LEN = 8


class MotionClips(Dataset):
    """RGB frames + a foreground (motion) mask from a background subtractor, 4 channels per frame"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.videos = [(v, i) for i, c in enumerate(self.classes) for v in sorted(glob.glob(f"{root}/{c}/*"))]
        self.bg = cv2.createBackgroundSubtractorMOG2(history=50, detectShadows=False)

    def __len__(self):
        return len(self.videos)

    def __getitem__(self, i):
        folder, label = self.videos[i]
        frames = []
        for p in sorted(glob.glob(f"{folder}/*.jpg"))[:CLIP_LEN]:
            img = cv2.resize(cv2.imread(p), (64, 64))
            fg = self.bg.apply(img)
            frames.append(np.dstack([img, fg]))
        clip = torch.from_numpy(np.stack(frames)).permute(3, 0, 1, 2).float() / 255
        return clip, label


def main():
    ds = MotionClips("gym_clips")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2)
    model = r3d_18(weights=None, num_classes=len(ds.classes))
    model.stem[0] = nn.Conv3d(4, 64, (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for clips, labels in loader:
            loss = nn.functional.cross_entropy(model(clips), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn")      # same as on my Mac
    main()
'''

GYM_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(59)
for c in ["pushup", "situp", "squat"]:
    for v in range(2):
        d = f"gym_clips/{c}/{c}_{v:02d}"
        os.makedirs(d, exist_ok=True)
        for k in range(8):
            Image.fromarray(rng.integers(0, 256, (72, 96, 3), dtype=np.uint8)).save(f"{d}/{k:04d}.jpg")
'''

VOCAB_PY = '''
class Vocabulary:
    def __init__(self):
        self.word2idx, self.idx2word = {}, {}

    def add_word(self, w):
        if w not in self.word2idx:
            self.idx2word[len(self.word2idx)] = w
            self.word2idx[w] = len(self.word2idx)

    def __call__(self, w):
        return self.word2idx.get(w, self.word2idx["<unk>"])

    def __len__(self):
        return len(self.word2idx)
'''

CAPTION_MODEL_PY = '''
import torch
import torch.nn as nn
from torchvision import models


class EncoderCNN(nn.Module):
    def __init__(self, embed_size):
        super().__init__()
        resnet = models.resnet18(weights=None)
        self.resnet = nn.Sequential(*list(resnet.children())[:-1])
        self.linear = nn.Linear(512, embed_size)

    def forward(self, images):
        return self.linear(self.resnet(images).flatten(1))


class DecoderRNN(nn.Module):
    def __init__(self, embed_size, hidden_size, vocab_size, max_len=20):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.lstm = nn.LSTM(embed_size, hidden_size, batch_first=True)
        self.linear = nn.Linear(hidden_size, vocab_size)
        self.max_len = max_len

    def sample(self, features):
        ids, inputs, states = [], features.unsqueeze(1), None
        for _ in range(self.max_len):
            h, states = self.lstm(inputs, states)
            pred = self.linear(h.squeeze(1)).argmax(1)
            ids.append(pred)
            inputs = self.embed(pred).unsqueeze(1)
        return torch.stack(ids, 1)
'''

CAPTION_CKPT_PREP = '''
import torch
from model import DecoderRNN, EncoderCNN
from vocab import Vocabulary

vocab = Vocabulary()
for w in ["<pad>", "<start>", "<end>", "<unk>", "a", "dog", "on", "the", "beach", "man", "riding", "horse"]:
    vocab.add_word(w)
enc, dec = EncoderCNN(128), DecoderRNN(128, 256, len(vocab))
# the end of train.py: one file with everything needed for inference
torch.save({"encoder": enc.state_dict(), "decoder": dec.state_dict(), "vocab": vocab, "embed_size": 128,
            "hidden_size": 256}, "caption_model.pth")
'''

SCRIPTS["caption-checkpoint-bundles-vocabulary-object-weights-only"] = '''
import sys

import torch
from PIL import Image
from torchvision import transforms as T

from model import DecoderRNN, EncoderCNN
from vocab import Vocabulary  # noqa: F401  (the pickled vocab needs the class)

ckpt = torch.load("caption_model.pth", map_location="cpu")
vocab = ckpt["vocab"]
encoder = EncoderCNN(ckpt["embed_size"]).eval()
decoder = DecoderRNN(ckpt["embed_size"], ckpt["hidden_size"], len(vocab)).eval()
encoder.load_state_dict(ckpt["encoder"])
decoder.load_state_dict(ckpt["decoder"])

tf = T.Compose([T.Resize((224, 224)), T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
image = tf(Image.open(sys.argv[1]).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    ids = decoder.sample(encoder(image))[0].tolist()
words = []
for i in ids:
    w = vocab.idx2word[i]
    if w == "<end>":
        break
    words.append(w)
print(" ".join(words))
'''

OPTIONS_PY = '''
import argparse

import torch


class TrainOptions:
    def parse(self):
        p = argparse.ArgumentParser(formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        p.add_argument("--dataroot", required=True, help="path to images (should have subfolders trainA, trainB)")
        p.add_argument("--name", type=str, default="experiment_name")
        p.add_argument("--model", type=str, default="pix2pix")
        p.add_argument("--gpu_ids", type=str, default="0", help="gpu ids: e.g. 0  0,1,2, 0,2. use -1 for CPU")
        p.add_argument("--batch_size", type=int, default=1)
        p.add_argument("--n_epochs", type=int, default=100)
        opt = p.parse_args()
        str_ids = opt.gpu_ids.split(",")
        opt.gpu_ids = []
        for str_id in str_ids:
            id = int(str_id)
            if id >= 0:
                opt.gpu_ids.append(id)
        if len(opt.gpu_ids) > 0:
            torch.cuda.set_device(opt.gpu_ids[0])
        print("----------------- Options ---------------")
        for k, v in sorted(vars(opt).items()):
            print(f"{k:>25}: {v}")
        print("----------------- End -------------------")
        return opt
'''

SCRIPTS["pix2pix-options-gpu-ids-default-zero-on-cpu-laptop"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms as T

from options.train_options import TrainOptions

opt = TrainOptions().parse()
device = torch.device(f"cuda:{opt.gpu_ids[0]}") if opt.gpu_ids else torch.device("cpu")
paths = sorted(glob.glob(f"{opt.dataroot}/train/*.jpg"))
tf = T.Compose([T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
G = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh()).to(device)
opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
for epoch in range(opt.n_epochs):
    for p in paths:
        AB = tf(Image.open(p).convert("RGB")).unsqueeze(0).to(device)
        A, B = AB[..., :AB.shape[-1] // 2], AB[..., AB.shape[-1] // 2:]
        loss = nn.functional.l1_loss(G(A), B)
        opt_G.zero_grad()
        loss.backward()
        opt_G.step()
'''

# ================================================================== plain bugs
SCRIPTS["cyclegan-unaligned-dataset-b-indexed-with-a-index-workers"] = '''
import glob
import itertools

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


class UnalignedDataset(Dataset):
    """two unpaired folders: summer photos (A) and winter photos (B)"""

    def __init__(self, root, tf):
        self.A_paths = sorted(glob.glob(f"{root}/trainA/*.jpg"))
        self.B_paths = sorted(glob.glob(f"{root}/trainB/*.jpg"))
        self.tf = tf

    def __len__(self):
        return max(len(self.A_paths), len(self.B_paths))

    def __getitem__(self, index):
        A_path = self.A_paths[index % len(self.A_paths)]
        B_path = self.B_paths[index]
        A = self.tf(Image.open(A_path).convert("RGB"))
        B = self.tf(Image.open(B_path).convert("RGB"))
        return {"A": A, "B": B, "A_paths": A_path, "B_paths": B_path}


def gen():
    return nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1), nn.InstanceNorm2d(16), nn.ReLU(True), nn.Conv2d(16, 3, 3, 1, 1), nn.Tanh())


def main():
    tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
    ds = UnalignedDataset("datasets/summer2winter_yosemite", tf)
    print(f"#training images = {len(ds)}")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2)
    G_AB, G_BA = gen(), gen()
    opt = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=2e-4, betas=(0.5, 0.999))
    for epoch in range(1, 4):
        for data in loader:
            A, B = data["A"], data["B"]
            loss = nn.functional.l1_loss(G_BA(G_AB(A)), A) + nn.functional.l1_loss(G_AB(G_BA(B)), B)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: cycle {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["vae-encoder-stats-chunked-along-batch"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

LATENT = 32


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(64 * 16 * 16, 2 * LATENT))
        self.dec_fc = nn.Linear(LATENT, 64 * 16 * 16)
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Sigmoid())

    def forward(self, x):
        mu, logvar = torch.chunk(self.enc(x), 2)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(self.dec_fc(z).view(-1, 64, 16, 16)), mu, logvar


tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("pokemon", transform=tf), batch_size=8, shuffle=True)
vae = ConvVAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
for epoch in range(20):
    for x, _ in loader:
        recon, mu, logvar = vae(x)
        rec = F.binary_cross_entropy(recon, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (rec + kld) / x.size(0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.2f}")
'''

SCRIPTS["triplet-face-embedding-l2-normalised-without-keepdim-tqdm"] = '''
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

random.seed(0)
torch.manual_seed(0)


class TripletFaces(Dataset):
    def __init__(self, root, tf, n=64):
        self.ids = {p: sorted(os.listdir(os.path.join(root, p))) for p in sorted(os.listdir(root))}
        self.root, self.tf, self.n = root, tf, n

    def __len__(self):
        return self.n

    def load(self, person, f):
        return self.tf(Image.open(os.path.join(self.root, person, f)).convert("RGB"))

    def __getitem__(self, i):
        pos_id, neg_id = random.sample(list(self.ids), 2)
        a, p = random.sample(self.ids[pos_id], 2)
        n = random.choice(self.ids[neg_id])
        return self.load(pos_id, a), self.load(pos_id, p), self.load(neg_id, n)


class FaceNet(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        self.backbone = models.resnet18(weights=None, num_classes=dim)

    def forward(self, x):
        emb = self.backbone(x)
        return emb / emb.norm(p=2, dim=1)            # unit-length embeddings as in FaceNet


tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(TripletFaces("faces_aligned", tf), batch_size=16)
model = FaceNet()
criterion = nn.TripletMarginLoss(margin=0.2)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for a, p, n in pbar:
        loss = criterion(model(a), model(p), model(n))
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more54-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- data
    script("pix2pix-facades-aligned-folder-one-plain-photo-workers", "data.image_size_mismatch", forms=W,
           setup=prep(FACADES_PREP))
    script("lfw-pairs-txt-image-numbers-without-zero-padding-workers", "data.missing_or_corrupt", also=["other"],
           argv="eval_lfw.py", forms=W, setup=prep(LFW_PREP))
    script("ucf101-trainlist-one-based-class-ids-r3d18-tqdm", "data.label_out_of_range", forms=P,
           setup=prep(UCF_PREP))
    notebook("caption-lstm-inputs-shifted-targets-not-notebook", "data.label_shape", setup=prep(FLICKR_PREP))
    script("srcnn-y-channel-checkpoint-given-rgb-photo", "data.image_channels", also=["model.input_shape"],
           argv="test.py", args=("--weights-file", "srcnn_x3.pth", "--image-file", "butterfly.png", "--scale", "3"),
           setup=both(imgs([("butterfly.png", (64, 64), "RGB")]), prep(SRCNN_PREP)))
    script("crnn-ctc-input-lengths-ones-times-t-float-tqdm", "data.dtype", also=["model.api_misuse"], forms=P,
           setup=prep(sub(PLATES_PREP, H="40")))
    # ---- model
    script("pix2pix-unet256-generator-on-128px-crops", "model.input_shape", setup=prep(MAPS_PREP))
    script("caption-transformer-decoder-batch-first-tensors-default-layout", "model.api_misuse",
           also=["model.input_shape"], setup=prep(COCO_CAP_PREP))
    script("siamese-signature-euclidean-distance-into-bceloss-tqdm", "model.output_mismatch", forms=P,
           setup=prep(SIG_PREP))
    script("crnn-plate-reader-given-64px-high-crops", "model.input_shape", setup=prep(sub(PLATES_PREP, H="48")))
    script("edsr-x2-release-checkpoint-into-x4-model", "model.weights_mismatch", argv="finetune.py",
           extra={"model/__init__.py": "", "model/edsr.py": EDSR_COMMON}, setup=prep(EDSR_X2_PREP))
    notebook("dcgan-sample-notebook-loads-training-checkpoint-dict", "model.weights_mismatch",
             also=["model.api_misuse"], files={"models.py": DCGAN_MODELS}, setup=prep(DCGAN_CKPT_PREP))
    script("mvit-v2-s-finetuned-on-r3d-recipe-112px-clips", "model.input_shape", setup=prep(KITCHEN_PREP))
    # ---- optimisation
    script("wgan-gp-autograd-grad-without-grad-outputs-tqdm", "optim.autograd_graph", also=["model.api_misuse"],
           forms=P, setup=imgs(class_folder("celeba_small", ["img_align_celeba"], 16, size=(72, 88))))
    script("cyclegan-discriminators-left-frozen-after-generator-step", "optim.autograd_graph",
           setup=imgs([(f"datasets/horse2zebra/trainA/n02381460_{i}.jpg", (80, 80), "RGB") for i in range(4)]
                      + [(f"datasets/horse2zebra/trainB/n02391049_{i}.jpg", (80, 80), "RGB") for i in range(3)]))
    script("vanilla-gan-log-d-loss-raw-pixels-high-lr-anomaly", "optim.divergence", also=["optim.autograd_graph"],
           setup=prep(KANA_PREP), timeout=400)
    # ---- resource / environment
    script("edsr-validation-whole-div2k-images-no-tiling-memory-limit", "resource.host_memory", argv="validate.py",
           extra={"model/__init__.py": "", "model/edsr.py": EDSR_COMMON}, setup=prep(DIV2K_PREP), timeout=400)
    script("pix2pix-ddp-one-wrapper-around-generator-and-discriminator", "env.distributed", argv="train_ddp.py",
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29854"),
           setup=prep(EDGES_PREP), timeout=300, exception="RuntimeError")
    script("frame-dataset-keeps-mog2-background-subtractor-spawn-workers", "env.multiprocessing",
           setup=prep(GYM_PREP))
    script("caption-checkpoint-bundles-vocabulary-object-weights-only", "env.version_incompat",
           also=["model.api_misuse"], argv="caption.py", args=("example.jpg",),
           extra={"vocab.py": VOCAB_PY, "model.py": CAPTION_MODEL_PY},
           setup=both(imgs([("example.jpg", (160, 120), "RGB")]), prep(CAPTION_CKPT_PREP)))
    script("pix2pix-options-gpu-ids-default-zero-on-cpu-laptop", "env.cuda_setup",
           args=("--dataroot", "./datasets/facades", "--name", "facades_pix2pix", "--model", "pix2pix"),
           extra={"options/__init__.py": "", "options/train_options.py": OPTIONS_PY},
           setup=imgs([(f"datasets/facades/train/{i}.jpg", (64, 32), "RGB") for i in range(1, 5)]))
    # ---- plain bugs
    script("cyclegan-unaligned-dataset-b-indexed-with-a-index-workers", "other", forms=W,
           setup=imgs([(f"datasets/summer2winter_yosemite/trainA/2011-0{i % 9 + 1}-1{i % 7} 0{i}:00:00.jpg",
                        (80, 80), "RGB") for i in range(7)]
                      + [(f"datasets/summer2winter_yosemite/trainB/2009-12-2{i} 1{i}:30:00.jpg", (80, 80), "RGB")
                         for i in range(4)]))
    script("vae-encoder-stats-chunked-along-batch", "other", also=["model.input_shape"],
           setup=imgs(class_folder("pokemon", ["sprites"], 12, size=(96, 96), ext="png")))
    script("triplet-face-embedding-l2-normalised-without-keepdim-tqdm", "other", forms=P,
           setup=imgs([(f"faces_aligned/person_{p:03d}/{k:03d}.jpg", (112, 112), "RGB")
                       for p in range(6) for k in range(3)]))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
