"""Slim the CPU image's Python: run by the Dockerfile's build stages, never at run time.

    python slim_image.py venv VENV REQUIREMENTS    # the `lean` stage, right after pip install
    python slim_image.py imports VENV STDLIB SAMPLE  # the `assemble` stage, framing installed

``venv`` removes what the runtime never loads:
  - distributions that no requirement reaches once tokenizers' huggingface-hub dependency is
    cut (framing loads tokenizer.json with Tokenizer.from_file; the hub client and its HTTP
    stack serve only from_pretrained), and pip/setuptools;
  - test suites, type stubs, Cython and C sources, headers;
  - onnxruntime's C API library (libonnxruntime.so.*: the Python module does not load it) and
    its transformer-optimiser scripts; plotly's Jupyter bundles (FigureWidget, JupyterLab);
    Pillow's optional AVIF codec;
  - symbol tables of shared libraries, for those auditwheel left alone: the ones under *.libs/
    and the modules whose RPATH points there were rewritten by patchelf, and strip breaks them
    ("ELF load command address/offset not page-aligned").

``imports`` runs `framing score` and `framing map` on SAMPLE and records every module they
import; then, in the venv (framing, numba, llvmlite, umap and pynndescent excepted) each
imported module keeps only its compiled file (``x.pyc`` beside where ``x.py`` was, which
Python imports without the source), the others keep their source and lose their ``.pyc``
(Python compiles them when something imports them); in the standard library imported modules
keep their ``.pyc`` and the others only their source. numba needs the source of the modules
whose functions it caches (umap, pynndescent), so those keep everything; framing keeps its
source for readable tracebacks.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import Distribution, distributions
from pathlib import Path

CUT_EDGES = {("tokenizers", "huggingface-hub")}
SOURCE_KEPT = {"framing", "numba", "llvmlite", "umap", "pynndescent"}
NOT_RUNTIME = ("*.pyi", "*.pxd", "*.pxi", "*.pyx", "*.c", "*.cpp", "*.h", "*.hpp")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _site(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def drop_unreached(site: Path, requirements: Path) -> None:
    from packaging.requirements import Requirement

    dists = {_norm(d.metadata["Name"]): d for d in distributions(path=[str(site)])}
    env = {"extra": ""}
    todo = [
        (None, Requirement(line))
        for line in requirements.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    reached: set[str] = set()
    while todo:
        parent, req = todo.pop()
        name = _norm(req.name)
        if (req.marker and not req.marker.evaluate(env)) or (parent, name) in CUT_EDGES:
            continue
        if name in reached or name not in dists:
            continue
        reached.add(name)
        todo += [(name, Requirement(r)) for r in dists[name].requires or []]
    for name, dist in sorted(dists.items()):
        if name not in reached:
            print(f"slim: removing {name} {dist.version} (no requirement reaches it)")
            _remove(dist, site)


def _remove(dist: Distribution, site: Path) -> None:
    # File by file (scripts in bin/ too), then the folders left empty: a folder such as a
    # namespace package may hold files of a distribution that stays.
    folders = set()
    for f in dist.files or []:
        path = Path(dist.locate_file(f)).resolve()
        path.unlink(missing_ok=True)
        folders.update(p for p in path.parents if p.is_relative_to(site) and p != site)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def drop_files(site: Path) -> None:
    for tests in [p for p in site.rglob("*") if p.is_dir() and p.name in ("tests", "test")]:
        if ".dist-info" not in str(tests) and tests.exists():
            shutil.rmtree(tests)
    for pattern in NOT_RUNTIME:
        for path in site.rglob(pattern):
            path.unlink()
    for path in (site / "onnxruntime" / "capi").glob("libonnxruntime.so.*"):
        path.unlink()
    for folder in (site / "onnxruntime" / "transformers", site / "plotly" / "labextension"):
        shutil.rmtree(folder, ignore_errors=True)
    (site / "plotly" / "package_data" / "widgetbundle.js").unlink(missing_ok=True)
    # Pillow's AVIF codec (5 MB): PIL.AvifImagePlugin imports it in a try, and maps are PNG/SVG
    for path in [*(site / "PIL").glob("_avif.*"), *(site / "pillow.libs").glob("libavif*")]:
        path.unlink()


def strip_libraries(site: Path) -> None:
    stripped = 0
    for path in site.rglob("*.so*"):
        if not path.is_file() or any(p.endswith(".libs") for p in path.parts):
            continue
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True)
        if re.search(r"R(UN)?PATH.*\.libs", dynamic.stdout):
            continue  # patched by auditwheel
        sections = subprocess.run(["readelf", "-S", str(path)], capture_output=True, text=True)
        if ".symtab" in sections.stdout or ".debug_" in sections.stdout:
            subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)
            stripped += 1
    print(f"slim: stripped {stripped} shared libraries")


TRACER = """
import atexit, sys
out = sys.argv.pop(1)
def dump():
    with open(out, "a") as f:
        f.writelines(m.__file__ + "\\n" for m in list(sys.modules.values())
                     if isinstance(getattr(m, "__file__", None), str))
atexit.register(dump)
sys.argv[0] = "framing"
from framing.cli import main
main()
"""


def imported_files(sample: Path, work: Path) -> set[Path]:
    work.mkdir(parents=True, exist_ok=True)
    listing = work / "imported.txt"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "FRAMING_CACHE_DIR": str(work / "c")}
    env["NUMBA_CACHE_DIR"] = str(work / "numba")
    env["MPLCONFIGDIR"] = env["XDG_CACHE_HOME"] = env["HOME"] = str(work / "home")
    for args in (["score", str(sample), "-o", str(work / "s.jsonl")],
                 ["map", str(sample), "-o", str(work / "map")]):  # fmt: skip
        subprocess.run([sys.executable, "-c", TRACER, str(listing), *args], env=env, check=True)
    return {Path(line.strip()).resolve() for line in listing.read_text().splitlines()}


def keep_compiled_imports(root: Path, imported: set[Path], *, sourceless: bool) -> None:
    kept = dropped = 0
    for source in list(root.rglob("*.py")):
        package = source.relative_to(root).parts[0].removesuffix(".py")
        cached = Path(importlib.util.cache_from_source(str(source)))
        if source.resolve() not in imported:
            if cached.exists():
                cached.unlink()
                dropped += 1
        elif sourceless and package not in SOURCE_KEPT and cached.exists():
            cached.replace(source.with_suffix(".pyc"))
            source.unlink()
            kept += 1
    for cache in list(root.rglob("__pycache__")):
        if cache.is_dir() and not any(cache.iterdir()):
            cache.rmdir()
    print(f"slim: {root}: {dropped} unused .pyc removed, {kept} modules kept compiled only")


def main() -> None:
    step, *args = sys.argv[1:]
    if step == "venv":
        venv, requirements = map(Path, args)
        site = _site(venv)
        drop_unreached(site, requirements)
        drop_files(site)
        strip_libraries(site)
    elif step == "imports":
        venv, stdlib, sample = map(Path, args)
        work = Path("/tmp/slim")
        imported = imported_files(sample, work)
        keep_compiled_imports(_site(venv), imported, sourceless=True)
        keep_compiled_imports(stdlib, imported, sourceless=False)
        shutil.rmtree(work)
    else:
        sys.exit(f"unknown step {step!r}")


if __name__ == "__main__":
    main()
