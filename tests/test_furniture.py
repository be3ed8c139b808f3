"""Page furniture: ad markers, "READ MORE" lines, photo credits and captions, prompts, bylines.

The lines are written in the styles of several outlets' pages (CBC, CTV, Global News, Toronto
Star, National Post, HuffPost, Reuters, AP); none is copied from an article.
"""

from __future__ import annotations

import time

import pytest

from newsledger.extract.furniture import (
    Furniture,
    drop_furniture,
    find_furniture,
    furniture_issues,
    inside_furniture,
    outside_furniture,
)
from newsledger.extract.quotes import find_quotes
from newsledger.model import Attribution, Source, Span
from newsledger.pipeline import Analyzer
from newsledger.readers.html import fragment_text, page_article

BODY = "The council voted 7-4 on Tuesday to approve the new budget for the transit system."


def furniture_of(text: str) -> list[tuple[str, str]]:
    found = find_furniture(text)
    for f in found:
        assert text[f.start : f.end] == f.text
    assert [f.start for f in found] == sorted(f.start for f in found)
    return [(f.kind, f.text) for f in found]


def whole_line(line: str) -> str | None:
    """The kind ``line`` is furniture of when it stands as a paragraph between two others."""
    text = f"{BODY}\n\n{line}\n\n{BODY}"
    found = find_furniture(text)
    assert all(text[f.start : f.end] == f.text for f in found)
    if len(found) == 1 and found[0].text == line.strip(" -—"):
        return found[0].kind
    return None


# ---------------------------------------------------------------------- whole lines, by outlet
@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # Global News
        ("Story continues below advertisement", "advertisement"),
        ("READ MORE: Province says new hospital will open by 2023", "related"),
        ("WATCH: Premier defends cuts to legal aid funding", "related"),
        ("Click to play video: 'Mayor says snow-clearing budget is already spent'", "related"),
        ("Snow-clearing crews work through the night in downtown Halifax 1:58", "related"),
        ("— With files from The Canadian Press", "byline"),
        ("Follow @GlobalNews on Twitter", "prompt"),
        # CBC
        ("WATCH | Residents describe the moment the water came in", "related"),
        (
            "By Jane Doe, CBC News · Posted: Mar 03, 2019 5:00 AM ET | Last Updated: March 3, 2019",
            "byline",
        ),
        ("CBC News · Posted: Jan 14, 2019 4:00 AM CT", "byline"),
        ("Social Sharing", "prompt"),
        (
            "A woman walks past the shuttered plant in Oshawa, Ont., on Monday. (Evan Mitsui/CBC)",
            "photo",
        ),
        ("The family's home on the edge of town. (Submitted by Mary Smith)", "photo"),
        ("Read more from CBC Manitoba", "prompt"),
        # CTV
        ("Published Monday, January 14, 2019 5:01PM EST", "byline"),
        ("Last Updated Monday, January 14, 2019 6:12PM EST", "byline"),
        ("CTVNews.ca Staff", "byline"),
        ("Jane Doe, The Canadian Press", "byline"),
        ("Report Typo/Error", "prompt"),
        ("Related Stories", "related"),
        # Toronto Star
        ("Share on Facebook | Twitter | Email", "prompt"),
        ("By Jane Doe and John Roe Staff Reporters", "byline"),
        ("By Jane Doe Staff Reporter", "byline"),
        ("Wed., Jan. 16, 2019", "byline"),
        ("Sign up for our newsletter to get the day's top stories in your inbox", "prompt"),
        # National Post / Postmedia
        ("Article content", "advertisement"),
        (
            "This advertisement has not loaded yet, but your article continues below.",
            "advertisement",
        ),
        ("Trending", "related"),
        ("Thanks for signing up!", "prompt"),
        (
            "Postmedia is committed to maintaining a lively but civil forum for discussion.",
            "prompt",
        ),
        ("Share this Story: Ottawa announces new rules for airline passengers", "prompt"),
        # HuffPost
        ("Also on HuffPost:", "related"),
        ("Follow HuffPost Canada on Twitter", "prompt"),
        ("ADVERTISEMENT", "advertisement"),
        # Reuters
        ("(Reporting by Jane Doe in Ottawa; Editing by John Roe)", "byline"),
        ("Reporting by Jane Doe in Ottawa; Editing by John Roe", "byline"),
        ("Our Standards: The Thomson Reuters Trust Principles.", "byline"),
        ("FILE PHOTO: A worker walks past a pipeline in Alberta, Canada, May 4, 2018.", "photo"),
        # AP
        ("Associated Press writer Jane Doe in Toronto contributed to this report.", "byline"),
        (
            "Copyright 2019 The Associated Press. All rights reserved. This material may not be"
            " published, broadcast, rewritten or redistributed.",
            "byline",
        ),
        ("Jane Doe and John Roe, The Associated Press", "byline"),
        ("PHOTO: Protesters gather outside the legislature in Victoria.", "photo"),
        ("Getty Images", "photo"),
        # any outlet's page
        ("Please enable JavaScript to watch this video", "prompt"),
        ("This is a developing story. Check back for updates.", "prompt"),
        ("Photo courtesy of the Smith family", "photo"),
        ("By: Newsroom Staff", "byline"),
        ("Follow City News: Facebook | Twitter", "prompt"),
    ],
)
def test_a_furniture_line_is_recognized(line: str, kind: str) -> None:
    assert whole_line(line) == kind


