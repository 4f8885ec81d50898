"""Journal profiles and the counting rules the limits rest on."""

from __future__ import annotations

import pytest

from caseletter.case.source import load_case
from caseletter.checks.limits import count_figures, count_words, plain_text
from caseletter.errors import UnknownStyle
from caseletter.journals import load_journal
from helpers import FIXTURES

CASES = FIXTURES / "cases" / "check_findings"


@pytest.mark.parametrize(("key", "words", "references", "figures"), [
    pytest.param("ama", 600, 6, 2, id="generic_ama"),
    pytest.param("cutis", None, None, None, id="seed_journal_limits_not_found_in_its_instructions"),
])
def test_shipped_profiles_give_every_limit_for_a_letter(key, words, references, figures):
    letter = load_journal(key).article_type("letter")
    assert (letter.word_limit, letter.reference_limit, letter.figure_limit, letter.abstract) == (
        words, references, figures, False,
    )
    assert letter.care_not_applicable == ()
    assert load_journal(key).reference_fields["article"] == [
        "author", "title", "journal|journaltitle", "year|date", "volume", "pages|eid",
    ]


def test_users_own_profile_beside_the_case_is_found():
    journal = load_journal("tight", CASES / "clean_letter.yaml")
    assert journal.folder == CASES / "journals" / "tight"
    assert journal.article_type("short_letter").word_limit == 50
    assert journal.article_type("short_letter").reference_limit is None
    assert journal.article_type("editorial") is None


def test_environment_folder_wins_over_the_shipped_one(tmp_path, monkeypatch):
    own = tmp_path / "ama"
    own.mkdir()
    (own / "journal.yaml").write_text("name: House AMA\narticle_types:\n  letter:\n    word_limit: 400\n")
    (own / "style.csl").write_text((load_journal("ama").csl).read_text())
    monkeypatch.setenv("CASELETTER_JOURNALS", str(tmp_path))
    assert load_journal("ama").article_type("letter").word_limit == 400


@pytest.mark.parametrize(("profile", "message"), [
    pytest.param(
        "  letter:\n    word_limt: 400\n",
        r"article_types\.letter\.word_limt: is not a key of an article type. Did you mean 'word_limit'\?",
        id="misspelt_key",
    ),
    pytest.param(
        "  letter:\n    word_limit: many\n", r"word_limit: 'many' is not a whole number", id="limit_not_a_number"
    ),
    pytest.param(
        "  letter:\n    word_limit: -5\n", r"word_limit: -5 is not a whole number of 0 or more", id="negative_limit"
    ),
    pytest.param(
        "  letter:\n    abstract: sometimes\n", r"abstract: 'sometimes' is not true or false", id="abstract_not_boolean"
    ),
    pytest.param("  letter: 600\n", r"article_types\.letter: is not a mapping of limits", id="type_without_mapping"),
])
def test_bad_profile_is_refused_naming_its_file_and_key(tmp_path, profile, message):
    folder = tmp_path / "journals" / "house"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text("name: House\narticle_types:\n" + profile)
    (folder / "style.csl").write_text(load_journal("ama").csl.read_text())
    with pytest.raises(UnknownStyle, match=message) as caught:
        load_journal("house", tmp_path / "case.yaml")
    assert str(folder / "journal.yaml") in caught.value.message


@pytest.mark.parametrize(("markdown", "words"), [
    pytest.param("A 54-year-old woman presented.", 4, id="hyphenated_is_one_word"),
    pytest.param("She received 12.5 g over 30 minutes.", 7, id="numbers_and_units_count"),
    pytest.param("Deposits shrank [@smith2013; @bair2011].", 2, id="citations_removed"),
    pytest.param("Deposits shrank (@fig-after).", 4, id="figure_reference_reads_figure_n"),
    pytest.param(
        "It is *inexpensive* and __easy__ to give - see [the label](https://example.org).", 10, id="markdown_stripped"
    ),
    pytest.param("", 0, id="empty"),
])
def test_word_count_rule(markdown, words):
    assert count_words(markdown) == words


def test_plain_text_is_what_a_reader_sees():
    assert plain_text("Shrank [@a] (@fig-b) in *2* weeks.").split() == ["Shrank", "(Figure", "N)", "in", "2", "weeks."]


def test_timeline_counts_as_a_figure_when_the_kit_draws_one():
    case = load_case(CASES / "clean_letter.yaml")
    assert count_figures(case) == 2
    assert count_figures(case.model_copy(update={"timeline": [], "interventions": []})) == 1
