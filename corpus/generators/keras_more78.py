"""Untargeted held-out Keras / TensorFlow failures (g180, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of weather and climate scientists training
Keras / tf.keras CNNs on gridded satellite and reanalysis data: multi-channel latitude x longitude grids
saved as ``.npy`` (many variables per file, NaN-filled land or missing-data masks, grid shapes that
differ between products such as ERA5, MERRA-2 and CMIP6 output), time stacks of frames for
precipitation nowcasting, precipitation regression and cloud-type segmentation, normalisation
statistics computed per variable, ``tf.data`` windows over time, and models shared between groups as
``.keras`` files, spread over the cause ids of the taxonomy:

- files: a daily ERA5 ``.npy`` cut short when the copy from the archive was interrupted, read with
  ``np.load``; daily GPM IMERG files named from a date range that runs over a leap day the product is
  missing (notebook);
- image sizes: ERA5 (73 x 144) and MERRA-2 (72 x 144, no pole row) daily grids stacked into one training
  set (tf_keras);
- channels: ``tf.image.rgb_to_grayscale`` of the visible-composite pipeline reused on single-channel
  infrared frames; the partner group's five-variable ``.keras`` model given a product that has four
  (notebook);
- boxes: cyclone-track boxes in degrees east (-180 .. 180) used as column offsets into a 0 .. 360
  longitude grid with ``crop_to_bounding_box``;
- labels: the cloud-type product's 255 "no data / space" fill value left in the masks of a ten-class
  sparse segmentation loss;
- label shapes: nowcasting inputs and lagged rain targets cut off by one time step apart; one-hot
  cloud-type masks under ``sparse_categorical_crossentropy`` (tf_keras);
- dtypes: float64 ``.npy`` grids (written from xarray) returned through ``tf.numpy_function`` declared
  ``tf.float32``;
- model inputs: a ``ConvLSTM2D`` nowcaster fed frame stacks without a channel axis; the partner's
  ``Flatten`` precipitation model run on a coarser CMIP6 grid (notebook);
- model outputs: a nowcaster with one output frame trained on targets for three lead times;
- weights: the partner group's ``.weights.h5`` for six input variables loaded into the local
  eight-variable model;
- API: ``Dataset.window`` over time given to ``fit`` without ``flat_map``; a shared ``.keras`` model
  compiled with a custom NaN-masked loss loaded without ``custom_objects``;
- divergence: a precipitation regressor on raw geopotential (m2 s-2) and humidity under SGD, stopped by
  ``tf.debugging.check_numerics`` in the custom training loop;
- gradients: one non-persistent ``GradientTape`` asked for the data loss and the mass-conservation
  penalty gradients in turn;
- host memory: a 30-year memory-mapped hourly stack converted with ``astype(np.float64)`` to compute the
  per-variable climatology;
- versions: ``keras.preprocessing.sequence.TimeseriesGenerator`` from a 2020 nowcasting tutorial under
  Keras 3 (notebook); a Keras 3 ``.keras`` file loaded by a group that runs tf_keras
  (``TF_USE_LEGACY_KERAS=1``);
- workers: per-variable statistics computed with ``multiprocessing.Pool.map`` over a function defined
  inside ``main``;
- plain bugs: the predicted precipitation map ``(H, W, 1)`` float32 written with ``Image.fromarray``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more78.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g180): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more78.py"

ERA5_VARS = ["t850", "z500", "q700", "u850", "v850"]
CLOUD_TYPES = ["clear", "very_low", "low", "mid", "high_opaque", "very_high_opaque",
               "semi_thin", "semi_thick", "cirrus_over", "fractional"]


# ---------------------------------------------------------------- data helpers
def _field(r, shape, block=4, dtype="float32"):
    """A smooth-ish random field of shape (h, w) or (h, w, c)."""
    import numpy as np
    h, w = shape[:2]
    rest = tuple(shape[2:])
    small = r.normal(size=(-(-h // block), -(-w // block)) + rest)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].astype(dtype)


def _land(h, w):
    """A fixed blob-shaped land mask (True on land)."""
    import numpy as np
    yy, xx = np.mgrid[0:h, 0:w]
    return ((yy - h * 0.4) ** 2 / (h * 0.2) ** 2 + (xx - w * 0.3) ** 2 / (w * 0.15) ** 2) < 1


def daily_grids(folder, days, shape=(32, 64), nvars=5, seed=7801, truncate=None, nan_land=True,
                dtype="float32", prefix="era5_"):
    """<folder>/<prefix>YYYYMMDD.npy: (lat, lon, var) grids with NaN over land; plus rain targets."""
    def setup(d: Path):
        import datetime
        import numpy as np
        r = _rng(seed)
        out = d / folder
        out.mkdir(parents=True, exist_ok=True)
        land = _land(*shape)
        day0 = datetime.date(2019, 6, 1)
        rain = []
        for k in range(days):
            x = _field(r, shape + (nvars,), dtype=dtype)
            if nan_land:
                x[land] = np.nan
            p = out / f"{prefix}{(day0 + datetime.timedelta(days=k)).strftime('%Y%m%d')}.npy"
            np.save(p, x)
            if truncate is not None and k == truncate:
                b = p.read_bytes()
                p.write_bytes(b[: len(b) * 11 // 20])       # the rsync from the archive was interrupted
            rain.append(np.abs(_field(r, shape)))
        np.save(out / "rain_mm_day.npy", np.stack(rain))
    return setup


def imerg_feb2020(d: Path):
    import datetime
    import numpy as np
    r = _rng(7802)
    out = d / "imerg"
    out.mkdir(parents=True, exist_ok=True)
    day = datetime.date(2020, 2, 1)
    while day.month == 2:
        if day.day != 29:                                # the processing centre never produced this day
            np.save(out / f"3B-DAY.MS.MRG.3IMERG.{day.strftime('%Y%m%d')}.npy",
                    np.abs(_field(r, (36, 72))))
        day += datetime.timedelta(days=1)


def two_products(d: Path):
    """ERA5 on the 2.5 degree grid (73 x 144, both poles) and MERRA-2 regridded without the pole row."""
    import numpy as np
    r = _rng(7803)
    for prod, shape in (("era5", (73, 144)), ("merra2", (72, 144))):
        out = d / "reanalysis" / prod
        out.mkdir(parents=True, exist_ok=True)
        for k in range(12):
            np.save(out / f"{prod}_2018{k + 1:02d}15.npy", _field(r, shape + (4,)))
            np.save(out / f"{prod}_2018{k + 1:02d}15_tp.npy", np.abs(_field(r, shape)))


def ir_frames(d: Path):
    """seviri/<type>/*.png: single-channel IR 10.8 um brightness-temperature frames (8-bit)."""
    from PIL import Image
    import numpy as np
    r = _rng(7804)
    for c in ("clear", "cumulus", "stratus", "cirrus"):
        out = d / "seviri_ir108" / c
        out.mkdir(parents=True, exist_ok=True)
        for i in range(6):
            a = ((_field(r, (64, 64)) * 40) + 128).clip(0, 255).astype(np.uint8)
            Image.fromarray(a).save(out / f"MSG4_IR108_{c}_{i:03d}.png")


def partner_model_5vars(d: Path):
    import numpy as np
    r = _rng(7805)
    (d / "cmip6").mkdir(parents=True, exist_ok=True)
    # the new product has no CAPE field: four variables
    np.save(d / "cmip6" / "ssp245_2050_day001.npy", _field(r, (32, 64, 4)))
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("shared", exist_ok=True)
        inp = keras.Input((32, 64, 5), name="t850_z500_q700_u850_cape")
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 1, activation="softplus", name="precip")(h)
        model = keras.Model(inp, out, name="precip_downscaler_v3")
        model.compile(optimizer="adam", loss="mse")
        model.save("shared/precip_downscaler_v3.keras")
    """, d)


def cyclone_tracks(d: Path):
    """ibtracs/boxes.csv: storm boxes in degrees (lon -180 .. 180), and a global 1 degree grid."""
    import csv
    import numpy as np
    r = _rng(7806)
    out = d / "ibtracs"
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "ir_global_1deg_2017.npy", _field(r, (181, 360, 2)))
    rows = [["sid", "name", "lat_min", "lat_max", "lon_min", "lon_max"],
            ["2017253N13118", "DOKSURI", 10.0, 26.0, 104.0, 120.0],
            ["2017228N14314", "HARVEY", 18.0, 34.0, -100.0, -84.0],
            ["2017242N16333", "IRMA", 12.0, 28.0, -66.0, -50.0]]
    with open(out / "boxes_2017.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def cloud_masks(d: Path, n=16, fill=True):
    """cloudtype/x.npy (n, 48, 48, 3) SEVIRI channels and y.npy (n, 48, 48) class ids with 255 fill."""
    import numpy as np
    r = _rng(7807)
    out = d / "cloudtype"
    out.mkdir(parents=True, exist_ok=True)
    x = _field(r, (48, 48, 3 * n)).reshape(48, 48, n, 3).transpose(2, 0, 1, 3).copy()
    y = r.integers(0, 10, size=(n, 12, 12)).repeat(4, 1).repeat(4, 2).astype("uint8")
    if fill:
        y[:, :, :5] = 255                                    # off the Earth disk: no data
    np.save(out / "seviri_x.npy", x)
    np.save(out / "ct_y.npy", y)


def radar_frames(d: Path, n=60):
    """radar/rr_*.npy: 5-minute rain-rate composites (64 x 64) over one afternoon."""
    import numpy as np
    r = _rng(7808)
    out = d / "radar"
    out.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        np.save(out / f"rr_20230714_{12 + k // 12:02d}{(k % 12) * 5:02d}.npy", np.abs(_field(r, (64, 64))))


def float64_grids(d: Path):
    import numpy as np
    r = _rng(7809)
    out = d / "reanalysis_f64"
    out.mkdir(parents=True, exist_ok=True)
    for k in range(16):
        np.save(out / f"era5_201901{k + 1:02d}.npy", _field(r, (32, 64, 5), dtype="float64"))
        np.save(out / f"tp_201901{k + 1:02d}.npy", np.abs(_field(r, (32, 64, 1), dtype="float64")))


def cmip6_coarse(d: Path):
    import numpy as np
    r = _rng(7810)
    (d / "cmip6").mkdir(parents=True, exist_ok=True)
    np.save(d / "cmip6" / "mpi-esm1-2-lr_ssp585_2080.npy", _field(r, (10, 24, 48, 3)))
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("shared", exist_ok=True)
        model = keras.Sequential([
            keras.Input((32, 64, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="softplus", name="regional_precip"),
        ], name="monsoon_index_era5")
        model.compile(optimizer="adam", loss="mse")
        model.save("shared/monsoon_index_era5.keras")
    """, d)


def partner_weights_6vars(d: Path):
    daily_grids("era5_8var", 20, nvars=8, seed=7811, nan_land=False)(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("shared", exist_ok=True)
        model = keras.Sequential([
            keras.Input((32, 64, 6)),
            layers.Conv2D(16, 3, padding="same", activation="relu", name="enc1"),
            layers.Conv2D(16, 3, padding="same", activation="relu", name="enc2"),
            layers.Conv2D(1, 1, activation="softplus", name="precip"),
        ], name="precip_unet_lite")
        model.save_weights("shared/precip_unet_lite_6var.weights.h5")
    """, d)


def masked_loss_model(d: Path):
    daily_grids("era5", 12, seed=7812)(d)
    prep("k3", """
        import os
        import keras
        from keras import layers, ops
        os.makedirs("shared", exist_ok=True)


        def masked_mse(y_true, y_pred):
            valid = ops.logical_not(ops.isnan(y_true))
            y_true = ops.where(valid, y_true, 0.0)
            y_pred = ops.where(valid, y_pred, 0.0)
            return ops.sum(ops.square(y_true - y_pred)) / ops.maximum(ops.sum(ops.cast(valid, "float32")), 1.0)


        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, name="sst_anomaly"),
        ], name="sst_gapfill")
        model.compile(optimizer="adam", loss=masked_mse)
        model.save("shared/sst_gapfill_oceanlab.keras")
    """, d)


def keras3_file_for_tfk2(d: Path):
    daily_grids("era5", 8, seed=7813)(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("shared", exist_ok=True)
        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ], name="precip_cnn_groupA")
        model.compile(optimizer="adam", loss="mse")
        model.save("shared/precip_cnn_groupA.keras")
    """, d)


def hourly_memmap(d: Path):
    """A memory-mapped 30-year hourly stack (sparse on disk: only the header and one frame are written)."""
    import numpy as np
    out = d / "era5_hourly"
    out.mkdir(parents=True, exist_ok=True)
    mm = np.lib.format.open_memmap(out / "era5_1991-2020_hourly_2p5deg.npy", mode="w+",
                                   dtype="float16", shape=(262968, 73, 144, 2))
    mm[0] = 1.0
    mm.flush()
    del mm


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


def cell(body, imports=False):
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    return b


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more78-era5-daily-npy-cut-short-by-interrupted-archive-copy-np-load-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=daily_grids("era5", 20, truncate=13),
        code=IMPORTS + """
        VARS = ["t850", "z500", "q700", "u850", "v850"]
        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        print(len(files), "daily ERA5 files")

        x = np.stack([np.load(f) for f in files])                  # (day, lat, lon, var)
        y = np.load("{DATA}/era5/rain_mm_day.npy")[..., None]

        # per-variable statistics over ocean points only (land is NaN)
        mean = np.nanmean(x, axis=(0, 1, 2))
        std = np.nanstd(x, axis=(0, 1, 2))
        x = np.nan_to_num((x - mean) / std)

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ], name="precip_cnn")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=5, batch_size=4, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more78-imerg-daily-files-named-from-date-range-over-missing-leap-day-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        **notebook([
            cell(imports=True, body="""
            import datetime

            ROOT = "{DATA}/imerg"
            START, END = datetime.date(2020, 2, 1), datetime.date(2020, 2, 29)
            """),
            cell("""
            days = [START + datetime.timedelta(days=k) for k in range((END - START).days + 1)]
            paths = [f"{ROOT}/3B-DAY.MS.MRG.3IMERG.{d:%Y%m%d}.npy" for d in days]
            len(paths)
            """),
            cell("""
            precip = np.stack([np.load(p) for p in paths])   # (time, lat, lon) mm/day
            precip.shape, np.nanmax(precip)
            """),
        ], data=imerg_feb2020),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more78-era5-73-rows-and-merra2-72-rows-daily-grids-stacked-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=two_products,
        code=tfk2(IMPORTS + """
        ROOT = "{DATA}/reanalysis"

        xs, ys = [], []
        for product in ("era5", "merra2"):          # more training days: use both reanalyses
            for f in sorted(glob.glob(f"{ROOT}/{product}/{product}_*[0-9].npy")):
                xs.append(np.load(f))
                ys.append(np.load(f.replace(".npy", "_tp.npy")))
        print(len(xs), "days from two reanalyses")

        x = np.stack(xs).astype("float32")
        y = np.stack(ys)[..., None].astype("float32")

        model = keras.Sequential([
            keras.Input((None, None, 4)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=3, batch_size=4)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more78-rgb-to-grayscale-from-visible-pipeline-on-single-channel-ir108-frames-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=ir_frames,
        code=IMPORTS + """
        CLASSES = ["clear", "cumulus", "stratus", "cirrus"]
        files = sorted(glob.glob("{DATA}/seviri_ir108/*/*.png"))
        labels = [CLASSES.index(f.split(os.sep)[-2]) for f in files]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.convert_image_dtype(img, tf.float32)
            # shared augmentation from the HRV / natural-colour RGB pipeline
            img = tf.image.rgb_to_grayscale(img)
            img = tf.image.random_flip_left_right(img)
            return img, label


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).shuffle(32).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more78-partner-five-variable-keras-model-given-four-variable-cmip6-grid-notebook-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            model = keras.models.load_model("{DATA}/shared/precip_downscaler_v3.keras")
            model.input_shape
            """),
            cell("""
            grid = np.load("{DATA}/cmip6/ssp245_2050_day001.npy")    # t850, z500, q700, u850
            grid = (grid - grid.mean(axis=(0, 1))) / grid.std(axis=(0, 1))
            grid.shape
            """),
            cell("""
            pred = model.predict(grid[None])
            pred.shape
            """),
        ], data=partner_model_5vars),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more78-cyclone-boxes-degrees-east-negative-used-as-columns-of-0-360-grid-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=cyclone_tracks,
        code=IMPORTS + """
        ROOT = "{DATA}/ibtracs"
        grid = np.load(f"{ROOT}/ir_global_1deg_2017.npy")       # lat 90..-90, lon 0..359, 1 degree
        with open(f"{ROOT}/boxes_2017.csv", newline="") as f:
            storms = list(csv.DictReader(f))

        patches = []
        for s in storms:
            row = int(90 - float(s["lat_max"]))
            col = int(float(s["lon_min"]))
            h = int(float(s["lat_max"]) - float(s["lat_min"]))
            w = int(float(s["lon_max"]) - float(s["lon_min"]))
            patch = tf.image.crop_to_bounding_box(grid, row, col, h, w)
            patches.append(tf.image.resize(patch, (32, 32)))
            print(s["name"], patch.shape)

        x = tf.stack(patches)
        model = keras.Sequential([
            keras.Input((32, 32, 2)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="max_wind"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, np.array([45.0, 60.0, 80.0]), epochs=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more78-cloud-type-masks-with-255-space-fill-sparse-segmentation-loss-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=cloud_masks,
        pty=True,
        code=IMPORTS + """
        CLOUD_TYPES = ["clear", "very_low", "low", "mid", "high_opaque", "very_high_opaque",
                       "semi_thin", "semi_thick", "cirrus_over", "fractional"]
        x = np.load("{DATA}/cloudtype/seviri_x.npy")       # VIS0.6, IR10.8, WV6.2
        y = np.load("{DATA}/cloudtype/ct_y.npy")           # NWC SAF cloud-type ids
        print(x.shape, y.shape, "classes in masks:", np.unique(y))

        inp = keras.Input((48, 48, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        h = layers.UpSampling2D()(h)
        out = layers.Conv2D(len(CLOUD_TYPES), 1, activation="softmax")(h)
        model = keras.Model(inp, out, name="cloudtype_seg")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more78-nowcasting-inputs-and-lagged-rain-targets-cut-one-step-apart-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=radar_frames,
        pty=True,
        code=IMPORTS + """
        HIST, LEAD = 4, 3            # 4 past frames -> rain 15 min ahead
        files = sorted(glob.glob("{DATA}/radar/rr_*.npy"))
        rr = np.stack([np.load(f) for f in files])[..., None]        # (t, 64, 64, 1) mm/h

        x = np.stack([rr[t - HIST:t, ..., 0].transpose(1, 2, 0) for t in range(HIST, len(rr) - LEAD)])
        y = rr[HIST + LEAD - 1:]
        print("inputs", x.shape, "targets", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, HIST)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="relu"),
        ], name="nowcast_cnn")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    Case(
        name="keras-more78-one-hot-cloud-type-masks-under-sparse-categorical-crossentropy-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=lambda d: cloud_masks(d, fill=False),
        code=tfk2(IMPORTS + """
        NUM_TYPES = 10
        x = np.load("{DATA}/cloudtype/seviri_x.npy")
        y = keras.utils.to_categorical(np.load("{DATA}/cloudtype/ct_y.npy"), NUM_TYPES)
        print(x.shape, y.shape)

        inp = keras.Input((48, 48, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(NUM_TYPES, 1, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4, verbose=2)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more78-float64-npy-grids-through-numpy-function-declared-float32-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=float64_grids,
        pty=True,
        code=IMPORTS + """
        files = sorted(glob.glob("{DATA}/reanalysis_f64/era5_*.npy"))     # written with ds.to_numpy()


        def load_pair(path):
            path = path.decode()
            x = np.nan_to_num(np.load(path))
            y = np.load(path.replace("era5_", "tp_"))
            return x, y


        def tf_load(path):
            x, y = tf.numpy_function(load_pair, [path], [tf.float32, tf.float32])
            x.set_shape((32, 64, 5))
            y.set_shape((32, 64, 1))
            return x, y


        ds = (tf.data.Dataset.from_tensor_slices(files)
              .shuffle(len(files))
              .map(tf_load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(4))

        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more78-convlstm2d-nowcaster-fed-frame-stacks-without-channel-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=radar_frames,
        code=IMPORTS + """
        SEQ = 6
        files = sorted(glob.glob("{DATA}/radar/rr_*.npy"))
        rr = np.stack([np.load(f) for f in files]).astype("float32")    # (t, 64, 64)
        rr = np.log1p(rr)

        x = np.stack([rr[t:t + SEQ] for t in range(len(rr) - SEQ)])      # (n, SEQ, 64, 64)
        y = rr[SEQ:][..., None]
        print(x.shape, y.shape)

        model = keras.Sequential([
            layers.ConvLSTM2D(16, 3, padding="same", return_sequences=True),
            layers.ConvLSTM2D(16, 3, padding="same"),
            layers.Conv2D(1, 1, activation="relu"),
        ], name="convlstm_nowcast")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=3, batch_size=4, verbose=2)
        """,
    ),
    Case(
        name="keras-more78-partner-flatten-model-for-era5-grid-run-on-coarser-cmip6-grid-notebook-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            model = keras.models.load_model("{DATA}/shared/monsoon_index_era5.keras")
            model.summary()
            """),
            cell("""
            fields = np.load("{DATA}/cmip6/mpi-esm1-2-lr_ssp585_2080.npy")   # (year, lat, lon, var)
            fields = (fields - fields.mean(axis=(0, 1, 2))) / fields.std(axis=(0, 1, 2))
            fields.shape
            """),
            cell("""
            index = model.predict(fields, verbose=0)
            index[:, 0]
            """),
        ], data=cmip6_coarse),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more78-nowcaster-with-one-output-frame-trained-on-three-lead-times-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=radar_frames,
        pty=True,
        code=IMPORTS + """
        HIST = 4
        LEADS = (1, 2, 3)              # +5, +10, +15 min
        files = sorted(glob.glob("{DATA}/radar/rr_*.npy"))
        rr = np.log1p(np.stack([np.load(f) for f in files]).astype("float32"))[:, :32, :]   # (t, 32, 64)

        idx = range(HIST, len(rr) - max(LEADS))
        x = np.stack([rr[t - HIST:t].transpose(1, 2, 0) for t in idx])                       # (n, 32, 64, 4)
        y = np.stack([np.stack([rr[t + k - 1] for k in LEADS])[..., None] for t in idx])      # (n, 3, 32, 64, 1)
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((32, 64, HIST)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="relu"),
        ], name="nowcast_multi_lead")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more78-partner-six-variable-weights-h5-loaded-into-eight-variable-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=partner_weights_6vars,
        code=IMPORTS + """
        VARS = ["t850", "z500", "q700", "u850", "v850", "tcwv", "cape", "sp"]
        files = sorted(glob.glob("{DATA}/era5_8var/era5_*.npy"))
        x = np.stack([np.load(f) for f in files])
        y = np.load("{DATA}/era5_8var/rain_mm_day.npy")[..., None]
        x = (x - x.mean(axis=(0, 1, 2))) / x.std(axis=(0, 1, 2))

        model = keras.Sequential([
            keras.Input((32, 64, len(VARS))),
            layers.Conv2D(16, 3, padding="same", activation="relu", name="enc1"),
            layers.Conv2D(16, 3, padding="same", activation="relu", name="enc2"),
            layers.Conv2D(1, 1, activation="softplus", name="precip"),
        ], name="precip_unet_lite")
        # warm start from the partner group's model (trained on the first six variables)
        model.load_weights("{DATA}/shared/precip_unet_lite_6var.weights.h5")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more78-dataset-window-over-time-given-to-fit-without-flat-map-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=radar_frames,
        code=IMPORTS + """
        SEQ = 6
        files = sorted(glob.glob("{DATA}/radar/rr_*.npy"))
        rr = np.log1p(np.stack([np.load(f) for f in files]).astype("float32"))[..., None]   # (t, 64, 64, 1)

        frames = tf.data.Dataset.from_tensor_slices(rr)
        windows = frames.window(SEQ + 1, shift=1, drop_remainder=True)
        pairs = windows.map(lambda w: (w.take(SEQ), w.skip(SEQ)))
        train_ds = pairs.shuffle(64).batch(4)

        model = keras.Sequential([
            keras.Input((SEQ, 64, 64, 1)),
            layers.ConvLSTM2D(16, 3, padding="same"),
            layers.Conv2D(1, 1, activation="relu"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more78-shared-keras-model-with-custom-nan-masked-loss-loaded-without-custom-objects-k3",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="TypeError",
        setup=masked_loss_model,
        code=IMPORTS + """
        # the ocean lab's gap-filling model: continue training on our ERA5 SST anomalies
        model = keras.models.load_model("{DATA}/shared/sst_gapfill_oceanlab.keras")

        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        x = np.nan_to_num(np.stack([np.load(f) for f in files]))
        y = np.stack([np.load(f)[..., :1] for f in files])       # NaN over land
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more78-precip-regressor-on-raw-geopotential-sgd-check-numerics-in-loop-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=daily_grids("era5", 24, seed=7814, nan_land=False),
        code=IMPORTS + """
        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        raw = np.stack([np.load(f) for f in files])
        # physical units as they come out of the GRIB: K, m2 s-2, kg kg-1, m s-1, m s-1
        x = np.stack([250 + 15 * raw[..., 0], 55000 + 2500 * raw[..., 1], 0.004 + 0.001 * raw[..., 2],
                      8 * raw[..., 3], 8 * raw[..., 4]], axis=-1).astype("float32")
        y = np.load("{DATA}/era5/rain_mm_day.npy")[..., None].astype("float32")

        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1),
        ], name="precip_cnn")
        opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(24, seed=0).batch(4)


        @tf.function
        def train_step(xb, yb):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
                loss = tf.debugging.check_numerics(loss, "precip loss")
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(20):
            for step, (xb, yb) in enumerate(ds):
                loss = train_step(xb, yb)
            print(f"epoch {epoch + 1}: loss {float(loss):.4g}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more78-one-non-persistent-tape-for-data-loss-and-mass-conservation-penalty-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=daily_grids("era5", 16, seed=7815, nan_land=False),
        code=IMPORTS + """
        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        x = np.stack([np.load(f) for f in files])
        y = np.load("{DATA}/era5/rain_mm_day.npy")[..., None]

        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ], name="precip_downscaler")
        opt = keras.optimizers.Adam(1e-3)
        LAMBDA = 0.1

        for epoch in range(3):
            for i in range(0, len(x), 4):
                xb, yb = tf.constant(x[i:i + 4]), tf.constant(y[i:i + 4])
                with tf.GradientTape() as tape:
                    pred = model(xb, training=True)
                    data_loss = tf.reduce_mean(tf.square(pred - yb))
                    # the domain total of precipitation should be conserved
                    mass_penalty = tf.reduce_mean(tf.square(tf.reduce_sum(pred, [1, 2, 3]) - tf.reduce_sum(yb, [1, 2, 3])))
                g_data = tape.gradient(data_loss, model.trainable_variables)
                g_mass = tape.gradient(mass_penalty, model.trainable_variables)
                grads = [a + LAMBDA * b for a, b in zip(g_data, g_mass)]
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print("epoch", epoch + 1, float(data_loss))
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more78-memmapped-30-year-hourly-stack-astype-float64-for-climatology-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=hourly_memmap,
        as_limit=12 * 1024**3,
        code=IMPORTS + """
        VARS = ["t2m", "tp"]
        stack = np.load("{DATA}/era5_hourly/era5_1991-2020_hourly_2p5deg.npy", mmap_mode="r")
        print("hourly stack", stack.shape, stack.dtype)

        # per-variable climatology and spread for the normalisation layer
        data = stack.astype(np.float64)
        mean = data.mean(axis=(0, 1, 2))
        std = data.std(axis=(0, 1, 2))

        norm = layers.Normalization(axis=-1, mean=mean, variance=std ** 2)
        model = keras.Sequential([
            keras.Input((73, 144, len(VARS))),
            norm,
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1),
        ])
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more78-timeseries-generator-from-2020-nowcasting-tutorial-keras3-notebook-k3",
        cause="env.version_incompat",
        exception="ImportError",
        **notebook([
            cell(imports=True, body="""
            files = sorted(glob.glob("{DATA}/radar/rr_*.npy"))
            rr = np.log1p(np.stack([np.load(f) for f in files]).astype("float32"))[..., None]
            rr.shape
            """),
            cell("""
            from keras.preprocessing.sequence import TimeseriesGenerator

            gen = TimeseriesGenerator(rr, rr, length=6, batch_size=4)
            len(gen)
            """),
        ], data=radar_frames),
    ),
    Case(
        name="keras-more78-keras3-keras-file-from-group-a-loaded-by-group-b-on-tf-keras-tfk2",
        cause="env.version_incompat",
        also=("model.weights_mismatch",),
        exception="TypeError",
        env="tfk2",
        setup=keras3_file_for_tfk2,
        code="""
        # group B: TF_USE_LEGACY_KERAS=1 is set in the cluster's module file
        import glob

        import numpy as np
        import tensorflow as tf

        print("TensorFlow", tf.__version__, "- tf.keras is", tf.keras.__name__)
        model = tf.keras.models.load_model("{DATA}/shared/precip_cnn_groupA.keras")
        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        x = np.nan_to_num(np.stack([np.load(f) for f in files]))
        print(model.predict(x).shape)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more78-per-variable-stats-pool-map-over-function-defined-inside-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=daily_grids("era5", 16, seed=7816),
        code=IMPORTS + """
        import multiprocessing as mp

        VARS = ["t850", "z500", "q700", "u850", "v850"]


        def main():
            files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))

            def file_stats(path):
                x = np.load(path)
                return np.nansum(x, axis=(0, 1)), np.nansum(x ** 2, axis=(0, 1)), np.sum(~np.isnan(x), axis=(0, 1))

            with mp.Pool(4) as pool:
                parts = pool.map(file_stats, files)
            s, s2, n = (np.sum(p, axis=0) for p in zip(*parts))
            mean = s / n
            std = np.sqrt(s2 / n - mean ** 2)
            for v, m, sd in zip(VARS, mean, std):
                print(f"{v}: mean {m:.3f} std {sd:.3f}")
            norm = layers.Normalization(axis=-1, mean=mean, variance=std ** 2)
            return norm


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more78-predicted-precip-map-h-w-1-float32-written-with-image-fromarray-k3",
        cause="other",
        also=("data.dtype",),
        exception="TypeError",
        setup=daily_grids("era5", 12, seed=7817, nan_land=False),
        code=IMPORTS + """
        from PIL import Image

        files = sorted(glob.glob("{DATA}/era5/era5_*.npy"))
        x = np.stack([np.load(f) for f in files])
        y = np.load("{DATA}/era5/rain_mm_day.npy")[..., None]

        model = keras.Sequential([
            keras.Input((32, 64, 5)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="softplus"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, verbose=2)

        os.makedirs("maps", exist_ok=True)
        pred = model.predict(x[-1:], verbose=0)[0]                  # (lat, lon, 1) mm/day
        Image.fromarray(pred).save("maps/precip_forecast.png")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
