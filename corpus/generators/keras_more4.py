"""A fourth set of real Keras / TensorFlow failures from image classifiers,
detectors and segmenters, in code paths keras_more.py ... keras_more3.py leave
out: image_dataset_from_directory misuse (split without seed, unpacking the
dataset into x / y, default image_size against a fixed 224 backbone),
ImageDataGenerator iterators that find no image or get rank-3 MNIST arrays,
tf.data slips (shuffle without buffer_size, map after batch, map functions with
the wrong arity, pathlib paths, numpy_function / py_function Tout mismatches,
random_crop larger than the image, padded_batch shapes for boxes, TFRecord keys
and ndarray bytes), segmentation masks (mixed mask channels, palette PNGs read
as grayscale, uint8 masks in a Dice loss, MeanIoU on probabilities),
StringLookup label indices, graph-mode errors inside model.fit and tf.data
(Python bool and iteration on symbolic tensors, .numpy() in a metric, x.shape[0]
in a reshape, a fixed-size custom Dense), functional-API slips (layer not
called, ResNet shortcut channels, Grad-CAM on a nested backbone, a Sequential
never called, Grad-CAM gradients taken outside the tape), transfer learning
with ImageNet weights on grayscale input, callbacks (checkpoint file names with
missing keys, a schedule that returns None, Keras 1 ``self.validation_data``,
Keras 2 ``period``), saving / loading (a Dice loss not passed back, a custom
layer whose __init__ takes no **kwargs, Keras 3 ``save_format``), a NaN run
whose best checkpoint never got written, box utilities (YOLO grid encoder fed
pixel boxes, crop_and_resize box indices, draw_bounding_boxes without a batch
axis), losses called or quoted in compile, virtual devices configured in a
notebook after TF started.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more4.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

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
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(40, 40), fmt="jpeg")


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg")


def small_photos(d: Path):
    """Product photos exported at 160 x 120."""
    make_images(d / "products", ["bottle", "can"], per_class=5, size=(160, 120), fmt="jpeg")


def webp_photos(d: Path):
    """A scraped data set: every image saved as .webp."""
    make_images(d / "scraped" / "train", ["apple", "banana"], per_class=5, size=(48, 48), fmt="webp")


def seg_mixed_mask_channels(d: Path):
    """Images + masks; most masks are single-channel PNGs, two were re-saved as RGB by an editor."""
    import numpy as np
    rng = np.random.default_rng(3)
    for i in range(8):
        _png(d / "seg" / "images" / f"{i:03d}.png", rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8))
        m = rng.integers(0, 3, size=(48, 48)).astype(np.uint8)
        if i in (3, 6):
            m = np.stack([m, m, m], axis=-1)
        _png(d / "seg" / "masks" / f"{i:03d}.png", m)


def seg_palette_masks(d: Path):
    """VOC-style palette ("P" mode) PNG masks: pixel values are class ids, shown through a palette."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(4)
    palette = [0, 0, 0, 128, 0, 0, 0, 128, 0] + [0] * (256 * 3 - 9)
    for i in range(8):
        _png(d / "voc" / "JPEGImages" / f"{i:03d}.png", rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8))
        m = Image.fromarray(rng.integers(0, 3, size=(32, 32)).astype(np.uint8), mode="P")
        m.putpalette(palette)
        (d / "voc" / "SegmentationClass").mkdir(parents=True, exist_ok=True)
        m.save(d / "voc" / "SegmentationClass" / f"{i:03d}.png")


def seg_binary_masks_uint8(d: Path):
    import numpy as np
    rng = np.random.default_rng(6)
    for i in range(8):
        _png(d / "cells" / "images" / f"{i:03d}.png", rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8))
        _png(d / "cells" / "masks" / f"{i:03d}.png", rng.integers(0, 2, size=(32, 32)).astype(np.uint8))


