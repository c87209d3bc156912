"""Lesson 3, "Decision Trees, Forests, and Boosting": its page follows the lesson rules (every
computed number bound, code in prose shown, a quiz that passes the quiz rules), and what it teaches
is true of its own scripts: the hand-worked impurities are the code's, the best-split search is an
exhaustive search, the NumPy tree grows scikit-learn's tree (same splits where no tie decides,
equally good splits where one does), boosting from scratch is scikit-learn's gradient boosting,
permutation importance agrees with scikit-learn's, and each claim the prose makes in words holds for
the printed numbers. The examples reproduce when run as the reader sees them, and so does the
companion notebook."""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import tomllib
from pathlib import Path
from types import ModuleType

import matplotlib
import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, lesson_page
from lesson_checks import (
    assert_examples_reproduce_from_the_download,
    assert_notebook_reproduces_in_a_fresh_kernel,
)
from matplotlib.text import Text
from PIL import Image
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.tree import DecisionTreeClassifier

from lessonkit.course import curriculum, quiz
from lessonkit.page import pages
from lessonkit.page.directives import expand
from lessonkit.page.directives import quiz as quiz_directive
from lessonkit.page.directives.value import lookup_value
from lessonkit.rules import lesson as rules
from lessonkit.rules import prose_code
from lessonkit.rules.claims import unbound_numbers

matplotlib.use("Agg")

LESSON = "decision-trees-forests-and-boosting"
PREVIOUS = "logistic-regression-and-metrics"
FIRST = "linear-regression-from-scratch"
PAGE_SOURCE = ROOT / "docs" / "lessons" / f"{LESSON}.md"
PAGE = f"lessons/{LESSON}/index.html"
FOLDER = ROOT / "snippets" / LESSON
ALLOWED = tomllib.loads((FOLDER / "lesson.toml").read_text(encoding="utf-8"))["numbers"]["allowed"]
SHOWN = re.compile(r"^\s*\{\{ (?:example|figure) (\S+) \}\}$", re.MULTILINE)


@functools.cache
def script(name: str) -> ModuleType:
    """A lesson snippet as a module: its functions and top-level results (it prints as it loads)."""
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py").replace("-", "_"), FOLDER / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def printed(name: str, selector: str) -> float:
    """A number from a snippet's documented output, read as the page's {{ value }} reads it."""
    return float(lookup_value((FOLDER / name).with_suffix(".out").read_text(encoding="utf-8"), selector))


def _soup(site: Path, page: str = PAGE) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _sklearn_splits(fitted) -> list[tuple[int, int, float, float]]:
    """(requests, feature, threshold, weighted child Gini) of each split, in scikit-learn's node order."""
    t = fitted.tree_
    found = []
    for i in range(t.node_count):
        left, right = t.children_left[i], t.children_right[i]
        if left != -1:
            children = t.impurity[left] * t.n_node_samples[left] + t.impurity[right] * t.n_node_samples[right]
            found.append((t.n_node_samples[i], t.feature[i], t.threshold[i], children / t.n_node_samples[i]))
    return found


# --- The page follows the lesson rules ---


def test_the_page_passes_every_lesson_rule() -> None:
    """Numbers typed by hand are inputs in lesson.toml, and code named in prose is shown code."""
    page = pages.read_page(
        f"lessons/{LESSON}.md", PAGE_SOURCE, ROOT / "snippets", f"docs/lessons/{LESSON}.md"
    )
    problems = rules.lesson_problems(
        page, f"docs/lessons/{LESSON}.md", lambda p: p.relative_to(ROOT).as_posix()
    )
    assert problems == [], "\n\n".join(problems)
    assert unbound_numbers(page.source, ALLOWED) == [] and prose_code.checked_spans(page.source)


