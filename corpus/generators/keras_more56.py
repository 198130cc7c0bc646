"""Untargeted held-out Keras / TensorFlow failures (g130, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of data scientists who move from
scikit-learn and pandas to tf.keras for the first time: tabular-plus-image projects (PetFinder-style
listings, house prices with photos, HAM10000-style lesion metadata, histopathology patches, product
crops) read with the ``csv`` module or NumPy (pandas is not installed), ``model.fit`` on NumPy arrays,
``image_dataset_from_directory``, ``ImageDataGenerator.flow_from_directory`` / ``flow_from_dataframe``
code rewritten with ``tf.data``, callbacks (EarlyStopping, ModelCheckpoint), class weights,
train / validation splits by hand, ``.keras`` / ``.weights.h5`` files saved and reloaded, spread over
the cause ids of the taxonomy:

- files: a ``flow_from_dataframe`` port that dropped the ``id + ".png"`` line of the histopathology
  ``train_labels.csv``; a lesion ``metadata.csv`` given as ``labels=`` to ``image_dataset_from_directory``
  after duplicate photos were deleted from the folder (notebook);
- image sizes: a validation ``map`` function copied from an earlier version of the training one, without
  the resize (listing photos of several sizes);
- channels: a model trained with ``color_mode="grayscale"``, reloaded and given a photo read by
  ``load_img`` at its default RGB (notebook);
- boxes: a product CSV with COCO ``x, y, w, h`` crops read as corners for ``crop_to_bounding_box``;
- labels: rows left at scikit-learn's semi-supervised ``-1`` ("unlabelled") given to a sparse loss;
- label shapes: a two-unit softmax head (as for ``predict_proba``) compiled with ``binary_crossentropy``
  on a 1-D 0/1 target;
- dtypes: blank CSV cells turned into ``None`` (an object array) for ``fit``; ``np.genfromtxt(...,
  names=True)`` structured arrays given to ``fit`` (notebook);
- model inputs: ``keras.Input(shape=X_train.shape)`` (notebook); a reloaded model given the inference
  CSV with its ``id`` column still in;
- model outputs: a reloaded three-class ``.keras`` model fine-tuned on a five-class folder with class
  weights;
- weights: a GridSearchCV-style loop whose runs all write the same ``best.weights.h5``, the best width
  rebuilt afterwards;
- API: ``fit(X_train, y_train, X_val, y_val)`` written like a scikit-learn call;
  ``validation_data=(img_val, tab_val, y_val)`` for a two-input model (the third item is sample weights);
  ``from_tensor_slices`` on the list of ``csv.DictReader`` rows (the ``dict(df)`` idiom);
- divergence: a house-price regression on unscaled square feet and dollars with SGD + momentum, the
  residuals binned with ``np.histogram``;
- gradients: a custom loop whose weighted log loss is computed in NumPy from ``.numpy()`` outputs;
- host memory: ``to_categorical`` of a zip-code column (the ``pd.get_dummies`` habit);
- versions: ``tensorflow.keras.wrappers.scikit_learn.KerasClassifier`` for ``GridSearchCV``; the
  structured-data tutorial's ``DenseFeatures`` with feature columns under Keras 3;
- workers: a ``ProcessPoolExecutor`` (spawn) loading photos with a function defined in the notebook;
- plain bugs: a submission writer formatting the ``(n, 1)`` rows of ``predict`` with ``:.4f``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21 (TF_USE_LEGACY_KERAS=1); scripts,
scripts under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything
runs on a CPU: causes that need a GPU are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more56.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g130): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more56.py"


# ---------------------------------------------------------------- data helpers
def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def histo_patches(d: Path):
    r = _rng(5601)
    root = d / "histopathologic-cancer-detection"
    rows = []
    for i in range(40):
        pid = "".join(f"{int(v):02x}" for v in r.integers(0, 256, size=20))
        _png(root / "train" / f"{pid}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append([pid, int(r.random() < 0.4)])
    _csv(root / "train_labels.csv", ["id", "label"], rows)


def lesion_folder(d: Path):
    r = _rng(5602)
    root = d / "ham10000"
    dx = ["nv", "mel", "bkl"]
    rows = []
    for i in range(30):
        iid = f"ISIC_{24306 + i * 7:07d}"
        rows.append([f"HAM_{i:07d}", iid, dx[int(r.integers(0, 3))], int(r.integers(25, 80)),
                     ["male", "female"][int(r.integers(0, 2))], "back"])
        if i in (4, 17, 23):      # duplicate photos of one lesion, deleted with fdupes
            continue
        _jpg(root / "images" / f"{iid}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
    _csv(root / "metadata.csv", ["lesion_id", "image_id", "dx", "age", "sex", "localization"], rows)


def listing_photos(d: Path):
    r = _rng(5603)
    root = d / "petfinder"
    sizes = [(480, 640), (640, 480), (400, 400), (360, 480)]
    rows = []
    for i in range(48):
        pet = "".join("0123456789abcdef"[int(v)] for v in r.integers(0, 16, size=9))
        h, w = sizes[int(r.integers(0, len(sizes)))]
        _jpg(root / "train_images" / f"{pet}-1.jpg", r.integers(0, 255, size=(h // 8, w // 8, 3), dtype="uint8"))
        rows.append([pet, int(r.integers(1, 3)), int(r.integers(1, 60)), int(r.integers(0, 5))])
    _csv(root / "train.csv", ["PetID", "Type", "Age", "AdoptionSpeed"], rows)


def xray_folder(d: Path):
    r = _rng(5604)
    for split, n in (("train", 12), ("val", 4)):
        for c in ("NORMAL", "PNEUMONIA"):
            for i in range(n):
                _png(d / "chest_xray" / split / c / f"{c.lower()}_{i:03d}.png",
                     r.integers(0, 255, size=(72, 72), dtype="uint8"))
    _jpg(d / "incoming" / "patient_0413.jpg", r.integers(0, 255, size=(300, 260, 3), dtype="uint8"))


def product_crops(d: Path):
    r = _rng(5605)
    rows = []
    for i in range(12):
        _jpg(d / "shelf" / f"shelf_{i:03d}.jpg", r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        # COCO-style export: x, y, width, height
        x, y = int(r.integers(10, 160)), int(r.integers(10, 120))
        w, h = int(r.integers(40, 140)), int(r.integers(40, 110))
        if i == 5:
            x, y, w, h = 196, 88, 72, 104
        rows.append([f"shelf_{i:03d}.jpg", x, y, w, h, ["cereal", "soda", "soap"][i % 3], round(float(r.uniform(1, 9)), 2)])
    _csv(d / "products.csv", ["image", "x", "y", "w", "h", "category", "price"], rows)


def leaf_semi(d: Path):
    r = _rng(5606)
    rows = []
    for i in range(40):
        fn = f"leaf_{i:04d}.jpg"
        _jpg(d / "leaves" / fn, r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        lab = -1 if i % 7 == 3 else int(r.integers(0, 4))
        rows.append([fn, lab, round(float(r.uniform(2, 12)), 2)])
    _csv(d / "leaf_labels.csv", ["filename", "label", "leaf_length_cm"], rows)


def pneumonia_tab(d: Path):
    r = _rng(5607)
    rows = []
    for i in range(120):
        rows.append([f"P{i:05d}", int(r.integers(18, 90)), round(float(r.normal(37.4, 0.9)), 1),
                     int(r.integers(88, 100)), int(r.integers(60, 120)), int(r.random() < 0.35)])
    _csv(d / "patients.csv", ["patient_id", "age", "temperature", "spo2", "heart_rate", "pneumonia"], rows)


def pets_blank(d: Path):
    r = _rng(5608)
    rows = []
    for i in range(200):
        age = "" if i % 37 == 11 else int(r.integers(1, 96))
        fee = "" if i % 53 == 20 else int(r.integers(0, 300))
        rows.append([f"pet{i:05d}", int(r.integers(1, 3)), age, int(r.integers(1, 4)), fee,
                     int(r.integers(0, 12)), int(r.integers(0, 2))])
    _csv(d / "petfinder" / "train.csv", ["PetID", "Type", "Age", "MaturitySize", "Fee", "PhotoAmt", "Adopted"], rows)


def housing_csv(d: Path):
    r = _rng(5609)
    rows = []
    for i in range(300):
        sqft = int(r.integers(600, 4500))
        beds = int(r.integers(1, 6))
        rows.append([sqft, beds, int(r.integers(1, 4)), int(r.integers(1920, 2020)), int(r.integers(1000, 20000)),
                     int(120 * sqft + 15000 * beds + r.normal(0, 30000))])
    _csv(d / "housing.csv", ["sqft", "bedrooms", "bathrooms", "year_built", "lot_size", "price"], rows)


def churn_model(d: Path):
    r = _rng(5610)
    cols = ["id", "tenure", "monthly_charges", "total_charges", "contract_months", "paperless", "senior",
            "partner", "dependents", "tech_support", "streaming", "num_services", "support_calls"]
    rows = []
    for i in range(50):
        rows.append([100000 + i] + [round(float(v), 2) for v in r.uniform(0, 1, size=12)])
    _csv(d / "new_customers.csv", cols, rows)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        keras.utils.set_random_seed(0)
        model = keras.Sequential([
            keras.Input((12,)),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        x = np.random.rand(64, 12).astype("float32")
        model.fit(x, (x[:, 0] > 0.5).astype("float32"), epochs=1, verbose=0)
        model.save("models/churn_mlp.keras")
    """, d)


