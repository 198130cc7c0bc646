"""Untargeted held-out Keras / TensorFlow failures (g143, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of people who train generative and
reconstruction image models in tf.keras on their own photos: DCGAN and conditional / auxiliary-
classifier GANs with a custom ``train_step`` and two optimizers, the TensorFlow DCGAN tutorial's
``GradientTape`` loop, VAEs with a sampling layer and a KL term, denoising and convolutional
autoencoders, anomaly detection by reconstruction error (and AnoGAN-style latent search),
pix2pix-style image-to-image training on paired folders, generated samples saved to disk, spread
over the cause ids of the taxonomy:

- files: a sketch -> photo pair list built by swapping the folder name while one sketch was
  exported as ``.png``; a 0-byte photo from an interrupted cloud sync in the denoiser's folder;
- image sizes: facades-style ``A|B`` combined images of odd width split in halves and stacked for
  the pix2pix random crop; phone photos shrunk with ``thumbnail`` (aspect kept) and stacked
  (notebook);
- channels: pixel-art sprites (some RGBA) decoded with ``decode_png`` at its default channels;
  grey sketch PNGs fed to a generator built for 3-channel input;
- labels: an AC-GAN whose ``NUM_CLASSES`` was written before a fifth class folder was added;
- label shapes: ``label_mode="categorical"`` one-hot labels given to a cGAN built around
  ``Embedding`` of one class id;
- dtypes: uint8 real images concatenated with float fakes in the discriminator step; a VAE loop
  over float64 NumPy photos with a hand-written squared error; float32 tanh samples given to
  ``Image.fromarray`` (notebook);
- model inputs: the MNIST tutorial generator (28x28x1) kept while the discriminator was rebuilt for
  32x32 RGB photos (tf_keras); one photo scored by the anomaly autoencoder without a batch axis;
- model outputs: a discriminator whose ``Dense(1)`` head lost its ``Flatten``;
- weights: a DCGAN-tutorial ``tf.train.Checkpoint`` restored into a generator with wider layers;
- API: ``keras.utils.save_img`` given the whole batch of samples in a GANMonitor callback; an
  autoencoder ``fit(ds, ds)`` on an unlabelled image dataset;
- divergence: a GAN loss written with ``log(D(x))`` and no epsilon at a large learning rate, caught
  by ``check_numerics``;
- gradients: AnoGAN latent search with ``z`` a plain (unwatched) tensor updated by hand;
- host memory: a memorisation check broadcasting every sample against every training photo;
- versions: the Keras 2 blog VAE's ``keras.backend`` sampling function under Keras 3;
- distribution: the DCGAN tutorial moved under ``MirroredStrategy`` with the default loss reduction
  (tf_keras);
- workers: pix2pix pairs preloaded with ``multiprocessing.Pool`` and a function nested in the
  loader;
- plain bugs: a Keras-GAN-style ``sample_interval`` computed as ``steps // 10`` on a tiny folder.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21 (TF_USE_LEGACY_KERAS=1); scripts,
scripts under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything
runs on a CPU: causes that need a GPU are not produced.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more62.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g143): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more62.py"


# ---------------------------------------------------------------- data helpers
def _photo(r, h, w, c=3):
    """A smooth-ish random photo (blocks upscaled), so JPEG keeps it small."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // 4), -(-w // 4), c), dtype=np.uint8)
    return np.repeat(np.repeat(small, 4, axis=0), 4, axis=1)[:h, :w]


def sketch_pairs_png(d: Path):
    import numpy as np
    r = _rng(6201)
    for i in range(16):
        _jpg(d / "pairs" / "photos" / f"shoe_{i:03d}.jpg", _photo(r, 64, 64))
        sk = _photo(r, 64, 64)
        if i == 11:     # exported from the tablet app instead of the batch script
            _png(d / "pairs" / "sketches" / f"shoe_{i:03d}.png", sk)
        else:
            _jpg(d / "pairs" / "sketches" / f"shoe_{i:03d}.jpg", sk)
    del np


def photos_with_empty(d: Path):
    r = _rng(6202)
    for i in range(20):
        name = d / "my_photos" / f"IMG_{4100 + i:04d}.jpg"
        if i == 13:      # the sync client was interrupted
            name.parent.mkdir(parents=True, exist_ok=True)
            name.write_bytes(b"")
        else:
            _jpg(name, _photo(r, 80, 80))


def combined_facades(d: Path):
    r = _rng(6203)
    for i in range(12):
        w = 129 if i in (5, 9) else 128       # two pairs re-exported by another tool
        _jpg(d / "facades" / "train" / f"{i + 1}.jpg", _photo(r, 64, w))


def phone_photos(d: Path):
    r = _rng(6204)
    for i in range(10):
        h, w = (96, 72) if i % 3 == 2 else (72, 96)      # portrait and landscape shots
        _jpg(d / "phone" / f"PXL_2024061{i}_1830.jpg", _photo(r, h, w))


def sprites(d: Path):
    r = _rng(6205)
    for i in range(24):
        c = 4 if i % 5 == 3 else 3            # some sprites were saved with transparency
        _png(d / "sprites" / f"sprite_{i:03d}.png", _photo(r, 32, 32, c))


def grey_sketches(d: Path):
    r = _rng(6206)
    for i in range(12):
        _jpg(d / "edges2bags" / "photos" / f"bag_{i:03d}.jpg", _photo(r, 64, 64))
        _png(d / "edges2bags" / "sketches" / f"bag_{i:03d}.png", _photo(r, 64, 64, 1)[..., 0], mode="L")


def flower_folders(d: Path):
    r = _rng(6207)
    for c in ["daisy", "dandelion", "roses", "sunflowers", "tulips"]:
        for i in range(6):
            _jpg(d / "flowers" / c / f"{c}_{i:03d}.jpg", _photo(r, 32, 32))


def pokemon_folders(d: Path):
    r = _rng(6208)
    for c in ["fire", "grass", "water"]:
        for i in range(8):
            _jpg(d / "pokemon" / c / f"{c}_{i:03d}.jpg", _photo(r, 32, 32))


def cat_photos(d: Path):
    r = _rng(6209)
    for i in range(24):
        _jpg(d / "cats" / f"cat_{i:03d}.jpg", _photo(r, 32, 32))


def face_photos(d: Path):
    r = _rng(6210)
    for i in range(32):
        _jpg(d / "faces" / f"face_{i:03d}.jpg", _photo(r, 32, 32))


def parts_photos(d: Path):
    r = _rng(6211)
    for i in range(24):
        _jpg(d / "parts" / "good" / f"part_{i:03d}.jpg", _photo(r, 64, 64))
    for i in range(3):
        _jpg(d / "parts" / "test" / f"scratch_{i:03d}.jpg", _photo(r, 64, 64))


