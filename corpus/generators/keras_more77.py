"""Untargeted held-out Keras / TensorFlow failures (g178, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of real-estate and interior-design startups
training Keras / tf.keras models on listing photos: room-type classifiers (bathroom, bedroom, kitchen
...), photo-quality scorers that pick a listing's cover photo, floor-plan segmentation U-Nets, multi-input
models that combine a photo with tabular listing data (price, bedrooms, bathrooms, area), several photos
per listing, listing CSVs exported from the MLS feed with missing values and text in number columns
(``"1,250 sqft"``, ``"N/A"``), photos of every size and format scraped from listing sites (2:1
panoramas, tiny thumbnails, CMYK brochure JPEGs, PNG floor plans with transparency, SVG floor plans),
and models served to the web app, spread over the cause ids of the taxonomy:

- files: a listing whose photos were taken down after the CSV export, read with ``tf.io.read_file`` in
  the ``tf.data`` map of the photo + tabular model; an SVG floor plan saved under a ``.png`` name by the
  scraper, opened with PIL (notebook);
- image sizes: listing photos shrunk with PIL's ``thumbnail`` (which keeps the aspect ratio, so the
  panoramas come out half as tall) and stacked per listing; ``tf.image.resize(...,
  preserve_aspect_ratio=True)`` in the scraped-photo pipeline, then batched (tf_keras);
- channels: RGBA floor-plan PNGs (transparent background) read with PIL and given to a three-channel
  floor-plan segmenter; a CMYK brochure JPEG uploaded to the web app given to ``predict`` (notebook);
- boxes: furniture boxes of the labelling tool in normalised YOLO ``cx, cy, w, h`` read as pixels for
  ``crop_to_bounding_box``;
- labels: the MLS ``room_type_id`` column, whose ``6`` means "other", for the six-way room classifier;
- label shapes: one quality score per listing given with the photos of all listings flattened; integer
  room labels under ``categorical_crossentropy`` (tf_keras);
- dtypes: the tabular columns read with the ``csv`` module and given to ``fit`` as strings; ``tf.math.log``
  of the ``int64`` price column inside the ``tf.data`` map;
- model inputs: a listing with seven photos given to the ``TimeDistributed`` model built for five; a web
  upload resized with PIL's ``resize((height, width))`` for a ``Flatten`` room classifier (notebook);
- model outputs: a floor-plan U-Net with one upsampling block fewer than its pooling blocks;
- weights: the price model's ``.weights.h5`` loaded after a ``bathrooms`` column was added to the
  tabular input;
- API: the photo + tabular model fitted with a dict whose keys are not its input names;
- divergence: a price regressor on unscaled square feet and dollars under SGD with
  ``tf.debugging.enable_check_numerics``;
- gradients: a pairwise cover-photo ranking loss built from ``tf.argmax`` of the scores;
- host memory: every listing's panoramas preallocated at full resolution as one float32 array;
- versions: ``model.fit_generator`` from a 2019 listing-photo tutorial under Keras 3 (notebook);
- workers: thumbnails made with ``ProcessPoolExecutor.map`` over a ``lambda``;
- plain bugs: the web app's top-5 cover-photo pick with ``np.argpartition`` on a listing with three photos.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more77.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g178): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import os
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SRC = "corpus/generators/keras_more77.py"

ROOMS = ["bathroom", "bedroom", "dining_room", "exterior", "kitchen", "living_room"]
FLOOR_CLASSES = ["background", "wall", "room", "door", "window"]


# ---------------------------------------------------------------- data helpers
def _photo(r, h, w, c=3, block=4):
    """A smooth-ish random listing photo (uint8) of shape (h, w, c)."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), c), dtype=np.uint8)
    out = np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w]
    return out[..., 0] if c == 1 else out


