"""Untargeted held-out Keras / TF 2 transfer-learning failures (g100, scored 0.86 top-1 and 0.91 top-3 before any rule for it) of people who fine-tune
``keras.applications`` backbones (MobileNetV2, EfficientNetB0, ResNet50; ``weights=None``: nothing
is downloaded) on their own image folders and CSVs with Keras 3 / tf.keras: preprocessing and
augmentation layers, a frozen base and then unfrozen layers, callbacks (ModelCheckpoint, custom
callbacks), class weights, multi-output heads, ``.keras`` / ``.h5`` / ``.weights.h5`` files saved
and reloaded, tf.data pipelines, spread over the cause ids of the taxonomy:

- image sizes: bottleneck features of every photo extracted at its own resolution by a
  ``input_shape=(None, None, 3)`` MobileNetV2 without pooling, then ``np.concatenate``-d;
- channels: logo PNGs read with ``color_mode="rgba"`` "to keep the transparency" for an
  EfficientNetB0 built for three channels;
- boxes: YOLO label rows (class cx cy w h) read as normalised corners to cut object crops with
  ``crop_to_bounding_box`` for a crop classifier;
- labels: a UTKFace age / gender / race model whose race head has four units ("Others", race 4,
  left out; tf_keras);
- label shapes: a validation directory dataset copied with ``label_mode="categorical"`` next to an
  ``int`` training dataset and a sparse loss (fails after the first training epoch);
- dtypes: a ``StringLookup`` one-hot encoder mapped over the int labels of a directory dataset;
- files: 1-bit (bilevel) BMP scans from an old document scanner among the PNG scans;
- model inputs: a test ``tf.data`` pipeline of single images that was never batched (notebook);
- model outputs: the saved five-class flowers model reused for three new classes with one-hot
  labels, its head not replaced;
- weights: a MobileNetV2 ``alpha=1.0`` checkpoint loaded as a warm start into the ``alpha=0.5``
  model meant for the phone;
- API: ``class_weight`` on a two-output (breed + age) model, ``subset="both"`` assigned to a single
  variable (notebook);
- versions: ``tf.keras.optimizers.experimental.AdamW`` from the TF 2.11 fine-tuning guide, a
  phase-1 ``.h5`` saved by tf_keras (``RandomFlip`` in it) reloaded by Keras 3 for phase 2,
  ``np.float_`` in a per-class recall callback (NumPy 2);
- divergence: a whole-network fine-tune of a two-output (species + leaf count) plant model on raw
  pixels with SGD at learning rate 0.5, under ``enable_check_numerics``;
- gradients: a ``keras.metrics.AUC`` object used inside the loss "to optimise AUC directly";
- host memory: a fully unfrozen ResNet50 fitted with ``batch_size=len(x_train)`` (full batch);
- workers: k-fold models evaluated in a ``ProcessPoolExecutor`` with the validation ``tf.data``
  dataset passed to the workers;
- GPU setup: the mixed-precision guide's compute-capability check (``get_device_details`` of the
  first GPU) in a CPU-only session (notebook);
- distribution: phase 2 of a ``MirroredStrategy`` fine-tune recompiled outside ``strategy.scope()``
  (notebook);
- plain bugs: ``for i, layer in base.layers`` without ``enumerate`` when unfreezing (tf_keras).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.  Backbones are built with ``weights=None`` and small inputs so that the
cases run on a CPU.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more44.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g100): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more44.py"


# ---------------------------------------------------------------- data helpers
def birds_mixed(d: Path):
    """Bird photos straight from the camera / phone: three sizes, both orientations."""
    make_images(d / "birds", ["blackbird", "robin", "wren"], per_class=5, fmt="jpeg", seed=4401,
                sizes=[(128, 96), (96, 128), (112, 112), (128, 96), (160, 120)])


def logos(d: Path):
    """Brand logos as PNGs, some with a transparent background (RGBA), some flat RGB."""
    import numpy as np

    r = _rng(4402)
    for c in ["adidas", "nike", "puma", "reebok"]:
        for i in range(6):
            rgb = r.integers(0, 255, size=(80, 80, 3), dtype="uint8")
            if i % 2:
                alpha = np.where(r.random((80, 80)) > 0.4, 255, 0).astype("uint8")
                _png(d / "logos" / c / f"{c}_{i:02d}.png", np.dstack([rgb, alpha]), mode="RGBA")
            else:
                _png(d / "logos" / c / f"{c}_{i:02d}.png", rgb)


def yolo_site(d: Path):
    """A YOLO export (images/ + labels/ with `class cx cy w h` rows, normalised) of a building site."""
    r = _rng(4403)
    for i in range(8):
        stem = f"site_{i:04d}"
        _jpg(d / "site" / "images" / f"{stem}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
        rows = []
        for k in range(2):
            cx, cy = r.uniform(0.35, 0.65, size=2)
            w, h = r.uniform(0.12, 0.25, size=2)
            rows.append(f"{(i + k) % 3} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        p = d / "site" / "labels" / f"{stem}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(rows) + "\n")
    (d / "site" / "classes.txt").write_text("helmet\nhead\nvest\n")


def utkface(d: Path):
    """UTKFace crops named [age]_[gender]_[race]_[date&time].jpg.chip.jpg (race 0..4, 4 = Others)."""
    r = _rng(4404)
    races = [0, 1, 0, 2, 3, 0, 4, 1, 2, 0, 3, 0, 1, 4, 0, 2, 0, 3, 1, 0, 2, 0, 4, 0]
    for i, race in enumerate(races):
        age = int(r.integers(1, 90))
        gender = int(r.integers(0, 2))
        stamp = f"2017011{i % 10}{int(r.integers(10**8, 10**9))}"
        _jpg(d / "UTKFace" / f"{age}_{gender}_{race}_{stamp}.jpg.chip.jpg",
             r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def food_split(d: Path):
    for split, per in (("train", 6), ("val", 3)):
        make_images(d / "food" / split, ["pizza", "ramen", "sushi"], per_class=per, size=(64, 64), fmt="jpeg",
                    seed=4405 if split == "train" else 4406)


def xray_folders(d: Path):
    make_images(d / "chest_xray" / "train", ["normal", "pneumonia", "tuberculosis"], per_class=6, size=(72, 72),
                fmt="png", seed=4407)


def documents(d: Path):
    """Document scans: PNGs from the new scanner, and a few 1-bit BMPs from the old one."""
    from PIL import Image

    r = _rng(4408)
    make_images(d / "documents", ["invoice", "letter", "receipt"], per_class=8, size=(64, 80), mode="L",
                fmt="png", seed=4408)
    for c in ("invoice", "receipt"):
        for i in range(2):
            bits = (r.integers(0, 100, size=(80, 64)) > 20).astype("uint8") * 255
            Image.fromarray(bits).convert("1").save(d / "documents" / c / f"SCAN{20190301 + i:08d}.bmp")


def flowers_and_test(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers"], per_class=5, size=(96, 96),
                fmt="jpeg", seed=4409)
    r = _rng(4410)
    for i in range(5):
        _jpg(d / "test_photos" / f"IMG_{4410 + i}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))


def flowers5_model_and_new_set(d: Path):
    make_images(d / "mushrooms", ["agaricus", "amanita", "boletus"], per_class=6, size=(64, 64), fmt="jpeg",
                seed=4411)
    (d / "models").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(64, 64, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input((64, 64, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x, training=False)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(5, activation="softmax", name="predictions")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
        model.save("models/flowers_mobilenetv2.keras")
        """, d)