def flowers_old_model(d: Path):
    from _tfrecord import make_images
    make_images(d / "flowers5", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=8,
                size=(64, 64), fmt="jpeg", seed=5611)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import keras
        from keras import layers
        keras.utils.set_random_seed(0)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="flowers_cnn")
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/flowers_daisy_roses_tulips.keras")
    """, d)


def credit_csv(d: Path):
    r = _rng(5612)
    rows = []
    for i in range(400):
        inc = float(r.normal(60000, 25000))
        rows.append([int(r.integers(18, 80)), round(inc, 2), round(float(r.uniform(0, 1)), 3),
                     int(r.integers(300, 850)), int(r.integers(0, 30)), int(r.random() < 0.2 + 0.3 * (inc < 40000))])
    _csv(d / "credit.csv", ["age", "income", "utilization", "credit_score", "open_accounts", "default"], rows)


def listings_two_input(d: Path):
    import numpy as np
    r = _rng(5613)
    (d / "arrays").mkdir(parents=True, exist_ok=True)
    np.save(d / "arrays" / "photos.npy", r.integers(0, 255, size=(96, 64, 64, 3), dtype=np.uint8))
    np.save(d / "arrays" / "tabular.npy", r.normal(size=(96, 6)).astype("float32"))
    np.save(d / "arrays" / "price.npy", r.uniform(50, 400, size=96).astype("float32"))


def zip_csv(d: Path):
    import numpy as np
    r = _rng(5614)
    n = 60000
    zips = r.integers(1001, 99951, size=n)
    zips[7] = 99950
    sqft = r.integers(500, 4000, size=n)
    price = (sqft * 150 + r.normal(0, 20000, size=n)).astype(int)
    with open(d / "sales.csv", "w") as f:
        f.write("sale_id,zip,sqft,bedrooms,price\n")
        beds = r.integers(1, 6, size=n)
        f.writelines(f"{i},{z:05d},{s},{b},{p}\n" for i, (z, s, b, p) in enumerate(zip(zips, sqft, beds, price)))


def pets_photos(d: Path):
    r = _rng(5615)
    for i in range(24):
        _jpg(d / "pets" / f"pet_{i:04d}.jpg", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))


def test_csv(d: Path):
    r = _rng(5616)
    rows = [[f"T{i:05d}"] + [round(float(v), 3) for v in r.normal(size=8)] for i in range(30)]
    _csv(d / "test.csv", ["id"] + [f"f{k}" for k in range(8)], rows)
    rows = [[f"R{i:05d}"] + [round(float(v), 3) for v in r.normal(size=8)] + [int(r.integers(0, 2))]
            for i in range(200)]
    _csv(d / "train.csv", ["id"] + [f"f{k}" for k in range(8)] + ["target"], rows)


def tabular_train(d: Path):
    r = _rng(5617)
    rows = [[round(float(v), 3) for v in r.normal(size=6)] + [int(r.integers(0, 2))] for _ in range(500)]
    _csv(d / "train.csv", ["tenure", "charges", "calls", "age", "usage", "score", "churn"], rows)


def house_csv_gf(d: Path):
    r = _rng(5618)
    rows = []
    for i in range(150):
        rows.append([round(float(r.uniform(0.5, 15)), 3), int(r.integers(1, 52)), round(float(r.uniform(3, 9)), 3),
                     round(float(r.uniform(0.8, 1.5)), 3), int(r.integers(300, 3000)), round(float(r.uniform(1, 5)), 3),
                     round(float(r.uniform(0.5, 5)), 3)])
    _csv(d / "california_housing.csv", ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
                                        "MedHouseVal"], rows)


# a small image classifier for (48, 48, 3) inputs and NUM_CLASSES classes
CNN = """
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
"""


def cnn(indent="        "):
    return "\n".join((indent + line) if line else line for line in CNN.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more56-flow-from-dataframe-port-histopathology-ids-without-png-extension-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=histo_patches,
        pty=True,
        expect="No such file or directory",
        code="""
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/histopathologic-cancer-detection"
        BATCH = 8
        AUTOTUNE = tf.data.AUTOTUNE

        # was (pandas + ImageDataGenerator):
        #   train_df = pd.read_csv("train_labels.csv"); train_df["id"] = train_df["id"] + ".png"
        #   datagen.flow_from_dataframe(train_df, directory="train", x_col="id", y_col="label", class_mode="binary")
        with open(os.path.join(DATA_DIR, "train_labels.csv")) as f:
            rows = list(csv.DictReader(f))
        paths = [os.path.join(DATA_DIR, "train", r["id"]) for r in rows]
        labels = np.array([float(r["label"]) for r in rows], dtype="float32")
        print(f"{len(paths)} patches, {labels.mean():.1%} positive")

        rng = np.random.default_rng(42)
        idx = rng.permutation(len(paths))
        n_val = len(idx) // 5
        val_idx, train_idx = idx[:n_val], idx[n_val:]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.random_flip_left_right(img)
            return img, label


        def make_ds(ix, shuffle):
            ds = tf.data.Dataset.from_tensor_slices(([paths[i] for i in ix], labels[ix]))
            if shuffle:
                ds = ds.shuffle(len(ix), seed=42)
            return ds.map(load, num_parallel_calls=AUTOTUNE).batch(BATCH).prefetch(AUTOTUNE)


        train_ds, val_ds = make_ds(train_idx, True), make_ds(val_idx, False)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy", keras.metrics.AUC(name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=5,
                  callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=2)])
        """,
    ),
    Case(
        name="keras-more56-notebook-lesion-metadata-labels-list-longer-than-folder-after-dedupe-k3",
        cause="data.missing_or_corrupt",
        also=("data.label_shape",),
        exception="ValueError",
        expect="match the number of files",
        **notebook([
            """
            import csv
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            ROOT = "{DATA}/ham10000"
            with open(f"{ROOT}/metadata.csv") as f:
                meta = sorted(csv.DictReader(f), key=lambda r: r["image_id"])   # same order as the files
            classes = sorted({r["dx"] for r in meta})
            labels = [classes.index(r["dx"]) for r in meta]
            print(len(meta), "rows in metadata.csv;", dict(zip(classes, np.bincount(labels))))
            """,
            """
            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                f"{ROOT}/images",
                labels=labels,
                label_mode="int",
                image_size=(48, 48),
                batch_size=8,
                validation_split=0.2,
                subset="both",
                seed=1337,
            )
            """,
        ], data=lesion_folder),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more56-validation-map-copied-from-old-loader-without-resize-listing-photos-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=listing_photos,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/petfinder"
        IMG = 64
        NUM_CLASSES = 5

        with open(f"{ROOT}/train.csv") as f:
            rows = list(csv.DictReader(f))
        paths = np.array([f"{ROOT}/train_images/{r['PetID']}-1.jpg" for r in rows])
        speed = np.array([int(r["AdoptionSpeed"]) for r in rows])

        # train_test_split(paths, speed, test_size=0.25, random_state=0), by hand
        perm = np.random.default_rng(0).permutation(len(paths))
        cut = int(len(perm) * 0.75)
        tr, va = perm[:cut], perm[cut:]


        def load_image(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label


        def load_and_resize(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG, IMG))
            img = tf.image.random_flip_left_right(img)
            return img / 255.0, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths[tr], speed[tr]))
                    .shuffle(256, seed=0).map(load_and_resize).batch(16).prefetch(2))
        val_ds = tf.data.Dataset.from_tensor_slices((paths[va], speed[va])).map(load_image).batch(16)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10,
                  callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)])
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more56-notebook-grayscale-xray-model-reloaded-predict-load-img-default-rgb-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        expect="incompatible",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            keras.utils.set_random_seed(0)
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/chest_xray/train", color_mode="grayscale", image_size=(64, 64), batch_size=8, seed=0)
            val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/chest_xray/val", color_mode="grayscale", image_size=(64, 64), batch_size=8)
            class_names = train_ds.class_names
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, validation_data=val_ds, epochs=2, verbose=2,
                      callbacks=[keras.callbacks.ModelCheckpoint("xray_best.keras", save_best_only=True)])
            """,
            """
            model = keras.models.load_model("xray_best.keras")
            img = keras.utils.load_img("{DATA}/incoming/patient_0413.jpg", target_size=(64, 64))
            x = np.expand_dims(keras.utils.img_to_array(img), 0)
            p = float(model.predict(x, verbose=0)[0, 0])
            print(class_names[int(p > 0.5)], round(p, 3))
            """,
        ], data=xray_folder),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more56-product-csv-coco-xywh-read-as-corners-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=product_crops,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CATS = ["cereal", "soap", "soda"]
        crops, prices, cats = [], [], []
        with open("{DATA}/products.csv") as f:
            reader = csv.reader(f)
            header = next(reader)
            for image, *box, category, price in reader:
                xmin, ymin, xmax, ymax = (int(v) for v in box)
                img = tf.io.decode_jpeg(tf.io.read_file("{DATA}/shelf/" + image), channels=3)
                crop = tf.image.crop_to_bounding_box(img, ymin, xmin, ymax - ymin, xmax - xmin)
                crops.append(tf.image.resize(crop, (48, 48)).numpy())
                cats.append(CATS.index(category))
                prices.append(float(price))
        x = np.stack(crops) / 255.0
        y = np.array(cats)
        print(x.shape, y.shape)

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(len(CATS), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, validation_split=0.25, epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more56-sklearn-semi-supervised-minus-one-unlabelled-rows-sparse-crossentropy-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=leaf_semi,
        pty=True,
        expect="Received a label value of -1",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        # leaf_labels.csv came out of the LabelSpreading notebook: -1 marks the photos nobody labelled yet
        with open("{DATA}/leaf_labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/leaves/" + r["filename"]))
                      for r in rows])
        y = np.array([int(r["label"]) for r in rows])
        NUM_CLASSES = int(y.max()) + 1
        print(x.shape, "classes:", NUM_CLASSES)

        @@CNN@@
        model.compile(keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5, validation_split=0.2,
                  callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)])
        """.replace("@@CNN@@", cnn()),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more56-two-unit-softmax-head-like-predict-proba-binary-crossentropy-1d-target-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=pneumonia_tab,
        pty=True,
        expect="must have the same rank",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        with open("{DATA}/patients.csv") as f:
            rows = list(csv.DictReader(f))
        FEATURES = ["age", "temperature", "spo2", "heart_rate"]
        X = np.array([[float(r[c]) for c in FEATURES] for r in rows], dtype="float32")
        y = np.array([int(r["pneumonia"]) for r in rows])
        X = (X - X.mean(axis=0)) / X.std(axis=0)           # StandardScaler

        n_train = int(0.8 * len(X))
        X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]

        # two outputs so that model.predict gives P(class 0), P(class 1), like predict_proba
        model = keras.Sequential([
            keras.Input((len(FEATURES),)),
            layers.Dense(16, activation="relu"),
            layers.Dense(8, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=20, batch_size=16,
                  class_weight={0: 1.0, 1: 1.8})
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more56-petfinder-blank-csv-cells-as-none-object-array-to-fit-k3",
        cause="data.dtype",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=pets_blank,
        expect="Invalid dtype: object",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        FEATURES = ["Type", "Age", "MaturitySize", "Fee", "PhotoAmt"]


        def to_num(v):
            # pandas would give NaN here; keep "missing" explicit
            return float(v) if v.strip() else None


        with open("{DATA}/petfinder/train.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.array([[to_num(r[c]) for c in FEATURES] for r in rows])
        y = np.array([int(r["Adopted"]) for r in rows], dtype="float32")
        print("X:", X.shape, X.dtype, "| positives:", int(y.sum()))

        model = keras.Sequential([
            keras.Input((len(FEATURES),)),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10, batch_size=32, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more56-notebook-genfromtxt-names-true-structured-array-to-fit-k3",
        cause="data.dtype",
        exception="ValueError",
        expect="Invalid dtype: void",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            data = np.genfromtxt("{DATA}/california_housing.csv", delimiter=",", names=True)
            print(data.dtype.names)
            features = [n for n in data.dtype.names if n != "MedHouseVal"]
            X, y = data[features], data["MedHouseVal"]
            print(X.shape, y.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((len(features),)),
                layers.Dense(64, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            history = model.fit(X, y, validation_split=0.2, epochs=20, batch_size=32, verbose=0)
            """,
        ], data=house_csv_gf),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more56-notebook-input-shape-whole-x-train-shape-sklearn-style-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="incompatible",
        **notebook([
            """
            import csv
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            with open("{DATA}/train.csv") as f:
                reader = csv.reader(f)
                header = next(reader)
                data = np.array([[float(v) for v in row] for row in reader], dtype="float32")
            X, y = data[:, :-1], data[:, -1]
            X_train, X_val, y_train, y_val = X[:400], X[400:], y[:400], y[400:]
            X_train.shape
            """,
            """
            model = keras.Sequential([
                keras.Input(shape=X_train.shape),
                layers.Dense(32, activation="relu"),
                layers.Dense(16, activation="relu"),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=10, batch_size=32)
            """,
        ], data=tabular_train),
    ),
    Case(
        name="keras-more56-reloaded-churn-model-inference-csv-keeps-id-column-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=churn_model,
        expect="expected axis -1 of input shape to have value 12",
        code="""
        import csv

        import numpy as np
        import keras

        model = keras.models.load_model("{DATA}/models/churn_mlp.keras")

        with open("{DATA}/new_customers.csv") as f:
            reader = csv.reader(f)
            header = next(reader)
            X_new = np.array([[float(v) for v in row] for row in reader], dtype="float32")
        print("scoring", X_new.shape[0], "customers")

        proba = model.predict(X_new, batch_size=64)
        with open("churn_scores.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "churn_probability"])
            w.writerows(zip(X_new[:, 0].astype(int), proba.ravel()))
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more56-reloaded-three-class-keras-model-fine-tuned-on-five-class-folder-class-weights-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=flowers_old_model,
        pty=True,
        expect="outside the valid range",
        code="""
        import numpy as np
        import keras

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers5", image_size=(64, 64), batch_size=8,
            validation_split=0.2, subset="both", seed=123)
        class_names = train_ds.class_names
        print(class_names)

        # balanced weights, as compute_class_weight("balanced") would give
        y_all = np.concatenate([y.numpy() for _, y in train_ds])
        counts = np.bincount(y_all, minlength=len(class_names))
        class_weight = {i: len(y_all) / (len(class_names) * c) for i, c in enumerate(counts)}

        # continue from last month's model (daisy / roses / tulips) with the two new classes
        model = keras.models.load_model("{DATA}/models/flowers_daisy_roses_tulips.keras")
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5, class_weight=class_weight,
                  callbacks=[keras.callbacks.EarlyStopping(patience=2),
                             keras.callbacks.ModelCheckpoint("flowers5.keras", save_best_only=True)])
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more56-grid-search-loop-shared-best-weights-file-rebuilt-with-best-units-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=credit_csv,
        expect="shape",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        keras.utils.set_random_seed(7)
        with open("{DATA}/credit.csv") as f:
            rows = list(csv.DictReader(f))
        cols = ["age", "income", "utilization", "credit_score", "open_accounts"]
        X = np.array([[float(r[c]) for c in cols] for r in rows], dtype="float32")
        y = np.array([float(r["default"]) for r in rows], dtype="float32")
        X = (X - X.mean(0)) / X.std(0)
        X_tr, X_va, y_tr, y_va = X[:300], X[300:], y[:300], y[300:]


        def build(units):
            m = keras.Sequential([keras.Input((len(cols),)), layers.Dense(units, activation="relu"),
                                  layers.Dense(units // 2, activation="relu"), layers.Dense(1, activation="sigmoid")])
            m.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
            return m


        # GridSearchCV by hand
        results = {}
        for units in (64, 32, 16):
            model = build(units)
            ckpt = keras.callbacks.ModelCheckpoint("best.weights.h5", monitor="val_auc", mode="max",
                                                   save_best_only=True, save_weights_only=True)
            hist = model.fit(X_tr, y_tr, validation_data=(X_va, y_va), epochs=8, batch_size=32, verbose=0,
                             callbacks=[ckpt, keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=3)])
            results[units] = max(hist.history["val_auc"])
            print(f"units={units:3d}  best val_auc={results[units]:.4f}")

        best_units = max(results, key=results.get)
        print("best_params_:", {"units": best_units})
        best_model = build(best_units)
        best_model.load_weights("best.weights.h5")
        print(best_model.evaluate(X_va, y_va, verbose=0))
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more56-fit-called-sklearn-style-with-validation-arrays-positional-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=test_csv,
        expect="truth value of an array",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        with open("{DATA}/train.csv") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = [row for row in reader]
        X = np.array([[float(v) for v in row[1:-1]] for row in rows], dtype="float32")
        y = np.array([int(row[-1]) for row in rows])

        split = int(len(X) * 0.8)
        X_train, X_val, y_train, y_val = X[:split], X[split:], y[:split], y[split:]

        clf = keras.Sequential([
            keras.Input((X.shape[1],)),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        clf.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        clf.fit(X_train, y_train, X_val, y_val)
        print("val accuracy:", clf.evaluate(X_val, y_val, verbose=0)[1])
        """,
    ),
    Case(
        name="keras-more56-two-input-listing-model-validation-data-three-tuple-sample-weight-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=listings_two_input,
        pty=True,
        expect="expects 2 named input(s)",
        code="""
        import numpy as np
        import keras
        from keras import layers

        photos = np.load("{DATA}/arrays/photos.npy").astype("float32") / 255.0
        tab = np.load("{DATA}/arrays/tabular.npy")
        price = np.load("{DATA}/arrays/price.npy")
        n_val = 16
        img_tr, img_val = photos[n_val:], photos[:n_val]
        tab_tr, tab_val = tab[n_val:], tab[:n_val]
        y_tr, y_val = price[n_val:], price[:n_val]

        img_in = keras.Input((64, 64, 3), name="photo")
        tab_in = keras.Input((tab.shape[1],), name="tabular")
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(img_in)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        t = layers.Dense(16, activation="relu")(tab_in)
        z = layers.Concatenate()([h, t])
        z = layers.Dense(32, activation="relu")(z)
        out = layers.Dense(1, name="price")(z)
        model = keras.Model([img_in, tab_in], out)
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])

        model.fit([img_tr, tab_tr], y_tr,
                  validation_data=(img_val, tab_val, y_val),
                  epochs=10, batch_size=16,
                  callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)])
        """,
    ),
    Case(
        name="keras-more56-from-tensor-slices-list-of-csv-dictreader-rows-dict-df-idiom-k3",
        cause="model.api_misuse",
        also=("data.dtype",),
        exception="ValueError",
        setup=histo_patches,
        expect="unsupported type",
        code="""
        import csv

        import tensorflow as tf
        import keras

        DATA_DIR = "{DATA}/histopathologic-cancer-detection"

        # pandas version: tf.data.Dataset.from_tensor_slices(dict(df))
        with open(f"{DATA_DIR}/train_labels.csv") as f:
            rows = list(csv.DictReader(f))
        print(rows[0])


        def load(row):
            img = tf.io.decode_png(tf.io.read_file(DATA_DIR + "/train/" + row["id"] + ".png"), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), tf.strings.to_number(row["label"])


        ds = tf.data.Dataset.from_tensor_slices(rows).map(load).shuffle(64).batch(16)
        for x, y in ds.take(1):
            print(x.shape, y.numpy())
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more56-house-price-regression-unscaled-sqft-dollars-sgd-momentum-nan-histogram-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=housing_csv,
        pty=True,
        expect="is not finite",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        with open("{DATA}/housing.csv") as f:
            reader = csv.reader(f)
            header = next(reader)
            data = np.array(list(reader), dtype="float32")
        X, y = data[:, :-1], data[:, -1]
        X_train, X_val, y_train, y_val = X[:240], X[240:], y[:240], y[240:]
        print("features:", header[:-1], "| mean price:", y.mean())

        model = keras.Sequential([
            keras.Input((X.shape[1],)),
            layers.Dense(64, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.001, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=5, batch_size=32)

        pred = model.predict(X_val).ravel()
        residuals = pred - y_val
        counts, edges = np.histogram(residuals, bins=20)
        for c, lo in zip(counts, edges):
            print(f"{lo:>12.0f} {'#' * int(c)}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more56-custom-loop-weighted-log-loss-in-numpy-from-numpy-outputs-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=credit_csv,
        expect="No gradients provided",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/credit.csv") as f:
            rows = list(csv.DictReader(f))
        cols = ["age", "income", "utilization", "credit_score", "open_accounts"]
        X = np.array([[float(r[c]) for c in cols] for r in rows], dtype="float32")
        y = np.array([float(r["default"]) for r in rows], dtype="float32")
        X = (X - X.mean(0)) / X.std(0)
        w_pos = (1 - y.mean()) / y.mean()


        def weighted_log_loss(y_true, p, eps=1e-15):
            # sklearn.metrics.log_loss(y_true, p, sample_weight=...) without sklearn
            p = np.clip(p, eps, 1 - eps)
            sw = np.where(y_true == 1, w_pos, 1.0)
            return np.sum(sw * -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))) / np.sum(sw)


        model = keras.Sequential([keras.Input((len(cols),)), layers.Dense(16, activation="relu"),
                                  layers.Dense(1, activation="sigmoid")])
        optimizer = keras.optimizers.Adam(1e-3)
        ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(400, seed=0).batch(32)

        for epoch in range(5):
            losses = []
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    p = model(xb, training=True).numpy().ravel()
                    loss = tf.convert_to_tensor(weighted_log_loss(yb.numpy(), p), dtype=tf.float32)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                losses.append(float(loss))
            print(f"epoch {epoch + 1}: weighted log loss {np.mean(losses):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more56-to-categorical-zip-code-column-get-dummies-habit-host-memory-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=zip_csv,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras
        from keras import layers

        data = np.loadtxt("{DATA}/sales.csv", delimiter=",", skiprows=1)
        zip_code, sqft, beds, price = data[:, 1].astype(int), data[:, 2], data[:, 3], data[:, 4]
        print(len(price), "sales,", len(np.unique(zip_code)), "zip codes")

        # pd.get_dummies(df["zip"]) -> one column per zip code
        zip_onehot = keras.utils.to_categorical(zip_code)
        X = np.hstack([zip_onehot, np.c_[sqft / 1000.0, beds]]).astype("float32")
        y = price / 1e5

        model = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(64, activation="relu"), layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(X, y, epochs=5, batch_size=256, validation_split=0.1)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more56-keras-wrappers-scikit-learn-kerasclassifier-for-gridsearchcv-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=tabular_train,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.wrappers.scikit_learn import KerasClassifier
        from sklearn.model_selection import GridSearchCV

        data = np.loadtxt("{DATA}/train.csv", delimiter=",", skiprows=1, dtype="float32")
        X, y = data[:, :-1], data[:, -1]


        def create_model(units=32, dropout=0.2):
            model = keras.Sequential([
                keras.Input((X.shape[1],)),
                layers.Dense(units, activation="relu"),
                layers.Dropout(dropout),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            return model


        clf = KerasClassifier(build_fn=create_model, epochs=10, batch_size=32, verbose=0)
        grid = GridSearchCV(clf, {"units": [16, 32, 64], "dropout": [0.0, 0.2]}, cv=3, scoring="roc_auc")
        grid.fit(X, y)
        print(grid.best_params_, grid.best_score_)
        """,
    ),
    Case(
        name="keras-more56-structured-data-tutorial-dense-features-feature-columns-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=pets_blank,
        expect="DenseFeatures",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        with open("{DATA}/petfinder/train.csv") as f:
            rows = [r for r in csv.DictReader(f) if r["Age"] and r["Fee"]]
        columns = {k: np.array([float(r[k]) for r in rows], dtype="float32")
                   for k in ("Age", "Fee", "PhotoAmt", "MaturitySize")}
        columns["Type"] = np.array([["Dog", "Cat"][int(r["Type"]) - 1] for r in rows])
        target = np.array([int(r["Adopted"]) for r in rows])

        ds = tf.data.Dataset.from_tensor_slices((columns, target)).shuffle(len(target)).batch(32)

        # "Classify structured data with feature columns"
        feature_columns = [tf.feature_column.numeric_column(k) for k in ("Age", "Fee", "PhotoAmt")]
        age = tf.feature_column.numeric_column("Age")
        feature_columns.append(tf.feature_column.bucketized_column(age, boundaries=[3, 6, 12, 24, 48]))
        animal = tf.feature_column.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
        feature_columns.append(tf.feature_column.indicator_column(animal))

        feature_layer = tf.keras.layers.DenseFeatures(feature_columns)
        model = tf.keras.Sequential([
            feature_layer,
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dropout(0.1),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more56-notebook-process-pool-spawn-photo-loader-defined-in-notebook-k3",
        cause="env.multiprocessing",
        exception="AttributeError",  # the worker's own error, printed above the BrokenProcessPool
        expect="BrokenProcessPool",
        **notebook([
            """
            import glob
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            def load_photo(path, size=(64, 64)):
                with Image.open(path) as im:
                    return np.asarray(im.convert("RGB").resize(size), dtype=np.float32) / 255.0
            """,
            """
            paths = sorted(glob.glob("{DATA}/pets/*.jpg"))
            # fork after TensorFlow is loaded is not safe -> spawn
            with ProcessPoolExecutor(max_workers=4, mp_context=mp.get_context("spawn")) as pool:
                photos = np.stack(list(pool.map(load_photo, paths, chunksize=4)))
            photos.shape
            """,
        ], data=pets_photos),
    ),
    # =================================================================== other
    Case(
        name="keras-more56-submission-writer-formats-predict-rows-with-fstring-precision-k3",
        cause="other",
        exception="TypeError",
        setup=test_csv,
        pty=True,
        expect="unsupported format string",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        def read(path, has_target):
            with open(path) as f:
                reader = csv.reader(f)
                header = next(reader)
                rows = list(reader)
            ids = [r[0] for r in rows]
            end = -1 if has_target else None
            X = np.array([[float(v) for v in r[1:end]] for r in rows], dtype="float32")
            y = np.array([int(r[-1]) for r in rows]) if has_target else None
            return ids, X, y


        _, X, y = read("{DATA}/train.csv", True)
        test_ids, X_test, _ = read("{DATA}/test.csv", False)

        model = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(16, activation="relu"),
                                  layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, validation_split=0.2, epochs=3, batch_size=32)

        proba = model.predict(X_test)
        with open("submission.csv", "w") as f:
            f.write("id,target\\n")
            for i, p in zip(test_ids, proba):
                f.write(f"{i},{p:.4f}\\n")
        print("wrote submission.csv")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
