# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make lab         create .venv if missing, install ganmath into it, open the notebooks in JupyterLab
#   make test        create .venv if missing, install, and run the default tier of the tests (minutes)
# and, for CI and before a release:
#   make test-full   the default tier, every claim retrained over its seeds, and the real-browser test
# and one more for the trainer alone, without code:
#   make app         serve notebook 10 (the interactive GAN trainer) as a web page with Voila
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

.PHONY: lab app test test-full chromium bench clean

# Jupyter refuses to start as root unless told: containers and these machines run as root.
ROOT_FLAG := $(shell [ "$$(id -u)" -eq 0 ] && echo --allow-root)

$(STAMP): pyproject.toml jupyter/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	mkdir -p $(LAB_SETTINGS)
	cp jupyter/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

# JupyterLab on 127.0.0.1 with token authentication (the default); it prints the URL with the token.
# One BLAS thread: the networks' matrices are tiny, and threads only add latency to a slider update.
lab: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

# The trainer as a web app on 127.0.0.1 (Voila runs the notebook and shows its outputs, not its code).
app: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(BIN)/voila notebooks/10_gan_trainer.ipynb --Voila.ip=127.0.0.1 --port=8866

# The browser test drives Debian's chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# nbval over the notebooks (committed with their outputs), beside the tests. Two workers, one per core: a module or
# a notebook stays on one worker (--dist loadscope, which nbval needs: a notebook's cells run in order in one
# kernel). One BLAS thread per worker, so that two workers do not fight over the two cores.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
WORKERS ?= 2
PARALLEL := -n $(WORKERS) --dist loadscope
# Further pytest arguments, e.g. make test ARGS="--durations=15" or ARGS="-k figure1".
ARGS ?=
PYTEST := OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest

# The default tier (pyproject.toml selects it): minutes.
test: $(STAMP)
	$(PYTEST) $(PARALLEL) tests notebooks $(NBVAL) $(ARGS)

# Everything: the default tier and the slow tests over both cores, then the browser test alone (it starts its own
# JupyterLab and Voila servers, and its frame rates need a quiet machine).
test-full: $(STAMP) chromium
	$(PYTEST) $(PARALLEL) -m "not browser" tests notebooks $(NBVAL) $(ARGS)
	$(PYTEST) -m browser tests $(ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_theory.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_training.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/bench_trainer.py
	$(BIN)/python benchmarks/bench_population.py
	$(BIN)/python benchmarks/bench_conv_layers.py
	$(BIN)/python benchmarks/bench_notebooks.py

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
