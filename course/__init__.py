"""Helpers for the Hugging Face course: set up a profile, check exercises, draw pictures.

Importing `course` is cheap and imports none of the Hugging Face libraries, so the first
notebook cell can call `course.setup()` before they read their offline flags.
"""
from .checks import (CheckFailed, call, exercise, expect, expect_close, expect_defined,
                     expect_equal, expect_in, expect_type, results, spy, summary)
from .environment import (checkpoint, checkpoint_revision, current, dataset, dataset_revision,
                          device, metric, setup)

__all__ = ["CheckFailed", "call", "checkpoint", "checkpoint_revision", "current", "dataset",
           "dataset_revision", "device", "exercise", "expect", "expect_close", "expect_defined",
           "expect_equal", "expect_in", "expect_type", "metric", "results", "setup", "spy",
           "summary"]