def dcgan_checkpoint(d: Path):
    cat_photos(d)
    prep("k3", """
        import tensorflow as tf
        import keras
        from keras import layers

        def make_generator_model():
            return keras.Sequential([
                keras.Input((64,)),
                layers.Dense(8 * 8 * 64, use_bias=False),
                layers.BatchNormalization(),
                layers.LeakyReLU(),
                layers.Reshape((8, 8, 64)),
                layers.Conv2DTranspose(32, 5, strides=2, padding="same", use_bias=False),
                layers.BatchNormalization(),
                layers.LeakyReLU(),
                layers.Conv2DTranspose(3, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
            ])

        def make_discriminator_model():
            return keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(32, 5, strides=2, padding="same"),
                layers.LeakyReLU(),
                layers.Conv2D(64, 5, strides=2, padding="same"),
                layers.LeakyReLU(),
                layers.Flatten(),
                layers.Dense(1),
            ])

        generator, discriminator = make_generator_model(), make_discriminator_model()
        generator_optimizer = keras.optimizers.Adam(1e-4)
        discriminator_optimizer = keras.optimizers.Adam(1e-4)
        checkpoint = tf.train.Checkpoint(generator_optimizer=generator_optimizer,
                                         discriminator_optimizer=discriminator_optimizer,
                                         generator=generator, discriminator=discriminator)
        checkpoint.save(file_prefix="training_checkpoints/ckpt")
    """, d)


def good_parts_array(d: Path):
    import numpy as np
    r = _rng(6212)
    (d / "arrays").mkdir(parents=True, exist_ok=True)
    np.save(d / "arrays" / "train_64.npy", r.integers(0, 255, size=(2000, 64, 64, 3), dtype=np.uint8))


def few_cats(d: Path):
    r = _rng(6213)
    for i in range(40):
        _jpg(d / "cats" / f"cat_{i:03d}.jpg", _photo(r, 32, 32))


# the pix2pix pieces the paired-folder cases share: a two-level U-Net and a PatchGAN critic
PIX2PIX = '''
def downsample(filters, apply_batchnorm=True):
    block = keras.Sequential()
    block.add(layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False))
    if apply_batchnorm:
        block.add(layers.BatchNormalization())
    block.add(layers.LeakyReLU())
    return block


def upsample(filters):
    return keras.Sequential([layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False),
                             layers.BatchNormalization(), layers.ReLU()])


def Generator(size=64, channels=3):
    inputs = keras.Input((size, size, channels))
    d1 = downsample(16, apply_batchnorm=False)(inputs)
    d2 = downsample(32)(d1)
    u1 = upsample(16)(d2)
    u1 = layers.Concatenate()([u1, d1])
    out = layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh")(u1)
    return keras.Model(inputs, out, name="generator")


def Discriminator(size=64):
    inp = keras.Input((size, size, 3), name="input_image")
    tar = keras.Input((size, size, 3), name="target_image")
    x = layers.Concatenate()([inp, tar])
    x = downsample(16, False)(x)
    x = downsample(32)(x)
    return keras.Model([inp, tar], layers.Conv2D(1, 4, padding="same")(x), name="discriminator")


loss_object = keras.losses.BinaryCrossentropy(from_logits=True)
LAMBDA = 100


def generator_loss(disc_generated_output, gen_output, target):
    gan_loss = loss_object(tf.ones_like(disc_generated_output), disc_generated_output)
    l1_loss = tf.reduce_mean(tf.abs(target - gen_output))
    return gan_loss + LAMBDA * l1_loss


def discriminator_loss(disc_real_output, disc_generated_output):
    real_loss = loss_object(tf.ones_like(disc_real_output), disc_real_output)
    generated_loss = loss_object(tf.zeros_like(disc_generated_output), disc_generated_output)
    return real_loss + generated_loss
'''

PIX2PIX_STEP = '''
generator_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)


@tf.function
def train_step(input_image, target):
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        gen_output = generator(input_image, training=True)
        disc_real_output = discriminator([input_image, target], training=True)
        disc_generated_output = discriminator([input_image, gen_output], training=True)
        gen_total_loss = generator_loss(disc_generated_output, gen_output, target)
        disc_loss = discriminator_loss(disc_real_output, disc_generated_output)
    generator_gradients = gen_tape.gradient(gen_total_loss, generator.trainable_variables)
    discriminator_gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))
    return gen_total_loss, disc_loss
'''

# the keras.io DCGAN `GAN` model (custom train_step, two optimizers), for 32 x 32 RGB photos
KERAS_IO_GAN = '''
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
'''


