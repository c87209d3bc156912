"""Every computed number on the lesson page is quoted from a snippet's output, so a change in
the data or the code either updates the page or fails the build; each "Try it yourself"
claim is backed by a solution script shown under "Show solution"."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, mkdocs_build, page_as_read

from lessonkit.page.directives import DirectiveError, PageContext, expand
from lessonkit.page.directives.value import lookup_value
from lessonkit.rules.claims import unbound_numbers

PAGE_SOURCE = ROOT / "docs" / "lessons" / f"{LESSON}.md"
PAGE = f"lessons/{LESSON}/index.html"
FOLDER = ROOT / "snippets" / LESSON

# Numbers the page may type by hand (inputs and definitions), kept with the lesson's data.
ALLOWED_INPUTS: dict[str, str] = tomllib.loads((FOLDER / "lesson.toml").read_text(encoding="utf-8"))[
    "numbers"
]["allowed"]


def _lesson(folder: Path, outputs: dict[str, str]) -> PageContext:
    return PageContext(
        page="lessons/demo.md", folder=folder, root=folder.parent.parent, outputs=lambda p: outputs[p.name]
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "snippets" / "demo"
    folder.mkdir(parents=True)
    for name in ("fit.py", "table-fit.py", "chatty.py"):
        (folder / name).write_text("print()\n", encoding="utf-8")
    return folder


# --- Numbers in prose are bound, and nothing computed is typed by hand ---


def test_no_computed_number_is_typed_by_hand_on_the_lesson_page() -> None:
    unbound = unbound_numbers(PAGE_SOURCE.read_text(encoding="utf-8"), ALLOWED_INPUTS)
    listing = "\n".join(str(u) for u in unbound)
    assert not unbound, (
        f"{len(unbound)} number(s) in {PAGE_SOURCE.relative_to(ROOT)} are typed by hand; quote them "
        f"with {{{{ value NAME.py KEY }}}} (or add a true input to ALLOWED_INPUTS):\n{listing}"
    )


def test_every_allowed_input_still_occurs_on_the_page() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    stale = [entry for entry in ALLOWED_INPUTS if entry not in source]
    assert stale == [], "allow-list entries the page no longer uses"


def test_scanner_reports_a_typed_result_with_its_line_and_ignores_code_and_directives() -> None:
    source = "\n".join(
        [
            "---",
            "title: Lesson 2",  # front matter
            "---",
            "The MSE is 2.8 and the mean is 160 ms.",  # line 4: typed results
            "The MSE is {{ value fit.py mse }}; see `np.round(x, 2)` and [a link](https://x.org/10.1).",
            "```python",
            "print(3.14)",
            "```",
            "1. Order A10234 under policy P-7: $R^2 = 1 - \\frac{2}{n}$, weights $(X^\\top X)^{-1}$.",
            "| 2. Raise the rate to 0.2 | 4.5 |",  # line 10: 4.5 is typed
        ]
    )
    found = [(u.line, u.number) for u in unbound_numbers(source, ["1", "0.2", "\\frac{2}{n}"])]
    assert found == [(4, "2.8"), (4, "160"), (10, "4.5")]


def test_value_quotes_numbers_as_printed_minus_a_zero_fraction(demo: Path) -> None:
    output = "weights [100.  20.]\nintercept 100.0\nloss=2.80 w=[1.5 -2.]\nstatus singular\n"
    assert lookup_value(output, "weights[1]") == "20"
    assert lookup_value(output, "intercept") == "100"
    assert lookup_value(output, "loss=2.80[0]") == "2.80"
    assert lookup_value(output, "loss=2.80[-1]") == "-2"
    assert lookup_value(output, "status") == "singular"


def test_table_directive_inserts_the_printed_markdown_table_and_counts_its_numbers(demo: Path) -> None:
    table = "| x | y |\n|:---:|:---:|\n| 1 | 118 |\n| 2 | 141 |\n"
    lesson = _lesson(demo, {"table-fit.py": table, "fit.py": "mse 2.8\nweights [100.  20.]\n"})
    page = (
        "Data:\n\n{{ table table-fit.py }}\n\n"
        "MSE {{ value fit.py mse }}, slope {{ value fit.py weights[1] }}.\n"
    )
    assert expand(page, lesson) == f"Data:\n\n{table.rstrip()}\n\nMSE 2.8, slope 20.\n"
    assert (lesson.tally.values, lesson.tally.tables, lesson.tally.numbers) == (2, 1, 6)


def test_table_directive_refuses_output_that_is_not_a_table(demo: Path) -> None:
    lesson = _lesson(demo, {"chatty.py": "Here is the table:\n| x |\n|---|\n| 1 |\n"})
    with pytest.raises(DirectiveError) as error:
        expand("{{ table chatty.py }}\n", lesson)
    assert str(error.value) == (
        "lessons/demo.md:1: `{{ table chatty.py }}`: snippets/demo/chatty.py must print a Markdown table "
        "(a header, a |---| line, rows) and nothing else"
    )


def test_indented_block_directive_is_indented_as_a_whole(demo: Path) -> None:
    lesson = _lesson(demo, {"fit.py": "a\n\nb\n", "table-fit.py": "| x |\n|---|\n| 1 |\n"})
    page = '??? success "Show solution"\n    {{ example fit.py }}\n\n    {{ table table-fit.py }}\n'
    lines = expand(page, lesson).splitlines()
    assert lines[0] == '??? success "Show solution"'
    assert all(line.startswith("    ") for line in lines[1:] if line), lines
    assert '    ```text title="Output"' in lines and "    | 1 |" in lines


def test_stale_value_names_page_directive_and_snippet(demo: Path) -> None:
    lesson = _lesson(demo, {"fit.py": "mean_squared_error 2.8\n"})
    with pytest.raises(DirectiveError) as error:
        expand("MSE {{ value fit.py mse }}.", lesson)
    assert str(error.value) == (
        "lessons/demo.md:1: `{{ value fit.py mse }}` does not match the output of snippets/demo/fit.py: "
        "no output line starts with 'mse'"
    )


# --- The build: it reports the bindings and refuses stale ones ---


def _break(project: Path, name: str, old: str, new: str) -> Path:
    path = project / "snippets" / LESSON / name
    source = path.read_text(encoding="utf-8")
    assert old in source, f"{name} no longer contains {old!r}"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path


def _accept(project: Path, *snippets: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lessonkit", "accept", *snippets],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_log_says_how_many_numbers_are_bound_and_checked(project: Path, tmp_path: Path) -> None:
    result = mkdocs_build(project, tmp_path / "site")
    assert result.ok, result.output
    pages = sorted((project / "docs" / "lessons").glob("*.md"))
    match = re.search(
        rf"lessonkit: (\d+) numbers bound to snippet output on {len(pages)} page\(s\) "
        r"\((\d+) values, (\d+) tables\)",
        result.output,
    )
    assert match, result.output
    numbers, values, tables = map(int, match.groups())
    sources = [page.read_text(encoding="utf-8") for page in pages]
    # Each quiz ({{ quiz }}) quotes outputs too; its YAML comments do not count.
    quiz_values = 0
    for page in pages:
        quiz = (project / "snippets" / page.stem / "quiz.yml").read_text(encoding="utf-8")
        quiz_lines = [line for line in quiz.splitlines() if not line.lstrip().startswith("#")]
        quiz_values += sum(line.count("{{ value ") for line in quiz_lines)
    assert values == sum(source.count("{{ value ") for source in sources) + quiz_values
    assert PAGE_SOURCE.read_text(encoding="utf-8").count("{{ table ") == 3
    assert tables == sum(source.count("{{ table ") for source in sources)
    assert numbers > values


def test_value_no_longer_printed_fails_the_build_naming_page_directive_and_snippet(
    project: Path, tmp_path: Path
) -> None:
    where = f"snippets/{LESSON}/worked-numbers.py"
    _break(project, "worked-numbers.py", 'print("mean_latency"', 'print("average_latency"')
    accept = _accept(project, where)
    assert accept.returncode == 0, accept.stderr
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert re.search(
        rf"docs/lessons/{LESSON}.md:\d+: `{{{{ value worked-numbers.py mean_latency }}}}` does not match the "
        rf"output of {where}: no output line starts with 'mean_latency'",
        result.output,
    ), result.output
    assert not (tmp_path / "site").exists()


NUMBER_IN_TEXT = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


def _numbers_on_page(site: Path) -> set[str]:
    """Every number a reader sees in the article, code and outputs included; math counted once."""
    article = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser").select_one("article")
    # A collapsed block published on its own page (a figure's script and output) is read from there.
    parts = [article]
    for details in article.select("details[data-lk-fragment]"):
        published = ((site / PAGE).parent / details["data-lk-fragment"]).read_text(encoding="utf-8")
        parts.append(BeautifulSoup(published, "html.parser").select_one("main"))
    text = []
    for part in parts:
        # KaTeX keeps a MathML copy of each formula for screen readers (line numbers are an
        # attribute, not text); a figure script's code is layout constants (its Output counts).
        for node in part.select(".katex-mathml, details.example .language-python"):
            node.decompose()
        if part is not article:
            for node in part.select(".language-python"):
                node.decompose()
        text.append(part.get_text(" "))
    return set(NUMBER_IN_TEXT.findall(" ".join(text).replace("\u2212", "-")))


def _recorded(name: str, key: str, folder: Path) -> str:
    return lookup_value((folder / name).with_suffix(".out").read_text(encoding="utf-8"), key)


# Results that depend on the last latency, as (snippet, key), quoted in prose, tables and formulas;
# each chosen so that its old value has no other reason to be on the page after the change.
DATA_DEPENDENT = [
    ("score-candidate-line-against-baseline.py", "mse"),
    ("score-candidate-line-against-baseline.py", "baseline_mse"),
    ("score-candidate-line-against-baseline.py", "r2"),
    ("worked-numbers.py", "line_sse"),
    ("worked-numbers.py", "baseline_sse"),
    ("worked-numbers.py", "r2_percent"),
    ("worked-numbers.py", "last_latency"),
    ("verify-the-first-gradient-step.py", "gradient[0]"),
    ("verify-the-first-gradient-step.py", "gradient[1]"),
    ("gradient-descent-line-fit.py", "after_step=100[2]"),
    ("design-matrix-keeps-fixed-overhead.py", "forced_through_zero[1]"),
    ("evaluate-a-held-out-request.py", "baseline_squared_error"),
    ("try-unstable-learning-rate.py", "calm_losses[-1]"),
]


def test_changing_a_data_point_fails_the_build_then_accept_updates_every_number(
    project: Path, tmp_path: Path
) -> None:
    folder = project / "snippets" / LESSON
    old = {item: _recorded(*item, folder) for item in DATA_DEPENDENT}
    old_table_sums = {"-800", "-2600"}  # the gradient table's sums, typed nowhere but in its .out
    assert all(s in (folder / "table-first-gradient-step.out").read_text() for s in old_table_sums)

    holding = [p for p in sorted(folder.glob("*.py")) if "181.0, 198.0]" in p.read_text(encoding="utf-8")]
    assert len(holding) == len(list(folder.glob("*.py"))), "every snippet carries the data"
    for path in holding:
        _break(project, path.name, "181.0, 198.0]", "181.0, 240.0]")

    failed = mkdocs_build(project, tmp_path / "failed")
    assert not failed.ok
    where = f"snippets/{LESSON}/score-candidate-line-against-baseline.py"
    assert f"{where} printed output that differs from its documented output" in failed.output
    assert "-mse 2.8\n" in failed.output and "-r2 0.9965\n" in failed.output
    assert f"{len(holding)} snippet problem(s)" in failed.output

    accept = _accept(project)
    assert accept.returncode == 0, accept.stderr
    built = mkdocs_build(project, tmp_path / "site")
    assert built.ok, built.output

    seen = _numbers_on_page(tmp_path / "site")
    new = {item: _recorded(*item, folder) for item in DATA_DEPENDENT}
    for item in DATA_DEPENDENT:
        assert old[item] != new[item], item
        assert new[item] in seen, f"{item}: new value {new[item]} is not on the page"
        assert old[item] not in seen, f"{item}: stale value {old[item]} is still on the page"
    assert not old_table_sums & seen
    assert "198" not in seen, "the old data point survives somewhere"


# --- "Try it yourself": every claim is backed by a solution shown under "Show solution" ---


def _try_rows(source: str) -> list[str]:
    section = source.split("## Try it yourself", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "Experiment" not in line]


def _solutions(source: str) -> list[tuple[str, str]]:
    """(script, the text that follows it) of each "Show solution" block, in page order."""
    block = r'^\?\?\? success "Show solution[^"]*"\n    \{\{ example (\S+) \}\}\n((?:\n|    .*\n)*)'
    return re.findall(block, source, re.M)


def test_try_it_yourself_expects_in_words_and_each_solution_explains_its_own_output() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    rows = _try_rows(source)
    assert len(rows) == 6
    for row in rows:
        expectation = row.split(" | ")[1]
        assert "{{" not in expectation and not re.search(r"\d", expectation), f"gives the answer away: {row}"
    solutions = _solutions(source)
    assert len(solutions) == len(rows)
    assert sorted(name for name, _ in solutions) == sorted(p.name for p in FOLDER.glob("try-*.py"))
    for name, text in solutions:
        quoted = set(re.findall(r"\{\{ value (try-\S+\.py) ", text))
        assert quoted == {name}, f"the solution to {name} should explain its own output: {text}"


def test_the_too_large_learning_rate_is_one_run_told_the_same_way_everywhere() -> None:
    """Step 0 is the start: the body's run (the loss before each of five updates), the exercise's
    solution (steps 0 to 6) and the figure (steps 0 to 6, three significant digits) agree."""
    body = [
        float(n)
        for n in re.findall(r"[\d.]+", _recorded("detect-an-unstable-learning-rate.py", "losses", FOLDER))
    ]
    solution = [
        float(n)
        for n in re.findall(r"[\d.]+", _recorded("try-unstable-learning-rate.py", "unstable_losses", FOLDER))
    ]
    drawn = [
        float(n)
        for n in re.findall(r"'([^']+)'", _recorded("figure-gradient-descent.py", "unstable_losses", FOLDER))
    ]
    assert len(body) == 5 and len(solution) == len(drawn) == 7
    assert solution[:5] == body
    assert [float(f"{loss:.3g}") for loss in solution] == drawn


def test_solutions_render_collapsed_with_code_and_this_builds_output(site: Path) -> None:
    soup = page_as_read(site, PAGE)  # long solutions are fetched when opened
    solutions = soup.select("article details.success")
    assert len(solutions) == 6
    for details in solutions:
        assert details.summary.get_text().startswith("Show solution")
        assert not details.has_attr("open")
        titles = [t.get_text() for t in details.select(".highlight span.filename")]
        assert len(titles) == 2 and titles[0].startswith("try-") and titles[1] == "Output", titles
        code, output = (
            t.find_parent(class_="highlight").select_one("td.code code, pre code")
            for t in details.select(".highlight span.filename")
        )
        assert code.get_text() == (FOLDER / titles[0]).read_text(encoding="utf-8")
        assert output.get_text() == (FOLDER / titles[0]).with_suffix(".out").read_text(encoding="utf-8")


def test_solution_outputs_back_their_claims() -> None:
    """What each claim says in words, read from the documented outputs the page quotes."""

    def out(name: str, key: str) -> str:
        return _recorded(f"try-{name}.py", key, FOLDER)

    def num(name: str, key: str) -> float:
        return float(out(name, key))

    overhead, per_step = num("predict-x-6", "fixed_overhead_ms"), num("predict-x-6", "ms_per_100_tokens")
    assert num("predict-x-6", "prediction_at_x_6_ms") == overhead + 6 * per_step
    assert out("change-last-target", "slope_rose") == "True"
    assert num("change-last-target", "slope[1]") > num("change-last-target", "slope[0]")
    assert out("unstable-learning-rate", "unstable_rises_every_step") == "True"
    assert num("drop-intercept", "through_origin[1]") > num("drop-intercept", "with_intercept[1]")
    assert out("duplicate-column", "solve_error") == "Singular matrix"
    assert (out("duplicate-column", "rank[0]"), out("duplicate-column", "rank[1]")) == ("2", "3")
    assert out("duplicate-column", "same_predictions_for_every_split") == "True"
    assert num("remove-baseline", "flat_line_mse") < num("remove-baseline", "real_line_mse")
    assert num("remove-baseline", "flat_r2") < 0.1 < 0.9 < num("remove-baseline", "real_r2")


@pytest.mark.browser
def test_show_solution_opens_to_reveal_the_script_and_its_output(browser, site: Path, serve) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{serve(site)}{PAGE}")
    first = page.locator("article details.success").first
    code = first.locator(".highlight").first
    assert not code.is_visible()
    first.locator("summary").click()
    assert code.is_visible()
    assert first.locator(".highlight span.filename").all_inner_texts() == ["try-predict-x-6.py", "Output"]
    context.close()
