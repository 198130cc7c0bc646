"""The probe: check the user's dataset and replay a training step on it, read-only.

layouts.py  find the dataset kind and its samples (Dataset, Sample)
images.py   read image headers (size, mode, truncation) without decoding
checks.py   fast static checks -> Finding (model.py)
replay.py   a real training step in a child process (`python -m analyzer.probe.replay`)
verdict.py  hypotheses (diagnoses) + findings + replay -> verdicts

Only replay.py imports torch, torchvision, imageai or cv2, and only in the child process.
"""
