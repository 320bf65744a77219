"""Taxonomy files: the default loads, user files extend or replace it, broken files name the line."""
from __future__ import annotations

import textwrap

import pytest

from reflect_nlp.components.weak_spots import WeakSpotComponent, hits
from reflect_nlp.errors import ReflectError, TaxonomyError
from reflect_nlp.taxonomy import load_taxonomy

ISSUE_CATEGORIES = {
    "mind_blank", "nerves", "knowledge_gap", "problem_solving", "time_management", "communication",
    "behavioral_answers", "preparation", "self_presentation", "rapport", "questions_for_interviewer",
    "logistics", "compensation", "follow_up",
}


def write(tmp_path, body: str):
    p = tmp_path / "tax.toml"
    p.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return p


def run(nlp, taxonomy, text: str) -> set[str]:
    """Run a component built from ``taxonomy`` on a doc parsed by the session pipeline."""
    component = WeakSpotComponent(nlp, taxonomy=taxonomy)
    return {h["category"] for h in hits(component(nlp(text)))}


def test_default_taxonomy_has_the_issue_categories():
    tax = load_taxonomy()
    assert set(tax.categories) == ISSUE_CATEGORIES
    assert all(c.patterns and c.description for c in tax.categories.values())
    assert tax.describe()["hash"] == load_taxonomy().describe()["hash"]


def test_user_file_adds_a_category_that_is_then_found(nlp, tmp_path):
    p = write(tmp_path, """
        extends = "default"
        name = "mine"
        version = "3"

        [categories.whiteboard]
        description = "struggled with writing code on a whiteboard"
        patterns = ["whiteboard * messy|mess|struggle|struggled"]
    """)
    tax = load_taxonomy(p)
    assert set(tax.categories) == ISSUE_CATEGORIES | {"whiteboard"}
    assert tax.describe()["name"] == "mine" and tax.describe()["version"] == "3"
    found = run(nlp, tax, "My whiteboard code was messy and I ran out of time.")
    assert {"whiteboard", "time_management"} <= found


def test_user_file_removes_and_adds_patterns_and_drops_categories(nlp, tmp_path):
    p = write(tmp_path, """
        extends = "default"
        drop_categories = ["compensation"]

        [categories.nerves]
        remove = ["nervous"]
        patterns = ["butterflies"]
    """)
    tax = load_taxonomy(p)
    assert "compensation" not in tax.categories
    assert "nervous" not in tax.categories["nerves"].patterns
    assert "nerves" not in run(nlp, tax, "I was nervous.")
    assert "nerves" in run(nlp, tax, "I had butterflies the whole time.")


def test_standalone_file_replaces_the_default(nlp, tmp_path):
    p = write(tmp_path, """
        [categories.coffee]
        patterns = ["spill|spilled * coffee"]
        others = "keep"
    """)
    tax = load_taxonomy(p)
    assert list(tax.categories) == ["coffee"]
    assert run(nlp, tax, "I spilled my coffee and then I was nervous.") == {"coffee"}


def test_raw_token_patterns_are_matched(nlp, tmp_path):
    p = write(tmp_path, """
        [categories.whiteboard]
        patterns = ["whiteboard"]

        [[categories.whiteboard.token_patterns]]
        id = "marker_died"
        pattern = [{LEMMA = "marker"}, {LEMMA = "die"}]
    """)
    assert run(nlp, load_taxonomy(p), "Then my marker died halfway through.") == {"whiteboard"}


def test_component_takes_a_taxonomy_path_through_spacy_config(tmp_path):
    import spacy

    import reflect_nlp.components  # noqa: F401  registers the factory

    p = write(tmp_path, '[categories.coffee]\npatterns = ["coffee"]\n')
    blank = spacy.blank("en")
    comp = blank.add_pipe("reflect_weak_spots", config={"taxonomy": str(p)})
    assert comp.taxonomy.describe()["categories"] == ["coffee"]


@pytest.mark.parametrize(
    "body,line,words",
    [
        ('[categories.nerves]\npatterns = ["nervous",\n', 2, "not valid TOML"),
        ('name = "x"\n\n[categories.nerves]\npatterns = ["nervous"]\ncolour = "red"\n', 5, "unknown key 'colour'"),
        ('[categories.nerves]\npatterns = [\n  "nervous",\n  "a ** b",\n]\n', 4, "'a ** b'"),
        ('[categories.nerves]\npatterns = ["* nervous"]\n', 2, "cannot start"),
        ('[categories.nerves]\nothers = "sometimes"\npatterns = ["nervous"]\n', 2, "others must be one of"),
        ('[categories.Bad-Id]\npatterns = ["x"]\n', 1, "category id"),
        ('[categories.nerves]\ndescription = "no patterns here"\n', 1, "has no patterns"),
        ('extends = "default"\n\n[categories.nerves]\nremove = ["not a pattern"]\n', 4, "cannot remove"),
        ('extends = "other"\n', 1, 'extends must be "default"'),
        ('[categories.x]\npatterns = ["y"]\n\n[[categories.x.token_patterns]]\nid = "t"\npattern = [{LEMA = "y"}]\n',
         5, "not a valid spaCy Matcher pattern"),
    ],
)
def test_broken_file_gets_a_clear_error_naming_the_line(tmp_path, body, line, words):
    p = tmp_path / "broken.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(p)
    msg = str(info.value)
    assert str(p) in msg and f"line {line}" in msg and words in msg
    assert isinstance(info.value, ReflectError)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nope.toml")


def test_shipped_token_patterns_are_valid_matcher_patterns():
    # loading the shipped file skips this check (a re-run must not import spaCy), so it is here
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    tax = load_taxonomy()
    patterns = [(pid, list(tokens)) for c in tax.categories.values() for pid, tokens in c.token_patterns]
    assert patterns
    for pid, tokens in patterns:
        Matcher(Vocab(), validate=True).add(pid, [tokens])
