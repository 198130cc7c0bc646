"""Untargeted held-out Keras / TensorFlow failures (g167, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of e-commerce and fashion teams training
product-attribute taggers in Keras 3 / tf.keras: multi-output models with colour, category and pattern
softmax heads, multi-label sigmoid tag heads (``cotton``, ``denim``, ``summer`` ...), attribute CSVs
exported from the product catalogue (pipe-separated tag lists, multi-hot tag columns, catalogue category
ids), class weights for rare attributes, product photos of many sizes and formats (JPEG, PNG cut-outs
with an alpha channel, WebP from the new supplier feed), ``tf.data`` pipelines built from the CSV,
transfer learning with ``keras.applications`` at ``weights=None``, models saved and reloaded, and a
TF Lite export for the shopping app, spread over the cause ids of the taxonomy:

- files: a CDN "403 Forbidden" HTML page saved as ``sku_....jpg`` by the image scraper, decoded with
  ``tf.io.decode_image`` in the CSV pipeline; a new-season export that is all ``.webp`` read with
  ``image_dataset_from_directory``;
- image sizes: ``tf.image.central_crop`` taken for a fixed-size crop of photos of several sizes, then
  batched;
- channels: transparent PNG cut-outs decoded with ``decode_image``'s default ``channels=0`` and batched
  with the RGB JPEGs; an RGBA new-arrival PNG given to ``predict`` without ``convert("RGB")``
  (notebook);
- boxes: lookbook garment boxes dragged right to left in the annotation tool, cut with
  ``crop_to_bounding_box`` in the ``tf.data`` map;
- labels: catalogue category ids 1..6 for a six-way sparse softmax head (notebook);
- label shapes: the pipe-separated tag lists of the CSV (different lengths) given to
  ``from_tensor_slices``; the three attribute columns stacked into one array for a model whose outputs
  are a dict;
- dtypes: multi-hot tag columns read with the ``csv`` module and left as strings (tf_keras);
- model inputs: a ``MobileNetV2(weights=None, input_shape=(224, 224, 3))`` backbone with a ``Flatten``
  head fed the 160 px photos of the keras.io transfer-learning tutorial;
- model outputs: a tag head sized from the old tag list while the new export has two more tag columns;
- weights: a tf_keras ``.h5`` weights file of the eight-colour tagger loaded after the catalogue added
  a colour;
- API: ``class_weight`` given to the three-head tagger; ``TFLiteConverter.from_saved_model`` given the
  ``.keras`` file;
- divergence: a hand-written weighted binary cross-entropy without clipping (``tf.math.log`` of the
  sigmoid) on raw 0..255 pixels under SGD + momentum, stopped by ``TerminateOnNaN(raise_error=True)``;
- gradients: per-tag positive weights applied to the loss through ``.numpy()`` inside the tape;
- host memory: the whole catalogue preallocated as one float32 array of 512 x 512 photos;
- versions: the 2018 multi-label tutorial's ``from keras.preprocessing.image import
  ImageDataGenerator`` (with ``fit_generator``) under Keras 3.15; a thumbnail helper with
  ``Image.ANTIALIAS`` under Pillow 13 (notebook);
- GPU setup: a callback logging ``tf.config.experimental.get_memory_info("GPU:0")`` in a CPU session;
- workers: photo resizing in a spawn ``ProcessPoolExecutor`` started at module level without a
  ``__main__`` guard;
- plain bugs: ``np.savetxt`` of the SKUs stacked with the tag probabilities under a ``%.4f`` format.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more72.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g167): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402

SRC = "corpus/generators/keras_more72.py"

COLOURS = ["black", "white", "red", "blue", "green", "beige", "grey", "pink"]
CATEGORIES = ["tshirt", "dress", "jeans", "sneakers", "handbag", "jacket"]
PATTERNS = ["solid", "striped", "floral", "checked", "printed"]
TAGS = ["cotton", "denim", "leather", "summer", "winter", "casual", "formal", "sport"]


def _photo(r, h, w, c=3):
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // 4), -(-w // 4), c), dtype=np.uint8)
    out = np.repeat(np.repeat(small, 4, axis=0), 4, axis=1)[:h, :w]
    if c == 4:
        out = out.copy()
        out[..., 3] = 0
        out[h // 8: -h // 8, w // 8: -w // 8, 3] = 255   # the garment, on a transparent background
    return out


def _save(path: Path, arr, fmt=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, format=fmt) if fmt else Image.fromarray(arr).save(path)


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def catalogue(d: Path, n=24, seed=7201, sizes=((64, 64),), ext=lambda i: "jpg", rgba=lambda i: False,
              colour_of=lambda i: i % len(COLOURS)):
    """images/sku_<id>.<ext> and attributes.csv (sku, image, colour, category, category_id, pattern, tags)."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        sku = f"sku_{10001 + i}"
        h, w = sizes[i % len(sizes)]
        e = ext(i)
        c = 4 if rgba(i) else 3
        _save(d / "images" / f"{sku}.{e}", _photo(r, h, w, c), "WEBP" if e == "webp" else None)
        tags = sorted({TAGS[int(k)] for k in r.integers(0, len(TAGS), size=1 + i % 3)})
        rows.append([sku, f"images/{sku}.{e}", COLOURS[colour_of(i)], CATEGORIES[i % len(CATEGORIES)],
                     1 + i % len(CATEGORIES), PATTERNS[i % len(PATTERNS)], "|".join(tags)])
    _csv(d / "attributes.csv", ["sku", "image", "colour", "category", "category_id", "pattern", "tags"], rows)


