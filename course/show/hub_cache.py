"""Look inside one repo of a Hugging Face cache: its folder tree and a refs/snapshots/blobs picture.

    from course.show import print_tree, draw_cache
    print_tree(repo_path)      # the folders, with each symlink's target
    draw_cache(repo_path)      # refs -> snapshots -> blobs, shared blobs drawn once

Both only read the folder (`repo_path` is e.g. `scan_cache_dir()`'s `repo.repo_path`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def print_tree(repo_path: str | Path, hash_chars: int = 12) -> None:
    """Print the repo folder as a tree; long hashes are shortened, symlinks show their target.

    Used in chapter 09.
    """
    root = Path(repo_path)

    def short(name: str) -> str:
        return name[:hash_chars] + "…" if len(name) == 40 or len(name) == 64 else name

    def walk(folder: Path, prefix: str) -> None:
        entries = sorted(folder.iterdir(), key=lambda p: (p.is_file() or p.is_symlink(), p.name))
        for i, entry in enumerate(entries):
            last = i == len(entries) - 1
            line = f"{prefix}{'└── ' if last else '├── '}{short(entry.name)}"
            if entry.is_symlink():
                target = os.readlink(entry)
                line += f"  ->  {str(Path(target).parent)}/{short(Path(target).name)}"
            elif entry.is_file():
                line += f"  ({_size(entry.stat().st_size)})"
            print(line)
            if entry.is_dir() and not entry.is_symlink():
                walk(entry, prefix + ("    " if last else "│   "))

    print(root.name)
    walk(root, "")


@dataclass
class _Layout:
    """One cached repo, read for drawing: its refs, snapshots, files and the blobs they use."""
    refs: dict[str, str]
    snapshots: list[Path]
    files: dict[str, list[Path]]
    blob_of: dict[tuple[str, str], Path]
    max_files: int

    @property
    def blobs(self) -> list[Path]:
        return list(dict.fromkeys(self.blob_of.values()))

    def rows(self, snap: Path) -> int:
        shown = self.files[snap.name]
        return min(len(shown), self.max_files) + 1 + (len(shown) > self.max_files)


def _read_cache(root: Path, max_files: int) -> _Layout:
    refs = {}
    if (root / "refs").is_dir():
        refs = {p.relative_to(root / "refs").as_posix(): p.read_text().strip()
                for p in sorted((root / "refs").rglob("*")) if p.is_file()}
    order = list(dict.fromkeys(refs.values()))  # snapshots in the order of the refs naming them
    snapshots = sorted((p for p in (root / "snapshots").iterdir() if p.is_dir()),
                       key=lambda p: (order.index(p.name) if p.name in order else len(order), p.name))
    files = {snap.name: sorted((f for f in snap.rglob("*") if f.is_file()),
                               key=lambda f: f.relative_to(snap).as_posix())
             for snap in snapshots}
    blob_of = {(snap.name, f.relative_to(snap).as_posix()): f.resolve()
               for snap in snapshots for f in files[snap.name][:max_files]}
    return _Layout(refs, snapshots, files, blob_of, max_files)


BOX = dict(boxstyle="round,pad=0.3", linewidth=0.8)


def draw_cache(repo_path: str | Path, max_files: int = 8):
    """Draw refs -> snapshots -> blobs of one cached repo; return the matplotlib figure.

    Each ref points at a snapshot (a commit); each file in a snapshot is a symlink to a blob
    named by its content's sha256. A blob used by several snapshots is stored, and drawn, once.
    At most `max_files` files per snapshot are drawn (the rest are counted).

    Used in chapter 09.
    """
    import matplotlib.pyplot as plt

    root = Path(repo_path)
    layout = _read_cache(root, max_files)
    height = max(sum(map(layout.rows, layout.snapshots)) + len(layout.snapshots),
                 len(layout.blobs), len(layout.refs) * 2, 4)
    fig, ax = plt.subplots(figsize=(11, 0.34 * height + 1.2))
    ax.set_xlim(0, 11)
    ax.set_ylim(height + 0.5, -1.2)
    ax.axis("off")
    for x, title in ((0.9, "refs/"), (4.2, "snapshots/<commit>/"), (9.0, "blobs/<sha256>")):
        ax.text(x, -0.8, title, ha="center", fontsize=11, fontweight="bold")
    snap_y, file_y = _draw_snapshots(ax, layout)
    shared = _draw_blobs(ax, layout, file_y, height)
    _draw_refs(ax, layout.refs, snap_y)
    if shared:
        ax.text(5.5, height + 0.2, "green arrows: one blob, used by several snapshots (stored once)",
                ha="center", fontsize=9, color="#2e7d32")
    ax.set_title(root.name, fontsize=12)
    fig.tight_layout()
    return fig


def _draw_snapshots(ax, layout: _Layout) -> tuple[dict[str, float], dict[tuple[str, str], float]]:  # noqa: ANN001
    """The middle column: each snapshot and its files; returns where each was drawn."""
    y, snap_y, file_y = 0.0, {}, {}
    for snap in layout.snapshots:
        snap_y[snap.name] = y
        ax.text(4.2, y, f"{snap.name[:10]}…", ha="center", va="center", fontsize=9,
                family="monospace", bbox={**BOX, "facecolor": "#fff3c4", "edgecolor": "#b08900"})
        files = layout.files[snap.name]
        for i, f in enumerate(files[:layout.max_files]):
            name = f.relative_to(snap).as_posix()
            file_y[(snap.name, name)] = y + 1 + i
            ax.text(4.2, y + 1 + i, name, ha="center", va="center", fontsize=8.5,
                    bbox={**BOX, "facecolor": "#e8f1fb", "edgecolor": "#5b8fc9"})
        if len(files) > layout.max_files:
            ax.text(4.2, y + 1 + layout.max_files, f"... {len(files) - layout.max_files} more files",
                    ha="center", va="center", fontsize=8, style="italic")
        y += layout.rows(snap) + 1
    return snap_y, file_y


def _draw_blobs(ax, layout: _Layout, file_y: dict[tuple[str, str], float],  # noqa: ANN001
                height: float) -> bool:
    """The right column and the file -> blob arrows; True if a blob is shared."""
    blobs = layout.blobs
    blob_y = {}
    step = max(height / max(len(blobs), 1), 1.0) if blobs else 1.0
    for i, blob in enumerate(blobs):
        blob_y[blob] = i * min(step, 1.6)
        label = f"{blob.name[:10]}…  {_size(blob.stat().st_size)}"
        ax.text(9.0, blob_y[blob], label, ha="center", va="center", fontsize=8.5,
                family="monospace", bbox={**BOX, "facecolor": "#e9f7ea", "edgecolor": "#4c9a52"})
    users: dict[Path, int] = {}
    for blob in layout.blob_of.values():
        users[blob] = users.get(blob, 0) + 1
    for key, blob in layout.blob_of.items():
        shared = users[blob] > 1
        ax.annotate("", xy=(7.75, blob_y[blob]), xytext=(5.55, file_y[key]),
                    arrowprops=dict(arrowstyle="->", color="#2e7d32" if shared else "#9e9e9e",
                                    linewidth=1.6 if shared else 0.9))
    return any(count > 1 for count in users.values())


def _draw_refs(ax, refs: dict[str, str], snap_y: dict[str, float]) -> None:  # noqa: ANN001
    """The left column: each ref, with an arrow to the snapshot it names."""
    placed: dict[str, int] = {}
    for ref, commit in refs.items():
        ry = snap_y.get(commit, 0.0) + 1.2 * placed.get(commit, 0)
        placed[commit] = placed.get(commit, 0) + 1
        ax.text(0.9, ry, ref, ha="center", va="center", fontsize=10, family="monospace",
                bbox={**BOX, "facecolor": "#fde0dc", "edgecolor": "#c62828"})
        if commit in snap_y:
            ax.annotate("", xy=(3.45, snap_y[commit]), xytext=(1.5, ry),
                        arrowprops=dict(arrowstyle="->", color="#c62828", linewidth=1.2))
