"""A problem found in the repository, reported to editors in plain Chinese."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str  # file relative to the project root
    field: str  # front-matter field, or "" for the whole file
    message: str  # what is wrong
    fix: str  # how to fix it
    line: int | None = None  # 1-based line in the file, where known
    severity: str = "error"  # "error" blocks the build; "warning" does not

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what} — {self.fix}"

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
        }


class ProjectError(Exception):
    """The project cannot be loaded at all (e.g. catalog.yml is broken)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def relative(path: Path, root: Path, resolved: bool = False) -> str:
    """path under root, as text (path as given when outside); resolved: path is already resolved."""
    try:
        return (path if resolved else path.resolve()).relative_to(_resolved(root)).as_posix()
    except ValueError:
        return path.as_posix()


def resolve_in(path: Path, folders: dict[Path, Path]) -> Path:
    """path.resolve(), resolving each folder once per `folders` (a dict the caller keeps for one
    pass over many files): resolve() looks at every component of every path again, which for
    10,000 items' attachments was a tenth of a check. Only the last component is looked at here."""
    name = path.name
    if name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    return resolve_folder(path.parent, folders) / name


def resolve_folder(folder: Path, folders: dict[Path, Path]) -> Path:
    """folder.resolve(), once per `folders` (see resolve_in)."""
    found = folders.get(folder)
    if found is None:
        found = folders[folder] = folder.resolve()
    return found


@lru_cache(maxsize=8)
def _resolved_absolute(root: Path) -> Path:
    return root.resolve()


def _resolved(root: Path) -> Path:
    # Resolving the same project root once per item was a tenth of `gongkai check` at 10,000 items.
    return _resolved_absolute(root) if root.is_absolute() else root.resolve()


def write_text_files(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write {name: text} into folder as UTF-8; return the paths written (report outputs).

    Each file is written beside its final name and renamed over it: a reader (or a killed
    run) sees the old report or the new one, never half of one."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        partial = path.with_name(f".{name}.writing")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        written.append(path)
    return written