def _save(path: Path, arr, fmt=None, mode=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    img.save(path, format=fmt) if fmt else img.save(path)


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def room_folders(d: Path, per=5, size=(64, 64), seed=7701):
    """rooms/<room type>/<room>_<i>.jpg: labelled listing photos, one folder per room type."""
    r = _rng(seed)
    for c in ROOMS:
        for i in range(per):
            _save(d / "rooms" / c / f"{c}_{i:04d}.jpg", _photo(r, size[0], size[1]))


def listings(d: Path, n=40, photos=lambda i: 3, size=lambda i, k: (64, 64), seed=7702, dirty=False,
             taken_down=(), room_ids=False, bathrooms=False):
    """listings.csv (listing_id, price, bedrooms, [bathrooms,] area_sqft, n_photos, quality[, room_type_id])
    and photos/<listing_id>/<k>.jpg."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        lid = f"MLS{4810230 + i * 17}"
        k_photos = photos(i)
        if i not in taken_down:
            for k in range(k_photos):
                h, w = size(i, k)
                _save(d / "photos" / lid / f"{k}.jpg", _photo(r, h, w))
        beds = int(r.integers(1, 6))
        area = int(r.integers(450, 4200))
        price = int(area * r.uniform(180, 620)) // 1000 * 1000
        row = [lid, price, beds]
        if bathrooms:
            row.append(int(r.integers(1, 4)))
        row += [area, k_photos, round(float(r.uniform(1, 5)), 2)]
        if dirty:
            if i % 7 == 3:
                row[1] = "N/A"
            if i % 5 == 1:
                row[-3] = f"{row[-3]:,}"
        if room_ids:
            row.append(int(r.integers(0, 7)) if i % 9 else 6)   # 6 = "other" in the MLS feed
        rows.append(row)
    header = ["listing_id", "price", "bedrooms"] + (["bathrooms"] if bathrooms else []) + \
        ["area_sqft", "n_photos", "quality"] + (["room_type_id"] if room_ids else [])
    _csv(d / "listings.csv", header, rows)


def floor_plans(d: Path, n=16, size=128, mode="RGB", svg_one=False, seed=7703):
    """floorplans/plan_<i>.png and floorplans/masks/plan_<i>.png (class ids 0..4)."""
    import numpy as np
    r = _rng(seed)
    for i in range(n):
        plan = np.full((size, size, 3), 255, np.uint8)
        mask = np.zeros((size, size), np.uint8)
        for _ in range(4):
            y0, x0 = (int(v) for v in r.integers(4, size // 2, size=2))
            y1, x1 = y0 + int(r.integers(20, size // 2)), x0 + int(r.integers(20, size // 2))
            plan[y0:y1, x0:x1] = 230
            mask[y0:y1, x0:x1] = 2
            plan[y0:y1, [x0, x1 - 1]] = 0
            plan[[y0, y1 - 1], x0:x1] = 0
            mask[y0:y1, [x0, x1 - 1]] = 1
            mask[[y0, y1 - 1], x0:x1] = 1
        mask[2:6, 40:52] = 3
        mask[size - 6:size - 2, 60:76] = 4
        p = d / "floorplans" / f"plan_{i:03d}.png"
        if svg_one and i == 5:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                         '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900" '
                         'viewBox="0 0 1200 900"><rect x="40" y="40" width="520" height="380" '
                         'fill="none" stroke="#000" stroke-width="6"/></svg>\n')
        elif mode == "RGBA":
            rgba = np.dstack([plan, np.where(mask > 0, 255, 0).astype(np.uint8)])
            _save(p, rgba)
        else:
            _save(p, plan)
        _save(d / "floorplans" / "masks" / f"plan_{i:03d}.png", mask)


def furniture(d: Path, n=12, seed=7704):
    """staging/<img>.jpg (room photos, 160 x 120) and furniture.csv: YOLO rows (image, class, cx, cy, w, h)
    normalised to 0..1, as the labelling tool exports them."""
    r = _rng(seed)
    rows = []
    styles = ["modern", "scandinavian", "industrial", "mid_century"]
    for i in range(n):
        name = f"staging_{i:04d}.jpg"
        _save(d / "staging" / name, _photo(r, 120, 160))
        for _ in range(2):
            w, h = r.uniform(0.15, 0.4), r.uniform(0.2, 0.45)
            cx, cy = r.uniform(w / 2 + 0.02, 1 - w / 2 - 0.02), r.uniform(h / 2 + 0.02, 1 - h / 2 - 0.02)
            rows.append([name, styles[int(r.integers(0, 4))]] + [f"{v:.4f}" for v in (cx, cy, w, h)])
    _csv(d / "furniture.csv", ["image", "style", "cx", "cy", "w", "h"], rows)


def uploads(d: Path, cmyk=False, seed=7705):
    from PIL import Image
    r = _rng(seed)
    p = d / "uploads" / "brochure_front.jpg"
    p.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(_photo(r, 300, 420))
    (img.convert("CMYK") if cmyk else img).save(p, quality=92)


def price_weights(d: Path):
    listings(d)
    prep("k3", """
        import keras
        from keras import layers
        photo = keras.Input((64, 64, 3), name="photo")
        tab = keras.Input((3,), name="tabular")
        x = layers.Rescaling(1 / 255.0)(photo)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        t = layers.Dense(16, activation="relu")(tab)
        z = layers.Concatenate()([x, t])
        z = layers.Dense(32, activation="relu")(z)
        out = layers.Dense(1, name="log_price")(z)
        model = keras.Model([photo, tab], out, name="price_model")
        model.save_weights("price_model_v3.weights.h5")
    """, d)


# ---------------------------------------------------------------- code snippets
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

LISTS = """
ROOMS = ["bathroom", "bedroom", "dining_room", "exterior", "kitchen", "living_room"]
"""

ROOM_CNN = """
def build_room_classifier(num_classes=len(ROOMS), size=64):
    return keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Rescaling(1 / 255.0),
        layers.RandomFlip("horizontal"),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ], name="room_type")
