"""A third set of real Keras / TensorFlow failures from image classifiers,
detectors and segmenters, in code paths keras_more.py and keras_more2.py leave
out: tf.stack / np.stack of unresized photos inside a Sequence, colour
augmentations and ImageNet normalisation on grayscale / RGBA images,
channels-first arrays from a PyTorch pipeline, box utilities
(sample_distorted_bounding_box, crop_to_bounding_box, non_max_suppression,
keras.utils.bounding_boxes) fed with pixel / xywh / 5-column boxes, tf.gather
and confusion matrices with out-of-range class ids, label lists shorter than the
image list, dtype slips in tf.data (uint8 vs float CutMix, float one_hot indices,
int32 TFRecord features, resizing undecoded bytes), missing TFRecord shards and
Windows paths in CSV annotations, empty splits, Keras API slips (metrics as a
string, PIL images to predict, unpacking evaluate, history keys, dict input
names, dataset plus y, generator structure, KerasTensors in TF functions),
weights copied / restored into a changed model, Keras 3 / Keras 2 / NumPy 2
incompatibilities, NaN predictions met by np.histogram and by box drawing, an
optimizer reused after unfreezing, host memory, no visible GPU, tf.distribute
loss reduction and TF_CONFIG, k-means anchors with too few boxes.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more3.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

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
def phone_photos(d: Path):
    """JPEG photos straight from phones: portrait, landscape, different cameras."""
    make_images(d / "photos", ["cat", "dog"], per_class=5, fmt="jpeg",
                sizes=[(64, 48), (48, 64), (80, 60), (64, 48)])


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(40, 40), fmt="jpeg")


def xray_pngs(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=6, size=(64, 64), mode="L")


def rgba_logos(d: Path):
    make_images(d / "logos", ["brand_a", "brand_b"], per_class=6, size=(64, 64), mode="RGBA")


def pets_small(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=9, size=(48, 48), fmt="jpeg")


def pets_lowercase(d: Path):
    make_images(d / "pets", ["Cat", "Dog"], per_class=6, size=(48, 48), fmt="jpeg")


def scene_with_boxes(d: Path):
    import json
    import numpy as np
    rng = np.random.default_rng(2)
    _png(d / "street.png", rng.integers(0, 255, size=(96, 128, 3), dtype=np.uint8))
    # COCO export: bbox = [x, y, width, height] in pixels
    ann = {"image": "street.png", "objects": [
        {"category": "car", "bbox": [30, 40, 40, 25]},
        {"category": "person", "bbox": [90, 20, 14, 40]},
    ]}
    (d / "street.json").write_text(json.dumps(ann))


def csv_windows_paths(d: Path):
    make_images(d / "dataset" / "images", ["all"], per_class=8, size=(48, 48), fmt="jpeg")
    src = d / "dataset" / "images" / "all"
    rows = ["filename,label"]
    for i, p in enumerate(sorted(src.iterdir())):
        p.rename(d / "dataset" / "images" / p.name)
        rows.append(f"images\\{p.name},{i % 2}")       # exported on Windows
    src.rmdir()
    (d / "dataset" / "labels.csv").write_text("\n".join(rows) + "\n")


def tfrecord_shards(d: Path):
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(3)
    (d / "tfrecords").mkdir()
    for s in range(4):
        with tf.io.TFRecordWriter(str(d / "tfrecords" / f"train-{s:05d}-of-00004")) as w:
            for i in range(8):
                img = tf.io.encode_jpeg(rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8)).numpy()
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
                    "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                }))
                w.write(ex.SerializeToString())


def tfrecord_small(d: Path):
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(4)
    with tf.io.TFRecordWriter(str(d / "train.tfrecord")) as w:
        for i in range(16):
            img = tf.io.encode_png(rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8)).numpy()
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 4])),
            }))
            w.write(ex.SerializeToString())


def photos_and_short_csv(d: Path):
    make_images(d / "images", ["all"], per_class=12, size=(40, 40), fmt="jpeg")
    rows = ["filename,label"]
    for i in range(10):                 # two images were added after the csv was written
        rows.append(f"all_{i:03d}.jpg,{i % 2}")
    (d / "labels.csv").write_text("\n".join(rows) + "\n")


def keras3_saved_model(d: Path):
    """A .keras file saved with Keras 3 (e.g. in Colab), to be opened with TF 2.15."""
    import subprocess
    code = (
        "import numpy as np, keras\n"
        "m = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation='relu'),\n"
        "                      keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation='softmax')])\n"
        "m.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])\n"
        "m.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 3, 16), epochs=1, verbose=0)\n"
        f"m.save(r'{d}/flowers_classifier.keras')\n"
    )
    subprocess.run([_tfrecord.VENVS["k3"] + "/bin/python", "-c", code], check=True,
                   env={"PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3"},
                   capture_output=True)


def yolo_labels_few(d: Path):
    import numpy as np
    rng = np.random.default_rng(6)
    (d / "labels").mkdir()
    # a fresh dataset: only a handful of images annotated so far, one box each
    for i in range(5):
        cx, cy, w, h = rng.uniform(0.2, 0.8, 4) * [1, 1, 0.4, 0.4]
        (d / "labels" / f"img_{i:03d}.txt").write_text(f"0 {cx:.4f} {cy:.4f} {w:.4f} {h:.4f}\n")


CASES = [
    # ============================================================ image sizes
    Case(
        name="keras-more3-pydataset-tf-stack-unresized-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=phone_photos,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class PhotoBatches(keras.utils.PyDataset):
            def __init__(self, paths, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.paths, self.batch_size = paths, batch_size

            def __len__(self):
                return len(self.paths) // self.batch_size

            def __getitem__(self, idx):
                batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
                images = [tf.io.decode_jpeg(tf.io.read_file(p), channels=3) for p in batch]
                labels = np.array([0 if "/cat/" in p else 1 for p in batch])
                return tf.cast(tf.stack(images), tf.float32) / 255.0, labels

        paths = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
        model = keras.Sequential([keras.Input((None, None, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(PhotoBatches(paths), epochs=3)
        """,
    ),
    Case(
        name="keras-more3-sequence-np-stack-unresized-tf215",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf215",
        setup=phone_photos,
        code="""
        import glob
        import math
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        class PhotoSequence(tf.keras.utils.Sequence):
            def __init__(self, paths, batch_size=4):
                self.paths, self.batch_size = paths, batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in batch])
                y = np.array([0 if "/cat/" in p else 1 for p in batch])
                return x, y

        paths = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(None, None, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(PhotoSequence(paths), epochs=3)
        """,
    ),
    # ============================================================ channels
    Case(
        name="keras-more3-random-saturation-on-grayscale-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=xray_pngs,
        code="""
        import tensorflow as tf
        import keras

        AUTOTUNE = tf.data.AUTOTUNE

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.resize(img, (64, 64)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/pneumonia/.*"), tf.int32)
            return img, label

        def augment(img, label):
            img = tf.image.random_flip_left_right(img)
            img = tf.image.random_brightness(img, 0.1)
            img = tf.image.random_saturation(img, 0.8, 1.2)     # copied from the flowers notebook
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/xray/*/*.png").map(load, num_parallel_calls=AUTOTUNE)
        ds = ds.map(augment, num_parallel_calls=AUTOTUNE).batch(4).prefetch(AUTOTUNE)

        model = keras.Sequential([keras.Input((64, 64, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.MaxPooling2D(), keras.layers.Conv2D(32, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more3-imagenet-normalize-rgba-logos-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=rgba_logos,
        code="""
        import tensorflow as tf

        MEAN = tf.constant([0.485, 0.456, 0.406])
        STD = tf.constant([0.229, 0.224, 0.225])
        class_names = ["brand_a", "brand_b"]

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path), channels=0)     # keep the file's channels
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = (img - MEAN) / STD
            label = tf.cast(tf.strings.regex_full_match(path, ".*/brand_b/.*"), tf.int32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/logos/*/*.png").map(load).batch(4)
        base = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(len(class_names), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-channels-first-arrays-from-torch-k3",
        cause="model.input_shape",
        also=("data.image_channels",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # arrays exported from the PyTorch data pipeline: (N, C, H, W)
        x_train = np.random.rand(64, 3, 32, 32).astype("float32")
        y_train = np.random.randint(0, 10, 64)

        model = keras.Sequential([
            keras.Input(shape=x_train.shape[1:]),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=16, epochs=2)
        """,
    ),
    # ============================================================ boxes
    Case(
        name="keras-more3-sample-distorted-bbox-pixel-boxes-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=scene_with_boxes,
        code="""
        import json
        import tensorflow as tf

        ann = json.load(open("{DATA}/street.json"))
        image = tf.io.decode_png(tf.io.read_file("{DATA}/" + ann["image"]), channels=3)
        boxes = []
        for obj in ann["objects"]:
            x, y, w, h = obj["bbox"]
            boxes.append([y, x, y + h, x + w])            # [ymin, xmin, ymax, xmax]
        boxes = tf.constant([boxes], tf.float32)

        def random_crop(image, boxes):
            begin, size, window = tf.image.sample_distorted_bounding_box(
                tf.shape(image), bounding_boxes=boxes, min_object_covered=0.5,
                aspect_ratio_range=(0.75, 1.33), area_range=(0.3, 1.0))
            return tf.slice(image, begin, size)

        for _ in range(4):
            crop = random_crop(image, boxes)
            print(crop.shape)
        """,
    ),
    Case(
        name="keras-more3-crop-objects-xywh-as-corners-tf215",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        setup=scene_with_boxes,
        code="""
        import json
        import tensorflow as tf

        # cut every annotated object out of the scene to train a crop classifier
        ann = json.load(open("{DATA}/street.json"))
        image = tf.io.decode_png(tf.io.read_file("{DATA}/" + ann["image"]), channels=3)
        crops = []
        for obj in ann["objects"]:
            x1, y1, x2, y2 = obj["bbox"]
            crop = tf.image.crop_to_bounding_box(image, y1, x1, y2 - y1, x2 - x1)
            crops.append(tf.image.resize(crop, (32, 32)))
        print(len(crops), "crops")
        """,
    ),
    Case(
        name="keras-more3-nms-boxes-with-score-column-tf212",
        cause="data.bbox_invalid",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        env="tf212",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(5, 1)(h)                       # per cell: x1, y1, x2, y2, objectness
        detections = tf.keras.layers.Reshape((-1, 5))(h)
        detector = tf.keras.Model(inputs, detections)

        pred = detector.predict(np.random.rand(1, 64, 64, 3).astype("float32"))[0]
        boxes = tf.sigmoid(pred)
        scores = boxes[:, 4]
        keep = tf.image.non_max_suppression(boxes, scores, max_output_size=20, iou_threshold=0.5)
        print(tf.gather(boxes, keep))
        """,
    ),
    Case(
        name="keras-more3-bbox-convert-format-yolo-rows-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras

        # YOLO label rows: class cx cy w h (normalised)
        rows = np.array([[0, 0.50, 0.40, 0.20, 0.30],
                         [2, 0.25, 0.70, 0.10, 0.15],
                         [1, 0.80, 0.20, 0.30, 0.25]], dtype="float32")
        boxes = keras.utils.bounding_boxes.convert_format(
            rows, source="rel_center_xywh", target="xyxy", height=416, width=416)
        print(boxes)
        """,
    ),
    # ============================================================ label values
    Case(
        name="keras-more3-class-weight-gather-in-loss-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 5
        # grades 1..5 read from the folder names "grade_1" ... "grade_5"
        y = np.random.randint(1, NUM_CLASSES + 1, 80)
        x = np.random.rand(80, 32, 32, 3).astype("float32")
        counts = np.bincount(y, minlength=NUM_CLASSES + 1)[1:]
        class_weights = tf.constant(len(y) / (NUM_CLASSES * counts), tf.float32)

        def weighted_sparse_ce(y_true, y_pred):
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            w = tf.gather(class_weights, y_true)
            ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
            return tf.reduce_mean(w * ce)

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
        model.compile("adam", loss=weighted_sparse_ce, metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-confusion-matrix-one-based-test-labels-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        classes = ["glioma", "meningioma", "pituitary"]
        x_train = np.random.rand(48, 32, 32, 3).astype("float32")
        y_train = np.random.randint(0, 3, 48)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(len(classes), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=16, epochs=1)

        # the test csv numbers the classes 1..3
        x_test = np.random.rand(12, 32, 32, 3).astype("float32")
        y_test = np.array([1, 2, 3] * 4)
        y_pred = np.argmax(model.predict(x_test), axis=1)
        cm = tf.math.confusion_matrix(y_test, y_pred, num_classes=len(classes))
        print(cm.numpy())
        """,
    ),
    # ============================================================ label shape
    Case(
        name="keras-more3-sparse-xent-onehot-custom-loop-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = tf.keras.utils.to_categorical(np.random.randint(0, 4, 64), 4)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(4)])
        optimizer = tf.keras.optimizers.Adam(1e-3)

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(2):
            for images, labels in ds:
                loss = train_step(images, labels)
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    Case(
        name="keras-more3-csv-labels-fewer-than-images-k3",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        env="k3",
        setup=photos_and_short_csv,
        code="""
        import csv
        import glob
        import tensorflow as tf

        paths = sorted(glob.glob("{DATA}/images/*/*.jpg"))
        with open("{DATA}/labels.csv") as f:
            labels = [int(row["label"]) for row in csv.DictReader(f)]

        def load(path, label):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (40, 40)) / 255.0
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        """,
    ),
    # ============================================================ dtypes
    Case(
        name="keras-more3-cutmix-uint8-and-resized-float-k3",
        cause="data.dtype",
        exception="TypeError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=None)

        def load_other(path):
            return tf.io.decode_jpeg(tf.io.read_file(path), channels=3)

        others = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load_other)

        def cutmix_rows(sample, other):
            (img, label) = sample
            patch = tf.image.resize(other, (40, 40))[20:]               # bottom half of another photo
            mixed = tf.concat([tf.cast(img, tf.uint8)[:20], patch], axis=0)
            return mixed, label

        mixed_ds = tf.data.Dataset.zip((train_ds, others)).map(cutmix_rows).batch(4)
        """,
    ),
    Case(
        name="keras-more3-tfrecord-feature-int32-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        env="k3",
        setup=tfrecord_small,
        code="""
        import tensorflow as tf
        import keras

        feature_spec = {
            "image": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int32),
        }

        def parse(record):
            ex = tf.io.parse_single_example(record, feature_spec)
            img = tf.cast(tf.io.decode_png(ex["image"], channels=3), tf.float32) / 255.0
            return tf.reshape(img, (32, 32, 3)), ex["label"]

        ds = tf.data.TFRecordDataset("{DATA}/train.tfrecord").map(parse).shuffle(64).batch(8)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-resize-undecoded-file-bytes-tf215",
        cause="model.api_misuse",
        also=("data.dtype",),
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.read_file(path)
            img = tf.image.resize(img, [40, 40])
            return img / 255.0

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(8)
        """,
    ),
    # ============================================================ missing / corrupt / empty
    Case(
        name="keras-more3-tfrecord-shard-names-with-extension-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="k3",
        setup=tfrecord_shards,
        pty=True,
        code="""
        import tensorflow as tf
        import keras

        NUM_SHARDS = 4
        files = [f"{DATA}/tfrecords/train-{i:05d}-of-{NUM_SHARDS:05d}.tfrecord" for i in range(NUM_SHARDS)]
        spec = {"image/encoded": tf.io.FixedLenFeature([], tf.string),
                "image/class/label": tf.io.FixedLenFeature([], tf.int64)}

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            return tf.reshape(img, (32, 32, 3)), ex["image/class/label"]

        ds = tf.data.TFRecordDataset(files).map(parse).batch(8).prefetch(tf.data.AUTOTUNE)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-pydataset-windows-paths-in-csv-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        env="k3",
        setup=csv_windows_paths,
        code="""
        import csv
        import os
        import numpy as np
        import keras
        from keras import layers

        ROOT = "{DATA}/dataset"

        class CsvImages(keras.utils.PyDataset):
            def __init__(self, csv_path, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.rows) // self.batch_size

            def __getitem__(self, idx):
                rows = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(os.path.join(ROOT, r["filename"]),
                                                                           target_size=(48, 48))) / 255.0
                              for r in rows])
                y = np.array([int(r["label"]) for r in rows])
                return x, y

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(CsvImages(os.path.join(ROOT, "labels.csv")), epochs=2)
        """,
    ),
    Case(
        name="keras-more3-dir-class-names-case-mismatch-tf215",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        setup=pets_lowercase,
        code="""
        import tensorflow as tf

        CLASS_NAMES = ["cat", "dog"]
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/pets", class_names=CLASS_NAMES, image_size=(48, 48), batch_size=4)
        """,
    ),
    Case(
        name="keras-more3-empty-train-split-take-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=pets_small,
        pty=True,
        code="""
        import tensorflow as tf

        ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=32)
        n_batches = tf.data.experimental.cardinality(ds).numpy()
        train_size = int(0.8 * n_batches)
        train_ds = ds.take(train_size)
        val_ds = ds.skip(train_size)

        model = tf.keras.Sequential([tf.keras.layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
                                     tf.keras.layers.Conv2D(8, 3, activation="relu"),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
]
CASES += [
    # ============================================================ model input shapes
    Case(
        name="keras-more3-include-top-imagenet-input-size-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import keras

        IMG_SIZE = 160
        model = keras.applications.EfficientNetB0(include_top=True, weights="imagenet",
                                                  input_shape=(IMG_SIZE, IMG_SIZE, 3))
        model.summary()
        """,
    ),
    Case(
        name="keras-more3-decoder-reshape-wrong-size-tf212",
        cause="model.input_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tf212",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        latent_dim = 64
        encoder_inputs = tf.keras.Input((28, 28, 1))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(encoder_inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        z = layers.Dense(latent_dim)(layers.Flatten()(x))

        x = layers.Dense(7 * 7 * 32, activation="relu")(z)
        x = layers.Reshape((7, 7, 64))(x)
        x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
        decoded = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(x)
        autoencoder = tf.keras.Model(encoder_inputs, decoded)
        """,
    ),
    Case(
        name="keras-more3-conv-channels-first-on-cpu-tf215",
        cause="model.api_misuse",
        also=("env.cuda_setup",),
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        x = np.random.rand(32, 3, 32, 32).astype("float32")
        y = np.random.randint(0, 10, 32)
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", data_format="channels_first", input_shape=(3, 32, 32)),
            layers.MaxPooling2D(2, data_format="channels_first"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
    # ============================================================ API misuse
    Case(
        name="keras-more3-class-names-after-map-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)
        normalization = keras.layers.Rescaling(1.0 / 255)
        train_ds = train_ds.map(lambda x, y: (normalization(x), y)).cache().prefetch(tf.data.AUTOTUNE)

        num_classes = len(train_ds.class_names)
        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(num_classes)])
        """,
    ),
    Case(
        name="keras-more3-compile-metrics-as-string-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics="accuracy")
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 4, 32), epochs=1)
        """,
    ),
    Case(
        name="keras-more3-predict-pil-image-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        script="predict.py",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Rescaling(1 / 255),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        img = keras.utils.load_img("{DATA}/flowers/roses/roses_002.jpg", target_size=(40, 40))
        pred = model.predict(img)
        print(["daisy", "roses", "tulips"][int(np.argmax(pred))])
        """,
    ),
    Case(
        name="keras-more3-evaluate-unpack-without-metrics-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 2, 64)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x[:48], y[:48], batch_size=16, epochs=1, verbose=2)
        test_loss, test_acc = model.evaluate(x[48:], y[48:], verbose=2)
        print(f"test accuracy: {test_acc:.3f}")
        """,
    ),
    Case(
        name="keras-more3-history-accuracy-key-acc-metric-tfk2",
        cause="model.api_misuse",
        exception="KeyError",
        env="tfk2",
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(96, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 96)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
        history = model.fit(x, y, validation_split=0.25, batch_size=16, epochs=3)

        acc = history.history["accuracy"]
        val_acc = history.history["val_accuracy"]
        for epoch, (a, v) in enumerate(zip(acc, val_acc)):
            print(f"epoch {epoch}: acc={a:.3f} val_acc={v:.3f}")
        """,
    ),
    # left out: keras-more3-from-generator-yields-dict-k3 (a generator yielding a dict where the
    # signature declares a tuple). TF's C++ log repeats the inner TypeError tracebacks after the
    # final InvalidArgumentError, so the parser takes the wrong failure as the one that ended the run;
    # kept as a held-out case only until the parser reads interleaved C++ logs.
    Case(
        name="keras-more3-dict-input-names-mismatch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        image_in = keras.Input((32, 32, 3), name="image")
        meta_in = keras.Input((4,), name="metadata")          # age, sex, site, scanner
        h = layers.GlobalAveragePooling2D()(layers.Conv2D(16, 3, activation="relu")(image_in))
        h = layers.Concatenate()([h, layers.Dense(8, activation="relu")(meta_in)])
        model = keras.Model([image_in, meta_in], layers.Dense(1, activation="sigmoid")(h))
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

        n = 64
        inputs = {"img": np.random.rand(n, 32, 32, 3).astype("float32"),
                  "meta": np.random.rand(n, 4).astype("float32")}
        model.fit(inputs, np.random.randint(0, 2, n), batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-fit-dataset-and-y-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 64)
        augment = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])
        train_ds = tf.data.Dataset.from_tensor_slices(x).batch(16).map(lambda b: augment(b, training=True))

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, y, epochs=2)
        """,
    ),
    Case(
        name="keras-more3-tf-image-resize-on-keras-input-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        env="k3",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        inputs = keras.Input((None, None, 3))
        x = tf.image.resize(inputs, (96, 96))
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        x = layers.GlobalAveragePooling2D()(base(x))
        model = keras.Model(inputs, layers.Dense(5, activation="softmax")(x))
        """,
    ),
    Case(
        name="keras-more3-strategy-run-loss-reduction-auto-tf215",
        cause="model.api_misuse",
        also=("env.distributed",),
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        GLOBAL_BATCH = 16
        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 4, 64)
        dist_ds = strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH))

        with strategy.scope():
            model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                         tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(4)])
            optimizer = tf.keras.optimizers.Adam()
            loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        def step(images, labels):
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        @tf.function
        def distributed_step(images, labels):
            per_replica = strategy.run(step, args=(images, labels))
            return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

        for images, labels in dist_ds:
            print(float(distributed_step(images, labels)))
        """,
    ),
    Case(
        name="keras-more3-unfreeze-base-same-optimizer-custom-loop-tf215",
        cause="model.api_misuse",
        also=("optim.autograd_graph",),
        exception="KeyError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        base = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        base.trainable = False
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        x = np.random.rand(16, 64, 64, 3).astype("float32")
        y = np.random.randint(0, 3, 16)

        def train_step(images, labels):
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        print("head only:", float(train_step(x, y)))
        base.trainable = True                 # fine-tune the whole network
        for layer in base.layers[:100]:
            layer.trainable = False
        print("fine-tune:", float(train_step(x, y)))
        """,
    ),
    Case(
        name="keras-more3-unfreeze-base-same-optimizer-custom-loop-k3",
        cause="model.api_misuse",
        also=("optim.autograd_graph",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        base.trainable = False
        model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        x = np.random.rand(16, 64, 64, 3).astype("float32")
        y = np.random.randint(0, 3, 16)

        def train_step(images, labels):
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        print("head only:", float(train_step(x, y)))
        base.trainable = True
        print("fine-tune:", float(train_step(x, y)))
        """,
    ),
    # ============================================================ weights
    Case(
        name="keras-more3-ema-teacher-set-weights-other-head-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        def build(num_classes):
            return keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                     layers.GlobalAveragePooling2D(), layers.Dense(64, activation="relu"),
                                     layers.Dense(num_classes, activation="softmax")])

        # teacher trained on the 10-class pretext task; student is the 4-class model
        teacher = build(10)
        student = build(4)
        student.compile("adam", "sparse_categorical_crossentropy")
        student.set_weights(teacher.get_weights())
        student.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 4, 32), epochs=1)
        """,
    ),
    Case(
        name="keras-more3-checkpoint-restore-changed-head-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf

        def build(num_classes):
            return tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                                        tf.keras.layers.GlobalAveragePooling2D(),
                                        tf.keras.layers.Dense(num_classes)])

        # run 1: 5 classes, checkpoint every epoch
        model = build(5)
        optimizer = tf.keras.optimizers.Adam()
        ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
        manager = tf.train.CheckpointManager(ckpt, "ckpts", max_to_keep=2)
        model(np.zeros((1, 32, 32, 3), "float32"))
        manager.save()

        # run 2: a sixth class was added to the dataset, training resumes from the last checkpoint
        model = build(6)
        model(np.zeros((1, 32, 32, 3), "float32"))
        ckpt = tf.train.Checkpoint(model=model, optimizer=tf.keras.optimizers.Adam())
        manager = tf.train.CheckpointManager(ckpt, "ckpts", max_to_keep=2)
        status = ckpt.restore(manager.latest_checkpoint)
        print("resumed from", manager.latest_checkpoint)
        """,
    ),
    # ============================================================ versions
    Case(
        name="keras-more3-keras3-file-loaded-in-tf215",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf215",
        setup=keras3_saved_model,
        script="predict.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.models.load_model("{DATA}/flowers_classifier.keras")
        print(model.predict(np.random.rand(1, 32, 32, 3)))
        """,
    ),
    Case(
        name="keras-more3-layers-experimental-preprocessing-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        code="""
        import keras
        from keras import layers

        data_augmentation = keras.Sequential([
            layers.experimental.preprocessing.RandomFlip("horizontal"),
            layers.experimental.preprocessing.RandomRotation(0.1),
        ])
        """,
    ),
    Case(
        name="keras-more3-import-lowercase-adam-k3",
        cause="env.version_incompat",
        exception="ImportError",
        env="k3",
        code="""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
        from keras.optimizers import adam

        model = Sequential([Conv2D(32, (3, 3), activation="relu", input_shape=(64, 64, 3)), MaxPooling2D(),
                            Flatten(), Dense(2, activation="softmax")])
        model.compile(optimizer=adam(lr=1e-4), loss="categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more3-np-float-in-yolo-utils-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        script="yolo_utils.py",
        code="""
        import numpy as np
        import keras

        def preprocess_true_boxes(true_boxes, input_shape, anchors, num_classes):
            true_boxes = np.array(true_boxes, dtype=np.float)
            input_shape = np.array(input_shape, dtype="int32")
            boxes_xy = (true_boxes[..., 0:2] + true_boxes[..., 2:4]) // 2
            boxes_wh = true_boxes[..., 2:4] - true_boxes[..., 0:2]
            true_boxes[..., 0:2] = boxes_xy / input_shape[::-1]
            true_boxes[..., 2:4] = boxes_wh / input_shape[::-1]
            return true_boxes

        anchors = np.array([[10, 13], [16, 30], [33, 23]])
        boxes = np.array([[[50, 60, 120, 200, 0], [10, 10, 40, 60, 1]]])
        y_true = preprocess_true_boxes(boxes, (416, 416), anchors, num_classes=2)
        """,
    ),
    Case(
        name="keras-more3-warmup-callback-optimizer-lr-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras

        class WarmUp(keras.callbacks.Callback):
            def __init__(self, warmup_batches, target_lr):
                super().__init__()
                self.warmup_batches, self.target_lr, self.seen = warmup_batches, target_lr, 0

            def on_train_batch_begin(self, batch, logs=None):
                self.seen += 1
                if self.seen <= self.warmup_batches:
                    self.model.optimizer.lr.assign(self.target_lr * self.seen / self.warmup_batches)

            def on_epoch_end(self, epoch, logs=None):
                print(f" - lr: {float(self.model.optimizer.lr):.5f}")

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.SGD(momentum=0.9), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(64, 32, 32, 3), np.random.randint(0, 3, 64), batch_size=8, epochs=2,
                  callbacks=[WarmUp(20, 0.1)])
        """,
    ),
    # ============================================================ divergence
    # ============================================================ resources / environment
    Case(
        name="keras-more3-numpy-preallocate-dataset-memoryerror-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        env="k3",
        as_limit=6 * 1024**3,
        code="""
        import numpy as np
        import keras

        NUM_IMAGES = 40000
        IMG_SIZE = 384
        X = np.zeros((NUM_IMAGES, IMG_SIZE, IMG_SIZE, 3), dtype=np.float32)
        y = np.zeros((NUM_IMAGES,), dtype=np.int64)
        print("allocated", X.nbytes / 1e9, "GB")
        """,
    ),
    Case(
        name="keras-more3-set-memory-growth-no-gpu-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        env="k3",
        code="""
        import tensorflow as tf
        import keras

        gpus = tf.config.list_physical_devices("GPU")
        tf.config.experimental.set_memory_growth(gpus[0], True)
        print("training on", gpus[0].name)
        """,
    ),
    Case(
        name="keras-more3-hard-device-placement-gpu-tf215",
        cause="env.cuda_setup",
        also=("env.device_mismatch",),
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.config.set_soft_device_placement(False)
        with tf.device("/GPU:0"):
            model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                         tf.keras.layers.GlobalAveragePooling2D(),
                                         tf.keras.layers.Dense(3, activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 3, 32), epochs=1)
        """,
    ),
    Case(
        name="keras-more3-multiworker-tf-config-index-k3",
        cause="env.distributed",
        exception="ValueError",
        env="k3",
        framework="tensorflow",
        code="""
        import json
        import os
        import tensorflow as tf

        os.environ["TF_CONFIG"] = json.dumps({
            "cluster": {"worker": ["localhost:12345", "localhost:23456"]},
            "task": {"type": "worker", "index": 2},            # third machine, not yet in the list
        })
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
        print("workers:", strategy.num_replicas_in_sync)
        """,
    ),
    Case(
        name="keras-more3-kmeans-anchors-few-boxes-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        env="k3",
        setup=yolo_labels_few,
        script="kmeans.py",
        code="""
        import glob
        import numpy as np

        def iou(boxes, clusters):
            w = np.minimum(clusters[:, 0], boxes[:, None, 0])
            h = np.minimum(clusters[:, 1], boxes[:, None, 1])
            inter = w * h
            return inter / (boxes[:, None, 0] * boxes[:, None, 1] + clusters[:, 0] * clusters[:, 1] - inter)

        def kmeans(boxes, k, dist=np.median):
            rows = boxes.shape[0]
            last = np.zeros((rows,))
            clusters = boxes[np.random.choice(rows, k, replace=False)]
            while True:
                nearest = np.argmin(1 - iou(boxes, clusters), axis=1)
                if (last == nearest).all():
                    return clusters
                for c in range(k):
                    clusters[c] = dist(boxes[nearest == c], axis=0)
                last = nearest

        wh = []
        for f in glob.glob("{DATA}/labels/*.txt"):
            for line in open(f):
                _, _, _, w, h = map(float, line.split())
                wh.append([w * 416, h * 416])
        anchors = kmeans(np.array(wh), k=9)
        print(np.round(anchors).astype(int))
        """,
    ),
]


