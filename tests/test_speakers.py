"""Who speaks: names the model mislabels or misses, relative pronouns, the authors of
statements and people speaking together (newsledger.extract.names)."""

from __future__ import annotations

from newsledger.model import Analysis
from newsledger.pipeline import Analyzer


def _speaker(analysis: Analysis, content_word: str) -> tuple[str, str] | None:
    for a in analysis.attributions:
        if content_word in a.content.text and a.source is not None:
            return a.source.name, a.source.type
    return None


def test_a_surname_after_the_full_name_is_that_person_whatever_the_model_says(
    analyzer: Analyzer,
) -> None:
    # the model tags the lone "Lohmar" ORG (and a town of that name exists)
    text = (
        "Prosecutor Tim Lohmar filed the charges on Monday. Lohmar said the suspect fled into "
        "the woods. Each charge carries a long sentence, Lohmar said.\n\n"
        '"It looks like a capital case," he said.'
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "fled into") == ("Tim Lohmar", "person")
    assert _speaker(analysis, "capital case") == ("Tim Lohmar", "person")
    assert any(e.name == "Tim Lohmar" and "Lohmar" in e.aliases for e in analysis.entities)
    assert not any(e.name == "Lohmar" for e in analysis.entities)


def test_a_name_that_speaks_is_a_person_and_a_pronoun_can_take_it(analyzer: Analyzer) -> None:
    # "Na'moks" is tagged ORG after a title, then left untagged as the subject of "said"
    text = (
        "Hereditary Chief Na'moks spoke at the gate. Police commander Eric Stubbs defended "
        "the arrests.\n\nBut Na'moks said the protesters had been peaceful.\n\n"
        '"There was no aggression there," he said.'
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "peaceful") == ("Na'moks", "person")
    assert _speaker(analysis, "no aggression") == ("Na'moks", "person")


def test_a_relative_pronoun_speaks_for_the_noun_it_describes(analyzer: Analyzer) -> None:
    text = (
        "Several residents, including Megan Bortis, who said the smell had lasted for weeks, "
        "signed the petition."
    )
    speaker = _speaker(analyzer.analyze(text), "smell")
    assert speaker is not None and speaker[0] == "Megan Bortis"


def test_a_statement_speaks_for_whoever_sent_it(analyzer: Analyzer) -> None:
    text = (
        "A statement e-mailed to reporters by Reagan Ruslim, who joined the board last month, "
        "said the audit was routine. The European Union said in a statement that the detention "
        "was arbitrary. A statement from the EU said the bloc was concerned."
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "audit") == ("Reagan Ruslim", "person")
    assert _speaker(analysis, "bloc") == ("European Union", "organization")


def test_people_speaking_together_are_named_together(analyzer: Analyzer) -> None:
    text = "Owners Tore Sohlberg and Lehla Abreder said the vote surprised them."
    assert _speaker(analyzer.analyze(text), "vote") == (
        "Tore Sohlberg and Lehla Abreder",
        "group",
    )


def test_a_hyphenated_name_is_the_whole_subject(analyzer: Analyzer) -> None:
    text = "Jody Wilson-Raybould said she would not comment on the case."
    analysis = analyzer.analyze(text)
    (a,) = [a for a in analysis.attributions if "comment" in a.content.text]
    assert a.source is not None
    assert (a.source.text, a.source.name) == ("Jody Wilson-Raybould", "Jody Wilson-Raybould")


def test_what_the_text_says_of_a_person_tells_their_gender(analyzer: Analyzer) -> None:
    # "Cerato" is tagged as a place, then an organisation; "Cerato said she" makes her a
    # woman, so the last "she" is hers and the "he" is Bardos's (a lone surname, "Bardos",
    # that the model reads as a plural noun)
    text = (
        "Patrick Bardos met Cerato in 2011. Cerato said she had been given months to live. "
        "Bardos said he fell in love at once.\n\n"
        '"She made me a better person," he said.\n\n'
        '"We make every day count," she said.'
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "months to live") == ("Cerato", "person")
    assert _speaker(analysis, "fell in love") == ("Patrick Bardos", "person")
    assert _speaker(analysis, "better person") == ("Patrick Bardos", "person")
    assert _speaker(analysis, "every day") == ("Cerato", "person")


def test_people_named_in_apposition_speak_together_and_are_they(analyzer: Analyzer) -> None:
    text = (
        "His defence attorneys, Charles Glynn and Richard Jones, said the trial was unfair.\n\n"
        "Stella's owners Tore Sohlberg and Lehla Abreder said in a statement they were "
        'disappointed.\n\n"We respect the vote," they said.'
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "unfair") == ("Charles Glynn and Richard Jones", "group")
    assert _speaker(analysis, "disappointed") == ("Tore Sohlberg and Lehla Abreder", "group")
    assert _speaker(analysis, "respect the vote") == ("Tore Sohlberg and Lehla Abreder", "group")


