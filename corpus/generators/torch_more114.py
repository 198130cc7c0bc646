"""A hundred-and-fourteenth held-out set (g211, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch training failures: indie game developers and digital artists.

The persona: indie game developers and digital artists training their own small generative and vision models on
gaming PCs (one with a Radeon card), a MacBook and the odd Colab notebook, from tutorials and GitHub repositories --
sprite GANs on itch.io asset packs, tile autoencoders on Aseprite exports, a tiny DDPM for particle / decal textures,
Gatys and WCT style transfer of concept art, pixel-art and icon upscalers (community ESRGAN models, palette-locked
output), a doodle-spell recogniser for a game prototype, Quick, Draw! sketch classifiers, pose estimation on Blender
renders and reference video for animation, a detector trained on synthetic Unity captures, a tile-level generator
on Tiled maps, a 4K PBR material library. Untargeted across the taxonomy; each program is built so that its cause is
known by construction and made to fail inside torch, torchvision, PIL, OpenCV, pickle or multiprocessing:

- images: sprites of a 32 px and a 48 px asset pack batched without a resize "so the pixel art stays crisp"
  (DataLoader workers, where the collate error reads "Trying to resize storage that is not resizable",
  data.image_size_mismatch); Aseprite tiles exported in Indexed colour mode ("P" PNGs) into a three-channel
  ``Normalize`` (tqdm, data.image_channels); the Godot prototype's RGBA canvas capture classified by the greyscale
  doodle model (data.image_channels); a sprite tagger globbing the Unity project's ``Assets`` folder, ``.png.meta``
  files and all (workers, data.missing_or_corrupt); a Blender walk-cycle render cancelled with Output >
  Placeholders on, its empty frames read with ``cv2.imread`` (tqdm, data.missing_or_corrupt);
- labels: synthetic Unity captures whose screen rectangles were clamped to the viewport, so an enemy that walked
  off-screen becomes a zero-width box for Faster R-CNN (data.bbox_invalid); eight game items picked from Quick,
  Draw! labelled with their index in the full ``categories.txt`` (tqdm, data.label_out_of_range); animation-state
  strips whose eight frames are flattened into the batch while the state labels stay one per strip
  (data.label_shape); Tiled levels cached as ``uint8`` tile ids into an ``nn.Embedding`` (data.dtype);
- models: a pose network for 128 px actor crops given a whole 1280 x 720 reference-video frame (notebook,
  model.input_shape); a tiny texture DDPM whose U-Net got ``in_channels=4`` for RGBA but kept ``out_channels=3``
  (a broadcasting warning first, notebook, model.output_mismatch); a community "old-arch" ESRGAN pixel-art model
  loaded into Real-ESRGAN's ``RRDBNet`` (model.weights_mismatch); a repo's COCO 17-keypoint checkpoint loaded into
  the model built for the 22-joint character rig (model.weights_mismatch); a residual icon upscaler calling
  ``F.interpolate(mode="nearest", align_corners=False)`` (model.api_misuse); ``load_state_dict`` given the sprite
  generator's checkpoint path (notebook, model.api_misuse);
- optimisation: Adam style transfer clamping the optimised image in place outside ``no_grad``
  (optim.autograd_graph); a 2x tile upscaler that snaps its output to the game's GIMP palette with ``argmin``
  inside ``forward`` (optim.autograd_graph); a next-tile level generator fed the raw pixel x position with SGD +
  momentum, whose per-epoch preview meets NaN probabilities in ``torch.multinomial`` (tqdm, optim.divergence);
- resource / environment / other: every 4K map of a 480-material PBR library preallocated as one float32 tensor
  (resource.host_memory); a Colab training notebook's ``torch.device("cuda")`` on the Radeon gaming PC, GradScaler
  warnings first (notebook, env.cuda_setup); a 2018 WCT style-transfer port calling ``torch.symeig``
  (env.version_incompat); sprites read from the downloaded itch.io zip through a ``ZipFile`` kept on the Dataset,
  with spawned workers as on the MacBook (env.multiprocessing); a two-process DDP pose run whose intermediate
  supervision head is switched off in the config but still built (torchrun, gloo, env.distributed); the whole
  sprite generator, which holds a ``lambda`` activation, saved with ``torch.save(G)`` (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more114.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more114.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== images
# ------------------------------------------------------------------ sprite GAN on two asset packs, no Resize
SPRITES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
# the free 32 x 32 dungeon pack, and the 48 x 48 knights pack bought later on itch.io
for pack, size, n in [("tiny_dungeon_32px", 32, 20), ("knights_and_slimes_48px", 48, 12)]:
    os.makedirs(f"sprites/{pack}", exist_ok=True)
    for i in range(n):
        a = np.zeros((size, size, 4), np.uint8)
        a[4:-4, 6:-6, :3] = rng.integers(0, 255, (size - 8, size - 12, 3), dtype=np.uint8)
        a[4:-4, 6:-6, 3] = 255
        Image.fromarray(a, "RGBA").save(f"sprites/{pack}/{pack.split('_')[0]}_{i:03d}.png")
'''

SCRIPTS["sprite-gan-two-asset-packs-no-resize-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from torchvision.utils import save_image

NZ = 64


class Sprites(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        # no Resize on purpose: any resampling smears the pixel art
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGBA")
        bg = Image.new("RGBA", img.size, (0, 0, 0, 255))
        return self.tf(Image.alpha_composite(bg, img).convert("RGB"))


def generator():
    return nn.Sequential(
        nn.ConvTranspose2d(NZ, 128, 4, 1, 0, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
        nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(True),
        nn.ConvTranspose2d(32, 3, 4, 2, 1, bias=False), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Conv2d(3, 32, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
        nn.Conv2d(32, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2, True),
        nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, True),
        nn.Conv2d(128, 1, 4, 1, 0, bias=False), nn.Flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(Sprites("sprites"), batch_size=16, shuffle=True, num_workers=2, drop_last=True)
    G, D = generator(), discriminator()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    fixed = torch.randn(16, NZ, 1, 1)
    for epoch in range(300):
        for real in loader:
            b = real.size(0)
            fake = G(torch.randn(b, NZ, 1, 1))
            loss_d = bce(D(real), torch.ones(b, 1)) + bce(D(fake.detach()), torch.zeros(b, 1))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            loss_g = bce(D(fake), torch.ones(b, 1))
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
        if epoch % 25 == 0:
            print(f"epoch {epoch}: D {loss_d.item():.3f} G {loss_g.item():.3f}")
            with torch.no_grad():
                save_image(G(fixed) * 0.5 + 0.5, f"samples_{epoch:03d}.png", nrow=4)
'''

# ------------------------------------------------------------------ Aseprite indexed-colour tiles
TILES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
# a 16-colour palette; the tileset sprite is in Indexed colour mode in Aseprite, so every export is a "P" PNG
palette = rng.integers(0, 255, (16, 3)).astype(np.uint8)
os.makedirs("tileset_export", exist_ok=True)
for i in range(48):
    idx = rng.integers(0, 16, (16, 16)).astype(np.uint8)
    im = Image.new("P", (16, 16))
    im.putpalette(palette.flatten().tolist())
    im.putdata(idx.flatten().tolist())
    im.save(f"tileset_export/forest_tiles {i}.png")
'''

SCRIPTS["aseprite-indexed-colour-tiles-normalize-tqdm"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm


class Tiles(Dataset):
    """16 x 16 tiles exported from Aseprite with File > Export Tileset (one PNG per tile)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]))


