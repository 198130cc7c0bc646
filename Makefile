# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench corpus vocabulary clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,probe]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/explain-error examples/dataloader-size-mismatch.log; test $$? -le 1

lint: $(STAMP)
	$(BIN)/ruff check analyzer tests bench
	$(BIN)/ruff format --check analyzer tests bench

test: lint
	$(BIN)/explain-error rules check
	$(BIN)/pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/matching.py

corpus:
	bash corpus/generators/run_all.sh

# after any change to corpus/cases or heldout: recount the words the guesses weigh (rules/vocabulary.json)
vocabulary: $(STAMP)
	$(BIN)/python -m analyzer.vocabulary corpus/cases heldout rules/vocabulary.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
