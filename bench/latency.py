"""Start-up latency: `explain-error trace.log --format json` on a typical 60-line trace, against
`python -c "import typer, rich, lark"` in the same environment, alternating runs; median ratio.

Two layouts: as a wheel installs it (`pip install .`: the rules inside the package, `analyzer/rules`,
laid out here in a temporary folder put first on the path), and as this checkout's editable install
runs it (the rules beside the package, whose cache key reads every rule file's time).

Usage: python bench/latency.py [RUNS]   (default 21)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "explain-error")
TRACE = ROOT / "corpus" / "cases" / "generated" / "torch-collate-size-mismatch-bs8-workers4.log"


# As users run it: bytecode is cached (pip writes it at install; this session's shell may say not to).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def wheel_layout(into: Path) -> dict[str, str]:
    """The package as a wheel installs it, first on the path (ahead of the editable finder)."""
    shutil.copytree(ROOT / "analyzer", into / "analyzer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", into / "analyzer" / "rules")
    return {**ENV, "PYTHONPATH": str(into)}


def measure(runs: int, env: dict[str, str]) -> tuple[float, float, float]:
    ours_cmd = [EXE, str(TRACE), "--format", "json"]
    base_cmd = [sys.executable, "-c", "import typer, rich, lark"]
    wall(ours_cmd, env)  # the first run writes lark's parser cache, the rules cache and the bytecode
    ours, base = [], []
    for _ in range(runs):
        base.append(wall(base_cmd, env))
        ours.append(wall(ours_cmd, env))
    ratio = statistics.median(o / b for o, b in zip(ours, base))
    return statistics.median(ours), statistics.median(base), ratio


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    lines = len(TRACE.read_text().splitlines())
    print(f"trace: {TRACE.name} ({lines} lines), {runs} alternating runs per layout")
    with tempfile.TemporaryDirectory() as tmp:
        layouts = [("installed (wheel layout)", wheel_layout(Path(tmp))), ("checkout (editable)", ENV)]
        for name, env in layouts:
            ours, base, ratio = measure(runs, env)
            print(
                f"{name}: explain-error --format json median {ours * 1000:.0f} ms, "
                f"import typer, rich, lark median {base * 1000:.0f} ms, "
                f"median ratio {ratio:.2f} (target <= 1.5)"
            )


if __name__ == "__main__":
    main()