def labels_csv(d: Path):
    """Images in one folder + a CSV with the class names."""
    import numpy as np
    rng = np.random.default_rng(7)
    names = ["car", "truck", "bus"]
    rows = ["filename,label"]
    for i in range(12):
        _png(d / "vehicles" / f"{i:03d}.png", rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8))
        rows.append(f"{i:03d}.png,{names[i % 3]}")
    (d / "vehicles.csv").write_text("\n".join(rows) + "\n")


def voc_pixel_boxes(d: Path):
    """A few VOC xml annotations (pixel corner boxes) and their images."""
    import numpy as np
    rng = np.random.default_rng(8)
    objs = [[("dog", 48, 60, 210, 300)], [("cat", 10, 20, 120, 200), ("dog", 200, 150, 380, 290)],
            [("cat", 100, 80, 300, 310)], [("dog", 5, 5, 400, 300)]]
    for i, boxes in enumerate(objs):
        _png(d / "voc" / "images" / f"{i:03d}.png", rng.integers(0, 255, size=(320, 416, 3), dtype=np.uint8))
        xml = ["<annotation>", f"<filename>{i:03d}.png</filename>",
               "<size><width>416</width><height>320</height><depth>3</depth></size>"]
        for name, x1, y1, x2, y2 in boxes:
            xml.append(f"<object><name>{name}</name><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                       f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>")
        xml.append("</annotation>")
        (d / "voc" / "annotations").mkdir(parents=True, exist_ok=True)
        (d / "voc" / "annotations" / f"{i:03d}.xml").write_text("\n".join(xml))


