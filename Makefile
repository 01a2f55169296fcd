# All set-up for a fresh machine: `make demo` and `make test` each build .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/antalya
# CPU torch: the +cpu build lies as a wheel on this machine's disk; elsewhere PyTorch's CPU index has it.
TORCH_SPEC ?= torch==2.13.0+cpu
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: venv demo test lint clean container-check bench browser

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU torch first, so the project's sentence-transformers never pulls a CUDA build.
	$(BIN)/pip install -q "$(TORCH_SPEC)" || $(BIN)/pip install -q --index-url $(TORCH_CPU_INDEX) "$(TORCH_SPEC)"
	$(BIN)/pip install -q -e ".[test]"
	touch $@

venv: $(BIN)/.installed

DEMO_INPUT ?= seeds/antalya_talks_2022-03.txt

# Score, profile and map the sample corpus into $(OUT). The first command fills the embedding
# cache; the others read it. score and profile write files, not folders: make $(OUT) first.
demo: venv
	mkdir -p $(OUT)
	HF_HUB_OFFLINE=1 $(BIN)/framing score $(DEMO_INPUT) --format jsonl -o $(OUT)/scores.jsonl
	HF_HUB_OFFLINE=1 $(BIN)/framing score $(DEMO_INPUT) --format csv -o $(OUT)/scores.csv
	HF_HUB_OFFLINE=1 $(BIN)/framing profile $(DEMO_INPUT) --format csv -o $(OUT)/profile.csv
	HF_HUB_OFFLINE=1 $(BIN)/framing map $(DEMO_INPUT) -o $(OUT)
	@echo "scores, profile and plots written to $(OUT)/ (open $(OUT)/map.html in a browser)"

# Headless Chromium, for the one test that opens map.html (Debian's package; apt needs root).
# `make test` does not need it: without Chromium that test is skipped with a one-line reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: venv
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -rs

lint: venv
	@$(BIN)/python -m ruff --version >/dev/null 2>&1 || $(BIN)/pip install -q "ruff>=0.6"
	$(BIN)/python -m ruff check framing tests benchmarks
	$(BIN)/python -m ruff format --check framing tests benchmarks

# Throughput, start-up, cache, memory, backends and map against bare baselines (~40 min on
# 2 cores; measure on a quiet machine). Writes the tables into benchmarks/RESULTS.md.
bench: venv
	HF_HUB_OFFLINE=1 $(BIN)/python benchmarks/run.py --write benchmarks/RESULTS.md

clean:
	rm -rf $(VENV) out build dist *.egg-info

# The CPU image, built and run for real with podman (needs root): hadolint, build, then offline
# `score` compared with .venv's and `map` (scripts/container_check.sh). Tags localhost/framing:latest.
container-check: venv
	TORCH_VERSION="$(patsubst torch==%,%,$(TORCH_SPEC))" scripts/container_check.sh
