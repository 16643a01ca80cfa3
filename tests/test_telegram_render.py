"""Rendering a core Reply for Telegram: escaping, splitting and keyboards."""

from __future__ import annotations

import re

from bot.replies import Kind, Reply, Suggestion
from bot.telegram.buttons import CALLBACK_PREFIX
from bot.telegram.render import MAX_MESSAGE, render


def test_dynamic_text_is_escaped():
    reply = Reply(Kind.FALLBACK, "a <b>bold</b> & <script>x</script> 'q'", hint="<i>")
    [out] = render(reply)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in out.html
    assert "'q'" in out.html
    assert "<i>&lt;i&gt;</i>" in out.html


def test_answer_layout_source_and_buttons():
    reply = Reply(Kind.ANSWER, "Answer.", "causes", 90.0,
                  suggestions=(Suggestion("risk-factors", "Risk factors"), Suggestion("types", "Types")),
                  suggestions_title="You might also want to know:", source_note="Source: Mayo Clinic.")
    [out] = render(reply)
    assert out.html == "Answer.\n\n<i>Source: Mayo Clinic.</i>\n\n<b>You might also want to know:</b>"
    rows = out.keyboard.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["1. Risk factors"], ["2. Types"]]
    assert rows[0][0].callback_data == f"{CALLBACK_PREFIX}risk-factors"


def test_safety_is_bold_and_has_no_buttons():
    [out] = render(Reply(Kind.SAFETY, "Call now.\n\nMore."))
    assert out.html.startswith("<b>Call now.")
    assert out.keyboard is None


def _balanced(html: str) -> bool:
    return html.count("<b>") == html.count("</b>") and html.count("<i>") == html.count("</i>")


def test_long_reply_splits_at_word_boundaries_under_the_limit():
    text = " ".join(f"word{i} <&>" for i in range(3000))
    reply = Reply(Kind.ANSWER, text, suggestions=(Suggestion("a", "A"),), source_note="Source: S.")
    out = render(reply)
    assert len(out) >= 3
    assert all(len(m.html) <= MAX_MESSAGE for m in out)
    assert all(_balanced(m.html) for m in out)
    assert [m.keyboard is not None for m in out] == [False] * (len(out) - 1) + [True]
    joined = " ".join(m.html for m in out)
    assert "word2999" in joined and "word0 " in joined
    # Nothing cut in the middle of a word or an entity.
    for m in out:
        assert not re.search(r"&(?:l|g|a|am)$", m.html.split("\n\n")[0])
    words = re.findall(r"word\d+", joined)
    assert words == [f"word{i}" for i in range(3000)]


def test_one_huge_word_is_cut_hard():
    out = render(Reply(Kind.FALLBACK, "x" * 10_000))
    assert len(out) == 3 and all(len(m.html) <= MAX_MESSAGE for m in out)
    assert sum(m.html.count("x") for m in out) == 10_000


def test_empty_text_still_renders():
    assert render(Reply(Kind.SMALLTALK, ""))[0].html


def test_callback_data_fits_64_bytes_whatever_the_entry_id():
    from bot.telegram.buttons import entry_callback_data, entry_from_callback

    ids = ["risk-factors", "x" * 62, "y" * 200, "ünïcödé-" * 10]
    for entry_id in ids:
        data = entry_callback_data(entry_id)
        assert len(data.encode()) <= 64 and data.startswith(CALLBACK_PREFIX)
        assert entry_from_callback(data[len(CALLBACK_PREFIX):], ids) == entry_id
    assert entry_callback_data("risk-factors") == f"{CALLBACK_PREFIX}risk-factors"   # buttons already sent
    assert entry_from_callback("#0000", ids) is None and entry_from_callback("gone", ids) is None