CASES = [
    # ============================================================ image_dataset_from_directory
    Case(
        name="keras-more4-dir-validation-split-without-seed-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        code="""
        import keras

        data_dir = "{DATA}/flowers"
        train_ds = keras.utils.image_dataset_from_directory(
            data_dir, validation_split=0.2, subset="training", image_size=(40, 40), batch_size=4)
        val_ds = keras.utils.image_dataset_from_directory(
            data_dir, validation_split=0.2, subset="validation", image_size=(40, 40), batch_size=4)
        """,
    ),
    Case(
        name="keras-more4-dir-dataset-unpacked-into-xy-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        code="""
        import keras

        (x_train, y_train) = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(40, 40), batch_size=4, seed=1)
        x_train = x_train / 255.0

        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=3)
        """,
    ),
    Case(
        name="keras-more4-dir-default-image-size-vs-224-backbone-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        env="k3",
        setup=pets,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", batch_size=4, seed=42)
        class_names = train_ds.class_names

        IMG_SHAPE = (224, 224, 3)
        base_model = keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights=None)
        base_model.trainable = False

        inputs = keras.Input(shape=IMG_SHAPE)
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base_model(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(len(class_names))(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-4),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        history = model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ ImageDataGenerator (Keras 2)
    Case(
        name="keras-more4-flow-from-directory-webp-zero-images-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=webp_photos,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/scraped/train", target_size=(48, 48),
                                                batch_size=4, class_mode="categorical")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=3)
        """,
    ),
    Case(
        name="keras-more4-datagen-flow-mnist-rank3-tf212",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        env="tf212",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        # digits scanned at 28 x 28, loaded the way mnist.load_data() returns them
        x_train = np.random.randint(0, 255, (600, 28, 28)).astype("uint8")
        y_train = np.random.randint(0, 10, 600)

        datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=10, zoom_range=0.1)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(datagen.flow(x_train, y_train, batch_size=32), epochs=2)
        """,
    ),
    # ============================================================ tf.data slips
    Case(
        name="keras-more4-shuffle-without-buffer-size-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 4, 64)
        train_ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle().batch(16).prefetch(tf.data.AUTOTUNE)
        """,
    ),
    Case(
        name="keras-more4-map-after-batch-decode-jpeg-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import glob
        import tensorflow as tf

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({p.split("/")[-2] for p in paths})
        labels = [classes.index(p.split("/")[-2]) for p in paths]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths)).batch(8)
        ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).prefetch(1)
        """,
    ),
    Case(
        name="keras-more4-map-augment-one-argument-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)

        def augment(image):
            image = tf.image.random_flip_left_right(image)
            image = tf.image.random_brightness(image, 0.2)
            return image

        train_ds = train_ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
        """,
    ),
    Case(
        name="keras-more4-from-tensor-slices-pathlib-paths-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=pets,
        code="""
        from pathlib import Path
        import tensorflow as tf

        data_dir = Path("{DATA}/pets")
        image_paths = sorted(data_dir.glob("*/*.jpg"))
        labels = [0 if p.parent.name == "cat" else 1 for p in image_paths]
        print(f"found {len(image_paths)} images")

        ds = tf.data.Dataset.from_tensor_slices((image_paths, labels))
        """,
    ),
    Case(
        name="keras-more4-numpy-function-augment-float64-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        pty=True,
        setup=flowers,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        rng = np.random.default_rng(0)

        def np_augment(image):
            # albumentations-style numpy augmentation: flip + gaussian noise
            if rng.random() < 0.5:
                image = image[:, ::-1, :]
            noise = rng.normal(0.0, 8.0, image.shape)
            return np.clip(image + noise, 0, 255) / 255.0

        def tf_augment(image, label):
            image = tf.numpy_function(np_augment, [image], tf.float32)
            image.set_shape((40, 40, 3))
            return image, label

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=None)
        train_ds = train_ds.map(tf_augment).batch(4)

        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-py-function-tout-single-for-pair-tf215",
        cause="model.api_misuse",
        exception="OperatorNotAllowedInGraphError",
        env="tf215",
        setup=flowers,
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["daisy", "roses", "tulips"]

        def load_example(path):
            path = path.numpy().decode()
            img = np.asarray(Image.open(path).convert("RGB").resize((40, 40)), np.float32) / 255.0
            label = np.int64(CLASSES.index(path.split("/")[-2]))
            return img, label

        def load(path):
            img, label = tf.py_function(load_example, [path], Tout=tf.float32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(4)
        """,
    ),
    Case(
        name="keras-more4-random-crop-larger-than-image-k3",
        cause="data.image_size_mismatch",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        env="k3",
        setup=small_photos,
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/products", image_size=(120, 160), batch_size=None, seed=3)

        def random_crop(image, label):
            image = tf.image.random_crop(image, size=(128, 128, 3))
            image = tf.image.random_flip_left_right(image)
            return image / 255.0, label

        train_ds = train_ds.map(random_crop).batch(4)
        model = keras.applications.MobileNetV2(input_shape=(128, 128, 3), weights=None, classes=2)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-padded-batch-boxes-shape-rank-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        counts = [1, 3, 2, 1, 4, 2]

        def gen():
            for n in counts:
                image = rng.random((64, 64, 3), dtype=np.float32)
                boxes = rng.random((n, 4), dtype=np.float32)          # ymin, xmin, ymax, xmax
                classes = rng.integers(0, 3, n).astype(np.int32)
                yield image, boxes, classes

        ds = tf.data.Dataset.from_generator(gen, output_signature=(
            tf.TensorSpec((64, 64, 3), tf.float32),
            tf.TensorSpec((None, 4), tf.float32),
            tf.TensorSpec((None,), tf.int32)))
        # pad every image to 10 objects so the detector gets fixed-size targets
        ds = ds.padded_batch(2, padded_shapes=([64, 64, 3], [10], [10]), padding_values=(0.0, -1.0, -1))
        for images, boxes, classes in ds:
            print(images.shape, boxes.shape, classes.shape)
        """,
    ),
    # ============================================================ TFRecords
    Case(
        name="keras-more4-tfrecord-write-ndarray-as-bytes-k3",
        cause="model.api_misuse",
        also=("data.dtype",),
        exception="TypeError",
        env="k3",
        setup=pets,
        script="make_tfrecords.py",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        def example(path, label):
            img = np.asarray(Image.open(path).convert("RGB"))
            feature = {
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
                "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
            }
            return tf.train.Example(features=tf.train.Features(feature=feature))

        with tf.io.TFRecordWriter("{DATA}/pets_train.tfrecord") as writer:
            for path in sorted(glob.glob("{DATA}/pets/*/*.jpg")):
                label = 0 if "/cat/" in path else 1
                writer.write(example(path, label).SerializeToString())
        """,
    ),
    Case(
        name="keras-more4-tfrecord-parse-wrong-feature-key-k3",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        env="k3",
        pty=True,
        setup=pets,
        code="""
        import glob
        import tensorflow as tf
        import keras

        # the conversion script (run once, kept here)
        with tf.io.TFRecordWriter("{DATA}/pets.tfrecord") as writer:
            for path in sorted(glob.glob("{DATA}/pets/*/*.jpg")):
                feature = {
                    "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(path, "rb").read()])),
                    "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int("/dog/" in path)])),
                }
                writer.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())

        # training script: the feature spec copied from a tutorial
        feature_description = {
            "image_raw": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }

        def parse(record):
            ex = tf.io.parse_single_example(record, feature_description)
            img = tf.image.resize(tf.io.decode_jpeg(ex["image_raw"], channels=3), (48, 48)) / 255.0
            return img, ex["label"]

        ds = tf.data.TFRecordDataset("{DATA}/pets.tfrecord").map(parse).batch(4)
        model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
]

