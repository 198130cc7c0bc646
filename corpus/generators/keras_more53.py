"""Untargeted held-out Keras / TensorFlow image-model failures (g122, scored 0.90 top-1 and 1.00 top-3 before any rule for it) of researchers and engineers who port
PyTorch code and papers to Keras 3 / tf.keras (and the other way inside one project): channels-first
vs channels-last arrays, ``from_logits`` / ``BCEWithLogitsLoss`` semantics, PyTorch ``padding``
arithmetic, ``.pth`` state dicts converted into Keras layers, ``keras.ops`` vs ``tf`` ops on symbolic
tensors, custom layers with ``build`` / ``call``, PyTorch-style datasets wrapped as ``PyDataset``,
``torch.optim.lr_scheduler`` schedules re-written for Keras and metrics computed by hand, spread over
the cause ids of the taxonomy:

- image sizes: torchvision ``CenterCrop`` re-written as a NumPy slice in a ``PyDataset`` (no
  ``Resize`` first) meeting the few thumbnails smaller than the crop;
- channels: torchvision ``Normalize`` constants kept as ``(3, 1, 1)`` arrays and applied to the
  channels-last ``(H, W, 3)`` arrays of a ``PyDataset``;
- labels: a semi-supervised set whose unlabelled photos carry PyTorch's ``ignore_index`` ``-100``,
  fed to Keras ``SparseCategoricalCrossentropy`` (no ``ignore_class``);
- label shapes: binary segmentation masks saved channels-first ``(N, 1, H, W)`` by the PyTorch
  dataset (the images were transposed, the masks were not) for a channels-last U-Net with BCE;
- dtypes: ``BCEWithLogitsLoss`` re-written as ``tf.nn.sigmoid_cross_entropy_with_logits`` in a
  PyTorch-style loop, with the multi-hot tag targets left ``int64``;
- files: a notebook that loads the ``.npy`` arrays exported on the PyTorch box, one of whose copies
  stopped part way;
- model inputs: ``nn.AdaptiveAvgPool2d((7, 7))`` of a VGG port replaced by ``AveragePooling2D(7)``
  on 128 px inputs; torchvision's ``Resize((h, w))`` size tuple handed to PIL's ``resize((w, h))``;
- model outputs: a denoising auto-encoder whose ``ConvTranspose2d(k=4, s=2, padding=1)`` became
  ``Conv2DTranspose(4, strides=2)`` with Keras' default ``valid`` padding (34 px reconstructions of
  28 px digits);
- weights: a ResNet ``state_dict`` exported to ``.npz`` and copied layer by layer with
  ``set_weights``, BatchNorm's ``num_batches_tracked`` included;
- API: ``Conv2D(..., padding=3)`` written with PyTorch's integer padding; ``torch.flatten`` re-written
  as ``tf.reshape`` on a Keras 3 functional ``KerasTensor``; ``CosineAnnealingLR`` re-written as a
  ``LearningRateSchedule`` that calls ``math.cos`` on the step tensor;
- divergence: an age regressor whose ``LambdaLR`` multiplicative factor was ported as
  ``LearningRateScheduler``'s learning rate (SGD at 1.0 instead of 0.01), found by the paper's
  cumulative-score metric written by hand with ``np.histogram`` over NaN errors;
- gradients: a DANN gradient-reversal layer ported from a ``torch.autograd.Function`` whose
  ``tf.custom_gradient`` returns one gradient for its two inputs;
- host memory: a hand-written mIoU that one-hot encodes the whole 150-class validation set at full
  resolution with ``np.eye(...)[masks]``;
- versions: a 2017 ``.pth``-to-Keras converter that calls ``keras.backend.set_image_dim_ordering``;
- workers: a ``PyDataset`` holding a ``sqlite3`` index connection, run with
  ``use_multiprocessing=True`` after the PyTorch script's ``set_start_method("spawn")``;
- distribution: a DDP loop ported to ``MirroredStrategy`` that passes its ``PyDataset`` to
  ``experimental_distribute_dataset`` (the ``DistributedSampler`` habit);
- plain bugs: a prediction report that indexes torchvision's ``class_to_idx`` with predicted ids
  (notebook).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21); scripts, scripts under a terminal (progress bars) and
notebook cells run in a real IPython shell. Everything runs on a CPU: causes that need a GPU
(resource.gpu_oom, env.device_mismatch, env.cuda_setup) are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more53.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g122): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more53.py"


# ---------------------------------------------------------------- data helpers
def bird_photos(d: Path):
    """Camera-trap exports (160 x 120) and a few 100 x 80 thumbnails from the old web gallery."""
    r = _rng(5301)
    for c in ("finch", "robin", "sparrow", "tit"):
        for i in range(10):
            w, h = (100, 80) if i in (3, 8) and c == "robin" else (160, 120)
            _jpg(d / "birds" / "train" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def leaf_photos(d: Path):
    r = _rng(5302)
    for c in ("healthy", "rust", "scab"):
        for i in range(12):
            _jpg(d / "leaves" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(120, 120, 3), dtype="uint8"))


def semi_arrays(d: Path):
    import numpy as np
    r = _rng(5303)
    x = r.integers(0, 255, size=(160, 48, 48, 3), dtype=np.uint8)
    y = r.integers(0, 5, size=160).astype(np.int64)
    y[r.random(160) < 0.4] = -100                     # unlabelled: PyTorch's ignore_index
    (d / "plankton").mkdir(parents=True, exist_ok=True)
    np.save(d / "plankton" / "images.npy", x)
    np.save(d / "plankton" / "labels.npy", y)


def channels_first_masks(d: Path):
    import numpy as np
    r = _rng(5304)
    x = r.random((48, 96, 128, 3), dtype=np.float32)                    # transposed to HWC for Keras
    m = (r.random((48, 1, 96, 128)) > 0.7).astype(np.float32)          # still (N, 1, H, W)
    (d / "solar").mkdir(parents=True, exist_ok=True)
    np.save(d / "solar" / "images_nhwc.npy", x)
    np.save(d / "solar" / "masks.npy", m)


def tag_arrays(d: Path):
    import numpy as np
    r = _rng(5305)
    x = r.random((128, 64, 64, 3), dtype=np.float32)
    y = (r.random((128, 6)) > 0.7).astype(np.int64)                    # multi-hot, torch.long in the old code
    (d / "tags").mkdir(parents=True, exist_ok=True)
    np.savez(d / "tags" / "train.npz", x=x, y=y)


def truncated_npy(d: Path):
    import numpy as np
    r = _rng(5306)
    (d / "converted").mkdir(parents=True, exist_ok=True)
    np.save(d / "converted" / "x_train.npy", r.integers(0, 255, size=(400, 64, 64, 3), dtype=np.uint8))
    np.save(d / "converted" / "y_train.npy", r.integers(0, 10, size=400))
    p = d / "converted" / "x_train.npy"
    data = p.read_bytes()
    p.write_bytes(data[: int(len(data) * 0.62)])        # the scp from the GPU box was interrupted


def vgg_photos(d: Path):
    import numpy as np
    r = _rng(5307)
    (d / "textures").mkdir(parents=True, exist_ok=True)
    np.save(d / "textures" / "x.npy", r.integers(0, 255, size=(64, 128, 128, 3), dtype=np.uint8))
    np.save(d / "textures" / "y.npy", r.integers(0, 8, size=64))


def wide_photos(d: Path):
    r = _rng(5308)
    for c in ("empty", "occupied"):
        for i in range(12):
            _jpg(d / "parking" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))


def digits(d: Path):
    import numpy as np
    r = _rng(5309)
    (d / "digits").mkdir(parents=True, exist_ok=True)
    np.save(d / "digits" / "x_train.npy", r.integers(0, 255, size=(256, 28, 28), dtype=np.uint8))


def resnet_state_dict(d: Path):
    """A small ResNet stem's state_dict exported with np.savez({k: v.numpy()}) on the PyTorch box."""
    import numpy as np
    r = _rng(5310)
    sd = {
        "conv1.weight": r.normal(0, 0.1, (32, 3, 7, 7)).astype(np.float32),
        "bn1.weight": np.ones(32, np.float32),
        "bn1.bias": np.zeros(32, np.float32),
        "bn1.running_mean": r.normal(0, 0.1, 32).astype(np.float32),
        "bn1.running_var": r.uniform(0.5, 1.5, 32).astype(np.float32),
        "bn1.num_batches_tracked": np.array(18250, np.int64),
        "conv2.weight": r.normal(0, 0.1, (64, 32, 3, 3)).astype(np.float32),
        "bn2.weight": np.ones(64, np.float32),
        "bn2.bias": np.zeros(64, np.float32),
        "bn2.running_mean": r.normal(0, 0.1, 64).astype(np.float32),
        "bn2.running_var": r.uniform(0.5, 1.5, 64).astype(np.float32),
        "bn2.num_batches_tracked": np.array(18250, np.int64),
        "fc.weight": r.normal(0, 0.1, (10, 64)).astype(np.float32),
        "fc.bias": np.zeros(10, np.float32),
    }
    (d / "weights").mkdir(parents=True, exist_ok=True)
    np.savez(d / "weights" / "resnet_stem_state_dict.npz", **sd)


