"""`confine`: in a served playground, a path the learner types must lead inside one folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from odplay.files import OutsideFolder, confine


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inside = tmp_path / "class"
    (inside / "week1").mkdir(parents=True)
    (inside / "week1" / "run.yaml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("key\n", encoding="utf-8")
    return inside


def _refused(text: str, folder: Path) -> str:
    with pytest.raises(OutsideFolder) as caught:
        confine(text, folder)
    message = str(caught.value)
    assert f"files must be in {folder.resolve()}" in message  # says where files must be
    return message


def test_an_absolute_path_elsewhere_is_refused(folder: Path) -> None:
    assert "/etc/passwd" in _refused("/etc/passwd", folder)
    _refused(str(folder.parent / "secret.txt"), folder)


def test_dot_dot_out_of_the_folder_is_refused(folder: Path) -> None:
    _refused("../secret.txt", folder)
    _refused("../../x", folder)
    _refused("week1/../../secret.txt", folder)
    _refused(str(folder) + "/../secret.txt", folder)


def test_a_folder_beside_with_the_same_prefix_is_refused(folder: Path) -> None:
    beside = folder.parent / (folder.name + "-other")
    beside.mkdir()
    _refused(str(beside / "run.yaml"), folder)


def test_a_symbolic_link_that_leads_out_is_refused(folder: Path) -> None:
    os.symlink(folder.parent / "secret.txt", folder / "innocent.yaml")
    os.symlink(folder.parent, folder / "up")
    _refused("innocent.yaml", folder)
    _refused("up/secret.txt", folder)
    _refused("up/new-file.yaml", folder)  # a file not there yet, through a link out


def test_a_symbolic_link_that_stays_inside_is_allowed_and_kept_as_given(folder: Path) -> None:
    os.symlink(folder / "week1" / "run.yaml", folder / "latest.yaml")
    path = confine("latest.yaml", folder)
    assert path == folder.resolve() / "latest.yaml"  # the link, not its target: write_text
    assert path.is_symlink()  # still refuses to write through it


def test_a_file_in_a_subfolder_is_allowed(folder: Path) -> None:
    assert confine("week1/run.yaml", folder) == folder.resolve() / "week1" / "run.yaml"
    assert confine(str(folder / "week1" / "run.yaml"), folder).read_text(encoding="utf-8")
    assert confine("new.yaml", folder) == folder.resolve() / "new.yaml"  # one to be written
    assert confine("week1/./x/../run.yaml", folder).resolve() == (folder / "week1/run.yaml")


def test_a_path_that_cannot_be_a_file_is_refused_not_raised(folder: Path) -> None:
    _refused("bad\0name.yaml", folder)
    _refused("~/x.yaml", folder)  # the home folder, unless the folder is in it
    os.symlink("loop-b", folder / "loop-a")
    os.symlink("loop-a", folder / "loop-b")
    with pytest.raises(OutsideFolder):
        confine("loop-a", folder)
