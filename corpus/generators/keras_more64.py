"""Untargeted held-out Keras / TensorFlow failures (g149, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of people building video and
frame-sequence models in Keras / tf.keras on their own clips: frames extracted with OpenCV into one
folder per video, clips of a fixed number of frames built by a ``PyDataset`` / ``Sequence`` or a
``tf.data`` generator, ``TimeDistributed`` CNN + LSTM / GRU action classifiers, ``ConvLSTM2D``
gesture models, ``Conv3D`` classifiers and autoencoders on ``(frames, H, W, C)`` clips, action and
anomaly-in-video labels read from CSVs (video-level and frame-level), and predictions over sliding
windows of a new video, spread over the cause ids of the taxonomy:

- files: frames written by the extraction script as ``frame_0.jpg`` but read as ``frame_0000.jpg``
  (``cv2.imread`` gives None, BGR flip in a ``PyDataset``); a 0-byte ``.avi`` (failed download) in
  the videos folder, its frame list stacked empty; a UCF-Crime style CSV naming ``Abuse001_x264.mp4``
  while the frame folders have no extension (uniform frame sampling of an empty list inside a
  ``from_generator`` pipeline);
- image sizes: clips from two cameras (64x48 and 64x36) decoded in a ``tf.data`` map without a
  resize (the model takes ``(SEQ_LEN, None, None, 3)``) and batched;
- channels: a ``ConvLSTM2D`` trained on grayscale frames given colour sliding windows of a new
  video (notebook);
- boxes: MOT17 ``gt.txt`` person boxes with a negative ``bb_left`` (person entering the frame) cut
  with ``tf.image.crop_to_bounding_box`` into per-track action clips;
- labels: frame-level anomaly labels with ``-1`` for frames nobody reviewed, the window taking the
  label of its middle frame (``Conv3D``, progress bar);
- label shapes: a ``PyDataset`` cutting three windows out of each video but returning one label per
  video;
- dtypes: uint8 clips decoded by ``tf.data`` used as the target of a ``Conv3D`` autoencoder's
  reconstruction loss in a custom loop; video labels read with the ``csv`` module left as strings;
- model inputs: ``cv2.resize(frame, (IMG_H, IMG_W))`` (dsize is width, height) for a
  ``ConvLSTM2D``; one sliding window given to ``predict`` without a batch axis (tf_keras);
  ``TimeDistributed(Conv2D)`` fed straight into an ``LSTM`` with no flatten (tf_keras);
- model outputs: a ``Conv3D`` autoencoder whose two poolings turn 10 frames into 8;
- weights: a grayscale ``ConvLSTM2D`` checkpoint loaded into the colour rebuild (notebook);
- API: the clip generator function (not called) given to ``fit``;
- divergence: a ``Conv3D`` autoencoder on raw 0..255 frames with SGD, its NaN regularity scores
  given to ``np.histogram``;
- gradients: ``model.predict`` called inside the ``GradientTape`` of a custom loop;
- host memory: every stride-1 window of a long CCTV recording materialised as float32 from
  ``sliding_window_view``;
- versions: ``TimeseriesGenerator`` over per-frame CNN features under Keras 3; the Keras 2
  ``fit(..., workers=4, use_multiprocessing=True)`` habit under Keras 3;
- workers: a ``multiprocessing.Pool`` handed open ``cv2.VideoCapture`` objects;
- plain bugs: ``CLASSES[np.argmax(preds)]`` over all windows of a video (a flat index).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; OpenCV from the torch environment
linked into the project folder of the cases that import cv2 (the TF environment has none); scripts,
scripts under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything
runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more64.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g149): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import _record
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, both, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more64.py"

ACTIONS = ["jumping", "running", "walking", "waving"]


# ---------------------------------------------------------------- data helpers
def with_cv2(d: Path):
    """Make ``import cv2`` work in the case's project folder: link the torch environment's
    opencv-python-headless there (cv2/__init__.py is copied, so that OpenCV's loader takes the
    project folder as its base directory and puts its native module first on sys.path)."""
    site = _record.TORCH_VENV / "lib" / "python3.11" / "site-packages"
    project = d.parent / "project"
    (project / "cv2").mkdir(exist_ok=True)
    for entry in (site / "cv2").iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.name == "__init__.py":
            shutil.copy(entry, project / "cv2" / entry.name)
        else:
            (project / "cv2" / entry.name).symlink_to(entry)
    for entry in site.iterdir():
        if entry.name.startswith("opencv_python") and entry.name.endswith(".libs"):
            (project / entry.name).symlink_to(entry)


def _torch_cv2(code: str, d: Path):
    """Run OpenCV code (writing videos) with the torch interpreter in the data folder."""
    subprocess.run([str(_record.TORCH_VENV / "bin" / "python"), "-c", textwrap.dedent(code)], cwd=d,
                   check=True, capture_output=True)


def frames_tree(d: Path, n_per_class=3, n_frames=12, hw=(32, 32), fmt="frame_{i:04d}.jpg", hws=None,
                seed=6401):
    """frames/<video_id>/frame_0000.jpg ... (as an OpenCV extraction script writes them) and
    labels.csv (video_id,label)."""
    r = _rng(seed)
    rows = ["video_id,label"]
    k = 0
    for a in ACTIONS:
        for v in range(n_per_class):
            vid = f"{a}_{v:02d}"
            h, w = hws[k % len(hws)] if hws else hw
            k += 1
            base = r.integers(0, 255, size=(h, w, 3))
            for i in range(n_frames):
                img = (base + r.integers(-20, 20, size=(h, w, 3))).clip(0, 255).astype("uint8")
                _jpg(d / "frames" / vid / fmt.format(i=i), img)
            rows.append(f"{vid},{a}")
    (d / "labels.csv").write_text("\n".join(rows) + "\n")


def frames_unpadded(d):
    frames_tree(d, fmt="frame_{i}.jpg")


def frames_two_cameras(d):
    frames_tree(d, hws=[(48, 64), (36, 64)])


def frames_large(d):
    frames_tree(d, hw=(60, 80), n_frames=8)


def videos(d: Path, empty=(), n_frames=16, size=(40, 30)):
    """videos/<action>_<k>.avi (MJPG), some of them 0-byte files."""
    d.mkdir(parents=True, exist_ok=True)
    _torch_cv2(f"""
        import os
        import cv2
        import numpy as np
        r = np.random.default_rng(6402)
        os.makedirs("videos", exist_ok=True)
        for a in {ACTIONS!r}:
            for k in range(3):
                name = f"videos/{{a}}_{{k:02d}}.avi"
                if name in {list(empty)!r}:
                    open(name, "wb").close()
                    continue
                w = cv2.VideoWriter(name, cv2.VideoWriter_fourcc(*"MJPG"), 15, {size!r})
                for i in range({n_frames}):
                    w.write(r.integers(0, 255, size=({size[1]}, {size[0]}, 3), dtype=np.uint8))
                w.release()
    """, d)


def videos_one_empty(d):
    videos(d, empty=("videos/running_01.avi",))


def new_video(d: Path, n_frames=40, size=(40, 30), name="new_clip.avi"):
    d.mkdir(parents=True, exist_ok=True)
    _torch_cv2(f"""
        import cv2
        import numpy as np
        r = np.random.default_rng(6403)
        w = cv2.VideoWriter({name!r}, cv2.VideoWriter_fourcc(*"MJPG"), 15, {size!r})
        for i in range({n_frames}):
            w.write(r.integers(0, 255, size=({size[1]}, {size[0]}, 3), dtype=np.uint8))
        w.release()
    """, d)


def ucf_crime(d: Path):
    """UCF-Crime style: frames/<name without extension>/img_00001.jpg, anomaly_labels.csv with the
    video file names."""
    r = _rng(6404)
    rows = ["video,anomaly"]
    names = [f"Abuse{i:03d}_x264" for i in range(1, 5)] + [f"Normal_Videos_{i:03d}_x264" for i in range(1, 5)]
    for n in names:
        for i in range(10):
            _jpg(d / "frames" / n / f"img_{i + 1:05d}.jpg", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append(f"{n}.mp4,{0 if n.startswith('Normal') else 1}")
    (d / "anomaly_labels.csv").write_text("\n".join(rows) + "\n")


def mot_seq(d: Path):
    """MOT17-style sequence: img1/000001.jpg ..., gt/gt.txt (frame,id,left,top,w,h,conf,cls,vis)
    and track_actions.csv; track 3 enters the frame from the left (negative bb_left)."""
    r = _rng(6405)
    seq = d / "MOT17-02"
    for f in range(1, 17):
        _jpg(seq / "img1" / f"{f:06d}.jpg", r.integers(0, 255, size=(72, 128, 3), dtype="uint8"))
    gt = []
    for tid, (x0, y0, dx) in {1: (10, 8, 2), 2: (70, 12, -1), 3: (-14, 10, 3)}.items():
        for f in range(1, 17):
            gt.append(f"{f},{tid},{x0 + dx * (f - 1)},{y0},24,52,1,1,1.0")
    (seq / "gt").mkdir(parents=True, exist_ok=True)
    (seq / "gt" / "gt.txt").write_text("\n".join(gt) + "\n")
    (d / "track_actions.csv").write_text("track_id,action\n1,walking\n2,waving\n3,running\n")


def shanghai(d: Path):
    """ShanghaiTech-like test frames with frame-level labels (1 anomaly, 0 normal, -1 not reviewed)."""
    r = _rng(6406)
    rows = ["video,frame,label"]
    for v in ("01_0014", "01_0015", "02_0128"):
        for i in range(24):
            _jpg(d / "frames" / v / f"{i:03d}.jpg", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
            lab = 1 if 10 <= i < 16 else 0
            if v == "02_0128" and i >= 12:
                lab = -1                      # second half never reviewed
            rows.append(f"{v},{i},{lab}")
    (d / "frame_labels.csv").write_text("\n".join(rows) + "\n")


def ucsd_gray(d: Path, n_videos=4, n_frames=20):
    """UCSD Ped1-like grey frames: Train/Train001/001.jpg ..."""
    r = _rng(6407)
    for v in range(1, n_videos + 1):
        for i in range(1, n_frames + 1):
            _jpg(d / "Train" / f"Train{v:03d}" / f"{i:03d}.jpg",
                 r.integers(0, 255, size=(32, 32), dtype="uint8"))


def cctv_npy(d: Path):
    """3000 frames (64x64) of a CCTV recording, cached as one uint8 .npy by an OpenCV script."""
    import numpy as np

    r = _rng(6408)
    d.mkdir(parents=True, exist_ok=True)
    base = r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)
    frames = np.broadcast_to(base, (3000, 64, 64, 3)).copy()
    frames[::7] = r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)
    np.save(d / "cam07_frames.npy", frames)


def gray_convlstm_weights(d: Path):
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((8, 32, 32, 1)),
            layers.ConvLSTM2D(16, 3, padding="same", return_sequences=True),
            layers.BatchNormalization(),
            layers.ConvLSTM2D(16, 3, padding="same"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        import os
        os.makedirs("checkpoints", exist_ok=True)
        model.save_weights("checkpoints/gesture_convlstm.weights.h5")
    """, d)


