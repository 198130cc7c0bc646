"""Untargeted held-out Keras / TensorFlow failures (g139, scored 0.96 top-1 and 0.96 top-3 before any rule for it) of remote-sensing and agriculture analysts
who train tf.keras models on multi-band imagery: satellite and drone tiles kept as ``.npy`` stacks or
16-bit PNGs, more than three bands (RGB + NIR, NDVI computed on the fly), patches cut from large
scenes, pretrained ``keras.applications`` backbones adapted to extra bands, U-Net land-cover
segmentation with integer masks, class-imbalance weights, ``tf.data`` pipelines fed from Python
generators, cloud-masked (NaN) pixels and time series of tiles, spread over the cause ids of the
taxonomy:

- files: an index CSV of tiles read by a ``from_generator`` pipeline after the cloudy tiles were
  deleted from disk; a scene stack ``.npy`` cut short by an interrupted copy (notebook);
- image sizes: a sliding window over a scene whose size is no multiple of the patch size (edge
  patches) batched by ``tf.data``; the 20 m SWIR band stacked with the 10 m bands;
- channels: ``weights="imagenet"`` asked for a four-band (RGB + NIR) input (notebook); one 16-bit
  RGB tile exported from QGIS with an alpha band, concatenated with its NIR PNG into five channels
  (the ``tf.data`` batch refuses it);
- boxes: tree-crown boxes in UTM metres turned into pixel rows without flipping the north-up axis,
  cropped with ``crop_to_bounding_box``;
- labels: land-cover masks with the nodata value 255 for a sparse loss; per-pixel class weights
  gathered by a mask that holds a class code added in a newer label export;
- label shapes: a ``from_generator`` ``output_signature`` that declares ``(H, W, 1)`` masks for a
  generator yielding ``(H, W)`` masks;
- dtypes: NDVI (float32) concatenated to the uint16 bands of 16-bit PNGs in the ``tf.data`` map;
- model inputs: a U-Net given 100 px patches (not a multiple of 16); a time series of tiles
  ``(T, H, W, C)`` given to a per-image CNN (notebook);
- model outputs: the one-channel sigmoid head of a building-footprint U-Net reused for six
  land-cover classes;
- weights: ImageNet MobileNetV2 weights copied layer by layer into a four-band MobileNetV2;
- API: ``class_weight`` for the masks of a U-Net;
- divergence: a yield regression on raw 0..10000 reflectances with SGD in a custom loop checked with
  ``check_numerics``; cloud-masked NaN pixels left in the tiles under ``enable_check_numerics``;
- gradients: a soft-IoU loss written with ``argmax`` in a custom loop;
- host memory: one preallocated float32 array for a whole year of full Sentinel-2 scenes;
- versions: ``fit_generator`` from a 2019 U-Net repository under Keras 3;
- workers: a ``multiprocessing.Pool`` given a patch-cutting function defined inside ``main``;
- GPU setup: ``set_memory_growth`` on the first listed GPU on a CPU-only machine;
- plain bugs: acquisition dates parsed from tile names with the wrong ``strptime`` format.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21, tf_keras only to write the cached ImageNet weights
file); scripts, scripts under a terminal (progress bars) and notebook cells run in a real IPython
shell. Everything runs on a CPU: causes that need a GPU are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more60.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g139): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import struct
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402

SRC = "corpus/generators/keras_more60.py"


# ---------------------------------------------------------------- data helpers
def _png16(path: Path, arr):
    """A 16-bit PNG (grey, grey + alpha, RGB or RGBA) written byte by byte (PIL has no 16-bit RGB)."""
    import numpy as np

    a = np.asarray(arr, dtype=">u2")
    if a.ndim == 2:
        a = a[..., None]
    h, w, c = a.shape
    ctype = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + a[y].tobytes() for y in range(h))

    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, ctype, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _refl(r, *shape):
    """Surface reflectance scaled by 10000, as Sentinel-2 L2A products store it."""
    import numpy as np

    return r.integers(200, 4500, size=shape).astype(np.uint16)


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def cloud_filtered_tiles(d: Path):
    import numpy as np
    r = _rng(6001)
    crops = ["wheat", "maize", "rapeseed", "fallow"]
    rows = []
    for i in range(40):
        name = f"T31UFQ_2023_r{i // 8:02d}_c{i % 8:02d}.npy"
        rows.append([name, crops[int(r.integers(0, 4))], f"{float(r.uniform(0, 0.2)):.3f}"])
        if i not in (11, 27):          # removed by the cloud filter after index.csv was written
            np.save(_mk(d / "tiles") / name, _refl(r, 32, 32, 4))
    _csv(d / "tiles" / "index.csv", ["tile", "crop", "cloud_fraction"], rows)


def _mk(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def truncated_scene(d: Path):
    import numpy as np
    r = _rng(6002)
    _mk(d / "scenes")
    np.save(d / "scenes" / "S2A_20230614_T31UFQ_B2348.npy", _refl(r, 512, 512, 4))
    np.save(d / "scenes" / "S2A_20230614_T31UFQ_mask.npy", r.integers(0, 5, size=(512, 512), dtype=np.uint8))
    p = d / "scenes" / "S2B_20230704_T31UFQ_B2348.npy"
    np.save(p, _refl(r, 512, 512, 4))
    b = p.read_bytes()
    p.write_bytes(b[: len(b) * 3 // 5])              # rsync interrupted
    np.save(d / "scenes" / "S2B_20230704_T31UFQ_mask.npy", r.integers(0, 5, size=(512, 512), dtype=np.uint8))


def uneven_scene(d: Path):
    import numpy as np
    r = _rng(6003)
    _mk(d / "scene")
    np.save(d / "scene" / "ortho_field_12.npy", _refl(r, 200, 232, 4))            # 200 x 232: not / 64
    np.save(d / "scene" / "ortho_field_12_mask.npy", r.integers(0, 3, size=(200, 232), dtype=np.uint8))


def band_folders(d: Path):
    import numpy as np
    r = _rng(6004)
    for i in range(12):
        t = _mk(d / "s2" / f"tile_{i:03d}")
        for b in ("B02", "B03", "B04", "B08"):
            np.save(t / f"{b}.npy", _refl(r, 64, 64))        # 10 m bands
        np.save(t / "B11.npy", _refl(r, 32, 32))             # 20 m SWIR
    np.save(d / "s2" / "labels.npy", r.integers(0, 2, size=12))


def rgb_nir_pngs(d: Path, alpha_tile=5):
    r = _rng(6005)
    rows = []
    for i in range(16):
        stem = f"drone_{i:03d}"
        rgb = r.integers(0, 65535, size=(48, 48, 4 if i == alpha_tile else 3))
        if i == alpha_tile:
            rgb[..., 3] = 65535                               # QGIS export kept the alpha band
        _png16(d / "tiles" / f"{stem}_rgb.png", rgb)
        _png16(d / "tiles" / f"{stem}_nir.png", r.integers(0, 65535, size=(48, 48)))
        rows.append([stem, int(r.integers(0, 3))])
    _csv(d / "tiles" / "labels.csv", ["tile", "stress_class"], rows)


def crowns_utm(d: Path):
    import json
    import numpy as np
    r = _rng(6006)
    _mk(d / "ortho")
    np.save(d / "ortho" / "orchard_2022.npy", r.integers(0, 255, size=(400, 400, 4), dtype=np.uint8))
    # GeoTIFF transform of the orthophoto: top-left corner (UTM 32N) and 0.1 m pixels
    (d / "ortho" / "orchard_2022.json").write_text(json.dumps(
        {"crs": "EPSG:32632", "x0": 512300.0, "y0": 5403240.0, "res": 0.1}, indent=2))
    rows = []
    for i in range(10):
        cx, cy = 512300.0 + float(r.uniform(4, 36)), 5403240.0 - float(r.uniform(4, 36))
        rows.append([f"{cx - 1.5:.2f}", f"{cy - 1.5:.2f}", f"{cx + 1.5:.2f}", f"{cy + 1.5:.2f}",
                     ["healthy", "stressed"][i % 2]])
    _csv(d / "ortho" / "crowns.csv", ["xmin", "ymin", "xmax", "ymax", "status"], rows)


def landcover_nodata(d: Path):
    import numpy as np
    r = _rng(6007)
    _mk(d / "patches")
    x = _refl(r, 48, 64, 64, 4)
    y = r.integers(0, 6, size=(48, 64, 64), dtype=np.uint8)
    y[7, :10, :] = 255                     # scene edge outside the swath: nodata in the CORINE raster
    y[30, 40:, 50:] = 255
    np.save(d / "patches" / "x.npy", x)
    np.save(d / "patches" / "y.npy", y)


def landcover_new_code(d: Path):
    import numpy as np
    r = _rng(6008)
    for i in range(20):
        t = _mk(d / "patches" / f"p{i:03d}")
        np.save(t / "bands.npy", _refl(r, 64, 64, 4))
        m = r.choice(7, size=(64, 64), p=[0.5, 0.2, 0.1, 0.08, 0.06, 0.06, 0.0]).astype(np.uint8)
        if i == 13:
            m[20:40, 20:40] = 7            # "greenhouses", added in the 2023 label export
        np.save(t / "mask.npy", m)


def landcover_arrays(d: Path, n=32, size=64, classes=6, seed=6009):
    import numpy as np
    r = _rng(seed)
    _mk(d / "patches")
    np.save(d / "patches" / "x.npy", _refl(r, n, size, size, 4))
    np.save(d / "patches" / "y.npy", r.integers(0, classes, size=(n, size, size, 1), dtype=np.uint8))


def landcover_pairs(d: Path):
    import numpy as np
    r = _rng(6010)
    for i in range(16):
        t = _mk(d / "pairs")
        np.save(t / f"img_{i:03d}.npy", _refl(r, 64, 64, 4))
        np.save(t / f"mask_{i:03d}.npy", r.integers(0, 5, size=(64, 64), dtype=np.uint8))


def ndvi_pngs(d: Path):
    r = _rng(6011)
    rows = []
    for i in range(16):
        _png16(d / "tiles" / f"field_{i:03d}.png", r.integers(200, 4500, size=(48, 48, 4)))   # B, G, R, NIR
        rows.append([f"field_{i:03d}.png", int(r.integers(0, 2))])
    _csv(d / "tiles" / "labels.csv", ["file", "irrigated"], rows)


def patches_100(d: Path):
    landcover_arrays(d, n=24, size=100, classes=4, seed=6013)


def time_series(d: Path):
    import numpy as np
    r = _rng(6014)
    _mk(d / "ts")
    np.save(d / "ts" / "parcels_x.npy", _refl(r, 40, 6, 32, 32, 4))     # 40 parcels x 6 dates
    np.save(d / "ts" / "parcels_y.npy", r.integers(0, 5, size=40))


def footprint_unet_landcover(d: Path):
    landcover_arrays(d, n=24, size=64, classes=6, seed=6015)


def imagenet_cache(d: Path):
    """The ImageNet MobileNetV2 no-top file as an earlier (online) run left it in ~/.keras/models."""
    home = d.parent
    _mk(home / ".keras" / "models")
    prep("tfk2", f"""
        import tf_keras as keras
        m = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
        m.save_weights("{home}/.keras/models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5")
    """, d)
    import numpy as np
    r = _rng(6016)
    _mk(d / "eurosat_ms")
    np.save(d / "eurosat_ms" / "x.npy", _refl(r, 32, 96, 96, 4))
    np.save(d / "eurosat_ms" / "y.npy", r.integers(0, 10, size=32))


def yield_tiles(d: Path):
    import numpy as np
    r = _rng(6017)
    _mk(d / "yield")
    np.save(d / "yield" / "x.npy", _refl(r, 64, 32, 32, 5).astype("float32"))    # raw L2A digital numbers
    np.save(d / "yield" / "t_ha.npy", r.uniform(3, 11, size=64).astype("float32"))


def cloudy_tiles(d: Path):
    import numpy as np
    r = _rng(6018)
    _mk(d / "tiles")
    x = _refl(r, 48, 32, 32, 4).astype("float32") / 10000.0
    for i in (3, 17, 40):                  # Fmask cloud pixels set to NaN by the export script
        x[i, 5:20, 8:25, :] = np.nan
    np.save(d / "tiles" / "x.npy", x)
    np.save(d / "tiles" / "y.npy", r.integers(0, 3, size=48))


def seg_small(d: Path):
    landcover_arrays(d, n=16, size=32, classes=4, seed=6019)


def seg_repo(d: Path):
    import numpy as np
    r = _rng(6020)
    for split in ("train", "val"):
        for i in range(12):
            t = _mk(d / "data" / split)
            np.save(t / f"{i:04d}_img.npy", _refl(r, 64, 64, 4))
            np.save(t / f"{i:04d}_lbl.npy", r.integers(0, 2, size=(64, 64), dtype=np.uint8))


def big_scenes(d: Path):
    import numpy as np
    r = _rng(6021)
    _mk(d / "scenes")
    for i in range(8):
        np.save(d / "scenes" / f"scene_{i}.npy", _refl(r, 256, 256, 4))


def dated_tiles(d: Path):
    import numpy as np
    r = _rng(6022)
    _mk(d / "ts")
    for day in ("20230412", "20230507", "20230614", "20230704", "20230816"):
        np.save(d / "ts" / f"S2_T31UFQ_{day}_field07.npy", _refl(r, 32, 32, 4))


UNET = """
def conv_block(x, f):
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(f, 3, padding="same", activation="relu")(x)