def block(text: str, indent: str = "        ") -> str:
    return "\n".join((indent + line) if line else line for line in text.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more62-pix2pix-sketch-pairs-by-folder-swap-one-sketch-exported-as-png-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=sketch_pairs_png,
        pty=True,
        expect="shoe_011.jpg",
        code="""
        import glob
        import time

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/pairs"
        BATCH_SIZE = 4

        @@PIX2PIX@@


        photo_paths = sorted(glob.glob(f"{ROOT}/photos/*.jpg"))
        sketch_paths = [p.replace("/photos/", "/sketches/") for p in photo_paths]
        print(len(photo_paths), "sketch/photo pairs")


        def load_pair(sketch_path, photo_path):
            sketch = tf.io.decode_jpeg(tf.io.read_file(sketch_path), channels=3)
            photo = tf.io.decode_jpeg(tf.io.read_file(photo_path), channels=3)
            sketch = tf.cast(sketch, tf.float32) / 127.5 - 1
            photo = tf.cast(photo, tf.float32) / 127.5 - 1
            return sketch, photo


        train_dataset = (tf.data.Dataset.from_tensor_slices((sketch_paths, photo_paths))
                         .map(load_pair, num_parallel_calls=tf.data.AUTOTUNE)
                         .batch(BATCH_SIZE))

        generator = Generator()
        discriminator = Discriminator()
        @@STEP@@

        for epoch in range(5):
            start = time.time()
            for n, (input_image, target) in train_dataset.enumerate():
                g_loss, d_loss = train_step(input_image, target)
                print(".", end="", flush=True)
            print(f" epoch {epoch + 1}: gen {float(g_loss):.3f} disc {float(d_loss):.3f} "
                  f"({time.time() - start:.1f}s)")
        """.replace("@@PIX2PIX@@", block(PIX2PIX)).replace("@@STEP@@", block(PIX2PIX_STEP)),
    ),
    Case(
        name="keras-more62-denoising-autoencoder-own-photos-folder-zero-byte-jpg-from-sync-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=photos_with_empty,
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        NOISE = 0.15

        photos = keras.utils.image_dataset_from_directory(
            "{DATA}/my_photos", labels=None, image_size=(IMG, IMG), batch_size=8, shuffle=True, seed=7)


        def add_noise(clean):
            clean = clean / 255.0
            noisy = clean + NOISE * tf.random.normal(tf.shape(clean))
            return tf.clip_by_value(noisy, 0.0, 1.0), clean


        train = photos.map(add_noise).prefetch(tf.data.AUTOTUNE)

        inp = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, activation="relu", padding="same")(inp)
        x = layers.MaxPooling2D(2, padding="same")(x)
        x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
        x = layers.MaxPooling2D(2, padding="same")(x)
        x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
        x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
        out = layers.Conv2D(3, 3, activation="sigmoid", padding="same")(x)
        denoiser = keras.Model(inp, out, name="denoiser")
        denoiser.compile(optimizer="adam", loss="binary_crossentropy")
        denoiser.fit(train, epochs=10)
        denoiser.save("denoiser.keras")
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more62-pix2pix-combined-a-b-jpgs-odd-width-halves-stacked-for-random-crop-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=combined_facades,
        expect="Shapes of all inputs must match",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/facades"
        IMG_HEIGHT = IMG_WIDTH = 48
        BATCH_SIZE = 1

        @@PIX2PIX@@


        def load(image_file):
            image = tf.io.decode_jpeg(tf.io.read_file(image_file))
            w = tf.shape(image)[1] // 2
            input_image = image[:, w:, :]
            real_image = image[:, :w, :]
            return tf.cast(input_image, tf.float32), tf.cast(real_image, tf.float32)


        def random_crop(input_image, real_image):
            # my photos are already 64 px: crop straight away, no resize to 286 first
            stacked_image = tf.stack([input_image, real_image], axis=0)
            cropped_image = tf.image.random_crop(stacked_image, size=[2, IMG_HEIGHT, IMG_WIDTH, 3])
            return cropped_image[0], cropped_image[1]


        @tf.function()
        def random_jitter(input_image, real_image):
            input_image, real_image = random_crop(input_image, real_image)
            if tf.random.uniform(()) > 0.5:
                input_image = tf.image.flip_left_right(input_image)
                real_image = tf.image.flip_left_right(real_image)
            return input_image, real_image


        def load_image_train(image_file):
            input_image, real_image = load(image_file)
            input_image, real_image = random_jitter(input_image, real_image)
            return input_image / 127.5 - 1, real_image / 127.5 - 1


        train_dataset = tf.data.Dataset.list_files(PATH + "/train/*.jpg", shuffle=False)
        train_dataset = train_dataset.map(load_image_train, num_parallel_calls=tf.data.AUTOTUNE)
        train_dataset = train_dataset.shuffle(400).batch(BATCH_SIZE)

        generator = Generator(IMG_HEIGHT)
        discriminator = Discriminator(IMG_HEIGHT)
        @@STEP@@

        for step, (input_image, target) in train_dataset.repeat().take(40).enumerate():
            gen_total_loss, disc_loss = train_step(input_image, target)
            if (step + 1) % 10 == 0:
                print(f"step {int(step) + 1}: gen_total_loss={float(gen_total_loss):.3f} "
                      f"disc_loss={float(disc_loss):.3f}")
        """.replace("@@PIX2PIX@@", block(PIX2PIX)).replace("@@STEP@@", block(PIX2PIX_STEP)),
    ),
    Case(
        name="keras-more62-nb-conv-autoencoder-phone-photos-thumbnail-keeps-aspect-np-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        expect="all input arrays must have the same shape",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            def load_photo(path, size=64):
                img = Image.open(path).convert("RGB")
                img.thumbnail((size, size))          # shrink in place, no distortion
                return np.asarray(img, dtype="float32") / 255.0

            paths = sorted(glob.glob("{DATA}/phone/*.jpg"))
            len(paths)
            """,
            """
            x_train = np.stack([load_photo(p) for p in paths])
            x_train.shape
            """,
            """
            autoencoder = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 3, strides=2, activation="relu", padding="same"),
                layers.Conv2D(16, 3, strides=2, activation="relu", padding="same"),
                layers.Conv2DTranspose(16, 3, strides=2, activation="relu", padding="same"),
                layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same"),
                layers.Conv2D(3, 3, activation="sigmoid", padding="same"),
            ])
            autoencoder.compile("adam", "mse")
            autoencoder.fit(x_train, x_train, epochs=20, batch_size=4, shuffle=True)
            """,
        ], data=phone_photos),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more62-dcgan-pixel-art-sprites-decode-png-default-channels-some-rgba-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=sprites,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 64


        def load_sprite(path):
            img = tf.io.decode_png(tf.io.read_file(path))
            return tf.cast(img, tf.float32) / 127.5 - 1.0


        files = sorted(glob.glob("{DATA}/sprites/*.png"))
        dataset = tf.data.Dataset.from_tensor_slices(files).map(load_sprite).batch(8, drop_remainder=True)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(1, activation="sigmoid"),
        ], name="discriminator")
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 64),
            layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(3, 5, padding="same", activation="tanh"),
        ], name="generator")


        @@GAN@@

            def train_step(self, real_images):
                batch_size = tf.shape(real_images)[0]
                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                fake = self.generator(z)
                images = tf.concat([fake, real_images], axis=0)
                labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
                labels += 0.05 * tf.random.uniform(tf.shape(labels))
                with tf.GradientTape() as tape:
                    d_loss = self.loss_fn(labels, self.discriminator(images))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                with tf.GradientTape() as tape:
                    g_loss = self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(self.generator(z)))
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                self.d_loss_metric.update_state(d_loss)
                self.g_loss_metric.update_state(g_loss)
                return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


        gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
        gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    loss_fn=keras.losses.BinaryCrossentropy())
        gan.fit(dataset, epochs=20)
        """.replace("@@GAN@@", block(KERAS_IO_GAN)),
    ),
    Case(
        name="keras-more62-edges2bags-grey-sketch-pngs-into-three-channel-pix2pix-generator-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=grey_sketches,
        expect="expected axis -1 of input shape to have value 3",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/edges2bags"

        @@PIX2PIX@@


        def load_pair(sketch_path, photo_path):
            sketch = tf.io.decode_png(tf.io.read_file(sketch_path))
            photo = tf.io.decode_jpeg(tf.io.read_file(photo_path), channels=3)
            sketch = tf.image.resize(sketch, (64, 64)) / 127.5 - 1
            photo = tf.image.resize(photo, (64, 64)) / 127.5 - 1
            return sketch, photo


        sketches = sorted(glob.glob(ROOT + "/sketches/*.png"))
        photos = sorted(glob.glob(ROOT + "/photos/*.jpg"))
        train_ds = tf.data.Dataset.from_tensor_slices((sketches, photos)).map(load_pair).shuffle(64).batch(4)

        generator = Generator()
        discriminator = Discriminator()
        @@STEP@@

        for epoch in range(3):
            for sketch, photo in train_ds:
                g, d = train_step(sketch, photo)
            print(f"epoch {epoch}: gen {g.numpy():.3f}  disc {d.numpy():.3f}")
        """.replace("@@PIX2PIX@@", block(PIX2PIX)).replace("@@STEP@@", block(PIX2PIX_STEP)),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more62-acgan-num-classes-written-before-fifth-flower-folder-added-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=flower_folders,
        pty=True,
        expect="outside the valid range",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4          # daisy, dandelion, roses, sunflowers
        LATENT_DIM = 32

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(32, 32), batch_size=8, label_mode="int", seed=1)
        train_ds = train_ds.map(lambda x, y: (x / 127.5 - 1.0, y))

        # generator: noise * embedded class
        z_in = keras.Input((LATENT_DIM,))
        c_in = keras.Input((1,), dtype="int32")
        c = layers.Flatten()(layers.Embedding(NUM_CLASSES, LATENT_DIM)(c_in))
        h = layers.Multiply()([z_in, c])
        h = layers.Reshape((8, 8, 64))(layers.Dense(8 * 8 * 64, activation="relu")(h))
        h = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh")(h)
        generator = keras.Model([z_in, c_in], h, name="generator")

        # discriminator: real/fake + auxiliary class head
        img_in = keras.Input((32, 32, 3))
        h = layers.LeakyReLU(0.2)(layers.Conv2D(32, 3, strides=2, padding="same")(img_in))
        h = layers.LeakyReLU(0.2)(layers.Conv2D(64, 3, strides=2, padding="same")(h))
        h = layers.Flatten()(h)
        validity = layers.Dense(1, name="validity")(h)
        aux = layers.Dense(NUM_CLASSES, name="aux")(h)
        discriminator = keras.Model(img_in, [validity, aux], name="discriminator")


        class ACGAN(keras.Model):
            def __init__(self, generator, discriminator):
                super().__init__()
                self.generator, self.discriminator = generator, discriminator
                self.adv = keras.losses.BinaryCrossentropy(from_logits=True)
                self.cls = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

            def compile(self, d_optimizer, g_optimizer):
                super().compile()
                self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

            def train_step(self, data):
                real, labels = data
                n = tf.shape(real)[0]
                z = tf.random.normal((n, LATENT_DIM))
                fake_labels = tf.random.uniform((n, 1), 0, NUM_CLASSES, dtype=tf.int32)
                with tf.GradientTape() as d_tape:
                    fake = self.generator([z, fake_labels], training=True)
                    v_real, c_real = self.discriminator(real, training=True)
                    v_fake, c_fake = self.discriminator(fake, training=True)
                    d_loss = (self.adv(tf.ones_like(v_real), v_real) + self.adv(tf.zeros_like(v_fake), v_fake)
                              + self.cls(labels, c_real) + self.cls(fake_labels, c_fake))
                grads = d_tape.gradient(d_loss, self.discriminator.trainable_variables)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
                with tf.GradientTape() as g_tape:
                    fake = self.generator([z, fake_labels], training=True)
                    v_fake, c_fake = self.discriminator(fake, training=True)
                    g_loss = self.adv(tf.ones_like(v_fake), v_fake) + self.cls(fake_labels, c_fake)
                grads = g_tape.gradient(g_loss, self.generator.trainable_variables)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
                return {"d_loss": d_loss, "g_loss": g_loss}


        acgan = ACGAN(generator, discriminator)
        acgan.compile(keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5))
        acgan.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more62-cgan-label-mode-categorical-one-hot-into-class-id-embedding-input-k3",
        cause="data.label_shape",
        also=("model.input_shape",),
        exception="ValueError",
        setup=pokemon_folders,
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 32
        dataset = keras.utils.image_dataset_from_directory(
            "{DATA}/pokemon", image_size=(32, 32), batch_size=8, label_mode="categorical")
        class_names = dataset.class_names
        N_CLASSES = len(class_names)
        dataset = dataset.map(lambda x, y: (x / 127.5 - 1.0, y))


        def define_generator(latent_dim, n_classes):
            in_label = keras.Input(shape=(1,))
            li = layers.Embedding(n_classes, 50)(in_label)
            li = layers.Dense(8 * 8)(li)
            li = layers.Reshape((8, 8, 1))(li)
            in_lat = keras.Input(shape=(latent_dim,))
            gen = layers.LeakyReLU(0.2)(layers.Dense(64 * 8 * 8)(in_lat))
            gen = layers.Reshape((8, 8, 64))(gen)
            merge = layers.Concatenate()([gen, li])
            gen = layers.LeakyReLU(0.2)(layers.Conv2DTranspose(64, 4, strides=2, padding="same")(merge))
            gen = layers.LeakyReLU(0.2)(layers.Conv2DTranspose(64, 4, strides=2, padding="same")(gen))
            out = layers.Conv2D(3, 5, activation="tanh", padding="same")(gen)
            return keras.Model([in_lat, in_label], out, name="generator")


        def define_discriminator(n_classes):
            in_label = keras.Input(shape=(1,))
            li = layers.Embedding(n_classes, 50)(in_label)
            li = layers.Reshape((32, 32, 1))(layers.Dense(32 * 32)(li))
            in_image = keras.Input(shape=(32, 32, 3))
            merge = layers.Concatenate()([in_image, li])
            fe = layers.LeakyReLU(0.2)(layers.Conv2D(64, 3, strides=2, padding="same")(merge))
            fe = layers.LeakyReLU(0.2)(layers.Conv2D(64, 3, strides=2, padding="same")(fe))
            out = layers.Dense(1, activation="sigmoid")(layers.Dropout(0.4)(layers.Flatten()(fe)))
            return keras.Model([in_image, in_label], out, name="discriminator")


        generator = define_generator(LATENT_DIM, N_CLASSES)
        discriminator = define_discriminator(N_CLASSES)
        bce = keras.losses.BinaryCrossentropy()
        d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)


        @tf.function
        def train_step(images, labels):
            n = tf.shape(images)[0]
            z = tf.random.normal((n, LATENT_DIM))
            with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
                fake = generator([z, labels], training=True)
                real_out = discriminator([images, labels], training=True)
                fake_out = discriminator([fake, labels], training=True)
                d_loss = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
                g_loss = bce(tf.ones_like(fake_out), fake_out)
            d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables),
                                      discriminator.trainable_variables))
            g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables),
                                      generator.trainable_variables))
            return d_loss, g_loss


        for epoch in range(10):
            for images, labels in dataset:
                d_loss, g_loss = train_step(images, labels)
            print(f">{epoch + 1}, d={float(d_loss):.3f}, g={float(g_loss):.3f}")
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more62-dcgan-train-step-tf-concat-float-fakes-with-uint8-decoded-cats-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=cat_photos,
        pty=True,
        expect="don't all match",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 64


        def decode(path):
            # the cat crops are already 32 x 32, no resize needed
            return tf.io.decode_jpeg(tf.io.read_file(path), channels=3)


        dataset = (tf.data.Dataset.from_tensor_slices(sorted(glob.glob("{DATA}/cats/*.jpg")))
                   .map(decode).shuffle(100).batch(8, drop_remainder=True))

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1 / 127.5, offset=-1),
            layers.Conv2D(32, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(),
            layers.Dense(1),
        ], name="discriminator")
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 64),
            layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2D(3, 5, padding="same", activation="tanh"),
            layers.Rescaling(127.5, offset=127.5),            # back to pixel values like the real cats
        ], name="generator")


        @@GAN@@

            def train_step(self, real_images):
                batch_size = tf.shape(real_images)[0]
                random_latent_vectors = tf.random.normal((batch_size, self.latent_dim))
                generated_images = self.generator(random_latent_vectors)
                combined_images = tf.concat([generated_images, real_images], axis=0)
                labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
                with tf.GradientTape() as tape:
                    d_loss = self.loss_fn(labels, self.discriminator(combined_images))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
                random_latent_vectors = tf.random.normal((batch_size, self.latent_dim))
                with tf.GradientTape() as tape:
                    predictions = self.discriminator(self.generator(random_latent_vectors))
                    g_loss = self.loss_fn(tf.zeros((batch_size, 1)), predictions)
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                self.d_loss_metric.update_state(d_loss)
                self.g_loss_metric.update_state(g_loss)
                return {m.name: m.result() for m in self.metrics}


        gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-4), g_optimizer=keras.optimizers.Adam(1e-4),
                    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
        gan.fit(dataset, epochs=25)
        """.replace("@@GAN@@", block(KERAS_IO_GAN)),
    ),
    Case(
        name="keras-more62-vae-gradienttape-loop-float64-numpy-faces-hand-written-squared-error-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=face_photos,
        expect="double tensor but is a float tensor",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        LATENT_DIM = 8
        faces = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/faces/*.jpg"))]) / 255.0
        print("faces:", faces.shape, faces.dtype)


        class Sampling(layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                eps = tf.random.normal(tf.shape(z_mean))
                return z_mean + tf.exp(0.5 * z_log_var) * eps


        enc_in = keras.Input((32, 32, 3))
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(enc_in)
        h = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Dense(64, activation="relu")(layers.Flatten()(h))
        z_mean = layers.Dense(LATENT_DIM, name="z_mean")(h)
        z_log_var = layers.Dense(LATENT_DIM, name="z_log_var")(h)
        encoder = keras.Model(enc_in, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])], name="encoder")

        dec_in = keras.Input((LATENT_DIM,))
        h = layers.Reshape((8, 8, 64))(layers.Dense(8 * 8 * 64, activation="relu")(dec_in))
        h = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(h)
        decoder = keras.Model(dec_in, layers.Conv2D(3, 3, padding="same", activation="sigmoid")(h), name="decoder")

        optimizer = keras.optimizers.Adam(1e-3)
        train_ds = tf.data.Dataset.from_tensor_slices(faces).shuffle(256).batch(8)

        for epoch in range(30):
            for x in train_ds:
                with tf.GradientTape() as tape:
                    z_mean, z_log_var, z = encoder(x, training=True)
                    recon = decoder(z, training=True)
                    rec_loss = tf.reduce_mean(tf.reduce_sum(tf.square(x - recon), axis=[1, 2, 3]))
                    kl = -0.5 * tf.reduce_mean(tf.reduce_sum(1 + z_log_var - z_mean ** 2 - tf.exp(z_log_var), 1))
                    loss = rec_loss + kl
                weights = encoder.trainable_weights + decoder.trainable_weights
                optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
            print(f"epoch {epoch}: loss {float(loss):.2f} (kl {float(kl):.2f})")
        """,
    ),
    Case(
        name="keras-more62-nb-save-sample-grid-image-fromarray-float32-tanh-output-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        expect="Cannot handle this data type",
        **notebook([
            """
            import os
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            from PIL import Image

            LATENT_DIM = 64
            generator = keras.Sequential([
                keras.Input((LATENT_DIM,)),
                layers.Dense(8 * 8 * 64), layers.Reshape((8, 8, 64)),
                layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu"),
                layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
            ], name="generator")
            seed = tf.random.normal([16, LATENT_DIM], seed=3)
            os.makedirs("samples", exist_ok=True)
            """,
            """
            def save_grid(images, path, rows=4):
                images = np.asarray(images)
                cols = len(images) // rows
                grid = np.concatenate([np.concatenate(list(images[r * cols:(r + 1) * cols]), axis=1)
                                       for r in range(rows)], axis=0)
                Image.fromarray(grid).save(path)
            """,
            """
            samples = generator(seed, training=False)
            print(samples.shape, samples.dtype, float(tf.reduce_min(samples)), float(tf.reduce_max(samples)))
            save_grid(samples, "samples/epoch_000.png")
            """,
        ]),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more62-tf-dcgan-tutorial-mnist-generator-kept-discriminator-rebuilt-32px-rgb-tfk2",
        cause="model.input_shape",
        also=("model.output_mismatch",),
        env="tfk2",
        exception="ValueError",
        setup=cat_photos,
        expect="is incompatible with the layer",
        code="""
        import glob
        import time

        import tensorflow as tf
        from tensorflow.keras import layers

        BUFFER_SIZE = 60000
        BATCH_SIZE = 8
        noise_dim = 100


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return (tf.cast(img, tf.float32) - 127.5) / 127.5


        train_dataset = (tf.data.Dataset.from_tensor_slices(sorted(glob.glob("{DATA}/cats/*.jpg")))
                         .map(load).shuffle(BUFFER_SIZE).batch(BATCH_SIZE))


        def make_generator_model():
            model = tf.keras.Sequential()
            model.add(layers.Dense(7 * 7 * 64, use_bias=False, input_shape=(100,)))
            model.add(layers.BatchNormalization())
            model.add(layers.LeakyReLU())
            model.add(layers.Reshape((7, 7, 64)))
            model.add(layers.Conv2DTranspose(32, (5, 5), strides=(1, 1), padding="same", use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.LeakyReLU())
            model.add(layers.Conv2DTranspose(16, (5, 5), strides=(2, 2), padding="same", use_bias=False))
            model.add(layers.BatchNormalization())
            model.add(layers.LeakyReLU())
            model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", use_bias=False,
                                             activation="tanh"))
            return model


        def make_discriminator_model():
            model = tf.keras.Sequential(name="discriminator")
            model.add(layers.Conv2D(32, (5, 5), strides=(2, 2), padding="same", input_shape=[32, 32, 3]))
            model.add(layers.LeakyReLU())
            model.add(layers.Dropout(0.3))
            model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding="same"))
            model.add(layers.LeakyReLU())
            model.add(layers.Dropout(0.3))
            model.add(layers.Flatten())
            model.add(layers.Dense(1))
            return model


        generator = make_generator_model()
        discriminator = make_discriminator_model()
        cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        generator_optimizer = tf.keras.optimizers.Adam(1e-4)
        discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)


        def discriminator_loss(real_output, fake_output):
            return (cross_entropy(tf.ones_like(real_output), real_output)
                    + cross_entropy(tf.zeros_like(fake_output), fake_output))


        def generator_loss(fake_output):
            return cross_entropy(tf.ones_like(fake_output), fake_output)


        @tf.function
        def train_step(images):
            noise = tf.random.normal([BATCH_SIZE, noise_dim])
            with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
                generated_images = generator(noise, training=True)
                real_output = discriminator(images, training=True)
                fake_output = discriminator(generated_images, training=True)
                gen_loss = generator_loss(fake_output)
                disc_loss = discriminator_loss(real_output, fake_output)
            gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
            gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
            generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
            discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator,
                                                        discriminator.trainable_variables))


        def train(dataset, epochs):
            for epoch in range(epochs):
                start = time.time()
                for image_batch in dataset:
                    train_step(image_batch)
                print("Time for epoch {} is {} sec".format(epoch + 1, time.time() - start))


        train(train_dataset, 50)
        """,
    ),
    Case(
        name="keras-more62-anomaly-autoencoder-scores-one-test-photo-without-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=parts_photos,
        pty=True,
        expect="Sequential.call()",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers

        IMG = 64


        def load(path):
            return keras.utils.img_to_array(keras.utils.load_img(path, target_size=(IMG, IMG))) / 255.0


        x_good = np.stack([load(p) for p in sorted(glob.glob("{DATA}/parts/good/*.jpg"))])

        autoencoder = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(3, 3, padding="same", activation="sigmoid"),
        ], name="part_autoencoder")
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(x_good, x_good, epochs=3, batch_size=8, validation_split=0.2)

        recon = autoencoder.predict(x_good, verbose=0)
        train_err = np.mean((x_good - recon) ** 2, axis=(1, 2, 3))
        threshold = train_err.mean() + 3 * train_err.std()
        print(f"threshold: {threshold:.5f}")

        for path in sorted(glob.glob("{DATA}/parts/test/*.jpg")):
            x = load(path)
            recon = autoencoder.predict(x, verbose=0)
            err = float(np.mean((x - recon) ** 2))
            print(path.split("/")[-1], "ANOMALY" if err > threshold else "ok", f"{err:.5f}")
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more62-gan-discriminator-dense-head-without-flatten-per-location-logits-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=face_photos,
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 64

        dataset = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", labels=None, image_size=(32, 32), batch_size=8)
        dataset = dataset.map(lambda x: x / 127.5 - 1.0)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(128, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dropout(0.2),
            layers.Dense(1),
        ], name="discriminator")
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 128),
            layers.Reshape((8, 8, 128)),
            layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(3, 5, padding="same", activation="tanh"),
        ], name="generator")


        @@GAN@@

            def train_step(self, real_images):
                batch_size = tf.shape(real_images)[0]
                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                with tf.GradientTape() as tape:
                    fake = self.generator(z)
                    d_loss = (self.loss_fn(tf.ones((batch_size, 1)), self.discriminator(real_images))
                              + self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(fake)))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                with tf.GradientTape() as tape:
                    g_loss = self.loss_fn(tf.ones((batch_size, 1)), self.discriminator(self.generator(z)))
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                self.d_loss_metric.update_state(d_loss)
                self.g_loss_metric.update_state(g_loss)
                return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


        gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
        gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
        gan.fit(dataset, epochs=30)
        """.replace("@@GAN@@", block(KERAS_IO_GAN)),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more62-dcgan-tutorial-checkpoint-restore-into-wider-generator-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=dcgan_checkpoint,
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        checkpoint_dir = "{DATA}/training_checkpoints"
        noise_dim = 64


        def make_generator_model():
            # more filters: the 32-filter version gave blurry cats
            return keras.Sequential([
                keras.Input((noise_dim,)),
                layers.Dense(8 * 8 * 128, use_bias=False),
                layers.BatchNormalization(),
                layers.LeakyReLU(),
                layers.Reshape((8, 8, 128)),
                layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
                layers.BatchNormalization(),
                layers.LeakyReLU(),
                layers.Conv2DTranspose(3, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
            ])


        def make_discriminator_model():
            return keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(32, 5, strides=2, padding="same"),
                layers.LeakyReLU(),
                layers.Conv2D(64, 5, strides=2, padding="same"),
                layers.LeakyReLU(),
                layers.Flatten(),
                layers.Dense(1),
            ])


        generator = make_generator_model()
        discriminator = make_discriminator_model()
        generator_optimizer = keras.optimizers.Adam(1e-4)
        discriminator_optimizer = keras.optimizers.Adam(1e-4)
        checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")
        checkpoint = tf.train.Checkpoint(generator_optimizer=generator_optimizer,
                                         discriminator_optimizer=discriminator_optimizer,
                                         generator=generator,
                                         discriminator=discriminator)

        print("restoring", tf.train.latest_checkpoint(checkpoint_dir))
        checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))
        samples = generator(tf.random.normal([4, noise_dim]), training=False)
        print(samples.shape)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more62-ganmonitor-callback-save-img-given-whole-sample-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=face_photos,
        pty=True,
        expect="rank 3",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 64
        dataset = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", labels=None, image_size=(32, 32), batch_size=8)
        dataset = dataset.map(lambda x: x / 255.0)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(), layers.Dropout(0.2), layers.Dense(1, activation="sigmoid"),
        ], name="discriminator")
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 64), layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(3, 5, padding="same", activation="sigmoid"),
        ], name="generator")


        @@GAN@@

            def train_step(self, real_images):
                batch_size = tf.shape(real_images)[0]
                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                combined = tf.concat([self.generator(z), real_images], axis=0)
                labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
                with tf.GradientTape() as tape:
                    d_loss = self.loss_fn(labels, self.discriminator(combined))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
                z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
                with tf.GradientTape() as tape:
                    g_loss = self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(self.generator(z)))
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                self.d_loss_metric.update_state(d_loss)
                self.g_loss_metric.update_state(g_loss)
                return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


        class GANMonitor(keras.callbacks.Callback):
            def __init__(self, num_img=9, latent_dim=LATENT_DIM):
                self.num_img = num_img
                self.latent_dim = latent_dim
                self.seed_generator = keras.random.SeedGenerator(42)
                os.makedirs("samples", exist_ok=True)

            def on_epoch_end(self, epoch, logs=None):
                z = keras.random.normal((self.num_img, self.latent_dim), seed=self.seed_generator)
                generated_images = self.model.generator(z) * 255
                keras.utils.save_img(f"samples/epoch_{epoch:03d}.png", generated_images.numpy())


        gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-4), g_optimizer=keras.optimizers.Adam(1e-4),
                    loss_fn=keras.losses.BinaryCrossentropy())
        gan.fit(dataset, epochs=20, callbacks=[GANMonitor(num_img=9, latent_dim=LATENT_DIM)])
        """.replace("@@GAN@@", block(KERAS_IO_GAN)),
    ),
    Case(
        name="keras-more62-autoencoder-fit-unlabelled-image-dataset-passed-as-x-and-y-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=face_photos,
        expect="should not be passed",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", labels=None, image_size=(32, 32), batch_size=8, validation_split=0.2,
            subset="training", seed=123)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", labels=None, image_size=(32, 32), batch_size=8, validation_split=0.2,
            subset="validation", seed=123)
        normalize = layers.Rescaling(1.0 / 255)
        train_ds = train_ds.map(normalize)
        val_ds = val_ds.map(normalize)

        encoder = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
        ], name="encoder")
        decoder = keras.Sequential([
            keras.Input((8, 8, 16)),
            layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(3, 3, padding="same", activation="sigmoid"),
        ], name="decoder")
        autoencoder = keras.Sequential([encoder, decoder])
        autoencoder.compile(optimizer="adam", loss="mse")

        # input and target are the same images
        autoencoder.fit(train_ds, train_ds, epochs=10, validation_data=(val_ds, val_ds))
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more62-gan-hand-written-log-d-loss-no-epsilon-large-lr-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=face_photos,
        pty=True,
        expect="Tensor had",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 16
        faces = np.stack([keras.utils.img_to_array(keras.utils.load_img(p))
                          for p in sorted(glob.glob("{DATA}/faces/*.jpg"))]) / 127.5 - 1.0
        dataset = tf.data.Dataset.from_tensor_slices(faces.astype("float32")).shuffle(64).batch(16)

        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 32, activation="relu"), layers.Reshape((8, 8, 32)),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ])
        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 4, strides=2, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        # Goodfellow et al. 2014, written out by hand
        g_opt = keras.optimizers.Adam(learning_rate=0.01)
        d_opt = keras.optimizers.Adam(learning_rate=0.01)


        @tf.function
        def train_step(real):
            z = tf.random.normal((tf.shape(real)[0], LATENT_DIM))
            with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
                fake = generator(z, training=True)
                d_real = discriminator(real, training=True)
                d_fake = discriminator(fake, training=True)
                d_loss = -tf.reduce_mean(tf.math.log(d_real) + tf.math.log(1.0 - d_fake))
                g_loss = -tf.reduce_mean(tf.math.log(d_fake))
                d_loss = tf.debugging.check_numerics(d_loss, "d_loss")
                g_loss = tf.debugging.check_numerics(g_loss, "g_loss")
            d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables),
                                      discriminator.trainable_variables))
            g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables),
                                      generator.trainable_variables))
            return d_loss, g_loss


        for epoch in range(300):
            for real in dataset:
                d_loss, g_loss = train_step(real)
            if epoch % 10 == 0:
                print(f"epoch {epoch:3d}  d_loss {float(d_loss):.4f}  g_loss {float(g_loss):.4f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more62-anogan-latent-search-z-plain-tensor-never-watched-manual-update-k3",
        cause="optim.autograd_graph",
        exception="TypeError",
        expect="NoneType",
        setup=parts_photos,
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        LATENT_DIM = 32
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(16 * 16 * 32, activation="relu"), layers.Reshape((16, 16, 32)),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ], name="generator")
        # generator.load_weights("generator_good_parts.weights.h5")


        def anomaly_score(x, steps=100, lam=0.1, lr=0.05):
            # AnoGAN: find z whose G(z) is closest to the query image
            z = tf.random.normal((1, LATENT_DIM))
            for _ in range(steps):
                with tf.GradientTape() as tape:
                    residual = tf.reduce_mean(tf.abs(x - generator(z, training=False)))
                    loss = (1 - lam) * residual + lam * tf.reduce_mean(tf.square(z))
                grad = tape.gradient(loss, z)
                z = z - lr * grad
            return float(residual)


        for path in sorted(glob.glob("{DATA}/parts/test/*.jpg")):
            img = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(64, 64)))
            score = anomaly_score(tf.constant(img[None] / 127.5 - 1.0))
            print(path.split("/")[-1], f"{score:.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more62-gan-memorisation-check-nearest-training-photo-broadcast-all-pairs-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=good_parts_array,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras
        from keras import layers

        LATENT_DIM = 64
        train = np.load("{DATA}/arrays/train_64.npy").astype("float32") / 127.5 - 1.0
        print("training photos:", train.shape)

        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 32, activation="relu"), layers.Reshape((8, 8, 32)),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ], name="generator")

        # did the GAN just memorise the training set? nearest training photo of every sample
        samples = generator.predict(np.random.normal(size=(512, LATENT_DIM)), batch_size=128, verbose=0)
        d2 = ((samples[:, None] - train[None]) ** 2).sum(axis=(2, 3, 4))
        nearest = d2.argmin(axis=1)
        print("closest L2:", np.sqrt(d2.min(axis=1)).mean())
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more62-keras2-blog-vae-sampling-with-keras-backend-k-shape-under-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=face_photos,
        expect="keras.backend",
        code="""
        import glob

        import numpy as np
        from keras import backend as K
        from keras.layers import Dense, Input, Lambda
        from keras.losses import binary_crossentropy
        from keras.models import Model
        from PIL import Image

        x_train = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/faces/*.jpg"))])
        original_dim = 32 * 32 * 3
        x_train = np.reshape(x_train, [-1, original_dim]).astype("float32") / 255

        input_shape = (original_dim,)
        intermediate_dim = 128
        latent_dim = 2


        def sampling(args):
            \"\"\"Reparameterization trick by sampling from an isotropic unit Gaussian.\"\"\"
            z_mean, z_log_var = args
            batch = K.shape(z_mean)[0]
            dim = K.int_shape(z_mean)[1]
            epsilon = K.random_normal(shape=(batch, dim))
            return z_mean + K.exp(0.5 * z_log_var) * epsilon


        inputs = Input(shape=input_shape, name="encoder_input")
        x = Dense(intermediate_dim, activation="relu")(inputs)
        z_mean = Dense(latent_dim, name="z_mean")(x)
        z_log_var = Dense(latent_dim, name="z_log_var")(x)
        z = Lambda(sampling, output_shape=(latent_dim,), name="z")([z_mean, z_log_var])
        encoder = Model(inputs, [z_mean, z_log_var, z], name="encoder")

        latent_inputs = Input(shape=(latent_dim,), name="z_sampling")
        x = Dense(intermediate_dim, activation="relu")(latent_inputs)
        outputs = Dense(original_dim, activation="sigmoid")(x)
        decoder = Model(latent_inputs, outputs, name="decoder")

        outputs = decoder(encoder(inputs)[2])
        vae = Model(inputs, outputs, name="vae_mlp")
        vae.compile(optimizer="adam", loss=binary_crossentropy)   # KL term: add back once it trains
        vae.fit(x_train, x_train, epochs=50, batch_size=8)
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more62-dcgan-tutorial-under-mirroredstrategy-loss-default-reduction-tfk2",
        cause="env.distributed",
        also=("model.api_misuse",),
        env="tfk2",
        exception="ValueError",
        setup=cat_photos,
        expect="Reduction",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow.keras import layers

        strategy = tf.distribute.MirroredStrategy()
        print("Number of devices: {}".format(strategy.num_replicas_in_sync))
        BATCH_SIZE_PER_REPLICA = 8
        GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync
        noise_dim = 64


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return (tf.cast(img, tf.float32) - 127.5) / 127.5


        train_dataset = (tf.data.Dataset.from_tensor_slices(sorted(glob.glob("{DATA}/cats/*.jpg")))
                         .map(load).shuffle(100).batch(GLOBAL_BATCH_SIZE))
        train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)

        with strategy.scope():
            generator = tf.keras.Sequential([
                layers.Dense(8 * 8 * 64, use_bias=False, input_shape=(noise_dim,)),
                layers.BatchNormalization(), layers.LeakyReLU(), layers.Reshape((8, 8, 64)),
                layers.Conv2DTranspose(32, 5, strides=2, padding="same", use_bias=False),
                layers.BatchNormalization(), layers.LeakyReLU(),
                layers.Conv2DTranspose(3, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
            ])
            discriminator = tf.keras.Sequential([
                layers.Conv2D(32, 5, strides=2, padding="same", input_shape=[32, 32, 3]), layers.LeakyReLU(),
                layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(),
                layers.Flatten(), layers.Dense(1),
            ])
            cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
            generator_optimizer = tf.keras.optimizers.Adam(1e-4)
            discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)


        def train_step(images):
            noise = tf.random.normal([tf.shape(images)[0], noise_dim])
            with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
                generated_images = generator(noise, training=True)
                real_output = discriminator(images, training=True)
                fake_output = discriminator(generated_images, training=True)
                gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
                disc_loss = (cross_entropy(tf.ones_like(real_output), real_output)
                             + cross_entropy(tf.zeros_like(fake_output), fake_output))
            generator_optimizer.apply_gradients(zip(gen_tape.gradient(gen_loss, generator.trainable_variables),
                                                    generator.trainable_variables))
            discriminator_optimizer.apply_gradients(zip(disc_tape.gradient(disc_loss,
                                                                           discriminator.trainable_variables),
                                                        discriminator.trainable_variables))
            return gen_loss, disc_loss


        @tf.function
        def distributed_train_step(dataset_inputs):
            per_replica_g, per_replica_d = strategy.run(train_step, args=(dataset_inputs,))
            return (strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_g, axis=None),
                    strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_d, axis=None))


        for epoch in range(20):
            for batch in train_dist_dataset:
                g_loss, d_loss = distributed_train_step(batch)
            print(f"epoch {epoch + 1}: gen {float(g_loss):.3f} disc {float(d_loss):.3f}")
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more62-pix2pix-pairs-preloaded-with-pool-map-nested-loader-function-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=sketch_pairs_png,
        expect="local object",
        code="""
        import glob
        import os
        from multiprocessing import Pool

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image


        def build_pairs(root, size=64, workers=4):
            photos = sorted(glob.glob(os.path.join(root, "photos", "*.jpg")))
            sketches = {os.path.splitext(os.path.basename(p))[0]: p
                        for p in glob.glob(os.path.join(root, "sketches", "*"))}

            def load_pair(photo_path):
                stem = os.path.splitext(os.path.basename(photo_path))[0]
                a = Image.open(sketches[stem]).convert("RGB").resize((size, size))
                b = Image.open(photo_path).convert("RGB").resize((size, size))
                return np.asarray(a, "float32") / 127.5 - 1, np.asarray(b, "float32") / 127.5 - 1

            with Pool(workers) as pool:
                pairs = pool.map(load_pair, photos)
            return np.stack([a for a, _ in pairs]), np.stack([b for _, b in pairs])


        if __name__ == "__main__":
            sketches, photos = build_pairs("{DATA}/pairs")
            print(sketches.shape, photos.shape)
            generator = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 4, strides=2, padding="same", activation="relu"),
                layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
            ])
            generator.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), loss="mae")
            generator.fit(sketches, photos, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more62-keras-gan-style-sample-interval-steps-floordiv-ten-small-folder-k3",
        cause="other",
        exception="ZeroDivisionError",
        setup=few_cats,
        pty=True,
        expect="modulo by zero",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        LATENT_DIM = 32
        BATCH_SIZE = 16
        EPOCHS = 200

        X = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/cats/*.jpg"))])
        X = X.astype("float32") / 127.5 - 1.0
        steps_per_epoch = len(X) // BATCH_SIZE
        sample_interval = steps_per_epoch // 10          # ~10 sample grids per epoch
        os.makedirs("images", exist_ok=True)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(64, 3, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(), layers.Dense(1, activation="sigmoid"),
        ])
        discriminator.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(2e-4, 0.5),
                              metrics=["accuracy"])
        generator = keras.Sequential([
            keras.Input((LATENT_DIM,)),
            layers.Dense(8 * 8 * 64, activation="relu"), layers.Reshape((8, 8, 64)),
            layers.UpSampling2D(), layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.UpSampling2D(), layers.Conv2D(3, 3, padding="same", activation="tanh"),
        ])
        discriminator.trainable = False
        z = keras.Input((LATENT_DIM,))
        combined = keras.Model(z, discriminator(generator(z)))
        combined.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(2e-4, 0.5))

        valid, fake = np.ones((BATCH_SIZE, 1)), np.zeros((BATCH_SIZE, 1))
        step = 0
        for epoch in range(EPOCHS):
            for _ in range(steps_per_epoch):
                idx = np.random.randint(0, X.shape[0], BATCH_SIZE)
                noise = np.random.normal(0, 1, (BATCH_SIZE, LATENT_DIM))
                gen_imgs = generator.predict(noise, verbose=0)
                d_loss_real = discriminator.train_on_batch(X[idx], valid)
                d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
                g_loss = combined.train_on_batch(noise, valid)
                print(f"{step} [D loss: {0.5 * (d_loss_real[0] + d_loss_fake[0]):.4f}] [G loss: {float(g_loss):.4f}]")
                if step % sample_interval == 0:
                    imgs = (0.5 * generator.predict(np.random.normal(0, 1, (4, LATENT_DIM)), verbose=0) + 0.5)
                    Image.fromarray((np.concatenate(list(imgs), axis=1) * 255).astype("uint8")).save(
                        f"images/{step}.png")
                step += 1
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
