"""The docs stand on their own: every link in README.md and docs/ resolves inside the repository,
nothing points at a file the project does not ship, and the rule catalogue page is the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from odplay.rules import catalogue_markdown

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
#: [text](target) and ![alt](target), the target up to the first space or closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return LINK.findall(text)


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    anchors = set()
    for heading in re.findall(
        r"^#+\s+(.*)$", FENCE.sub("", page.read_text(encoding="utf-8")), re.M
    ):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def _internal_links() -> list[tuple[Path, str]]:
    return [
        (page, target)
        for page in PAGES
        for target in _links(page)
        if not re.match(r"[a-z]+:", target)  # http(s), mailto: checked below, not resolved
    ]


def test_the_pages_have_links_to_check() -> None:
    assert len(_internal_links()) > 20


@pytest.mark.parametrize(
    ("page", "target"),
    _internal_links(),
    ids=[f"{p.relative_to(ROOT)}->{t}" for p, t in _internal_links()],
)
def test_every_link_resolves_inside_the_repository(page: Path, target: str) -> None:
    path_part, _, anchor = target.partition("#")
    resolved = (page.parent / path_part).resolve() if path_part else page
    assert resolved.is_relative_to(ROOT), f"{target} leaves the repository"
    assert resolved.exists(), f"{page.relative_to(ROOT)}: {target} does not exist"
    if anchor and resolved.suffix == ".md":
        assert anchor in _anchors(resolved), f"{target}: no heading #{anchor}"


def test_no_page_points_at_the_reference_files_beside_the_checkout() -> None:
    for page in [
        *PAGES,
        *sorted((ROOT / "odplay").rglob("*.py")),
        *sorted((ROOT / "odplay").rglob("*.md")),
    ]:
        text = page.read_text(encoding="utf-8")
        assert "shared/spec" not in text, f"{page.relative_to(ROOT)} points outside the project"


def test_external_links_are_only_to_the_published_documents() -> None:
    external = [t for page in PAGES for t in _links(page) if re.match(r"[a-z]+:", t)]
    allowed = ("https://datatracker.ietf.org/", "https://www.rfc-editor.org/")
    assert all(t.startswith(allowed) for t in external), external


def test_the_rule_catalogue_page_is_generated_from_the_code() -> None:
    page = ROOT / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == catalogue_markdown(), (
        "docs/rules.md is stale: odplay rules --markdown > docs/rules.md"
    )


def test_the_glossary_page_is_generated_from_the_code() -> None:
    from odplay.glossary import docs_page

    page = ROOT / "docs" / "glossary.md"
    assert page.read_text(encoding="utf-8") == docs_page(), (
        "docs/glossary.md is stale: python -m odplay.glossary > docs/glossary.md"
    )


def test_the_readme_links_the_draft_and_rfc_page_and_the_glossary() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = _links(ROOT / "README.md")
    assert "docs/draft-and-rfc.md" in links and "docs/glossary.md" in links
    assert "odplay rules --rfc" in readme and "odplay rules --json" in readme
