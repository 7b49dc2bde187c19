# Talent enclave platform. `make run` and `make test` work on a fresh machine: each
# creates .venv and installs the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test test-unit lint bench chaos demo up down docs clean

# Installs from the lock (every package pinned, its hashes checked), then the project itself.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@# a runtime dependency in pyproject.toml but not in the lock fails here: run `make lock`
	@# (a dev one: tests/ops/test_lock.py says so)
	$(BIN)/python -m pip check
	touch $(STAMP)

# Re-pin after a change to pyproject.toml (keeps the other pins); LOCK_ARGS=--upgrade takes
# the newest versions pyproject.toml allows, LOCK_ARGS='--upgrade-package NAME' one package.
# requirements.lock (the image's) is the runtime part of requirements-dev.lock, same versions.
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --quiet \
	--python-version 3.11 --python-platform x86_64-unknown-linux-gnu $(LOCK_ARGS)
.PHONY: lock
# Needs only uv (from the lock, its hashes checked), not the installed project: after an edit
# to pyproject.toml the old lock may no longer satisfy it.
lock:  ## re-pin the dependencies into requirements-dev.lock and requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || { sed -n '/^uv==/,/^[^ ]/p' requirements-dev.lock | sed '$$d' > $(VENV)/uv.req \
		&& $(BIN)/python -m pip install -q --no-deps --require-hashes -r $(VENV)/uv.req; }
	$(UV_COMPILE) --extra dev -o requirements-dev.lock
	$(UV_COMPILE) --constraint requirements-dev.lock -o requirements.lock

run: $(STAMP)  ## the whole system on the embedded broker and SQLite (data in var/)
	$(BIN)/enclave run

# The suite on TEST_WORKERS processes (tests wait on brokers and browsers more than they
# compute), then the `serial` tests alone: those that restart the shared broker or load the
# whole machine (none on the embedded profile). PYTEST_ARGS: extra flags for both runs (not
# paths: use pytest for those).
# CI runs `make test` twice (.ci/run): without DATABASE_URL (embedded), then with it (real).
# A test that runs the same on either profile runs once, in the embedded pass: those marked
# `embedded_pass` and the unit tier (tests/unit: SQLite files whatever the profile); the
# `postgres_pass` ones once, in the real pass. Each pass deselects what it does not run
# (its counts stay honest: deselected, not skipped), and what its environment cannot run
# (`real_only` without KAFKA_RESTART_CMD, `sasl` without KAFKA_SASL_CREDENTIALS_DIR).
# Files go to the workers in the collection's order (--no-loadscope-reorder: xdist would
# sort them by their number of tests, the one-test fuzz, bench and demo files last), the
# files marked `long` first (tests/conftest.py).
TEST_WORKERS ?= 3
ELSEWHERE = $(if $(DATABASE_URL),embedded_pass,postgres_pass) \
	$(if $(KAFKA_RESTART_CMD),,real_only) $(if $(KAFKA_SASL_CREDENTIALS_DIR),,sasl)
NOT_HERE = $(foreach marker,$(ELSEWHERE), and not $(marker))
UNIT_TIER = $(if $(DATABASE_URL),--deselect tests/unit/)
SERIAL_HERE = $(and $(DATABASE_URL),$(KAFKA_BOOTSTRAP_SERVERS))
test: $(STAMP)  ## the whole suite; set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL for the real profile
	scripts/browser.sh
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
		-m "not serial$(NOT_HERE)" $(UNIT_TIER) --durations=15 $(PYTEST_ARGS)
	@# The serial run only where there is a serial test: Kafka + PostgreSQL (the embedded
	@# profile's fault suite has a broker of its own and runs beside the others).
	$(if $(SERIAL_HERE),$(BIN)/pytest -m "serial$(NOT_HERE)" $(UNIT_TIER) --durations=5 $(PYTEST_ARGS))

test-unit: $(STAMP)  ## the fast tier: handlers on SQLite, no broker (seconds)
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check libs services tests
	$(BIN)/ruff format --check libs services tests
	$(BIN)/mypy libs/shared/enclave_shared services

bench: $(STAMP)  ## event path, HTTP list/create, idle CPU, console pages: each beside its ceiling (README)
	$(BIN)/python -m tests.bench

chaos: $(STAMP)  ## fault suite: N flows through the APIs under kill -9, broker restart, DB outage, replicas, poison
	$(BIN)/python -m tests.chaos

demo: $(STAMP)  ## the source's first half-year, through the public APIs of a running system
	$(BIN)/python -m tests.demo

.PHONY: screenshots
screenshots: $(STAMP)  ## PNGs of the console's main pages into docs/console/ (own system, demo data, Chromium)
	$(BIN)/python -m tests.console.screenshots

up:  ## Apache Kafka, PostgreSQL and the four services in containers
	docker compose -f deploy/docker-compose.yml up -d --build

down:
	docker compose -f deploy/docker-compose.yml down

docs: $(STAMP)  ## AsyncAPI documents and JSON Schemas of the event catalog
	$(BIN)/enclave asyncapi --out docs/events

clean:
	rm -rf var .build
