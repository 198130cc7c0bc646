"""Untargeted held-out Keras / TensorFlow image-model failures (g125, scored 0.87 top-1 and 0.93 top-3 before any rule for it) of engineers optimising Keras 3
image training for speed and deployment: ``jit_compile=True`` / XLA, ``mixed_float16`` and
``mixed_bfloat16`` policies, ``steps_per_execution``, ``tf.data`` autotune and ``prefetch``,
``model.export`` / SavedModel / TFLite conversion of trained classifiers and detectors, quantisation-aware
fine-tuning done by hand, ``BackupAndRestore``, TensorBoard profiling callbacks and multi-input /
multi-output functional models compiled with dicts of losses and metrics, spread over the cause ids of
the taxonomy:

- image sizes: a ``tf.data`` pipeline tuned with ``num_parallel_calls=AUTOTUNE``, ``cache`` and
  ``prefetch`` (and ``steps_per_execution=8`` under XLA) that drops the ``resize`` because "the
  line-scan camera always gives 128 px", meeting the portrait frames of the second camera;
- channels: full-integer TFLite quantisation whose ``representative_dataset`` decodes the calibration
  PNGs with ``channels=0`` and meets greyscale scans;
- labels: an age-group head of a two-output face model whose bins come from ``np.digitize`` with one
  edge too many (a 7th group for a 6-unit head), with ``BackupAndRestore``;
- label shapes: a dict of losses where the ``species`` head gets ``CategoricalCrossentropy`` and
  the integer class ids of the CSV;
- dtypes: quantisation-aware fine-tuning by hand with ``tf.quantization.fake_quant_with_min_max_vars``
  in a layer run under the ``mixed_float16`` policy (float16 activations);
- files: a TFRecord shard cut short by an interrupted upload, read through an autotuned, prefetched
  ``TFRecordDataset``;
- model inputs: a classifier exported with ``model.export`` at 224 px, served frames of the new
  256 px camera;
- model outputs: a defect model with ``{"mask", "has_defect"}`` outputs whose decoder stops one
  ``UpSampling2D`` short (64 px masks for 128 px targets), compiled with ``jit_compile=True``;
- weights: an inference model rebuilt with BatchNorm folded into the convolutions (``use_bias=True``,
  no BN layers) loading the training ``.weights.h5``;
- API: ``TensorBoard(profile_batch=(20, 5))`` with the profiling range written start/length;
- divergence: a custom ``train_step`` under ``mixed_float16`` with a hand-rolled static loss scale of
  2**24 (float16 gradients overflow, NaN), caught by ``check_numerics`` on the gradients;
- gradients: hand-written QAT whose weight quantiser uses ``tf.round`` without a straight-through
  estimator (no gradients reach the kernels);
- host memory: augmentation "pre-materialised" into one float32 array (``np.repeat`` x 40) to take
  the ``tf.data`` map out of the step time;
- versions: a TF 2.3 speed tutorial's ``tf.keras.mixed_precision.experimental.set_policy`` under
  Keras 3;
- plain bugs: a notebook that plots ``history.history["accuracy"]`` of a two-output model whose keys
  are prefixed with the output names.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21); scripts, scripts under a terminal (progress bars) and
notebook cells run in a real IPython shell. Everything runs on a CPU: causes that need a GPU
(resource.gpu_oom, env.device_mismatch, env.cuda_setup) are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more54.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g125): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more54.py"


# ---------------------------------------------------------------- data helpers
def line_scan_frames(d: Path):
    """Camera A: 128 x 128 frames; camera B (added last month): 128 x 96 portrait frames."""
    r = _rng(5401)
    for c in ("ok", "scratch", "dent"):
        for i in range(16):
            w, h = (96, 128) if i % 7 == 5 else (128, 128)
            _jpg(d / "frames" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def calib_pngs(d: Path):
    r = _rng(5402)
    for i in range(24):
        if i in (9, 17):     # scans from the greyscale station
            _png(d / "calib" / f"calib_{i:03d}.png", r.integers(0, 255, size=(64, 64), dtype="uint8"))
        else:
            _png(d / "calib" / f"calib_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def faces(d: Path):
    import numpy as np
    r = _rng(5403)
    (d / "faces").mkdir(parents=True, exist_ok=True)
    np.savez(d / "faces" / "faces_64.npz", x=r.integers(0, 255, size=(320, 64, 64, 3), dtype=np.uint8),
             age=r.integers(1, 90, 320), gender=r.integers(0, 2, 320))


def fish_csv(d: Path):
    import numpy as np
    r = _rng(5404)
    (d / "fish").mkdir(parents=True, exist_ok=True)
    np.save(d / "fish" / "images.npy", r.integers(0, 255, size=(192, 64, 64, 3), dtype=np.uint8))
    with open(d / "fish" / "labels.csv", "w") as fh:
        fh.write("idx,species,length_cm\n")
        for i in range(192):
            fh.write(f"{i},{int(r.integers(0, 5))},{r.uniform(10, 60):.1f}\n")


def small_arrays(d: Path):
    import numpy as np
    r = _rng(5405)
    (d / "arrays").mkdir(parents=True, exist_ok=True)
    np.save(d / "arrays" / "x.npy", r.integers(0, 255, size=(256, 32, 32, 3), dtype=np.uint8))
    np.save(d / "arrays" / "y.npy", r.integers(0, 10, size=256))


def truncated_shards(d: Path):
    (d / "shards").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np, tensorflow as tf
        r = np.random.default_rng(5406)
        for s in range(3):
            with tf.io.TFRecordWriter(f"shards/train-{s:05d}-of-00003.tfrecord") as w:
                for i in range(64):
                    img = tf.io.encode_jpeg(r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).numpy()
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(r.integers(0, 4))])),
                    }))
                    w.write(ex.SerializeToString())
    """, d)
    p = d / "shards" / "train-00001-of-00003.tfrecord"
    data = p.read_bytes()
    p.write_bytes(data[: int(len(data) * 0.55)])         # gsutil cp interrupted


