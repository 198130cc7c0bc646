"""Untargeted held-out Keras / TensorFlow failures (g185, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of musicians, luthiers and audio-visual hobbyists
who train image models in Keras on visual data from their craft: sheet-music page and symbol classifiers
(scanned and MuseScore-exported pages, notehead and key-signature crops, MusicXML scores as the label
source), guitar and violin part and defect photos from the workshop, album-cover and gig-poster style and
genre classifiers on a music library's covers, stage-lighting camera frames from rehearsals (lighting
looks, DMX console logs, colour temperature), and spectrogram / CQT images exported as PNG from a DAW, in
notebooks and small scripts, spread over the cause ids of the taxonomy:

- files: album covers copied from a Mac whose accented artist names (``Björk``, ``Sigur Rós``) are stored
  decomposed (NFD) while the Discogs CSV export has them composed (NFC); a compressed MuseScore ``.mxl``
  among the uncompressed MusicXML scores that give the key-signature labels, parsed with ElementTree
  (notebook);
- image sizes: spectrogram PNGs exported by two DAWs at different sizes, stacked with ``np.array`` in a
  ``PyDataset``; each clip's waveform-overview PNG concatenated above its spectrogram PNG in the
  ``tf.data`` map, the clips bounced on a second laptop having a wider waveform export (tf_keras);
- channels: MuseScore page exports (RGBA, transparent background) among greyscale page scans, given to
  ``tf.image.grayscale_to_rgb`` in the ``tf.data`` map (tf_keras); a grey + alpha (``LA``) gig-poster PNG
  given to the colour style classifier (notebook);
- boxes: guitar-hardware label files where the previous detector's pseudo-labels, with a confidence
  column, were appended to the hand-drawn boxes, read with ``np.loadtxt``;
- labels: MIDI note numbers (55-79) as class ids of a two-octave notehead classifier; key signatures as
  circle-of-fifths counts (-7 flats ... +7 sharps) for a 15-way softmax (tf_keras);
- label shapes: a piano roll per CQT frame as targets of a clip-level 88-note head; a DMX console log at
  30 Hz against rehearsal video frames at 25 fps (tf_keras);
- dtypes: Rec. 709 luma with ``tf.tensordot`` on uint8 decoded stage frames (notebook); float16 mel
  spectrograms (stored that way to fit a cloud-drive quota) times a float32 loudness curve in the ``tf.data`` map;
- model inputs: a ``Conv1D`` stack from an audio tutorial put on PNG-decoded spectrograms;
- model outputs: a six-string tab head left as one flat 126-unit softmax for per-string fret targets; a
  genre tagger's multi-hot tags against the one-unit head of the jazz / not-jazz prototype (notebook);
- weights: the stage-1 ``base.save_weights`` backbone file loaded into the whole violin-part classifier;
- API: ``layers.RandomBrightness(40)`` given a percentage for stage-light augmentation;
- divergence: a colour-temperature regressor on unscaled kelvin targets under SGD + momentum, stopped
  by ``TerminateOnNaN(raise_error=True)``;
- gradients: a feature visualisation of the poster-style model whose image variable is cast to uint8
  inside the tape;
- host memory: 600 dpi score pages read by ``image_dataset_from_directory`` at full resolution;
- versions: ``from keras.utils.np_utils import to_categorical`` from an old chord-diagram tutorial under
  Keras 3;
- workers: ``Pool.map`` over a generator function that yields each lighting cue's frames;
- plain bugs: ``AC/DC`` in an album title used as a thumbnail file name.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more80.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g185): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more80.py"

LOOKS = ["blackout", "spot", "strobe", "wash"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _spec(r, h, w):
    """A spectrogram-looking greyscale image (uint8): energy falling off towards the high bins."""
    import numpy as np
    fall = np.linspace(1.0, 0.15, h)[:, None]
    return (np.clip(r.random((h, w)) ** 2 * fall * 1.6, 0, 1) * 255).astype(np.uint8)


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


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def cover_library(d: Path):
    """covers/<artist> - <album>.jpg copied from a Mac (names stored NFD) + covers.csv (Discogs, NFC)."""
    import unicodedata
    r = _rng(8001)
    albums = [
        ("Aphex Twin", "Selected Ambient Works 85-92", "electronic"),
        ("Bon Iver", "For Emma, Forever Ago", "folk"),
        ("Daft Punk", "Discovery", "electronic"),
        ("Iron Maiden", "Powerslave", "metal"),
        ("Björk", "Homogenic", "electronic"),
        ("Joni Mitchell", "Blue", "folk"),
        ("Motörhead", "Ace of Spades", "metal"),
        ("Robyn", "Body Talk", "pop"),
        ("Sigur Rós", "Ágætis byrjun", "folk"),
        ("Beyoncé", "Lemonade", "pop"),
    ]
    rows = []
    for artist, album, genre in albums:
        name = f"{artist} - {album}.jpg"
        _save(d / "covers" / unicodedata.normalize("NFD", name), _blocky_rgb(r, 300, 300, block=20))
        rows.append([unicodedata.normalize("NFC", name), artist, album, genre])
    _csv(d / "covers" / "covers.csv", ["file", "artist", "album", "genre"], rows)


MUSICXML = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">
<score-partwise version="4.0">
  <work><work-title>{title}</work-title></work>
  <identification><encoding><software>MuseScore {ver}</software></encoding></identification>
  <part-list><score-part id="P1"><part-name>Violin</part-name></score-part></part-list>
  <part id="P1">
    <measure number="1">
      <attributes>
        <divisions>1</divisions>
        <key><fifths>{fifths}</fifths></key>
        <time><beats>4</beats><beat-type>4</beat-type></time>
        <clef><sign>G</sign><line>2</line></clef>
      </attributes>
      <note><pitch><step>A</step><octave>4</octave></pitch><duration>4</duration><type>whole</type></note>
    </measure>
  </part>
</score-partwise>
"""