class TileAE(nn.Module):
    """autoencoder for tile variations: decode jittered codes into new tiles"""

    def __init__(self, z=32):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(64 * 4 * 4, z))
        self.dec = nn.Sequential(nn.Linear(z, 64 * 4 * 4), nn.Unflatten(1, (64, 4, 4)), nn.ReLU(),
                                 nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1),
                                 nn.Tanh())

    def forward(self, x):
        return self.dec(self.enc(x))


torch.manual_seed(0)
loader = DataLoader(Tiles("tileset_export"), batch_size=16, shuffle=True)
model = TileAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for x in bar:
        loss = nn.functional.mse_loss(model(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.4f}")
'''

# ------------------------------------------------------------------ doodle spell: Godot canvas RGBA into a 1-channel model
DOODLE_NET = '''
import torch.nn as nn

RUNES = ["fire", "ice", "lightning", "shield", "heal", "wind"]


class DoodleNet(nn.Module):
    """rune sketches, 64 x 64, greyscale (trained on the scanned sketchbook pages)"""

    def __init__(self, n=len(RUNES)):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.classifier = nn.Linear(64 * 16, n)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
'''

DOODLE_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from doodle_net import DoodleNet

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(DoodleNet().state_dict(), "models/rune_doodlenet_best.pt")
rng = np.random.default_rng(3)
os.makedirs("godot_user_data/captures", exist_ok=True)
for i in range(3):
    # what the prototype's canvas saves with get_image().save_png(): RGBA, strokes on a transparent background
    a = np.zeros((256, 256, 4), np.uint8)
    for _ in range(6):
        y, x = rng.integers(20, 230, 2)
        a[y - 6:y + 6, x - 40:x + 40] = (240, 220, 120, 255)
    Image.fromarray(a, "RGBA").save(f"godot_user_data/captures/rune_attempt_{i}.png")
'''

SCRIPTS["doodle-spell-godot-canvas-rgba-into-greyscale-model"] = '''
import glob

import torch
from PIL import Image
from torchvision import transforms

from doodle_net import RUNES, DoodleNet

model = DoodleNet()
model.load_state_dict(torch.load("models/rune_doodlenet_best.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

# the prototype saves what the player drew; check what the model makes of it before wiring it into the game
for path in sorted(glob.glob("godot_user_data/captures/*.png")):
    x = tf(Image.open(path)).unsqueeze(0)
    with torch.no_grad():
        p = model(x).softmax(1)[0]
    print(path, RUNES[int(p.argmax())], f"{p.max():.2f}")
'''

# ------------------------------------------------------------------ Unity project folder with .meta files
UNITY_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
root = "Assets/Art/Characters"
for cls in ["bat", "hero", "skeleton", "slime"]:
    d = f"{root}/{cls}"
    os.makedirs(d, exist_ok=True)
    with open(f"{root}/{cls}.meta", "w") as f:
        f.write(f"fileFormatVersion: 2\\nguid: {rng.bytes(16).hex()}\\nfolderAsset: yes\\nDefaultImporter:\\n"
                "  externalObjects: {}\\n  userData: \\n  assetBundleName: \\n  assetBundleVariant: \\n")
    for i in range(6):
        name = f"{cls}_{['idle', 'walk', 'attack'][i % 3]}_{i // 3}.png"
        a = np.zeros((32, 32, 4), np.uint8)
        a[6:28, 8:24, :3] = rng.integers(0, 255, (22, 16, 3), dtype=np.uint8)
        a[6:28, 8:24, 3] = 255
        Image.fromarray(a, "RGBA").save(f"{d}/{name}")
        # Unity writes a .meta file next to every asset it imports
        with open(f"{d}/{name}.meta", "w") as f:
            f.write(f"fileFormatVersion: 2\\nguid: {rng.bytes(16).hex()}\\nTextureImporter:\\n"
                    "  internalIDToNameTable: []\\n  serializedVersion: 12\\n  mipmaps:\\n    enableMipMap: 0\\n"
                    "  spriteMode: 1\\n  spritePixelsToUnits: 16\\n  filterMode: 0\\n  textureCompression: 0\\n")
'''

SCRIPTS["unity-assets-folder-meta-files-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

# straight from the Unity project, so new sprites are picked up without copying anything
ROOT = "Assets/Art/Characters"
CLASSES = sorted(d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d)))


class UnitySprites(Dataset):
    def __init__(self, root):
        self.items = [(p, CLASSES.index(os.path.basename(os.path.dirname(p)))) for p in sorted(glob.glob(f"{root}/*/*"))]
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = Image.open(path).convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 0, 255, 255))
        return self.tf(Image.alpha_composite(bg, img).convert("RGB")), label


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = UnitySprites(ROOT)
    print(f"{len(ds)} sprites in {len(CLASSES)} classes")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                          nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ Blender render with Placeholders on, cancelled
BLENDER_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
out = "renders/walk_cycle_v3"
os.makedirs(out, exist_ok=True)
JOINTS = ["hips", "spine", "neck", "head", "l_shoulder", "l_elbow", "l_hand", "r_shoulder", "r_elbow", "r_hand",
          "l_hip", "l_knee", "l_foot", "r_hip", "r_knee", "r_foot"]
frames = {}
for f in range(1, 61):
    name = f"{f:04d}.png"
    if f <= 44:
        Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"{out}/{name}")
    else:
        # Output > Placeholders was on: Blender creates each frame's file when it starts rendering it; the render
        # was cancelled at frame 45 and the rest stayed empty
        open(f"{out}/{name}", "wb").close()
    # export_keypoints.py writes the projected bone heads of every frame in the range before rendering
    frames[name] = {j: [round(float(x), 4) for x in rng.uniform(0.1, 0.9, 2)] for j in JOINTS}
json.dump({"joints": JOINTS, "frames": frames}, open(f"{out}/keypoints.json", "w"))
'''

SCRIPTS["blender-placeholder-frames-cv2-pose-tqdm"] = '''
import json
import os

import cv2
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from tqdm import tqdm

RENDERS = "renders/walk_cycle_v3"


class RenderedPoses(Dataset):
    def __init__(self, folder):
        self.folder = folder
        meta = json.load(open(os.path.join(folder, "keypoints.json")))
        self.joints = meta["joints"]
        self.items = sorted(meta["frames"].items())

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, kps = self.items[i]
        img = cv2.imread(os.path.join(self.folder, name))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        x = torch.from_numpy(img).permute(2, 0, 1).float() / 255
        y = torch.tensor([kps[j] for j in self.joints]).flatten()
        return x, y


torch.manual_seed(0)
ds = RenderedPoses(RENDERS)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                      nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                      nn.Linear(256, 2 * len(ds.joints)), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ================================================================== labels
# ------------------------------------------------------------------ Unity capture boxes clamped to the viewport
UNITY_CAPTURE_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("synthetic/captures", exist_ok=True)
W, H = 320, 180
frames = []
for f in range(8):
    name = f"capture_{f:05d}.png"
    Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(f"synthetic/captures/{name}")
    objs = []
    for k in range(2):
        x = float(rng.uniform(20, 240)) if not (f == 3 and k == 1) else 351.0   # this slime walked off-screen
        y = float(rng.uniform(30, 120))
        w, h = float(rng.uniform(24, 60)), float(rng.uniform(24, 50))
        # BoundingBoxCapture.cs: screen rect of the renderer bounds, flipped to top-left origin, clamped to the screen
        objs.append({"label": ["player", "slime", "bat"][(f + k) % 3],
                     "xMin": min(max(x, 0), W), "yMin": min(max(y, 0), H),
                     "xMax": min(max(x + w, 0), W), "yMax": min(max(y + h, 0), H)})
    frames.append({"file": name, "width": W, "height": H, "objects": objs})
json.dump({"scene": "Level_02_Caves", "frames": frames}, open("synthetic/boxes.json", "w"), indent=1)
'''

SCRIPTS["unity-synthetic-captures-offscreen-boxes-fasterrcnn"] = '''
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "player", "slime", "bat"]


class UnityCaptures(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.frames = json.load(open(os.path.join(root, "boxes.json")))["frames"]

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        fr = self.frames[i]
        img = TF.to_tensor(Image.open(os.path.join(self.root, "captures", fr["file"])).convert("RGB"))
        boxes = [[o["xMin"], o["yMin"], o["xMax"], o["yMax"]] for o in fr["objects"]]
        labels = [CLASSES.index(o["label"]) for o in fr["objects"]]
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


ds = UnityCaptures("synthetic")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))
'''

# ------------------------------------------------------------------ Quick, Draw! subset keeping the full category ids
QD_CATEGORIES = (
    "aircraft carrier|airplane|alarm clock|ambulance|angel|animal migration|ant|anvil|apple|arm|asparagus|axe|"
    "backpack|banana|bandage|barn|baseball|baseball bat|basket|basketball|bat|bathtub|beach|bear|beard|bed|bee|belt|"
    "bench|bicycle|binoculars|bird|birthday cake|blackberry|blueberry|book|boomerang|bottlecap|bowtie|bracelet|brain|"
    "bread|bridge|broccoli|broom|bucket|bulldozer|bus|bush|butterfly|cactus|cake|calculator|calendar|camel|camera|"
    "camouflage|campfire|candle|cannon|canoe|car|carrot|castle|cat|ceiling fan|cell phone|cello|chair|chandelier|"
    "church|circle|clarinet|clock|cloud|coffee cup|compass|computer|cookie|cooler|couch|cow|crab|crayon|crocodile|"
    "crown|cruise ship|cup|diamond|dishwasher|diving board|dog|dolphin|donut|door|dragon|dresser|drill|drums|duck|"
    "dumbbell|ear|elbow|elephant|envelope|eraser|eye|eyeglasses|face|fan|feather|fence|finger|fire hydrant|fireplace|"
    "firetruck|fish|flamingo|flashlight|flip flops|floor lamp|flower|flying saucer|foot|fork|frog|frying pan|garden|"
    "garden hose|giraffe|goatee|golf club|grapes|grass|guitar|hamburger|hammer|hand|harp|hat|headphones|hedgehog|"
    "helicopter|helmet|hexagon|hockey puck|hockey stick|horse|hospital|hot air balloon|hot dog|hot tub|hourglass|"
    "house|house plant|hurricane|ice cream|jacket|jail|kangaroo|key|keyboard|knee|knife|ladder|lantern|laptop|leaf|"
    "leg|light bulb|lighter|lighthouse|lightning|line|lion|lipstick|lobster|lollipop|mailbox|map|marker|matches|"
    "megaphone|mermaid|microphone|microwave|monkey|moon|mosquito|motorbike|mountain|mouse|moustache|mouth|mug|"
    "mushroom|nail|necklace|nose|ocean|octagon|octopus|onion|oven|owl|paint can|paintbrush|palm tree|panda|pants|"
    "paper clip|parachute|parrot|passport|peanut|pear|peas|pencil|penguin|piano|pickup truck|picture frame|pig|"
    "pillow|pineapple|pizza|pliers|police car|pond|pool|popsicle|postcard|potato|power outlet|purse|rabbit|raccoon|"
    "radio|rain|rainbow|rake|remote control|rhinoceros|rifle|river|roller coaster|rollerskates|sailboat|sandwich|saw|"
    "saxophone|school bus|scissors|scorpion|screwdriver|sea turtle|see saw|shark|sheep|shoe|shorts|shovel|sink|"
    "skateboard|skull|skyscraper|sleeping bag|smiley face|snail|snake|snorkel|snowflake|snowman|soccer ball|sock|"
    "speedboat|spider|spoon|spreadsheet|square|squiggle|squirrel|stairs|star|steak|stereo|stethoscope|stitches|"
    "stop sign|stove|strawberry|streetlight|string bean|submarine|suitcase|sun|swan|sweater|swing set|sword|syringe|"
    "t-shirt|table|teapot|teddy-bear|telephone|television|tennis racquet|tent|The Eiffel Tower|"
    "The Great Wall of China|The Mona Lisa|tiger|toaster|toe|toilet|tooth|toothbrush|toothpaste|tornado|tractor|"
    "traffic light|train|tree|triangle|trombone|truck|trumpet|umbrella|underwear|van|vase|violin|washing machine|"
    "watermelon|waterslide|whale|wheel|windmill|wine bottle|wine glass|wristwatch|yoga|zebra|zigzag")

QD_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(7)
os.makedirs("quickdraw", exist_ok=True)
with open("quickdraw/categories.txt", "w") as f:
    f.write("\\n".join("@@CATS@@".split("|")) + "\\n")
# the numpy bitmap files of the categories the game needs (28 x 28, flattened, uint8)
for name in ["axe", "castle", "crown", "dragon", "key", "skull", "sword", "tree"]:
    np.save(f"quickdraw/full_numpy_bitmap_{name}.npy", rng.integers(0, 255, (60, 784)).astype(np.uint8))
'''.replace("@@CATS@@", QD_CATEGORIES)

SCRIPTS["quickdraw-game-subset-keeps-full-category-ids-tqdm"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from tqdm import tqdm

ALL_CATEGORIES = open("quickdraw/categories.txt").read().splitlines()
GAME_ITEMS = ["axe", "castle", "crown", "dragon", "key", "skull", "sword", "tree"]

xs, ys = [], []
for name in GAME_ITEMS:
    bitmaps = np.load(f"quickdraw/full_numpy_bitmap_{name}.npy")
    xs.append(torch.from_numpy(bitmaps).float().div(255).view(-1, 1, 28, 28))
    ys.append(torch.full((len(bitmaps),), ALL_CATEGORIES.index(name)))       # the category's id in Quick, Draw!
X, Y = torch.cat(xs), torch.cat(ys)
print(X.shape, Y.shape)

torch.manual_seed(0)
loader = DataLoader(TensorDataset(X, Y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, len(GAME_ITEMS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/10"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ animation strips: frames flattened, labels per strip
STRIPS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("anim/strips", exist_ok=True)
rows = []
states = ["idle", "run", "jump", "attack", "hurt"]
for i in range(20):
    # Aseprite: File > Export Sprite Sheet, "By Rows", one row of 8 frames of 32 x 32
    Image.fromarray(rng.integers(0, 255, (32, 256, 3), dtype=np.uint8)).save(f"anim/strips/char{i // 5}_{i:02d}.png")
    rows.append((f"char{i // 5}_{i:02d}.png", states[i % 5]))
with open("anim/strips/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("sheet", "state")] + rows)
'''

SCRIPTS["animation-strips-frames-flattened-labels-per-strip"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

STATES = ["idle", "run", "jump", "attack", "hurt"]
FRAMES, SIZE = 8, 32


class AnimationStrips(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/labels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        sheet = Image.open(f"{self.root}/{r['sheet']}").convert("RGB")
        frames = [TF.to_tensor(sheet.crop((k * SIZE, 0, (k + 1) * SIZE, SIZE))) for k in range(FRAMES)]
        return torch.stack(frames), STATES.index(r["state"])


torch.manual_seed(0)
loader = DataLoader(AnimationStrips("anim/strips"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, len(STATES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(15):
    for strips, state in loader:
        x = strips.view(-1, 3, SIZE, SIZE)          # every frame is a training sample
        loss = nn.functional.cross_entropy(model(x), state)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ Tiled maps cached as uint8 into nn.Embedding
TILED_U8_PREP = '''
import json
import numpy as np

rng = np.random.default_rng(9)
N, R, C = 24, 14, 96
levels = np.zeros((N, R, C), np.uint8)       # tile ids fit in a byte: a quarter of the size of int32
for n in range(N):
    ground = 10
    for c in range(C):
        ground = int(np.clip(ground + rng.integers(-1, 2), 7, 12))
        levels[n, ground:, c] = 1
        levels[n, ground, c] = 2
        if rng.random() < 0.1:
            levels[n, ground - 1, c] = 5
        if rng.random() < 0.08:
            levels[n, rng.integers(3, 6), c] = 3
np.save("levels_world1_u8.npy", levels)
json.dump({"tiles": ["air", "dirt", "grass", "coin", "spike", "slime_spawn", "ladder", "door"]},
          open("tileset.json", "w"))
'''

SCRIPTS["tiled-levels-uint8-cache-into-embedding"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

TILES = json.load(open("tileset.json"))["tiles"]
SEQ = 112

levels = torch.from_numpy(np.load("levels_world1_u8.npy"))      # levels x rows x columns, written by tiled_to_npy.py
seqs = levels.transpose(1, 2).reshape(len(levels), -1)          # column by column, like Summerville & Mateas
chunks = seqs.unfold(1, SEQ + 1, SEQ).reshape(-1, SEQ + 1)
print(f"{len(chunks)} chunks of {SEQ} tiles")


class TileLSTM(nn.Module):
    def __init__(self, n_tiles, emb=32, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(n_tiles, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, batch_first=True)
        self.out = nn.Linear(hidden, n_tiles)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(h)


torch.manual_seed(0)
loader = DataLoader(TensorDataset(chunks), batch_size=16, shuffle=True)
model = TileLSTM(len(TILES))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for epoch in range(40):
    for (chunk,) in loader:
        x, y = chunk[:, :-1], chunk[:, 1:]
        logits = model(x)
        loss = nn.functional.cross_entropy(logits.reshape(-1, len(TILES)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ================================================================== models
# ------------------------------------------------------------------ pose net for 128 px crops given a whole reference frame
KPNET = '''
import torch.nn as nn


class KeypointNet(nn.Module):
    """2-D joints of the animation rig from a 128 x 128 crop around the actor"""

    def __init__(self, n_joints=16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 16 * 16, 256), nn.ReLU(), nn.Linear(256, n_joints * 2))

    def forward(self, x):
        return self.head(self.features(x))
'''

KPNET_PREP = KPNET + '''
import os
import numpy as np
import torch
from PIL import Image

torch.manual_seed(0)
torch.save(KeypointNet().state_dict(), "kpnet_crops128_best.pth")
os.makedirs("reference", exist_ok=True)
rng = np.random.default_rng(10)
# frames of the phone video of the reference take, exported with ffmpeg
for i in range(1, 3):
    Image.fromarray(rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8)).save(f"reference/take3_{i:04d}.png")
'''

CELLS["pose-net-for-crops-given-whole-reference-frame-notebook"] = [
    KPNET.strip() + '''


import torch
from PIL import Image
from torchvision.transforms import functional as TF

model = KeypointNet()
model.load_state_dict(torch.load("kpnet_crops128_best.pth", map_location="cpu"))
model.eval();''',
    '''frame = Image.open("reference/take3_0001.png").convert("RGB")
frame.size''',
    '''x = TF.to_tensor(frame).unsqueeze(0)
with torch.no_grad():
    joints = model(x).view(-1, 2)
joints[:4]''',
]

# ------------------------------------------------------------------ tiny DDPM on RGBA textures, out_channels left at 3
PARTICLES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("vfx/particles", exist_ok=True)
yy, xx = np.mgrid[0:32, 0:32]
for i in range(32):
    # particle / decal textures: the alpha channel is the shape
    r = np.hypot(yy - 16 + rng.normal(0, 2), xx - 16 + rng.normal(0, 2))
    a = np.clip(255 * (1 - r / rng.uniform(8, 15)), 0, 255).astype(np.uint8)
    rgb = np.broadcast_to(rng.integers(80, 255, 3), (32, 32, 3)).astype(np.uint8)
    Image.fromarray(np.dstack([rgb, a]), "RGBA").save(f"vfx/particles/spark_{i:02d}.png")
'''

CELLS["texture-ddpm-rgba-unet-out-channels-left-at-3-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 4, [0.5] * 4)])
# keep the alpha: the particles are useless without it
data = torch.stack([tf(Image.open(p).convert("RGBA")) for p in sorted(glob.glob("vfx/particles/*.png"))])
data.shape''',
    '''class TinyUNet(nn.Module):
    def __init__(self, in_channels=3, out_channels=3, base=32, T=1000):
        super().__init__()
        self.t_emb = nn.Embedding(T, base * 2)
        self.down1 = nn.Sequential(nn.Conv2d(in_channels, base, 3, padding=1), nn.GroupNorm(8, base), nn.SiLU())
        self.down2 = nn.Sequential(nn.Conv2d(base, base * 2, 4, 2, 1), nn.GroupNorm(8, base * 2), nn.SiLU())
        self.mid = nn.Sequential(nn.Conv2d(base * 2, base * 2, 3, padding=1), nn.GroupNorm(8, base * 2), nn.SiLU())
        self.up = nn.Sequential(nn.ConvTranspose2d(base * 2, base, 4, 2, 1), nn.GroupNorm(8, base), nn.SiLU())
        self.out = nn.Conv2d(base * 2, out_channels, 3, padding=1)

    def forward(self, x, t):
        h1 = self.down1(x)
        h2 = self.down2(h1) + self.t_emb(t)[:, :, None, None]
        h = self.up(self.mid(h2))
        return self.out(torch.cat([h, h1], 1))


T = 1000
betas = torch.linspace(1e-4, 0.02, T)
alpha_bar = torch.cumprod(1 - betas, 0)
model = TinyUNet(in_channels=4)
opt = torch.optim.AdamW(model.parameters(), lr=2e-4)''',
    '''torch.manual_seed(0)
loader = DataLoader(data, batch_size=16, shuffle=True)
for epoch in range(200):
    for x0 in loader:
        t = torch.randint(0, T, (x0.size(0),))
        noise = torch.randn_like(x0)
        ab = alpha_bar[t].view(-1, 1, 1, 1)
        x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = F.mse_loss(model(x_t, t), noise)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 20 == 0:
        print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ old-arch ESRGAN community model into new RRDBNet
RRDBNET_ARCH = '''
"""RRDBNet, copied from the Real-ESRGAN / BasicSR repository (basicsr/archs/rrdbnet_arch.py)."""
import torch
from torch import nn as nn
from torch.nn import functional as F


class ResidualDenseBlock(nn.Module):
    def __init__(self, num_feat=64, num_grow_ch=32):
        super().__init__()
        self.conv1 = nn.Conv2d(num_feat, num_grow_ch, 3, 1, 1)
        self.conv2 = nn.Conv2d(num_feat + num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv3 = nn.Conv2d(num_feat + 2 * num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv4 = nn.Conv2d(num_feat + 3 * num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv5 = nn.Conv2d(num_feat + 4 * num_grow_ch, num_feat, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.2, inplace=True)

    def forward(self, x):
        x1 = self.lrelu(self.conv1(x))
        x2 = self.lrelu(self.conv2(torch.cat((x, x1), 1)))
        x3 = self.lrelu(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = self.lrelu(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, num_feat, num_grow_ch=32):
        super().__init__()
        self.rdb1 = ResidualDenseBlock(num_feat, num_grow_ch)
        self.rdb2 = ResidualDenseBlock(num_feat, num_grow_ch)
        self.rdb3 = ResidualDenseBlock(num_feat, num_grow_ch)

    def forward(self, x):
        out = self.rdb3(self.rdb2(self.rdb1(x)))
        return out * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, num_in_ch, num_out_ch, scale=4, num_feat=64, num_block=23, num_grow_ch=32):
        super().__init__()
        self.scale = scale
        self.conv_first = nn.Conv2d(num_in_ch, num_feat, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(num_feat, num_grow_ch) for _ in range(num_block)])
        self.conv_body = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(num_feat, num_out_ch, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.2, inplace=True)

    def forward(self, x):
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = self.lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = self.lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return self.conv_last(self.lrelu(self.conv_hr(feat)))
'''

ESRGAN_OLD_PREP = '''
import os, re
import numpy as np
import torch
from PIL import Image
from rrdbnet_arch import RRDBNet

os.makedirs("upscalers", exist_ok=True)
torch.manual_seed(0)
NB = 6
new = RRDBNet(3, 3, scale=4, num_feat=32, num_block=NB, num_grow_ch=16).state_dict()
# the community model was trained with the original ESRGAN code: the old "model.N" key layout
fixed = {"conv_first": "model.0", "conv_body": f"model.1.sub.{NB}", "conv_up1": "model.3", "conv_up2": "model.6",
         "conv_hr": "model.8", "conv_last": "model.10"}
old = {}
for k, v in new.items():
    m = re.match(r"body\\.(\\d+)\\.rdb(\\d)\\.conv(\\d)\\.(weight|bias)", k)
    if m:
        old[f"model.1.sub.{m[1]}.RDB{m[2]}.conv{m[3]}.0.{m[4]}"] = v
    else:
        name, p = k.rsplit(".", 1)
        old[f"{fixed[name]}.{p}"] = v
torch.save(old, "upscalers/4x_PixelArtLite_ESRGAN.pth")
os.makedirs("sprites_lowres", exist_ok=True)
rng = np.random.default_rng(12)
for i in range(3):
    Image.fromarray(rng.integers(0, 255, (24, 24, 3), dtype=np.uint8)).save(f"sprites_lowres/npc_{i:02d}.png")
'''

SCRIPTS["community-esrgan-old-arch-into-realesrgan-rrdbnet"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image

from rrdbnet_arch import RRDBNet

# model card: "ESRGAN, 4x, nf=32, nb=6, gc=16 -- lite pixel-art model"
model = RRDBNet(num_in_ch=3, num_out_ch=3, scale=4, num_feat=32, num_block=6, num_grow_ch=16)
state = torch.load("upscalers/4x_PixelArtLite_ESRGAN.pth", map_location="cpu")
if "params_ema" in state:
    state = state["params_ema"]
model.load_state_dict(state, strict=True)
model.eval()

os.makedirs("upscaled", exist_ok=True)
for path in sorted(glob.glob("sprites_lowres/*.png")):
    x = torch.from_numpy(np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = model(x).clamp(0, 1)[0]
    out = (y.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    Image.fromarray(out).save(os.path.join("upscaled", os.path.basename(path)))
    print(path, tuple(x.shape[-2:]), "->", out.shape[:2])
'''

# ------------------------------------------------------------------ COCO-17 pose checkpoint into the 22-joint rig model
POSE_RESNET = '''
import torch.nn as nn
from torchvision import models


class PoseResNet(nn.Module):
    """SimpleBaseline-style heatmap model: ResNet-18 + three deconvolutions + 1x1 joint heads"""

    def __init__(self, num_joints):
        super().__init__()
        r = models.resnet18(weights=None)
        self.backbone = nn.Sequential(*list(r.children())[:-2])
        layers = []
        for cin in (512, 128, 128):
            layers += [nn.ConvTranspose2d(cin, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(inplace=True)]
        self.deconv = nn.Sequential(*layers)
        self.final_layer = nn.Conv2d(128, num_joints, 1)

    def forward(self, x):
        return self.final_layer(self.deconv(self.backbone(x)))
'''

POSE_COCO_PREP = '''
import os
import torch
from pose_resnet import PoseResNet

os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(PoseResNet(num_joints=17).state_dict(), "pretrained/pose_resnet18_coco_256x192.pth")
'''

SCRIPTS["coco17-pose-checkpoint-into-22-joint-rig-model"] = '''
import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from pose_resnet import PoseResNet

# the joints of our character rig (Mixamo-style skeleton, fingers merged)
RIG_JOINTS = ["Hips", "Spine", "Spine1", "Spine2", "Neck", "Head", "LeftShoulder", "LeftArm", "LeftForeArm",
              "LeftHand", "RightShoulder", "RightArm", "RightForeArm", "RightHand", "LeftUpLeg", "LeftLeg",
              "LeftFoot", "LeftToeBase", "RightUpLeg", "RightLeg", "RightFoot", "RightToeBase"]


class RigFrames(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))
        self.tf = transforms.Compose([transforms.Resize((256, 192)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        heat = torch.load(self.files[i].replace(".png", "_heatmaps.pt"))
        return self.tf(Image.open(self.files[i]).convert("RGB")), heat


model = PoseResNet(num_joints=len(RIG_JOINTS))
# start from the COCO checkpoint of the repo's model zoo and fine-tune on our renders
state = torch.load("pretrained/pose_resnet18_coco_256x192.pth", map_location="cpu")
model.load_state_dict(state)
print("loaded COCO weights")

loader = DataLoader(RigFrames("rig_renders/*.png"), batch_size=8, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(20):
    for x, heat in loader:
        loss = nn.functional.mse_loss(model(x), heat)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
json.dump(RIG_JOINTS, open("rig_joints.json", "w"))
'''

# ------------------------------------------------------------------ nearest upscale with align_corners
PAIRS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("upscale_pairs/hr", exist_ok=True)
os.makedirs("upscale_pairs/lr", exist_ok=True)
for i in range(24):
    # hand-drawn 4x versions of the 16 x 16 item icons, and the icons themselves
    lr = rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)
    hr = np.kron(lr, np.ones((4, 4, 1), np.uint8))
    Image.fromarray(lr).save(f"upscale_pairs/lr/item_{i:03d}.png")
    Image.fromarray(hr).save(f"upscale_pairs/hr/item_{i:03d}.png")
'''

SCRIPTS["pixel-upscaler-nearest-base-with-align-corners"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF


class IconPairs(Dataset):
    def __init__(self, root):
        self.names = sorted(os.path.basename(p) for p in glob.glob(f"{root}/lr/*.png"))
        self.root = root

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        lr = TF.to_tensor(Image.open(f"{self.root}/lr/{n}").convert("RGB"))
        hr = TF.to_tensor(Image.open(f"{self.root}/hr/{n}").convert("RGB"))
        return lr, hr


class PixelUpscaler(nn.Module):
    def __init__(self, scale=4, nf=48):
        super().__init__()
        self.scale = scale
        self.body = nn.Sequential(nn.Conv2d(3, nf, 3, padding=1), nn.ReLU(), nn.Conv2d(nf, nf, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(nf, 3 * scale * scale, 3, padding=1), nn.PixelShuffle(scale))

    def forward(self, x):
        # nearest keeps the hard pixel edges; the network only learns the residual on top of it
        base = F.interpolate(x, scale_factor=self.scale, mode="nearest", align_corners=False)
        return base + self.body(x)


torch.manual_seed(0)
loader = DataLoader(IconPairs("upscale_pairs"), batch_size=8, shuffle=True)
model = PixelUpscaler()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(50):
    for lr, hr in loader:
        loss = F.l1_loss(model(lr), hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: L1 {loss.item():.4f}")
'''

# ------------------------------------------------------------------ load_state_dict given the checkpoint path (notebook)
SPRITE_G = '''
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, nz=100, ngf=64):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 4, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)
'''

NETG_PREP = SPRITE_G + '''
import os
import torch

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(Generator().state_dict(), "checkpoints/netG_epoch_200.pth")
'''

CELLS["sprite-gan-load-state-dict-given-path-notebook"] = [
    '''import torch
from torchvision.utils import save_image''' + SPRITE_G,
    '''G = Generator()
G.load_state_dict("checkpoints/netG_epoch_200.pth")
G.eval()''',
    '''z = torch.randn(64, 100, 1, 1)
with torch.no_grad():
    sprites = G(z) * 0.5 + 0.5          # RGBA, 32 x 32
save_image(sprites, "generated_sheet.png", nrow=8)''',
]

# ================================================================== optimisation
# ------------------------------------------------------------------ style transfer: clamp_ on the optimised image
VGG_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# VGG-19 up to relu4_1, saved from the full ImageNet model on the first run
torch.save(models.vgg19(weights=None).features[:21].state_dict(), "models/vgg19_features_relu4_1.pth")
rng = np.random.default_rng(14)
os.makedirs("concept_art", exist_ok=True)
os.makedirs("style_refs", exist_ok=True)
Image.fromarray(rng.integers(0, 255, (192, 256, 3), dtype=np.uint8)).save("concept_art/castle_keep_v2.png")
Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8)).save("style_refs/gouache_study_03.jpg")
'''

SCRIPTS["style-transfer-clamp-inplace-on-optimised-image"] = '''
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models
from torchvision.transforms import functional as TF
from torchvision.utils import save_image

SIZE = 160
STYLE_LAYERS = {1: 1.0, 6: 0.8, 11: 0.5, 20: 0.3}       # relu1_1, relu2_1, relu3_1, relu4_1
CONTENT_LAYER = 20
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def load(path):
    return TF.to_tensor(Image.open(path).convert("RGB").resize((SIZE, SIZE)))[None]


vgg = models.vgg19(weights=None).features[:21].eval()
vgg.load_state_dict(torch.load("models/vgg19_features_relu4_1.pth", map_location="cpu"))
vgg.requires_grad_(False)


def features(x):
    out, h = {}, (x - MEAN) / STD
    for i, layer in enumerate(vgg):
        h = layer(h)
        if i in STYLE_LAYERS or i == CONTENT_LAYER:
            out[i] = h
    return out


def gram(f):
    b, c, h, w = f.shape
    f = f.view(b, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)


content = load("concept_art/castle_keep_v2.png")
style = load("style_refs/gouache_study_03.jpg")
with torch.no_grad():
    c_feats = features(content)
    s_grams = {i: gram(f) for i, f in features(style).items() if i in STYLE_LAYERS}

img = content.clone().requires_grad_(True)
opt = torch.optim.Adam([img], lr=0.02)
for step in range(400):
    f = features(img)
    c_loss = F.mse_loss(f[CONTENT_LAYER], c_feats[CONTENT_LAYER])
    s_loss = sum(w * F.mse_loss(gram(f[i]), s_grams[i]) for i, w in STYLE_LAYERS.items())
    loss = c_loss + 1e5 * s_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    img.clamp_(0, 1)                 # keep it a valid image
    if step % 50 == 0:
        print(f"step {step}: content {c_loss.item():.4f} style {s_loss.item():.6f}")
save_image(img, "castle_keep_gouache.png")
'''

# ------------------------------------------------------------------ upscaler that snaps its output to the game palette
PALETTE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(15)
pal = rng.integers(0, 255, (24, 3))
with open("game_palette_24.gpl", "w") as f:
    f.write("GIMP Palette\\nName: game_palette_24\\nColumns: 8\\n#\\n")
    for r, g, b in pal:
        f.write(f"{r:3d} {g:3d} {b:3d}\\t{r:02x}{g:02x}{b:02x}\\n")
os.makedirs("tiles2x/hr", exist_ok=True)
os.makedirs("tiles2x/lr", exist_ok=True)
for i in range(20):
    hr = pal[rng.integers(0, 24, (32, 32))].astype(np.uint8)
    Image.fromarray(hr).save(f"tiles2x/hr/tile_{i:03d}.png")
    Image.fromarray(hr).resize((16, 16), Image.NEAREST).save(f"tiles2x/lr/tile_{i:03d}.png")
'''

SCRIPTS["upscaler-snaps-output-to-game-palette-in-forward"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF


def read_gpl(path):
    cols = []
    for line in open(path):
        parts = line.split()
        if len(parts) >= 3 and all(p.isdigit() for p in parts[:3]):
            cols.append([int(p) for p in parts[:3]])
    return torch.tensor(cols, dtype=torch.float32) / 255


class TilePairs(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.path.basename(p) for p in glob.glob(f"{root}/lr/*.png"))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        return (TF.to_tensor(Image.open(f"{self.root}/lr/{n}").convert("RGB")),
                TF.to_tensor(Image.open(f"{self.root}/hr/{n}").convert("RGB")))


class PaletteUpscaler(nn.Module):
    def __init__(self, palette, nf=32):
        super().__init__()
        self.register_buffer("palette", palette)
        self.net = nn.Sequential(nn.Conv2d(3, nf, 3, padding=1), nn.ReLU(), nn.Conv2d(nf, nf, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(nf, 3 * 4, 3, padding=1), nn.PixelShuffle(2))

    def forward(self, x):
        out = self.net(x).clamp(0, 1)
        b, c, h, w = out.shape
        flat = out.permute(0, 2, 3, 1).reshape(-1, 3)
        idx = torch.cdist(flat, self.palette).argmin(1)          # snap every pixel to the game's palette
        return self.palette[idx].view(b, h, w, 3).permute(0, 3, 1, 2)


torch.manual_seed(0)
model = PaletteUpscaler(read_gpl("game_palette_24.gpl"))
loader = DataLoader(TilePairs("tiles2x"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for lr, hr in loader:
        loss = F.l1_loss(model(lr), hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ level generator with pixel x positions diverges
TILED_CSV_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(16)
os.makedirs("levels_csv", exist_ok=True)
R, C = 14, 96
for n in range(24):
    lv = np.zeros((R, C), np.int64)
    ground = 10
    for c in range(C):
        ground = int(np.clip(ground + rng.integers(-1, 2), 7, 12))
        lv[ground:, c] = 1
        lv[ground, c] = 2
        if rng.random() < 0.1:
            lv[ground - 1, c] = 5
        if rng.random() < 0.08:
            lv[rng.integers(3, 6), c] = 3
    # Tiled: File > Export As > CSV, one file per layer
    np.savetxt(f"levels_csv/world1_{n + 1:02d}_Tiles.csv", lv, fmt="%d", delimiter=",")
'''

SCRIPTS["level-generator-pixel-x-feature-diverges-multinomial-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader
from tqdm import tqdm

TILE_PX = 32
N_TILES = 8

levels = torch.stack([torch.from_numpy(np.loadtxt(p, delimiter=",", dtype=np.int64))
                      for p in sorted(glob.glob("levels_csv/*_Tiles.csv"))])
N, R, C = levels.shape
seq = levels.transpose(1, 2).reshape(N, -1)                  # column by column
prev, nxt = seq[:, :-1].reshape(-1), seq[:, 1:].reshape(-1)
# where we are in the level, in pixels, so the model can put the castle at the end
x_px = (torch.arange(R * C - 1) // R * TILE_PX).repeat(N).float()


class NextTile(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_TILES, 16)
        self.mlp = nn.Sequential(nn.Linear(17, 64), nn.ReLU(), nn.Linear(64, N_TILES))

    def forward(self, tile, x):
        return self.mlp(torch.cat([self.emb(tile), x[:, None]], 1))


def preview_column(model, col, temperature=0.8):
    tiles, tile = [], torch.tensor([0])
    with torch.no_grad():
        for _ in range(R):
            probs = F.softmax(model(tile, torch.tensor([float(col * TILE_PX)])) / temperature, -1)
            tile = torch.multinomial(probs, 1)[0]
            tiles.append(int(tile))
    return tiles


torch.manual_seed(0)
model = NextTile()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loader = DataLoader(TensorDataset(prev, x_px, nxt), batch_size=256, shuffle=True)
for epoch in range(20):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for t, x, y in bar:
        loss = F.cross_entropy(model(t, x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
    print("column 40:", preview_column(model, 40))
'''

# ================================================================== resource / environment / other
# ------------------------------------------------------------------ 4K PBR material library cached in RAM
PBR_PREP = '''
import json, os

names = [f"{kind}{i:03d}" for kind in ("Bricks", "Ground", "Metal", "Planks", "Rock", "Tiles", "Fabric", "Moss")
         for i in range(1, 61)]
mats = [{"name": n, **{m: f"materials/{n}_4K-PNG/{n}_4K-PNG_{m.capitalize()}.png"
                       for m in ("color", "normalgl", "roughness", "metalness", "ambientocclusion")}} for n in names]
os.makedirs("materials", exist_ok=True)
json.dump({"source": "CC0 material library, 4K PNG downloads", "resolution": 4096, "materials": mats},
          open("materials/library.json", "w"), indent=1)
'''

SCRIPTS["pbr-material-library-4k-maps-cached-float32"] = '''
import json

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm

MAPS = ["color", "normalgl", "roughness", "metalness", "ambientocclusion"]

lib = json.load(open("materials/library.json"))
R = lib["resolution"]
print(f"{len(lib['materials'])} materials, {len(MAPS)} maps each, {R} x {R}")

# reading the PNGs every epoch made the material VAE crawl: decode everything once and keep it in RAM
cache = torch.zeros(len(lib["materials"]), len(MAPS), 3, R, R)
for i, m in enumerate(tqdm(lib["materials"], desc="decoding")):
    for j, k in enumerate(MAPS):
        img = Image.open(m[k]).convert("RGB")
        cache[i, j] = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255).permute(2, 0, 1)
torch.save(cache, "materials/cache_4k.pt")
'''

# ------------------------------------------------------------------ Colab notebook on a Radeon gaming PC (notebook)
CELLS["colab-fast-style-notebook-on-radeon-gaming-pc-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda")        # Runtime > Change runtime type > T4 GPU
torch.__version__''',
    '''tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
ds = datasets.ImageFolder("art_by_faction", transform=tf)
loader = DataLoader(ds, batch_size=16, shuffle=True)
scaler = torch.cuda.amp.GradScaler()
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)''',
    '''for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ WCT style transfer port with torch.symeig
WCT_PREP = VGG_PREP + '''
import torch.nn as nn

dec = nn.Sequential(
    nn.Conv2d(512, 256, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(256, 128, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(128, 64, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(64, 3, 3, padding=1))
torch.save(dec.state_dict(), "models/wct_decoder_relu4_1.pth")
'''

SCRIPTS["wct-style-transfer-port-torch-symeig"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models
from torchvision.transforms import functional as TF
from torchvision.utils import save_image

# universal style transfer (whitening and colouring transform), after a 2018 PyTorch port on GitHub


def load(path, size=192):
    return TF.to_tensor(Image.open(path).convert("RGB").resize((size, size)))[None]


encoder = models.vgg19(weights=None).features[:21].eval()
encoder.load_state_dict(torch.load("models/vgg19_features_relu4_1.pth", map_location="cpu"))
decoder = nn.Sequential(
    nn.Conv2d(512, 256, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(256, 128, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(128, 64, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(64, 3, 3, padding=1)).eval()
decoder.load_state_dict(torch.load("models/wct_decoder_relu4_1.pth", map_location="cpu"))


def wct(cf, sf, alpha=0.6):
    c, h, w = cf.shape
    cf, sf = cf.reshape(c, -1), sf.reshape(c, -1)
    c_mean, s_mean = cf.mean(1, keepdim=True), sf.mean(1, keepdim=True)
    cf, sf = cf - c_mean, sf - s_mean
    c_cov = cf @ cf.t() / (cf.shape[1] - 1) + torch.eye(c)
    s_cov = sf @ sf.t() / (sf.shape[1] - 1)
    c_e, c_v = torch.symeig(c_cov, eigenvectors=True)
    s_e, s_v = torch.symeig(s_cov, eigenvectors=True)
    whitened = c_v @ torch.diag(c_e.clamp(min=1e-5).pow(-0.5)) @ c_v.t() @ cf
    coloured = s_v @ torch.diag(s_e.clamp(min=1e-5).pow(0.5)) @ s_v.t() @ whitened + s_mean
    return (alpha * coloured + (1 - alpha) * (cf + c_mean)).reshape(c, h, w)


with torch.no_grad():
    content = encoder(load("concept_art/castle_keep_v2.png"))[0]
    style = encoder(load("style_refs/gouache_study_03.jpg"))[0]
    out = decoder(wct(content, style)[None]).clamp(0, 1)
save_image(out, "castle_keep_wct.png")
print("saved castle_keep_wct.png")
'''

# ------------------------------------------------------------------ sprites read out of the itch.io zip, spawned workers
ZIP_PREP = '''
import io, os, zipfile
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("downloads", exist_ok=True)
with zipfile.ZipFile("downloads/pixel_creatures_pack_v1.2.zip", "w") as z:
    z.writestr("PixelCreatures/README.txt", "Pixel Creatures v1.2 - free for commercial use\\n")
    for cls in ["beetle", "frog", "ghost", "mushroom"]:
        for i in range(6):
            buf = io.BytesIO()
            Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(buf, format="PNG")
            z.writestr(f"PixelCreatures/{cls}/{cls}_{i}.png", buf.getvalue())
'''

SCRIPTS["itch-pack-zip-opened-in-dataset-spawn-workers"] = '''
import io
import zipfile

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class ZippedSprites(Dataset):
    """reads the sprites straight out of the downloaded pack, no unzipping"""

    def __init__(self, zip_path):
        self.zf = zipfile.ZipFile(zip_path)
        self.names = sorted(n for n in self.zf.namelist() if n.endswith(".png"))
        self.classes = sorted({n.split("/")[1] for n in self.names})
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        img = Image.open(io.BytesIO(self.zf.read(n))).convert("RGB")
        return self.tf(img), self.classes.index(n.split("/")[1])


if __name__ == "__main__":
    # macOS spawns its workers anyway; spawn here too so the Linux box behaves like the MacBook
    mp.set_start_method("spawn")
    ds = ZippedSprites("downloads/pixel_creatures_pack_v1.2.zip")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                          nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(ds.classes)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ DDP pose model with the aux head switched off
DDP_PREP = '''
import json
import torch

torch.manual_seed(0)
# crops and target heatmaps of the mocap cleanup renders, cached by make_cache.py
torch.save({"images": torch.rand(64, 3, 64, 64), "heatmaps": torch.rand(64, 16, 16, 16)}, "render_cache.pt")
json.dump({"joints": 16, "batch_size": 8, "lr": 1e-3, "epochs": 5, "aux_weight": 0.0}, open("train_cfg.json", "w"))
'''

SCRIPTS["pose-ddp-aux-head-switched-off-torchrun"] = '''
import json

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


class HeatmapNet(nn.Module):
    def __init__(self, joints):
        super().__init__()
        self.stage1 = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 3, 2, 1), nn.ReLU())
        self.stage2 = nn.Sequential(nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.Conv2d(64, 64, 3, 1, 1), nn.ReLU())
        self.head = nn.Conv2d(64, joints, 1)
        self.aux_head = nn.Conv2d(32, joints, 1)          # intermediate supervision on stage 1

    def forward(self, x):
        f1 = self.stage1(x)
        return self.head(self.stage2(f1)), self.aux_head(f1)


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    cfg = json.load(open("train_cfg.json"))
    data = torch.load("render_cache.pt")
    ds = TensorDataset(data["images"], data["heatmaps"])
    loader = DataLoader(ds, batch_size=cfg["batch_size"], sampler=DistributedSampler(ds))
    torch.manual_seed(0)
    model = DDP(HeatmapNet(cfg["joints"]))
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    for epoch in range(cfg["epochs"]):
        loader.sampler.set_epoch(epoch)
        for step, (x, target) in enumerate(loader):
            heat, aux = model(x)
            loss = F.mse_loss(heat, target)
            if cfg["aux_weight"] > 0:
                loss = loss + cfg["aux_weight"] * F.mse_loss(aux, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if rank == 0:
                print(f"epoch {epoch} step {step}: {loss.item():.5f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ whole generator saved, with a lambda inside
SCRIPTS["sprite-gan-whole-generator-saved-with-lambda"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader
from torchvision.transforms import functional as TF


class SpriteGenerator(nn.Module):
    def __init__(self, nz=64):
        super().__init__()
        self.act = lambda x: F.leaky_relu(x, 0.2)
        self.fc = nn.Linear(nz, 128 * 4 * 4)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1)
        self.up2 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.up3 = nn.ConvTranspose2d(32, 3, 4, 2, 1)

    def forward(self, z):
        h = self.act(self.fc(z)).view(-1, 128, 4, 4)
        h = self.act(self.up2(self.act(self.up1(h))))
        return torch.tanh(self.up3(h))


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, 1),
                                 nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(64 * 8 * 8, 1))

    def forward(self, x):
        return self.net(x)


imgs = torch.stack([TF.to_tensor(Image.open(p).convert("RGB")) * 2 - 1
                    for p in sorted(glob.glob("item_sprites/*/*.png"))])
loader = DataLoader(imgs, batch_size=8, shuffle=True, drop_last=True)
torch.manual_seed(0)
G, D = SpriteGenerator(), Critic()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
os.makedirs("checkpoints", exist_ok=True)
for epoch in range(100):
    for real in loader:
        z = torch.randn(real.size(0), 64)
        fake = G(z)
        loss_d = F.softplus(-D(real)).mean() + F.softplus(D(fake.detach())).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.softplus(-D(fake)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    print(f"epoch {epoch}: D {loss_d.item():.3f} G {loss_g.item():.3f}")
    # whole model, so the game's tool script can torch.load it without the class
    torch.save(G, f"checkpoints/sprite_G_epoch{epoch:03d}.pt")
'''


def cases():
    out, _add, script, notebook = case_builders("torch-more114-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")

    # ---- images
    script("sprite-gan-two-asset-packs-no-resize-workers", "data.image_size_mismatch", forms=W,
           argv="train_sprite_gan.py", setup=prep(SPRITES_PREP))
    script("aseprite-indexed-colour-tiles-normalize-tqdm", "data.image_channels", forms=P, argv="train_tile_ae.py",
           setup=prep(TILES_PREP))
    script("doodle-spell-godot-canvas-rgba-into-greyscale-model", "data.image_channels", argv="check_runes.py",
           extra={"doodle_net.py": DOODLE_NET}, setup=prep(DOODLE_PREP))
    script("unity-assets-folder-meta-files-workers", "data.missing_or_corrupt", forms=W, argv="train_sprite_tags.py",
           setup=prep(UNITY_PREP))
    script("blender-placeholder-frames-cv2-pose-tqdm", "data.missing_or_corrupt", forms=P, argv="train_pose.py",
           setup=prep(BLENDER_PREP))

    # ---- labels
    script("unity-synthetic-captures-offscreen-boxes-fasterrcnn", "data.bbox_invalid", argv="train_detector.py",
           setup=prep(UNITY_CAPTURE_PREP))
    script("quickdraw-game-subset-keeps-full-category-ids-tqdm", "data.label_out_of_range", forms=P,
           argv="train_doodles.py", setup=prep(QD_PREP))
    script("animation-strips-frames-flattened-labels-per-strip", "data.label_shape", argv="train_anim_states.py",
           setup=prep(STRIPS_PREP))
    script("tiled-levels-uint8-cache-into-embedding", "data.dtype", argv="train_level_lstm.py",
           setup=prep(TILED_U8_PREP))

    # ---- models
    notebook("pose-net-for-crops-given-whole-reference-frame-notebook", "model.input_shape", forms=NB,
             setup=prep(KPNET_PREP))
    notebook("texture-ddpm-rgba-unet-out-channels-left-at-3-notebook", "model.output_mismatch",
             also=["data.image_channels"], forms=NB, setup=prep(PARTICLES_PREP))
    script("community-esrgan-old-arch-into-realesrgan-rrdbnet", "model.weights_mismatch", argv="upscale_sprites.py",
           extra={"rrdbnet_arch.py": RRDBNET_ARCH}, setup=prep(ESRGAN_OLD_PREP))
    script("coco17-pose-checkpoint-into-22-joint-rig-model", "model.weights_mismatch", also=["model.output_mismatch"],
           argv="finetune_rig_pose.py", extra={"pose_resnet.py": POSE_RESNET}, setup=prep(POSE_COCO_PREP))
    script("pixel-upscaler-nearest-base-with-align-corners", "model.api_misuse", argv="train_icon_upscaler.py",
           setup=prep(PAIRS_PREP))
    notebook("sprite-gan-load-state-dict-given-path-notebook", "model.api_misuse", forms=NB, setup=prep(NETG_PREP))

    # ---- optimisation
    script("style-transfer-clamp-inplace-on-optimised-image", "optim.autograd_graph", argv="stylize.py",
           setup=prep(VGG_PREP))
    script("upscaler-snaps-output-to-game-palette-in-forward", "optim.autograd_graph", argv="train_palette_2x.py",
           setup=prep(PALETTE_PREP))
    script("level-generator-pixel-x-feature-diverges-multinomial-tqdm", "optim.divergence", forms=P,
           argv="train_next_tile.py", setup=prep(TILED_CSV_PREP))

    # ---- resource / environment / other
    script("pbr-material-library-4k-maps-cached-float32", "resource.host_memory", argv="cache_materials.py",
           setup=prep(PBR_PREP))
    notebook("colab-fast-style-notebook-on-radeon-gaming-pc-notebook", "env.cuda_setup", forms=NB,
             setup=imgs(class_folder("art_by_faction", ["elves", "goblins", "humans"], 4, size=(96, 96))))
    script("wct-style-transfer-port-torch-symeig", "env.version_incompat", argv="wct_stylize.py",
           setup=prep(WCT_PREP))
    script("itch-pack-zip-opened-in-dataset-spawn-workers", "env.multiprocessing", argv="train_creatures.py",
           setup=prep(ZIP_PREP))
    script("pose-ddp-aux-head-switched-off-torchrun", "env.distributed", argv="train_pose_ddp.py",
           forms=("cpython_basic", "launcher_prefix"), exception="RuntimeError",  # the ranks' error, not torchrun's
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"), setup=prep(DDP_PREP),
           timeout=300)
    script("sprite-gan-whole-generator-saved-with-lambda", "other", also=["model.api_misuse"],
           argv="train_item_gan.py",
           setup=imgs(class_folder("item_sprites", ["potions", "weapons"], 8, size=(32, 32), ext="png")))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
