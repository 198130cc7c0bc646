"""Untargeted held-out Keras / TF 2 training failures (g102, scored 0.82 top-1 and 0.91 top-3 before any rule for it) of people who write object detectors,
keypoint models and segmentation models by hand in Keras: YOLO-style target grids, SSD / CenterNet
style encoders, U-Nets and DeepLab-like heads, custom losses written with tf ops, custom
``train_step`` methods and ``tf.GradientTape`` loops, tf.data pipelines over COCO / VOC / YOLO-txt /
CVAT annotations parsed in Python (``json``, label ``.txt`` files) or inside ``Dataset.map`` with ``tf.strings`` / ``tf.io``, masks read with ``tf.io.decode_png``,
spread over the cause ids of the taxonomy as this persona meets them:

- image sizes: VOC segmentation pairs whose photos are resized in ``map`` but whose
  ``SegmentationClass`` masks are not;
- channels: COCO's few grayscale JPEGs read with ``tf.io.decode_image(expand_animations=False)``
  and no ``channels`` (tf_keras);
- boxes: YOLO label folders into which a pseudo-labelling pass wrote six-column rows (with the
  confidence) parsed with ``tf.strings`` and reshaped to ``[-1, 5]``; a CVAT hand-keypoint export
  with fingertips clicked outside the frame, scattered into a stride-4 heat map;
- too few boxes: a synthetic traffic-sign set (four pasted sizes) given to a fixed-iteration IoU
  k-means for nine anchors (empty clusters, NaN anchors written with ``"%d,%d"``);
- class ids: COCO polygons rasterised with their ``category_id`` (1..3) for a U-Net whose head has
  ``len(categories)`` channels (no background channel);
- label shapes: COCO person keypoints kept as 17 ``(x, y, v)`` triples for a ``Dense(17 * 2)``
  regression head (tf_keras, ``in user code:``);
- dtypes: a CenterNet Gaussian heat map built from ``tf.range`` (int32) minus the float centre;
- files: a YOLO ``images/`` folder with background negatives that have no label ``.txt``;
- model inputs: a "size-agnostic" pose network (``Input((None, None, 3))``) ending in
  ``Flatten`` + ``Dense``;
- model outputs: a DeepLab-like head left at stride 4 (the final bilinear up-sampling forgotten);
- weights: the grayscale X-ray U-Net's ``.weights.h5`` loaded into the same U-Net built for RGB;
- API: ``combined_non_max_suppression`` given ``[batch, boxes, 4]`` boxes from a class-agnostic box
  head, a Keras 3 ``train_step`` that returns the loss tensor instead of a logs dict;
- versions: the TF1 DeepLab port's ``BilinearUpsampling`` layer calling
  ``tf.image.resize(..., align_corners=True)``;
- divergence: a one-object localiser regressing pixel boxes from raw 0..255 pixels with SGD, whose
  NaN prediction is drawn with ``ImageDraw`` (progress bar shows ``nan``);
- gradients: a boundary loss computed in NumPy from ``.numpy()`` predictions in a GradientTape loop;
- host memory: full-resolution float64 keypoint heat maps precomputed for every COCO person;
- workers: a COCO -> YOLO-txt converter mapping a function nested in ``main()`` over a
  ``multiprocessing.Pool``;
- distribution: a ``MirroredStrategy`` custom loop whose loss object keeps the default reduction
  (tf_keras);
- plain bugs: a ``from_generator`` letterbox helper slicing the Python list of COCO boxes as a NumPy
  array, ``for step, (images, targets) in train_ds`` without ``enumerate`` in a GradientTape loop.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts and scripts under a terminal (progress bars).

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more45.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g102): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more45.py"


# ---------------------------------------------------------------- data helpers
def voc_seg(d: Path):
    """VOC2012 segmentation layout: JPEGImages, SegmentationClass (palette PNGs), ImageSets."""
    import numpy as np
    from PIL import Image

    r = _rng(4501)
    root = d / "VOCdevkit" / "VOC2012"
    sizes = [(500, 375), (375, 500), (500, 333), (500, 281), (500, 375), (486, 500)]   # (w, h)
    ids = []
    palette = [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0, 0, 0, 128] + [0] * (768 - 15)
    for i in range(12):
        iid = f"2007_{32 + 7 * i:06d}"
        ids.append(iid)
        w, h = sizes[i % len(sizes)]
        _jpg(root / "JPEGImages" / f"{iid}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        m = np.zeros((h, w), np.uint8)
        m[h // 4: 3 * h // 4, w // 5: w // 2] = 1 + i % 4
        m[h // 4 - 2: h // 4, w // 5: w // 2] = 255
        p = root / "SegmentationClass" / f"{iid}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        im = Image.fromarray(m, mode="P")
        im.putpalette(palette)
        im.save(p)
    (root / "ImageSets" / "Segmentation").mkdir(parents=True)
    (root / "ImageSets" / "Segmentation" / "train.txt").write_text("\n".join(ids) + "\n")


def coco_det(d: Path, gray=(), n=16):
    """COCO detection layout: train2017/*.jpg + annotations/instances_train2017.json."""
    r = _rng(4502)
    images, anns = [], []
    cats = [{"id": 1, "name": "person", "supercategory": "person"},
            {"id": 3, "name": "car", "supercategory": "vehicle"},
            {"id": 18, "name": "dog", "supercategory": "animal"}]
    aid = 1
    for i in range(n):
        iid = 1000 + 37 * i
        w, h = [(160, 120), (120, 160), (160, 106)][i % 3]
        fn = f"{iid:012d}.jpg"
        if i in gray:
            _jpg(d / "coco" / "train2017" / fn, r.integers(0, 255, size=(h, w), dtype="uint8"))
        else:
            _jpg(d / "coco" / "train2017" / fn, r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        images.append({"id": iid, "file_name": fn, "width": w, "height": h})
        for k in range(1 + i % 3):
            bw, bh = float(r.uniform(15, w / 2)), float(r.uniform(15, h / 2))
            x, y = float(r.uniform(0, w - bw)), float(r.uniform(0, h - bh))
            anns.append({"id": aid, "image_id": iid, "category_id": cats[(i + k) % 3]["id"],
                         "bbox": [round(x, 2), round(y, 2), round(bw, 2), round(bh, 2)],
                         "area": round(bw * bh, 2), "iscrowd": 0})
            aid += 1
    (d / "coco" / "annotations").mkdir(parents=True, exist_ok=True)
    (d / "coco" / "annotations" / "instances_train2017.json").write_text(
        json.dumps({"info": {"description": "COCO 2017 subset"}, "images": images, "annotations": anns,
                    "categories": cats}))


def coco_gray(d: Path):
    coco_det(d, gray=(5, 11))


def yolo_set(d: Path, pseudo=(), negatives=0, n=16, seed=4503):
    """YOLO-txt layout: dataset/images/train/*.jpg + dataset/labels/train/*.txt (+ data.yaml)."""
    r = _rng(seed)
    root = d / "dataset"
    (root / "labels" / "train").mkdir(parents=True)
    (root / "data.yaml").write_text("path: ../dataset\ntrain: images/train\nval: images/train\n\n"
                                    "names:\n  0: helmet\n  1: head\n  2: vest\n")
    for i in range(n):
        stem = f"site_{i:04d}"
        _jpg(root / "images" / "train" / f"{stem}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        rows = []
        for k in range(1 + i % 3):
            cx, cy = r.uniform(0.25, 0.75, size=2)
            w, h = r.uniform(0.1, 0.3, size=2)
            row = f"{(i + k) % 3} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}"
            if i in pseudo:
                row += f" {r.uniform(0.3, 0.95):.4f}"
            rows.append(row)
        (root / "labels" / "train" / f"{stem}.txt").write_text("\n".join(rows) + "\n")
    for j in range(negatives):
        _jpg(root / "images" / "train" / f"bg_{j:03d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))


def yolo_pseudo(d: Path):
    yolo_set(d, pseudo=(9, 13))


def yolo_negatives(d: Path):
    yolo_set(d, negatives=4, n=28)


def yolo_clean(d: Path):
    yolo_set(d, n=24)


def hand_keypoints(d: Path):
    """CVAT "COCO Keypoints 1.0" export of 21-point hands; two fingertips clicked past the frame."""
    r = _rng(4504)
    images, anns = [], []
    for i in range(12):
        fn = f"frame_{i * 15:06d}.jpg"
        _jpg(d / "hands" / "images" / fn, r.integers(0, 255, size=(128, 128, 3), dtype="uint8"))
        images.append({"id": i + 1, "file_name": fn, "width": 128, "height": 128})
        kps = []
        for k in range(21):
            x, y = float(r.uniform(20, 108)), float(r.uniform(20, 108))
            if (i, k) in ((6, 8), (6, 12)):
                x = 128 + float(r.uniform(6, 20))
            kps += [round(x, 2), round(y, 2), 2]
        anns.append({"id": i + 1, "image_id": i + 1, "category_id": 1, "keypoints": kps, "num_keypoints": 21,
                     "bbox": [10.0, 10.0, 108.0, 108.0], "area": 11664.0, "iscrowd": 0})
    names = ["wrist"] + [f"{f}_{j}" for f in ("thumb", "index", "middle", "ring", "pinky") for j in range(1, 5)]
    (d / "hands" / "annotations").mkdir(parents=True)
    (d / "hands" / "annotations" / "person_keypoints_default.json").write_text(json.dumps(
        {"licenses": [{"name": "", "id": 0, "url": ""}], "info": {"contributor": "", "version": ""},
         "categories": [{"id": 1, "name": "hand", "supercategory": "", "keypoints": names, "skeleton": []}],
         "images": images, "annotations": anns}))


def coco_polygons(d: Path):
    """CVAT "COCO 1.0" export with polygons: bridge defects crack / spalling / rust (ids 1..3)."""
    r = _rng(4505)
    images, anns = [], []
    aid = 1
    for i in range(16):
        fn = f"DJI_{100 + i:04d}.JPG"
        _jpg(d / "bridge" / "images" / fn, r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        images.append({"id": i + 1, "file_name": fn, "width": 96, "height": 96})
        for k in range(1 + i % 2):
            cx, cy = r.uniform(25, 70, size=2)
            poly = []
            for a in range(6):
                ang = a * 3.14159 / 3
                rad = float(r.uniform(8, 18))
                poly += [round(float(cx + rad * __import__("math").cos(ang)), 1),
                         round(float(cy + rad * __import__("math").sin(ang)), 1)]
            anns.append({"id": aid, "image_id": i + 1, "category_id": 1 + (i + k) % 3, "segmentation": [poly],
                         "area": 600.0, "bbox": [cx - 18, cy - 18, 36, 36], "iscrowd": 0})
            aid += 1
    (d / "bridge" / "annotations").mkdir(parents=True)
    (d / "bridge" / "annotations" / "instances_default.json").write_text(json.dumps(
        {"categories": [{"id": 1, "name": "crack", "supercategory": ""},
                        {"id": 2, "name": "spalling", "supercategory": ""},
                        {"id": 3, "name": "rust", "supercategory": ""}],
         "images": images, "annotations": anns}))


def coco_person_kp(d: Path, n_people=24, with_images=True, w=96, h=96):
    """COCO person_keypoints layout, one person per (already cropped) image."""
    r = _rng(4506)
    images, anns = [], []
    for i in range(n_people):
        fn = f"{200000 + 13 * i:012d}.jpg"
        if with_images:
            _jpg(d / "coco_person" / "crops" / fn, r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        images.append({"id": i + 1, "file_name": fn, "width": 640, "height": 480})
        kps = []
        for k in range(17):
            v = int(r.choice([0, 1, 2, 2, 2]))
            kps += ([round(float(r.uniform(5, w - 5)), 1), round(float(r.uniform(5, h - 5)), 1), v] if v else
                    [0, 0, 0])
        anns.append({"id": i + 1, "image_id": i + 1, "category_id": 1, "keypoints": kps,
                     "num_keypoints": sum(1 for k in range(17) if kps[3 * k + 2]), "iscrowd": 0,
                     "bbox": [0, 0, w, h], "area": float(w * h)})
    kp_names = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
                "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
                "right_knee", "left_ankle", "right_ankle"]
    (d / "coco_person" / "annotations").mkdir(parents=True, exist_ok=True)
    (d / "coco_person" / "annotations" / "person_keypoints_train2017.json").write_text(json.dumps(
        {"images": images, "annotations": anns,
         "categories": [{"id": 1, "name": "person", "supercategory": "person", "keypoints": kp_names}]}))


def coco_person_many(d: Path):
    coco_person_kp(d, n_people=2400, with_images=False)


def signs(d: Path):
    """A synthetic traffic-sign set: signs pasted at four fixed sizes, YOLO-txt labels."""
    r = _rng(4507)
    sizes = [64, 48, 96, 32]
    root = d / "synthetic_signs"
    (root / "labels").mkdir(parents=True)
    for i in range(30):
        rows = []
        for k in range(1 + i % 2):
            s = sizes[(i + k) % 4] / 416
            cx, cy = r.uniform(0.2, 0.8, size=2)
            rows.append(f"{(i + k) % 5} {cx:.6f} {cy:.6f} {s:.6f} {s:.6f}")
        (root / "labels" / f"sign_{i:05d}.txt").write_text("\n".join(rows) + "\n")


def seg_masks(d: Path, seed=4508, n=16, classes=5):
    """images/*.jpg + masks/*.png (class ids 0..classes-1, single channel)."""
    import numpy as np

    r = _rng(seed)
    for i in range(n):
        _jpg(d / "seg" / "images" / f"tile_{i:03d}.jpg", r.integers(0, 255, size=(128, 128, 3), dtype="uint8"))
        m = np.zeros((128, 128), np.uint8)
        for c in range(1, classes):
            y, x = r.integers(0, 96, size=2)
            m[y:y + 32, x:x + 32] = c
        _png(d / "seg" / "masks" / f"tile_{i:03d}.png", m)


def lesion_masks(d: Path):
    """Binary lesion masks (0 / 255) next to the photos."""
    import numpy as np

    r = _rng(4509)
    yy, xx = np.mgrid[0:64, 0:64]
    for i in range(16):
        _jpg(d / "isic" / "images" / f"ISIC_{24306 + i:07d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        cy, cx = r.uniform(20, 44, size=2)
        m = ((((yy - cy) / 14) ** 2 + ((xx - cx) / 10) ** 2) < 1).astype(np.uint8) * 255
        _png(d / "isic" / "masks" / f"ISIC_{24306 + i:07d}_segmentation.png", m)


def xray_weights(d: Path):
    (d / "checkpoints").mkdir()
    _prep("k3", """
        import keras
        from keras import layers


        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


        def build_unet(input_shape=(128, 128, 1), num_classes=1):
            inputs = keras.Input(input_shape)
            c1 = conv_block(inputs, 16)
            c2 = conv_block(layers.MaxPooling2D()(c1), 32)
            b = conv_block(layers.MaxPooling2D()(c2), 64)
            u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
            u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
            outputs = layers.Conv2D(num_classes, 1, activation="sigmoid")(u1)
            return keras.Model(inputs, outputs, name="unet")


        model = build_unet()
        model.save_weights("checkpoints/unet_xray_lungs.weights.h5")
        """, d)
    lesion_masks(d)


def localisation(d: Path):
    """One object per photo: boxes.csv with pixel corners (filename,xmin,ymin,xmax,ymax)."""
    r = _rng(4510)
    rows = ["filename,xmin,ymin,xmax,ymax"]
    for i in range(48):
        fn = f"bird_{i:04d}.jpg"
        _jpg(d / "birds" / "images" / fn, r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x1, y1 = r.integers(0, 40, size=2)
        x2, y2 = x1 + r.integers(30, 56), y1 + r.integers(30, 56)
        rows.append(f"{fn},{x1},{y1},{x2},{y2}")
    (d / "birds" / "boxes.csv").write_text("\n".join(rows) + "\n")


UNET_BLOCK = """
        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
"""


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more45-voc-seg-photos-resized-masks-not-cannot-batch-k3",
        cause="data.image_size_mismatch",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        setup=voc_seg,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        VOC = "{DATA}/VOCdevkit/VOC2012"
        IMG_SIZE = 256
        NUM_CLASSES = 21

        ids = open(os.path.join(VOC, "ImageSets/Segmentation/train.txt")).read().split()
        image_paths = [os.path.join(VOC, "JPEGImages", i + ".jpg") for i in ids]
        mask_paths = [os.path.join(VOC, "SegmentationClass", i + ".png") for i in ids]


        def load(image_path, mask_path):
            image = tf.io.decode_jpeg(tf.io.read_file(image_path), channels=3)
            image = tf.image.resize(image, (IMG_SIZE, IMG_SIZE)) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.where(mask == 255, tf.zeros_like(mask), mask)      # void border -> background
            return image, mask


        train_ds = (tf.data.Dataset.from_tensor_slices((image_paths, mask_paths))
                    .shuffle(len(ids), seed=0)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))
        """ + UNET_BLOCK + """

        inputs = keras.Input((IMG_SIZE, IMG_SIZE, 3))
        c1 = conv_block(inputs, 16)
        c2 = conv_block(layers.MaxPooling2D()(c1), 32)
        b = conv_block(layers.MaxPooling2D()(c2), 64)
        u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
        u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
        outputs = layers.Conv2D(NUM_CLASSES, 1)(u1)
        model = keras.Model(inputs, outputs, name="unet_voc")
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more45-coco-grayscale-jpegs-decode-image-without-channels-cannot-batch-tfk2",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        env="tfk2",
        exception="InvalidArgumentError",
        setup=coco_gray,
        pty=True,
        expect="[224,224,1], [batch]: [224,224,3]",
        code="""
        import json
        import os
        from collections import defaultdict

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/coco"
        IMG = 224
        MAX_BOXES = 10

        coco = json.load(open(os.path.join(ROOT, "annotations/instances_train2017.json")))
        cat_ids = sorted(c["id"] for c in coco["categories"])
        cat_index = {cid: i for i, cid in enumerate(cat_ids)}
        by_image = defaultdict(list)
        for a in coco["annotations"]:
            by_image[a["image_id"]].append(a)

        paths, targets = [], []
        for img in coco["images"]:
            t = np.zeros((MAX_BOXES, 5), np.float32)
            for j, a in enumerate(by_image[img["id"]][:MAX_BOXES]):
                x, y, w, h = a["bbox"]
                t[j] = [x / img["width"], y / img["height"], (x + w) / img["width"], (y + h) / img["height"],
                        cat_index[a["category_id"]] + 1]
            paths.append(os.path.join(ROOT, "train2017", img["file_name"]))
            targets.append(t)
        print(len(paths), "images,", len(coco["annotations"]), "boxes,", len(cat_ids), "classes")


        def load(path, target):
            image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            return image, target


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, np.stack(targets)))
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        def box_loss(y_true, y_pred):
            present = tf.cast(y_true[..., 4] > 0, tf.float32)
            l1 = tf.reduce_sum(tf.abs(y_true[..., :4] - y_pred[..., :4]), axis=-1)
            obj = keras.losses.binary_crossentropy(present[..., None], tf.sigmoid(y_pred[..., 4:5]))
            return tf.reduce_sum(present * l1, axis=-1) + tf.reduce_sum(obj, axis=-1)


        backbone = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3))
        x = layers.GlobalAveragePooling2D()(backbone.output)
        x = layers.Dense(MAX_BOXES * 5)(x)
        out = layers.Reshape((MAX_BOXES, 5))(x)
        model = keras.Model(backbone.input, out)
        model.compile(optimizer="adam", loss=box_loss)
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more45-yolo-labels-with-pseudo-label-confidence-column-reshape-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=yolo_pseudo,
        pty=True,
        expect="Input to reshape is a tensor with",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        GRID = 6
        NUM_CLASSES = 3

        image_paths = sorted(glob.glob("{DATA}/dataset/images/train/*.jpg"))
        print(len(image_paths), "training images")


        def read_labels(image_path):
            label_path = tf.strings.regex_replace(image_path, "/images/", "/labels/")
            label_path = tf.strings.regex_replace(label_path, r"\\.jpg$", ".txt")
            text = tf.strings.strip(tf.io.read_file(label_path))
            values = tf.strings.to_number(tf.strings.split(tf.strings.regex_replace(text, "\\n", " ")))
            return tf.reshape(values, [-1, 5])          # class cx cy w h


        def encode(image_path):
            image = tf.io.decode_jpeg(tf.io.read_file(image_path), channels=3)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            labels = read_labels(image_path)
            cls = tf.cast(labels[:, 0], tf.int32)
            gx = tf.cast(labels[:, 1] * GRID, tf.int32)
            gy = tf.cast(labels[:, 2] * GRID, tf.int32)
            idx = tf.stack([gy, gx], axis=1)
            box = tf.concat([labels[:, 1:5], tf.ones_like(labels[:, :1]),
                             tf.one_hot(cls, NUM_CLASSES)], axis=1)
            target = tf.tensor_scatter_nd_update(tf.zeros((GRID, GRID, 5 + NUM_CLASSES)), idx, box)
            return image, target


        train_ds = (tf.data.Dataset.from_tensor_slices(image_paths)
                    .shuffle(64, seed=2)
                    .map(encode, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4]
            box = tf.reduce_sum(tf.square(y_true[..., :4] - tf.sigmoid(y_pred[..., :4])), -1)
            conf = keras.losses.binary_crossentropy(y_true[..., 4:5], y_pred[..., 4:5], from_logits=True)
            cls = keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:], from_logits=True)
            return tf.reduce_sum(5.0 * obj * box + conf + obj * cls, axis=[1, 2])


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(5 + NUM_CLASSES, 1),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=yolo_loss)
        model.fit(train_ds, epochs=30)
        """,
    ),
    Case(
        name="keras-more45-cvat-hand-keypoints-clicked-outside-frame-heatmap-scatter-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=hand_keypoints,
        pty=True,
        expect="does not index into shape",
        code="""
        import json
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/hands"
        IMG = 128
        STRIDE = 4
        HM = IMG // STRIDE
        NUM_KP = 21

        ann = json.load(open(os.path.join(ROOT, "annotations/person_keypoints_default.json")))
        files = {im["id"]: im["file_name"] for im in ann["images"]}
        paths, keypoints = [], []
        for a in ann["annotations"]:
            paths.append(os.path.join(ROOT, "images", files[a["image_id"]]))
            keypoints.append(np.array(a["keypoints"], np.float32).reshape(NUM_KP, 3))
        print(len(paths), "hands")


        def make_target(path, kps):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            image = tf.image.convert_image_dtype(image, tf.float32)
            xy = tf.cast(kps[:, :2] // STRIDE, tf.int32)
            visible = kps[:, 2] > 0
            idx = tf.stack([xy[:, 1], xy[:, 0], tf.range(NUM_KP)], axis=1)
            idx = tf.boolean_mask(idx, visible)
            heatmap = tf.tensor_scatter_nd_update(tf.zeros((HM, HM, NUM_KP)), idx,
                                                  tf.ones(tf.shape(idx)[:1]))
            heatmap = tf.nn.max_pool2d(heatmap[None], 3, 1, "SAME")[0]     # 3x3 blob per keypoint
            return image, heatmap


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, np.stack(keypoints)))
                    .shuffle(32, seed=5)
                    .map(make_target)
                    .batch(4))

        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(64, 3, dilation_rate=2, padding="same", activation="relu")(x)
        heat = layers.Conv2D(NUM_KP, 1, activation="sigmoid", name="heatmaps")(x)
        model = keras.Model(inputs, heat)
        model.compile(optimizer="adam", loss=keras.losses.BinaryFocalCrossentropy(gamma=2.0))
        model.fit(train_ds, epochs=40)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more45-anchor-kmeans-four-pasted-sign-sizes-nine-anchors-nan-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=signs,
        expect="cannot convert float NaN to integer",
        script="gen_anchors.py",
        code="""
        # gen_anchors.py -- IoU k-means over the label files, writes anchors for yolo_config.py
        import glob

        import numpy as np

        INPUT = 416
        NUM_ANCHORS = 9


        def iou(boxes, clusters):
            w = np.minimum(boxes[:, None, 0], clusters[None, :, 0])
            h = np.minimum(boxes[:, None, 1], clusters[None, :, 1])
            inter = w * h
            union = boxes[:, 0:1] * boxes[:, 1:2] + (clusters[:, 0] * clusters[:, 1])[None] - inter
            return inter / union


        def kmeans(boxes, k, max_iter=300, seed=0):
            rng = np.random.default_rng(seed)
            clusters = boxes[rng.choice(len(boxes), k, replace=False)].copy()
            for it in range(max_iter):
                nearest = np.argmin(1 - iou(boxes, clusters), axis=1)
                new = np.array([boxes[nearest == j].mean(axis=0) for j in range(k)])
                if np.allclose(new, clusters):
                    break
                clusters = new
            return clusters


        wh = []
        for f in sorted(glob.glob("{DATA}/synthetic_signs/labels/*.txt")):
            for line in open(f):
                _, _, _, w, h = map(float, line.split())
                wh.append([w * INPUT, h * INPUT])
        wh = np.array(wh)
        print(f"{len(wh)} boxes from {len(glob.glob('{DATA}/synthetic_signs/labels/*.txt'))} label files")

        anchors = kmeans(wh, NUM_ANCHORS)
        anchors = anchors[np.argsort(anchors[:, 0] * anchors[:, 1])]
        avg_iou = np.mean(np.max(iou(wh, anchors), axis=1))
        print(f"avg IoU: {avg_iou:.4f}")
        line = ",  ".join("%d,%d" % (w, h) for w, h in anchors)
        with open("anchors.txt", "w") as fh:
            fh.write(line + "\\n")
        print("anchors:", line)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more45-coco-polygons-rasterised-with-category-id-no-background-channel-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=coco_polygons,
        pty=True,
        expect="outside the valid range",
        code="""
        import json
        import os

        import numpy as np
        from PIL import Image, ImageDraw
        import keras
        from keras import layers

        ROOT = "{DATA}/bridge"
        IMG = 96

        coco = json.load(open(os.path.join(ROOT, "annotations/instances_default.json")))
        class_names = [c["name"] for c in coco["categories"]]
        NUM_CLASSES = len(class_names)
        print("classes:", class_names)

        images, masks = [], []
        for info in coco["images"]:
            img = Image.open(os.path.join(ROOT, "images", info["file_name"])).convert("RGB").resize((IMG, IMG))
            mask = Image.new("L", (info["width"], info["height"]), 0)
            draw = ImageDraw.Draw(mask)
            for a in coco["annotations"]:
                if a["image_id"] != info["id"]:
                    continue
                for poly in a["segmentation"]:
                    draw.polygon(list(zip(poly[::2], poly[1::2])), fill=a["category_id"])
            images.append(np.asarray(img, np.float32) / 255.0)
            masks.append(np.asarray(mask.resize((IMG, IMG), Image.NEAREST)))
        x = np.stack(images)
        y = np.stack(masks)
        print(x.shape, y.shape, "mask values:", np.unique(y))
        """ + UNET_BLOCK + """

        inputs = keras.Input((IMG, IMG, 3))
        c1 = conv_block(inputs, 16)
        c2 = conv_block(layers.MaxPooling2D()(c1), 32)
        b = conv_block(layers.MaxPooling2D()(c2), 64)
        u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
        u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
        outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(u1)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=25, validation_split=0.25)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more45-coco-person-keypoints-xyv-triples-for-dense-34-head-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        env="tfk2",
        exception="ValueError",
        setup=coco_person_kp,
        pty=True,
        expect="Dimensions must be equal, but are 34 and 51",
        code="""
        import json
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/coco_person"
        CROP = 96
        NUM_KP = 17

        coco = json.load(open(os.path.join(ROOT, "annotations/person_keypoints_train2017.json")))
        files = {im["id"]: im["file_name"] for im in coco["images"]}
        paths, kps = [], []
        for a in coco["annotations"]:
            if a["num_keypoints"] < 5:
                continue
            paths.append(os.path.join(ROOT, "crops", files[a["image_id"]]))
            k = np.array(a["keypoints"], np.float32)
            k[0::3] /= CROP                    # normalise x
            k[1::3] /= CROP                    # normalise y
            kps.append(k)
        print(len(paths), "people with >= 5 keypoints")


        def load(path, k):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), k


        ds = (tf.data.Dataset.from_tensor_slices((paths, np.stack(kps)))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .shuffle(64, seed=1)
              .batch(8))

        backbone = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(CROP, CROP, 3),
                                                  alpha=0.35)
        x = layers.GlobalAveragePooling2D()(backbone.output)
        x = layers.Dropout(0.2)(x)
        out = layers.Dense(NUM_KP * 2, activation="sigmoid", name="keypoints")(x)   # (x, y) per joint
        model = keras.Model(backbone.input, out)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(ds, epochs=15)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more45-centernet-gaussian-heatmap-int-range-minus-float-centre-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=coco_det,
        expect="Sub",
        code="""
        import json
        import os
        from collections import defaultdict

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/coco"
        IMG = 128
        STRIDE = 4
        OUT = IMG // STRIDE
        MAX_OBJ = 8

        coco = json.load(open(os.path.join(ROOT, "annotations/instances_train2017.json")))
        cat_index = {c["id"]: i for i, c in enumerate(coco["categories"])}
        NUM_CLASSES = len(cat_index)
        anns = defaultdict(list)
        for a in coco["annotations"]:
            anns[a["image_id"]].append(a)

        paths, boxes, classes = [], [], []
        for im in coco["images"]:
            b = np.zeros((MAX_OBJ, 4), np.float32)
            c = np.full((MAX_OBJ,), -1, np.int32)
            for j, a in enumerate(anns[im["id"]][:MAX_OBJ]):
                x, y, w, h = a["bbox"]
                b[j] = [x / im["width"], y / im["height"], (x + w) / im["width"], (y + h) / im["height"]]
                c[j] = cat_index[a["category_id"]]
            paths.append(os.path.join(ROOT, "train2017", im["file_name"]))
            boxes.append(b)
            classes.append(c)


        def gaussian_heatmap(boxes, classes):
            xs = tf.range(OUT)[None, :]
            ys = tf.range(OUT)[:, None]
            heat = tf.zeros((OUT, OUT, NUM_CLASSES))
            for j in range(MAX_OBJ):
                if classes[j] < 0:
                    continue
                cx = (boxes[j, 0] + boxes[j, 2]) / 2 * OUT
                cy = (boxes[j, 1] + boxes[j, 3]) / 2 * OUT
                sigma = tf.maximum((boxes[j, 2] - boxes[j, 0]) * OUT / 6, 1.0)
                g = tf.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * sigma ** 2))
                heat = tf.maximum(heat, g[..., None] * tf.one_hot(classes[j], NUM_CLASSES))
            return heat


        def load(path, boxes, classes):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            return img, gaussian_heatmap(boxes, classes)


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, np.stack(boxes), np.stack(classes)))
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4))

        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        heat = layers.Conv2D(NUM_CLASSES, 1, activation="sigmoid")(x)
        model = keras.Model(inputs, heat)
        model.compile(optimizer="adam", loss=keras.losses.BinaryFocalCrossentropy())
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more45-yolo-background-negatives-without-label-txt-not-found-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=yolo_negatives,
        pty=True,
        expect="No such file or directory",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        MAX_BOXES = 8

        # background photos (no helmets) were copied into images/train to cut false positives
        image_paths = sorted(glob.glob("{DATA}/dataset/images/train/*.jpg"))
        print(len(image_paths), "images")


        def load(image_path):
            image = tf.io.decode_jpeg(tf.io.read_file(image_path), channels=3)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            label_path = tf.strings.regex_replace(
                tf.strings.regex_replace(image_path, "/images/", "/labels/"), "[.]jpg$", ".txt")
            lines = tf.strings.split(tf.strings.strip(tf.io.read_file(label_path)), "\\n")
            rows = tf.strings.to_number(tf.strings.split(lines).to_tensor(default_value="0"))
            rows = rows[:MAX_BOXES]
            target = tf.pad(rows, [[0, MAX_BOXES - tf.shape(rows)[0]], [0, 0]])
            return image, tf.ensure_shape(target, (MAX_BOXES, 5))


        train_ds = (tf.data.Dataset.from_tensor_slices(image_paths)
                    .shuffle(len(image_paths), seed=11)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))


        def set_loss(y_true, y_pred):
            present = tf.cast(tf.reduce_sum(y_true[..., 1:], -1) > 0, tf.float32)
            err = tf.reduce_sum(tf.abs(y_true[..., 1:] - y_pred[..., 1:]), -1)
            return tf.reduce_sum(present * err, -1) / (tf.reduce_sum(present, -1) + 1.0)


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(MAX_BOXES * 5),
            layers.Reshape((MAX_BOXES, 5)),
        ])
        model.compile(optimizer="adam", loss=set_loss)
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more45-pose-net-free-input-size-flatten-dense-head-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=coco_person_kp,
        expect="must be fully-defined",
        code="""
        import json
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        ROOT = "{DATA}/coco_person"
        NUM_KP = 17

        coco = json.load(open(os.path.join(ROOT, "annotations/person_keypoints_train2017.json")))
        files = {im["id"]: im["file_name"] for im in coco["images"]}
        x = np.stack([np.asarray(Image.open(os.path.join(ROOT, "crops", files[a["image_id"]])), np.float32) / 255.0
                      for a in coco["annotations"]])
        y = np.stack([np.array(a["keypoints"], np.float32).reshape(NUM_KP, 3)[:, :2].reshape(-1) / 96.0
                      for a in coco["annotations"]])
        print(x.shape, y.shape)


        def build_pose_net():
            # fully convolutional trunk: no fixed size so that crops of any resolution can be used
            inputs = keras.Input(shape=(None, None, 3))
            h = inputs
            for filters in (32, 64, 128):
                h = layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
                h = layers.BatchNormalization()(h)
                h = layers.ReLU()(h)
                h = layers.MaxPooling2D()(h)
            h = layers.Flatten()(h)
            h = layers.Dense(256, activation="relu")(h)
            out = layers.Dense(NUM_KP * 2, activation="sigmoid")(h)
            return keras.Model(inputs, out, name="pose_net")


        model = build_pose_net()
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=20)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more45-deeplab-head-left-at-stride-4-no-final-upsampling-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        setup=seg_masks,
        pty=True,
        expect="did not hold element-wise",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 128
        NUM_CLASSES = 5

        images = sorted(glob.glob("{DATA}/seg/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", ".png") for p in images]


        def load(ip, mp):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(ip), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mp), channels=1)[..., 0]
            return img, tf.cast(mask, tf.int32)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(32, seed=3).batch(4)


        def conv_bn(x, filters, kernel=3, rate=1, strides=1):
            x = layers.Conv2D(filters, kernel, strides=strides, dilation_rate=rate, padding="same",
                              use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            return layers.ReLU()(x)


        def aspp(x):
            branches = [conv_bn(x, 64, 1)] + [conv_bn(x, 64, 3, rate=r) for r in (6, 12, 18)]
            pooled = layers.GlobalAveragePooling2D(keepdims=True)(x)
            pooled = conv_bn(pooled, 64, 1)
            pooled = layers.UpSampling2D(size=(x.shape[1], x.shape[2]), interpolation="bilinear")(pooled)
            return conv_bn(layers.Concatenate()(branches + [pooled]), 64, 1)


        def deeplab_like():
            inputs = keras.Input((IMG, IMG, 3))
            x = conv_bn(inputs, 32, strides=2)          # 1/2
            x = conv_bn(x, 64, strides=2)               # 1/4
            x = conv_bn(x, 64)
            x = aspp(x)
            x = conv_bn(x, 64)
            logits = layers.Conv2D(NUM_CLASSES, 1, name="logits")(x)
            return keras.Model(inputs, logits, name="deeplab_like")


        model = deeplab_like()
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=30)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more45-grayscale-xray-unet-weights-into-rgb-lesion-unet-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=xray_weights,
        expect="must match",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 128
        images = sorted(glob.glob("{DATA}/isic/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", "_segmentation.png") for p in images]


        def load(ip, mp):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(ip), channels=3), (IMG, IMG)) / 255.0
            m = tf.image.resize(tf.io.decode_png(tf.io.read_file(mp), channels=1), (IMG, IMG), method="nearest")
            return img, tf.cast(m > 127, tf.float32)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)
        """ + UNET_BLOCK + """

        def build_unet(input_shape=(128, 128, 1), num_classes=1):
            inputs = keras.Input(input_shape)
            c1 = conv_block(inputs, 16)
            c2 = conv_block(layers.MaxPooling2D()(c1), 32)
            b = conv_block(layers.MaxPooling2D()(c2), 64)
            u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
            u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
            outputs = layers.Conv2D(num_classes, 1, activation="sigmoid")(u1)
            return keras.Model(inputs, outputs, name="unet")


        # start from the lung-field U-Net trained last month (same architecture) instead of from scratch
        model = build_unet(input_shape=(IMG, IMG, 3))
        model.load_weights("{DATA}/checkpoints/unet_xray_lungs.weights.h5")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                      metrics=[keras.metrics.BinaryIoU(threshold=0.5)])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more45-combined-nms-class-agnostic-boxes-without-class-axis-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        setup=yolo_clean,
        expect="boxes must be 4-D",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        GRID = 6
        NUM_CLASSES = 3
        N = GRID * GRID

        paths = sorted(glob.glob("{DATA}/dataset/images/train/*.jpg"))
        x = np.stack([tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (IMG, IMG)).numpy() / 255.0
                      for p in paths]).astype("float32")
        y_box = np.zeros((len(paths), N, 4), np.float32)
        y_cls = np.zeros((len(paths), N, NUM_CLASSES), np.float32)
        for i, p in enumerate(paths):
            for row in np.loadtxt(p.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2):
                c, cx, cy, w, h = row
                cell = int(cy * GRID) * GRID + int(cx * GRID)
                y_box[i, cell] = [cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2]
                y_cls[i, cell, int(c)] = 1.0

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(h)
        boxes = layers.Reshape((N, 4), name="boxes")(layers.Conv2D(4, 1, activation="sigmoid")(h))
        scores = layers.Reshape((N, NUM_CLASSES), name="scores")(layers.Conv2D(NUM_CLASSES, 1, activation="sigmoid")(h))
        model = keras.Model(inputs, {"boxes": boxes, "scores": scores})
        model.compile(optimizer="adam", loss={"boxes": "mae", "scores": "binary_crossentropy"})
        model.fit(x, {"boxes": y_box, "scores": y_cls}, batch_size=8, epochs=3, verbose=2)

        # ---- inference on the first photo
        pred = model.predict(x[:1], verbose=0)
        nmsed = tf.image.combined_non_max_suppression(
            pred["boxes"], pred["scores"], max_output_size_per_class=10, max_total_size=20,
            iou_threshold=0.5, score_threshold=0.3)
        print(nmsed.valid_detections.numpy())
        """,
    ),
    Case(
        name="keras-more45-custom-train-step-returns-loss-tensor-not-logs-dict-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=yolo_clean,
        pty=True,
        expect="has no attribute 'items'",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        GRID = 6
        NUM_CLASSES = 3

        paths = sorted(glob.glob("{DATA}/dataset/images/train/*.jpg"))


        def encode(path):
            rows = np.loadtxt(path.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)
            t = np.zeros((GRID, GRID, 5 + NUM_CLASSES), np.float32)
            for c, cx, cy, w, h in rows:
                gy, gx = int(cy * GRID), int(cx * GRID)
                t[gy, gx, :5] = [cx * GRID - gx, cy * GRID - gy, w, h, 1.0]
                t[gy, gx, 5 + int(c)] = 1.0
            return t


        x = np.stack([tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (IMG, IMG)).numpy() / 255.0
                      for p in paths]).astype("float32")
        y = np.stack([encode(p) for p in paths])


        class TinyYOLO(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.body = [layers.Conv2D(f, 3, strides=2, padding="same", activation="relu") for f in (16, 32, 64, 64)]
                self.head = layers.Conv2D(5 + NUM_CLASSES, 1)

            def call(self, x, training=False):
                for layer in self.body:
                    x = layer(x)
                return self.head(x)

            def yolo_loss(self, y_true, y_pred):
                obj = y_true[..., 4]
                xy = tf.reduce_sum(tf.square(y_true[..., :2] - tf.sigmoid(y_pred[..., :2])), -1)
                wh = tf.reduce_sum(tf.square(tf.sqrt(y_true[..., 2:4]) - tf.sqrt(tf.sigmoid(y_pred[..., 2:4]))), -1)
                conf = tf.nn.sigmoid_cross_entropy_with_logits(obj, y_pred[..., 4])
                cls = tf.nn.softmax_cross_entropy_with_logits(y_true[..., 5:], y_pred[..., 5:])
                return tf.reduce_mean(tf.reduce_sum(5.0 * obj * (xy + wh) + conf + obj * cls, axis=[1, 2]))

            def train_step(self, data):
                images, targets = data
                with tf.GradientTape() as tape:
                    preds = self(images, training=True)
                    loss = self.yolo_loss(targets, preds)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return loss


        model = TinyYOLO()
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        model.fit(x, y, batch_size=8, epochs=50)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more45-tf1-deeplab-bilinear-upsampling-layer-align-corners-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=seg_masks,
        expect="align_corners",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 128
        NUM_CLASSES = 5

        images = sorted(glob.glob("{DATA}/seg/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", ".png") for p in images]


        def load(ip, mp):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(ip), channels=3), tf.float32)
            return img, tf.cast(tf.io.decode_png(tf.io.read_file(mp), channels=1)[..., 0], tf.int32)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)


        # ported from the DeepLab v3+ (TF 1.x) Keras port
        class BilinearUpsampling(layers.Layer):
            def __init__(self, output_size, **kwargs):
                super().__init__(**kwargs)
                self.output_size = output_size

            def call(self, inputs):
                return tf.image.resize(inputs, self.output_size, method=tf.image.ResizeMethod.BILINEAR,
                                       align_corners=True)

            def get_config(self):
                return {**super().get_config(), "output_size": self.output_size}


        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        low = x
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2D(64, 3, dilation_rate=2, padding="same", activation="relu")(x)
        x = BilinearUpsampling((IMG // 4, IMG // 4))(x)
        x = layers.Concatenate()([x, layers.Conv2D(48, 1, activation="relu")(low)])
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(NUM_CLASSES, 1)(x)
        logits = BilinearUpsampling((IMG, IMG))(x)
        model = keras.Model(inputs, logits)
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more45-bird-localiser-pixel-boxes-raw-pixels-sgd-nan-drawn-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=localisation,
        pty=True,
        expect="cannot convert float NaN to integer",
        code="""
        import csv
        import os

        import numpy as np
        from PIL import Image, ImageDraw
        import keras
        from keras import layers

        ROOT = "{DATA}/birds"
        rows = list(csv.DictReader(open(os.path.join(ROOT, "boxes.csv"))))
        x = np.stack([np.asarray(Image.open(os.path.join(ROOT, "images", r["filename"])), np.float32) for r in rows])
        y = np.array([[float(r["xmin"]), float(r["ymin"]), float(r["xmax"]), float(r["ymax"])] for r in rows],
                     np.float32)
        print(x.shape, y.shape, "box range:", y.min(), y.max())

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(4),                              # xmin, ymin, xmax, ymax in pixels
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, batch_size=8, epochs=5)

        # draw the predicted box on the first photo
        x1, y1, x2, y2 = model.predict(x[:1], verbose=0)[0]
        img = Image.open(os.path.join(ROOT, "images", rows[0]["filename"])).convert("RGB")
        ImageDraw.Draw(img).rectangle([int(x1), int(y1), int(x2), int(y2)], outline=(255, 0, 0), width=2)
        img.save("pred_0.png")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more45-boundary-loss-numpy-from-numpy-predictions-in-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=lesion_masks,
        expect="No gradients provided",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        images = sorted(glob.glob("{DATA}/isic/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", "_segmentation.png") for p in images]


        def load(ip, mp):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(ip), channels=3), tf.float32)
            m = tf.cast(tf.io.decode_png(tf.io.read_file(mp), channels=1) > 127, tf.float32)
            return img, m


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(16, seed=0).batch(4)


        def signed_distance(mask):
            # |distance| to the lesion border, negative inside (Kervadec et al. boundary loss)
            out = np.zeros_like(mask, dtype=np.float32)
            for b in range(mask.shape[0]):
                m = mask[b, ..., 0] > 0.5
                ys, xs = np.nonzero(m ^ np.roll(m, 1, axis=0) | m ^ np.roll(m, 1, axis=1))
                yy, xx = np.mgrid[0:m.shape[0], 0:m.shape[1]]
                d = np.sqrt((yy[..., None] - ys) ** 2 + (xx[..., None] - xs) ** 2).min(-1) if len(ys) else 0
                out[b, ..., 0] = np.where(m, -d, d)
            return out


        def boundary_loss(y_true, y_pred):
            dist = signed_distance(y_true.numpy())
            return tf.constant(np.mean(y_pred.numpy() * dist), tf.float32)

        """ + UNET_BLOCK + """

        inputs = keras.Input((IMG, IMG, 3))
        c1 = conv_block(inputs, 16)
        b = conv_block(layers.MaxPooling2D()(c1), 32)
        u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c1]), 16)
        model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(u1))
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(10):
            for step, (x, y) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    pred = model(x, training=True)
                    loss = boundary_loss(y, pred)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                if step % 2 == 0:
                    print(f"epoch {epoch} step {step} boundary loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more45-precomputed-full-res-float64-keypoint-heatmaps-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=coco_person_many,
        as_limit=8 * 1024**3,
        expect="Unable to allocate",
        code="""
        import json
        import os

        import numpy as np

        ROOT = "{DATA}/coco_person"
        NUM_KP = 17
        SIGMA = 2.0

        coco = json.load(open(os.path.join(ROOT, "annotations/person_keypoints_train2017.json")))
        info = {im["id"]: im for im in coco["images"]}
        people = [a for a in coco["annotations"] if a["num_keypoints"] > 0]
        H, W = info[people[0]["image_id"]]["height"], info[people[0]["image_id"]]["width"]
        print(f"{len(people)} people, heat maps at {H}x{W}")

        # precompute every target once so that training does not redo the Gaussians each epoch
        heatmaps = np.zeros((len(people), H, W, NUM_KP))
        yy, xx = np.mgrid[0:H, 0:W]
        for i, a in enumerate(people):
            k = np.array(a["keypoints"]).reshape(NUM_KP, 3)
            for j, (x, y, v) in enumerate(k):
                if v > 0:
                    heatmaps[i, ..., j] = np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * SIGMA ** 2))
        np.save("heatmaps.npy", heatmaps)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more45-coco-to-yolo-converter-pool-map-nested-function-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=coco_det,
        expect="Can't pickle local object",
        script="prepare_data.py",
        code="""
        # prepare_data.py -- convert a COCO json to YOLO txt labels before training
        import argparse
        import json
        import os
        from collections import defaultdict
        from multiprocessing import Pool

        import tensorflow as tf


        def main():
            ap = argparse.ArgumentParser()
            ap.add_argument("--coco", default="{DATA}/coco")
            ap.add_argument("--out", default="yolo_labels")
            ap.add_argument("--workers", type=int, default=4)
            args = ap.parse_args()

            coco = json.load(open(os.path.join(args.coco, "annotations/instances_train2017.json")))
            cat_index = {c["id"]: i for i, c in enumerate(coco["categories"])}
            anns = defaultdict(list)
            for a in coco["annotations"]:
                anns[a["image_id"]].append(a)
            os.makedirs(args.out, exist_ok=True)

            def convert(img):
                lines = []
                for a in anns[img["id"]]:
                    x, y, w, h = a["bbox"]
                    lines.append(f"{cat_index[a['category_id']]} {(x + w / 2) / img['width']:.6f} "
                                 f"{(y + h / 2) / img['height']:.6f} {w / img['width']:.6f} {h / img['height']:.6f}")
                name = os.path.splitext(img["file_name"])[0] + ".txt"
                with open(os.path.join(args.out, name), "w") as fh:
                    fh.write("\\n".join(lines) + "\\n")
                return len(lines)

            with Pool(args.workers) as pool:
                counts = pool.map(convert, coco["images"], chunksize=4)
            print(f"wrote {len(counts)} label files, {sum(counts)} boxes")
            print("TensorFlow", tf.__version__, "- now run train.py")


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more45-mirrored-custom-loop-loss-object-default-reduction-tfk2",
        cause="env.distributed",
        also=("model.api_misuse",),
        env="tfk2",
        exception="ValueError",
        setup=seg_masks,
        expect="Reduction",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG = 128
        NUM_CLASSES = 5
        EPOCHS = 10

        strategy = tf.distribute.MirroredStrategy()
        print("replicas:", strategy.num_replicas_in_sync)
        GLOBAL_BATCH = 4 * strategy.num_replicas_in_sync

        images = sorted(glob.glob("{DATA}/seg/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", ".png") for p in images]


        def load(ip, mp):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(ip), channels=3), tf.float32)
            return img, tf.cast(tf.io.decode_png(tf.io.read_file(mp), channels=1)[..., 0], tf.int32)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(32).batch(GLOBAL_BATCH)
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            inputs = keras.Input((IMG, IMG, 3))
            x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
            x = layers.UpSampling2D()(x)
            logits = layers.Conv2D(NUM_CLASSES, 1)(x)
            model = keras.Model(inputs, logits)
            optimizer = keras.optimizers.Adam(1e-3)
            loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


        def train_step(images, masks):
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = loss_fn(masks, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        @tf.function
        def distributed_step(images, masks):
            per_replica = strategy.run(train_step, args=(images, masks))
            return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)


        for epoch in range(EPOCHS):
            total, n = 0.0, 0
            for images_b, masks_b in dist_ds:
                total += distributed_step(images_b, masks_b)
                n += 1
            print(f"epoch {epoch + 1}: loss {total / n:.4f}")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more45-from-generator-letterbox-slices-python-list-of-coco-boxes-k3",
        cause="other",
        exception="InvalidArgumentError",
        setup=coco_det,
        timeout=180,
        expect="list indices must be integers or slices, not tuple",
        code="""
        import json
        import os
        from collections import defaultdict

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/coco"
        SIZE = 128
        MAX_BOXES = 10

        coco = json.load(open(os.path.join(ROOT, "annotations/instances_train2017.json")))
        cat_index = {c["id"]: i for i, c in enumerate(coco["categories"])}
        anns = defaultdict(list)
        for a in coco["annotations"]:
            anns[a["image_id"]].append(a["bbox"] + [cat_index[a["category_id"]]])


        def letterbox(img, boxes, size=SIZE):
            w, h = img.size
            scale = size / max(w, h)
            nw, nh = int(w * scale), int(h * scale)
            dx, dy = (size - nw) // 2, (size - nh) // 2
            canvas = Image.new("RGB", (size, size), (114, 114, 114))
            canvas.paste(img.resize((nw, nh)), (dx, dy))
            boxes[:, [0, 2]] = boxes[:, [0, 2]] * scale + [dx, 0]
            boxes[:, [1, 3]] = boxes[:, [1, 3]] * scale + [dy, 0]
            return np.asarray(canvas, np.float32) / 255.0, boxes


        def generator():
            for im in coco["images"]:
                img = Image.open(os.path.join(ROOT, "train2017", im["file_name"])).convert("RGB")
                image, boxes = letterbox(img, anns[im["id"]])
                target = np.zeros((MAX_BOXES, 5), np.float32)
                target[:len(boxes)] = np.asarray(boxes, np.float32)[:MAX_BOXES] / [SIZE, SIZE, SIZE, SIZE, 1]
                yield image, target


        train_ds = tf.data.Dataset.from_generator(
            generator,
            output_signature=(tf.TensorSpec((SIZE, SIZE, 3), tf.float32),
                              tf.TensorSpec((MAX_BOXES, 5), tf.float32)),
        ).batch(4)

        model = keras.Sequential([
            keras.Input((SIZE, SIZE, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(MAX_BOXES * 5),
            layers.Reshape((MAX_BOXES, 5)),
        ])
        model.compile(optimizer="adam", loss="mae")
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more45-gradienttape-loop-for-step-without-enumerate-k3",
        cause="other",
        exception="ValueError",
        setup=yolo_clean,
        expect="too many values to unpack",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        MAX_BOXES = 4

        paths = sorted(glob.glob("{DATA}/dataset/images/train/*.jpg"))


        def read_target(path):
            rows = np.loadtxt(path.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)[:MAX_BOXES]
            t = np.zeros((MAX_BOXES, 5), np.float32)
            t[:len(rows)] = rows
            return t


        images = np.stack([tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (IMG, IMG)).numpy()
                           for p in paths]) / 255.0
        targets = np.stack([read_target(p) for p in paths])
        train_ds = tf.data.Dataset.from_tensor_slices((images.astype("float32"), targets)).shuffle(64).batch(8)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(MAX_BOXES * 5),
            layers.Reshape((MAX_BOXES, 5)),
        ])
        optimizer = keras.optimizers.Adam(1e-3)


        def detection_loss(y_true, y_pred):
            present = tf.cast(y_true[..., 3] > 0, tf.float32)
            box = tf.reduce_sum(tf.abs(y_true[..., 1:] - y_pred[..., 1:]), -1)
            cls = tf.square(y_true[..., 0] - y_pred[..., 0])
            return tf.reduce_mean(tf.reduce_sum(present * (box + cls), -1))


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = detection_loss(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(20):
            for step, (x_batch, y_batch) in train_ds:
                loss = train_step(x_batch, y_batch)
                if step % 10 == 0:
                    print(f"epoch {epoch} step {step}: loss {loss.numpy():.4f}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
