# Onhand — the whole suite on this machine.
#   make run    build and start every service on the local PostgreSQL and RabbitMQ
#   make test   run every test (real PostgreSQL and RabbitMQ)
#   make bench  run the benchmarks and print their figures against a same-run baseline
SHELL := /bin/bash
.DEFAULT_GOAL := help
-include .onhand.env
export

MVN        ?= ./mvnw -B -ntp
SERVICES   := stock receiving
# each service's database, and the one its tests use
DATABASES  := $(foreach s,$(SERVICES),onhand_$(s) onhand_$(s)_test)
JAVA_OPTS  ?= -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
RUN_DIR    := .run

.PHONY: help infra build test run stop fmt bench contracts clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | sort

infra: ## start (or install) PostgreSQL and RabbitMQ and create the databases
	@scripts/infra.sh $(DATABASES)

build: ## compile, check formatting and package every module without tests
	$(MVN) install -DskipTests

test: infra ## run every test against the local PostgreSQL and RabbitMQ
	$(MVN) install

run: infra build ## build and start the gateway and every service in the background (make stop stops them)
	@scripts/run.sh $(SERVICES)

stop: ## stop what make run started
	@scripts/run.sh --stop

bench: infra build ## run the benchmarks (P1, P4) and print each figure with its same-run baseline
	@scripts/bench.sh

fmt: ## format the Java sources
	$(MVN) spotless:apply

contracts: infra ## regenerate the committed OpenAPI documents from the services
	$(MVN) install -DskipTests -q
	$(MVN) test -pl services/stock,services/receiving -Dtest=OpenApiContractTest -Donhand.contracts.update=true -Dsurefire.failIfNoSpecifiedTests=false

clean:
	$(MVN) clean
	rm -rf $(RUN_DIR)
