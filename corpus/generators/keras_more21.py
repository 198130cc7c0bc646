"""A twenty-first set of real Keras / TensorFlow failures around the causes of the
project's seed article, in variations the earlier generators leave out, on TF 2.12 /
2.15 (Keras 2, graph-mode ``Graph execution error`` / ``Detected at node`` logs) and
TF 2.21 (Keras 3).

- images of inconsistent channels or size: 32-bit BMP screenshots among 24-bit ones
  through ``decode_image``, before/after drone tiles of two resolutions concatenated
  along channels in a ``map``, a letterbox ``pad_to_bounding_box`` that assumes every
  photo is smaller than the canvas, ``central_crop`` of two camera resolutions before
  ``batch``, a validation ``image_dataset_from_directory`` copied with
  ``color_mode="grayscale"``;
- bounding boxes: right-to-left drags caught by an ``assert_greater`` in a box
  encoder ``map``, a size-adaptive CenterNet gaussian from a negative-width box,
  ``keras.ops.image.crop_images`` given a box past the bottom border and a
  right-to-left box;
- class counts: ``CategoryEncoding`` with a hard-coded class count after a new class
  folder, ``num_classes = max(label)`` without ``+ 1``, a segmentation head without
  the background class, a multi-label ``AUC(num_labels=...)`` left at the old tag count;
- model outputs: a subclassed classifier and a subclassed detector whose ``call``
  forgets ``return``, a fully convolutional head without pooling given image labels;
- objects and paths: ``model_from_json`` given the JSON file's path, ``set_weights``
  given a weights file path, ``flow_from_directory`` given the image array,
  ``CSVLogger`` given an open file, ``class_names`` given the path of ``classes.txt``;
- divergence: NaN grades of an ordinal regressor rounded, cast and given to
  ``confusion_matrix``, NaN boxes of a localiser cast to pixels and cropped, a
  gradient-norm finiteness check in a keypoint regressor's custom loop;
- calls out of order: setting the optimizer's learning rate before ``compile``, a
  k-fold loop fitting ``clone_model`` copies, saving a subclassed model before it was
  called, ``export`` of a subclassed model before it was built.

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more21.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, rgb, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def bmp_screenshots(d: Path):
    """UI screenshots as BMP: the bug reports' tool saved 32-bit (RGBA) bitmaps."""
    from PIL import Image
    for cls in ("ok", "glitch"):
        for i in range(6):
            p = d / "screens" / cls / f"{cls}_{i:02d}.bmp"
            p.parent.mkdir(parents=True, exist_ok=True)
            arr = rgb(60, 80, seed=i + (10 if cls == "glitch" else 0))
            img = Image.fromarray(arr)
            if cls == "glitch" and i % 2 == 0:
                img = img.convert("RGBA")
            img.save(p)


