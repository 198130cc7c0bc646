"""Untargeted held-out Keras / TensorFlow failures (g165, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of people training similarity models on
their own photos with Keras 3 or tf_keras: siamese networks for face and product verification,
contrastive and triplet losses written by hand, pair and triplet generators drawn from class folders
(one folder per person or per product), a shared embedding tower with L2-normalised outputs,
nearest-neighbour search of a query against a gallery, and a distance threshold tuned on validation
pairs, spread over the cause ids of the taxonomy:

- files: an LFW-style ``pairs.txt`` naming a photo number the person's folder does not have, read
  in a ``tf.data`` map; a Windows ``Thumbs.db`` left in a person folder and opened by the pair
  generator;
- image sizes: product gallery photos of several sizes turned into one array without a resize;
- channels: grey CCTV face crops given to the RGB embedding tower to search the gallery (notebook);
- boxes: detector face boxes ``x, y, w, h`` cut with ``crop_to_bounding_box`` as if they were
  corners;
- labels: identity ids parsed from ``id_1`` .. ``id_10`` folder names for a ten-way softmax
  pre-training head;
- label shapes: one-hot ``[different, same]`` pair labels for a one-unit sigmoid head; a pair list
  built twice as long as its labels (tf_keras);
- dtypes: integer same/different labels multiplied with float distances in a hand-written
  contrastive loss (custom loop);
- model inputs: pairs resized to the Koch et al. 105 x 105 for a tower built at 96 x 96 with a
  ``Flatten``;
- model outputs: the siamese model's output left at the tower's embeddings (no distance head) under
  ``binary_crossentropy``;
- weights: a 128-d embedding tower's ``.weights.h5`` loaded into the gallery indexer rebuilt at 64-d;
- API: a ``.keras`` siamese model with a euclidean-distance ``Lambda`` reloaded without
  ``safe_mode=False``; ``layers.Subtract()(emb_a, emb_b)`` with two arguments instead of a list;
- divergence: a contrastive loss on an unnormalised tower fed raw 0..255 pixels with SGD + momentum,
  under ``enable_check_numerics``;
- gradients: hard-negative mining whose embeddings come from ``model.predict`` inside the tape;
- host memory: all-pairs verification distances of the validation embeddings by broadcasting;
- versions: the keras.io siamese example's ``K.sqrt(K.maximum(K.sum(...)))`` under Keras 3; a TF 1
  metric-learning ``tf.contrib.losses.metric_learning.triplet_semihard_loss`` (tf_keras);
- GPU setup: ``set_memory_growth(tf.config.list_physical_devices("GPU")[0], True)`` in a CPU session;
- workers: a ``multiprocessing.Pool`` loading pairs with a function defined inside ``main()``;
- plain bugs: a Python list of gallery labels indexed with the ``argsort`` array of the nearest
  neighbours.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more71.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g165): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more71.py"

PEOPLE = ["Ana_Lopez", "Ben_Okafor", "Chen_Wei", "Dara_Singh", "Eli_Cohen", "Fay_Muller"]


def _photo(r, h, w, c=3):
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // 4), -(-w // 4), c), dtype=np.uint8)
    out = np.repeat(np.repeat(small, 4, axis=0), 4, axis=1)[:h, :w]
    return out[..., 0] if c == 1 else out


def faces(d: Path, per=4, size=(32, 32), people=PEOPLE, root="faces", seed=7101):
    r = _rng(seed)
    for p in people:
        for i in range(per):
            _jpg(d / root / p / f"{p}_{i + 1:04d}.jpg", _photo(r, *size))


def lfw_pairs(d: Path):
    faces(d)
    lines = ["10\t30"]
    r = _rng(7102)
    for k in range(10):
        p = PEOPLE[k % 6]
        a, b = 1, 2 + k % 3
        if k == 7:
            b = 5          # the full LFW has Dara_Singh_0005; this subset has four photos
        lines.append(f"{p}\t{a}\t{b}")
    for k in range(10):
        p, q = PEOPLE[k % 6], PEOPLE[(k + 1 + int(r.integers(0, 4))) % 6]
        lines.append(f"{p}\t{1 + k % 4}\t{q}\t{1 + (k + 1) % 4}")
    (d / "pairs.txt").write_text("\n".join(lines) + "\n")


def faces_thumbs(d: Path):
    faces(d)
    # Windows Explorer's thumbnail cache, copied along with the folder
    (d / "faces" / "Chen_Wei" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)


def products(d: Path):
    r = _rng(7103)
    sizes = [(64, 64), (64, 64), (80, 60), (64, 64), (72, 96)]
    k = 0
    for sku in ["sku_1041", "sku_1187", "sku_2210", "sku_3302", "sku_4470"]:
        for i in range(3):
            h, w = sizes[k % len(sizes)]
            k += 1
            _jpg(d / "gallery" / sku / f"{sku}_{i}.jpg", _photo(r, h, w))


def cctv(d: Path):
    faces(d, root="gallery")
    r = _rng(7104)
    for i in range(3):
        _jpg(d / "queries" / f"cam2_{i:03d}.jpg", _photo(r, 32, 32, c=1))


def boxes(d: Path):
    r = _rng(7105)
    rows = ["file,person,x,y,w,h"]
    for i in range(12):
        p = PEOPLE[i % 6]
        _jpg(d / "frames" / f"frame_{i:04d}.jpg", _photo(r, 120, 160))
        x, y = int(r.integers(60, 100)), int(r.integers(30, 60))
        rows.append(f"frame_{i:04d}.jpg,{p},{x},{y},{int(r.integers(40, 56))},{int(r.integers(48, 60))}")
    (d / "frames" / "faces.csv").write_text("\n".join(rows) + "\n")


def ids(d: Path):
    r = _rng(7106)
    for k in range(1, 11):
        for i in range(3):
            _jpg(d / "train" / f"id_{k}" / f"{i}.jpg", _photo(r, 32, 32))


def tower128(d: Path):
    faces(d)
    prep("k3", """
        import keras
        from keras import layers
        inp = keras.Input((32, 32, 3))
        x = layers.Rescaling(1 / 255.0)(inp)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(128)(x)
        x = layers.UnitNormalization()(x)
        keras.Model(inp, x, name="embedding").save_weights("embedding_tower.weights.h5")
    """, d)


def val_embeddings(d: Path):
    import numpy as np
    r = _rng(7107)
    e = r.normal(size=(40000, 128)).astype("float32")
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    np.save(d / "val_embeddings.npy", e)
    np.save(d / "val_ids.npy", r.integers(0, 4000, size=40000))


TOWER = """
def make_tower(shape=(32, 32, 3), dim=64):
    inp = keras.Input(shape)
    x = layers.Rescaling(1 / 255.0)(inp)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(dim)(x)
    x = layers.UnitNormalization()(x)   # L2-normalised embedding
    return keras.Model(inp, x, name="embedding")
