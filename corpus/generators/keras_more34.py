"""Held-out Keras / TF 2 image-training failures (g74, scored 0.92 top-1 and 0.96 top-3 before any rule for it) around the shape and class-count errors
that users find hardest to tell apart (a head that does not fit the loss or the class count, labels
whose encoding or batch does not fit the output, class ids past the head, inputs that do not fit the
first layers, image size and channel problems in the data):

- heads: a functional transfer model returned at the pooled features instead of the Dense head, a
  class count taken from ``len(train_ds)`` (batches), an ImageAI 2-style ResNet50 trainer left at
  ``num_objects = 10`` for four folders, a U-Net ``MeanIoU`` metric fed softmax probabilities, a
  tag file with a trailing newline sizing a multi-label head, a one-unit sigmoid segmenter with
  two-class one-hot masks and categorical cross-entropy;
- metrics: ``Precision(class_id=1)`` on a one-unit sigmoid head;
- labels against the output: flipped copies concatenated to the image batch only, a generator
  signature with scalar labels yielding one-hot rows, multi-hot tags with a sparse loss, masks
  resized with PIL's (width, height) order, train / validation label slices swapped, a one-hot
  map for a one-unit sigmoid head, a Sequence slicing labels by batch index;
- class ids: Food-101 ``classes.txt`` indices for a four-class subset, Oxford pets trimaps 1..3
  for a three-class head, Cityscapes ``labelIds`` for a 19-class ``trainId`` model;
- inputs: ``input_shape=(3, 64, 64)`` from a PyTorch port, batches collected into a 5-D NumPy
  array, flat pixel rows of a Kaggle CSV given to a convolutional input;
- image sizes: a Sequence that auto-crops the black scanner frame of each page,
  unresized hard-example photos concatenated to an unbatched directory dataset;
- channels: grey X-rays loaded as RGB for a one-channel MobileNetV2, grey MRI slices stacked
  three times on axis 1, grey test PNGs decoded with ``channels=0`` for an RGB model.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.  Backbones are built with ``weights=None`` (no download).

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more34.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g74): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more34.py"


# ---------------------------------------------------------------- data helpers
def flowers5(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=6,
                size=(64, 64), fmt="jpeg", seed=41)


def idenprof4(d: Path):
    """A four-profession subset of IdenProf in the ImageAI layout (train/ and test/)."""
    classes = ["chef", "doctor", "engineer", "farmer"]
    make_images(d / "idenprof" / "train", classes, per_class=6, size=(64, 64), fmt="jpeg", seed=42)
    make_images(d / "idenprof" / "test", classes, per_class=2, size=(64, 64), fmt="jpeg", seed=43)


def lesions(d: Path):
    make_images(d / "lesions", ["benign", "malignant"], per_class=8, size=(48, 48), fmt="jpeg", seed=44)


def shapes_seg(d: Path, n=12, size=64, classes=3, seed=45):
    """Tiles with integer masks 0..classes-1 (PNG)."""
    r = _rng(seed)
    for i in range(n):
        _png(d / "seg" / "images" / f"t{i:03d}.png", r.integers(0, 255, size=(size, size, 3), dtype="uint8"))
        _png(d / "seg" / "masks" / f"t{i:03d}.png", r.integers(0, classes, size=(size, size), dtype="uint8"))


def seg3(d: Path):
    shapes_seg(d)


def seg_binary(d: Path):
    shapes_seg(d, classes=2, seed=46)


def street_tags(d: Path):
    """Planet-style multi-label CSV: one 0/1 column per tag; tags.txt lists the tag names."""
    r = _rng(47)
    tags = ["car", "bus", "bike", "person", "tree", "sign"]
    rows = ["image," + ",".join(tags)]
    for i in range(24):
        _jpg(d / "street" / "img" / f"s{i:04d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        hot = (r.random(6) > 0.6).astype(int)
        hot[i % 6] = 1
        rows.append(f"s{i:04d}.jpg," + ",".join(str(int(v)) for v in hot))
    (d / "street" / "labels.csv").write_text("\n".join(rows) + "\n")
    (d / "street" / "tags.txt").write_text("\n".join(tags) + "\n")


def wide_seg(d: Path):
    """Dash-cam frames 128 x 72 with drivable-area masks (0 road, 1 lane, 2 background)."""
    r = _rng(48)
    for i in range(12):
        _png(d / "drive" / "images" / f"f{i:03d}.png", r.integers(0, 255, size=(72, 128, 3), dtype="uint8"))
        _png(d / "drive" / "masks" / f"f{i:03d}.png", r.integers(0, 3, size=(72, 128), dtype="uint8"))


def food_subset(d: Path):
    """A four-class subset of Food-101 with the full classes.txt of the original archive."""
    allc = ["apple_pie", "baby_back_ribs", "baklava", "beef_carpaccio", "beef_tartare", "beet_salad",
            "beignets", "bibimbap", "bread_pudding", "breakfast_burrito", "bruschetta", "caesar_salad",
            "cannoli", "caprese_salad", "carrot_cake", "ceviche", "cheesecake", "cheese_plate",
            "chicken_curry", "chicken_quesadilla", "chicken_wings", "chocolate_cake", "churros",
            "clam_chowder", "club_sandwich", "dumplings", "edamame", "eggs_benedict", "falafel",
            "french_fries", "fried_rice", "garlic_bread", "gyoza", "hamburger", "hot_dog", "ice_cream",
            "lasagna", "macarons", "miso_soup", "nachos", "omelette", "pad_thai", "paella", "pancakes",
            "pizza", "ramen", "ravioli", "risotto", "sashimi", "spaghetti_bolognese", "steak", "sushi",
            "tacos", "tiramisu", "waffles"]
    (d / "food-101" / "meta").mkdir(parents=True, exist_ok=True)
    (d / "food-101" / "meta" / "classes.txt").write_text("\n".join(allc) + "\n")
    make_images(d / "food-101" / "subset", ["hamburger", "pizza", "ramen", "sushi"], per_class=6,
                size=(48, 48), fmt="jpeg", seed=49)


def oxford_pets(d: Path):
    """Oxford-IIIT pets layout: images/*.jpg and annotations/trimaps/*.png with values 1, 2, 3."""
    r = _rng(50)
    for i, breed in enumerate(["Abyssinian", "beagle", "Bengal", "boxer"] * 3):
        name = f"{breed}_{i + 1}"
        _jpg(d / "pets" / "images" / f"{name}.jpg", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))
        _png(d / "pets" / "annotations" / "trimaps" / f"{name}.png", r.integers(1, 4, size=(80, 80), dtype="uint8"))


def cityscapes(d: Path):
    """A few Cityscapes-like crops with *_gtFine_labelIds.png masks (ids 0..33)."""
    r = _rng(51)
    ids = [0, 1, 4, 7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33]
    for i in range(10):
        city = ["aachen", "bremen"][i % 2]
        stem = f"{city}_{i:06d}_000019"
        _png(d / "cityscapes" / "leftImg8bit" / "train" / city / f"{stem}_leftImg8bit.png",
             r.integers(0, 255, size=(64, 128, 3), dtype="uint8"))
        _png(d / "cityscapes" / "gtFine" / "train" / city / f"{stem}_gtFine_labelIds.png",
             r.choice(ids, size=(64, 128)).astype("uint8"))


def framed_forms(d: Path):
    """Scanned forms 64 x 64; the sheet feeder leaves a black frame 3 to 9 px wide."""
    r = _rng(59)
    for c in ["handwritten", "typed"]:
        for i in range(8):
            img = r.integers(60, 255, size=(64, 64, 3), dtype="uint8")
            f = 3 + (i * 5 + (c == "typed")) % 7
            img[:f] = 0
            img[-f:] = 0
            img[:, :f] = 0
            img[:, -f:] = 0
            _png(d / "forms" / c / f"{c}_{i:03d}.png", img)


def pixel_csv(d: Path):
    """A Sign-Language-MNIST-style CSV: label, pixel1..pixel784."""
    r = _rng(60)
    rows = ["label," + ",".join(f"pixel{i}" for i in range(1, 785))]
    for i in range(48):
        lab = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12][i % 12]
        rows.append(str(lab) + "," + ",".join(str(int(v)) for v in r.integers(0, 255, size=784)))
    d.mkdir(parents=True, exist_ok=True)
    (d / "sign_mnist_train.csv").write_text("\n".join(rows) + "\n")


def hard_examples(d: Path):
    flowers5(d)
    r = _rng(53)
    for c in ["daisy", "roses", "tulips"]:
        for i in range(3):
            _jpg(d / "hard_examples" / c / f"{c}_hard_{i}.jpg", r.integers(0, 255, size=(60, 80, 3), dtype="uint8"))


def xrays(d: Path):
    make_images(d / "xrays", ["normal", "pneumonia"], per_class=8, size=(96, 96), mode="L", fmt="png", seed=54)


def mri_npy(d: Path):
    import numpy as np
    r = _rng(55)
    (d / "mri").mkdir(parents=True, exist_ok=True)
    np.save(d / "mri" / "slices.npy", r.random((40, 64, 64)).astype("float32"))
    np.save(d / "mri" / "labels.npy", r.integers(0, 2, size=40))


def chest_png_split(d: Path):
    """Training PNGs exported as RGB; the hospital's test PNGs come straight from the scanner (grey)."""
    make_images(d / "chest" / "train", ["covid", "normal", "viral"], per_class=5, size=(64, 64), fmt="png",
                seed=56)
    make_images(d / "chest" / "test", ["covid", "normal", "viral"], per_class=3, size=(64, 64), mode="L",
                fmt="png", seed=57)


def defects(d: Path):
    make_images(d / "defects", ["crack", "dent", "ok"], per_class=10, size=(48, 48), fmt="jpeg", seed=58)


def flowers30(d: Path):
    """Thirty flower photos, five classes: batches of 10 come out even."""
    flowers5(d)


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more34-transfer-functional-model-returns-pooled-features-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=flowers5,
        expect="same shape",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", label_mode="categorical", image_size=IMG_SIZE, batch_size=8)

        base_model = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False,
                                                    weights=None)
        base_model.trainable = False

        inputs = keras.Input(shape=IMG_SIZE + (3,))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base_model(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = keras.Model(inputs, x)

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-num-classes-len-train-ds-counts-batches-tfk2",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=flowers5,
        expect="outside the valid range",
        pty=True,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.2, subset="training", seed=123,
            image_size=(64, 64), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.2, subset="validation", seed=123,
            image_size=(64, 64), batch_size=8)

        num_classes = len(train_ds)
        print("classes:", num_classes)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-imageai2-style-resnet50-num-objects-ten-four-folders-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        env="tfk2",
        setup=idenprof4,
        expect="incompatible",
        code="""
        # trainer adapted from ImageAI 2.x ModelTraining (trainModel with ResNet50)
        import json
        import os

        import tensorflow as tf
        from tensorflow.keras.applications.resnet50 import ResNet50
        from tensorflow.keras.callbacks import LearningRateScheduler, ModelCheckpoint
        from tensorflow.keras.optimizers import Adam

        DATA_DIR = "{DATA}/idenprof"
        num_objects = 10
        num_experiments = 5
        batch_size = 4
        training_image_size = 64


        def lr_schedule(epoch):
            lr = 1e-3
            if epoch > 80:
                lr *= 0.5e-3
            elif epoch > 60:
                lr *= 1e-3
            return lr


        os.makedirs(os.path.join(DATA_DIR, "models"), exist_ok=True)
        os.makedirs(os.path.join(DATA_DIR, "json"), exist_ok=True)

        model = ResNet50(input_shape=(training_image_size, training_image_size, 3), weights=None,
                         classes=num_objects, include_top=True)
        model.compile(loss="categorical_crossentropy", optimizer=Adam(learning_rate=0.001),
                      metrics=["accuracy"])

        size = (training_image_size, training_image_size)
        train_generator = tf.keras.utils.image_dataset_from_directory(
            os.path.join(DATA_DIR, "train"), label_mode="categorical", image_size=size, batch_size=batch_size)
        test_generator = tf.keras.utils.image_dataset_from_directory(
            os.path.join(DATA_DIR, "test"), label_mode="categorical", image_size=size, batch_size=batch_size)
        class_names = train_generator.class_names
        rescale = tf.keras.layers.Rescaling(1.0 / 255)
        train_generator = train_generator.map(lambda x, y: (rescale(x), y))
        test_generator = test_generator.map(lambda x, y: (rescale(x), y))

        class_json = {str(i): name for i, name in enumerate(class_names)}
        with open(os.path.join(DATA_DIR, "json", "model_class.json"), "w") as f:
            json.dump(class_json, f, indent=4)

        checkpoint = ModelCheckpoint(os.path.join(DATA_DIR, "models", "model_ex-{epoch:03d}_acc-{val_accuracy:03f}.h5"),
                                     monitor="val_accuracy", save_weights_only=True, save_best_only=True)
        print("Training using ResNet50")
        model.fit_generator(train_generator, epochs=num_experiments, validation_data=test_generator,
                            callbacks=[checkpoint, LearningRateScheduler(lr_schedule)])
        """,
    ),
    Case(
        name="keras-more34-unet-meaniou-metric-on-softmax-probabilities-k3",
        cause="model.output_mismatch",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=seg3,
        expect="Incompatible shapes",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        NUM_CLASSES = 3
        images = sorted(glob.glob("{DATA}/seg/images/*.png"))
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in images])
        y = np.stack([np.asarray(Image.open(f.replace("/images/", "/masks/"))) for f in images])[..., None]
        print(x.shape, y.shape, np.unique(y))


        def unet(size=64):
            inp = keras.Input((size, size, 3))
            c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
            p2 = layers.MaxPooling2D()(c2)
            b = layers.Conv2D(64, 3, padding="same", activation="relu")(p2)
            u2 = layers.Concatenate()([layers.UpSampling2D()(b), c2])
            c3 = layers.Conv2D(32, 3, padding="same", activation="relu")(u2)
            u1 = layers.Concatenate()([layers.UpSampling2D()(c3), c1])
            c4 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
            out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(c4)
            return keras.Model(inp, out)


        model = unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.MeanIoU(num_classes=NUM_CLASSES)])
        model.fit(x, y, batch_size=4, epochs=5, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more34-tags-file-trailing-newline-sizes-multilabel-head-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=street_tags,
        expect="same shape",
        pty=True,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/street"
        TAGS = open(f"{ROOT}/tags.txt").read().split("\\n")
        rows = list(csv.reader(open(f"{ROOT}/labels.csv")))[1:]
        paths = [f"{ROOT}/img/" + r[0] for r in rows]
        targets = np.array([[int(v) for v in r[1:]] for r in rows], np.float32)


        def load(path, y):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0, y


        ds = tf.data.Dataset.from_tensor_slices((paths, targets)).shuffle(64).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy",
                      metrics=[keras.metrics.BinaryAccuracy(), keras.metrics.AUC(multi_label=True)])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-binary-unet-one-sigmoid-unit-two-class-onehot-masks-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        env="tfk2",
        setup=seg_binary,
        expect="incompatible",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        NUM_CLASSES = 2          # background, building
        files = sorted(glob.glob("{DATA}/seg/images/*.png"))
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        masks = np.stack([np.asarray(Image.open(f.replace("/images/", "/masks/"))) for f in files])
        y = keras.utils.to_categorical(masks, NUM_CLASSES)
        print("x", x.shape, "y", y.shape)


        def conv_block(t, n):
            t = layers.Conv2D(n, 3, padding="same", activation="relu")(t)
            return layers.Conv2D(n, 3, padding="same", activation="relu")(t)


        inputs = keras.Input((64, 64, 3))
        c1 = conv_block(inputs, 16)
        c2 = conv_block(layers.MaxPooling2D()(c1), 32)
        c3 = conv_block(layers.MaxPooling2D()(c2), 64)
        u2 = conv_block(layers.concatenate([layers.Conv2DTranspose(32, 2, strides=2)(c3), c2]), 32)
        u1 = conv_block(layers.concatenate([layers.Conv2DTranspose(16, 2, strides=2)(u2), c1]), 16)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(u1)
        model = keras.Model(inputs, outputs)

        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=10, validation_split=0.2)
        """,
    ),
    # =================================================================== model.api_misuse (metric)
    Case(
        name="keras-more34-precision-class-id-one-on-sigmoid-head-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=lesions,
        expect="out of bounds",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/lesions", label_mode="binary", image_size=(48, 48), batch_size=4)
        print(train_ds.class_names)      # ['benign', 'malignant'] -> malignant is class 1

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=["accuracy",
                               keras.metrics.Precision(class_id=1, name="precision_malignant"),
                               keras.metrics.Recall(class_id=1, name="recall_malignant")])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more34-map-concat-flipped-copies-labels-not-doubled-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=flowers5,
        expect="Incompatible shapes",
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)


        def add_flipped(images, labels):
            # twice the data for free: every batch also gets its mirror image
            images = tf.concat([images, tf.image.flip_left_right(images)], axis=0)
            return images, labels


        train_ds = train_ds.map(add_flipped).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-from-generator-scalar-label-spec-yields-one-hot-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=defects,
        expect="was expected",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/defects"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))


        def gen():
            for f in files:
                img = np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0
                label = CLASSES.index(os.path.basename(os.path.dirname(f)))
                yield img, keras.utils.to_categorical(label, len(CLASSES))


        ds = tf.data.Dataset.from_generator(
            gen,
            output_signature=(tf.TensorSpec(shape=(48, 48, 3), dtype=tf.float32),
                              tf.TensorSpec(shape=(), dtype=tf.float32)),
        ).shuffle(32).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more34-multi-hot-tags-sparse-loss-softmax-head-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tfk2",
        setup=street_tags,
        expect="labels.shape",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/street"
        rows = list(csv.reader(open(f"{ROOT}/labels.csv")))
        header, rows = rows[0], rows[1:]
        TAGS = header[1:]
        x = np.stack([np.asarray(Image.open(f"{ROOT}/img/" + r[0]), np.float32) / 255.0 for r in rows])
        y = np.array([[int(v) for v in r[1:]] for r in rows])
        print("images", x.shape, "tags", y.shape, TAGS)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5, verbose=2)
        """,
    ),
    Case(
        name="keras-more34-seg-masks-pil-resize-height-width-swapped-k3",
        cause="data.label_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        setup=wide_seg,
        expect="same shape up until the last dimension",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        H, W = 64, 96            # keep the dash-cam aspect ratio
        files = sorted(glob.glob("{DATA}/drive/images/*.png"))
        x = np.stack([np.asarray(Image.open(f).resize((W, H)), np.float32) / 255.0 for f in files])
        y = np.stack([np.asarray(Image.open(f.replace("/images/", "/masks/")).resize((H, W), Image.NEAREST))
                      for f in files])
        print("images", x.shape, "masks", y.shape)

        inputs = keras.Input((H, W, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.MaxPooling2D()(c1))
        u1 = layers.Concatenate()([layers.UpSampling2D()(c2), c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
        outputs = layers.Conv2D(3, 1)(c3)
        model = keras.Model(inputs, outputs)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-nb-train-val-label-slices-swapped-k3",
        cause="data.label_shape",
        exception="ValueError",
        expect="cardinality",
        **notebook([
            """
            import glob, os
            import numpy as np
            import keras
            from keras import layers
            from PIL import Image

            CLASSES = ["crack", "dent", "ok"]
            files = sorted(glob.glob("{DATA}/defects/*/*.jpg"))
            rng = np.random.default_rng(0)
            rng.shuffle(files)
            X = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
            y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])
            X.shape, y.shape
            """,
            """
            split = int(0.8 * len(X))
            X_train, X_val = X[:split], X[split:]
            y_val, y_train = y[:split], y[split:]
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=5, batch_size=8)
            """,
        ], data=defects),
    ),
    Case(
        name="keras-more34-map-one-hot-labels-one-sigmoid-unit-bce-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tfk2",
        setup=lesions,
        expect="must have the same shape",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/lesions", image_size=(48, 48), batch_size=4)
        NUM_CLASSES = len(train_ds.class_names)


        def prepare(images, labels):
            return images / 255.0, tf.one_hot(labels, NUM_CLASSES)


        train_ds = train_ds.map(prepare)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-sequence-label-slice-by-batch-index-tfk2",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=defects,
        expect="same first dimension",
        pty=True,
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import img_to_array, load_img

        ROOT = "{DATA}/defects"
        CLASSES = sorted(os.listdir(ROOT))


        class DefectSequence(keras.utils.Sequence):
            def __init__(self, files, labels, batch_size=8):
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                start = idx * self.batch_size
                batch_files = self.files[start:start + self.batch_size]
                x = np.stack([img_to_array(load_img(f, target_size=(48, 48))) / 255.0 for f in batch_files])
                y = np.array(self.labels[idx:idx + self.batch_size])
                return x, y


        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES)),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(DefectSequence(files, labels), epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more34-food101-classes-txt-index-four-class-subset-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=food_subset,
        expect="outside the valid range",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/food-101"
        CLASSES = open(f"{ROOT}/meta/classes.txt").read().split()
        subset = sorted(os.listdir(f"{ROOT}/subset"))          # quick experiment on 4 dishes
        files = sorted(glob.glob(f"{ROOT}/subset/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(subset)),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5, shuffle=True)
        """,
    ),
    Case(
        name="keras-more34-oxford-pets-trimap-1-to-3-three-class-head-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=oxford_pets,
        expect="outside the valid range",
        pty=True,
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG = 64
        images = sorted(glob.glob("{DATA}/pets/images/*.jpg"))
        masks = [p.replace("/images/", "/annotations/trimaps/").replace(".jpg", ".png") for p in images]


        def load(img_path, mask_path):
            img = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.image.resize(mask, (IMG, IMG), method="nearest")
            return img, tf.cast(mask, tf.int32)          # 1 pet, 2 background, 3 border


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(16).batch(4)

        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(3, 3, padding="same", activation="softmax")(x)
        model = keras.Model(inputs, outputs)

        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-cityscapes-label-ids-for-19-trainid-classes-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=cityscapes,
        expect="outside the valid range",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        NUM_CLASSES = 19       # Cityscapes evaluation classes
        imgs = sorted(glob.glob("{DATA}/cityscapes/leftImg8bit/train/*/*_leftImg8bit.png"))
        labels = [p.replace("leftImg8bit/", "gtFine/").replace("_leftImg8bit.png", "_gtFine_labelIds.png")
                  for p in imgs]
        x = np.stack([np.asarray(Image.open(p), np.float32) / 255.0 for p in imgs])
        y = np.stack([np.asarray(Image.open(p)) for p in labels])
        print(x.shape, y.shape)

        inputs = keras.Input((64, 128, 3))
        c1 = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        c2 = layers.Conv2D(64, 3, padding="same", activation="relu")(layers.MaxPooling2D()(c1))
        u1 = layers.Concatenate()([layers.UpSampling2D()(c2), c1])
        c3 = layers.Conv2D(32, 3, padding="same", activation="relu")(u1)
        outputs = layers.Conv2D(NUM_CLASSES, 1)(c3)
        model = keras.Model(inputs, outputs)
        model.compile(keras.optimizers.Adam(1e-3),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=2, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more34-input-shape-channels-first-from-pytorch-port-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=flowers5,
        expect="Negative dimension size",
        code="""
        # ported from our PyTorch model (nn.Conv2d(3, 32, 3) on 3 x 64 x 64 tensors)
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(3, 64, 64)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(5),
        ])
        model.summary()
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-batches-collected-into-5d-numpy-array-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flowers30,
        expect="incompatible shape",
        code="""
        import numpy as np
        import keras
        from keras import layers

        ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=10,
                                                      shuffle=True, seed=7)

        # NumPy arrays so that sklearn's train_test_split can be used later
        X, Y = [], []
        for images, labels in ds:
            X.append(images.numpy())
            Y.append(labels.numpy())
        X, Y = np.array(X), np.array(Y)
        print(X.shape, Y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, Y, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-pixel-csv-rows-into-conv-input-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=pixel_csv,
        expect="incompatible",
        pty=True,
        code="""
        # Kaggle-style CSV: label, pixel1 ... pixel784 (28 x 28 grey hand signs)
        import numpy as np
        import keras
        from keras import layers

        train = np.loadtxt("{DATA}/sign_mnist_train.csv", delimiter=",", skiprows=1)
        y_train = train[:, 0].astype("int64")
        x_train = train[:, 1:].astype("float32") / 255.0
        print("x_train:", x_train.shape, "y_train:", y_train.shape)

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(25, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=16, epochs=5, validation_split=0.1)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more34-sequence-autocrop-scanner-frame-np-stack-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=framed_forms,
        expect="same shape",
        pty=True,
        code="""
        import glob
        import math

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image


        def autocrop(img, thresh=10):
            # the sheet feeder leaves a black frame around every page: keep the bounding box of the paper
            mask = img.max(axis=2) > thresh
            rows, cols = np.where(mask.any(axis=1))[0], np.where(mask.any(axis=0))[0]
            return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


        class FormSequence(keras.utils.Sequence):
            def __init__(self, files, batch_size=8):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([autocrop(np.asarray(Image.open(f).convert("RGB"))) / 255.0 for f in batch])
                y = np.array([1.0 if "/typed/" in f else 0.0 for f in batch])
                return x, y


        files = sorted(glob.glob("{DATA}/forms/*/*.png"))
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(None, None, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(FormSequence(files), epochs=5)
        """,
    ),
    Case(
        name="keras-more34-unbatched-dir-dataset-concatenate-hard-examples-unresized-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=hard_examples,
        expect="Cannot batch tensors",
        pty=True,
        code="""
        import glob
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
        base = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=None,
                                                        class_names=CLASSES)

        # misclassified photos collected during error analysis, added back with their labels
        hard = sorted(glob.glob("{DATA}/hard_examples/*/*.jpg"))
        hard_labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in hard]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32), label


        extra = tf.data.Dataset.from_tensor_slices((hard, hard_labels)).map(load)
        train_ds = base.concatenate(extra).shuffle(64, seed=1).batch(8).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more34-grey-xrays-dir-default-rgb-into-one-channel-mobilenetv2-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=xrays,
        expect="expected axis -1 of input shape to have value 1",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/xrays", image_size=(96, 96), batch_size=8,
                                                            label_mode="binary")

        # X-rays are greyscale: one input channel
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 1), include_top=False, weights=None)
        inputs = keras.Input((96, 96, 1))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "binary_crossentropy", metrics=["accuracy", keras.metrics.AUC()])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more34-grey-mri-slices-np-stack-three-copies-axis-1-efficientnet-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=mri_npy,
        expect="is incompatible with the layer",
        code="""
        import numpy as np
        import keras
        from keras import layers

        slices = np.load("{DATA}/mri/slices.npy")        # (N, 64, 64), grey
        labels = np.load("{DATA}/mri/labels.npy")

        # the backbone wants 3 channels: repeat the grey slice
        x = np.stack([slices, slices, slices], axis=1) * 255.0
        print("x", x.shape)

        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(64, 64, 3))
        model = keras.Sequential([
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(keras.optimizers.Adam(1e-4), "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, labels, batch_size=8, epochs=3, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more34-evaluate-grey-test-pngs-decode-channels-0-tfk2",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=chest_png_split,
        expect="evenly divisible",
        code="""
        import glob
        import os

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/chest"
        CLASSES = sorted(os.listdir(f"{ROOT}/train"))


        def make_ds(split, shuffle):
            files = sorted(glob.glob(f"{ROOT}/{split}/*/*.png"))
            labels = [CLASSES.index(f.split("/")[-2]) for f in files]

            def load(path, label):
                img = tf.io.decode_png(tf.io.read_file(path))          # keep whatever the file has
                img = tf.image.resize(img, (64, 64)) / 255.0
                return img, label

            ds = tf.data.Dataset.from_tensor_slices((files, labels))
            if shuffle:
                ds = ds.shuffle(len(files))
            return ds.map(load).batch(8)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(make_ds("train", True), epochs=2, verbose=2)
        print("test:", model.evaluate(make_ds("test", False), verbose=2))
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
