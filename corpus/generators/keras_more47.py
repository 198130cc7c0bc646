"""Untargeted held-out Keras / TF 2 training failures (g107, scored 0.91 top-1 and 0.96 top-3 before any rule for it) of people training image models that
are not plain classifiers: GANs with a custom ``train_step`` or a ``tf.GradientTape`` loop,
autoencoders and VAEs (KL terms, ``add_loss``, a ``Sampling`` layer), siamese / triplet networks,
OCR models trained with CTC, image-captioning encoder-decoders with ``TextVectorization`` or the
Keras ``Tokenizer``, video models over frame sequences (``TimeDistributed``, ``ConvLSTM2D``,
``Conv3D``) and super-resolution nets, spread over the cause ids of the taxonomy as these users
meet them:

- image sizes: a super-resolution pipeline that batches whole DIV2K photos (each of its own size)
  instead of cropping patches;
- channels: a DCGAN for grey sketches whose folder is read by ``image_dataset_from_directory`` at
  the default ``color_mode="rgb"`` (the ``train_step`` concatenates fakes and reals; notebook);
- boxes: ICDAR 2015 quadrilaterals (``x1,y1,...,x4,y4,text``) read as ``xmin,ymin,xmax,ymax`` to
  cut word crops for a recogniser;
- labels: UCF101's one-based ``classInd.txt`` / ``trainlist01.txt`` ids for a ``Conv3D`` action
  classifier;
- label shapes: a captioning decoder fed ``seq[:, :-1]`` but given the unshifted ``seq`` as its
  target (tf_keras);
- dtypes: a VAE ``Sampling`` layer drawing ``tf.random.normal`` (float32) under ``mixed_float16``;
- files: Flickr8k's token file entry ``2258277193_586949ec62.jpg.1`` with no such image (progress
  bar), a video whose frame extraction produced an empty folder, read by a clip ``PyDataset``;
- model inputs: Moving-MNIST frames given to ``ConvLSTM2D`` without the channel axis (tf_keras,
  notebook), pooled InceptionV3 features cached for a "Show, Attend and Tell" decoder that expects
  the 8 x 8 grid of 64 feature vectors;
- model outputs: the keras.io MNIST VAE decoder (28 x 28 x 1) kept for 64 x 64 RGB faces, an ESPCN
  built with the example's ``upscale_factor=3`` for pairs made at x4;
- weights: a DCGAN generator checkpoint written with ``LATENT_DIM = 100`` loaded after the notebook
  moved to 128 (notebook);
- API: a triplet ``Dataset.zip((anchor, positive, negative))`` given to ``fit`` of a three-input
  model (read as x, y, sample_weight), ``TextVectorization.adapt`` on the (image, caption)
  dataset (notebook);
- versions: the Keras 2 VAE's ``vae.add_loss(kl_loss)`` on a functional model under Keras 3, a
  2019 UCSD-anomaly ConvLSTM autoencoder importing ``keras.layers.convolutional_recurrent``;
- divergence: a dense VAE on raw 0..255 pixels whose ``exp(z_log_var)`` overflows, caught by
  ``enable_check_numerics`` (progress bar);
- gradients: an OCR loop that minimises the character error rate (``ctc_greedy_decoder`` +
  ``edit_distance``) instead of the CTC loss;
- host memory: every UCF101 training clip preallocated as one float64 ``np.zeros`` array (tf_keras);
- GPU setup: the TF GPU guide's ``set_logical_device_configuration(gpus[0], ...)`` cell in a CPU
  session of a CycleGAN notebook (tf_keras);
- workers: a Flickr8k resize script handing an open ``ZipFile`` to ``Pool.map``;
- plain bugs: a greedy caption decoder that looks up the padding id 0 in ``tokenizer.index_word``
  (tf_keras, notebook).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run in
a real IPython shell. Everything is small enough to run on a CPU; causes that need a GPU
(resource.gpu_oom, env.device_mismatch) are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more47.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g107): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more47.py"


# ---------------------------------------------------------------- data helpers
def bsds(d: Path):
    """BSDS300-style photos, half of them portrait (as in the real set: 481 x 321 / 321 x 481,
    here at half size)."""
    r = _rng(4701)
    for i in range(16):
        h, w = (160, 240) if i % 3 else (240, 160)
        _jpg(d / "BSDS300" / "images" / "train" / f"{[2092, 8049, 8143, 12003, 12074, 15004, 15088, 16052][i % 8] + i * 1000}.jpg",
             r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def div2k(d: Path):
    """DIV2K_train_HR/0001.png ...: 2K photos, every one of its own size (here at an eighth)."""
    r = _rng(4715)
    sizes = [(170, 255), (144, 255), (255, 170), (191, 255), (169, 255), (255, 191), (138, 255), (165, 255)]
    for i in range(16):
        _png(d / "DIV2K_train_HR" / f"{i + 1:04d}.png", r.integers(0, 255, size=(*sizes[i % 8], 3), dtype="uint8"))


def sketches(d: Path):
    """Grey pencil sketches (mode L PNGs), one flat folder."""
    r = _rng(4702)
    for i in range(32):
        _png(d / "sketches" / f"sketch_{i:04d}.png", r.integers(0, 255, size=(64, 64), dtype="uint8"))


def icdar(d: Path):
    """ICDAR 2015 incidental text: ch4_training_images/img_N.jpg and gt_img_N.txt with a BOM and one
    quadrilateral per line (x1,y1,x2,y2,x3,y3,x4,y4,transcription; clockwise from top-left)."""
    r = _rng(4703)
    words = ["Genaxis Theatre", "[06]", "62-03", "Carpark", "###", "EXIT", "SALE", "Bus", "Stop", "HSBC"]
    for n in range(1, 6):
        _jpg(d / "icdar2015" / "ch4_training_images" / f"img_{n}.jpg",
             r.integers(0, 255, size=(180, 320, 3), dtype="uint8"))
        rows = []
        for k in range(3):
            x1, y1 = int(r.integers(10, 200)), int(r.integers(10, 140))
            w, h = int(r.integers(30, 100)), int(r.integers(12, 30))
            dy = 0 if (n + k) % 2 else int(r.integers(1, 4))   # mostly level text, some slightly tilted
            quad = [x1, y1, x1 + w, y1 - dy, x1 + w + 1, y1 + h - dy, x1 + 1, y1 + h]
            rows.append(",".join(map(str, quad)) + "," + words[(n * 3 + k) % len(words)])
        p = d / "icdar2015" / "ch4_training_localization_transcription_gt" / f"gt_img_{n}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")


UCF_CLASSES = ["ApplyEyeMakeup", "Archery", "BabyCrawling"]


def ucf101(d: Path):
    """UCF101 split files (one-based class ids) + frames extracted with ffmpeg as JPEGs."""
    r = _rng(4704)
    lists = d / "UCF101" / "ucfTrainTestlist"
    lists.mkdir(parents=True)
    (lists / "classInd.txt").write_text("".join(f"{i + 1} {c}\r\n" for i, c in enumerate(UCF_CLASSES)))
    rows = []
    for ci, c in enumerate(UCF_CLASSES):
        for g in range(8, 12):
            vid = f"v_{c}_g{g:02d}_c01"
            rows.append(f"{c}/{vid}.avi {ci + 1}")
            for f in range(1, 9):
                _jpg(d / "UCF101" / "frames" / vid / f"frame_{f:04d}.jpg",
                     r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))
    (lists / "trainlist01.txt").write_text("\r\n".join(rows) + "\r\n")


def ucf101_lists_only(d: Path):
    """The full trainlist01.txt (9537 clips) and classInd.txt, frames for a few clips only."""
    import random

    lists = d / "UCF101" / "ucfTrainTestlist"
    lists.mkdir(parents=True)
    classes = [f"Class{i:03d}" for i in range(101)]
    classes[:3] = UCF_CLASSES
    (lists / "classInd.txt").write_text("".join(f"{i + 1} {c}\r\n" for i, c in enumerate(classes)))
    rnd = random.Random(4705)
    rows = []
    for i in range(9537):
        ci = i * 101 // 9537
        rows.append(f"{classes[ci]}/v_{classes[ci]}_g{8 + i % 18:02d}_c{1 + rnd.randrange(5):02d}.avi {ci + 1}")
    (lists / "trainlist01.txt").write_text("\r\n".join(rows) + "\r\n")


FLICKR_CAPS = [
    "A child in a pink dress is climbing up a set of stairs in an entry way .",
    "A girl going into a wooden building .",
    "A little girl climbing into a wooden playhouse .",
    "A little girl climbing the stairs to her playhouse .",
    "A little girl in a pink dress going into a wooden cabin .",
    "A black dog and a spotted dog are fighting",
    "A black dog and a tri-colored dog playing with each other on the road .",
    "Two dogs of different breeds looking at each other on the road .",
    "A man in an orange hat starring at something .",
    "A man wears an orange hat and glasses .",
    "Two men in green shirts are standing in a yard .",
    "A brown dog is running through the grass .",
    "A boy jumps into the water at the beach .",
]


def flickr8k(d: Path, with_bad=True, zipped=False):
    """Flickr8k: Flicker8k_Dataset/<id>.jpg + Flickr8k.token.txt (<id>.jpg#k<TAB>caption). The real
    token file lists `2258277193_586949ec62.jpg.1`, an image that is not in the image folder."""
    r = _rng(4706)
    ids = ["1000268201_693b08cb0e", "1001773457_577c3a7d70", "1002674143_1b742ab4b8", "1003163366_44323f5815",
           "1007129816_e794419615", "1007320043_627395c3d8", "1009434119_febe49276a", "1012212859_01547e3f17",
           "1015118661_980735411b", "1015584366_dfcec3c85a", "101654506_8eb26cfb60", "101669240_b2d3e7f17b"]
    names = [f"{i}.jpg" for i in ids]
    if with_bad:
        names.insert(5, "2258277193_586949ec62.jpg.1")
    lines = []
    for k, n in enumerate(names):
        for j in range(5):
            lines.append(f"{n}#{j}\t{FLICKR_CAPS[(k * 5 + j) % len(FLICKR_CAPS)]}")
    root = d / "_flickr" if zipped else d
    for i in ids:
        _jpg(root / "Flicker8k_Dataset" / f"{i}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
    (d / "Flickr8k.token.txt").write_text("\n".join(lines) + "\n")
    if zipped:
        with zipfile.ZipFile(d / "Flickr8k_Dataset.zip", "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted((root / "Flicker8k_Dataset").iterdir()):
                z.write(p, f"Flicker8k_Dataset/{p.name}")
        import shutil
        shutil.rmtree(root)


def flickr8k_clean(d: Path):
    flickr8k(d, with_bad=False)


def flickr8k_zip(d: Path):
    flickr8k(d, with_bad=False, zipped=True)


def flickr_features(d: Path):
    """Features cached by an earlier script (InceptionV3, include_top=False, pooling="avg"): one
    (2048,) vector per image, plus the captions."""
    import numpy as np

    flickr8k(d, with_bad=False)
    r = _rng(4707)
    (d / "features").mkdir()
    for p in sorted((d / "Flicker8k_Dataset").glob("*.jpg")):
        np.save(d / "features" / (p.stem + ".npy"), r.random(2048, dtype=np.float32))


def video_frames_one_empty(d: Path):
    """Frames extracted per clip with ffmpeg; one clip was a broken download and gave no frame."""
    r = _rng(4708)
    vids = []
    for c in ("fall", "no_fall"):
        for k in range(8):
            vids.append((c, f"{c}_{k:03d}"))
    for c, v in vids:
        folder = d / "clips_frames" / c / v
        folder.mkdir(parents=True, exist_ok=True)
        if v == "fall_006":
            continue
        for f in range(10):
            _jpg(folder / f"{v}_{f:05d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))


def moving_mnist(d: Path):
    """mnist_test_seq.npy as distributed: (20 frames, N sequences, 64, 64) uint8."""
    import numpy as np

    r = _rng(4709)
    a = np.zeros((20, 24, 64, 64), dtype=np.uint8)
    for s in range(24):
        x, y = int(r.integers(0, 40)), int(r.integers(0, 40))
        dx, dy = int(r.integers(-3, 4)), int(r.integers(-3, 4))
        for t in range(20):
            a[t, s, y:y + 20, x:x + 20] = 255
            x, y = min(max(x + dx, 0), 44), min(max(y + dy, 0), 44)
    np.save(d / "mnist_test_seq.npy", a)


def faces_rgb(d: Path):
    make_images(d / "img_align_celeba", ["all"], per_class=32, size=(64, 64), fmt="jpeg", seed=4710)


def faces_people(d: Path):
    make_images(d / "faces", ["alice", "bob", "carol", "dave"], per_class=6, size=(64, 64), fmt="jpeg", seed=4711)


def gan_checkpoint(d: Path):
    (d / "checkpoints").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        LATENT_DIM = 100
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 128),
            layers.Reshape((8, 8, 128)),
            layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(3, 5, padding="same", activation="sigmoid"),
        ], name="generator")
        generator.save_weights("checkpoints/generator_epoch_050.weights.h5")
        """, d)


