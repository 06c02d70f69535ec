"""nbgrader preprocessors that suit this stack; `autograder/nbgrader_config.py` registers them."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor


class StderrIsNotAnError(NbGraderPreprocessor):
    """Relabel stderr stream output as stdout, so only a raised error costs a test its points.

    nbgrader scores a test cell zero when anything reaches stderr. Here transformers' warnings,
    tqdm progress bars and datasets' logs all write there from correct code. The text stays in
    the feedback; an exception still shows as an error and still scores zero.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
        return cell, resources


def put_scripts_on_path() -> None:
    """Put this interpreter's scripts folder on PATH: nbgrader's Gradebook runs `alembic` from
    there, which fails when the virtualenv is not activated (`.venv/bin/nbgrader ...`)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