def cdn_error_page(d: Path):
    catalogue(d)
    # the scraper saved what the CDN answered for a delisted product
    (d / "images" / "sku_10018.jpg").write_text(
        "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1>"
        "</center>\r\n<hr><center>cloudfront</center>\r\n</body>\r\n</html>\r\n")


def webp_export(d: Path):
    r = _rng(7202)
    for c in CATEGORIES:
        for i in range(4):
            _save(d / "ss25_export" / c / f"{c}_{i:03d}.webp", _photo(r, 64, 64), "WEBP")


def many_sizes(d: Path):
    catalogue(d, sizes=((64, 64), (80, 60), (96, 72), (64, 64), (72, 96)))


def cutouts(d: Path):
    catalogue(d, sizes=((64, 64), (80, 80)), ext=lambda i: "png" if i % 5 == 3 else "jpg",
              rgba=lambda i: i % 5 == 3)


# black and white sell most; beige, grey and pink are rare in this season's range
SKEWED = [0] * 7 + [1] * 5 + [2] * 4 + [3] * 3 + [4] * 2 + [5, 6, 7]


def skewed_colours(d: Path):
    catalogue(d, colour_of=lambda i: SKEWED[i])


def new_arrival(d: Path):
    catalogue(d)
    _save(d / "new_arrivals" / "sku_20417.png", _photo(_rng(7203), 64, 64, 4))


def lookbook(d: Path):
    r = _rng(7204)
    rows = []
    for i in range(16):
        name = f"look_{i:03d}.jpg"
        _save(d / "lookbook" / name, _photo(r, 120, 96))
        x1, y1 = int(r.integers(8, 30)), int(r.integers(8, 30))
        x2, y2 = x1 + int(r.integers(40, 60)), y1 + int(r.integers(50, 80))
        if i == 9:      # dragged from the right edge of the dress to the left
            x1, x2 = x2, x1
        rows.append([name, CATEGORIES[i % len(CATEGORIES)], x1, y1, x2, y2])
    _csv(d / "lookbook" / "garments.csv", ["image", "category", "x1", "y1", "x2", "y2"], rows)


def multihot(ncols):
    def setup(d: Path):
        r = _rng(7205)
        tags = TAGS + ["linen", "waterproof"][: ncols - len(TAGS)]
        rows = []
        for i in range(24):
            sku = f"sku_{10001 + i}"
            _save(d / "images" / f"{sku}.jpg", _photo(r, 64, 64))
            rows.append([sku, f"images/{sku}.jpg"] + [int(v) for v in r.integers(0, 2, size=len(tags))])
        _csv(d / "tags_multihot.csv", ["sku", "image"] + tags, rows)
    return setup