def test_captions_ending_in_a_credit_are_furniture_all_of_them() -> None:
    caption = (
        "Prime Minister Justin Trudeau says the plan will create jobs. "
        "(Sean Kilpatrick/The Canadian Press)"
    )
    assert whole_line(caption) == "photo"
    assert whole_line("Firefighters at the scene on Sunday. THE CANADIAN PRESS/Darryl Dyck") == (
        "photo"
    )
    assert whole_line("Rescuers search the rubble. (AP Photo/Jane Doe)") == "photo"
    assert whole_line("The hotel after the attack. (Luis Doe/AFP/Getty Images)") == "photo"


def test_a_credit_inside_a_paragraph_is_furniture_alone() -> None:
    text = (
        "The minister spoke in Ottawa. (Jane Doe/CBC) Later she met the premiers, who said "
        "they would sign. (AP Photo/John Roe) The talks go on."
    )
    assert furniture_of(text) == [("photo", "(Jane Doe/CBC)"), ("photo", "(AP Photo/John Roe)")]


def test_an_ad_marker_glued_into_a_paragraph_is_found_alone() -> None:
    text = '"We are ready," she said. Story continues below advertisement "And we will win."'
    assert furniture_of(text) == [("advertisement", "Story continues below advertisement")]
    text = "He left at noon. ADVERTISEMENT The vote was held later."
    assert furniture_of(text) == [("advertisement", "ADVERTISEMENT")]


def test_html_pages_keep_furniture_lines_and_they_are_found() -> None:
    page = (
        "<html><head><title>Budget day</title></head><body><article><h1>Budget day</h1>"
        "<p>By Jane Doe, Global News &middot; Posted: March 3, 2019 5:00 AM ET</p>"
        "<p>The federal government will spend $2 billion on transit over the next decade, "
        "the finance minister said on Monday in Ottawa.</p>"
        "<figure><img src=a.jpg><figcaption>The minister in Ottawa on Monday. "
        "(Jane Doe/The Canadian Press)</figcaption></figure>"
        "<p>&ldquo;We are making the investments Canadians asked for, and we are doing it "
        "responsibly,&rdquo; the minister told reporters.</p>"
        "<p>Story continues below advertisement</p>"
        "<p>&ldquo;This is a plan for the next decade, and it will be paid for,&rdquo; he said "
        "after the speech in the House of Commons.</p>"
        "<p>READ MORE: Minister says budget will be balanced by 2023</p>"
        "<p>The opposition said the plan was too late and too small for the cities.</p>"
        "<p>Sign up for our newsletter</p></article></body></html>"
    )
    article = page_article(page, "page.html", id="page")
    assert not isinstance(article, Exception)
    kinds = furniture_of(article.text)
    assert ("advertisement", "Story continues below advertisement") in kinds
    assert ("related", "READ MORE: Minister says budget will be balanced by 2023") in kinds
    assert ("prompt", "Sign up for our newsletter") in kinds
    assert all("finance minister said" not in t for _, t in kinds)
    # a feed entry's fragment keeps every block: the byline and the caption too
    kinds = furniture_of(fragment_text(page))
    assert [k for k, _ in kinds] == [
        "byline",
        "photo",
        "advertisement",
        "related",
        "prompt",
    ]


