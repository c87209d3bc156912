"""snippets.toml: each bad setting is one message naming the file, the snippet and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import make_project

from lessonkit.run import snippets


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[greet]\ndepends = 'data.csv'\n", "[greet] `depends` must be a list of file names"),
        ("[greet]\ndepends = ['data.csv']\n", "[greet] `depends` names data.csv, which does not exist"),
        ("[greet]\nallow_stderr = 'yes'\n", "[greet] `allow_stderr` must be true or false, not 'yes'"),
        ("[nothere]\ntimeout = 5\n", "[nothere] names no snippet (nothere.py is missing)"),
        ("greet = 5\n", "`greet` must be a table of settings"),
    ],
)
def test_each_bad_setting_is_one_message(tmp_path: Path, toml: str, message: str) -> None:
    project = make_project(tmp_path / "p", {})
    folder = project / "snippets" / "demo"
    (folder / "snippets.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(snippets.SnippetConfigError) as error:
        snippets.load_settings(folder, project)
    assert str(error.value).startswith("snippets/demo/snippets.toml: ")
    assert message in str(error.value)