def test_page_shows_twelve_or_more_examples_and_three_figures_and_uses_every_snippet() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    shown = SHOWN.findall(source)
    examples = [name for name in shown if not name.startswith("figure-")]
    figures = [name for name in shown if name.startswith("figure-")]
    assert len(examples) >= 12 and len(figures) >= 3
    assert {"figure-decision-regions.py", "figure-depth-versus-error.py", "figure-boosting-rounds.py"} <= set(
        figures
    )
    quoted = set(re.findall(r"\{\{ (?:value|table) (\S+)", source))
    quiz_text = (FOLDER / "quiz.yml").read_text(encoding="utf-8")
    quiz_lines = "\n".join(line for line in quiz_text.splitlines() if not line.lstrip().startswith("#"))
    quoted |= set(re.findall(r"\{\{ value (\S+)", quiz_lines))
    assert {p.name for p in FOLDER.glob("*.py")} == set(shown) | quoted


def test_every_try_it_yourself_solution_is_a_shown_script_under_a_collapsed_block() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    solutions = re.findall(
        r'^\?\?\? success "Show solution[^"]*"\n    \{\{ example (\S+) \}\}$', source, re.M
    )
    assert sorted(solutions) == sorted(p.name for p in FOLDER.glob("try-*.py"))
    prompts = source.split("## Try it yourself", 1)[1].split("??? success", 1)[0]
    assert "{{ value" not in prompts, "the exercises give no answers away; numbers live in the solutions"


def test_the_mastery_check_has_ten_questions_and_passes_the_quiz_rules() -> None:
    mastery = quiz_directive.load(lesson_page(ROOT, LESSON), expand)
    assert len(mastery.questions) == 10
    assert quiz.problems(mastery, "quiz.yml") == []


def test_references_carry_doi_or_publisher_links_for_the_sources_the_issue_names() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    for doi in (
        "10.1201/9781315139470",  # Breiman et al. 1984, CART
        "10.1023/A:1010933404324",  # Breiman 2001, random forests
        "10.1214/aos/1013203451",  # Friedman 2001, gradient boosting
        "10.1186/1471-2105-8-25",  # Strobl et al. 2007, biased importance
        "10.1007/978-0-387-84858-7",  # ESL
    ):
        assert f"(https://doi.org/{doi})" in source
    assert "chapters 9.2 (tree-based methods), 10 (boosting and additive trees) and 15" in source


def test_the_lesson_is_step_30_after_logistic_regression_with_a_summary_for_the_teaser() -> None:
    pages_ = (f"lessons/{FIRST}.md", f"lessons/{PREVIOUS}.md", f"lessons/{LESSON}.md")
    outline = curriculum.load(ROOT / curriculum.CURRICULUM_FILE, pages_, curriculum.CURRICULUM_FILE)
    entry = outline.lesson(LESSON)
    assert entry.published and entry.step == 30 and len(outline.lessons) == 155
    assert entry.title == "Decision Trees, Forests, and Boosting"
    assert outline.previous(entry).id == PREVIOUS and entry.summary
    assert outline.next(outline.lesson(PREVIOUS)).id == LESSON


# --- The lesson's facts, checked through its own scripts ---


def test_the_hand_worked_split_is_the_codes_split_and_the_best_days_cut() -> None:
    worked = script("gini-and-entropy-of-one-split.py")
    search = script("best-split-on-one-feature.py")
    y, late = worked.train_y, worked.train_X[:, 0] > 30
    for labels, key in ((y, "parent"), (y[~late], "left"), (y[late], "right")):
        p = labels.mean()
        assert printed("gini-and-entropy-of-one-split.py", f"{key}[3]") == pytest.approx(
            2 * p * (1 - p), abs=5e-4
        )
    threshold, weighted = search.best_split(search.train_X[:, 0], search.train_y)
    assert threshold == 30.5
    assert weighted == pytest.approx(worked.weighted_gini)
    assert worked.entropy(0.5) == 1 and worked.entropy(0.0) == 0


