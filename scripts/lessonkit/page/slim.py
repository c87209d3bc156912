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

:func:`hoist_styles` then moves the page's repeated inline styles (KaTeX sets the size and
position of nearly every piece of a formula in one, tables align cells in one) into a single
stylesheet in the head, each element keeping a short class instead.
"""

from __future__ import annotations

import re

# Pygments classes drawn in the plain code colour: names, punctuation, operators (also `in`,
# `and`), whitespace, True/False/None, and a string's prefix (`f`), which the theme leaves plain.
PLAIN_TOKENS = ("n", "p", "o", "w", "ow", "kc", "sa")
# Classes the theme draws alike (mkdocs-material's highlight rules): neighbours from one group
# become one span, e.g. a string and the braces of an f-string's field.
SAME_COLOUR = (
    frozenset({"s", "s1", "s2", "sb", "sc", "si", "ss"}),
    frozenset({"m", "mb", "mf", "mh", "mi", "mo", "il"}),
    frozenset({"k", "kd", "kn", "kp", "kr", "kt"}),
    frozenset({"c", "c1", "ch", "cm", "cs", "sd"}),
)
NEIGHBOURS = re.compile(r'<span class="(?P<first>\w+)">(?P<text>[^<]*)</span><span class="(?P<second>\w+)">')
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
VERBATIM_OPEN = re.compile(r"<(pre|code|textarea|script|style)\b")
LAYOUT_WHITESPACE = re.compile(r"\n[ \t\n]*")


def _verbatim_split(page: str) -> list[str]:
    """``page`` as [text, verbatim element, text, ...]: each element from its opening tag to the
    first closing tag of its name (what ``<(tag)\\b.*?</\\1>`` matches, found with str.find,
    which does not try the closing tag at every character of a notebook's inlined CSS)."""
    pieces, done, search = [], 0, 0
    while (opening := VERBATIM_OPEN.search(page, search)) is not None:
        close = page.find(f"</{opening[1]}>", opening.end())
        if close < 0:
            search = opening.start() + 1  # unclosed: not verbatim, as the regex would not match
            continue
        end = close + len(opening[1]) + 3
        pieces += [page[done : opening.start()], page[opening.start() : end]]
        done = search = end
    pieces.append(page[done:])
    return pieces


def slim_html(page: str) -> str:
    page = CODE_BLOCK.sub(lambda m: m["open"] + _slim_code(m["body"]) + m["close"], page)
    page = page.replace(MATHML_NAMESPACE, "")
    page = TEX_ANNOTATION.sub(r"<math\g<attrs>>\g<mathml></math>", page)
    return "".join(
        LAYOUT_WHITESPACE.sub("\n", piece) if index % 2 == 0 else piece
        for index, piece in enumerate(_verbatim_split(page))
    )


def _join_same_colour(block: str) -> str:
    def join(match: re.Match[str]) -> str:
        first, second = match["first"], match["second"]
        if any(first in group and second in group for group in SAME_COLOUR):
            return f'<span class="{first}">{match["text"]}'
        return match[0]

    while True:  # a run of three or more joins one pair per pass
        joined = NEIGHBOURS.sub(join, block)
        if joined == block:
            return block
        block = joined


def _slim_code(block: str) -> str:
    """One code block's markup (its title, <pre>, <code> and lines) made lighter."""
    block = PLAIN_TOKEN.sub(r"\g<text>", block)
    block = _join_same_colour(block)
    numbers = [match["number"] for match in LINE_NUMBER.finditer(block)]
    if not numbers:
        return block
    # Padded in front as pymdownx pads them, so they stay right-aligned; the space pymdownx puts
    # after each is the column's right padding in the stylesheet instead (a byte a line).
    column = "\n".join(number.rstrip(" ") for number in numbers)
    return LINE_NUMBER.sub("", block).replace("<code>", f'<code data-lk-linenos="{column}">', 1)


# Elements the article styles inline: KaTeX's spans and the cells of aligned table columns.
STYLED = re.compile(r'<(?P<tag>span|td|th)(?: class="(?P<classes>[^"]*)")? style="(?P<style>[^"]*)"')
ARTICLE_OPEN = re.compile(r"<article\b")


def _article(page: str) -> tuple[int, int] | None:
    """Where ``<article\\b.*?</article>`` matches, found with str.find."""
    opening = ARTICLE_OPEN.search(page)
    while opening is not None:
        close = page.find("</article>", opening.end())
        if close >= 0:
            return opening.start(), close + len("</article>")
        opening = ARTICLE_OPEN.search(page, opening.start() + 1)
    return None


def hoist_styles(page: str) -> str:
    """``page`` with each distinct inline style of its article replaced by a class, the classes
    defined in one <style> at the end of the head. Declared ``!important``, as an inline style
    outranks every normal rule, so each element is drawn exactly as before (checked in Chromium
    by tests/test_page_html.py). Classes are numbered in order of first use: same page, same bytes."""
    names: dict[str, str] = {}

    def to_class(match: re.Match[str]) -> str:
        name = names.setdefault(match["style"], f"lk-s{len(names)}")
        classes = f"{match['classes']} {name}" if match["classes"] else name
        return f'<{match["tag"]} class="{classes}"'

    article = _article(page)
    if article is None or "</head>" not in page:
        return page
    start, end = article
    hoisted = STYLED.sub(to_class, page[start:end])
    if not names:
        return page
    rules = "\n".join(f".{name}{{{_important(style)}}}" for style, name in names.items())
    head, rest = page[:start].split("</head>", 1)
    return f"{head}<style>\n{rules}\n</style>\n</head>{rest}{hoisted}{page[end:]}"


def _important(style: str) -> str:
    declarations = [d.strip() for d in style.split(";") if d.strip()]
    return ";".join(d if d.endswith("!important") else f"{d}!important" for d in declarations)