# ---------------------------------------------------------------------- not furniture
@pytest.mark.parametrize(
    "line",
    [
        "The company bought an advertisement in the local paper to apologize to its customers.",
        "Readers can read more about the plan on the city's website, the mayor said.",
        "Story continues below the surface, the director said of the sequel.",
        "Advertisement Standards Canada said it received 12 complaints about the campaign.",
        "Share prices fell 4 per cent on Tuesday after the announcement.",
        "By Tuesday, the company had recalled 3,000 vehicles.",
        "By March, the province expects the backlog to be cleared.",
        "Watch the video, she urged viewers, before you judge the officers.",
        "Photo radar cameras will be installed near 50 schools, the city said.",
        "Related charges were laid against two other men on Friday.",
        "The meeting resumes on Thursday at 10:30",
        "He was a member of the Canadian Broadcasting Corporation (CBC)",
        "The coalition (Liberal/NDP) held on to power after the vote.",
        "Follow-up inspections found no further problems, Health Canada said.",
        "Sign language interpreters were at the news conference.",
        "Credit card debt rose for a third straight quarter, the bank said.",
        "Justin Trudeau, Andrew Scheer",
        "Putin thanked North Korean soldiers for their ‘heroism’",
        "In September, the minister said benefits would not be paid (see below).",
        "(c) The minister may make regulations under this section.",
        "By The Numbers",
        "The vote is set for March 3, 5:30",
        "Officers fired 12 shots. (Video shows the man running toward the officers.)",
    ],
)
def test_story_text_is_not_furniture(line: str) -> None:
    assert furniture_of(f"{BODY}\n\n{line}\n\n{BODY}") == []


def test_the_scan_takes_linear_time() -> None:
    unit = (
        "He said. Story continues below advertisement (Jane Doe/CBC) Then.\nREAD MORE: X says Y\n"
    )
    timings = []
    for n in (2_000, 8_000):
        start = time.perf_counter()
        assert len(find_furniture(unit * n)) == 3 * n
        timings.append(time.perf_counter() - start)
    small, big = timings
    assert big < 8 * small + 0.5  # quadratic: ~16 times


def test_a_long_paragraph_opening_with_a_prompt_phrase_is_story_text() -> None:
    long = "Get the latest figures, the minister said, and " + "the numbers will show it " * 10
    assert furniture_of(long) == []


# ---------------------------------------------------------------------- using the spans
def _attribution(
    id: str,
    cue: tuple[int, int],
    content: tuple[int, int],
    text: str,
    name: str,
    parent: str | None = None,
) -> Attribution:
    return Attribution(
        id=id,
        kind="indirect",
        cue=Span.of(text, *cue),
        content=Span.of(text, *content),
        source=Source(text[:1], 0, 1, name=name),
        parent=parent,
    )