def mnv2_a100_checkpoint(d: Path):
    make_images(d / "shelf", ["cereal", "coffee", "pasta", "tea"], per_class=5, size=(96, 96), fmt="jpeg",
                seed=4412)
    (d / "checkpoints").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3),
                                              alpha=1.0, pooling="avg")
        inputs = keras.Input((96, 96, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x)
        x = layers.Dropout(0.3)(x)
        outputs = layers.Dense(4, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.save_weights("checkpoints/shelf_mnv2_best.weights.h5")
        """, d)


def dogs_csv(d: Path):
    r = _rng(4413)
    rows = ["file,breed,age_years"]
    breeds = ["beagle", "beagle", "beagle", "beagle", "husky", "pug", "beagle", "poodle", "beagle", "husky"]
    for i in range(30):
        f = f"dog_{i:04d}.jpg"
        _jpg(d / "dogs" / "images" / f, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{f},{breeds[i % len(breeds)]},{r.uniform(0.3, 14):.1f}")
    (d / "dogs" / "dogs.csv").write_text("\n".join(rows) + "\n")


def shoes(d: Path):
    make_images(d / "shoes", ["boots", "heels", "sandals", "sneakers"], per_class=6, size=(64, 64), fmt="jpeg",
                seed=4414)


def birds_small(d: Path):
    make_images(d / "birds", ["crow", "gull", "heron", "owl"], per_class=6, size=(64, 64), fmt="jpeg", seed=4415)


def rice_and_phase1_h5(d: Path):
    make_images(d / "rice_leaf", ["bacterial_blight", "blast", "brown_spot", "healthy"], per_class=5,
                size=(64, 64), fmt="jpeg", seed=4416)
    (d / "models").mkdir()
    _prep("tfk2", """
        from tensorflow import keras
        from tensorflow.keras import layers

        data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)],
                                             name="augmentation")
        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(64, 64, 3),
                                                 pooling="avg")
        base.trainable = False
        inputs = keras.Input((64, 64, 3))
        x = data_augmentation(inputs)
        x = base(x, training=False)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(4, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.save("models/rice_effnetb0_phase1.h5")
        """, d)


def plants_csv(d: Path):
    r = _rng(4417)
    rows = ["image,species,leaf_count"]
    species = ["arabidopsis", "tobacco", "tomato"]
    for i in range(24):
        f = f"plant_{i:03d}.png"
        _png(d / "plants" / "rgb" / f, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{f},{species[i % 3]},{int(r.integers(4, 28))}")
    (d / "plants" / "labels.csv").write_text("\n".join(rows) + "\n")


def lesions(d: Path):
    make_images(d / "lesions" / "train", ["benign", "malignant"], per_class=10, size=(64, 64), fmt="jpeg",
                seed=4418)


def cells_npy(d: Path):
    """A preprocessed array export: 2000 tiles of 224 x 224 (uint8) and their labels."""
    import numpy as np

    r = _rng(4419)
    (d / "cells").mkdir()
    np.save(d / "cells" / "x_train.npy", r.integers(0, 255, size=(2000, 224, 224, 3), dtype="uint8"))
    np.save(d / "cells" / "y_train.npy", r.integers(0, 4, size=2000))


def kfold_models(d: Path):
    make_images(d / "defects" / "val", ["crack", "dent", "ok", "scratch"], per_class=4, size=(48, 48), fmt="jpeg",
                seed=4420)
    (d / "folds").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        for fold in range(3):
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.save(f"folds/fold_{fold}.keras")
        """, d)


