"""Untargeted held-out Keras / TensorFlow image-model failures (g129, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of people who trained object
detectors with ImageAI 2.x (YOLOv3 on Keras / TensorFlow) years ago and now keep those projects alive
on TF 2.21 / Keras 3 and tf_keras: old ``.h5`` detection models and ``detection_config.json`` files,
Pascal VOC datasets, hand-ported ImageAI 2 utility code (anchors, letterbox, box decoding, NumPy
non-max suppression), a small YOLO-style head retrained in Keras and mAP written by hand, spread over
the cause ids of the taxonomy:

- files: VOC XMLs labelled on Windows whose ``<filename>`` says ``IMG_0003.JPG`` while the Linux
  checkout has ``img_0003.jpg``, read through ``tf.io.read_file`` in a ``tf.data`` map;
- boxes: photos batch-downscaled after labelling while the VOC XMLs keep the original pixel
  coordinates, scattered into the YOLO target grid with ``tf.tensor_scatter_nd_update``;
- too few boxes: ImageAI 2's own anchor k-means (``np.random.choice(rows, k, replace=False)``)
  asked for 9 anchors on a one-class VOC set of 6 boxes;
- channels: the ImageAI 2 ``letterbox`` port pasting an RGBA screenshot PNG into a 3-channel grey
  canvas (notebook);
- labels: per-class focal ``alpha`` weights read from the old ``detection_config.json`` (3 labels),
  gathered by class ids of VOC XMLs where an annotator added a 4th class;
- label shapes: a ``PyDataset`` that slices the last partial batch of images but allocates the
  y_true grids with the full ``batch_size``;
- dtypes: ImageAI 2 box decoding done in NumPy (float64 boxes) handed to
  ``tf.image.non_max_suppression`` with float32 scores;
- weights: an ImageAI 2-era ``.h5`` (saved with tf_keras for 2 labels) loaded into the Keras 3
  rebuild made from the ``detection_config.json`` of the 3-label run;
- API: ``json.load`` given the path of ``detection_config.json`` instead of an open file;
- divergence: the head retrained with the ImageAI 2 learning rate on unscaled 0-255 pixels, NaN box
  predictions drawn with PIL (``int(nan)``);
- host memory: hand-written mAP with ``conf_threshold=0`` building one IoU matrix of all raw
  predictions of the validation set against all ground-truth boxes;
- versions: the ported VOC AP integrated with ``np.trapz`` under NumPy 2.4;
- plain bugs: per-class precision ``tp / (tp + fp)`` in the mAP script for a class with no
  detections (``ZeroDivisionError``).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21, tf_keras for the old weights); scripts, scripts under a
terminal (progress bars) and a notebook run in a real IPython shell. Everything runs on a CPU.

Every case is a small training / evaluation script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more55.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g129): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more55.py"

VOC_XML = """<annotation>
  <folder>JPEGImages</folder>
  <filename>{fn}</filename>
  <size><width>{w}</width><height>{h}</height><depth>3</depth></size>
{objs}</annotation>
"""
VOC_OBJ = """  <object><name>{name}</name><difficult>0</difficult>
    <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>