def musescore_scores(d: Path):
    """scores/*.xml | *.musicxml (uncompressed MusicXML) and one compressed .mxl; pages/<score>_p1.png."""
    import io
    import zipfile
    r = _rng(8002)
    scores = [("bach_partita_2_allemanda", -1, "xml", "3.6.2"), ("elgar_salut_d_amour", 4, "xml", "3.6.2"),
              ("fiddle_tunes_set_4", 2, "musicxml", "4.2.1"), ("kreutzer_etude_2", 0, "musicxml", "4.2.1"),
              ("meditation_thais", 5, "mxl", "4.3.0"), ("vivaldi_winter_largo", -3, "musicxml", "4.2.1")]
    (d / "scores").mkdir(parents=True, exist_ok=True)
    for name, fifths, ext, ver in scores:
        xml = MUSICXML.format(title=name.replace("_", " ").title(), ver=ver, fifths=fifths)
        if ext == "mxl":                       # MuseScore 4's default MusicXML export: a zip
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("META-INF/container.xml",
                           '<?xml version="1.0" encoding="UTF-8"?>\n<container><rootfiles>'
                           f'<rootfile full-path="{name}.musicxml"/></rootfiles></container>\n')
                z.writestr(f"{name}.musicxml", xml)
            (d / "scores" / f"{name}.mxl").write_bytes(buf.getvalue())
        else:
            (d / "scores" / f"{name}.{ext}").write_text(xml, encoding="utf-8")
        page = 255 - (r.random((220, 160)) < 0.04).astype("uint8") * 255
        page[30:200:12, 10:150] = 0
        _save(d / "pages" / f"{name}_p1.png", page)


def daw_spectrograms(d: Path):
    """spectrograms/<technique>/*.png: Reaper exports 400 x 128, Ableton exports 480 x 160."""
    r = _rng(8003)
    for c in ("bowed", "plucked", "struck"):
        for i in range(6):
            daw, (w, h) = ("reaper", (400, 128)) if i % 3 else ("ableton", (480, 160))
            g = _spec(r, h, w)
            _save(d / "spectrograms" / c / f"{c}_{i:03d}_{daw}.png", g)


def waveform_and_spectrogram(d: Path):
    """clips/<mood>/<clip>_spectrogram.png (860 x 128) and <clip>_waveform.png: the waveform overview is
    exported at the arrange view's width (860 px), except for the clips bounced from the second laptop,
    whose DAW window was 1024 px wide."""
    import numpy as np
    r = _rng(8004)
    for mood in ("calm", "driving", "tense"):
        for i in range(5):
            stem = f"{mood}_{i:03d}"
            _save(d / "clips" / mood / f"{stem}_spectrogram.png", _spec(r, 128, 860))
            w = 1024 if i == 2 else 860
            wave = np.full((96, w), 255, np.uint8)
            amp = (40 * np.abs(np.sin(np.arange(w) / (7 + i)) * r.random(w))).astype(int)
            for x in range(w):
                wave[48 - amp[x]:48 + amp[x], x] = 30
            _save(d / "clips" / mood / f"{stem}_waveform.png", wave)


def score_pages_mixed(d: Path):
    """pages/<era>/*.png: greyscale page scans and MuseScore PNG exports (RGBA, transparent background)."""
    import numpy as np
    r = _rng(8005)
    for era in ("baroque", "classical", "romantic"):
        for i in range(5):
            page = np.full((330, 234), 255, np.uint8)
            page[40:300:14, 16:218] = 0
            page[r.random((330, 234)) < 0.03] = 0
            if i == 3:                                   # exported from MuseScore: black ink on transparent
                rgba = np.zeros((330, 234, 4), np.uint8)
                rgba[..., 3] = 255 - page
                _save(d / "pages" / era / f"{era}_musescore_{i:03d}.png", rgba)
            else:
                _save(d / "pages" / era / f"{era}_scan_{i:03d}.png", page)


