# The README's two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FRONTDESK_BASE_URL ?= http://$(HOST):$(PORT)

CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test lint bench install install-dev messages clean

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

# Compiled catalogs are built here, never committed.
locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(VENV)/.installed $(COMPILED)
install-dev: $(VENV)/.installed-dev $(COMPILED)

run: install
	$(BIN)/frontdesk db upgrade
	$(BIN)/frontdesk demo
	@echo "Emails are written to instance/mail/ by 'frontdesk send-mail' (run it in another terminal)."
	$(BIN)/frontdesk run --host $(HOST) --port $(PORT)

# Production: `frontdesk serve`, gunicorn (WORKERS, default 2 x cores + 1) and `frontdesk send-mail
# --watch`, stopping together; settings come from the FRONTDESK_* environment (README: "Running in production").
.PHONY: serve
serve: install
	$(BIN)/frontdesk serve --bind $(HOST):$(PORT) $(if $(WORKERS),--workers $(WORKERS))

# ruff's settings are in pyproject.toml: line length 120, complexity 10, imports sorted, one format.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark in one run (README: "Performance"); each prints its figures, and the run fails at the
# end if any target was missed. Needs gunicorn and aiosmtpd (requirements-dev.txt). Longer with
# PostgreSQL (bench/scale.py seeds 100,000 rows of each kind into each database).
bench: install-dev
	@status=0; \
	for script in embed_size http_ratio scale external_calendars mail_throughput; do \
		echo "== bench/$$script.py"; \
		$(BIN)/python bench/$$script.py || status=1; \
		echo; \
	done; \
	exit $$status

# After changing strings: refresh locales/messages.pot from the code and templates and merge it into
# every catalog; then translate what is new or fuzzy (tests/test_catalog.py fails until you do).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -c TRANSLATORS: \
		--add-location=file --sort-output --omit-header --project=Frontdesk -o locales/messages.pot .
	$(if $(CATALOGS),$(BIN)/pybabel update -i locales/messages.pot -d locales --ignore-obsolete)

clean:
	rm -rf $(VENV) server/static/gen server/static/.webassets-manifest
