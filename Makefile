# The two commands: `make run` (whole platform, demo data, embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SERVICES := identity catalogue contracting products support
PACKAGES := shared $(addprefix services/,$(SERVICES) portal) deploy/runner
PACKAGE_FILES := $(foreach p,$(PACKAGES),$(p)/pyproject.toml) requirements.lock requirements-dev.lock
# The platform's own packages are not on an index: the locks name every other package, with hashes.
OWN_PACKAGES := servicekit identity catalogue contracting products support portal zcp-runner
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes $(foreach p,$(OWN_PACKAGES),--no-emit-package $(p))

export TEST_POSTGRES_URL ?= $(shell deploy/scripts/local-server-url.sh postgres)
export TEST_AMQP_URL ?= $(shell deploy/scripts/local-server-url.sh rabbitmq)

.PHONY: install deps run up test fuzz lint format openapi lock bench-bus bench-catalogue bench-contracting bench-history bench-portal bench-publication test-loaded clean

install: $(STAMP)

$(STAMP): $(PACKAGE_FILES)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation $(foreach p,$(PACKAGES),-e $(p))
	$(BIN)/pip check
	touch $(STAMP)

## make lock: re-resolve requirements.lock (runtime: kit, services, runner; used by the images) and
## requirements-dev.lock (the same pins plus the dev tools; used by make install and make test).
lock:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	# only uv, at the locked version: a full install would fail while the lock lags a new requirement
	test -x $(BIN)/uv || $(BIN)/pip install -q $$(grep -o '^uv==[^ ]*' requirements-dev.lock)
	$(BIN)/uv pip compile requirements.in $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile requirements.in requirements-dev.txt -c requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock

deps:
	deploy/scripts/install-system-deps.sh

## make run: every service in one process on SQLite + kombu memory://, gateway on :8080.
## With AMQP_URL and the <SERVICE>_DATABASE_URLs set it starts the process mode instead (as `make up`).
run: install
	$(BIN)/zcp-run

## make up: separate gunicorn + consumer + relay per service behind nginx, on PostgreSQL + RabbitMQ.
up: install deps
	$(BIN)/zcp-up $(UP_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install deps lint
	deploy/scripts/run-tests.sh

## make test-loaded: make test three times in a row beside two CPU burners (LOADED_RUNS, LOADED_BURNERS).
test-loaded: install deps
	deploy/scripts/loaded-test-runs.sh $${LOADED_RUNS:-3} $${LOADED_BURNERS:-2}

## make fuzz: the nightly-size schemathesis run (every service's OpenAPI through the gateway, every role) on a
## fresh process-mode platform; FUZZ_EXAMPLES examples per operation, role and mode (CI's make test uses 2).
fuzz: install deps
	cd tests-e2e && FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-40} ../$(BIN)/python -m pytest -q -p no:cacheprovider -s \
		--timeout=$${FUZZ_TIMEOUT:-7200} test_openapi_fuzz.py

## make openapi: regenerate shared/contracts/openapi/*.json after an API change (a test compares them).
openapi: install
	$(BIN)/python -m zcp_runner.openapi

bench-bus: install
	$(BIN)/python shared/bench/bench_bus.py

bench-catalogue: install
	$(BIN)/python services/catalogue/bench/search_bench.py

## make bench-contracting: the set-based core against hand-written SQL, then (bench_scaled.py, issue 14) the
## process mode scaled to 4 API workers and 3 contracting consumers next to 1 worker and 1 consumer.
bench-contracting: install deps
	$(BIN)/python services/contracting/bench/bench_contracting.py --scale 1
	$(BIN)/python services/contracting/bench/bench_contracting.py --scale 10
	$(BIN)/python services/contracting/bench/bench_contracting.py --closure
	$(BIN)/python services/contracting/bench/bench_scaled.py

## make bench-history: contracting's history reads as the history grows tenfold (goal: within 2x).
bench-history: install
	$(BIN)/python services/contracting/bench/bench_history.py

## make bench-publication: R17's point lookup through the gateway under load, save -> publication latency, bulk feed.
bench-publication: install deps
	$(BIN)/python services/products/bench/bench_publication.py

## make bench-portal: the portal's pages and saves next to the same API calls, and its page weight.
bench-portal: install deps
	$(BIN)/python services/portal/bench/bench_portal.py

clean:
	rm -rf $(VENV) var