def test_a_name_given_to_a_speaking_description_speaks(analyzer: Analyzer) -> None:
    # "Darrin" alone is tagged a place; "named Jhony" hangs off the wrong noun in the parse
    text = (
        "\"If the shop closed, I don't think Theo would still be drawing,\" says Wise's dad, "
        "Darrin.\n\nA coast guard official in Lampung province named Jhony told reporters most "
        "of the missing were fishermen."
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "still be drawing") == ("Darrin", "person")
    assert _speaker(analysis, "fishermen") == ("Jhony", "person")


def test_a_speaker_tagged_as_a_title_is_a_person(analyzer: Analyzer) -> None:
    # the model tags "Jingyi Pan of IG" as one work of art
    text = '"The worry is a longer dispute," Jingyi Pan of IG said in a market commentary.'
    assert _speaker(analyzer.analyze(text), "longer dispute") == ("Jingyi Pan", "person")


def test_a_statement_speaks_for_its_owner(analyzer: Analyzer) -> None:
    text = (
        "Former minister Jody Wilson-Raybould was moved to another portfolio in January. "
        "After she was moved, she published a statement on her website.\n\n"
        '"Our justice system must be free from political interference," her statement said.'
    )
    found = [a for a in analyzer.analyze(text).attributions if "interference" in a.content.text]
    assert [(a.kind, a.source and a.source.name) for a in found] == [
        ("statement", "Jody Wilson-Raybould")
    ]


def test_a_hyphenated_company_is_no_person_and_a_hyphenated_surname_no_first_name(
    analyzer: Analyzer,
) -> None:
    # "SNC" is tagged ORG and "Lavalin" left over; "Wilson" is a man's first name
    text = (
        "Prosecutors charged SNC-Lavalin in 2015. SNC-Lavalin also declined to comment.\n\n"
        "Jody Wilson-Raybould left the cabinet on Tuesday. Wilson-Raybould said she would "
        'stay in caucus. "I have nothing to add," she said.'
    )
    analysis = analyzer.analyze(text)
    assert not any(e.name == "Lavalin" for e in analysis.entities)
    assert _speaker(analysis, "nothing to add") == ("Jody Wilson-Raybould", "person")


def test_an_unnamed_source_ends_at_its_but(analyzer: Analyzer) -> None:
    text = (
        "The senator met party leaders on Monday, according to a person familiar with the "
        "talks but unauthorized to speak publicly."
    )
    speaker = _speaker(analyzer.analyze(text), "senator")
    assert speaker is not None and speaker[0] == "person familiar with the talks"


def test_a_subject_across_a_line_break_is_not_the_speaker(analyzer: Analyzer) -> None:
    # the parser makes the video caption's last words the subject of the next paragraph's verb
    text = (
        "Wendy Ruiz lost her son in 2017.\n\n"
        "Why mixing two medications can kill. Our reporter explains the risks. 10:43\n\n"
        "After her son died, she urged police to investigate."
    )
    assert _speaker(analyzer.analyze(text), "investigate") == ("Wendy Ruiz", "person")


def test_a_name_after_a_colon_in_a_relative_clause_is_no_apposition(analyzer: Analyzer) -> None:
    text = (
        "There is a particular satisfaction, insists 16-year-old Xander Wise, in finishing.\n\n"
        '"It takes months of fixing mistakes," says the self-taught Cambridge resident, who '
        "sold 40 copies of his war comic Forgotten Grunt: The Undead Soldier, inspired by films."
    )
    speaker = _speaker(analyzer.analyze(text), "fixing mistakes")
    assert speaker is None or speaker[0] != "Undead Soldier"


def test_a_study_or_database_speaks_for_its_owner(analyzer: Analyzer) -> None:
    text = (
        "According to the Harbour Trust study — which used data from Seatrace Analytics and "
        "the port — the busiest berth is the oldest.\n\n"
        "According to Transport Canada's public database, 5,000 projects were approved."
    )
    analysis = analyzer.analyze(text)
    assert _speaker(analysis, "busiest berth") == ("Harbour Trust", "organization")
    assert _speaker(analysis, "5,000 projects") == ("Transport Canada", "organization")


def test_a_name_beside_a_description_of_a_person_is_a_person(analyzer: Analyzer) -> None:
    # "Yuni" is left untagged; the pronoun has no other woman to go to
    text = (
        "The president visited the coast on Monday.\n\n"
        "Yuni, a resident of the fishing village, was at home when she heard the water.\n\n"
        '"I heard a rumbling sound and ran," she said.'
    )
    assert _speaker(analyzer.analyze(text), "rumbling sound") == ("Yuni", "person")
