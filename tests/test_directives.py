"""The page grammar and the directives, in-process: what is expanded, what is shown
verbatim, and how problems are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import COUNT, GREET

from lessonkit.page.directives import DirectiveError, PageContext, expand, scan


@pytest.fixture
def page(tmp_path: Path) -> PageContext:
    folder = tmp_path / "snippets" / "demo"
    folder.mkdir(parents=True)
    (folder / "greet.py").write_text(GREET, encoding="utf-8")
    (folder / "count.py").write_text(COUNT, encoding="utf-8")
    outputs = {"greet.py": "greeting hello\nanswer 42\n", "count.py": "0\n1\n2\n"}
    return PageContext(page="guide.md", root=tmp_path, folder=folder, outputs=lambda p: outputs[p.name])


def test_directives_in_fenced_and_inline_code_and_comments_are_verbatim(page: PageContext) -> None:
    text = (
        "Write `{{ value greet.py answer }}` to quote a number.\n\n"
        "```markdown\n{{ example greet.py }}\n```\n\n"
        "~~~\n{{ bogus }}\n~~~\n\n"
        "<!-- {{ value greet.py nothing }} -->\n"
        "The answer: {{ value greet.py answer }}.\n"
    )
    expanded = expand(text, page)
    assert "`{{ value greet.py answer }}`" in expanded
    assert "```markdown\n{{ example greet.py }}\n```" in expanded
    assert "{{ bogus }}" in expanded
    assert expanded.endswith("The answer: 42.\n")


def test_a_fence_inside_an_indented_block_is_verbatim_too(page: PageContext) -> None:
    text = '??? note "Syntax"\n\n    ```text\n    {{ example count.py }}\n    ```\n'
    assert expand(text, page) == text


def test_every_problem_on_a_page_is_reported_with_its_line(page: PageContext) -> None:
    text = "# Title\n\n{{ bogus }}\n\nA {{ value greet.py missing }} here.\n\n{{ example nothere.py }}\n"
    with pytest.raises(DirectiveError) as error:
        expand(text, page)
    assert error.value.messages == [
        "guide.md:3: `{{ bogus }}` is not a directive (known: example, value, table, figure, quiz, "
        "curriculum); to show the syntax itself, put it in `inline code` or a fenced block",
        "guide.md:5: `{{ value greet.py missing }}` does not match the output of snippets/demo/greet.py: "
        "no output line starts with 'missing'",
        "guide.md:7: `{{ example nothere.py }}` names snippets/demo/nothere.py, which does not exist",
    ]


def test_a_snippet_directive_on_a_page_without_a_folder_says_how_to_name_one(page: PageContext) -> None:
    no_folder = PageContext(page="index.md", root=page.root, folder=None, outputs=page.outputs)
    with pytest.raises(DirectiveError, match=r"index.md:1: .* add `snippets: <folder>`"):
        expand("{{ value greet.py answer }}\n", no_folder)


def test_messages_count_lines_from_the_top_of_the_file(page: PageContext) -> None:
    page.line_offset = 4  # front matter above the Markdown
    with pytest.raises(DirectiveError, match=r"^guide.md:7: "):
        expand("text\n\n{{ bogus }}\n", page)


def test_a_block_directive_must_stand_alone_on_its_line(page: PageContext) -> None:
    with pytest.raises(DirectiveError, match="must stand on a line of its own"):
        expand("See {{ example greet.py }} here.\n", page)


def test_an_indented_block_directive_is_indented_as_a_whole(page: PageContext) -> None:
    expanded = expand('??? success "Show"\n\n    {{ example count.py }}\n', page)
    body = expanded.split("\n\n", 1)[1]
    assert all(line.startswith("    ") or not line for line in body.splitlines())
    assert '    --8<-- "snippets/demo/count.py"' in body


def test_scan_finds_figure_fields_and_headings() -> None:
    scanned = scan("## Fit {#fit}\n\n{{ figure figure-a.py }}\nalt: a line\ncaption: it fits\nAfter.\n")
    (figure,) = scanned.directives
    assert figure.fields == (("alt", "a line"), ("caption", "it fits"))
    assert [(h.level, h.text) for h in scanned.headings] == [(2, "Fit")]


def test_the_curriculum_directive_takes_published_or_nothing(page: PageContext) -> None:
    with pytest.raises(DirectiveError) as error:
        expand("{{ curriculum lessons }}\n", page)
    assert error.value.messages == [
        "guide.md:1: `{{ curriculum lessons }}` takes no argument (the whole outline) or `published` "
        "(the published lessons)"
    ]
