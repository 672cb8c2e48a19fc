# mdi.action_accounts — developer entry points. `make demo` and `make test` do all set-up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SHELLFLAGS := -eu -o pipefail -c

ROOT       := $(CURDIR)
# The first interpreter of that version that really runs (pyenv shims exist for versions not selected).
find_python = $(shell for p in $(wildcard $(HOME)/.pyenv/versions/$(1)*/bin/python$(1)) $$(command -v python$(1)); do \
	"$$p" -c 'import sys' 2>/dev/null && { echo "$$p"; break; }; done)
PY311      := $(or $(PY311),$(call find_python,3.11))
PY312      := $(or $(PY312),$(call find_python,3.12))
VENV       := $(ROOT)/.venv
VENV312    := $(ROOT)/.venv-3.12
export MDI_LAB_DIR ?= $(ROOT)/.lab
# ansible-test needs the collection at .../ansible_collections/mdi/action_accounts, outside this git tree.
COLL_ROOT  := /tmp/mdi-aa-$(shell echo -n '$(ROOT)' | md5sum | cut -c1-8)
COLL_DIR   := $(COLL_ROOT)/ansible_collections/mdi/action_accounts
# ansible(-playbook), ansible-lint, molecule find the collection here (a symlink to this tree).
export ANSIBLE_COLLECTIONS_PATH := $(ROOT)/.build/collections
# Every tool keeps its state under .build/, none in the home directory (make test and make demo check that, see
# tools/run_suite.py): ansible's (its temp dirs, the galaxy cache; ansible-lint and molecule keep the collections that
# ansible-compat installs and molecule's ephemeral directories under ANSIBLE_HOME too), and the XDG caches (pip, pylint,
# ansible-lint's version check). ANSIBLE_REMOTE_TMP only reaches sh shells, that is the controller itself (local
# connection); the WinRM hosts keep their %TEMP%.
export ANSIBLE_HOME       := $(ROOT)/.build/ansible-home
export ANSIBLE_LOCAL_TEMP := $(ANSIBLE_HOME)/tmp
export ANSIBLE_REMOTE_TMP := $(ANSIBLE_HOME)/tmp
export XDG_CACHE_HOME     := $(ROOT)/.build/cache
# ansible-test (its sanity venvs in ~/.ansible/test/venv, its pip bootstrap script in ~/.ansible/test/cache: both
# ~-relative, with no setting of their own) and antsibull-docs (~/antsibull.log) run with this HOME. ansible-test passes
# its child processes no environment but HOME, PATH and the locale, so pip in its venvs reads the user configuration
# under this HOME: tool-home copies yours there.
TOOL_HOME  := $(ROOT)/.build/home
# ansible-test's pip bootstrap script for one pip version (tools/get_pip_standin.py writes it).
pip_standin = $(TOOL_HOME)/.ansible/test/cache/get_pip_$(subst .,_,$(1)).py
# The home directory's tool state before `make test` / `make demo` (tools/run_suite.py compares it at the end).
HOME_STATE  = $(ROOT)/.build/home-state.$@.json
SNAPSHOT_PY = $(or $(PY311),python3)
JUNIT      := $(ROOT)/tests/output/junit
# Tools call each other by name (antsibull-docs runs ansible-doc, molecule runs ansible-playbook).
export PATH := $(VENV)/bin:$(PATH)
PYTEST     := $(VENV)/bin/python -m pytest -p no:cacheprovider -W ignore::DeprecationWarning

.PHONY: help test demo setup venv venv-3.12 system-packages collection-link collection-copy tool-home \
	sanity-2.19 sanity-2.21 units-2.19 units-2.21 lint docs-lint build lab-up lab-down lab-status \
	lab-tests integration molecule suite clean tooling docs docsite bench lab-images molecule-podman lab-podman-down