"""


def _voc(d: Path, fn: str, w: int, h: int, objs):
    p = d / "Annotations" / (Path(fn).stem + ".xml")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(VOC_XML.format(fn=fn, w=w, h=h, objs="".join(
        VOC_OBJ.format(name=n, x1=a, y1=b, x2=c, y2=e) for n, a, b, c, e in objs)))


# ---------------------------------------------------------------- data helpers
def voc_windows_names(d: Path):
    r = _rng(5501)
    for i in range(24):
        stem = f"img_{i:04d}"
        _jpg(d / "voc" / "JPEGImages" / f"{stem}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        fn = f"IMG_{i:04d}.JPG" if i == 3 else f"{stem}.jpg"     # relabelled on the Windows laptop
        _voc(d / "voc", fn, 64, 64, [("hololens", 10, 12, 40, 44)])


def voc_downscaled(d: Path):
    r = _rng(5502)
    for i in range(16):
        # photos were halved with mogrify after labelling; the XMLs still describe 128 x 128
        _jpg(d / "voc" / "JPEGImages" / f"{i:04d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        x1, y1 = int(r.integers(4, 60)), int(r.integers(4, 60))
        _voc(d / "voc", f"{i:04d}.jpg", 128, 128, [("helmet", x1, y1, x1 + 40, y1 + 50)])


def voc_few_boxes(d: Path):
    r = _rng(5503)
    for i in range(6):
        x1, y1 = int(r.integers(0, 200)), int(r.integers(0, 200))
        _voc(d / "voc", f"{i:04d}.jpg", 416, 416, [("kangaroo", x1, y1, x1 + int(r.integers(40, 200)),
                                                    y1 + int(r.integers(40, 200)))])


def rgba_screens(d: Path):
    r = _rng(5504)
    for i in range(6):
        if i == 4:   # a screenshot saved from the browser with transparency
            _png(d / "test" / f"frame_{i}.png", r.integers(0, 255, size=(48, 64, 4), dtype="uint8"))
        else:
            _png(d / "test" / f"frame_{i}.png", r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))


def voc_four_classes(d: Path):
    import json
    r = _rng(5505)
    names = ["car", "truck", "bus", "motorbike"]
    for i in range(32):
        _jpg(d / "voc" / "JPEGImages" / f"{i:04d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        n = names[3] if i % 9 == 4 else names[int(r.integers(0, 3))]
        x1, y1 = int(r.integers(0, 30)), int(r.integers(0, 30))
        _voc(d / "voc", f"{i:04d}.jpg", 64, 64, [(n, x1, y1, x1 + 30, y1 + 30)])
    (d / "json").mkdir(parents=True, exist_ok=True)
    (d / "json" / "detection_config.json").write_text(json.dumps({
        "labels": ["bus", "car", "truck"],
        "anchors": [[10, 14, 23, 27, 37, 58], [81, 82, 135, 169, 344, 319]],
        "alpha": [0.25, 0.25, 0.5]}, indent=4))


def grid_arrays(d: Path):
    import numpy as np
    r = _rng(5506)
    (d / "arr").mkdir(parents=True, exist_ok=True)
    np.save(d / "arr" / "images.npy", r.integers(0, 255, size=(37, 64, 64, 3), dtype=np.uint8))
    boxes = np.concatenate([r.uniform(0.1, 0.9, size=(37, 2)), r.uniform(0.05, 0.3, size=(37, 2)),
                            r.integers(0, 1, size=(37, 1))], axis=1)
    np.save(d / "arr" / "boxes.npy", boxes.astype("float32"))


def test_photos(d: Path):
    r = _rng(5507)
    for i in range(4):
        _jpg(d / "test" / f"street_{i}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def old_h5_model(d: Path):
    import json
    (d / "models").mkdir(parents=True, exist_ok=True)
    (d / "json").mkdir(parents=True, exist_ok=True)
    (d / "json" / "detection_config.json").write_text(json.dumps({
        "labels": ["hardhat", "vest", "person"],
        "anchors": [[10, 14, 23, 27, 37, 58]]}, indent=4))
    prep("k3", """
        import numpy as np
        import tf_keras as keras
        from tf_keras import layers
        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", use_bias=False)(inp)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.1)(h)
        h = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.1)(h)
        out = layers.Conv2D(3 * (5 + 2), 1)(h)          # trained for ["hardhat", "vest"]
        m = keras.Model(inp, out)
        m.save_weights("models/detection_model-ex-020--loss-0012.340.h5")
    """, d)


def detection_json(d: Path):
    import json
    (d / "json").mkdir(parents=True, exist_ok=True)
    (d / "json" / "detection_config.json").write_text(json.dumps({
        "labels": ["raccoon"], "anchors": [[10, 14, 23, 27, 37, 58]]}, indent=4))
    test_photos(d)


def head_data(d: Path):
    import numpy as np
    r = _rng(5508)
    (d / "arr").mkdir(parents=True, exist_ok=True)
    np.save(d / "arr" / "images.npy", r.integers(0, 255, size=(64, 32, 32, 3), dtype=np.uint8))
    np.save(d / "arr" / "boxes.npy", r.uniform(0, 32, size=(64, 4)).astype("float32"))
    _jpg(d / "test" / "kangaroo_01.jpg", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def val_set(d: Path):
    import numpy as np
    r = _rng(5509)
    (d / "val").mkdir(parents=True, exist_ok=True)
    np.save(d / "val" / "images.npy", r.integers(0, 255, size=(320, 64, 64, 3), dtype=np.uint8))
    np.save(d / "val" / "gt_boxes.npy", r.uniform(0, 64, size=(320, 10, 4)).astype("float32"))


def small_val(d: Path):
    import numpy as np
    r = _rng(5510)
    (d / "val").mkdir(parents=True, exist_ok=True)
    np.save(d / "val" / "images.npy", r.integers(0, 255, size=(24, 64, 64, 3), dtype=np.uint8))
    g = r.uniform(0, 40, size=(24, 2))
    np.save(d / "val" / "gt_boxes.npy", np.concatenate([g, g + 20], axis=1).astype("float32"))
    np.save(d / "val" / "gt_labels.npy", r.integers(0, 3, size=24))


# the tiny YOLO-style backbone the cases share (one output scale, stride 8, 3 anchors)
YOLO = """
def tiny_yolo(num_classes, size=64):
    inp = keras.Input((size, size, 3))
    h = layers.Rescaling(1.0 / 255)(inp)
    for f in (16, 32, 32):
        h = layers.Conv2D(f, 3, strides=2, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.1)(h)
    out = layers.Conv2D(3 * (5 + num_classes), 1)(h)
    out = layers.Reshape((size // 8, size // 8, 3, 5 + num_classes))(out)
    return keras.Model(inp, out, name="tiny_yolov3")
"""


def yolo(indent="        "):
    return "\n".join((indent + l) if l else l for l in YOLO.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more55-voc-xml-filename-uppercase-jpg-from-windows-labelling-tf-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=voc_windows_names,
        pty=True,
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        VOC = "{DATA}/voc"
        LABELS = ["hololens"]

        paths, boxes = [], []
        for xml in sorted(glob.glob(os.path.join(VOC, "Annotations", "*.xml"))):
            root = ET.parse(xml).getroot()
            paths.append(os.path.join(VOC, "JPEGImages", root.find("filename").text))
            b = root.find("object/bndbox")
            boxes.append([float(b.find(k).text) / 64.0 for k in ("xmin", "ymin", "xmax", "ymax")])
        print(len(paths), "annotated images")


        def load(path, box):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64))
            return img, box


        ds = (tf.data.Dataset.from_tensor_slices((paths, np.array(boxes, "float32")))
              .shuffle(64).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8).prefetch(2))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", keras.losses.Huber())
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more55-photos-downscaled-after-labelling-voc-coords-scatter-into-yolo-grid-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=voc_downscaled,
        expect="does not index into",
        code="""
        import glob
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        NET = 64
        GRID = NET // 8
        LABELS = ["helmet"]
        ANCHORS = np.array([[10, 14], [23, 27], [37, 58]], "float32")


        def read_voc(xml):
            root = ET.parse(xml).getroot()
            fn = "{DATA}/voc/JPEGImages/" + root.find("filename").text
            objs = []
            for o in root.iter("object"):
                b = o.find("bndbox")
                objs.append([int(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                            + [LABELS.index(o.find("name").text)])
            return fn, np.array(objs, "float32")


        def encode(fn, objs):
            # ported from imageai/Detection/Custom/generator.py: boxes -> y_true grid
            img = Image.open(fn)
            scale = NET / max(img.size)
            y_true = tf.zeros((GRID, GRID, 3, 5 + len(LABELS)))
            idx, upd = [], []
            for x1, y1, x2, y2, c in objs:
                x1, y1, x2, y2 = (v * scale for v in (x1, y1, x2, y2))
                cx, cy, w, h = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
                ious = np.minimum(w, ANCHORS[:, 0]) * np.minimum(h, ANCHORS[:, 1])
                ious = ious / (w * h + ANCHORS.prod(1) - ious)
                a = int(np.argmax(ious))
                gi, gj = int(cx // 8), int(cy // 8)
                idx.append([gj, gi, a])
                upd.append(np.r_[cx / NET, cy / NET, w / NET, h / NET, 1.0, np.eye(len(LABELS))[int(c)]])
            return tf.tensor_scatter_nd_update(y_true, idx, np.array(upd, "float32"))


        targets = []
        for xml in sorted(glob.glob("{DATA}/voc/Annotations/*.xml")):
            targets.append(encode(*read_voc(xml)))
        y_true = tf.stack(targets)
        print("y_true", y_true.shape)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more55-imageai2-anchor-kmeans-random-choice-nine-anchors-six-voc-boxes-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=voc_few_boxes,
        expect="Cannot take a larger sample",
        code="""
        import glob
        import json
        import xml.etree.ElementTree as ET

        import numpy as np


        # ---- ported from imageai/Detection/Custom/gen_anchors.py (ImageAI 2.1.5)
        def iou(box, clusters):
            x = np.minimum(clusters[:, 0], box[0])
            y = np.minimum(clusters[:, 1], box[1])
            inter = x * y
            return inter / (box[0] * box[1] + clusters[:, 0] * clusters[:, 1] - inter)


        def kmeans(boxes, k, dist=np.median):
            rows = boxes.shape[0]
            distances = np.empty((rows, k))
            last = np.zeros((rows,))
            np.random.seed()
            clusters = boxes[np.random.choice(rows, k, replace=False)]
            while True:
                for row in range(rows):
                    distances[row] = 1 - iou(boxes[row], clusters)
                nearest = np.argmin(distances, axis=1)
                if (last == nearest).all():
                    break
                for cluster in range(k):
                    clusters[cluster] = dist(boxes[nearest == cluster], axis=0)
                last = nearest
            return clusters


        wh = []
        for xml in sorted(glob.glob("{DATA}/voc/Annotations/*.xml")):
            root = ET.parse(xml).getroot()
            W, H = float(root.find("size/width").text), float(root.find("size/height").text)
            for b in root.iter("bndbox"):
                x1, y1, x2, y2 = (float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                wh.append([(x2 - x1) / W, (y2 - y1) / H])
        wh = np.array(wh)
        print("boxes:", len(wh))
        anchors = kmeans(wh, 9) * 416
        anchors = anchors[np.argsort(anchors[:, 0] * anchors[:, 1])].astype(int)
        json.dump({"labels": ["kangaroo"], "anchors": [anchors[6:].ravel().tolist(), anchors[3:6].ravel().tolist(),
                                                     anchors[:3].ravel().tolist()]}, open("detection_config.json", "w"))
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more55-notebook-imageai2-letterbox-port-rgba-screenshot-into-grey-canvas-k3",
        cause="data.image_channels",
        exception="ValueError",
        expect="could not broadcast",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            def letterbox(path, net_w=64, net_h=64):
                # ImageAI 2 preprocess_input, without cv2
                img = Image.open(path)
                iw, ih = img.size
                scale = min(net_w / iw, net_h / ih)
                nw, nh = int(iw * scale), int(ih * scale)
                canvas = np.full((net_h, net_w, 3), 128, dtype=np.uint8)
                dx, dy = (net_w - nw) // 2, (net_h - nh) // 2
                canvas[dy:dy + nh, dx:dx + nw, :] = np.asarray(img.resize((nw, nh), Image.BICUBIC))
                return canvas / 255.0, scale, dx, dy
            """,
            """
            model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, strides=8, padding="same"),
                                      layers.Conv2D(3 * 6, 1)])
            batch = []
            for p in sorted(glob.glob("{DATA}/test/*.png")):
                img, scale, dx, dy = letterbox(p)
                batch.append(img)
            preds = model.predict(np.stack(batch), verbose=0)
            print(preds.shape)
            """,
        ], data=rgba_screens),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more55-focal-alpha-from-old-detection-config-gathered-by-new-voc-class-ids-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=voc_four_classes,
        pty=True,
        expect="is not in [0, 3)",
        code="""
        import glob
        import json
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        config = json.load(open("{DATA}/json/detection_config.json"))
        ALPHA = tf.constant(config["alpha"], tf.float32)          # per-class focal weights of the old run

        records = []
        for xml in sorted(glob.glob("{DATA}/voc/Annotations/*.xml")):
            root = ET.parse(xml).getroot()
            records.append(("{DATA}/voc/JPEGImages/" + root.find("filename").text, root.find("object/name").text))
        names = sorted({n for _, n in records})
        print("classes in the annotations:", names)
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p, _ in records])
        y = np.array([names.index(n) for _, n in records])


        def focal_loss(y_true, y_pred, gamma=2.0):
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            p_t = tf.gather(y_pred, y_true, batch_dims=1)
            alpha = tf.gather(ALPHA, y_true)
            return -alpha * (1.0 - p_t) ** gamma * tf.math.log(p_t + 1e-7)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(config["labels"]) + 1, activation="softmax"),   # + background
        ])
        model.compile(keras.optimizers.Adam(1e-3), loss=focal_loss)
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more55-pydataset-last-partial-batch-y-true-grid-allocated-full-batch-size-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=grid_arrays,
        pty=True,
        expect="Incompatible shapes",
        code="""
        import math

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 1
        GRID = 8


        @@YOLO@@


        class YoloSequence(keras.utils.PyDataset):
            \"\"\"ImageAI 2 BatchGenerator, ported to PyDataset.\"\"\"

            def __init__(self, images, boxes, batch_size=8, **kw):
                super().__init__(**kw)
                self.images, self.boxes, self.batch_size = images, boxes, batch_size

            def __len__(self):
                return math.ceil(len(self.images) / self.batch_size)

            def __getitem__(self, i):
                lo, hi = i * self.batch_size, (i + 1) * self.batch_size
                x = self.images[lo:hi].astype("float32")
                y_true = np.zeros((self.batch_size, GRID, GRID, 3, 5 + NUM_CLASSES), "float32")
                for k, (cx, cy, w, h, c) in enumerate(self.boxes[lo:hi]):
                    gi, gj = int(cx * GRID), int(cy * GRID)
                    y_true[k, gj, gi, 0, :5] = [cx, cy, w, h, 1.0]
                    y_true[k, gj, gi, 0, 5 + int(c)] = 1.0
                return x, y_true


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            xy = tf.reduce_sum(obj * tf.square(y_true[..., :2] - tf.sigmoid(y_pred[..., :2])))
            wh = tf.reduce_sum(obj * tf.square(tf.sqrt(y_true[..., 2:4]) - tf.sigmoid(y_pred[..., 2:4])))
            conf = tf.reduce_sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True))
            return xy + wh + conf


        images, boxes = np.load("{DATA}/arr/images.npy"), np.load("{DATA}/arr/boxes.npy")
        print(len(images), "training images")
        model = tiny_yolo(NUM_CLASSES)
        model.compile(keras.optimizers.Adam(1e-3), loss=yolo_loss)
        model.fit(YoloSequence(images, boxes, batch_size=8), epochs=2)
        """.replace("@@YOLO@@", yolo()),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more55-numpy-float64-decoded-boxes-to-tf-image-non-max-suppression-float32-scores-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=test_photos,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 2
        ANCHORS = np.array([[10, 14], [23, 27], [37, 58]])

        @@YOLO@@


        def decode_netout(netout, anchors, net=64):
            # ImageAI 2 decode_netout in NumPy: float64 all the way
            gh, gw = netout.shape[:2]
            col, row = np.meshgrid(np.arange(gw), np.arange(gh))
            xy = (1 / (1 + np.exp(-netout[..., :2])) + np.stack([col, row], -1)[:, :, None]) / [gw, gh]
            wh = anchors * np.exp(netout[..., 2:4]) / net
            boxes = np.concatenate([xy[..., ::-1] - wh[..., ::-1] / 2, xy[..., ::-1] + wh[..., ::-1] / 2], -1)
            obj = 1 / (1 + np.exp(-netout[..., 4:5]))
            scores = obj * (1 / (1 + np.exp(-netout[..., 5:])))
            return boxes.reshape(-1, 4), scores.reshape(-1, NUM_CLASSES)


        model = tiny_yolo(NUM_CLASSES)
        for path in sorted(glob.glob("{DATA}/test/*.jpg")):
            img = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(64, 64)))
            netout = model.predict(img[None], verbose=0)[0].astype("float64")
            boxes, scores = decode_netout(netout, ANCHORS)
            boxes_t = tf.convert_to_tensor(boxes)                 # keep full precision for the boxes
            best = tf.reduce_max(tf.convert_to_tensor(scores, tf.float32), axis=1)
            keep = tf.image.non_max_suppression(boxes_t, best, max_output_size=20, iou_threshold=0.45,
                                                score_threshold=0.3)
            print(path, "->", int(tf.size(keep)), "detections")
        """.replace("@@YOLO@@", yolo()),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more55-imageai2-era-h5-two-labels-into-keras3-rebuild-from-three-label-config-k3",
        cause="model.weights_mismatch",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=old_h5_model,
        code="""
        import json

        import numpy as np
        import keras
        from keras import layers

        config = json.load(open("{DATA}/json/detection_config.json"))
        labels = config["labels"]
        print("labels:", labels)

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", use_bias=False)(inp)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.1)(h)
        h = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.1)(h)
        out = layers.Conv2D(3 * (5 + len(labels)), 1)(h)
        model = keras.Model(inp, out)
        model.load_weights("{DATA}/models/detection_model-ex-020--loss-0012.340.h5")
        print(model.predict(np.zeros((1, 64, 64, 3)), verbose=0).shape)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more55-json-load-given-detection-config-path-instead-of-open-file-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=detection_json,
        expect="has no attribute 'read'",
        code="""
        import json

        import numpy as np
        import keras
        from keras import layers

        MODEL_DIR = "{DATA}/json"

        # ImageAI 2: detector.setJsonPath("detection_config.json"); the ported loader
        config = json.load(MODEL_DIR + "/detection_config.json")
        labels, anchors = config["labels"], np.array(config["anchors"]).reshape(-1, 2)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(3 * (5 + len(labels)), 1)])
        print(model.output_shape)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more55-head-retrained-imageai2-lr-unscaled-pixels-nan-boxes-drawn-with-pil-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=head_data,
        pty=True,
        expect="cannot convert float NaN to integer",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        x = np.load("{DATA}/arr/images.npy").astype("float32")       # 0..255, no Rescaling
        y = np.load("{DATA}/arr/boxes.npy")                            # xmin, ymin, xmax, ymax in px

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(4),
        ])
        model.compile(keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
        model.fit(x, y, batch_size=16, epochs=4)

        img = Image.open("{DATA}/test/kangaroo_01.jpg")
        box = model.predict(np.asarray(img, "float32")[None], verbose=0)[0]
        print("box:", box)
        draw = ImageDraw.Draw(img)
        draw.rectangle([int(v) for v in box], outline=(255, 0, 0), width=2)
        img.save("kangaroo_01_detected.jpg")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more55-hand-written-map-conf-threshold-zero-iou-matrix-all-val-predictions-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=val_set,
        pty=True,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 1
        CONF_THRESHOLD = 0.0          # keep everything, the PR curve needs all the scores

        @@YOLO@@

        images = np.load("{DATA}/val/images.npy")
        gt = np.load("{DATA}/val/gt_boxes.npy").reshape(-1, 4)
        model = tiny_yolo(NUM_CLASSES)
        raw = model.predict(images, batch_size=64, verbose=1)
        pred = raw.reshape(-1, 5 + NUM_CLASSES)
        scores = 1 / (1 + np.exp(-pred[:, 4]))
        boxes = np.abs(pred[:, :4]) * 64
        boxes, scores = boxes[scores >= CONF_THRESHOLD], scores[scores >= CONF_THRESHOLD]
        boxes = np.repeat(boxes, 4, axis=0)   # 4 test-time augmentations, merged before NMS
        print(len(boxes), "predictions,", len(gt), "ground-truth boxes")

        # IoU of every prediction with every ground-truth box, vectorised
        x1 = np.maximum(boxes[:, None, 0], gt[None, :, 0])
        y1 = np.maximum(boxes[:, None, 1], gt[None, :, 1])
        x2 = np.minimum(boxes[:, None, 2], gt[None, :, 2])
        y2 = np.minimum(boxes[:, None, 3], gt[None, :, 3])
        inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        print(inter.shape)
        """.replace("@@YOLO@@", yolo()),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more55-ported-voc-ap-np-trapz-under-numpy-2-4-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=small_val,
        expect="trapz",
        code="""
        import numpy as np
        import keras
        from keras import layers

        LABELS = ["cat", "dog", "bird"]

        images = np.load("{DATA}/val/images.npy")
        gt_boxes, gt_labels = np.load("{DATA}/val/gt_boxes.npy"), np.load("{DATA}/val/gt_labels.npy")

        inp = keras.Input((64, 64, 3))
        h = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3, strides=4)(layers.Rescaling(1 / 255)(inp)))
        model = keras.Model(inp, [layers.Dense(4, activation="sigmoid")(h), layers.Dense(3, activation="softmax")(h)])
        pb, ps = model.predict(images, verbose=0)
        pb = pb * 64


        def iou(a, b):
            iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
            inter = iw * ih
            return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter + 1e-9)


        def voc_ap(rec, prec):
            mrec = np.concatenate(([0.0], rec, [1.0]))
            mpre = np.concatenate(([0.0], prec, [0.0]))
            for i in range(mpre.size - 1, 0, -1):
                mpre[i - 1] = max(mpre[i - 1], mpre[i])
            return np.trapz(mpre, mrec)


        aps = []
        for c, name in enumerate(LABELS):
            order = np.argsort(-ps[:, c])
            tp = np.array([float(gt_labels[i] == c and iou(pb[i], gt_boxes[i]) >= 0.5) for i in order])
            fp = 1.0 - tp
            tp, fp = np.cumsum(tp), np.cumsum(fp)
            rec = tp / max(1, (gt_labels == c).sum())
            prec = tp / np.maximum(tp + fp, 1e-9)
            aps.append(voc_ap(rec, prec))
            print(f"{name}: AP {aps[-1]:.4f}")
        print("mAP", np.mean(aps))
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more55-map-script-per-class-precision-zero-division-class-without-detections-k3",
        cause="other",
        exception="ZeroDivisionError",
        setup=small_val,
        code="""
        import numpy as np
        import keras
        from keras import layers

        LABELS = ["cat", "dog", "bird"]
        SCORE_THRESHOLD = 0.5

        images = np.load("{DATA}/val/images.npy")
        gt_boxes, gt_labels = np.load("{DATA}/val/gt_boxes.npy"), np.load("{DATA}/val/gt_labels.npy")

        inp = keras.Input((64, 64, 3))
        h = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3, strides=4)(layers.Rescaling(1 / 255)(inp)))
        model = keras.Model(inp, [layers.Dense(4, activation="sigmoid")(h), layers.Dense(3, activation="softmax")(h)])
        pb, ps = model.predict(images, verbose=0)
        pb = pb * 64
        pred_labels, pred_scores = ps.argmax(1), ps.max(1)

        for c, name in enumerate(LABELS):
            tp = fp = 0
            for i in range(len(images)):
                if pred_labels[i] != c or pred_scores[i] < SCORE_THRESHOLD:
                    continue
                a, b = pb[i], gt_boxes[i]
                iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
                ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
                ok = gt_labels[i] == c and iw * ih > 0.5 * (b[2] - b[0]) * (b[3] - b[1])
                tp, fp = tp + int(ok), fp + int(not ok)
            precision = tp / (tp + fp)
            recall = tp / int((gt_labels == c).sum())
            print(f"{name}: precision {precision:.3f} recall {recall:.3f}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
