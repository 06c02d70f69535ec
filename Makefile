# make setup | make lab | make hub | make test | make test-gpu | make build
# Every target uses the project's own virtualenv in .venv; `make setup` makes it.

VENV := .venv
BASE_PYTHON := python3
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Two test processes, each test file whole in one (pytest-xdist); PYTEST_PARALLEL= runs serially.
PYTEST_PARALLEL ?= -n 2 --dist loadfile
LAB_ARGS ?=
NBGRADER_SERVER_EXTENSIONS := formgrader validate_assignment assignment_list course_list
# jupyter colours its extension lists; strip the escape codes before reading them.
NO_COLOUR := sed 's/\x1b\[[0-9;]*m//g'

.PHONY: setup lab hub test test-full test-gpu build bubblewrap replica-server

# `course grade` contains student code with bubblewrap; without it, it refuses to grade (unless
# run as root, or told --allow-unsafe-grading). Installed here when this user can (root + apt).
bubblewrap:
	@if command -v bwrap >/dev/null; then :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing bubblewrap (contains student code in course grade)..."; \
	  apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; \
	else \
	  echo "NOTE: bubblewrap is not installed. Instructors need it for course grade:"; \
	  echo "      sudo apt-get install bubblewrap   (Debian/Ubuntu; dnf/pacman: bubblewrap)"; \
	fi

setup: $(STAMP) bubblewrap replica-server
	$(PY) -m course assets
	mkdir -p autograder/exchange
	chmod a+rwx autograder/exchange  # instructors release into it, students fetch and submit

$(PY):
	$(BASE_PYTHON) -m venv $(VENV)

# torch first, pinned: the CPU wheel. Left to `pip install -e .`, pip would pull a CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e ".[dev]"
	$(if $(filter .venv,$(VENV)),$(PY) -m ipykernel install --user --name hf-course --display-name "HF course (.venv)")
	@for ext in $(NBGRADER_SERVER_EXTENSIONS); do \
	  $(JUPYTER) server extension list 2>&1 | $(NO_COLOUR) \
	    | grep -q "nbgrader.server_extensions.$$ext enabled" \
	  || $(JUPYTER) server extension enable --sys-prefix "nbgrader.server_extensions.$$ext"; \
	done
	@for disabled in $$($(JUPYTER) labextension list 2>&1 | $(NO_COLOUR) \
	    | sed -nE 's/^ +(@jupyter\/nbgrader[:a-z-]*)( \(all plugins\))?$$/\1/p'); do \
	  $(JUPYTER) labextension enable --level=sys_prefix "$$disabled"; \
	done
	touch $@

# The Hub mirror that serves the full-profile replicas to the tests (tests/replicas/server.py):
# olah in a virtualenv of its own, so its web stack never meets the course's pins.
OLAH_VENV := .venv-olah
replica-server: $(OLAH_VENV)/.installed
$(OLAH_VENV)/.installed:
	python3 -m venv $(OLAH_VENV)
	$(OLAH_VENV)/bin/pip install -q olah==0.5.4
	touch $@

# Started from autograder/ so nbgrader (the formgrader too) reads its config; opens notebooks/.
lab: setup
	cd autograder && ../$(JUPYTER) lab --ServerApp.root_dir=.. \
	  --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# A JupyterHub for a class on this machine, as root (course hub: users, exchange, formgrader);
# HUB_ARGS passes its options (--port, --instructor, --students). Its users run the course from a
# virtualenv of its own under HUB_ROOT, made from a Python every user can run (pyenv's lives in
# root's home); its proxy comes from npm.
HUB_ROOT ?= /srv/hf-course-hub
HUB_PYTHON ?= /usr/bin/python3
HUB_ARGS ?=
HUB_NODE := .hub-node
hub: setup $(HUB_NODE)/.installed
	$(MAKE) --no-print-directory VENV=$(HUB_ROOT)/venv BASE_PYTHON=$(HUB_PYTHON) $(HUB_ROOT)/venv/.installed
	$(HUB_ROOT)/venv/bin/python -m course hub --root $(HUB_ROOT) $(HUB_ARGS)
$(HUB_NODE)/.installed:
	npm install --silent --no-audit --no-fund --prefix $(HUB_NODE) configurable-http-proxy@5.3.0
	touch $@

test: setup
	@$(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure." >&2; fi; \
	exit $$status

# Every solution in the full profile against the served replicas, the slow chapters too.
test-full: setup
	COURSE_TEST_FULL_SLOW=1 $(PY) -m pytest tests/replicas $(PYTEST_ARGS)

# On a GPU machine with the Hub: the same full-profile test against the real Hub, where no cell
# may fail (tests/replicas/quality.py lists what only this run checks), then each notebook's
# time and peak GPU memory (bench/results/course-runtime-full.json).
test-gpu: setup
	COURSE_TEST_HUB=real $(PY) -m pytest tests/replicas/test_full_profile.py $(PYTEST_ARGS)
	$(PY) bench/course_runtime.py --profile full

build: $(STAMP)
	$(PY) -m course build