def face_ages(d: Path):
    import numpy as np
    r = _rng(5317)
    (d / "faces").mkdir(parents=True, exist_ok=True)
    np.savez(d / "faces" / "utk_48.npz", x=r.integers(0, 255, size=(256, 48, 48, 3), dtype=np.uint8),
             age=r.integers(1, 90, 256))


def small_photos(d: Path):
    import numpy as np
    r = _rng(5311)
    (d / "cifar_like").mkdir(parents=True, exist_ok=True)
    np.save(d / "cifar_like" / "x.npy", r.integers(0, 255, size=(256, 32, 32, 3), dtype=np.uint8))
    np.save(d / "cifar_like" / "y.npy", r.integers(0, 10, size=256))


def domain_arrays(d: Path):
    import numpy as np
    r = _rng(5312)
    (d / "office").mkdir(parents=True, exist_ok=True)
    np.savez(d / "office" / "amazon_webcam.npz",
             x=r.random((96, 32, 32, 3), dtype=np.float32), y=r.integers(0, 5, 96),
             domain=np.repeat([0, 1], 48))


def ade_val_masks(d: Path):
    import numpy as np
    r = _rng(5313)
    for i in range(100):
        m = np.zeros((512, 512), np.uint8)
        for _ in range(6):
            y0, x0 = (int(v) for v in r.integers(0, 400, 2))
            m[y0:y0 + int(r.integers(20, 110)), x0:x0 + int(r.integers(20, 110))] = int(r.integers(1, 150))
        _png(d / "ade" / "val" / "masks" / f"ADE_val_{i:08d}.png", m)
        _jpg(d / "ade" / "val" / "images" / f"ADE_val_{i:08d}.jpg",
             r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def pth_dump(d: Path):
    import numpy as np
    r = _rng(5314)
    (d / "export").mkdir(parents=True, exist_ok=True)
    np.savez(d / "export" / "lenet.npz",
             **{"conv1.weight": r.normal(0, 0.1, (6, 1, 5, 5)).astype(np.float32),
                "conv1.bias": np.zeros(6, np.float32),
                "fc.weight": r.normal(0, 0.1, (10, 6 * 12 * 12)).astype(np.float32),
                "fc.bias": np.zeros(10, np.float32)})


def sqlite_index(d: Path):
    import sqlite3
    r = _rng(5315)
    (d / "herbarium").mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(d / "herbarium" / "index.db")
    con.execute("CREATE TABLE samples (id INTEGER PRIMARY KEY, path TEXT, label INTEGER)")
    for i in range(48):
        p = d / "herbarium" / "sheets" / f"sheet_{i:05d}.png"
        _png(p, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        con.execute("INSERT INTO samples (path, label) VALUES (?, ?)", (str(p), i % 4))
    con.commit()
    con.close()


def xray_pngs(d: Path):
    r = _rng(5316)
    for c in ("normal", "pneumonia", "covid"):
        for i in range(12):
            _png(d / "xray" / "train" / c / f"{c}_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
            if i < 4:
                _png(d / "xray" / "test" / c / f"{c}_{i:03d}.png",
                     r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more53-pydataset-torchvision-center-crop-ported-as-numpy-slice-small-thumbnails-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=bird_photos,
        pty=True,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        CROP = 112


        def center_crop(arr, size):
            # T.CenterCrop(size) from the PyTorch training script
            h, w = arr.shape[:2]
            top, left = (h - size) // 2, (w - size) // 2
            return arr[top:top + size, left:left + size]


        class BirdDataset(keras.utils.PyDataset):
            \"\"\"Port of the torch Dataset: the camera exports are 160x120 already, so no Resize.\"\"\"

            def __init__(self, root, batch_size=16, **kwargs):
                super().__init__(**kwargs)
                self.classes = sorted(os.listdir(root))
                self.samples = [(p, i) for i, c in enumerate(self.classes)
                                for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
                np.random.default_rng(0).shuffle(self.samples)
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.samples) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.samples[idx * self.batch_size:(idx + 1) * self.batch_size]
                images = [center_crop(np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0, CROP)
                          for p, _ in batch]
                return np.stack(images), np.array([y for _, y in batch])


        train = BirdDataset("{DATA}/birds/train", batch_size=16)
        print(len(train.samples), "images,", len(train.classes), "classes")

        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train.classes)),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train, epochs=10)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more53-pydataset-torchvision-normalize-mean-std-shaped-3-1-1-on-hwc-arrays-k3",
        cause="data.image_channels",
        also=("other",),
        exception="ValueError",
        setup=leaf_photos,
        expect="could not be broadcast",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        # transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]) from the torch code
        MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
        STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)
        SIZE = 96


        class LeafDataset(keras.utils.PyDataset):
            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.classes = sorted(os.listdir(root))
                self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def load(self, path):
                img = Image.open(path).convert("RGB").resize((SIZE, SIZE), Image.BILINEAR)
                x = np.asarray(img, dtype=np.float32) / 255.0          # ToTensor() scaling
                return (x - MEAN) / STD                                 # Normalize()

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                return np.stack([self.load(p) for p, _ in batch]), np.array([y for _, y in batch])


        base = keras.applications.MobileNetV2(input_shape=(SIZE, SIZE, 3), include_top=False, weights=None)
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(3)])
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(LeafDataset("{DATA}/leaves"), epochs=5, verbose=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more53-semi-supervised-unlabelled-photos-torch-ignore-index-minus-100-sparse-ce-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=semi_arrays,
        pty=True,
        expect="-100",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 5
        IGNORE_INDEX = -100          # nn.CrossEntropyLoss(ignore_index=-100) skipped these in PyTorch

        x = np.load("{DATA}/plankton/images.npy")
        y = np.load("{DATA}/plankton/labels.npy")
        print("labelled:", int((y != IGNORE_INDEX).sum()), "of", len(y))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more53-solar-panel-masks-left-channels-first-from-torch-dataset-unet-bce-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=channels_first_masks,
        expect="must have the same shape",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # arrays exported from the PyTorch SolarDataset; images were permuted to NHWC for Keras
        x = np.load("{DATA}/solar/images_nhwc.npy")
        masks = np.load("{DATA}/solar/masks.npy")
        print("images", x.shape, "masks", masks.shape)


        def conv_block(t, f):
            t = layers.Conv2D(f, 3, padding="same", activation="relu")(t)
            return layers.Conv2D(f, 3, padding="same", activation="relu")(t)


        inputs = keras.Input((96, 128, 3))
        c1 = conv_block(inputs, 16)
        c2 = conv_block(layers.MaxPooling2D()(c1), 32)
        b = conv_block(layers.MaxPooling2D()(c2), 64)
        u2 = conv_block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
        u1 = conv_block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
        logits = layers.Conv2D(1, 1)(u1)
        model = keras.Model(inputs, logits)

        # nn.BCEWithLogitsLoss()
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryIoU(threshold=0.0)])
        model.fit(x, masks, batch_size=8, epochs=10, validation_split=0.2)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more53-bce-with-logits-port-sigmoid-cross-entropy-int64-multi-hot-tags-torch-style-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=tag_arrays,
        expect="int64",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        data = np.load("{DATA}/tags/train.npz")
        x, y = data["x"], data["y"]                 # y: multi-hot tags, int64 like the torch code's .long()
        NUM_TAGS = y.shape[1]

        loader = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(128).batch(16)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_TAGS),                 # logits, like nn.Linear
        ])
        optimizer = keras.optimizers.Adam(1e-3)


        def criterion(logits, targets):
            # nn.BCEWithLogitsLoss()
            return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))


        for epoch in range(10):
            running = 0.0
            for step, (images, targets) in enumerate(loader):
                with tf.GradientTape() as tape:
                    logits = model(images, training=True)
                    loss = criterion(logits, targets)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                running += float(loss)
            print(f"epoch {epoch + 1}: loss {running / (step + 1):.4f}")
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more53-nb-converted-npy-arrays-copied-from-torch-box-truncated-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        expect="could only read",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            # arrays written by export_arrays.py on the PyTorch training box, copied over with scp
            x_train = np.load("{DATA}/converted/x_train.npy")
            y_train = np.load("{DATA}/converted/y_train.npy")
            print(x_train.shape, y_train.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(10),
            ])
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            model.fit(x_train, y_train, batch_size=32, epochs=5, validation_split=0.1)
            """,
        ], data=truncated_npy),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more53-vgg-port-adaptive-avgpool-7x7-as-averagepooling2d-7-on-128px-inputs-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=vgg_photos,
        expect="Computed output size would be zero or negative",
        code="""
        import numpy as np
        import keras
        from keras import layers

        IMG = 128                 # the texture crops; the PyTorch model was trained at 224
        NUM_CLASSES = 8

        cfg = [32, "M", 64, "M", 128, 128, "M", 256, 256, "M", 256, 256, "M"]   # vgg11-style, slimmed


        def make_vgg(cfg, num_classes):
            inputs = keras.Input((IMG, IMG, 3))
            x = layers.Rescaling(1.0 / 255)(inputs)
            for v in cfg:
                if v == "M":
                    x = layers.MaxPooling2D(2, strides=2)(x)
                else:
                    x = layers.Conv2D(v, 3, padding="same")(x)
                    x = layers.BatchNormalization()(x)
                    x = layers.ReLU()(x)
            # self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
            x = layers.AveragePooling2D(pool_size=7)(x)
            x = layers.Flatten()(x)
            x = layers.Dense(512, activation="relu")(x)
            x = layers.Dropout(0.5)(x)
            outputs = layers.Dense(num_classes)(x)
            return keras.Model(inputs, outputs, name="vgg11_bn_port")


        x = np.load("{DATA}/textures/x.npy")
        y = np.load("{DATA}/textures/y.npy")
        model = make_vgg(cfg, NUM_CLASSES)
        model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=10)
        """,
    ),
    Case(
        name="keras-more53-pydataset-torchvision-resize-h-w-tuple-given-to-pil-resize-w-h-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        setup=wide_photos,
        pty=True,
        expect="incompatible",
        code="""
        import glob
        import math

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        SIZE = (96, 128)          # transforms.Resize((96, 128)): (height, width), as in the torch script
        CLASSES = ["empty", "occupied"]


        class ParkingDataset(keras.utils.PyDataset):
            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.items = [(p, i) for i, c in enumerate(CLASSES) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
                np.random.default_rng(1).shuffle(self.items)
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                images = [np.asarray(Image.open(p).convert("RGB").resize(SIZE), np.float32) / 255.0 for p, _ in batch]
                return np.stack(images), np.array([y for _, y in batch], np.float32)


        inputs = keras.Input((SIZE[0], SIZE[1], 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.Flatten()(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ParkingDataset("{DATA}/parking"), epochs=10)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more53-denoiser-convtranspose-k4-s2-torch-padding-1-ported-with-valid-34px-output-k3",
        cause="model.output_mismatch",
        also=("model.input_shape",),
        exception="ValueError",
        setup=digits,
        pty=True,
        expect="28 and 34",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x_clean = np.load("{DATA}/digits/x_train.npy").astype("float32")[..., None] / 255.0
        rng = np.random.default_rng(0)
        x_noisy = np.clip(x_clean + 0.3 * rng.normal(size=x_clean.shape), 0, 1).astype("float32")

        # PyTorch:
        #   nn.Conv2d(1, 32, 4, stride=2, padding=1), nn.ReLU(),
        #   nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.ReLU(),
        #   nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.ReLU(),
        #   nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1), nn.Sigmoid()
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2D(64, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(32, 4, strides=2, activation="relu"),
            layers.Conv2DTranspose(1, 4, strides=2, activation="sigmoid"),
        ], name="denoiser")
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(x_noisy, x_clean, batch_size=32, epochs=10)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more53-resnet-stem-state-dict-npz-bn-num-batches-tracked-into-set-weights-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=resnet_state_dict,
        expect="weight list of length 5",
        code="""
        import numpy as np
        import keras
        from keras import layers

        state_dict = dict(np.load("{DATA}/weights/resnet_stem_state_dict.npz"))
        print(len(state_dict), "tensors in the state dict")

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(32, 7, strides=2, padding="same", use_bias=False, name="conv1")(inputs)
        x = layers.BatchNormalization(epsilon=1e-5, momentum=0.9, name="bn1")(x)
        x = layers.ReLU()(x)
        x = layers.Conv2D(64, 3, padding="same", use_bias=False, name="conv2")(x)
        x = layers.BatchNormalization(epsilon=1e-5, momentum=0.9, name="bn2")(x)
        x = layers.ReLU()(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10, name="fc")(x)
        model = keras.Model(inputs, outputs)


        def convert(name, tensors):
            if name.startswith("conv"):
                return [t.transpose(2, 3, 1, 0) for t in tensors]          # (out, in, kh, kw) -> (kh, kw, in, out)
            if name == "fc":
                return [tensors[0].T, tensors[1]]                           # (out, in) -> (in, out)
            return tensors


        for layer in model.layers:
            tensors = [v for k, v in state_dict.items() if k.split(".")[0] == layer.name]
            if not tensors:
                continue
            layer.set_weights(convert(layer.name, tensors))
            print("loaded", layer.name, [t.shape for t in tensors])

        x = np.random.default_rng(0).random((128, 64, 64, 3)).astype("float32")
        y = np.random.default_rng(1).integers(0, 10, 128)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=32)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more53-resnet-stem-port-conv2d-pytorch-integer-padding-3-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=small_photos,
        expect="lower",
        code="""
        import numpy as np
        import keras
        from keras import layers


        def basic_block(x, filters, stride=1):
            # BasicBlock.conv1 = nn.Conv2d(inplanes, planes, 3, stride, padding=1, bias=False)
            shortcut = x
            y = layers.Conv2D(filters, 3, strides=stride, padding=1, use_bias=False)(x)
            y = layers.BatchNormalization()(y)
            y = layers.ReLU()(y)
            y = layers.Conv2D(filters, 3, padding=1, use_bias=False)(y)
            y = layers.BatchNormalization()(y)
            if stride != 1 or shortcut.shape[-1] != filters:
                shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
                shortcut = layers.BatchNormalization()(shortcut)
            return layers.ReLU()(layers.Add()([y, shortcut]))


        inputs = keras.Input((32, 32, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        # self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        x = layers.Conv2D(64, 7, strides=2, padding=3, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        for filters, stride in [(64, 1), (128, 2), (256, 2)]:
            x = basic_block(x, filters, stride)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10)(x)
        model = keras.Model(inputs, outputs, name="resnet_port")

        x_train, y_train = np.load("{DATA}/cifar_like/x.npy"), np.load("{DATA}/cifar_like/y.npy")
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=64, epochs=5)
        """,
    ),
    Case(
        name="keras-more53-functional-port-torch-flatten-as-tf-reshape-on-keras-tensor-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        setup=small_photos,
        expect="A KerasTensor cannot be used as input to a TensorFlow function",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        inputs = keras.Input((32, 32, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        # forward(): x = torch.flatten(x, 1); x = self.fc1(x)
        x = tf.reshape(x, (-1, 4 * 4 * 128))
        x = layers.Dense(256, activation="relu")(x)
        outputs = layers.Dense(10)(x)
        model = keras.Model(inputs, outputs)

        x_train, y_train = np.load("{DATA}/cifar_like/x.npy"), np.load("{DATA}/cifar_like/y.npy")
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=64, epochs=5)
        """,
    ),
    Case(
        name="keras-more53-cosineannealinglr-port-learning-rate-schedule-math-cos-on-step-tensor-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=small_photos,
        pty=True,
        expect="must be real number",
        code="""
        import math

        import numpy as np
        import keras
        from keras import layers


        class CosineAnnealingLR(keras.optimizers.schedules.LearningRateSchedule):
            \"\"\"torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min), stepped every batch.\"\"\"

            def __init__(self, base_lr, T_max, eta_min=0.0):
                self.base_lr = base_lr
                self.T_max = T_max
                self.eta_min = eta_min

            def __call__(self, step):
                return self.eta_min + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * step / self.T_max)) / 2

            def get_config(self):
                return {"base_lr": self.base_lr, "T_max": self.T_max, "eta_min": self.eta_min}


        x_train, y_train = np.load("{DATA}/cifar_like/x.npy"), np.load("{DATA}/cifar_like/y.npy")
        EPOCHS, BATCH = 10, 32
        steps = EPOCHS * math.ceil(len(x_train) / BATCH)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10),
        ])
        model.compile(optimizer=keras.optimizers.SGD(CosineAnnealingLR(0.1, steps, 1e-4), momentum=0.9, nesterov=True),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more53-age-regressor-lambdalr-factor-ported-as-scheduler-lr-nan-then-hand-error-histogram-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=face_ages,
        pty=True,
        expect="is not finite",
        code="""
        import numpy as np
        import keras
        from keras import layers

        data = np.load("{DATA}/faces/utk_48.npz")
        x, age = data["x"].astype("float32") / 255.0, data["age"].astype("float32")
        AGE_MEAN, AGE_STD = float(age.mean()), float(age.std())
        y = (age - AGE_MEAN) / AGE_STD                      # standardised target, as in the torch code

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        # optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        # scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.9 ** epoch)
        model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="mse", metrics=["mae"])
        scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: 0.9 ** epoch)
        model.fit(x, y, batch_size=32, epochs=6, validation_split=0.2, callbacks=[scheduler])

        # evaluation from the paper: cumulative score CS(t) = share of faces with |error| <= t years
        pred_age = model.predict(x, verbose=0)[:, 0] * AGE_STD + AGE_MEAN
        abs_err = np.abs(pred_age - age)
        hist, edges = np.histogram(abs_err, bins=20)
        cs = np.cumsum(hist) / len(abs_err)
        for t, c in zip(edges[1:], cs):
            print(f"CS({t:4.1f}) = {c:.3f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more53-dann-gradient-reversal-custom-gradient-returns-one-grad-for-two-inputs-k3",
        cause="optim.autograd_graph",
        exception="InternalError",
        setup=domain_arrays,
        expect="returned too few gradients",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers


        @tf.custom_gradient
        def grad_reverse(x, lambd):
            # class GradReverse(torch.autograd.Function):
            #     forward: return x.view_as(x);  backward: return grad_output.neg() * ctx.lambd, None
            def grad(dy):
                return -lambd * dy
            return tf.identity(x), grad


        class GradientReversal(layers.Layer):
            def __init__(self, lambd=1.0, **kwargs):
                super().__init__(**kwargs)
                self.lambd = lambd

            def call(self, x):
                return grad_reverse(x, self.lambd)


        data = np.load("{DATA}/office/amazon_webcam.npz")
        x, y, domain = data["x"], data["y"], data["domain"].astype("float32")

        inputs = keras.Input((32, 32, 3))
        f = layers.Conv2D(32, 3, activation="relu")(inputs)
        f = layers.MaxPooling2D()(f)
        f = layers.Conv2D(64, 3, activation="relu")(f)
        features = layers.GlobalAveragePooling2D()(f)
        class_out = layers.Dense(5, name="label")(features)
        d = GradientReversal(1.0)(features)
        d = layers.Dense(64, activation="relu")(d)
        domain_out = layers.Dense(1, name="domain")(d)
        model = keras.Model(inputs, [class_out, domain_out])

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss={"label": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                            "domain": keras.losses.BinaryCrossentropy(from_logits=True)})
        model.fit(x, {"label": y, "domain": domain}, batch_size=16, epochs=5, verbose=2)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more53-hand-miou-one-hot-np-eye-whole-150-class-val-set-full-resolution-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=ade_val_masks,
        expect="Unable to allocate",
        timeout=400,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        NUM_CLASSES = 150
        mask_files = sorted(glob.glob("{DATA}/ade/val/masks/*.png"))
        image_files = sorted(glob.glob("{DATA}/ade/val/images/*.jpg"))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(NUM_CLASSES, 1),
        ])

        images = np.stack([np.asarray(Image.open(p).convert("RGB")) for p in image_files])
        logits = model.predict(images, batch_size=16, verbose=0)
        pred = tf.image.resize(np.argmax(logits, -1)[..., None], (512, 512), method="nearest").numpy()[..., 0]
        gt = np.stack([np.asarray(Image.open(p)) for p in mask_files]).astype(np.int64)
        print("val masks", gt.shape, "predictions", pred.shape)


        def mean_iou(pred, target, num_classes):
            # port of the torch metric: F.one_hot(target, C) / F.one_hot(pred, C), summed over N, H, W
            t = np.eye(num_classes)[target]
            p = np.eye(num_classes)[pred]
            inter = (t * p).sum(axis=(0, 1, 2))
            union = t.sum(axis=(0, 1, 2)) + p.sum(axis=(0, 1, 2)) - inter
            return np.nanmean(inter / union)


        print("mIoU:", mean_iou(pred, gt, NUM_CLASSES))
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more53-2017-pth-to-keras-converter-set-image-dim-ordering-th-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=pth_dump,
        expect="set_image_dim_ordering",
        code="""
        import numpy as np
        import keras
        from keras import backend as K
        from keras import layers

        # convert_lenet.py (pytorch -> keras weight transfer helper, 2017)
        K.set_image_dim_ordering("th")

        state = np.load("{DATA}/export/lenet.npz")
        model = keras.Sequential([
            keras.Input((1, 28, 28)),
            layers.Conv2D(6, 5, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, name="fc"),
        ])
        model.get_layer("conv1").set_weights([state["conv1.weight"].transpose(2, 3, 1, 0), state["conv1.bias"]])
        model.get_layer("fc").set_weights([state["fc.weight"].T, state["fc.bias"]])
        model.save("lenet_converted.keras")
        print("saved")
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more53-pydataset-sqlite-index-connection-spawn-start-method-multiprocessing-workers-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=sqlite_index,
        expect="pickle",
        code="""
        import math
        import multiprocessing as mp
        import sqlite3

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image


        class HerbariumDataset(keras.utils.PyDataset):
            \"\"\"Port of the torch Dataset that reads its sample index from sqlite.\"\"\"

            def __init__(self, db_path, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.con = sqlite3.connect(db_path)
                self.n = self.con.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(self.n / self.batch_size)

            def __getitem__(self, idx):
                rows = self.con.execute("SELECT path, label FROM samples ORDER BY id LIMIT ? OFFSET ?",
                                        (self.batch_size, idx * self.batch_size)).fetchall()
                x = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p, _ in rows])
                return x, np.array([lab for _, lab in rows])


        if __name__ == "__main__":
            mp.set_start_method("spawn")        # kept from the PyTorch script (CUDA in DataLoader workers)
            train = HerbariumDataset("{DATA}/herbarium/index.db", batch_size=8, workers=2,
                                     use_multiprocessing=True)
            print(train.n, "sheets")
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4),
            ])
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            model.fit(train, epochs=5, verbose=2)
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more53-ddp-port-mirrored-strategy-experimental-distribute-dataset-on-pydataset-k3",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=xray_pngs,
        expect="_variant_tensor",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        print("replicas:", strategy.num_replicas_in_sync)

        PER_REPLICA_BATCH = 8
        GLOBAL_BATCH = PER_REPLICA_BATCH * strategy.num_replicas_in_sync


        class XrayDataset(keras.utils.PyDataset):
            def __init__(self, root, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.classes = sorted(os.listdir(root))
                self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.png"))]
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p, _ in batch])
                return x, np.array([y for _, y in batch])


        train = XrayDataset("{DATA}/xray/train", GLOBAL_BATCH)
        # DistributedSampler(train_set) + DataLoader in the DDP script
        dist_train = strategy.experimental_distribute_dataset(train)

        with strategy.scope():
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3),
            ])
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(dist_train, epochs=5)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more53-nb-prediction-report-indexes-torchvision-class-to-idx-with-predicted-ids-k3",
        cause="other",
        exception="KeyError",
        **notebook([
            """
            import glob
            import os

            import numpy as np
            import keras
            from keras import layers
            from PIL import Image

            ROOT = "{DATA}/xray"
            classes = sorted(os.listdir(f"{ROOT}/train"))
            class_to_idx = {name: i for i, name in enumerate(classes)}     # as torchvision's ImageFolder builds it


            def load_split(split):
                items = [(p, class_to_idx[c]) for c in classes for p in sorted(glob.glob(f"{ROOT}/{split}/{c}/*.png"))]
                x = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p, _ in items])
                return x, np.array([y for _, y in items]), [os.path.basename(p) for p, _ in items]


            x_train, y_train, _ = load_split("train")
            x_test, y_test, test_names = load_split("test")
            print(x_train.shape, x_test.shape, class_to_idx)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(classes)),
            ])
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            model.fit(x_train, y_train, epochs=3, batch_size=8, verbose=2)
            """,
            """
            pred_ids = model.predict(x_test, verbose=0).argmax(axis=1)
            for name, true_id, pred_id in zip(test_names, y_test, pred_ids):
                print(f"{name:<20} true={classes[true_id]:<10} pred={class_to_idx[pred_id]}")
            """,
        ], data=xray_pngs),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
