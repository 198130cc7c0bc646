"""Untargeted held-out Keras / TensorFlow image-model failures (g114, scored 0.91 top-1 and 0.95 top-3 before any rule for it) of people who trained detectors and
classifiers with ImageAI 2.x (TensorFlow / Keras) and now write their own Keras / tf.keras code: Pascal VOC
XML annotations (LabelImg, CVAT) parsed with ``xml.etree.ElementTree``, the ImageAI 2 dataset layout
(``train/images`` + ``train/annotations``), YOLO-style and SSD-style heads and losses written by hand,
custom ``keras.utils.Sequence`` / ``PyDataset`` generators yielding batches of images and boxes,
``ImageDataGenerator`` and ``image_dataset_from_directory`` pipelines, ``tf.data`` with ``map`` /
``padded_batch``, callbacks (ModelCheckpoint, EarlyStopping, ReduceLROnPlateau), code ported from the
keras-yolo2 / keras-yolo3 repositories ImageAI 2's detection trainer grew out of, spread over the cause
ids of the taxonomy:

- image sizes: ``padded_batch`` to a fixed 416 x 416 canvas ("every photo was shrunk to fit 416 before
  labelling") meeting two newer 640 x 480 phone photos;
- channels: a CCTV ``Sequence`` that ``np.dstack``-s every frame three times "for the single-channel IR
  night shots", so the colour day frames reach the model with nine channels;
- boxes: a CVAT VOC 1.1 export with a box starting left of the frame (``xmin`` = -3.85) cut out with
  NumPy slicing (the negative start wraps round: empty crop) for a second-stage crop classifier;
- labels: LabelImg YOLO-mode label files whose class ids count LabelImg's fifteen predefined classes
  (``helmet`` = 15) given to a two-class head (notebook);
- label shapes: a YOLO ``Sequence`` that writes the three anchors side by side in the last axis
  (``GRID x GRID x 3*(5+C)``) for a head reshaped to ``GRID x GRID x 3 x (5+C)``;
- dtypes: ``padded_batch(padding_values=(0.0, 0.0, -1))`` for class ids declared ``tf.int64`` in the
  generator's signature;
- files: VOC ``<filename>`` tags that still name the camera files after a bulk rename of the images; the
  ``._*.xml`` AppleDouble files of a dataset tarred on a Mac, parsed with ElementTree (notebook);
- model inputs: the network input (height, width, depth) read from the first VOC file, the grey
  calibration-chart shot (``<depth>1</depth>``), while the loader converts every photo to RGB;
- model outputs: a three-scale YOLO model that returns its outputs stride 8 first while the
  ``Sequence`` yields the keras-yolo3 order (13, 26, 52); a classifier head sized from the old ImageAI 2
  IdenProf project's ``model_class.json`` (four classes) for six class folders (notebook);
- weights: the ``keras.applications`` VGG16 no-top ``.h5`` loaded into a hand-written SSD300 VGG base
  with the ``fc6`` / ``fc7`` / extra convolutions and the box heads (notebook);
- API: ``ET.parse`` on the path tensor inside ``Dataset.map``, ``ImageDataGenerator.flow`` given
  ``[classes, boxes]`` for a two-output localiser (notebook);
- divergence: a hand-written YOLO objectness loss on raw 0..255 pixels (ImageAI 2 scaled them itself)
  trained with SGD, guarded by ``check_numerics``;
- gradients: an FGSM-augmented training step whose second tape keeps ``watch_accessed_variables=False``;
- host memory: ``ImageDataGenerator(featurewise_center=..., featurewise_std_normalization=...).fit`` on a
  memory-mapped ``.npy`` cache of 24 000 photos (float32 copy);
- versions: keras-yolo2's ``Lambda(space_to_depth_x2)`` calling the TF1 ``tf.space_to_depth`` (given the
  ``output_shape`` Keras 3 asks for), keras-yolo3's ``CustomModelCheckpoint`` (``self.epochs_since_last_save``)
  subclassing the Keras 3 ModelCheckpoint;
- workers: a VOC-to-``.npz`` cache builder holding a ``threading.Lock`` whose bound method is handed to
  ``ProcessPoolExecutor.map``;
- plain bugs: a helper module named ``xml.py`` next to train.py (``import tensorflow`` fails inside
  absl), ``for obj in root.find("object")`` instead of ``findall`` in a ``PyDataset``.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21); scripts, scripts under a terminal (progress bars) and
notebook cells run in a real IPython shell. Everything runs on a CPU: causes that need a GPU
(resource.gpu_oom, env.device_mismatch, env.cuda_setup) are not produced. ImageDataGenerator is the
Keras 3 copy under ``tensorflow.keras.preprocessing.image`` (the TF environments have no SciPy, so no
rotation / shift / zoom augmentation is asked of it).

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more50.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g114): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import make_images  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more50.py"


# ---------------------------------------------------------------- data helpers
def _boxes(r, w, h, n):
    out = []
    for _ in range(n):
        bw = int(r.integers(w // 10, w // 4))
        bh = int(r.integers(h // 10, h // 4))
        x1 = int(r.integers(1, w - bw - 1))
        y1 = int(r.integers(1, h - bh - 1))
        out.append((x1, y1, x1 + bw, y1 + bh))
    return out


def _labelimg_xml(filename, w, h, objects, depth=3, folder="images",
                  win_dir=r"C:\Users\sam\Desktop\hardhat\train\images"):
    """A Pascal VOC file as LabelImg writes it."""
    objs = "".join(f"""
	<object>
		<name>{name}</name>
		<pose>Unspecified</pose>
		<truncated>0</truncated>
		<difficult>0</difficult>
		<bndbox>
			<xmin>{x1}</xmin>
			<ymin>{y1}</ymin>
			<xmax>{x2}</xmax>
			<ymax>{y2}</ymax>
		</bndbox>
	</object>""" for name, (x1, y1, x2, y2) in objects)
    return f"""<annotation>
	<folder>{folder}</folder>
	<filename>{filename}</filename>
	<path>{win_dir}\\{filename}</path>
	<source>
		<database>Unknown</database>
	</source>
	<size>
		<width>{w}</width>
		<height>{h}</height>
		<depth>{depth}</depth>
	</size>
	<segmented>0</segmented>{objs}
</annotation>
"""


def _voc_set(d: Path, root: str, names, sizes, classes=("helmet", "head"), seed=0, grey=()):
    """ImageAI 2 detection layout: ``root/images/NAME.jpg`` + ``root/annotations/NAME.xml``."""
    from PIL import Image

    r = _rng(seed)
    for i, name in enumerate(names):
        w, h = sizes[i % len(sizes)]
        p = d / root / "images" / f"{name}.jpg"
        p.parent.mkdir(parents=True, exist_ok=True)
        if name in grey:
            Image.fromarray(r.integers(0, 255, size=(h, w), dtype="uint8"), mode="L").save(p, quality=90)
        else:
            _jpg(p, r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        objs = [(classes[int(r.integers(0, len(classes)))], b) for b in _boxes(r, w, h, int(r.integers(1, 4)))]
        a = d / root / "annotations" / f"{name}.xml"
        a.parent.mkdir(parents=True, exist_ok=True)
        a.write_text(_labelimg_xml(f"{name}.jpg", w, h, objs, depth=1 if name in grey else 3))


def hardhat(n=12, seed=5001, size=(416, 416)):
    def run(d: Path):
        _voc_set(d, "hardhat/train", [f"helmet_{i:03d}" for i in range(1, n + 1)], [size], seed=seed)
    return run


def hardhat_resized(d: Path):
    """Photos shrunk to fit 416 x 416 (landscape and portrait), plus two newer phone photos."""
    names = [f"helmet_{i:03d}" for i in range(1, 15)]
    _voc_set(d, "hardhat/train", names, [(416, 312), (416, 312), (312, 416)], seed=5002)
    _voc_set(d, "hardhat/train", ["IMG_20230611_081544", "IMG_20230611_081602"], [(640, 480)], seed=5003)


def cctv(d: Path):
    day = [f"cam2_day_{i:04d}" for i in range(1, 21)]
    night = [f"cam2_night_{i:04d}" for i in range(1, 7)]
    _voc_set(d, "site_cctv/train", day + night, [(704, 576)], classes=("person", "helmet", "excavator"),
             seed=5004, grey=set(night))


def cvat_export(d: Path):
    """A CVAT 'PASCAL VOC 1.1' export: float coordinates, one box starting left of the frame."""
    r = _rng(5005)
    root = d / "cvat_hardhat"
    names = []
    for i in range(12):
        name = f"frame_{i * 15:06d}"
        names.append(name)
        w, h = 640, 360
        _jpg(root / "JPEGImages" / f"{name}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        objs = []
        for k, (x1, y1, x2, y2) in enumerate(_boxes(r, w, h, 2)):
            fx1, fy1 = x1 + float(r.uniform(0, 1)), y1 + float(r.uniform(0, 1))
            fx2, fy2 = x2 + float(r.uniform(0, 1)), y2 + float(r.uniform(0, 1))
            if i == 7 and k == 0:            # worker walking in from the left edge
                fx1, fy1, fx2, fy2 = -3.85, 122.17, 84.52, 261.9
            objs.append(("helmet" if k == 0 else "head", (fx1, fy1, fx2, fy2)))
        body = "".join(f"""
  <object>
    <name>{n}</name>
    <truncated>{1 if b[0] < 0 else 0}</truncated>
    <occluded>0</occluded>
    <difficult>0</difficult>
    <bndbox>
      <xmin>{b[0]:.2f}</xmin>
      <ymin>{b[1]:.2f}</ymin>
      <xmax>{b[2]:.2f}</xmax>
      <ymax>{b[3]:.2f}</ymax>
    </bndbox>
  </object>""" for n, b in objs)
        xml = f"""<?xml version="1.0" ?>
