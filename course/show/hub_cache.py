"""Look inside one repo of a Hugging Face cache: its folder tree and a refs/snapshots/blobs picture.

    from course.show import print_tree, draw_cache
    print_tree(repo_path)      # the folders, with each symlink's target
    draw_cache(repo_path)      # refs -> snapshots -> blobs, shared blobs drawn once

Both only read the folder (`repo_path` is e.g. `scan_cache_dir()`'s `repo.repo_path`).
"""
from __future__ import annotations

import os
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


def draw_cache(repo_path: str | Path, max_files: int = 8):
    """Draw refs -> snapshots -> blobs of one cached repo; return the matplotlib figure.

    Each ref points at a snapshot (a commit); each file in a snapshot is a symlink to a blob
    named by its content's sha256. A blob used by several snapshots is stored, and drawn, once.
    At most `max_files` files per snapshot are drawn (the rest are counted).

    Used in chapter 09.
    """
    import matplotlib.pyplot as plt

    root = Path(repo_path)
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
    blob_of = {}
    for snap in snapshots:
        for f in files[snap.name][:max_files]:
            blob_of[(snap.name, f.relative_to(snap).as_posix())] = f.resolve()
    blobs = list(dict.fromkeys(blob_of.values()))

    rows_per_snap = [min(len(files[s.name]), max_files) + 1 + (len(files[s.name]) > max_files)
                     for s in snapshots]
    height = max(sum(rows_per_snap) + len(snapshots), len(blobs), len(refs) * 2, 4)
    fig, ax = plt.subplots(figsize=(11, 0.34 * height + 1.2))
    ax.set_xlim(0, 11)
    ax.set_ylim(height + 0.5, -1.2)
    ax.axis("off")
    for x, title in ((0.9, "refs/"), (4.2, "snapshots/<commit>/"), (9.0, "blobs/<sha256>")):
        ax.text(x, -0.8, title, ha="center", fontsize=11, fontweight="bold")
    box = dict(boxstyle="round,pad=0.3", linewidth=0.8)

    y, snap_y, file_y = 0.0, {}, {}
    for snap, rows in zip(snapshots, rows_per_snap):
        snap_y[snap.name] = y
        ax.text(4.2, y, f"{snap.name[:10]}…", ha="center", va="center", fontsize=9,
                family="monospace", bbox={**box, "facecolor": "#fff3c4", "edgecolor": "#b08900"})
        for i, f in enumerate(files[snap.name][:max_files]):
            name = f.relative_to(snap).as_posix()
            file_y[(snap.name, name)] = y + 1 + i
            ax.text(4.2, y + 1 + i, name, ha="center", va="center", fontsize=8.5,
                    bbox={**box, "facecolor": "#e8f1fb", "edgecolor": "#5b8fc9"})
        if len(files[snap.name]) > max_files:
            ax.text(4.2, y + 1 + max_files, f"... {len(files[snap.name]) - max_files} more files",
                    ha="center", va="center", fontsize=8, style="italic")
        y += rows + 1

    blob_y = {}
    step = max(height / max(len(blobs), 1), 1.0) if blobs else 1.0
    for i, blob in enumerate(blobs):
        blob_y[blob] = i * min(step, 1.6)
        label = f"{blob.name[:10]}…  {_size(blob.stat().st_size)}"
        ax.text(9.0, blob_y[blob], label, ha="center", va="center", fontsize=8.5,
                family="monospace", bbox={**box, "facecolor": "#e9f7ea", "edgecolor": "#4c9a52"})
    users = {}
    for key, blob in blob_of.items():
        users.setdefault(blob, []).append(key)
    for key, blob in blob_of.items():
        shared = len(users[blob]) > 1
        ax.annotate("", xy=(7.75, blob_y[blob]), xytext=(5.55, file_y[key]),
                    arrowprops=dict(arrowstyle="->", color="#2e7d32" if shared else "#9e9e9e",
                                    linewidth=1.6 if shared else 0.9))

    placed: dict[str, int] = {}
    for ref, commit in refs.items():
        ry = snap_y.get(commit, 0.0) + 1.2 * placed.get(commit, 0)
        placed[commit] = placed.get(commit, 0) + 1
        ax.text(0.9, ry, ref, ha="center", va="center", fontsize=10, family="monospace",
                bbox={**box, "facecolor": "#fde0dc", "edgecolor": "#c62828"})
        if commit in snap_y:
            ax.annotate("", xy=(3.45, snap_y[commit]), xytext=(1.5, ry),
                        arrowprops=dict(arrowstyle="->", color="#c62828", linewidth=1.2))
    if any(len(u) > 1 for u in users.values()):
        ax.text(5.5, height + 0.2, "green arrows: one blob, used by several snapshots (stored once)",
                ha="center", fontsize=9, color="#2e7d32")
    ax.set_title(root.name, fontsize=12)
    fig.tight_layout()
    return fig
