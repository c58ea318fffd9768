"""Files written for a user: never through a link, atomically, the old file kept on failure,
with the user's umask, and on file systems without hard links too."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.files import UnsafeWrite, write_text


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "a.md", "hello\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.md").read_text() == "hello\n"
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary left behind


def test_an_existing_file_is_kept_without_permission_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("mine\n")
    with pytest.raises(FileExistsError):
        write_text(target, "theirs\n")
    assert target.read_text() == "mine\n"
    write_text(target, "theirs\n", overwrite=True)
    assert target.read_text() == "theirs\n"


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_symbolic_link_is_never_written_through(
    tmp_path: Path, overwrite: bool, dangling: bool
) -> None:
    victim = tmp_path / "victim"
    if not dangling:
        victim.write_text("precious\n")
    link = tmp_path / "out.svg"
    link.symlink_to(victim)
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_text(link, "<svg/>", overwrite=overwrite)
    assert link.is_symlink()
    assert victim.exists() != dangling
    if not dangling:
        assert victim.read_text() == "precious\n"


def test_a_failed_write_keeps_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("mine\n")
    with pytest.raises(UnicodeEncodeError):
        write_text(target, "half \ud800", overwrite=True)
    assert target.read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_file_systems_without_hard_links_still_get_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_text(tmp_path / "a.md", "hello\n")
    assert (tmp_path / "a.md").read_text() == "hello\n"
    with pytest.raises(FileExistsError):
        write_text(tmp_path / "a.md", "again\n")
    assert (tmp_path / "a.md").read_text() == "hello\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_refuses_a_link_with_exit_2(tmp_path: Path, force: list[str]) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    result = CliRunner().invoke(app, ["export", "4.2-message-flow", "-o", str(link), *force])
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "precious\n"


def test_export_writes_atomically_with_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "flow.svg"
    old = os.umask(0o022)
    try:
        args = ["export", "4.2-message-flow", "-f", "svg", "-o", str(out)]
        result = CliRunner().invoke(app, args)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<svg")
    assert out.stat().st_mode & 0o777 == 0o644