"""

PRICE_MODEL = """
def build_price_model(n_tab=3):
    photo = keras.Input((64, 64, 3), name="photo")
    tab = keras.Input((n_tab,), name="tabular")
    x = layers.Rescaling(1 / 255.0)(photo)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    t = layers.Dense(16, activation="relu")(tab)
    z = layers.Concatenate()([x, t])
    z = layers.Dense(32, activation="relu")(z)
    out = layers.Dense(1, name="log_price")(z)
    return keras.Model([photo, tab], out, name="price_model")
"""

READ_CSV = """
with open("{DATA}/listings.csv", newline="") as f:
    rows = list(csv.DictReader(f))
print(len(rows), "listings")
"""


def _ind(src, indent="        "):
    return "\n".join((indent + ln) if ln else ln for ln in src.strip("\n").splitlines()).lstrip()


SNIPS = {"LISTS": LISTS, "ROOM_CNN": ROOM_CNN, "PRICE_MODEL": PRICE_MODEL, "READ_CSV": READ_CSV}


def code(body):
    for k, v in SNIPS.items():
        body = body.replace(f"@@{k}@@", _ind(v))
    return body


def cell(body, imports=False):
    """A notebook cell: the body dedented, the snippets inserted at column 0."""
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    for k, v in SNIPS.items():
        b = b.replace(f"@@{k}@@", v.strip("\n"))
    return b


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


ROOM_ARRAYS = """
        paths = sorted(glob.glob("{DATA}/rooms/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32") for p in paths])
        y = np.array([ROOMS.index(os.path.basename(os.path.dirname(p))) for p in paths])
        print(x.shape, y.shape)
