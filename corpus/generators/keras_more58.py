"""Untargeted held-out Keras / TensorFlow failures (g134, scored 0.86 top-1 and 0.95 top-3 before any rule for it) of engineers who build object detection and
semantic segmentation by hand in TensorFlow / Keras (no KerasCV, no TF Object Detection API): boxes
carried through ``tf.data`` padded or ragged, ``tf.image.crop_and_resize`` ROI heads,
``tf.image.non_max_suppression``, ``tf.image.draw_bounding_boxes`` previews, anchor encoding, U-Net /
FCN segmenters on integer masks with ``SparseCategoricalCrossentropy``, Dice / IoU written by hand,
``MeanIoU``, mixed precision policies and a SavedModel exported for serving, spread over the cause ids
of the taxonomy:

- files: labelme JSONs labelled on Windows whose ``imagePath`` is ``..\\images\\IMG_0007.jpg``, joined on
  Linux and read with ``tf.io.read_file``; a segmentation TFRecord shard cut short by an interrupted
  ``gsutil cp``;
- sizes: phone photos with an EXIF rotation decoded by ``tf.io.decode_jpeg`` (which ignores it) while the
  labelme masks were drawn on the rotated photo, concatenated for a joint random crop;
- channels: grey-plus-alpha PNG X-rays from the labelling tool decoded with ``channels=0`` and given to
  ``tf.image.draw_bounding_boxes`` (notebook);
- boxes: 1-based Pascal VOC ``xmax`` equal to the image width used as a 0-based offset for
  ``tf.image.crop_to_bounding_box``;
- too few boxes: a hand-written mosaic augmentation that draws 4 annotated images from a class-filtered
  split that has 3;
- labels: PennFudan-style instance masks (one id per pedestrian) used as the class masks of a 2-class
  U-Net (tf_keras);
- label shapes: padded per-image box targets (``padded_batch``) given straight to a per-anchor
  detection head, the anchor matching step never written;
- dtypes: a two-stage detector under ``mixed_float16`` whose float16 proposals reach
  ``tf.image.crop_and_resize`` (boxes must be float32);
- model inputs: ``TimeDistributed`` ROI layers (the Mask R-CNN idiom) given the 4-D output of
  ``crop_and_resize``; the TF segmentation tutorial's MobileNetV2 U-Net built for 200 px tiles
  (notebook);
- model outputs: an FCN-32s head upsampled with ``Conv2DTranspose(kernel_size=64, strides=32)`` without
  the crop, against full-size masks;
- weights: a ``tf.train.CheckpointManager`` restore after the anchors were re-clustered from 3 to 5
  per cell;
- API: ``tf.saved_model.save(..., signatures=serve)`` with a ``tf.function`` without an input signature;
  masks decoded in ``tf.numpy_function`` then ``padded_batch`` without ``padded_shapes``;
- divergence: a U-Net on raw pixels with SGD at 0.5 whose per-tile losses (NaN) become the sampling
  weights of a hard-example miner (``rng.choice(p=...)``);
- gradients: a box-consistency loss computed from the predicted mask with ``tf.where``;
- host memory: ``crop_and_resize`` of every anchor (no NMS first) to 28 x 28 mask-head crops;
- versions: TF 1 ``tf.image.draw_bounding_boxes(images, boxes)`` without ``colors`` (notebook); a
  PSPNet pyramid-pooling block written with ``K.resize_images`` under Keras 3;
- workers: polygon rasterisation handed to ``multiprocessing.Pool`` as a function nested in ``main()``;
- plain bugs: a horizontal-flip helper for (image, boxes) that forgets to return.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras (TF_USE_LEGACY_KERAS=1); scripts, scripts
under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything runs on a
CPU: causes that need a GPU are not produced.

Every case is a small training / evaluation script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more58.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g134): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more58.py"


# ---------------------------------------------------------------- data helpers
def _labelme(path: Path, image_path: str, h: int, w: int, shapes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "version": "5.2.1", "flags": {},
        "shapes": [{"label": lab, "points": pts, "group_id": None, "shape_type": "polygon", "flags": {}}
                   for lab, pts in shapes],
        "imagePath": image_path, "imageData": None, "imageHeight": h, "imageWidth": w}, indent=2))


def labelme_windows(d: Path):
    r = _rng(5801)
    for i in range(20):
        stem = f"IMG_{i:04d}"
        _jpg(d / "dataset" / "images" / f"{stem}.jpg", r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))
        x, y = int(r.integers(4, 30)), int(r.integers(4, 20))
        pts = [[x, y], [x + 24, y], [x + 24, y + 20], [x, y + 20]]
        # the second annotator worked on Windows: labelme writes the relative path with backslashes
        ip = f"..\\images\\{stem}.jpg" if i % 4 == 3 else f"../images/{stem}.jpg"
        _labelme(d / "dataset" / "labelme" / f"{stem}.json", ip, 48, 64, [("crack", pts)])


def seg_tfrecords(d: Path):
    (d / "records").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import tensorflow as tf
        r = np.random.default_rng(5802)
        for shard in range(2):
            with tf.io.TFRecordWriter(f"records/train-{shard:05d}-of-00002.tfrecord") as w:
                for i in range(24):
                    img = r.integers(0, 255, size=(32, 32, 3), dtype=np.uint8)
                    mask = r.integers(0, 4, size=(32, 32, 1), dtype=np.uint8)
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(
                            value=[tf.io.encode_png(img).numpy()])),
                        "image/segmentation/class/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(
                            value=[tf.io.encode_png(mask).numpy()])),
                    }))
                    w.write(ex.SerializeToString())
        # `gsutil cp` of the second shard was interrupted
        p = "records/train-00001-of-00002.tfrecord"
        b = open(p, "rb").read()
        open(p, "wb").write(b[: int(len(b) * 0.55)])
    """, d)


