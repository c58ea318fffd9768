"""Writing a file the user asked for, without ever losing or redirecting what was there; and,
when the playground is served to a browser, keeping every file inside one folder (`confine`).

Every file odplay writes for a user (an export, a saved run, a screenshot) goes through
`write_text`:

- it never writes through a symbolic link, dangling or not, with or without permission to
  overwrite: a link could send the write anywhere the user can write (a dotfile, a key), so it
  is refused with a message that says what to give instead;
- the text goes to a temporary file in the same folder, is flushed to disk, and only then takes
  the file's name, so the old file stays whole if anything fails on the way (a full disk, a
  character the encoding cannot write);
- without permission to overwrite, a file that appears meanwhile is not replaced (a hard link
  claims the name, which fails if it is taken; on file systems without hard links, an exclusive
  create does);
- the new file gets the permissions the user's umask gives (0644 by default), not the 0600 of a
  temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

#: What os.link raises on file systems that have no hard links (FAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV}


class UnsafeWrite(OSError):
    """The write was refused before anything was written; the message says why and what to do."""


class OutsideFolder(ValueError):
    """A path that leads out of the folder files must stay in (`odplay serve --files`)."""


def confine(text: str | Path, folder: Path) -> Path:
    """`text` as a path inside `folder`, or OutsideFolder saying which folder files must be in.

    A relative path is taken from `folder`. The path is resolved the way the file system will
    follow it (`..`, symbolic links on the way, a link at its end), and what it leads to must be
    `folder` or under it: `/etc/passwd`, `../../x` and a link inside the folder that points out
    are all refused. The path returned is the one given, made absolute, not the link's target, so
    that `write_text` still refuses to write through a link.
    """
    root = Path(folder).resolve()
    where = f"files must be in {root}"
    try:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = root / path
        target = path.resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a loop of links, too long
        raise OutsideFolder(f"{text}: not a usable path ({exc}); {where}") from None
    if not target.is_relative_to(root):
        raise OutsideFolder(f"{text}: outside the folder this playground may use; {where}")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: Path, overwrite: bool) -> None:
    """Refuse, before any work is done, a target that `write_text` would refuse."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWrite(
            f"{path}: is a symbolic link; odplay does not write through links "
            "(give the file it points to, or another name)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWrite(f"{path}: is not a regular file")
    if not overwrite:
        raise FileExistsError(errno.EEXIST, "already exists", str(path))


def write_text(path: Path, text: str, overwrite: bool = False) -> None:
    """Write `text` (UTF-8) to `path` atomically; see the module's docstring for the rules."""
    check_target(path, overwrite)
    data = text.encode("utf-8")  # fails here, before a file is touched, on a lone surrogate
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if hasattr(os, "fchmod"):  # not on Windows, where a new file is not 0600 anyway
                os.fchmod(out.fileno(), 0o666 & ~_umask())
            os.fsync(out.fileno())
        check_target(path, overwrite)  # again: the folder may have changed meanwhile
        if overwrite:
            os.replace(temporary, path)  # replaces a name, never writes through a link
        else:
            _claim(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _claim(temporary: str, path: Path) -> None:
    """Give the written file the name `path`, failing if the name is taken."""
    try:
        os.link(temporary, path)
        return
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    # No hard links here: claim the name with an exclusive create (never through a link), then
    # move the written file over the empty file we made.
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    os.close(os.open(path, flags, 0o666 & ~_umask()))
    os.replace(temporary, path)