@pytest.mark.parametrize("feature", range(4))
def test_best_split_is_the_exhaustive_search_over_every_threshold(feature: int) -> None:
    search = script("best-split-on-one-feature.py")
    x, y = search.train_X[:, feature], search.train_y
    values = np.unique(x)
    candidates = (values[1:] + values[:-1]) / 2
    scores = []
    for t in candidates:
        left = x <= t
        scores.append(
            (left.sum() * search.gini(y[left].mean()) + (~left).sum() * search.gini(y[~left].mean())) / len(y)
        )
    threshold, weighted = search.best_split(x, y)
    assert weighted == pytest.approx(min(scores))
    assert threshold == pytest.approx(candidates[int(np.argmin(scores))])


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_the_numpy_tree_grows_scikit_learns_tree_for_every_seed_where_no_tie_decides(depth: int) -> None:
    compare = script("compare-tree-with-scikit-learn.py")
    ours = compare.grow(compare.train_X, compare.train_y, max_depth=depth)
    for seed in range(10):  # scikit-learn's feature order changes with the seed; without a tie, no change
        theirs = DecisionTreeClassifier(max_depth=depth, random_state=seed).fit(
            compare.train_X, compare.train_y
        )
        a, b = compare.our_splits(ours), _sklearn_splits(theirs)
        assert [s[:2] for s in a] == [tuple(int(v) for v in s[:2]) for s in b]
        np.testing.assert_allclose([s[2] for s in a], [s[2] for s in b], atol=1e-6)
        np.testing.assert_allclose([s[3] for s in a], [s[3] for s in b], atol=1e-12)
        np.testing.assert_array_equal(compare.predict(ours, compare.X), theirs.predict_proba(compare.X)[:, 1])


@pytest.mark.parametrize("depth", [4, 5, 6])
def test_where_the_trees_part_the_two_splits_are_tied(depth: int) -> None:
    compare = script("compare-tree-with-scikit-learn.py")
    seed = int(printed("compare-tree-with-scikit-learn.py", f"tie_at_depth={depth}[1]"))
    ours = compare.grow(compare.train_X, compare.train_y, max_depth=depth)
    theirs = DecisionTreeClassifier(max_depth=depth, random_state=seed).fit(compare.train_X, compare.train_y)
    a, b = compare.our_splits(ours), _sklearn_splits(theirs)
    first = compare.first_difference(a, b)
    assert first is not None and a[first][0] == b[first][0]
    assert a[first][0] == printed("compare-tree-with-scikit-learn.py", f"tie_at_depth={depth}[2]")
    assert a[first][3] == pytest.approx(b[first][3], abs=1e-12), "an equally good split: a tie"
    train_gap = np.abs(compare.predict(ours, compare.train_X) - theirs.predict_proba(compare.train_X)[:, 1])
    assert (train_gap.max() == 0) == (a[first][3] == 0), "pure children keep the training predictions"


def test_the_numpy_tree_matches_scikit_learn_on_other_data_without_ties() -> None:
    compare = script("compare-tree-with-scikit-learn.py")
    rng = np.random.default_rng(4)
    X = rng.random((400, 3))
    y = (rng.random(400) < 0.2 + 0.6 * (X[:, 0] > 0.5) * (X[:, 2] < 0.7)).astype(int)
    ours = compare.grow(X, y, max_depth=3)
    theirs = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    assert [s[1] for s in compare.our_splits(ours)] == [int(s[1]) for s in _sklearn_splits(theirs)]
    np.testing.assert_allclose(compare.predict(ours, X), theirs.predict_proba(X)[:, 1])


@pytest.mark.parametrize(("rate", "depth", "rounds"), [(0.1, 2, 30), (0.3, 1, 30), (0.1, 3, 10)])
def test_boosting_from_scratch_is_scikit_learns_gradient_boosting(
    rate: float, depth: int, rounds: int
) -> None:
    boost = script("gradient-boosting-from-scratch.py")
    start, trees = boost.boost(boost.train_X, boost.train_y, rounds, learning_rate=rate, max_depth=depth)
    theirs = GradientBoostingClassifier(
        n_estimators=rounds, learning_rate=rate, max_depth=depth, subsample=1.0, random_state=0
    ).fit(boost.train_X, boost.train_y)
    ours = boost.sigmoid(boost.scores(start, trees, boost.val_X, learning_rate=rate))
    staged = np.array([p[:, 1] for p in theirs.staged_predict_proba(boost.val_X)])
    np.testing.assert_allclose(ours, staged, atol=1e-10)


