"""Keras / TensorFlow 2 failures behind `Graph execution error` / `Detected at node`, seeded by
the causes an ImageAI article lists for TensorFlow's old `Function call stack: train_function`
error, met the way Keras / TF 2 users meet them today (model.fit on tf.data pipelines,
numpy_function / py_function loaders, custom train_step, small detectors with box targets):

- images of inconsistent size or channel count reaching a batch: random_crop on a second
  camera's smaller photos, multi-view stacks and RGB-D concatenation with a lower-resolution
  sensor, hue / saturation augmentation on RGBA cut-outs and grey scans (tf.image and
  Keras 3 augmentation layers), palette PNGs through a numpy_function loader;
- boxes negative, out of range, in the wrong order or in the wrong units: pixel boxes for
  sample_distorted_bounding_box, pixel centres in a YOLO grid encoder, a box starting above
  the frame, pseudo-label rows with an extra column, a right-to-left box cropped by PIL
  inside numpy_function, normalised boxes used as pixel offsets;
- class counts that do not fit the labels or the model: 0/255 masks, an MNIST head on
  twelve hand signs, VOC's void label reaching MeanIoU, a classes.txt shorter than the
  annotations, a head sized from the validation folder, class weights from a split that
  lacks a class;
- custom models whose output the loss cannot use: a dict of boxes and scores for a single
  loss, a stride-4 heatmap against full-size targets, an SSIM loss on a shrinking decoder,
  flattened segmentation logits, a box head fed to a YOLO grid loss;
- objects passed where a path belongs: decoded images into read_file, a ModelCheckpoint into
  load_weights, a model into TFLiteConverter.from_saved_model and load_model, a summary
  writer as TensorBoard's log_dir;
- learning rates that make the loss NaN, surfacing in assert_all_finite / check_numerics,
  in metrics (np.histogram in numpy_function, histogram_fixed_width, gather_nd on
  keypoints) and in a second-stage crop in tf.data;
- library calls out of order: one optimizer for two variable sets (Keras 3 and Keras 2.15),
  compile inside a strategy scope for a model built outside it, threading set after TF
  started, an optimizer created inside a tf.function, batch() before the decoding map.

Keras 3 (TF 2.21), tf_keras 2 under TF 2.21, TF 2.15 and TF 2.12 with their bundled Keras 2,
scripts and notebook cells run in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the
label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more30.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder and scored
before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def snack_photos(d: Path):
    """Snack photos at 72x72; the last three 'nuts' photos came from a second phone at 80x60."""
    r = _rng(101)
    for c in ("candy", "chips", "nuts"):
        for i in range(8):
            h, w = (60, 80) if (c == "nuts" and i >= 5) else (72, 72)
            _jpg(d / "snacks" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, (h, w, 3), dtype="uint8"))


def multiview_parts(d: Path):
    """Three views per part (front, side, top); part_006's top view was shot on a phone at 64x48."""
    r = _rng(102)
    rows = ["part,label"]
    for p in range(10):
        for v in ("front", "side", "top"):
            h, w = (48, 64) if (p == 6 and v == "top") else (64, 64)
            _png(d / "parts" / f"part_{p:03d}" / f"{v}.png", r.integers(0, 255, (h, w, 3), dtype="uint8"))
        rows.append(f"part_{p:03d},{p % 2}")
    (d / "parts" / "labels.csv").write_text("\n".join(rows) + "\n")


