"""Tests of the PTB tokenizer with offsets (newsledger.eval.ptb)."""

from __future__ import annotations

import pytest

from newsledger.eval.ptb import Token, sentences, tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I don't know", ["I", "do", "n't", "know"]),
        ("can't won't", ["ca", "n't", "wo", "n't"]),
        ("we’re Obama’s I'm they'll", ["we", "'re", "Obama", "'s", "I", "'m", "they", "'ll"]),
        ("cannot gonna", ["can", "not", "gon", "na"]),
        ("the parents’ car", ["the", "parents", "'", "car"]),
        ("O'Neill's o'clock", ["O'Neill", "'s", "o'clock"]),
        ("the ’80s", ["the", "'80s"]),
        ("a 30-year-old coal-fired plant", ["a", "30-year-old", "coal-fired", "plant"]),
        ("coal- and gas-fired", ["coal", "-", "and", "gas-fired"]),
        ("$1,500.50 and 3.5%", ["$", "1,500.50", "and", "3.5", "%"]),
        ("$64.8million", ["$", "64.8", "million"]),
        ("9/11 at 1:30, 5-4", ["9/11", "at", "1:30", ",", "5-4"]),
        ("Getty/Instagram AT&T", ["Getty/Instagram", "AT&T"]),
        ("Hogan & Hartson", ["Hogan", "&", "Hartson"]),
        ("wait... what… no", ["wait", "...", "what", "...", "no"]),
        ("woman....I", ["woman", "...", "I"]),
        ("2016—ok – fine ― yes -- no", ["2016", "--", "ok", "--", "fine", "--", "yes", "--", "no"]),
        ("f---ing", ["f", "--", "ing"]),
        ("(yes) [no] {x}", ["(", "yes", ")", "-LSB-", "no", "-RSB-", "-LCB-", "x", "-RCB-"]),
        ("@Fred_945 #Vote2016", ["@Fred_945", "#Vote2016"]),
        ("see https://t.co/x1 or a@b.com", ["see", "https://t.co/x1", "or", "a@b.com"]),
        ("will.i.am", ["will.i.am"]),
    ],
)
def test_tokens(text: str, tokens: list[str]) -> None:
    assert words(text) == tokens


def test_quotes_become_ptb_quotes() -> None:
    assert words("“Yes,” he said.") == ["``", "Yes", ",", "''", "he", "said", "."]
    assert words('"Yes," he said.') == ["``", "Yes", ",", "''", "he", "said", "."]
    assert words("a ‘maybe’ and 'no'") == ["a", "`", "maybe", "'", "and", "`", "no", "'"]
    assert words("''Yes,'' he said.") == ["''", "Yes", ",", "''", "he", "said", "."]
    # a closing single quote and a closing double quote together: one token
    assert words("of people,’” Merkley") == ["of", "people", ",", "'''", "Merkley"]


def test_abbreviations_keep_their_period() -> None:
    assert words("Mr. Smith and Gov. Pat McCrory") == [
        "Mr.",
        "Smith",
        "and",
        "Gov.",
        "Pat",
        "McCrory",
    ]
    assert words("the U.S. Supreme Court at 2 p.m. in D.C. today") == [
        "the", "U.S.", "Supreme", "Court", "at", "2", "p.m.", "in", "D.C.", "today",
    ]  # fmt: skip
    assert words("George W. Bush") == ["George", "W.", "Bush"]
    assert words("Rep. Trey Gowdy (R-S.C.) and Robert Menendez (D-N.J.)")[2:] == [
        "Gowdy", "(", "R-S.C", ".", ")", "and", "Robert", "Menendez", "(", "D-N.J.", ")",
    ]  # fmt: skip
    assert words("Federal mine No. 2") == ["Federal", "mine", "No.", "2"]
    assert words("say No. I") == ["say", "No", ".", "I"]
    # a word that is no abbreviation gives its period away
    assert words("the Court.") == ["the", "Court", "."]


def test_a_sentence_final_abbreviation_is_followed_by_a_period_token() -> None:
    toks = tokenize("They came to the U.S. The rest stayed.")
    assert [t.text for t in toks][:6] == ["They", "came", "to", "the", "U.S.", "."]
    us, period = toks[4], toks[5]
    assert (us.start, us.end) == (period.start - 3, period.end)  # the same last character
    # a state abbreviation before a capital, a line break or the end
    assert words("Staunton Va.") == ["Staunton", "Va.", "."]
    assert words("Henderson, Nev.\n\nFACEBOOK.") == ["Henderson", ",", "Nev.", ".", "FACEBOOK", "."]
    # but not before a name, nor an acronym before a name
    assert words("the U.S. Court") == ["the", "U.S.", "Court"]
    assert words("in Calif. and") == ["in", "Calif.", "and"]


def test_offsets_index_the_text() -> None:
    text = "“It’s a U.S. deal—done…” she said, (maybe).  "
    toks = tokenize(text)
    for tok in toks:
        piece = text[tok.start : tok.end]
        assert piece and not piece.isspace()
        if tok.text.isalnum():
            assert piece == tok.text
    assert toks[0] == Token("``", 0, 1)
    assert Token("'s", 3, 5) in toks
    assert Token("--", 17, 18) in toks and Token("...", 22, 23) in toks


def test_tokenize_a_slice_keeps_offsets_into_the_text() -> None:
    text = "First one. Second one."
    toks = tokenize(text, 11, len(text))
    assert toks[0] == Token("Second", 11, 17)


def test_odd_characters_are_tokens_or_skipped() -> None:
    # soft hyphens, zero-width spaces and control characters are white space to CoreNLP
    assert words("a\u200bb c\u00add") == ["a", "b", "c", "d"]
    assert words("protegÃ©s") == ["protegÃ", "©", "s"]
    toks = tokenize('<tweet tweet-id="1">hi</tweet>')
    assert toks[0].text == '<tweet\u00a0tweet-id="1">' and toks[-1].text == "</tweet>"


def test_sentences_end_at_final_punctuation_and_take_closing_quotes() -> None:
    toks = tokenize("“Go,” he said. “Now!” Then what? The U.S. It was, Mr. Smith said")
    spans = [" ".join(t.text for t in toks[a:b]) for a, b in sentences(toks)]
    assert spans == [
        "`` Go , '' he said .",
        "`` Now ! ''",
        "Then what ?",
        "The U.S. .",
        "It was , Mr. Smith said",
    ]


def test_line_breaks_do_not_end_a_sentence() -> None:
    toks = tokenize("He added:\n\nIt is done.")
    assert sentences(toks) == [(0, len(toks))]
