"""An untargeted sample of Keras / TensorFlow training failures from people who
train image classifiers and simple detectors on their own data, spread over the
cause ids of the taxonomy: copied tutorials, keras.applications backbones with
weights=None, image_dataset_from_directory, ImageDataGenerator on TF 2.12 / 2.15,
tf.data pipelines, single-box regression detectors and custom training loops.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).  Causes
that need a GPU (resource.gpu_oom, env.device_mismatch) are not produced here:
the recorder runs on CPU only.

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more24.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def leaf_photos(d: Path):
    make_images(d / "leaves" / "train", ["healthy", "rust", "scab"], per_class=6, size=(48, 48), fmt="jpeg")


def leaf_photos_val(d: Path):
    leaf_photos(d)
    make_images(d / "leaves" / "val", ["healthy", "rust", "scab"], per_class=3, size=(48, 48), fmt="jpeg", seed=1)


def mixed_size_drone(d: Path):
    make_images(d / "drone", ["car", "truck"], per_class=4, fmt="jpeg",
                sizes=[(96, 64), (64, 96), (120, 80)])


def rgba_logos(d: Path):
    make_images(d / "logos", ["brand_a", "brand_b"], per_class=5, size=(64, 64), mode="RGBA")


def la_and_rgb_scans(d: Path):
    """Document scans: most saved RGB, a few saved by the scanner as grey + alpha (LA)."""
    import numpy as np
    from PIL import Image
    r = np.random.default_rng(3)
    for c in ["invoice", "receipt"]:
        for i in range(4):
            p = d / "scans" / c / f"{c}_{i:03d}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            if i == 2:
                arr = r.integers(0, 255, size=(64, 64, 2), dtype=np.uint8)
                Image.fromarray(arr, mode="LA").save(p)
            else:
                Image.fromarray(r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).save(p)


def box_csv(d: Path, rows=None):
    """Images for a single-object box regressor plus a CSV of pixel boxes."""
    import numpy as np
    from PIL import Image
    r = np.random.default_rng(7)
    (d / "boxes" / "images").mkdir(parents=True, exist_ok=True)
    rows = rows or [(12, 10, 40, 44), (5, 8, 30, 50), (20, 15, 60, 58), (2, 30, 28, 62),
                    (33, 4, 63, 20), (10, 10, 50, 50), (0, 0, 16, 16), (40, 40, 63, 63)]
    lines = ["filename,xmin,ymin,xmax,ymax,label"]
    for i, (x1, y1, x2, y2) in enumerate(rows):
        name = f"img_{i:03d}.jpg"
        Image.fromarray(r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).save(d / "boxes" / "images" / name)
        lines.append(f"{name},{x1},{y1},{x2},{y2},{i % 3}")
    (d / "boxes" / "labels.csv").write_text("\n".join(lines) + "\n")


def box_csv_dragged(d: Path):
    # one box drawn past the left border by the annotation tool
    box_csv(d, rows=[(12, 10, 40, 44), (5, 8, 30, 50), (-6, 15, -1, 58), (2, 30, 28, 62),
                     (33, 4, 63, 20), (10, 10, 50, 50)])


def few_boxes_csv(d: Path):
    box_csv(d, rows=[(12, 10, 40, 44), (5, 8, 30, 50), (20, 15, 60, 58), (2, 30, 28, 62), (33, 4, 63, 20)])


def tiff_micro(d: Path):
    import numpy as np
    from PIL import Image
    r = np.random.default_rng(2)
    for c in ["infected", "uninfected"]:
        for i in range(4):
            p = d / "cells" / c / f"cell_{i:03d}.tif"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(r.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)).save(p)


def df_csv(d: Path):
    """A Kaggle-style train.csv whose id column has no file extension."""
    import numpy as np
    from PIL import Image
    r = np.random.default_rng(4)
    (d / "kaggle" / "train").mkdir(parents=True, exist_ok=True)
    lines = ["id,has_cactus"]
    for i in range(10):
        name = f"{i:08x}"
        Image.fromarray(r.integers(0, 255, size=(32, 32, 3), dtype=np.uint8)).save(d / "kaggle" / "train" / f"{name}.jpg")
        lines.append(f"{name},{i % 2}")
    (d / "kaggle" / "train.csv").write_text("\n".join(lines) + "\n")


def flat_with_csv_missing(d: Path):
    """A flat image folder and a labels file that lacks the photos added later."""
    import numpy as np
    from PIL import Image
    r = np.random.default_rng(5)
    (d / "birds" / "images").mkdir(parents=True, exist_ok=True)
    lines = ["file,species"]
    for i in range(12):
        name = f"IMG_{1000 + i}.jpg"
        Image.fromarray(r.integers(0, 255, size=(40, 40, 3), dtype=np.uint8)).save(d / "birds" / "images" / name)
        if i < 9:
            lines.append(f"{name},{i % 3}")
    (d / "birds" / "labels.csv").write_text("\n".join(lines) + "\n")


def unicode_classes(d: Path):
    make_images(d / "dishes", ["拉面", "饺子", "café_crème"], per_class=3, size=(32, 32), fmt="jpeg")


CASES = [
    # ============================================================ data.image_size_mismatch
    Case(
        name="keras-more24-datagen-flow-list-of-unresized-photos-tf215",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf215",
        setup=mixed_size_drone,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator, load_img, img_to_array

        paths = sorted(glob.glob("{DATA}/drone/*/*.jpg"))
        images = [img_to_array(load_img(p)) for p in paths]          # no target_size
        labels = np.array([0 if "/car/" in p else 1 for p in paths])
        print(len(images), "images")

        datagen = ImageDataGenerator(rescale=1 / 255., horizontal_flip=True, rotation_range=10)
        train_gen = datagen.flow(images, labels, batch_size=4)

        base = tf.keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(64, 96, 3))
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=3)
        """,
    ),
    Case(
        name="keras-more24-tfdata-half-scale-resize-detector-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=mixed_size_drone,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            shape = tf.cast(tf.shape(img)[:2], tf.float32)
            img = tf.image.resize(img, tf.cast(shape * 0.5, tf.int32))   # downscale 2x to save memory
            label = tf.cast(tf.strings.regex_full_match(path, ".*/truck/.*"), tf.int32)
            return img / 255.0, label

        ds = (tf.data.Dataset.list_files("{DATA}/drone/*/*.jpg", shuffle=True, seed=1)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(4).prefetch(1))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(None, None, 3)),
            tf.keras.layers.GlobalMaxPooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ data.image_channels
    Case(
        name="keras-more24-flow-from-directory-rgba-logos-resnet-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=rgba_logos,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1. / 255, validation_split=0.2)
        train = gen.flow_from_directory("{DATA}/logos", target_size=(64, 64), color_mode="rgba",
                                        class_mode="categorical", batch_size=4, subset="training")

        base = tf.keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
        out = tf.keras.layers.Dense(train.num_classes, activation="softmax")(x)
        model = tf.keras.Model(base.input, out)
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train, epochs=2)
        """,
    ),
    Case(
        name="keras-more24-decode-image-gray-alpha-scans-batch-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=la_and_rgb_scans,
        code="""
        import tensorflow as tf
        import keras

        CLASSES = ["invoice", "receipt"]

        def load(path):
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
            img = tf.image.resize(img, (64, 64)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/receipt/.*"), tf.int32)
            return img, label

        files = tf.data.Dataset.list_files("{DATA}/scans/*/*.png", shuffle=False)
        ds = files.map(load).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ data.bbox_invalid
    Case(
        name="keras-more24-random-crop-around-box-dragged-past-left-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="k3",
        setup=box_csv_dragged,
        code="""
        import csv
        import numpy as np
        import keras
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        rng = np.random.default_rng(0)

        def random_crop_keep_box(img, box, out=48):
            x1, y1, x2, y2 = box
            # crop origin chosen so that the whole object stays inside the crop
            left = rng.integers(max(0, x2 - out), min(x1, img.width - out) + 1)
            top = rng.integers(max(0, y2 - out), min(y1, img.height - out) + 1)
            crop = img.crop((left, top, left + out, top + out))
            return np.asarray(crop, np.float32) / 255., [x1 - left, y1 - top, x2 - left, y2 - top]

        class BoxData(keras.utils.PyDataset):
            def __len__(self):
                return len(rows) // 2

            def __getitem__(self, i):
                xs, ys = [], []
                for r in rows[i * 2:(i + 1) * 2]:
                    img = Image.open("{DATA}/boxes/images/" + r["filename"])
                    box = [int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")]
                    x, b = random_crop_keep_box(img, box)
                    xs.append(x)
                    ys.append(np.array(b, np.float32) / 48.)
                return np.stack(xs), np.stack(ys)

        model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="sigmoid")])
        model.compile("adam", "mse")
        model.fit(BoxData(), epochs=2)
        """,
    ),
    Case(
        name="keras-more24-pil-crop-object-patches-dragged-box-tf215",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf215",
        setup=lambda d: box_csv(d, rows=[(12, 10, 40, 44), (30, 8, 5, 50), (20, 15, 60, 58), (2, 30, 28, 62)]),
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # second stage of a two-stage pipeline: classify the annotated objects
        patches, labels = [], []
        for r in csv.DictReader(open("{DATA}/boxes/labels.csv")):
            img = Image.open("{DATA}/boxes/images/" + r["filename"]).convert("RGB")
            box = tuple(int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            patch = img.crop(box).resize((32, 32))
            patches.append(np.asarray(patch, np.float32) / 255.)
            labels.append(int(r["label"]))

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.stack(patches), np.array(labels), epochs=2, batch_size=2)
        """,
    ),
    # ============================================================ data.label_out_of_range
    Case(
        name="keras-more24-folder-names-one-to-five-stars-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=lambda d: make_images(d / "ratings", ["1", "2", "3", "4", "5"], per_class=3, size=(32, 32), fmt="jpeg"),
        code="""
        import tensorflow as tf

        NUM_CLASSES = 5

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (32, 32)) / 255.
            stars = tf.strings.to_number(tf.strings.split(path, "/")[-2], tf.int32)   # folder name = star rating
            return img, stars

        ds = tf.data.Dataset.list_files("{DATA}/ratings/*/*.jpg", seed=0).map(load).batch(5)

        base = tf.keras.applications.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(NUM_CLASSES, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more24-custom-loop-val-loss-one-based-test-ids-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        rng = np.random.default_rng(0)
        x_train = rng.random((16, 32, 32, 3), dtype=np.float32)
        y_train = rng.integers(0, 4, size=16)
        # test labels exported from the labelling tool, which numbers classes from 1
        x_test = rng.random((8, 32, 32, 3), dtype=np.float32)
        y_test = np.array([1, 2, 3, 4, 1, 2, 3, 4])

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4)])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for xb, yb in tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(8):
                with tf.GradientTape() as tape:
                    loss = loss_fn(yb, model(xb, training=True))
                opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            val_loss = loss_fn(y_test, model(x_test, training=False))
            print(f"epoch {epoch} loss {float(loss):.4f} val_loss {float(val_loss):.4f}")
        """,
    ),
    # ============================================================ data.label_shape
    Case(
        name="keras-more24-box-and-class-detector-categorical-loss-int-csv-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        setup=box_csv,
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        images = np.stack([np.asarray(keras.utils.load_img("{DATA}/boxes/images/" + r["filename"]), np.float32) / 255.
                           for r in rows])
        boxes = np.array([[float(r[k]) / 64. for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.float32)
        classes = np.array([int(r["label"]) for r in rows])

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        box_out = layers.Dense(4, activation="sigmoid", name="box")(x)
        cls_out = layers.Dense(3, activation="softmax", name="cls")(x)
        model = keras.Model(inputs, {"box": box_out, "cls": cls_out})
        model.compile(optimizer="adam",
                      loss={"box": "mse", "cls": "categorical_crossentropy"},
                      metrics={"cls": "accuracy"})
        model.fit(images, {"box": boxes, "cls": classes}, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more24-zip-labels-batched-separately-tf212",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf212",
        setup=leaf_photos,
        code="""
        import numpy as np
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48),
                                                               batch_size=6, shuffle=False, labels=None)
        names = sorted(["healthy", "rust", "scab"])
        labels = np.repeat(np.arange(3), 6)
        label_ds = tf.data.Dataset.from_tensor_slices(labels).batch(4)   # copied from another notebook
        ds = tf.data.Dataset.zip((train_ds, label_ds))

        model = tf.keras.Sequential([tf.keras.layers.Rescaling(1. / 255, input_shape=(48, 48, 3)),
                                     tf.keras.layers.Conv2D(16, 3, activation="relu"),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(3)])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ data.dtype
    Case(
        name="keras-more24-iou-loss-int-pixel-boxes-custom-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        setup=box_csv,
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        images = np.stack([np.asarray(keras.utils.load_img("{DATA}/boxes/images/" + r["filename"]), np.float32) / 255.
                           for r in rows])
        boxes = np.array([[int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows])   # pixels, int64

        model = keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="sigmoid")])
        opt = keras.optimizers.Adam(1e-3)

        def iou_loss(true, pred):
            pred = pred * 64.0
            x1 = tf.maximum(true[:, 0], pred[:, 0])
            y1 = tf.maximum(true[:, 1], pred[:, 1])
            x2 = tf.minimum(true[:, 2], pred[:, 2])
            y2 = tf.minimum(true[:, 3], pred[:, 3])
            inter = tf.nn.relu(x2 - x1) * tf.nn.relu(y2 - y1)
            area_t = (true[:, 2] - true[:, 0]) * (true[:, 3] - true[:, 1])
            area_p = (pred[:, 2] - pred[:, 0]) * (pred[:, 3] - pred[:, 1])
            return 1.0 - tf.reduce_mean(inter / (area_t + area_p - inter + 1e-6))

        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).batch(4)
        for epoch in range(2):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    loss = iou_loss(yb, model(xb, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print("epoch", epoch, float(loss))
        """,
    ),
    Case(
        name="keras-more24-anchor-match-rounded-index-gather-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        anchors = tf.constant([[0.1, 0.1], [0.3, 0.3], [0.6, 0.6]], tf.float32)   # w, h
        gt_wh = tf.constant([[0.12, 0.15], [0.55, 0.5], [0.28, 0.35], [0.7, 0.6]], tf.float32)

        def best_anchor(wh):
            inter = tf.minimum(wh[:, None, 0], anchors[None, :, 0]) * tf.minimum(wh[:, None, 1], anchors[None, :, 1])
            union = wh[:, None, 0] * wh[:, None, 1] + anchors[None, :, 0] * anchors[None, :, 1] - inter
            iou = inter / union
            # expected index of the best anchor, weighted by IoU (smooth "argmax")
            return tf.round(tf.reduce_sum(iou * tf.range(3, dtype=tf.float32), 1) / tf.reduce_sum(iou, 1))

        idx = best_anchor(gt_wh)
        matched = tf.gather(anchors, idx)
        targets = tf.math.log(gt_wh / matched)
        print(targets)
        """,
    ),
    # ============================================================ data.missing_or_corrupt
    Case(
        name="keras-more24-csv-upper-case-extension-linux-read-file-tf212",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tf212",
        setup=box_csv,
        code="""
        import csv
        import tensorflow as tf

        # labels.csv was written on Windows, where IMG_000.JPG and img_000.jpg are the same file
        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        paths = ["{DATA}/boxes/images/" + r["filename"].upper().replace("IMG_", "img_") for r in rows]
        paths = [p[:-4] + ".JPG" for p in paths]
        labels = [int(r["label"]) for r in rows]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (64, 64)) / 255., label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more24-labels-csv-lookup-new-photos-keyerror-k3",
        cause="data.missing_or_corrupt",
        exception="KeyError",
        env="k3",
        setup=flat_with_csv_missing,
        code="""
        import csv
        import os
        import numpy as np
        import keras

        IMG_DIR = "{DATA}/birds/images"
        label_of = {r["file"]: int(r["species"]) for r in csv.DictReader(open("{DATA}/birds/labels.csv"))}
        files = sorted(os.listdir(IMG_DIR))

        class Birds(keras.utils.PyDataset):
            def __init__(self, files, batch_size=4, **kw):
                super().__init__(**kw)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, i):
                batch = self.files[i * self.batch_size:(i + 1) * self.batch_size]
                x = np.stack([np.asarray(keras.utils.load_img(os.path.join(IMG_DIR, f), target_size=(40, 40)), np.float32) / 255.
                              for f in batch])
                y = np.array([label_of[f] for f in batch])
                return x, y

        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Birds(files), epochs=2)
        """,
    ),
    Case(
        name="keras-more24-dir-dataset-tiff-microscopy-no-images-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="k3",
        setup=tiff_micro,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/cells", validation_split=0.25, subset="training", seed=42,
            image_size=(48, 48), batch_size=4)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/cells", validation_split=0.25, subset="validation", seed=42,
            image_size=(48, 48), batch_size=4)

        model = keras.Sequential([keras.layers.Rescaling(1. / 255), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    # ============================================================ data.too_few_boxes
    Case(
        name="keras-more24-scipy-kmeans-nine-anchors-five-boxes-tf212",
        cause="data.too_few_boxes",
        exception="ValueError",
        env="tf212",
        setup=few_boxes_csv,
        code="""
        import csv
        import numpy as np
        from scipy.cluster.vq import kmeans

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        wh = np.array([[(float(r["xmax"]) - float(r["xmin"])) / 64., (float(r["ymax"]) - float(r["ymin"])) / 64.]
                       for r in rows])
        print(len(wh), "boxes in the pilot set")

        np.random.seed(0)
        centroids, distortion = kmeans(wh, 9)            # 9 anchors, 3 per output scale
        centroids = centroids[np.argsort(centroids.prod(1))]
        anchors = centroids.reshape(3, 3, 2)
        print(anchors)
        """,
    ),
    Case(
        name="keras-more24-tf-kmeans-anchor-init-shuffle-slice-k3",
        cause="data.too_few_boxes",
        exception="InvalidArgumentError",
        env="k3",
        setup=few_boxes_csv,
        code="""
        import csv
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        wh = tf.constant([[(float(r["xmax"]) - float(r["xmin"])) / 64., (float(r["ymax"]) - float(r["ymin"])) / 64.]
                          for r in rows], tf.float32)

        K = 6
        centroids = tf.random.shuffle(wh, seed=0)[:K]          # init from K random boxes
        for _ in range(10):
            d = tf.reduce_sum(tf.square(wh[:, None, :] - centroids[None, :, :]), -1)
            assign = tf.argmin(d, axis=1)
            centroids = tf.math.unsorted_segment_mean(wh, assign, num_segments=len(centroids))
        anchors = tf.reshape(centroids, (2, 3, 2))            # 2 output scales x 3 anchors
        print(anchors)
        """,
    ),
    # ============================================================ model.input_shape
    Case(
        name="keras-more24-predict-load-img-target-size-swapped-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        setup=lambda d: make_images(d / "parking", ["empty", "occupied"], per_class=3, size=(128, 96), fmt="jpeg"),
        code="""
        import glob
        import numpy as np
        import keras

        IMG_W, IMG_H = 128, 96
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/parking", image_size=(IMG_H, IMG_W), batch_size=3)

        base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(IMG_H, IMG_W, 3))
        model = keras.Sequential([keras.Input((IMG_H, IMG_W, 3)), keras.layers.Rescaling(1 / 127.5, offset=-1),
                                  base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1)

        # single-image inference
        path = sorted(glob.glob("{DATA}/parking/*/*.jpg"))[0]
        img = keras.utils.load_img(path, target_size=(IMG_W, IMG_H))
        x = np.expand_dims(keras.utils.img_to_array(img), 0)
        print("occupied" if model.predict(x)[0, 0] > 0.5 else "empty")
        """,
    ),
    Case(
        name="keras-more24-head-flatten-before-global-pool-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        code="""
        import tensorflow as tf

        base = tf.keras.applications.DenseNet121(weights=None, include_top=False, input_shape=(96, 96, 3))
        base.trainable = False

        model = tf.keras.Sequential([
            base,
            tf.keras.layers.Flatten(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dropout(0.3),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.summary()
        """,
    ),
    # ============================================================ model.output_mismatch
    Case(
        name="keras-more24-mobilenetv2-classes-10-from-cifar-tutorial-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=leaf_photos,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48),
                                                            batch_size=6, label_mode="categorical")
        print(train_ds.class_names)

        model = keras.applications.MobileNetV2(input_shape=(48, 48, 3), weights=None, classes=10,
                                               classifier_activation="softmax")
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more24-efficientnet-include-top-1000-categorical-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=leaf_photos,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48),
                                                               batch_size=6, label_mode="categorical")
        model = tf.keras.applications.EfficientNetB0(weights=None, input_shape=(48, 48, 3))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ model.weights_mismatch
    Case(
        name="keras-more24-efficientnet-b0-loads-b1-weights-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        code="""
        import os
        import tensorflow as tf

        # weights from last week's run, which used B1 (file name kept from the B0 experiment)
        old = tf.keras.applications.EfficientNetB1(weights=None, include_top=False, input_shape=(64, 64, 3))
        old.save_weights("effnet_notop.h5")

        base = tf.keras.applications.EfficientNetB0(weights="effnet_notop.h5", include_top=False,
                                                    input_shape=(64, 64, 3))
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(5, activation="softmax")])
        model.summary()
        """,
    ),
    Case(
        name="keras-more24-h5-weights-sequential-into-functional-rebuild-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        # training notebook: Sequential wrapper around the backbone
        base = tf.keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(64, 64, 3))
        clf = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                   tf.keras.layers.Dense(3, activation="softmax")])
        clf.save_weights("classifier_weights.h5")

        # inference script: the same network written functionally, for Grad-CAM access to the last conv
        def build():
            backbone = tf.keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(64, 64, 3))
            x = tf.keras.layers.GlobalAveragePooling2D()(backbone.output)
            out = tf.keras.layers.Dense(3, activation="softmax")(x)
            return tf.keras.Model(backbone.input, out)

        model = build()
        model.load_weights("classifier_weights.h5")
        print(model.predict(np.zeros((1, 64, 64, 3), np.float32)))
        """,
    ),
    # ============================================================ model.api_misuse
    Case(
        name="keras-more24-random-contrast-factor-above-one-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=leaf_photos,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48), batch_size=6)

        data_augmentation = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.RandomContrast(1.5),
        ])
        model = keras.Sequential([keras.Input((48, 48, 3)), data_augmentation, layers.Rescaling(1. / 255),
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(3)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more24-fit-dataset-with-batch-size-and-validation-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=leaf_photos_val,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48), batch_size=None)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves/val", image_size=(48, 48), batch_size=None)

        model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Rescaling(1. / 255),
                                  keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, batch_size=6, epochs=2)
        """,
    ),
    # ============================================================ optim.divergence
    Case(
        name="keras-more24-scipy-kmeans-pseudo-labels-nan-embeddings-tf212",
        cause="optim.divergence",
        exception="ValueError",
        env="tf212",
        code="""
        import numpy as np
        import tensorflow as tf
        from scipy.cluster.vq import kmeans2

        rng = np.random.default_rng(0)
        x = rng.integers(0, 255, size=(64, 32, 32, 3)).astype("float32")     # raw pixels, not scaled
        y = rng.integers(0, 2, size=64)

        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(32, 3, activation="relu")(inputs)
        h = tf.keras.layers.Flatten()(h)
        emb = tf.keras.layers.Dense(64, name="embedding")(h)
        out = tf.keras.layers.Dense(1, activation="sigmoid")(emb)
        model = tf.keras.Model(inputs, out)
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=10.0, momentum=0.9), loss="binary_crossentropy")
        model.fit(x, y, epochs=5, batch_size=8)

        # cluster the unlabelled pool in embedding space to get pseudo-labels
        encoder = tf.keras.Model(inputs, model.get_layer("embedding").output)
        feats = encoder.predict(x, verbose=0)
        centroids, pseudo = kmeans2(feats, 2, minit="++", seed=0)
        print(np.bincount(pseudo))
        """,
    ),
    Case(
        name="keras-more24-clip-by-global-norm-assert-finite-box-loop-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        setup=box_csv,
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        images = np.stack([np.asarray(keras.utils.load_img("{DATA}/boxes/images/" + r["filename"]), np.float32)
                           for r in rows])                                  # 0..255
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.float32)  # pixels

        model = keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Conv2D(32, 3, activation="relu"),
                                  keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(4)])
        opt = keras.optimizers.SGD(learning_rate=1e4)

        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).shuffle(8, seed=0).batch(4).repeat(5)
        for step, (xb, yb) in enumerate(ds):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
            grads = tape.gradient(loss, model.trainable_variables)
            grads, norm = tf.clip_by_global_norm(grads, 10.0)
            tf.debugging.assert_all_finite(norm, "global gradient norm")
            opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"step {step} loss {float(loss):.3g} grad-norm {float(norm):.3g}")
        """,
    ),
    # ============================================================ optim.autograd_graph
    Case(
        name="keras-more24-box-head-rounded-to-pixels-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        setup=box_csv,
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras

        rows = list(csv.DictReader(open("{DATA}/boxes/labels.csv")))
        images = np.stack([np.asarray(keras.utils.load_img("{DATA}/boxes/images/" + r["filename"]), np.float32) / 255.
                           for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.float32)

        model = keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="sigmoid")])
        opt = keras.optimizers.Adam(1e-3)
        huber = keras.losses.Huber()

        for epoch in range(2):
            for xb, yb in tf.data.Dataset.from_tensor_slices((images, boxes)).batch(4):
                with tf.GradientTape() as tape:
                    pred_px = tf.round(model(xb, training=True) * 64.0)      # boxes live on the pixel grid
                    loss = huber(yb, pred_px)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print("epoch", epoch, float(loss))
        """,
    ),
    Case(
        name="keras-more24-tape-watch-accessed-false-copied-snippet-tf212",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf212",
        setup=leaf_photos,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48), batch_size=6)
        model = tf.keras.Sequential([tf.keras.layers.Rescaling(1. / 255, input_shape=(48, 48, 3)),
                                     tf.keras.layers.Conv2D(16, 3, activation="relu"),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam(1e-3)

        @tf.function
        def train_step(x, y):
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(2):
            for x, y in train_ds:
                loss = train_step(x, y)
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    # ============================================================ resource.host_memory
    Case(
        name="keras-more24-predict-whole-test-set-one-batch-cpu-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        env="k3",
        as_limit=6 * 1024**3,
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([
            keras.Input((256, 256, 3), dtype="uint8"),
            keras.layers.Rescaling(1. / 255),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(5, activation="softmax"),
        ])
        x_test = np.zeros((1000, 256, 256, 3), np.uint8)        # the whole test folder, already decoded
        probs = model.predict(x_test, batch_size=len(x_test))     # "one batch is faster"
        print(probs.argmax(1)[:10])
        """,
    ),
    Case(
        name="keras-more24-gray-xrays-repeat-rgb-float64-memoryerror-tf212",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        env="tf212",
        as_limit=8 * 1024**3,
        code="""
        import numpy as np
        import tensorflow as tf

        # 4000 chest X-rays, 512x512 grayscale, already loaded as uint8 (1 GB)
        xrays = np.zeros((4000, 512, 512), np.uint8)
        labels = np.zeros(4000, np.int64)

        # the backbone wants 3 channels in [0, 1]
        x = np.repeat(xrays[..., None], 3, axis=-1) / 255.0
        base = tf.keras.applications.DenseNet121(weights=None, include_top=False, input_shape=(512, 512, 3))
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, labels, batch_size=16, epochs=1)
        """,
    ),
    # ============================================================ env.cuda_setup
    Case(
        name="keras-more24-logical-gpu-memory-limit-snippet-cpu-wheel-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        env="k3",
        code="""
        import tensorflow as tf
        import keras

        print("TensorFlow", tf.__version__)
        gpus = tf.config.list_physical_devices("GPU")
        print("Num GPUs Available:", len(gpus))
        # cap TF at 4 GB so the notebook does not grab the whole card
        tf.config.set_logical_device_configuration(
            gpus[0], [tf.config.LogicalDeviceConfiguration(memory_limit=4096)])
        logical_gpus = tf.config.list_logical_devices("GPU")
        print(len(gpus), "Physical GPUs,", len(logical_gpus), "Logical GPU")

        model = keras.applications.ResNet50(weights=None, classes=4, input_shape=(64, 64, 3))
        """,
    ),
    Case(
        name="keras-more24-reset-gpu-memory-stats-before-fit-tf212",
        cause="env.cuda_setup",
        exception="ValueError",
        env="tf212",
        code="""
        import numpy as np
        import tensorflow as tf

        print("Built with CUDA:", tf.test.is_built_with_cuda())

        class GpuMemory(tf.keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                peak = tf.config.experimental.get_memory_info("GPU:0")["peak"]
                print(f" peak GPU memory {peak / 2**20:.0f} MiB")

        tf.config.experimental.reset_memory_stats("GPU:0")       # measure this run only
        model = tf.keras.applications.MobileNetV2(weights=None, classes=3, input_shape=(32, 32, 3))
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(8, 32, 32, 3).astype("float32"), np.random.randint(0, 3, 8), epochs=1,
                  callbacks=[GpuMemory()])
        """,
    ),
    # ============================================================ env.version_incompat
    Case(
        name="keras-more24-old-yolo-repo-advanced-activations-import-tf215",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="tf215",
        code="""
        import tensorflow as tf
        from keras.layers import Conv2D, BatchNormalization, Input, ZeroPadding2D, Add
        from keras.layers.advanced_activations import LeakyReLU
        from keras.models import Model

        def darknet_conv(x, filters, size, strides=1):
            if strides > 1:
                x = ZeroPadding2D(((1, 0), (1, 0)))(x)
            x = Conv2D(filters, size, strides=strides, padding="same" if strides == 1 else "valid", use_bias=False)(x)
            x = BatchNormalization()(x)
            return LeakyReLU(alpha=0.1)(x)

        inputs = Input((416, 416, 3))
        model = Model(inputs, darknet_conv(inputs, 32, 3))
        """,
    ),
    Case(
        name="keras-more24-keras-wrappers-scikit-learn-grid-search-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras.wrappers.scikit_learn import KerasClassifier

        def build(lr=1e-3):
            m = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
            m.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
            return m

        clf = KerasClassifier(build_fn=build, epochs=3, batch_size=8)
        """,
    ),
    # ============================================================ env.multiprocessing
    Case(
        name="keras-more24-pool-tiler-returns-generator-unpicklable-k3",
        cause="env.multiprocessing",
        exception="MaybeEncodingError",
        env="k3",
        setup=lambda d: make_images(d / "ortho", ["field"], per_class=4, size=(128, 128), fmt="png"),
        code="""
        import glob
        from multiprocessing import Pool
        import numpy as np
        from PIL import Image

        TILE = 64

        def tile_image(path):
            img = np.asarray(Image.open(path).convert("RGB"))
            h, w = img.shape[:2]
            return (img[y:y + TILE, x:x + TILE] for y in range(0, h, TILE) for x in range(0, w, TILE))

        if __name__ == "__main__":
            paths = sorted(glob.glob("{DATA}/ortho/*/*.png"))
            with Pool(2) as pool:
                tiles = pool.map(tile_image, paths)
            x = np.stack([t for per_image in tiles for t in per_image]).astype("float32") / 255.
            print(x.shape)
        """,
    ),
    Case(
        name="keras-more24-pydataset-workers-spawn-open-h5-handle-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        env="k3",
        code="""
        import multiprocessing as mp
        import h5py
        import numpy as np
        import keras

        class H5Images(keras.utils.PyDataset):
            def __init__(self, path, batch_size=8, **kw):
                super().__init__(**kw)
                self.f = h5py.File(path, "r")                      # kept open for speed
                self.batch_size = batch_size

            def __len__(self):
                return len(self.f["x"]) // self.batch_size

            def __getitem__(self, i):
                s = slice(i * self.batch_size, (i + 1) * self.batch_size)
                return self.f["x"][s].astype("float32") / 255., self.f["y"][s]

        if __name__ == "__main__":
            mp.set_start_method("spawn")                           # as on macOS / Windows
            with h5py.File("train.h5", "w") as f:
                f["x"] = np.random.randint(0, 255, (32, 32, 32, 3), np.uint8)
                f["y"] = np.random.randint(0, 3, 32)
            model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                      keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(H5Images("train.h5", workers=2, use_multiprocessing=True), epochs=1)
        """,
    ),
    # ============================================================ env.distributed
    Case(
        name="keras-more24-mirrored-cpu-distribute-unbatched-dataset-k3",
        cause="env.distributed",
        exception="IndexError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])

        x = np.random.rand(32, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 32)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(32)
        dist_ds = strategy.experimental_distribute_dataset(ds)

        with strategy.scope():
            model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                      keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
            opt = keras.optimizers.Adam()
        for xb, yb in dist_ds:
            print(xb)
            break
        """,
    ),
    Case(
        name="keras-more24-mirrored-cpu-optimizer-before-scope-custom-loop-k3",
        cause="env.distributed",
        exception="RuntimeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        GLOBAL_BATCH = 8

        x = np.random.rand(32, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 32)
        dist_ds = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH))

        optimizer = tf.keras.optimizers.Adam(1e-3)                     # created in the "config" cell
        with strategy.scope():
            model = tf.keras.Sequential([tf.keras.Input((32, 32, 3)), tf.keras.layers.Conv2D(8, 3, activation="relu"),
                                         tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
            loss_obj = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

        def step(inputs):
            xb, yb = inputs
            with tf.GradientTape() as tape:
                logits = model(xb, training=True)
                loss = tf.nn.compute_average_loss(loss_obj(yb, logits), global_batch_size=GLOBAL_BATCH)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        @tf.function
        def dist_step(inputs):
            per_replica = strategy.run(step, args=(inputs,))
            return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

        for epoch in range(2):
            for batch in dist_ds:
                loss = dist_step(batch)
            print("epoch", epoch, float(loss))
        """,
    ),
    # ============================================================ other
    Case(
        name="keras-more24-labels-txt-cp1252-chinese-class-names-k3",
        cause="other",
        exception="UnicodeEncodeError",
        env="k3",
        setup=unicode_classes,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/dishes", image_size=(32, 32), batch_size=3)
        class_names = train_ds.class_names

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Rescaling(1. / 255),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(len(class_names))])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=1)
        model.save("dishes.keras")

        # labels file for the Android app (script copied from a Windows machine)
        with open("labels.txt", "w", encoding="cp1252") as f:
            for name in class_names:
                f.write(name + "\\n")
        """,
    ),
    Case(
        name="keras-more24-json-class-map-numpy-int64-keys-k3",
        cause="other",
        also=("data.dtype",),
        exception="TypeError",
        env="k3",
        setup=leaf_photos,
        code="""
        import json
        import numpy as np
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves/train", image_size=(48, 48), batch_size=6)
        class_names = train_ds.class_names
        labels = np.concatenate([y.numpy() for _, y in train_ds])

        model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Rescaling(1. / 255),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(len(class_names))])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("leaves.keras")

        # index -> name map for the serving code
        idx_to_class = dict(zip(np.unique(labels), class_names))
        with open("class_map.json", "w") as f:
            json.dump(idx_to_class, f, indent=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
