# make setup | make lab | make test | make build
# Every target uses the project's own virtualenv in .venv; `make setup` makes it.

VENV := .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
LAB_ARGS ?=
NBGRADER_SERVER_EXTENSIONS := formgrader validate_assignment assignment_list course_list
# jupyter colours its extension lists; strip the escape codes before reading them.
NO_COLOUR := sed 's/\x1b\[[0-9;]*m//g'

.PHONY: setup lab test build

setup: $(STAMP)
	$(PY) -m course assets
	mkdir -p autograder/exchange
	chmod a+rwx autograder/exchange  # instructors release into it, students fetch and submit

$(PY):
	python3 -m venv $(VENV)

# torch first, pinned: the CPU wheel. Left to `pip install -e .`, pip would pull a CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e ".[dev]"
	$(PY) -m ipykernel install --user --name hf-course --display-name "HF course (.venv)"
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

lab: setup
	$(JUPYTER) lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: setup
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure." >&2; fi; \
	exit $$status

build: $(STAMP)
	$(PY) -m course build