def exif_phone_photos(d: Path):
    from PIL import Image
    r = _rng(5803)
    for i in range(16):
        arr = r.integers(0, 255, size=(48, 64, 3), dtype="uint8")     # sensor orientation: landscape
        p = d / "field" / "images" / f"PXL_2023{i:04d}.jpg"
        p.parent.mkdir(parents=True, exist_ok=True)
        img = Image.fromarray(arr)
        portrait = i % 5 == 2
        if portrait:
            ex = Image.Exif()
            ex[0x0112] = 6                                             # rotate 90 CW when displayed
            img.save(p, quality=90, exif=ex)
            mh, mw = 64, 48                                            # labelme drew on the upright photo
        else:
            img.save(p, quality=90)
            mh, mw = 48, 64
        m = (r.integers(0, 3, size=(mh, mw))).astype("uint8")
        _png(d / "field" / "masks" / f"PXL_2023{i:04d}.png", m)


def la_xrays(d: Path):
    r = _rng(5804)
    rows = []
    for i in range(4):
        g = r.integers(0, 255, size=(64, 64), dtype="uint8")
        a = (r.integers(0, 2, size=(64, 64)) * 255).astype("uint8")
        _png(d / "export" / "images" / f"chest_{i:03d}.png", __import__("numpy").dstack([g, a]), mode="LA")
        y, x = int(r.integers(2, 30)), int(r.integers(2, 30))
        rows.append(f"chest_{i:03d}.png,{x},{y},{x + 20},{y + 24},nodule")
    (d / "export" / "boxes.csv").write_text("filename,xmin,ymin,xmax,ymax,label\n" + "\n".join(rows) + "\n")


VOC_XML = """<annotation>
  <folder>VOC2012</folder>
  <filename>{fn}</filename>
  <size><width>{w}</width><height>{h}</height><depth>3</depth></size>
{objs}</annotation>
"""
VOC_OBJ = """  <object><name>{name}</name><truncated>{t}</truncated><difficult>0</difficult>
    <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>
"""


def _voc(d: Path, fn: str, w: int, h: int, objs):
    p = d / "Annotations" / (Path(fn).stem + ".xml")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(VOC_XML.format(fn=fn, w=w, h=h, objs="".join(
        VOC_OBJ.format(name=n, t=int(c == w or e == h), x1=a, y1=b, x2=c, y2=e) for n, a, b, c, e in objs)))


def voc_edge_boxes(d: Path):
    r = _rng(5805)
    for i in range(12):
        _jpg(d / "VOC" / "JPEGImages" / f"2008_{i:06d}.jpg", r.integers(0, 255, size=(60, 80, 3), dtype="uint8"))
        objs = []
        for k in range(2):
            x1, y1 = int(r.integers(1, 40)), int(r.integers(1, 25))
            objs.append((["car", "person"][k], x1, y1, x1 + int(r.integers(12, 30)), y1 + int(r.integers(12, 30))))
        if i == 7:        # a bus cut off by the right border: VOC's 1-based xmax == width
            objs.append(("bus", 52, 18, 80, 47))
        _voc(d / "VOC", f"2008_{i:06d}.jpg", 80, 60, objs)


