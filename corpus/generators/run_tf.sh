#!/usr/bin/env bash
# Regenerate every tf-*/keras-* case in corpus/cases/generated/ from real runs.
#
#   corpus/generators/run_tf.sh [--setup] [CASE ...]
#
# --setup builds the three environments when they are missing (PyPI, CPU wheels):
#   EE_TF_VENV    (default /work/venvs/tf):    tensorflow-cpu 2.21.0 + keras 3.15.1 + tf-keras 2.21.0
#   EE_TF215_VENV (default /work/venvs/tf215): tensorflow-cpu 2.15.1 (Keras 2.15)
#   EE_TF212_VENV (default /work/venvs/tf212): tensorflow-cpu 2.12.1 (Keras 2.12)
# Cases whose environment is missing are skipped (their files are left as they are).
# CASE names restrict the run to those cases (each generator ignores names it lacks).
set -u
cd "$(dirname "$0")/../.."
PY311="${EE_PYTHON311:-python3.11}"
TF="${EE_TF_VENV:-/work/venvs/tf}"
TF215="${EE_TF215_VENV:-/work/venvs/tf215}"
TF212="${EE_TF212_VENV:-/work/venvs/tf212}"

if [ "${1:-}" = "--setup" ]; then
  shift
  if [ ! -x "$TF/bin/python" ]; then
    "$PY311" -m venv "$TF"
    "$TF/bin/pip" install -q -r corpus/generators/requirements-tf.txt
    "$TF/bin/pip" install -q --no-deps tf-keras==2.21.0
  fi
  if [ ! -x "$TF215/bin/python" ]; then
    "$PY311" -m venv "$TF215"
    "$TF215/bin/pip" install -q tensorflow-cpu==2.15.1 numpy==1.26.4 pillow==13.0.0
  fi
  if [ ! -x "$TF212/bin/python" ]; then
    "$PY311" -m venv "$TF212"
    "$TF212/bin/pip" install -q tensorflow-cpu==2.12.1 numpy==1.24.3 pillow==13.0.0
  fi
fi

if [ ! -x "$TF/bin/python" ]; then
  echo "no TensorFlow environment at $TF (run with --setup)" >&2
  exit 1
fi
export EE_TF_VENV="$TF" EE_TF215_VENV="$TF215" EE_TF212_VENV="$TF212"
status=0
for g in corpus/generators/keras_*.py corpus/generators/tf_*.py; do
  echo "=== $g"
  "$TF/bin/python" "$g" "$@" || status=1
done
exit $status
