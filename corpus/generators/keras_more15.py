"""A fifteenth set of real Keras / TensorFlow failures, this time from people
training object detectors and segmentation models and running them afterwards,
on TF 2.12 / 2.15 (Keras 2) and TF 2.21 (Keras 3).

Code paths keras_more.py ... keras_more14.py leave out: TFLite inference
(``set_tensor`` before ``allocate_tensors``, a photo without its batch axis,
float64 pixels, float pixels into a uint8-quantised model); SavedModel inference
(a reloaded Keras 2 SavedModel called with float64 pixels, a Keras 3 export read
back by the output layer's name); decoding outputs (a YOLO decoder reshaping with
COCO's 80 classes, SSD anchors generated for a 300 px input, NMS on batched
predictions, NMS called with torchvision's argument order, an argmax mask saved
with PIL, ``save_img`` on a 2-D mask); heads and targets (an SSD class head
reshaped with a background class it does not have, SSD levels concatenated on the
last axis, a YOLO reshape with a grid computed for 416 px, anchor matching on an
image without objects, ``gather_nd`` with VOC's one-based class ids, a grid
encoder scattering at float cell indices, ``flip_left_right`` on a box tensor,
CenterNet heat maps indexed by float centres, ``crop_and_resize`` with one box
index per image); ragged boxes in tf.data (``padded_batch`` on ragged
components, ``batch`` on generator boxes, a fixed box spec, ragged targets in
``fit`` under Keras 3 and Keras 2); annotations (mosaic of photos of other
sizes, mixup of 4- and 5-column box files, VOC coordinates written as floats,
VOC class names outside the class list, COCO crowd RLE masks read as polygons,
box coordinates left as CSV strings); segmentation (JPEG masks, ``class_weight``
with pixel masks, ``one_hot`` on bilinear-resized masks, a one-unit sigmoid head
with a sparse loss, U-Nets with free input size given photos whose size is not a
multiple of 4, a whole orthomosaic predicted at once); Keras 3 box augmentation
and box utilities (two arguments to a preprocessing layer, boxes without
``bounding_box_format``, boxes not given as a dict, unknown box format names,
relative formats without an image size); Sequence / PyDataset objects (indexes
set only in ``on_epoch_end``, a float ``__len__``).

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more15.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def test_photos(d: Path):
    """A few phone photos to run a trained detector on."""
    import numpy as np
    rng = np.random.default_rng(11)
    for i, (w, h) in enumerate([(160, 120), (120, 160), (200, 150)]):
        from PIL import Image
        p = d / "test" / f"car_{i:03d}.jpg"
        p.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)).save(p)


def plate_crops(d: Path):
    """Training crops for a one-box licence-plate regressor: images + boxes.csv (x1,y1,x2,y2 normalised)."""
    import numpy as np
    rng = np.random.default_rng(12)
    lines = ["filename,x1,y1,x2,y2"]
    for i in range(16):
        save_png(d / "plates" / f"plate_{i:03d}.png", rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8))
        x1, y1 = rng.uniform(0.05, 0.4, 2)
        x2, y2 = x1 + rng.uniform(0.2, 0.5), y1 + rng.uniform(0.1, 0.3)
        lines.append(f"plate_{i:03d}.png,{x1:.3f},{y1:.3f},{x2:.3f},{y2:.3f}")
    (d / "plates" / "boxes.csv").write_text("\n".join(lines) + "\n")


VOC_XML = """<annotation>
  <folder>images</folder>
  <filename>{name}.jpg</filename>
  <size><width>{w}</width><height>{h}</height><depth>3</depth></size>
{objects}</annotation>
"""
VOC_OBJ = """  <object>
    <name>{cls}</name>
    <difficult>0</difficult>
    <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
  </object>
"""


def _voc(d: Path, names, float_coords=False, seed=13):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(seed)
    (d / "voc" / "images").mkdir(parents=True, exist_ok=True)
    (d / "voc" / "annotations").mkdir(parents=True, exist_ok=True)
    for i in range(10):
        w, h = 96, 72
        Image.fromarray(rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)).save(
            d / "voc" / "images" / f"frame_{i:04d}.jpg")
        objs = ""
        for k in range(1 + i % 3):
            x1, y1 = rng.integers(0, 50), rng.integers(0, 30)
            x2, y2 = x1 + rng.integers(10, 40), y1 + rng.integers(10, 30)
            if float_coords and i >= 6:          # the later frames were labelled in CVAT
                x1, y1, x2, y2 = x1 + 0.5, y1 + 0.25, x2 + 0.5, y2 + 0.75
            objs += VOC_OBJ.format(cls=names[(i + k) % len(names)], x1=x1, y1=y1, x2=x2, y2=y2)
        (d / "voc" / "annotations" / f"frame_{i:04d}.xml").write_text(
            VOC_XML.format(name=f"frame_{i:04d}", w=w, h=h, objects=objs))


def voc_cvat_floats(d: Path):
    _voc(d, ["car", "bus", "truck"], float_coords=True)


def voc_extra_class(d: Path):
    # a second annotator also labelled people
    _voc(d, ["car", "bus", "car", "truck", "person", "car", "bus"], seed=14)


def mixed_photos(d: Path):
    """Resized 320x320 training frames plus two phone photos added later at 320x240."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(15)
    (d / "frames").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        w, h = (320, 240) if i in (5, 6) else (320, 320)
        Image.fromarray(rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)).save(d / "frames" / f"img_{i:03d}.jpg")
        (d / "frames" / f"img_{i:03d}.txt").write_text(
            "".join(f"{rng.integers(0, 3)} {rng.uniform(0.2, 0.8):.3f} {rng.uniform(0.2, 0.8):.3f} "
                    f"{rng.uniform(0.05, 0.3):.3f} {rng.uniform(0.05, 0.3):.3f}\n" for _ in range(2)))


