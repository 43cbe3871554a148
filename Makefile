# The README's two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FRONTDESK_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-dev messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/frontdesk db upgrade
	$(BIN)/frontdesk demo
	@echo "Emails are written to instance/mail/ by 'frontdesk send-mail' (run it in another terminal)."
	$(BIN)/frontdesk run --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh locales/messages.pot from the code and templates (then `pybabel update` the catalogs).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--omit-header --project=Frontdesk -o locales/messages.pot .

clean:
	rm -rf $(VENV) server/static/gen server/static/.webassets-manifest