def unet(input_shape, n_out, out_act="softmax", depth=4, base=8):
    inp = keras.Input(input_shape)
    x = layers.Rescaling(1.0 / 10000)(inp)
    skips = []
    for i in range(depth):
        x = conv_block(x, base * 2 ** i)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = conv_block(x, base * 2 ** depth)
    for i in reversed(range(depth)):
        x = layers.Conv2DTranspose(base * 2 ** i, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skips[i]])
        x = conv_block(x, base * 2 ** i)
    out = layers.Conv2D(n_out, 1, activation=out_act)(x)
    return keras.Model(inp, out, name="unet")
"""


def unet(indent="        "):
    return "\n".join((indent + l) if l else l for l in UNET.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more60-from-generator-index-csv-lists-tiles-deleted-by-cloud-filter-k3",
        cause="data.missing_or_corrupt",
        exception="UnknownError",
        setup=cloud_filtered_tiles,
        pty=True,
        expect="No such file or directory",
        code="""
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        TILES = "{DATA}/tiles"
        CROPS = ["wheat", "maize", "rapeseed", "fallow"]

        with open(os.path.join(TILES, "index.csv")) as f:
            rows = [r for r in csv.DictReader(f) if float(r["cloud_fraction"]) < 0.3]
        print(len(rows), "tiles in index.csv")


        def tile_generator():
            for r in rows:
                bands = np.load(os.path.join(TILES, r["tile"])).astype("float32") / 10000.0
                blue, green, red, nir = np.moveaxis(bands, -1, 0)
                ndvi = (nir - red) / (nir + red + 1e-6)
                yield np.dstack([bands, ndvi]), CROPS.index(r["crop"])


        ds = tf.data.Dataset.from_generator(
            tile_generator,
            output_signature=(tf.TensorSpec((32, 32, 5), tf.float32), tf.TensorSpec((), tf.int32)),
        ).shuffle(64).batch(8).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((32, 32, 5)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CROPS), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more60-notebook-scene-stack-npy-truncated-by-interrupted-rsync-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        expect="Failed to read all data",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            PATCH = 64
            X, Y = [], []
            for path in sorted(glob.glob("{DATA}/scenes/*_B2348.npy")):
                scene = np.load(path)
                mask = np.load(path.replace("_B2348", "_mask"))
                for i in range(0, scene.shape[0], PATCH):
                    for j in range(0, scene.shape[1], PATCH):
                        X.append(scene[i:i + PATCH, j:j + PATCH])
                        Y.append(mask[i:i + PATCH, j:j + PATCH])
                print(path.rsplit("/", 1)[-1], scene.shape, "->", len(X), "patches")
            """,
            """
            X, Y = np.stack(X).astype("float32") / 10000.0, np.stack(Y)
            print(X.shape, Y.shape)
            """,
        ], data=truncated_scene),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more60-sliding-window-edge-patches-scene-not-multiple-of-64-tf-data-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=uneven_scene,
        pty=True,
        expect="Cannot batch tensors with different shapes",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATCH = 64
        scene = np.load("{DATA}/scene/ortho_field_12.npy")
        mask = np.load("{DATA}/scene/ortho_field_12_mask.npy")
        print("scene", scene.shape, "mask", mask.shape)


        def patches():
            h, w = mask.shape
            for i in range(0, h, PATCH):
                for j in range(0, w, PATCH):
                    yield scene[i:i + PATCH, j:j + PATCH].astype("float32") / 10000.0, mask[i:i + PATCH, j:j + PATCH]


        ds = tf.data.Dataset.from_generator(
            patches,
            output_signature=(tf.TensorSpec((None, None, 4), tf.float32), tf.TensorSpec((None, None), tf.uint8)),
        ).batch(8)

        inp = keras.Input((None, None, 4))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(3, 1, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more60-pydataset-stacks-20m-swir-band-with-10m-bands-np-stack-k3",
        cause="data.image_size_mismatch",
        also=("data.image_channels",),
        exception="ValueError",
        setup=band_folders,
        pty=True,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers

        BANDS = ["B02", "B03", "B04", "B08", "B11"]     # blue, green, red, NIR, SWIR (moisture)


        class S2Tiles(keras.utils.PyDataset):
            def __init__(self, folders, labels, batch_size=4, **kw):
                super().__init__(**kw)
                self.folders, self.labels, self.batch_size = folders, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.folders) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = []
                for folder in self.folders[sl]:
                    bands = [np.load(os.path.join(folder, b + ".npy")) for b in BANDS]
                    x.append(np.stack(bands, axis=-1).astype("float32") / 10000.0)
                return np.stack(x), self.labels[sl]


        folders = sorted(glob.glob("{DATA}/s2/tile_*"))
        labels = np.load("{DATA}/s2/labels.npy")
        model = keras.Sequential([
            keras.Input((64, 64, len(BANDS))),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(S2Tiles(folders, labels), epochs=2)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more60-notebook-resnet50-imagenet-weights-four-band-rgbn-input-shape-k3",
        cause="data.image_channels",
        also=("model.input_shape", "model.api_misuse"),
        exception="ValueError",
        expect="The input must have 3 channels",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            BANDS = ["red", "green", "blue", "nir"]
            NUM_CLASSES = 10      # EuroSAT land-use classes
            """,
            """
            backbone = keras.applications.ResNet50(
                weights="imagenet", include_top=False, input_shape=(64, 64, len(BANDS)), pooling="avg")
            backbone.trainable = False
            model = keras.Sequential([backbone, layers.Dropout(0.2), layers.Dense(NUM_CLASSES, activation="softmax")])
            model.summary()
            """,
        ]),
    ),
    Case(
        name="keras-more60-qgis-rgb-png16-export-with-alpha-concat-nir-five-channels-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=rgb_nir_pngs,
        expect="[48,48,5]",
        pty=True,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        TILES = "{DATA}/tiles"
        with open(f"{TILES}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        stems = [r["tile"] for r in rows]
        labels = [int(r["stress_class"]) for r in rows]


        def load(stem, label):
            rgb = tf.io.decode_png(tf.io.read_file(TILES + "/" + stem + "_rgb.png"), dtype=tf.uint16)
            nir = tf.io.decode_png(tf.io.read_file(TILES + "/" + stem + "_nir.png"), dtype=tf.uint16)
            img = tf.concat([rgb, nir], axis=-1)
            return tf.cast(img, tf.float32) / 65535.0, label


        ds = tf.data.Dataset.from_tensor_slices((stems, labels)).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((48, 48, 4)),                 # R, G, B, NIR
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more60-tree-crowns-utm-boxes-to-pixels-without-north-up-flip-crop-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=crowns_utm,
        expect="must be >= 0",
        code="""
        import csv
        import json

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ortho = np.load("{DATA}/ortho/orchard_2022.npy")            # R, G, B, NIR (drone, 0.1 m)
        geo = json.load(open("{DATA}/ortho/orchard_2022.json"))
        x0, y0, res = geo["x0"], geo["y0"], geo["res"]
        print("orthophoto", ortho.shape, geo["crs"])

        crops, labels = [], []
        with open("{DATA}/ortho/crowns.csv") as f:
            for r in csv.DictReader(f):
                col0 = int((float(r["xmin"]) - x0) / res)
                row0 = int((float(r["ymin"]) - y0) / res)
                col1 = int((float(r["xmax"]) - x0) / res)
                row1 = int((float(r["ymax"]) - y0) / res)
                crop = tf.image.crop_to_bounding_box(ortho, row0, col0, row1 - row0, col1 - col0)
                crops.append(tf.image.resize(crop, (32, 32)))
                labels.append(r["status"] == "stressed")

        x = tf.stack(crops) / 255.0
        y = np.array(labels, "float32")
        model = keras.Sequential([keras.Input((32, 32, 4)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(x, y, epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more60-landcover-masks-nodata-255-sparse-crossentropy-unet-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=landcover_nodata,
        pty=True,
        expect="Received a label value of 255",
        code="""
        import numpy as np
        import keras
        from keras import layers

        CLASSES = ["water", "forest", "cropland", "grassland", "urban", "bare"]

        @@UNET@@

        x = np.load("{DATA}/patches/x.npy")
        y = np.load("{DATA}/patches/y.npy")
        print("patches", x.shape, "masks", y.shape, "classes in masks:", np.unique(y))

        model = unet((64, 64, 4), len(CLASSES), depth=3)
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25)
        """.replace("@@UNET@@", unet()),
    ),
    Case(
        name="keras-more60-per-pixel-class-weights-gathered-by-mask-new-greenhouse-code-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=landcover_new_code,
        pty=True,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["background", "cereal", "maize", "orchard", "vineyard", "water", "road"]

        @@UNET@@

        folders = sorted(glob.glob("{DATA}/patches/p*"))
        counts = np.zeros(len(CLASSES))
        for f in folders[:8]:                                    # a sample is enough for the weights
            counts += np.bincount(np.load(f + "/mask.npy").ravel(), minlength=len(CLASSES))[:len(CLASSES)]
        freq = counts / counts.sum()
        CLASS_WEIGHTS = tf.constant(np.median(freq[freq > 0]) / np.maximum(freq, 1e-6), tf.float32)
        print("class weights:", np.round(CLASS_WEIGHTS.numpy(), 2))


        def gen():
            for f in folders:
                yield np.load(f + "/bands.npy").astype("float32"), np.load(f + "/mask.npy")


        def add_weights(x, y):
            w = tf.gather(CLASS_WEIGHTS, tf.cast(y, tf.int32))     # median-frequency balancing
            return x, y, w


        ds = (tf.data.Dataset.from_generator(
                gen, output_signature=(tf.TensorSpec((64, 64, 4), tf.float32), tf.TensorSpec((64, 64), tf.uint8)))
              .map(add_weights).batch(4))

        model = unet((64, 64, 4), len(CLASSES), depth=3)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """.replace("@@UNET@@", unet()),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more60-from-generator-signature-masks-hw1-generator-yields-hw-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=landcover_pairs,
        pty=True,
        expect="yielded an element of shape",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 5

        @@UNET@@

        images = sorted(glob.glob("{DATA}/pairs/img_*.npy"))


        def pairs():
            for p in images:
                img = np.load(p).astype("float32")
                mask = np.load(p.replace("img_", "mask_"))
                if np.random.rand() < 0.5:
                    img, mask = img[:, ::-1], mask[:, ::-1]
                yield img, mask


        ds = tf.data.Dataset.from_generator(
            pairs,
            output_signature=(
                tf.TensorSpec(shape=(64, 64, 4), dtype=tf.float32),
                tf.TensorSpec(shape=(64, 64, 1), dtype=tf.uint8),
            ),
        ).batch(4).prefetch(2)

        model = unet((64, 64, 4), NUM_CLASSES, depth=3)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """.replace("@@UNET@@", unet()),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more60-ndvi-float-concat-to-uint16-png-bands-in-tf-data-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=ndvi_pngs,
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        TILES = "{DATA}/tiles"
        with open(TILES + "/labels.csv") as f:
            rows = list(csv.DictReader(f))
        files = [TILES + "/" + r["file"] for r in rows]
        labels = [int(r["irrigated"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=4, dtype=tf.uint16)   # B, G, R, NIR
            red, nir = tf.cast(img[..., 2], tf.float32), tf.cast(img[..., 3], tf.float32)
            ndvi = (nir - red) / (nir + red + 1e-6)
            img = tf.concat([img, ndvi[..., None]], axis=-1)
            return img, label


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).shuffle(32).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 5)),
            layers.Rescaling(1.0 / 10000),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more60-unet-four-poolings-100px-patches-concatenate-mismatch-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=patches_100,
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 4
        PATCH = 100           # 100 px = 1 ha at 10 m, the field-survey unit

        @@UNET@@

        x = np.load("{DATA}/patches/x.npy")
        y = np.load("{DATA}/patches/y.npy")
        print(x.shape, y.shape)
        model = unet((PATCH, PATCH, 4), NUM_CLASSES, depth=4)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=4, epochs=2)
        """.replace("@@UNET@@", unet()),
    ),
    Case(
        name="keras-more60-notebook-time-series-of-tiles-5d-into-per-image-cnn-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            x = np.load("{DATA}/ts/parcels_x.npy").astype("float32") / 10000.0    # parcels, dates, H, W, bands
            y = np.load("{DATA}/ts/parcels_y.npy")
            n_parcels, n_dates, h, w, n_bands = x.shape
            print(x.shape, "crop types:", np.bincount(y))
            """,
            """
            model = keras.Sequential([
                keras.Input((h, w, n_bands)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(5, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, batch_size=8, epochs=3)
            """,
        ], data=time_series),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more60-building-footprint-unet-sigmoid-one-channel-reused-six-landcover-classes-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=footprint_unet_landcover,
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        CLASSES = ["water", "forest", "cropland", "grassland", "urban", "bare"]

        @@UNET@@

        x = np.load("{DATA}/patches/x.npy")
        y = np.load("{DATA}/patches/y.npy")
        print(x.shape, y.shape, "classes:", np.unique(y))

        # the U-Net from our building-footprint project, only the loss changed for the six classes
        model = unet((64, 64, 4), 1, out_act="sigmoid", depth=3)
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=2)
        """.replace("@@UNET@@", unet()),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more60-imagenet-mobilenetv2-weights-copied-layerwise-into-four-band-model-k3",
        cause="model.weights_mismatch",
        also=("data.image_channels",),
        exception="ValueError",
        setup=imagenet_cache,
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.load("{DATA}/eurosat_ms/x.npy").astype("float32") / 10000.0      # R, G, B, NIR
        y = np.load("{DATA}/eurosat_ms/y.npy")

        rgb = keras.applications.MobileNetV2(weights="imagenet", include_top=False, input_shape=(96, 96, 3))
        rgbn = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 4))

        # reuse the ImageNet filters for the multispectral backbone
        for src, dst in zip(rgb.layers, rgbn.layers):
            dst.set_weights(src.get_weights())

        model = keras.Sequential([rgbn, layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more60-class-weight-dict-for-unet-pixel-masks-keras3-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=seg_small,
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 4

        @@UNET@@

        x = np.load("{DATA}/patches/x.npy")
        y = np.load("{DATA}/patches/y.npy")
        counts = np.bincount(y.ravel(), minlength=NUM_CLASSES)
        class_weight = {c: float(counts.sum() / (NUM_CLASSES * counts[c])) for c in range(NUM_CLASSES)}
        print("class_weight:", class_weight)

        model = unet((32, 32, 4), NUM_CLASSES, depth=2)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=2, class_weight=class_weight)
        """.replace("@@UNET@@", unet()),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more60-yield-regression-raw-reflectance-sgd-custom-loop-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=yield_tiles,
        expect="Tensor had",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        x = np.load("{DATA}/yield/x.npy")          # B2, B3, B4, B8, B11 digital numbers (0..10000)
        y = np.load("{DATA}/yield/t_ha.npy")       # wheat yield, t/ha
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(16)

        model = keras.Sequential([
            keras.Input((32, 32, 5)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        mse = keras.losses.MeanSquaredError()


        @tf.function
        def train_step(xb, yb):
            with tf.GradientTape() as tape:
                pred = model(xb, training=True)
                loss = mse(yb[:, None], pred)
                loss = tf.debugging.check_numerics(loss, "yield loss")
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(20):
            losses = [float(train_step(xb, yb)) for xb, yb in ds]
            print(f"epoch {epoch + 1}: mse {np.mean(losses):.3f}")
        """,
    ),
    Case(
        name="keras-more60-cloud-masked-nan-pixels-left-in-tiles-enable-check-numerics-k3",
        cause="optim.divergence",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        setup=cloudy_tiles,
        pty=True,
        expect="NaN",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # the loss went to nan in epoch 1 yesterday: find the op that produces it
        tf.debugging.enable_check_numerics()

        x = np.load("{DATA}/tiles/x.npy")          # reflectance 0..1, Fmask clouds exported as NaN
        y = np.load("{DATA}/tiles/y.npy")
        print(x.shape, "min", np.nanmin(x), "max", np.nanmax(x))

        model = keras.Sequential([
            keras.Input((32, 32, 4)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more60-soft-iou-loss-written-with-argmax-custom-loop-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=seg_small,
        expect="No gradients provided",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4

        @@UNET@@


        def miou_loss(y_true, y_pred):
            pred = tf.one_hot(tf.argmax(y_pred, axis=-1), NUM_CLASSES)
            true = tf.one_hot(tf.cast(y_true[..., 0], tf.int32), NUM_CLASSES)
            inter = tf.reduce_sum(pred * true, axis=[0, 1, 2])
            union = tf.reduce_sum(pred + true, axis=[0, 1, 2]) - inter
            return 1.0 - tf.reduce_mean((inter + 1.0) / (union + 1.0))


        x = np.load("{DATA}/patches/x.npy").astype("float32")
        y = np.load("{DATA}/patches/y.npy")
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
        model = unet((32, 32, 4), NUM_CLASSES, depth=2)
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    loss = miou_loss(yb, model(xb, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print("epoch", epoch, "loss", float(loss))
        """.replace("@@UNET@@", unet()),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more60-preallocated-year-of-full-sentinel2-scenes-float32-stack-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        expect="Unable to allocate",
        code="""
        import glob
        import datetime as dt

        import numpy as np
        import keras

        SCENE = 10980            # one Sentinel-2 tile at 10 m
        BANDS = ["B02", "B03", "B04", "B08", "B05", "B06", "B07", "B8A", "B11", "B12"]
        dates = [dt.date(2023, 1, 3) + dt.timedelta(days=5 * k) for k in range(73)]

        print(f"building the {len(dates)}-date stack for T31UFQ ...")
        stack = np.zeros((len(dates), SCENE, SCENE, len(BANDS)), dtype=np.float32)
        for t, day in enumerate(dates):
            for b, band in enumerate(BANDS):
                for path in glob.glob(f"S2*_{day:%Y%m%d}_T31UFQ_{band}.npy"):
                    stack[t, ..., b] = np.load(path) / 10000.0
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more60-2019-unet-repo-fit-generator-npy-batch-generator-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=seg_repo,
        expect="fit_generator",
        code="""
        import glob
        import random

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers


        def batch_generator(folder, batch_size=4):
            files = sorted(glob.glob(folder + "/*_img.npy"))
            while True:
                random.shuffle(files)
                for i in range(0, len(files) - batch_size + 1, batch_size):
                    x = np.stack([np.load(f) for f in files[i:i + batch_size]]).astype("float32") / 10000.0
                    y = np.stack([np.load(f.replace("_img", "_lbl")) for f in files[i:i + batch_size]])
                    yield x, y[..., None].astype("float32")


        inp = keras.Input((64, 64, 4))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m = layers.concatenate([u1, c1])
        out = layers.Conv2D(1, 1, activation="sigmoid")(m)
        model = keras.Model(inp, out)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy", metrics=["accuracy"])

        model.fit_generator(batch_generator("{DATA}/data/train"), steps_per_epoch=3, epochs=5,
                            validation_data=batch_generator("{DATA}/data/val"), validation_steps=3)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more60-multiprocessing-pool-patch-cutter-defined-inside-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=big_scenes,
        expect="Can't",
        code="""
        import glob
        import multiprocessing as mp

        import numpy as np
        import keras
        from keras import layers


        def main():
            PATCH = 64

            def cut(path):
                scene = np.load(path).astype("float32") / 10000.0
                red, nir = scene[..., 2], scene[..., 3]
                scene = np.dstack([scene, (nir - red) / (nir + red + 1e-6)])
                h, w = scene.shape[:2]
                return [scene[i:i + PATCH, j:j + PATCH] for i in range(0, h, PATCH) for j in range(0, w, PATCH)]

            paths = sorted(glob.glob("{DATA}/scenes/*.npy"))
            with mp.Pool(4) as pool:
                patches = [p for ps in pool.map(cut, paths) for p in ps]
            x = np.stack(patches)
            print(x.shape)

            model = keras.Sequential([keras.Input((PATCH, PATCH, 5)), layers.Conv2D(8, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(1)])
            model.compile("adam", "mse")


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more60-set-memory-growth-first-listed-gpu-cpu-only-machine-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        setup=seg_small,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        gpus = tf.config.list_physical_devices("GPU")
        tf.config.experimental.set_memory_growth(gpus[0], True)     # the tiles are big, grow as needed
        print("training on", gpus[0].name)

        x = np.load("{DATA}/patches/x.npy").astype("float32") / 10000.0
        y = np.load("{DATA}/patches/y.npy")
        model = keras.Sequential([keras.Input((32, 32, 4)), layers.Conv2D(16, 3, padding="same", activation="relu"),
                                  layers.Conv2D(4, 1, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=4, epochs=2)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more60-time-series-tile-dates-parsed-with-wrong-strptime-format-k3",
        cause="other",
        exception="ValueError",
        setup=dated_tiles,
        expect="does not match format",
        code="""
        import glob
        import os
        from datetime import datetime

        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/ts/S2_T31UFQ_*_field07.npy"))
        dates = [datetime.strptime(os.path.basename(f).split("_")[2], "%Y-%m-%d") for f in files]
        doy = np.array([d.timetuple().tm_yday for d in dates], "float32") / 365.0
        x = np.stack([np.load(f) for f in files]).astype("float32") / 10000.0
        print(x.shape, doy)

        model = keras.Sequential([
            keras.Input((len(files), 32, 32, 4)),
            layers.TimeDistributed(layers.Conv2D(8, 3, activation="relu")),
            layers.TimeDistributed(layers.GlobalAveragePooling2D()),
            layers.LSTM(16),
            layers.Dense(1),
        ])
        model.compile("adam", "mse")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
