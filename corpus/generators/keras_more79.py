"""Untargeted held-out Keras / TensorFlow failures (g183, scored 0.96 top-1 and 0.96 top-3 before any rule for it) of fitness, nutrition and health-app developers
training Keras / tf.keras models for their phone apps: food-photo classifiers and portion (grams)
regressors on meal photos logged in the app, posture and exercise-form classifiers from phone photos or
from pose-estimator keypoints (MediaPipe-style 33 landmarks per frame, exported per video as JSON or
CSV), skin and wound photos taken by patients and clinics with their phones, and sleep / heart-rate
models on spectrogram images of smartwatch PPG and heart-rate exports, with models shipped to the app as
TF Lite files, spread over the cause ids of the taxonomy:

- files: the app's meal log listing two meals whose photo never finished uploading, its gram column
  given as ``labels=`` to ``image_dataset_from_directory``; a pose-estimator JSON export whose frames
  without a detected person hold an empty landmark list (notebook);
- image sizes: nightly heart-rate spectrogram PNGs whose width is the minutes slept, decoded and batched
  by ``tf.data``; posture photos cut to the person detector's boxes and batched without a resize
  (tf_keras);
- channels: a posture model trained on greyscale photos given a colour phone photo (notebook); wound
  photos from the clinic's archive, two of them CMYK JPEGs, stacked with the RGB ones;
- boxes: YOLO-format plate boxes (centre x, centre y, w, h) of food-tray photos cut with
  ``crop_to_bounding_box`` as if they were top-left corners;
- labels: SHHS-style sleep-stage codes (REM = 5, 4 unused) for a five-way softmax; a ``side_plank``
  folder the coach added only to the validation split (tf_keras);
- label shapes: 5-minute context windows framed every 30 s from one night of heart rate, one window
  short of the 30-second hypnogram; integer posture classes from a keypoint CSV under
  ``categorical_crossentropy`` (tf_keras);
- dtypes: ``tf.image.rgb_to_hsv`` on uint8 decoded wound photos in the ``tf.data`` map; a meal photo
  scaled with ``/ 255.0`` (float64) handed to the TF Lite interpreter's ``set_tensor`` (notebook);
- model inputs: keypoint sequences kept as ``(frames, 33, 3)`` for an ``LSTM``;
- model outputs: a portion regressor's ``Dense(1)`` put straight on the MobileNetV2 feature map (no
  pooling);
- weights: the laptop's MobileNetV2 alpha 1.0 no-top ``.h5`` given as ``weights=`` to the phone-sized
  alpha 0.5 MobileNetV2;
- API: ``keras.utils.load_img(..., target_size=224)`` with one int in the inbox prediction script;
- divergence: a heart-rate regressor on raw PPG power spectrograms (no log, no scaling) under SGD +
  momentum, its gradient norm checked with ``check_numerics`` in the custom loop;
- gradients: a rep-counter loss computed on the prediction cast to an integer rep count;
- host memory: ``tf.signal.stft`` of a whole night of 100 Hz PPG with ``frame_step=1``;
- versions: ``compile(sample_weight_mode="temporal")`` from a Keras 2 per-frame rep-phase tagger
  under Keras 3 (notebook); a ``tf.keras.applications`` backbone (tf_keras, because
  ``TF_USE_LEGACY_KERAS=1`` is set) put in a Keras 3 ``keras.Sequential``;
- workers: per-night spectrogram features computed with a spawn ``multiprocessing`` pool over a
  method of a store that holds an open ``h5py.File``;
- plain bugs: the watch export's millisecond timestamps given to ``datetime.fromtimestamp``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more79.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g183): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more79.py"

FOODS = ["oatmeal", "pasta", "salad", "stir_fry"]
POSTURES = ["upright", "slouch", "forward_head", "lean_left"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _save(path: Path, arr, quality=88, mode=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, quality=quality)
    else:
        img.save(path)


def meal_log(d: Path):
    """meals/IMG_*.jpg (18 uploaded photos) and meal_log.csv (20 logged meals with grams)."""
    import csv
    r = _rng(7901)
    rows = [["photo", "logged_at", "food", "grams", "kcal"]]
    for i in range(20):
        name = f"IMG_{4101 + i}.jpg"
        grams = int(r.integers(120, 650))
        rows.append([name, f"2024-03-{1 + i // 3:02d}T{7 + (i % 3) * 5}:30", FOODS[i % 4], grams,
                     int(grams * r.uniform(0.8, 2.1))])
        if i in (6, 15):                      # the upload never finished (phone offline)
            continue
        h, w = (480, 360) if i % 2 else (360, 480)
        _save(d / "meals" / name, _blocky_rgb(r, h, w))
    with open(d / "meal_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def pose_export(d: Path):
    """pose_export/<clip>.json: per frame 33 landmarks (x, y, z, visibility); no person -> []."""
    import json
    r = _rng(7902)
    out = d / "pose_export"
    out.mkdir(parents=True, exist_ok=True)
    clips = [("squat_0007", "squat_good"), ("squat_0008", "squat_knees_in"), ("squat_0009", "squat_good"),
             ("squat_0010", "squat_heels_up"), ("squat_0011", "squat_knees_in")]
    for k, (clip, label) in enumerate(clips):
        frames = []
        for t in range(24):
            lm = r.random((33, 4)).round(4).tolist()
            if k == 2 and t in (17, 18, 19, 20):        # the user walked out of the frame
                lm = []
            frames.append({"frame": t, "t_ms": t * 33, "landmarks": lm})
        with open(out / f"{clip}.json", "w") as f:
            json.dump({"clip": clip, "label": label, "fps": 30, "frames": frames}, f)


def hr_spectrograms(d: Path):
    """sleep_spectrograms/<quality>/night_*.png: 64 frequency rows x one column per minute slept."""
    import numpy as np
    r = _rng(7903)
    for q in ("good", "fair", "poor"):
        for i in range(5):
            minutes = int(r.integers(380, 500))
            a = (r.random((64, minutes)) ** 2 * 255).astype(np.uint8)
            _save(d / "sleep_spectrograms" / q / f"night_{q}_{i:03d}.png", a)


def posture_boxes(d: Path):
    """posture/<class>/*.jpg portrait phone photos and boxes.csv of person boxes (x, y, w, h px)."""
    import csv
    r = _rng(7904)
    rows = [["path", "label", "x", "y", "w", "h", "score"]]
    for c in POSTURES:
        for i in range(5):
            rel = f"posture/{c}/{c}_{i:03d}.jpg"
            _save(d / rel, _blocky_rgb(r, 160, 120))
            w, h = int(r.integers(50, 90)), int(r.integers(100, 150))
            x, y = int(r.integers(0, 120 - w)), int(r.integers(0, 160 - h))
            rows.append([rel, c, x, y, w, h, round(float(r.uniform(0.6, 0.99)), 3)])
    with open(d / "posture" / "boxes.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def posture_gray_model(d: Path):
    r = _rng(7905)
    _save(d / "new_photos" / "IMG_2041.jpg", _blocky_rgb(r, 640, 480))
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="posture_gray_v2")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/posture_gray_v2.keras")
    """, d)


def wound_archive(d: Path):
    """wounds/<patient>_<visit>.jpg from the clinic's photo archive (two saved as CMYK) + outcome.csv."""
    import csv
    r = _rng(7906)
    rows = [["photo", "healed_by_week_4"]]
    for i in range(16):
        name = f"P{100 + i // 4:03d}_V{i % 4 + 1}.jpg"
        h, w = (int(r.integers(300, 420)), int(r.integers(300, 420)))
        _save(d / "wounds" / name, _blocky_rgb(r, h, w), mode="CMYK" if i in (9, 13) else None)
        rows.append([name, int(r.integers(0, 2))])
    with open(d / "wounds" / "outcome.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def food_trays(d: Path):
    """trays/images/*.jpg (320 x 240) and trays/labels/*.txt in YOLO format, grams per plate."""
    import csv
    r = _rng(7907)
    plates = {
        "tray_001": [(0, 0.30, 0.40, 0.30, 0.45), (2, 0.74, 0.55, 0.34, 0.50)],
        "tray_002": [(1, 0.28, 0.50, 0.36, 0.52), (3, 0.70, 0.46, 0.30, 0.44)],
        "tray_003": [(2, 0.50, 0.50, 0.40, 0.60)],
    }
    rows = [["tray", "plate", "grams"]]
    for tray, boxes in plates.items():
        _save(d / "trays" / "images" / f"{tray}.jpg", _blocky_rgb(r, 240, 320))
        (d / "trays" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "trays" / "labels" / f"{tray}.txt").write_text(
            "".join(f"{c} {cx:.4f} {cy:.4f} {w:.4f} {h:.4f}\n" for c, cx, cy, w, h in boxes))
        for k in range(len(boxes)):
            rows.append([tray, k, int(r.integers(150, 500))])
    with open(d / "trays" / "grams.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def shhs_epochs(d: Path):
    """sleep/epoch_spec.npy (n, 32, 30, 1) per-epoch HR/PPG spectrograms, stages.csv SHHS codes."""
    import csv
    import numpy as np
    r = _rng(7908)
    n = 240
    (d / "sleep").mkdir(parents=True, exist_ok=True)
    np.save(d / "sleep" / "epoch_spec.npy", r.random((n, 32, 30, 1)).astype("float32"))
    codes = r.choice([0, 1, 2, 3, 5], size=n, p=[0.2, 0.1, 0.4, 0.15, 0.15])
    with open(d / "sleep" / "stages.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "start_s", "stage"])
        for i, c in enumerate(codes):
            w.writerow([i, i * 30, int(c)])


def exercise_folders(d: Path):
    r = _rng(7909)
    train = ["lunge", "plank", "pushup", "squat", "wall_sit"]
    val = ["lunge", "plank", "pushup", "side_plank", "squat", "wall_sit"]
    for split, classes, per in (("train", train, 6), ("val", val, 2)):
        for c in classes:
            for i in range(per):
                _save(d / "exercises" / split / c / f"{c}_{split}_{i:03d}.jpg", _blocky_rgb(r, 96, 72))


def night_hr(d: Path):
    """sleep/night_0412_hr.npy: 8 h of 1 Hz heart rate; hypnogram_0412.csv: one row per 30 s epoch."""
    import csv
    import numpy as np
    r = _rng(7910)
    (d / "sleep").mkdir(parents=True, exist_ok=True)
    secs = 8 * 3600
    hr = 58 + 6 * np.sin(np.arange(secs) / 900) + r.normal(0, 1.5, secs)
    np.save(d / "sleep" / "night_0412_hr.npy", hr.astype("float32"))
    with open(d / "sleep" / "hypnogram_0412.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "stage"])
        for i in range(secs // 30):
            w.writerow([i, ["W", "N1", "N2", "N3", "REM"][int(r.integers(0, 5))]])


def keypoints_csv(d: Path):
    import csv
    r = _rng(7911)
    (d / "posture").mkdir(parents=True, exist_ok=True)
    with open(d / "posture" / "keypoints.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"{a}{k}" for k in range(33) for a in ("x", "y", "z")] + ["label"])
        for i in range(64):
            w.writerow([round(float(v), 4) for v in r.random(99)] + [POSTURES[i % 4]])


def wound_tissue(d: Path):
    r = _rng(7912)
    for c in ("granulation", "slough", "necrotic"):
        for i in range(6):
            _save(d / "wound_tissue" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 128, 128))


def tflite_food(d: Path):
    r = _rng(7913)
    _save(d / "inbox" / "meal_20240311_1245.jpg", _blocky_rgb(r, 1024, 768))
    prep("k3", """
        import os
        import tensorflow as tf
        import keras
        from keras import layers
        os.makedirs("app_assets", exist_ok=True)
        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(8, 3, strides=2, activation="relu"),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="food_v3")
        tfl = tf.lite.TFLiteConverter.from_keras_model(model).convert()
        open("app_assets/food_v3.tflite", "wb").write(tfl)
        open("app_assets/labels.txt", "w").write("oatmeal\\npasta\\nsalad\\nstir_fry\\n")
    """, d)


def kp_sequences(d: Path):
    import numpy as np
    r = _rng(7914)
    (d / "exercise").mkdir(parents=True, exist_ok=True)
    np.savez(d / "exercise" / "keypoint_seqs.npz", x=r.random((48, 30, 33, 3)).astype("float32"),
             y=r.integers(0, 3, 48))


def portion_photos(d: Path):
    import csv
    r = _rng(7915)
    rows = [["photo", "grams"]]
    for i in range(32):
        name = f"portion_{i:03d}.jpg"
        _save(d / "portions" / name, _blocky_rgb(r, 96, 96))
        rows.append([name, int(r.integers(80, 700))])
    with open(d / "portions" / "grams.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def mnv2_legacy_weights(d: Path):
    r = _rng(7916)
    for c in FOODS:
        for i in range(4):
            _save(d / "food_photos" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 96, 96))
    prep("tfk2", """
        import os
        import tf_keras as keras
        os.makedirs("weights", exist_ok=True)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=1.0)
        base.save_weights("weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5")
    """, d)


def inbox_model(d: Path):
    r = _rng(7917)
    for i in range(3):
        _save(d / "inbox" / f"upload_{i:04d}.jpg", _blocky_rgb(r, 480, 360))
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((224, 224, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 3, strides=4, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="food_classifier")
        model.save("models/food_classifier.keras")
    """, d)


def ppg_power(d: Path):
    import numpy as np
    r = _rng(7918)
    (d / "hr").mkdir(parents=True, exist_ok=True)
    # |STFT|^2 of raw 16-bit PPG counts: a few huge low-frequency bins, most of it near zero
    np.save(d / "hr" / "ppg_power_spec.npy", (r.random((64, 33, 60, 1)) ** 4 * 2e5).astype("float32"))
    np.save(d / "hr" / "hr_bpm.npy", (r.random((64, 1)) * 80 + 50).astype("float32"))


def rep_sequences(d: Path):
    import numpy as np
    r = _rng(7919)
    (d / "reps").mkdir(parents=True, exist_ok=True)
    np.save(d / "reps" / "keypoints.npy", r.random((40, 60, 99)).astype("float32"))
    np.save(d / "reps" / "rep_counts.npy", r.integers(3, 13, 40))


def night_ppg(d: Path):
    import numpy as np
    r = _rng(7920)
    (d / "ppg").mkdir(parents=True, exist_ok=True)
    n = 8 * 3600 * 100
    t = np.arange(n, dtype=np.float32) / 100
    ppg = np.sin(2 * np.pi * 1.05 * t) + 0.1 * r.standard_normal(n).astype(np.float32)
    np.save(d / "ppg" / "night_0412_ppg_100hz.npy", ppg.astype("float32"))


def rep_phases(d: Path):
    import numpy as np
    r = _rng(7921)
    (d / "phases").mkdir(parents=True, exist_ok=True)
    lens = r.integers(40, 80, 24)
    x = np.zeros((24, 80, 99), "float32")
    y = np.zeros((24, 80), "int64")
    w = np.zeros((24, 80), "float32")
    for i, n in enumerate(lens):
        x[i, :n] = r.random((n, 99))
        y[i, :n] = r.integers(0, 3, n)
        w[i, :n] = 1.0
    np.savez(d / "phases" / "rep_phases.npz", x=x, y=y, mask=w)


def skin_lesions(d: Path):
    r = _rng(7922)
    for c in ("benign", "see_doctor", "urgent"):
        for i in range(5):
            _save(d / "lesions" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 96, 96))


def nights_h5(d: Path):
    import h5py
    import numpy as np
    r = _rng(7923)
    (d / "psg").mkdir(parents=True, exist_ok=True)
    with h5py.File(d / "psg" / "nights_2024q1.h5", "w") as f:
        for k in range(6):
            nid = f"night_{k:04d}"
            f.create_dataset(f"hr/{nid}", data=(60 + r.normal(0, 3, 8 * 3600)).astype("float32"))
            f.create_dataset(f"stage/{nid}", data=r.integers(0, 5, 960).astype("int8"))


def watch_export(d: Path):
    import csv
    r = _rng(7924)
    (d / "watch").mkdir(parents=True, exist_ok=True)
    t0 = 1712872800000                          # 2024-04-11 22:00 UTC, in milliseconds
    with open(d / "watch" / "hr_export_0412.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "bpm", "confidence"])
        for i in range(600):
            w.writerow([t0 + i * 5000, int(r.integers(52, 70)), round(float(r.uniform(0.6, 1.0)), 2)])
    with open(d / "watch" / "sleep_stages_0412.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["start", "stage"])
        for i in range(100):
            w.writerow([f"2024-04-11T22:{i // 2:02d}:{(i % 2) * 30:02d}", ["W", "N1", "N2", "N3", "REM"][i % 5]])


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
        name="keras-more79-meal-log-grams-as-labels-with-two-photos-never-uploaded-k3",
        cause="data.missing_or_corrupt",
        also=("data.label_shape",),
        exception="ValueError",
        setup=meal_log,
        code=IMPORTS + """
        # portion regressor: grams logged by the user for each meal photo
        with open("{DATA}/meal_log.csv") as f:
            rows = sorted(csv.DictReader(f), key=lambda r: r["photo"])
        grams = [int(r["grams"]) for r in rows]
        print(len(rows), "meals logged, mean", np.mean(grams), "g")

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/meals",
            labels=grams,
            image_size=(160, 160),
            batch_size=8,
            shuffle=True,
            seed=42,
        )

        model = keras.Sequential([
            keras.Input((160, 160, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu", name="grams"),
        ], name="portion_regressor")
        model.compile(optimizer="adam", loss="mae")
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more79-pose-json-export-frames-without-person-empty-landmarks-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            import json

            LABELS = {"squat_good": 0, "squat_knees_in": 1, "squat_heels_up": 2}
            clips = sorted(glob.glob("{DATA}/pose_export/*.json"))
            len(clips)
            """),
            cell("""
            X, y = [], []
            for path in clips:
                with open(path) as f:
                    export = json.load(f)
                # (frames, 33 landmarks, x/y/z/visibility)
                lm = np.array([fr["landmarks"] for fr in export["frames"]], dtype=np.float32)
                X.append(lm[:, :, :3].reshape(len(lm), -1))
                y.append(LABELS[export["label"]])
            len(X)
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((24, 99)),
                layers.GRU(32),
                layers.Dense(3, activation="softmax"),
            ], name="squat_form")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(np.stack(X), np.array(y), epochs=10, batch_size=2)
            """),
        ], data=pose_export),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more79-nightly-hr-spectrogram-pngs-width-is-minutes-slept-batched-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=hr_spectrograms,
        pty=True,
        code=IMPORTS + """
        QUALITY = ["fair", "good", "poor"]
        paths = sorted(glob.glob("{DATA}/sleep_spectrograms/*/*.png"))
        labels = [QUALITY.index(p.split(os.sep)[-2]) for p in paths]
        print(len(paths), "nights")


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)     # (freq, minutes, 1)
            return tf.image.convert_image_dtype(img, tf.float32), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=1)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, None, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="sleep_quality")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more79-posture-photos-cut-to-person-boxes-batched-without-resize-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=posture_boxes,
        code=tfk2(IMPORTS + """
        CLASSES = ["upright", "slouch", "forward_head", "lean_left"]
        with open("{DATA}/posture/boxes.csv") as f:
            rows = [r for r in csv.DictReader(f) if float(r["score"]) > 0.5]
        paths = ["{DATA}/" + r["path"] for r in rows]
        boxes = [[int(r["y"]), int(r["x"]), int(r["h"]), int(r["w"])] for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]


        def person_crop(path, box, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            person = tf.image.crop_to_bounding_box(img, box[0], box[1], box[2], box[3])
            return tf.cast(person, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, labels))
              .shuffle(64, seed=0)
              .map(person_crop)
              .batch(8))

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="posture_crops")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more79-greyscale-posture-model-given-colour-phone-photo-notebook-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            CLASSES = ["upright", "slouch", "forward_head", "lean_left"]
            model = keras.models.load_model("{DATA}/models/posture_gray_v2.keras")
            model.input_shape
            """),
            cell("""
            img = keras.utils.load_img("{DATA}/new_photos/IMG_2041.jpg", target_size=(96, 96))
            x = keras.utils.img_to_array(img)[None] / 255.0
            x.shape
            """),
            cell("""
            probs = model.predict(x, verbose=0)[0]
            CLASSES[int(np.argmax(probs))], probs.max()
            """),
        ], data=posture_gray_model),
    ),
    Case(
        name="keras-more79-clinic-archive-wound-photos-two-cmyk-jpegs-stacked-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        setup=wound_archive,
        code=IMPORTS + """
        from PIL import Image

        with open("{DATA}/wounds/outcome.csv") as f:
            rows = list(csv.DictReader(f))

        photos = []
        for r in rows:
            img = Image.open(os.path.join("{DATA}/wounds", r["photo"])).resize((128, 128))
            photos.append(np.asarray(img))
        x = np.stack(photos).astype("float32") / 255.0
        y = np.array([int(r["healed_by_week_4"]) for r in rows])

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="healing_predictor")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more79-yolo-centre-plate-boxes-cropped-as-top-left-corners-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=food_trays,
        code=IMPORTS + """
        ROOT = "{DATA}/trays"
        with open(f"{ROOT}/grams.csv") as f:
            grams = {(r["tray"], int(r["plate"])): float(r["grams"]) for r in csv.DictReader(f)}

        crops, targets = [], []
        for img_path in sorted(glob.glob(f"{ROOT}/images/*.jpg")):
            tray = os.path.splitext(os.path.basename(img_path))[0]
            img = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3)
            H, W = img.shape[:2]
            with open(f"{ROOT}/labels/{tray}.txt") as f:
                for k, line in enumerate(f):
                    cls, x, y, w, h = line.split()
                    x, w = int(float(x) * W), int(float(w) * W)
                    y, h = int(float(y) * H), int(float(h) * H)
                    plate = tf.image.crop_to_bounding_box(img, y, x, h, w)
                    crops.append(tf.image.resize(plate, (128, 128)) / 255.0)
                    targets.append(grams[(tray, k)])
        print(len(crops), "plates")

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="plate_grams")
        model.compile(optimizer="adam", loss="mae")
        model.fit(tf.stack(crops), np.array(targets), epochs=10, batch_size=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more79-shhs-sleep-stage-codes-rem-5-for-five-way-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=shhs_epochs,
        pty=True,
        code=IMPORTS + """
        STAGES = ["W", "N1", "N2", "N3", "REM"]
        x = np.load("{DATA}/sleep/epoch_spec.npy")                  # (epochs, freq, time, 1)
        with open("{DATA}/sleep/stages.csv") as f:
            y = np.array([int(r["stage"]) for r in csv.DictReader(f)])
        print("x", x.shape, "stage counts", np.bincount(y))

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STAGES), activation="softmax"),
        ], name="sleep_stager")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=32, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more79-side-plank-folder-added-only-to-validation-split-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=exercise_folders,
        pty=True,
        code=tfk2(IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/exercises/train", image_size=(96, 96), batch_size=8, seed=7)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/exercises/val", image_size=(96, 96), batch_size=8, shuffle=False)
        class_names = train_ds.class_names
        print("classes:", class_names)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ], name="exercise_classifier")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more79-five-minute-hr-windows-every-30s-one-short-of-hypnogram-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=night_hr,
        code=IMPORTS + """
        STAGES = ["W", "N1", "N2", "N3", "REM"]
        hr = np.load("{DATA}/sleep/night_0412_hr.npy")                # 1 Hz
        with open("{DATA}/sleep/hypnogram_0412.csv") as f:
            y = np.array([STAGES.index(r["stage"]) for r in csv.DictReader(f)])

        # 5 minutes of context for every 30-second epoch
        windows = tf.signal.frame(hr - hr.mean(), frame_length=300, frame_step=30)
        spec = tf.abs(tf.signal.stft(windows, frame_length=64, frame_step=16))
        x = tf.math.log1p(spec)[..., None].numpy()
        print("windows", x.shape, "epochs", y.shape)

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STAGES), activation="softmax"),
        ], name="hr_sleep_stager")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=64)
        """,
    ),
    Case(
        name="keras-more79-integer-posture-classes-from-keypoint-csv-categorical-ce-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=keypoints_csv,
        code=tfk2(IMPORTS + """
        CLASSES = ["upright", "slouch", "forward_head", "lean_left"]
        with open("{DATA}/posture/keypoints.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.array([[float(r[k]) for k in r if k != "label"] for r in rows], dtype="float32")
        y = np.array([CLASSES.index(r["label"]) for r in rows])
        print(x.shape, y.shape)

        model = keras.Sequential([
            keras.Input((99,)),
            layers.Dense(64, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(32, activation="relu"),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="posture_from_keypoints")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=20, batch_size=16, validation_split=0.2)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more79-rgb-to-hsv-on-uint8-decoded-wound-photos-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=wound_tissue,
        code=IMPORTS + """
        TISSUE = ["granulation", "necrotic", "slough"]
        paths = sorted(glob.glob("{DATA}/wound_tissue/*/*.jpg"))
        labels = [TISSUE.index(p.split(os.sep)[-2]) for p in paths]


        def load(path, label):
            rgb = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            hsv = tf.image.rgb_to_hsv(rgb)                  # redness / saturation cues for the tissue type
            x = tf.concat([tf.image.convert_image_dtype(rgb, tf.float32), hsv], axis=-1)
            return tf.image.resize(x, (128, 128)), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(32).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((128, 128, 6)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="tissue_classifier")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more79-meal-photo-divided-by-255-float64-into-tflite-set-tensor-notebook-k3",
        cause="data.dtype",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            interpreter = tf.lite.Interpreter(model_path="{DATA}/app_assets/food_v3.tflite")
            interpreter.allocate_tensors()
            inp = interpreter.get_input_details()[0]
            out = interpreter.get_output_details()[0]
            labels = open("{DATA}/app_assets/labels.txt").read().split()
            inp["shape"], inp["dtype"]
            """),
            cell("""
            img = Image.open("{DATA}/inbox/meal_20240311_1245.jpg").convert("RGB").resize((128, 128))
            x = np.expand_dims(np.asarray(img) / 255.0, 0)
            x.shape
            """),
            cell("""
            interpreter.set_tensor(inp["index"], x)
            interpreter.invoke()
            probs = interpreter.get_tensor(out["index"])[0]
            labels[int(probs.argmax())], float(probs.max())
            """),
        ], data=tflite_food),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more79-keypoint-sequences-kept-frames-by-33-by-3-for-lstm-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=kp_sequences,
        code=IMPORTS + """
        data = np.load("{DATA}/exercise/keypoint_seqs.npz")
        x, y = data["x"], data["y"]                 # x: (clips, frames, 33 landmarks, xyz)
        print("clips", x.shape, "labels", np.bincount(y))

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.LSTM(64),
            layers.Dense(32, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ], name="deadlift_form")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8, validation_split=0.25)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more79-portion-regressor-dense-on-mobilenet-feature-map-no-pooling-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=portion_photos,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/portions/grams.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(
            os.path.join("{DATA}/portions", r["photo"]), target_size=(96, 96))) for r in rows])
        y = np.array([[float(r["grams"])] for r in rows], dtype="float32")

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None,
                                              alpha=0.35)
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            layers.Dropout(0.2),
            layers.Dense(1, name="grams"),
        ], name="portion_mnv2")
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more79-alpha-1-no-top-h5-given-as-weights-to-alpha-0-5-mobilenetv2-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=mnv2_legacy_weights,
        code=IMPORTS + """
        # alpha 0.5 keeps the model under 3 MB in the app; the ImageNet file is the one already on the laptop
        WEIGHTS = "{DATA}/weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/food_photos", image_size=(96, 96),
                                                            batch_size=8)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.5, include_top=False,
                                              weights=WEIGHTS)
        base.trainable = False
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more79-load-img-target-size-single-int-in-inbox-prediction-script-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=inbox_model,
        script="predict_inbox.py",
        code=IMPORTS + """
        import json

        CLASSES = ["oatmeal", "pasta", "salad", "stir_fry"]
        model = keras.models.load_model("{DATA}/models/food_classifier.keras")

        results = {}
        for path in sorted(glob.glob("{DATA}/inbox/*.jpg")):
            img = keras.utils.load_img(path, target_size=224)
            x = keras.utils.img_to_array(img)[None]
            probs = model.predict(x, verbose=0)[0]
            results[os.path.basename(path)] = CLASSES[int(np.argmax(probs))]
        print(json.dumps(results, indent=2))
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more79-hr-regressor-on-raw-ppg-power-spectrograms-sgd-grad-norm-check-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=ppg_power,
        code=IMPORTS + """
        x = np.load("{DATA}/hr/ppg_power_spec.npy")      # |STFT|^2 of the raw PPG counts
        y = np.load("{DATA}/hr/hr_bpm.npy")
        print("power range", x.min(), x.max(), "hr", y.min(), y.max())

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="bpm"),
        ], name="hr_from_ppg")
        opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=0).batch(8)

        for epoch in range(20):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
                grads = tape.gradient(loss, model.trainable_variables)
                gnorm = tf.debugging.check_numerics(tf.linalg.global_norm(grads), "gradient norm")
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: mse {float(loss):.1f}  grad norm {float(gnorm):.3g}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more79-rep-counter-loss-on-prediction-cast-to-integer-count-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=rep_sequences,
        code=IMPORTS + """
        x = np.load("{DATA}/reps/keypoints.npy")           # (sets, frames, 99)
        y = np.load("{DATA}/reps/rep_counts.npy")          # reps per set
        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv1D(32, 5, activation="relu"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="softplus"),
        ], name="rep_counter")
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(5):
            for i in range(0, len(x), 8):
                xb, yb = x[i:i + 8], y[i:i + 8]
                with tf.GradientTape() as tape:
                    # the app shows whole reps: train on the count the user will see
                    reps = tf.cast(tf.round(model(xb, training=True)[:, 0]), tf.int32)
                    loss = tf.reduce_mean(tf.abs(tf.cast(reps - yb, tf.float32)))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: mean abs rep error {float(loss):.2f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more79-stft-of-whole-night-100hz-ppg-with-frame-step-1-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=night_ppg,
        as_limit=8 * 1024**3,
        code=IMPORTS + """
        ppg = np.load("{DATA}/ppg/night_0412_ppg_100hz.npy")
        print("samples", ppg.shape, f"{len(ppg) / 100 / 3600:.1f} h")

        # one spectrogram column per sample so it lines up with the per-sample apnea labels
        spec = tf.abs(tf.signal.stft(ppg, frame_length=1024, frame_step=1, fft_length=1024))
        spec = tf.math.log1p(spec)
        print("spectrogram", spec.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more79-sample-weight-mode-temporal-for-per-frame-rep-phases-notebook-k3",
        cause="env.version_incompat",
        exception="TypeError",
        **notebook([
            cell(imports=True, body="""
            d = np.load("{DATA}/phases/rep_phases.npz")
            x, y, mask = d["x"], d["y"], d["mask"]      # padded to 80 frames; mask = real frames
            x.shape, y.shape, mask.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((80, 99)),
                layers.Bidirectional(layers.GRU(32, return_sequences=True)),
                layers.TimeDistributed(layers.Dense(3, activation="softmax")),
            ], name="rep_phase_tagger")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                          sample_weight_mode="temporal", weighted_metrics=["accuracy"])
            """),
            cell("""
            model.fit(x, y, sample_weight=mask, epochs=5, batch_size=8)
            """),
        ], data=rep_phases),
    ),
    Case(
        name="keras-more79-tf-keras-applications-backbone-in-keras3-sequential-legacy-flag-set-tfk2",
        cause="env.version_incompat",
        exception="ValueError",
        env="tfk2",
        setup=skin_lesions,
        code="""
        # TF_USE_LEGACY_KERAS=1 is exported in the team's shell profile for the older TF Lite export scripts
        import numpy as np
        import tensorflow as tf
        import keras

        print("tf.keras:", tf.keras.__name__, "| keras:", keras.__version__)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/lesions", image_size=(96, 96), batch_size=8)

        base = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            keras.layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ], name="skin_triage")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more79-spawn-pool-over-method-of-store-holding-open-h5py-file-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=nights_h5,
        code="""
        import multiprocessing as mp

        import h5py
        import numpy as np


        class NightStore:
            def __init__(self, path):
                self.h5 = h5py.File(path, "r")
                self.ids = sorted(self.h5["hr"].keys())

            def features(self, night_id):
                hr = self.h5["hr"][night_id][:]
                epochs = hr[: len(hr) // 30 * 30].reshape(-1, 30)
                spec = np.abs(np.fft.rfft(epochs - epochs.mean(axis=1, keepdims=True), axis=1))
                return np.log1p(spec).astype("float32"), self.h5["stage"][night_id][:]


        def main():
            store = NightStore("{DATA}/psg/nights_2024q1.h5")
            ctx = mp.get_context("spawn")          # the default on the Macs the team develops on
            with ctx.Pool(2) as pool:
                parts = pool.map(store.features, store.ids)
            x = np.concatenate([p[0] for p in parts])
            y = np.concatenate([p[1] for p in parts])
            np.savez("night_features.npz", x=x, y=y)
            print(x.shape, y.shape)


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more79-watch-export-millisecond-timestamps-into-fromtimestamp-k3",
        cause="other",
        exception="ValueError",
        setup=watch_export,
        code=IMPORTS + """
        import datetime

        STAGES = ["W", "N1", "N2", "N3", "REM"]
        with open("{DATA}/watch/sleep_stages_0412.csv") as f:
            stages = [(datetime.datetime.fromisoformat(r["start"]), STAGES.index(r["stage"]))
                      for r in csv.DictReader(f)]

        # align the watch heart rate with the 30 s sleep epochs
        hr = []
        with open("{DATA}/watch/hr_export_0412.csv") as f:
            for r in csv.DictReader(f):
                t = datetime.datetime.fromtimestamp(int(r["timestamp"]), tz=datetime.timezone.utc)
                hr.append((t.replace(tzinfo=None), int(r["bpm"])))
        print(len(hr), "heart-rate samples")

        x, y = [], []
        for start, stage in stages:
            bpm = [b for t, b in hr if start <= t < start + datetime.timedelta(seconds=30)]
            if bpm:
                x.append([np.mean(bpm), np.std(bpm), np.min(bpm), np.max(bpm)])
                y.append(stage)
        model = keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(len(STAGES), activation="softmax")], name="watch_stager")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.array(x), np.array(y), epochs=10, batch_size=16)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