def yolo_two_exports(d: Path):
    """YOLO txt labels: the old export has 'class cx cy w h', the new single-class export 'cx cy w h'."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(16)
    (d / "labels").mkdir(parents=True, exist_ok=True)
    (d / "images").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).save(d / "images" / f"{i:03d}.jpg")
        rows = []
        for _ in range(1 + i % 2):
            box = f"{rng.uniform(0.2, 0.8):.4f} {rng.uniform(0.2, 0.8):.4f} {rng.uniform(0.1, 0.3):.4f} {rng.uniform(0.1, 0.3):.4f}"
            rows.append(box if i >= 4 else f"0 {box}")
        (d / "labels" / f"{i:03d}.txt").write_text("\n".join(rows) + "\n")


def coco_with_crowd(d: Path):
    import json
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(17)
    (d / "coco" / "images").mkdir(parents=True, exist_ok=True)
    images, anns = [], []
    aid = 1
    for i in range(6):
        Image.fromarray(rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).save(d / "coco" / "images" / f"{i:06d}.jpg")
        images.append({"id": i, "file_name": f"{i:06d}.jpg", "width": 64, "height": 64})
        for k in range(2):
            x, y = float(rng.integers(2, 30)), float(rng.integers(2, 30))
            if i == 3 and k == 1:     # a crowd of people: COCO stores these as RLE
                seg = {"counts": [int(v) for v in rng.integers(1, 40, 20)], "size": [64, 64]}
                anns.append({"id": aid, "image_id": i, "category_id": 1, "iscrowd": 1,
                             "bbox": [x, y, 30.0, 30.0], "area": 600.0, "segmentation": seg})
            else:
                poly = [x, y, x + 20, y, x + 20, y + 15, x, y + 15]
                anns.append({"id": aid, "image_id": i, "category_id": 1 + k, "iscrowd": 0,
                             "bbox": [x, y, 20.0, 15.0], "area": 300.0, "segmentation": [poly]})
            aid += 1
    cats = [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"}]
    (d / "coco" / "instances_train.json").write_text(json.dumps({"images": images, "annotations": anns,
                                                                  "categories": cats}))


def seg_pairs(d: Path, mask_fmt="png", size=64, n=10, classes=3):
    """images/*.png and masks/*.<mask_fmt> with class ids 0..classes-1 (blocks)."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(18)
    (d / "seg" / "images").mkdir(parents=True, exist_ok=True)
    (d / "seg" / "masks").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, size=(size, size, 3), dtype=np.uint8)).save(
            d / "seg" / "images" / f"tile_{i:03d}.png")
        m = np.zeros((size, size), np.uint8)
        for _ in range(6):
            y, x = rng.integers(0, size - 16, 2)
            m[y:y + 16, x:x + 16] = rng.integers(1, classes)
        Image.fromarray(m).save(d / "seg" / "masks" / f"tile_{i:03d}.{mask_fmt}", **({"quality": 75} if mask_fmt == "jpg" else {}))


def seg_png(d: Path):
    seg_pairs(d)


def seg_jpg(d: Path):
    seg_pairs(d, mask_fmt="jpg")


def seg_binary(d: Path):
    seg_pairs(d, classes=2)


def street_photo(d: Path):
    """One full-size street photo (500x375) for inference."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(19)
    (d / "photos").mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 255, size=(375, 500, 3), dtype=np.uint8)).save(d / "photos" / "street.jpg")


def val_photos(d: Path):
    """Validation photos at their original, odd size."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(20)
    for i in range(4):
        for sub, size in (("images", None), ("masks", None)):
            p = d / "val" / sub / f"v_{i:03d}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            if sub == "images":
                Image.fromarray(rng.integers(0, 255, size=(250, 250, 3), dtype=np.uint8)).save(p)
            else:
                Image.fromarray((rng.random((250, 250)) > 0.7).astype(np.uint8)).save(p)


def box_csv(d: Path):
    import numpy as np
    rng = np.random.default_rng(21)
    (d / "shelf").mkdir(parents=True, exist_ok=True)
    lines = ["image,xmin,ymin,xmax,ymax,label"]
    from PIL import Image
    for i in range(12):
        Image.fromarray(rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)).save(d / "shelf" / f"s_{i:03d}.jpg")
        x1, y1 = rng.uniform(0, 0.4, 2)
        lines.append(f"s_{i:03d}.jpg,{x1:.3f},{y1:.3f},{x1 + 0.4:.3f},{y1 + 0.5:.3f},bottle")
    (d / "shelf" / "annotations.csv").write_text("\n".join(lines) + "\n")


TINY_BOX_MODEL = """
def build_model():
    inputs = keras.Input((96, 96, 3))
    x = layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
    x = layers.Conv2D(16, 3, strides=2, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    box = layers.Dense(4, activation="sigmoid", name="box_head")(x)
    return keras.Model(inputs, box)
"""


CASES = [
    # ============================================================ TFLite inference
    Case(
        name="keras-more15-tflite-set-tensor-before-allocate-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=test_photos,
        expect="allocate_tensors",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image
        """ + textwrap.indent(TINY_BOX_MODEL, " " * 8) + """
        # --- train a small plate-box regressor and convert it for the phone app
        model = build_model()
        model.compile(optimizer="adam", loss="mse")
        x = np.random.rand(32, 96, 96, 3).astype("float32")
        y = np.sort(np.random.rand(32, 4).astype("float32"), axis=1)
        model.fit(x, y, epochs=1, batch_size=8, verbose=2)

        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        with open("plate_box.tflite", "wb") as f:
            f.write(converter.convert())

        # --- run it like the Android sample does
        interpreter = tf.lite.Interpreter(model_path="plate_box.tflite")
        input_details = interpreter.get_input_details()
        output_details = interpreter.get_output_details()

        img = Image.open("{DATA}/test/car_000.jpg").convert("RGB").resize((96, 96))
        inp = np.expand_dims(np.asarray(img, dtype=np.float32) / 255.0, 0)
        interpreter.set_tensor(input_details[0]["index"], inp)
        interpreter.invoke()
        print("box:", interpreter.get_tensor(output_details[0]["index"]))
        """,
    ),
    Case(
        name="keras-more15-nb-tflite-photo-without-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="Dimension mismatch",
        **notebook([
            """
import numpy as np
import tensorflow as tf
import keras
from keras import layers
from PIL import Image
""" + TINY_BOX_MODEL,
            """
model = build_model()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 96, 96, 3).astype("float32"),
          np.sort(np.random.rand(32, 4).astype("float32"), axis=1), epochs=1, verbose=2)
open("plate_box.tflite", "wb").write(tf.lite.TFLiteConverter.from_keras_model(model).convert())
""",
            """
interpreter = tf.lite.Interpreter(model_path="plate_box.tflite")
interpreter.allocate_tensors()
input_details = interpreter.get_input_details()
output_details = interpreter.get_output_details()
print(input_details[0]["shape"])
""",
            """
img = Image.open("{DATA}/test/car_001.jpg").convert("RGB").resize((96, 96))
inp = np.asarray(img, dtype=np.float32) / 255.0
interpreter.set_tensor(input_details[0]["index"], inp)
interpreter.invoke()
box = interpreter.get_tensor(output_details[0]["index"])[0]
print(box)
""",
        ], data=test_photos),
    ),
    Case(
        name="keras-more15-tflite-float64-pixels-tf215",
        cause="data.dtype",
        exception="ValueError",
        env="tf215",
        setup=test_photos,
        expect="FLOAT64",
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        inputs = tf.keras.Input((96, 96, 3))
        x = tf.keras.layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
        x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(x)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(4, activation="sigmoid")(x))
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(32, 96, 96, 3), np.random.rand(32, 4), epochs=1, verbose=2)
        open("plate_box.tflite", "wb").write(tf.lite.TFLiteConverter.from_keras_model(model).convert())

        interpreter = tf.lite.Interpreter(model_path="plate_box.tflite")
        interpreter.allocate_tensors()
        inp_idx = interpreter.get_input_details()[0]["index"]
        out_idx = interpreter.get_output_details()[0]["index"]

        for name in ["car_000.jpg", "car_001.jpg", "car_002.jpg"]:
            img = Image.open("{DATA}/test/" + name).convert("RGB").resize((96, 96))
            batch = np.expand_dims(np.array(img) / 255.0, axis=0)
            interpreter.set_tensor(inp_idx, batch)
            interpreter.invoke()
            print(name, interpreter.get_tensor(out_idx)[0])
        """,
    ),
    Case(
        name="keras-more15-tflite-uint8-quantized-float-input-tf212",
        cause="data.dtype",
        exception="ValueError",
        env="tf212",
        setup=test_photos,
        expect="UINT8",
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        inputs = tf.keras.Input((96, 96, 3))
        x = tf.keras.layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
        x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(x)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(4, activation="sigmoid")(x))
        model.compile(optimizer="adam", loss="mse")
        calib = np.random.rand(32, 96, 96, 3).astype("float32")
        model.fit(calib, np.random.rand(32, 4), epochs=1, verbose=2)

        # full-integer quantisation for the Coral / microcontroller build
        def representative_data():
            for i in range(16):
                yield [calib[i:i + 1]]

        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_data
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
        open("plate_box_int8.tflite", "wb").write(converter.convert())

        interpreter = tf.lite.Interpreter(model_path="plate_box_int8.tflite")
        interpreter.allocate_tensors()
        inp = interpreter.get_input_details()[0]
        out = interpreter.get_output_details()[0]
        img = Image.open("{DATA}/test/car_002.jpg").convert("RGB").resize((96, 96))
        x = np.expand_dims(np.asarray(img, np.float32) / 255.0, 0)
        interpreter.set_tensor(inp["index"], x)
        interpreter.invoke()
        print(interpreter.get_tensor(out["index"]))
        """,
    ),
    # ============================================================ SavedModel inference
    Case(
        name="keras-more15-saved-model-call-float64-photo-tf215",
        cause="data.dtype",
        exception="ValueError",
        env="tf215",
        setup=test_photos,
        expect="Could not find matching concrete function",
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # train.py (shortened): a one-box car localiser exported as a SavedModel
        inputs = tf.keras.Input((96, 96, 3))
        x = tf.keras.layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
        x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(x)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(4, activation="sigmoid", name="box")(x))
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(32, 96, 96, 3).astype("float32"), np.random.rand(32, 4).astype("float32"),
                  epochs=1, verbose=2)
        model.save("export/car_localiser")

        # predict.py
        detector = tf.saved_model.load("export/car_localiser")
        img = Image.open("{DATA}/test/car_000.jpg").convert("RGB").resize((96, 96))
        batch = np.expand_dims(np.asarray(img) / 255.0, 0)
        box = detector(batch)
        print("box (x1, y1, x2, y2):", box.numpy()[0])
        """,
    ),
    Case(
        name="keras-more15-export-signature-output-by-layer-name-k3",
        cause="model.api_misuse",
        exception="KeyError",
        setup=test_photos,
        expect="KeyError: 'box_head'",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image
        """ + textwrap.indent(TINY_BOX_MODEL, " " * 8) + """
        model = build_model()
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(32, 96, 96, 3).astype("float32"), np.random.rand(32, 4).astype("float32"),
                  epochs=1, verbose=2)
        model.export("export/plate_box")          # for TF Serving

        # client side: same as the TF Serving docs, straight from the SavedModel
        loaded = tf.saved_model.load("export/plate_box")
        infer = loaded.signatures["serving_default"]
        img = Image.open("{DATA}/test/car_001.jpg").convert("RGB").resize((96, 96))
        outputs = infer(tf.constant(np.asarray(img, np.float32)[None] / 255.0))
        box = outputs["box_head"].numpy()[0]
        print("plate at", box)
        """,
    ),
    # ============================================================ decoding outputs
    Case(
        name="keras-more15-yolo-decode-reshape-coco-80-classes-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=test_photos,
        expect="cannot reshape array of size",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        CLASSES = ["apple", "banana", "orange"]
        ANCHORS = np.array([[10, 13], [16, 30], [33, 23]], np.float32)
        IMG = 128
        GRID = IMG // 32

        def tiny_yolo(num_classes):
            inputs = keras.Input((IMG, IMG, 3))
            x = inputs
            for f in (8, 16, 32, 32, 64):
                x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
                x = layers.MaxPooling2D()(x)
            out = layers.Conv2D(len(ANCHORS) * (5 + num_classes), 1, name="yolo_head")(x)
            return keras.Model(inputs, out)

        model = tiny_yolo(len(CLASSES))
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(8, IMG, IMG, 3).astype("float32"),
                  np.random.rand(8, GRID, GRID, len(ANCHORS) * (5 + len(CLASSES))).astype("float32"),
                  epochs=1, verbose=2)
        model.save("fruit_yolo.keras")

        # ---------------- detect.py (decoder copied from the COCO yolo utils)
        NUM_CLASSES = 80

        def sigmoid(v):
            return 1 / (1 + np.exp(-v))

        def decode(pred):
            grid = pred.shape[1]
            pred = pred.reshape(grid, grid, len(ANCHORS), 5 + NUM_CLASSES)
            xy = sigmoid(pred[..., 0:2])
            wh = np.exp(pred[..., 2:4]) * ANCHORS / IMG
            obj = sigmoid(pred[..., 4:5])
            cls = sigmoid(pred[..., 5:])
            return xy, wh, obj * cls

        detector = keras.models.load_model("fruit_yolo.keras")
        img = Image.open("{DATA}/test/car_000.jpg").convert("RGB").resize((IMG, IMG))
        pred = detector.predict(np.asarray(img, np.float32)[None] / 255.0)
        xy, wh, scores = decode(pred)
        print(scores.max())
        """,
    ),
    Case(
        name="keras-more15-ssd-decode-anchors-for-300px-tf215",
        cause="model.output_mismatch",
        also=("model.input_shape",),
        exception="ValueError",
        env="tf215",
        setup=test_photos,
        expect="operands could not be broadcast together",
        code="""
        import itertools
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        IMG = 128
        NUM_CLASSES = 4          # background + 3
        ANCHORS_PER_CELL = 4

        def ssd_lite():
            inputs = tf.keras.Input((IMG, IMG, 3))
            x = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
            x = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
            f1 = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)   # 16x16
            f2 = tf.keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(f1)  # 8x8
            locs, confs = [], []
            for f in (f1, f2):
                locs.append(tf.keras.layers.Reshape((-1, 4))(tf.keras.layers.Conv2D(ANCHORS_PER_CELL * 4, 3, padding="same")(f)))
                confs.append(tf.keras.layers.Reshape((-1, NUM_CLASSES))(
                    tf.keras.layers.Conv2D(ANCHORS_PER_CELL * NUM_CLASSES, 3, padding="same")(f)))
            loc = tf.keras.layers.Concatenate(axis=1, name="loc")(locs)
            conf = tf.keras.layers.Concatenate(axis=1, name="conf")(confs)
            return tf.keras.Model(inputs, [loc, conf])

        model = ssd_lite()
        model.summary()

        # anchors from the SSD300 config used in the tutorial
        def generate_anchors(feature_maps=(38, 19), image_size=300, scales=(0.1, 0.2), ratios=(1.0, 2.0, 0.5)):
            anchors = []
            for k, fm in enumerate(feature_maps):
                for i, j in itertools.product(range(fm), repeat=2):
                    cx, cy = (j + 0.5) / fm, (i + 0.5) / fm
                    s = scales[k]
                    anchors.append([cx, cy, s, s])
                    for r in ratios[1:]:
                        anchors.append([cx, cy, s * np.sqrt(r), s / np.sqrt(r)])
                    anchors.append([cx, cy, s * 1.4, s * 1.4])
            return np.array(anchors, np.float32)

        anchors = generate_anchors()

        def decode(loc, variances=(0.1, 0.2)):
            cxcy = anchors[:, :2] + loc[:, :2] * variances[0] * anchors[:, 2:]
            wh = anchors[:, 2:] * np.exp(loc[:, 2:] * variances[1])
            return np.concatenate([cxcy - wh / 2, cxcy + wh / 2], axis=1)

        img = Image.open("{DATA}/test/car_002.jpg").convert("RGB").resize((IMG, IMG))
        loc, conf = model.predict(np.asarray(img, np.float32)[None] / 255.0)
        boxes = decode(loc[0])
        print(boxes[:5])
        """,
    ),
    Case(
        name="keras-more15-nms-on-batched-predictions-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        setup=test_photos,
        expect="boxes must be 2-D",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        NUM_PRIORS = 64

        inputs = keras.Input((128, 128, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu", padding="same")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu", padding="same")(x)
        x = layers.Conv2D(32, 3, strides=4, activation="relu", padding="same")(x)       # 8x8 cells
        boxes = layers.Reshape((NUM_PRIORS, 4), name="boxes")(layers.Conv2D(4, 1, activation="sigmoid")(x))
        scores = layers.Reshape((NUM_PRIORS,), name="scores")(layers.Conv2D(1, 1, activation="sigmoid")(x))
        model = keras.Model(inputs, [boxes, scores])

        img = Image.open("{DATA}/test/car_001.jpg").convert("RGB").resize((128, 128))
        pred_boxes, pred_scores = model.predict(np.asarray(img, np.float32)[None] / 255.0)
        keep = tf.image.non_max_suppression(pred_boxes, pred_scores, max_output_size=10, iou_threshold=0.5)
        for i in keep.numpy():
            print(pred_boxes[0, i], pred_scores[0, i])
        """,
    ),
    Case(
        name="keras-more15-nms-torchvision-argument-order-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=test_photos,
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # ported from the PyTorch version of this project: torchvision.ops.nms(boxes, scores, iou_threshold)
        IOU_THRESHOLD = 0.45
        SCORE_THRESHOLD = 0.3

        inputs = tf.keras.Input((128, 128, 3))
        x = tf.keras.layers.Conv2D(16, 3, strides=4, activation="relu", padding="same")(inputs)
        x = tf.keras.layers.Conv2D(32, 3, strides=4, activation="relu", padding="same")(x)
        boxes = tf.keras.layers.Reshape((64, 4))(tf.keras.layers.Conv2D(4, 1, activation="sigmoid")(x))
        scores = tf.keras.layers.Reshape((64,))(tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(x))
        model = tf.keras.Model(inputs, [boxes, scores])

        img = Image.open("{DATA}/test/car_000.jpg").convert("RGB").resize((128, 128))
        b, s = model.predict(np.asarray(img, np.float32)[None] / 255.0)
        b, s = b[0], s[0]
        mask = s > SCORE_THRESHOLD
        keep = tf.image.non_max_suppression(b[mask], s[mask], IOU_THRESHOLD)
        print(len(keep), "detections")
        """,
    ),
    Case(
        name="keras-more15-nb-seg-argmax-mask-fromarray-int64-k3",
        cause="data.dtype",
        exception="TypeError",
        expect="Cannot handle this data type",
        **notebook([
            """
import glob
import numpy as np
import keras
from keras import layers
from PIL import Image

images = np.stack([np.asarray(Image.open(p), np.float32) / 255.0
                   for p in sorted(glob.glob("{DATA}/seg/images/*.png"))])
masks = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/seg/masks/*.png"))])
print(images.shape, masks.shape, np.unique(masks))
""",
            """
def small_unet(n_classes=3):
    inputs = keras.Input((64, 64, 3))
    c1 = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
    u1 = layers.Conv2DTranspose(8, 2, strides=2, padding="same")(c2)
    c3 = layers.Conv2D(8, 3, padding="same", activation="relu")(layers.concatenate([u1, c1]))
    return keras.Model(inputs, layers.Conv2D(n_classes, 1, activation="softmax")(c3))

model = small_unet()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(images, masks, epochs=2, batch_size=4)
""",
            """
pred = model.predict(images[:1])
mask = np.argmax(pred[0], axis=-1)
print(mask.shape, mask.dtype)
""",
            """
Image.fromarray(mask).save("pred_mask.png")
""",
        ], data=seg_png),
    ),
    Case(
        name="keras-more15-seg-save-img-2d-mask-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=seg_binary,
        expect="Expected image array to have rank 3",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf

        paths = sorted(glob.glob("{DATA}/seg/images/*.png"))
        images = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p)) / 255.0 for p in paths])
        masks = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p.replace("images", "masks"),
                                                                             color_mode="grayscale")) for p in paths])

        inputs = tf.keras.Input((64, 64, 3))
        c1 = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        p1 = tf.keras.layers.MaxPooling2D()(c1)
        c2 = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
        u1 = tf.keras.layers.UpSampling2D()(c2)
        c3 = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(tf.keras.layers.concatenate([u1, c1]))
        model = tf.keras.Model(inputs, tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(c3))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(images, masks, epochs=2, batch_size=4, verbose=2)

        os.makedirs("predictions", exist_ok=True)
        preds = model.predict(images)
        for path, p in zip(paths, preds):
            binary = (p[..., 0] > 0.5).astype("uint8") * 255
            tf.keras.utils.save_img(os.path.join("predictions", os.path.basename(path)), binary)
        """,
    ),
    # ============================================================ heads and targets
    Case(
        name="keras-more15-anchor-match-image-without-objects-k3",
        cause="data.missing_or_corrupt",
        also=("data.too_few_boxes",),
        exception="InvalidArgumentError",
        expect="Reduction axis 1 is empty",
        code="""
        import json
        import numpy as np
        import tensorflow as tf

        # annotations exported from Label Studio; frames 4 and 9 are empty background frames
        rng = np.random.default_rng(3)
        annotations = {}
        for i in range(12):
            n = 0 if i in (4, 9) else int(rng.integers(1, 4))
            xy = rng.uniform(0, 0.6, (n, 2))
            annotations[f"frame_{i:03d}.jpg"] = np.concatenate([xy, xy + rng.uniform(0.1, 0.4, (n, 2))], 1).tolist()
        json.dump(annotations, open("boxes.json", "w"))

        def make_anchors(grid=8, sizes=(0.15, 0.3)):
            c = (np.arange(grid) + 0.5) / grid
            cx, cy = np.meshgrid(c, c)
            out = []
            for s in sizes:
                out.append(np.stack([cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2], -1).reshape(-1, 4))
            return tf.constant(np.concatenate(out), tf.float32)

        def iou(a, b):
            a = a[:, None, :]
            b = b[None, :, :]
            tl = tf.maximum(a[..., :2], b[..., :2])
            br = tf.minimum(a[..., 2:], b[..., 2:])
            inter = tf.reduce_prod(tf.maximum(br - tl, 0.0), -1)
            area_a = tf.reduce_prod(a[..., 2:] - a[..., :2], -1)
            area_b = tf.reduce_prod(b[..., 2:] - b[..., :2], -1)
            return inter / (area_a + area_b - inter)

        ANCHORS = make_anchors()

        def encode(gt_boxes):
            gt = tf.reshape(tf.constant(gt_boxes, tf.float32), (-1, 4))
            overlaps = iou(ANCHORS, gt)                      # [num_anchors, num_gt]
            best_gt = tf.argmax(overlaps, axis=1)
            best_iou = tf.reduce_max(overlaps, axis=1)
            labels = tf.cast(best_iou > 0.5, tf.float32)
            matched = tf.gather(gt, best_gt)
            return labels, matched - ANCHORS

        targets = {}
        for name, boxes in json.load(open("boxes.json")).items():
            targets[name] = encode(boxes)
            print(name, int(tf.reduce_sum(targets[name][0])), "positive anchors")
        """,
    ),
    Case(
        name="keras-more15-ssd-class-head-reshape-background-class-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        expect="target_shape",
        code="""
        import keras
        from keras import layers

        CLASSES = ["bottle", "can", "carton"]
        NUM_CLASSES = len(CLASSES)
        ANCHORS_PER_CELL = 6

        def ssd_head(feature, name):
            loc = layers.Conv2D(ANCHORS_PER_CELL * 4, 3, padding="same", name=f"{name}_loc")(feature)
            conf = layers.Conv2D(ANCHORS_PER_CELL * NUM_CLASSES, 3, padding="same", name=f"{name}_conf")(feature)
            loc = layers.Reshape((-1, 4), name=f"{name}_loc_flat")(loc)
            conf = layers.Reshape((-1, NUM_CLASSES + 1), name=f"{name}_conf_flat")(conf)   # + background
            return loc, conf

        inputs = keras.Input((80, 80, 3))
        x = inputs
        for f in (16, 32, 64, 64):
            x = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(x)   # 40, 20, 10, 5
        loc, conf = ssd_head(x, "p5")
        model = keras.Model(inputs, [loc, layers.Softmax(name="conf")(conf)])
        model.summary()
        """,
    ),
    Case(
        name="keras-more15-ssd-concat-levels-default-axis-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        expect="Concatenate",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        NUM_CLASSES = 3 + 1
        K = 4  # anchors per cell

        inputs = tf.keras.Input((128, 128, 3))
        x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
        p3 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)     # 16x16
        p4 = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(p3)    # 8x8
        p5 = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(p4)    # 4x4

        box_outputs, cls_outputs = [], []
        for p in (p3, p4, p5):
            box_outputs.append(layers.Reshape((-1, 4))(layers.Conv2D(K * 4, 3, padding="same")(p)))
            cls_outputs.append(layers.Reshape((-1, NUM_CLASSES))(layers.Conv2D(K * NUM_CLASSES, 3, padding="same")(p)))

        boxes = layers.Concatenate(name="boxes")(box_outputs)
        classes = layers.Concatenate(name="classes")(cls_outputs)
        model = tf.keras.Model(inputs, [boxes, classes])
        model.compile(optimizer="adam", loss={"boxes": tf.keras.losses.Huber(), "classes": "categorical_crossentropy"})
        model.summary()
        """,
    ),
    Case(
        name="keras-more15-yolo-head-reshape-grid-from-416-tf215",
        cause="model.input_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tf215",
        expect="Reshape",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        # config.py
        ORIGINAL_SIZE = 416
        GRID = ORIGINAL_SIZE // 32
        ANCHORS = 3
        CLASSES = ["helmet", "head", "person"]

        # smaller input so that it trains on the laptop
        IMG_SIZE = 320

        inputs = tf.keras.Input((IMG_SIZE, IMG_SIZE, 3))
        x = inputs
        for f in (8, 16, 32, 64, 64):
            x = layers.Conv2D(f, 3, strides=2, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
        x = layers.Conv2D(ANCHORS * (5 + len(CLASSES)), 1)(x)
        outputs = layers.Reshape((GRID, GRID, ANCHORS, 5 + len(CLASSES)), name="yolo_output")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(4, IMG_SIZE, IMG_SIZE, 3), np.random.rand(4, GRID, GRID, ANCHORS, 8), epochs=1)
        """,
    ),
    Case(
        name="keras-more15-focal-gather-nd-voc-one-based-ids-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="does not index into param shape",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        VOC_CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
                       "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
                       "train", "tvmonitor"]
        NUM_CLASSES = len(VOC_CLASSES)
        NUM_ANCHORS = 64

        # matched targets produced by the (PyTorch-era) encoder: class ids 1..20, 0 is background
        rng = np.random.default_rng(0)
        images = rng.random((16, 64, 64, 3), dtype=np.float32)
        pos_anchor = rng.integers(0, NUM_ANCHORS, (16, 3))
        pos_class = rng.integers(1, NUM_CLASSES + 1, (16, 3))
        pos_class[5, 1] = NUM_CLASSES          # a tvmonitor

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=4, padding="same", activation="relu")(x)          # 8x8
        cls = layers.Reshape((NUM_ANCHORS, NUM_CLASSES))(layers.Conv2D(NUM_CLASSES, 1)(x))
        model = keras.Model(inputs, cls)
        optimizer = keras.optimizers.Adam(1e-3)

        def focal_loss(logits, anchor_idx, class_idx, gamma=2.0):
            b = tf.repeat(tf.range(tf.shape(anchor_idx)[0]), tf.shape(anchor_idx)[1])
            idx = tf.stack([b, tf.reshape(anchor_idx, [-1]), tf.reshape(class_idx, [-1])], axis=1)
            p = tf.sigmoid(tf.gather_nd(logits, idx))
            return tf.reduce_mean(-((1 - p) ** gamma) * tf.math.log(p + 1e-7))

        for epoch in range(2):
            for s in range(0, 16, 4):
                with tf.GradientTape() as tape:
                    logits = model(images[s:s + 4], training=True)
                    loss = focal_loss(logits, tf.constant(pos_anchor[s:s + 4], tf.int32),
                                      tf.constant(pos_class[s:s + 4], tf.int32))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(epoch, float(loss))
        """,
    ),
    Case(
        name="keras-more15-yolo-encoder-scatter-float-cell-index-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        expect="Tindices",
        setup=mixed_photos,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        S, C = 7, 3

        class YoloSequence(keras.utils.PyDataset):
            def __init__(self, folder, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.images = sorted(glob.glob(folder + "/*.jpg"))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.images) // self.batch_size

            def encode(self, rows):
                target = tf.zeros((S, S, 5 + C))
                for cls, cx, cy, w, h in rows:
                    cell = tf.floor(tf.constant([cy, cx]) * S)          # row, col of the responsible cell
                    vec = tf.concat([[cx * S - cell[1], cy * S - cell[0], w, h, 1.0], tf.one_hot(int(cls), C)], 0)
                    target = tf.tensor_scatter_nd_update(target, [cell], [vec])
                return target

            def __getitem__(self, idx):
                xs, ys = [], []
                for path in self.images[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = Image.open(path).convert("RGB").resize((224, 224))
                    xs.append(np.asarray(img, np.float32) / 255.0)
                    ys.append(self.encode(np.loadtxt(path.replace(".jpg", ".txt"), ndmin=2)))
                return np.stack(xs), np.stack(ys)

        model = keras.Sequential([
            keras.Input((224, 224, 3)),
            keras.layers.Conv2D(16, 3, strides=4, padding="same", activation="relu"),
            keras.layers.Conv2D(32, 3, strides=4, padding="same", activation="relu"),
            keras.layers.Conv2D(5 + C, 3, strides=2, padding="same"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(YoloSequence("{DATA}/frames"), epochs=2)
        """,
    ),
    Case(
        name="keras-more15-augment-flip-boxes-with-image-op-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="must be at least three-dimensional",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rng = np.random.default_rng(1)
        images = rng.random((32, 64, 64, 3), dtype=np.float32)
        xy = rng.uniform(0, 0.5, (32, 2))
        boxes = np.concatenate([xy, xy + 0.3], 1).astype("float32")[:, None, :]   # one box per image

        def augment(image, box):
            if tf.random.uniform(()) > 0.5:
                image = tf.image.flip_left_right(image)
                box = tf.image.flip_left_right(box)       # boxes have to follow the image
            return image, tf.reshape(box, (4,))

        train_ds = (tf.data.Dataset.from_tensor_slices((images, boxes))
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8))

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more15-centernet-heatmap-float-centre-index-k3",
        cause="data.dtype",
        exception="IndexError",
        expect="only integers, slices",
        setup=mixed_photos,
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        IMG, STRIDE, C = 128, 4, 3
        OUT = IMG // STRIDE

        def gaussian_radius(w, h):
            return max(1, int(0.3 * min(w, h)))

        def draw_heatmap(rows):
            heat = np.zeros((OUT, OUT, C), np.float32)
            for cls, cx, cy, w, h in rows:
                cx, cy = cx * OUT, cy * OUT
                r = gaussian_radius(w * OUT, h * OUT)
                ys, xs = np.ogrid[-r:r + 1, -r:r + 1]
                g = np.exp(-(xs * xs + ys * ys) / (2 * (r / 3) ** 2))
                heat[cy, cx, int(cls)] = 1.0
                y0, x0 = int(cy) - r, int(cx) - r
                patch = heat[max(y0, 0):int(cy) + r + 1, max(x0, 0):int(cx) + r + 1, int(cls)]
                np.maximum(patch, g[:patch.shape[0], :patch.shape[1]], out=patch)
            return heat

        x, y = [], []
        for path in sorted(glob.glob("{DATA}/frames/*.jpg")):
            x.append(np.asarray(Image.open(path).convert("RGB").resize((IMG, IMG)), np.float32) / 255.0)
            y.append(draw_heatmap(np.loadtxt(path[:-4] + ".txt", ndmin=2)))

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        model = keras.Model(inputs, layers.Conv2D(C, 1, activation="sigmoid")(h))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(np.stack(x), np.stack(y), epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more15-roi-crop-and-resize-index-per-image-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        expect="box_index has incompatible shape",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # second stage of a two-stage pipeline: classify the proposals of each image
        rng = np.random.default_rng(2)
        images = rng.random((4, 96, 96, 3), dtype=np.float32)
        proposals = [rng.uniform(0, 0.5, (n, 2)) for n in (2, 1, 3, 2)]
        proposals = [np.concatenate([p, p + 0.4], 1) for p in proposals]
        labels = rng.integers(0, 5, sum(len(p) for p in proposals))

        backbone = keras.Sequential([keras.Input((96, 96, 3)), layers.Conv2D(16, 3, padding="same", activation="relu"),
                                     layers.MaxPooling2D()])
        roi_head = keras.Sequential([keras.Input((7, 7, 16)), layers.Flatten(), layers.Dense(5)])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        opt = keras.optimizers.Adam(1e-3)

        with tf.GradientTape() as tape:
            fmap = backbone(images, training=True)
            all_boxes = tf.constant(np.concatenate(proposals)[:, [1, 0, 3, 2]], tf.float32)   # y1 x1 y2 x2
            box_indices = tf.range(images.shape[0])
            crops = tf.image.crop_and_resize(fmap, all_boxes, box_indices, crop_size=(7, 7))
            loss = loss_fn(labels, roi_head(crops, training=True))
        variables = backbone.trainable_variables + roi_head.trainable_variables
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        print(float(loss))
        """,
    ),
    # ============================================================ ragged boxes in tf.data
    Case(
        name="keras-more15-padded-batch-ragged-box-component-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="TypeError",
        expect="padded_batch",
        setup=voc_extra_class,
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import tensorflow as tf

        CLASSES = ["car", "bus", "truck", "person"]
        paths, all_boxes, all_labels = [], [], []
        for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            w, h = float(root.find("size/width").text), float(root.find("size/height").text)
            boxes, labels = [], []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                boxes.append([float(bb.find(k).text) / s for k, s in
                              (("ymin", h), ("xmin", w), ("ymax", h), ("xmax", w))])
                labels.append(CLASSES.index(obj.find("name").text))
            paths.append(xml.replace("annotations", "images").replace(".xml", ".jpg"))
            all_boxes.append(boxes)
            all_labels.append(labels)

        def load(path, boxes, labels):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (96, 96)) / 255.0
            return img, boxes, labels

        ds = tf.data.Dataset.from_tensor_slices((paths, tf.ragged.constant(all_boxes), tf.ragged.constant(all_labels)))
        ds = ds.map(load).padded_batch(4, padded_shapes=([96, 96, 3], [None, 4], [None]),
                                       padding_values=(0.0, -1.0, tf.constant(-1, tf.int32)))
        for images, boxes, labels in ds.take(1):
            print(images.shape, boxes.shape, labels.shape)
        """,
    ),
    Case(
        name="keras-more15-from-generator-batch-variable-box-count-tf212",
        cause="data.label_shape",
        also=("data.bbox_invalid",),
        exception="InvalidArgumentError",
        env="tf212",
        setup=voc_extra_class,
        expect="Cannot batch tensors with different shapes in component 1",
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        def samples():
            for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
                root = ET.parse(xml).getroot()
                img = Image.open(xml.replace("annotations", "images").replace(".xml", ".jpg")).resize((96, 96))
                boxes = []
                for obj in root.iter("object"):
                    bb = obj.find("bndbox")
                    boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
                yield np.asarray(img, np.float32) / 255.0, np.array(boxes, np.float32) / [96, 72, 96, 72]

        ds = tf.data.Dataset.from_generator(
            samples, output_signature=(tf.TensorSpec((96, 96, 3), tf.float32), tf.TensorSpec((None, 4), tf.float32)))
        train_ds = ds.shuffle(16).batch(4).prefetch(tf.data.AUTOTUNE)

        inputs = tf.keras.Input((96, 96, 3))
        x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(4, activation="sigmoid")(x))
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more15-from-generator-fixed-max-boxes-spec-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=mixed_photos,
        expect="yielded an element of shape",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        MAX_BOXES = 10

        def gen():
            for path in sorted(glob.glob("{DATA}/frames/*.jpg")):
                img = np.asarray(Image.open(path).convert("RGB").resize((128, 128)), np.float32) / 255.0
                rows = np.loadtxt(path[:-4] + ".txt", ndmin=2).astype("float32")
                yield img, rows[:, 1:5]

        ds = tf.data.Dataset.from_generator(gen, output_signature=(
            tf.TensorSpec(shape=(128, 128, 3), dtype=tf.float32),
            tf.TensorSpec(shape=(MAX_BOXES, 4), dtype=tf.float32),
        )).batch(4)

        inputs = tf.keras.Input((128, 128, 3))
        x = layers.Conv2D(16, 3, strides=4, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=4, activation="relu")(x)
        x = layers.Flatten()(x)
        outputs = layers.Reshape((MAX_BOXES, 4))(layers.Dense(MAX_BOXES * 4, activation="sigmoid")(x))
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more15-ragged-box-targets-fit-regressor-k3",
        cause="data.label_shape",
        also=("data.bbox_invalid",),
        exception="ValueError",
        setup=voc_extra_class,
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import tensorflow as tf
        import keras
        from keras import layers

        paths, boxes = [], []
        for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            w, h = float(root.find("size/width").text), float(root.find("size/height").text)
            per_image = []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                per_image.append([float(bb.find("xmin").text) / w, float(bb.find("ymin").text) / h,
                                  float(bb.find("xmax").text) / w, float(bb.find("ymax").text) / h])
            paths.append(xml.replace("annotations", "images").replace(".xml", ".jpg"))
            boxes.append(per_image)

        def load(path, box):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (96, 96)) / 255.0, box

        ds = tf.data.Dataset.from_tensor_slices((paths, tf.ragged.constant(boxes, ragged_rank=1)))
        train_ds = ds.map(load).ragged_batch(4)

        model = keras.Sequential([keras.Input((96, 96, 3)), layers.Conv2D(16, 3, strides=2, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more15-ragged-box-targets-fit-regressor-tf215",
        cause="data.label_shape",
        also=("data.bbox_invalid",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=voc_extra_class,
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import tensorflow as tf

        paths, boxes = [], []
        for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            w, h = float(root.find("size/width").text), float(root.find("size/height").text)
            per_image = []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                per_image.append([float(bb.find("xmin").text) / w, float(bb.find("ymin").text) / h,
                                  float(bb.find("xmax").text) / w, float(bb.find("ymax").text) / h])
            paths.append(xml.replace("annotations", "images").replace(".xml", ".jpg"))
            boxes.append(per_image)

        def load(path, box):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (96, 96)) / 255.0, box

        ds = tf.data.Dataset.from_tensor_slices((paths, tf.ragged.constant(boxes, ragged_rank=1)))
        train_ds = ds.map(load).apply(tf.data.experimental.dense_to_ragged_batch(4))

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(96, 96, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ annotations
    Case(
        name="keras-more15-mosaic-phone-photos-other-size-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=mixed_photos,
        expect="could not broadcast input array",
        code="""
        import glob
        import random
        import numpy as np
        import keras
        from PIL import Image

        S = 320   # every frame was exported at 320x320

        paths = sorted(glob.glob("{DATA}/frames/*.jpg"))

        def load(path):
            img = np.asarray(Image.open(path).convert("RGB"), np.float32) / 255.0
            rows = np.loadtxt(path[:-4] + ".txt", ndmin=2)
            return img, rows

        def mosaic(indices):
            canvas = np.zeros((2 * S, 2 * S, 3), np.float32)
            labels = []
            for k, idx in enumerate(indices):
                img, rows = load(paths[idx])
                oy, ox = (k // 2) * S, (k % 2) * S
                canvas[oy:oy + S, ox:ox + S] = img
                rows = rows.copy()
                rows[:, 1] = (rows[:, 1] * S + ox) / (2 * S)
                rows[:, 2] = (rows[:, 2] * S + oy) / (2 * S)
                rows[:, 3:] /= 2
                labels.append(rows)
            return canvas, np.concatenate(labels)

        class MosaicDataset(keras.utils.PyDataset):
            def __init__(self, n_batches, batch_size=2, **kwargs):
                super().__init__(**kwargs)
                self.n_batches, self.batch_size = n_batches, batch_size

            def __len__(self):
                return self.n_batches

            def __getitem__(self, i):
                xs = []
                for _ in range(self.batch_size):
                    img, _ = mosaic(random.sample(range(len(paths)), 4))
                    xs.append(img)
                return np.stack(xs), np.zeros((self.batch_size, 1), np.float32)

        random.seed(0)
        ds = MosaicDataset(4)
        for i in range(len(ds)):
            x, _ = ds[i]
            print("batch", i, x.shape)
        """,
    ),
    Case(
        name="keras-more15-mixup-box-files-four-and-five-columns-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=yolo_two_exports,
        expect="along dimension 1",
        code="""
        import glob
        import numpy as np
        from PIL import Image

        def load(i):
            img = np.asarray(Image.open(f"{DATA}/images/{i:03d}.jpg"), np.float32) / 255.0
            rows = np.loadtxt(f"{DATA}/labels/{i:03d}.txt", ndmin=2)
            return img, rows

        def mixup(a, b, alpha=0.5):
            lam = np.random.beta(alpha, alpha)
            img = lam * a[0] + (1 - lam) * b[0]
            return img, np.concatenate([a[1], b[1]], axis=0)

        n = len(glob.glob("{DATA}/images/*.jpg"))
        rng = np.random.default_rng(0)
        batch_x, batch_y = [], []
        for i in range(n):
            j = int(rng.integers(0, n))
            img, rows = mixup(load(i), load(j))
            batch_x.append(img)
            batch_y.append(rows)
            print(i, j, rows.shape)
        """,
    ),
    Case(
        name="keras-more15-voc-cvat-float-coordinates-int-tf212",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf212",
        setup=voc_cvat_floats,
        expect="invalid literal for int()",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET
        import numpy as np
        import tensorflow as tf

        CLASSES = ["car", "bus", "truck"]

        def parse_voc(xml_path):
            root = ET.parse(xml_path).getroot()
            boxes, labels = [], []
            for obj in root.findall("object"):
                bb = obj.find("bndbox")
                xmin = int(bb.find("xmin").text)
                ymin = int(bb.find("ymin").text)
                xmax = int(bb.find("xmax").text)
                ymax = int(bb.find("ymax").text)
                boxes.append([xmin, ymin, xmax, ymax])
                labels.append(CLASSES.index(obj.find("name").text))
            return np.array(boxes, np.float32), np.array(labels, np.int32)

        records = []
        for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
            boxes, labels = parse_voc(xml)
            image = os.path.join("{DATA}/voc/images", os.path.basename(xml).replace(".xml", ".jpg"))
            records.append((image, boxes, labels))
        print(len(records), "annotated images")

        with tf.io.TFRecordWriter("train.tfrecord") as w:
            for image, boxes, labels in records:
                feat = {
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(image, "rb").read()])),
                    "boxes": tf.train.Feature(float_list=tf.train.FloatList(value=boxes.ravel())),
                    "labels": tf.train.Feature(int64_list=tf.train.Int64List(value=labels)),
                }
                w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
        """,
    ),
    Case(
        name="keras-more15-nb-voc-class-name-not-in-list-k3",
        cause="data.label_out_of_range",
        exception="ValueError",
        expect="is not in list",
        **notebook([
            """
import glob
import xml.etree.ElementTree as ET
import numpy as np
import tensorflow as tf
import keras

CLASSES = ["car", "bus", "truck"]
xml_files = sorted(glob.glob("{DATA}/voc/annotations/*.xml"))
len(xml_files)
""",
            """
def parse(xml_path):
    root = ET.parse(xml_path).getroot()
    w, h = float(root.find("size/width").text), float(root.find("size/height").text)
    boxes, classes = [], []
    for obj in root.iter("object"):
        bb = obj.find("bndbox")
        boxes.append([float(bb.find(t).text) / s for t, s in (("xmin", w), ("ymin", h), ("xmax", w), ("ymax", h))])
        classes.append(CLASSES.index(obj.find("name").text))
    return boxes, classes

dataset = [parse(f) for f in xml_files]
""",
            """
print(sum(len(c) for _, c in dataset), "objects")
""",
        ], data=voc_extra_class),
    ),
    Case(
        name="keras-more15-coco-crowd-rle-read-as-polygon-k3",
        cause="data.bbox_invalid",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=coco_with_crowd,
        expect="could not convert string to float",
        code="""
        import json
        import os
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        coco = json.load(open("{DATA}/coco/instances_train.json"))
        by_image = {}
        for ann in coco["annotations"]:
            by_image.setdefault(ann["image_id"], []).append(ann)

        def instance_mask(info, anns):
            mask = Image.new("L", (info["width"], info["height"]), 0)
            draw = ImageDraw.Draw(mask)
            for ann in anns:
                for seg in ann["segmentation"]:
                    poly = np.array(seg, np.float32).reshape(-1, 2)
                    draw.polygon([tuple(p) for p in poly], fill=ann["category_id"])
            return np.asarray(mask)

        images, masks = [], []
        for info in coco["images"]:
            img = Image.open(os.path.join("{DATA}/coco/images", info["file_name"])).convert("RGB")
            images.append(np.asarray(img, np.float32) / 255.0)
            masks.append(instance_mask(info, by_image.get(info["id"], [])))
        images, masks = np.stack(images), np.stack(masks)

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        model = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(x))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(images, masks, epochs=2, batch_size=2)
        """,
    ),
    Case(
        name="keras-more15-pydataset-box-columns-csv-strings-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=box_csv,
        expect="Invalid dtype",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class ShelfBoxes(keras.utils.PyDataset):
            def __init__(self, csv_path, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.rows) // self.batch_size

            def __getitem__(self, idx):
                rows = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open("{DATA}/shelf/" + r["image"]), np.float32) / 255.0 for r in rows])
                y = np.array([[r["xmin"], r["ymin"], r["xmax"], r["ymax"]] for r in rows])
                return x, y

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ShelfBoxes("{DATA}/shelf/annotations.csv"), epochs=3)
        """,
    ),
    # ============================================================ segmentation
    Case(
        name="keras-more15-seg-jpeg-masks-label-values-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=seg_jpg,
        expect="Received a label value of",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3   # background, road, building

        def load(img_path, mask_path):
            img = tf.io.decode_png(tf.io.read_file(img_path), channels=3)
            mask = tf.io.decode_jpeg(tf.io.read_file(mask_path), channels=1)
            return tf.cast(img, tf.float32) / 255.0, tf.cast(mask, tf.int32)

        images = sorted(tf.io.gfile.glob("{DATA}/seg/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/seg/masks/*.jpg"))
        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)

        inputs = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(layers.concatenate([u1, c1]))
        model = keras.Model(inputs, layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(c3))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more15-seg-class-weight-pixel-masks-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=seg_png,
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        images = np.stack([np.asarray(Image.open(p), np.float32) / 255.0
                           for p in sorted(glob.glob("{DATA}/seg/images/*.png"))])
        masks = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/seg/masks/*.png"))])[..., None]

        # buildings and roads are rare: weight them by inverse pixel frequency
        counts = np.bincount(masks.ravel(), minlength=3)
        class_weight = {c: float(counts.sum() / (3 * counts[c])) for c in range(3)}
        print(class_weight)

        inputs = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(c2)
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(layers.concatenate([u1, c1]))
        model = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(c3))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(images, masks, epochs=3, batch_size=4, class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more15-seg-one-hot-bilinear-resized-mask-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=seg_png,
        expect="indices",
        code="""
        import tensorflow as tf

        NUM_CLASSES = 3
        SIZE = 96

        def load(img_path, mask_path):
            img = tf.image.decode_png(tf.io.read_file(img_path), channels=3)
            img = tf.image.resize(img, (SIZE, SIZE)) / 255.0
            mask = tf.image.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.image.resize(mask, (SIZE, SIZE))
            mask = tf.one_hot(tf.squeeze(mask, -1), NUM_CLASSES)
            return img, mask

        images = sorted(tf.io.gfile.glob("{DATA}/seg/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/seg/masks/*.png"))
        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)

        inputs = tf.keras.Input((SIZE, SIZE, 3))
        x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        model = tf.keras.Model(inputs, tf.keras.layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(x))
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more15-unet-one-unit-sigmoid-three-class-masks-tf212",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=seg_png,
        expect="outside the valid range of [0, 1)",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        images = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p)) / 255.0
                           for p in sorted(glob.glob("{DATA}/seg/images/*.png"))])
        masks = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p, color_mode="grayscale"))
                          for p in sorted(glob.glob("{DATA}/seg/masks/*.png"))]).astype("int32")
        print("mask values:", np.unique(masks))

        def unet(input_size=(64, 64, 3)):
            inputs = tf.keras.Input(input_size)
            c1 = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, activation="relu", padding="same")(p1)
            p2 = layers.MaxPooling2D()(c2)
            b = layers.Conv2D(64, 3, activation="relu", padding="same")(p2)
            u2 = layers.concatenate([layers.UpSampling2D()(b), c2])
            c3 = layers.Conv2D(32, 3, activation="relu", padding="same")(u2)
            u1 = layers.concatenate([layers.UpSampling2D()(c3), c1])
            c4 = layers.Conv2D(16, 3, activation="relu", padding="same")(u1)
            outputs = layers.Conv2D(1, 1, activation="sigmoid")(c4)     # from the binary-mask tutorial
            return tf.keras.Model(inputs, outputs)

        model = unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(images, masks, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more15-nb-unet-free-size-predict-full-photo-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="Dimension 1 in both shapes must be equal",
        **notebook([
            """
import glob
import numpy as np
import keras
from keras import layers
from PIL import Image
""",
            """
def conv_block(x, f):
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(f, 3, padding="same", activation="relu")(x)

# fully convolutional, so it should take any image size
inputs = keras.Input((None, None, 3))
c1 = conv_block(inputs, 8);  p1 = layers.MaxPooling2D()(c1)
c2 = conv_block(p1, 16);     p2 = layers.MaxPooling2D()(c2)
b = conv_block(p2, 32)
u2 = layers.concatenate([layers.Conv2DTranspose(16, 2, strides=2, padding="same")(b), c2])
c3 = conv_block(u2, 16)
u1 = layers.concatenate([layers.Conv2DTranspose(8, 2, strides=2, padding="same")(c3), c1])
c4 = conv_block(u1, 8)
model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(c4))
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
            """
x = np.random.rand(16, 64, 64, 3).astype("float32")     # 64x64 training crops
y = (np.random.rand(16, 64, 64, 1) > 0.5).astype("float32")
model.fit(x, y, epochs=1, batch_size=4)
""",
            """
photo = np.asarray(Image.open("{DATA}/photos/street.jpg").convert("RGB"), np.float32) / 255.0
print(photo.shape)
mask = model.predict(photo[None])[0, ..., 0] > 0.5
""",
        ], data=street_photo),
    ),
    Case(
        name="keras-more15-unet-free-size-evaluate-val-photos-tf215",
        cause="model.input_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=val_photos,
        expect="ConcatOp",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input((None, None, 3))
        c1 = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
        p2 = layers.MaxPooling2D()(c2)
        b = layers.Conv2D(32, 3, padding="same", activation="relu")(p2)
        u2 = layers.concatenate([layers.UpSampling2D()(b), c2])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u2)
        u1 = layers.concatenate([layers.UpSampling2D()(c3), c1])
        model = tf.keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(layers.Conv2D(8, 3, padding="same")(u1)))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[tf.keras.metrics.BinaryIoU(name="iou")])

        # train on random 128x128 crops
        x = np.random.rand(16, 128, 128, 3).astype("float32")
        y = (np.random.rand(16, 128, 128, 1) > 0.5).astype("float32")
        model.fit(x, y, epochs=1, batch_size=4, verbose=2)

        # evaluate on the full-size validation tiles, one at a time
        def load(p):
            img = tf.image.decode_png(tf.io.read_file(p), channels=3)
            mask = tf.image.decode_png(tf.io.read_file(tf.strings.regex_replace(p, "images", "masks")), channels=1)
            return tf.cast(img, tf.float32) / 255.0, tf.cast(mask, tf.float32)

        val_ds = tf.data.Dataset.list_files("{DATA}/val/images/*.png", shuffle=False).map(load).batch(1)
        print(model.evaluate(val_ds, return_dict=True))
        """,
    ),
    Case(
        name="keras-more15-unet-whole-orthomosaic-predict-oom-k3",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        as_limit=8 * 1024**3,
        expect="OOM",
        code="""
        import numpy as np
        import keras
        from keras import layers

        def conv_block(x, f):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(f, 3, padding="same", activation="relu")(x)

        inputs = keras.Input((None, None, 3))
        c1 = conv_block(inputs, 32)
        p1 = layers.MaxPooling2D()(c1)
        c2 = conv_block(p1, 64)
        u1 = layers.concatenate([layers.UpSampling2D()(c2), c1])
        model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(conv_block(u1, 32)))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(np.random.rand(8, 128, 128, 3).astype("float32"),
                  (np.random.rand(8, 128, 128, 1) > 0.5).astype("float32"), epochs=1, batch_size=4)

        # the drone orthomosaic, predicted in one go instead of in 128x128 tiles
        ortho = np.random.rand(1, 9000, 9000, 3).astype("float32")
        mask = model.predict(ortho, batch_size=1)
        print(mask.shape)
        """,
    ),
    # ============================================================ Keras 3 box augmentation and utilities
    Case(
        name="keras-more15-randomflip-image-and-mask-two-args-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=seg_binary,
        expect="positional arguments",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        flip = layers.RandomFlip("horizontal_and_vertical", seed=42)
        rotate = layers.RandomRotation(0.1, seed=42)

        def load(img_path, mask_path):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32) / 255.0
            mask = tf.cast(tf.io.decode_png(tf.io.read_file(mask_path), channels=1), tf.float32)
            return img, mask

        def augment(img, mask):
            # same seed, same transform for the image and its mask
            img, mask = flip(img, mask)
            img, mask = rotate(img, mask)
            return img, mask

        images = sorted(tf.io.gfile.glob("{DATA}/seg/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/seg/masks/*.png"))
        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).map(augment).batch(4)

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more15-keras3-flip-boxes-without-box-format-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="bounding box format",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rng = np.random.default_rng(4)
        images = rng.random((16, 96, 96, 3), dtype=np.float32)
        xy = rng.uniform(0, 50, (16, 3, 2))
        boxes = np.concatenate([xy, xy + rng.uniform(10, 40, (16, 3, 2))], -1).astype("float32")   # pixel xyxy
        classes = rng.integers(0, 3, (16, 3)).astype("int32")

        # Keras 3 preprocessing layers transform boxes too
        augmenter = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)])

        def to_dict(img, box, cls):
            return {"images": img, "bounding_boxes": {"boxes": box, "labels": cls}}

        def augment(sample):
            return augmenter(sample, training=True)

        train_ds = (tf.data.Dataset.from_tensor_slices((images, boxes, classes))
                    .map(to_dict).batch(4).map(augment))
        for batch in train_ds.take(1):
            print(batch["images"].shape, batch["bounding_boxes"]["boxes"].shape)
        """,
    ),
    Case(
        name="keras-more15-keras3-augment-boxes-not-a-dict-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        expect="bounding_boxes",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rng = np.random.default_rng(5)
        images = rng.random((16, 96, 96, 3), dtype=np.float32)
        xy = rng.uniform(0, 0.5, (16, 2, 2))
        boxes = np.concatenate([xy, xy + 0.3], -1).astype("float32")

        augment = layers.RandomFlip("horizontal", bounding_box_format="rel_xyxy")

        def apply(img, box):
            out = augment({"images": img, "bounding_boxes": box}, training=True)
            return out["images"], out["bounding_boxes"]

        train_ds = tf.data.Dataset.from_tensor_slices((images, boxes)).batch(4).map(apply)
        for imgs, bxs in train_ds.take(2):
            print(imgs.shape, bxs.shape)
        """,
    ),
    Case(
        name="keras-more15-keras3-convert-format-pascal-voc-name-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=voc_extra_class,
        expect="Invalid source or target format",
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import numpy as np
        import keras

        all_boxes = []
        for xml in sorted(glob.glob("{DATA}/voc/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                all_boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
        boxes = np.array(all_boxes, np.float32)

        # albumentations calls this format "pascal_voc"; the model wants center_xywh
        centred = keras.utils.bounding_boxes.convert_format(boxes, source="pascal_voc", target="center_xywh")
        print(centred[:3])
        """,
    ),
    Case(
        name="keras-more15-keras3-convert-format-relative-without-size-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=mixed_photos,
        expect="height",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        MAX_BOXES = 4
        images, boxes = [], []
        for path in sorted(glob.glob("{DATA}/frames/*.jpg")):
            img = np.asarray(Image.open(path).convert("RGB").resize((128, 128)), np.float32)
            rows = np.loadtxt(path[:-4] + ".txt", ndmin=2)[:, 1:] * 128            # pixel cx, cy, w, h
            padded = np.full((MAX_BOXES, 4), -1.0, np.float32)
            padded[:len(rows)] = rows
            images.append(img)
            boxes.append(padded)
        images, boxes = np.stack(images), np.stack(boxes)

        # the box head predicts relative corners
        targets = keras.utils.bounding_boxes.convert_format(boxes, source="center_xywh", target="rel_xyxy")
        print(targets.shape)
        """,
    ),
    # ============================================================ Sequence / PyDataset
    Case(
        name="keras-more15-sequence-indexes-made-in-on-epoch-end-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=plate_crops,
        expect="indexes",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf

        class PlateGenerator(tf.keras.utils.Sequence):
            'Generates data for Keras'
            def __init__(self, csv_path, batch_size=4, dim=(64, 64), shuffle=True):
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.batch_size = batch_size
                self.dim = dim
                self.shuffle = shuffle

            def __len__(self):
                return int(np.floor(len(self.rows) / self.batch_size))

            def __getitem__(self, index):
                indexes = self.indexes[index * self.batch_size:(index + 1) * self.batch_size]
                return self.__data_generation([self.rows[k] for k in indexes])

            def on_epoch_end(self):
                self.indexes = np.arange(len(self.rows))
                if self.shuffle:
                    np.random.shuffle(self.indexes)

            def __data_generation(self, rows):
                X = np.empty((self.batch_size, *self.dim, 3), np.float32)
                y = np.empty((self.batch_size, 4), np.float32)
                for i, r in enumerate(rows):
                    img = tf.keras.utils.load_img("{DATA}/plates/" + r["filename"], target_size=self.dim)
                    X[i] = tf.keras.utils.img_to_array(img) / 255.0
                    y[i] = [float(r[k]) for k in ("x1", "y1", "x2", "y2")]
                return X, y

        inputs = tf.keras.Input((64, 64, 3))
        x = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(4, activation="sigmoid")(x))
        model.compile(optimizer="adam", loss="mse")
        model.fit(PlateGenerator("{DATA}/plates/boxes.csv"), epochs=5)
        """,
    ),
    Case(
        name="keras-more15-pydataset-len-true-division-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=plate_crops,
        expect="cannot be interpreted as an integer",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class PlateBoxes(keras.utils.PyDataset):
            def __init__(self, csv_path, batch_size=5, **kwargs):
                super().__init__(**kwargs)
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.batch_size = batch_size

            def __len__(self):
                return np.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                rows = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open("{DATA}/plates/" + r["filename"]), np.float32) / 255.0 for r in rows])
                y = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
                return x, y

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(PlateBoxes("{DATA}/plates/boxes.csv"), epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
