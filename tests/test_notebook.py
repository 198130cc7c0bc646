"""`%load_ext analyzer` in a real IPython shell, and `analyzer.install()` in a plain script."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_ipython_extension_explains_a_cell_exception(capsys):
    shell_mod = pytest.importorskip("IPython.core.interactiveshell")
    shell = shell_mod.InteractiveShell.instance(colors="nocolor")
    try:
        shell.run_cell("%load_ext analyzer", store_history=False)
        shell.run_cell("labels = [0, 1, 2]\nclasses = ['cat', 'dog']\nname = classes[labels[2]]")
        out = capsys.readouterr().out
    finally:
        shell.run_cell("%unload_ext analyzer", store_history=False)
        shell_mod.InteractiveShell.clear_instance()
    assert "IndexError" in out and "list index out of range" in out  # the usual traceback
    assert "failure that ended the run" in out  # then ours, from the exception in memory
    assert "Cell In[" in out or "<ipython-input" in out


def test_install_explains_after_the_usual_traceback():
    code = "import analyzer; analyzer.install()\nimport json\njson.loads('{\"lr\": 0.1,}')\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    err = proc.stderr
    assert err.index("Traceback (most recent call last)") < err.index("failure that ended the run")
    assert "JSONDecodeError" in err
