#!/usr/bin/env bash
# Regenerate every case in corpus/cases/generated/ from real runs.
#
#   corpus/generators/run_all.sh [-k name-filter] [--resume] [-j N]
#
# Needs: pyenv interpreters 3.8 ... 3.13 (PYENV_ROOT, default /root/.pyenv),
# IPython 8.12.3 for the system python3, and the torch venv built from
# requirements-torch.txt (EE_TORCH_VENV, default /work/venvs/torch):
#   python3.11 -m venv /work/venvs/torch
#   /work/venvs/torch/bin/pip install -r corpus/generators/requirements-torch.txt
# Any extra arguments are passed to every generator.
set -u
cd "$(dirname "$0")/../.."
TORCH_PY="${EE_TORCH_VENV:-/work/venvs/torch}/bin/python"
SYS_PY="${EE_SYSTEM_PYTHON:-python3}"
status=0
run() { echo "=== $*"; "$@" || status=1; }

run "$SYS_PY" corpus/generators/cpython_forms.py "$@"
if [ -x "$TORCH_PY" ]; then
  run "$TORCH_PY" corpus/generators/ipython_forms.py "$@"
  run "$TORCH_PY" corpus/generators/torch_data.py "$@"
  run "$TORCH_PY" corpus/generators/torch_train.py "$@"
  run "$TORCH_PY" corpus/generators/torch_workers.py "$@"
  run "$TORCH_PY" corpus/generators/imageai_cases.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more2.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more3.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more4.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more5.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more6.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more7.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more8.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more9.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more10.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more11.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more12.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more13.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more14.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more15.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more16.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more17.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more18.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more19.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more20.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more21.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more22.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more23.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more24.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more25.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more26.py "$@"  # four cases need a CUDA GPU (EE_GPU=1)
  run "$TORCH_PY" corpus/generators/torch_more27.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more28.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more29.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more30.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more31.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more32.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more33.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more34.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more35.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more36.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more37.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more38.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more39.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more40.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more41.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more42.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more43.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more44.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more45.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more46.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more47.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more48.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more49.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more50.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more51.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more52.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more53.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more54.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more55.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more56.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more57.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more58.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more59.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more60.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more61.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more62.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more63.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more64.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more65.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more66.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more67.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more68.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more69.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more70.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more71.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more72.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more73.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more74.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more75.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more76.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more77.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more78.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more79.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more80.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more81.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more82.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more83.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more84.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more85.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more86.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more87.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more88.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more89.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more90.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more91.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more92.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more93.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more94.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more95.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more96.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more97.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more98.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more99.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more100.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more101.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more102.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more103.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more104.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more105.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more106.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more107.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more108.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more109.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more110.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more111.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more112.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more113.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more114.py "$@"
  run "$TORCH_PY" corpus/generators/torch_more115.py "$@"
  run "$TORCH_PY" corpus/generators/torch_cuda.py "$@"   # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda2.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda3.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda4.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda5.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda6.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda7.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda8.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_cuda9.py "$@"  # needs a CUDA GPU; without one it writes nothing
  run "$TORCH_PY" corpus/generators/torch_distributed.py
  run "$TORCH_PY" corpus/generators/timestamped_logs.py  # needs `ts` (moreutils)
else
  echo "torch venv not found at $TORCH_PY: skipping torch/imageai/ipython generators" >&2
  status=1
fi
# TensorFlow / Keras generators (written by another part of the project; they take
# case names, not our -k/--resume flags, so they get no extra arguments)
TF_PY="${EE_TF_VENV:-/work/venvs/tf}/bin/python"
if [ -x "$TF_PY" ]; then
  for g in corpus/generators/keras_*.py corpus/generators/tf_*.py; do
    [ -e "$g" ] && run "$TF_PY" "$g"
  done
else
  echo "tf venv not found at $TF_PY: skipping keras/tf generators" >&2
fi
exit $status