def test_attributions_inside_furniture_are_dropped_and_the_rest_renumbered() -> None:
    text = "Kim said A.\nREAD MORE: Lee says B\nPark said that Lee said C."
    found = find_furniture(text)
    assert [f.kind for f in found] == ["related"]
    read_more = text.index("READ MORE")
    says = text.index("says")
    last = text.index("Park")
    atts = [
        _attribution("a1", (4, 8), (9, 10), text, name="Kim"),
        _attribution("a2", (says, says + 4), (says + 5, says + 6), text, name="Lee"),
        _attribution("a3", (last + 5, last + 9), (last + 15, last + 25), text, name="Park"),
        _attribution(
            "a4", (last + 19, last + 23), (last + 24, last + 25), text, name="Lee", parent="a3"
        ),
    ]
    assert inside_furniture(found, read_more, read_more + 4)
    kept = drop_furniture(atts, found)
    assert [a.id for a in kept] == ["a1", "a2", "a3"]
    assert [a.source.name for a in kept if a.source] == ["Kim", "Park", "Lee"]
    assert kept[2].parent == "a2" and kept[2].chain == ["Park", "Lee"]
    assert drop_furniture(atts, []) is atts


def test_a_child_of_a_dropped_attribution_moves_to_its_grandparent() -> None:
    text = "A said that B said that C said D.\nREAD MORE: E says F"
    e = text.index("says")
    atts = [
        _attribution("a1", (2, 6), (12, 33), text, name="A"),
        _attribution("a2", (e, e + 4), (e + 5, e + 6), text, name="E", parent="a1"),
        _attribution("a3", (26, 30), (31, 32), text, name="C", parent="a2"),
    ]
    kept = drop_furniture(atts, find_furniture(text))
    assert [(a.id, a.parent, a.chain) for a in kept] == [
        ("a1", None, ["A"]),
        ("a2", "a1", ["A", "C"]),
    ]


def test_quotes_inside_furniture_are_no_quotes() -> None:
    text = "“We will go,” she said.\nREAD MORE: ‘Domestic realities’ to blame, minister says\n"
    scan = find_quotes(text)
    assert len(scan.quotes) == 2
    kept = outside_furniture(scan, find_furniture(text))
    assert [text[q.start : q.end] for q in kept.quotes] == ["“We will go,”"]


def test_each_piece_is_an_issue_naming_its_kind() -> None:
    issues = furniture_issues([Furniture("advertisement", "ADVERTISEMENT", 3, 16)])
    assert [(i.kind, i.start, i.end, i.text) for i in issues] == [
        ("furniture", 3, 16, "ADVERTISEMENT")
    ]
    assert issues[0].message and "advertisement marker" in issues[0].message


# ---------------------------------------------------------------------- with the weights
ARTICLE = """OTTAWA — The federal government will spend $2 billion on transit over the next \
decade, the finance minister said Monday.

"We are making the investments Canadians asked for," Minister Jane Doe told reporters in Ottawa.

Story continues below advertisement

"This is a plan for the next decade, and it will be paid for," she said.

READ MORE: Minister says budget will be balanced by 2023

The opposition said the plan was too late.

Sign up for our newsletter"""


@pytest.mark.model
def test_an_article_with_furniture_gets_no_attribution_from_it(analyzer: Analyzer) -> None:
    record = analyzer.analyze(ARTICLE)
    furniture = [i for i in record.issues if i.kind == "furniture"]
    assert [i.text for i in furniture] == [
        "Story continues below advertisement",
        "READ MORE: Minister says budget will be balanced by 2023",
        "Sign up for our newsletter",
    ]
    for a in record.attributions:
        for f in furniture:
            assert not (f.start <= a.content.start and a.content.end <= f.end), a
            assert not (f.start <= a.cue.start and a.cue.end <= f.end), a
    contents = [a.content.text for a in record.attributions]
    assert not any("Story continues" in c or "balanced by 2023" in c for c in contents)
    # the quotes on either side of the ad marker are still there, with their speaker
    quotes = [a for a in record.attributions if a.kind == "direct"]
    assert len(quotes) == 2
    assert [a.id for a in record.attributions] == [
        f"a{i + 1}" for i in range(len(record.attributions))
    ]