def test_boostings_residuals_are_the_negative_gradient_of_the_log_loss_in_the_score() -> None:
    boost = script("gradient-boosting-from-scratch.py")
    y = boost.train_y
    F = np.random.default_rng(2).normal(-1, 1, len(y))
    step = 1e-6
    numeric = [
        (boost.log_loss(y, boost.sigmoid(F + d)) - boost.log_loss(y, boost.sigmoid(F - d))) / (2 * step)
        for d in np.eye(len(y))[:20] * step
    ]
    np.testing.assert_allclose(-np.array(numeric) * len(y), (y - boost.sigmoid(F))[:20], atol=1e-5)
    assert printed("gradient-boosting-from-scratch.py", "start_score[0]") == pytest.approx(
        np.log(y.mean() / (1 - y.mean())), abs=1e-4
    )


def test_our_permutation_importance_agrees_with_scikit_learns() -> None:
    importance = script("impurity-versus-permutation-importance.py")
    forest, X, y = importance.forest, importance.val_X, importance.val_y
    ours, _ = importance.permutation_importance(forest, X, y, repeats=30, seed=1)
    theirs = permutation_importance(forest, X, y, n_repeats=30, random_state=1).importances_mean
    np.testing.assert_allclose(ours, theirs, atol=0.025)
    assert list(np.argsort(ours)[-2:]) == list(np.argsort(theirs)[-2:])  # the same two features on top


# --- What the prose says in words holds for the printed numbers ---


def test_the_search_finds_the_simulations_rule_and_the_noise_beats_evidence() -> None:
    assert printed("best-split-on-one-feature.py", "days[0]") == 30.5
    assert abs(printed("best-split-on-one-feature.py", "policy_match[0]") - 0.6) < 0.01
    assert printed("best-split-on-one-feature.py", "days[1]") < printed(
        "best-split-on-one-feature.py", "policy_match[1]"
    )
    assert printed("best-split-on-one-feature.py", "ticket[1]") < printed(
        "best-split-on-one-feature.py", "evidence[1]"
    )


def test_the_depth_curve_falls_in_training_and_bottoms_out_on_validation_at_depth_2() -> None:
    figure = script("figure-depth-versus-error.py").depth_curve()
    assert np.all(np.diff(figure["train"]) <= 0) and figure["train"][-1] == 0
    assert figure["best_depth"] == 2 == printed("figure-depth-versus-error.py", "best_depth[0]")
    np.testing.assert_allclose(
        figure["validation"],
        [printed("depth-and-overfitting.py", f"depth={d}[3]") for d in range(1, 13)],
        atol=5e-4,
    )
    assert printed("depth-and-overfitting.py", "depth=1[3]") == printed(
        "depth-and-overfitting.py", "always_predict_kept[0]"
    )
    data = script("depth-and-overfitting.py")
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(data.train_X, data.train_y)
    assert stump.tree_.value[1:, 0, 1].max() < 0.5, "both leaves of the depth-1 tree say kept"


def test_averaging_cuts_the_variance_and_random_features_cut_it_further() -> None:
    def row(name: str, i: int) -> float:
        return printed("bagging-and-a-random-forest.py", f"{name}[{i}]")

    assert row("one_tree", 0) > 3 * row("bagged", 0) and row("bagged", 0) > row("forest", 0)
    assert row("bagged", -1) > row("forest", -1)  # correlation of two trees
    assert row("one_tree", 1) > row("bagged", 1) > row("forest", 1)  # the validation error follows
    assert row("one_tree", 1) == row("one_tree", 2), "a single tree's Brier score is its error rate"


def test_the_first_boosting_tree_gives_its_largest_value_to_the_late_weak_match_leaf() -> None:
    boost = script("gradient-boosting-from-scratch.py")
    first = boost.trees[0]
    assert (first["feature"], first["threshold"]) == (0, 30.5)
    late = first["right"]
    assert late["feature"] == 1 and late["threshold"] < 0.65  # the late side splits on policy match
    values = [leaf["value"] for leaf in boost.leaves(first)]
    assert late["left"]["value"] == max(values)