"""

PAIRS = """
ROOT = "{DATA}/faces"
people = sorted(os.listdir(ROOT))
photos = {p: sorted(glob.glob(f"{ROOT}/{p}/*")) for p in people}


def load(path, size=32):
    return np.asarray(Image.open(path).convert("RGB").resize((size, size)), "float32")


def make_pairs(n, size=32):
    a, b, y = [], [], []
    for i in range(n):
        p = random.choice(people)
        if i % 2 == 0:
            f1, f2 = random.sample(photos[p], 2)
            label = 1
        else:
            q = random.choice([x for x in people if x != p])
            f1, f2 = random.choice(photos[p]), random.choice(photos[q])
            label = 0
        a.append(load(f1, size)); b.append(load(f2, size)); y.append(label)
    return np.stack(a), np.stack(b), np.array(y)
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body):
    return body.replace("@@TOWER@@", _ind(TOWER)).replace("@@PAIRS@@", _ind(PAIRS))


IMPORTS = """
        import glob
        import os
        import random

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""

SIAMESE = """
        tower = make_tower()
        in_a = keras.Input((32, 32, 3), name="left")
        in_b = keras.Input((32, 32, 3), name="right")
        ea, eb = tower(in_a), tower(in_b)
        dist = layers.Lambda(lambda t: tf.reduce_sum(tf.square(t[0] - t[1]), axis=1, keepdims=True))([ea, eb])
        out = layers.Dense(1, activation="sigmoid")(dist)
        siamese = keras.Model([in_a, in_b], out, name="siamese")
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more71-lfw-pairs-txt-photo-number-missing-from-subset-tf-data-map-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=lfw_pairs,
        pty=True,
        code=code(IMPORTS + """
        @@TOWER@@


        ROOT = "{DATA}/faces"
        left, right, same = [], [], []
        with open("{DATA}/pairs.txt") as f:
            next(f)
            for line in f:
                t = line.split()
                if len(t) == 3:
                    left.append(f"{ROOT}/{t[0]}/{t[0]}_{int(t[1]):04d}.jpg")
                    right.append(f"{ROOT}/{t[0]}/{t[0]}_{int(t[2]):04d}.jpg")
                    same.append(1.0)
                else:
                    left.append(f"{ROOT}/{t[0]}/{t[0]}_{int(t[1]):04d}.jpg")
                    right.append(f"{ROOT}/{t[2]}/{t[2]}_{int(t[3]):04d}.jpg")
                    same.append(0.0)
        print(len(left), "pairs")


        def decode(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (32, 32))


        def load_pair(a, b, y):
            return (decode(a), decode(b)), y


        ds = (tf.data.Dataset.from_tensor_slices((left, right, same))
              .shuffle(32).map(load_pair, num_parallel_calls=tf.data.AUTOTUNE).batch(4))
        """ + SIAMESE + """
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more71-thumbs-db-in-person-folder-opened-by-pair-generator-k3",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        setup=faces_thumbs,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        random.seed(3)
        xa, xb, y = make_pairs(64)
        """ + SIAMESE + """
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=5, batch_size=16, validation_split=0.25)
        """),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more71-product-gallery-photos-several-sizes-np-array-without-resize-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=products,
        expect="inhomogeneous",
        code=code(IMPORTS + """
        @@TOWER@@


        tower = make_tower(shape=(64, 64, 3))

        paths = sorted(glob.glob("{DATA}/gallery/*/*.jpg"))
        skus = [p.split("/")[-2] for p in paths]
        gallery = np.array([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])
        print("gallery", gallery.shape)
        emb = tower.predict(gallery, batch_size=8)
        np.save("gallery_emb.npy", emb)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more71-nb-grey-cctv-face-crops-searched-against-rgb-gallery-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            _ind(TOWER, "") + "\n\ntower = make_tower()\ntower.summary()",
            """
            g_paths = sorted(glob.glob("{DATA}/gallery/*/*.jpg"))
            g_names = [p.split("/")[-2] for p in g_paths]
            gallery = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in g_paths])
            g_emb = tower.predict(gallery, verbose=0)
            g_emb.shape
            """,
            """
            q_paths = sorted(glob.glob("{DATA}/queries/*.jpg"))
            queries = np.stack([np.asarray(Image.open(p), "float32")[..., None] for p in q_paths])
            q_emb = tower.predict(queries, verbose=0)
            sims = q_emb @ g_emb.T
            for p, row in zip(q_paths, sims):
                print(p.split("/")[-1], g_names[int(row.argmax())], row.max())
            """,
        ], data=cctv),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more71-detector-face-boxes-xywh-cropped-as-corners-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=boxes,
        code=code(IMPORTS + """
        import csv

        # faces.csv comes from the face detector: x, y, w, h in pixels
        with open("{DATA}/frames/faces.csv") as f:
            rows = list(csv.DictReader(f))

        os.makedirs("crops", exist_ok=True)
        for r in rows:
            img = tf.io.decode_jpeg(tf.io.read_file("{DATA}/frames/" + r["file"]), channels=3)
            x1, y1, x2, y2 = int(r["x"]), int(r["y"]), int(r["w"]), int(r["h"])
            face = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            face = tf.cast(tf.image.resize(face, (32, 32)), tf.uint8)
            os.makedirs(f"crops/{r['person']}", exist_ok=True)
            tf.io.write_file(f"crops/{r['person']}/{r['file']}", tf.io.encode_jpeg(face))
        print("wrote", len(rows), "crops")
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more71-identity-ids-from-id-1-to-id-10-folders-ten-way-pretrain-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=ids,
        pty=True,
        expect="outside the valid range",
        code=code(IMPORTS + """
        @@TOWER@@


        # step 1 of the recipe: pre-train the tower as an identity classifier, then drop the head
        paths = sorted(glob.glob("{DATA}/train/id_*/*.jpg"))
        labels = np.array([int(p.split("/")[-2].split("_")[1]) for p in paths])
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])
        NUM_IDS = len(set(labels))
        print(NUM_IDS, "identities")

        tower = make_tower()
        clf = keras.Sequential([tower, layers.Dense(NUM_IDS, activation="softmax")])
        clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        clf.fit(x, labels, epochs=5, batch_size=8, shuffle=True)
        tower.save_weights("tower_pretrained.weights.h5")
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more71-one-hot-same-different-pair-labels-for-one-unit-sigmoid-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=faces,
        pty=True,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        random.seed(0)
        xa, xb, y = make_pairs(48)
        y = keras.utils.to_categorical(y, 2)      # [different, same]
        """ + SIAMESE + """
        siamese.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=5, batch_size=8)
        """),
    ),
    Case(
        name="keras-more71-pair-list-twice-as-long-as-labels-data-cardinality-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=faces,
        expect="cardinality",
        code=tfk2(code(IMPORTS + """
        @@TOWER@@


        ROOT = "{DATA}/faces"
        people = sorted(os.listdir(ROOT))
        photos = {p: sorted(glob.glob(f"{ROOT}/{p}/*.jpg")) for p in people}


        def load(path):
            return np.asarray(Image.open(path).convert("RGB"), "float32")


        random.seed(1)
        pair_a, pair_b, labels = [], [], []
        for p in people:
            for f in photos[p]:
                # one positive and one negative for every anchor photo
                q = random.choice([x for x in people if x != p])
                pair_a += [load(f), load(f)]
                pair_b += [load(random.choice(photos[p])), load(random.choice(photos[q]))]
                labels.append([1, 0])
        labels = np.array(labels, "float32").reshape(-1)[: len(pair_a) // 2]
        pair_a, pair_b = np.stack(pair_a), np.stack(pair_b)
        print(pair_a.shape, pair_b.shape, labels.shape)
        """ + SIAMESE + """
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([pair_a, pair_b], labels, epochs=5, batch_size=8)
        """)),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more71-int-pair-labels-times-float-distance-handwritten-contrastive-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=faces,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        MARGIN = 1.0


        def contrastive_loss(y, d):
            # Hadsell et al.: similar pairs pulled together, dissimilar pushed past the margin
            return tf.reduce_mean(y * tf.square(d) + (1 - y) * tf.square(tf.maximum(MARGIN - d, 0.0)))


        random.seed(2)
        xa, xb, y = make_pairs(64)
        ds = tf.data.Dataset.from_tensor_slices(((xa, xb), y)).shuffle(64).batch(16)
        tower = make_tower()
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(5):
            for (a, b), yb in ds:
                with tf.GradientTape() as tape:
                    d = tf.norm(tower(a, training=True) - tower(b, training=True), axis=1)
                    loss = contrastive_loss(yb, d)
                grads = tape.gradient(loss, tower.trainable_variables)
                opt.apply_gradients(zip(grads, tower.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more71-pairs-resized-105-koch-size-tower-built-96-flatten-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=faces,
        pty=True,
        code=code(IMPORTS + """
        @@PAIRS@@


        def koch_tower():
            inp = keras.Input((96, 96, 3))
            x = layers.Rescaling(1 / 255.0)(inp)
            x = layers.Conv2D(16, 10, activation="relu")(x)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(32, 7, activation="relu")(x)
            x = layers.MaxPooling2D()(x)
            x = layers.Flatten()(x)
            x = layers.Dense(64, activation="sigmoid")(x)
            return keras.Model(inp, x, name="embedding")


        IMG = 105     # Koch et al., Siamese Neural Networks for One-shot Image Recognition
        random.seed(4)
        xa, xb, y = make_pairs(32, size=IMG)

        tower = koch_tower()
        in_a, in_b = keras.Input((IMG, IMG, 3)), keras.Input((IMG, IMG, 3))
        l1 = layers.Lambda(lambda t: tf.abs(t[0] - t[1]))([tower(in_a), tower(in_b)])
        out = layers.Dense(1, activation="sigmoid")(l1)
        siamese = keras.Model([in_a, in_b], out)
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more71-siamese-output-left-at-embeddings-no-distance-head-bce-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=faces,
        pty=True,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        random.seed(6)
        xa, xb, y = make_pairs(48)
        y = y.reshape(-1, 1).astype("float32")

        tower = make_tower()
        in_a = keras.Input((32, 32, 3), name="left")
        in_b = keras.Input((32, 32, 3), name="right")
        diff = layers.Subtract()([tower(in_a), tower(in_b)])
        siamese = keras.Model([in_a, in_b], diff, name="siamese")
        siamese.summary()
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more71-128d-tower-weights-loaded-into-64d-gallery-indexer-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=tower128,
        code=code(IMPORTS + """
        @@TOWER@@


        EMBED_DIM = 64          # smaller index for the phone app

        tower = make_tower(dim=EMBED_DIM)
        tower.load_weights("{DATA}/embedding_tower.weights.h5")

        paths = sorted(glob.glob("{DATA}/faces/*/*.jpg"))
        names = [p.split("/")[-2] for p in paths]
        emb = tower.predict(np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths]))
        np.savez("gallery_index.npz", emb=emb, names=np.array(names))
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more71-siamese-keras-file-euclidean-lambda-reloaded-without-safe-mode-off-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        setup=faces,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        random.seed(7)
        xa, xb, y = make_pairs(48)
        tower = make_tower()
        in_a, in_b = keras.Input((32, 32, 3)), keras.Input((32, 32, 3))
        d = layers.Lambda(lambda t: tf.sqrt(tf.maximum(tf.reduce_sum(tf.square(t[0] - t[1]), axis=1, keepdims=True), 1e-7)),
                          output_shape=(1,), name="euclidean")([tower(in_a), tower(in_b)])
        siamese = keras.Model([in_a, in_b], layers.Dense(1, activation="sigmoid")(d))
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=2, batch_size=8, verbose=2)
        siamese.save("face_verifier.keras")

        # ---- verify.py
        verifier = keras.models.load_model("face_verifier.keras")
        print(verifier.predict([xa[:2], xb[:2]]))
        """),
    ),
    Case(
        name="keras-more71-subtract-layer-called-with-two-arguments-not-list-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=faces,
        code=code(IMPORTS + """
        @@TOWER@@


        @@PAIRS@@


        random.seed(8)
        xa, xb, y = make_pairs(48)
        tower = make_tower()
        in_a = keras.Input((32, 32, 3), name="left")
        in_b = keras.Input((32, 32, 3), name="right")
        ea, eb = tower(in_a), tower(in_b)
        diff = layers.Subtract()(ea, eb)
        l1 = layers.Lambda(tf.abs)(diff)
        out = layers.Dense(1, activation="sigmoid")(l1)
        siamese = keras.Model([in_a, in_b], out)
        siamese.compile(optimizer="adam", loss="binary_crossentropy")
        siamese.fit([xa, xb], y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more71-contrastive-loss-raw-pixel-tower-no-normalisation-sgd-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=faces,
        pty=True,
        code=code(IMPORTS + """
        tf.debugging.enable_check_numerics()

        @@PAIRS@@


        def euclidean(t):
            return tf.sqrt(tf.reduce_sum(tf.square(t[0] - t[1]), axis=1, keepdims=True) + 1e-9)


        def contrastive(y_true, d, margin=1.0):
            return tf.reduce_mean(y_true * tf.square(d) + (1.0 - y_true) * tf.square(tf.maximum(margin - d, 0.0)))


        # tower on the raw 0..255 photos, embedding not normalised
        tower = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(128),
        ], name="embedding")
        random.seed(12)
        xa, xb, y = make_pairs(64)
        in_a, in_b = keras.Input((32, 32, 3)), keras.Input((32, 32, 3))
        d = layers.Lambda(euclidean, output_shape=(1,))([tower(in_a), tower(in_b)])
        siamese = keras.Model([in_a, in_b], d)
        siamese.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss=contrastive)
        siamese.fit([xa, xb], y.astype("float32"), epochs=10, batch_size=16)
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more71-hard-negative-mining-embeddings-from-predict-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=faces,
        code=code(IMPORTS + """
        @@TOWER@@


        ROOT = "{DATA}/faces"
        paths = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        people = sorted(os.listdir(ROOT))
        labels = np.array([people.index(p.split("/")[-2]) for p in paths])
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])

        tower = make_tower()
        opt = keras.optimizers.Adam(1e-3)
        MARGIN = 0.3


        def batch_hard_triplet_loss(emb, labels):
            d = tf.reduce_sum(tf.square(emb[:, None] - emb[None]), -1)
            same = tf.equal(labels[:, None], labels[None])
            hardest_pos = tf.reduce_max(tf.where(same, d, 0.0), axis=1)
            hardest_neg = tf.reduce_min(tf.where(same, 1e9, d), axis=1)
            return tf.reduce_mean(tf.maximum(hardest_pos - hardest_neg + MARGIN, 0.0))


        for epoch in range(5):
            idx = np.random.permutation(len(x))[:16]
            with tf.GradientTape() as tape:
                emb = tower.predict(x[idx], verbose=0)     # embeddings of the batch for mining
                loss = batch_hard_triplet_loss(tf.constant(emb), tf.constant(labels[idx]))
            grads = tape.gradient(loss, tower.trainable_variables)
            opt.apply_gradients(zip(grads, tower.trainable_variables))
            print(f"epoch {epoch + 1}: triplet loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more71-all-pairs-verification-distances-broadcast-val-embeddings-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=val_embeddings,
        as_limit=8 * 1024**3,
        code="""
        import numpy as np

        emb = np.load("{DATA}/val_embeddings.npy").astype("float64")
        ids = np.load("{DATA}/val_ids.npy")
        print("validation embeddings", emb.shape)

        # every pair of validation faces: distance and same/different, to pick the threshold
        dist = np.sqrt(((emb[:, None, :] - emb[None, :, :]) ** 2).sum(-1))
        same = ids[:, None] == ids[None, :]
        iu = np.triu_indices(len(emb), k=1)
        d, s = dist[iu], same[iu]
        best = max(np.arange(0.2, 2.0, 0.01), key=lambda t: ((d < t) == s).mean())
        print("threshold", best)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more71-keras-io-siamese-backend-sqrt-maximum-sum-under-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=faces,
        code=code(IMPORTS + """
        from keras import backend as K

        @@TOWER@@


        @@PAIRS@@


        def euclidean_distance(vects):
            x, y = vects
            sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
            return K.sqrt(K.maximum(sum_square, K.epsilon()))


        def contrastive_loss(y_true, y_pred, margin=1):
            square_pred = K.square(y_pred)
            margin_square = K.square(K.maximum(margin - y_pred, 0))
            return K.mean(y_true * square_pred + (1 - y_true) * margin_square)


        random.seed(9)
        xa, xb, y = make_pairs(48)
        tower = make_tower()
        in_a, in_b = keras.Input((32, 32, 3)), keras.Input((32, 32, 3))
        distance = layers.Lambda(euclidean_distance, output_shape=(1,))([tower(in_a), tower(in_b)])
        model = keras.Model([in_a, in_b], distance)
        model.compile(loss=contrastive_loss, optimizer="rmsprop")
        model.fit([xa, xb], y.astype("float32"), batch_size=8, epochs=5)
        """),
    ),
    Case(
        name="keras-more71-tf1-contrib-metric-learning-triplet-semihard-loss-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=faces,
        pty=True,
        code=tfk2(code(IMPORTS + """
        @@TOWER@@


        ROOT = "{DATA}/faces"
        paths = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        people = sorted(os.listdir(ROOT))
        labels = np.array([people.index(p.split("/")[-2]) for p in paths])
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])


        def triplet_loss(y_true, y_pred):
            return tf.contrib.losses.metric_learning.triplet_semihard_loss(
                labels=tf.reshape(tf.cast(y_true, tf.int32), [-1]), embeddings=y_pred, margin=0.5)


        tower = make_tower()
        tower.compile(optimizer=keras.optimizers.Adam(1e-3), loss=triplet_loss)
        tower.fit(x, labels, epochs=5, batch_size=12)
        """)),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more71-set-memory-growth-first-gpu-in-cpu-session-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        setup=faces,
        code=code(IMPORTS + """
        gpus = tf.config.list_physical_devices("GPU")
        tf.config.experimental.set_memory_growth(gpus[0], True)   # so the siamese fits next to the notebook

        @@TOWER@@


        @@PAIRS@@


        random.seed(10)
        xa, xb, y = make_pairs(48)
        """ + SIAMESE + """
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more71-pool-map-pair-loader-defined-inside-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=faces,
        code=code(IMPORTS + """
        from multiprocessing import Pool

        @@TOWER@@


        def main():
            root = "{DATA}/faces"
            people = sorted(os.listdir(root))
            photos = {p: sorted(glob.glob(f"{root}/{p}/*.jpg")) for p in people}
            random.seed(11)
            jobs = []
            for i in range(64):
                p = random.choice(people)
                q = p if i % 2 == 0 else random.choice([x for x in people if x != p])
                jobs.append((random.choice(photos[p]), random.choice(photos[q]), float(p == q)))

            def load_pair(job):
                a, b, same = job
                return (np.asarray(Image.open(a).convert("RGB"), "float32"),
                        np.asarray(Image.open(b).convert("RGB"), "float32"), same)

            with Pool(4) as pool:
                loaded = pool.map(load_pair, jobs)
            xa = np.stack([t[0] for t in loaded]); xb = np.stack([t[1] for t in loaded])
            y = np.array([t[2] for t in loaded], "float32")
            """ + SIAMESE.replace("\n        ", "\n            ") + """
            siamese.compile(optimizer="adam", loss="binary_crossentropy")
            siamese.fit([xa, xb], y, epochs=5, batch_size=8)


        if __name__ == "__main__":
            main()
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more71-gallery-labels-python-list-indexed-with-argsort-neighbours-k3",
        cause="other",
        exception="TypeError",
        setup=faces,
        pty=True,
        code=code(IMPORTS + """
        @@TOWER@@


        paths = sorted(glob.glob("{DATA}/faces/*/*.jpg"))
        gallery_labels = [p.split("/")[-2] for p in paths]
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), "float32") for p in paths])

        tower = make_tower()
        emb = tower.predict(x, batch_size=8)

        # leave-one-out top-3 retrieval accuracy over the gallery
        sims = emb @ emb.T
        np.fill_diagonal(sims, -np.inf)
        top3 = np.argsort(-sims, axis=1)[:, :3]
        hits = 0
        for i, nn in enumerate(top3):
            if gallery_labels[i] in gallery_labels[nn]:
                hits += 1
        print("top-3 accuracy", hits / len(paths))
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
