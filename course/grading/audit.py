"""Runs inside the student's kernel after the last cell and reports tampering, by family.

The grader appends one cell, `report(<id>, <key>)`, to the notebook it executes. The report is
one line: the id, the findings as JSON, and an HMAC of them under the key, so output filters
cannot rewrite it. A missing, garbled or wrongly signed line is itself a finding (for example an
input transformer that rewrote the audit cell too).

The families, each checked as a whole rather than case by case:
- code that changes how cells run: input/AST transformers, event hooks, trace functions;
- code that changes how cells report: shell or kernel methods, exception handlers, hooks and
  streams replaced by notebook code;
- code that changes the checks: any function or class of the course package, or of a module
  the tests rely on, replaced by notebook code; objects that claim to equal anything.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.util
import json
import sys
import types
from typing import Any

# Modules whose every attribute the tests may rely on: none may be notebook code.
RELIED_ON = ("builtins", "math", "operator", "functools", "contextlib", "json", "types",
             "inspect", "traceback", "numpy", "numpy.testing", "torch", "torch.testing",
             "evaluate", "nbformat")
# Packages whose modules and classes run the cells, report them or check them.
MACHINERY = ("course", "IPython", "ipykernel", "jupyter_client", "comm")


def report(report_id: str, key: str) -> None:
    """Print `report_id`, the findings as JSON and their HMAC under `key`."""
    from IPython import get_ipython

    shell = get_ipython()
    findings = (_code_transformers(shell) + _reporting(shell) + _replaced_checks(shell.user_ns)
                + _notebook_code_in_modules(shell) + _always_equal(shell.user_ns))
    payload = json.dumps(findings)
    sys.__stdout__.flush()
    print(f"{report_id}{payload}|{sign(key, payload)}")


def sign(key: str, payload: str) -> str:
    return hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()


def read(text: str, report_id: str, key: str) -> list[str] | None:
    """The findings in the kernel's output `text`; None when the line is missing, garbled or
    not signed with `key` (the audit did not run as written)."""
    for line in text.splitlines():
        if line.startswith(report_id):
            payload, _, mac = line[len(report_id):].rpartition("|")
            if not hmac.compare_digest(mac, sign(key, payload)):
                return None
            try:
                return list(json.loads(payload))
            except ValueError:
                return None
    return None


def _cell_files(shell: Any) -> set[str]:
    return set(getattr(shell.compile, "_filename_map", {}))


def _from_notebook(obj: Any, cell_files: set[str]) -> bool:
    """Whether `obj` is a function or class that notebook code made, or a method, partial or
    instance of one. Reads no attribute through an object's own __getattr__."""
    if isinstance(obj, (types.MethodType, classmethod, staticmethod)):
        obj = obj.__func__
    if isinstance(obj, functools.partial):
        obj = obj.func
    if isinstance(obj, types.FunctionType):
        file, module = obj.__code__.co_filename, obj.__module__
        return (file in cell_files or file.startswith("<ipython-input") or module == "__main__"
                or (file == "<string>" and module is None))
    if isinstance(obj, type):
        return obj.__module__ == "__main__"
    return type(obj).__module__ == "__main__"


def _code_transformers(shell: Any) -> list[str]:
    """Input transformers, AST transformers, run-cell hooks and trace functions from the notebook."""
    manager = shell.input_transformer_manager
    found = [f"input transformer {_name(t)}" for t in
             [*shell.input_transformers_post, *manager.cleanup_transforms, *manager.line_transforms]
             if not getattr(t, "__module__", "IPython").startswith("IPython")]
    found += [f"AST transformer {_name(t)}" for t in shell.ast_transformers]
    cells = _cell_files(shell)
    found += [f"{event} hook {_name(cb)}" for event, callbacks in shell.events.callbacks.items()
              for cb in callbacks if _from_notebook(cb, cells)]
    found += [f"a {kind} function is set (it can skip lines)"
              for kind, hook in (("trace", sys.gettrace()), ("profile", sys.getprofile()))
              if hook is not None and _from_notebook(hook, cells)]
    return found


def _reporting(shell: Any) -> list[str]:
    """What decides how a cell's result and errors reach nbgrader, changed by notebook code."""
    cells = _cell_files(shell)
    found = []
    for owner in (shell, getattr(shell, "kernel", None)):
        for name, value in list(vars(owner).items()) if owner is not None else ():
            if _from_notebook(value, cells):
                found.append(f"{type(owner).__name__}.{name} was replaced by notebook code")
    if shell.custom_exceptions:
        found.append("a custom exception handler is set (set_custom_exc)")
    for name in ("excepthook", "displayhook", "stdout", "stderr"):
        value = getattr(sys, name)
        if _from_notebook(value, cells) or _from_notebook(getattr(value, "write", None), cells):
            found.append(f"sys.{name} was replaced by notebook code")
    return found


def _replaced_checks(namespace: dict[str, Any]) -> list[str]:
    """The course's checks, private helpers included, must still run course/checks.py's code."""
    import course
    import course.checks as checks

    spec = importlib.util.spec_from_file_location("_course_checks_as_shipped", checks.__file__)
    shipped = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shipped)
    found = []
    if namespace.get("course", course) is not course or sys.modules.get("course") is not course:
        found.append("the name `course` no longer points at the course package")
    for name, original in vars(shipped).items():
        for owner in (checks, course):
            if not hasattr(owner, name) and owner is course:
                continue
            current = getattr(owner, name, None)
            if _differs(current, original):
                found.append(f"{owner.__name__}.{name} was replaced")
    return found


def _differs(current: Any, original: Any) -> bool:
    if isinstance(original, types.FunctionType):
        return not isinstance(current, types.FunctionType) or \
            _fingerprint(current) != _fingerprint(original)
    if isinstance(original, type):
        return not isinstance(current, type) or any(
            _differs(vars(current).get(k), v) for k, v in vars(original).items()
            if isinstance(v, types.FunctionType))
    return False


def _fingerprint(function: types.FunctionType, depth: int = 0) -> tuple:
    """The bytecode of a function and of the functions it closes over (decorators wrap so)."""
    code = function.__code__
    inner = [_fingerprint(cell.cell_contents, depth + 1) for cell in function.__closure__ or ()
             if depth < 3 and isinstance(cell.cell_contents, types.FunctionType)]
    return (code.co_code, code.co_names, code.co_consts, *inner)


def _notebook_code_in_modules(shell: Any) -> list[str]:
    """Functions, classes or objects made by notebook code, bound in a module the tests rely
    on or in the machinery (and in its classes)."""
    cells = _cell_files(shell)
    found = []
    for module_name, module in list(sys.modules.items()):
        machinery = module_name.split(".")[0] in MACHINERY
        if not (machinery or module_name in RELIED_ON) or not isinstance(module, types.ModuleType):
            continue
        for name, value in list(vars(module).items()):
            if _from_notebook(value, cells):
                found.append(f"{module_name}.{name} was replaced by notebook code")
            elif machinery and isinstance(value, type) and value.__module__ == module_name:
                found += [f"{module_name}.{name}.{attr} was replaced by notebook code"
                          for attr, member in list(vars(value).items())
                          if _from_notebook(member, cells)]
    return sorted(set(found))


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
