"""Untargeted held-out Keras / TensorFlow failures (g156, scored 0.92 top-1 and 0.96 top-3 before any rule for it) of makers and app developers who train
small Keras / tf.keras image models on their own photos to ship them on phones and
microcontrollers: MobileNet-style classifiers (``keras.applications.MobileNetV2`` with ``weights=None``
and small depthwise-separable networks) trained on class folders for a plant-disease app, a fruit
sorter, a recycling bin, an ESP32-CAM person detector, a cat flap and a bird feeder; exported with
``tf.lite.TFLiteConverter`` from Keras models, from SavedModels written by ``model.export`` and from
concrete functions; int8 post-training quantisation with representative datasets; the
``tf.lite.Interpreter`` run on test photos to check its accuracy against the Keras model; input
preprocessing that has to match between training and the app; and retraining when the app's camera
photos differ from the training photos. Spread over the cause ids of the taxonomy:

- files: iPhone HEIC photos renamed ``.jpg`` by a sync tool in the retraining folder
  (``image_dataset_from_directory``); a Finder ``.DS_Store`` inside a test-photo folder opened with PIL
  by the TFLite-vs-Keras accuracy check;
- image sizes: the app's camera-preview captures (640x480, and 640x360 on 16:9 phones) decoded in
  ``tf.data`` and batched before the ``Resizing`` layer inside the model; calibration photos shrunk with ``Image.thumbnail`` (which keeps the
  aspect ratio) and stacked for the representative dataset (tf_keras);
- channels: a phone screenshot (RGBA PNG) given to ``interpreter.set_tensor`` (notebook); the
  greyscale ESP32-CAM person detector retrained on RGB phone photos;
- boxes: labelImg boxes drawn on the 4032 px originals cropped with ``tf.image.crop_to_bounding_box``
  out of the 640 px copies to build a crop classifier;
- labels: the app's ``labels.txt`` gained an ``unknown`` class (index 3) and the feedback photos are
  used to fine-tune the reloaded three-class model;
- label shapes: a two-class cat-flap folder read with ``label_mode="binary"`` for a two-unit softmax
  and ``categorical_crossentropy``;
- dtypes: a representative dataset whose photos are made ``np.array(img, dtype=float)`` (float64) for
  int8 calibration;
- model inputs: a representative dataset at MobileNet's 224 px for a 96 px model; a TFLite model
  converted from a concrete function with a ``[1, 96, 96, 3]`` signature evaluated with the whole test
  set at once;
- model outputs: ``MobileNetV2(weights=None)`` without ``classes=`` (1000 units) for a four-class
  folder; a one-unit sigmoid person detector with ``sparse_categorical_crossentropy`` (tf_keras);
- weights: a three-class ``.weights.h5`` loaded into the four-class rebuild of the recycling model;
- API: ``converter.representative_dataset = gen()`` (the generator, not the function) on a SavedModel
  from ``model.export``; ``tf.lite.Interpreter(model_content=<path>)`` (notebook);
- divergence: a from-scratch MCU model trained on raw 0-255 pixels (no ``Rescaling``, a ``Flatten``
  head) with a hand-written focal loss for the rare ``rotten`` class: the saturated softmax gives
  ``log(0)``, caught by ``tf.debugging.enable_check_numerics``;
- gradients: distilling a MobileNetV2 teacher into a microcontroller student whose loss is computed
  from ``student.predict`` inside the ``GradientTape``;
- host memory: a calibration array preallocated as float32 at the full 12 MP resolution of the phone
  photos;
- versions: the TF 1 ``tf.compat.v1.lite.TFLiteConverter.from_keras_model_file`` under Keras 3; a
  Keras 3 ``.h5`` loaded with ``TF_USE_LEGACY_KERAS=1`` (set for the model-optimisation toolkit);
- workers: a ``multiprocessing.Pool`` given the ``tf.lite.Interpreter`` with each test photo;
- plain bugs: the converted flatbuffer written to a file opened in text mode.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU: causes that
need a GPU (resource.gpu_oom, env.device_mismatch, env.cuda_setup) are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more67.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g156): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, both, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more67.py"


# ---------------------------------------------------------------- data helpers
def folder(d: Path, root, classes, per=8, sizes=((120, 90),), mode="RGB", seed=6700, ext="jpg"):
    """root/<class>/<class>_NNN.<ext>, random photos; `sizes` (w, h) cycled over the images."""
    r = _rng(seed)
    k = 0
    for c in classes:
        for i in range(per):
            w, h = sizes[k % len(sizes)]
            k += 1
            if mode == "L":
                arr = r.integers(0, 255, size=(h, w), dtype="uint8")
            else:
                arr = r.integers(0, 255, size=(h, w, 3), dtype="uint8")
            p = d / root / c / f"{c}_{i:03d}.{ext}"
            if ext == "png":
                _png(p, arr)
            else:
                _jpg(p, arr)


PLANTS = ("healthy", "powdery_mildew", "rust")
FRUIT = ("ripe", "unripe", "rotten")
BIN = ("cardboard", "metal", "plastic")


def plants_with_heic(d: Path):
    folder(d, "plants", PLANTS, per=10, seed=6701)
    # an iPhone photo (HEIF container: `ftyp` box with brand `heic`) renamed .jpg by the sync tool
    r = _rng(6702)
    heic = (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
            b"\x00\x00\x01\x0bmeta\x00\x00\x00\x00\x00\x00\x00\x21hdlr\x00\x00\x00\x00\x00\x00\x00\x00pict"
            + bytes(r.integers(0, 256, size=6000, dtype="uint8")))
    (d / "plants" / "powdery_mildew" / "IMG_4512.jpg").write_bytes(heic)


def fruit_test_with_ds_store(d: Path):
    folder(d, "test_photos", FRUIT, per=6, sizes=((160, 120),), seed=6703)
    # what the macOS Finder leaves in every folder it has shown
    ds = b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00\x00\x00\x08\x00\x00\x00\x10\x00" + b"\x00" * 2000
    (d / "test_photos" / "rotten" / ".DS_Store").write_bytes(ds)


SAVE_TINY = """
import os
import numpy as np
import keras
from keras import layers
@@TINY@@
os.makedirs("models", exist_ok=True)
keras.utils.set_random_seed(0)
model = mobilenet_tiny(@@N@@, channels=@@CH@@)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(16, 96, 96, @@CH@@).astype("float32") * 255, np.arange(16) % @@N@@, epochs=1, verbose=0)
@@SAVE@@
"""

TINY = """
def mobilenet_tiny(num_classes, size=96, channels=3, alpha=1.0):
    \"\"\"MobileNet-style: one stem conv, then depthwise-separable blocks (fits in 256 KB of flash).\"\"\"
    inputs = keras.Input((size, size, channels))
    x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
    x = layers.Conv2D(int(8 * alpha), 3, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.0)(x)
    for filters in (16, 32, 32):
        x = layers.DepthwiseConv2D(3, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU(6.0)(x)
        x = layers.Conv2D(int(filters * alpha), 1, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU(6.0)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="mobilenet_tiny")
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body):
    return body.replace("@@TINY@@", _ind(TINY))