# the frame encoder + LSTM most action cases build
CNN_LSTM = """
def build_model(seq_len=SEQ_LEN, size=IMG, n_classes=len(CLASSES)):
    frame_cnn = keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
    ], name="frame_cnn")
    clip = keras.Input((seq_len, size, size, 3), name="clip")
    x = layers.TimeDistributed(frame_cnn)(clip)
    x = layers.LSTM(32)(x)
    x = layers.Dropout(0.3)(x)
    out = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(clip, out, name="cnn_lstm")
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body, indent="        "):
    return body.replace("@@CNN_LSTM@@", _ind(CNN_LSTM, indent))


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more64-extracted-frame-0-jpg-read-as-frame-0000-cv2-imread-none-bgr-flip-pydataset-k3",
        cause="data.missing_or_corrupt",
        exception="TypeError",
        setup=both(frames_unpadded, with_cv2),
        pty=True,
        expect="'NoneType' object is not subscriptable",
        code=code("""
        import csv
        import math
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        FRAMES_DIR = "{DATA}/frames"
        SEQ_LEN, IMG = 8, 32

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        class ClipDataset(keras.utils.PyDataset):
            def __init__(self, rows, batch_size=4, shuffle=True, **kwargs):
                super().__init__(**kwargs)
                self.rows, self.batch_size, self.shuffle = list(rows), batch_size, shuffle
                self.on_epoch_end()

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def on_epoch_end(self):
                if self.shuffle:
                    np.random.shuffle(self.rows)

            def load_clip(self, video_id):
                clip = []
                for i in range(SEQ_LEN):
                    frame = cv2.imread(os.path.join(FRAMES_DIR, video_id, f"frame_{i:04d}.jpg"))
                    frame = frame[:, :, ::-1]                       # BGR -> RGB
                    clip.append(cv2.resize(frame, (IMG, IMG)))
                return np.stack(clip)

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([self.load_clip(r["video_id"]) for r in batch]).astype("float32") / 255.0
                y = np.array([CLASSES.index(r["label"]) for r in batch])
                return x, y


        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.summary()
        model.fit(ClipDataset(rows), epochs=5)
        """),
    ),
    Case(
        name="keras-more64-zero-byte-avi-in-videos-folder-frame-list-stacked-empty-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=both(videos_one_empty, with_cv2),
        expect="need at least one array to stack",
        code=code("""
        import glob
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG = 8, 32


        def read_video(path):
            cap = cv2.VideoCapture(path)
            frames = []
            while True:
                ok, frame = cap.read()
                if not ok:
                    break
                frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                frames.append(cv2.resize(frame, (IMG, IMG), interpolation=cv2.INTER_AREA))
            cap.release()
            frames = np.stack(frames)
            idx = np.linspace(0, len(frames) - 1, SEQ_LEN).astype(int)   # SEQ_LEN frames spread over the video
            return frames[idx]


        paths = sorted(glob.glob("{DATA}/videos/*.avi"))
        CLASSES = sorted({os.path.basename(p).rsplit("_", 1)[0] for p in paths})
        print(len(paths), "videos,", CLASSES)

        X, y = [], []
        for p in paths:
            X.append(read_video(p))
            y.append(CLASSES.index(os.path.basename(p).rsplit("_", 1)[0]))
            print("read", os.path.basename(p), X[-1].shape)
        X = np.stack(X).astype("float32") / 255.0
        y = np.array(y)

        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4, validation_split=0.25)
        """),
    ),
    Case(
        name="keras-more64-ucf-crime-csv-names-mp4-frame-folders-without-extension-from-generator-k3",
        cause="data.missing_or_corrupt",
        exception="UnknownError",
        setup=ucf_crime,
        pty=True,
        expect="IndexError: list index out of range",
        code="""
        import csv
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}"
        SEQ_LEN, IMG = 8, 32

        with open(f"{ROOT}/anomaly_labels.csv") as f:
            items = [(r["video"], int(r["anomaly"])) for r in csv.DictReader(f)]


        def clips():
            for video, label in items:
                frames = sorted(glob.glob(os.path.join(ROOT, "frames", video, "*.jpg")))
                idx = np.linspace(0, len(frames) - 1, SEQ_LEN).astype(int)
                clip = [tf.io.decode_jpeg(tf.io.read_file(frames[i]), channels=3) for i in idx]
                yield tf.stack(clip), label


        ds = tf.data.Dataset.from_generator(
            clips,
            output_signature=(tf.TensorSpec((SEQ_LEN, IMG, IMG, 3), tf.uint8), tf.TensorSpec((), tf.int32)),
        ).shuffle(8).batch(4).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((SEQ_LEN, IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv3D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling3D((1, 2, 2)),
            layers.Conv3D(32, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling3D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", keras.metrics.AUC()])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more64-two-camera-clips-tf-data-map-decode-none-hw-batched-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=frames_two_cameras,
        pty=True,
        code="""
        import csv
        import glob
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        SEQ_LEN = 8
        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})

        clip_paths = [sorted(glob.glob(os.path.join("{DATA}/frames", r["video_id"], "*.jpg")))[:SEQ_LEN] for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]


        def load_clip(paths, label):
            frames = tf.map_fn(lambda p: tf.io.decode_jpeg(tf.io.read_file(p), channels=3), paths,
                               fn_output_signature=tf.TensorSpec((None, None, 3), tf.uint8))
            return tf.cast(frames, tf.float32) / 255.0, label


        # no resize: the network ends in global pooling, so any resolution works
        ds = (tf.data.Dataset.from_tensor_slices((clip_paths, labels))
              .shuffle(len(labels), seed=1)
              .map(load_clip, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(4)
              .prefetch(tf.data.AUTOTUNE))

        frame_cnn = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        clip_in = keras.Input((SEQ_LEN, None, None, 3))
        x = layers.TimeDistributed(frame_cnn)(clip_in)
        x = layers.GRU(32)(x)
        model = keras.Model(clip_in, layers.Dense(len(CLASSES), activation="softmax")(x))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more64-nb-convlstm-trained-on-gray-frames-colour-sliding-windows-new-video-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            """
            import csv, glob, os
            import cv2
            import numpy as np
            import keras
            from keras import layers

            SEQ_LEN, IMG = 8, 32
            """,
            """
            with open("{DATA}/labels.csv") as f:
                rows = list(csv.DictReader(f))
            CLASSES = sorted({r["label"] for r in rows})

            def load_gray_clip(video_id):
                paths = sorted(glob.glob(f"{DATA}/frames/{video_id}/*.jpg"))[:SEQ_LEN]
                frames = [cv2.resize(cv2.imread(p, cv2.IMREAD_GRAYSCALE), (IMG, IMG)) for p in paths]
                return np.stack(frames)[..., None]       # (T, H, W, 1)

            X = np.stack([load_gray_clip(r["video_id"]) for r in rows]).astype("float32") / 255.0
            y = np.array([CLASSES.index(r["label"]) for r in rows])
            X.shape, y.shape
            """,
            """
            model = keras.Sequential([
                keras.Input((SEQ_LEN, IMG, IMG, 1)),
                layers.ConvLSTM2D(16, 3, padding="same", return_sequences=True),
                layers.BatchNormalization(),
                layers.ConvLSTM2D(16, 3, padding="same"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLASSES), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(X, y, epochs=2, batch_size=4, verbose=2)
            """,
            """
            # sliding windows over a new video
            cap = cv2.VideoCapture("{DATA}/new_clip.avi")
            frames = []
            while True:
                ok, frame = cap.read()
                if not ok:
                    break
                frames.append(cv2.resize(frame, (IMG, IMG)))
            cap.release()
            frames = np.array(frames, "float32") / 255.0
            STRIDE = 4
            windows = np.stack([frames[s:s + SEQ_LEN] for s in range(0, len(frames) - SEQ_LEN + 1, STRIDE)])
            print(windows.shape)
            probs = model.predict(windows)
            for s, p in zip(range(0, len(frames), STRIDE), probs):
                print(f"frames {s}-{s + SEQ_LEN}: {CLASSES[p.argmax()]} ({p.max():.2f})")
            """,
        ], data=both(frames_tree, new_video, with_cv2)),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more64-mot17-gt-negative-bb-left-crop-to-bounding-box-track-action-clips-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=mot_seq,
        expect="offset_width must be >= 0",
        code="""
        import csv
        from collections import defaultdict

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        SEQ = "{DATA}/MOT17-02"
        SEQ_LEN, IMG = 8, 32

        # gt.txt: frame, id, bb_left, bb_top, bb_width, bb_height, conf, class, visibility
        tracks = defaultdict(list)
        with open(f"{SEQ}/gt/gt.txt") as f:
            for line in f:
                fr, tid, left, top, w, h = (int(float(v)) for v in line.split(",")[:6])
                tracks[tid].append((fr, left, top, w, h))
        with open("{DATA}/track_actions.csv") as f:
            action = {int(r["track_id"]): r["action"] for r in csv.DictReader(f)}
        CLASSES = sorted(set(action.values()))


        def person_crop(fr, left, top, w, h):
            img = tf.io.decode_jpeg(tf.io.read_file(f"{SEQ}/img1/{fr:06d}.jpg"), channels=3)
            crop = tf.image.crop_to_bounding_box(img, top, left, h, w)
            return tf.image.resize(crop, (IMG, IMG)) / 255.0


        X, y = [], []
        for tid, boxes in sorted(tracks.items()):
            boxes.sort()
            for s in range(0, len(boxes) - SEQ_LEN + 1, SEQ_LEN // 2):
                X.append(tf.stack([person_crop(*b) for b in boxes[s:s + SEQ_LEN]]))
                y.append(CLASSES.index(action[tid]))
            print(f"track {tid}: {len(boxes)} boxes")
        X, y = tf.stack(X), np.array(y)

        model = keras.Sequential([
            keras.Input((SEQ_LEN, IMG, IMG, 3)),
            layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu")),
            layers.TimeDistributed(layers.GlobalAveragePooling2D()),
            layers.LSTM(32),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more64-frame-level-anomaly-labels-minus-one-unreviewed-middle-frame-window-label-conv3d-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=both(shanghai, with_cv2),
        pty=True,
        expect="outside the valid range",
        code="""
        import csv
        from collections import defaultdict

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, STRIDE, IMG = 8, 4, 32

        labels = defaultdict(dict)
        with open("{DATA}/frame_labels.csv") as f:
            for r in csv.DictReader(f):
                labels[r["video"]][int(r["frame"])] = int(r["label"])

        X, y = [], []
        for video, lab in sorted(labels.items()):
            frames = [cv2.cvtColor(cv2.imread(f"{DATA}/frames/{video}/{i:03d}.jpg"), cv2.COLOR_BGR2RGB)
                      for i in sorted(lab)]
            for s in range(0, len(frames) - SEQ_LEN + 1, STRIDE):
                X.append(np.stack(frames[s:s + SEQ_LEN]))
                y.append(lab[s + SEQ_LEN // 2])        # label of the window's middle frame
        X = np.stack(X).astype("float32") / 255.0
        y = np.array(y)
        print("windows:", X.shape, "anomalous:", int((y == 1).sum()))

        model = keras.Sequential([
            keras.Input((SEQ_LEN, IMG, IMG, 3)),
            layers.Conv3D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling3D((1, 2, 2)),
            layers.Conv3D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling3D(2),
            layers.GlobalAveragePooling3D(),
            layers.Dense(2, activation="softmax"),   # normal / anomaly
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4, shuffle=True)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more64-pydataset-three-windows-per-video-one-label-per-video-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=both(frames_tree, with_cv2),
        pty=True,
        expect="Incompatible shapes: [6] vs. [2]",
        code=code("""
        import csv
        import glob
        import math
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG, WINDOWS_PER_VIDEO = 4, 32, 3

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        class WindowDataset(keras.utils.PyDataset):
            \"\"\"Each video gives several overlapping windows: more clips per epoch.\"\"\"

            def __init__(self, rows, videos_per_batch=2, **kwargs):
                super().__init__(**kwargs)
                self.rows, self.vpb = rows, videos_per_batch

            def __len__(self):
                return math.ceil(len(self.rows) / self.vpb)

            def read_frames(self, video_id):
                paths = sorted(glob.glob(os.path.join("{DATA}/frames", video_id, "*.jpg")))
                return np.stack([cv2.resize(cv2.imread(p)[..., ::-1], (IMG, IMG)) for p in paths])

            def __getitem__(self, idx):
                batch = self.rows[idx * self.vpb:(idx + 1) * self.vpb]
                clips, labels = [], []
                for r in batch:
                    frames = self.read_frames(r["video_id"])
                    starts = np.linspace(0, len(frames) - SEQ_LEN, WINDOWS_PER_VIDEO).astype(int)
                    clips.extend(frames[s:s + SEQ_LEN] for s in starts)
                    labels.append(CLASSES.index(r["label"]))
                return np.stack(clips).astype("float32") / 255.0, np.array(labels)


        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(WindowDataset(rows), epochs=5)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more64-uint8-clips-as-target-of-conv3d-autoencoder-loss-custom-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=ucsd_gray,
        expect="was expected to be a uint8 tensor but is a float tensor",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        SEQ_LEN, IMG = 8, 32

        clip_paths = []
        for folder in sorted(glob.glob("{DATA}/Train/Train*")):
            frames = sorted(glob.glob(folder + "/*.jpg"))
            clip_paths += [frames[s:s + SEQ_LEN] for s in range(0, len(frames) - SEQ_LEN + 1, 4)]
        print(len(clip_paths), "training clips")


        def load_clip(paths):
            return tf.map_fn(lambda p: tf.io.decode_jpeg(tf.io.read_file(p), channels=1), paths,
                             fn_output_signature=tf.uint8)


        ds = tf.data.Dataset.from_tensor_slices(clip_paths).map(load_clip).shuffle(32).batch(4)

        inp = keras.Input((SEQ_LEN, IMG, IMG, 1))
        x = layers.Rescaling(1.0 / 255)(inp)
        x = layers.Conv3D(16, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling3D((1, 2, 2))(x)
        x = layers.Conv3D(8, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling3D((1, 2, 2))(x)
        recon = layers.Conv3D(1, 3, padding="same", activation="sigmoid")(x)
        autoencoder = keras.Model(inp, recon)
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(10):
            for clips in ds:
                with tf.GradientTape() as tape:
                    out = autoencoder(clips, training=True)
                    loss = tf.reduce_mean(tf.square(clips - out))
                grads = tape.gradient(loss, autoencoder.trainable_variables)
                optimizer.apply_gradients(zip(grads, autoencoder.trainable_variables))
            print(f"epoch {epoch + 1}: reconstruction loss {float(loss):.5f}")
        """,
    ),
    Case(
        name="keras-more64-video-labels-from-csv-module-left-as-strings-fit-k3",
        cause="data.dtype",
        also=("data.label_shape",),
        exception="ValueError",
        setup=both(videos, with_cv2),
        pty=True,
        expect="Invalid dtype",
        code=code("""
        import csv
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG = 8, 32
        CLASSES = ["jumping", "running", "walking", "waving"]

        # labels.csv written by hand: file,label_id
        with open("{DATA}/labels.csv", "w") as f:
            f.write("file,label_id\\n")
            for name in sorted(os.listdir("{DATA}/videos")):
                f.write(f"{name},{CLASSES.index(name.rsplit('_', 1)[0])}\\n")


        def read_clip(path):
            cap = cv2.VideoCapture(path)
            n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
            clip = []
            for i in np.linspace(0, n - 1, SEQ_LEN).astype(int):
                cap.set(cv2.CAP_PROP_POS_FRAMES, int(i))
                ok, frame = cap.read()
                clip.append(cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (IMG, IMG)))
            cap.release()
            return np.stack(clip)


        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([read_clip(os.path.join("{DATA}/videos", r["file"])) for r in rows]).astype("float32") / 255.0
        y = np.array([r["label_id"] for r in rows])
        print(X.shape, y[:5])

        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more64-cv2-resize-given-height-width-order-convlstm-input-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        setup=both(frames_large, with_cv2),
        pty=True,
        expect="is incompatible with the layer",
        code="""
        import csv
        import glob
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN = 8
        IMG_H, IMG_W = 48, 64          # keep the 4:3 frames 4:3

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        def load_clip(video_id):
            paths = sorted(glob.glob(os.path.join("{DATA}/frames", video_id, "*.jpg")))[:SEQ_LEN]
            frames = []
            for p in paths:
                frame = cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB)
                frames.append(cv2.resize(frame, (IMG_H, IMG_W)))
            return np.stack(frames)


        X = np.stack([load_clip(r["video_id"]) for r in rows]).astype("float32") / 255.0
        y = keras.utils.to_categorical([CLASSES.index(r["label"]) for r in rows], len(CLASSES))

        model = keras.Sequential([
            keras.Input((SEQ_LEN, IMG_H, IMG_W, 3)),
            layers.ConvLSTM2D(16, (3, 3), padding="same", return_sequences=True),
            layers.BatchNormalization(),
            layers.ConvLSTM2D(16, (3, 3), padding="same"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more64-sliding-window-predict-one-window-without-batch-axis-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=both(frames_tree, new_video, with_cv2),
        pty=True,
        expect="is incompatible with the layer",
        code="""
        import csv
        import glob

        import cv2
        import numpy as np
        import tf_keras as keras
        from tf_keras import layers

        SEQ_LEN, IMG, STRIDE = 8, 32, 4

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        def prep(frame):
            return cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (IMG, IMG)).astype("float32") / 255.0


        X = np.stack([np.stack([prep(cv2.imread(p)) for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))[:SEQ_LEN]])
                      for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        model = keras.Sequential([
            layers.Conv3D(16, 3, padding="same", activation="relu", input_shape=(SEQ_LEN, IMG, IMG, 3)),
            layers.MaxPooling3D((1, 2, 2)),
            layers.Conv3D(32, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling3D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=3, batch_size=4)

        # ---- run over a new video, one prediction per window
        cap = cv2.VideoCapture("{DATA}/new_clip.avi")
        buffer, t = [], 0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            buffer.append(prep(frame))
            t += 1
            if len(buffer) == SEQ_LEN:
                window = np.stack(buffer)                     # (SEQ_LEN, IMG, IMG, 3)
                probs = model.predict(window, verbose=0)
                print(f"t={t}: {CLASSES[int(np.argmax(probs))]}")
                buffer = buffer[STRIDE:]
        """,
    ),
    Case(
        name="keras-more64-timedistributed-conv2d-straight-into-lstm-no-flatten-tfk2",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tfk2",
        setup=frames_tree,
        expect="expected ndim=3, found ndim=5",
        code="""
        import csv
        import glob

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        SEQ_LEN, IMG = 8, 32

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        def load(video_id):
            paths = sorted(glob.glob(f"{DATA}/frames/{video_id}/*.jpg"))[:SEQ_LEN]
            return np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in paths]) / 255.0


        X = np.stack([load(r["video_id"]) for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        model = keras.Sequential([
            layers.TimeDistributed(layers.Conv2D(16, (3, 3), activation="relu"), input_shape=(SEQ_LEN, IMG, IMG, 3)),
            layers.TimeDistributed(layers.MaxPooling2D((2, 2))),
            layers.TimeDistributed(layers.Conv2D(32, (3, 3), activation="relu")),
            layers.TimeDistributed(layers.MaxPooling2D((2, 2))),
            layers.LSTM(64),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more64-conv3d-autoencoder-two-poolings-turn-10-frames-into-8-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=ucsd_gray,
        pty=True,
        expect="Dimensions must be equal",
        code="""
        import glob

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        SEQ_LEN, IMG = 10, 32

        clips = []
        for folder in sorted(glob.glob("{DATA}/Train/Train*")):
            frames = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob(folder + "/*.jpg"))])
            for s in range(0, len(frames) - SEQ_LEN + 1, 5):
                clips.append(frames[s:s + SEQ_LEN])
        X = (np.stack(clips)[..., None] / 255.0).astype("float32")     # (N, 10, 32, 32, 1)
        print("training clips:", X.shape)

        inp = keras.Input((SEQ_LEN, IMG, IMG, 1))
        x = layers.Conv3D(32, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling3D(2)(x)
        x = layers.Conv3D(16, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling3D(2)(x)
        x = layers.Conv3D(16, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling3D(2)(x)
        x = layers.Conv3D(32, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling3D(2)(x)
        out = layers.Conv3D(1, 3, padding="same", activation="sigmoid")(x)
        autoencoder = keras.Model(inp, out, name="stae")
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(X, X, epochs=10, batch_size=4, shuffle=True)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more64-nb-gray-convlstm-checkpoint-loaded-into-colour-rebuild-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        **notebook([
            """
            import keras
            from keras import layers

            SEQ_LEN, IMG, CHANNELS = 8, 32, 3      # colour frames now
            CLASSES = ["jumping", "running", "walking", "waving"]
            """,
            """
            def build(channels=CHANNELS):
                return keras.Sequential([
                    keras.Input((SEQ_LEN, IMG, IMG, channels)),
                    layers.ConvLSTM2D(16, 3, padding="same", return_sequences=True),
                    layers.BatchNormalization(),
                    layers.ConvLSTM2D(16, 3, padding="same"),
                    layers.GlobalAveragePooling2D(),
                    layers.Dense(len(CLASSES), activation="softmax"),
                ])

            model = build()
            model.summary()
            """,
            """
            # continue from last week's checkpoint
            model.load_weights("{DATA}/checkpoints/gesture_convlstm.weights.h5")
            """,
        ], data=gray_convlstm_weights),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more64-clip-generator-function-not-called-given-to-fit-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=both(frames_tree, with_cv2),
        pty=True,
        code=code("""
        import csv
        import glob
        import random

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG, BATCH = 8, 32, 4

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        def clip_generator(batch_size=BATCH):
            while True:
                batch = random.sample(rows, batch_size)
                x = np.stack([
                    np.stack([cv2.resize(cv2.imread(p)[..., ::-1], (IMG, IMG))
                              for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))[:SEQ_LEN]])
                    for r in batch]).astype("float32") / 255.0
                y = np.array([CLASSES.index(r["label"]) for r in batch])
                yield x, y


        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(clip_generator, steps_per_epoch=len(rows) // BATCH, epochs=5)
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more64-conv3d-autoencoder-raw-pixels-sgd-nan-regularity-scores-histogram-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=ucsd_gray,
        pty=True,
        expect="is not finite",
        code="""
        import glob

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        SEQ_LEN = 8
        keras.utils.set_random_seed(0)

        clips = []
        for folder in sorted(glob.glob("{DATA}/Train/Train*")):
            frames = np.stack([np.asarray(Image.open(p), "float32") for p in sorted(glob.glob(folder + "/*.jpg"))])
            clips += [frames[s:s + SEQ_LEN] for s in range(0, len(frames) - SEQ_LEN + 1, 2)]
        X = np.stack(clips)[..., None]            # raw 0..255 intensities
        print(X.shape, X.min(), X.max())

        inp = keras.Input((SEQ_LEN, 32, 32, 1))
        x = layers.Conv3D(32, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling3D((1, 2, 2))(x)
        x = layers.Conv3D(16, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling3D((1, 2, 2))(x)
        out = layers.Conv3D(1, 3, padding="same")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(X, X, epochs=5, batch_size=4)

        # regularity score per clip (Hasan et al. 2016): 1 - normalised reconstruction error
        err = ((X - model.predict(X, verbose=0)) ** 2).mean(axis=(1, 2, 3, 4))
        regularity = 1.0 - (err - err.min()) / (err.max() - err.min())
        counts, edges = np.histogram(regularity, bins=20)
        threshold = edges[np.argmax(np.cumsum(counts) > 0.05 * len(regularity))]
        print("anomaly threshold:", threshold)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more64-custom-loop-model-predict-inside-gradient-tape-action-clips-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=frames_tree,
        expect="No gradients provided for any variable",
        code=code("""
        import csv
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers

        SEQ_LEN, IMG = 8, 32

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})
        X = np.stack([np.stack([np.asarray(Image.open(p), "float32") / 255.0
                                for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))[:SEQ_LEN]])
                      for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])
        ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(len(X)).batch(4)

        @@CNN_LSTM@@


        model = build_model()
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        optimizer = keras.optimizers.Adam(1e-3)
        # the rarer actions count more
        class_weight = tf.constant([1.0, 1.5, 1.0, 2.0])

        for epoch in range(5):
            for clips, labels in ds:
                with tf.GradientTape() as tape:
                    probs = model.predict(clips, verbose=0)
                    loss = loss_fn(labels, probs, sample_weight=tf.gather(class_weight, labels))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more64-cctv-recording-every-stride-1-window-sliding-window-view-astype-float32-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=cctv_npy,
        as_limit=8 * 1024**3,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN = 64
        frames = np.load("{DATA}/cam07_frames.npy")          # (3000, 64, 64, 3) uint8, from OpenCV
        print("frames:", frames.shape, frames.dtype)

        # every window of SEQ_LEN consecutive frames (stride 1) for the anomaly autoencoder
        windows = np.lib.stride_tricks.sliding_window_view(frames, SEQ_LEN, axis=0)   # (N, H, W, C, T)
        windows = windows.transpose(0, 4, 1, 2, 3).astype("float32") / 255.0
        print("windows:", windows.shape)

        inp = keras.Input((SEQ_LEN, 64, 64, 3))
        x = layers.Conv3D(16, 3, padding="same", activation="relu")(inp)
        out = layers.Conv3D(3, 3, padding="same", activation="sigmoid")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="mse")
        model.fit(windows, windows, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more64-timeseries-generator-over-frame-features-under-keras3-k3",
        cause="env.version_incompat",
        exception="ImportError",
        setup=frames_tree,
        expect="cannot import name 'TimeseriesGenerator'",
        code="""
        import csv
        import glob

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers
        from keras.preprocessing.sequence import TimeseriesGenerator

        SEQ_LEN, IMG = 8, 32

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})

        encoder = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        feats, targets = [], []
        for r in rows:
            frames = np.stack([np.asarray(Image.open(p), "float32") / 255.0
                               for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))])
            feats.append(encoder.predict(frames, verbose=0))
            targets += [CLASSES.index(r["label"])] * len(frames)
        feats = np.concatenate(feats)

        gen = TimeseriesGenerator(feats, np.array(targets), length=SEQ_LEN, batch_size=8)
        model = keras.Sequential([keras.Input((SEQ_LEN, 16)), layers.LSTM(32),
                                  layers.Dense(len(CLASSES), activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(gen, epochs=5)
        """,
    ),
    Case(
        name="keras-more64-clip-pydataset-fit-workers-use-multiprocessing-keras2-habit-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=both(frames_tree, with_cv2),
        pty=True,
        expect="unexpected keyword argument 'workers'",
        code=code("""
        import csv
        import glob
        import math

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG = 8, 32

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        class ClipSequence(keras.utils.Sequence):
            def __init__(self, rows, batch_size=4):
                self.rows, self.batch_size = rows, batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([
                    np.stack([cv2.resize(cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB), (IMG, IMG))
                              for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))[:SEQ_LEN]])
                    for r in batch]).astype("float32") / 255.0
                return x, np.array([CLASSES.index(r["label"]) for r in batch])


        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        # decoding frames is the bottleneck: load clips in parallel
        model.fit(ClipSequence(rows), epochs=5, workers=4, use_multiprocessing=True, max_queue_size=16)
        """),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more64-pool-map-given-open-cv2-videocapture-objects-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=both(videos, with_cv2),
        expect="cannot pickle 'cv2.VideoCapture' object",
        code="""
        import glob
        import os
        from multiprocessing import Pool

        import cv2
        import numpy as np

        SEQ_LEN, IMG = 8, 32


        def sample_frames(cap):
            n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
            clip = []
            for i in np.linspace(0, n - 1, SEQ_LEN).astype(int):
                cap.set(cv2.CAP_PROP_POS_FRAMES, int(i))
                ok, frame = cap.read()
                clip.append(cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (IMG, IMG)))
            cap.release()
            return np.stack(clip)


        if __name__ == "__main__":
            paths = sorted(glob.glob("{DATA}/videos/*.avi"))
            caps = [cv2.VideoCapture(p) for p in paths]
            print(len(caps), "videos opened")
            with Pool(4) as pool:
                clips = pool.map(sample_frames, caps)
            X = np.stack(clips)
            labels = [os.path.basename(p).rsplit("_", 1)[0] for p in paths]
            np.savez_compressed("clips.npz", X=X, labels=np.array(labels))
            print("saved", X.shape)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more64-sliding-window-video-prediction-class-from-flat-argmax-k3",
        cause="other",
        exception="IndexError",
        setup=both(frames_tree, new_video, with_cv2),
        pty=True,
        expect="list index out of range",
        code=code("""
        import csv
        import glob

        import cv2
        import numpy as np
        import keras
        from keras import layers

        SEQ_LEN, IMG, STRIDE = 8, 32, 2
        keras.utils.set_random_seed(64)

        with open("{DATA}/labels.csv") as f:
            rows = list(csv.DictReader(f))
        CLASSES = sorted({r["label"] for r in rows})


        def prep(frame):
            return cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (IMG, IMG)).astype("float32") / 255.0


        X = np.stack([np.stack([prep(cv2.imread(p)) for p in sorted(glob.glob(f"{DATA}/frames/{r['video_id']}/*.jpg"))[:SEQ_LEN]])
                      for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        @@CNN_LSTM@@


        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=3, batch_size=4)

        # ---- whole-video prediction: average of the sliding windows
        cap = cv2.VideoCapture("{DATA}/new_clip.avi")
        frames = []
        ok, frame = cap.read()
        while ok:
            frames.append(prep(frame))
            ok, frame = cap.read()
        frames = np.stack(frames)
        windows = np.stack([frames[s:s + SEQ_LEN] for s in range(0, len(frames) - SEQ_LEN + 1, STRIDE)])
        preds = model.predict(windows)
        print("windows:", preds.shape)
        print("video action:", CLASSES[np.argmax(preds)])
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