def camera_frames(d: Path):
    import numpy as np
    r = _rng(5407)
    (d / "data").mkdir(parents=True, exist_ok=True)
    np.save(d / "data" / "x_train.npy", r.integers(0, 255, size=(96, 224, 224, 3), dtype=np.uint8))
    np.save(d / "data" / "y_train.npy", r.integers(0, 4, size=96))
    for i in range(4):
        _jpg(d / "incoming" / f"cam2_{i:04d}.jpg", r.integers(0, 255, size=(256, 256, 3), dtype="uint8"))


def defect_masks(d: Path):
    import numpy as np
    r = _rng(5408)
    (d / "defects").mkdir(parents=True, exist_ok=True)
    m = (r.random((64, 128, 128, 1)) > 0.9).astype(np.float32)
    np.savez(d / "defects" / "train.npz", x=r.integers(0, 255, size=(64, 128, 128, 3), dtype=np.uint8),
             mask=m, has_defect=(m.reshape(64, -1).max(1) > 0).astype(np.float32))


def big_arrays(d: Path):
    import numpy as np
    r = _rng(5409)
    (d / "food").mkdir(parents=True, exist_ok=True)
    np.save(d / "food" / "x_train.npy", r.integers(0, 255, size=(1200, 160, 160, 3), dtype=np.uint8))
    np.save(d / "food" / "y_train.npy", r.integers(0, 20, size=1200))


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more54-tfdata-autotune-prefetch-no-resize-second-camera-portrait-frames-xla-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=line_scan_frames,
        pty=True,
        expect="Cannot batch tensors with different shapes",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        AUTOTUNE = tf.data.AUTOTUNE
        CLASSES = ["dent", "ok", "scratch"]
        BATCH = 16


        def load(path):
            # the line-scan camera always gives 128x128, so no tf.image.resize (it cost 9% of the step)
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.argmax(tf.cast(tf.equal(tf.strings.split(path, "/")[-2], CLASSES), tf.int32))
            return tf.cast(img, tf.float32) / 255.0, label


        files = tf.data.Dataset.list_files("{DATA}/frames/*/*.jpg", shuffle=True, seed=1)
        train = (files.map(load, num_parallel_calls=AUTOTUNE)
                 .cache()
                 .batch(BATCH, num_parallel_calls=AUTOTUNE, deterministic=False)
                 .prefetch(AUTOTUNE))

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES)),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"], jit_compile=True, steps_per_execution=8)
        model.fit(train, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more54-tflite-int8-representative-dataset-decode-png-channels-0-greyscale-scans-k3",
        cause="data.image_channels",
        exception="ValueError",
        expect="Size mismatch",
        setup=calib_pngs,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        rng = np.random.default_rng(0)
        model.fit(rng.integers(0, 255, (64, 64, 64, 3)).astype("float32"), rng.integers(0, 4, 64), epochs=1, verbose=2)
        model.export("export/classifier")


        def representative_dataset():
            for path in sorted(glob.glob("{DATA}/calib/*.png")):
                img = tf.io.decode_png(tf.io.read_file(path), channels=0)     # keep whatever the file has
                yield [tf.cast(img, tf.float32)[tf.newaxis]]


        converter = tf.lite.TFLiteConverter.from_saved_model("export/classifier")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
        tflite_model = converter.convert()
        open("classifier_int8.tflite", "wb").write(tflite_model)
        print("wrote", len(tflite_model), "bytes")
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more54-two-output-face-model-np-digitize-age-groups-one-edge-too-many-backup-restore-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=faces,
        pty=True,
        expect="outside the valid range",
        code="""
        import numpy as np
        import keras
        from keras import layers

        AGE_EDGES = [13, 20, 30, 40, 50, 65]          # child, teen, 20s, 30s, 40s, 50-64, 65+
        N_GROUPS = 6

        data = np.load("{DATA}/faces/faces_64.npz")
        x = data["x"]
        y = {"age_group": np.digitize(data["age"], AGE_EDGES), "gender": data["gender"].astype("float32")}
        print("age groups:", np.bincount(y["age_group"]))

        inp = keras.Input((64, 64, 3), name="face")
        h = layers.Rescaling(1.0 / 255)(inp)
        for f in (32, 64, 96):
            h = layers.Conv2D(f, 3, padding="same", activation="relu")(h)
            h = layers.MaxPooling2D()(h)
        h = layers.GlobalAveragePooling2D()(h)
        out_age = layers.Dense(N_GROUPS, name="age_group")(h)
        out_gender = layers.Dense(1, activation="sigmoid", name="gender")(h)
        model = keras.Model(inp, {"age_group": out_age, "gender": out_gender})

        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss={"age_group": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  "gender": "binary_crossentropy"},
            loss_weights={"age_group": 1.0, "gender": 0.5},
            metrics={"age_group": "accuracy", "gender": "accuracy"},
            jit_compile=False,
        )
        model.fit(x, y, batch_size=32, epochs=10, validation_split=0.1,
                  callbacks=[keras.callbacks.BackupAndRestore("backup/faces")])
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more54-dict-losses-categorical-crossentropy-on-integer-species-ids-two-heads-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=fish_csv,
        expect="must have the same rank",
        code="""
        import numpy as np
        import keras
        from keras import layers

        images = np.load("{DATA}/fish/images.npy")
        meta = np.genfromtxt("{DATA}/fish/labels.csv", delimiter=",", names=True)
        targets = {"species": meta["species"].astype("int64"), "length": meta["length_cm"].astype("float32")}

        inp = keras.Input((64, 64, 3), name="image")
        h = layers.Rescaling(1.0 / 255)(inp)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.Conv2D(64, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        outputs = {
            "species": layers.Dense(5, activation="softmax", name="species")(h),
            "length": layers.Dense(1, name="length")(h),
        }
        model = keras.Model(inp, outputs)
        model.compile(
            optimizer="adam",
            loss={"species": keras.losses.CategoricalCrossentropy(), "length": keras.losses.Huber()},
            metrics={"species": ["accuracy"], "length": ["mae"]},
            steps_per_execution=4,
        )
        model.fit(images, targets, batch_size=32, epochs=8, verbose=2)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more54-hand-qat-fake-quant-with-min-max-vars-layer-under-mixed-float16-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=small_arrays,
        expect="has type float16",
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")


        class FakeQuantAct(layers.Layer):
            \"\"\"8-bit activation fake-quantisation with learned range (QAT done by hand).\"\"\"

            def build(self, input_shape):
                self.qmin = self.add_weight(shape=(), initializer=keras.initializers.Constant(-6.0), name="qmin")
                self.qmax = self.add_weight(shape=(), initializer=keras.initializers.Constant(6.0), name="qmax")

            def call(self, x):
                return tf.quantization.fake_quant_with_min_max_vars(x, self.qmin, self.qmax, num_bits=8)


        x = np.load("{DATA}/arrays/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arrays/y.npy")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            FakeQuantAct(),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            FakeQuantAct(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10),
            layers.Activation("softmax", dtype="float32"),
        ])
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=64, epochs=3)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more54-tfrecord-shard-cut-short-by-interrupted-upload-autotuned-prefetch-fit-k3",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        setup=truncated_shards,
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        AUTOTUNE = tf.data.AUTOTUNE
        FEATURES = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.io.decode_jpeg(ex["image"], channels=3)
            img = tf.image.convert_image_dtype(img, tf.float32)
            return tf.reshape(img, (64, 64, 3)), ex["label"]


        files = tf.io.gfile.glob("{DATA}/shards/train-*.tfrecord")
        print(len(files), "shards")
        ds = (tf.data.TFRecordDataset(files, num_parallel_reads=AUTOTUNE)
              .map(parse, num_parallel_calls=AUTOTUNE)
              .shuffle(256)
              .batch(32)
              .prefetch(AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"],
                      jit_compile=True)
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more54-model-export-serve-endpoint-224px-called-with-new-camera-256px-frames-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="TypeError",
        setup=camera_frames,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # ---- train + export (train.py on the build box)
        x = np.load("{DATA}/data/x_train.npy")
        y = np.load("{DATA}/data/y_train.npy")
        base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), include_top=False, weights=None, alpha=0.35)
        model = keras.Sequential([keras.Input((224, 224, 3)), layers.Rescaling(1 / 127.5, offset=-1), base,
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True)
        model.fit(x, y, batch_size=32, epochs=1, verbose=2)
        model.export("export/sorter/1")

        # ---- edge service: feed frames from the new camera
        served = tf.saved_model.load("export/sorter/1")
        frames = np.stack([tf.io.decode_jpeg(tf.io.read_file(p), channels=3).numpy()
                           for p in sorted(glob.glob("{DATA}/incoming/*.jpg"))]).astype("float32")
        print("batch", frames.shape)
        probs = served.serve(frames)
        print(np.argmax(probs, axis=-1))
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more54-defect-model-dict-outputs-decoder-one-upsampling-short-64px-masks-xla-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=defect_masks,
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        d = np.load("{DATA}/defects/train.npz")
        x, y = d["x"], {"mask": d["mask"], "has_defect": d["has_defect"]}

        inp = keras.Input((128, 128, 3), name="image")
        h = layers.Rescaling(1.0 / 255)(inp)
        e1 = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        e2 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(e1)     # 64
        e3 = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(e2)     # 32
        b = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(e3)     # 16
        u = layers.UpSampling2D()(b)                                                    # 32
        u = layers.Conv2D(64, 3, padding="same", activation="relu")(u)
        u = layers.UpSampling2D()(u)                                                    # 64
        u = layers.Conv2D(32, 3, padding="same", activation="relu")(u)
        mask = layers.Conv2D(1, 1, activation="sigmoid", name="mask")(u)
        cls = layers.Dense(1, activation="sigmoid", name="has_defect")(layers.GlobalAveragePooling2D()(b))
        model = keras.Model(inp, {"mask": mask, "has_defect": cls})

        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss={"mask": keras.losses.BinaryFocalCrossentropy(), "has_defect": "binary_crossentropy"},
            metrics={"mask": [keras.metrics.BinaryIoU(target_class_ids=[1])], "has_defect": ["auc"]},
            jit_compile=True,
        )
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more54-inference-model-bn-folded-use-bias-loads-training-weights-h5-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=small_arrays,
        code="""
        import numpy as np
        import keras
        from keras import layers


        def build(train=True):
            inp = keras.Input((32, 32, 3))
            h = layers.Rescaling(1.0 / 255)(inp)
            for f in (32, 64, 128):
                if train:
                    h = layers.Conv2D(f, 3, padding="same", use_bias=False)(h)
                    h = layers.BatchNormalization()(h)
                else:
                    # deployment graph: BN folded into the conv (faster on the NPU)
                    h = layers.Conv2D(f, 3, padding="same", use_bias=True)(h)
                h = layers.ReLU()(h)
                h = layers.MaxPooling2D()(h)
            h = layers.GlobalAveragePooling2D()(h)
            return keras.Model(inp, layers.Dense(10, activation="softmax")(h))


        x = np.load("{DATA}/arrays/x.npy")
        y = np.load("{DATA}/arrays/y.npy")
        model = build(train=True)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], steps_per_execution=4)
        model.fit(x, y, batch_size=32, epochs=2, verbose=2)
        model.save_weights("cifar_small.weights.h5")

        deploy = build(train=False)
        deploy.load_weights("cifar_small.weights.h5")
        deploy.export("export/cifar_small_folded")
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more54-tensorboard-profile-batch-tuple-written-as-start-and-length-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=small_arrays,
        pty=True,
        expect="profile_batch",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.load("{DATA}/arrays/x.npy")
        y = np.load("{DATA}/arrays/y.npy")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"],
                      jit_compile=True, steps_per_execution=2)

        # profile 5 steps after the warm-up (20 steps) to see the input pipeline stall
        tb = keras.callbacks.TensorBoard(log_dir="logs/profile", profile_batch=(20, 5), update_freq=10)
        model.fit(x, y, batch_size=8, epochs=2, callbacks=[tb])
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more54-custom-train-step-mixed-float16-hand-rolled-static-loss-scale-2-24-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=small_arrays,
        pty=True,
        expect="Tensor had NaN values",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")
        LOSS_SCALE = 2.0 ** 24      # static scale, so no LossScaleOptimizer bookkeeping in the step


        class FastClassifier(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                    scaled = tf.cast(loss, tf.float16) * tf.constant(LOSS_SCALE, tf.float16)
                grads = tape.gradient(scaled, self.trainable_variables)
                grads = [tf.debugging.check_numerics(tf.cast(g, tf.float32) / LOSS_SCALE, f"grad {v.path}")
                         for g, v in zip(grads, self.trainable_variables)]
                self.optimizer.apply(grads, self.trainable_variables)
                for m in self.metrics:
                    if m.name == "loss":
                        m.update_state(loss)
                    else:
                        m.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}


        x = np.load("{DATA}/arrays/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arrays/y.npy")
        inp = keras.Input((32, 32, 3))
        h = layers.Conv2D(32, 3, activation="relu")(inp)
        h = layers.Conv2D(64, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        out = layers.Activation("softmax", dtype="float32")(layers.Dense(10)(h))
        model = FastClassifier(inp, out)
        model.compile(keras.optimizers.SGD(0.01, momentum=0.9), "sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more54-hand-qat-weight-quantiser-tf-round-without-straight-through-estimator-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=small_arrays,
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers


        class QConv2D(layers.Conv2D):
            \"\"\"Conv2D with 8-bit symmetric per-tensor weight fake-quantisation (QAT fine-tuning by hand).\"\"\"

            def convolution_op(self, inputs, kernel):
                scale = tf.stop_gradient(tf.reduce_max(tf.abs(kernel)) / 127.0)   # per-step constant
                q_kernel = tf.round(kernel / scale) * scale
                return super().convolution_op(inputs, q_kernel)


        class QDense(layers.Dense):
            def call(self, inputs):
                scale = tf.stop_gradient(tf.reduce_max(tf.abs(self.kernel)) / 127.0)
                return tf.matmul(inputs, tf.round(self.kernel / scale) * scale)


        x = np.load("{DATA}/arrays/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arrays/y.npy")
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            QConv2D(32, 3, activation="relu", use_bias=False),
            QConv2D(64, 3, strides=2, activation="relu", use_bias=False),
            layers.GlobalAveragePooling2D(),
            QDense(10, use_bias=False),
        ])
        model.compile(keras.optimizers.Adam(1e-4),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=2)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more54-pre-materialised-augmentation-np-repeat-40-float32-array-memoryerror-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=big_arrays,
        as_limit=6 * 1024**3,
        expect="Unable to allocate",
        code="""
        import time

        import numpy as np
        import keras
        from keras import layers

        EPOCHS = 40
        x = np.load("{DATA}/food/x_train.npy")
        y = np.load("{DATA}/food/y_train.npy")
        print("train", x.shape, x.dtype)

        # tf.data map() with random flips/crops took 35% of the step time in the profile:
        # pre-compute every epoch's augmented copy once and feed plain arrays to fit()
        t0 = time.time()
        x_aug = np.repeat(x, EPOCHS, axis=0).astype(np.float32) / 255.0
        flip = np.random.default_rng(0).random(len(x_aug)) < 0.5
        x_aug[flip] = x_aug[flip, :, ::-1]
        y_aug = np.repeat(y, EPOCHS)
        print("augmented in", round(time.time() - t0, 1), "s")

        model = keras.Sequential([
            keras.Input((160, 160, 3)),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(20),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=True)
        model.fit(x_aug, y_aug, batch_size=128, epochs=1, steps_per_execution=16)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more54-tf23-speed-tutorial-mixed-precision-experimental-set-policy-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=small_arrays,
        expect="experimental",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        # "Mixed precision + XLA: 3x faster training" (TF 2.3 blog post)
        tf.config.optimizer.set_jit(True)
        policy = keras.mixed_precision.experimental.Policy("mixed_float16")
        keras.mixed_precision.experimental.set_policy(policy)
        print("Compute dtype:", policy.compute_dtype, "Variable dtype:", policy.variable_dtype)

        x = np.load("{DATA}/arrays/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/arrays/y.npy")
        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10),
            layers.Activation("softmax", dtype="float32"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=64, epochs=3)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more54-nb-plot-history-accuracy-of-two-output-model-keys-prefixed-by-output-k3",
        cause="other",
        exception="KeyError",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers

            d = np.load("{DATA}/faces/faces_64.npz")
            x = d["x"]
            y = {"age": d["age"].astype("float32"), "gender": d["gender"].astype("float32")}

            inp = keras.Input((64, 64, 3))
            h = layers.Rescaling(1.0 / 255)(inp)
            h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
            h = layers.Conv2D(64, 3, strides=2, activation="relu")(h)
            h = layers.GlobalAveragePooling2D()(h)
            model = keras.Model(inp, {"age": layers.Dense(1, name="age")(h),
                                      "gender": layers.Dense(1, activation="sigmoid", name="gender")(h)})
            model.compile(optimizer="adam",
                          loss={"age": "mae", "gender": "binary_crossentropy"},
                          metrics={"gender": ["accuracy"]}, jit_compile=True)
            """,
            """
            history = model.fit(x, y, batch_size=32, epochs=3, validation_split=0.2, verbose=2)
            """,
            """
            for epoch, (acc, val_acc) in enumerate(zip(history.history["accuracy"], history.history["val_accuracy"])):
                print(f"epoch {epoch + 1}: accuracy {acc:.3f}  val_accuracy {val_acc:.3f}")
            """,
        ], data=faces),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