def rgbd_grasps(d: Path):
    """RGB frames at 64x64 and 16-bit depth maps from the depth sensor at its own 64x48."""
    import numpy as np
    r = _rng(103)
    rows = ["frame,success"]
    for i in range(16):
        _png(d / "grasps" / "rgb" / f"{i:04d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        depth = r.integers(300, 1500, (48, 64)).astype(np.uint16)
        path = d / "grasps" / "depth" / f"{i:04d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        from PIL import Image
        Image.fromarray(depth).save(path)
        rows.append(f"{i:04d},{i % 2}")
    (d / "grasps" / "labels.csv").write_text("\n".join(rows) + "\n")


def product_cutouts(d: Path):
    """Product photos; the ones run through the background remover were saved as RGBA."""
    import numpy as np
    r = _rng(104)
    for c in ("mug", "bottle", "bowl"):
        for i in range(8):
            arr = r.integers(0, 255, (64, 64, 3), dtype="uint8")
            if i in (2, 6):
                arr = np.concatenate([arr, np.full((64, 64, 1), 255, "uint8")], -1)
            _png(d / "products" / c / f"{c}_{i:03d}.png", arr)


def radar_frames(d: Path):
    """Weather radar frames; the 2019 archive saved them as palette (indexed colour) PNGs."""
    from PIL import Image
    r = _rng(105)
    rows = ["file,rain"]
    for i in range(24):
        arr = r.integers(0, 255, (64, 64, 3), dtype="uint8")
        p = d / "radar" / f"frame_{i:04d}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        img = Image.fromarray(arr)
        if i >= 15:
            img = img.convert("P", palette=Image.ADAPTIVE, colors=16)
        img.save(p)
        rows.append(f"frame_{i:04d}.png,{i % 2}")
    (d / "radar" / "labels.csv").write_text("\n".join(rows) + "\n")


def grey_doc_scans(d: Path):
    """Document photos scanned in greyscale, one folder per document type."""
    make_images(d / "docs", ["invoice", "letter", "receipt"], per_class=8, size=(64, 64), mode="L", fmt="png",
                seed=106)


def dog_pixel_boxes(d: Path):
    """Dog photos (120x160) with one box per photo as [ymin, xmin, ymax, xmax] in pixels."""
    r = _rng(107)
    rows = ["file,ymin,xmin,ymax,xmax,breed"]
    for i in range(16):
        _jpg(d / "dogs" / f"dog_{i:03d}.jpg", r.integers(0, 255, (120, 160, 3), dtype="uint8"))
        y1, x1 = int(r.integers(5, 50)), int(r.integers(5, 70))
        rows.append(f"dog_{i:03d}.jpg,{y1},{x1},{y1 + 50},{x1 + 60},{i % 3}")
    (d / "dogs" / "boxes.csv").write_text("\n".join(rows) + "\n")


def voc_pixel_objects(d: Path):
    """Traffic-sign photos (96x128) with VOC XML boxes in pixels."""
    r = _rng(108)
    names = ["stop", "yield", "speed"]
    for i in range(12):
        _jpg(d / "signs" / "images" / f"img_{i:03d}.jpg", r.integers(0, 255, (96, 128, 3), dtype="uint8"))
        objs = ""
        for k in range(2):
            x1, y1 = 10 + 30 * k + i, 12 + 20 * k
            objs += (f"<object><name>{names[(i + k) % 3]}</name><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                     f"<xmax>{x1 + 28}</xmax><ymax>{y1 + 30}</ymax></bndbox></object>")
        (d / "signs" / "annotations").mkdir(parents=True, exist_ok=True)
        (d / "signs" / "annotations" / f"img_{i:03d}.xml").write_text(
            f"<annotation><filename>img_{i:03d}.jpg</filename><size><width>128</width><height>96</height>"
            f"<depth>3</depth></size>{objs}</annotation>")


def pedestrian_boxes(d: Path):
    """Street frames (96x128) with pedestrian boxes; a tall person is cut off by the top edge."""
    r = _rng(109)
    rows = ["frame,x1,y1,x2,y2,label"]
    for i in range(14):
        _png(d / "street" / f"frame_{i:03d}.png", r.integers(0, 255, (96, 128, 3), dtype="uint8"))
        x1, y1 = 20 + 3 * i, 20 + i
        y2 = y1 + 50
        if i == 5:
            y1, y2 = -6, 40
        rows.append(f"frame_{i:03d}.png,{x1},{y1},{x1 + 24},{y2},{i % 2}")
    (d / "street" / "boxes.csv").write_text("\n".join(rows) + "\n")


def yolo_txt_with_pseudo(d: Path):
    """YOLO txt labels; the files added by the teacher model have a sixth (confidence) column."""
    r = _rng(110)
    for i in range(12):
        _jpg(d / "fruit" / "images" / f"img_{i:03d}.jpg", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        lines = []
        for k in range(3):
            cx, cy = 0.2 + 0.25 * k, 0.3 + 0.02 * i
            line = f"{k % 2} {cx:.4f} {cy:.4f} 0.1500 0.2000"
            if i >= 8:
                line += f" {0.9 - 0.05 * k:.3f}"
            lines.append(line)
        (d / "fruit" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "fruit" / "labels" / f"img_{i:03d}.txt").write_text("\n".join(lines) + "\n")


def shelf_gaps(d: Path):
    """Shelf photos with boxes [x1, y1, x2, y2] of empty shelf gaps; one box drawn right to left."""
    r = _rng(111)
    rows = ["file,x1,y1,x2,y2,kind"]
    for i in range(16):
        _png(d / "shelves" / f"shelf_{i:03d}.png", r.integers(0, 255, (80, 120, 3), dtype="uint8"))
        x1, y1, x2, y2 = 10 + 2 * i, 15, 60 + 2 * i, 55
        if i == 10:
            x1, x2 = x2, x1
        rows.append(f"shelf_{i:03d}.png,{x1},{y1},{x2},{y2},{i % 2}")
    (d / "shelves" / "gaps.csv").write_text("\n".join(rows) + "\n")


def roboflow_normalised(d: Path):
    """A Roboflow CSV export of bird boxes (already normalised to 0..1)."""
    r = _rng(112)
    rows = ["filename,width,height,class,xmin,ymin,xmax,ymax"]
    for i in range(12):
        _jpg(d / "birds" / f"bird_{i:03d}.jpg", r.integers(0, 255, (96, 96, 3), dtype="uint8"))
        x1, y1 = 0.1 + 0.02 * i, 0.15
        rows.append(f"bird_{i:03d}.jpg,96,96,{['finch', 'robin'][i % 2]},{x1:.3f},{y1:.3f},{x1 + 0.5:.3f},{y1 + 0.6:.3f}")
    (d / "birds" / "_annotations.csv").write_text("\n".join(rows) + "\n")


def binary_masks_255(d: Path):
    """Crack images with binary masks saved by the annotation tool as 0 / 255."""
    import numpy as np
    r = _rng(113)
    for i in range(12):
        _png(d / "cracks" / "images" / f"c_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        m = (r.random((64, 64)) > 0.8).astype(np.uint8) * 255
        _png(d / "cracks" / "masks" / f"c_{i:03d}.png", m)


def hand_signs(d: Path):
    """Hand-sign photos for the digits 0..11 ('10' and '11' are the extra signs)."""
    make_images(d / "signs", [str(i) for i in range(12)], per_class=3, size=(32, 32), fmt="png", seed=114)


def voc_void_masks(d: Path):
    """VOC-style masks: classes 0..2 and 255 (void) on object borders."""
    import numpy as np
    r = _rng(115)
    for i in range(10):
        _png(d / "voc" / "JPEGImages" / f"{i:04d}.png", r.integers(0, 255, (48, 48, 3), dtype="uint8"))
        m = r.integers(0, 3, (48, 48)).astype(np.uint8)
        m[20:22, :] = 255
        _png(d / "voc" / "SegmentationClass" / f"{i:04d}.png", m)


def centernet_objects(d: Path):
    """Warehouse frames with normalised boxes and class ids; class 3 ('forklift') was added
    to the annotations after classes.txt was written."""
    import json
    r = _rng(116)
    (d / "warehouse").mkdir(parents=True, exist_ok=True)
    (d / "warehouse" / "classes.txt").write_text("pallet\nbox\nperson\n")
    ann = {}
    for i in range(12):
        _png(d / "warehouse" / f"f_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        objs = [[0.2 + 0.05 * k, 0.3, 0.4 + 0.05 * k, 0.6, k % 3] for k in range(2)]
        if i % 4 == 3:
            objs.append([0.6, 0.5, 0.9, 0.9, 3])
        ann[f"f_{i:03d}.png"] = objs
    (d / "warehouse" / "boxes.json").write_text(json.dumps(ann))


def flowers_train_val(d: Path):
    """Train has five flower classes; the validation folder was only filled for four."""
    make_images(d / "flowers" / "train", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=4,
                size=(40, 40), fmt="jpeg", seed=117)
    make_images(d / "flowers" / "val", ["daisy", "dandelion", "roses", "sunflowers"], per_class=2,
                size=(40, 40), fmt="jpeg", seed=118)


def insect_splits(d: Path):
    """Insect photos labelled 0..5; species 5 is rare and missing from the first split."""
    import numpy as np
    r = _rng(119)
    np.savez(d / "insects.npz", x=r.integers(0, 255, (72, 32, 32, 3), dtype=np.uint8),
             y=np.array([i % 5 for i in range(36)] + [i % 6 for i in range(36)]))


def cat_keypoints(d: Path):
    import numpy as np
    r = _rng(120)
    np.savez(d / "cat_faces.npz", x=r.integers(0, 255, (64, 32, 32, 3)).astype("uint8"),
             kp=r.uniform(4, 28, (64, 3, 2)).astype("float32"))


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(40, 40), fmt="jpeg", seed=121)


def cars_regress(d: Path):
    """Parking-lot frames with one car box per frame in pixels [x1, y1, x2, y2]."""
    import numpy as np
    r = _rng(122)
    x1 = r.uniform(0, 30, (64, 1))
    y1 = r.uniform(0, 30, (64, 1))
    np.savez(d / "parking.npz", x=r.integers(0, 255, (64, 64, 64, 3)).astype("uint8"),
             boxes=np.concatenate([x1, y1, x1 + 30, y1 + 30], 1).astype("float32"))


CASES = [
    # ============================================================ 1. image size / channels
    Case(
        name="keras-more30-random-crop-augment-second-phone-smaller-photos-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=snack_photos,
        expect="Need value.shape >= size",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["candy", "chips", "nuts"]
        CROP = 64          # photos are 72x72: a random 64x64 crop is the augmentation


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.random_crop(img, (CROP, CROP, 3))
            img = tf.image.random_flip_left_right(img)
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return tf.cast(img, tf.float32) / 255.0, label


        train_ds = (tf.data.Dataset.list_files("{DATA}/snacks/*/*.jpg", shuffle=True, seed=2)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-multiview-stack-one-phone-top-view-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=multiview_parts,
        expect="Shapes of all inputs must match",
        code="""
        import csv

        import tensorflow as tf

        ROOT = "{DATA}/parts"
        VIEWS = ["front", "side", "top"]
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        parts = [f"{ROOT}/" + r["part"] for r in rows]
        labels = [float(r["label"]) for r in rows]


        def load_views(part_dir, label):
            views = []
            for v in VIEWS:
                img = tf.io.decode_png(tf.io.read_file(part_dir + "/" + v + ".png"), channels=3)
                views.append(tf.image.convert_image_dtype(img, tf.float32))
            return tf.stack(views), label          # (3, H, W, 3): one sample = all views of a part


        ds = tf.data.Dataset.from_tensor_slices((parts, labels)).map(load_views).batch(4)

        view_in = tf.keras.Input((3, 64, 64, 3))
        encoder = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
        ])
        per_view = tf.keras.layers.TimeDistributed(encoder)(view_in)
        pooled = tf.keras.layers.GlobalMaxPooling1D()(per_view)        # view pooling (MVCNN)
        out = tf.keras.layers.Dense(1, activation="sigmoid")(pooled)
        model = tf.keras.Model(view_in, out)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-rgbd-concat-depth-sensor-resolution-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=rgbd_grasps,
        expect="ConcatOp : Dimension 0 in both shapes must be equal",
        code="""
        import csv

        import tensorflow as tf

        ROOT = "{DATA}/grasps"
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        frames = [r["frame"] for r in rows]
        success = [float(r["success"]) for r in rows]


        def load_rgbd(frame, label):
            rgb = tf.io.decode_png(tf.io.read_file(ROOT + "/rgb/" + frame + ".png"), channels=3)
            rgb = tf.cast(rgb, tf.float32) / 255.0
            depth = tf.io.decode_png(tf.io.read_file(ROOT + "/depth/" + frame + ".png"), dtype=tf.uint16)
            depth = tf.cast(depth, tf.float32) / 1000.0              # millimetres -> metres
            rgbd = tf.concat([rgb, depth], axis=-1)                   # 4-channel RGB-D input
            return rgbd, label


        ds = tf.data.Dataset.from_tensor_slices((frames, success)).shuffle(16, seed=0).map(load_rgbd).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 5, strides=2, activation="relu", input_shape=(64, 64, 4)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-random-hue-on-background-removed-rgba-cutouts-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=product_cutouts,
        expect="input must have 3 channels but instead has 4 channels",
        code="""
        import tensorflow as tf

        CLASSES = ["bottle", "bowl", "mug"]


        def load(path):
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
            img = tf.image.convert_image_dtype(img, tf.float32)
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label


        def augment(img, label):
            img = tf.image.random_hue(img, 0.08)
            img = tf.image.random_brightness(img, 0.2)
            img = tf.image.random_flip_left_right(img)
            return tf.clip_by_value(img, 0.0, 1.0), label


        train_ds = (tf.data.Dataset.list_files("{DATA}/products/*/*.png", shuffle=True, seed=1)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-numpy-function-pil-loader-palette-radar-png-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=radar_frames,
        expect="EnsureShape",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/radar"
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        paths = [f"{ROOT}/" + r["file"] for r in rows]
        rain = np.array([float(r["rain"]) for r in rows], np.float32)


        def pil_load(path):
            img = Image.open(path.decode()).resize((64, 64))
            return np.asarray(img, np.float32) / 255.0


        def load(path, label):
            img = tf.numpy_function(pil_load, [path], tf.float32)
            img = tf.ensure_shape(img, (64, 64, 3))
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, rain))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-keras3-color-augmentation-layers-grey-scans-k3",
        cause="data.image_channels",
        exception="FailedPreconditionError",
        env="k3",
        setup=grey_doc_scans,
        expect="input must have 3 channels",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["invoice", "letter", "receipt"]

        augment = keras.Sequential([
            layers.RandomRotation(0.03),
            layers.RandomZoom(0.1),
            layers.RandomSaturation(0.2),        # phone photos of documents vary in colour cast
            layers.RandomBrightness(0.2, value_range=(0.0, 1.0)),
        ], name="augment")


        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path))
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return tf.image.convert_image_dtype(img, tf.float32), label


        train_ds = (tf.data.Dataset.list_files("{DATA}/docs/*/*.png", shuffle=True, seed=0)
                    .map(load)
                    .batch(8)
                    .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ 2. boxes
    Case(
        name="keras-more30-sample-distorted-bounding-box-pixel-boxes-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=dog_pixel_boxes,
        expect="All bounding box coordinates must be in [0.0, 1.0]",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/dogs/boxes.csv")))
        paths = ["{DATA}/dogs/" + r["file"] for r in rows]
        boxes = np.array([[float(r[k]) for k in ("ymin", "xmin", "ymax", "xmax")] for r in rows], np.float32)
        breeds = np.array([int(r["breed"]) for r in rows])


        def distorted_crop(path, box, label):
            # Inception-style crop that keeps at least half of the dog
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            begin, size, _ = tf.image.sample_distorted_bounding_box(
                tf.shape(img), bounding_boxes=tf.reshape(box, [1, 1, 4]),
                min_object_covered=0.5, aspect_ratio_range=(0.75, 1.33), area_range=(0.2, 1.0),
                use_image_if_no_bounding_boxes=True)
            crop = tf.slice(img, begin, size)
            crop = tf.image.resize(crop, (64, 64)) / 255.0
            return crop, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, breeds))
              .shuffle(16, seed=0)
              .map(distorted_crop, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-yolo-grid-encoder-voc-pixel-centres-scatter-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=voc_pixel_objects,
        expect="does not index into shape",
        code="""
        import glob
        import xml.etree.ElementTree as ET

        import tensorflow as tf

        S, C = 7, 3
        CLASSES = ["stop", "yield", "speed"]
        images, boxes = [], []
        for xml in sorted(glob.glob("{DATA}/signs/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            images.append("{DATA}/signs/images/" + root.find("filename").text)
            objs = []
            for o in root.findall("object"):
                b = o.find("bndbox")
                x1, y1, x2, y2 = (float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                # YOLO format: centre x, centre y, width, height, class
                objs.append([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, CLASSES.index(o.find("name").text)])
            boxes.append(objs)


        def encode(b):
            cx, cy, w, h, cls = tf.unstack(b, axis=1)
            gx = tf.cast(tf.floor(cx * S), tf.int32)
            gy = tf.cast(tf.floor(cy * S), tf.int32)
            cell = tf.stack([cx * S - tf.cast(gx, tf.float32), cy * S - tf.cast(gy, tf.float32), w, h,
                             tf.ones_like(w)], axis=1)
            updates = tf.concat([cell, tf.one_hot(tf.cast(cls, tf.int32), C)], axis=1)
            return tf.tensor_scatter_nd_update(tf.zeros([S, S, 5 + C]), tf.stack([gy, gx], axis=1), updates)


        def load(path, b):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (112, 112)) / 255.0
            return img, encode(b)


        ds = (tf.data.Dataset.from_tensor_slices((images, tf.constant(boxes, tf.float32)))
              .map(load).batch(4))

        inp = tf.keras.Input((112, 112, 3))
        h = inp
        for f in (16, 32, 32, 64):
            h = tf.keras.layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
        h = tf.keras.layers.Resizing(S, S)(h)
        out = tf.keras.layers.Conv2D(5 + C, 1)(h)
        yolo = tf.keras.Model(inp, out)
        yolo.compile(optimizer="adam", loss="mse")
        yolo.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-pedestrian-box-above-frame-slice-empty-crop-tfk2",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pedestrian_boxes,
        expect="input image must be of non-zero size",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/street/boxes.csv")))
        paths = ["{DATA}/street/" + r["frame"] for r in rows]
        boxes = np.array([[int(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.int32)
        labels = np.array([int(r["label"]) for r in rows], np.float32)


        def crop_person(path, box, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            x1, y1, x2, y2 = box[0], box[1], box[2], box[3]
            person = img[y1:y2, x1:x2]
            person = tf.image.resize(person, (64, 32))          # pedestrian crops are 2:1
            return person / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, labels))
              .map(crop_person)
              .batch(4))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 32, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-yolo-txt-pseudo-label-confidence-column-reshape-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=yolo_txt_with_pseudo,
        expect="requested shape requires a multiple of 5",
        code="""
        import tensorflow as tf

        MAX_BOXES = 5
        images = sorted(tf.io.gfile.glob("{DATA}/fruit/images/*.jpg"))
        labels = [p.replace("/images/", "/labels/").replace(".jpg", ".txt") for p in images]


        def read_yolo_txt(path):
            text = tf.strings.strip(tf.io.read_file(path))
            values = tf.strings.to_number(tf.strings.split(text), tf.float32)
            rows = tf.reshape(values, [-1, 5])                       # class cx cy w h
            rows = rows[:MAX_BOXES]
            return tf.pad(rows, [[0, MAX_BOXES - tf.shape(rows)[0]], [0, 0]])


        def load(img_path, txt_path):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3), tf.float32)
            return img, read_yolo_txt(txt_path)


        ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(load).batch(4)

        inp = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        out = tf.keras.layers.Reshape((MAX_BOXES, 5))(tf.keras.layers.Dense(MAX_BOXES * 5)(h))
        model = tf.keras.Model(inp, out)
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-numpy-function-pil-crop-right-to-left-gap-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=shelf_gaps,
        expect="Coordinate 'right' is less than 'left'",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/shelves/gaps.csv")))
        paths = ["{DATA}/shelves/" + r["file"] for r in rows]
        boxes = np.array([[int(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.int32)
        kinds = np.array([int(r["kind"]) for r in rows], np.int64)


        def pil_crop(path, box):
            img = Image.open(path.decode()).convert("RGB")
            gap = img.crop(tuple(int(v) for v in box)).resize((48, 32))
            return np.asarray(gap, np.float32) / 255.0


        def load(path, box, kind):
            gap = tf.numpy_function(pil_crop, [path, box], tf.float32)
            gap.set_shape((32, 48, 3))
            return gap, kind


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, kinds))
              .map(load, num_parallel_calls=2)
              .batch(4))

        model = keras.Sequential([
            keras.Input((32, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-roboflow-normalised-boxes-as-pixel-crop-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=roboflow_normalised,
        expect="must be > 0",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/birds/_annotations.csv")))
        CLASSES = sorted({r["class"] for r in rows})
        paths = ["{DATA}/birds/" + r["filename"] for r in rows]
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.float32)
        labels = np.array([CLASSES.index(r["class"]) for r in rows])


        def crop_bird(path, box, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            x1, y1, x2, y2 = tf.unstack(tf.cast(box, tf.int32))
            bird = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            return tf.image.resize(bird, (48, 48)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, boxes, labels)).map(crop_bird).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ 3. class counts vs labels / head
    Case(
        name="keras-more30-crack-masks-saved-0-255-two-class-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=binary_masks_255,
        expect="Received a label value of 255",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 2          # background, crack


        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return img, tf.cast(mask, tf.int32)


        images = sorted(tf.io.gfile.glob("{DATA}/cracks/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/cracks/masks/*.png"))
        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(12, seed=0).batch(4)

        inp = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m = layers.Concatenate()([u1, c1])
        out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(m)
        unet = keras.Model(inp, out)
        unet.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        unet.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-mnist-tutorial-head-ten-twelve-hand-signs-tf215",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=hand_signs,
        expect="outside the valid range of [0, 10)",
        code="""
        import tensorflow as tf

        # class folders 0 .. 11: the digit signs plus two extra gestures
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/signs", image_size=(32, 32), batch_size=8, seed=3,
            class_names=[str(i) for i in range(12)])

        # the network from the MNIST tutorial, adapted to colour input
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(64, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more30-voc-void-label-masked-loss-meaniou-metric-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=voc_void_masks,
        expect="labels` out of bound",
        code="""
        import tensorflow as tf

        NUM_CLASSES = 3
        VOID = 255


        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.cast(tf.io.decode_png(tf.io.read_file(mask_path), channels=1), tf.int32)
            return img, mask


        def masked_ce(y_true, y_pred):
            # VOC: 255 marks object borders; they are ignored in the loss
            y_true = tf.squeeze(y_true, -1)
            valid = tf.not_equal(y_true, VOID)
            ce = tf.keras.losses.sparse_categorical_crossentropy(tf.where(valid, y_true, 0), y_pred)
            return tf.reduce_sum(ce * tf.cast(valid, tf.float32)) / tf.maximum(tf.reduce_sum(tf.cast(valid, tf.float32)), 1.0)


        class ArgmaxMeanIoU(tf.keras.metrics.MeanIoU):
            def update_state(self, y_true, y_pred, sample_weight=None):
                return super().update_state(y_true, tf.argmax(y_pred, axis=-1), sample_weight)


        imgs = sorted(tf.io.gfile.glob("{DATA}/voc/JPEGImages/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/voc/SegmentationClass/*.png"))
        train_ds = tf.data.Dataset.from_tensor_slices((imgs, masks)).map(load).batch(2)

        inp = tf.keras.Input((48, 48, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = tf.keras.layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(h)
        model = tf.keras.Model(inp, out)
        model.compile(optimizer="adam", loss=masked_ce, metrics=[ArgmaxMeanIoU(num_classes=NUM_CLASSES, name="miou")])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-centernet-class-heatmap-classes-txt-short-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=centernet_objects,
        expect="does not index into shape",
        code="""
        import json

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/warehouse"
        CLASSES = open(f"{ROOT}/classes.txt").read().split()
        C = len(CLASSES)
        OUT = 16                      # 64 px input, stride 4
        ann = json.load(open(f"{ROOT}/boxes.json"))
        files = [f"{ROOT}/" + k for k in ann]
        objects = tf.ragged.constant(list(ann.values()), dtype=tf.float32, ragged_rank=1)


        def heatmap(objs):
            cx = (objs[:, 0] + objs[:, 2]) / 2.0
            cy = (objs[:, 1] + objs[:, 3]) / 2.0
            cls = tf.cast(objs[:, 4], tf.int32)
            idx = tf.stack([tf.cast(cy * OUT, tf.int32), tf.cast(cx * OUT, tf.int32), cls], axis=1)
            return tf.tensor_scatter_nd_update(tf.zeros([OUT, OUT, C]), idx, tf.ones_like(cx))


        def load(path, objs):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            return img, heatmap(objs)


        ds = tf.data.Dataset.from_tensor_slices((files, objects)).map(load).batch(4)

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inp)
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        heat = layers.Conv2D(C, 1, activation="sigmoid")(h)
        model = keras.Model(inp, heat)
        model.compile(optimizer="adam", loss=keras.losses.BinaryFocalCrossentropy())
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-nb-head-sized-from-val-folder-categorical-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        expect="must have the same shape",
        **notebook([
            """
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/train", image_size=(40, 40),
                                                                batch_size=8, label_mode="categorical", seed=0)
            val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/val", image_size=(40, 40),
                                                              batch_size=8, label_mode="categorical", seed=0)
            class_names = val_ds.class_names
            print(class_names)
            """,
            """
            model = keras.Sequential([
                keras.Input((40, 40, 3)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=3)
            """,
        ], data=flowers_train_val),
    ),
    Case(
        name="keras-more30-train-step-class-weight-vector-bincount-first-split-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=insect_splits,
        expect="is not in [0, 5)",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        d = np.load("{DATA}/insects.npz")
        x, y = d["x"].astype("float32") / 255.0, d["y"]
        NUM_CLASSES = 6

        # inverse-frequency weights, computed once on the first labelling round
        counts = np.bincount(y[:36])
        CLASS_WEIGHTS = tf.constant(counts.sum() / (len(counts) * counts), tf.float32)


        class WeightedClassifier(keras.Model):
            def train_step(self, data):
                images, labels = data
                with tf.GradientTape() as tape:
                    probs = self(images, training=True)
                    ce = keras.losses.sparse_categorical_crossentropy(labels, probs)
                    w = tf.gather(CLASS_WEIGHTS, tf.cast(labels, tf.int32))
                    loss = tf.reduce_mean(w * ce)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        inp = keras.Input((32, 32, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inp)
        h = layers.GlobalAveragePooling2D()(h)
        model = WeightedClassifier(inp, layers.Dense(NUM_CLASSES, activation="softmax")(h))
        model.compile(optimizer="adam")
        model.fit(x, y, batch_size=8, epochs=2, shuffle=True)
        """,
    ),
    # ============================================================ 4. output the loss cannot use
    Case(
        name="keras-more30-detector-returns-dict-single-mse-loss-k3",
        cause="model.output_mismatch",
        exception="KeyError",
        env="k3",
        setup=cars_regress,
        expect="in the `loss` argument, can't be found",
        code="""
        import numpy as np
        import keras
        from keras import layers

        d = np.load("{DATA}/parking.npz")
        images = d["x"].astype("float32") / 255.0
        boxes = d["boxes"] / 64.0                              # normalised [x1, y1, x2, y2]
        occupied = np.ones((len(boxes), 1), np.float32)
        targets = np.concatenate([boxes, occupied], axis=1)    # 4 box values + objectness


        class CarDetector(keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = keras.Sequential([
                    layers.Conv2D(16, 3, strides=2, activation="relu"),
                    layers.Conv2D(32, 3, strides=2, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                ])
                self.box_head = layers.Dense(4, activation="sigmoid")
                self.score_head = layers.Dense(1, activation="sigmoid")

            def call(self, x):
                f = self.backbone(x)
                return {"boxes": self.box_head(f), "scores": self.score_head(f)}


        model = CarDetector()
        model.compile(optimizer="adam", loss="mse")
        model.fit(images, targets, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-keypoint-heatmap-stride-four-sigmoid-ce-full-size-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=cat_keypoints,
        expect="must have the same shape",
        code="""
        import numpy as np
        import tensorflow as tf

        d = np.load("{DATA}/cat_faces.npz")
        x = d["x"].astype("float32") / 255.0
        kp = d["kp"]                                    # (N, 3, 2): eyes and nose, pixel (x, y)
        yy, xx = np.mgrid[0:32, 0:32]
        heat = np.exp(-((xx[None, None] - kp[..., 0, None, None]) ** 2 +
                        (yy[None, None] - kp[..., 1, None, None]) ** 2) / 8.0).max(1)[..., None].astype("float32")


        class HeatmapNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.c1 = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")
                self.c2 = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")
                self.head = tf.keras.layers.Conv2D(1, 1)          # logits at stride 4

            def call(self, x):
                return self.head(self.c2(self.c1(x)))


        def heatmap_loss(y_true, y_pred):
            return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred))


        model = HeatmapNet()
        model.compile(optimizer="adam", loss=heatmap_loss)
        model.fit(x, heat, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-denoiser-valid-padding-decoder-ssim-loss-tfk2",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tfk2",
        expect="are incompatible",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        clean = rng.random((32, 64, 64, 3), dtype=np.float32)
        noisy = np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1).astype("float32")


        class Denoiser(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.enc1 = tf.keras.layers.Conv2D(32, 3, activation="relu")
                self.enc2 = tf.keras.layers.Conv2D(32, 3, activation="relu")
                self.out = tf.keras.layers.Conv2D(3, 3, activation="sigmoid")

            def call(self, x):
                return self.out(self.enc2(self.enc1(x)))


        def ssim_loss(y_true, y_pred):
            return 1.0 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, max_val=1.0))


        model = Denoiser()
        model.compile(optimizer="adam", loss=ssim_loss)
        model.fit(noisy, clean, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-segmenter-reshape-logits-to-pixels-sparse-ce-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        expect="must have rank (ndim)",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 4
        rng = np.random.default_rng(2)
        x = rng.random((24, 48, 48, 3), dtype=np.float32)
        masks = rng.integers(0, NUM_CLASSES, (24, 48, 48))


        class PixelClassifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.c1 = layers.Conv2D(16, 3, padding="same", activation="relu")
                self.c2 = layers.Conv2D(16, 3, padding="same", activation="relu")
                self.cls = layers.Conv2D(NUM_CLASSES, 1)
                self.flat = layers.Reshape((-1, NUM_CLASSES))       # (batch, pixels, classes)

            def call(self, x):
                return self.flat(self.cls(self.c2(self.c1(x))))


        model = PixelClassifier()
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(x, masks, batch_size=4, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-yolo-grid-loss-on-subclassed-box-head-reshape-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        expect="must be evenly divisible by",
        code="""
        import numpy as np
        import tensorflow as tf

        S, C = 7, 3
        rng = np.random.default_rng(3)
        images = rng.random((32, 96, 96, 3), dtype=np.float32)
        grid = np.zeros((32, S, S, 5 + C), np.float32)
        for i in range(32):
            gy, gx = rng.integers(0, S, 2)
            grid[i, gy, gx, :5] = [0.5, 0.5, 0.2, 0.3, 1.0]
            grid[i, gy, gx, 5 + rng.integers(0, C)] = 1.0


        def yolo_loss(y_true, y_pred):
            y_pred = tf.reshape(y_pred, [-1, S, S, 5 + C])
            obj = y_true[..., 4:5]
            box = tf.reduce_sum(obj * tf.square(y_true[..., :4] - y_pred[..., :4]))
            conf = tf.reduce_sum(tf.square(y_true[..., 4] - tf.sigmoid(y_pred[..., 4])))
            cls = tf.reduce_sum(obj * tf.square(y_true[..., 5:] - tf.nn.softmax(y_pred[..., 5:])))
            return (5.0 * box + conf + cls) / tf.cast(tf.shape(y_true)[0], tf.float32)


        class TinyDetector(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(64, 3, strides=2, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D()])
                self.head = tf.keras.layers.Dense(4 + 1 + C)          # one box, objectness, classes

            def call(self, x):
                return self.head(self.backbone(x))


        model = TinyDetector()
        model.compile(optimizer="adam", loss=yolo_loss)
        model.fit(images, grid, batch_size=8, epochs=2)
        """,
    ),
    # ============================================================ 5. an object where a path belongs
    Case(
        name="keras-more30-load-map-applied-to-decoded-dataset-read-file-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=pets,
        expect="Input 'filename' of 'ReadFile' Op has type",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["cat", "dog"]


        def load_image(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (40, 40)) / 255.0, label


        # the folder loader already decodes and resizes the photos
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=None,
                                                            shuffle=True, seed=0)
        train_ds = train_ds.map(load_image, num_parallel_calls=tf.data.AUTOTUNE).batch(8)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-nb-load-weights-given-modelcheckpoint-callback-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        expect="not ModelCheckpoint",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            rng = np.random.default_rng(4)
            x = rng.random((48, 32, 32, 3), dtype=np.float32)
            y = rng.integers(0, 3, 48)
            """,
            """
            def build():
                return keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                         layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])

            model = build()
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            checkpoint = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True,
                                                         monitor="loss", save_best_only=True)
            model.fit(x, y, epochs=3, verbose=2, callbacks=[checkpoint])
            """,
            """
            # evaluate the best epoch
            best = build()
            best.load_weights(checkpoint)
            best.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            best.evaluate(x, y)
            """,
        ]),
    ),
    Case(
        name="keras-more30-tflite-from-saved-model-given-model-object-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=pets,
        expect="Expected binary or unicode string",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # export for the phone app
        converter = tf.lite.TFLiteConverter.from_saved_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        tflite_model = converter.convert()
        open("pets.tflite", "wb").write(tflite_model)
        """,
    ),
    Case(
        name="keras-more30-load-model-given-returned-model-object-tfk2",
        cause="model.api_misuse",
        exception="OSError",
        env="tfk2",
        expect="Unable to load model",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(5)
        x = rng.random((40, 32, 32, 3), dtype=np.float32)
        y = rng.integers(0, 4, 40)


        def train(epochs=2):
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(4, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=epochs, verbose=2,
                      callbacks=[tf.keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True,
                                                                    monitor="loss")])
            return model


        best_model = train()
        # reload the best checkpoint before fine-tuning
        model = tf.keras.models.load_model(best_model)
        model.fit(x, y, epochs=1)
        """,
    ),
    Case(
        name="keras-more30-tensorboard-log-dir-given-summary-writer-tf212",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf212",
        expect="_ResourceSummaryWriter",
        code="""
        import datetime

        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(6)
        x = rng.random((40, 32, 32, 3), dtype=np.float32)
        y = rng.integers(0, 2, 40).astype("float32")

        log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        writer = tf.summary.create_file_writer(log_dir)      # also used for the sample images below
        with writer.as_default():
            tf.summary.image("training samples", x[:4], step=0)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, callbacks=[tf.keras.callbacks.TensorBoard(log_dir=writer, histogram_freq=1)])
        """,
    ),
    Case(
        name="keras-more30-pixel-box-loss-assert-all-finite-sgd-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        setup=cars_regress,
        expect="Tensor had",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        d = np.load("{DATA}/parking.npz")
        images = d["x"].astype("float32")          # raw 0..255 pixels
        boxes = d["boxes"]                          # pixel [x1, y1, x2, y2]


        def box_loss(y_true, y_pred):
            se = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)
            return tf.debugging.assert_all_finite(se, "box loss")


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(64, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(4),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss=box_loss)
        model.fit(images, boxes, batch_size=8, epochs=10)
        """,
    ),
    Case(
        name="keras-more30-count-error-histogram-metric-numpy-function-nan-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        expect="autodetected range of [nan, nan] is not finite",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.utils.set_random_seed(1)
        rng = np.random.default_rng(1)
        x = rng.integers(0, 256, (96, 32, 32, 3)).astype("float32")     # colony photos, raw pixels
        counts = rng.integers(5, 300, (96, 1)).astype("float32")


        def _within_10pct(y_true, y_pred):
            rel_err = np.abs(y_pred - y_true) / np.maximum(y_true, 1.0)
            hist, edges = np.histogram(rel_err, bins=20)
            return np.float32(hist[edges[1:] <= 0.1].sum() / len(rel_err))


        class Within10Percent(keras.metrics.Mean):
            def update_state(self, y_true, y_pred, sample_weight=None):
                share = tf.numpy_function(_within_10pct, [tf.reshape(y_true, [-1]), tf.reshape(y_pred, [-1])],
                                          tf.float32)
                share.set_shape(())
                return super().update_state(share)


        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse",
                      metrics=[Within10Percent(name="within_10pct")])
        model.fit(x, counts, batch_size=8, epochs=10)
        """,
    ),
    Case(
        name="keras-more30-score-histogram-metric-fixed-width-range-nan-tfk2",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tfk2",
        expect="value_range should satisfy",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(2)
        rng = np.random.default_rng(2)
        x = rng.integers(0, 256, (96, 32, 32, 3)).astype("float32")
        y = rng.integers(0, 5, 96)


        class ConfidenceSpread(tf.keras.metrics.Metric):
            # share of the batch in the most crowded of 10 confidence bins (1.0 = collapsed outputs)
            def __init__(self, name="conf_spread", **kwargs):
                super().__init__(name=name, **kwargs)
                self.value = self.add_weight(name="value", initializer="zeros")

            def update_state(self, y_true, y_pred, sample_weight=None):
                conf = tf.reduce_max(y_pred, axis=-1)
                lo, hi = tf.reduce_min(conf), tf.reduce_max(conf)
                hist = tf.histogram_fixed_width(conf, tf.stack([lo, hi + 1e-6]), nbins=10)
                self.value.assign(tf.cast(tf.reduce_max(hist), tf.float32) / tf.cast(tf.size(conf), tf.float32))

            def result(self):
                return self.value


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, input_shape=(32, 32, 3)),
            tf.keras.layers.LeakyReLU(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64),
            tf.keras.layers.LeakyReLU(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.5, momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy", ConfidenceSpread()])
        model.fit(x, y, batch_size=16, epochs=10)
        """,
    ),
    Case(
        name="keras-more30-stage-two-crops-from-nan-box-predictions-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        setup=cars_regress,
        expect="must be >= 0",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(3)
        d = np.load("{DATA}/parking.npz")
        frames = d["x"].astype("float32")
        boxes = d["boxes"]

        locator = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4),
        ])
        locator.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
        locator.fit(frames, boxes, batch_size=8, epochs=5, verbose=2)

        # stage 2: crop every predicted car and train the colour classifier on the crops
        pred = locator.predict(frames, verbose=0)
        colours = np.random.default_rng(3).integers(0, 4, len(frames))


        def crop_car(frame, box, colour):
            x1, y1 = tf.cast(box[0], tf.int32), tf.cast(box[1], tf.int32)
            car = tf.image.crop_to_bounding_box(frame, y1, x1, 24, 24)
            return car / 255.0, colour


        crops = tf.data.Dataset.from_tensor_slices((frames, pred, colours)).map(crop_car).batch(8)
        classifier = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(24, 24, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        classifier.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        classifier.fit(crops, epochs=3)
        """,
    ),
    Case(
        name="keras-more30-pck-metric-gather-nd-nan-keypoints-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        setup=cat_keypoints,
        expect="does not index into param shape",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.utils.set_random_seed(4)
        d = np.load("{DATA}/cat_faces.npz")
        x = d["x"].astype("float32")              # 0..255
        kp = d["kp"].reshape(-1, 6)               # eyes + nose, pixel x, y
        VISIBLE = tf.ones([32, 32])              # visibility map of the face crop (all visible here)


        class VisibleKeypointShare(keras.metrics.Mean):
            # share of predicted keypoints that land on a visible pixel
            def update_state(self, y_true, y_pred, sample_weight=None):
                pts = tf.reshape(y_pred, [-1, 2])
                yx = tf.clip_by_value(tf.stack([pts[:, 1], pts[:, 0]], axis=1), 0.0, 31.0)    # keep inside the crop
                idx = tf.cast(tf.round(yx), tf.int32)
                return super().update_state(tf.gather_nd(VISIBLE, idx))


        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(6),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse",
                      metrics=[VisibleKeypointShare(name="visible")])
        model.fit(x, kp, batch_size=8, epochs=10)
        """,
    ),
    Case(
        name="keras-more30-custom-train-step-check-numerics-grads-sgd-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        expect="Tensor had",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(5)
        rng = np.random.default_rng(5)
        x = rng.integers(0, 256, (64, 32, 32, 3)).astype("float32")
        age = rng.uniform(1, 90, (64, 1)).astype("float32")


        class AgeRegressor(tf.keras.Model):
            def train_step(self, data):
                images, target = data
                with tf.GradientTape() as tape:
                    pred = self(images, training=True)
                    loss = tf.reduce_mean(tf.square(target - pred))
                grads = tape.gradient(loss, self.trainable_variables)
                grads = [tf.debugging.check_numerics(g, "gradient of " + v.name)
                         for g, v in zip(grads, self.trainable_variables)]
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        inp = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(32, 3, activation="relu")(inp)
        h = tf.keras.layers.Flatten()(h)
        h = tf.keras.layers.Dense(64, activation="relu")(h)
        model = AgeRegressor(inp, tf.keras.layers.Dense(1)(h))
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.5, momentum=0.9))
        model.fit(x, age, batch_size=8, epochs=10)
        """,
    ),
    # ============================================================ 7. calls out of order
    Case(
        name="keras-more30-head-warmup-then-finetune-same-optimizer-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=pets,
        expect="can only be called for the variables it was originally built with",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8, seed=0)

        backbone = keras.Sequential([keras.Input((40, 40, 3)), layers.Rescaling(1 / 255),
                                     layers.Conv2D(16, 3, activation="relu"), layers.Conv2D(32, 3, activation="relu"),
                                     layers.GlobalAveragePooling2D()], name="backbone")
        head = layers.Dense(2, name="head")
        model = keras.Sequential([backbone, head])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)


        def make_train_step(variables):
            @tf.function
            def train_step(images, labels):
                with tf.GradientTape() as tape:
                    loss = loss_fn(labels, model(images, training=True))
                optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
                return loss
            return train_step


        # phase 1: warm up the new head only
        warmup_step = make_train_step(head.trainable_variables)
        for epoch in range(2):
            for images, labels in train_ds:
                loss = warmup_step(images, labels)
            print(f"warm-up epoch {epoch}: {float(loss):.3f}")

        # phase 2: unfreeze everything
        finetune_step = make_train_step(model.trainable_variables)
        for epoch in range(2):
            for images, labels in train_ds:
                loss = finetune_step(images, labels)
            print(f"fine-tune epoch {epoch}: {float(loss):.3f}")
        """,
    ),
    Case(
        name="keras-more30-detector-train-step-unfreeze-backbone-optimizer-keyerror-tf215",
        cause="model.api_misuse",
        exception="MultilineMessageKeyError",
        env="tf215",
        setup=cars_regress,
        expect="The optimizer cannot recognize variable",
        code="""
        import numpy as np
        import tensorflow as tf

        d = np.load("{DATA}/parking.npz")
        images = d["x"].astype("float32") / 255.0
        boxes = d["boxes"] / 64.0


        class Locator(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D()])
                self.box_head = tf.keras.layers.Dense(4, activation="sigmoid")

            def call(self, x):
                return self.box_head(self.backbone(x))

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.abs(y - self(x, training=True)))
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        model = Locator()
        model(images[:1])
        model.backbone.trainable = False              # stage 1: box head only
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3))
        model.fit(images, boxes, batch_size=8, epochs=2)

        model.backbone.trainable = True               # stage 2: fine-tune everything
        model.compile(optimizer=model.optimizer)      # keep Adam's moment estimates from stage 1
        model.fit(images, boxes, batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-mirrored-strategy-compile-in-scope-model-outside-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        setup=pets,
        expect="was not created in the distribution strategy scope",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)

        base = tf.keras.applications.MobileNetV2(input_shape=(40, 40, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 127.5, offset=-1, input_shape=(40, 40, 3)),
            base,
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])

        strategy = tf.distribute.MirroredStrategy()
        print("replicas:", strategy.num_replicas_in_sync)
        with strategy.scope():
            model.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more30-nb-set-op-threads-after-first-cell-ran-k3",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="k3",
        expect="cannot be modified after initialization",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            rng = np.random.default_rng(7)
            x = rng.random((64, 32, 32, 3), dtype=np.float32)
            y = rng.integers(0, 4, 64)
            print(tf.reduce_mean(x))
            """,
            """
            # the laptop runs hot: limit TensorFlow to 2 threads
            tf.config.threading.set_intra_op_parallelism_threads(2)
            tf.config.threading.set_inter_op_parallelism_threads(2)
            """,
            """
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=2)
            """,
        ]),
    ),
    Case(
        name="keras-more30-optimizer-created-inside-tf-function-step-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=pets,
        expect="tf.function only supports singleton tf.Variables created on the first call",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2),
        ])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


        @tf.function
        def train_step(images, labels, lr):
            optimizer = tf.keras.optimizers.SGD(learning_rate=lr, momentum=0.9)
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(3):
            lr = 0.01 * 0.5 ** epoch                   # step decay
            for images, labels in train_ds:
                loss = train_step(images, labels, lr)
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more30-batch-before-decode-map-read-file-rank-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=pets,
        expect="Shape must be rank 0 but is rank 1",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["cat", "dog"]
        files = tf.io.gfile.glob("{DATA}/pets/*/*.jpg")
        labels = [CLASSES.index(f.split("/")[-2]) for f in files]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (40, 40)) / 255.0, label


        train_ds = (tf.data.Dataset.from_tensor_slices((files, labels))
                    .shuffle(len(files))
                    .batch(8)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
