# The two commands of the README: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install demo test translations

$(BIN)/zhiku: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/zhiku

demo: install
	$(BIN)/zhiku demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# After changing user-facing text: extract, merge into zh, translate, compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project=Zhiku \
		-o repository/translations/messages.pot .
	$(BIN)/pybabel update -i repository/translations/messages.pot -d repository/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d repository/translations
