#!/usr/bin/env bash
# The device check: what only a machine with an NVIDIA GPU can show, in one short run.
#
#   OUT=/tmp/gpu_check bench/gpu_check.sh
#
# 1. records CUDA failures for the corpus (GEN, by default corpus/generators/torch_cuda.py: real programs on the GPU);
# 2. runs the replay tests on CUDA (EE_TEST_DEVICE=cuda: the same tests, plus the CUDA-only ones);
# 3. runs `explain-error probe` and `explain-error LOG --data` with --device cuda on a seeded dataset.
#
# Needs a python3 with torch, torchvision and CUDA. What it lacks (lark, typer, click, imageai) is
# installed from wheels in .devcarry/ when that folder is there (the device machine has no network):
#   pip download --no-deps lark==1.3.1 imageai==3.0.3 typer==0.24.2 click==8.5.1 -d .devcarry
# Everything it writes goes to $OUT; the tarball holds the new corpus cases.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/gpu_check}
PY=${PY:-python3}
mkdir -p "$OUT"
if ls .devcarry/*.whl >/dev/null 2>&1; then
  "$PY" -m pip install --no-deps --no-index -q .devcarry/*.whl >"$OUT/setup.txt" 2>&1
fi
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  "$PY" -c "import sys, torch, torchvision; print(sys.version.split()[0], torch.__version__, torchvision.__version__, torch.cuda.get_device_name())"
} >>"$OUT/setup.txt" 2>&1

VENV=$("$PY" -c "import sys; print(sys.prefix)")
# ImageAI 3.0.3 runs `from tkinter import Image` (unused) on import; a Python built without Tk (the
# device image's) cannot import ImageAI at all. An empty stand-in module lets it load there.
if ! "$PY" -c "import tkinter" 2>/dev/null; then
  site=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
  mkdir -p "$site/tkinter" && echo "Image = None  # stand-in: this Python has no Tk" >"$site/tkinter/__init__.py"
  echo "tkinter: stand-in module written to $site/tkinter" >>"$OUT/setup.txt"
fi

# 1. the CUDA corpus cases, in the background while the tests run (GEN: the generator; GEN_K: name filters,
# space separated)
GEN=${GEN:-corpus/generators/torch_cuda.py}
cases=$(mktemp -d)
(
  for k in ${GEN_K:-""}; do
    EE_TORCH_VENV="$VENV" timeout 330 "$PY" "$GEN" -j 8 -k "$k" --out "$cases"
  done
  [ -n "${GEN_K:-}" ] || EE_TORCH_VENV="$VENV" timeout 330 "$PY" "$GEN" -j 8 --out "$cases"
) >"$OUT/generator.txt" 2>&1 &
gen=$!

# 2. the replay tests on CUDA (PYTEST_K: a -k expression to run some of them)
EE_TEST_DEVICE=cuda timeout 200 "$PY" -m pytest -q -p no:cacheprovider -rA -k "${PYTEST_K:-}" tests/test_probe_replay.py \
  >"$OUT/replay_tests.txt" 2>&1
echo "rc=$?" >>"$OUT/replay_tests.txt"

# 3. the CLI with --device cuda on seeded ImageAI 3 datasets (one with a class id past the list, one clean)
ee() { timeout 90 "$PY" -c 'import sys; from analyzer.cli import main; sys.argv[0] = "explain-error"; main()' "$@"; }
data=$(mktemp -d)
"$PY" - "$data" <<'EOF'
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from test_probe_replay import _yolo_set
_yolo_set(Path(sys.argv[1]) / "bad", bad_box="5 0.5 0.5 0.2 0.2")
_yolo_set(Path(sys.argv[1]) / "clean")
EOF
{
  echo "--- probe --device cuda --batch-size 64 --lr 0.001"
  time ee probe --data "$data/bad" --classes car,person --device cuda --batch-size 64 --lr 0.001 --format json
  echo "rc=$?"
} >"$OUT/probe.txt" 2>&1
{
  echo "--- explain an OOM log --data --device cuda --batch-size 64"
  time ee corpus/cases/public/colab-pytorch-cuda-oom-20mib.log --data "$data/clean" --classes car,person \
    --device cuda --batch-size 64 --format json
  echo "rc=$?"
} >"$OUT/explain_oom.txt" 2>&1

wait "$gen"
echo "rc=$?" >>"$OUT/generator.txt"
tar -czf "$OUT/cuda_cases.tar.gz" -C "$cases" .
