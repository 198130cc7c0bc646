"""Untargeted held-out Keras / TF 2 image-training failures, sampled across the whole
taxonomy roughly in proportion to how often public threads report them: data and
generator problems (PyDataset / Sequence / Python generators / tf.data maps),
labels against the loss, heads against the classes, outputs against the loss,
API misuse and call order (callbacks, custom train_step, functional models),
Keras 2 -> Keras 3 changes (fit_generator, ``lr=``, metrics_names, ``logs['lr']``,
ImageDataGenerator, PyDataset on older TF, Keras 1 Conv2D signatures),
saving / loading weights, NaN from learning rates, memory and worker pools.
Classifiers, segmenters, a super-resolution net and small detector helpers; scripts
and IPython notebooks; Keras 3 (TF 2.21), TF 2.15 and TF 2.12.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more26.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import os  # noqa: E402
from pathlib import Path  # noqa: E402

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, both  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "sunflowers", "tulips"], per_class=6, size=(48, 48), fmt="jpeg")


def flowers_split(d: Path):
    make_images(d / "flowers" / "train", ["daisy", "roses", "sunflowers", "tulips"], per_class=6, size=(48, 48),
                fmt="jpeg")
    make_images(d / "flowers" / "val", ["daisy", "roses", "sunflowers", "tulips"], per_class=2, size=(48, 48),
                fmt="jpeg", seed=1)


def pets(d: Path):
    make_images(d / "pets", ["cats", "dogs"], per_class=8, size=(40, 40), fmt="jpeg")


def landscape_photos(d: Path):
    """Phone photos, all the same landscape size (64 wide, 48 high)."""
    make_images(d / "photos", ["beach", "forest", "city"], per_class=6, size=(64, 48), fmt="jpeg")


def faces48(d: Path):
    """FER-style 48x48 grey faces saved as an npz."""
    import numpy as np
    rng = np.random.default_rng(3)
    np.savez(d / "fer_subset.npz", x=rng.integers(0, 255, (64, 48, 48), dtype=np.uint8),
             y=rng.integers(0, 7, 64))


def digits_npz(d: Path):
    import numpy as np
    rng = np.random.default_rng(4)
    np.savez(d / "mnist_local.npz", x_train=rng.integers(0, 255, (256, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, 256))


def cifar100_pickle(d: Path):
    """A slice of CIFAR-100 in the original python pickle layout (b'data', b'fine_labels', b'coarse_labels')."""
    import pickle
    import numpy as np
    rng = np.random.default_rng(11)
    n = 128
    fine = rng.integers(0, 100, n)
    fine[:4] = [87, 3, 55, 19]
    coarse = fine // 5
    out = d / "cifar-100-python"
    out.mkdir(parents=True)
    with open(out / "train", "wb") as fh:
        pickle.dump({b"data": rng.integers(0, 255, (n, 3072), dtype=np.uint8),
                     b"fine_labels": fine.tolist(), b"coarse_labels": coarse.tolist(),
                     b"filenames": [f"img_{i}.png".encode() for i in range(n)]}, fh)


def ages_csv(d: Path):
    import numpy as np
    rng = np.random.default_rng(8)
    folder = d / "faces"
    folder.mkdir(parents=True)
    rows = ["file,age"]
    for i in range(40):
        _png(folder / f"face_{i:03d}.png", rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8))
        rows.append(f"face_{i:03d}.png,{int(rng.integers(2, 85))}")
    (d / "faces" / "ages.csv").write_text("\n".join(rows) + "\n")


def aerial_scene(d: Path):
    """A tiny segmentation set (64x64 tiles with masks) plus one large scene to tile."""
    import numpy as np
    rng = np.random.default_rng(9)
    for i in range(12):
        _png(d / "aerial" / "tiles" / f"t{i:03d}.png", rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8))
        _png(d / "aerial" / "masks" / f"t{i:03d}.png", rng.integers(0, 3, size=(64, 64), dtype=np.uint8))
    _png(d / "aerial" / "scene_0412.png", rng.integers(0, 255, size=(150, 220, 3), dtype=np.uint8))


def seg_missing_mask(d: Path):
    import numpy as np
    rng = np.random.default_rng(10)
    for i in range(24):
        _png(d / "leaves" / "images" / f"leaf_{i:04d}.png", rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8))
        if i != 17:     # the annotator skipped this one
            _png(d / "leaves" / "masks" / f"leaf_{i:04d}.png", rng.integers(0, 2, size=(48, 48), dtype=np.uint8))


def logos_rgba(d: Path):
    make_images(d / "logos", ["brand_a", "brand_b", "brand_c"], per_class=4, size=(96, 96), mode="RGBA",
                fmt="png")


def xray_rgb(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=8, size=(64, 64), fmt="png")


def parts_jpeg(d: Path):
    make_images(d / "parts", ["ok", "scratch", "dent"], per_class=6, size=(64, 64), fmt="jpeg")


def crops_with_boxes(d: Path):
    """Shelf photos and one box per photo (x1,y1,x2,y2 in pixels); one box drawn right to left."""
    import numpy as np
    rng = np.random.default_rng(12)
    rows = ["file,x1,y1,x2,y2,label"]
    for i in range(16):
        _png(d / "shelf" / f"shelf_{i:03d}.png", rng.integers(0, 255, size=(120, 160, 3), dtype=np.uint8))
        x1, y1 = int(rng.integers(5, 80)), int(rng.integers(5, 60))
        x2, y2 = x1 + int(rng.integers(20, 60)), y1 + int(rng.integers(20, 50))
        if i == 9:
            x1, x2 = x2, x1
        rows.append(f"shelf_{i:03d}.png,{x1},{y1},{x2},{y2},{int(rng.integers(0, 3))}")
    (d / "shelf" / "boxes.csv").write_text("\n".join(rows) + "\n")


def sr_pairs(d: Path):
    import numpy as np
    rng = np.random.default_rng(13)
    hr = rng.integers(0, 255, size=(16, 128, 128, 3), dtype=np.uint8)
    np.save(d / "div2k_hr_patches.npy", hr)


def ct_volumes(d: Path):
    import numpy as np
    rng = np.random.default_rng(14)
    np.savez(d / "ct_volumes.npz", x=rng.normal(size=(12, 32, 32, 16)).astype("float32"),
             y=rng.integers(0, 2, 12))


def big_phone_photos(d: Path):
    """Full-resolution 12 MP phone photos (flat colours, so the files stay small)."""
    from PIL import Image
    for c, col in [("ripe", (200, 40, 30)), ("unripe", (60, 160, 40))]:
        (d / "tomatoes" / c).mkdir(parents=True)
        for i in range(4):
            Image.new("RGB", (4000, 3000), tuple(v + 3 * i for v in col)).save(d / "tomatoes" / c / f"IMG_{i:04d}.jpg")


def pets_weights_k3(d: Path):
    pets(d)
    _prep("k3", """
        import keras
        from keras import layers

        class PetClassifier(keras.Model):
            def __init__(self, num_classes=2, **kw):
                super().__init__(**kw)
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.fc = layers.Dense(num_classes, activation="softmax")
            def call(self, x):
                return self.fc(self.pool(self.conv1(x)))

        m = PetClassifier()
        m(keras.ops.zeros((1, 40, 40, 3)))
        m.save_weights("pets_v1.weights.h5")
        """, d)


def five_class_weights_tf215(d: Path):
    flowers(d)
    _prep("tf215", """
        import tensorflow as tf
        from tensorflow.keras import layers
        m = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        m.save_weights("flowers5_best.h5")
        """, d)


def plant_weights_tf212(d: Path):
    make_images(d / "plants", ["healthy", "rust", "scab"], per_class=6, size=(96, 96), fmt="jpeg")
    _prep("tf212", """
        import tensorflow as tf
        from tensorflow.keras import layers
        m = tf.keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(128, 128, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ])
        m.save_weights("plant_disease_128.h5")
        """, d)


def lfs_pointer_dataset(d: Path):
    """A repo cloned without git-lfs: every image is a small pointer text file."""
    import hashlib
    for c in ["healthy", "bleached", "dead"]:
        folder = d / "coral-reef-dataset" / "train" / c
        folder.mkdir(parents=True)
        for i in range(5):
            oid = hashlib.sha256(f"{c}{i}".encode()).hexdigest()
            (folder / f"{c}_{i:04d}.jpg").write_text(
                f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {48213 + 977 * i}\n")


def counting_photos(d: Path):
    import numpy as np
    rng = np.random.default_rng(15)
    np.savez(d / "crowd.npz", x=rng.integers(0, 255, (64, 32, 32, 3), dtype=np.uint8),
             counts=rng.integers(50, 900, 64).astype("float32"))


def cifar_like(d: Path):
    import numpy as np
    rng = np.random.default_rng(16)
    np.savez(d / "cifar_like.npz", x=rng.integers(0, 255, (128, 32, 32, 3), dtype=np.uint8),
             y=rng.integers(0, 5, 128))


CASES = [
    # =================================================================== env.version_incompat
    Case(
        name="keras-more26-fit-generator-folder-batches-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="has no attribute 'fit_generator'",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        DATA = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(DATA))
        files = sorted(glob.glob(f"{DATA}/*/*.jpg"))
        labels = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])
        BATCH = 8


        def batch_generator(files, labels, batch_size=BATCH):
            while True:
                order = np.random.permutation(len(files))
                for s in range(0, len(order) - batch_size + 1, batch_size):
                    idx = order[s:s + batch_size]
                    x = np.stack([np.asarray(Image.open(files[i]).convert("RGB").resize((48, 48)), np.float32) / 255.0
                                  for i in idx])
                    yield x, labels[idx]


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit_generator(batch_generator(files, labels),
                                      steps_per_epoch=len(files) // BATCH, epochs=5)
        """,
    ),
    Case(
        name="keras-more26-nb-finetune-adam-lr-keyword-k3",
        cause="env.version_incompat",
        exception="ValueError",
        expect="Argument(s) not recognized",
        **notebook([
            """
            import keras
            from keras import layers
            print(keras.__version__)
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                                validation_split=0.25, subset="training", seed=1)
            val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                              validation_split=0.25, subset="validation", seed=1)
            class_names = train_ds.class_names
            """,
            """
            base = keras.applications.MobileNetV2(input_shape=(48, 48, 3), include_top=False, weights=None)
            base.trainable = True
            inputs = keras.Input((48, 48, 3))
            x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
            x = base(x)
            x = layers.GlobalAveragePooling2D()(x)
            outputs = layers.Dense(len(class_names), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            """,
            """
            # fine-tuning: small learning rate, as in the tutorial
            model.compile(optimizer=keras.optimizers.Adam(lr=1e-5),
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=3)
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more26-evaluate-zip-metrics-names-accuracy-key-k3",
        cause="env.version_incompat",
        exception="KeyError",
        setup=flowers_split,
        code="""
        import json

        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/train", image_size=(48, 48), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/val", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        scores = model.evaluate(val_ds, verbose=0)
        results = dict(zip(model.metrics_names, scores))
        print(f"val loss {results['loss']:.3f}  val accuracy {results['accuracy']:.3f}")
        with open("metrics.json", "w") as fh:
            json.dump(results, fh)
        """,
    ),
    Case(
        name="keras-more26-lr-logger-callback-logs-lr-key-k3",
        cause="env.version_incompat",
        exception="KeyError",
        setup=pets,
        pty=True,
        code="""
        import csv

        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4,
                                                            label_mode="binary")


        class EpochCSV(keras.callbacks.Callback):
            \"\"\"One row per epoch for the lab notebook: epoch, loss, accuracy, learning rate.\"\"\"

            def __init__(self, path):
                super().__init__()
                self.path = path

            def on_epoch_end(self, epoch, logs=None):
                with open(self.path, "a", newline="") as fh:
                    csv.writer(fh).writerow([epoch + 1, logs["loss"], logs["accuracy"], logs["lr"]])


        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=4, callbacks=[
            keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1),
            EpochCSV("epochs.csv"),
        ])
        """,
    ),
    Case(
        name="keras-more26-import-image-data-generator-from-keras-k3",
        cause="env.version_incompat",
        exception="ImportError",
        setup=xray_rgb,
        code="""
        import keras
        from keras.preprocessing.image import ImageDataGenerator
        from keras import layers

        datagen = ImageDataGenerator(rescale=1 / 255, rotation_range=10, zoom_range=0.1, validation_split=0.2)
        train_gen = datagen.flow_from_directory("{DATA}/xray", target_size=(64, 64), batch_size=4,
                                                class_mode="binary", subset="training")
        val_gen = datagen.flow_from_directory("{DATA}/xray", target_size=(64, 64), batch_size=4,
                                              class_mode="binary", subset="validation")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=val_gen, epochs=5)
        """,
    ),
    Case(
        name="keras-more26-pydataset-subclass-on-colab-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=parts_jpeg,
        expect="PyDataset",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/parts"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]


        class PartsData(keras.utils.PyDataset):          # from the Keras 3 guide
            def __init__(self, files, labels, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files, self.labels, self.batch_size = files, np.array(labels), batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(64, 64))) / 255.0
                              for f in self.files[sl]])
                return x, self.labels[sl]


        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(PartsData(files, labels, workers=2, use_multiprocessing=False), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-fer-keras1-conv2d-nb-row-nb-col-tf212",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf212",
        setup=faces48,
        expect="Negative dimension size",
        code="""
        # emotion recognition, architecture from an old Keras 1 blog post
        import numpy as np
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout

        data = np.load("{DATA}/fer_subset.npz")
        x = data["x"].reshape(-1, 48, 48, 1).astype("float32") / 255.0
        y = data["y"]

        model = Sequential()
        model.add(Conv2D(32, 3, 3, activation="relu", input_shape=(48, 48, 1)))   # Convolution2D(32, 3, 3)
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Conv2D(64, 3, 3, activation="relu"))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Conv2D(128, 3, 3, activation="relu"))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(256, activation="relu"))
        model.add(Dropout(0.5))
        model.add(Dense(7, activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=10, validation_split=0.1)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more26-compile-loss-class-without-parentheses-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers_split,
        expect="missing 1 required positional argument: 'self'",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/train", image_size=(48, 48), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/val", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4),                           # logits
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy,
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=4,
                  callbacks=[keras.callbacks.EarlyStopping(patience=3)])
        model.save("flowers_cnn.keras")
        print("saved")
        """,
    ),
    Case(
        name="keras-more26-from-generator-given-sequence-object-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=parts_jpeg,
        expect="must be a Python callable",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        ROOT = "{DATA}/parts"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])


        class DefectSequence(tf.keras.utils.Sequence):
            def __init__(self, files, labels, batch_size=6):
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f, target_size=(64, 64))) / 255.0
                              for f in self.files[sl]])
                return x.astype("float32"), self.labels[sl]


        seq = DefectSequence(files, labels)
        # wrap it in tf.data to get prefetching
        train_ds = tf.data.Dataset.from_generator(
            seq,
            output_signature=(tf.TensorSpec((None, 64, 64, 3), tf.float32), tf.TensorSpec((None,), tf.int64)),
        ).prefetch(tf.data.AUTOTUNE)

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-nb-add-pooling-to-pretrained-base-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="has no attribute 'add'",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4)
            """,
            """
            base_model = keras.applications.MobileNetV2(input_shape=(40, 40, 3), include_top=False, weights=None)
            base_model.trainable = False
            base_model.summary(line_length=80, print_fn=lambda *a, **k: None)
            print(type(base_model).__name__, len(base_model.layers), "layers")
            """,
            """
            # put our own head on top of the backbone
            base_model.add(layers.GlobalAveragePooling2D())
            base_model.add(layers.Dense(2, activation="softmax"))
            base_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
        ], data=pets),
    ),
    Case(
        name="keras-more26-unet-concatenate-axis-in-call-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=aerial_scene,
        expect="unexpected keyword argument 'axis'",
        code="""
        import keras
        from keras import layers


        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


        def build_unet(num_classes=3):
            inputs = keras.Input((64, 64, 3))
            c1 = conv_block(inputs, 16)
            p1 = layers.MaxPooling2D()(c1)
            c2 = conv_block(p1, 32)
            p2 = layers.MaxPooling2D()(c2)
            b = conv_block(p2, 64)
            u2 = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(b)
            u2 = layers.Concatenate()([u2, c2], axis=-1)
            c3 = conv_block(u2, 32)
            u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(c3)
            u1 = layers.Concatenate()([u1, c1], axis=-1)
            c4 = conv_block(u1, 16)
            outputs = layers.Conv2D(num_classes, 1, activation="softmax")(c4)
            return keras.Model(inputs, outputs, name="unet")


        model = build_unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.summary()
        """,
    ),
    Case(
        name="keras-more26-train-step-fstring-formats-loss-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pets,
        expect="unsupported format string",
        code="""
        import keras
        import tensorflow as tf
        from keras import layers


        class VerboseClassifier(keras.Model):
            \"\"\"Prints the loss of every step, to see where it starts to go wrong.\"\"\"

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                print(f"step loss: {loss:.4f}")
                for m in self.metrics:
                    if m.name == "loss":
                        m.update_state(loss)
                    else:
                        m.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4)
        inputs = keras.Input((40, 40, 3))
        x = layers.Rescaling(1 / 255)(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = VerboseClassifier(inputs, layers.Dense(2, activation="softmax")(x))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more26-load-weights-skip-mismatch-without-by-name-tf215",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="ValueError",
        env="tf215",
        setup=five_class_weights_tf215,
        expect="skip_mismatch",
        code="""
        # start from last month's 5-class flower model, now with 4 classes
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        num_classes = len(train_ds.class_names)

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ])
        # the head has a different size now: keep the backbone, skip the head
        model.load_weights("{DATA}/flowers5_best.h5", skip_mismatch=True)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-train-step-calls-self-loss-string-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="'str' object is not callable",
        code="""
        import keras
        import tensorflow as tf
        from keras import layers


        class MixupModel(keras.Model):
            def train_step(self, data):
                x, y = data
                y = tf.one_hot(y, 4)
                lam = tf.random.uniform([], 0.2, 0.8)
                idx = tf.random.shuffle(tf.range(tf.shape(x)[0]))
                x = lam * x + (1 - lam) * tf.gather(x, idx)
                y = lam * y + (1 - lam) * tf.gather(y, idx)
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.loss(y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255)(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = MixupModel(inputs, layers.Dense(4, activation="softmax")(x))
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more26-ct-volumes-conv3d-no-channel-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=ct_volumes,
        expect="expected min_ndim=5",
        code="""
        import numpy as np
        import keras
        from keras import layers

        data = np.load("{DATA}/ct_volumes.npz")
        x, y = data["x"], data["y"]            # (n, 32, 32, 16): 16 slices per scan
        print("volumes", x.shape)

        model = keras.Sequential([
            keras.Input(shape=x.shape[1:]),
            layers.Conv3D(8, 3, activation="relu"),
            layers.MaxPooling3D(2),
            layers.Conv3D(16, 3, activation="relu"),
            layers.GlobalAveragePooling3D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more26-nb-mlp-flattened-x-train-then-cnn-cell-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            d = np.load("{DATA}/mnist_local.npz")
            x_train, y_train = d["x_train"], d["y_train"]
            """,
            """
            # baseline: a plain MLP
            x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
            mlp = keras.Sequential([keras.Input((784,)), layers.Dense(128, activation="relu"),
                                    layers.Dense(10, activation="softmax")])
            mlp.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            mlp.fit(x_train, y_train, epochs=1, batch_size=32, verbose=2)
            """,
            """
            # now a small CNN
            cnn = keras.Sequential([
                keras.Input((28, 28, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(10, activation="softmax"),
            ])
            cnn.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            cnn.fit(x_train, y_train, epochs=3, batch_size=32, validation_split=0.1)
            """,
        ], data=digits_npz),
    ),
    Case(
        name="keras-more26-map-expand-dims-copied-from-predict-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        expect="found shape=(None, 1, 48, 48, 3)",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        CLASSES = ["daisy", "roses", "sunflowers", "tulips"]


        def load_image(path):
            # same preprocessing as predict.py
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            img = tf.expand_dims(img, 0)
            return img


        def load_example(path):
            label = tf.argmax(tf.cast(tf.equal(tf.strings.split(path, "/")[-2], CLASSES), tf.int32))
            return load_image(path), label


        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg", seed=0).map(load_example).batch(8)

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
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
        name="keras-more26-crnn-conv-features-into-lstm-no-reshape-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        expect="expected ndim=3, found ndim=4",
        code="""
        # meter-reading strips: read the feature map left to right with an LSTM
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        x = np.random.rand(64, 32, 128, 1).astype("float32")     # grey strips, 32 high, 128 wide
        y = np.random.randint(0, 10, 64)                          # last digit shown

        inputs = layers.Input((32, 128, 1))
        f = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        f = layers.MaxPooling2D((2, 2))(f)
        f = layers.Conv2D(64, 3, padding="same", activation="relu")(f)
        f = layers.MaxPooling2D((2, 2))(f)
        f = layers.Permute((2, 1, 3))(f)                         # width first: (32, 8, 64)
        f = layers.Bidirectional(layers.LSTM(64))(f)
        outputs = layers.Dense(10, activation="softmax")(f)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=16)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more26-cifar10-architecture-reused-for-cats-dogs-bce-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=pets,
        pty=True,
        expect="must have the same rank",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4,
                                                            label_mode="int")


        def cifar_cnn(input_shape=(40, 40, 3), num_classes=10):
            # the network that reached 78% on CIFAR-10 last week
            return keras.Sequential([
                keras.Input(input_shape),
                layers.Rescaling(1 / 255),
                layers.Conv2D(32, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ])


        model = cifar_cnn()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more26-nb-subclassed-call-skips-head-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        expect="are incompatible",
        **notebook([
            """
            import tensorflow as tf
            from tensorflow.keras import layers
            train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                                   batch_size=8, label_mode="categorical")
            """,
            """
            class FlowerNet(tf.keras.Model):
                def __init__(self, num_classes):
                    super().__init__()
                    self.rescale = layers.Rescaling(1 / 255)
                    self.conv1 = layers.Conv2D(32, 3, activation="relu")
                    self.pool1 = layers.MaxPooling2D()
                    self.conv2 = layers.Conv2D(64, 3, activation="relu")
                    self.gap = layers.GlobalAveragePooling2D()
                    self.dropout = layers.Dropout(0.3)
                    self.classifier = layers.Dense(num_classes, activation="softmax")

                def call(self, x, training=False):
                    x = self.pool1(self.conv1(self.rescale(x)))
                    x = self.gap(self.conv2(x))
                    x = self.dropout(x, training=training)
                    return x
            """,
            """
            model = FlowerNet(num_classes=4)
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=5)
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more26-super-resolution-x2-net-x4-patches-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=sr_pairs,
        expect="Dimensions must be equal",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        SCALE = 4
        hr = np.load("{DATA}/div2k_hr_patches.npy").astype("float32") / 255.0       # (n, 128, 128, 3)
        lr = tf.image.resize(hr, (128 // SCALE, 128 // SCALE), method="bicubic").numpy()
        print("LR", lr.shape, "HR", hr.shape)


        def espcn(upscale=2, channels=3):
            inputs = keras.Input((None, None, channels))
            x = layers.Conv2D(64, 5, padding="same", activation="tanh")(inputs)
            x = layers.Conv2D(32, 3, padding="same", activation="tanh")(x)
            x = layers.Conv2D(channels * upscale ** 2, 3, padding="same")(x)
            outputs = layers.Lambda(lambda t: tf.nn.depth_to_space(t, upscale))(x)
            return keras.Model(inputs, outputs, name="espcn")


        model = espcn()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(lr, hr, batch_size=4, epochs=10)
        """,
    ),
    Case(
        name="keras-more26-binary-seg-one-unit-softmax-sparse-xent-tf212",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=seg_missing_mask,
        expect="outside the valid range",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        images = sorted(glob.glob("{DATA}/leaves/images/*.png"))
        pairs = [(p, p.replace("/images/", "/masks/")) for p in images if os.path.exists(p.replace("/images/", "/masks/"))]
        x = np.stack([np.asarray(Image.open(i), np.float32) / 255.0 for i, _ in pairs])
        y = np.stack([np.asarray(Image.open(m)) for _, m in pairs])[..., None]     # 0 background, 1 lesion
        print(x.shape, y.shape, np.unique(y))

        NUM_CLASSES = 1     # one class: lesion

        inputs = layers.Input((48, 48, 3))
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(c)
        outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(c)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more26-sequence-label-slice-hardcoded-16-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=flowers,
        pty=True,
        expect="must have the same first dimension",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = np.array([CLASSES.index(f.split("/")[-2]) for f in files])


        class FlowerSequence(tf.keras.utils.Sequence):
            def __init__(self, files, labels, batch_size):
                self.files, self.labels, self.batch_size = files, labels, batch_size
                self.order = np.random.permutation(len(files))

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                ids = self.order[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(self.files[i], target_size=(48, 48)))
                              for i in ids]) / 255.0
                y = self.labels[self.order[idx * 16:(idx + 1) * 16]]
                return x, y

            def on_epoch_end(self):
                np.random.shuffle(self.order)


        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FlowerSequence(files, labels, batch_size=8), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-age-gender-pydataset-stacked-targets-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=ages_csv,
        expect="different structures",
        code="""
        import csv
        import math

        import numpy as np
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/faces/ages.csv")))
        rng = np.random.default_rng(0)
        gender = rng.integers(0, 2, len(rows))           # from the second sheet


        class Faces(keras.utils.PyDataset):
            def __init__(self, rows, gender, batch_size=8, **kw):
                super().__init__(**kw)
                self.rows, self.gender, self.batch_size = rows, gender, batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/faces/" + r["file"])) / 255.0
                              for r in self.rows[sl]])
                ages = np.array([float(r["age"]) for r in self.rows[sl]]) / 100.0
                y = np.stack([ages, self.gender[sl]], axis=1).astype("float32")     # (batch, 2): age, gender
                return x, y


        inputs = keras.Input((48, 48, 3))
        f = layers.Conv2D(16, 3, activation="relu")(inputs)
        f = layers.MaxPooling2D()(f)
        f = layers.Conv2D(32, 3, activation="relu")(f)
        f = layers.GlobalAveragePooling2D()(f)
        age = layers.Dense(1, name="age")(f)
        sex = layers.Dense(1, activation="sigmoid", name="gender")(f)
        model = keras.Model(inputs, [age, sex])
        model.compile(optimizer="adam", loss={"age": "mse", "gender": "binary_crossentropy"},
                      metrics={"gender": "accuracy"})
        model.fit(Faces(rows, gender), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-pydataset-one-hot-rows-kept-as-lists-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=parts_jpeg,
        expect="same rank",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers

        ROOT = "{DATA}/parts"
        CLASSES = sorted(os.listdir(ROOT))
        EYE = np.eye(len(CLASSES), dtype="float32")
        samples = []
        for f in sorted(glob.glob(f"{ROOT}/*/*.jpg")):
            cls = CLASSES.index(os.path.basename(os.path.dirname(f)))
            samples.append((f, EYE[[cls]]))          # one-hot row for this image


        class Parts(keras.utils.PyDataset):
            def __init__(self, samples, batch_size=6, **kw):
                super().__init__(**kw)
                self.samples, self.batch_size = samples, batch_size

            def __len__(self):
                return math.ceil(len(self.samples) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.samples[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) / 255.0 for f, _ in batch])
                y = np.array([onehot for _, onehot in batch])
                return x, y


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(Parts(samples), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-train-step-softmax-xent-dir-int-labels-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=flowers,
        expect="must be broadcastable",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)


        class LogitsModel(tf.keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    logits = self(x, training=True)
                    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        inputs = tf.keras.Input((48, 48, 3))
        h = layers.Rescaling(1 / 255)(inputs)
        h = layers.Conv2D(16, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = LogitsModel(inputs, layers.Dense(4)(h))
        model.compile(optimizer="adam")
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more26-cifar100-pickle-fine-labels-superclass-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=cifar100_pickle,
        pty=True,
        expect="outside the valid range",
        code="""
        import pickle

        import numpy as np
        import keras
        from keras import layers

        NUM_SUPERCLASSES = 20       # we only need the 20 coarse categories

        with open("{DATA}/cifar-100-python/train", "rb") as fh:
            batch = pickle.load(fh, encoding="bytes")
        x = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float32") / 255.0
        y = np.array(batch[b"fine_labels"])
        print(x.shape, y.shape)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_SUPERCLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3, validation_split=0.1)
        """,
    ),
    Case(
        name="keras-more26-nb-age-groups-np-digitize-to-categorical-tf212",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tf212",
        expect="out of bounds",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras import layers
            rows = list(csv.DictReader(open("{DATA}/faces/ages.csv")))
            x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img("{DATA}/faces/" + r["file"]))
                          for r in rows]) / 255.0
            ages = np.array([int(r["age"]) for r in rows])
            """,
            """
            # child / teen / young adult / adult / senior
            BINS = [0, 13, 20, 40, 60]
            GROUPS = ["child", "teen", "young adult", "adult", "senior"]
            y = np.digitize(ages, BINS)
            print(np.bincount(y))
            """,
            """
            y_onehot = tf.keras.utils.to_categorical(y, num_classes=len(GROUPS))
            """,
            """
            model = tf.keras.Sequential([
                layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(GROUPS), activation="softmax"),
            ])
            model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y_onehot, batch_size=8, epochs=5, validation_split=0.2)
            """,
        ], data=ages_csv),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more26-map-scale-jitter-without-crop-back-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=landscape_photos,
        expect="Cannot add tensor to the batch",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["beach", "city", "forest"]
        IMG = (48, 64)


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.argmax(tf.cast(tf.equal(tf.strings.split(path, "/")[-2], CLASSES), tf.int32))
            return tf.cast(img, tf.float32) / 255.0, label


        def scale_jitter(img, label):
            # random zoom in / out by up to 20 %
            scale = tf.random.uniform([], 0.8, 1.2)
            new_size = tf.cast(tf.cast(tf.shape(img)[:2], tf.float32) * scale, tf.int32)
            img = tf.image.resize(img, new_size)
            img = tf.image.random_flip_left_right(img)
            return img, label


        ds = (tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", seed=1)
              .map(load).map(scale_jitter).batch(6).prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input(IMG + (3,)),
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
        name="keras-more26-nb-seg-tiles-scene-edge-tiles-np-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        expect="must have the same shape",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            from PIL import Image
            TILE = 64
            tiles = np.stack([np.asarray(Image.open(f), np.float32) / 255.0
                              for f in sorted(glob.glob("{DATA}/aerial/tiles/*.png"))])
            masks = np.stack([np.asarray(Image.open(f)) for f in sorted(glob.glob("{DATA}/aerial/masks/*.png"))])
            """,
            """
            inputs = keras.Input((TILE, TILE, 3))
            c = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
            c = layers.Conv2D(16, 3, padding="same", activation="relu")(c)
            model = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(c))
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(tiles, masks, batch_size=4, epochs=2, verbose=2)
            """,
            """
            # predict a whole scene tile by tile
            scene = np.asarray(Image.open("{DATA}/aerial/scene_0412.png"), np.float32) / 255.0
            H, W = scene.shape[:2]
            patches, where = [], []
            for top in range(0, H, TILE):
                for left in range(0, W, TILE):
                    patches.append(scene[top:top + TILE, left:left + TILE])
                    where.append((top, left))
            batch = np.stack(patches)
            pred = model.predict(batch, batch_size=8).argmax(-1)
            """,
        ], data=aerial_scene),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more26-pydataset-pil-convert-l-for-speed-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=xray_rgb,
        expect="expected axis -1",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        files = sorted(glob.glob("{DATA}/xray/*/*.png"))
        labels = np.array([0 if "/normal/" in f else 1 for f in files])


        class XrayData(keras.utils.PyDataset):
            def __init__(self, files, labels, batch_size=8, **kw):
                super().__init__(**kw)
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                # x-rays are grey anyway: load one channel, 3x less to read
                x = np.stack([np.asarray(Image.open(f).convert("L").resize((64, 64)), np.float32) / 255.0
                              for f in self.files[sl]])
                return np.expand_dims(x, -1), self.labels[sl]


        base = keras.applications.DenseNet121(include_top=False, weights=None, input_shape=(64, 64, 3))
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(XrayData(files, labels), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-load-img-color-mode-rgba-logos-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=logos_rgba,
        expect="96, 96, 4)",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        files = sorted(glob.glob("{DATA}/logos/*/*.png"))
        classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})
        # keep the transparency, the logos are cut out
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f, color_mode="rgba")) for f in files])
        x = tf.keras.applications.mobilenet_v2.preprocess_input(x)
        y = np.array([classes.index(os.path.basename(os.path.dirname(f))) for f in files])

        base = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([base, layers.GlobalAveragePooling2D(),
                                     layers.Dense(len(classes), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=3)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more26-seg-mask-skipped-by-annotator-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=seg_missing_mask,
        pty=True,
        expect="No such file or directory",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        images = sorted(glob.glob("{DATA}/leaves/images/*.png"))
        masks = [p.replace("/images/", "/masks/") for p in images]


        def load_pair(img_path, mask_path):
            img = tf.io.decode_png(tf.io.read_file(img_path), channels=3)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return tf.cast(img, tf.float32) / 255.0, mask


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load_pair).batch(4)

        inputs = keras.Input((48, 48, 3))
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(c)
        model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(c))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-flow-from-directory-git-lfs-pointer-files-tf212",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        env="tf212",
        setup=lfs_pointer_dataset,
        pty=True,
        expect="cannot identify image file",
        code="""
        # dataset cloned from the lab's GitHub repo
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)
        train_gen = datagen.flow_from_directory("{DATA}/coral-reef-dataset/train", target_size=(64, 64),
                                                batch_size=4, class_mode="categorical")

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(train_gen.num_classes, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-predict-load-img-tilde-path-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=pets,
        code="""
        import sys

        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)

        path = sys.argv[1] if len(sys.argv) > 1 else "~/data/pets/cats/cats_003.jpg"
        img = keras.utils.load_img(path, target_size=(40, 40))
        probs = model.predict(np.expand_dims(keras.utils.img_to_array(img), 0))
        print(train_ds.class_names[int(np.argmax(probs))])
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more26-map-gaussian-blur-depthwise-on-uint8-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=parts_jpeg,
        expect="DataType uint8 not in list",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        CLASSES = ["dent", "ok", "scratch"]


        def gaussian_kernel(size=5, sigma=1.0, channels=3):
            ax = np.arange(size) - size // 2
            k = np.exp(-(ax[:, None] ** 2 + ax[None, :] ** 2) / (2 * sigma ** 2))
            k = (k / k.sum()).astype("float32")
            return tf.constant(np.tile(k[:, :, None, None], (1, 1, channels, 1)))


        KERNEL = gaussian_kernel()


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.argmax(tf.cast(tf.equal(tf.strings.split(path, "/")[-2], CLASSES), tf.int32))
            return img, label


        def blur(img, label):
            # camera focus varies on the line: blur half of the training images
            blurred = tf.nn.depthwise_conv2d(img[None], KERNEL, strides=[1, 1, 1, 1], padding="SAME")[0]
            img = tf.cond(tf.random.uniform([]) < 0.5, lambda: blurred, lambda: img)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.list_files("{DATA}/parts/*/*.jpg").map(load).map(blur).batch(6)
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-seg-pixel-weights-gather-uint8-mask-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=aerial_scene,
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        # road, building, vegetation: roads are rare, weigh them up
        CLASS_WEIGHTS = tf.constant([4.0, 1.0, 0.6])

        images = sorted(glob.glob("{DATA}/aerial/tiles/*.png"))
        masks = sorted(glob.glob("{DATA}/aerial/masks/*.png"))


        def load(img_path, mask_path):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            weights = tf.gather(CLASS_WEIGHTS, mask[..., 0])
            return img, mask, weights


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)

        inputs = keras.Input((64, 64, 3))
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        model = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(c))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more26-crowd-count-sgd-raw-counts-lstsq-calibration-tf212",
        cause="optim.divergence",
        exception="ValueError",
        env="tf212",
        setup=counting_photos,
        expect="must not contain infs or NaNs",
        code="""
        import numpy as np
        import scipy.linalg
        import tensorflow as tf
        from tensorflow.keras import layers

        d = np.load("{DATA}/crowd.npz")
        x, counts = d["x"].astype("float32"), d["counts"]          # raw pixels, raw head counts

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
        model.fit(x[:48], counts[:48], batch_size=8, epochs=5, verbose=2)

        # linear calibration of the predicted counts on the held-out photos
        pred = model.predict(x[48:], verbose=0)[:, 0]
        A = np.stack([pred, np.ones_like(pred)], axis=1)
        (scale, offset), *_ = scipy.linalg.lstsq(A, counts[48:])
        print(f"count = {scale:.3f} * prediction + {offset:.1f}")
        """,
    ),
    Case(
        name="keras-more26-nb-hard-class-sampling-from-nan-val-loss-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="Probabilities contain NaN",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            d = np.load("{DATA}/cifar_like.npz")
            x, y = d["x"].astype("float32"), d["y"]           # pixels left in 0..255
            x_val, y_val = x[96:], y[96:]
            x, y = x[:96], y[:96]
            """,
            """
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(32, 3, activation="leaky_relu"),
                layers.Flatten(),
                layers.Dense(64, activation="leaky_relu"),
                layers.Dense(5, activation="softmax"),
            ])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5, momentum=0.9),
                          loss="sparse_categorical_crossentropy")
            model.fit(x, y, batch_size=16, epochs=3, verbose=2)
            """,
            """
            # next round: draw more training images from the classes the model gets wrong
            per_sample = keras.losses.sparse_categorical_crossentropy(y_val, model.predict(x_val, verbose=0))
            per_sample = np.asarray(per_sample)
            class_loss = np.array([per_sample[y_val == c].mean() for c in range(5)])
            p = class_loss / class_loss.sum()
            print("class sampling weights", p)
            picked_classes = np.random.default_rng(0).choice(5, size=64, p=p)
            """,
        ], data=cifar_like),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more26-seg-dice-loss-on-argmax-mask-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=aerial_scene,
        expect="No gradients provided",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in sorted(glob.glob("{DATA}/aerial/tiles/*.png"))])
        y = np.stack([np.asarray(Image.open(f)) for f in sorted(glob.glob("{DATA}/aerial/masks/*.png"))])[..., None]
        NUM_CLASSES = 3


        def multiclass_dice_loss(y_true, y_pred, smooth=1.0):
            pred_mask = tf.one_hot(tf.argmax(y_pred, axis=-1), NUM_CLASSES)     # hard mask, like the metric
            true_mask = tf.one_hot(tf.cast(y_true[..., 0], tf.int32), NUM_CLASSES)
            inter = tf.reduce_sum(pred_mask * true_mask, axis=[1, 2])
            union = tf.reduce_sum(pred_mask + true_mask, axis=[1, 2])
            return 1.0 - tf.reduce_mean((2.0 * inter + smooth) / (union + smooth))


        inputs = keras.Input((64, 64, 3))
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        c = layers.Conv2D(16, 3, padding="same", activation="relu")(c)
        model = keras.Model(inputs, layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(c))
        model.compile(optimizer="adam", loss=multiclass_dice_loss)
        model.fit(x, y, batch_size=4, epochs=3)
        """,
    ),
    Case(
        name="keras-more26-temperature-scaling-int-variable-tf215",
        cause="optim.autograd_graph",
        also=("data.dtype",),
        exception="ValueError",
        env="tf215",
        setup=flowers_split,
        expect="No gradients provided",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers/train", image_size=(48, 48), batch_size=8)
        val_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers/val", image_size=(48, 48), batch_size=8)

        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4),                      # logits
        ])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # temperature scaling on the validation set
        logits = np.concatenate([model.predict(xb, verbose=0) for xb, _ in val_ds])
        labels = np.concatenate([yb.numpy() for _, yb in val_ds])
        temperature = tf.Variable(1, name="temperature")
        opt = tf.keras.optimizers.Adam(0.01)
        nll = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        for step in range(100):
            with tf.GradientTape() as tape:
                loss = nll(labels, logits / tf.cast(temperature, tf.float32))
            grads = tape.gradient(loss, [temperature])
            opt.apply_gradients(zip(grads, [temperature]))
        print("T =", temperature.numpy())
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more26-subclassed-head-renamed-old-weights-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=pets_weights_k3,
        code="""
        import keras
        from keras import layers


        class PetClassifier(keras.Model):
            def __init__(self, num_classes=2, **kw):
                super().__init__(**kw)
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.dropout = layers.Dropout(0.2)
                self.classifier = layers.Dense(num_classes, activation="softmax")   # was self.fc

            def call(self, x, training=False):
                return self.classifier(self.dropout(self.pool(self.conv1(x)), training=training))


        model = PetClassifier()
        model(keras.ops.zeros((1, 40, 40, 3)))
        model.load_weights("{DATA}/pets_v1.weights.h5")       # continue from v1
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=4)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds.map(lambda x, y: (x / 255.0, y)), epochs=3)
        """,
    ),
    Case(
        name="keras-more26-load-weights-flatten-head-smaller-input-tf212",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf212",
        setup=plant_weights_tf212,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        IMG = 96     # 128 was too slow on the laptop

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/plants", image_size=(IMG, IMG), batch_size=6)
        model = tf.keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ])
        model.load_weights("{DATA}/plant_disease_128.h5")     # warm start from the 128 px run
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more26-fcn-full-resolution-phone-photos-oom-tf215",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        env="tf215",
        setup=big_phone_photos,
        as_limit=10 * 1024**3,
        timeout=400,
        expect="OOM when allocating tensor",
        code="""
        # fully convolutional, so any input size works: skip the resize, keep every detail
        import tensorflow as tf
        from tensorflow.keras import layers

        CLASSES = ["ripe", "unripe"]


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.argmax(tf.cast(tf.equal(tf.strings.split(path, "/")[-2], CLASSES), tf.int32))
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.list_files("{DATA}/tomatoes/*/*.jpg", seed=0).map(load).batch(8)

        model = tf.keras.Sequential([
            layers.Conv2D(64, 3, padding="same", activation="relu", input_shape=(None, None, 3)),
            layers.MaxPooling2D(4),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more26-pool-map-nested-resize-function-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=flowers,
        expect="Can't pickle local object",
        code="""
        import glob
        import os
        from multiprocessing import Pool

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image


        def main(img_size=(48, 48)):
            files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
            classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})

            def load_and_resize(path):
                return np.asarray(Image.open(path).convert("RGB").resize(img_size), np.float32) / 255.0

            # decoding is the slow part: use all cores
            with Pool(processes=4) as pool:
                x = np.stack(pool.map(load_and_resize, files))
            y = np.array([classes.index(os.path.basename(os.path.dirname(f))) for f in files])

            model = keras.Sequential([
                keras.Input(img_size + (3,)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(classes), activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=8)


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more26-object-centred-crop-uniform-right-to-left-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=crops_with_boxes,
        expect="Need minval < maxval",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        CROP = 48
        rows = list(csv.DictReader(open("{DATA}/shelf/boxes.csv")))
        paths = ["{DATA}/shelf/" + r["file"] for r in rows]
        boxes = [[int(r["x1"]), int(r["y1"]), int(r["x2"]), int(r["y2"])] for r in rows]
        labels = [int(r["label"]) for r in rows]


        def crop_around_object(path, box, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            x1, y1, x2, y2 = tf.unstack(box)
            # random point inside the product, crop a window around it
            cx = tf.random.uniform([], minval=x1, maxval=x2, dtype=tf.int32)
            cy = tf.random.uniform([], minval=y1, maxval=y2, dtype=tf.int32)
            top = tf.clip_by_value(cy - CROP // 2, 0, 120 - CROP)
            left = tf.clip_by_value(cx - CROP // 2, 0, 160 - CROP)
            patch = tf.image.crop_to_bounding_box(img, top, left, CROP, CROP)
            return tf.cast(patch, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, tf.constant(boxes, tf.int32), labels))
              .map(crop_around_object).batch(4))

        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more26-pydataset-len-calls-len-self-recursion-k3",
        cause="other",
        exception="RecursionError",
        setup=flowers,
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})


        class FlowerBatches(keras.utils.PyDataset):
            def __init__(self, files, batch_size=8, **kw):
                super().__init__(**kw)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) / 255.0 for f in batch])
                y = np.array([classes.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x, y


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FlowerBatches(files), epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