def drone_pairs(d: Path):
    """Change detection pairs: 'before' tiles 64 px, 'after' tiles from the new drone at 80 px."""
    import csv
    rows = []
    for i in range(8):
        save_png(d / "pairs" / "before" / f"tile_{i:03d}.png", rgb(64, 64, seed=i))
        s = 80 if i >= 4 else 64
        save_png(d / "pairs" / "after" / f"tile_{i:03d}.png", rgb(s, s, seed=100 + i))
        rows.append([f"tile_{i:03d}.png", i % 2])
    with open(d / "pairs" / "changes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["tile", "changed"])
        w.writerows(rows)


def shelf_photos(d: Path):
    make_images(d / "shelves", ["empty", "full"], per_class=5, fmt="jpeg",
                sizes=[(200, 150), (200, 150), (320, 240), (150, 200), (200, 150)])


def two_cameras(d: Path):
    make_images(d / "parts", ["good", "scratch"], per_class=6, fmt="jpeg",
                sizes=[(64, 64), (64, 64), (96, 72)])


def leaf_folders(d: Path):
    make_images(d / "leaves" / "train", ["healthy", "rust", "scab"], per_class=6, size=(64, 64))
    make_images(d / "leaves" / "val", ["healthy", "rust", "scab"], per_class=2, size=(64, 64), seed=3)


def labelme_boxes(d: Path):
    import csv
    rows = []
    for i in range(12):
        save_png(d / "meters" / f"meter_{i:03d}.png", rgb(96, 96, seed=i))
        x1, y1, x2, y2 = 10 + i, 20, 60 + i, 50
        if i == 9:                               # dragged from right to left in the tool
            x1, x2 = x2, x1
        rows.append([f"meter_{i:03d}.png", x1, y1, x2, y2])
    with open(d / "meters" / "boxes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "x1", "y1", "x2", "y2"])
        w.writerows(rows)


def cell_boxes(d: Path):
    import json
    ann = {}
    for i in range(8):
        save_png(d / "cells" / f"cell_{i:03d}.png", rgb(64, 64, seed=i))
        boxes = [[8, 8, 24, 30], [30, 34, 50, 58]]
        if i == 5:
            boxes.append([44, 10, 36, 22])      # right-to-left box from the annotator
        ann[f"cell_{i:03d}.png"] = boxes
    (d / "cells" / "boxes.json").write_text(json.dumps(ann))


def crop_boxes_bottom(d: Path):
    import json
    ann = []
    for i in range(6):
        save_png(d / "shelf" / f"shelf_{i:02d}.png", rgb(64, 64, seed=i))
        # boxes drawn on the 96 px preview of the first photos, not on the 64 px file
        y2 = 88 if i == 3 else 48
        ann.append({"file": f"shelf_{i:02d}.png", "box": [40, 10, y2, 30], "label": i % 2})
    (d / "shelf" / "products.json").write_text(json.dumps(ann))


def crop_boxes_rtl(d: Path):
    import json
    ann = []
    for i in range(8):
        save_png(d / "birds" / f"bird_{i:02d}.png", rgb(80, 80, seed=i))
        x1, x2 = (50, 20) if i == 6 else (20, 50)
        ann.append({"file": f"bird_{i:02d}.png", "box": [10, x1, 60, x2], "label": i % 3})
    (d / "birds" / "birds.json").write_text(json.dumps(ann))


def four_class_folders(d: Path):
    make_images(d / "defects", ["crack", "dent", "ok", "rust"], per_class=4, size=(48, 48))


def grade_csv(d: Path):
    import csv
    with open(d / "grades.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["image_id"] + [f"f{i}" for i in range(16)] + ["grade"])
        r = rgb(40, 17, seed=1)
        for i in range(40):
            w.writerow([f"eye_{i:03d}"] + [int(v) for v in r[i, :16, 0]] + [i % 5])


def seg_masks(d: Path):
    import numpy as np
    g = np.random.default_rng(2)
    for i in range(8):
        save_png(d / "seg" / "images" / f"{i:03d}.png", rgb(32, 32, seed=i))
        m = g.integers(0, 4, size=(32, 32)).astype("uint8")  # 0 background, 1..3 road / car / person
        save_png(d / "seg" / "masks" / f"{i:03d}.png", m)


def small_classes(d: Path):
    make_images(d / "flowers", ["daisy", "rose"], per_class=4, size=(32, 32))
    (d / "flowers_classes.txt").write_text("daisy\nrose\n")


# ---------------------------------------------------------------- cases
CASES = [
    # ============================================================ images: size / channels
    Case(
        name="keras-more21-decode-image-bmp-32bit-screenshots-batch-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=bmp_screenshots,
        expect="Cannot add tensor to the batch",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["ok", "glitch"]

        def load(path):
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
            img = tf.image.resize(img, (64, 64)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*glitch.*"), tf.int32)
            return img, label

        files = tf.data.Dataset.list_files("{DATA}/screens/*/*.bmp", shuffle=False)
        ds = files.map(load).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more21-map-concat-before-after-drone-tiles-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=drone_pairs,
        expect="ConcatOp",
        code="""
        import csv
        import tensorflow as tf

        ROOT = "{DATA}/pairs"
        with open(f"{ROOT}/changes.csv") as fh:
            rows = list(csv.DictReader(fh))
        names = [r["tile"] for r in rows]
        labels = [int(r["changed"]) for r in rows]

        def load_pair(name, label):
            before = tf.io.decode_png(tf.io.read_file(ROOT + "/before/" + name), channels=3)
            after = tf.io.decode_png(tf.io.read_file(ROOT + "/after/" + name), channels=3)
            x = tf.concat([before, after], axis=-1)          # 6-channel early fusion
            x = tf.image.resize(x, (64, 64)) / 255.0
            return x, label

        ds = tf.data.Dataset.from_tensor_slices((names, labels)).map(load_pair).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 6)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more21-letterbox-pad-to-bounding-box-large-photo-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=shelf_photos,
        expect="must be >= 0",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CANVAS = 256          # every shelf photo from the store cameras is 200x150

        def letterbox(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            h, w = tf.shape(img)[0], tf.shape(img)[1]
            img = tf.image.pad_to_bounding_box(img, (CANVAS - h) // 2, (CANVAS - w) // 2, CANVAS, CANVAS)
            img = tf.image.resize(img, (96, 96)) / 255.0
            return img, label

        files = sorted(tf.io.gfile.glob("{DATA}/shelves/*/*.jpg"))
        labels = [0 if "/empty/" in f else 1 for f in files]
        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(letterbox).batch(4)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(8, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more21-central-crop-two-camera-resolutions-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=two_cameras,
        expect="Cannot add tensor to the batch",
        code="""
        import tensorflow as tf

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.central_crop(img, 0.875)        # drop the fixture border
            return tf.cast(img, tf.float32) / 255.0, label

        files = sorted(tf.io.gfile.glob("{DATA}/parts/*/*.jpg"))
        labels = [int("/scratch/" in f) for f in files]
        train_ds = (tf.data.Dataset.from_tensor_slices((files, labels))
                    .shuffle(len(files), seed=1).map(load).batch(6))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(None, None, 3)),
            tf.keras.layers.GlobalMaxPooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more21-dir-val-color-mode-grayscale-copy-paste-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=leaf_folders,
        code="""
        import keras
        from keras import layers

        IMG = (64, 64)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/leaves/train", image_size=IMG, batch_size=6, seed=0)
        # copied from the x-ray notebook
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/leaves/val", image_size=IMG, batch_size=6, color_mode="grayscale", shuffle=False)

        model = keras.Sequential([
            keras.Input(IMG + (3,)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)
        """,
    ),
    # ============================================================ bounding boxes
    Case(
        name="keras-more21-box-encoder-assert-xmax-right-to-left-drag-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=labelme_boxes,
        expect="Condition x > y did not hold",
        code="""
        import csv
        import tensorflow as tf

        ROOT = "{DATA}/meters"
        with open(f"{ROOT}/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        files = [f"{ROOT}/{r['file']}" for r in rows]
        boxes = [[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows]

        def encode(path, box):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32) / 255.0
            x1, y1, x2, y2 = tf.unstack(box)
            tf.debugging.assert_greater(x2, x1, message="box has xmax <= xmin")
            tf.debugging.assert_greater(y2, y1, message="box has ymax <= ymin")
            target = tf.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1]) / 96.0
            return img, target

        ds = tf.data.Dataset.from_tensor_slices((files, boxes)).map(encode).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, strides=2, activation="relu", input_shape=(96, 96, 3)),
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid", name="cxcywh"),
        ])
        model.compile("adam", tf.keras.losses.Huber())
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more21-centernet-adaptive-gaussian-negative-width-check-numerics-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=cell_boxes,
        expect="Tensor had NaN values",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/cells"
        ann = json.load(open(f"{ROOT}/boxes.json"))
        STRIDE, OUT = 4, 16

        def heatmap(boxes):
            hm = np.zeros((OUT, OUT, 1), np.float32)
            ys, xs = np.mgrid[0:OUT, 0:OUT]
            for x1, y1, x2, y2 in boxes:
                w, h = (x2 - x1) / STRIDE, (y2 - y1) / STRIDE
                cx, cy = (x1 + x2) / 2 / STRIDE, (y1 + y2) / 2 / STRIDE
                sigma = np.sqrt(w * h) / 6                      # size-adaptive gaussian
                g = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * sigma ** 2))
                hm[..., 0] = np.maximum(hm[..., 0], g)
            return hm

        class Cells(keras.utils.PyDataset):
            def __init__(self, **kw):
                super().__init__(**kw)
                self.files = sorted(ann)

            def __len__(self):
                return len(self.files) // 4

            def __getitem__(self, i):
                names = self.files[i * 4:(i + 1) * 4]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/{n}")) / 255.0 for n in names])
                y = np.stack([heatmap(ann[n]) for n in names])
                return x, y

        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(h)
        model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid", name="heatmap")(h))
        opt = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.BinaryFocalCrossentropy()

        @tf.function
        def step(x, y):
            y = tf.debugging.check_numerics(y, "centernet heatmap target")
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        data = Cells()
        for epoch in range(2):
            for i in range(len(data)):
                x, y = data[i]
                loss = step(tf.constant(x, tf.float32), tf.constant(y))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more21-ops-crop-images-box-past-bottom-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=crop_boxes_bottom,
        code="""
        import json
        import numpy as np
        import keras
        from keras import layers, ops

        ROOT = "{DATA}/shelf"
        ann = json.load(open(f"{ROOT}/products.json"))

        crops, labels = [], []
        for a in ann:
            img = keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/{a['file']}")) / 255.0
            y1, x1, y2, x2 = a["box"]
            crop = ops.image.crop_images(img, top_cropping=y1, left_cropping=x1,
                                         target_height=y2 - y1, target_width=x2 - x1)
            crops.append(ops.image.resize(crop, (32, 32)))
            labels.append(a["label"])

        x = np.stack([ops.convert_to_numpy(c) for c in crops])
        y = np.array(labels)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=2)
        """,
    ),
    Case(
        name="keras-more21-pydataset-ops-crop-images-right-to-left-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="k3",
        setup=crop_boxes_rtl,
        expect="target_width must be >= 0",
        code="""
        import json
        import numpy as np
        import keras
        from keras import layers, ops

        ROOT = "{DATA}/birds"
        ann = json.load(open(f"{ROOT}/birds.json"))

        class BirdCrops(keras.utils.PyDataset):
            def __init__(self, items, batch_size=4, **kw):
                super().__init__(**kw)
                self.items, self.batch_size = items, batch_size

            def __len__(self):
                return len(self.items) // self.batch_size

            def __getitem__(self, i):
                xs, ys = [], []
                for a in self.items[i * self.batch_size:(i + 1) * self.batch_size]:
                    img = keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/{a['file']}")) / 255.0
                    y1, x1, y2, x2 = a["box"]
                    crop = ops.image.crop_images(img, top_cropping=y1, left_cropping=x1,
                                                 target_height=y2 - y1, target_width=x2 - x1)
                    xs.append(ops.convert_to_numpy(ops.image.resize(crop, (48, 48))))
                    ys.append(a["label"])
                return np.stack(xs), np.array(ys)

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(BirdCrops(ann), epochs=2)
        """,
    ),
    # ============================================================ class counts
    Case(
        name="keras-more21-category-encoding-hardcoded-classes-new-folder-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=four_class_folders,
        expect="num_tokens=3",
        code="""
        import tensorflow as tf

        NUM_CLASSES = 3          # crack, dent, ok

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/defects", image_size=(48, 48), batch_size=4, seed=1)
        one_hot = tf.keras.layers.CategoryEncoding(num_tokens=NUM_CLASSES, output_mode="one_hot")
        train_ds = train_ds.map(lambda x, y: (x / 255.0, one_hot(y)))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more21-num-classes-max-label-no-plus-one-k3",
        cause="model.output_mismatch",
        # a class id at the head's size is also the taxonomy's label_out_of_range, as the corpus's
        # other head-one-short cases are labelled
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="k3",
        setup=grade_csv,
        expect="outside the valid range",
        code="""
        import numpy as np
        import keras
        from keras import layers

        data = np.genfromtxt("{DATA}/grades.csv", delimiter=",", skip_header=1)[:, 1:]
        x = data[:, :-1].astype("float32") / 255.0
        y = data[:, -1].astype("int64")                 # retinopathy grade 0..4
        num_classes = int(y.max())

        model = keras.Sequential([
            keras.Input((x.shape[1],)),
            layers.Dense(32, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    Case(
        name="keras-more21-seg-head-without-background-class-tf215",
        cause="model.output_mismatch",
        # a class id at the head's size is also the taxonomy's label_out_of_range, as the corpus's
        # other head-one-short cases are labelled
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=seg_masks,
        expect="outside the valid range",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        CLASSES = ["road", "car", "person"]

        images = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p)) / 255.0
                           for p in sorted(glob.glob("{DATA}/seg/images/*.png"))])
        masks = np.stack([np.array(tf.keras.utils.load_img(p, color_mode="grayscale"))
                          for p in sorted(glob.glob("{DATA}/seg/masks/*.png"))]).astype("int32")

        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = tf.keras.layers.Conv2D(len(CLASSES), 1, activation="softmax")(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(images, masks, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more21-multilabel-auc-num-labels-old-tag-count-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        expect="Dimensions must be equal",
        code="""
        import numpy as np
        import keras
        from keras import layers

        TAGS = ["cloudy", "clear", "haze", "water", "road", "agriculture"]   # "agriculture" added this week
        rng = np.random.default_rng(0)
        x = rng.random((32, 32, 32, 3)).astype("float32")
        y = (rng.random((32, len(TAGS))) > 0.5).astype("float32")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True, num_labels=5, name="auc")])
        model.fit(x, y, epochs=2, batch_size=8)
        """,
    ),
    # ============================================================ custom model outputs
    Case(
        name="keras-more21-subclassed-classifier-call-missing-return-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class SmallNet(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.conv = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.drop = layers.Dropout(0.2)
                self.head = layers.Dense(num_classes, activation="softmax")

            def call(self, x, training=False):
                x = self.pool(self.conv(x))
                x = self.drop(x, training=training)
                probs = self.head(x)

        rng = np.random.default_rng(0)
        x = rng.random((24, 32, 32, 3)).astype("float32")
        y = rng.integers(0, 4, 24)
        model = SmallNet(4)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more21-subclassed-detector-call-missing-return-tf215",
        cause="model.output_mismatch",
        exception="AttributeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class PlateDetector(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D(),
                ])
                self.box = tf.keras.layers.Dense(4, activation="sigmoid")

            def call(self, images, training=False):
                features = self.backbone(images, training=training)
                boxes = self.box(features)
                if training:
                    return boxes

        rng = np.random.default_rng(0)
        images = rng.random((16, 64, 64, 3)).astype("float32")
        boxes = rng.random((16, 4)).astype("float32")
        model = PlateDetector()
        model.compile("adam", tf.keras.losses.Huber())
        model.fit(images, boxes, validation_split=0.25, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more21-fully-conv-head-no-pooling-image-labels-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 5
        rng = np.random.default_rng(0)
        x = rng.random((20, 64, 64, 3)).astype("float32")
        y = rng.integers(0, NUM_CLASSES, 20)

        # "all-convolutional" classifier: 1x1 conv as the classifier, no Dense
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(NUM_CLASSES, 1, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    # ============================================================ objects and paths
    Case(
        name="keras-more21-model-from-json-given-file-path-tf215",
        cause="model.api_misuse",
        exception="JSONDecodeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 3, 16), epochs=1, verbose=2)
        with open("model.json", "w") as fh:
            fh.write(model.to_json())
        model.save_weights("model_weights.h5")

        # ---- inference script
        restored = tf.keras.models.model_from_json("model.json")
        restored.load_weights("model_weights.h5")
        print(restored.predict(np.random.rand(2, 32, 32, 3)))
        """,
    ),
    Case(
        name="keras-more21-set-weights-given-weights-file-path-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        def build():
            return keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])

        teacher = build()
        teacher.compile("adam", "sparse_categorical_crossentropy")
        teacher.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 3, 16), epochs=1, verbose=2)
        teacher.save_weights("teacher.weights.h5")

        # warm-start the EMA copy from the saved teacher
        ema = build()
        ema.set_weights("teacher.weights.h5")
        print(ema.predict(np.random.rand(2, 32, 32, 3)))
        """,
    ),
    Case(
        name="keras-more21-flow-from-directory-given-image-array-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=lambda d: make_images(d / "dogs", ["husky", "pug"], per_class=4, size=(48, 48)),
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        # images were preloaded into memory to speed up training
        x_train = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p))
                            for p in sorted(tf.io.gfile.glob("{DATA}/dogs/*/*.png"))])
        datagen = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True)
        train_gen = datagen.flow_from_directory(x_train, target_size=(48, 48), batch_size=4,
                                                class_mode="binary")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy")
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more21-csv-logger-given-open-file-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        rng = np.random.default_rng(0)
        x = rng.random((32, 32, 32, 3)).astype("float32")
        y = rng.integers(0, 2, 32)

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

        log_file = open("training_log.csv", "w")
        model.fit(x, y, epochs=3, batch_size=8,
                  callbacks=[keras.callbacks.CSVLogger(log_file, append=True)])
        log_file.close()
        """,
    ),
    Case(
        name="keras-more21-dir-class-names-given-classes-txt-path-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=small_classes,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers",
            class_names="{DATA}/flowers_classes.txt",   # keep the label order of the mobile app
            image_size=(32, 32),
            batch_size=4,
        )
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ divergence
    Case(
        name="keras-more21-ordinal-grade-regressor-nan-confusion-matrix-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        expect="nan",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rng = np.random.default_rng(0)
        x = rng.integers(0, 256, (64, 16, 16, 3)).astype("float32")       # raw pixel values
        y = rng.integers(0, 5, (64, 1)).astype("float32")                 # retinopathy grade as a regression target
        x_val, y_val = x[:16], y[:16]

        model = keras.Sequential([
            keras.Input((16, 16, 3)),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(keras.optimizers.SGD(learning_rate=0.1), "mse")
        model.fit(x, y, validation_data=(x_val, y_val), epochs=3, batch_size=8,
                  callbacks=[keras.callbacks.TerminateOnNaN()])

        pred = np.clip(np.round(model.predict(x_val)), 0, 4)
        cm = tf.math.confusion_matrix(y_val[:, 0].astype("int32"), tf.cast(pred[:, 0], tf.int32), num_classes=5)
        print(cm.numpy())
        """,
    ),
    Case(
        name="keras-more21-nan-plate-box-cast-crop-to-bounding-box-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        expect="nan",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (32, 64, 64, 3)).astype("float32")   # forgot / 255
        boxes = np.tile([[0.4, 0.2, 0.6, 0.8]], (32, 1)).astype("float32")  # ymin, xmin, ymax, xmax

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4),
        ])
        model.compile(tf.keras.optimizers.SGD(learning_rate=10.0), "mse")
        model.fit(images, boxes, epochs=4, batch_size=8)

        photo = images[0]
        pred = model.predict(photo[None])[0]
        print("predicted box:", pred)
        y1, x1, y2, x2 = tf.unstack(tf.cast(pred * [64, 64, 64, 64], tf.int32))
        plate = tf.image.crop_to_bounding_box(photo, y1, x1, y2 - y1, x2 - x1)
        tf.keras.utils.save_img("plate.png", plate)
        """,
    ),
    Case(
        name="keras-more21-keypoint-loop-global-norm-assert-finite-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        expect="gradient norm",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        x = rng.random((64, 32, 32, 3)).astype("float32") * 255.0
        y = rng.random((64, 10)).astype("float32") * 32.0          # 5 facial keypoints (x, y) in pixels
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, input_shape=(32, 32, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10),
        ])
        opt = tf.keras.optimizers.SGD(learning_rate=0.5, momentum=0.9)

        @tf.function
        def train_step(images, points):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(images, training=True) - points))
            grads = tape.gradient(loss, model.trainable_variables)
            gnorm = tf.debugging.assert_all_finite(tf.linalg.global_norm(grads), "gradient norm")
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss, gnorm

        for epoch in range(10):
            for images, points in ds:
                loss, gnorm = train_step(images, points)
            print(f"epoch {epoch}: loss={loss.numpy():.4f} grad_norm={gnorm.numpy():.1f}")
        """,
    ),
    # ============================================================ calls out of order
    Case(
        name="keras-more21-optimizer-learning-rate-before-compile-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                 layers.GlobalAveragePooling2D()], name="backbone")
        model = keras.Sequential([base, layers.Dense(4, activation="softmax")])

        # fine-tune stage: smaller learning rate
        base.trainable = True
        model.optimizer.learning_rate = 1e-5
        model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 4, 16), epochs=1)
        """,
    ),
    Case(
        name="keras-more21-kfold-clone-model-not-compiled-tf215",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        x = rng.random((40, 32, 32, 3)).astype("float32")
        y = rng.integers(0, 3, 40)

        template = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        template.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

        folds = np.array_split(np.arange(len(x)), 4)
        scores = []
        for k, val_idx in enumerate(folds):
            train_idx = np.setdiff1d(np.arange(len(x)), val_idx)
            model = tf.keras.models.clone_model(template)      # fresh weights for every fold
            model.fit(x[train_idx], y[train_idx], epochs=2, batch_size=8, verbose=0)
            scores.append(model.evaluate(x[val_idx], y[val_idx], verbose=0)[1])
        print("cv accuracy", np.mean(scores))
        """,
    ),
    Case(
        name="keras-more21-subclassed-save-before-first-call-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class LeafNet(tf.keras.Model):
            def __init__(self, num_classes=4):
                super().__init__()
                self.conv = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.out = tf.keras.layers.Dense(num_classes, activation="softmax")

            def call(self, x):
                return self.out(self.pool(self.conv(x)))

        model = LeafNet()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        # save the untrained model first so the serving team can test the endpoint
        model.save("leafnet_savedmodel")
        model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 4, 16), epochs=2)
        """,
    ),
    Case(
        name="keras-more21-export-subclassed-before-build-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class DefectNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.conv = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.out = layers.Dense(2, activation="softmax")

            def call(self, x):
                return self.out(self.pool(self.conv(x)))

        model = DefectNet()
        # export the serving graph first, train in the nightly job
        model.export("export/defectnet", format="tf_saved_model")
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(8, 32, 32, 3), np.random.randint(0, 2, 8), epochs=1)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
