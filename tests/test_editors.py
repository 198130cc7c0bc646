"""`--format line` in real editors: Vim's quickfix list, and the VS Code problem matcher of docs/vscode-tasks.json."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from analyzer.explain import explain_chunks, explain_path, explain_text
from analyzer.render.line_format import render as render_line

from .conftest import CORPUS, ROOT, console_script

LOGS = sorted(CORPUS.rglob("*.log"))


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.mark.parametrize("errorformat", [r"%f:%l:%m", r"%f:%l:\ %m"])
@pytest.mark.parametrize(
    "case, path, line",
    [
        ("public/pytorch-no-kernel-image-sm86-featdepth", "./infer.py", 27),
        ("public/python-nonetype-shape-image-class-bad-jpeg", "train.py", 55),
    ],
)
def test_vim_quickfix_jumps_to_the_users_line(tmp_path: Path, errorformat, case, path, line):
    """The user's project as the trace saw it (a relative path), Vim started in it, the output read by :cgetfile."""
    (tmp_path / path).write_text("".join(f"# line {i}\n" for i in range(1, line + 10)))
    log = CORPUS / f"{case}.log"
    out = subprocess.run(
        [console_script(), str(log), "--format", "line"], cwd=tmp_path, capture_output=True, timeout=60
    )
    assert out.returncode == 1
    (tmp_path / "out.txt").write_bytes(out.stdout)
    expected = out.stdout.decode().splitlines()[0]
    entry = "{'file': fnamemodify(bufname(e.bufnr), ':p'), 'lnum': e.lnum, 'text': e.text, 'valid': e.valid}"
    subprocess.run(
        [
            tool("vim"), "-es", "-N", "-u", "NONE", "-i", "NONE",
            "-c", f"set errorformat={errorformat}",
            "-c", "cgetfile out.txt",
            "-c", f"call writefile([json_encode(map(getqflist(), {{_, e -> {entry}}}))], 'qf.json')",
            "-c", "qa!",
        ],
        cwd=tmp_path, check=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    first = json.loads((tmp_path / "qf.json").read_text())[0]
    assert first["valid"] == 1
    assert Path(first["file"]).resolve() == (tmp_path / path).resolve()
    assert first["lnum"] == line
    assert first["text"].strip() == expected.split(f":{line}: ", 1)[1]


NODE_MATCHER = r"""
// VS Code's problem matcher on one line: new RegExp(regexp).exec(line); file, code and message
// trimmed of spaces, line parsed with parseInt; no marker without a file, a line and a message.
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const p = input.pattern;
const regexp = new RegExp(p.regexp);
const trim = (s) => s.replace(/^ +| +$/g, "");
const problems = input.lines.map((text) => {
  const m = regexp.exec(text);
  if (!m) return null;
  const found = { file: trim(m[p.file]), line: parseInt(m[p.line]), code: trim(m[p.code]), message: trim(m[p.message]) };
  return found.file && found.line && found.message ? found : null;
});
process.stdout.write(JSON.stringify(problems));
"""


def test_vscode_problem_matcher_reads_every_corpus_case():
    task = json.loads((ROOT / "docs" / "vscode-tasks.json").read_text())["tasks"][0]
    assert task["args"][-2:] == ["--format", "line"]
    pattern = task["problemMatcher"]["pattern"]
    lines: list[str] = []
    wanted: list[tuple[str, int, str, str]] = []
    for log in LOGS:
        report = explain_chunks([log.read_bytes()], str(log))
        lines += render_line(report).splitlines()
        for e in report.failures:
            for d in e.diagnoses:
                if d.location is not None:
                    title = " ".join(d.title.split())[:300]
                    wanted.append((d.location.path, d.location.line or 1, d.cause, title))
    node = subprocess.run(
        [tool("node"), "-e", NODE_MATCHER],
        input=json.dumps({"pattern": pattern, "lines": lines}),
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    problems = json.loads(node.stdout)
    assert len(problems) == len(lines) > 100
    for text, problem in zip(lines, problems):
        assert problem is not None, text
        assert f"{problem['file']}:{problem['line']}: {problem['code']}: {problem['message']}" == text
    got = {(p["file"], p["line"], p["code"], p["message"]) for p in problems}
    assert set(wanted) <= got


def test_a_failure_without_frames_points_at_its_line_in_the_log(tmp_path):
    log = tmp_path / "train.log"
    log.write_text("epoch 1/3 loss 0.5\nRuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n")
    lines = render_line(explain_path(str(log))).splitlines()
    assert lines and all(line.startswith(f"{log}:2: ") for line in lines), lines
    piped = render_line(explain_text(log.read_text())).splitlines()
    assert piped and all(line.startswith("-:2: ") for line in piped), piped
