"""The visible tests' checks: what their failures say, and the pass/fail summary."""
from __future__ import annotations

import pytest

from course import checks
from course.checks import (CheckFailed, call, exercise, expect_close, expect_defined, expect_equal,
                           expect_in, expect_type, results, spy, summary)


@pytest.fixture(autouse=True)
def fresh_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "_results", {})


def failure(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as raised:
        check(*args, **kwargs)
    return str(raised.value)


def test_check_failed_is_an_assertion_error() -> None:
    """nbgrader scores a cell zero on any error; an AssertionError reads as a failed test."""
    assert issubclass(CheckFailed, AssertionError)


def test_expect_equal_names_both_values_and_hints() -> None:
    message = failure(expect_equal, "NEGATIVE", "POSITIVE", "the first label",
                      hint="Read `result[0]['label']`.")
    assert message == ("the first label should be 'POSITIVE', but it is 'NEGATIVE'.\n"
                       "Hint: Read `result[0]['label']`.")
    expect_equal([1, 2], [1, 2], "the ids")


def test_expect_equal_shortens_long_values() -> None:
    message = failure(expect_equal, list(range(1000)), [], "the ids")
    assert "..." in message and len(message) < 300


def test_expect_close() -> None:
    message = failure(expect_close, 0.5, 0.75, "accuracy", hint="Divide by the number of rows.")
    assert "accuracy should be 0.75" in message and "it is 0.5" in message
    assert message.endswith("Hint: Divide by the number of rows.")
    assert "should be a number close to 0.75, but it is 'high'" in failure(
        expect_close, "high", 0.75, "accuracy")
    expect_close(0.75 + 1e-6, 0.75, "accuracy")
    expect_close(0.8, 0.75, "accuracy", tol=0.1)
    expect_close(2.0e-5, 2.00001e-5, "P('dog')", abs_tol=1e-9)
    assert "P('dog') should be 4.3e-05" in failure(expect_close, 2.2e-5, 4.3e-5, "P('dog')",
                                                    abs_tol=1e-9)


def test_expect_type() -> None:
    message = failure(expect_type, "3", (int, float), "the count", hint="Use len().")
    assert message == ("the count should be a int or float, but it is a str: '3'.\n"
                       "Hint: Use len().")
    expect_type(3, int, "the count")


def test_expect_in() -> None:
    message = failure(expect_in, "LABEL_0", ["NEGATIVE", "POSITIVE"], "the label",
                      hint="Set id2label.")
    assert "the label should be one of ['NEGATIVE', 'POSITIVE'], but it is 'LABEL_0'" in message
    assert message.endswith("Hint: Set id2label.")
    expect_in("POSITIVE", ("NEGATIVE", "POSITIVE"), "the label")


def test_expect_defined_names_the_first_missing_variable() -> None:
    message = failure(expect_defined, {"classifier": object()}, "classifier", "result", "label")
    assert message.startswith("`result` is not defined.")
    assert "Hint: Run the cell where you define `result`" in message
    expect_defined({"result": 1}, "result")


def test_exercise_records_and_reraises() -> None:
    with exercise("first"):
        expect_equal(1, 1, "one")
    with pytest.raises(CheckFailed):
        with exercise("second"):
            expect_equal(2, 1, "one")
    with pytest.raises(NameError):  # a student's own error counts as a failure too
        with exercise("third"):
            raise NameError("name 'label' is not defined")
    assert results() == {"first": True, "second": False, "third": False}


def test_exercise_says_when_it_passes(capsys: pytest.CaptureFixture[str]) -> None:
    with exercise("label-a-batch"):
        expect_equal(1, 1, "one")
    assert capsys.readouterr().out == "label-a-batch: passed\n"
    with pytest.raises(CheckFailed):
        with exercise("label-a-batch"):
            expect_equal(2, 1, "one")
    assert capsys.readouterr().out == ""


def share(texts: list[str]) -> float:
    positives = sum(text.startswith("good") for text in texts)
    return positives / len(texts)


def test_call_returns_the_result() -> None:
    assert call(share, ["good", "bad"]) == 0.5
    assert call(sorted, [3, 1], reverse=True) == [3, 1]


def test_call_turns_an_error_into_a_named_failure() -> None:
    message = failure(call, share, [])
    first, hint = message.split("\n")
    assert first == ("`share([])` raised ZeroDivisionError: division by zero, "
                     "at `return positives / len(texts)`")
    assert hint.startswith("Hint: Something divided by zero") and "empty input" in hint


def test_call_hints_by_the_kind_of_error() -> None:
    assert "id2label" in failure(call, {0: "NEGATIVE"}.__getitem__, 8)
    assert "axis" in failure(call, [].__getitem__, 0)
    assert "error's last line" in failure(call, int, "x")


def test_call_keeps_hidden_inputs_hidden_and_takes_a_hint() -> None:
    message = failure(call, share, [], what="`share` on a hidden list", hint="Return 0.0.")
    assert message.startswith("`share` on a hidden list raised ZeroDivisionError")
    assert message.endswith("\nHint: Return 0.0.")


def test_call_lets_a_failed_check_through() -> None:
    def checked() -> None:
        expect_equal(1, 2, "one")
    assert failure(call, checked) == "one should be 2, but it is 1."


def test_call_failure_is_scored_zero_and_recorded() -> None:
    """A CheckFailed, so nbgrader scores the cell zero and `exercise` records a failure."""
    with pytest.raises(CheckFailed) as raised:
        with exercise("share"):
            call(share, [])
    assert raised.value.__suppress_context__  # the student's traceback is not shown
    assert results() == {"share": False}


def test_exercise_records_the_latest_run() -> None:
    with pytest.raises(CheckFailed):
        with exercise("retry"):
            expect_equal(2, 1, "one")
    with exercise("retry"):
        expect_equal(1, 1, "one")
    assert results() == {"retry": True}


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    with exercise("pipeline"):
        pass
    with pytest.raises(CheckFailed):
        with exercise("label"):
            expect_equal("a", "b", "label")
    capsys.readouterr()
    text = summary(["pipeline", "label", "batch"])
    lines = text.splitlines()
    assert lines[0].split() == ["pipeline", "pass"]
    assert lines[1].split() == ["label", "FAIL"]
    assert lines[2].split() == ["batch", "not", "run"]
    assert lines[3] == "1/3 exercises pass"
    assert capsys.readouterr().out == text + "\n"


class Counter:
    def add(self, n: int, *, twice: bool = False) -> int:
        return 2 * n if twice else n


def test_spy_records_calls_on_a_class_and_restores_it() -> None:
    counter = Counter()
    with spy(Counter, "add") as calls:
        assert counter.add(3, twice=True) == 6
    assert calls == [((counter, 3), {"twice": True})]
    assert "add" in vars(Counter) and Counter.add.__name__ == "add"
    counter.add(1)
    assert len(calls) == 1


def test_spy_on_an_object_leaves_other_objects_alone() -> None:
    counter, other = Counter(), Counter()
    with spy(counter, "add") as calls:
        counter.add(2)
        other.add(5)
    assert calls == [((2,), {})]
    assert "add" not in vars(counter)
