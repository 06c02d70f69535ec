"""Write a folder into a Hugging Face cache in the Hub's own layout.

    models--hfcourse--tiny-bert/
        blobs/<sha256>                      file contents, one per distinct file
        refs/main                           the commit hash that `main` points at
        snapshots/<commit>/<file> -> ../../blobs/<sha256>

With that layout, `from_pretrained("hfcourse/tiny-bert")`, `hf_hub_download`, revisions and
`scan_cache_dir` work offline exactly as they do for a downloaded repo.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..profiles import repo_folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def commit_hash(files: dict[str, str], parent: str = "") -> str:
    """A deterministic 40-hex commit id for a set of `{path: sha256}`, like a git commit's."""
    digest = hashlib.sha1(parent.encode())
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]}\n".encode())
    return digest.hexdigest()


def publish(folder: Path, hub_cache: Path, repo_id: str, repo_type: str = "model",
            refs: Iterable[str] = ("main",), parent: str = "") -> str:
    """Store every file under `folder` as one commit of `repo_id`; point `refs` at it."""
    folder = Path(folder)
    files = {p.relative_to(folder).as_posix(): _sha256(p)
             for p in sorted(folder.rglob("*")) if p.is_file()}
    commit = commit_hash(files, parent)
    repo = repo_folder(hub_cache, repo_type, repo_id)
    snapshot = repo / "snapshots" / commit
    for name, sha in files.items():
        blob = repo / "blobs" / sha
        if not blob.exists():
            blob.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, blob)
        link = snapshot / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(blob, link.parent))
    for ref in refs:
        ref_file = repo / "refs" / ref
        ref_file.parent.mkdir(parents=True, exist_ok=True)
        ref_file.write_text(commit)
    return commit
