#!/usr/bin/env bash
# container_check.sh - build framing's CPU image and prove it works, on a machine with no Docker
# engine and no registry (`make container-check` runs this; needs root, like the tool it calls):
#   1. ../shared/tools/container-check.sh: hadolint (any finding fails), podman build, and a run
#      showing the image holds onnxruntime but neither torch nor sentence-transformers, no
#      nvidia-* package, and runs as user 10001; the image is under 700 MB as podman reports
#      it (unpacked: MAX_IMAGE_MB; the compressed size, as pulled, is logged beside it), and
#      --backend torch is refused in one line that says how to get torch;
#   2. with --network none, `score` on the sample corpus inside the container gives the same
#      records as the same command run with the project's .venv: same keys, same strings,
#      integers and booleans (text, offsets, hits, top_frame, ...), floats within 1e-3, since
#      builds may differ in the last float bits (different BLAS/CPU kernels);
#   3. with --network none, `map` on the sample inside the container writes all its files.
# Env: CTR_DIR (state, as the tool's: default /tmp/ctr/work), IMAGE (default
# localhost/framing:latest), TORCH_VERSION (build argument; default: the Dockerfile's),
# TORCH_SOURCE (folder holding the CPU torch wheel, mounted into the build; default /opt/wheels
# when it holds one, else the build uses PyTorch's CPU index).
set -euo pipefail