def save_tiny(save, n=3, ch=3, env="k3"):
    """A setup that trains the tiny model for one step and saves it (`save`: code using `model`)."""
    src = SAVE_TINY.replace("@@TINY@@", TINY).replace("@@N@@", str(n)).replace("@@CH@@", str(ch))
    src = src.replace("@@SAVE@@", save)
    if env == "tfk2":
        src = src.replace("import keras\n", "import tf_keras as keras\n").replace(
            "from keras import layers", "from tf_keras import layers")
    return lambda d: prep(env, src, d)


TO_TFLITE = """
import tensorflow as tf
open("models/@@NAME@@.tflite", "wb").write(tf.lite.TFLiteConverter.from_keras_model(model).convert())
"""


def fruit_imbalanced(d: Path):
    folder(d, "fruit", ("ripe", "unripe"), per=20, sizes=((96, 96),), seed=6719)
    folder(d, "fruit", ("rotten",), per=6, sizes=((96, 96),), seed=6723)


def save_teacher(d: Path):
    prep("k3", """
import os
import keras
os.makedirs("models", exist_ok=True)
keras.utils.set_random_seed(0)
teacher = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.5, weights=None, classes=3)
teacher.save_weights("models/teacher_mnv2.weights.h5")
""", d)


def app_captures(d: Path):
    """The app's camera preview frames: 640x480 on most phones, 640x360 where the preview is 16:9."""
    r = _rng(6704)
    for c in FRUIT:
        for i in range(6):
            w, h = (640, 360) if i % 3 == 1 else (640, 480)
            _jpg(d / "app_captures" / c / f"cap_{c}_{i:03d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def feeder_calib(d: Path):
    r = _rng(6705)
    for i in range(12):
        w, h = (480, 640) if i % 4 == 2 else (640, 480)
        _jpg(d / "calib" / f"feeder_{i:04d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def new_app_photos(d: Path):
    r = _rng(6706)
    for name in ("IMG_20240611_101204.png", "IMG_20240611_101233.png", "Screenshot_20240611-181502.png",
                 "leaf_from_forum.png"):
        ch = 4 if name.startswith("Screenshot") else 3
        _png(d / "new_photos" / name, r.integers(0, 255, size=(240, 180, ch), dtype="uint8"))
    (d / "labels.txt").write_text("healthy\npowdery_mildew\nrust\n")


def esp32_and_phone(d: Path):
    folder(d, "esp32_frames", ("no_person", "person"), per=10, sizes=((96, 96),), mode="L", seed=6707)
    folder(d, "phone_photos", ("no_person", "person"), per=6, sizes=((320, 240),), seed=6708)


def feeder_voc(d: Path):
    """labelImg annotations made on the 4032x3024 originals; the images were shrunk to 640x480 later."""
    r = _rng(6709)
    species = ("blue_tit", "great_tit", "robin", "sparrow")
    for i in range(8):
        _jpg(d / "feeder" / "images" / f"IMG_{2100 + i}.jpg", r.integers(0, 255, size=(480, 640, 3), dtype="uint8"))
        objs = []
        for k in range(1 + i % 2):
            x1, y1 = int(r.integers(600, 2400)), int(r.integers(500, 1800))
            x2, y2 = x1 + int(r.integers(500, 1400)), y1 + int(r.integers(400, 1100))
            objs.append(f"""	<object>
		<name>{species[(i + k) % 4]}</name>
		<pose>Unspecified</pose>
		<truncated>0</truncated>
		<difficult>0</difficult>
		<bndbox>
			<xmin>{x1}</xmin>
			<ymin>{y1}</ymin>
			<xmax>{x2}</xmax>
			<ymax>{y2}</ymax>
		</bndbox>
	</object>""")
        xml = f"""<annotation>
	<folder>originals</folder>
	<filename>IMG_{2100 + i}.jpg</filename>
	<path>C:\\Users\\maker\\Pictures\\feeder\\originals\\IMG_{2100 + i}.jpg</path>
	<source>
		<database>Unknown</database>
	</source>
	<size>
		<width>4032</width>
		<height>3024</height>
		<depth>3</depth>
	</size>
	<segmented>0</segmented>
{chr(10).join(objs)}
</annotation>
"""
        p = d / "feeder" / "annotations" / f"IMG_{2100 + i}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(xml)


def sorter_feedback(d: Path):
    """Photos the app's users flagged, with the class index the app's labels.txt gives them."""
    import csv
    r = _rng(6710)
    (d / "labels.txt").write_text("ripe\nunripe\nrotten\nunknown\n")
    rows = []
    for i in range(24):
        label = [0, 1, 2, 0, 3, 1][i % 6]
        name = f"fb_{i:04d}.jpg"
        _jpg(d / "feedback" / name, r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        rows.append([name, label, "2024-06-%02d" % (1 + i % 28)])
    with open(d / "feedback" / "feedback.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["filename", "label_index", "date"])
        w.writerows(rows)


def full_res_calib(d: Path):
    """120 phone photos at 4032x3024 (one sky-ish frame written once, copied)."""
    import io

    import numpy as np
    from PIL import Image
    y = np.linspace(80, 220, 3024, dtype="float32")[:, None, None]
    x = np.linspace(0, 30, 4032, dtype="float32")[None, :, None]
    arr = np.clip(y + x + np.array([0, 10, 25], "float32"), 0, 255).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=80)
    data = buf.getvalue()
    out = d / "calib_fullres"
    out.mkdir(parents=True, exist_ok=True)
    for i in range(120):
        (out / f"PXL_20240611_{180000 + i * 7:06d}.jpg").write_bytes(data)


# a small script prologue most cases share
IMPORTS = """
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more67-retrain-folder-iphone-heic-renamed-jpg-image-dataset-from-directory-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=plants_with_heic,
        pty=True,
        expect="Unknown image file format",
        code=code(IMPORTS + """
        IMG_SIZE = 96
        DATA_DIR = "{DATA}/plants"          # synced from the phone with PhotoSync

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            DATA_DIR, validation_split=0.2, subset="both", seed=42,
            image_size=(IMG_SIZE, IMG_SIZE), batch_size=8)
        class_names = train_ds.class_names
        print("classes:", class_names)
        train_ds = train_ds.prefetch(tf.data.AUTOTUNE)


        @@TINY@@


        model = mobilenet_tiny(len(class_names))
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        model.save("plant_doctor.keras")
        """),
    ),
    Case(
        name="keras-more67-tflite-vs-keras-accuracy-check-finder-ds-store-in-test-folder-k3",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        setup=both(fruit_test_with_ds_store, save_tiny(
            'model.save("models/fruit.keras")\n' + TO_TFLITE.replace("@@NAME@@", "fruit"))),
        expect=".DS_Store",
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras

        TEST_DIR = "{DATA}/test_photos"
        CLASSES = sorted(os.listdir(TEST_DIR))

        keras_model = keras.models.load_model("{DATA}/models/fruit.keras")
        interpreter = tf.lite.Interpreter(model_path="{DATA}/models/fruit.tflite")
        interpreter.allocate_tensors()
        inp = interpreter.get_input_details()[0]
        out = interpreter.get_output_details()[0]

        agree = correct_keras = correct_lite = total = 0
        for label, cls in enumerate(CLASSES):
            for fname in sorted(os.listdir(os.path.join(TEST_DIR, cls))):
                img = Image.open(os.path.join(TEST_DIR, cls, fname)).convert("RGB").resize((96, 96))
                x = np.asarray(img, dtype=np.float32)[None]
                p_keras = keras_model.predict(x, verbose=0)[0]
                interpreter.set_tensor(inp["index"], x)
                interpreter.invoke()
                p_lite = interpreter.get_tensor(out["index"])[0]
                agree += int(np.argmax(p_keras) == np.argmax(p_lite))
                correct_keras += int(np.argmax(p_keras) == label)
                correct_lite += int(np.argmax(p_lite) == label)
                total += 1

        print(f"keras acc {correct_keras / total:.3f}  tflite acc {correct_lite / total:.3f}  agreement {agree / total:.3f}")
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more67-app-captures-4-3-and-16-9-preview-frames-batched-before-resizing-layer-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=app_captures,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["ripe", "unripe", "rotten"]
        AUTOTUNE = tf.data.AUTOTUNE


        def load(path):
            # the app always sends 640x480 JPEGs; the model resizes them itself, like on the phone
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return tf.cast(img, tf.float32), label


        files = tf.data.Dataset.list_files("{DATA}/app_captures/*/*.jpg", shuffle=True, seed=1)
        ds = files.map(load, num_parallel_calls=AUTOTUNE).batch(8).prefetch(AUTOTUNE)

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Resizing(96, 96),
            layers.Rescaling(1.0 / 127.5, offset=-1),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu6"),
            layers.SeparableConv2D(32, 3, strides=2, padding="same", activation="relu6"),
            layers.SeparableConv2D(64, 3, strides=2, padding="same", activation="relu6"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more67-calibration-photos-thumbnail-keeps-aspect-ratio-np-stack-tfk2",
        cause="data.image_size_mismatch",
        env="tfk2",
        exception="ValueError",
        setup=both(feeder_calib, save_tiny('model.save("models/feeder.h5")', n=4, env="tfk2")),
        expect="all input arrays must have the same shape",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        model = tf.keras.models.load_model("{DATA}/models/feeder.h5")
        _, H, W, _ = model.input_shape

        # calibration set for full-integer quantisation: the feeder camera's own frames
        calib = []
        for path in sorted(glob.glob("{DATA}/calib/*.jpg")):
            img = Image.open(path).convert("RGB")
            img.thumbnail((W, H))                 # shrink in place, fast
            calib.append(np.asarray(img, dtype=np.float32))
        calib = np.stack(calib)
        print("calibration set:", calib.shape)


        def representative_dataset():
            for x in calib:
                yield [x[None]]


        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
        with open("feeder_int8.tflite", "wb") as f:
            f.write(converter.convert())
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more67-notebook-tflite-predict-new-photos-folder-rgba-screenshot-set-tensor-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        expect="Got 4 but expected 3 for dimension 3",
        **notebook([
            """
            import glob, os
            import numpy as np
            import tensorflow as tf
            from PIL import Image
            """,
            """
            interpreter = tf.lite.Interpreter(model_path="{DATA}/models/plant_doctor.tflite")
            interpreter.allocate_tensors()
            input_details = interpreter.get_input_details()
            output_details = interpreter.get_output_details()
            labels = open("{DATA}/labels.txt").read().split()
            print(input_details[0]["shape"], input_details[0]["dtype"], labels)
            """,
            """
            def classify(path):
                img = Image.open(path).resize((96, 96))
                x = np.asarray(img, dtype=np.float32)[np.newaxis]
                interpreter.set_tensor(input_details[0]["index"], x)
                interpreter.invoke()
                probs = interpreter.get_tensor(output_details[0]["index"])[0]
                return labels[int(np.argmax(probs))], float(np.max(probs))

            for path in sorted(glob.glob("{DATA}/new_photos/*.png")):
                print(os.path.basename(path), *classify(path))
            """,
        ], data=both(new_app_photos, save_tiny(TO_TFLITE.replace("@@NAME@@", "plant_doctor")))),
    ),
    Case(
        name="keras-more67-esp32-greyscale-person-detector-retrained-on-rgb-phone-photos-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=esp32_and_phone,
        pty=True,
        code=code(IMPORTS + """
        @@TINY@@


        # the ESP32-CAM streams 96x96 greyscale frames
        esp32_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/esp32_frames", color_mode="grayscale", image_size=(96, 96), batch_size=8, seed=1)
        model = mobilenet_tiny(2, channels=1)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(esp32_ds, epochs=2)

        # more people: photos taken with the phone in the hallway, same two folders
        phone_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/phone_photos", image_size=(96, 96), batch_size=8, seed=1)
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(phone_ds, epochs=3)
        model.save("person_detect.keras")
        """),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more67-labelimg-boxes-from-4032px-originals-crop-to-bounding-box-640px-copies-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=feeder_voc,
        expect="must be >= target + offset",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf

        # turn the labelled feeder photos into a crop-per-bird classification set for the MCU model
        OUT = "crops"
        crops, labels = [], []
        for xml_path in sorted(glob.glob("{DATA}/feeder/annotations/*.xml")):
            root = ET.parse(xml_path).getroot()
            fname = root.find("filename").text
            img = tf.io.decode_jpeg(tf.io.read_file(os.path.join("{DATA}/feeder/images", fname)), channels=3)
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                xmin, ymin, xmax, ymax = (int(float(bb.find(k).text)) for k in ("xmin", "ymin", "xmax", "ymax"))
                crop = tf.image.crop_to_bounding_box(img, ymin, xmin, ymax - ymin, xmax - xmin)
                crops.append(tf.image.resize(crop, (96, 96)).numpy().astype("uint8"))
                labels.append(obj.find("name").text)

        species = sorted(set(labels))
        np.savez_compressed("bird_crops.npz", x=np.stack(crops), y=np.array([species.index(s) for s in labels]))
        print(len(crops), "crops of", species)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more67-app-feedback-labels-txt-gained-unknown-class-fine-tune-3-class-model-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=both(sorter_feedback, save_tiny('model.save("models/fruit_sorter.keras")')),
        pty=True,
        expect="outside the valid range",
        code="""
        import csv

        import numpy as np
        from PIL import Image
        import keras

        # photos the app's users flagged as misclassified, with the class they picked in the app
        with open("{DATA}/feedback/feedback.csv") as f:
            rows = list(csv.DictReader(f))
        labels_txt = open("{DATA}/labels.txt").read().splitlines()
        print(f"{len(rows)} feedback photos, app labels: {labels_txt}")

        x = np.stack([np.asarray(Image.open(f"{DATA}/feedback/{r['filename']}").convert("RGB").resize((96, 96)),
                                 dtype=np.float32) for r in rows])
        y = np.array([int(r["label_index"]) for r in rows])

        model = keras.models.load_model("{DATA}/models/fruit_sorter.keras")
        model.compile(optimizer=keras.optimizers.Adam(1e-4),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5, validation_split=0.25)
        model.save("fruit_sorter_v2.keras")
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more67-cat-flap-two-folders-label-mode-binary-two-unit-softmax-categorical-ce-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=lambda d: folder(d, "cat_flap", ("my_cat", "not_my_cat"), per=10, sizes=((160, 120),), seed=6711),
        expect="must have the same shape",
        code=code(IMPORTS + """
        @@TINY@@


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/cat_flap", label_mode="binary", image_size=(96, 96), batch_size=8, seed=3)
        print(train_ds.class_names)

        model = mobilenet_tiny(num_classes=2)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10, verbose=2)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more67-int8-representative-dataset-np-array-dtype-float-is-float64-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=both(lambda d: folder(d, "calib", BIN, per=5, sizes=((200, 150),), seed=6712),
                   save_tiny('model.save("models/bin_sorter.keras")')),
        expect="FLOAT64 but expected type FLOAT32",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras

        model = keras.models.load_model("{DATA}/models/bin_sorter.keras")
        calib_paths = sorted(glob.glob("{DATA}/calib/*/*.jpg"))


        def representative_data_gen():
            for path in calib_paths:
                img = Image.open(path).convert("RGB").resize((96, 96))
                x = np.array(img, dtype=float)          # 0..255, the model rescales itself
                yield [x[np.newaxis, ...]]


        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_data_gen
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        tflite_model = converter.convert()
        open("bin_sorter_int8.tflite", "wb").write(tflite_model)
        print("int8 model:", len(tflite_model) // 1024, "KB")
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more67-representative-dataset-at-mobilenet-224-for-96px-model-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="RuntimeError",
        setup=lambda d: folder(d, "plants", PLANTS, per=6, sizes=((320, 240),), seed=6713),
        expect="ResizeInputTensorStrict",
        code=code(IMPORTS + """
        import glob

        @@TINY@@


        IMG_SIZE = 224        # MobileNet's size

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/plants", image_size=(96, 96), batch_size=8)
        model = mobilenet_tiny(len(train_ds.class_names))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)


        def representative_dataset():
            for path in glob.glob("{DATA}/plants/*/*.jpg")[:50]:
                img = Image.open(path).convert("RGB").resize((IMG_SIZE, IMG_SIZE))
                yield [np.asarray(img, dtype=np.float32)[None]]


        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_dataset
        tflite_quant = converter.convert()
        with open("plant_doctor_quant.tflite", "wb") as f:
            f.write(tflite_quant)
        """),
    ),
    Case(
        name="keras-more67-concrete-function-batch-1-signature-tflite-evaluated-whole-test-set-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=both(lambda d: folder(d, "test_photos", BIN, per=6, sizes=((96, 96),), seed=6714),
                   save_tiny('model.save("models/bin_sorter.keras")')),
        expect="Got 18 but expected 1 for dimension 0",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras

        model = keras.models.load_model("{DATA}/models/bin_sorter.keras")
        CLASSES = ["cardboard", "metal", "plastic"]


        @tf.function(input_signature=[tf.TensorSpec([1, 96, 96, 3], tf.float32, name="image")])
        def serve(image):
            return {"probs": model(image, training=False)}


        converter = tf.lite.TFLiteConverter.from_concrete_functions([serve.get_concrete_function()], model)
        tflite_model = converter.convert()
        with open("bin_sorter.tflite", "wb") as f:
            f.write(tflite_model)

        # check the converted model on the whole test set in one go
        paths = sorted(glob.glob("{DATA}/test_photos/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) for p in paths])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths])

        interpreter = tf.lite.Interpreter(model_content=tflite_model)
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        probs = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        print("tflite accuracy:", (probs.argmax(1) == y).mean())
        print("keras accuracy: ", (model.predict(x, verbose=0).argmax(1) == y).mean())
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more67-mobilenetv2-weights-none-without-classes-1000-units-four-class-folder-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=lambda d: folder(d, "coins", ("1_cent", "2_cent", "5_cent", "10_cent"), per=6,
                               sizes=((128, 128),), seed=6715),
        pty=True,
        expect="output.shape=(None, 1000)",
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/coins", label_mode="categorical", image_size=(96, 96), batch_size=8, seed=7)
        print(train_ds.class_names)
        preprocess = keras.layers.Rescaling(1.0 / 127.5, offset=-1)
        train_ds = train_ds.map(lambda x, y: (preprocess(x), y)).prefetch(tf.data.AUTOTUNE)

        # small enough for the coin counter's Raspberry Pi Zero; trained from scratch on our own coins
        model = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    Case(
        name="keras-more67-one-unit-sigmoid-person-detector-sparse-categorical-crossentropy-tfk2",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        env="tfk2",
        exception="InvalidArgumentError",
        setup=lambda d: folder(d, "person", ("no_person", "person"), per=10, sizes=((96, 96),), seed=6716),
        pty=True,
        expect="outside the valid range",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/person", image_size=(96, 96), color_mode="grayscale", batch_size=8, seed=11)

        model = tf.keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(96, 96, 1)),
            layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),
            layers.DepthwiseConv2D(3, padding="same", activation="relu"),
            layers.Conv2D(16, 1, activation="relu"),
            layers.DepthwiseConv2D(3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 1, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),        # person score for the MCU
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more67-three-class-weights-h5-loaded-into-four-class-recycling-rebuild-k3",
        cause="model.weights_mismatch",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=both(lambda d: folder(d, "bin_photos", BIN + ("glass",), per=5, sizes=((96, 96),), seed=6717),
                   save_tiny('model.save_weights("models/bin_sorter.weights.h5")')),
        code=code(IMPORTS + """
        @@TINY@@


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/bin_photos", image_size=(96, 96), batch_size=8)
        class_names = train_ds.class_names          # glass was added this week
        print(class_names)

        model = mobilenet_tiny(len(class_names))
        model.load_weights("{DATA}/models/bin_sorter.weights.h5")   # continue from last week's run
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more67-savedmodel-export-representative-dataset-assigned-generator-object-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=both(lambda d: folder(d, "calib", FRUIT, per=4, sizes=((96, 96),), seed=6718),
                   save_tiny('model.export("models/fruit_savedmodel")')),
        expect="'generator' object is not callable",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image


        def representative_data_gen():
            for path in sorted(glob.glob("{DATA}/calib/*/*.jpg")):
                x = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)
                yield [np.expand_dims(x, 0)]


        converter = tf.lite.TFLiteConverter.from_saved_model("{DATA}/models/fruit_savedmodel")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_data_gen()
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
        tflite_model = converter.convert()
        with open("fruit_sorter_int8.tflite", "wb") as f:
            f.write(tflite_model)
        """,
    ),
    Case(
        name="keras-more67-notebook-interpreter-model-content-given-tflite-file-path-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="CreateWrapperFromBuffer",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            model = keras.models.load_model("{DATA}/models/plant_doctor.keras")
            """,
            """
            converter = tf.lite.TFLiteConverter.from_keras_model(model)
            converter.optimizations = [tf.lite.Optimize.DEFAULT]     # dynamic-range quantisation
            tflite_model = converter.convert()
            TFLITE_PATH = "plant_doctor_dr.tflite"
            with open(TFLITE_PATH, "wb") as f:
                f.write(tflite_model)
            print(f"{len(tflite_model) / 1024:.1f} KB")
            """,
            """
            # reload from disk, exactly as the Android app will
            interpreter = tf.lite.Interpreter(model_content=TFLITE_PATH)
            interpreter.allocate_tensors()
            x = np.random.uniform(0, 255, (1, 96, 96, 3)).astype(np.float32)
            interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
            interpreter.invoke()
            print(interpreter.get_tensor(interpreter.get_output_details()[0]["index"]), model.predict(x, verbose=0))
            """,
        ], data=save_tiny('model.save("models/plant_doctor.keras")')),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more67-raw-0-255-pixels-flatten-head-hand-written-focal-loss-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=fruit_imbalanced,
        pty=True,
        expect="Tensor had",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        tf.debugging.enable_check_numerics()      # loss went to nan last night, find where
        keras.utils.set_random_seed(42)

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/fruit", label_mode="categorical", image_size=(96, 96), batch_size=16, seed=5)
        print(train_ds.class_names)


        def focal_loss(y_true, y_pred, gamma=2.0):
            # few rotten photos: focus on the hard ones
            p = tf.reduce_sum(y_true * y_pred, axis=-1)
            return -tf.pow(1.0 - p, gamma) * tf.math.log(p)


        # no Rescaling: the camera module hands the MCU raw 0..255 bytes, so train on those
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),
            layers.DepthwiseConv2D(3, padding="same", activation="relu"),
            layers.Conv2D(16, 1, activation="relu"),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                      loss=focal_loss, metrics=["accuracy"])
        model.fit(train_ds, epochs=30)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more67-distill-mobilenetv2-teacher-student-loss-from-predict-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=both(lambda d: folder(d, "plants", PLANTS, per=6, sizes=((96, 96),), seed=6720), save_teacher),
        expect="No gradients provided",
        code=code(IMPORTS + """
        @@TINY@@


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/plants", image_size=(96, 96), batch_size=8)

        teacher = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.5, weights=None, classes=3)
        teacher.load_weights("{DATA}/models/teacher_mnv2.weights.h5")      # the phone app's model
        student = mobilenet_tiny(3, alpha=0.5)          # has to fit the Arduino Nano 33 BLE
        optimizer = keras.optimizers.Adam(1e-3)
        kl = keras.losses.KLDivergence()
        T = 4.0

        for epoch in range(3):
            for images, labels in train_ds:
                x = keras.applications.mobilenet_v2.preprocess_input(images)
                soft_targets = tf.nn.softmax(tf.math.log(teacher(x, training=False) + 1e-7) / T)
                with tf.GradientTape() as tape:
                    student_probs = student.predict(images, verbose=0)
                    soft_student = tf.nn.softmax(tf.math.log(student_probs + 1e-7) / T)
                    loss = kl(soft_targets, soft_student) * T * T
                grads = tape.gradient(loss, student.trainable_variables)
                optimizer.apply_gradients(zip(grads, student.trainable_variables))
            print(f"epoch {epoch}: distillation loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more67-calibration-array-preallocated-float32-at-12mp-phone-resolution-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=full_res_calib,
        as_limit=8 * 1024**3,
        expect="Unable to allocate",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        paths = sorted(glob.glob("{DATA}/calib_fullres/*.jpg"))
        w, h = Image.open(paths[0]).size
        print(len(paths), "calibration photos of", w, "x", h)

        # decode every photo once, at full resolution, so the input size can still be changed later
        calib = np.zeros((len(paths), h, w, 3), dtype=np.float32)
        for i, p in enumerate(paths):
            calib[i] = np.asarray(Image.open(p).convert("RGB"), dtype=np.float32)


        def representative_dataset(size=96):
            for x in calib:
                yield [tf.image.resize(x[None], (size, size))]
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more67-tf1-from-keras-model-file-h5-under-tf221-keras3-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=save_tiny('model.save("models/coin_counter.h5")', n=4),
        expect="'NoneType' object is not callable",
        code="""
        import tensorflow as tf

        # from the "TinyML: coin counter" tutorial
        converter = tf.compat.v1.lite.TFLiteConverter.from_keras_model_file("{DATA}/models/coin_counter.h5")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        tflite_model = converter.convert()
        open("coin_counter.tflite", "wb").write(tflite_model)
        """,
    ),
    Case(
        name="keras-more67-keras3-h5-loaded-with-legacy-keras-for-model-optimization-toolkit-tfk2",
        cause="env.version_incompat",
        env="tfk2",
        exception="TypeError",
        setup=save_tiny('model.save("models/bird_feeder.h5")', n=4),
        expect="batch_shape",
        code="""
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"      # tensorflow_model_optimization needs Keras 2

        import tensorflow as tf

        model = tf.keras.models.load_model("{DATA}/models/bird_feeder.h5")   # trained on the laptop
        model.summary()

        # quantisation-aware fine-tuning comes next (tfmot.quantization.keras.quantize_model)
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        open("bird_feeder.tflite", "wb").write(converter.convert())
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more67-pool-starmap-tflite-interpreter-passed-with-each-test-photo-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=both(lambda d: folder(d, "test_photos", FRUIT, per=8, sizes=((96, 96),), seed=6721),
                   save_tiny(TO_TFLITE.replace("@@NAME@@", "fruit"))),
        expect="cannot pickle",
        code="""
        import glob
        import os
        from multiprocessing import Pool

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["ripe", "unripe", "rotten"]


        def classify(interpreter, path):
            x = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)[None]
            interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
            interpreter.invoke()
            return int(np.argmax(interpreter.get_tensor(interpreter.get_output_details()[0]["index"])))


        if __name__ == "__main__":
            interpreter = tf.lite.Interpreter(model_path="{DATA}/models/fruit.tflite", num_threads=1)
            interpreter.allocate_tensors()
            paths = sorted(glob.glob("{DATA}/test_photos/*/*.jpg"))
            truth = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]
            with Pool(processes=4) as pool:          # 8 cores on the Pi 5, use them
                preds = pool.starmap(classify, [(interpreter, p) for p in paths])
            print("tflite accuracy:", np.mean(np.array(preds) == np.array(truth)))
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more67-converted-flatbuffer-written-to-text-mode-file-k3",
        cause="other",
        exception="TypeError",
        setup=lambda d: folder(d, "cat_flap", ("my_cat", "not_my_cat"), per=8, sizes=((96, 96),), seed=6722),
        pty=True,
        expect="write() argument must be str, not bytes",
        code=code(IMPORTS + """
        @@TINY@@


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/cat_flap", image_size=(96, 96), batch_size=8)
        model = mobilenet_tiny(2)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)

        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        tflite_model = converter.convert()
        with open("cat_flap.tflite", "w") as f:
            f.write(tflite_model)
        print("saved", len(tflite_model), "bytes")
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