def test_boosting_over_fits_with_rounds_and_a_large_learning_rate_sooner() -> None:
    curve = script("figure-boosting-rounds.py").boosting_curve()
    assert np.all(np.diff(curve["train"]) < 0)
    assert curve["validation"][-1] > curve["validation"][curve["best_round"] - 1] + 0.05
    assert curve["best_round"] == printed("try-boosting-learning-rate.py", "learning_rate=0.1[1]")
    assert printed("try-boosting-learning-rate.py", "learning_rate=1.0[1]") == 1
    bests = [printed("try-boosting-learning-rate.py", f"learning_rate={r}[2]") for r in ("1.0", "0.3", "0.1")]
    assert max(bests) - min(bests) < 0.02, "the best losses are close"
    after = [
        printed("try-boosting-learning-rate.py", f"learning_rate={r}[-1]") for r in ("1.0", "0.3", "0.1")
    ]
    assert after == sorted(after, reverse=True)


def test_impurity_importance_overrates_the_noise_that_permutation_importance_exposes() -> None:
    def imp(name: str, i: int) -> float:
        return printed("impurity-versus-permutation-importance.py", f"{name}[{i}]")

    assert imp("ticket", 0) > imp("evidence", 0)  # impurity: noise ranked above evidence
    assert imp("ticket", 3) == max(imp(n, 3) for n in ("days", "policy_match", "evidence", "ticket"))
    assert abs(imp("ticket", 1)) <= imp("ticket", 2)  # within the spread of repeated shuffles
    assert min(imp("days", 1), imp("policy_match", 1)) > 10 * abs(imp("ticket", 1))


def test_the_linear_model_wins_on_lesson_2s_data_and_loses_on_this_lessons() -> None:
    def score(name: str, i: int) -> float:
        return printed("when-the-linear-model-wins.py", f"{name}[{i}]")

    others = ("tree", "forest", "boosting")
    assert all(score("linear_rule_logistic", 0) < score(f"linear_rule_{m}", 0) for m in others)
    assert all(score("linear_rule_logistic", 1) > score(f"linear_rule_{m}", 1) for m in others)
    for m in ("forest", "boosting"):
        assert score(f"late_and_weak_rule_{m}", 0) < score("late_and_weak_rule_logistic", 0)
    assert len(script("when-the-linear-model-wins.py").lesson_2_requests()[1]) == 200


def test_pure_leaves_are_certain_and_costly_and_larger_leaves_fix_the_log_loss() -> None:
    assert printed("pure-leaves-are-overconfident.py", "unlimited_depth[0]") == printed(
        "pure-leaves-are-overconfident.py", "unlimited_depth[1]"
    )
    assert (
        printed("pure-leaves-are-overconfident.py", "depth_2[-2]")
        < printed("pure-leaves-are-overconfident.py", "unlimited_depth[3]") / 10
    )
    losses = [printed("try-min-samples-leaf.py", f"min_samples_leaf={k}[4]") for k in (1, 5, 20, 50)]
    assert losses == sorted(losses, reverse=True)
    errors = [printed("try-min-samples-leaf.py", f"min_samples_leaf={k}[3]") for k in (1, 5, 20, 50)]
    assert min(errors) == errors[2]


def test_more_trees_settle_the_forest_and_rescaling_moves_only_thresholds() -> None:
    errors = [printed("try-more-trees.py", f"trees={t}[1]") for t in (25, 100, 300)]
    assert max(errors) - min(errors) <= 0.02 and printed("try-more-trees.py", "trees=1[1]") > max(errors)
    briers = [printed("try-more-trees.py", f"trees={t}[2]") for t in (25, 100, 300)]
    assert max(briers) - min(briers) < 0.01
    assert printed("trees-ignore-feature-scale.py", "root_threshold[1]") == 24 * printed(
        "trees-ignore-feature-scale.py", "root_threshold[0]"
    )
    gini = (FOLDER / "try-entropy-instead-of-gini.out").read_text(encoding="utf-8").splitlines()
    splits = {
        line.split()[0]: line.split()[1:]
        for line in gini
        if line.endswith(tuple("0123456789")) and "<=" in line
    }
    assert (
        splits["gini_splits"][0] == splits["entropy_splits"][0]
        and splits["gini_splits"] != splits["entropy_splits"]
    )
    assert any(s.startswith("ticket") for s in splits["gini_splits"]) and any(
        s.startswith("ticket") for s in splits["entropy_splits"]
    )


