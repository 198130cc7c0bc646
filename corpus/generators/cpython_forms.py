"""CPython traceback forms, recorded with every interpreter 3.8 ... 3.13.

Each scenario is a tiny training-style program (train.py calling a loader...)
that fails in plain Python; it is run with each pyenv interpreter found and
the output is recorded as it was printed.

    python3 corpus/generators/cpython_forms.py [-k name-filter]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import CPYTHONS, Case, pyenv_python, run_cases  # noqa: E402

SRC = "corpus/generators/cpython_forms.py"

LOADER_MISSING = {
    "train.py": '''
        from loader import ImageList

        def main():
            ds = ImageList("data/train.txt")
            print(f"{len(ds)} training images")
            for epoch in range(2):
                for i in range(len(ds)):
                    img = ds[i]
            print("done")

        if __name__ == "__main__":
            main()
        ''',
    "loader.py": '''
        import os

        class ImageList:
            def __init__(self, list_file):
                with open(list_file) as f:
                    self.paths = [line.strip() for line in f if line.strip()]

            def __len__(self):
                return len(self.paths)

            def __getitem__(self, i):
                path = os.path.join("data", "images", self.paths[i])
                with open(path, "rb") as f:
                    return f.read()
        ''',
    "data/train.txt": "cat_001.jpg\ncat_002.jpg\ndog_001.jpg\n",
    "data/images/cat_001.jpg": b"\xff\xd8\xff\xe0fakejpeg",
    "data/images/cat_002.jpg": b"\xff\xd8\xff\xe0fakejpeg",
}

EMPTY_VAL = {
    "train.py": '''
        import glob
        from metrics import accuracy

        def evaluate(preds_by_file, val_files):
            correct = sum(1 for f in val_files if preds_by_file.get(f) == "cat")
            return accuracy(correct, len(val_files))

        val_files = sorted(glob.glob("data/val/*.jpg"))
        print(f"validating on {len(val_files)} images")
        print("val acc:", evaluate({}, val_files))
        ''',
    "metrics.py": '''
        def accuracy(correct, total):
            return 100.0 * correct / total
        ''',
}

CONFIG_KEY = {
    "train.py": '''
        import json

        cfg = json.load(open("config.json"))

        def build_optimizer(cfg):
            lr = cfg["optimizer"]["lr"] * cfg["train"]["batch_size"] / 256
            return {"name": cfg["optimizer"]["name"], "lr": lr}

        print(build_optimizer(cfg))
        ''',
    "config.json": '{"optimizer": {"name": "sgd", "lr": 0.1}, "training": {"batch_size": 64}}\n',
}

RECURSION = {
    "train.py": '''
        from config import Config

        cfg = Config({"model": "resnet18", "epochs": 10})
        print("model:", cfg.model)
        print("lr:", cfg.lr)
        ''',
    "config.py": '''
        class Config:
            def __init__(self, d):
                self._d = d

            def __getattr__(self, name):
                if name in self._d:
                    return self._d[name]
                return self.defaults[name]
        ''',
}

CHAINED_CAUSE = {
    "train.py": '''
        from annotations import load_annotations

        anns = load_annotations(["ann/img_0001.json", "ann/img_0002.json"])
        print(len(anns))
        ''',
    "annotations.py": '''
        import json

        def _read(path):
            with open(path) as f:
                return json.load(f)

        def load_annotations(paths):
            out = []
            for p in paths:
                try:
                    out.append(_read(p))
                except json.JSONDecodeError as e:
                    raise RuntimeError(f"corrupt annotation file: {p}") from e
            return out
        ''',
    "ann/img_0001.json": '{"boxes": [[10, 20, 50, 80]], "labels": [1]}\n',
    "ann/img_0002.json": '{"boxes": [[12, 30, 44, 90]], "labels": [2\n',
}

DURING = {
    "train.py": '''
        import csv
        from labels import encode

        CLASSES = ["cat", "dog", "bird"]
        with open("labels.csv") as f:
            rows = list(csv.reader(f))
        targets = [encode(label, CLASSES) for _, label in rows]
        print(targets)
        ''',
    "labels.py": '''
        def encode(label, classes):
            try:
                return int(label)
            except ValueError:
                return {c: i for i, c in enumerate(classes)}[label]
        ''',
    "labels.csv": "img1.jpg,cat\nimg2.jpg,dog\nimg3.jpg,Dog\n",
}

MULTILINE = {
    "train.py": '''
        import os
        from check import check_split

        check_split("data/train", ["img_001.jpg", "img_002.jpg", "img_003.jpg", "img_004.jpg"])
        print("ok")
        ''',
    "check.py": '''
        import os

        def check_split(root, names):
            missing = [n for n in names if not os.path.exists(os.path.join(root, n))]
            if missing:
                raise ValueError(
                    f"{len(missing)} images listed for split '{root}' are missing:\\n"
                    + "\\n".join("  - " + m for m in missing)
                    + "\\nRe-run prepare_data.py or fix the list file."
                )
        ''',
    "data/train/img_001.jpg": b"x",
}

SYNTAX = {
    "train.py": '''
        import torchish_stub
        from model import build_model

        model = build_model(num_classes=10)
        ''',
    "torchish_stub.py": "VERSION = '0.0'\n",
    "model.py": '''
        def conv_block(cin, cout):
            return [("conv", cin, cout, 3), ("relu",)]

        def build_model(num_classes):
            layers = conv_block(3, 32) + conv_block(32, 64
            layers.append(("fc", 64, num_classes))
            return layers
        ''',
}

PY2_PRINT = {
    "train.py": '''
        from augment import random_flip

        print(random_flip([1, 2, 3]))
        ''',
    "augment.py": '''
        import random

        def random_flip(img):
            if random.random() < 0.5:
                print "flipping"
                return img[::-1]
            return img
        ''',
}

INDENT = {
    "train.py": '''
        from dataset import VOCDataset

        ds = VOCDataset("data/VOC2012")
        ''',
    "dataset.py": '''
        class VOCDataset:
            def __init__(self, root):
                self.root = root
                self.ids = []

            def __len__(self):
                return len(self.ids)

        	def __getitem__(self, i):
                return self.ids[i]
        '''.replace("        \t", "\t"),
}

SPACES_BBOX = {
    "train.py": '''
        from boxes import read_boxes

        boxes = read_boxes("labels/img 001.txt")
        print(boxes)
        ''',
    "boxes.py": '''
        def parse_line(line):
            cls, x1, y1, x2, y2 = line.split()
            return int(cls), float(x1), float(y1), float(x2), float(y2)

        def read_boxes(path):
            with open(path) as f:
                return [parse_line(l) for l in f if l.strip()]
        ''',
    "labels/img 001.txt": "0 0.51 0.42 0.20 0.33\n1 0.12 0.70 0.08\n",
}

NO_SOURCE_EXEC = {
    "train.py": '''
        from augment import build_pipeline

        AUG = """
        def scale(img, factor):
            return [p * factor for p in img]

        def pipeline(img):
            img = scale(img, cfg['scale'])
            return img
        """

        pipeline = build_pipeline(AUG, cfg={"scal": 0.5})
        print(pipeline([1, 2, 3]))
        ''',
    "augment.py": '''
        def build_pipeline(src, cfg):
            ns = {"cfg": cfg}
            exec(compile(src, "<augmentation-config>", "exec"), ns)
            return ns["pipeline"]
        ''',
}

NO_SOURCE_DELETED = {
    "train.py": '''
        import os
        import shutil
        import plugin_metrics

        # the plugin module was checked out in a temp dir that is cleaned up
        os.remove(plugin_metrics.__file__)
        scores = [0.2, 0.4, 0.9]
        print(plugin_metrics.f1(scores, []))
        ''',
    "plugin_metrics.py": '''
        def precision(tp, fp):
            return tp / (tp + fp)

        def f1(scores, labels):
            tp = sum(1 for s, l in zip(scores, labels) if s > 0.5 and l)
            fp = sum(1 for s, l in zip(scores, labels) if s > 0.5 and not l)
            p = precision(tp, fp)
            return p
        ''',
}

KBINT = {
    "train.py": '''
        import os
        import signal
        import time
        from loop import train_one_epoch

        for epoch in range(1, 4):
            loss = train_one_epoch(epoch, steps=50)
            print(f"epoch {epoch}: loss={loss:.4f}", flush=True)
        ''',
    "loop.py": '''
        import os
        import signal
        import math

        def train_one_epoch(epoch, steps):
            loss = 0.0
            for step in range(steps):
                loss = 2.0 * math.exp(-0.01 * (epoch * steps + step))
                if epoch == 2 and step == 17:
                    # what Ctrl-C in the terminal does
                    os.kill(os.getpid(), signal.SIGINT)
            return loss
        ''',
}

EXC_GROUP = {
    "train.py": '''
        from check import check_dataset

        check_dataset({"train": ["a.jpg", "b.jpg", "c.jpg"], "val": ["d.jpg", "e.jpg"]})
        ''',
    "check.py": '''
        import os

        def open_image(path):
            with open(path, "rb") as f:
                head = f.read(4)
            if head[:2] != b"\\xff\\xd8":
                raise ValueError(f"{path}: not a JPEG file (starts with {head!r})")

        def check_dataset(splits):
            errors = []
            for split, names in splits.items():
                split_errors = []
                for n in names:
                    try:
                        open_image(os.path.join("data", split, n))
                    except (OSError, ValueError) as e:
                        split_errors.append(e)
                if split_errors:
                    errors.append(ExceptionGroup(f"split {split!r}: {len(split_errors)} bad files", split_errors))
            if errors:
                raise ExceptionGroup("dataset check failed", errors)
        ''',
    "data/train/a.jpg": b"\xff\xd8\xff\xe0ok",
    "data/train/b.jpg": b"GIF89a",
    "data/val/d.jpg": b"\xff\xd8\xff\xe0ok",
    "data/val/e.jpg": b"\x89PNG\r\n",
}

EXC_GROUP_ASYNC = {
    "prepare.py": '''
        import asyncio
        import os

        async def download(shard):
            await asyncio.sleep(0)
            path = f"shards/train-{shard:05d}.tar"
            return os.path.getsize(path)

        async def main():
            async with asyncio.TaskGroup() as tg:
                tasks = [tg.create_task(download(i)) for i in range(4)]
            print(sum(t.result() for t in tasks))

        asyncio.run(main())
        ''',
}


def cases():
    out = []
    for v in CPYTHONS:
        py = pyenv_python(v)
        if not py:
            print(f"skipping python {v}: not installed")
            continue
        tag = "py" + v.replace(".", "")
        new = tuple(map(int, v.split("."))) >= (3, 11)
        C = lambda name, cause, forms, files, **kw: out.append(  # noqa: E731
            Case(name=f"{tag}-{name}", cause=cause, forms=forms, files=files,
                 framework="python", python=py, **kw))
        C("filenotfound-image", "data.missing_or_corrupt", ["cpython_basic", "caret_lines?"], LOADER_MISSING)
        C("zerodivision-empty-val", "data.missing_or_corrupt", ["cpython_basic", "caret_lines?"], EMPTY_VAL)
        C("keyerror-config", "other", ["cpython_basic", "caret_lines?"], CONFIG_KEY)
        C("recursion-getattr", "other", ["cpython_basic", "repeated_line", "caret_lines?"], RECURSION)
        C("chained-cause-json", "data.missing_or_corrupt", ["chained_cause", "caret_lines?"], CHAINED_CAUSE)
        C("during-handling-label", "other", ["chained_during", "caret_lines?"], DURING,
          also=["data.label_out_of_range"])
        C("multiline-message", "data.missing_or_corrupt", ["multiline_message", "caret_lines?"], MULTILINE)
        C("syntaxerror-import", "other", ["syntax_error", "caret_lines?"], SYNTAX)
        C("syntaxerror-py2-print", "env.version_incompat", ["syntax_error", "caret_lines?"], PY2_PRINT)
        C("taberror-import", "other", ["syntax_error"], INDENT)
        C("paths-with-spaces-bbox-columns", "data.bbox_invalid", ["paths_with_spaces", "caret_lines?"],
          SPACES_BBOX, subdir="My Projects/box detector", project="/home/user/My Projects/box detector")
        C("no-source-exec", "other", ["no_source_lines", "caret_lines?"], NO_SOURCE_EXEC)
        C("no-source-deleted-file", "other", ["no_source_lines", "caret_lines?"], NO_SOURCE_DELETED)
        C("keyboardinterrupt", "other", ["cpython_basic", "caret_lines?"], KBINT)
        if new:
            C("exception-group-nested", "data.missing_or_corrupt", ["exception_group", "caret_lines?"], EXC_GROUP)
            C("exception-group-taskgroup", "data.missing_or_corrupt", ["exception_group", "caret_lines?"],
              EXC_GROUP_ASYNC, argv=["prepare.py"])
        if v == "3.13":
            C("colour-traceback", "data.missing_or_corrupt", ["ansi", "cpython_basic", "caret_lines?"],
              LOADER_MISSING, env={"FORCE_COLOR": "1"})
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