<annotation>
  <folder></folder>
  <filename>{name}.jpg</filename>
  <source>
    <database>Unknown</database>
    <annotation>Unknown</annotation>
    <image>Unknown</image>
  </source>
  <size>
    <width>{w}</width>
    <height>{h}</height>
    <depth></depth>
  </size>
  <segmented>0</segmented>{body}
</annotation>
"""
        (root / "Annotations").mkdir(parents=True, exist_ok=True)
        (root / "Annotations" / f"{name}.xml").write_text(xml)
    (root / "ImageSets" / "Main").mkdir(parents=True, exist_ok=True)
    (root / "ImageSets" / "Main" / "default.txt").write_text("\n".join(names) + "\n")
    (root / "labelmap.txt").write_text("# label:color_rgb:parts:actions\nhead:250,50,83::\nhelmet:51,221,255::\n")


LABELIMG_PREDEFINED = ["dog", "person", "cat", "tv", "car", "meatballs", "marinara sauce", "tomato soup",
                       "chicken noodle soup", "french onion soup", "chicken breast", "ribs", "pulled pork",
                       "hamburger", "cavity"]


def labelimg_yolo(d: Path):
    r = _rng(5006)
    root = d / "helmets_yolo"
    classes = LABELIMG_PREDEFINED + ["helmet", "head"]
    for i in range(20):
        name = f"hh_{i:04d}"
        _jpg(root / "images" / f"{name}.jpg", r.integers(0, 255, size=(320, 320, 3), dtype="uint8"))
        rows = []
        for _ in range(int(r.integers(1, 4))):
            cid = 15 + int(r.integers(0, 2))
            w, h = r.uniform(0.08, 0.3), r.uniform(0.08, 0.3)
            cx, cy = r.uniform(w / 2, 1 - w / 2), r.uniform(h / 2, 1 - h / 2)
            rows.append(f"{cid} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        (root / "labels").mkdir(parents=True, exist_ok=True)
        (root / "labels" / f"{name}.txt").write_text("\n".join(rows) + "\n")
    (root / "labels" / "classes.txt").write_text("\n".join(classes) + "\n")


def renamed_photos(d: Path):
    """Images and XMLs renamed by a bulk renamer; the <filename> / <path> tags inside still hold the
    camera names."""
    r = _rng(5007)
    root = d / "hardhat" / "train"
    for i in range(16):
        cam = f"IMG_2019061{i % 10}_{101532 + 37 * i}.jpg"
        new = f"hardhat_{i + 1:04d}"
        _jpg(root / "images" / f"{new}.jpg", r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        cls = ("helmet", "head")
        objs = [(cls[int(r.integers(0, 2))], b) for b in _boxes(r, 320, 240, int(r.integers(1, 3)))]
        (root / "annotations").mkdir(parents=True, exist_ok=True)
        (root / "annotations" / f"{new}.xml").write_text(
            _labelimg_xml(cam, 320, 240, objs, win_dir=r"C:\Users\sam\Pictures\site_visit_june"))


def _appledouble() -> bytes:
    hdr = b"\x00\x05\x16\x07" + b"\x00\x02\x00\x00" + b"Mac OS X        " + struct.pack(">H", 2)
    hdr += struct.pack(">III", 9, 50, 3870) + struct.pack(">III", 2, 3920, 286)
    body = bytearray(4096)
    body[:len(hdr)] = hdr
    attr = b"ATTR" + b"\x00" * 30 + b"com.apple.quarantine\x00" + b"0081;64a1c2f3;Archive Utility;"
    body[84:84 + len(attr)] = attr
    return bytes(body)


def mac_tarball(d: Path):
    hardhat(n=10, seed=5008, size=(320, 240))(d)
    ad = _appledouble()
    for sub, ext in (("images", "jpg"), ("annotations", "xml")):
        for p in sorted((d / "hardhat/train" / sub).glob(f"*.{ext}")):
            (p.parent / f"._{p.name}").write_bytes(ad)


def vgg16_notop(d: Path):
    (d / "weights").mkdir()
    _prep("tfk2", """
        import tensorflow as tf
        base = tf.keras.applications.VGG16(weights=None, include_top=False)
        base.save_weights("weights/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
        """, d)


def idenprof(d: Path):
    make_images(d / "idenprof" / "train", ["chef", "doctor", "engineer", "farmer", "judge", "pilot"], per_class=5,
                size=(96, 96), fmt="jpeg", seed=5009)
    j = d / "imageai_idenprof" / "models" / "json"
    j.mkdir(parents=True)
    (j / "model_class.json").write_text(json.dumps({"0": "chef", "1": "doctor", "2": "engineer", "3": "farmer"},
                                                   indent=4))


def npy_cache(d: Path):
    import numpy as np

    (d / "cache").mkdir()
    # written by the preprocessing notebook (a sparse file here: only the header is real data)
    np.lib.format.open_memmap(d / "cache" / "x_train_224.npy", mode="w+", dtype="uint8",
                              shape=(24000, 224, 224, 3)).flush()
    np.save(d / "cache" / "y_train.npy", (np.arange(24000) % 5).astype("int64"))


def xml_helper_module(d: Path):
    hardhat(n=8, seed=5010)(d)
    (d.parent / "project" / "xml.py").write_text('''"""VOC helpers for the hard-hat detector."""
import xml.etree.ElementTree as ET

CLASSES = ["helmet", "head"]


def parse_voc(path):
    root = ET.parse(path).getroot()
    boxes = []
    for obj in root.findall("object"):
        bb = obj.find("bndbox")
        boxes.append([int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                     + [CLASSES.index(obj.find("name").text)])
    return root.find("filename").text, boxes
''')


def warehouse(d: Path):
    """Warehouse camera stills (320 x 240); the first file is the grey calibration chart shot."""
    names = ["000_calibration_chart"] + [f"wh_cam1_{i:04d}" for i in range(1, 12)]
    _voc_set(d, "forklift/train", names, [(320, 240)], classes=("forklift", "person", "pallet"), seed=5023,
             grey={"000_calibration_chart"})


# a numpy YOLO-v2-style encoder (one grid, a few anchors) that several case scripts use
YOLO_ENCODER = '''
def encode(objects, img_w, img_h, grid, anchors, n_classes):
    """objects: [(class_id, xmin, ymin, xmax, ymax)] in pixels -> (grid, grid, len(anchors), 5 + C)."""
    y = np.zeros((grid, grid, len(anchors), 5 + n_classes), "float32")
    for c, x1, y1, x2, y2 in objects:
        cx, cy = (x1 + x2) / 2 / img_w * grid, (y1 + y2) / 2 / img_h * grid
        bw, bh = (x2 - x1) / img_w * grid, (y2 - y1) / img_h * grid
        gi, gj = int(cx), int(cy)
        ious = [min(bw, aw) * min(bh, ah) / (bw * bh + aw * ah - min(bw, aw) * min(bh, ah)) for aw, ah in anchors]
        a = int(np.argmax(ious))
        y[gj, gi, a, 0:4] = [cx - gi, cy - gj, np.log(bw / anchors[a][0]), np.log(bh / anchors[a][1])]
        y[gj, gi, a, 4] = 1.0
        y[gj, gi, a, 5 + c] = 1.0
    return y
'''


def _indent(code: str, pad: str = "        ") -> str:
    return "\n".join((pad + ln) if ln else ln for ln in code.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more50-hardhat-padded-batch-416-canvas-newer-640px-phone-photos-k3",
        cause="data.image_size_mismatch",
        exception="DataLossError",
        setup=hardhat_resized,
        pty=True,
        expect="Attempted to pad to a smaller size",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers, ops

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        CANVAS = 416          # every photo was shrunk to fit 416 x 416 before labelling
        MAX_BOXES = 10


        def parse_voc(xml_path):
            root = ET.parse(xml_path).getroot()
            boxes, labels = [], []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                boxes.append([float(bb.find(k).text) for k in ("ymin", "xmin", "ymax", "xmax")])
                labels.append(CLASSES.index(obj.find("name").text) + 1)      # 0 = empty slot
            boxes = np.array(boxes, "float32") / CANVAS                        # photos sit top-left on the canvas
            return os.path.join(DATA_DIR, "images", root.find("filename").text), boxes, np.array(labels, "int32")


        records = [parse_voc(p) for p in sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))]
        print(len(records), "annotated photos")


        def gen():
            yield from records


        def load(path, boxes, labels):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), boxes, labels


        ds = tf.data.Dataset.from_generator(gen, output_signature=(
            tf.TensorSpec((), tf.string), tf.TensorSpec((None, 4), tf.float32), tf.TensorSpec((None,), tf.int32)))
        train_ds = (ds.shuffle(64, seed=5)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    # pad the photos to the 416 x 416 canvas and the boxes to MAX_BOXES slots
                    .padded_batch(4, padded_shapes=([CANVAS, CANVAS, 3], [MAX_BOXES, 4], [MAX_BOXES]))
                    .map(lambda x, b, c: (x, {"boxes": b, "classes": c}))
                    .prefetch(tf.data.AUTOTUNE))

        inputs = keras.Input((CANVAS, CANVAS, 3))
        x = inputs
        for f in (16, 32, 64, 64, 128):
            x = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(256, activation="relu")(x)
        boxes = layers.Reshape((MAX_BOXES, 4), name="boxes")(layers.Dense(MAX_BOXES * 4, activation="sigmoid")(x))
        classes = layers.Reshape((MAX_BOXES, len(CLASSES) + 1), name="classes")(
            layers.Dense(MAX_BOXES * (len(CLASSES) + 1))(x))
        model = keras.Model(inputs, {"boxes": boxes, "classes": classes})


        def masked_l1(y_true, y_pred):
            mask = ops.cast(ops.any(y_true > 0, axis=-1, keepdims=True), "float32")
            return ops.sum(mask * ops.abs(y_true - y_pred)) / ops.maximum(ops.sum(mask), 1.0)


        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss={"boxes": masked_l1,
                            "classes": keras.losses.SparseCategoricalCrossentropy(from_logits=True)})
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more50-cctv-sequence-dstack-every-frame-for-ir-night-shots-nine-channels-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=cctv,
        expect="9)",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers, ops
        from PIL import Image

        DATA_DIR = "{DATA}/site_cctv/train"
        CLASSES = ["person", "helmet", "excavator"]
        IMG, GRID = 416, 13
        ANCHORS = [(1.0, 1.6), (2.2, 3.4), (4.5, 4.0)]
        @@ENCODER@@

        class CCTVFrames(keras.utils.Sequence):
            def __init__(self, xml_files, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def load_image(self, path):
                img = np.asarray(Image.open(path).resize((IMG, IMG)), dtype="float32") / 255.0
                # the night shots from the NVR are single-channel IR frames: give them three channels
                img = np.dstack([img, img, img])
                return img

            def __getitem__(self, idx):
                images, targets = [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                    objects = []
                    for obj in root.iter("object"):
                        bb = obj.find("bndbox")
                        objects.append([CLASSES.index(obj.find("name").text)]
                                       + [int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
                    images.append(self.load_image(os.path.join(DATA_DIR, "images", root.find("filename").text)))
                    targets.append(encode(objects, w, h, GRID, ANCHORS, len(CLASSES)))
                return np.stack(images), np.stack(targets)


        train = CCTVFrames(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml")))

        inputs = keras.Input((IMG, IMG, 3))
        x = inputs
        for f in (16, 32, 64, 128, 128):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
            x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(len(ANCHORS) * (5 + len(CLASSES)), 1)(x)
        outputs = layers.Reshape((GRID, GRID, len(ANCHORS), 5 + len(CLASSES)))(x)
        model = keras.Model(inputs, outputs, name="tiny_yolo_cctv")


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            xy = ops.sum(obj * ops.square(y_true[..., 0:2] - ops.sigmoid(y_pred[..., 0:2])))
            wh = ops.sum(obj * ops.square(y_true[..., 2:4] - y_pred[..., 2:4]))
            conf = ops.sum(keras.losses.binary_crossentropy(y_true[..., 4:5], y_pred[..., 4:5], from_logits=True))
            cls = ops.sum(y_true[..., 4] * keras.losses.categorical_crossentropy(
                y_true[..., 5:], y_pred[..., 5:], from_logits=True))
            return (5.0 * (xy + wh) + conf + cls) / ops.cast(ops.shape(y_true)[0], "float32")


        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=yolo_loss)
        model.fit(train, epochs=30, verbose=2)
        """.replace("@@ENCODER@@", _indent(YOLO_ENCODER)),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more50-cvat-voc-box-left-of-frame-numpy-slice-wraps-empty-crop-resize-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=cvat_export,
        pty=True,
        expect="non-zero size",
        code="""
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        VOC = "{DATA}/cvat_hardhat"            # CVAT "PASCAL VOC 1.1" export
        CLASSES = ["helmet", "head"]
        CROP = 96

        # second stage of the detector: is the detected head wearing a helmet?
        items = []
        for name in open(os.path.join(VOC, "ImageSets/Main/default.txt")).read().split():
            root = ET.parse(os.path.join(VOC, "Annotations", name + ".xml")).getroot()
            for obj in root.findall("object"):
                bb = obj.find("bndbox")
                box = [int(float(bb.find(k).text)) for k in ("xmin", "ymin", "xmax", "ymax")]
                items.append((os.path.join(VOC, "JPEGImages", root.find("filename").text), box,
                              CLASSES.index(obj.find("name").text)))
        print(len(items), "objects")


        class ObjectCrops(keras.utils.PyDataset):
            def __init__(self, items, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.items = items
                self.batch_size = batch_size
                self.order = np.random.default_rng(3).permutation(len(items))

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                crops, labels = [], []
                for i in self.order[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    path, (xmin, ymin, xmax, ymax), label = self.items[i]
                    img = np.asarray(Image.open(path).convert("RGB"))
                    crop = img[ymin:ymax, xmin:xmax]
                    crops.append(tf.image.resize(crop, (CROP, CROP)).numpy() / 255.0)
                    labels.append(label)
                return np.stack(crops), np.array(labels)


        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.RandomFlip("horizontal"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ObjectCrops(items), epochs=15)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more50-nb-labelimg-yolo-mode-predefined-classes-offset-ids-two-class-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="outside the valid range",
        **notebook([
            """
            import glob
            import os

            import numpy as np
            import keras
            from keras import layers
            from PIL import Image

            ROOT = "{DATA}/helmets_yolo"
            CLASSES = ["helmet", "head"]
            IMG = 224
            """,
            """
            # LabelImg in YOLO mode: one "class cx cy w h" row per box, normalised
            x, y_cls, y_box = [], [], []
            for img_path in sorted(glob.glob(f"{ROOT}/images/*.jpg")):
                txt = os.path.join(ROOT, "labels", os.path.basename(img_path)[:-4] + ".txt")
                rows = np.loadtxt(txt, ndmin=2)
                main = rows[np.argmax(rows[:, 3] * rows[:, 4])]          # the largest box in the photo
                cx, cy, w, h = main[1:]
                x.append(np.asarray(Image.open(img_path).convert("RGB").resize((IMG, IMG)), "float32") / 255.0)
                y_cls.append(int(main[0]))
                y_box.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
            x, y_cls, y_box = np.stack(x), np.array(y_cls), np.array(y_box, "float32")
            print(x.shape, y_cls.shape, y_box.shape)
            """,
            """
            inputs = keras.Input((IMG, IMG, 3))
            h = inputs
            for f in (32, 64, 128):
                h = layers.Conv2D(f, 3, activation="relu")(h)
                h = layers.MaxPooling2D()(h)
            h = layers.GlobalAveragePooling2D()(h)
            h = layers.Dense(128, activation="relu")(h)
            cls_out = layers.Dense(len(CLASSES), activation="softmax", name="cls")(h)
            box_out = layers.Dense(4, activation="sigmoid", name="box")(h)
            model = keras.Model(inputs, {"cls": cls_out, "box": box_out})
            model.compile(optimizer=keras.optimizers.Adam(1e-3),
                          loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                          metrics={"cls": "accuracy"})
            """,
            """
            history = model.fit(x, {"cls": y_cls, "box": y_box}, batch_size=8, epochs=10, validation_split=0.2)
            """,
        ], data=labelimg_yolo),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more50-yolo-sequence-targets-anchors-flat-in-last-axis-head-reshaped-per-anchor-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=hardhat(n=12, seed=5011),
        pty=True,
        expect="Dimensions must be equal",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers, ops
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG, GRID = 416, 13
        ANCHORS = [(0.57, 0.68), (1.87, 2.06), (3.34, 5.47)]      # in grid cells
        N = 5 + len(CLASSES)


        class VOCBatches(keras.utils.Sequence):
            \"\"\"Images + YOLO targets, the same layout as the network output (anchor after anchor).\"\"\"

            def __init__(self, xml_files, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                files = self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.zeros((len(files), IMG, IMG, 3), "float32")
                y = np.zeros((len(files), GRID, GRID, len(ANCHORS) * N), "float32")
                for b, xml_path in enumerate(files):
                    root = ET.parse(xml_path).getroot()
                    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    x[b] = np.asarray(img.resize((IMG, IMG)), "float32") / 255.0
                    for obj in root.iter("object"):
                        bb = obj.find("bndbox")
                        x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                        cx, cy = (x1 + x2) / 2 / w * GRID, (y1 + y2) / 2 / h * GRID
                        bw, bh = (x2 - x1) / w * GRID, (y2 - y1) / h * GRID
                        a = int(np.argmin([abs(bw * bh - aw * ah) for aw, ah in ANCHORS]))
                        gi, gj = int(cx), int(cy)
                        vec = np.zeros(N, "float32")
                        vec[:5] = [cx - gi, cy - gj, np.log(bw / ANCHORS[a][0]), np.log(bh / ANCHORS[a][1]), 1.0]
                        vec[5 + CLASSES.index(obj.find("name").text)] = 1.0
                        y[b, gj, gi, a * N:(a + 1) * N] = vec
                return x, y


        train = VOCBatches(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml")))

        inputs = keras.Input((IMG, IMG, 3))
        x = inputs
        for f in (16, 32, 64, 128, 256):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
            x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(len(ANCHORS) * N, 1)(x)
        outputs = layers.Reshape((GRID, GRID, len(ANCHORS), N))(x)
        model = keras.Model(inputs, outputs)


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            xy = ops.sum(obj * ops.square(y_true[..., 0:2] - ops.sigmoid(y_pred[..., 0:2])))
            wh = ops.sum(obj * ops.square(y_true[..., 2:4] - y_pred[..., 2:4]))
            conf = ops.sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True))
            cls = ops.sum(obj[..., 0] * keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:],
                                                                              from_logits=True))
            return 5.0 * (xy + wh) + conf + cls


        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=yolo_loss)
        model.fit(train, epochs=50)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more50-padded-batch-python-int-padding-value-for-int64-class-ids-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=hardhat(n=10, seed=5012, size=(320, 240)),
        expect="padding_values",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG = 320


        def read_annotation(xml_path):
            root = ET.parse(xml_path).getroot()
            w, h = float(root.find("size/width").text), float(root.find("size/height").text)
            boxes, labels = [], []
            for obj in root.findall("object"):
                bb = obj.find("bndbox")
                boxes.append([float(bb.find("ymin").text) / h, float(bb.find("xmin").text) / w,
                              float(bb.find("ymax").text) / h, float(bb.find("xmax").text) / w])
                labels.append(CLASSES.index(obj.find("name").text))
            path = os.path.join(DATA_DIR, "images", root.find("filename").text)
            return path, np.array(boxes, "float32"), np.array(labels)


        annotations = [read_annotation(p) for p in sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))]


        def generator():
            for path, boxes, labels in annotations:
                img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
                yield tf.image.resize(img, (IMG, IMG)) / 255.0, boxes, labels


        dataset = tf.data.Dataset.from_generator(generator, output_signature=(
            tf.TensorSpec((IMG, IMG, 3), tf.float32),
            tf.TensorSpec((None, 4), tf.float32),
            tf.TensorSpec((None,), tf.int64),
        ))
        # boxes and labels have a different length per photo: pad them, -1 marks an empty slot
        train_ds = dataset.padded_batch(8, padded_shapes=([IMG, IMG, 3], [None, 4], [None]),
                                        padding_values=(0.0, 0.0, -1))

        for images, boxes, labels in train_ds.take(1):
            print(images.shape, boxes.shape, labels.shape)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more50-voc-filename-tags-still-camera-names-after-bulk-rename-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=renamed_photos,
        pty=True,
        expect="No such file or directory",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/hardhat/train"
        IMG = 224

        # image-level label for the site report: 1 = somebody without a helmet in the photo
        paths, labels = [], []
        for xml_path in sorted(glob.glob(os.path.join(DATA_DIR, "annotations", "*.xml"))):
            root = ET.parse(xml_path).getroot()
            paths.append(os.path.join(DATA_DIR, "images", root.find("filename").text))
            labels.append(int(any(o.find("name").text == "head" for o in root.iter("object"))))
        print(len(paths), "photos,", sum(labels), "with a bare head")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (IMG, IMG)), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=2)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        base = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None,
                                              pooling="avg")
        inputs = keras.Input((IMG, IMG, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x)
        outputs = layers.Dense(1, activation="sigmoid")(layers.Dropout(0.2)(x))
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, epochs=10,
                  callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=3, restore_best_weights=True)])
        """,
    ),
    Case(
        name="keras-more50-nb-mac-tarball-appledouble-dot-underscore-xml-elementtree-parse-error-k3",
        cause="data.missing_or_corrupt",
        exception="ParseError",
        expect="not well-formed",
        **notebook([
            """
            import os
            import xml.etree.ElementTree as ET

            import numpy as np
            import keras

            DATA_DIR = "{DATA}/hardhat/train"      # hardhat.tar.gz from the shared drive, made on Sam's Mac
            CLASSES = ["helmet", "head"]
            ann_files = sorted(f for f in os.listdir(os.path.join(DATA_DIR, "annotations")) if f.endswith(".xml"))
            print(len(ann_files), "annotation files")
            """,
            """
            dataset = []
            for f in ann_files:
                root = ET.parse(os.path.join(DATA_DIR, "annotations", f)).getroot()
                boxes = [[int(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                         + [CLASSES.index(o.find("name").text)] for o in root.findall("object")]
                dataset.append((os.path.join(DATA_DIR, "images", root.find("filename").text), np.array(boxes)))
            print(len(dataset), "images,", sum(len(b) for _, b in dataset), "boxes")
            """,
        ], data=mac_tarball),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more50-network-input-depth-read-from-first-voc-xml-grey-calibration-chart-k3",
        cause="model.input_shape",
        also=("data.image_channels",),
        exception="ValueError",
        setup=warehouse,
        expect="is incompatible with the layer",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers, ops
        from PIL import Image

        DATA_DIR = "{DATA}/forklift/train"
        CLASSES = ["forklift", "person", "pallet"]
        STRIDE = 16
        xml_files = sorted(glob.glob(os.path.join(DATA_DIR, "annotations", "*.xml")))

        # take the network input from the annotations so the config always matches the camera
        size = ET.parse(xml_files[0]).getroot().find("size")
        IMG_W, IMG_H, DEPTH = (int(size.find(k).text) for k in ("width", "height", "depth"))
        GH, GW = IMG_H // STRIDE, IMG_W // STRIDE
        print(f"{len(xml_files)} annotations, network input {IMG_H} x {IMG_W} x {DEPTH}, grid {GH} x {GW}")


        class ForkliftBatches(keras.utils.Sequence):
            def __init__(self, xml_files, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                xs, ys = [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    xs.append(np.asarray(img.resize((IMG_W, IMG_H)), "float32") / 255.0)
                    y = np.zeros((GH, GW, 5 + len(CLASSES)), "float32")
                    for obj in root.iter("object"):
                        bb = obj.find("bndbox")
                        x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                        cx, cy = (x1 + x2) / 2 / STRIDE, (y1 + y2) / 2 / STRIDE
                        gi, gj = int(cx), int(cy)
                        y[gj, gi, :5] = [cx - gi, cy - gj, (x2 - x1) / IMG_W, (y2 - y1) / IMG_H, 1.0]
                        y[gj, gi, 5 + CLASSES.index(obj.find("name").text)] = 1.0
                    ys.append(y)
                return np.stack(xs), np.stack(ys)


        inputs = keras.Input((IMG_H, IMG_W, DEPTH))
        x = inputs
        for f in (16, 32, 64, 128):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
            x = layers.MaxPooling2D()(x)
        outputs = layers.Conv2D(5 + len(CLASSES), 1)(x)
        model = keras.Model(inputs, outputs, name="forklift_detector")


        def grid_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            box = ops.sum(obj * ops.square(y_true[..., :4] - ops.sigmoid(y_pred[..., :4])))
            conf = ops.sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True))
            cls = ops.sum(obj[..., 0] * keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:],
                                                                              from_logits=True))
            return (5.0 * box + conf + cls) / ops.cast(ops.shape(y_true)[0], "float32")


        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=grid_loss)
        model.fit(ForkliftBatches(xml_files), epochs=40, verbose=2)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more50-three-scale-yolo-outputs-stride-8-first-targets-keras-yolo3-13-26-52-order-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=hardhat(n=8, seed=5014),
        pty=True,
        expect="Dimensions must be equal",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers, ops
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG = 416
        N = 5 + len(CLASSES)
        ANCHORS = np.array([[10, 13], [16, 30], [33, 23], [30, 61], [62, 45], [59, 119], [116, 90], [156, 198],
                            [373, 326]], "float32")
        MASKS = [[6, 7, 8], [3, 4, 5], [0, 1, 2]]          # as in keras-yolo3: the 13 x 13 level first
        GRIDS = [IMG // 32, IMG // 16, IMG // 8]


        def encode(objects, w, h):
            ys = [np.zeros((g, g, 3, N), "float32") for g in GRIDS]
            for c, x1, y1, x2, y2 in objects:
                bw, bh = (x2 - x1) / w * IMG, (y2 - y1) / h * IMG
                inter = np.minimum(ANCHORS[:, 0], bw) * np.minimum(ANCHORS[:, 1], bh)
                best = int(np.argmax(inter / (bw * bh + ANCHORS.prod(axis=1) - inter)))
                for level, mask in enumerate(MASKS):
                    if best in mask:
                        g, k = GRIDS[level], mask.index(best)
                        cx, cy = (x1 + x2) / 2 / w, (y1 + y2) / 2 / h
                        gi, gj = int(cx * g), int(cy * g)
                        ys[level][gj, gi, k, :5] = [cx, cy, (x2 - x1) / w, (y2 - y1) / h, 1.0]
                        ys[level][gj, gi, k, 5 + c] = 1.0
            return ys


        class YoloBatches(keras.utils.Sequence):
            def __init__(self, xml_files, batch_size=2, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                xs, y13, y26, y52 = [], [], [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    xs.append(np.asarray(img.resize((IMG, IMG)), "float32") / 255.0)
                    objects = [[CLASSES.index(o.find("name").text)]
                               + [float(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                               for o in root.iter("object")]
                    a, b, c = encode(objects, w, h)
                    y13.append(a), y26.append(b), y52.append(c)
                return np.stack(xs), (np.stack(y13), np.stack(y26), np.stack(y52))


        def conv(x, filters, kernel=3, strides=1):
            x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            return layers.LeakyReLU(0.1)(x)


        inputs = keras.Input((IMG, IMG, 3))
        x = conv(inputs, 16)
        x = conv(x, 32, strides=2)
        x = conv(x, 32, strides=2)
        c3 = conv(x, 64, strides=2)            # stride 8
        c4 = conv(c3, 96, strides=2)           # stride 16
        c5 = conv(c4, 128, strides=2)          # stride 32
        p5 = conv(c5, 128, 1)
        p4 = conv(layers.Concatenate()([layers.UpSampling2D()(conv(p5, 64, 1)), c4]), 96)
        p3 = conv(layers.Concatenate()([layers.UpSampling2D()(conv(p4, 48, 1)), c3]), 64)


        def head(p, name):
            y = layers.Conv2D(3 * N, 1)(p)
            return layers.Reshape((p.shape[1], p.shape[2], 3, N), name=name)(y)


        outputs = [head(p, f"yolo_{i}") for i, p in enumerate((p3, p4, p5))]
        model = keras.Model(inputs, outputs, name="yolo3_tiny_fpn")


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            xy = ops.sum(obj * ops.square(y_true[..., :2] - ops.sigmoid(y_pred[..., :2])))
            conf = ops.sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True))
            cls = ops.sum(obj[..., 0] * keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:],
                                                                              from_logits=True))
            return xy + conf + cls


        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=[yolo_loss, yolo_loss, yolo_loss])
        model.fit(YoloBatches(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))), epochs=50)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more50-nb-ssd300-vgg-base-with-fc6-fc7-convs-loads-keras-vgg16-notop-h5-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="mismatch",
        **notebook([
            """
            import os

            import keras
            from keras import layers, ops

            WEIGHTS = "{DATA}/weights/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
            CLASSES = ["helmet", "head"]
            print(f"{os.path.getsize(WEIGHTS) / 2**20:.1f} MB")
            """,
            """
            def ssd300(num_classes, anchors_per_cell=(4, 6, 6, 4)):
                inputs = keras.Input((300, 300, 3))
                x = inputs
                sources = []
                for block, (n, filters) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], start=1):
                    for i in range(1, n + 1):
                        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{block}_conv{i}")(x)
                    if block == 4:
                        sources.append(x)                                            # conv4_3: 38 x 38
                    if block < 5:
                        x = layers.MaxPooling2D(2, padding="same", name=f"block{block}_pool")(x)
                    else:
                        x = layers.MaxPooling2D(3, strides=1, padding="same", name="block5_pool")(x)
                # fc6 / fc7 of VGG turned into (dilated) convolutions, as in the SSD paper
                x = layers.Conv2D(1024, 3, dilation_rate=6, padding="same", activation="relu", name="fc6")(x)
                x = layers.Conv2D(1024, 1, activation="relu", name="fc7")(x)
                sources.append(x)                                                    # 19 x 19
                x = layers.Conv2D(256, 1, activation="relu", name="conv6_1")(x)
                x = layers.Conv2D(512, 3, strides=2, padding="same", activation="relu", name="conv6_2")(x)
                sources.append(x)                                                    # 10 x 10
                x = layers.Conv2D(128, 1, activation="relu", name="conv7_1")(x)
                x = layers.Conv2D(256, 3, strides=2, padding="same", activation="relu", name="conv7_2")(x)
                sources.append(x)                                                    # 5 x 5
                locs, confs = [], []
                for k, (src, n) in enumerate(zip(sources, anchors_per_cell)):
                    locs.append(layers.Reshape((-1, 4))(layers.Conv2D(n * 4, 3, padding="same", name=f"loc_{k}")(src)))
                    confs.append(layers.Reshape((-1, num_classes + 1))(
                        layers.Conv2D(n * (num_classes + 1), 3, padding="same", name=f"conf_{k}")(src)))
                loc = layers.Concatenate(axis=1, name="loc")(locs)
                conf = layers.Softmax(name="conf")(layers.Concatenate(axis=1)(confs))
                return keras.Model(inputs, [loc, conf], name="ssd300")


            model = ssd300(len(CLASSES))
            print(model.count_params(), "parameters")
            """,
            """
            # ImageNet VGG16 (no top) as the backbone, downloaded from the keras-applications release page
            model.load_weights(WEIGHTS)
            """,
        ], data=vgg16_notop),
    ),
    Case(
        name="keras-more50-nb-idenprof-head-sized-from-imageai2-model-class-json-six-folders-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        expect="outside the valid range",
        **notebook([
            """
            import json

            import keras
            from keras import layers
            """,
            """
            # the class map ImageAI 2's ClassificationModelTrainer wrote for the IdenProf project
            with open("{DATA}/imageai_idenprof/models/json/model_class.json") as f:
                class_map = json.load(f)
            NUM_CLASSES = len(class_map)
            print(NUM_CLASSES, list(class_map.values()))
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/idenprof/train", image_size=(224, 224), batch_size=8, seed=21)
            """,
            """
            base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), include_top=False, weights=None,
                                                  pooling="avg")
            inputs = keras.Input((224, 224, 3))
            x = layers.RandomFlip("horizontal")(inputs)
            x = layers.Rescaling(1.0 / 127.5, offset=-1)(x)
            x = base(x)
            x = layers.Dropout(0.2)(x)
            outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            """,
            """
            history = model.fit(train_ds, epochs=20, callbacks=[
                keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.2, patience=3),
                keras.callbacks.ModelCheckpoint("idenprof_best.keras", monitor="accuracy", save_best_only=True),
            ])
            """,
        ], data=idenprof),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more50-tf-data-map-elementtree-parse-on-symbolic-xml-path-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=hardhat(n=8, seed=5015),
        expect="not SymbolicTensor",
        code="""
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG = 416
        MAX_BOXES = 20


        def parse_voc(xml_path):
            root = ET.parse(xml_path).getroot()
            w = float(root.find("size/width").text)
            h = float(root.find("size/height").text)
            boxes = []
            for obj in root.findall("object"):
                bb = obj.find("bndbox")
                boxes.append([float(bb.find("xmin").text) / w, float(bb.find("ymin").text) / h,
                              float(bb.find("xmax").text) / w, float(bb.find("ymax").text) / h,
                              CLASSES.index(obj.find("name").text)])
            image = tf.io.decode_jpeg(tf.io.read_file(DATA_DIR + "/images/" + root.find("filename").text), channels=3)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            return image, tf.constant(boxes, tf.float32)


        xml_ds = tf.data.Dataset.list_files(DATA_DIR + "/annotations/*.xml", shuffle=True, seed=3)
        train_ds = (xml_ds.map(parse_voc, num_parallel_calls=tf.data.AUTOTUNE)
                    .padded_batch(8, padded_shapes=([IMG, IMG, 3], [MAX_BOXES, 5]), padding_values=(0.0, -1.0))
                    .prefetch(tf.data.AUTOTUNE))

        for images, boxes in train_ds.take(1):
            print(images.shape, boxes.shape)
        """,
    ),
    Case(
        name="keras-more50-nb-imagedatagenerator-flow-given-class-and-box-target-list-two-output-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        expect="inhomogeneous",
        **notebook([
            """
            import glob
            import os
            import xml.etree.ElementTree as ET

            import numpy as np
            import keras
            from keras import layers
            from PIL import Image
            from tensorflow.keras.preprocessing.image import ImageDataGenerator

            DATA_DIR = "{DATA}/hardhat/train"
            CLASSES = ["helmet", "head"]
            IMG = 224
            """,
            """
            # one object per photo (the largest): class + normalised box
            x_train, y_cls, y_box = [], [], []
            for xml_path in sorted(glob.glob(os.path.join(DATA_DIR, "annotations", "*.xml"))):
                root = ET.parse(xml_path).getroot()
                w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                objs = [(o.find("name").text, [int(o.find("bndbox").find(k).text)
                                               for k in ("xmin", "ymin", "xmax", "ymax")])
                        for o in root.findall("object")]
                name, (x1, y1, x2, y2) = max(objs, key=lambda o: (o[1][2] - o[1][0]) * (o[1][3] - o[1][1]))
                img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                x_train.append(np.asarray(img.resize((IMG, IMG)), "float32"))
                y_cls.append(CLASSES.index(name))
                y_box.append([x1 / w, y1 / h, x2 / w, y2 / h])
            x_train, y_cls, y_box = np.stack(x_train), np.array(y_cls), np.array(y_box, "float32")
            print(x_train.shape, y_cls.shape, y_box.shape)
            """,
            """
            inputs = keras.Input((IMG, IMG, 3))
            h = inputs
            for f in (32, 64, 128):
                h = layers.Conv2D(f, 3, activation="relu")(h)
                h = layers.MaxPooling2D()(h)
            h = layers.Flatten()(h)
            h = layers.Dense(256, activation="relu")(h)
            cls_out = layers.Dense(len(CLASSES), activation="softmax", name="cls")(h)
            box_out = layers.Dense(4, activation="sigmoid", name="box")(h)
            model = keras.Model(inputs, [cls_out, box_out])
            model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 5.0])
            """,
            """
            # brightness only: flips and shifts would move the boxes
            datagen = ImageDataGenerator(rescale=1.0 / 255, brightness_range=(0.7, 1.3))
            train_gen = datagen.flow(x_train, [y_cls, y_box], batch_size=8)
            model.fit(train_gen, epochs=30)
            """,
        ], data=hardhat(n=16, seed=5016, size=(320, 240))),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more50-yolo-objectness-log-without-epsilon-raw-pixels-sgd-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=hardhat(n=16, seed=5017, size=(320, 240)),
        pty=True,
        expect="Tensor had",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG, GRID = 224, 7
        ANCHORS = [(0.6, 0.9), (1.4, 1.8)]
        @@ENCODER@@

        class VOCSequence(keras.utils.Sequence):
            def __init__(self, xml_files, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                xs, ys = [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    xs.append(np.asarray(img.resize((IMG, IMG)), "float32"))
                    objects = [[CLASSES.index(o.find("name").text)]
                               + [int(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                               for o in root.iter("object")]
                    ys.append(encode(objects, w, h, GRID, ANCHORS, len(CLASSES)))
                return np.stack(xs), np.stack(ys)


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4]
            p = tf.sigmoid(y_pred[..., 4])
            conf = -(obj * tf.math.log(p) + (1.0 - obj) * tf.math.log(1.0 - p))
            xy = obj[..., None] * tf.square(y_true[..., :2] - tf.sigmoid(y_pred[..., :2]))
            wh = obj[..., None] * tf.square(y_true[..., 2:4] - y_pred[..., 2:4])
            cls = obj * tf.nn.softmax_cross_entropy_with_logits(y_true[..., 5:], y_pred[..., 5:])
            loss = tf.reduce_sum(conf) + 5.0 * tf.reduce_sum(xy + wh) + tf.reduce_sum(cls)
            loss = loss / tf.cast(tf.shape(y_true)[0], tf.float32)
            return tf.debugging.check_numerics(loss, "yolo loss")


        inputs = keras.Input((IMG, IMG, 3))
        x = inputs
        for f in (16, 32, 64, 128, 256):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
            x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(len(ANCHORS) * (5 + len(CLASSES)), 1)(x)
        outputs = layers.Reshape((GRID, GRID, len(ANCHORS), 5 + len(CLASSES)))(x)
        model = keras.Model(inputs, outputs)

        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9), loss=yolo_loss)
        model.fit(VOCSequence(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))), epochs=30)
        """.replace("@@ENCODER@@", _indent(YOLO_ENCODER)),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more50-fgsm-augmented-train-step-second-tape-watch-accessed-variables-false-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=hardhat(n=12, seed=5018, size=(320, 240)),
        expect="No gradients provided",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG = 160
        EPS = 2.0 / 255

        images, boxes, classes = [], [], []
        for xml_path in sorted(glob.glob(os.path.join(DATA_DIR, "annotations", "*.xml"))):
            root = ET.parse(xml_path).getroot()
            w, h = int(root.find("size/width").text), int(root.find("size/height").text)
            obj = root.find("object")                                         # first object of each photo
            bb = [int(obj.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
            img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
            images.append(np.asarray(img.resize((IMG, IMG)), "float32") / 255.0)
            boxes.append([bb[0] / w, bb[1] / h, bb[2] / w, bb[3] / h])
            classes.append(CLASSES.index(obj.find("name").text))
        train_ds = (tf.data.Dataset.from_tensor_slices((np.stack(images), (np.array(boxes, "float32"),
                                                                           np.array(classes))))
                    .shuffle(64, seed=1).batch(4))

        inputs = keras.Input((IMG, IMG, 3))
        x = inputs
        for f in (32, 64, 128):
            x = layers.Conv2D(f, 3, activation="relu")(x)
            x = layers.MaxPooling2D()(x)
        x = layers.GlobalAveragePooling2D()(x)
        box_out = layers.Dense(4, activation="sigmoid")(x)
        cls_out = layers.Dense(len(CLASSES))(x)
        model = keras.Model(inputs, [box_out, cls_out])

        optimizer = keras.optimizers.Adam(1e-3)
        huber = keras.losses.Huber()
        xent = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


        def det_loss(targets, preds):
            return huber(targets[0], preds[0]) + xent(targets[1], preds[1])


        @tf.function
        def train_step(x, targets):
            # 1) adversarial copy of the batch (FGSM): gradient w.r.t. the pixels only
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch(x)
                loss = det_loss(targets, model(x, training=False))
            x_adv = tf.clip_by_value(x + EPS * tf.sign(tape.gradient(loss, x)), 0.0, 1.0)
            x_all = tf.concat([x, x_adv], axis=0)
            t_all = tuple(tf.concat([t, t], axis=0) for t in targets)
            # 2) update on clean + adversarial images
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                loss = det_loss(t_all, model(x_all, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(20):
            for x, targets in train_ds:
                loss = train_step(x, targets)
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more50-imagedatagenerator-featurewise-fit-on-memmap-npy-cache-24000-photos-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=npy_cache,
        as_limit=12 * 1024**3,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        # 224 px crops of every labelled object, cached by prepare_cache.py (too big to load: memory-mapped)
        x_train = np.load("{DATA}/cache/x_train_224.npy", mmap_mode="r")
        y_train = np.load("{DATA}/cache/y_train.npy")
        print(x_train.shape, x_train.dtype, f"{x_train.nbytes / 2**30:.1f} GiB on disk")

        datagen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                     horizontal_flip=True, validation_split=0.1)
        datagen.fit(x_train)                      # per-channel mean / std of the training set
        train_gen = datagen.flow(x_train, y_train, batch_size=32, subset="training")
        val_gen = datagen.flow(x_train, y_train, batch_size=32, subset="validation")

        base = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3),
                                           pooling="avg")
        model = keras.Sequential([keras.Input((224, 224, 3)), base, layers.Dense(5, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=val_gen, epochs=50)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more50-keras-yolo2-port-space-to-depth-x2-lambda-tf1-alias-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=hardhat(n=8, seed=5019),
        expect="space_to_depth",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras.layers import (BatchNormalization, Conv2D, Input, Lambda, LeakyReLU, MaxPooling2D,
                                  Reshape, concatenate)
        from keras.models import Model

        # ported from keras-yolo2 (frontend.py / backend.py), the code ImageAI's YOLO trainer came from
        LABELS = ["helmet", "head"]
        IMAGE_H, IMAGE_W = 416, 416
        GRID_H, GRID_W = 13, 13
        BOX = 5
        CLASS = len(LABELS)
        print(len(glob.glob(os.path.join("{DATA}/hardhat/train/annotations", "*.xml"))), "annotations")


        def space_to_depth_x2(x):
            return tf.space_to_depth(x, block_size=2)


        def conv_bn(x, filters, kernel, idx):
            x = Conv2D(filters, (kernel, kernel), strides=(1, 1), padding="same", name="conv_%d" % idx,
                       use_bias=False)(x)
            x = BatchNormalization(name="norm_%d" % idx)(x)
            return LeakyReLU(alpha=0.1)(x)


        input_image = Input(shape=(IMAGE_H, IMAGE_W, 3))
        x = conv_bn(input_image, 32, 3, 1)
        x = MaxPooling2D(pool_size=(2, 2))(x)
        x = conv_bn(x, 64, 3, 2)
        x = MaxPooling2D(pool_size=(2, 2))(x)
        x = conv_bn(x, 128, 3, 3)
        x = conv_bn(x, 64, 1, 4)
        x = conv_bn(x, 128, 3, 5)
        x = MaxPooling2D(pool_size=(2, 2))(x)
        x = conv_bn(x, 256, 3, 6)
        x = MaxPooling2D(pool_size=(2, 2))(x)
        x = conv_bn(x, 256, 3, 7)
        skip_connection = x
        x = MaxPooling2D(pool_size=(2, 2))(x)
        x = conv_bn(x, 512, 3, 8)
        x = conv_bn(x, 512, 3, 9)

        skip_connection = conv_bn(skip_connection, 64, 1, 10)
        # Keras 3 cannot infer the output shape of this Lambda by itself: 26 x 26 x 64 -> 13 x 13 x 256
        skip_connection = Lambda(space_to_depth_x2, output_shape=(13, 13, 256))(skip_connection)
        x = concatenate([skip_connection, x])
        x = conv_bn(x, 512, 3, 11)
        x = Conv2D(BOX * (4 + 1 + CLASS), (1, 1), strides=(1, 1), padding="same", name="conv_23")(x)
        output = Reshape((GRID_H, GRID_W, BOX, 4 + 1 + CLASS))(x)
        model = Model(input_image, output)
        model.summary()

        dummy = np.zeros((1, IMAGE_H, IMAGE_W, 3), "float32")
        print("output:", model.predict(dummy).shape)
        """,
    ),
    Case(
        name="keras-more50-keras-yolo3-custom-model-checkpoint-epochs-since-last-save-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=hardhat(n=8, seed=5020),
        pty=True,
        expect="epochs_since_last_save",
        code="""
        import glob
        import math
        import os
        import warnings
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers, ops
        from keras.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG, GRID = 416, 13
        ANCHORS = [(0.57, 0.68), (1.87, 2.06), (3.34, 5.47)]
        @@ENCODER@@

        class CustomModelCheckpoint(ModelCheckpoint):
            \"\"\" to save the template model, not the multi-GPU model (callbacks.py of keras-yolo3) \"\"\"
            def __init__(self, model_to_save, **kwargs):
                super(CustomModelCheckpoint, self).__init__(**kwargs)
                self.model_to_save = model_to_save

            def on_epoch_end(self, epoch, logs=None):
                logs = logs or {}
                self.epochs_since_last_save += 1
                if self.epochs_since_last_save >= self.period:
                    self.epochs_since_last_save = 0
                    filepath = self.filepath.format(epoch=epoch + 1, **logs)
                    if self.save_best_only:
                        current = logs.get(self.monitor)
                        if current is None:
                            warnings.warn('Can save best model only with %s available, '
                                          'skipping.' % (self.monitor), RuntimeWarning)
                        else:
                            if self.monitor_op(current, self.best):
                                if self.verbose > 0:
                                    print('\\nEpoch %05d: %s improved from %0.5f to %0.5f,'
                                          ' saving model to %s'
                                          % (epoch + 1, self.monitor, self.best, current, filepath))
                                self.best = current
                                if self.save_weights_only:
                                    self.model_to_save.save_weights(filepath, overwrite=True)
                                else:
                                    self.model_to_save.save(filepath, overwrite=True)
                            else:
                                if self.verbose > 0:
                                    print('\\nEpoch %05d: %s did not improve from %0.5f' %
                                          (epoch + 1, self.monitor, self.best))
                    else:
                        if self.verbose > 0:
                            print('\\nEpoch %05d: saving model to %s' % (epoch + 1, filepath))
                        if self.save_weights_only:
                            self.model_to_save.save_weights(filepath, overwrite=True)
                        else:
                            self.model_to_save.save(filepath, overwrite=True)


        class BatchGenerator(keras.utils.Sequence):
            def __init__(self, xml_files, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                xs, ys = [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    xs.append(np.asarray(img.resize((IMG, IMG)), "float32") / 255.0)
                    objects = [[CLASSES.index(o.find("name").text)]
                               + [int(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                               for o in root.iter("object")]
                    ys.append(encode(objects, w, h, GRID, ANCHORS, len(CLASSES)))
                return np.stack(xs), np.stack(ys)


        inputs = keras.Input((IMG, IMG, 3))
        x = inputs
        for f in (16, 32, 64, 128, 128):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
            x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(len(ANCHORS) * (5 + len(CLASSES)), 1)(x)
        template_model = keras.Model(inputs, layers.Reshape((GRID, GRID, len(ANCHORS), 5 + len(CLASSES)))(x))


        def yolo_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            box = ops.sum(obj * ops.square(y_true[..., :4] - ops.concatenate(
                [ops.sigmoid(y_pred[..., :2]), y_pred[..., 2:4]], axis=-1)))
            conf = ops.sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True))
            cls = ops.sum(obj[..., 0] * keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:],
                                                                              from_logits=True))
            return 5.0 * box + conf + cls


        template_model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=yolo_loss)

        early_stop = EarlyStopping(monitor="loss", min_delta=0.01, patience=5, mode="min", verbose=1)
        checkpoint = CustomModelCheckpoint(
            model_to_save=template_model,
            filepath="helmet_yolo.keras",
            monitor="loss",
            verbose=1,
            save_best_only=True,
            mode="min",
        )
        reduce_on_plateau = ReduceLROnPlateau(monitor="loss", factor=0.1, patience=2, verbose=1, mode="min",
                                              epsilon=0.01, cooldown=0, min_lr=0)
        template_model.fit(BatchGenerator(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))), epochs=100,
                           callbacks=[early_stop, checkpoint, reduce_on_plateau])
        """.replace("@@ENCODER@@", _indent(YOLO_ENCODER)),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more50-voc-npz-cache-builder-with-threading-lock-bound-method-process-pool-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=hardhat(n=12, seed=5021, size=(320, 240)),
        expect="cannot pickle '_thread.lock' object",
        code="""
        import math
        import os
        import threading
        import xml.etree.ElementTree as ET
        from concurrent.futures import ProcessPoolExecutor

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CACHE_DIR = "{DATA}/hardhat/cache_416"
        CLASSES = ["helmet", "head"]


        class VOCCacheBuilder:
            \"\"\"Decode + resize every photo once and keep image and boxes in one .npz per photo.\"\"\"

            def __init__(self, data_dir, cache_dir, size=416):
                self.data_dir, self.cache_dir, self.size = data_dir, cache_dir, size
                os.makedirs(cache_dir, exist_ok=True)
                self.lock = threading.Lock()          # the progress counter is shared by the workers
                self.done = 0

            def convert_one(self, xml_name):
                root = ET.parse(os.path.join(self.data_dir, "annotations", xml_name)).getroot()
                w, h = int(root.find("size/width").text), int(root.find("size/height").text)
                img = Image.open(os.path.join(self.data_dir, "images", root.find("filename").text)).convert("RGB")
                image = np.asarray(img.resize((self.size, self.size)), "uint8")
                boxes = np.array([[int(o.find("bndbox").find(k).text) / s
                                   for k, s in (("xmin", w), ("ymin", h), ("xmax", w), ("ymax", h))]
                                  + [CLASSES.index(o.find("name").text)] for o in root.findall("object")], "float32")
                out = os.path.join(self.cache_dir, xml_name.replace(".xml", ".npz"))
                np.savez(out, image=image, boxes=boxes)
                with self.lock:
                    self.done += 1
                    if self.done % 100 == 0:
                        print(self.done, "photos cached")
                return out

            def build(self, workers=4):
                xml_names = sorted(os.listdir(os.path.join(self.data_dir, "annotations")))
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    return list(pool.map(self.convert_one, xml_names, chunksize=4))


        class CachedBatches(keras.utils.Sequence):
            def __init__(self, files, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                data = [np.load(f) for f in self.files[idx * self.batch_size:(idx + 1) * self.batch_size]]
                x = np.stack([d["image"] for d in data]).astype("float32") / 255.0
                y = np.stack([d["boxes"][0, 4] for d in data]).astype("int64")   # image-level: first object
                return x, y


        if __name__ == "__main__":
            files = VOCCacheBuilder(DATA_DIR, CACHE_DIR).build()
            print(len(files), "cached")
            model = keras.Sequential([
                keras.Input((416, 416, 3)),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.Conv2D(32, 3, strides=2, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLASSES), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(CachedBatches(files), epochs=10)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more50-voc-helpers-module-named-xml-py-shadows-stdlib-tensorflow-import-k3",
        cause="other",
        also=("env.version_incompat",),
        exception="ModuleNotFoundError",
        setup=xml_helper_module,
        expect="'xml' is not a package",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        from xml import CLASSES, parse_voc        # our VOC helpers (xml.py next to this script)

        DATA_DIR = "{DATA}/hardhat/train"
        records = [parse_voc(p) for p in sorted(glob.glob(os.path.join(DATA_DIR, "annotations", "*.xml")))]
        print(len(records), "annotated photos")
        """,
    ),
    Case(
        name="keras-more50-pydataset-iterates-root-find-object-instead-of-findall-k3",
        cause="other",
        also=("data.missing_or_corrupt",),
        exception="AttributeError",
        setup=hardhat(n=12, seed=5022, size=(320, 240)),
        pty=True,
        expect="'NoneType' object has no attribute 'text'",
        code="""
        import glob
        import math
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        DATA_DIR = "{DATA}/hardhat/train"
        CLASSES = ["helmet", "head"]
        IMG = 224


        class HelmetCrops(keras.utils.PyDataset):
            \"\"\"Every annotated object cut out and resized: helmet vs bare head.\"\"\"

            def __init__(self, xml_files, batch_size=2, **kwargs):
                super().__init__(**kwargs)
                self.xml_files = xml_files
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.xml_files) / self.batch_size)

            def __getitem__(self, idx):
                crops, labels = [], []
                for xml_path in self.xml_files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    root = ET.parse(xml_path).getroot()
                    img = Image.open(os.path.join(DATA_DIR, "images", root.find("filename").text)).convert("RGB")
                    for obj in root.find("object"):
                        name = obj.find("name").text
                        bb = obj.find("bndbox")
                        box = [int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                        crops.append(np.asarray(img.crop(box).resize((IMG, IMG)), "float32") / 255.0)
                        labels.append(CLASSES.index(name))
                return np.stack(crops), np.array(labels)


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(HelmetCrops(sorted(glob.glob(f"{DATA_DIR}/annotations/*.xml"))), epochs=10)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