CASES += [
    Case(
        name="keras-more3-encode-jpeg-resized-float-preview-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=flowers,
        code="""
        import os
        import tensorflow as tf

        # write a few augmented samples to disk to check the pipeline by eye
        os.makedirs("preview", exist_ok=True)
        files = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg", shuffle=False)
        for i, path in enumerate(files.take(4)):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64))
            img = tf.image.random_flip_left_right(img)
            tf.io.write_file(f"preview/{i}.jpg", tf.io.encode_jpeg(img))
        """,
    ),
    Case(
        name="keras-more3-score-histogram-after-nan-training-k3",
        cause="optim.divergence",
        exception="ValueError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        keras.utils.set_random_seed(0)
        x = np.random.rand(512, 32, 32, 3).astype("float32") * 255.0       # raw pixel values
        y = np.random.randint(0, 2, 512)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(64), layers.Dense(64),
                                  layers.Dense(1, activation="sigmoid")])
        model.compile(keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), "binary_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)

        # pick a decision threshold from the score distribution on held-out images
        scores = model.predict(x[:128]).ravel()
        counts, edges = np.histogram(scores, bins=20)
        print(np.c_[edges[:-1], counts])
        """,
    ),
    Case(
        name="keras-more3-draw-predicted-boxes-nan-k3",
        cause="optim.divergence",
        exception="ValueError",
        env="k3",
        script="train_localizer.py",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        keras.utils.set_random_seed(0)
        x = np.random.rand(256, 32, 32, 3).astype("float32") * 255.0
        y = np.random.rand(256, 4).astype("float32") * 64.0           # x1, y1, x2, y2 in pixels
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.Flatten(), layers.Dense(4)])
        model.compile(keras.optimizers.SGD(learning_rate=0.05), "mse")
        model.fit(x, y, batch_size=32, epochs=3, verbose=2)

        boxes = model.predict(x[:4], verbose=0)
        for i, (img, box) in enumerate(zip(x[:4], boxes)):
            canvas = Image.fromarray(img.astype("uint8"))
            x1, y1, x2, y2 = (int(v) for v in box)
            ImageDraw.Draw(canvas).rectangle([x1, y1, x2, y2], outline="red")
            canvas.save(f"pred_{i}.png")
        """,
    ),
]

if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