def mosaic_set(d: Path):
    r = _rng(5806)
    lines = []
    for i in range(14):
        fn = f"frame_{i:04d}.jpg"
        _jpg(d / "drone" / "images" / fn, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        n = int(r.integers(1, 4))
        boxes = []
        for _ in range(n):
            x, y = int(r.integers(0, 40)), int(r.integers(0, 40))
            cls = 2 if i in (3, 8, 11) else int(r.integers(0, 2))      # only 3 frames show a tractor
            boxes.append(f"{x},{y},{x + 16},{y + 14},{cls}")
        lines.append(fn + " " + " ".join(boxes))
    (d / "drone" / "train.txt").write_text("\n".join(lines) + "\n")


def pennfudan(d: Path):
    import numpy as np
    r = _rng(5807)
    for i in range(24):
        _png(d / "PennFudanPed" / "PNGImages" / f"FudanPed{i + 1:05d}.png",
             r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        m = np.zeros((48, 48), "uint8")
        for k in range(int(r.integers(1, 4))):           # one id per pedestrian, 1..N
            x = int(r.integers(0, 36))
            m[6:44, x:x + 10] = k + 1
        _png(d / "PennFudanPed" / "PedMasks" / f"FudanPed{i + 1:05d}_mask.png", m)


def box_records(d: Path):
    import numpy as np
    r = _rng(5808)
    (d / "arr").mkdir(parents=True, exist_ok=True)
    np.save(d / "arr" / "images.npy", r.integers(0, 255, size=(40, 64, 64, 3), dtype=np.uint8))
    rows = []
    for i in range(40):
        n = int(r.integers(1, 6))
        xy = r.uniform(0, 0.6, size=(n, 2))
        wh = r.uniform(0.1, 0.35, size=(n, 2))
        rows.append(np.concatenate([xy, xy + wh, r.integers(0, 3, size=(n, 1))], 1).astype("float32"))
    np.save(d / "arr" / "boxes.npy", np.array(rows, dtype=object), allow_pickle=True)


def small_photos(d: Path, n=8, size=64, seed=5809):
    r = _rng(seed)
    for i in range(n):
        _jpg(d / "photos" / f"img_{i:03d}.jpg", r.integers(0, 255, size=(size, size, 3), dtype="uint8"))


def seg_arrays(n=48, size=64, classes=3, seed=5810):
    def setup(d: Path):
        import numpy as np
        r = _rng(seed)
        (d / "arr").mkdir(parents=True, exist_ok=True)
        np.save(d / "arr" / "images.npy", r.integers(0, 255, size=(n, size, size, 3), dtype=np.uint8))
        np.save(d / "arr" / "masks.npy", r.integers(0, classes, size=(n, size, size), dtype=np.uint8))
    return setup


def detector_ckpt(d: Path):
    (d / "ckpt").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import tensorflow as tf
        import keras
        from keras import layers
        NUM_ANCHORS, NUM_CLASSES = 3, 2
        inp = keras.Input((64, 64, 3))
        h = layers.Rescaling(1.0 / 255)(inp)
        for f in (16, 32, 64):
            h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
        box = layers.Conv2D(NUM_ANCHORS * 4, 3, padding="same", name="box_head")(h)
        cls = layers.Conv2D(NUM_ANCHORS * NUM_CLASSES, 3, padding="same", name="cls_head")(h)
        model = keras.Model(inp, [box, cls], name="ssd_lite")
        opt = keras.optimizers.Adam(1e-3)
        opt.build(model.trainable_variables)
        ckpt = tf.train.Checkpoint(model=model, optimizer=opt, step=tf.Variable(4200, dtype=tf.int64))
        mgr = tf.train.CheckpointManager(ckpt, "ckpt", max_to_keep=3)
        mgr.save(checkpoint_number=4200)
    """, d)
    import numpy as np
    r = _rng(5811)
    np.save(d / "ckpt" / "anchors_k5.npy", r.uniform(4, 40, size=(5, 2)).astype("float32"))


def orthophoto_polys(d: Path):
    r = _rng(5812)
    ann = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "building"}]}
    for i in range(10):
        fn = f"tile_{i:03d}.jpg"
        _jpg(d / "ortho" / "tiles" / fn, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        ann["images"].append({"id": i, "file_name": fn, "height": 64, "width": 64})
        for k in range(2):
            x, y = float(r.integers(0, 40)), float(r.integers(0, 40))
            ann["annotations"].append({"id": i * 10 + k, "image_id": i, "category_id": 1, "iscrowd": 0,
                                       "segmentation": [[x, y, x + 18, y, x + 18, y + 14, x, y + 14]]})
    (d / "ortho" / "instances_train.json").write_text(json.dumps(ann))


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more58-labelme-windows-backslash-image-path-joined-on-linux-read-file-crack-unet-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=labelme_windows,
        pty=True,
        code="""
        import glob
        import json
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        ROOT = "{DATA}/dataset"
        CLASSES = ["_background_", "crack"]

        paths, masks = [], []
        for jf in sorted(glob.glob(os.path.join(ROOT, "labelme", "*.json"))):
            ann = json.load(open(jf))
            mask = Image.new("L", (ann["imageWidth"], ann["imageHeight"]), 0)
            draw = ImageDraw.Draw(mask)
            for shape in ann["shapes"]:
                draw.polygon([tuple(p) for p in shape["points"]], fill=CLASSES.index(shape["label"]))
            paths.append(os.path.normpath(os.path.join(os.path.dirname(jf), ann["imagePath"])))
            masks.append(np.array(mask))
        print(len(paths), "labelme files")


        def load(path, mask):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 64)) / 255.0
            return img, mask[..., None]


        ds = (tf.data.Dataset.from_tensor_slices((paths, np.stack(masks)))
              .shuffle(32).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(4).prefetch(2))

        inp = keras.Input((48, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m = layers.Concatenate()([u1, c1])
        out = layers.Conv2D(len(CLASSES), 1, activation="softmax")(m)
        model = keras.Model(inp, out)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more58-segmentation-tfrecord-second-shard-cut-short-by-interrupted-copy-k3",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        setup=seg_tfrecords,
        pty=True,
        expect="truncated record",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.io.decode_png(ex["image/encoded"], channels=3)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            img = tf.image.convert_image_dtype(img, tf.float32)
            img.set_shape([32, 32, 3])
            mask.set_shape([32, 32, 1])
            return img, mask


        files = tf.io.gfile.glob("{DATA}/records/train-*.tfrecord")
        print("shards:", files)
        ds = tf.data.TFRecordDataset(sorted(files)).map(parse, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.batch(8).prefetch(tf.data.AUTOTUNE)

        inp = keras.Input((32, 32, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        out = layers.Conv2D(NUM_CLASSES, 1)(x)
        model = keras.Model(inp, out)
        model.compile(keras.optimizers.Adam(1e-3),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[keras.metrics.MeanIoU(NUM_CLASSES, sparse_y_pred=False)])
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more58-phone-photos-exif-rotated-decode-jpeg-vs-labelme-masks-joint-crop-concat-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=exif_phone_photos,
        pty=True,
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        CROP = 40

        images = sorted(glob.glob("{DATA}/field/images/*.jpg"))
        masks = [p.replace("/images/", "/masks/").replace(".jpg", ".png") for p in images]


        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.cast(tf.io.decode_png(tf.io.read_file(mask_path), channels=1), tf.float32)
            # crop image and mask together so they stay aligned
            both = tf.concat([img, mask], axis=-1)
            both = tf.image.random_crop(both, (CROP, CROP, 4))
            both = tf.image.random_flip_left_right(both)
            return both[..., :3], tf.cast(both[..., 3:], tf.int32)


        ds = (tf.data.Dataset.from_tensor_slices((images, masks)).shuffle(16)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(4).prefetch(2))

        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(NUM_CLASSES, 1, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more58-notebook-draw-bounding-boxes-grey-alpha-xray-png-decoded-channels-0-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        expect="Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)",
        **notebook([
            """
            import csv
            import tensorflow as tf
            """,
            """
            rows = list(csv.DictReader(open("{DATA}/export/boxes.csv")))
            rows[:2]
            """,
            """
            def load_with_boxes(row):
                raw = tf.io.read_file("{DATA}/export/images/" + row["filename"])
                img = tf.io.decode_png(raw, channels=0)          # keep whatever the exporter wrote
                img = tf.image.convert_image_dtype(img, tf.float32)
                h, w = img.shape[0], img.shape[1]
                box = [float(row["ymin"]) / h, float(row["xmin"]) / w, float(row["ymax"]) / h, float(row["xmax"]) / w]
                return img, box

            imgs, boxes = zip(*[load_with_boxes(r) for r in rows])
            imgs = tf.stack(imgs)
            boxes = tf.constant(boxes)[:, None, :]
            print(imgs.shape, boxes.shape)
            """,
            """
            colors = tf.constant([[1.0, 0.0, 0.0, 1.0]])
            preview = tf.image.draw_bounding_boxes(imgs, boxes, colors)
            for i, p in enumerate(preview):
                tf.io.write_file(f"preview_{i}.png", tf.io.encode_png(tf.image.convert_image_dtype(p, tf.uint8)))
            """,
        ], data=la_xrays),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more58-voc-one-based-xmax-equals-width-used-as-offset-crop-to-bounding-box-roi-patches-k3",
        cause="data.bbox_invalid",
        also=("other",),
        exception="ValueError",
        setup=voc_edge_boxes,
        expect="width must be >= target + offset",
        code="""
        import glob
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        VOC = "{DATA}/VOC"
        CLASSES = ["car", "person", "bus"]
        PATCH = 32

        patches, labels = [], []
        for xml in sorted(glob.glob(VOC + "/Annotations/*.xml")):
            root = ET.parse(xml).getroot()
            img = tf.io.decode_jpeg(tf.io.read_file(VOC + "/JPEGImages/" + root.find("filename").text), channels=3)
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                x1, y1, x2, y2 = (int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                # VOC boxes are inclusive: width = xmax - xmin + 1
                crop = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1 + 1, x2 - x1 + 1)
                patches.append(tf.image.resize(crop, (PATCH, PATCH)))
                labels.append(CLASSES.index(obj.find("name").text))
        print(len(patches), "object patches")

        x = tf.stack(patches) / 255.0
        y = np.array(labels)
        clf = keras.Sequential([
            keras.Input((PATCH, PATCH, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        clf.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        clf.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more58-hand-written-mosaic-samples-four-annotated-frames-class-filtered-split-has-three-k3",
        cause="data.too_few_boxes",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=mosaic_set,
        expect="Sample larger than population",
        code="""
        import random

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/drone"
        CLASSES = ["car", "person", "tractor"]
        OUT = 64


        def read_list(path):
            recs = []
            for line in open(path):
                fn, *boxes = line.split()
                recs.append((fn, np.array([[float(v) for v in b.split(",")] for b in boxes], "float32")))
            return recs


        def mosaic(records):
            # 2 x 2 mosaic (YOLOv4): four different annotated frames, boxes shifted into each quadrant
            picks = random.sample(records, 4)
            canvas = np.zeros((OUT, OUT, 3), "uint8")
            all_boxes = []
            half = OUT // 2
            for q, (fn, boxes) in enumerate(picks):
                img = np.asarray(Image.open(f"{ROOT}/images/{fn}").resize((half, half)))
                oy, ox = (q // 2) * half, (q % 2) * half
                canvas[oy:oy + half, ox:ox + half] = img
                b = boxes.copy()
                b[:, [0, 2]] = b[:, [0, 2]] / 2 + ox
                b[:, [1, 3]] = b[:, [1, 3]] / 2 + oy
                all_boxes.append(b)
            return canvas, np.concatenate(all_boxes)


        records = read_list(ROOT + "/train.txt")
        # oversample the rare class: mosaics built only from frames that contain a tractor
        rare = [r for r in records if (r[1][:, 4] == CLASSES.index("tractor")).any()]
        print(len(records), "frames,", len(rare), "with a tractor")
        mosaics = [mosaic(records) for _ in range(8)] + [mosaic(rare) for _ in range(8)]
        images = tf.constant(np.stack([m[0] for m in mosaics]))
        boxes = tf.ragged.constant([m[1].tolist() for m in mosaics], ragged_rank=1)
        print(images.shape, boxes.shape)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more58-pennfudan-instance-id-masks-as-class-masks-two-class-unet-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pennfudan,
        pty=True,
        expect="outside the valid range",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        keras = tf.keras
        layers = tf.keras.layers

        ROOT = "{DATA}/PennFudanPed"
        NUM_CLASSES = 2          # background, pedestrian

        img_paths = sorted(glob.glob(ROOT + "/PNGImages/*.png"))
        mask_paths = sorted(glob.glob(ROOT + "/PedMasks/*_mask.png"))
        x = np.stack([np.asarray(Image.open(p).convert("RGB")) for p in img_paths]).astype("float32") / 255.0
        y = np.stack([np.asarray(Image.open(p)) for p in mask_paths])[..., None]
        print(x.shape, y.shape, y.dtype)


        def unet(n_classes):
            inp = keras.Input((48, 48, 3))
            c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
            p2 = layers.MaxPooling2D()(c2)
            b = layers.Conv2D(64, 3, padding="same", activation="relu")(p2)
            u2 = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(b)
            c3 = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.concatenate([u2, c2]))
            u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(c3)
            c4 = layers.Conv2D(16, 3, padding="same", activation="relu")(layers.concatenate([u1, c1]))
            return keras.Model(inp, layers.Conv2D(n_classes, 1)(c4))


        model = unet(NUM_CLASSES)
        model.compile(keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=3, validation_split=0.25)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more58-padded-batch-per-image-boxes-fed-to-per-anchor-head-no-anchor-matching-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=box_records,
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        MAX_BOXES = 12
        ANCHORS_PER_CELL = 3
        GRID = 8

        images = np.load("{DATA}/arr/images.npy")
        records = np.load("{DATA}/arr/boxes.npy", allow_pickle=True)
        boxes = tf.ragged.constant([r[:, :4].tolist() for r in records], ragged_rank=1, dtype=tf.float32)
        classes = tf.ragged.constant([r[:, 4].astype(int).tolist() for r in records], dtype=tf.int32)

        ds = tf.data.Dataset.from_tensor_slices((images, boxes, classes))
        ds = ds.map(lambda im, b, c: (tf.cast(im, tf.float32) / 255.0, {"boxes": b, "classes": c}))
        ds = ds.padded_batch(8, padded_shapes=([64, 64, 3], {"boxes": [MAX_BOXES, 4], "classes": [MAX_BOXES]}),
                             padding_values=(0.0, {"boxes": 0.0, "classes": 0}))

        inp = keras.Input((64, 64, 3))
        h = inp
        for f in (16, 32, 64):
            h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
        box = layers.Reshape((GRID * GRID * ANCHORS_PER_CELL, 4), name="boxes")(
            layers.Conv2D(ANCHORS_PER_CELL * 4, 3, padding="same")(h))
        cls = layers.Reshape((GRID * GRID * ANCHORS_PER_CELL, NUM_CLASSES), name="classes")(
            layers.Conv2D(ANCHORS_PER_CELL * NUM_CLASSES, 3, padding="same")(h))
        model = keras.Model(inp, {"boxes": box, "classes": cls})
        model.compile(keras.optimizers.Adam(1e-3),
                      loss={"boxes": keras.losses.Huber(),
                            "classes": keras.losses.SparseCategoricalCrossentropy(from_logits=True)})
        model.summary()
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more58-two-stage-detector-mixed-float16-proposals-into-crop-and-resize-roi-layer-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        expect="float16",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")

        NUM_CLASSES = 4
        NUM_PROPOSALS = 16
        POOL = 7


        class RoiAlign(layers.Layer):
            def __init__(self, pool=POOL, **kw):
                super().__init__(**kw)
                self.pool = pool

            def call(self, inputs):
                features, boxes = inputs
                b = tf.shape(boxes)[0]
                n = tf.shape(boxes)[1]
                flat = tf.reshape(boxes, (-1, 4))
                idx = tf.repeat(tf.range(b), n)
                crops = tf.image.crop_and_resize(features, flat, idx, (self.pool, self.pool))
                return tf.reshape(crops, (b, n, self.pool, self.pool, features.shape[-1]))


        inp = keras.Input((128, 128, 3))
        h = layers.Rescaling(1.0 / 255)(inp)
        for f in (16, 32, 64):
            h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
        # region proposals: NUM_PROPOSALS boxes (y1, x1, y2, x2) in [0, 1]
        r = layers.GlobalAveragePooling2D()(h)
        props = layers.Dense(NUM_PROPOSALS * 4, activation="sigmoid")(r)
        props = layers.Reshape((NUM_PROPOSALS, 4), name="proposals")(props)
        rois = RoiAlign(name="roi_align")([h, props])
        x = layers.TimeDistributed(layers.Flatten())(rois)
        x = layers.TimeDistributed(layers.Dense(64, activation="relu"))(x)
        cls = layers.TimeDistributed(layers.Dense(NUM_CLASSES + 1, dtype="float32"), name="cls")(x)
        model = keras.Model(inp, [props, cls], name="two_stage")
        model.summary()
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more58-timedistributed-roi-head-given-4d-crop-and-resize-output-mask-rcnn-idiom-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=small_photos,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        POOL = 7

        backbone = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
        ], name="backbone")

        # ROI head as in matterport's Mask R-CNN: TimeDistributed over the ROIs
        roi_in = keras.Input((POOL, POOL, 32), name="roi_features")
        x = layers.TimeDistributed(layers.Conv2D(64, (POOL, POOL), padding="valid"), name="mrcnn_class_conv1")(roi_in)
        x = layers.TimeDistributed(layers.BatchNormalization(), name="mrcnn_class_bn1")(x)
        x = layers.Activation("relu")(x)
        x = layers.TimeDistributed(layers.Flatten())(x)
        logits = layers.TimeDistributed(layers.Dense(NUM_CLASSES), name="mrcnn_class_logits")(x)
        roi_head = keras.Model(roi_in, logits, name="roi_head")

        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in sorted(glob.glob("{DATA}/photos/*.jpg"))])
        fmap = backbone(photos)
        rois = tf.constant([[0.1, 0.1, 0.6, 0.5], [0.3, 0.2, 0.9, 0.8]] * len(photos), tf.float32)
        idx = tf.repeat(tf.range(len(photos)), 2)
        pooled = tf.image.crop_and_resize(fmap, rois, idx, (POOL, POOL))
        print("pooled ROIs:", pooled.shape)
        print(roi_head(pooled).shape)
        """,
    ),
    Case(
        name="keras-more58-notebook-tf-segmentation-tutorial-mobilenetv2-unet-built-for-200px-tiles-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers
            TILE = 200          # our orthophoto tiles are 200 x 200
            OUTPUT_CLASSES = 3
            """,
            """
            base_model = keras.applications.MobileNetV2(input_shape=[TILE, TILE, 3], include_top=False, weights=None)
            layer_names = [
                "block_1_expand_relu",   # 64x64
                "block_3_expand_relu",   # 32x32
                "block_6_expand_relu",   # 16x16
                "block_13_expand_relu",  # 8x8
                "block_16_project",      # 4x4
            ]
            base_model_outputs = [base_model.get_layer(name).output for name in layer_names]
            down_stack = keras.Model(inputs=base_model.input, outputs=base_model_outputs)
            down_stack.trainable = False
            """,
            """
            def upsample(filters, size):
                return keras.Sequential([
                    layers.Conv2DTranspose(filters, size, strides=2, padding="same", use_bias=False),
                    layers.BatchNormalization(),
                    layers.ReLU(),
                ])

            up_stack = [upsample(512, 3), upsample(256, 3), upsample(128, 3), upsample(64, 3)]

            def unet_model(output_channels):
                inputs = layers.Input(shape=[TILE, TILE, 3])
                skips = down_stack(inputs)
                x = skips[-1]
                skips = reversed(skips[:-1])
                for up, skip in zip(up_stack, skips):
                    x = up(x)
                    x = layers.Concatenate()([x, skip])
                last = layers.Conv2DTranspose(output_channels, 3, strides=2, padding="same")
                return keras.Model(inputs=inputs, outputs=last(x))

            model = unet_model(OUTPUT_CLASSES)
            model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                          metrics=["accuracy"])
            """,
        ]),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more58-fcn32s-conv2dtranspose-k64-s32-valid-without-crop-vs-full-size-masks-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=seg_arrays(n=32, size=64, classes=3),
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 3

        x = np.load("{DATA}/arr/images.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arr/masks.npy")

        # FCN-32s: VGG-style encoder down to stride 32, one learned 32x upsampling
        inp = keras.Input((64, 64, 3))
        h = inp
        for f in (16, 32, 64, 64, 128):
            h = layers.Conv2D(f, 3, padding="same", activation="relu")(h)
            h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(256, 1, activation="relu")(h)
        score = layers.Conv2D(NUM_CLASSES, 1)(h)
        up = layers.Conv2DTranspose(NUM_CLASSES, kernel_size=64, strides=32, use_bias=False, name="upscore")(score)
        model = keras.Model(inp, up, name="fcn32s")
        model.compile(keras.optimizers.SGD(1e-2, momentum=0.9),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[keras.metrics.MeanIoU(NUM_CLASSES, sparse_y_pred=False)])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more58-checkpoint-manager-restore-after-anchors-reclustered-three-to-five-per-cell-k3",
        cause="model.weights_mismatch",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=detector_ckpt,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ANCHORS = np.load("{DATA}/ckpt/anchors_k5.npy")     # re-clustered on the new data: 5 per cell
        NUM_ANCHORS, NUM_CLASSES = len(ANCHORS), 2
        print("anchors:", ANCHORS.round(1).tolist())

        inp = keras.Input((64, 64, 3))
        h = layers.Rescaling(1.0 / 255)(inp)
        for f in (16, 32, 64):
            h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
        box = layers.Conv2D(NUM_ANCHORS * 4, 3, padding="same", name="box_head")(h)
        cls = layers.Conv2D(NUM_ANCHORS * NUM_CLASSES, 3, padding="same", name="cls_head")(h)
        model = keras.Model(inp, [box, cls], name="ssd_lite")
        opt = keras.optimizers.Adam(1e-3)
        opt.build(model.trainable_variables)

        ckpt = tf.train.Checkpoint(model=model, optimizer=opt, step=tf.Variable(0, dtype=tf.int64))
        manager = tf.train.CheckpointManager(ckpt, "{DATA}/ckpt", max_to_keep=3)
        if manager.latest_checkpoint:
            ckpt.restore(manager.latest_checkpoint)
            print("resumed from", manager.latest_checkpoint, "at step", int(ckpt.step))
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more58-saved-model-save-signatures-tf-function-without-input-signature-serving-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=seg_arrays(n=16, size=32, classes=3, seed=5813),
        pty=True,
        expect="Only `tf.functions` with an input signature",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        x = np.load("{DATA}/arr/images.npy").astype("float32")
        y = np.load("{DATA}/arr/masks.npy")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(NUM_CLASSES, 1),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x, y, batch_size=8, epochs=1)


        class Segmenter(tf.Module):
            def __init__(self, model):
                super().__init__()
                self.model = model

            @tf.function
            def serve(self, images):
                logits = self.model(tf.cast(images, tf.float32), training=False)
                return {"mask": tf.argmax(logits, axis=-1, output_type=tf.int32),
                        "probabilities": tf.nn.softmax(logits)}


        module = Segmenter(model)
        tf.saved_model.save(module, "export/segmenter/1", signatures={"serving_default": module.serve})
        print("exported")
        """,
    ),
    Case(
        name="keras-more58-masks-decoded-in-numpy-function-then-padded-batch-without-padded-shapes-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=orthophoto_polys,
        expect="unknown rank",
        code="""
        import json

        import numpy as np
        import tensorflow as tf
        from PIL import Image, ImageDraw

        ROOT = "{DATA}/ortho"
        coco = json.load(open(ROOT + "/instances_train.json"))
        by_image = {}
        for a in coco["annotations"]:
            by_image.setdefault(a["image_id"], []).append(a)
        files = {im["id"]: im for im in coco["images"]}
        ids = sorted(files)


        def instance_masks(image_id):
            im = files[int(image_id)]
            out = []
            for a in by_image.get(int(image_id), []):
                m = Image.new("L", (im["width"], im["height"]), 0)
                ImageDraw.Draw(m).polygon(a["segmentation"][0], fill=1)
                out.append(np.array(m))
            return np.stack(out).astype(np.uint8)        # (num_instances, H, W)


        def load(image_id):
            path = tf.strings.join([ROOT, "/tiles/", tf.gather([files[i]["file_name"] for i in ids], image_id)])
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            masks = tf.numpy_function(instance_masks, [tf.gather(ids, image_id)], tf.uint8)
            return img, masks


        ds = tf.data.Dataset.range(len(ids)).map(load)
        ds = ds.padded_batch(4)                  # instances per tile vary
        for img, masks in ds.take(1):
            print(img.shape, masks.shape)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more58-unet-raw-pixels-sgd-lr-0-5-nan-tile-losses-as-hard-example-sampling-weights-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=seg_arrays(n=64, size=32, classes=3, seed=5814),
        pty=True,
        expect="Probabilities contain NaN",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 3
        x = np.load("{DATA}/arr/images.npy").astype("float32")      # raw 0..255
        y = np.load("{DATA}/arr/masks.npy")



        def conv(h, f):
            return layers.LeakyReLU(0.1)(layers.Conv2D(f, 3, padding="same")(h))


        inp = keras.Input((32, 32, 3))
        c1 = conv(inp, 16)
        p1 = layers.MaxPooling2D()(c1)
        c2 = conv(p1, 32)
        u1 = layers.UpSampling2D()(c2)
        out = layers.Conv2D(NUM_CLASSES, 1)(layers.Concatenate()([u1, c1]))
        model = keras.Model(inp, out)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
        model.compile(keras.optimizers.SGD(learning_rate=0.5, momentum=0.9),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True))

        rng = np.random.default_rng(0)
        idx = np.arange(len(x))
        for rnd in range(3):
            print(f"round {rnd}: {len(idx)} tiles")
            model.fit(x[idx], y[idx], batch_size=16, epochs=1)
            # online hard example mining: resample tiles in proportion to their loss
            per_tile = loss_fn(y, model.predict(x, verbose=0)).numpy().mean(axis=(1, 2))
            idx = rng.choice(len(x), size=len(x), p=per_tile / per_tile.sum())
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more58-box-consistency-loss-from-predicted-mask-tf-where-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=seg_arrays(n=16, size=32, classes=2, seed=5815),
        expect="No gradients provided",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        x = np.load("{DATA}/arr/images.npy").astype("float32") / 255.0
        masks = np.load("{DATA}/arr/masks.npy").astype("float32")
        # ground-truth box of each mask (y1, x1, y2, x2), normalised
        gt_boxes = []
        for m in masks:
            ys, xs = np.nonzero(m)
            gt_boxes.append([ys.min() / 32, xs.min() / 32, (ys.max() + 1) / 32, (xs.max() + 1) / 32])
        gt_boxes = np.array(gt_boxes, "float32")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid"),
        ])
        optimizer = keras.optimizers.Adam(1e-3)


        def mask_to_box(prob):
            # tight box around the pixels the model calls foreground
            coords = tf.cast(tf.where(prob[..., 0] > 0.5), tf.float32) / 32.0
            lo = tf.reduce_min(coords, axis=0)
            hi = tf.reduce_max(coords, axis=0) + 1 / 32.0
            return tf.concat([lo, hi], axis=0)


        def box_l1(pred_masks, boxes):
            pred_boxes = tf.stack([mask_to_box(pred_masks[i]) for i in range(pred_masks.shape[0])])
            return tf.reduce_mean(tf.abs(pred_boxes - boxes))


        ds = tf.data.Dataset.from_tensor_slices((x, gt_boxes)).batch(8)
        for epoch in range(2):
            for step, (xb, bb) in enumerate(ds):
                with tf.GradientTape() as tape:
                    pred = model(xb, training=True)
                    loss = box_l1(pred, bb)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                print(f"epoch {epoch} step {step} box loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more58-mask-head-crop-and-resize-every-anchor-before-nms-28px-crops-cpu-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=lambda d: small_photos(d, n=4, size=256, seed=5816),
        expect="OOM",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        STRIDE = 4
        SCALES, RATIOS = (16, 32, 64), (0.5, 1.0, 2.0)
        MASK_POOL = 28

        backbone = keras.Sequential([
            keras.Input((256, 256, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(256, 3, strides=2, padding="same", activation="relu"),
        ])


        def make_anchors(size=256):
            centers = (np.arange(size // STRIDE) + 0.5) * STRIDE
            cy, cx = np.meshgrid(centers, centers, indexing="ij")
            out = []
            for s in SCALES:
                for r in RATIOS:
                    h, w = s * np.sqrt(r), s / np.sqrt(r)
                    out.append(np.stack([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2], -1).reshape(-1, 4))
            return np.clip(np.concatenate(out) / size, 0, 1).astype("float32")


        anchors = make_anchors()
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in sorted(glob.glob("{DATA}/photos/*.jpg"))])
        features = backbone(photos)
        print("features", features.shape, "anchors per image", len(anchors))

        # mask head input for every anchor of every photo (NMS comes later)
        boxes = np.tile(anchors, (len(photos), 1))
        box_idx = np.repeat(np.arange(len(photos), dtype=np.int32), len(anchors))
        crops = tf.image.crop_and_resize(features, boxes, box_idx, (MASK_POOL, MASK_POOL))
        print(crops.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more58-notebook-tf1-draw-bounding-boxes-without-colors-under-tf2-prediction-preview-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            inp = keras.Input((64, 64, 3))
            h = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
            h = layers.GlobalAveragePooling2D()(h)
            box = layers.Dense(4, activation="sigmoid", name="box")(h)
            localiser = keras.Model(inp, box)
            images = np.random.default_rng(0).uniform(0, 1, size=(4, 64, 64, 3)).astype("float32")
            pred = localiser.predict(images, verbose=0)
            pred.shape
            """,
            """
            # from the TF 1.x summary-image snippet
            preview = tf.image.draw_bounding_boxes(images, pred[:, None, :])
            keras.utils.save_img("preview.png", preview[0])
            """,
        ]),
    ),
    Case(
        name="keras-more58-pspnet-pyramid-pooling-branches-k-resize-images-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=seg_arrays(n=16, size=48, classes=4, seed=5817),
        expect="resize_images",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from keras import backend as K

        NUM_CLASSES = 4
        x = np.load("{DATA}/arr/images.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arr/masks.npy")


        def pyramid_pooling(feat, bins=(1, 2, 3, 6)):
            h = feat.shape[1]
            branches = [feat]
            for b in bins:
                p = layers.AveragePooling2D(pool_size=h // b, strides=h // b)(feat)
                p = layers.Conv2D(16, 1, activation="relu")(p)
                p = K.resize_images(p, h // b, h // b, "channels_last", interpolation="bilinear")
                branches.append(p)
            return layers.Concatenate()(branches)


        inp = keras.Input((48, 48, 3))
        f = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inp)
        f = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(f)
        f = pyramid_pooling(f)
        f = layers.Conv2D(NUM_CLASSES, 1)(f)
        out = layers.UpSampling2D(4, interpolation="bilinear")(f)
        model = keras.Model(inp, out, name="pspnet_small")
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=2)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more58-coco-polygon-rasterisation-pool-map-function-nested-in-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=orthophoto_polys,
        expect="Can't pickle local object",
        code="""
        import json
        import multiprocessing as mp
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image, ImageDraw

        ROOT = "{DATA}/ortho"


        def main():
            coco = json.load(open(os.path.join(ROOT, "instances_train.json")))
            anns = {}
            for a in coco["annotations"]:
                anns.setdefault(a["image_id"], []).append(a)

            def rasterise(im):
                mask = Image.new("L", (im["width"], im["height"]), 0)
                draw = ImageDraw.Draw(mask)
                for a in anns.get(im["id"], []):
                    for poly in a["segmentation"]:
                        draw.polygon(poly, fill=a["category_id"])
                out = os.path.join(ROOT, "masks", im["file_name"].replace(".jpg", ".png"))
                mask.save(out)
                return out

            os.makedirs(os.path.join(ROOT, "masks"), exist_ok=True)
            with mp.Pool(2) as pool:
                written = pool.map(rasterise, coco["images"])
            print(len(written), "masks written")
            masks = tf.stack([tf.io.decode_png(tf.io.read_file(p)) for p in written])
            print("mask pixels per class:", np.bincount(masks.numpy().ravel()))


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more58-hflip-helper-for-image-and-boxes-forgets-return-unpack-none-k3",
        cause="other",
        exception="TypeError",
        setup=box_records,
        expect="cannot unpack non-iterable NoneType",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        MAX_BOXES = 8
        images = np.load("{DATA}/arr/images.npy")
        records = np.load("{DATA}/arr/boxes.npy", allow_pickle=True)


        def hflip(image, boxes):
            \"\"\"Flip an image and its (x1, y1, x2, y2) normalised boxes left-right.\"\"\"
            image = image[:, ::-1]
            boxes = boxes.copy()
            boxes[:, [0, 2]] = 1.0 - boxes[:, [2, 0]]


        rng = np.random.default_rng(0)
        aug_images, aug_boxes = [], []
        for img, rec in zip(images, records):
            boxes = rec[:, :4]
            if rng.random() < 0.5:
                img, boxes = hflip(img, boxes)
            padded = np.zeros((MAX_BOXES, 4), "float32")
            padded[: len(boxes)] = boxes
            aug_images.append(img)
            aug_boxes.append(padded)

        x = np.stack(aug_images).astype("float32") / 255.0
        y = np.stack(aug_boxes)[:, 0]            # largest-object localiser: first box only
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