def test_the_decision_regions_follow_the_rule_with_a_thin_strip_of_over_fitting() -> None:
    data = script("figure-decision-regions.py").regions()
    said = [box for box, overturned in data["boxes"] if overturned]
    big = max(said, key=lambda b: (b[0][1] - b[0][0]) * (b[1][1] - b[1][0]))
    assert big[0] == (30.5, 60.0) and abs(big[1][1] - 0.6) < 0.03
    strip = [b for b in said if b[0][1] <= 30.5]
    assert len(strip) == 1 and strip[0][1] == pytest.approx(
        (
            printed("figure-decision-regions.py", "splits[2]"),
            printed("figure-decision-regions.py", "splits[1]"),
        )
    )


# --- The figures ---


FIGURES = sorted(FOLDER.glob("figure-*.py"))


def _drawn(module: ModuleType) -> dict:
    for compute in ("regions", "depth_curve", "boosting_curve"):
        if hasattr(module, compute):
            return getattr(module, compute)()
    raise AssertionError(f"{module.__name__} has no data function")


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_figure_text_stays_legible_on_a_phone_in_both_palettes(path: Path) -> None:
    module = script(path.name)
    data = _drawn(module)
    for theme in module.THEMES:
        fig = module.draw(data, theme)
        fig.canvas.draw()
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert fig.get_figwidth() == 4.6 and min(sizes) >= 12, (theme, min(sizes))
        matplotlib.pyplot.close(fig)


# --- The built site ---


def test_the_page_builds_with_figures_in_both_palettes_a_card_and_a_reading_time_of_at_most_25(
    site: Path,
) -> None:
    soup = _soup(site)
    assert len(soup.select("article figure.lk-figure")) == len(FIGURES)
    for path in FIGURES:
        for variant in ("light.svg", "dark.svg"):
            assert (site / f"assets/figures/{LESSON}/{path.stem}/{variant}").is_file()
    card = Image.open(
        io.BytesIO((site / f"assets/figures/{LESSON}/figure-decision-regions/card.png").read_bytes())
    )
    assert card.size == (1200, 630)
    header = soup.select_one("article header").get_text(" ", strip=True)
    minutes = int(re.search(r"(\d+) min read", header)[1])
    assert 12 <= minutes <= 25
    assert "Step 30 of 155 in the full curriculum" in header


def test_lesson_2_links_here_and_this_lesson_back_and_the_learn_page_shows_three(site: Path) -> None:
    here = _soup(site).select_one("article header.lk-lesson-header")
    previous = here.select_one(".lk-path__neighbours a")
    assert previous.get_text(strip=True) == "Logistic Regression and Metrics"
    assert previous["href"] == f"../{PREVIOUS}/"
    assert [a["href"] for a in here.select(".lk-path__neighbours a")] == [f"../{PREVIOUS}/"]
    before = _soup(site, f"lessons/{PREVIOUS}/index.html")
    neighbours = before.select_one("article header.lk-lesson-header").select(".lk-path__neighbours a")
    assert [a["href"] for a in neighbours] == [f"../{FIRST}/", f"../{LESSON}/"]
    teaser = before.select_one("article footer.lk-lesson-footer .lk-next-step")
    assert teaser.select_one(f'a[href="../{LESSON}/"]') is not None
    assert "Predict which refusals a reviewer will overturn" in teaser.get_text(" ", strip=True)
    linked = _soup(site, "learn/index.html").select("article li[data-lk-outline-lesson] a")
    assert [a["href"] for a in linked] == [f"../lessons/{lesson}/" for lesson in (FIRST, PREVIOUS, LESSON)]


def test_examples_reproduce_when_run_as_shown_in_the_markdown_download(site: Path, tmp_path: Path) -> None:
    assert_examples_reproduce_from_the_download(site, LESSON, tmp_path)


def test_the_companion_notebook_runs_in_a_fresh_kernel_printing_the_documented_outputs(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_notebook_reproduces_in_a_fresh_kernel(site, LESSON, tmp_path, monkeypatch)