def captchas(d: Path):
    r = _rng(4712)
    chars = "2345678bcdefgmnpwxy"
    for i in range(32):
        text = "".join(chars[int(k)] for k in r.integers(0, len(chars), size=5))
        _png(d / "captcha_images_v2" / f"{text}.png", r.integers(0, 255, size=(50, 200), dtype="uint8"))


def horse2zebra(d: Path):
    make_images(d / "horse2zebra", ["trainA", "trainB"], per_class=6, size=(64, 64), fmt="jpeg", seed=4713)


def faces_small(d: Path):
    make_images(d / "faces_64", ["all"], per_class=48, size=(32, 32), fmt="png", seed=4714)


# the keras.io DCGAN model (custom train_step), as the notebooks copy it
DCGAN_CLASS = '''
class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        batch_size = ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        generated_images = self.generator(random_latent_vectors)
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        labels += 0.05 * tf.random.uniform(tf.shape(labels))

        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        misleading_labels = ops.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(random_latent_vectors))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}
'''


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more47-espcn-div2k-whole-photos-batched-without-patch-crops-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        expect="Cannot add tensor to the batch",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        UPSCALE = 3
        BATCH = 8
        files = sorted(tf.io.gfile.glob("{DATA}/DIV2K_train_HR/*.png"))
        print(f"{len(files)} training photos")


        def load_pair(path):
            hr = tf.io.decode_png(tf.io.read_file(path), channels=3)
            hr = tf.image.convert_image_dtype(hr, tf.float32)
            h = tf.shape(hr)[0] // UPSCALE * UPSCALE
            w = tf.shape(hr)[1] // UPSCALE * UPSCALE
            hr = hr[:h, :w]                      # crop so that the size divides by the scale
            lr = tf.image.resize(hr, (h // UPSCALE, w // UPSCALE), method="bicubic")
            return lr, hr


        train_ds = (tf.data.Dataset.from_tensor_slices(files)
                    .map(load_pair, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(BATCH)
                    .prefetch(tf.data.AUTOTUNE))


        class PixelShuffle(layers.Layer):
            def __init__(self, scale, **kwargs):
                super().__init__(**kwargs)
                self.scale = scale

            def call(self, x):
                return tf.nn.depth_to_space(x, self.scale)


        def espcn(upscale, channels=3):
            inp = keras.Input((None, None, channels))
            x = layers.Conv2D(64, 5, padding="same", activation="tanh")(inp)
            x = layers.Conv2D(32, 3, padding="same", activation="tanh")(x)
            x = layers.Conv2D(channels * upscale ** 2, 3, padding="same")(x)
            return keras.Model(inp, PixelShuffle(upscale)(x), name="espcn")


        model = espcn(UPSCALE)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(train_ds, epochs=20, verbose=2)
        """,
        setup=div2k,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more47-nb-dcgan-grey-sketches-folder-read-as-rgb-concat-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers, ops

            IMG = 64
            LATENT_DIM = 128
            dataset = keras.utils.image_dataset_from_directory(
                "{DATA}/sketches", label_mode=None, image_size=(IMG, IMG), batch_size=16, seed=7)
            dataset = dataset.map(lambda x: x / 255.0)
            """,
            """
            discriminator = keras.Sequential([
                keras.Input(shape=(IMG, IMG, 1)),
                layers.Conv2D(64, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2D(128, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Flatten(),
                layers.Dropout(0.2),
                layers.Dense(1, activation="sigmoid"),
            ], name="discriminator")

            generator = keras.Sequential([
                keras.Input(shape=(LATENT_DIM,)),
                layers.Dense(16 * 16 * 128),
                layers.Reshape((16, 16, 128)),
                layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2D(1, 5, padding="same", activation="sigmoid"),
            ], name="generator")
            """,
            DCGAN_CLASS,
            """
            gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
            gan.compile(
                d_optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5),
                loss_fn=keras.losses.BinaryCrossentropy(),
            )
            gan.fit(dataset, epochs=10)
            """,
        ], data=sketches),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more47-icdar2015-quads-read-as-xmin-ymin-xmax-ymax-word-crops-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf

        ROOT = "{DATA}/icdar2015"
        CROP_H, CROP_W = 32, 128


        def read_gt(path):
            boxes, texts = [], []
            with open(path, encoding="utf-8-sig") as f:
                for line in f:
                    parts = line.strip().split(",")
                    if len(parts) < 9:
                        continue
                    text = ",".join(parts[8:])
                    if text == "###":          # don't-care regions
                        continue
                    xmin, ymin, xmax, ymax = map(int, parts[:4])
                    boxes.append((xmin, ymin, xmax, ymax))
                    texts.append(text)
            return boxes, texts


        crops, labels = [], []
        for img_path in sorted(glob.glob(os.path.join(ROOT, "ch4_training_images", "*.jpg"))):
            name = os.path.splitext(os.path.basename(img_path))[0]
            gt = os.path.join(ROOT, "ch4_training_localization_transcription_gt", f"gt_{name}.txt")
            image = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=1)
            for (xmin, ymin, xmax, ymax), text in zip(*read_gt(gt)):
                word = tf.image.crop_to_bounding_box(image, ymin, xmin, ymax - ymin, xmax - xmin)
                crops.append(tf.image.resize(word, (CROP_H, CROP_W)).numpy())
                labels.append(text)

        x_words = np.stack(crops) / 255.0
        print("word crops:", x_words.shape, "labels:", len(labels))
        np.savez("word_crops.npz", x=x_words, y=np.array(labels))
        """,
        setup=icdar,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more47-ucf101-classind-one-based-ids-conv3d-sparse-loss-pty-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        pty=True,
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/UCF101"
        N_FRAMES, H, W = 8, 48, 64

        classes = {}
        with open(os.path.join(ROOT, "ucfTrainTestlist", "classInd.txt")) as f:
            for line in f:
                idx, name = line.split()
                classes[name] = int(idx)
        NUM_CLASSES = len(classes)


        def load_clip(video):
            folder = os.path.join(ROOT, "frames", video)
            frames = sorted(os.listdir(folder))[:N_FRAMES]
            return np.stack([np.asarray(Image.open(os.path.join(folder, f)), dtype=np.float32) / 255.0
                             for f in frames])


        clips, labels = [], []
        with open(os.path.join(ROOT, "ucfTrainTestlist", "trainlist01.txt")) as f:
            for line in f:
                path, label = line.split()
                video = os.path.splitext(os.path.basename(path))[0]
                clips.append(load_clip(video))
                labels.append(int(label))
        x = np.stack(clips)
        y = np.array(labels)
        print("clips:", x.shape, "classes:", NUM_CLASSES)

        model = keras.Sequential([
            keras.Input((N_FRAMES, H, W, 3)),
            layers.Conv3D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling3D((1, 2, 2)),
            layers.Conv3D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling3D(2),
            layers.GlobalAveragePooling3D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5, shuffle=True)
        """,
        setup=ucf101,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more47-caption-decoder-input-shifted-target-not-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        env="tfk2",
        exception="InvalidArgumentError",
        code="""
        import os

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG_DIR = "{DATA}/Flicker8k_Dataset"
        SEQ_LEN = 20
        VOCAB = 2000
        IMG = 96

        captions = {}
        with open("{DATA}/Flickr8k.token.txt") as f:
            for line in f:
                name, cap = line.rstrip("\\n").split("\\t")
                captions.setdefault(name.split("#")[0], []).append("startseq " + cap.lower() + " endseq")

        paths, texts = [], []
        for name, caps in captions.items():
            for c in caps:
                paths.append(os.path.join(IMG_DIR, name))
                texts.append(c)

        vectorizer = layers.TextVectorization(max_tokens=VOCAB, output_sequence_length=SEQ_LEN,
                                              standardize="lower_and_strip_punctuation")
        vectorizer.adapt(texts)


        def make_example(path, text):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            seq = vectorizer(text)
            return (img, seq[:-1]), seq        # teacher forcing


        ds = (tf.data.Dataset.from_tensor_slices((paths, texts))
              .shuffle(len(paths), seed=1)
              .map(make_example)
              .batch(8))

        img_in = keras.Input((IMG, IMG, 3), name="image")
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(img_in)
        x = layers.Conv2D(64, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        state = layers.Dense(256, activation="tanh")(x)

        seq_in = keras.Input((SEQ_LEN - 1,), name="caption_in")
        e = layers.Embedding(VOCAB, 128, mask_zero=True)(seq_in)
        h = layers.GRU(256, return_sequences=True)(e, initial_state=state)
        out = layers.Dense(VOCAB, activation="softmax")(h)

        captioner = keras.Model([img_in, seq_in], out)
        captioner.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        captioner.fit(ds, epochs=10, verbose=2)
        """,
        setup=flickr8k_clean,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more47-vae-sampling-layer-float32-noise-under-mixed-float16-k3",
        cause="data.dtype",
        exception="TypeError",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers, ops

        keras.mixed_precision.set_global_policy("mixed_float16")   # "2x faster on the T4"

        IMG = 64
        LATENT_DIM = 32
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/img_align_celeba", label_mode=None, image_size=(IMG, IMG), batch_size=16)
        train_ds = train_ds.map(lambda x: x / 255.0)


        class Sampling(layers.Layer):
            \"\"\"Reparameterisation trick: z = mean + sigma * eps.\"\"\"

            def call(self, inputs):
                z_mean, z_log_var = inputs
                epsilon = tf.random.normal(shape=tf.shape(z_mean))
                return z_mean + tf.exp(0.5 * z_log_var) * epsilon


        enc_in = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(enc_in)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Flatten()(x)
        x = layers.Dense(128, activation="relu")(x)
        z_mean = layers.Dense(LATENT_DIM, name="z_mean")(x)
        z_log_var = layers.Dense(LATENT_DIM, name="z_log_var")(x)
        z = Sampling()([z_mean, z_log_var])
        encoder = keras.Model(enc_in, [z_mean, z_log_var, z], name="encoder")
        encoder.summary()
        """,
        setup=faces_rgb,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more47-flickr8k-token-file-jpg-dot-1-entry-no-such-image-pty-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        pty=True,
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        IMG_DIR = "{DATA}/Flicker8k_Dataset"
        TOKENS = "{DATA}/Flickr8k.token.txt"
        SEQ_LEN = 24
        VOCAB = 5000
        IMG = 64

        pairs = []
        with open(TOKENS) as f:
            for line in f:
                tag, caption = line.strip().split("\\t")
                image_name = tag.split("#")[0]
                pairs.append((os.path.join(IMG_DIR, image_name), "<start> " + caption.lower() + " <end>"))
        print(f"{len(pairs)} captions for {len(set(p for p, _ in pairs))} images")

        vectorization = layers.TextVectorization(max_tokens=VOCAB, output_sequence_length=SEQ_LEN + 1,
                                                 standardize=None)
        vectorization.adapt([c for _, c in pairs])


        def decode_and_resize(img_path):
            img = tf.io.read_file(img_path)
            img = tf.image.decode_jpeg(img, channels=3)
            img = tf.image.resize(img, (IMG, IMG))
            return tf.image.convert_image_dtype(img, tf.float32) / 255.0


        def process_input(img_path, caption):
            seq = vectorization(caption)
            return (decode_and_resize(img_path), seq[:-1]), seq[1:]


        train_ds = (tf.data.Dataset.from_tensor_slices(([p for p, _ in pairs], [c for _, c in pairs]))
                    .map(process_input, num_parallel_calls=1)
                    .batch(5)
                    .prefetch(1))

        img_in = keras.Input((IMG, IMG, 3))
        f = layers.Conv2D(32, 3, strides=2, activation="relu")(img_in)
        f = layers.Conv2D(64, 3, strides=2, activation="relu")(f)
        f = layers.GlobalAveragePooling2D()(f)
        f = layers.Dense(128, activation="relu")(f)
        tok_in = keras.Input((SEQ_LEN,), dtype="int64")
        t = layers.Embedding(VOCAB, 128, mask_zero=True)(tok_in)
        t = layers.LSTM(128, return_sequences=True)(t, initial_state=[f, f])
        out = layers.Dense(VOCAB)(t)
        model = keras.Model([img_in, tok_in], out)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=30)
        """,
        setup=flickr8k,
    ),
    Case(
        name="keras-more47-fall-detection-clip-pydataset-empty-frames-folder-pty-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        pty=True,
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/clips_frames"
        SEQ, SIZE = 10, 48
        CLASSES = ["fall", "no_fall"]


        class ClipDataset(keras.utils.PyDataset):
            def __init__(self, videos, labels, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.videos, self.labels, self.batch_size = videos, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.videos) / self.batch_size)

            def load_clip(self, folder):
                frames = sorted(glob.glob(os.path.join(folder, "*.jpg")))[:SEQ]
                return np.stack([np.asarray(Image.open(p).convert("RGB").resize((SIZE, SIZE)), dtype=np.float32)
                                 / 255.0 for p in frames])

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([self.load_clip(v) for v in self.videos[sl]])
                return x, np.array(self.labels[sl])


        videos, labels = [], []
        for ci, c in enumerate(CLASSES):
            for v in sorted(os.listdir(os.path.join(ROOT, c))):
                videos.append(os.path.join(ROOT, c, v))
                labels.append(ci)
        print(f"{len(videos)} clips")

        cnn = keras.Sequential([
            keras.Input((SIZE, SIZE, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        model = keras.Sequential([
            keras.Input((SEQ, SIZE, SIZE, 3)),
            layers.TimeDistributed(cnn),
            layers.LSTM(32),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ClipDataset(videos, labels), epochs=3)
        """,
        setup=video_frames_one_empty,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more47-nb-moving-mnist-convlstm-frames-without-channel-axis-tfk2",
        cause="model.input_shape",
        env="tfk2",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            dataset = np.load("{DATA}/mnist_test_seq.npy")
            dataset = np.swapaxes(dataset, 0, 1)          # (sequences, frames, 64, 64)
            dataset = dataset[:, :, ::2, ::2]             # downsample to 32 x 32 to fit in Colab RAM
            print(dataset.shape)
            """,
            """
            indexes = np.arange(dataset.shape[0])
            np.random.seed(0)
            np.random.shuffle(indexes)
            train_index = indexes[: int(0.9 * dataset.shape[0])]
            val_index = indexes[int(0.9 * dataset.shape[0]):]
            train_dataset = dataset[train_index] / 255.0
            val_dataset = dataset[val_index] / 255.0


            def create_shifted_frames(data):
                x = data[:, 0: data.shape[1] - 1, :, :]
                y = data[:, 1: data.shape[1], :, :]
                return x, y


            x_train, y_train = create_shifted_frames(train_dataset)
            x_val, y_val = create_shifted_frames(val_dataset)
            print("Training Dataset Shapes: " + str(x_train.shape) + ", " + str(y_train.shape))
            """,
            """
            inp = layers.Input(shape=(None, *x_train.shape[2:]))
            x = layers.ConvLSTM2D(32, (5, 5), padding="same", return_sequences=True, activation="relu")(inp)
            x = layers.BatchNormalization()(x)
            x = layers.ConvLSTM2D(32, (3, 3), padding="same", return_sequences=True, activation="relu")(x)
            x = layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(x)
            model = keras.models.Model(inp, x)
            model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
            """,
            """
            model.fit(x_train, y_train, batch_size=5, epochs=20, validation_data=(x_val, y_val))
            """,
        ], data=moving_mnist),
    ),
    Case(
        name="keras-more47-show-attend-tell-pooled-inception-features-for-64-grid-decoder-k3",
        cause="model.input_shape",
        exception="ValueError",
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        FEATURES = "{DATA}/features"
        SEQ_LEN = 16
        VOCAB = 3000
        ATTN_FEATURES = (64, 2048)      # InceptionV3 8x8 grid, as in the TF "Show, Attend and Tell" tutorial

        names, caps = [], []
        with open("{DATA}/Flickr8k.token.txt") as f:
            for line in f:
                tag, cap = line.rstrip("\\n").split("\\t")
                names.append(tag.split("#")[0])
                caps.append("<start> " + cap + " <end>")

        tokenizer = layers.TextVectorization(max_tokens=VOCAB, output_sequence_length=SEQ_LEN + 1)
        tokenizer.adapt(caps)
        feats = np.stack([np.load(os.path.join(FEATURES, os.path.splitext(n)[0] + ".npy")) for n in names])
        seqs = tokenizer(np.array(caps)).numpy()
        print("features:", feats.shape, "sequences:", seqs.shape)

        train_ds = (tf.data.Dataset.from_tensor_slices(((feats, seqs[:, :-1]), seqs[:, 1:]))
                    .shuffle(256, seed=0).batch(16))

        feat_in = keras.Input(ATTN_FEATURES, name="image_features")
        enc = layers.Dense(256, activation="relu")(feat_in)                  # (64, 256)
        tok_in = keras.Input((SEQ_LEN,), dtype="int64", name="tokens")
        emb = layers.Embedding(VOCAB, 256, mask_zero=True)(tok_in)
        dec = layers.GRU(256, return_sequences=True)(emb)
        ctx = layers.AdditiveAttention()([dec, enc])                          # attend over the 64 regions
        h = layers.Concatenate()([dec, ctx])
        logits = layers.Dense(VOCAB)(h)
        model = keras.Model([feat_in, tok_in], logits)
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=20, verbose=2)
        """,
        setup=flickr_features,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more47-keras-io-vae-mnist-decoder-kept-for-64px-rgb-faces-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers, ops

        IMG = 64
        latent_dim = 2

        faces = keras.utils.image_dataset_from_directory(
            "{DATA}/img_align_celeba", label_mode=None, image_size=(IMG, IMG), batch_size=16, shuffle=True,
            seed=3)
        faces = faces.map(lambda x: x / 255.0)


        class Sampling(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.seed_generator = keras.random.SeedGenerator(1337)

            def call(self, inputs):
                z_mean, z_log_var = inputs
                batch = ops.shape(z_mean)[0]
                dim = ops.shape(z_mean)[1]
                epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
                return z_mean + ops.exp(0.5 * z_log_var) * epsilon


        encoder_inputs = keras.Input(shape=(IMG, IMG, 3))
        x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
        x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
        x = layers.Flatten()(x)
        x = layers.Dense(16, activation="relu")(x)
        z_mean = layers.Dense(latent_dim, name="z_mean")(x)
        z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
        z = Sampling()([z_mean, z_log_var])
        encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

        latent_inputs = keras.Input(shape=(latent_dim,))
        x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
        x = layers.Reshape((7, 7, 64))(x)
        x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
        x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
        decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
        decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")


        class VAE(keras.Model):
            def __init__(self, encoder, decoder, **kwargs):
                super().__init__(**kwargs)
                self.encoder = encoder
                self.decoder = decoder
                self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
                self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
                self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

            @property
            def metrics(self):
                return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

            def train_step(self, data):
                with tf.GradientTape() as tape:
                    z_mean, z_log_var, z = self.encoder(data)
                    reconstruction = self.decoder(z)
                    reconstruction_loss = ops.mean(
                        ops.sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2)))
                    kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
                    kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
                    total_loss = reconstruction_loss + kl_loss
                grads = tape.gradient(total_loss, self.trainable_weights)
                self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
                self.total_loss_tracker.update_state(total_loss)
                self.reconstruction_loss_tracker.update_state(reconstruction_loss)
                self.kl_loss_tracker.update_state(kl_loss)
                return {m.name: m.result() for m in self.metrics}


        vae = VAE(encoder, decoder)
        vae.compile(optimizer=keras.optimizers.Adam())
        vae.fit(faces, epochs=30, verbose=2)
        """,
        setup=faces_rgb,
    ),
    Case(
        name="keras-more47-espcn-example-upscale-3-model-for-x4-pairs-pty-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        crop_size = 96
        upscale_factor = 4                       # we want x4 like the SRGAN paper
        input_size = crop_size // upscale_factor
        batch_size = 4

        files = sorted(tf.io.gfile.glob("{DATA}/BSDS300/images/train/*.jpg"))


        def to_y(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.random_crop(img, (crop_size, crop_size, 3), seed=1)
            y = tf.image.rgb_to_yuv(tf.cast(img, tf.float32) / 255.0)[..., :1]
            return y


        def process_input(y):
            return tf.image.resize(y, [input_size, input_size], method="area")


        train_ds = (tf.data.Dataset.from_tensor_slices(files).map(to_y)
                    .map(lambda y: (process_input(y), y)).batch(batch_size))


        class DepthToSpace(layers.Layer):
            def __init__(self, block_size, **kwargs):
                super().__init__(**kwargs)
                self.block_size = block_size

            def call(self, x):
                return tf.nn.depth_to_space(x, self.block_size)


        def get_model(upscale_factor=3, channels=1):
            conv_args = {"activation": "relu", "kernel_initializer": "orthogonal", "padding": "same"}
            inputs = keras.Input(shape=(None, None, channels))
            x = layers.Conv2D(64, 5, **conv_args)(inputs)
            x = layers.Conv2D(64, 3, **conv_args)(x)
            x = layers.Conv2D(32, 3, **conv_args)(x)
            x = layers.Conv2D(channels * (upscale_factor ** 2), 3, **conv_args)(x)
            outputs = DepthToSpace(upscale_factor)(x)
            return keras.Model(inputs, outputs)


        model = get_model()              # default arguments of the keras.io example
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss=keras.losses.MeanSquaredError())
        model.fit(train_ds, epochs=100)
        """,
        setup=bsds,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more47-nb-dcgan-generator-checkpoint-latent-100-loaded-at-128-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers

            LATENT_DIM = 128     # was 100 in the first runs
            """,
            """
            generator = keras.Sequential([
                keras.Input((LATENT_DIM,)),
                layers.Dense(8 * 8 * 128),
                layers.Reshape((8, 8, 128)),
                layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
                layers.LeakyReLU(negative_slope=0.2),
                layers.Conv2D(3, 5, padding="same", activation="sigmoid"),
            ], name="generator")
            """,
            """
            # resume from the last checkpoint of yesterday's session
            generator.load_weights("{DATA}/checkpoints/generator_epoch_050.weights.h5")
            noise = np.random.normal(size=(16, LATENT_DIM))
            samples = generator.predict(noise)
            """,
        ], data=gan_checkpoint),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more47-triplet-zip-anchor-positive-negative-given-to-fit-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        code="""
        import os
        import random

        import tensorflow as tf
        import keras
        from keras import layers, ops

        ROOT = "{DATA}/faces"
        IMG = 64
        people = sorted(os.listdir(ROOT))
        by_person = {p: sorted(os.path.join(ROOT, p, f) for f in os.listdir(os.path.join(ROOT, p))) for p in people}

        random.seed(0)
        anchors, positives, negatives = [], [], []
        for p in people:
            for a in by_person[p]:
                anchors.append(a)
                positives.append(random.choice([x for x in by_person[p] if x != a]))
                negatives.append(random.choice(by_person[random.choice([q for q in people if q != p])]))


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (IMG, IMG)) / 255.0


        def ds_of(paths):
            return tf.data.Dataset.from_tensor_slices(paths).map(load)


        triplets = tf.data.Dataset.zip((ds_of(anchors), ds_of(positives), ds_of(negatives)))
        triplets = triplets.shuffle(64, seed=0).batch(8)

        embedding = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64),
            layers.UnitNormalization(),
        ], name="embedding")

        a_in = keras.Input((IMG, IMG, 3), name="anchor")
        p_in = keras.Input((IMG, IMG, 3), name="positive")
        n_in = keras.Input((IMG, IMG, 3), name="negative")
        stacked = layers.Concatenate(axis=1)([embedding(a_in), embedding(p_in), embedding(n_in)])
        siamese = keras.Model([a_in, p_in, n_in], stacked)


        def triplet_loss(y_true, y_pred, margin=0.5):
            a, p, n = y_pred[:, :64], y_pred[:, 64:128], y_pred[:, 128:]
            ap = ops.sum(ops.square(a - p), axis=-1)
            an = ops.sum(ops.square(a - n), axis=-1)
            return ops.maximum(ap - an + margin, 0.0)


        siamese.compile(optimizer=keras.optimizers.Adam(1e-4), loss=triplet_loss)
        siamese.fit(triplets, epochs=10)
        """,
        setup=faces_people,
    ),
    Case(
        name="keras-more47-nb-textvectorization-adapt-on-image-caption-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        **notebook([
            """
            import os
            import tensorflow as tf
            import keras
            from keras import layers

            IMG_DIR = "{DATA}/Flicker8k_Dataset"
            SEQ_LEN = 20
            VOCAB_SIZE = 5000
            """,
            """
            pairs = []
            for line in open("{DATA}/Flickr8k.token.txt"):
                tag, cap = line.rstrip("\\n").split("\\t")
                pairs.append((os.path.join(IMG_DIR, tag.split("#")[0]), "<start> " + cap.strip() + " <end>"))
            train_ds = tf.data.Dataset.from_tensor_slices(([p for p, _ in pairs], [c for _, c in pairs]))
            print(len(pairs), train_ds.element_spec)
            """,
            """
            vectorization = layers.TextVectorization(
                max_tokens=VOCAB_SIZE, output_mode="int", output_sequence_length=SEQ_LEN)
            vectorization.adapt(train_ds.batch(64))
            vocab = vectorization.get_vocabulary()
            print(len(vocab), vocab[:10])
            """,
        ], data=flickr8k_clean),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more47-vae-functional-add-loss-kl-keras2-blog-under-keras3-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="NotImplementedError",
        code="""
        import numpy as np
        import keras
        from keras import layers, ops

        IMG = 32
        original_dim = IMG * IMG * 3
        intermediate_dim = 256
        latent_dim = 8
        x_train = np.stack([np.asarray(keras.utils.load_img(f"{DATA}/faces_64/all/all_{i:03d}.png"))
                            for i in range(48)]).astype("float32") / 255.0
        x_train = x_train.reshape((-1, original_dim))

        inputs = keras.Input(shape=(original_dim,), name="encoder_input")
        h = layers.Dense(intermediate_dim, activation="relu")(inputs)
        z_mean = layers.Dense(latent_dim, name="z_mean")(h)
        z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)


        def sampling(args):
            z_mean, z_log_var = args
            epsilon = keras.random.normal(shape=ops.shape(z_mean))
            return z_mean + ops.exp(0.5 * z_log_var) * epsilon


        z = layers.Lambda(sampling, output_shape=(latent_dim,), name="z")([z_mean, z_log_var])
        decoder_h = layers.Dense(intermediate_dim, activation="relu")
        decoder_mean = layers.Dense(original_dim, activation="sigmoid")
        outputs = decoder_mean(decoder_h(z))

        vae = keras.Model(inputs, outputs, name="vae_mlp")
        reconstruction_loss = keras.losses.binary_crossentropy(inputs, outputs) * original_dim
        kl_loss = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        vae.add_loss(ops.mean(reconstruction_loss + kl_loss))
        vae.compile(optimizer="adam")
        vae.fit(x_train, epochs=50, batch_size=16)
        """,
        setup=faces_small,
    ),
    Case(
        name="keras-more47-ucsd-anomaly-convlstm-autoencoder-keras-layers-convolutional-recurrent-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        code="""
        import numpy as np
        from keras.layers import Conv3D, Conv3DTranspose, LayerNormalization
        from keras.layers.convolutional_recurrent import ConvLSTM2D
        from keras.models import Sequential

        # UCSD Ped1: sliding windows of 10 grey frames, 128 x 128 (here 64 x 64)
        frames = np.random.rand(40, 10, 64, 64, 1).astype("float32")

        seq = Sequential()
        seq.add(Conv3D(128, (11, 11, 1), strides=(4, 4, 1), padding="valid", input_shape=(10, 64, 64, 1)))
        seq.add(LayerNormalization())
        seq.add(ConvLSTM2D(64, (3, 3), padding="same", return_sequences=True))
        seq.add(LayerNormalization())
        seq.add(Conv3DTranspose(1, (11, 11, 1), strides=(4, 4, 1), padding="valid", activation="sigmoid"))
        seq.compile(loss="mse", optimizer="adam")
        seq.fit(frames, frames, batch_size=4, epochs=3)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more47-dense-vae-raw-pixels-exp-log-var-overflow-check-numerics-pty-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers, ops

        tf.debugging.enable_check_numerics()     # loss was nan after a few steps

        IMG = 32
        D = IMG * IMG * 3
        LATENT = 16
        x_train = np.stack([np.asarray(keras.utils.load_img(f"{DATA}/faces_64/all/all_{i:03d}.png"))
                            for i in range(48)]).astype("float32").reshape(-1, D)   # 0..255


        class Sampling(layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                eps = keras.random.normal(ops.shape(z_mean))
                return z_mean + ops.exp(0.5 * z_log_var) * eps


        class VAE(keras.Model):
            def __init__(self):
                super().__init__()
                self.h = layers.Dense(512, activation="relu")
                self.mu = layers.Dense(LATENT)
                self.log_var = layers.Dense(LATENT)
                self.sample = Sampling()
                self.dec = keras.Sequential([layers.Dense(512, activation="relu"), layers.Dense(D)])

            def call(self, x):
                h = self.h(x)
                z_mean, z_log_var = self.mu(h), self.log_var(h)
                kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
                self.add_loss(kl)
                return self.dec(self.sample([z_mean, z_log_var]))


        vae = VAE()
        vae.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        vae.fit(x_train, x_train, batch_size=8, epochs=20)
        """,
        setup=faces_small,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more47-captcha-ocr-loop-minimises-cer-edit-distance-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/captcha_images_v2"
        images = sorted(os.path.join(DATA_DIR, f) for f in os.listdir(DATA_DIR))
        labels = [os.path.splitext(os.path.basename(p))[0] for p in images]
        characters = sorted(set("".join(labels)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
        W, H = 200, 50


        def encode(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.transpose(img, perm=[1, 0, 2])               # time axis = width
            lab = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
            return img, lab


        train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(encode).batch(8)

        inp = keras.Input((W, H, 1))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D((2, 2))(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D((2, 2))(x)
        x = layers.Reshape((W // 4, (H // 4) * 64))(x)
        x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
        out = layers.Dense(len(characters) + 1, activation="softmax")(x)
        model = keras.Model(inp, out, name="ocr_crnn")
        optimizer = keras.optimizers.Adam(1e-3)


        def cer_loss(labels, y_pred):
            # optimise what we report: the character error rate of the greedy decoding
            logits = tf.math.log(tf.transpose(y_pred, [1, 0, 2]) + 1e-8)
            seq_len = tf.fill([tf.shape(y_pred)[0]], tf.shape(y_pred)[1])
            decoded, _ = tf.nn.ctc_greedy_decoder(logits, seq_len, blank_index=len(characters))
            truth = tf.sparse.from_dense(tf.cast(labels, tf.int64))
            return tf.reduce_mean(tf.edit_distance(tf.cast(decoded[0], tf.int64), truth, normalize=True))


        for epoch in range(5):
            for step, (x_batch, y_batch) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    y_pred = model(x_batch, training=True)
                    loss = cer_loss(y_batch, y_pred)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                print(f"epoch {epoch} step {step} CER {float(loss):.3f}")
        """,
        setup=captchas,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more47-ucf101-all-train-clips-preallocated-float64-array-tfk2",
        cause="resource.host_memory",
        env="tfk2",
        exception="_ArrayMemoryError",
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/UCF101"
        SEQ_LEN, IMG = 16, 112            # C3D input: 16 frames of 112 x 112

        with open(os.path.join(ROOT, "ucfTrainTestlist", "trainlist01.txt")) as f:
            train_list = [line.split() for line in f if line.strip()]
        print(f"{len(train_list)} training clips")

        X = np.zeros((len(train_list), SEQ_LEN, IMG, IMG, 3))
        y = np.zeros(len(train_list), dtype=np.int64)
        for i, (path, label) in enumerate(train_list):
            y[i] = int(label) - 1
            # frames are read into X[i] by load_clip(path) below
        """,
        setup=ucf101_lists_only,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more47-nb-cyclegan-logical-gpu-memory-limit-cell-cpu-session-tfk2",
        cause="env.cuda_setup",
        env="tfk2",
        exception="IndexError",
        **notebook([
            """
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            print("TF", tf.__version__)
            """,
            """
            # keep the generator + discriminator pair under 6 GB so that the other notebook can share the GPU
            gpus = tf.config.list_physical_devices("GPU")
            tf.config.set_logical_device_configuration(
                gpus[0], [tf.config.LogicalDeviceConfiguration(memory_limit=6144)])
            logical_gpus = tf.config.list_logical_devices("GPU")
            print(len(gpus), "Physical GPUs,", len(logical_gpus), "Logical GPUs")
            """,
            """
            horses = keras.utils.image_dataset_from_directory("{DATA}/horse2zebra/trainA", labels=None,
                                                               image_size=(64, 64), batch_size=1)
            zebras = keras.utils.image_dataset_from_directory("{DATA}/horse2zebra/trainB", labels=None,
                                                               image_size=(64, 64), batch_size=1)
            """,
        ], data=horse2zebra),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more47-flickr8k-resize-pool-map-open-zipfile-handle-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        code="""
        import io
        import os
        import zipfile
        from multiprocessing import Pool

        import numpy as np
        from PIL import Image

        ZIP = "{DATA}/Flickr8k_Dataset.zip"
        OUT = "flickr8k_299"
        SIZE = 299


        def resize_one(job):
            zf, name = job
            with zf.open(name) as f:
                img = Image.open(io.BytesIO(f.read())).convert("RGB").resize((SIZE, SIZE), Image.BICUBIC)
            img.save(os.path.join(OUT, os.path.basename(name)), quality=95)
            return name


        if __name__ == "__main__":
            os.makedirs(OUT, exist_ok=True)
            zf = zipfile.ZipFile(ZIP)           # do not unzip 1 GB to the Colab disk
            names = [n for n in zf.namelist() if n.endswith(".jpg")]
            print(f"resizing {len(names)} images")
            with Pool(processes=2) as pool:
                done = pool.map(resize_one, [(zf, n) for n in names], chunksize=4)
            print(f"{len(done)} images written to {OUT}")
        """,
        setup=flickr8k_zip,
    ),
    # =================================================================== other
    Case(
        name="keras-more47-nb-greedy-caption-decoder-looks-up-padding-id-in-index-word-tfk2",
        cause="other",
        env="tfk2",
        exception="KeyError",
        **notebook([
            """
            import os
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            from tensorflow.keras.preprocessing.text import Tokenizer
            from tensorflow.keras.preprocessing.sequence import pad_sequences

            keras.utils.set_random_seed(0)
            IMG_DIR = "{DATA}/Flicker8k_Dataset"
            MAX_LEN = 22
            """,
            """
            captions = {}
            for line in open("{DATA}/Flickr8k.token.txt"):
                tag, cap = line.rstrip("\\n").split("\\t")
                captions.setdefault(tag.split("#")[0], []).append("startseq " + cap.lower() + " endseq")
            tokenizer = Tokenizer(oov_token="<unk>")
            tokenizer.fit_on_texts([c for cs in captions.values() for c in cs])
            vocab_size = len(tokenizer.word_index) + 1
            print("vocab size", vocab_size)
            """,
            """
            def load(name):
                img = keras.utils.load_img(os.path.join(IMG_DIR, name), target_size=(64, 64))
                return keras.utils.img_to_array(img) / 255.0

            X_img, X_seq, Y = [], [], []
            for name, caps in captions.items():
                img = load(name)
                for c in caps:
                    seq = tokenizer.texts_to_sequences([c])[0]
                    padded = pad_sequences([seq], maxlen=MAX_LEN + 1, padding="post")[0]
                    X_img.append(img)
                    X_seq.append(padded[:-1])
                    Y.append(padded[1:])
            X_img, X_seq, Y = np.array(X_img), np.array(X_seq), np.array(Y)
            print(X_img.shape, X_seq.shape, Y.shape)
            """,
            """
            img_in = keras.Input((64, 64, 3))
            f = layers.Conv2D(16, 3, strides=2, activation="relu")(img_in)
            f = layers.GlobalAveragePooling2D()(f)
            f = layers.Dense(128, activation="relu")(f)
            seq_in = keras.Input((MAX_LEN,))
            e = layers.Embedding(vocab_size, 64)(seq_in)
            h = layers.LSTM(128, return_sequences=True)(e, initial_state=[f, f])
            out = layers.Dense(vocab_size, activation="softmax")(h)
            model = keras.Model([img_in, seq_in], out)
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit([X_img, X_seq], Y, batch_size=16, epochs=3, verbose=2)
            """,
            """
            def generate_caption(image):
                in_text = "startseq"
                for i in range(MAX_LEN):
                    seq = tokenizer.texts_to_sequences([in_text])[0]
                    seq = pad_sequences([seq], maxlen=MAX_LEN, padding="post")
                    yhat = model.predict([image[None], seq], verbose=0)[0, len(in_text.split()) - 1]
                    word = tokenizer.index_word[int(np.argmax(yhat))]
                    in_text += " " + word
                    if word == "endseq":
                        break
                return in_text

            print(generate_caption(X_img[0]))
            """,
        ], data=flickr8k_clean),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