help:
	@echo "make demo   - set up, start the lab, run playbooks/site.yml twice (the second run must change nothing),"
	@echo "              then playbooks/verify.yml, which prints and writes its report, then playbooks/prerequisites.yml"
	@echo "              and playbooks/readiness.yml (the readiness report); stop the lab"
	@echo "make test   - set up, then every test: sanity + units (ansible-core 2.19/py3.11 and 2.21/py3.12),"
	@echo "              ansible-lint, antsibull-docs lint, build, lab tests, integration, molecule"
	@echo "make lab-up / lab-down / lab-status - the lab alone (state in $$MDI_LAB_DIR, default .lab/)"

# ---------------------------------------------------------------- set-up
setup: venv venv-3.12 system-packages collection-link

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-lint.txt requirements-docs.txt
	@test -n "$(PY311)" || { echo "python3.11 not found"; exit 1; }
	$(PY311) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r requirements-dev.txt -r requirements-lint.txt -r requirements-docs.txt
	touch $@

# ansible-core 2.21 needs Python >= 3.12; skipped with a clear message where the machine has none.
venv-3.12: $(VENV312)/.installed
$(VENV312)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PY312)" ]; then echo "python3.12 not found: ansible-core 2.21 checks will be reported as not run"; exit 0; fi; \
	$(PY312) -m venv $(VENV312) && $(VENV312)/bin/pip install -q -r requirements-dev.txt && touch $@

system-packages:
	bash tests/lab/install-system-packages.sh

