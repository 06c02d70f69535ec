"""Checks for the visible test cells, and the closing cell's pass/fail table.

A visible test cell looks like this:

    with course.exercise("sentiment-label"):
        course.expect_equal(label, "POSITIVE", "label of the first review",
                            hint="Read `result[0]['label']`.")

A failing check raises `CheckFailed` (an AssertionError, so nbgrader scores the cell zero)
with what was expected, what was found, and a hint; `exercise` records pass or fail, and
`summary` shows every exercise of the chapter at the end, with or without nbgrader. Used in
every chapter (each test cell and the closing cell).

`call(function, *args)` calls a student's function for a test: an exception raised inside it
becomes a `CheckFailed` naming the call, the exception, the student's line that raised it and a
hint, so the student reads a message instead of a library's traceback. `spy(owner, name)`
records the calls a student's code makes (`batched=True`, the inputs it generates from), so a
test checks the process the text asks for, not a chance difference in outputs.
"""
from __future__ import annotations

import functools
import math
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

_results: dict[str, bool] = {}


class CheckFailed(AssertionError):
    """A check that did not hold; the message says what and how to fix it."""


@contextmanager
def exercise(name: str) -> Iterator[None]:
    """Record whether the checks inside pass; failures still raise, so graders see them."""
    try:
        yield
    except BaseException:
        _results[name] = False
        raise
    _results[name] = True
    print(f"{name}: passed")


def _fail(message: str, hint: str | None) -> None:
    raise CheckFailed(f"{message}\nHint: {hint}" if hint else message)


def expect(condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with `message` (and `hint`) unless `condition` holds."""
    if not condition:
        _fail(message, hint)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(value: Any, limit: int = 120) -> str:
    return _clip(repr(value), limit)


def expect_defined(namespace: dict, *names: str) -> None:
    """Fail, naming the first missing variable, unless every name is defined in `namespace`."""
    for name in names:
        expect(name in namespace, f"`{name}` is not defined.",
               f"Run the cell where you define `{name}` (and the cells above it) first.")


def expect_type(value: Any, types: type | tuple[type, ...], what: str,
                hint: str | None = None) -> None:
    """Fail unless `value` is an instance of `types`."""
    names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
    expect(isinstance(value, types),
           f"{what} should be a {names}, but it is a {type(value).__name__}: {_short(value)}.",
           hint)


def expect_equal(actual: Any, expected: Any, what: str, hint: str | None = None) -> None:
    """Fail unless `actual == expected`, showing both."""
    expect(bool(actual == expected), f"{what} should be {_short(expected)}, but it is {_short(actual)}.", hint)


def expect_close(actual: Any, expected: float, what: str, tol: float = 1e-4,
                 hint: str | None = None, abs_tol: float | None = None) -> None:
    """Fail unless `actual` is a number within `tol` of `expected`, relatively or absolutely.

    `abs_tol` (default `tol`) is for small numbers such as probabilities, where an absolute
    1e-4 would accept almost anything.
    """
    try:
        number = float(actual)
    except (TypeError, ValueError):
        _fail(f"{what} should be a number close to {expected:.6g}, but it is {_short(actual)}.",
              hint)
    expect(math.isclose(number, expected, rel_tol=tol, abs_tol=tol if abs_tol is None else abs_tol),
           f"{what} should be {expected:.6g} (within {tol:g}), but it is {number:.6g}.", hint)


def expect_in(value: Any, allowed: Sequence[Any], what: str, hint: str | None = None) -> None:
    """Fail unless `value` is one of `allowed`."""
    expect(value in list(allowed),
           f"{what} should be one of {_short(list(allowed))}, but it is {_short(value)}.", hint)


HINTS: dict[type[BaseException], str] = {
    ZeroDivisionError: "Something divided by zero: does your code handle an empty input "
                       "(return early when there is nothing to count)?",
    KeyError: "A lookup used a key that is not there: check which mapping you index and with "
              "what (an id in `id2label`, a name in `label2id`, a column name); an id that is "
              "too large often comes from an argmax over the wrong axis (use the last, `-1`).",
    IndexError: "An index is out of range: check the axis you reduce over (the last one, "
                "`-1`, holds the labels or the vocabulary) and inputs with no items.",
}
DEFAULT_HINT = "Run your function on this input yourself and read the error's last line."


def call(function: Callable[..., Any], *args: Any, what: str | None = None,
         hint: str | None = None, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`; an exception inside it fails the check with a message.

    `what` names the call in the message (pass it to keep a hidden input hidden); `hint`
    replaces the hint chosen by the exception's type.
    """
    try:
        return function(*args, **kwargs)
    except CheckFailed:
        raise
    except Exception as error:  # the student's own code: any error becomes a message
        message = (f"{what or _call_text(function, args, kwargs)} raised "
                   f"{type(error).__name__}: {_clip(str(error), 200)}{_where(error)}")
        raise CheckFailed(f"{message}\nHint: {hint or _hint_for(error)}") from None


def _call_text(function: Callable[..., Any], args: tuple, kwargs: dict) -> str:
    parts = [_short(a, 60) for a in args] + [f"{k}={_short(v, 60)}" for k, v in kwargs.items()]
    return f"`{getattr(function, '__name__', 'your function')}({', '.join(parts)})`"


def _where(error: BaseException) -> str:
    """' at `line`' for the innermost frame outside installed libraries and this module."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "site-packages" not in f.filename and f.filename != __file__ and f.line]
    return f", at `{frames[-1].line.strip()}`" if frames else ""


def _hint_for(error: BaseException) -> str:
    return next((text for kind, text in HINTS.items() if isinstance(error, kind)), DEFAULT_HINT)


Call = tuple[tuple[Any, ...], dict[str, Any]]
_MISSING = object()


@contextmanager
def spy(owner: Any, name: str) -> Iterator[list[Call]]:
    """Inside the block, record each call of `owner.name` (a class's or an object's method)."""
    calls: list[Call] = []
    original, own = getattr(owner, name), vars(owner).get(name, _MISSING)

    @functools.wraps(original)
    def recording(*args: Any, **kwargs: Any) -> Any:
        """Record the call, then make it."""  # a code docstring: evaluate copies methods by code
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    setattr(owner, name, recording)
    try:
        yield calls
    finally:
        if own is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, own)


def results() -> dict[str, bool]:
    """Pass (True) or fail (False) for each exercise whose checks ran in this kernel."""
    return dict(_results)


def summary(exercises: Sequence[str]) -> str:
    """Show which of the chapter's `exercises` pass, fail, or have not been checked yet."""
    marks = {True: "pass", False: "FAIL"}
    lines = [f"{name:<28} {marks.get(_results.get(name), 'not run')}" for name in exercises]
    passed = sum(_results.get(name) is True for name in exercises)
    lines.append(f"{passed}/{len(exercises)} exercises pass")
    text = "\n".join(lines)
    print(text)
    return text
