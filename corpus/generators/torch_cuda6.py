"""A sixth set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Untargeted: the way people on their first GPU (Colab, Kaggle, a new RTX card, a lab server) fail.
Device-side asserts: CamVid colour masks read with ``convert("L")`` so the grey levels become class
ids (``nll_loss2d``), MovieLens matrix factorisation whose embeddings are sized by the number of
distinct ids while the raw, sparse ``movieId`` values index them, an English-French seq2seq whose
output projection was sized with the source vocabulary (``nll_loss``), offline DQN on logged Pong
transitions with the six ALE actions while the Q-head has three (``gather``), and an ImageAI 3
TinyYOLOv3 trainer fed a Roboflow export that keeps the project's empty class 0 while the names
list drops it. Out of memory (a cap in GiB on the big card stands in for a small one): ViT-L/16
fine-tuned with AdamW at batch 32, MC-dropout passes kept with their graphs (no ``no_grad`` because
the model is in ``train()`` on purpose), a nanoGPT-style model that keeps the GPT-2 vocabulary and
a 1024-token context, and BirdCLEF field recordings turned into whole-file spectrograms. Devices:
a dict batch whose values are moved in a ``for`` loop that only rebinds the loop variable, an
ArcFace margin head never moved to the GPU, a CutMix box mask made with numpy, a RealNVP prior
built on the CPU, and ``torch.save(model.cpu().state_dict())`` for the best epoch (``Module.cpu``
moves the model it is called on). Workers: a padding ``collate_fn`` that moves the batch to the GPU
in forked workers. AMP: ``GradScaler.unscale_`` called after ``step`` to log the gradient norm, and
a graph readout ``index_add_`` into a float32 buffer of the half messages of autocast. Integer
tensors that the CPU kernels take and the CUDA kernels reject: a confusion matrix as a product of
int64 one-hot matrices (notebook), and cell-counting dot maps pooled with ``avg_pool2d``. Plain
bugs: ``images.cuda`` without the call (notebook), ``.cpu().numpy()`` on probabilities that still
require grad, a layer of the model looked up on its ``DataParallel`` wrapper. ImageAI 3: an
InceptionV3 classification trainer whose training set leaves a last batch of one image (notebook).

Every case is a small real program; the label is known by construction. It needs a CUDA GPU
(recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the README: all
23 failed as built, in 128 s; g95, scored 1.00 top-1 and 1.00 top-3 before any rule for it);
without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda6.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, both, class_folder, imgs, nb, oom_head, prep, run_gpu_cases, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_cuda6.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts: labels, indices
SCRIPTS["camvid-colour-masks-read-as-grayscale"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF
from tqdm import tqdm

device = torch.device("cuda")
CLASSES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian",
           "Bicyclist", "Void"]
VOID = CLASSES.index("Void")


class CamVid(Dataset):
    """CamVid as on Kaggle: train/0001TP_006690.png and train_labels/0001TP_006690_L.png"""

    def __init__(self, root, split, size=(240, 320)):
        self.images = sorted(glob.glob(os.path.join(root, split, "*.png")))
        self.label_dir = os.path.join(root, split + "_labels")
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = os.path.basename(self.images[i])[:-4]
        img = TF.resize(Image.open(self.images[i]).convert("RGB"), self.size)
        mask = Image.open(os.path.join(self.label_dir, name + "_L.png")).convert("L")
        mask = TF.resize(mask, self.size, interpolation=TF.InterpolationMode.NEAREST)
        if np.random.rand() < 0.5:
            img, mask = TF.hflip(img), TF.hflip(mask)
        x = TF.normalize(TF.to_tensor(img), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return x, torch.from_numpy(np.array(mask)).long()


train_loader = DataLoader(CamVid("CamVid", "train"), batch_size=4, shuffle=True, drop_last=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES)).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=VOID)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(1, 51):
    model.train()
    pbar = tqdm(train_loader, desc=f"epoch {epoch}")
    for x, mask in pbar:
        x, mask = x.to(device), mask.to(device)
        out = model(x)["out"]
        loss = criterion(out, mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''
SCRIPTS["movielens-embeddings-sized-by-distinct-ids"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
with open("ml-latest-small/ratings.csv") as f:
    rows = list(csv.DictReader(f))
users = torch.tensor([int(r["userId"]) for r in rows])
movies = torch.tensor([int(r["movieId"]) for r in rows])
ratings = torch.tensor([float(r["rating"]) for r in rows])
n_users, n_movies = len(set(users.tolist())), len(set(movies.tolist()))
print(f"{len(rows)} ratings, {n_users} users, {n_movies} movies")


class MatrixFactorization(nn.Module):
    def __init__(self, n_users, n_items, dim=32):
        super().__init__()
        self.user = nn.Embedding(n_users, dim)
        self.item = nn.Embedding(n_items, dim)
        self.user_bias = nn.Embedding(n_users, 1)
        self.item_bias = nn.Embedding(n_items, 1)
        self.mu = nn.Parameter(torch.tensor(3.5))
        nn.init.normal_(self.user.weight, std=0.05)
        nn.init.normal_(self.item.weight, std=0.05)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(1)
        return self.mu + dot + self.user_bias(u).squeeze(1) + self.item_bias(i).squeeze(1)


perm = torch.randperm(len(rows), generator=torch.Generator().manual_seed(42))
n_train = int(0.9 * len(rows))
tr, va = perm[:n_train], perm[n_train:]
train_loader = DataLoader(TensorDataset(users[tr], movies[tr], ratings[tr]), batch_size=256, shuffle=True)
model = MatrixFactorization(n_users, n_movies).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=1e-5)
for epoch in range(30):
    model.train()
    total = 0.0
    for u, i, r in train_loader:
        u, i, r = u.to(device), i.to(device), r.to(device)
        loss = F.mse_loss(model(u, i), r)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(r)
    model.eval()
    with torch.no_grad():
        pred = model(users[va].to(device), movies[va].to(device)).clamp(0.5, 5.0)
        rmse = torch.sqrt(F.mse_loss(pred, ratings[va].to(device))).item()
    print(f"epoch {epoch}: train mse {total / n_train:.4f}, val rmse {rmse:.4f}")
'''
SCRIPTS["seq2seq-generator-sized-by-source-vocab"] = '''
import random
import re
import unicodedata

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
SOS, EOS = 0, 1
MAX_LENGTH = 12
HIDDEN = 256
random.seed(0)


class Lang:
    def __init__(self, name):
        self.name = name
        self.word2index = {}
        self.index2word = {SOS: "SOS", EOS: "EOS"}
        self.n_words = 2

    def add_sentence(self, sentence):
        for word in sentence.split(" "):
            if word not in self.word2index:
                self.word2index[word] = self.n_words
                self.index2word[self.n_words] = word
                self.n_words += 1


def normalize(s):
    s = "".join(c for c in unicodedata.normalize("NFD", s.lower().strip()) if unicodedata.category(c) != "Mn")
    s = re.sub(r"([.!?])", r" \\1", s)
    return re.sub(r"[^a-zA-Z!?]+", r" ", s).strip()


lines = open("data/eng-fra.txt", encoding="utf-8").read().strip().split("\\n")
pairs = [[normalize(s) for s in line.split("\\t")[:2]] for line in lines]
input_lang, output_lang = Lang("eng"), Lang("fra")
for eng, fra in pairs:
    input_lang.add_sentence(eng)
    output_lang.add_sentence(fra)
print(f"{len(pairs)} pairs; {input_lang.name}: {input_lang.n_words} words, {output_lang.name}: {output_lang.n_words} words")


def ids(lang, sentence):
    out = np.full(MAX_LENGTH, EOS, dtype=np.int64)
    words = [lang.word2index[w] for w in sentence.split(" ")][:MAX_LENGTH - 1]
    out[:len(words)] = words
    return out


src = torch.from_numpy(np.stack([ids(input_lang, e) for e, _ in pairs]))
tgt = torch.from_numpy(np.stack([ids(output_lang, f) for _, f in pairs]))
loader = DataLoader(TensorDataset(src, tgt), batch_size=16, shuffle=True)


class Seq2Seq(nn.Module):
    """GRU encoder-decoder with teacher forcing; the generator maps decoder states to target words"""

    def __init__(self, src_vocab_size, tgt_vocab_size, hidden=HIDDEN, dropout=0.1):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab_size, hidden)
        self.tgt_embed = nn.Embedding(tgt_vocab_size, hidden)
        self.encoder = nn.GRU(hidden, hidden, batch_first=True)
        self.decoder = nn.GRU(hidden, hidden, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.generator = nn.Linear(hidden, src_vocab_size)

    def forward(self, src, tgt):
        _, h = self.encoder(self.dropout(self.src_embed(src)))
        dec_in = torch.cat([torch.full_like(tgt[:, :1], SOS), tgt[:, :-1]], 1)      # shifted right
        out, _ = self.decoder(self.dropout(self.tgt_embed(dec_in)), h)
        return F.log_softmax(self.generator(out), dim=-1)


model = Seq2Seq(input_lang.n_words, output_lang.n_words).to(device)
criterion = nn.NLLLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1, 101):
    total = 0.0
    for s, t in loader:
        s, t = s.to(device), t.to(device)
        log_probs = model(s, t)
        loss = criterion(log_probs.view(-1, log_probs.size(-1)), t.view(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss {total / len(loader):.4f}")
'''
SCRIPTS["offline-dqn-pong-six-actions-three-action-head"] = '''
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

device = torch.device("cuda")
GAMMA = 0.99
N_ACTIONS = 3                # Pong: stay, up, down
TARGET_SYNC = 200

data = np.load("pong_replay/ppo_agent_transitions.npz")
obs, act, rew, next_obs, done = (torch.from_numpy(data[k]) for k in ("obs", "action", "reward", "next_obs", "done"))
print(f"{len(act)} transitions, frames {tuple(obs.shape[1:])}, return per episode {rew.sum().item() / max(done.sum().item(), 1):.1f}")


class NatureDQN(nn.Module):
    def __init__(self, n_actions):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
                                 nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, n_actions))

    def forward(self, x):
        return self.net(x.float() / 255.0)


q_net = NatureDQN(N_ACTIONS).to(device)
target_net = copy.deepcopy(q_net).eval()
optimizer = torch.optim.Adam(q_net.parameters(), lr=1e-4, eps=1.5e-4)
loader = DataLoader(TensorDataset(obs, act, rew, next_obs, done), batch_size=32, shuffle=True, drop_last=True)
step = 0
for epoch in range(20):
    for s, a, r, s2, d in tqdm(loader, desc=f"epoch {epoch}"):
        s, a, r, s2, d = s.to(device), a.to(device), r.to(device), s2.to(device), d.to(device)
        q = q_net(s).gather(1, a.long().unsqueeze(1)).squeeze(1)
        with torch.no_grad():
            best = q_net(s2).argmax(1, keepdim=True)                      # double DQN
            target = r + GAMMA * (1 - d.float()) * target_net(s2).gather(1, best).squeeze(1)
        loss = F.smooth_l1_loss(q, target)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(q_net.parameters(), 10.0)
        optimizer.step()
        step += 1
        if step % TARGET_SYNC == 0:
            target_net.load_state_dict(q_net.state_dict())
    print(f"epoch {epoch}: td loss {loss.item():.4f}, mean q {q.mean().item():.3f}")
'''
SCRIPTS["imageai-roboflow-export-keeps-empty-class-zero"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# Roboflow "hard-hat-workers" export, YOLO format; valid/ renamed validation/ and labels/ renamed annotations/.
# data.yaml lists the project name first (no boxes use it), so the names start at the second entry
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hard-hat-workers")
trainer.setTrainConfig(object_names_array=["head", "helmet", "person"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''

# ------------------------------------------------------------------ out of memory
SCRIPTS["oom-vit-large-finetune-adamw-batch-32"] = oom_head("6", "a 6 GB RTX 2060") + '''
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
# the ViT paper fine-tunes at batch 512; 32 is what one card gets
tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
train_set = datasets.ImageFolder("food/train", transform=tf)
loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=2, drop_last=True)

model = torchvision.models.vit_l_16(weights=None)
model.heads.head = nn.Linear(model.heads.head.in_features, len(train_set.classes))
model = model.to(device)
print(f"ViT-L/16: {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M parameters")
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.05)
for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-mc-dropout-passes-without-no-grad"] = oom_head("3", "a 3 GB GTX 1060") + '''
import glob

import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
T = 30                        # stochastic forward passes per image (MC dropout, Gal & Ghahramani 2016)

model = torchvision.models.resnet18()
model.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(512, 2))
model.load_state_dict(torch.load("checkpoints/resnet18_mcdropout_best.pth", map_location="cpu"))
model = model.to(device)
model.train()                 # dropout stays on at test time: that is the point of MC dropout

tf = transforms.Compose([transforms.Resize(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
files = sorted(glob.glob("histo/test/*.png"))
mean_probs, entropies = [], []
for k in range(0, len(files), 32):
    x = torch.stack([tf(Image.open(f).convert("RGB")) for f in files[k:k + 32]]).to(device)
    samples = torch.stack([model(x).softmax(1) for _ in tqdm(range(T), desc=f"images {k}-{k + len(x) - 1}")])
    p = samples.mean(0)
    mean_probs.append(p)
    entropies.append(-(p * p.clamp_min(1e-8).log()).sum(1))
mean_probs, entropies = torch.cat(mean_probs), torch.cat(entropies)
print("tumour probability", mean_probs[:, 1].mean().item(), "most uncertain:", files[entropies.argmax().item()])
'''
SCRIPTS["oom-nanogpt-gpt2-vocab-1024-context"] = oom_head("4", "a 4 GB GTX 1650") + '''
import math

import numpy as np
import torch.nn as nn
import torch.nn.functional as F

device = "cuda"
# nanoGPT's config, made smaller to fit the card: fewer layers and a narrower model
batch_size, block_size = 12, 1024
vocab_size = 50257                       # GPT-2 BPE
n_layer, n_head, n_embd, dropout = 4, 4, 256, 0.1
max_iters, eval_interval, learning_rate = 5000, 250, 6e-4

data = np.memmap("data/openwebtext/train.bin", dtype=np.uint16, mode="r")
print(f"{len(data):,} tokens")


def get_batch():
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([torch.from_numpy(data[i:i + block_size].astype(np.int64)) for i in ix.tolist()])
    y = torch.stack([torch.from_numpy(data[i + 1:i + 1 + block_size].astype(np.int64)) for i in ix.tolist()])
    return x.to(device), y.to(device)


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout if self.training else 0.0, is_causal=True)
        return self.drop(self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention()
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block() for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight             # weight tying
        self.apply(self._init)

    def _init(self, m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx, targets=None):
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


model = GPT().to(device)
print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters")
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, betas=(0.9, 0.95), weight_decay=0.1)
for it in range(max_iters):
    lr = learning_rate * min(1.0, (it + 1) / 100) * 0.5 * (1 + math.cos(math.pi * it / max_iters))
    for g in optimizer.param_groups:
        g["lr"] = lr
    x, y = get_batch()
    _, loss = model(x, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if it % eval_interval == 0:
        print(f"iter {it}: loss {loss.item():.4f}, lr {lr:.2e}")
'''
SCRIPTS["oom-birdclef-whole-recordings-spectrogram"] = oom_head("8", "an 8 GB RTX 4060") + '''
import csv

import numpy as np
import torch.nn as nn
import torchvision
from scipy.io import wavfile
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

device = torch.device("cuda")
SR = 32000


class BirdCLEF(Dataset):
    """train_metadata.csv + train_audio/<species>/<XC id>.wav (the .ogg files converted once with ffmpeg)"""

    def __init__(self, root):
        with open(f"{root}/train_metadata.csv") as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.species = sorted({r["primary_label"] for r in self.rows})

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        sr, wave = wavfile.read(f"{self.root}/train_audio/{r['filename']}")
        assert sr == SR, sr
        return torch.from_numpy(wave.astype(np.float32) / 32768.0), self.species.index(r["primary_label"])


def pad_collate(batch):
    waves, labels = zip(*batch)
    return pad_sequence(waves, batch_first=True), torch.tensor(labels)


class SpectrogramCNN(nn.Module):
    def __init__(self, n_classes, n_fft=1024, hop=320):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))
        self.backbone = torchvision.models.resnet18(num_classes=n_classes)
        self.backbone.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)

    def forward(self, wave):
        spec = torch.stft(wave, self.n_fft, hop_length=self.hop, window=self.window, return_complex=True).abs()
        return self.backbone(torch.log1p(spec).unsqueeze(1))


train_set = BirdCLEF("birdclef-2023")
loader = DataLoader(train_set, batch_size=8, shuffle=True, collate_fn=pad_collate)
model = SpectrogramCNN(len(train_set.species)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    model.train()
    for wave, y in tqdm(loader, desc=f"epoch {epoch}"):
        wave, y = wave.to(device), y.to(device)
        loss = criterion(model(wave), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["dict-batch-loop-rebinds-value-to-device"] = '''
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")


class PlantVillage(Dataset):
    """returns dicts, like a Hugging Face dataset with a transform"""

    def __init__(self, root, transform):
        self.classes = sorted(os.listdir(root))
        self.items = [(os.path.join(root, c, f), i) for i, c in enumerate(self.classes)
                      for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return {"pixel_values": self.transform(Image.open(path).convert("RGB")), "labels": label}


tf = transforms.Compose([transforms.RandomResizedCrop(160), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = PlantVillage("plantvillage/train", tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.efficientnet_b0(num_classes=len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    for batch in loader:
        for key, value in batch.items():
            value = value.to(device)
        logits = model(batch["pixel_values"])
        loss = criterion(logits, batch["labels"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["arcface-margin-head-left-on-cpu"] = '''
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")


class ArcMarginProduct(nn.Module):
    """additive angular margin (ArcFace): cos(theta + m) for the true class, scaled by s"""

    def __init__(self, in_features, out_features, s=30.0, m=0.50):
        super().__init__()
        self.s, self.m = s, m
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        nn.init.xavier_uniform_(self.weight)
        self.cos_m, self.sin_m = math.cos(m), math.sin(m)
        self.th, self.mm = math.cos(math.pi - m), math.sin(math.pi - m) * m

    def forward(self, x, label):
        cosine = F.linear(F.normalize(x), F.normalize(self.weight))
        sine = torch.sqrt((1.0 - cosine.pow(2)).clamp(0, 1))
        phi = cosine * self.cos_m - sine * self.sin_m
        phi = torch.where(cosine > self.th, phi, cosine - self.mm)
        one_hot = F.one_hot(label, cosine.size(1)).float()
        return self.s * (one_hot * phi + (1.0 - one_hot) * cosine)


tf = transforms.Compose([transforms.Resize((112, 112)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
train_set = datasets.ImageFolder("CASIA-WebFace", transform=tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)

backbone = torchvision.models.resnet50(num_classes=512)           # 512-d face embedding
backbone = backbone.to(device)
metric_fc = ArcMarginProduct(512, len(train_set.classes), s=64.0, m=0.5)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD([{"params": backbone.parameters()}, {"params": metric_fc.parameters()}],
                            lr=0.1, momentum=0.9, weight_decay=5e-4)
print(f"{len(train_set)} faces of {len(train_set.classes)} identities")
for epoch in range(20):
    backbone.train()
    for img, label in tqdm(loader, desc=f"epoch {epoch}"):
        img, label = img.to(device), label.to(device)
        logits = metric_fc(backbone(img), label)
        loss = criterion(logits, label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["cutmix-box-mask-built-with-numpy"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
CUTMIX_PROB = 0.5


def cutmix(x, y, alpha=1.0):
    """paste a box of a shuffled batch into the images; the labels mix by the pasted area"""
    lam = np.random.beta(alpha, alpha)
    index = torch.randperm(x.size(0), device=x.device)
    H, W = x.shape[2:]
    cut_h, cut_w = int(H * np.sqrt(1 - lam)), int(W * np.sqrt(1 - lam))
    cy, cx = np.random.randint(H), np.random.randint(W)
    y1, y2 = np.clip(cy - cut_h // 2, 0, H), np.clip(cy + cut_h // 2, 0, H)
    x1, x2 = np.clip(cx - cut_w // 2, 0, W), np.clip(cx + cut_w // 2, 0, W)
    mask = np.ones((H, W), dtype=np.float32)
    mask[y1:y2, x1:x2] = 0.0
    mask = torch.from_numpy(mask)
    mixed = x * mask + x[index] * (1 - mask)
    lam = float(mask.mean())
    return mixed, y, y[index], lam


np.random.seed(1)
tf = transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("oxford-pets/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)
model = torchvision.models.resnet34(num_classes=len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
for epoch in range(40):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        if np.random.rand() < CUTMIX_PROB:
            x, y_a, y_b, lam = cutmix(x, y)
            out = model(x)
            loss = lam * criterion(out, y_a) + (1 - lam) * criterion(out, y_b)
        else:
            loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["realnvp-prior-distribution-built-on-cpu"] = '''
import math

import numpy as np
import torch
import torch.nn as nn

device = torch.device("cuda")


def make_moons(n, noise=0.05, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, math.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], 1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    x = np.where(rng.random(n)[:, None] < 0.5, upper, lower) + rng.normal(0, noise, (n, 2))
    return torch.tensor(x, dtype=torch.float32)


class Coupling(nn.Module):
    """affine coupling: one half of the coordinates scales and shifts the other (Dinh et al. 2017)"""

    def __init__(self, mask, hidden=128):
        super().__init__()
        self.register_buffer("mask", mask)
        self.s = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
                               nn.Linear(hidden, 2), nn.Tanh())
        self.t = nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
                               nn.Linear(hidden, 2))

    def forward(self, x):
        xm = x * self.mask
        s, t = self.s(xm) * (1 - self.mask), self.t(xm) * (1 - self.mask)
        return xm + (1 - self.mask) * (x * torch.exp(s) + t), s.sum(1)


class RealNVP(nn.Module):
    def __init__(self, n_layers=6):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0]) for i in range(n_layers)]
        self.layers = nn.ModuleList([Coupling(m) for m in masks])

    def forward(self, x):
        log_det = torch.zeros(x.size(0), device=x.device)
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det


prior = torch.distributions.MultivariateNormal(torch.zeros(2), torch.eye(2))
flow = RealNVP().to(device)
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-3)
data = make_moons(8192)
for step in range(5001):
    x = data[torch.randint(len(data), (256,))].to(device)
    z, log_det = flow(x)
    loss = -(prior.log_prob(z) + log_det).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 500 == 0:
        print(f"step {step}: nll {loss.item():.3f}")
'''
SCRIPTS["best-checkpoint-saved-with-model-cpu"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf_train = transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
tf_val = transforms.Compose([transforms.Resize(144), transforms.CenterCrop(128), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("intel-scenes/seg_train", tf_train), batch_size=8, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("intel-scenes/seg_test", tf_val), batch_size=8)

model = torchvision.models.mobilenet_v3_small(num_classes=6).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
best_acc = 0.0
for epoch in range(25):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    acc = correct / len(val_loader.dataset)
    print(f"epoch {epoch}: loss {loss.item():.4f}, val acc {acc:.3f}")
    if acc >= best_acc:
        best_acc = acc
        torch.save(model.cpu().state_dict(), "best_model.pth")      # CPU tensors, so it loads on the laptop too
        print(f"  saved best_model.pth (val acc {acc:.3f})")
'''

# ------------------------------------------------------------------ CUDA in DataLoader workers
SCRIPTS["padding-collate-moves-batch-to-cuda-in-workers"] = '''
import csv
import re
from collections import Counter

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
PAD, UNK = 0, 1


def tokenize(text):
    return re.findall(r"[a-z']+", text.lower())


with open("imdb/train.csv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
counts = Counter(w for r in rows for w in tokenize(r["review"]))
vocab = {w: i + 2 for i, (w, _) in enumerate(counts.most_common(20000))}


class Reviews(Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        ids = torch.tensor([vocab.get(w, UNK) for w in tokenize(r["review"])][:400])
        return ids, int(r["sentiment"] == "positive")


def collate(batch):
    """pad to the longest review and hand the batch over on the GPU"""
    ids, labels = zip(*batch)
    lengths = torch.tensor([len(t) for t in ids])
    padded = pad_sequence(ids, batch_first=True, padding_value=PAD)
    return padded.to(device), lengths, torch.tensor(labels, dtype=torch.float32).to(device)


class BiLSTM(nn.Module):
    def __init__(self, vocab_size, dim=128, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=PAD)
        self.lstm = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, 1)

    def forward(self, ids, lengths):
        packed = pack_padded_sequence(self.embed(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.fc(torch.cat([h[-2], h[-1]], 1)).squeeze(1)


model = BiLSTM(len(vocab) + 2).to(device)
loader = DataLoader(Reviews(rows), batch_size=32, shuffle=True, collate_fn=collate, num_workers=4)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    for ids, lengths, y in loader:
        loss = criterion(model(ids, lengths), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ mixed precision
SCRIPTS["gradscaler-unscale-after-step-to-log-grad-norm"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
tf = transforms.Compose([transforms.RandomResizedCrop(160), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("cassava/train", transform=tf), batch_size=8, shuffle=True)
model = torchvision.models.convnext_tiny(num_classes=5).to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=0.05)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(15):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in pbar:
        x, y = x.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = criterion(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        # log the real (unscaled) gradient norm, and clip it
        scaler.unscale_(optimizer)
        grad_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        scaler.update()
        pbar.set_postfix(loss=f"{loss.item():.3f}", grad_norm=f"{grad_norm.item():.2f}")
'''
SCRIPTS["amp-graph-readout-index-add-into-float-buffer"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

device = torch.device("cuda")
ATOMS = ["H", "C", "N", "O", "F"]

with open("qm9_subset/molecules.json") as f:
    molecules = json.load(f)
print(f"{len(molecules)} molecules")


def collate(mols):
    """one big disconnected graph per batch, with the molecule of every atom in `batch`"""
    xs, edges, batch, ys, offset = [], [], [], [], 0
    for g, m in enumerate(mols):
        xs.append(F.one_hot(torch.tensor([ATOMS.index(a) for a in m["atoms"]]), len(ATOMS)).float())
        e = torch.tensor(m["bonds"], dtype=torch.long).t()
        edges.append(torch.cat([e, e.flip(0)], 1) + offset)
        batch.append(torch.full((len(m["atoms"]),), g, dtype=torch.long))
        ys.append(m["gap"])
        offset += len(m["atoms"])
    return torch.cat(xs), torch.cat(edges, 1), torch.cat(batch), torch.tensor(ys)


class MPNN(nn.Module):
    def __init__(self, hidden=128, steps=4):
        super().__init__()
        self.embed = nn.Linear(len(ATOMS), hidden)
        self.msg = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(steps)])
        self.upd = nn.ModuleList([nn.Linear(2 * hidden, hidden) for _ in range(steps)])
        self.head = nn.Sequential(nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, 1))

    def forward(self, x, edge_index, batch, num_graphs):
        h = F.silu(self.embed(x))
        src, dst = edge_index
        for msg, upd in zip(self.msg, self.upd):
            m = torch.zeros_like(h).index_add_(0, dst, F.silu(msg(h[src])))
            h = h + F.silu(upd(torch.cat([h, m], 1)))
        pooled = torch.zeros(num_graphs, h.size(1), device=h.device).index_add_(0, batch, h)     # sum readout
        return self.head(pooled).squeeze(1)


loader = DataLoader(molecules, batch_size=32, shuffle=True, collate_fn=collate)
model = MPNN().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(100):
    for x, edge_index, batch, y in loader:
        x, edge_index, batch, y = x.to(device), edge_index.to(device), batch.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            pred = model(x, edge_index, batch, num_graphs=len(y))
            loss = F.l1_loss(pred.float(), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: MAE {loss.item():.4f} eV")
'''

# ------------------------------------------------------------------ integer tensors the CUDA kernels do not take
CELLS["notebook-confusion-matrix-int64-one-hot-matmul"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_set = datasets.ImageFolder("weather/train", transform=tf)
val_set = datasets.ImageFolder("weather/val", transform=tf)
classes = train_set.classes
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)
print(device, classes)''',
    '''model = torchvision.models.resnet18(num_classes=len(classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")''',
    '''# confusion matrix without a python loop: one-hot(true)^T @ one-hot(pred)
model.eval()
ys, preds = [], []
with torch.no_grad():
    for x, y in val_loader:
        preds.append(model(x.to(device)).argmax(1))
        ys.append(y.to(device))
y_true, y_pred = torch.cat(ys), torch.cat(preds)
cm = F.one_hot(y_true, len(classes)).T @ F.one_hot(y_pred, len(classes))
print(cm)
print("per-class recall:", (cm.diag() / cm.sum(1).clamp(min=1)).tolist())''',
]
SCRIPTS["cell-counting-dot-maps-avg-pool-int64"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

device = torch.device("cuda")
STRIDE = 4


class VGGCells(Dataset):
    """synthetic fluorescence cells (VGG): 001cell.png + 001dots.png, one red pixel per cell"""

    def __init__(self, root):
        self.cells = sorted(glob.glob(f"{root}/*cell.png"))

    def __len__(self):
        return len(self.cells)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.cells[i]).convert("RGB"))
        dots = np.array(Image.open(self.cells[i].replace("cell.png", "dots.png")).convert("RGB"))[:, :, 0] > 0
        return img, torch.from_numpy(dots.astype(np.int64))


def conv(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


# an FCN with output stride 4 that predicts a density map; its sum is the cell count
model = nn.Sequential(conv(3, 32), conv(32, 32), nn.MaxPool2d(2), conv(32, 64), conv(64, 64), nn.MaxPool2d(2),
                      conv(64, 128), conv(128, 128), nn.Conv2d(128, 1, 1), nn.ReLU()).to(device)
loader = DataLoader(VGGCells("vgg_cells/train"), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    model.train()
    for img, dots in loader:
        img, dots = img.to(device), dots.to(device)
        # sum-pool the dots to the output resolution: each cell still counts once
        target = F.avg_pool2d(dots.unsqueeze(1), kernel_size=STRIDE) * STRIDE ** 2
        density = model(img)
        loss = F.mse_loss(density, target.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    count_err = (density.sum((1, 2, 3)) - dots.sum((1, 2)).float()).abs().mean().item()
    print(f"epoch {epoch}: mse {loss.item():.5f}, count error {count_err:.1f}")
'''

# ------------------------------------------------------------------ plain bugs
CELLS["notebook-images-cuda-without-call"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)), transforms.ToTensor(),
                         transforms.Normalize((0.1307,), (0.3081,))])
train_set = datasets.ImageFolder("kannada_mnist/train", transform=tf)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25),
                                        nn.Linear(128, len(train_set.classes)))

    def forward(self, x):
        return self.classifier(self.features(x))


model = Net().cuda()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(10):
    model.train()
    running = 0.0
    for images, labels in train_loader:
        images = images.cuda
        labels = labels.cuda()
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(train_loader):.4f}")''',
]
SCRIPTS["epoch-auc-sigmoid-probs-cpu-numpy-without-detach"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")


def roc_auc(y, p):
    """rank-based AUC (Mann-Whitney U), no sklearn on the cluster"""
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(n_pos * n_neg, 1)


tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((224, 224)), transforms.RandomRotation(5),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("chest_xray/train", transform=tf)          # NORMAL, PNEUMONIA
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.densenet121(num_classes=1).to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(20):
    model.train()
    all_y, all_p = [], []
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.float().to(device)
        logits = model(x).squeeze(1)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        all_p.extend(torch.sigmoid(logits).cpu().numpy())
        all_y.extend(y.cpu().numpy())
    print(f"epoch {epoch}: loss {loss.item():.4f}, train AUC {roc_auc(np.array(all_y), np.array(all_p)):.3f}")
'''
SCRIPTS["dataparallel-unfreeze-layer4-on-wrapper"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
HEAD_EPOCHS, FINETUNE_EPOCHS = 2, 20
tf = transforms.Compose([transforms.RandomResizedCrop(160), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("stanford_dogs/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2)

model = torchvision.models.resnet50(num_classes=len(train_set.classes))
for name, p in model.named_parameters():            # stage 1: the new head only
    p.requires_grad = name.startswith("fc.")
model = nn.DataParallel(model).to(device)           # every GPU of the lab server
print(f"{torch.cuda.device_count()} GPU(s): {torch.cuda.get_device_name(0)}")
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.001, momentum=0.9)


def train(epochs):
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


train(HEAD_EPOCHS)
# stage 2: unfreeze the last residual block, with a smaller learning rate for it
for p in model.layer4.parameters():
    p.requires_grad = True
optimizer.add_param_group({"params": model.layer4.parameters(), "lr": 1e-3})
train(FINETUNE_EPOCHS)
'''

# ------------------------------------------------------------------ ImageAI 3 on the GPU
CELLS["notebook-imageai-inceptionv3-last-batch-of-one"] = [
    '''import os
import torch

print(torch.__version__, torch.cuda.get_device_name(0))
for split in ("train", "test"):
    print(split, {c: len(os.listdir(f"flowers/{split}/{c}")) for c in sorted(os.listdir(f"flowers/{split}"))})''',
    '''from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=50, batch_size=8)''',
]


# ====================================================================== setups
camvid = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(21)
    PALETTE = [(128, 128, 128), (128, 0, 0), (192, 192, 128), (128, 64, 128), (60, 40, 222), (128, 128, 0),
               (192, 128, 128), (64, 64, 128), (64, 0, 128), (64, 64, 0), (0, 128, 192), (0, 0, 0)]
    os.makedirs("CamVid/train", exist_ok=True)
    os.makedirs("CamVid/train_labels", exist_ok=True)
    yy, xx = np.mgrid[0:360, 0:480]
    for i in range(8):
        name = f"0001TP_{6690 + 30 * i:06d}"
        img = np.stack([(xx // 3 + 20 * i) % 256, (yy // 2) % 256, ((xx + yy) // 4) % 256], -1) + rng.integers(0, 30, (360, 480, 3))
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"CamVid/train/{name}.png")
        cls = np.full((360, 480), 0)                      # sky on top
        cls[120:, :] = 1                                  # buildings
        cls[250:, :] = 3                                  # road
        cls[250:, :60] = 4                                # pavement
        cls[200:300, 100 + 20 * i:180 + 20 * i] = 8       # a car
        cls[150:320, 400:410] = 2                         # a pole
        cls[330:, 300:] = 11                              # void
        label = np.array(PALETTE, dtype=np.uint8)[cls]
        Image.fromarray(label).save(f"CamVid/train_labels/{name}_L.png")
''')


def movielens(work: Path):
    import random

    rnd = random.Random(4)
    movie_ids = [1, 2, 3, 6, 10, 32, 47, 50, 110, 150, 260, 296, 318, 356, 457, 480, 527, 589, 593, 780, 858, 1196,
                 1198, 1210, 1270, 2028, 2571, 2762, 2858, 2959, 3578, 4306, 4993, 5952, 7153, 58559, 79132, 109487,
                 122904, 187593]
    rows = ["userId,movieId,rating,timestamp"]
    for u in range(1, 61):
        for m in sorted(rnd.sample(movie_ids, rnd.randint(6, 14))):
            rows.append(f"{u},{m},{rnd.choice([2.0, 2.5, 3.0, 3.5, 4.0, 4.0, 4.5, 5.0])},{964982703 + 977 * u + m}")
    (work / "ml-latest-small").mkdir(parents=True, exist_ok=True)
    (work / "ml-latest-small/ratings.csv").write_text("\n".join(rows) + "\n")


def eng_fra(work: Path):
    import random

    rnd = random.Random(5)
    subjects = [("I", "Je"), ("You", "Tu"), ("He", "Il"), ("She", "Elle"), ("We", "Nous"), ("They", "Ils")]
    phrases = [(["am tired", "are tired", "is tired", "is tired", "are tired", "are tired"],
                ["suis fatigué", "es fatiguée", "est fatigué", "est fatiguée", "sommes fatigués", "sont fatigués"]),
               (["am hungry", "are hungry", "is hungry", "is hungry", "are hungry", "are hungry"],
                ["ai faim", "as faim", "a faim", "a faim", "avons faim", "ont faim"]),
               (["am at home", "are at home", "is at home", "is at home", "are at home", "are at home"],
                ["suis à la maison", "es chez toi", "est chez lui", "est chez elle", "sommes chez nous", "sont chez eux"]),
               (["see the cat", "see the cat", "sees the cat", "sees the cat", "see the cat", "see the cat"],
                ["vois le chat", "vois le chat", "voit le chat", "voit le chat", "voyons le chat", "voient le chat"]),
               (["like music", "like music", "likes music", "likes music", "like music", "like music"],
                ["aime la musique", "aimes la musique", "aime la musique", "aime la musique", "aimons la musique",
                 "aiment la musique"]),
               (["read a book", "read a book", "reads a book", "reads a book", "read a book", "read a book"],
                ["lis un livre", "lis un livre", "lit un livre", "lit un livre", "lisons un livre", "lisent un livre"])]
    lines = [f"{e} {pe[k]}.\t{f} {pf[k]}.\tCC-BY 2.0 (France) Attribution: tatoeba.org #{1000 + 37 * k + 7 * n}"
             for k, (e, f) in enumerate(subjects) for n, (pe, pf) in enumerate(phrases)]
    rnd.shuffle(lines)
    (work / "data").mkdir(parents=True, exist_ok=True)
    (work / "data/eng-fra.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


pong = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(22)
    os.makedirs("pong_replay", exist_ok=True)
    n = 128
    frames = rng.integers(0, 40, (n + 4, 84, 84), dtype=np.uint8)
    frames[:, 20:24, 6:9] = 236                                   # the paddles
    frames[:, 40:44, 75:78] = 92
    obs = np.stack([frames[i:i + 4] for i in range(n)])
    next_obs = np.stack([frames[i + 1:i + 5] for i in range(n)])
    action = rng.choice(6, n, p=[0.25, 0.05, 0.3, 0.3, 0.05, 0.05]).astype(np.int64)   # ALE Pong: 6 actions
    reward = np.zeros(n, dtype=np.float32)
    reward[rng.choice(n, 6, replace=False)] = [1, -1, 1, 1, -1, 1]
    done = np.zeros(n, dtype=np.bool_)
    done[[63, 127]] = True
    np.savez_compressed("pong_replay/ppo_agent_transitions.npz", obs=obs, action=action, reward=reward,
                        next_obs=next_obs, done=done)
''')


def _hardhat_rows(split, i):
    import random

    rnd = random.Random(f"hardhat-{split}-{i}")
    lines = []
    for k in range(3 + i % 3):
        cls = (1, 2, 3, 2, 1, 3)[(k + i) % 6]          # 0 is the project class of the export: no boxes
        w, h = rnd.uniform(0.05, 0.3), rnd.uniform(0.08, 0.4)
        lines.append(f"{cls} {rnd.uniform(0.2, 0.8):.6f} {rnd.uniform(0.2, 0.8):.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


def _hardhat_yaml(work: Path):
    (work / "hard-hat-workers/data.yaml").write_text(
        "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n\nnc: 4\n"
        "names: ['hard-hat-workers', 'head', 'helmet', 'person']\n\nroboflow:\n  workspace: joseph-nelson\n"
        "  project: hard-hat-workers\n  version: 13\n  license: Public Domain\n"
        "  url: https://universe.roboflow.com/joseph-nelson/hard-hat-workers/dataset/13\n")


hardhat = both(yolo_layout("hard-hat-workers", _hardhat_rows, size=(208, 208), splits=(("train", 12), ("validation", 4))),
               _hardhat_yaml)
food36 = imgs(class_folder("food/train", ("pizza", "ramen", "sushi"), 12, size=(96, 96)))
histo = prep('''
    import os
    import numpy as np
    import torch, torch.nn as nn, torchvision
    from PIL import Image
    rng = np.random.default_rng(23)
    os.makedirs("histo/test", exist_ok=True)
    os.makedirs("checkpoints", exist_ok=True)
    for i in range(64):
        Image.fromarray(rng.integers(60, 255, (96, 96, 3), dtype=np.uint8)).save(f"histo/test/patch_{i:05d}.png")
    torch.manual_seed(0)
    m = torchvision.models.resnet18()
    m.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(512, 2))
    torch.save(m.state_dict(), "checkpoints/resnet18_mcdropout_best.pth")
''')
openwebtext = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(24)
    os.makedirs("data/openwebtext", exist_ok=True)
    ranks = np.minimum(rng.zipf(1.2, 1_000_000), 50256)           # GPT-2 token ids, Zipf-like
    ranks.astype(np.uint16).tofile("data/openwebtext/train.bin")
''')
birdclef = prep('''
    import os
    import numpy as np
    from scipy.io import wavfile
    rng = np.random.default_rng(25)
    SR = 32000
    rows = ["primary_label,secondary_labels,type,latitude,longitude,scientific_name,common_name,author,license,rating,url,filename"]
    clips = [("abethr1", "XC128013", 35), ("abethr1", "XC363501", 150), ("afghor1", "XC156639", 62),
             ("afghor1", "XC553917", 20), ("barswa", "XC121739", 118), ("barswa", "XC205398", 90),
             ("combuz1", "XC184567", 47), ("combuz1", "XC461305", 133)]
    for sp, xc, secs in clips:
        os.makedirs(f"birdclef-2023/train_audio/{sp}", exist_ok=True)
        t = np.arange(secs * SR) / SR
        chirp = 0.3 * np.sin(2 * np.pi * (2500 + 800 * np.sin(2 * np.pi * 0.7 * t)) * t) * (np.sin(2 * np.pi * 0.25 * t) > 0.6)
        wave = (chirp + 0.05 * rng.standard_normal(len(t))) * 32767 * 0.8
        wavfile.write(f"birdclef-2023/train_audio/{sp}/{xc}.wav", SR, wave.astype(np.int16))
        rows.append(f"{sp},[],['song'],-1.29,36.82,Sp. {sp},{sp},xeno-canto,Creative Commons Attribution-NonCommercial-ShareAlike 4.0,4.0,"
                    f"https://www.xeno-canto.org/{xc[2:]},{sp}/{xc}.wav")
    with open("birdclef-2023/train_metadata.csv", "w") as f:
        f.write("\\n".join(rows) + "\\n")
''')
plantvillage = imgs(class_folder("plantvillage/train", ("Tomato___Early_blight", "Tomato___Late_blight", "Tomato___healthy"),
                                 4))
casia = imgs(class_folder("CASIA-WebFace", ("0000045", "0000099", "0000100", "0000102", "0000103"), 4, size=(112, 112)))
pets = imgs(class_folder("oxford-pets/train", ("Abyssinian", "Bengal", "beagle", "pug"), 4))
SCENES = ("buildings", "forest", "glacier", "mountain", "sea", "street")
scenes = imgs(class_folder("intel-scenes/seg_train", SCENES, 2) + class_folder("intel-scenes/seg_test", SCENES, 1))


def imdb(work: Path):
    import random

    rnd = random.Random(6)
    pos = "a wonderful moving film with brilliant acting and a great story i loved it".split()
    neg = "a boring awful mess with terrible acting and a dull plot i hated it".split()
    common = "the movie this was and of to in that it's but one for with as on".split()
    rows = ["review,sentiment"]
    for i in range(96):
        s = "positive" if i % 2 else "negative"
        words = [rnd.choice(pos if s == "positive" else neg) if rnd.random() < 0.4 else rnd.choice(common)
                 for _ in range(rnd.randint(20, 120))]
        rows.append(f"\"{' '.join(words).capitalize()}.<br /><br />{rnd.choice(['10/10', '1/10', 'See it.', 'Skip it.'])}\",{s}")
    (work / "imdb").mkdir(parents=True, exist_ok=True)
    (work / "imdb/train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


cassava = imgs(class_folder("cassava/train", ("cbb", "cbsd", "cgm", "cmd", "healthy"), 3))


def qm9(work: Path):
    import json
    import random

    rnd = random.Random(7)
    mols = []
    for i in range(96):
        n_heavy = rnd.randint(2, 9)
        atoms = [rnd.choice("CCCCNOF") for _ in range(n_heavy)]
        bonds = [[k, rnd.randrange(k)] for k in range(1, n_heavy)]          # a tree of heavy atoms
        for k in range(n_heavy):
            for _ in range(rnd.randint(0, 2)):
                atoms.append("H")
                bonds.append([len(atoms) - 1, k])
        mols.append({"gdb_id": f"gdb_{1000 + i}", "atoms": atoms, "bonds": bonds,
                     "gap": round(rnd.uniform(4.0, 10.0), 4)})
    (work / "qm9_subset").mkdir(parents=True, exist_ok=True)
    (work / "qm9_subset/molecules.json").write_text(json.dumps(mols))


WEATHER = ("cloudy", "rain", "shine", "sunrise")
weather = imgs(class_folder("weather/train", WEATHER, 4) + class_folder("weather/val", WEATHER, 2))
vgg_cells = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(26)
    os.makedirs("vgg_cells/train", exist_ok=True)
    yy, xx = np.mgrid[0:256, 0:256]
    for i in range(8):
        img = np.zeros((256, 256, 3))
        dots = np.zeros((256, 256, 3), dtype=np.uint8)
        for _ in range(int(rng.integers(80, 160))):
            cy, cx = rng.integers(4, 252, 2)
            img[..., 2] += 200 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 18.0)
            dots[cy, cx] = (255, 0, 0)
        img = (img + rng.normal(0, 6, img.shape)).clip(0, 255).astype(np.uint8)
        Image.fromarray(img).save(f"vgg_cells/train/{i + 1:03d}cell.png")
        Image.fromarray(dots).save(f"vgg_cells/train/{i + 1:03d}dots.png")
''')
kannada = imgs(class_folder("kannada_mnist/train", [str(d) for d in range(10)], 3, size=(28, 28), mode="L", ext="png"))
chest = imgs(class_folder("chest_xray/train", ("NORMAL", "PNEUMONIA"), 8, size=(128, 128), mode="L", ext="jpeg"))
dogs = imgs(class_folder("stanford_dogs/train", ("n02085620-Chihuahua", "n02088364-beagle", "n02099601-golden_retriever"),
                         4))
flowers9 = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 3) + class_folder("flowers/test", ("daisy", "rose", "tulip"), 2))


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, argv=(), **kw):
        out.append(Case("torch-cuda6-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, argv=["train.py", *argv], **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda6-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("camvid-colour-masks-read-as-grayscale", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=camvid)
    script("movielens-embeddings-sized-by-distinct-ids", "data.label_out_of_range", assertf, setup=movielens,
           also=["model.output_mismatch"])
    script("seq2seq-generator-sized-by-source-vocab", "data.label_out_of_range", assertf, setup=eng_fra,
           also=["model.output_mismatch"])
    script("offline-dqn-pong-six-actions-three-action-head", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=pong, also=["model.output_mismatch"])
    script("imageai-roboflow-export-keeps-empty-class-zero", "data.label_out_of_range",
           ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "progress_bars?"), framework="imageai",
           setup=hardhat)
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-vit-large-finetune-adamw-batch-32", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=food36)
    script("oom-mc-dropout-passes-without-no-grad", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=histo,
           also=["optim.autograd_graph"])
    script("oom-nanogpt-gpt2-vocab-1024-context", "resource.gpu_oom", oomf, setup=openwebtext)
    script("oom-birdclef-whole-recordings-spectrogram", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=birdclef)
    # two devices
    script("dict-batch-loop-rebinds-value-to-device", "env.device_mismatch", setup=plantvillage)
    script("arcface-margin-head-left-on-cpu", "env.device_mismatch", ("cpython_basic", "progress_bars?"), setup=casia)
    script("cutmix-box-mask-built-with-numpy", "env.device_mismatch", setup=pets)
    script("realnvp-prior-distribution-built-on-cpu", "env.device_mismatch")
    script("best-checkpoint-saved-with-model-cpu", "env.device_mismatch", setup=scenes, also=["model.api_misuse"])
    # CUDA in forked DataLoader workers
    script("padding-collate-moves-batch-to-cuda-in-workers", "env.multiprocessing",
           ("cpython_basic", "dataloader_worker?"), setup=imdb, also=["env.device_mismatch"])
    # mixed precision
    script("gradscaler-unscale-after-step-to-log-grad-norm", "model.api_misuse", ("cpython_basic", "progress_bars?"),
           setup=cassava)
    script("amp-graph-readout-index-add-into-float-buffer", "data.dtype", setup=qm9, also=["model.api_misuse"])
    # integer tensors that only the CPU kernels take
    notebook("notebook-confusion-matrix-int64-one-hot-matmul", "data.dtype", setup=weather)
    script("cell-counting-dot-maps-avg-pool-int64", "data.dtype", setup=vgg_cells)
    # plain bugs
    notebook("notebook-images-cuda-without-call", "model.api_misuse", setup=kannada)
    script("epoch-auc-sigmoid-probs-cpu-numpy-without-detach", "optim.autograd_graph",
           ("cpython_basic", "progress_bars?"), setup=chest, also=["model.api_misuse"])
    script("dataparallel-unfreeze-layer4-on-wrapper", "model.api_misuse", setup=dogs)
    # ImageAI 3 on the GPU
    notebook("notebook-imageai-inceptionv3-last-batch-of-one", "model.input_shape",
             ("ipython_cell", "ipython_arrows?", "progress_bars?"), framework="imageai", setup=flowers9,
             also=["other"])
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC, jobs=6))