def poster_model(d: Path):
    import numpy as np
    r = _rng(8006)
    grey = _blocky_rgb(r, 900, 640, block=30)[..., 0]
    alpha = np.full_like(grey, 255)
    alpha[:40], alpha[-40:] = 0, 0
    _save(d / "inbox" / "gig_poster_2024_final.png", np.stack([grey, alpha], axis=-1), mode=None)
    prep("k3", """
        import os
        import numpy as np
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((160, 160, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ], name="poster_style")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(20, 160, 160, 3), np.arange(20) % 5, epochs=1, batch_size=10, verbose=0)
        model.save("models/poster_style_v3.keras")
        open("models/styles.txt", "w").write("art_nouveau\\nbauhaus\\ngrunge_xerox\\npsychedelic\\nswiss\\n")
    """, d)


def guitar_hardware(d: Path):
    """hardware/images/*.jpg and YOLO label files; two files got the pseudo-labels (with conf) appended."""
    r = _rng(8007)
    (d / "hardware" / "labels").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        stem = f"strat_{i:03d}"
        _save(d / "hardware" / "images" / f"{stem}.jpg", _blocky_rgb(r, 240, 320))
        lines = []
        for _ in range(int(r.integers(2, 4))):
            c = int(r.integers(0, 4))
            cx, cy = r.uniform(0.2, 0.8, 2)
            w, h = r.uniform(0.08, 0.25, 2)
            lines.append(f"{c} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        if i in (3, 6):                 # pseudo-labels from last week's detector, appended with confidence
            for _ in range(2):
                c = int(r.integers(0, 4))
                cx, cy = r.uniform(0.2, 0.8, 2)
                w, h = r.uniform(0.08, 0.25, 2)
                lines.append(f"{c} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f} {r.uniform(0.55, 0.95):.4f}")
        (d / "hardware" / "labels" / f"{stem}.txt").write_text("\n".join(lines) + "\n")
    (d / "hardware" / "classes.txt").write_text("tuner\nbridge\npickup\nknob\n")


def noteheads(d: Path):
    import numpy as np
    r = _rng(8008)
    (d / "noteheads").mkdir(parents=True, exist_ok=True)
    n = 160
    np.save(d / "noteheads" / "crops.npy", (r.random((n, 48, 24, 1)) > 0.8).astype("float32"))
    names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    rows = []
    for i in range(n):
        midi = int(r.integers(55, 80))
        rows.append([f"crop_{i:04d}", midi, f"{names[midi % 12]}{midi // 12 - 1}"])
    _csv(d / "noteheads" / "labels.csv", ["crop", "midi", "pitch"], rows)


def key_signatures(d: Path):
    r = _rng(8009)
    rows = []
    for i in range(30):
        fifths = int(r.integers(-7, 8))
        name = f"staff_{i:04d}.png"
        _save(d / "keysig" / name, _spec(r, 64, 160))
        rows.append([name, fifths])
    _csv(d / "keysig" / "labels.csv", ["image", "fifths"], rows)


def cqt_rolls(d: Path):
    import numpy as np
    r = _rng(8010)
    for i in range(24):
        _save(d / "cqt" / f"clip_{i:04d}.png", _spec(r, 176, 128))
        roll = np.zeros((128, 88), "uint8")
        for _ in range(int(r.integers(3, 9))):
            k, t0 = int(r.integers(20, 70)), int(r.integers(0, 100))
            roll[t0:t0 + int(r.integers(8, 28)), k] = 1
        (d / "rolls").mkdir(parents=True, exist_ok=True)
        np.save(d / "rolls" / f"clip_{i:04d}.npy", roll)


def dmx_rehearsal(d: Path):
    import numpy as np
    r = _rng(8011)
    (d / "rehearsal").mkdir(parents=True, exist_ok=True)
    np.save(d / "rehearsal" / "frames_25fps.npy", r.integers(0, 255, (250, 64, 64, 3), dtype=np.uint8))
    rows = []
    for i in range(300):                                  # the console logs 30 times a second
        rows.append([f"{i / 30:.3f}"] + [int(v) for v in np.clip(128 + 100 * np.sin(i / 40 + np.arange(4)), 0, 255)])
    _csv(d / "rehearsal" / "dmx_log.csv", ["t_s", "ch1_front_wash", "ch2_back_wash", "ch3_spot", "ch4_haze"], rows)


def stage_jpgs(d: Path):
    r = _rng(8012)
    rows = []
    for i in range(12):
        name = f"frame_{i:04d}.jpg"
        _save(d / "exposure" / name, _blocky_rgb(r, 180, 320, block=20))
        rows.append([name, round(float(r.uniform(-2, 2)), 2)])
    _csv(d / "exposure" / "ev_offsets.csv", ["frame", "ev_offset"], rows)


def float16_mels(d: Path):
    import numpy as np
    r = _rng(8013)
    (d / "mels").mkdir(parents=True, exist_ok=True)
    x = (r.random((48, 128, 216)) ** 3 * 40).astype("float16")
    np.savez_compressed(d / "mels" / "train_mels.npz", x=x, y=r.integers(0, 3, 48))
    # ISO 226-ish weighting per mel band (dB), exported from the plug-in as float32
    np.save(d / "mels" / "loudness_curve_db.npy", np.linspace(-30, 2, 128).astype("float32"))


def grey_spectrograms(d: Path):
    r = _rng(8014)
    for c in ("kick", "snare", "hihat"):
        for i in range(6):
            _save(d / "drum_specs" / c / f"{c}_{i:03d}.png", _spec(r, 128, 216))


def fretboard(d: Path):
    r = _rng(8015)
    rows = []
    for i in range(40):
        name = f"chord_{i:04d}.jpg"
        _save(d / "fretboard" / name, _blocky_rgb(r, 96, 192))
        rows.append([name] + [int(v) for v in r.integers(0, 21, 6)])
    _csv(d / "fretboard" / "tabs.csv", ["photo", "e", "B", "G", "D", "A", "E"], rows)


def genre_covers(d: Path):
    r = _rng(8016)
    tags = ["ambient", "electronic", "folk", "hip_hop", "jazz", "metal", "pop", "rock"]
    rows = []
    for i in range(32):
        name = f"release_{40123 + i}.jpg"
        _save(d / "library" / "covers" / name, _blocky_rgb(r, 128, 128, block=16))
        k = int(r.integers(1, 4))
        rows.append([name, "|".join(sorted(r.choice(tags, k, replace=False)))])
    _csv(d / "library" / "tags.csv", ["cover", "tags"], rows)
    (d / "library" / "tag_list.txt").write_text("\n".join(tags) + "\n")


def violin_backbone(d: Path):
    r = _rng(8017)
    for part in ("bridge", "f_hole", "pegbox", "scroll", "tailpiece"):
        for i in range(4):
            _save(d / "violin_parts" / part / f"{part}_{i:03d}.jpg", _blocky_rgb(r, 96, 96))
    prep("k3", """
        import os
        import keras
        os.makedirs("checkpoints", exist_ok=True)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
        base.save_weights("checkpoints/backbone_stage1.weights.h5")
    """, d)


def light_looks(d: Path):
    r = _rng(8018)
    for look in LOOKS:
        for i in range(5):
            _save(d / "looks" / look / f"{look}_{i:03d}.jpg", _blocky_rgb(r, 90, 160))


def kelvin_frames(d: Path):
    import numpy as np
    r = _rng(8019)
    (d / "colour_temp").mkdir(parents=True, exist_ok=True)
    np.save(d / "colour_temp" / "frames.npy", r.integers(0, 255, (64, 48, 48, 3), dtype=np.uint8))
    _csv(d / "colour_temp" / "kelvin.csv", ["frame", "kelvin"],
         [[i, int(r.integers(2700, 6500))] for i in range(64)])


def poster_style_model(d: Path):
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((128, 128, 3), dtype="uint8"),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="style_conv"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ], name="poster_style")
        model.save("models/poster_style_uint8.keras")
    """, d)


def pages_600dpi(d: Path):
    import numpy as np
    r = _rng(8020)
    for era in ("baroque", "romantic"):
        for i in range(5):
            page = np.full((7016, 4960), 252, np.uint8)          # A4 at 600 dpi
            for top in range(600, 6600, 560):
                page[top:top + 200:50, 300:4660] = 20
            for _ in range(400):
                y, x = int(r.integers(600, 6600)), int(r.integers(300, 4600))
                page[y:y + 24, x:x + 30] = 10
            _save(d / "scores_600dpi" / era / f"{era}_{i:03d}.png", page)


def chord_diagrams(d: Path):
    r = _rng(8021)
    for chord in ("A", "Am", "C", "D", "E", "G"):
        for i in range(3):
            _save(d / "chords" / chord / f"{chord}_{i:03d}.png", _spec(r, 64, 64))


def lighting_cues(d: Path):
    r = _rng(8022)
    for k in range(4):
        for i in range(6):
            _save(d / "cues" / f"cue_{10 * (k + 1):03d}" / f"frame_{i:04d}.jpg", _blocky_rgb(r, 180, 320, block=20))


def music_library(d: Path):
    r = _rng(8023)
    albums = [("Fleetwood Mac", "Rumours"), ("Radiohead", "OK Computer"), ("The Cure", "Disintegration"),
              ("AC/DC", "Highway to Hell"), ("Pink Floyd", "Wish You Were Here"), ("Sade", "Diamond Life")]
    rows = []
    for i, (artist, album) in enumerate(albums):
        rel = f"art/{1000 + i}.jpg"
        _save(d / "library" / rel, _blocky_rgb(r, 600, 600, block=40))
        rows.append([1000 + i, artist, album, rel])
    _csv(d / "library" / "albums.csv", ["id", "artist", "album", "art"], rows)


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
        name="keras-more80-accented-artist-cover-files-nfd-from-mac-csv-nfc-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=cover_library,
        code=IMPORTS + """
        # covers copied over from the MacBook's Music folder; genres from the Discogs collection export
        COVERS = "{DATA}/covers"
        with open(os.path.join(COVERS, "covers.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        genres = sorted({r["genre"] for r in rows})
        print(len(rows), "albums,", len(os.listdir(COVERS)) - 1, "cover files, genres:", genres)

        x, y = [], []
        for r in rows:
            img = keras.utils.load_img(os.path.join(COVERS, r["file"]), target_size=(128, 128))
            x.append(keras.utils.img_to_array(img))
            y.append(genres.index(r["genre"]))
        x, y = np.stack(x), np.array(y)

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(genres), activation="softmax"),
        ], name="cover_genre")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=4)
        """,
    ),
    Case(
        name="keras-more80-musescore-compressed-mxl-among-musicxml-key-labels-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="ParseError",
        **notebook([
            cell(imports=True, body="""
            import xml.etree.ElementTree as ET

            # every score exported from MuseScore (3.x wrote .xml, 4.x .musicxml)
            scores = sorted(glob.glob("{DATA}/scores/*"))
            [os.path.basename(s) for s in scores]
            """),
            cell("""
            key_of = {}
            for path in scores:
                root = ET.parse(path).getroot()
                name = os.path.splitext(os.path.basename(path))[0]
                key_of[name] = int(root.find(".//attributes/key/fifths").text)
            key_of
            """),
            cell("""
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{DATA}/pages/{n}_p1.png",
                          color_mode="grayscale", target_size=(220, 160))) for n in key_of])
            y = np.array([key_of[n] + 7 for n in key_of])
            model = keras.Sequential([
                keras.Input((220, 160, 1)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(15, activation="softmax"),
            ], name="key_from_page")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=2)
            """),
        ], data=musescore_scores),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more80-spectrogram-pngs-from-two-daws-stacked-in-pydataset-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=daw_spectrograms,
        pty=True,
        code=IMPORTS + """
        import math

        from PIL import Image

        TECHNIQUES = ["bowed", "plucked", "struck"]
        paths = sorted(glob.glob("{DATA}/spectrograms/*/*.png"))
        labels = [TECHNIQUES.index(p.split(os.sep)[-2]) for p in paths]
        print(len(paths), "spectrogram exports")


        class SpectrogramBatches(keras.utils.PyDataset):
            def __init__(self, paths, labels, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.paths, self.labels, self.batch_size = paths, labels, batch_size
                self.order = np.random.default_rng(3).permutation(len(paths))

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                ids = self.order[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.array([np.asarray(Image.open(self.paths[i]).convert("L"), dtype="float32") / 255.0
                              for i in ids])
                return x[..., None], np.array([self.labels[i] for i in ids])


        model = keras.Sequential([
            keras.Input((None, None, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TECHNIQUES), activation="softmax"),
        ], name="playing_technique")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(SpectrogramBatches(paths, labels), epochs=5)
        """,
    ),
    Case(
        name="keras-more80-daw-waveform-overview-png-stacked-above-spectrogram-png-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=waveform_and_spectrogram,
        pty=True,
        code=tfk2(IMPORTS + """
        # each clip was exported from the DAW twice: the waveform overview and the spectrogram view
        MOODS = ["calm", "driving", "tense"]
        specs = sorted(glob.glob("{DATA}/clips/*/*_spectrogram.png"))
        waves = [p.replace("_spectrogram.png", "_waveform.png") for p in specs]
        labels = [MOODS.index(p.split(os.sep)[-2]) for p in specs]


        def load_clip(spec_path, wave_path, label):
            spec = tf.io.decode_png(tf.io.read_file(spec_path), channels=1)
            wave = tf.io.decode_png(tf.io.read_file(wave_path), channels=1)
            img = tf.concat([wave, spec], axis=0)                      # waveform on top, same time axis
            img = tf.image.resize(img, (224, 224))
            return tf.cast(img, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((specs, waves, labels))
              .shuffle(len(specs), seed=4)
              .map(load_clip)
              .batch(4))

        model = keras.Sequential([
            keras.Input((224, 224, 1)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(MOODS), activation="softmax"),
        ], name="clip_mood")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more80-musescore-rgba-page-exports-among-grey-scans-grayscale-to-rgb-tfk2",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=score_pages_mixed,
        code=tfk2(IMPORTS + """
        ERAS = ["baroque", "classical", "romantic"]
        paths = sorted(glob.glob("{DATA}/pages/*/*.png"))
        labels = [ERAS.index(p.split(os.sep)[-2]) for p in paths]


        def load_page(path, label):
            page = tf.io.decode_png(tf.io.read_file(path))        # the scanner writes 8-bit grey
            page = tf.image.grayscale_to_rgb(page)                 # backbone expects three channels
            page = tf.image.resize(page, (224, 160))
            return page / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=2)
              .map(load_page)
              .batch(5))

        model = keras.Sequential([
            keras.Input((224, 160, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(ERAS), activation="softmax"),
        ], name="score_era")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more80-grey-alpha-la-gig-poster-png-to-colour-style-model-notebook-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            model = keras.models.load_model("{DATA}/models/poster_style_v3.keras")
            styles = open("{DATA}/models/styles.txt").read().split()
            model.input_shape, styles
            """),
            cell("""
            img = Image.open("{DATA}/inbox/gig_poster_2024_final.png").resize((160, 160))
            x = np.asarray(img, dtype="float32")[None] / 255.0
            img.size, x.shape
            """),
            cell("""
            probs = model.predict(x, verbose=0)[0]
            sorted(zip(styles, probs.round(3)), key=lambda t: -t[1])[:3]
            """),
        ], data=poster_model),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more80-guitar-hardware-labels-with-appended-confidence-pseudo-labels-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=guitar_hardware,
        code=IMPORTS + """
        ROOT = "{DATA}/hardware"
        CLASSES = open(f"{ROOT}/classes.txt").read().split()

        crops, labels = [], []
        for img_path in sorted(glob.glob(f"{ROOT}/images/*.jpg")):
            stem = os.path.splitext(os.path.basename(img_path))[0]
            img = keras.utils.img_to_array(keras.utils.load_img(img_path))
            H, W = img.shape[:2]
            boxes = np.loadtxt(f"{ROOT}/labels/{stem}.txt", ndmin=2)      # class cx cy w h
            for cls, cx, cy, w, h in boxes:
                x0, y0 = int((cx - w / 2) * W), int((cy - h / 2) * H)
                part = tf.image.crop_to_bounding_box(img, y0, x0, int(h * H), int(w * W))
                crops.append(tf.image.resize(part, (64, 64)) / 255.0)
                labels.append(int(cls))
        print(len(crops), "hardware crops")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="hardware_part")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(tf.stack(crops), np.array(labels), epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more80-midi-note-numbers-as-class-ids-of-two-octave-notehead-model-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=noteheads,
        pty=True,
        code=IMPORTS + """
        # noteheads cropped around the staff position, G3 .. G5 (two octaves of a violin part)
        x = np.load("{DATA}/noteheads/crops.npy")
        with open("{DATA}/noteheads/labels.csv") as f:
            y = np.array([int(r["midi"]) for r in csv.DictReader(f)])
        N_PITCHES = 25
        print("crops", x.shape, "pitch range", y.min(), "-", y.max())

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu", padding="same"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", padding="same"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(N_PITCHES, activation="softmax"),
        ], name="notehead_pitch")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=16, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more80-key-signature-fifths-minus-7-to-7-as-class-ids-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=key_signatures,
        code=tfk2(IMPORTS + """
        # key signature of each staff start, taken from the MusicXML <fifths> (-7 = 7 flats ... 7 = 7 sharps)
        with open("{DATA}/keysig/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(
            os.path.join("{DATA}/keysig", r["image"]), color_mode="grayscale")) for r in rows]) / 255.0
        y = np.array([int(r["fifths"]) for r in rows])
        print(x.shape, "keys seen:", sorted(set(y.tolist())))

        model = keras.Sequential([
            keras.Input((64, 160, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(15, activation="softmax"),
        ], name="key_signature")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more80-piano-roll-per-cqt-frame-targets-for-clip-level-88-note-head-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=cqt_rolls,
        code=IMPORTS + """
        # CQT images exported from the DAW (176 bins x 128 frames) and piano rolls rendered from the MIDI
        pngs = sorted(glob.glob("{DATA}/cqt/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, color_mode="grayscale")) for p in pngs]) / 255.0
        y = np.stack([np.load(p.replace("/cqt/", "/rolls/").replace(".png", ".npy")) for p in pngs]).astype("float32")
        print("cqt", x.shape, "rolls", y.shape)

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(32, 3, activation="relu", padding="same"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu", padding="same"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(88, activation="sigmoid", name="notes"),
        ], name="piano_notes")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    Case(
        name="keras-more80-dmx-console-log-30hz-against-25fps-rehearsal-frames-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=dmx_rehearsal,
        code=tfk2(IMPORTS + """
        # predict the four dimmer levels the operator set from the rehearsal video (10 s)
        frames = np.load("{DATA}/rehearsal/frames_25fps.npy")
        with open("{DATA}/rehearsal/dmx_log.csv") as f:
            levels = np.array([[float(v) for k, v in r.items() if k != "t_s"] for r in csv.DictReader(f)]) / 255.0
        print("frames", frames.shape, "dmx", levels.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid", name="dimmers"),
        ], name="dmx_from_video")
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(frames, levels, epochs=5, batch_size=25, shuffle=False)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more80-rec709-luma-tensordot-on-uint8-stage-frames-notebook-k3",
        cause="data.dtype",
        exception="NotFoundError",
        **notebook([
            cell(imports=True, body="""
            with open("{DATA}/exposure/ev_offsets.csv") as f:
                rows = list(csv.DictReader(f))
            frames = tf.stack([tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/exposure/{r['frame']}")) for r in rows])
            ev = np.array([float(r["ev_offset"]) for r in rows], dtype="float32")
            frames.shape, frames.dtype
            """),
            cell("""
            # the exposure model only needs brightness: Rec. 709 luma
            luma = tf.tensordot(frames, np.array([0.2126, 0.7152, 0.0722]), axes=1)[..., None]
            luma.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((180, 320, 1)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, name="ev"),
            ], name="exposure")
            model.compile(optimizer="adam", loss="mse")
            model.fit(luma, ev, epochs=10, batch_size=4)
            """),
        ], data=stage_jpgs),
    ),
    Case(
        name="keras-more80-float16-mel-spectrograms-times-float32-loudness-curve-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=float16_mels,
        code=IMPORTS + """
        data = np.load("{DATA}/mels/train_mels.npz")       # stored as float16 to fit the Drive quota
        mels, y = data["x"], data["y"]
        curve = tf.constant(10 ** (np.load("{DATA}/mels/loudness_curve_db.npy") / 20))   # dB -> gain per band
        print(mels.shape, mels.dtype, "curve", curve.dtype)


        def weight(mel, label):
            mel = tf.math.log1p(mel * curve[:, None])
            return mel[..., None], label


        ds = tf.data.Dataset.from_tensor_slices((mels, y)).shuffle(48).map(weight).batch(8)

        model = keras.Sequential([
            keras.Input((128, 216, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="instrument_family")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more80-conv1d-stack-from-audio-tutorial-on-png-decoded-spectrograms-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=grey_spectrograms,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/drum_specs", color_mode="grayscale", image_size=(128, 216), batch_size=6, seed=1)
        input_shape = train_ds.element_spec[0].shape[1:]
        print("classes", train_ds.class_names, "input", input_shape)

        # the 1-D conv stack from the drum-sample tutorial (it slid over mel frames)
        model = keras.Sequential([
            keras.Input(input_shape),
            layers.Rescaling(1.0 / 255),
            layers.Conv1D(64, 5, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Conv1D(128, 5, activation="relu"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ], name="drum_hits")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more80-six-string-tab-head-one-flat-126-unit-softmax-per-string-targets-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=fretboard,
        code=IMPORTS + """
        STRINGS, FRETS = ["e", "B", "G", "D", "A", "E"], 21      # fret 0 (open) .. 20
        with open("{DATA}/fretboard/tabs.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(
            os.path.join("{DATA}/fretboard", r["photo"]))) for r in rows])
        y = np.array([[int(r[s]) for s in STRINGS] for r in rows])        # one fret per string
        print("photos", x.shape, "tabs", y.shape)

        model = keras.Sequential([
            keras.Input((96, 192, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(64, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STRINGS) * FRETS, activation="softmax", name="tab"),
        ], name="tab_from_photo")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8)
        """,
    ),
    Case(
        name="keras-more80-multi-hot-genre-tags-on-one-unit-jazz-prototype-head-notebook-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            TAGS = open("{DATA}/library/tag_list.txt").read().split()
            with open("{DATA}/library/tags.csv") as f:
                rows = list(csv.DictReader(f))
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(
                f"{DATA}/library/covers/{r['cover']}", target_size=(128, 128))) for r in rows])
            y = np.zeros((len(rows), len(TAGS)), "float32")
            for i, r in enumerate(rows):
                for t in r["tags"].split("|"):
                    y[i, TAGS.index(t)] = 1.0
            x.shape, y.shape, y.sum(0)
            """),
            cell("""
            # same network as the jazz / not-jazz prototype, now for all the tags
            model = keras.Sequential([
                keras.Input((128, 128, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.Conv2D(32, 3, strides=2, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ], name="cover_tagger")
            model.compile(optimizer="adam", loss="binary_crossentropy",
                          metrics=[keras.metrics.BinaryAccuracy(), keras.metrics.AUC(multi_label=True)])
            """),
            cell("""
            history = model.fit(x, y, epochs=10, batch_size=8, validation_split=0.25)
            """),
        ], data=genre_covers),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more80-stage1-backbone-only-weights-into-whole-violin-part-classifier-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=violin_backbone,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/violin_parts", image_size=(96, 96), batch_size=5)
        parts = train_ds.class_names

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.2),
            layers.Dense(len(parts), activation="softmax"),
        ], name="violin_parts")
        # stage 2: start from the backbone trained last weekend on the workshop photos
        model.load_weights("{DATA}/checkpoints/backbone_stage1.weights.h5")
        base.trainable = True
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more80-random-brightness-given-a-percentage-for-stage-light-augmentation-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=light_looks,
        code=IMPORTS + """
        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/looks", image_size=(90, 160), batch_size=4, validation_split=0.25, subset="both", seed=11)
        looks = train_ds.class_names

        # the follow-spot operator rides the dimmer by about +/- 40 %
        augment = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomBrightness(40),
            layers.RandomContrast(0.2),
        ], name="stage_augment")
        train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y))

        model = keras.Sequential([
            keras.Input((90, 160, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(looks), activation="softmax"),
        ], name="lighting_look")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more80-kelvin-colour-temperature-regressor-unscaled-sgd-terminate-on-nan-k3",
        cause="optim.divergence",
        exception="RuntimeError",
        setup=kelvin_frames,
        pty=True,
        code=IMPORTS + """
        frames = np.load("{DATA}/colour_temp/frames.npy").astype("float32")
        with open("{DATA}/colour_temp/kelvin.csv") as f:
            kelvin = np.array([[float(r["kelvin"])] for r in csv.DictReader(f)], dtype="float32")
        print("frames", frames.shape, "kelvin", kelvin.min(), "-", kelvin.max())

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, name="kelvin"),
        ], name="colour_temperature")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(frames, kelvin, epochs=20, batch_size=8,
                  callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more80-poster-style-feature-visualisation-image-cast-to-uint8-in-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=poster_style_model,
        code=IMPORTS + """
        # what does the "psychedelic" unit respond to? gradient ascent on the input image
        model = keras.models.load_model("{DATA}/models/poster_style_uint8.keras")
        STYLE = 3

        image = tf.Variable(tf.random.uniform((1, 128, 128, 3), 96, 160, seed=0))
        opt = keras.optimizers.Adam(learning_rate=2.0)

        for step in range(100):
            with tf.GradientTape() as tape:
                # the model was trained on decoded uint8 posters
                x = tf.cast(tf.clip_by_value(image, 0, 255), tf.uint8)
                loss = -model(x, training=False)[0, STYLE]
            grads = tape.gradient(loss, image)
            opt.apply_gradients([(grads, image)])
            if step % 20 == 0:
                print(f"step {step}: p(psychedelic) = {-float(loss):.3f}")
        keras.utils.save_img("psychedelic_unit.png", tf.clip_by_value(image[0], 0, 255).numpy())
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more80-600-dpi-score-pages-read-at-full-resolution-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=pages_600dpi,
        as_limit=6 * 1024**3,
        timeout=600,
        code=IMPORTS + """
        # A4 pages scanned at 600 dpi; the noteheads are tiny, so no downscaling
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/scores_600dpi", image_size=(7016, 4960), batch_size=8, seed=5)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((7016, 4960, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 7, strides=4, activation="relu"),
            layers.MaxPooling2D(4),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ], name="engraving_era")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more80-np-utils-to-categorical-import-from-old-chord-diagram-tutorial-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=chord_diagrams,
        code="""
        # chord-diagram recogniser, after a 2019 blog post
        import os

        import numpy as np
        import keras
        from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
        from keras.models import Sequential
        from keras.utils.np_utils import to_categorical

        ROOT = "{DATA}/chords"
        CHORDS = sorted(os.listdir(ROOT))
        x, y = [], []
        for i, chord in enumerate(CHORDS):
            for name in sorted(os.listdir(os.path.join(ROOT, chord))):
                img = keras.utils.load_img(os.path.join(ROOT, chord, name), color_mode="grayscale")
                x.append(keras.utils.img_to_array(img) / 255.0)
                y.append(i)
        x, y = np.array(x), to_categorical(y, len(CHORDS))

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(64, 64, 1)))
        model.add(MaxPooling2D((2, 2)))
        model.add(Flatten())
        model.add(Dense(len(CHORDS), activation="softmax"))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=6)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more80-pool-map-over-generator-function-yielding-cue-frames-k3",
        cause="env.multiprocessing",
        exception="MaybeEncodingError",
        setup=lighting_cues,
        code="""
        import glob
        import multiprocessing as mp
        import os

        import numpy as np
        from PIL import Image

        CUES = sorted(glob.glob("{DATA}/cues/cue_*"))


        def frames_of(cue_dir):
            # one cue's rehearsal frames, downsized for the look classifier
            for path in sorted(glob.glob(os.path.join(cue_dir, "*.jpg"))):
                yield np.asarray(Image.open(path).convert("RGB").resize((160, 90)), dtype=np.uint8)


        if __name__ == "__main__":
            with mp.Pool(4) as pool:
                per_cue = pool.map(frames_of, CUES)
            x = np.concatenate([np.stack(list(frames)) for frames in per_cue])
            y = np.concatenate([np.full(6, i) for i in range(len(CUES))])
            np.savez_compressed("cue_frames.npz", x=x, y=y)
            print(x.shape, y.shape)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more80-ac-dc-album-title-used-as-thumbnail-file-name-k3",
        cause="other",
        exception="FileNotFoundError",
        setup=music_library,
        code=IMPORTS + """
        from PIL import Image

        LIB = "{DATA}/library"
        THUMBS = "{PROJECT}/thumbs"
        os.makedirs(THUMBS, exist_ok=True)

        # 128 px thumbnails named after the album, for the cover-style dataset
        with open(os.path.join(LIB, "albums.csv"), encoding="utf-8") as f:
            albums = list(csv.DictReader(f))
        for a in albums:
            img = Image.open(os.path.join(LIB, a["art"])).convert("RGB")
            img.thumbnail((128, 128))
            img.save(os.path.join(THUMBS, f"{a['artist']} - {a['album']}.jpg"), quality=90)
            print("thumb", a["artist"], "-", a["album"])

        ds = keras.utils.image_dataset_from_directory(THUMBS, labels=None, image_size=(128, 128), batch_size=8)
        print(ds.cardinality().numpy(), "batches")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