top=$(git rev-parse --show-toplevel)
cd "$top"
tool="$top/../shared/tools/container-check.sh"
export CTR_DIR=${CTR_DIR:-/tmp/ctr/work}
IMAGE=${IMAGE:-localhost/framing:latest}
SAMPLE=seeds/antalya_talks_2022-03.txt
work="$CTR_DIR/framing-check"   # outputs are kept here for a look after the run
t0=$(date +%s.%N)
log() { printf '[container_check] %s\n' "$*" >&2; }
since() { python3 -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"; }

[ -x .venv/bin/framing ] || { echo "no .venv/bin/framing: run \`make venv\` first" >&2; exit 1; }

# ---- 1. lint, build, and what the image holds
build_args=()
if [ -n "${TORCH_VERSION:-}" ]; then
  build_args+=(--build-arg "TORCH_VERSION=$TORCH_VERSION")
fi
TORCH_SOURCE=${TORCH_SOURCE-/opt/wheels}
if [ -n "$TORCH_SOURCE" ] && compgen -G "$TORCH_SOURCE/torch-*+cpu-*.whl" >/dev/null; then
  build_args+=(-v "$TORCH_SOURCE:$TORCH_SOURCE:ro" --build-arg "TORCH_SOURCE=$TORCH_SOURCE")
fi
probe='import importlib.metadata as md, importlib.util as u, os
nvidia = [d.metadata["Name"] for d in md.distributions() if d.metadata["Name"].lower().startswith("nvidia")]
heavy = [m for m in ("torch", "sentence_transformers", "transformers") if u.find_spec(m)]
ort = md.version("onnxruntime")
print(f"onnxruntime {ort} heavy={heavy} nvidia={len(nvidia)} uid={os.getuid()}")'

BUILD_ARGS="${build_args[*]}" RUN_OPTS="--network none --entrypoint python" \
  EXPECT='^onnxruntime [0-9.]+ heavy=\[\] nvidia=0 uid=10001$' \
  bash "$tool" "$top" "$IMAGE" -- -c "$probe"

# the same podman state the tool uses
export CONTAINERS_CONF="$CTR_DIR/containers.conf" CONTAINERS_STORAGE_CONF="$CTR_DIR/storage.conf"

# What the final image must not hold (looked at as root, so nothing is hidden by permissions):
# compilers or binutils (the deps stage's strip stays there), pip caches, test suites, pip in
# the venv.
log "image holds no compilers, pip caches, test suites or pip in /opt/venv"
podman run --rm --network none --user 0 --entrypoint sh "$IMAGE" -c '
found=$(
  for c in gcc cc c++ g++ clang cpp ld as strip; do command -v "$c"; done
  find / -xdev \( -path "*/.cache/pip" -o -path "/root/.cache" -o -path "/tmp/*" \) -print -prune
  find /opt/venv -type d \( -name tests -o -name test \) -not -path "*.dist-info/*" -print -prune
  /opt/venv/bin/python -c "import pip" 2>/dev/null && echo "pip in /opt/venv"
)
[ -z "$found" ] || { printf "not for the final image:\n%s\n" "$found" >&2; exit 1; }'

# Each rebuild leaves the previous image untagged, and each pyproject.toml change stale
# build stages (1.5 GB). Tag the current `app` stage (fully cached: seconds), since it and the
# `deps` stage under it are the build cache, then remove untagged images carrying framing's label.
podman build --pull=never --quiet "${build_args[@]}" --target app -t "${IMAGE%:*}-build:latest" "$top" >/dev/null
podman images --quiet --filter dangling=true --filter label=org.opencontainers.image.title=framing \
  | xargs -r -n1 podman rmi >/dev/null 2>&1 || true
offline_run() { podman run --rm --network none -v "$top/seeds:/data/seeds:ro" "$@"; }

rm -rf "$work"
mkdir -p "$work/out"

# The limit is on the image as podman reports it (unpacked, what it takes on disk once
# pulled); what a pull moves, the compressed layers (`podman save | gzip -1`; registries use
# gzip -6, a little smaller), is logged beside it.
MAX_IMAGE_MB=${MAX_IMAGE_MB:-700}
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
packed=$(podman image save "$IMAGE" | gzip -1 | wc -c)
log "image: $((size / 1000000)) MB unpacked (limit $MAX_IMAGE_MB MB), $((packed / 1000000)) MB compressed"
[ "$size" -lt $((MAX_IMAGE_MB * 1000000)) ] || {
  echo "$IMAGE is $((size / 1000000)) MB unpacked: over $MAX_IMAGE_MB MB" >&2; exit 1; }

log "--backend torch in the lean image: one line that says how to get torch, exit 2"
set +e
refusal=$(offline_run "$IMAGE" score "$SAMPLE" --backend torch 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 2 ] && [ "$(printf '%s\n' "$refusal" | wc -l)" = 1 ] \
  && printf '%s' "$refusal" | grep -q 'needs torch: pip install torch' || {
  echo "--backend torch gave exit $code: $refusal" >&2; exit 1; }

# ---- 2. score: container (offline, non-root, README's command) vs the host's .venv
log "score $SAMPLE inside the container (--network none)"
t=$(date +%s.%N)
offline_run "$IMAGE" score "$SAMPLE" --format jsonl > "$work/container.jsonl"
score_s=$(since "$t")
log "score $SAMPLE with .venv"
t=$(date +%s.%N)
HF_HUB_OFFLINE=1 .venv/bin/framing score "$SAMPLE" --format jsonl --no-cache > "$work/host.jsonl"
host_s=$(since "$t")
python3 - "$work/host.jsonl" "$work/container.jsonl" <<'EOF'
"""Same records: equal keys, strings, ints, bools; floats within 1e-3."""
import json
import sys

TOL = 1e-3


def diff(a, b, where):
    if isinstance(a, float) and isinstance(b, float):
        return [] if abs(a - b) <= TOL else [f"{where}: {a!r} != {b!r} (tolerance {TOL})"]
    if type(a) is not type(b):
        return [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in diff(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


host_path, ctr_path = sys.argv[1:]
host = [json.loads(line) for line in open(host_path, encoding="utf-8")]
ctr = [json.loads(line) for line in open(ctr_path, encoding="utf-8")]
if not host:
    sys.exit(f"{host_path}: no records")
problems = diff(host, ctr, "records")
for p in problems[:20]:
    print(p, file=sys.stderr)
if problems:
    sys.exit(f"container and host records differ ({len(problems)} differences; host: {host_path}, container: {ctr_path})")
print(f"[container_check] {len(host)} records: same in the container and the host (floats within {TOL})", file=sys.stderr)
EOF

# ---- 3. map (offline), as the README runs it; the output folder is world-writable so the
# image's user 10001 can write it. Every file map writes must be there and non-empty.
log "map $SAMPLE -o out inside the container (--network none)"
chmod 0777 "$work/out"
t=$(date +%s.%N)
offline_run -v "$work/out:/data/out" "$IMAGE" map "$SAMPLE" -o out
map_s=$(since "$t")
for f in map.png map.svg map.html heatmap.png axes.png points.csv map.meta.json; do
  [ -s "$work/out/$f" ] || { echo "map wrote no $work/out/$f" >&2; ls -la "$work/out" >&2; exit 1; }
done
log "map wrote: $(cd "$work/out" && echo *)"

log "OK: $IMAGE $((size / 1000000)) MB; score ${score_s} s in the container, ${host_s} s with .venv; map ${map_s} s in the container; whole check $(since "$t0") s"