def weeds(d: Path):
    make_images(d / "weeds", ["chickweed", "cleavers", "fat_hen", "maize"], per_class=5, size=(64, 64), fmt="jpeg",
                seed=4421)


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog", "rabbit"], per_class=6, size=(64, 64), fmt="jpeg", seed=4422)


def bark(d: Path):
    make_images(d / "bark", ["birch", "oak", "pine"], per_class=5, size=(64, 64), fmt="jpeg", seed=4423)


def garbage(d: Path):
    for split, per in (("train", 6), ("val", 3)):
        make_images(d / "garbage" / split, ["glass", "metal", "paper", "plastic"], per_class=per, size=(64, 64),
                    fmt="jpeg", seed=4424 if split == "train" else 4425)


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more44-bottleneck-features-each-photo-at-native-size-np-concatenate-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=birds_mixed,
        script="extract_features.py",
        expect="concatenation axis must match",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras

        DATA_DIR = "{DATA}/birds"
        class_names = sorted(os.listdir(DATA_DIR))

        # the convolutional base is fully convolutional: no need to resize, keep every photo at its own resolution
        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(None, None, 3),
                                              alpha=0.35)
        base.trainable = False

        features, labels = [], []
        for label, name in enumerate(class_names):
            for path in sorted(glob.glob(os.path.join(DATA_DIR, name, "*.jpg"))):
                img = np.asarray(Image.open(path).convert("RGB"), dtype="float32")
                x = keras.applications.mobilenet_v2.preprocess_input(img[np.newaxis])
                features.append(base.predict(x, verbose=0))
                labels.append(label)
            print(f"{name:10s} {len(features)} feature maps so far")

        features = np.concatenate(features)
        labels = np.array(labels)
        np.savez("bottleneck_features.npz", features=features, labels=labels)
        print("saved", features.shape)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more44-logo-pngs-color-mode-rgba-efficientnetb0-three-channel-input-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=logos,
        pty=True,
        expect="found shape=(None, 64, 64, 4)",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = 64
        # some logos have a transparent background: keep the alpha channel
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/logos", image_size=(IMG_SIZE, IMG_SIZE), color_mode="rgba", batch_size=8, seed=2)
        class_names = train_ds.class_names

        base = keras.applications.EfficientNetB0(include_top=False, weights=None,
                                                 input_shape=(IMG_SIZE, IMG_SIZE, 3), pooling="avg")
        base.trainable = False

        inputs = keras.Input((IMG_SIZE, IMG_SIZE, 3))
        x = layers.RandomFlip("horizontal")(inputs)
        x = base(x, training=False)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more44-yolo-rows-read-as-normalised-corners-object-crops-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=yolo_site,
        script="make_crops.py",
        expect="must be > 0",
        code="""
        import glob
        import os

        import tensorflow as tf

        SITE = "{DATA}/site"
        CROP = 64
        class_names = open(f"{SITE}/classes.txt").read().split()
        os.makedirs("crops", exist_ok=True)

        # cut every annotated object out of the photos to fine-tune a small crop classifier on them
        n = 0
        for img_path in sorted(glob.glob(f"{SITE}/images/*.jpg")):
            img = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3)
            height, width = img.shape[0], img.shape[1]
            label_path = img_path.replace("/images/", "/labels/").replace(".jpg", ".txt")
            for line in open(label_path):
                cls, x1, y1, x2, y2 = line.split()          # normalised box corners
                left, top = int(float(x1) * width), int(float(y1) * height)
                right, bottom = int(float(x2) * width), int(float(y2) * height)
                crop = tf.image.crop_to_bounding_box(img, top, left, bottom - top, right - left)
                crop = tf.cast(tf.image.resize(crop, (CROP, CROP)), tf.uint8)
                out_dir = os.path.join("crops", class_names[int(cls)])
                os.makedirs(out_dir, exist_ok=True)
                tf.io.write_file(os.path.join(out_dir, f"{n:05d}.png"), tf.io.encode_png(crop))
                n += 1
        print(n, "crops written")
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more44-utkface-age-gender-race-head-four-units-race-others-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        env="tfk2",
        exception="InvalidArgumentError",
        setup=utkface,
        pty=True,
        expect="Received a label value of 4",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG = 64
        RACES = ["White", "Black", "Asian", "Indian"]

        paths = sorted(glob.glob("{DATA}/UTKFace/*.jpg"))
        ages, genders, races = [], [], []
        for p in paths:
            age, gender, race = os.path.basename(p).split("_")[:3]
            ages.append(float(age))
            genders.append(int(gender))
            races.append(int(race))
        print(len(paths), "faces")


        def load(path, targets):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (IMG, IMG))
            return img, targets


        targets = {"age": np.array(ages, "float32"), "gender": np.array(genders), "race": np.array(races)}
        train_ds = (tf.data.Dataset.from_tensor_slices((paths, targets)).shuffle(64, seed=0)
                    .map(load).batch(8).prefetch(tf.data.AUTOTUNE))

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = layers.Dense(128, activation="relu")(x)
        outputs = {
            "age": layers.Dense(1, name="age")(x),
            "gender": layers.Dense(1, activation="sigmoid", name="gender")(x),
            "race": layers.Dense(len(RACES), activation="softmax", name="race")(x),
        }
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss={"age": "mae", "gender": "binary_crossentropy", "race": "sparse_categorical_crossentropy"},
                      loss_weights={"age": 0.05, "gender": 1.0, "race": 1.0},
                      metrics={"gender": "accuracy", "race": "accuracy"})
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more44-val-dataset-copied-with-label-mode-categorical-sparse-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=food_split,
        pty=True,
        code="""
        import keras
        from keras import layers

        IMG_SIZE = (64, 64)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/food/train", image_size=IMG_SIZE, batch_size=6, label_mode="int", seed=4)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/food/val", image_size=IMG_SIZE, batch_size=6, label_mode="categorical", shuffle=False)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=IMG_SIZE + (3,),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input(IMG_SIZE + (3,))
        x = layers.RandomFlip("horizontal")(inputs)
        x = layers.RandomRotation(0.1)(x)
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(x)
        x = base(x, training=False)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(len(class_names))(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        history = model.fit(train_ds, validation_data=val_ds, epochs=10)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more44-stringlookup-one-hot-mapped-over-int-directory-labels-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="UnimplementedError",
        setup=xray_folders,
        expect="Cast int32 to string is not supported",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 72
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/chest_xray/train", image_size=(IMG, IMG), batch_size=6, seed=11)
        class_names = train_ds.class_names
        print(class_names)

        # one-hot targets so that CategoricalCrossentropy can use label smoothing
        to_one_hot = layers.StringLookup(vocabulary=class_names, num_oov_indices=0, output_mode="one_hot")
        train_ds = train_ds.map(lambda images, labels: (images, to_one_hot(labels)),
                                num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)

        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                 pooling="avg")
        base.trainable = False
        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.RandomFlip("horizontal"),
            base,
            layers.Dropout(0.3),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more44-document-scans-one-bit-bmp-from-old-scanner-k3",
        cause="data.missing_or_corrupt",
        also=("data.image_channels",),
        exception="InvalidArgumentError",
        setup=documents,
        pty=True,
        expect="Number of channels inherent in the image must be 1, 3 or 4, was 0",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/documents", image_size=(IMG, IMG), batch_size=4, seed=21)
        class_names = train_ds.class_names
        print(class_names)
        train_ds = train_ds.prefetch(tf.data.AUTOTUNE)

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x, training=False)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more44-nb-test-photos-map-pipeline-never-batched-predict-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="found shape=(96, 96, 3)",
        **notebook([
            """
            import glob
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            IMG = 96
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", image_size=(IMG, IMG), batch_size=8, seed=5)
            class_names = train_ds.class_names
            """,
            """
            base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                  alpha=0.35, pooling="avg")
            base.trainable = False
            inputs = keras.Input((IMG, IMG, 3))
            x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
            x = base(x, training=False)
            outputs = layers.Dense(len(class_names), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=1, verbose=2)
            """,
            """
            test_paths = sorted(glob.glob("{DATA}/test_photos/*.jpg"))


            def load_test(path):
                img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
                return tf.image.resize(img, (IMG, IMG))


            test_ds = tf.data.Dataset.from_tensor_slices(test_paths).map(load_test)
            probs = model.predict(test_ds)
            for path, p in zip(test_paths, probs):
                print(path.split("/")[-1], class_names[int(np.argmax(p))], f"{p.max():.2f}")
            """,
        ], data=flowers_and_test),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more44-five-class-flowers-model-reused-for-three-mushroom-classes-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=flowers5_model_and_new_set,
        pty=True,
        expect="output.shape=(None, 5)",
        code="""
        import keras

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/mushrooms", image_size=(IMG, IMG), batch_size=6, label_mode="categorical", seed=3)
        print(train_ds.class_names)

        # start from last month's flowers model instead of from scratch
        model = keras.models.load_model("{DATA}/models/flowers_mobilenetv2.keras")
        model.summary(line_length=90)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more44-mobilenetv2-alpha-1-checkpoint-into-alpha-0-5-phone-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=mnv2_a100_checkpoint,
        script="train_phone_model.py",
        code="""
        import keras
        from keras import layers

        IMG = 96
        ALPHA = 0.5          # half the width: the model has to run on the shop's old phones

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/shelf", image_size=(IMG, IMG), batch_size=8, seed=6)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=ALPHA, pooling="avg")
        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x)
        x = layers.Dropout(0.3)(x)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)

        # warm start from the best checkpoint of the full-size run
        model.load_weights("{DATA}/checkpoints/shelf_mnv2_best.weights.h5")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more44-class-weight-on-two-output-breed-and-age-model-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=dogs_csv,
        expect="only supported for Models with a single output",
        code="""
        import csv
        from collections import Counter

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        IMG = 64
        rows = list(csv.DictReader(open("{DATA}/dogs/dogs.csv")))
        breeds = sorted({r["breed"] for r in rows})
        x = np.stack([np.asarray(Image.open(f"{DATA}/dogs/images/{r['file']}"), "float32") for r in rows])
        y_breed = np.array([breeds.index(r["breed"]) for r in rows])
        y_age = np.array([float(r["age_years"]) for r in rows], "float32")

        # half of the photos are beagles: weight the rare breeds up
        counts = Counter(y_breed.tolist())
        class_weight = {c: len(y_breed) / (len(breeds) * n) for c, n in counts.items()}
        print("class weights:", {breeds[c]: round(w, 2) for c, w in class_weight.items()})

        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                 pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        h = base(inputs, training=False)
        h = layers.Dropout(0.2)(h)
        breed = layers.Dense(len(breeds), activation="softmax", name="breed")(h)
        age = layers.Dense(1, name="age")(h)
        model = keras.Model(inputs, {"breed": breed, "age": age})
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss={"breed": "sparse_categorical_crossentropy", "age": "mae"},
                      metrics={"breed": "accuracy", "age": "mae"})
        model.fit(x, {"breed": y_breed, "age": y_age}, validation_split=0.2, epochs=10, batch_size=8,
                  class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more44-nb-subset-both-assigned-to-one-variable-class-names-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="'list' object has no attribute 'class_names'",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers

            IMG_SIZE = (64, 64)
            BATCH_SIZE = 8
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/shoes",
                validation_split=0.2,
                subset="both",
                seed=123,
                image_size=IMG_SIZE,
                batch_size=BATCH_SIZE,
            )
            class_names = train_ds.class_names
            print(class_names)
            """,
            """
            val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/shoes", validation_split=0.2, subset="validation", seed=123,
                image_size=IMG_SIZE, batch_size=BATCH_SIZE)
            AUTOTUNE = tf.data.AUTOTUNE
            train_ds = train_ds.cache().shuffle(100).prefetch(AUTOTUNE)
            val_ds = val_ds.cache().prefetch(AUTOTUNE)
            """,
        ], data=shoes),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more44-fine-tune-phase-tf-2-11-guide-optimizers-experimental-adamw-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=birds_small,
        pty=True,
        expect="experimental",
        code="""
        import tensorflow as tf

        IMG_SIZE = (64, 64)
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/birds", image_size=IMG_SIZE, batch_size=8, seed=7)
        class_names = train_ds.class_names

        base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False,
                                                       weights=None, alpha=0.35)
        base_model.trainable = False
        inputs = tf.keras.Input(shape=IMG_SIZE + (3,))
        x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base_model(x, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        x = tf.keras.layers.Dropout(0.2)(x)
        outputs = tf.keras.layers.Dense(len(class_names))(x)
        model = tf.keras.Model(inputs, outputs)

        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        history = model.fit(train_ds, epochs=1)

        # fine-tuning: unfreeze the top of the base model, decoupled weight decay, small learning rate
        base_model.trainable = True
        for layer in base_model.layers[:100]:
            layer.trainable = False
        model.compile(optimizer=tf.keras.optimizers.experimental.AdamW(learning_rate=1e-5, weight_decay=1e-4),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        history_fine = model.fit(train_ds, epochs=3, initial_epoch=history.epoch[-1])
        """,
    ),
    Case(
        name="keras-more44-phase-two-loads-tf-keras-h5-with-randomflip-in-keras-3-k3",
        cause="env.version_incompat",
        also=("model.weights_mismatch",),
        exception="TypeError",
        setup=rice_and_phase1_h5,
        script="finetune.py",
        expect="rng_type",
        code="""
        import keras

        # phase 1 (frozen base) ran on the old Colab runtime; fine-tune on the new one
        model = keras.models.load_model("{DATA}/models/rice_effnetb0_phase1.h5")
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/rice_leaf", image_size=(64, 64), batch_size=8, seed=8)

        base = model.get_layer("efficientnetb0")
        base.trainable = True
        for layer in base.layers[:-20]:
            layer.trainable = False
        model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more44-per-class-recall-callback-np-float-underscore-numpy-2-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=garbage,
        pty=True,
        expect="np.float_",
        code="""
        import numpy as np
        import keras
        from keras import layers

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/garbage/train", image_size=(IMG, IMG), batch_size=8, seed=9)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/garbage/val", image_size=(IMG, IMG), batch_size=8, shuffle=False)
        class_names = train_ds.class_names


        class PerClassRecall(keras.callbacks.Callback):
            def __init__(self, dataset, names):
                super().__init__()
                self.dataset = dataset
                self.names = names

            def on_epoch_end(self, epoch, logs=None):
                y_true = np.concatenate([y.numpy() for _, y in self.dataset])
                y_pred = np.argmax(self.model.predict(self.dataset, verbose=0), axis=1)
                recall = np.zeros(len(self.names), dtype=np.float_)
                for c in range(len(self.names)):
                    recall[c] = np.mean(y_pred[y_true == c] == c)
                print(" - " + "  ".join(f"{n}: {r:.2f}" for n, r in zip(self.names, recall)))


        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x, training=False)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=[PerClassRecall(val_ds, class_names)])
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more44-plant-species-and-leaf-count-full-fine-tune-sgd-0-5-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=plants_csv,
        pty=True,
        expect="Tensor had",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers

        tf.debugging.enable_check_numerics()     # the loss went to nan last time: find where

        IMG = 64
        rows = list(csv.DictReader(open("{DATA}/plants/labels.csv")))
        species = sorted({r["species"] for r in rows})
        x = np.stack([np.asarray(Image.open(f"{DATA}/plants/rgb/{r['image']}"), "float32") for r in rows])
        y = {"species": np.array([species.index(r["species"]) for r in rows]),
             "leaf_count": np.array([float(r["leaf_count"]) for r in rows], "float32")}

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = True                      # fine-tune the whole network
        inputs = keras.Input((IMG, IMG, 3))
        h = base(inputs)
        outputs = {
            "species": layers.Dense(len(species), activation="softmax", name="species")(h),
            "leaf_count": layers.Dense(1, name="leaf_count")(h),
        }
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5, momentum=0.9),
                      loss={"species": "sparse_categorical_crossentropy", "leaf_count": "mse"},
                      metrics={"species": "accuracy", "leaf_count": "mae"})
        model.fit(x, y, epochs=20, batch_size=8)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more44-lesions-auc-metric-object-used-as-loss-no-gradients-k3",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=lesions,
        pty=True,
        expect="No gradients provided",
        code="""
        import keras
        from keras import layers

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/lesions/train", image_size=(IMG, IMG), batch_size=8, label_mode="binary", seed=10)


        def auc_loss(y_true, y_pred):
            # the leaderboard is ranked by ROC AUC, so optimise it directly
            auc = keras.metrics.AUC(num_thresholds=200)
            auc.update_state(y_true, y_pred)
            return 1.0 - auc.result()


        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                 pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        x = layers.RandomFlip()(inputs)
        x = base(x, training=False)
        x = layers.Dropout(0.3)(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=auc_loss, metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more44-resnet50-unfrozen-full-batch-fit-batch-size-len-x-train-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=cells_npy,
        as_limit=9 * 1024**3,
        timeout=400,
        expect="OOM when allocating tensor",
        code="""
        import os
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"      # silence the oneDNN notice
        import numpy as np
        import keras
        from keras import layers

        x_train = np.load("{DATA}/cells/x_train.npy").astype("float32")
        y_train = np.load("{DATA}/cells/y_train.npy")
        print(x_train.shape, y_train.shape)

        base = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3),
                                           pooling="avg")
        base.trainable = True
        inputs = keras.Input((224, 224, 3))
        x = keras.applications.resnet50.preprocess_input(inputs)
        x = base(x)
        outputs = layers.Dense(4, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])

        # the whole training set in one batch: exact gradients and no per-batch overhead
        model.fit(x_train, y_train, batch_size=len(x_train), epochs=30)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more44-kfold-models-evaluated-in-process-pool-dataset-argument-k3",
        cause="env.multiprocessing",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=kfold_models,
        script="evaluate_folds.py",
        expect="RemoteTraceback",
        code="""
        import glob
        from concurrent.futures import ProcessPoolExecutor

        import keras


        def evaluate_fold(model_path, dataset):
            model = keras.models.load_model(model_path)
            return model_path, model.evaluate(dataset, verbose=0, return_dict=True)


        if __name__ == "__main__":
            val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/defects/val", image_size=(48, 48), batch_size=8, shuffle=False)
            fold_paths = sorted(glob.glob("{DATA}/folds/fold_*.keras"))
            print(len(fold_paths), "fold models")

            # one process per fold model, so the three evaluations run at the same time
            with ProcessPoolExecutor(max_workers=3) as pool:
                futures = [pool.submit(evaluate_fold, path, val_ds) for path in fold_paths]
                for future in futures:
                    path, metrics = future.result()
                    print(path, metrics)
        """,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more44-nb-mixed-precision-guide-compute-capability-check-no-gpu-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        expect="list index out of range",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers

            print("TensorFlow", tf.__version__, "Keras", keras.__version__)
            print("Num GPUs Available:", len(tf.config.list_physical_devices("GPU")))
            """,
            """
            # mixed precision only pays off on GPUs with compute capability 7.0+ (tensor cores)
            gpus = tf.config.list_physical_devices("GPU")
            details = tf.config.experimental.get_device_details(gpus[0])
            print(details.get("device_name"), details.get("compute_capability"))
            if details.get("compute_capability", (0, 0)) >= (7, 0):
                keras.mixed_precision.set_global_policy("mixed_float16")
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/weeds", image_size=(64, 64), batch_size=8)
            base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(64, 64, 3),
                                                     pooling="avg")
            base.trainable = False
            model = keras.Sequential([keras.Input((64, 64, 3)), base, layers.Dense(4),
                                      layers.Activation("softmax", dtype="float32")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=3)
            """,
        ], data=weeds),
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more44-nb-mirrored-strategy-phase-two-recompiled-outside-scope-k3",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="RuntimeError",
        expect="Mixing different tf.distribute.Strategy objects",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers

            strategy = tf.distribute.MirroredStrategy()
            print("Number of devices:", strategy.num_replicas_in_sync)
            BATCH_SIZE = 8 * strategy.num_replicas_in_sync
            IMG = 64
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/pets", image_size=(IMG, IMG), batch_size=BATCH_SIZE, seed=12)
            class_names = train_ds.class_names
            train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
            """,
            """
            with strategy.scope():
                base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                      alpha=0.35, pooling="avg")
                base.trainable = False
                inputs = keras.Input((IMG, IMG, 3))
                x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
                x = base(x, training=False)
                x = layers.Dropout(0.2)(x)
                outputs = layers.Dense(len(class_names), activation="softmax")(x)
                model = keras.Model(inputs, outputs)
                model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                              metrics=["accuracy"])
            history = model.fit(train_ds, epochs=1, verbose=2)
            """,
            """
            # phase 2: unfreeze the top layers and fine-tune with a small learning rate
            base.trainable = True
            for layer in base.layers[:-30]:
                layer.trainable = False
            model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            history_fine = model.fit(train_ds, epochs=3, verbose=2)
            """,
        ], data=pets),
    ),
    # =================================================================== other
    Case(
        name="keras-more44-unfreeze-loop-for-i-layer-in-base-layers-without-enumerate-tfk2",
        cause="other",
        env="tfk2",
        exception="TypeError",
        setup=bark,
        pty=True,
        expect="cannot unpack non-iterable",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG = 64
        FINE_TUNE_AT = 100
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/bark", image_size=(IMG, IMG), batch_size=8, seed=13)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                              alpha=0.35, pooling="avg")
        base.trainable = False
        inputs = keras.Input((IMG, IMG, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=1)

        print("layers in the base model:", len(base.layers))
        base.trainable = True
        for i, layer in base.layers:
            layer.trainable = i >= FINE_TUNE_AT
        model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
]


# ---------------------------------------------------------------- toml fixes
# What _tfrecord cannot know: an IPython traceback has no "Traceback (most recent call last):" line,
# so it is not a standalone exception; "\r\n" line ends printed through a pseudo-terminal are not
# progress bars.
def fix_tomls(out_dir: Path):
    import re
    for c in CASES:
        toml, log = out_dir / f"{c.name}.toml", out_dir / f"{c.name}.log"
        if not toml.exists() or not log.exists():
            continue
        text = toml.read_text()
        with open(log, encoding="utf-8", newline="") as fh:      # keep "\r" as it was recorded
            out = fh.read()
        m = re.search(r"^forms = \[(.*)\]$", text, re.M)
        forms = [f.strip().strip('"') for f in m.group(1).split(",") if f.strip()]
        if "Cell In[" in out:
            forms = [f for f in forms if f != "standalone_exception"]
            if re.search(r"^File ~", out, re.M) and "ipython_file_tilde" not in forms:
                forms.append("ipython_file_tilde")
        if "progress_bars" in forms and not re.search(r"\r(?!\n)", out):
            forms.remove("progress_bars")
        text = text.replace(m.group(0), "forms = [" + ", ".join(f'"{f}"' for f in forms) + "]")
        toml.write_text(text)


if __name__ == "__main__":
    try:
        _tfrecord.main(CASES, SRC)
    finally:
        fix_tomls(Path(_tfrecord.OUT_DIR))