tool-home:
	@mkdir -p $(TOOL_HOME)
	@for f in "$${XDG_CONFIG_HOME:-$(HOME)/.config}/pip/pip.conf:.config/pip/pip.conf" "$(HOME)/.pip/pip.conf:.pip/pip.conf"; do \
	  if [ -f "$${f%%:*}" ]; then mkdir -p "$$(dirname "$(TOOL_HOME)/$${f#*:}")" && cp "$${f%%:*}" "$(TOOL_HOME)/$${f#*:}"; fi; done

$(call pip_standin,%): | $(VENV)/.installed tool-home
	HOME=$(TOOL_HOME) $(VENV)/bin/python tools/get_pip_standin.py $(subst _,.,$*)

collection-link:
	@mkdir -p $(ANSIBLE_COLLECTIONS_PATH)/ansible_collections/mdi
	@ln -sfn $(ROOT) $(ANSIBLE_COLLECTIONS_PATH)/ansible_collections/mdi/action_accounts

# A copy of the tracked and new (not ignored) files: what a commit would hold.
collection-copy:
	@rm -rf $(COLL_DIR) && mkdir -p $(COLL_DIR)
	@git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t $(COLL_DIR)

# ---------------------------------------------------------------- static checks
sanity-2.19: venv collection-copy $(call pip_standin,24.2)
	cd $(COLL_DIR) && HOME=$(TOOL_HOME) $(VENV)/bin/ansible-test sanity --venv --python 3.11 --color no

sanity-2.21: venv-3.12 collection-copy $(call pip_standin,25.2)
	@test -f $(VENV312)/.installed || { echo "NOT RUN: no Python 3.12 for ansible-core 2.21"; exit 1; }
	cd $(COLL_DIR) && HOME=$(TOOL_HOME) $(VENV312)/bin/ansible-test sanity --venv --python 3.12 --color no

units-2.19: venv collection-copy tool-home
	cd $(COLL_DIR) && HOME=$(TOOL_HOME) PATH=$(VENV)/bin:$$PATH ansible-test units --local --python 3.11 --color no
	@mkdir -p $(JUNIT) && cp $(COLL_DIR)/tests/output/junit/python3.11-*.xml $(JUNIT)/units-2.19.xml

units-2.21: venv-3.12 collection-copy tool-home
	@test -f $(VENV312)/.installed || { echo "NOT RUN: no Python 3.12 for ansible-core 2.21"; exit 1; }
	cd $(COLL_DIR) && HOME=$(TOOL_HOME) PATH=$(VENV312)/bin:$$PATH ansible-test units --local --python 3.12 --color no
	@mkdir -p $(JUNIT) && cp $(COLL_DIR)/tests/output/junit/python3.12-*.xml $(JUNIT)/units-2.21.xml

# --offline: the collection is found through ANSIBLE_COLLECTIONS_PATH (it has no dependencies), so ansible-compat need
# not build and install a copy of it (under ANSIBLE_HOME otherwise), and nothing asks the network for a newer version.
lint: venv collection-link
	$(VENV)/bin/ansible-lint --profile production --strict --offline

docs-lint: venv collection-link tool-home
	HOME=$(TOOL_HOME) $(VENV)/bin/antsibull-docs lint-collection-docs --plugin-docs $(ROOT)
	$(VENV)/bin/antsibull-changelog lint

build: venv
	@rm -rf .build/dist && mkdir -p .build/dist
	$(VENV)/bin/ansible-galaxy collection build --output-path .build/dist .
	$(VENV)/bin/python tools/check_artifact.py .build/dist/mdi-action_accounts-*.tar.gz

# ---------------------------------------------------------------- the lab
# The sensor generation the fake Graph serves (v2|v3|mixed|migrating): `make demo MDI_LAB_SENSORS=v3` shows the LocalSystem path.
MDI_LAB_SENSORS ?= v2
lab-up: venv system-packages collection-link
	$(VENV)/bin/python tests/lab/labctl.py up --sensors $(MDI_LAB_SENSORS)

lab-down:
	@if [ -x $(VENV)/bin/python ]; then $(VENV)/bin/python tests/lab/labctl.py down; fi

lab-status: venv
	$(VENV)/bin/python tests/lab/labctl.py status

# ---------------------------------------------------------------- tests against the lab
lab-tests: venv collection-link
	$(PYTEST) tests/lab/tests -q --junitxml=$(JUNIT)/lab-tests.xml

# The documentation site as Chromium shows it, the EE context builds, the AWX definitions match the collection.
tooling: venv collection-link
	$(PYTEST) tests/tooling -q --junitxml=$(JUNIT)/tooling.xml

# The documentation site, built the way collections build theirs (antsibull-docs sphinx-init, then Sphinx with warnings
# as errors): every module, plugin and role page, and the guides of docs/. Open .build/docsite/build/html/index.html.
docsite: venv collection-link tool-home
	$(VENV)/bin/python tools/build_docsite.py

docs: docsite

# Two pytest-xdist workers, each file whole on one of them: the tests wait on the lab's servers about half the time, so two
# share the two cores well; every worker but the first starts a lab of its own (tests/integration/conftest.py).
INTEGRATION_WORKERS ?= 2
integration: venv collection-link
	$(PYTEST) tests/integration -q -n $(INTEGRATION_WORKERS) --dist loadfile --junitxml=$(JUNIT)/integration.xml

# One at a time, each on the lab `make lab-up` started: they share it, and each sets up what it needs first.
MOLECULE_SCENARIOS := default check teardown
molecule: venv collection-link
	cd extensions && for s in $(MOLECULE_SCENARIOS); do $(VENV)/bin/molecule test -s $$s || exit 1; done

# The lab with its fakes in podman containers (tests/lab/containers/README.md). Images are made without a
# registry and cached under .lab/podman; the scenario starts and stops a lab of its own in
# MDI_PODMAN_LAB_DIR, so it runs whether or not the lab of `make lab-up` is up.
export MDI_PODMAN_LAB_DIR ?= $(MDI_LAB_DIR)/container-lab
lab-images: system-packages
	tests/lab/containers/build-images.sh

molecule-podman: venv system-packages collection-link
	cd extensions && $(VENV)/bin/molecule test -s podman

lab-podman-down:
	@if [ -x $(VENV)/bin/python ]; then MDI_LAB_DIR=$(MDI_PODMAN_LAB_DIR) $(VENV)/bin/python tests/lab/container_lab.py down; fi

# ---------------------------------------------------------------- benchmarks (ratios measured in one run, no thresholds)
# The descriptor codec alone; user_right over fleets of 10-100 fake DCs against ansible.builtin.raw; then, on the lab (started
# and stopped here), ad_ace against raw ldap3 and against bloodyAD, and whole site runs (local scope, then GPO scope).
bench: venv system-packages collection-link
	$(VENV)/bin/python tests/bench/bench_sd.py
	$(VENV)/bin/python tests/bench/bench_fleet.py
	@$(MAKE) --no-print-directory lab-down >/dev/null 2>&1 || true
	@rc=0; $(MAKE) --no-print-directory lab-up && $(VENV)/bin/python tests/bench/bench_ad_ace.py \
	  && $(VENV)/bin/python tests/bench/bench_peers.py \
	  && $(VENV)/bin/python tests/bench/bench_site.py \
	  && $(VENV)/bin/python tests/bench/bench_site.py --logon-right-scope gpo || rc=$$?; \
	$(MAKE) --no-print-directory lab-down; exit $$rc

# ---------------------------------------------------------------- the two commands
STATIC_STEPS := sanity-2.19 sanity-2.21 units-2.19 units-2.21 lint docs-lint docsite build tooling
LAB_STEPS    := lab-tests integration molecule molecule-podman

# Both first record the home directory's tool state (before set-up, which runs tools too) and end by comparing it.
test:
	@mkdir -p $(ROOT)/.build && $(SNAPSHOT_PY) tools/run_suite.py --home-snapshot $(HOME_STATE)
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory lab-down >/dev/null 2>&1 || true
	@rc=0; $(VENV)/bin/python tools/run_suite.py --home-before $(HOME_STATE) $(STATIC_STEPS) lab-up $(LAB_STEPS) lab-down || rc=$$?; \
	$(MAKE) --no-print-directory lab-podman-down >/dev/null 2>&1 || true; \
	$(MAKE) --no-print-directory lab-down >/dev/null 2>&1 || true; exit $$rc

DEMO_PLAY  := $(VENV)/bin/ansible-playbook -i $(MDI_LAB_DIR)/inventory.yml
DEMO_DIR   := $(ROOT)/.build/demo
demo:
	@mkdir -p $(ROOT)/.build && $(SNAPSHOT_PY) tools/run_suite.py --home-snapshot $(HOME_STATE)
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory lab-down >/dev/null 2>&1 || true
	@mkdir -p $(DEMO_DIR); rc=0; $(MAKE) --no-print-directory lab-up && \
	echo "== site playbook, first run (sensors: $(MDI_LAB_SENSORS); the decision is shown first)" && $(DEMO_PLAY) playbooks/site.yml && \
	echo "== site playbook, second run: must change nothing" && $(DEMO_PLAY) playbooks/site.yml | tee $(DEMO_DIR)/second-run.log && \
	{ ! grep -E ' (changed|failed|unreachable)=[1-9]' $(DEMO_DIR)/second-run.log || { echo "DEMO FAILED: the second run changed something"; false; }; } && \
	echo "== second run: changed=0 on every host" && \
	echo "== verify playbook: the checks, the remediation proof on the canary mdi-canary (MDI disables, enables and resets it), the report" && \
	$(DEMO_PLAY) playbooks/verify.yml -e verify_report_dir=$(DEMO_DIR)/report \
	  -e verify_remediation_canary=mdi-canary -e verify_remediation_canary_create=true && \
	echo "== report: $(DEMO_DIR)/report/report.md and report.html" && \
	echo "== prerequisites playbook: the Directory Service account and the auditing items (Set-MDIConfiguration's)" && \
	$(DEMO_PLAY) playbooks/prerequisites.yml -e directory_service_account_kds_backdate_for_lab=true && \
	echo "== readiness playbook: reads everything back, changes nothing (the fake cloud keeps one auditing health issue open)" && \
	$(DEMO_PLAY) playbooks/readiness.yml -e readiness_report_dir=$(DEMO_DIR)/readiness -e readiness_fail_on_problems=false && \
	echo "== readiness report: $(DEMO_DIR)/readiness/report.md, report.html and report.json" || rc=$$?; \
	$(MAKE) --no-print-directory lab-down; $(VENV)/bin/python tools/run_suite.py --home-check $(HOME_STATE) || rc=$$?; exit $$rc

clean: lab-down lab-podman-down
	rm -rf .build tests/output $(COLL_ROOT)
