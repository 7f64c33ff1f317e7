"""Benchmarks: one `name: value unit` line per figure, with the bare-Python reference beside ours.

- extract_seed_warm: complete extraction of the seed (target under 20 ms warm)
- extract_N_chars: complete extraction of a report of N = 20,000, 200,000 and 2,000,000
  characters (the seed's findings repeated), with the time per 1,000 characters beside it:
  linear growth shows as a flat per-1,000 figure
- skeleton_and_header_seed_warm: normalisation and skeleton alone
- read_seed_bare_python: the same file read and split into lines by bare Python (the floor)
- load_1000_copies: 1,000 distinct copies of the seed loaded in one atomic swap (target under 60 s)
- cli_extract_seed: whole-process `rectify extract` on the seed (target under 0.35 s) beside
  `python -c pass`, the interpreter's own start, as a ratio
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.extract import extract  # noqa: E402
from etl.normalize import normalize  # noqa: E402
from etl.reader import read_document  # noqa: E402
from etl.rules import load_rules  # noqa: E402
from etl.skeleton import parse_skeleton  # noqa: E402
from pipeline import load_paths  # noqa: E402

SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def process_times(argv: list[str], repeat: int) -> list[float]:
    """Wall times of whole processes (output discarded)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return times


def cli_start() -> None:
    rectify = str(Path(sys.executable).with_name("rectify"))
    cli = statistics.median(process_times([rectify, "extract", str(SEED), "--compact"], 11))
    bare = statistics.median(process_times([sys.executable, "-c", "pass"], 11))
    print(f"cli_extract_seed_median: {cli:.3f} s")
    print(f"python_pass_median: {bare:.3f} s")
    print(f"cli_extract_seed_vs_python_start: {cli / bare:.1f} x")


def report_of(seed: str, size: int) -> str:
    """A report of `size` characters: the seed's head, its findings section repeated (the
    markers start again each time, as in a long report), and its tail."""
    lines = seed.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("二、"))
    stop = next(i for i, ln in enumerate(lines) if ln.startswith("三、"))
    head, findings, tail = lines[:start], "\n".join(lines[start:stop]), lines[stop:]
    body, fill = [], size - len("\n".join(head + tail)) - 2
    while fill > 0:
        piece = findings[:fill]
        body.append(piece)
        fill -= len(piece) + 1
    return "\n".join(head + body + tail)[:size]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def numbered_docx(path: Path, paragraphs: int, numbered: bool) -> Path:
    """A .docx of `paragraphs` paragraphs on three levels of Word list numbering (一、 （一）
    1.), or the same paragraphs with no list defined (the numbering part empty)."""
    import io
    import zipfile

    import docx

    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(
            [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
        )
    )
    lists = (
        f'<w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    )
    numbering = f'<w:numbering xmlns:w="{_W}">{lists if numbered else ""}</w:numbering>'
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{i % 3}"/><w:numId w:val="1"/></w:numPr>'
        f"</w:pPr><w:r><w:t>第{i}项整改措施已完成</w:t></w:r></w:p>"
        for i in range(paragraphs)
    )
    document = f'<w:document xmlns:w="{_W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    parts = {"word/numbering.xml": numbering.encode(), "word/document.xml": document.encode()}
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, parts.get(info.filename) or src.read(info))
    path.write_bytes(out.getvalue())
    return path


def docx_numbering() -> None:
    """Reading a Word report whose paragraphs Word numbers, against the same without lists:
    the cost of drawing the markers, per 1,000 paragraphs."""
    with tempfile.TemporaryDirectory() as tmp:
        for paragraphs in (2_000, 20_000):
            for numbered in (False, True):
                path = numbered_docx(Path(tmp) / "r.docx", paragraphs, numbered)
                best = min(timed(lambda path=path: read_document(path), 3)) * 1000
                label = f"read_docx_{paragraphs // 1000}k_paragraphs_" + (
                    "numbered" if numbered else "plain"
                )
                print(f"{label}: {best:.0f} ms")
                print(f"{label}_per_1k_paragraphs: {best / (paragraphs / 1000):.1f} ms")


def main() -> None:
    cli_start()
    docx_numbering()
    text = read_document(SEED).text
    extract(text)  # warm caches (rules, compiled patterns)
    ours = timed(lambda: extract(text), 100)
    rules = load_rules()
    skeleton_only = timed(lambda: parse_skeleton(normalize(text), text, rules), 50)
    bare = timed(lambda: SEED.read_text(encoding="utf-8").splitlines(), 50)
    # The minimum is the least disturbed run on a shared machine (as timeit reports it).
    print(f"extract_seed_warm_min: {min(ours) * 1000:.2f} ms")
    print(f"extract_seed_warm_median: {statistics.median(ours) * 1000:.2f} ms")
    print(f"extract_seed_warm_p95: {sorted(ours)[int(len(ours) * 0.95) - 1] * 1000:.2f} ms")
    print(f"extract_seed_per_1k_chars: {min(ours) * 1000 / (len(text) / 1000):.3f} ms")
    for size in (20_000, 200_000, 2_000_000):
        big = report_of(text, size)
        runs = timed(lambda big=big: extract(big), max(1, 2_000_000 // size // 2))
        best = min(runs) * 1000
        label = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        print(f"extract_{label}_chars: {best:.1f} ms")
        print(f"extract_{label}_chars_per_1k_chars: {best / (len(big) / 1000):.3f} ms")
    print(f"skeleton_and_header_seed_warm_median: {statistics.median(skeleton_only) * 1000:.2f} ms")
    print(f"read_seed_bare_python_median: {statistics.median(bare) * 1000:.3f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "copies"
        folder.mkdir()
        raw = SEED.read_text(encoding="utf-8")
        for i in range(1000):
            # Distinct copies (a different round number) so each is its own report.
            (folder / f"copy_{i:04d}.txt").write_text(
                raw.replace("第八轮", f"第{i + 1}轮", 1), encoding="utf-8"
            )
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        result = load_paths([folder], db)
        elapsed = time.perf_counter() - t0
        assert not result.failed and len(result.loaded) == 1000
        print(f"load_1000_copies: {elapsed:.1f} s")
        print(f"load_per_report: {elapsed:.1f} ms")  # seconds per 1,000 = ms per report
        print(f"warehouse_size_1000_copies: {db.stat().st_size / 1_048_576:.1f} MiB")


if __name__ == "__main__":
    main()