"""

CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more77-listing-photos-taken-down-after-csv-export-read-file-in-map-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=lambda d: listings(d, taken_down=(29,)),
        pty=True,
        code=code(IMPORTS + """
        @@PRICE_MODEL@@


        @@READ_CSV@@
        cover = [os.path.join("{DATA}/photos", r["listing_id"], "0.jpg") for r in rows]
        tab = np.array([[float(r["bedrooms"]), float(r["area_sqft"]) / 1000, float(r["n_photos"])] for r in rows],
                       dtype="float32")
        y = np.log(np.array([float(r["price"]) for r in rows], dtype="float32"))


        def load(path, t, target):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64))
            return {"photo": img, "tabular": t}, target


        ds = tf.data.Dataset.from_tensor_slices((cover, tab, y)).map(load).batch(8).prefetch(2)
        model = build_price_model()
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more77-nb-svg-floor-plan-saved-as-png-by-scraper-pil-open-k3",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        **notebook([
            cell(imports=True, body="""
            FLOOR_CLASSES = ["background", "wall", "room", "door", "window"]
            """),
            cell("""
            plan_paths = sorted(glob.glob("{DATA}/floorplans/plan_*.png"))
            len(plan_paths)
            """),
            cell("""
            plans, masks = [], []
            for p in plan_paths:
                plan = Image.open(p).convert("RGB").resize((128, 128))
                mask = Image.open(p.replace("/floorplans/", "/floorplans/masks/")).resize((128, 128), Image.NEAREST)
                plans.append(np.asarray(plan, "float32") / 255.0)
                masks.append(np.asarray(mask, "int32"))
            X, Y = np.stack(plans), np.stack(masks)
            X.shape, Y.shape
            """),
        ], data=lambda d: floor_plans(d, svg_one=True)),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more77-listing-photos-pil-thumbnail-keeps-panorama-aspect-stacked-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=lambda d: listings(d, n=12, size=lambda i, k: (64, 128) if (i == 7 and k == 2) else (96, 96)),
        code=code(IMPORTS + """
        MAX_PHOTOS = 3

        @@READ_CSV@@


        def listing_photos(listing_id):
            out = []
            for p in sorted(glob.glob(f"{DATA}/photos/{listing_id}/*.jpg"))[:MAX_PHOTOS]:
                img = Image.open(p).convert("RGB")
                img.thumbnail((64, 64))           # shrink in place, fast
                out.append(np.asarray(img, "float32") / 255.0)
            return np.stack(out)


        X = []
        for r in rows:
            X.append(listing_photos(r["listing_id"]))
        X = np.stack(X)
        q = np.array([float(r["quality"]) for r in rows], "float32")
        print(X.shape, q.shape)
        """),
    ),
    Case(
        name="keras-more77-scraped-photos-resize-preserve-aspect-ratio-then-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=lambda d: room_folders(d, per=4) or _odd_rooms(d),
        pty=True,
        code=tfk2(code(IMPORTS + """
        @@LISTS@@


        @@ROOM_CNN@@


        paths = sorted(glob.glob("{DATA}/rooms/*/*.jpg"))
        labels = [ROOMS.index(os.path.basename(os.path.dirname(p))) for p in paths]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # don't squash the panoramas and the portrait phone shots
            img = tf.image.resize(img, (64, 64), preserve_aspect_ratio=True)
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=3).map(load).batch(8))
        model = build_room_classifier()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """)),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more77-rgba-floor-plan-pngs-transparent-background-three-channel-segmenter-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=lambda d: floor_plans(d, mode="RGBA"),
        code=code(IMPORTS + """
        FLOOR_CLASSES = ["background", "wall", "room", "door", "window"]

        plan_paths = sorted(glob.glob("{DATA}/floorplans/plan_*.png"))
        X = np.stack([np.asarray(Image.open(p), "float32") / 255.0 for p in plan_paths])
        Y = np.stack([np.asarray(Image.open(p.replace("/floorplans/", "/floorplans/masks/")), "int32")
                      for p in plan_paths])
        print("plans", X.shape, "masks", Y.shape)

        inp = keras.Input((128, 128, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m1 = layers.Concatenate()([u1, c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
        out = layers.Conv2D(len(FLOOR_CLASSES), 1, activation="softmax")(c3)
        model = keras.Model(inp, out, name="floorplan_unet")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, Y, batch_size=4, epochs=5, validation_split=0.25)
        """),
    ),
    Case(
        name="keras-more77-nb-cmyk-brochure-jpeg-uploaded-to-web-app-predict-k3",
        cause="data.image_channels",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@ROOM_CNN@@
            """),
            cell(ROOM_ARRAYS),
            cell("""
            model = build_room_classifier()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=2, batch_size=8, verbose=2)
            """),
            cell("""
            # what the /classify endpoint does with an upload
            def classify(file):
                img = Image.open(file).resize((64, 64))
                probs = model.predict(np.asarray(img, "float32")[None], verbose=0)[0]
                return {room: round(float(p), 3) for room, p in zip(ROOMS, probs)}

            classify("{DATA}/uploads/brochure_front.jpg")
            """),
        ], data=lambda d: (room_folders(d), uploads(d, cmyk=True))),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more77-yolo-normalised-furniture-boxes-read-as-pixels-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=furniture,
        code=code(IMPORTS + """
        STYLES = ["modern", "scandinavian", "industrial", "mid_century"]

        with open("{DATA}/furniture.csv", newline="") as f:
            boxes = list(csv.DictReader(f))
        print(len(boxes), "furniture boxes")

        crops, labels = [], []
        for b in boxes:
            img = tf.io.decode_jpeg(tf.io.read_file(os.path.join("{DATA}/staging", b["image"])), channels=3)
            cx, cy, w, h = (float(b[k]) for k in ("cx", "cy", "w", "h"))
            x0, y0 = int(cx - w / 2), int(cy - h / 2)
            crop = tf.image.crop_to_bounding_box(img, y0, x0, int(h), int(w))
            crops.append(tf.image.resize(crop, (64, 64)))
            labels.append(STYLES.index(b["style"]))

        x = tf.stack(crops)
        y = np.array(labels)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STYLES), activation="softmax"),
        ], name="furniture_style")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more77-mls-room-type-id-6-other-for-six-way-room-classifier-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=lambda d: listings(d, n=48, room_ids=True),
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@ROOM_CNN@@


        @@READ_CSV@@
        x = np.stack([np.asarray(Image.open(os.path.join("{DATA}/photos", r["listing_id"], "0.jpg"))
                                 .convert("RGB").resize((64, 64)), "float32") for r in rows])
        y = np.array([int(r["room_type_id"]) for r in rows])      # the MLS feed's room type of the cover
        print(x.shape, np.bincount(y))

        model = build_room_classifier()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=4, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more77-one-quality-score-per-listing-photos-of-all-listings-flattened-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=lambda d: listings(d, n=20),
        code=code(IMPORTS + """
        @@READ_CSV@@
        photos, scores = [], []
        for r in rows:
            for p in sorted(glob.glob(f"{DATA}/photos/{r['listing_id']}/*.jpg")):
                photos.append(np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32"))
            scores.append(float(r["quality"]))           # the photographer's rating of the listing
        X = np.stack(photos)
        q = np.array(scores, "float32")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="photo_quality")
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(X, q, epochs=5, batch_size=8)
        """),
    ),
    Case(
        name="keras-more77-integer-room-labels-categorical-crossentropy-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=room_folders,
        code=tfk2(code(IMPORTS + """
        @@LISTS@@


        @@ROOM_CNN@@

        """ + ROOM_ARRAYS + """
        model = build_room_classifier()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """)),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more77-tabular-columns-from-csv-module-left-as-strings-to-fit-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=lambda d: listings(d, dirty=True),
        code=code(IMPORTS + """
        @@PRICE_MODEL@@


        @@READ_CSV@@
        photos = np.stack([np.asarray(Image.open(os.path.join("{DATA}/photos", r["listing_id"], "0.jpg"))
                                      .convert("RGB").resize((64, 64)), "float32") for r in rows])
        tab = np.array([[r["bedrooms"], r["area_sqft"], r["n_photos"]] for r in rows])
        y = np.array([np.log(float(r["price"])) if r["price"] != "N/A" else np.nan for r in rows], "float32")
        keep = ~np.isnan(y)
        print(photos[keep].shape, tab[keep].shape, tab[:3])

        model = build_price_model()
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit([photos[keep], tab[keep]], y[keep], epochs=10, batch_size=8)
        """),
    ),
    Case(
        name="keras-more77-tf-math-log-of-int64-price-column-in-tf-data-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=listings,
        code=code(IMPORTS + """
        @@PRICE_MODEL@@


        @@READ_CSV@@
        cover = [os.path.join("{DATA}/photos", r["listing_id"], "0.jpg") for r in rows]
        tab = np.array([[int(r["bedrooms"]), int(r["area_sqft"]) / 1000, int(r["n_photos"])] for r in rows],
                       dtype="float32")
        price = np.array([int(r["price"]) for r in rows])


        def load(path, t, p):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64))
            return (img, t), tf.math.log(p)


        ds = tf.data.Dataset.from_tensor_slices((cover, tab, price)).map(load).shuffle(64).batch(8)
        model = build_price_model()
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(ds, epochs=5)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more77-listing-with-seven-photos-to-timedistributed-model-built-for-five-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=lambda d: listings(d, n=24, photos=lambda i: 7 if i == 23 else 5),
        code=code(IMPORTS + """
        MAX_PHOTOS = 5

        @@READ_CSV@@


        def listing_photos(listing_id):
            files = sorted(glob.glob(f"{DATA}/photos/{listing_id}/*.jpg"))
            return np.stack([np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32") for p in files])


        train = rows[:20]
        X = np.stack([listing_photos(r["listing_id"]) for r in train])
        q = np.array([float(r["quality"]) for r in train], "float32")

        frame_cnn = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        inp = keras.Input((MAX_PHOTOS, 64, 64, 3))
        z = layers.TimeDistributed(frame_cnn)(inp)
        z = layers.Flatten()(z)
        out = layers.Dense(1, name="listing_quality")(z)
        model = keras.Model(inp, out, name="listing_quality")
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, q, epochs=3, batch_size=4, verbose=2)


        # --- the web app: score every new listing
        for r in rows[20:]:
            photos = listing_photos(r["listing_id"])
            score = float(model.predict(photos[None], verbose=0)[0, 0])
            print(r["listing_id"], len(photos), "photos, quality", round(score, 2))
        """),
    ),
    Case(
        name="keras-more77-nb-web-upload-pil-resize-height-width-order-flatten-room-classifier-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@
            H, W = 96, 128          # listing photos are 4:3 landscape
            """),
            cell("""
            paths = sorted(glob.glob("{DATA}/rooms/*/*.jpg"))
            x = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])
            y = np.array([ROOMS.index(os.path.basename(os.path.dirname(p))) for p in paths])
            x.shape
            """),
            cell("""
            inp = keras.Input((H, W, 3), name="photo")
            z = layers.Rescaling(1 / 255.0)(inp)
            z = layers.Conv2D(8, 3, activation="relu")(z)
            z = layers.MaxPooling2D(4)(z)
            z = layers.Flatten()(z)
            z = layers.Dense(64, activation="relu")(z)
            out = layers.Dense(len(ROOMS), activation="softmax")(z)
            model = keras.Model(inp, out, name="room_type_flat")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=2, batch_size=8, verbose=2)
            """),
            cell("""
            upload = Image.open("{DATA}/uploads/brochure_front.jpg").convert("RGB")
            img = upload.resize((H, W))
            probs = model.predict(np.asarray(img, "float32")[None])
            ROOMS[int(probs.argmax())]
            """),
        ], data=lambda d: (room_folders(d, size=(96, 128)), uploads(d))),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more77-floor-plan-unet-one-upsampling-block-fewer-than-pooling-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=floor_plans,
        code=code(IMPORTS + """
        FLOOR_CLASSES = ["background", "wall", "room", "door", "window"]

        plan_paths = sorted(glob.glob("{DATA}/floorplans/plan_*.png"))
        X = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") / 255.0 for p in plan_paths])
        Y = np.stack([np.asarray(Image.open(p.replace("/floorplans/", "/floorplans/masks/")), "int32")
                      for p in plan_paths])


        def conv_block(x, n):
            x = layers.Conv2D(n, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(n, 3, padding="same", activation="relu")(x)


        inp = keras.Input((128, 128, 3))
        c1 = conv_block(inp, 16)
        c2 = conv_block(layers.MaxPooling2D()(c1), 32)
        c3 = conv_block(layers.MaxPooling2D()(c2), 64)
        b = conv_block(layers.MaxPooling2D()(c3), 128)
        u3 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c3]), 64)
        u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u3), c2]), 32)
        out = layers.Conv2D(len(FLOOR_CLASSES), 1, activation="softmax")(u2)
        model = keras.Model(inp, out, name="floorplan_unet")
        print(model.output_shape)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, Y, batch_size=4, epochs=10)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more77-price-model-weights-loaded-after-bathrooms-column-added-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=lambda d: (price_weights(d), listings(d, bathrooms=True)),
        code=code(IMPORTS + """
        @@PRICE_MODEL@@


        @@READ_CSV@@
        photos = np.stack([np.asarray(Image.open(os.path.join("{DATA}/photos", r["listing_id"], "0.jpg"))
                                      .convert("RGB").resize((64, 64)), "float32") for r in rows])
        tab = np.array([[float(r["bedrooms"]), float(r["bathrooms"]), float(r["area_sqft"]) / 1000,
                         float(r["n_photos"])] for r in rows], "float32")
        y = np.log(np.array([float(r["price"]) for r in rows], "float32"))

        model = build_price_model(n_tab=tab.shape[1])
        model.load_weights("{DATA}/price_model_v3.weights.h5")     # warm start from last month's model
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse", metrics=["mae"])
        model.fit([photos, tab], y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more77-photo-tabular-model-fit-dict-keys-not-input-names-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=listings,
        code=code(IMPORTS + """
        @@PRICE_MODEL@@


        @@READ_CSV@@
        photos = np.stack([np.asarray(Image.open(os.path.join("{DATA}/photos", r["listing_id"], "0.jpg"))
                                      .convert("RGB").resize((64, 64)), "float32") for r in rows])
        tab = np.array([[float(r["bedrooms"]), float(r["area_sqft"]) / 1000, float(r["n_photos"])] for r in rows],
                       "float32")
        y = np.log(np.array([float(r["price"]) for r in rows], "float32"))

        model = build_price_model()
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit({"image": photos, "features": tab}, y, epochs=5, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more77-price-regressor-unscaled-sqft-dollars-sgd-enable-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=lambda d: listings(d, n=64),
        pty=True,
        code=code(IMPORTS + """
        tf.debugging.enable_check_numerics()

        @@READ_CSV@@
        x = np.array([[float(r["bedrooms"]), float(r["area_sqft"]), float(r["n_photos"])] for r in rows], "float32")
        y = np.array([float(r["price"]) for r in rows], "float32")      # dollars
        print("area", x[:, 1].min(), "-", x[:, 1].max(), " price", y.min(), "-", y.max())

        model = keras.Sequential([
            keras.Input((3,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(16, activation="relu"),
            layers.Dense(1),
        ], name="tabular_price")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=20, batch_size=16)
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more77-cover-photo-ranking-loss-built-from-tf-argmax-of-scores-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=lambda d: listings(d, n=16, photos=lambda i: 4),
        code=code(IMPORTS + """
        @@READ_CSV@@
        # every listing: 4 photos, the agent picked photo 0 as the cover
        X = np.stack([np.stack([np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32")
                                for p in sorted(glob.glob(f"{DATA}/photos/{r['listing_id']}/*.jpg"))])
                      for r in rows])
        cover = np.zeros(len(rows), "int64")

        scorer = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="cover_scorer")
        optimizer = keras.optimizers.Adam(1e-3)
        ds = tf.data.Dataset.from_tensor_slices((X, cover)).batch(4)

        for epoch in range(5):
            for xb, cb in ds:
                with tf.GradientTape() as tape:
                    scores = tf.reshape(scorer(tf.reshape(xb, (-1, 64, 64, 3)), training=True), (-1, 4))
                    picked = tf.argmax(scores, axis=1)
                    # fraction of listings where the model's pick is not the agent's cover
                    loss = tf.reduce_mean(tf.cast(tf.not_equal(picked, cb), tf.float32))
                grads = tape.gradient(loss, scorer.trainable_variables)
                optimizer.apply_gradients(zip(grads, scorer.trainable_variables))
            print(f"epoch {epoch + 1}: pick error {float(loss):.3f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more77-all-listing-panoramas-preallocated-full-resolution-float32-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=lambda d: listings(d, n=300, photos=lambda i: 1 if i < 6 else 0),
        as_limit=8 * 1024**3,
        code=code(IMPORTS + """
        PANO_H, PANO_W = 4096, 8192       # 360 tours exported from the camera app
        MAX_PANOS = 6

        @@READ_CSV@@
        X = np.zeros((len(rows), MAX_PANOS, PANO_H, PANO_W, 3), dtype=np.float32)
        for i, r in enumerate(rows):
            for j, p in enumerate(sorted(glob.glob(f"{DATA}/photos/{r['listing_id']}/*.jpg"))[:MAX_PANOS]):
                X[i, j] = np.asarray(Image.open(p).convert("RGB").resize((PANO_W, PANO_H)), "float32") / 255.0
        print("panoramas", X.shape)
        """),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more77-nb-fit-generator-from-2019-listing-photo-tutorial-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@ROOM_CNN@@
            """),
            cell("""
            paths = sorted(glob.glob("{DATA}/rooms/*/*.jpg"))
            labels = np.array([ROOMS.index(os.path.basename(os.path.dirname(p))) for p in paths])


            def batches(batch_size=8):
                while True:
                    idx = np.random.permutation(len(paths))
                    for s in range(0, len(idx) - batch_size + 1, batch_size):
                        b = idx[s:s + batch_size]
                        xb = np.stack([np.asarray(Image.open(paths[i]).convert("RGB").resize((64, 64)), "float32")
                                       for i in b])
                        yield xb, labels[b]
            """),
            cell("""
            model = build_room_classifier()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit_generator(batches(), steps_per_epoch=len(paths) // 8, epochs=5)
            """),
        ], data=room_folders),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more77-listing-thumbnails-process-pool-executor-map-over-lambda-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=lambda d: listings(d, n=12, size=lambda i, k: (300, 400)),
        code=code(IMPORTS + """
        from concurrent.futures import ProcessPoolExecutor


        def thumbnail(src, size):
            dst = src.replace("/photos/", "/thumbs/")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            img = Image.open(src).convert("RGB")
            img.thumbnail((size, size))
            img.save(dst, quality=85)
            return dst


        if __name__ == "__main__":
            srcs = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
            print(len(srcs), "listing photos")
            with ProcessPoolExecutor(max_workers=4) as ex:
                thumbs = list(ex.map(lambda p: thumbnail(p, 64), srcs))
            x = np.stack([np.asarray(Image.open(t), "float32") for t in thumbs])
            print("thumbnails", x.shape)
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more77-web-app-top5-cover-photos-np-argpartition-listing-with-three-photos-k3",
        cause="other",
        exception="ValueError",
        setup=lambda d: listings(d, n=10, photos=lambda i: 3 if i == 8 else 8),
        code=code(IMPORTS + """
        TOP_K = 5

        @@READ_CSV@@
        scorer = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="photo_quality")
        scorer.compile(optimizer="adam", loss="mse")
        photos = [sorted(glob.glob(f"{DATA}/photos/{r['listing_id']}/*.jpg")) for r in rows]
        x = np.stack([np.asarray(Image.open(p[0]).convert("RGB").resize((64, 64)), "float32") for p in photos])
        scorer.fit(x, np.array([float(r["quality"]) for r in rows], "float32"), epochs=2, verbose=2)

        # --- /gallery endpoint: the best TOP_K photos of each listing, best first
        for r, files in zip(rows, photos):
            imgs = np.stack([np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32") for p in files])
            scores = scorer.predict(imgs, verbose=0)[:, 0]
            best = np.argpartition(-scores, TOP_K)[:TOP_K]
            best = best[np.argsort(-scores[best])]
            print(r["listing_id"], [os.path.basename(files[i]) for i in best])
        """),
    ),
]


def _odd_rooms(d: Path):
    """A few scraped room photos that are panoramas or portrait phone shots."""
    r = _rng(7706)
    _save(d / "rooms" / "living_room" / "living_room_pano_0001.jpg", _photo(r, 96, 192))
    _save(d / "rooms" / "kitchen" / "kitchen_phone_0002.jpg", _photo(r, 160, 90))
    _save(d / "rooms" / "exterior" / "exterior_pano_0003.jpg", _photo(r, 80, 240))


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
