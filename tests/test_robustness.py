"""Bad input, bad options, damaged caches and huge lines: framing keeps going where it can,
says what it skipped, stops with one stderr line (exit 2) where it cannot, and never leaves
a partial output. (tests/test_cli_score.py holds the first cases of this matrix.)"""

from __future__ import annotations

import codecs
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from framing.cli import app
from framing.io import iter_documents
from tests.conftest import DATA, ROOT

MINI = str(DATA / "mini.toml")
_VENV_FRAMING = ROOT / ".venv" / "bin" / "framing"
FRAMING = [str(_VENV_FRAMING)] if _VENV_FRAMING.exists() else [sys.executable, "-m", "framing"]
GOOD_TEXT = "The invasion began at dawn. Our troops will liberate the town."


def _ok(result):
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def _fails_cleanly(result, *needles):
    """Exit 2, exactly one stderr line, naming what is wrong; no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("framing: error: "), lines[0]
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _no_output_left(out: Path) -> None:
    assert not out.exists()
    assert not list(out.parent.glob(f".{out.name}.*")), "a temporary .part file was left"


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- bad files named directly: one line, exit 2, no output ------------------------------


def _bad_file_cases(tmp: Path) -> list[tuple[list[str], list[str]]]:
    nul_inside = b"A" * 20_000 + b"\x00" + b"B" * 20_000  # past the sniffed head and tail
    jsonl_rows = {
        "no_field.jsonl": ('{"body": "The invasion."}\n', "no_field.jsonl:1: no 'text' field"),
        "malformed.jsonl": ('{"text": "The invasion."\n', "malformed.jsonl:1: malformed JSON"),
        "number.jsonl": ('{"text": 42}\n', "number.jsonl:1: 'text' is int, not text"),
        "array.jsonl": ('["The invasion."]\n', "array.jsonl:1: row is a JSON list"),
    }
    cases = [
        ([str(_write(tmp / "blank.txt", " \n\t\r\n  \n"))], ["blank.txt", "only white space"]),
        ([str(_write(tmp / "nul.txt", nul_inside))], ["nul.txt", "NUL"]),
        (
            [str(_write(tmp / "bad_rows.csv", 'id,text\n1,"a","b"\n2\n'))],
            ["bad_rows.csv:2", "malformed row"],
        ),
        ([str(tmp), "--encoding", "no-such-codec"], ["--encoding", "no-such-codec"]),
        (
            [str(_write(tmp / "x.txt", GOOD_TEXT)), "--batch-size", "8", "-f", "yaml"],
            ["--format", "yaml"],
        ),
    ]
    for name, (body, needle) in jsonl_rows.items():
        cases.append(([str(_write(tmp / name, body))], [needle]))
    return cases


def test_bad_files_named_directly_stop_with_one_line(runner, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    out = tmp_path / "out.jsonl"
    for args, needles in _bad_file_cases(inputs):
        result = runner.invoke(app, ["score", *args, "-l", MINI, "-o", str(out)])
        _fails_cleanly(result, *needles)
        _no_output_left(out)


def test_utf16_with_bom_is_decoded_and_latin1_needs_encoding(runner, tmp_path):
    utf16 = _write(tmp_path / "utf16.txt", codecs.BOM_UTF16_LE + GOOD_TEXT.encode("utf-16-le"))
    utf16be = _write(tmp_path / "utf16be.txt", codecs.BOM_UTF16_BE + GOOD_TEXT.encode("utf-16-be"))
    utf8bom = _write(tmp_path / "utf8bom.txt", codecs.BOM_UTF8 + GOOD_TEXT.encode())
    docs = list(iter_documents([str(utf16), str(utf16be), str(utf8bom)]))
    assert [d.text for d in docs] == [GOOD_TEXT] * 3

    latin = _write(tmp_path / "latin.txt", "Le président parle de l'invasion.".encode("latin-1"))
    line = _fails_cleanly(
        runner.invoke(app, ["score", str(latin), "-l", MINI]), "latin.txt", "0xe9"
    )
    assert "--encoding" in line  # the hint that fixes it
    result = _ok(
        runner.invoke(
            app, ["score", str(latin), "-l", MINI, "--encoding", "latin-1", "-f", "jsonl"]
        )
    )
    assert json.loads(result.stdout.splitlines()[0])["text"] == "Le président parle de l'invasion."

    result = _ok(runner.invoke(app, ["score", str(utf16), "-l", MINI, "-f", "jsonl"]))
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [
        "The invasion began at dawn.",
        "Our troops will liberate the town.",
    ]


def test_jsonl_and_csv_rows_end_only_at_newlines(tmp_path):
    # U+2028 and U+0085 may stand raw inside JSON strings and CSV fields: not row ends.
    text = "First part\u2028second part\x85third part about the invasion."
    jl = _write(
        tmp_path / "rows.jsonl",
        json.dumps({"text": text}, ensure_ascii=False) + "\r\n" + '{"text": "Two."}\n',
    )
    cv = _write(tmp_path / "rows.csv", f'id,text\r\n1,{text}\r\n2,"Multi\nline"\r\n')
    assert [(d.id, d.text) for d in iter_documents([str(jl)])] == [
        (f"{jl}:1", text),
        (f"{jl}:2", "Two."),
    ]
    assert [d.text for d in iter_documents([str(cv)])] == [text, "Multi\nline"]


# --- bad lexicons -----------------------------------------------------------------------

_FRAME = '[[frames]]\nid = "{id}"\nexemplars = ["An example sentence."]\n'

BAD_LEXICONS = {
    "duplicate_frame": (_FRAME.format(id="war") * 2, "frame war: duplicate frame id"),
    "empty_term": (
        '[[frames]]\nid = "war"\n[frames.terms]\n"" = 1.0\n',
        "frame war / term '': empty term",
    ),
    "blank_term": ('[[frames]]\nid = "war"\n[frames.terms]\n"   " = 1.0\n', "empty term"),
    "punct_term": (
        '[[frames]]\nid = "war"\n[frames.terms]\n"--" = 1.0\n',
        "has no word characters",
    ),
    "unknown_axis_frame": (
        _FRAME.format(id="war") + '[[axes]]\nid = "ax"\nleft = "war"\nright = "peace"\n',
        "axis ax / right: unknown frame 'peace'",
    ),
    "weight_text": (
        '[[frames]]\nid = "war"\n[frames.terms]\nwar = "high"\n',
        "weight must be a number in (0, 1], got 'high'",
    ),
    "weight_zero": ('[[frames]]\nid = "war"\n[frames.terms]\nwar = 0\n', "got 0"),
    "weight_big": ('[[frames]]\nid = "war"\n[frames.terms]\nwar = 1.5\n', "got 1.5"),
    "weight_nan": ('[[frames]]\nid = "war"\n[frames.terms]\nwar = nan\n', "got nan"),
    "weight_inf": ('[[frames]]\nid = "war"\n[frames.terms]\nwar = inf\n', "got inf"),
    "weight_bool": ('[[frames]]\nid = "war"\n[frames.terms]\nwar = true\n', "got True"),
    "weight_table": (
        '[[frames]]\nid = "war"\n[frames.terms.war]\nx = 1\n',
        "weight must be a number",
    ),
    "bad_id": ('[[frames]]\nid = "War Frame"\nexemplars = ["x"]\n', "'id' must be snake_case"),
    "not_toml": ("[[frames]\nid=", "invalid TOML"),
    "not_utf8": (b'[[frames]]\nid = "w\xe9"\n', "not UTF-8"),
    "no_frames": ('[meta]\nname = "x"\n', "no frames defined"),
}


@pytest.mark.parametrize("name", sorted(BAD_LEXICONS))
def test_bad_lexicon_stops_with_one_line(runner, tmp_path, name):
    body, needle = BAD_LEXICONS[name]
    lexicon = _write(tmp_path / f"{name}.toml", body)
    text = _write(tmp_path / "a.txt", GOOD_TEXT)
    out = tmp_path / "out.jsonl"
    _fails_cleanly(
        runner.invoke(app, ["score", str(text), "-l", str(lexicon), "-o", str(out)]),
        f"{name}.toml",
        needle,
    )
    _no_output_left(out)


def test_frame_id_clash_across_two_lexicons(runner, tmp_path):
    a = _write(tmp_path / "a.toml", _FRAME.format(id="war"))
    b = _write(tmp_path / "b.toml", _FRAME.format(id="war"))
    text = _write(tmp_path / "t.txt", GOOD_TEXT)
    _fails_cleanly(
        runner.invoke(app, ["score", str(text), "-l", str(a), "-l", str(b)]),
        "b.toml",
        "frame war: duplicate frame id",
    )
    _fails_cleanly(
        runner.invoke(app, ["score", str(text), "-l", str(tmp_path / "nope.toml")]),
        "nope.toml",
        "no such",
    )


# --- bad options: model, output ---------------------------------------------------------


def test_unknown_model_is_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a hub name must fail fast, not retry a network
    text = _write(tmp_path / "t.txt", GOOD_TEXT)
    out = tmp_path / "out.jsonl"
    for model in (str(tmp_path / "no-such-model"), "no-such-org/no-such-model-xyz"):
        _fails_cleanly(
            runner.invoke(
                app,
                ["score", str(text), "-l", MINI, "--model", model, "-o", str(out), "--no-cache"],
            ),
            f"--model {model}",
            "cannot load",
        )
        _no_output_left(out)


def test_unwritable_output_fails_before_any_work(runner, tmp_path):
    text = _write(tmp_path / "t.txt", GOOD_TEXT)
    a_file = _write(tmp_path / "plain", "x")
    cases = [
        (tmp_path / "missing" / "out.jsonl", "does not exist"),
        (a_file / "out.jsonl", "is not a folder"),  # the parent is a regular file
        (tmp_path, "is a folder"),
        (Path("/proc/framing-out.jsonl"), "cannot write"),  # refuses even root
    ]
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        cases.append((locked / "out.jsonl", "cannot write"))
    for out, needle in cases:
        started = time.perf_counter()
        _fails_cleanly(
            runner.invoke(app, ["score", str(text), "-l", MINI, "-o", str(out)]), str(out), needle
        )
        assert time.perf_counter() - started < 5, (
            "the output was checked only after the model loaded"
        )
        if out.parent.is_dir() and out.parent != Path("/proc"):
            assert not list(out.parent.glob(f".{out.name}.*"))


def test_output_file_gets_normal_permissions(runner, tmp_path):
    text = _write(tmp_path / "t.txt", GOOD_TEXT)
    out = tmp_path / "out.jsonl"
    _ok(runner.invoke(app, ["score", str(text), "-l", MINI, "-o", str(out)]))
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600


# --- a folder of scraped junk: skip with a warning naming each file; --strict stops -----


@pytest.fixture
def junk_folder(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write(folder / "a_good.txt", GOOD_TEXT)
    _write(folder / "b_empty.txt", "")
    _write(folder / "c_blank.txt", "   \n\n\t")
    _write(folder / "d_latin.txt", "Le président.".encode("latin-1"))
    _write(folder / "e_utf16.txt", codecs.BOM_UTF16_LE + "Kyiv was shelled.".encode("utf-16-le"))
    _write(folder / "f_image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    _write(folder / "g_nul.txt", b"Text with a \x00 NUL byte.")
    _write(
        folder / "h_rows.jsonl", '{"text": "Row one is fine."}\n{"text": 7}\n{oops\n{"body": "x"}\n'
    )
    _write(folder / "i_rows.csv", 'id,text\n1,Row two is fine.\n2,"too","many"\n')
    _write(folder / "j_allbad.jsonl", '{"text": null}\n')
    return folder


SKIPPED = {
    "b_empty.txt": "empty file",
    "c_blank.txt": "only white space",
    "d_latin.txt": "not valid utf-8",
    "f_image.png": "binary",
    "g_nul.txt": "binary",
    "h_rows.jsonl:2": "'text' is int",
    "h_rows.jsonl:3": "malformed JSON",
    "h_rows.jsonl:4": "no 'text' field",
    "i_rows.csv:3": "malformed row",
    "j_allbad.jsonl:1": "no 'text' field",
}


def test_folder_skips_each_bad_file_and_row_with_a_warning(runner, junk_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    result = _ok(runner.invoke(app, ["score", str(junk_folder), "-l", MINI, "-o", str(out)]))
    warnings = [x for x in result.stderr.splitlines() if x.startswith("framing: warning: skipped ")]
    for where, why in SKIPPED.items():
        assert any(where in w and why in w for w in warnings), (where, result.stderr)
    assert len(warnings) == len(SKIPPED), result.stderr
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["text"] for r in records} == {
        "The invasion began at dawn.",
        "Our troops will liberate the town.",
        "Kyiv was shelled.",
        "Row one is fine.",
        "Row two is fine.",
    }
    meta = json.loads(Path(f"{out}.meta.json").read_text(encoding="utf-8"))
    assert len(meta["skipped"]) == len(SKIPPED)  # the provenance says what was left out


def test_strict_turns_the_first_skip_into_an_error(runner, junk_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    _fails_cleanly(
        runner.invoke(app, ["score", str(junk_folder), "-l", MINI, "-o", str(out), "--strict"]),
        "b_empty.txt",
        "empty file",
    )
    _no_output_left(out)
    rows = _write(tmp_path / "rows.jsonl", '{"text": "Fine."}\n{"text": ["not", "text"]}\n')
    _fails_cleanly(
        runner.invoke(app, ["score", str(rows), "-l", MINI, "--strict"]), "rows.jsonl:2", "is list"
    )
    rows = _write(tmp_path / "rows.csv", "id,text\n,Fine.\n")
    _fails_cleanly(
        runner.invoke(app, ["score", str(rows), "-l", MINI, "--id-field", "id", "--strict"]),
        "rows.csv:2",
        "no 'id' field",
    )


def _unprivileged_prefix() -> list[str]:
    """A command prefix under which permission bits apply: root ignores them, so as root
    the command runs in a user namespace as an ordinary user (who owns the files there)."""
    if os.geteuid() != 0:
        return []
    prefix = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    try:
        probe = subprocess.run([*prefix, "id", "-u"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        probe = None
    if probe is None or probe.returncode != 0 or probe.stdout.strip() != "1000":
        pytest.skip("running as root, and user namespaces (unshare --user) are not available here")
    return prefix


def test_unreadable_file_is_reported_or_skipped(tmp_path):
    prefix = _unprivileged_prefix()
    folder = tmp_path / "corpus"
    folder.mkdir()
    locked = _write(folder / "locked.txt", GOOD_TEXT)
    locked.chmod(0o000)
    _write(folder / "empty.txt", "")

    def run(*args):
        return subprocess.run(
            [*prefix, *FRAMING, "score", *args, "-l", MINI],
            capture_output=True,
            text=True,
            timeout=120,
        )

    direct = run(str(locked))
    assert direct.returncode == 2, direct.stderr
    assert direct.stderr.strip().splitlines() == [f"framing: error: {locked}: permission denied"]

    in_folder = run(str(folder))  # skipped with a warning; then nothing readable is left
    assert in_folder.returncode == 2 and "Traceback" not in in_folder.stderr
    assert f"framing: warning: skipped {locked}: permission denied" in in_folder.stderr
    assert "no readable text (skipped 2 file(s))" in in_folder.stderr.splitlines()[-1]

    strict = run(str(folder), "--strict")
    assert strict.returncode == 2
    assert strict.stderr.strip().splitlines() == [
        f"framing: error: {folder / 'empty.txt'}: empty file"
    ]


# --- the embedding cache: damaged entries and files are not trusted ---------------------


def test_cache_entry_with_flipped_bits_is_recomputed(tmp_path):
    from framing.embed import Embedder

    texts = ["Mariupol is surrounded.", "Talks resumed in Antalya."]
    good = Embedder(cache_dir=tmp_path).encode(texts)
    db = sqlite3.connect(tmp_path / "embeddings.sqlite")
    (blob,) = db.execute("SELECT vec FROM vectors LIMIT 1").fetchone()
    flipped = bytes([blob[0] ^ 0x01]) + blob[1:]  # same length, so only the CRC can tell
    db.execute("UPDATE vectors SET vec = ? WHERE vec = ?", (flipped, blob))
    db.commit()
    db.close()
    again = Embedder(cache_dir=tmp_path)
    assert np.array_equal(again.encode(texts), good)
    assert (again.cache_hits, again.cache_misses) == (1, 1)
    third = Embedder(cache_dir=tmp_path)  # and the entry was rewritten
    third.encode(texts)
    assert third.cache_misses == 0


@pytest.mark.parametrize("damage", ["junk", "pages"])
def test_damaged_cache_file_warns_and_goes_on_without_it(tmp_path, capsys, damage):
    from framing.embed import Embedder

    texts = [f"Sentence {i} about the shelling of the city." for i in range(120)]
    first = Embedder(cache_dir=tmp_path)
    good = first.encode(texts)
    first.close()  # checkpoints the write-ahead log into the file
    path = tmp_path / "embeddings.sqlite"
    data = bytearray(path.read_bytes())
    if damage == "junk":
        data = bytearray(b"not a database" * 100)
    else:  # a torn write: pages in the middle overwritten, the header intact
        data[3 * 4096 : 6 * 4096] = b"\xa5" * (3 * 4096)
    path.write_bytes(bytes(data))
    capsys.readouterr()
    again = Embedder(cache_dir=tmp_path)
    assert np.allclose(again.encode(texts), good, atol=1e-6)
    err = capsys.readouterr().err
    assert (
        err.count("framing: warning:") == 1
        and "embedding cache" in err
        and "embeddings.sqlite" in err
    )


def test_long_text_is_clipped_without_changing_its_vector(monkeypatch):
    from framing.embed import Embedder, clip_text

    words = "the invasion of Ukraine began at dawn; troops, tanks — «war» Київ 中文 é".split()
    rng = np.random.default_rng(0)
    text = " \n".join(rng.choice(words, 3000))
    embedder = Embedder(use_cache=False)
    limit = embedder._token_limit()
    assert limit == 256
    assert len(clip_text(text, limit)) < len(text) // 3
    clipped = embedder.encode([text])
    monkeypatch.setattr(Embedder, "_token_limit", lambda self: None)  # the tokenizer sees it all
    assert np.array_equal(embedder.encode([text]), clipped)


# --- a 10 MB single line: nothing quadratic ---------------------------------------------


def _ten_megabyte_line() -> str:
    """One line of the things scraped text is full of, each a known quadratic trap."""
    parts = [
        'The invasion began at dawn. "We will liberate them," he said. ' * 40_000,  # many quotes
        '"unclosed ' * 250_000,  # a straight mark opening over and over
        "“" * 600_000 + "”" * 600_000,  # deep nesting
        "a." * 500_000 + " B",  # a dotted run before a capital
        '<div class="x"><a href="/y">the war</a></div>' * 63_000,
    ]
    return "".join(parts)[:10_000_000]


def test_ten_megabyte_line_segments_and_matches_in_linear_time():
    from framing.lexicon import load_lexicon
    from framing.match import TermMatcher
    from framing.text import Document, find_quotes, segment

    text = _ten_megabyte_line()
    assert len(text) == 10_000_000 and "\n" not in text
    started = time.process_time()
    sentences = segment(Document("big", text))
    quotes = find_quotes(text, sentences)
    matcher = TermMatcher(load_lexicon(MINI))
    hits = [h for s in sentences for h in matcher.match(text, s.start, s.end, quotes)]
    elapsed = time.process_time() - started  # CPU time: other work on the machine does not count
    # Linear takes ~10 s here; the quadratic code before needed hours (and 20+ GB).
    assert elapsed < 60, f"{elapsed:.0f} s"
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(q.depth <= 4 for q in quotes)
    assert sum(h.quoted for h in hits) > 30_000


def test_many_short_lines_segment_in_linear_time():
    from framing.text import Document, segment

    text = "A short line, of a poem\n" * 200_000  # one paragraph of 4.8 MB
    started = time.process_time()
    sentences = segment(Document("poem", text))
    assert time.process_time() - started < 20
    assert sentences and all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.slow
def test_ten_megabyte_line_through_the_cli(tmp_path):
    """The whole command, as a process: one 10 MB line of one sentence, well under a minute."""
    big = tmp_path / "big.txt"
    big.write_text(
        ("The invasion of the city and the war go on, without end " * 180_000)[:10_000_000]
    )
    out = tmp_path / "big.csv"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [
            *FRAMING,
            "score",
            str(big),
            "-l",
            MINI,
            "-o",
            str(out),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # CPU seconds, model loading included (~25 s here), so a busy machine does not fail it.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 60, f"{cpu:.0f} CPU s"
    assert out.stat().st_size > 10_000_000  # the sentence and its hits are all there


_ATTRIBUTE_HTML_LINE = """
import time
from framing.actors import load_actors
from framing.attribution import attribute
from framing.text import Document, find_quotes, segment

text = ('<div class="post"><p>The invasion &amp; the <a href="/x">link</a> said “war”</p></div>'
        * 4000)[:300_000]
doc = Document("html", text)
sentences = segment(doc)
attribute(doc, sentences, find_quotes(text, sentences), load_actors())
"""


def test_attribution_of_a_long_html_line_is_not_quadratic():
    """Scraped HTML left in a line is one 'sentence' holding thousands of quoted attributes."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _ATTRIBUTE_HTML_LINE], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        pytest.fail("attributing a 300 kB line took over 20 s")
    assert proc.returncode == 0, proc.stderr
