# albumen — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PYTEST_WORKERS ?= 2

.PHONY: setup run test test-data lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP) $@

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/albumen db upgrade
	$(BIN)/albumen serve --host 127.0.0.1 --port 8000

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
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=10

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

bench: $(TEST_STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