CASES += [
    # ============================================================ segmentation masks
    Case(
        name="keras-more4-seg-masks-mixed-channels-batch-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=seg_mixed_mask_channels,
        code="""
        import tensorflow as tf

        def load(image_path, mask_path):
            image = tf.io.decode_png(tf.io.read_file(image_path), channels=3)
            mask = tf.io.decode_png(tf.io.read_file(mask_path))
            return tf.cast(image, tf.float32) / 255.0, mask

        images = tf.data.Dataset.list_files("{DATA}/seg/images/*.png", shuffle=False)
        masks = tf.data.Dataset.list_files("{DATA}/seg/masks/*.png", shuffle=False)
        ds = tf.data.Dataset.zip((images, masks)).map(load).batch(4)
        for x, y in ds:
            print(x.shape, y.shape)
        """,
    ),
    Case(
        name="keras-more4-seg-palette-masks-loaded-grayscale-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=seg_palette_masks,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.utils import load_img, img_to_array

        NUM_CLASSES = 3   # background, aeroplane, bicycle
        image_paths = sorted(glob.glob("{DATA}/voc/JPEGImages/*.png"))
        mask_paths = sorted(glob.glob("{DATA}/voc/SegmentationClass/*.png"))
        x = np.stack([img_to_array(load_img(p)) for p in image_paths]) / 255.0
        y = np.stack([img_to_array(load_img(p, color_mode="grayscale")) for p in mask_paths]).astype("int32")
        print("mask values:", np.unique(y))

        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = tf.keras.layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-seg-dice-loss-uint8-masks-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=seg_binary_masks_uint8,
        code="""
        import tensorflow as tf

        def load(image_path, mask_path):
            image = tf.cast(tf.io.decode_png(tf.io.read_file(image_path), channels=3), tf.float32) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)      # 0 / 1, uint8
            return image, mask

        def dice_loss(y_true, y_pred, smooth=1.0):
            intersection = tf.reduce_sum(y_true * y_pred, axis=(1, 2, 3))
            union = tf.reduce_sum(y_true, axis=(1, 2, 3)) + tf.reduce_sum(y_pred, axis=(1, 2, 3))
            return 1.0 - (2.0 * intersection + smooth) / (union + smooth)

        images = tf.data.Dataset.list_files("{DATA}/cells/images/*.png", shuffle=False)
        masks = tf.data.Dataset.list_files("{DATA}/cells/masks/*.png", shuffle=False)
        ds = tf.data.Dataset.zip((images, masks)).map(load).batch(4)

        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        outputs = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", loss=dice_loss)
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-seg-meaniou-on-softmax-probs-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 4
        x = np.random.rand(32, 32, 32, 3).astype("float32")
        y = np.random.randint(0, NUM_CLASSES, (32, 32, 32, 1))

        inputs = keras.Input((32, 32, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(h)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.MeanIoU(num_classes=NUM_CLASSES)])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
    # ============================================================ labels
    Case(
        name="keras-more4-stringlookup-labels-start-at-one-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=labels_csv,
        code="""
        import csv
        import tensorflow as tf
        import keras

        with open("{DATA}/vehicles.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/vehicles/" + r["filename"] for r in rows]
        names = [r["label"] for r in rows]
        class_names = sorted(set(names))

        to_index = keras.layers.StringLookup(vocabulary=class_names)

        def load(path, name):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32) / 255.0
            return img, to_index(name)

        ds = tf.data.Dataset.from_tensor_slices((paths, names)).map(load).batch(4)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(),
                                  keras.layers.Dense(len(class_names), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ graph mode inside fit
    Case(
        name="keras-more4-custom-loss-python-if-on-tensor-k3",
        cause="model.api_misuse",
        exception="OperatorNotAllowedInGraphError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        def masked_box_loss(y_true, y_pred):
            # skip images without objects (all-zero target rows)
            if tf.reduce_sum(y_true) == 0:
                return tf.constant(0.0)
            return tf.reduce_mean(tf.abs(y_true - y_pred))

        x = np.random.rand(64, 48, 48, 3).astype("float32")
        y = np.random.rand(64, 4).astype("float32")
        y[::3] = 0.0
        model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="sigmoid")])
        model.compile("adam", loss=masked_box_loss)
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-custom-metric-iterates-batch-tf215",
        cause="model.api_misuse",
        exception="OperatorNotAllowedInGraphError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        def mean_iou_per_image(y_true, y_pred):
            scores = []
            for t, p in zip(y_true, y_pred):
                inter = tf.reduce_sum(t * p)
                union = tf.reduce_sum(t) + tf.reduce_sum(p) - inter
                scores.append(inter / (union + 1e-7))
            return tf.reduce_mean(scores)

        x = np.random.rand(32, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 2, (32, 32, 32, 1)).astype("float32")
        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        model = tf.keras.Model(inputs, tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(h))
        model.compile("adam", "binary_crossentropy", metrics=[mean_iou_per_image])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-custom-metric-calls-numpy-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras

        def macro_f1(y_true, y_pred):
            t = y_true.numpy().astype(int).ravel()
            p = np.argmax(y_pred.numpy(), axis=-1)
            scores = []
            for c in range(3):
                tp = np.sum((p == c) & (t == c))
                fp = np.sum((p == c) & (t != c))
                fn = np.sum((p != c) & (t == c))
                scores.append(2 * tp / max(2 * tp + fp + fn, 1))
            return float(np.mean(scores))

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 64)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy", macro_f1])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-custom-layer-reshape-static-batch-tf215",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class FlattenPatches(tf.keras.layers.Layer):
            def call(self, x):
                return tf.reshape(x, (x.shape[0], -1))

        x = np.random.rand(60, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 5, 60)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(32, 32, 3)),
            FlattenPatches(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more4-custom-dense-fixed-input-dim-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        class ClassifierHead(keras.layers.Layer):
            def __init__(self, num_classes, in_features=256, **kwargs):
                super().__init__(**kwargs)
                self.w = self.add_weight(shape=(in_features, num_classes), initializer="glorot_uniform")
                self.b = self.add_weight(shape=(num_classes,), initializer="zeros")

            def call(self, x):
                return tf.nn.softmax(tf.matmul(x, self.w) + self.b)

        class SmallCNN(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.conv1 = keras.layers.Conv2D(32, 3, activation="relu")
                self.conv2 = keras.layers.Conv2D(64, 3, activation="relu")
                self.pool = keras.layers.GlobalAveragePooling2D()
                self.head = ClassifierHead(num_classes)

            def call(self, x):
                return self.head(self.pool(self.conv2(self.conv1(x))))

        model = SmallCNN(10)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(64, 32, 32, 3).astype("float32"), np.random.randint(0, 10, 64), batch_size=16, epochs=2)
        """,
    ),
    # ============================================================ functional API / transfer learning
    Case(
        name="keras-more4-functional-layer-not-called-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        inputs = keras.Input(shape=(64, 64, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()
        x = layers.Dense(64, activation="relu")(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        """,
    ),
    Case(
        name="keras-more4-functional-layer-not-called-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(64, 64, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Flatten()
        x = layers.Dense(64, activation="relu")(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        """,
    ),
    Case(
        name="keras-more4-resnet-block-shortcut-channels-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        def residual_block(x, filters, stride=1):
            shortcut = x
            x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.Add()([x, shortcut])
            return layers.ReLU()(x)

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(32, 7, strides=2, padding="same")(inputs)
        x = residual_block(x, 32)
        x = residual_block(x, 64, stride=2)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
        model.summary()
        """,
    ),
    Case(
        name="keras-more4-gradcam-nested-backbone-graph-disconnected-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        inputs = keras.Input((96, 96, 3))
        x = base(inputs, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(8, 96, 96, 3), np.random.randint(0, 2, 8), epochs=1, verbose=0)

        # Grad-CAM: a model that maps the input image to the last conv activations and the predictions
        last_conv = model.get_layer("mobilenetv2_1.00_96").get_layer("Conv_1")
        grad_model = keras.Model(model.inputs, [last_conv.output, model.output])
        """,
    ),
    Case(
        name="keras-more4-gradcam-sequential-never-called-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="last_conv"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(16, 48, 48, 3), np.random.randint(0, 3, 16), epochs=1, verbose=0)

        grad_model = keras.Model(inputs=model.inputs,
                                 outputs=[model.get_layer("last_conv").output, model.output])
        """,
    ),
    Case(
        name="keras-more4-gradcam-gradient-none-outside-tape-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        inputs = tf.keras.Input((64, 64, 3))
        x = tf.keras.layers.Conv2D(16, 3, activation="relu", name="conv1")(inputs)
        x = tf.keras.layers.Conv2D(32, 3, activation="relu", name="last_conv")(x)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(3, activation="softmax")(x))

        conv_model = tf.keras.Model(model.inputs, model.get_layer("last_conv").output)
        img = np.random.rand(1, 64, 64, 3).astype("float32")

        conv_output = conv_model(img)
        with tf.GradientTape() as tape:
            preds = model(img)
            class_channel = preds[:, tf.argmax(preds[0])]
        grads = tape.gradient(class_channel, conv_output)
        pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))
        heatmap = tf.squeeze(conv_output[0] @ pooled_grads[..., tf.newaxis])
        """,
    ),
    Case(
        name="keras-more4-resnet50-imagenet-weights-grayscale-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = 128   # chest X-rays, single channel
        base = keras.applications.ResNet50(include_top=False, weights="imagenet", input_shape=(IMG_SIZE, IMG_SIZE, 1))
        base.trainable = False
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more4-checkpoint-filename-val-acc-key-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras

        x = np.random.rand(96, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 96)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        checkpoint = keras.callbacks.ModelCheckpoint("weights-{epoch:02d}-{val_acc:.2f}.keras",
                                                     monitor="val_accuracy", save_best_only=True)
        model.fit(x, y, validation_split=0.25, batch_size=16, epochs=3, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more4-checkpoint-filename-val-loss-no-validation-tf215",
        cause="model.api_misuse",
        exception="KeyError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.rand(64, 4).astype("float32")
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        ckpt = tf.keras.callbacks.ModelCheckpoint("checkpoints/box-{epoch:03d}-{val_loss:.4f}.h5")
        model.fit(x, y, batch_size=16, epochs=2, callbacks=[ckpt], verbose=2)
        """,
    ),
    Case(
        name="keras-more4-lr-scheduler-returns-none-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras

        def step_decay(epoch, lr):
            if epoch > 0 and epoch % 10 == 0:
                return lr * 0.1

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 64)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.SGD(0.01, momentum=0.9), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=30, callbacks=[keras.callbacks.LearningRateScheduler(step_decay)])
        """,
    ),
    Case(
        name="keras-more4-callback-self-validation-data-tf215",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class F1Callback(tf.keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                x_val, y_val = self.validation_data[0], self.validation_data[1]
                pred = np.argmax(self.model.predict(x_val), axis=-1)
                tp = np.sum((pred == 1) & (y_val == 1))
                f1 = 2 * tp / max(np.sum(pred == 1) + np.sum(y_val == 1), 1)
                print(f" - val_f1: {f1:.4f}")

        x = np.random.rand(80, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 2, 80)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x[:60], y[:60], validation_data=(x[60:], y[60:]), batch_size=16, epochs=2,
                  callbacks=[F1Callback()])
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more4-load-model-dice-loss-not-given-k3",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="TypeError",
        env="k3",
        script="predict.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        def dice_loss(y_true, y_pred, smooth=1.0):
            inter = tf.reduce_sum(y_true * y_pred)
            return 1.0 - (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)

        # --- train.py (ran earlier)
        inputs = keras.Input((32, 32, 3))
        h = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Conv2D(1, 1, activation="sigmoid")(h))
        model.compile("adam", loss=dice_loss)
        model.fit(np.random.rand(8, 32, 32, 3), np.random.randint(0, 2, (8, 32, 32, 1)).astype("float32"),
                  epochs=1, verbose=0)
        model.save("unet_cells.keras")

        # --- predict.py
        model = keras.models.load_model("unet_cells.keras")
        masks = model.predict(np.random.rand(2, 32, 32, 3)) > 0.5
        """,
    ),
    Case(
        name="keras-more4-custom-layer-init-no-kwargs-load-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        script="train_se.py",
        code="""
        import numpy as np
        import keras

        class SEBlock(keras.layers.Layer):
            def __init__(self, channels, ratio=8):
                super().__init__()
                self.channels, self.ratio = channels, ratio
                self.squeeze = keras.layers.GlobalAveragePooling2D(keepdims=True)
                self.fc1 = keras.layers.Dense(channels // ratio, activation="relu")
                self.fc2 = keras.layers.Dense(channels, activation="sigmoid")

            def call(self, x):
                return x * self.fc2(self.fc1(self.squeeze(x)))

        inputs = keras.Input((32, 32, 3))
        x = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
        x = SEBlock(32)(x)
        x = keras.layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 4, 32), epochs=1, verbose=2)
        model.save("se_classifier.keras")

        restored = keras.models.load_model("se_classifier.keras", custom_objects={"SEBlock": SEBlock})
        """,
    ),
    Case(
        name="keras-more4-save-format-argument-k3",
        cause="env.version_incompat",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 3, 32), epochs=1, verbose=2)
        model.save("saved_model/flowers", save_format="tf")
        """,
    ),
    Case(
        name="keras-more4-checkpoint-period-argument-k3",
        cause="env.version_incompat",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 64)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        checkpoint = keras.callbacks.ModelCheckpoint("ckpt/epoch{epoch:03d}.weights.h5", save_weights_only=True,
                                                     period=5)
        model.fit(x, y, batch_size=16, epochs=10, callbacks=[checkpoint])
        """,
    ),
    # ============================================================ divergence
    Case(
        name="keras-more4-best-checkpoint-never-written-nan-tf215",
        cause="optim.divergence",
        exception="FileNotFoundError",
        env="tf215",
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(1)
        x = np.random.rand(128, 32, 32, 3).astype("float32") * 255.0        # pixels not rescaled
        y = np.random.rand(128, 10).astype("float32") * 32.0                # 5 facial landmarks in pixels
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(10),
        ])
        model.compile(tf.keras.optimizers.SGD(learning_rate=0.5, momentum=0.9), "mse")
        ckpt = tf.keras.callbacks.ModelCheckpoint("best_landmarks.h5", monitor="val_loss",
                                                  save_best_only=True, save_weights_only=True)
        model.fit(x, y, validation_split=0.25, batch_size=16, epochs=3, callbacks=[ckpt])

        model.load_weights("best_landmarks.h5")
        print(model.evaluate(x[-32:], y[-32:]))
        """,
    ),
    # ============================================================ detectors and boxes
    Case(
        name="keras-more4-yolo-grid-encoder-pixel-boxes-k3",
        cause="data.bbox_invalid",
        exception="IndexError",
        env="k3",
        setup=voc_pixel_boxes,
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import numpy as np
        import keras
        from PIL import Image

        S, C = 7, 2
        CLASSES = ["cat", "dog"]

        def read_voc(path):
            root = ET.parse(path).getroot()
            boxes = []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                boxes.append((CLASSES.index(obj.find("name").text), (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1))
            return boxes

        def encode(boxes):
            target = np.zeros((S, S, 5 + C), np.float32)
            for cls, cx, cy, w, h in boxes:
                i, j = int(cy * S), int(cx * S)
                target[i, j, :5] = (cx * S - j, cy * S - i, w, h, 1.0)
                target[i, j, 5 + cls] = 1.0
            return target

        class VOCSequence(keras.utils.PyDataset):
            def __init__(self, files, batch_size=2, **kw):
                super().__init__(**kw)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f.replace("annotations", "images").replace(".xml", ".png"))
                                         .resize((224, 224)), np.float32) / 255.0 for f in batch])
                y = np.stack([encode(read_voc(f)) for f in batch])
                return x, y

        inputs = keras.Input((224, 224, 3))
        h = keras.layers.Conv2D(16, 3, strides=4, activation="relu")(inputs)
        h = keras.layers.Conv2D(32, 3, strides=4, activation="relu")(h)
        h = keras.layers.Resizing(S, S)(h)
        model = keras.Model(inputs, keras.layers.Conv2D(5 + C, 1)(h))
        model.compile("adam", "mse")
        model.fit(VOCSequence(sorted(glob.glob("{DATA}/voc/annotations/*.xml"))), epochs=2)
        """,
    ),
    Case(
        name="keras-more4-roi-crop-and-resize-float-box-indices-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        features = tf.random.normal((2, 32, 32, 64))                 # backbone feature maps
        proposals = tf.constant([[0.1, 0.1, 0.5, 0.5], [0.3, 0.2, 0.9, 0.7],
                                 [0.0, 0.0, 1.0, 1.0], [0.4, 0.4, 0.6, 0.8]], tf.float32)
        image_of_box = tf.constant([0, 0, 1, 1], tf.float32)         # which image each proposal belongs to

        rois = tf.image.crop_and_resize(features, proposals, box_indices=image_of_box, crop_size=(7, 7))
        print(rois.shape)
        """,
    ),
    Case(
        name="keras-more4-draw-bounding-boxes-without-batch-axis-tf215",
        cause="data.bbox_invalid",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        images = np.random.rand(4, 64, 64, 3).astype("float32")
        boxes = model.predict(images)                                 # (4, 4): one box per image
        colors = np.array([[1.0, 0.0, 0.0, 1.0]])
        drawn = tf.image.draw_bounding_boxes(images, boxes, colors)
        tf.keras.utils.save_img("preview.png", drawn[0])
        """,
    ),
    # ============================================================ compile slips
    Case(
        name="keras-more4-loss-function-called-in-compile-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import keras

        model = keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(6)])
        model.compile(optimizer="adam",
                      loss=keras.losses.sparse_categorical_crossentropy(from_logits=True),
                      metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more4-loss-class-name-string-with-args-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(6),
        ])
        model.compile(optimizer="adam", loss="SparseCategoricalCrossentropy(from_logits=True)", metrics=["accuracy"])
        model.fit(np.random.rand(32, 64, 64, 3), np.random.randint(0, 6, 32), epochs=1)
        """,
    ),
    # ============================================================ Keras 2 code under Keras 3 / environment
    Case(
        name="keras-more4-virtual-devices-after-init-notebook-k3",
        cause="model.api_misuse",
        also=("env.cuda_setup",),
        exception="RuntimeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        # cell 1
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.summary()

        # cell 2: pick the device to train on
        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration(),
                                                             tf.config.LogicalDeviceConfiguration()])
        """,
    ),
]

if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