def weights_v3(d: Path):
    catalogue(d)
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        inp = keras.Input((64, 64, 3), name="image")
        x = layers.Rescaling(1 / 255.0)(inp)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outs = [layers.Dense(8, activation="softmax", name="colour")(x),
                layers.Dense(6, activation="softmax", name="category")(x),
                layers.Dense(5, activation="softmax", name="pattern")(x)]
        keras.Model(inp, outs, name="attribute_tagger").save_weights("tagger_v3_weights.h5")
    """, d)


def huge_catalogue(d: Path):
    r = _rng(7206)
    rows = []
    for i in range(61240):
        sku = f"sku_{100001 + i}"
        rows.append([sku, f"images/{sku}.jpg", COLOURS[i % 8], CATEGORIES[i % 6], 1 + i % 6, PATTERNS[i % 5],
                     TAGS[int(r.integers(0, 8))]])
    _csv(d / "attributes.csv", ["sku", "image", "colour", "category", "category_id", "pattern", "tags"], rows)
    catalogue(d, n=6)  # the first photos are on disk (the rest sit on the NAS)
    import csv
    with open(d / "attributes.csv", "a", newline="") as f:
        csv.writer(f).writerows(rows)


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


IMPORTS = """
        import csv
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""

LISTS = f"""
COLOURS = {COLOURS!r}
CATEGORIES = {CATEGORIES!r}
PATTERNS = {PATTERNS!r}
TAGS = {TAGS!r}
"""

TAGGER = """
def build_tagger(size=64, n_colours=len(COLOURS)):
    inp = keras.Input((size, size, 3), name="image")
    x = layers.Rescaling(1 / 255.0)(inp)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, {
        "colour": layers.Dense(n_colours, activation="softmax", name="colour")(x),
        "category": layers.Dense(len(CATEGORIES), activation="softmax", name="category")(x),
        "pattern": layers.Dense(len(PATTERNS), activation="softmax", name="pattern")(x),
    }, name="attribute_tagger")


LOSSES = {"colour": "sparse_categorical_crossentropy",
          "category": "sparse_categorical_crossentropy",
          "pattern": "sparse_categorical_crossentropy"}
"""

ROWS = """
ROOT = "{DATA}"
with open(f"{ROOT}/attributes.csv", newline="") as f:
    rows = list(csv.DictReader(f))
print(len(rows), "products in the catalogue export")
"""

LOAD = """
def load_photo(path, size=64):
    return np.asarray(Image.open(path).convert("RGB").resize((size, size)), "float32")
"""

TAG_HEAD = """
def build_tag_model(n_tags, size=64):
    return keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Rescaling(1 / 255.0),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(n_tags, activation="sigmoid", name="tags"),
    ], name="tag_model")
"""


def code(body):
    return (body.replace("@@LISTS@@", _ind(LISTS)).replace("@@TAGGER@@", _ind(TAGGER))
            .replace("@@ROWS@@", _ind(ROWS)).replace("@@LOAD@@", _ind(LOAD))
            .replace("@@TAG_HEAD@@", _ind(TAG_HEAD)))


def cell(body, imports=False):
    """A notebook cell: the body dedented, the snippets inserted at column 0."""
    import textwrap
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    for key, snip in (("LISTS", LISTS), ("TAGGER", TAGGER), ("ROWS", ROWS), ("LOAD", LOAD),
                      ("TAG_HEAD", TAG_HEAD)):
        b = b.replace(f"@@{key}@@", snip.strip("\n"))
    return b


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


CSV_PIPELINE = """
        paths = [f"{ROOT}/{r['image']}" for r in rows]
        y = {"colour": [COLOURS.index(r["colour"]) for r in rows],
             "category": [CATEGORIES.index(r["category"]) for r in rows],
             "pattern": [PATTERNS.index(r["pattern"]) for r in rows]}
"""

CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more72-cdn-403-page-saved-as-sku-jpg-decode-image-csv-pipeline-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=cdn_error_page,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAGGER@@


        @@ROWS@@
        """ + CSV_PIPELINE + """

        def load(path, labels):
            img = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            return tf.image.resize(img, (64, 64)), labels


        ds = (tf.data.Dataset.from_tensor_slices((paths, y))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = build_tagger()
        model.compile(optimizer="adam", loss=LOSSES,
                      metrics={"colour": "accuracy", "category": "accuracy", "pattern": "accuracy"})
        model.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more72-ss25-supplier-export-all-webp-image-dataset-from-directory-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=webp_export,
        code=code(IMPORTS + """
        @@LISTS@@

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/ss25_export", validation_split=0.2, subset="training", seed=42,
            image_size=(64, 64), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/ss25_export", validation_split=0.2, subset="validation", seed=42,
            image_size=(64, 64), batch_size=8)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CATEGORIES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more72-central-crop-taken-as-fixed-size-product-photos-batched-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=many_sizes,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAGGER@@


        @@ROWS@@
        """ + CSV_PIPELINE + """

        def load(path, labels):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.central_crop(img, 0.875)       # drop the white studio border
            return tf.cast(img, tf.float32), labels


        ds = (tf.data.Dataset.from_tensor_slices((paths, y))
              .shuffle(len(paths), seed=1)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        model = build_tagger(size=56)
        model.compile(optimizer="adam", loss=LOSSES)
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more72-transparent-png-cutouts-decode-image-default-channels-batched-with-jpegs-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=cutouts,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAGGER@@


        @@ROWS@@
        """ + CSV_PIPELINE + """
        print(sorted({os.path.splitext(p)[1] for p in paths}))


        def load(path, labels):
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)   # .jpg and .png
            img = tf.image.resize(img, (64, 64))
            return img, labels


        ds = (tf.data.Dataset.from_tensor_slices((paths, y))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = build_tagger()
        model.compile(optimizer="adam", loss=LOSSES)
        model.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more72-nb-rgba-new-arrival-png-predict-without-convert-rgb-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@TAGGER@@


            @@LOAD@@
            """),
            cell("""
            @@ROWS@@
            x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
            y = {"colour": np.array([COLOURS.index(r["colour"]) for r in rows]),
                 "category": np.array([CATEGORIES.index(r["category"]) for r in rows]),
                 "pattern": np.array([PATTERNS.index(r["pattern"]) for r in rows])}
            model = build_tagger()
            model.compile(optimizer="adam", loss=LOSSES)
            model.fit(x, y, epochs=2, batch_size=8, verbose=2)
            """),
            cell("""
            # tag the new arrivals uploaded by the merchandising team
            img = Image.open("{DATA}/new_arrivals/sku_20417.png").resize((64, 64))
            x_new = np.asarray(img, "float32")[None]
            pred = model.predict(x_new)
            {k: names[int(np.argmax(pred[k]))] for k, names in
             [("colour", COLOURS), ("category", CATEGORIES), ("pattern", PATTERNS)]}
            """),
        ], data=new_arrival),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more72-lookbook-garment-box-dragged-right-to-left-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=lookbook,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@

        ROOT = "{DATA}/lookbook"
        with open(f"{ROOT}/garments.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{ROOT}/{r['image']}" for r in rows]
        boxes = [[int(r["x1"]), int(r["y1"]), int(r["x2"]), int(r["y2"])] for r in rows]
        labels = [CATEGORIES.index(r["category"]) for r in rows]


        def crop_garment(path, box, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            x1, y1, x2, y2 = box[0], box[1], box[2], box[3]
            garment = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            return tf.image.resize(garment, (64, 64)), label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, labels))
              .map(crop_garment).batch(4))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CATEGORIES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=4)
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more72-nb-catalogue-category-ids-from-1-six-way-sparse-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@TAGGER@@


            @@LOAD@@
            """),
            cell("""
            @@ROWS@@
            rows[:3]
            """),
            cell("""
            x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
            y = {"colour": np.array([COLOURS.index(r["colour"]) for r in rows]),
                 "category": np.array([int(r["category_id"]) for r in rows]),   # catalogue taxonomy id
                 "pattern": np.array([PATTERNS.index(r["pattern"]) for r in rows])}
            print({k: (v.min(), v.max()) for k, v in y.items()})
            """),
            cell("""
            model = build_tagger()
            model.compile(optimizer="adam", loss=LOSSES, metrics={"category": "accuracy"})
            history = model.fit(x, y, epochs=5, batch_size=8, validation_split=0.25)
            """),
        ], data=catalogue),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more72-pipe-separated-tag-lists-of-different-lengths-from-tensor-slices-k3",
        cause="data.label_shape",
        also=("data.dtype",),
        exception="ValueError",
        setup=catalogue,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAG_HEAD@@


        @@ROWS@@
        paths = [f"{ROOT}/{r['image']}" for r in rows]
        tag_ids = [[TAGS.index(t) for t in r["tags"].split("|")] for r in rows]
        print(rows[0]["tags"], "->", tag_ids[0])


        def load(path, tags):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (64, 64)), tags


        ds = tf.data.Dataset.from_tensor_slices((paths, tag_ids)).map(load).batch(8)
        model = build_tag_model(len(TAGS))
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True, num_labels=len(TAGS))])
        model.fit(ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more72-three-attribute-columns-stacked-into-one-array-for-dict-outputs-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=catalogue,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAGGER@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = np.array([[COLOURS.index(r["colour"]), CATEGORIES.index(r["category"]),
                       PATTERNS.index(r["pattern"])] for r in rows])
        print("x", x.shape, "y", y.shape)      # y columns: colour, category, pattern

        model = build_tagger()
        model.compile(optimizer="adam", loss=LOSSES)
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more72-multi-hot-tag-columns-read-with-csv-reader-left-as-strings-tfk2",
        cause="data.dtype",
        exception="UnimplementedError",
        env="tfk2",
        setup=multihot(8),
        pty=True,
        code=tfk2(code(IMPORTS + """
        @@TAG_HEAD@@


        @@LOAD@@


        with open("{DATA}/tags_multihot.csv", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            table = np.array(list(reader))
        tag_names = header[2:]
        x = np.stack([load_photo(os.path.join("{DATA}", p)) for p in table[:, 1]])
        y = table[:, 2:]
        print(tag_names, y[:2])

        model = build_tag_model(len(tag_names))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """)),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more72-mobilenetv2-weights-none-224-flatten-head-fed-160-px-photos-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=catalogue,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@

        IMG_SIZE = (160, 160)        # as in the keras.io transfer-learning tutorial
        BATCH = 8

        @@ROWS@@
        paths = [f"{ROOT}/{r['image']}" for r in rows]
        cats = [CATEGORIES.index(r["category"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, IMG_SIZE), label


        ds = tf.data.Dataset.from_tensor_slices((paths, cats)).map(load).batch(BATCH)

        # no internet on the training box: backbone from scratch, weights=None
        base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), include_top=False, weights=None)
        inputs = keras.Input((224, 224, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x)
        x = layers.Flatten()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(len(CATEGORIES), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more72-tag-head-sized-from-old-tag-list-export-has-two-new-tag-columns-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=multihot(10),
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@
        NUM_TAGS = len(TAGS)


        @@TAG_HEAD@@


        @@LOAD@@


        with open("{DATA}/tags_multihot.csv", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            table = list(reader)
        x = np.stack([load_photo(os.path.join("{DATA}", r[1])) for r in table])
        y = np.array([[int(v) for v in r[2:]] for r in table], dtype="float32")
        print("x", x.shape, "y", y.shape)

        model = build_tag_model(NUM_TAGS)
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True), "binary_accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.25)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more72-eight-colour-tagger-h5-weights-loaded-after-burgundy-added-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=weights_v3,
        code=tfk2(code(IMPORTS + """
        @@LISTS@@
        COLOURS.append("burgundy")       # added to the catalogue for AW25


        def build_tagger(n_colours):
            inp = keras.Input((64, 64, 3), name="image")
            x = layers.Rescaling(1 / 255.0)(inp)
            x = layers.Conv2D(16, 3, activation="relu")(x)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(32, 3, activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            outs = [layers.Dense(n_colours, activation="softmax", name="colour")(x),
                    layers.Dense(len(CATEGORIES), activation="softmax", name="category")(x),
                    layers.Dense(len(PATTERNS), activation="softmax", name="pattern")(x)]
            return keras.Model(inp, outs, name="attribute_tagger")


        model = build_tagger(len(COLOURS))
        model.load_weights("{DATA}/tagger_v3_weights.h5")     # fine-tune from last season's tagger
        model.compile(optimizer=keras.optimizers.Adam(1e-4),
                      loss=["sparse_categorical_crossentropy"] * 3)
        """)),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more72-class-weight-dict-for-rare-colours-on-three-head-tagger-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=skewed_colours,
        code=code(IMPORTS + """
        from collections import Counter

        @@LISTS@@


        @@TAGGER@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = {"colour": np.array([COLOURS.index(r["colour"]) for r in rows]),
             "category": np.array([CATEGORIES.index(r["category"]) for r in rows]),
             "pattern": np.array([PATTERNS.index(r["pattern"]) for r in rows])}

        # rare colours (beige, grey, pink) get more weight
        counts = Counter(y["colour"].tolist())
        class_weight = {c: len(rows) / (len(COLOURS) * n) for c, n in counts.items()}
        print("class weights", class_weight)

        model = build_tagger()
        model.compile(optimizer="adam", loss=LOSSES, metrics={"colour": "accuracy"})
        model.fit(x, y, epochs=5, batch_size=8, class_weight=class_weight)
        """),
    ),
    Case(
        name="keras-more72-tflite-converter-from-saved-model-given-keras-file-k3",
        cause="model.api_misuse",
        exception="OSError",
        setup=catalogue,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAG_HEAD@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = np.array([[float(t in r["tags"].split("|")) for t in TAGS] for r in rows], "float32")
        model = build_tag_model(len(TAGS))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=2, batch_size=8, verbose=2)
        model.save("tag_model.keras")

        # ---- export_tflite.py: the shopping app wants a .tflite
        converter = tf.lite.TFLiteConverter.from_saved_model("tag_model.keras")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        tflite_model = converter.convert()
        with open("tag_model.tflite", "wb") as f:
            f.write(tflite_model)
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more72-hand-written-weighted-bce-no-clipping-raw-pixels-sgd-terminate-on-nan-k3",
        cause="optim.divergence",
        exception="RuntimeError",
        setup=catalogue,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])      # 0..255
        y = np.array([[float(t in r["tags"].split("|")) for t in TAGS] for r in rows], "float32")
        pos_weight = tf.constant((len(y) - y.sum(0)) / np.maximum(y.sum(0), 1), tf.float32)
        print("pos_weight", pos_weight.numpy().round(2))


        def weighted_bce(y_true, y_pred):
            loss = -(pos_weight * y_true * tf.math.log(y_pred) + (1.0 - y_true) * tf.math.log(1.0 - y_pred))
            return tf.reduce_mean(loss, axis=-1)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ], name="tag_model")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss=weighted_bce)
        model.fit(x, y, epochs=20, batch_size=8,
                  callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more72-per-tag-positive-weights-applied-through-numpy-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=catalogue,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAG_HEAD@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = np.array([[float(t in r["tags"].split("|")) for t in TAGS] for r in rows], "float32")
        pos_weight = (len(y) - y.sum(0)) / np.maximum(y.sum(0), 1)

        model = build_tag_model(len(TAGS))
        optimizer = keras.optimizers.Adam(1e-3)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(8)

        for epoch in range(3):
            for step, (xb, yb) in enumerate(ds):
                with tf.GradientTape() as tape:
                    probs = model(xb, training=True)
                    per_tag = keras.ops.binary_crossentropy(yb, probs).numpy()
                    weights = np.where(yb.numpy() == 1.0, pos_weight, 1.0)
                    loss = tf.constant(np.mean(per_tag * weights))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more72-whole-catalogue-preallocated-float32-512px-array-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=huge_catalogue,
        as_limit=8 * 1024**3,
        code=code(IMPORTS + """
        @@LISTS@@
        IMG = 512            # zoomable product photos: keep the detail for the pattern head

        @@ROWS@@

        # load everything once, then model.fit on arrays (the tf.data version was "too slow")
        X = np.zeros((len(rows), IMG, IMG, 3), dtype=np.float32)
        for i, r in enumerate(rows):
            p = f"{ROOT}/{r['image']}"
            if os.path.exists(p):
                X[i] = np.asarray(Image.open(p).convert("RGB").resize((IMG, IMG)), np.float32) / 255.0
        print("loaded", X.shape)
        """),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more72-2018-multi-label-tutorial-image-data-generator-import-keras-3-15-k3",
        cause="env.version_incompat",
        exception="ImportError",
        setup=catalogue,
        code=code(IMPORTS + """
        from keras.preprocessing.image import ImageDataGenerator

        @@LISTS@@

        EPOCHS = 10
        INIT_LR = 1e-3
        BS = 8

        @@LOAD@@


        @@ROWS@@
        data = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows]) / 255.0
        # multi-label: the colour and the category of every product, multi-hot
        classes = COLOURS + CATEGORIES
        labels = np.array([[float(c in (r["colour"], r["category"])) for c in classes] for r in rows])
        split = int(len(data) * 0.8)
        trainX, testX, trainY, testY = data[:split], data[split:], labels[:split], labels[split:]

        aug = ImageDataGenerator(rotation_range=25, width_shift_range=0.1, height_shift_range=0.1,
                                 shear_range=0.2, zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(3),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(len(classes), activation="sigmoid"),
        ])
        opt = keras.optimizers.Adam(learning_rate=INIT_LR)
        model.compile(loss="binary_crossentropy", optimizer=opt, metrics=["accuracy"])

        H = model.fit_generator(
            aug.flow(trainX, trainY, batch_size=BS),
            validation_data=(testX, testY),
            steps_per_epoch=len(trainX) // BS,
            epochs=EPOCHS, verbose=1)
        """),
    ),
    Case(
        name="keras-more72-nb-thumbnail-helper-image-antialias-under-pillow-13-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@
            """),
            cell("""
            @@ROWS@@
            """),
            cell("""
            def load_thumb(path, size=64):
                img = Image.open(path).convert("RGB")
                img = img.resize((size, size), Image.ANTIALIAS)
                return np.asarray(img, "float32")


            x = np.stack([load_thumb(f"{ROOT}/{r['image']}") for r in rows])
            x.shape
            """),
        ], data=catalogue),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more72-gpu-memory-logger-callback-get-memory-info-gpu0-cpu-session-k3",
        cause="env.cuda_setup",
        exception="ValueError",
        setup=catalogue,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAGGER@@


        @@LOAD@@


        class GPUMemoryLogger(keras.callbacks.Callback):
            \"\"\"Peak GPU memory per epoch, to pick the batch size for the 224 px run.\"\"\"

            def on_epoch_end(self, epoch, logs=None):
                info = tf.config.experimental.get_memory_info("GPU:0")
                print(f" - peak GPU memory {info['peak'] / 2**20:.0f} MiB")
                tf.config.experimental.reset_memory_stats("GPU:0")


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = {"colour": np.array([COLOURS.index(r["colour"]) for r in rows]),
             "category": np.array([CATEGORIES.index(r["category"]) for r in rows]),
             "pattern": np.array([PATTERNS.index(r["pattern"]) for r in rows])}

        model = build_tagger()
        model.compile(optimizer="adam", loss=LOSSES)
        model.fit(x, y, epochs=5, batch_size=8, callbacks=[GPUMemoryLogger()])
        """),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more72-spawn-process-pool-resizing-photos-at-module-level-no-main-guard-k3",
        cause="env.multiprocessing",
        exception="BrokenProcessPool",
        setup=lambda d: catalogue(d, ext=lambda i: "webp" if i % 4 == 1 else "jpg"),
        timeout=400,
        code=code(IMPORTS + """
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        @@LISTS@@


        def resize_photo(path, size=64):
            return np.asarray(Image.open(path).convert("RGB").resize((size, size)), "float32")


        @@ROWS@@
        paths = [f"{ROOT}/{r['image']}" for r in rows]

        # "spawn" because forking after TensorFlow is initialised can deadlock
        with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as pool:
            x = np.stack(list(pool.map(resize_photo, paths, chunksize=4)))
        y = np.array([CATEGORIES.index(r["category"]) for r in rows])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CATEGORIES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, y, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more72-savetxt-skus-stacked-with-tag-probabilities-float-format-k3",
        cause="other",
        exception="TypeError",
        setup=catalogue,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@TAG_HEAD@@


        @@LOAD@@


        @@ROWS@@
        x = np.stack([load_photo(f"{ROOT}/{r['image']}") for r in rows])
        y = np.array([[float(t in r["tags"].split("|")) for t in TAGS] for r in rows], "float32")
        model = build_tag_model(len(TAGS))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=3, batch_size=8)

        # tag probabilities for the catalogue team's import tool
        probs = model.predict(x, batch_size=8)
        skus = np.array([r["sku"] for r in rows])
        np.savetxt("tag_predictions.csv", np.column_stack([skus, probs]), delimiter=",",
                   fmt="%.4f", header="sku," + ",".join(TAGS), comments="")
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
