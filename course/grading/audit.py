"""Runs inside the student's kernel after the last cell and reports the known tampering tricks.

The grader appends one cell, `report(<nonce>)`, to the notebook it executes. The report is one
line: the nonce, then a JSON list of findings. A missing or garbled line is itself a finding
(for example an input transformer that rewrote the audit cell too).
"""
from __future__ import annotations

import importlib.util
import json
import sys
import types
from typing import Any

# Functions the visible and hidden tests rely on; none may be redefined by the notebook.
WATCHED = {
    "builtins": ["isinstance", "len", "abs", "round", "all", "any", "sorted", "sum", "print"],
    "math": ["isclose"],
    "operator": ["eq"],
    "numpy": ["allclose", "array_equal", "isclose"],
    "numpy.testing": ["assert_allclose", "assert_array_equal"],
    "torch": ["allclose", "equal"],
    "torch.testing": ["assert_close"],
}


def report(nonce: str) -> None:
    """Print `nonce` followed by the findings as JSON."""
    from IPython import get_ipython

    shell = get_ipython()
    findings = (_code_transformers(shell) + _replaced_checks(shell.user_ns)
                + _replaced_functions() + _always_equal(shell.user_ns))
    sys.__stdout__.flush()
    print(nonce + json.dumps(findings))


def _defined_in_notebook(obj: Any) -> bool:
    return getattr(obj, "__module__", None) == "__main__"


def _code_transformers(shell: Any) -> list[str]:
    """Input transformers, AST transformers and run-cell hooks registered by notebook code."""
    manager = shell.input_transformer_manager
    found = [f"input transformer {_name(t)}" for t in
             [*shell.input_transformers_post, *manager.cleanup_transforms, *manager.line_transforms]
             if not getattr(t, "__module__", "IPython").startswith("IPython")]
    found += [f"AST transformer {_name(t)}" for t in shell.ast_transformers]
    found += [f"{event} hook {_name(cb)}" for event, callbacks in shell.events.callbacks.items()
              for cb in callbacks if _defined_in_notebook(cb)]
    return found


def _replaced_checks(namespace: dict[str, Any]) -> list[str]:
    """The course's check helpers must still run the code of course/checks.py."""
    import course
    import course.checks as checks

    spec = importlib.util.spec_from_file_location("_course_checks_as_shipped", checks.__file__)
    shipped = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shipped)
    found = []
    if namespace.get("course", course) is not course:
        found.append("the name `course` no longer points at the course package")
    for name, original in vars(shipped).items():
        if isinstance(original, types.FunctionType) and not name.startswith("_"):
            for owner in (checks, course):
                current = getattr(owner, name, original)
                if not isinstance(current, types.FunctionType) or \
                        _fingerprint(current) != _fingerprint(original):
                    found.append(f"{owner.__name__}.{name} was replaced")
    return found


def _fingerprint(function: types.FunctionType, depth: int = 0) -> tuple:
    """The bytecode of a function and of the functions it closes over (decorators wrap so)."""
    code = function.__code__
    inner = [_fingerprint(cell.cell_contents, depth + 1) for cell in function.__closure__ or ()
             if depth < 3 and isinstance(cell.cell_contents, types.FunctionType)]
    return (code.co_code, code.co_names, *inner)


def _replaced_functions() -> list[str]:
    """Library functions that tests compare with, replaced by notebook code."""
    found = []
    for module_name, names in WATCHED.items():
        module = sys.modules.get(module_name)
        for name in names if module else ():
            if _defined_in_notebook(getattr(module, name, None)):
                found.append(f"{module_name}.{name} was replaced")
    return found


class _Stranger:
    """A fresh object that nothing honest compares equal to."""


def _always_equal(namespace: dict[str, Any], limit: int = 2000) -> list[str]:
    """Names bound to objects that claim to equal anything (also one level inside containers)."""
    found = []
    for name, value in list(namespace.items())[:limit]:
        if name.startswith("_") or isinstance(value, (types.ModuleType, type, types.FunctionType)):
            continue
        inner = value if isinstance(value, (list, tuple)) else (
            list(value.values()) if isinstance(value, dict) else [])
        if any(_claims_equal(v) for v in [value, *inner[:100]]):
            found.append(f"`{name}` compares equal to anything (a rigged __eq__)")
    return found


def _claims_equal(value: Any) -> bool:
    try:
        return (value == _Stranger()) is True or (value != _Stranger()) is False
    except Exception:
        return False


def _name(obj: Any) -> str:
    return getattr(obj, "__qualname__", type(obj).__name__)

