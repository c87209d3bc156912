"""A built page without markup that changes nothing a reader sees or hears.

Each rule removes bytes the browser ignores or renders identically:
  - in code blocks, tokens drawn in the plain code colour (names, punctuation, operators,
    whitespace: see docs/assets/lessonkit-code.css) lose their <span>: most tokens are
    these, and each span cost more bytes than the text it wrapped;
  - the line numbers, one empty span per line, become one attribute of the block's <code>
    listing them all (``data-lk-linenos``), which docs/assets/lessonkit-code.css draws as a
    column: a few bytes a line instead of about thirty;
  - the MathML namespace on <math>, which the HTML parser supplies itself, and the TeX source
    KaTeX keeps beside each formula's MathML (an annotation no browser shows or reads out;
    only KaTeX's copy-as-TeX script uses it, and the site does not load it);
  - runs of blank lines and indentation between tags, outside pre, code, textarea and script.
"""

from __future__ import annotations

import re

PLAIN_TOKENS = ("n", "p", "o", "w")  # Pygments classes for names, punctuation, operators, whitespace
CODE_BLOCK = re.compile(
    r'(?P<open><div class="language-[\w-]+ highlight">)(?P<body>.*?)(?P<close></code></pre>)', re.DOTALL
)
PLAIN_TOKEN = re.compile(rf'<span class="(?:{"|".join(PLAIN_TOKENS)})">(?P<text>[^<]*)</span>')
LINE_NUMBER = re.compile(r'<span class="linenos" data-linenos="(?P<number>[^"]*)"></span>')
MATHML_NAMESPACE = ' xmlns="http://www.w3.org/1998/Math/MathML"'
TEX_ANNOTATION = re.compile(
    r"<math(?P<attrs>[^>]*)><semantics>(?P<mathml>.*?)"
    r'<annotation encoding="application/x-tex">[^<]*</annotation></semantics></math>',
    re.DOTALL,
)
# Elements whose whitespace is content; their text is left exactly as it is.
VERBATIM = re.compile(r"(<(pre|code|textarea|script|style)\b.*?</\2>)", re.DOTALL)
LAYOUT_WHITESPACE = re.compile(r"\n[ \t\n]*")


def slim_html(page: str) -> str:
    page = CODE_BLOCK.sub(lambda m: m["open"] + _slim_code(m["body"]) + m["close"], page)
    page = page.replace(MATHML_NAMESPACE, "")
    page = TEX_ANNOTATION.sub(r"<math\g<attrs>>\g<mathml></math>", page)
    pieces = VERBATIM.split(page)
    # split() with two groups yields: text, verbatim element, its tag name, text, ...
    return "".join(
        LAYOUT_WHITESPACE.sub("\n", piece) if index % 3 == 0 else piece
        for index, piece in enumerate(pieces)
        if index % 3 != 2
    )


def _slim_code(block: str) -> str:
    """One code block's markup (its title, <pre>, <code> and lines) made lighter."""
    block = PLAIN_TOKEN.sub(r"\g<text>", block)
    numbers = [match["number"] for match in LINE_NUMBER.finditer(block)]
    if not numbers:
        return block
    column = "\n".join(numbers)  # padded as pymdownx pads them, so they stay right-aligned
    return LINE_NUMBER.sub("", block).replace("<code>", f'<code data-lk-linenos="{column}">', 1)
