"""render's own JSON writer: the same text as json.dumps(indent=2), always ASCII."""

import json

from hypothesis import given
from hypothesis import strategies as st

from crampcli import render
from crampcli.model import Content
from crampcli.render import json_string, json_value

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(value=json_like)
def test_json_value_writes_what_json_dumps_writes(value: object) -> None:
    assert json_value(value, 0) == json.dumps(value, indent=2)


@given(text=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\x00\x1f\x7f\u2028\U0001f9b5')))
def test_json_string_is_ascii_and_reads_back(text: str) -> None:
    written = json_string(text)
    assert written.isascii() and written == json.dumps(text)
    assert json.loads(written) == text


def test_json_string_escapes_terminal_controls() -> None:
    assert json_string("\x1b[2J") == '"\\u001b[2J"'
    assert json_string("calf \u2013 foot") == '"calf \\u2013 foot"'


def test_a_relief_page_with_long_text_still_fits_one_screen(content: Content) -> None:
    """Whatever the length of the content, the short page keeps to 23 lines at 80 columns and
    keeps the first action, the first step and a warning."""
    from crampcli.model import Caution, Step
    from crampcli.record import replace
    from crampcli.views import SCREEN_LINES, relief_page

    long_words = " ".join(["stretch the muscle gently and hold it"] * 12)
    for plan in (content.relief.general, *content.relief.areas):
        longer = replace(
            plan,
            steps=tuple(Step(long_words) for _ in range(9)),
            cautions=(Caution(long_words), Caution(long_words, ("diabetes",))),
        )
        for width in (80, 100):
            page = relief_page(longer, content.relief.areas, full=False, width=width, disclaimer=content.disclaimer)
            text = render.plain_text(page, content.disclaimer, width)
            assert text.count("\n") <= SCREEN_LINES, text
            assert text.startswith(plan.first[:20])
            assert "  1. " in text and "  ! " in text and "more step" in text
