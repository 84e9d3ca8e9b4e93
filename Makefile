# Onhand — the whole suite on this machine.
#   make run    build and start every service on the local PostgreSQL and RabbitMQ
#   make test   run every test (real PostgreSQL and RabbitMQ)
#   make bench  run the benchmarks and print their figures against a same-run baseline
SHELL := /bin/bash
.DEFAULT_GOAL := help
-include .onhand.env
export

MVN        ?= ./mvnw -B -ntp
SERVICES   := stock receiving fulfillment returns channel-sync
# each service's database, the one its tests use and the one the end-to-end suite uses
DATABASES  := $(foreach s,$(subst -,_,$(SERVICES)),onhand_$(s) onhand_$(s)_test onhand_$(s)_e2e)
JAVA_OPTS  ?= -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
RUN_DIR    := .run

.PHONY: help infra build test run stop fmt bench faults contracts clean

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

bench: infra build ## run the benchmarks (P1-P5) and print each figure with its same-run baseline
	@scripts/bench.sh

faults: infra build ## inject the faults and bad input of the targets (R, S) into a suite of its own and print the counts
	@scripts/faults.sh

fmt: ## format the Java sources
	$(MVN) spotless:apply

contracts: infra ## regenerate the committed OpenAPI documents from the services and docs/messages.md from the AsyncAPI contract
	$(MVN) install -DskipTests -q
	$(MVN) test -pl services/stock,services/receiving,services/fulfillment,services/returns,services/channel-sync -Dtest=OpenApiContractTest -Donhand.contracts.update=true -Dsurefire.failIfNoSpecifiedTests=false
	$(MVN) test -pl contracts -Dtest=MessageCatalogueTest -Donhand.contracts.update=true

clean:
	$(MVN) clean
	rm -rf $(RUN_DIR)

# --- Kubernetes: the Helm chart (charts/onhand), images and deployment ---
CHART          := charts/onhand
HELM           ?= helm
DOCKER         ?= docker
# images are <IMAGE_REGISTRY>/onhand/<app>:<IMAGE_TAG>; the chart's default tag is its appVersion
IMAGE_REGISTRY ?=
IMAGE_TAG      ?= $(shell sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' $(CHART)/Chart.yaml)
APPS           := gateway $(SERVICES)
RELEASE        ?= onhand
NAMESPACE      ?= onhand
VALUES         ?= $(CHART)/values-dev.yaml
HELM_ARGS      ?=

.PHONY: chart-check images deploy

chart-check: ## lint the chart strictly, render it under every values file and toggle, validate every object (offline, no cluster)
	$(MVN) test -pl charts
	@if command -v $(HELM) >/dev/null 2>&1; then \
	  for values in "" $(CHART)/values-dev.yaml $(CHART)/values-production.yaml; do \
	    $(HELM) lint --strict $(CHART) $${values:+-f $$values} || exit 1; \
	  done; \
	else echo "($(HELM) not on PATH: the embedded Helm of the tests above did the lint)"; fi

images: ## build the gateway's and every service's image (needs a Docker engine; IMAGE_REGISTRY=... PUSH=1 to push)
	@$(DOCKER) info >/dev/null 2>&1 || { echo "images: no Docker engine reachable ($(DOCKER) info failed); build on a machine with one" >&2; exit 1; }
	$(MAKE) build
	@set -e; for app in $(APPS); do \
	  dir=services/$$app; [[ $$app == gateway ]] && dir=gateway; \
	  image=$(if $(IMAGE_REGISTRY),$(IMAGE_REGISTRY)/)onhand/$$app:$(IMAGE_TAG); \
	  echo "building $$image from $$dir"; \
	  $(DOCKER) build -f charts/image/Dockerfile.jvm -t $$image $$dir; \
	  if [[ -n "$(PUSH)" ]]; then $(DOCKER) push $$image; fi; \
	done

deploy: ## helm upgrade --install the suite into the current kube context (RELEASE, NAMESPACE, VALUES, HELM_ARGS)
	@command -v $(HELM) >/dev/null 2>&1 || { echo "deploy: needs helm 3 on PATH" >&2; exit 1; }
	$(HELM) upgrade --install $(RELEASE) $(CHART) --namespace $(NAMESPACE) --create-namespace \
	  $(foreach f,$(VALUES),-f $(f)) $(if $(IMAGE_REGISTRY),--set global.imageRegistry=$(IMAGE_REGISTRY)) \
	  --wait --timeout 10m $(HELM_ARGS)
