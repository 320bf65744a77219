"""Reflection cues on plain, negated and hypothetical sentences; entry features and actions."""
from __future__ import annotations

import pytest

from reflect_nlp.components import cues, weak_spots


def flags(text: str) -> dict:
    return cues.cue_flags(text)


@pytest.mark.parametrize(
    "text, key, expected",
    [
        # feelings: a negated feeling still says how it felt; other people's calm is narration
        ("I was really nervous before the onsite.", "is_feeling", True),
        ("I wasn't nervous at all this time.", "is_feeling", True),
        ("The interviewer was calm and friendly.", "is_feeling", False),
        # difficulties
        ("I struggled with the system design question.", "is_difficulty", True),
        ("I didn't struggle with anything today.", "is_difficulty", False),
        ("There was no problem with the setup.", "is_difficulty", False),
        ("My mind went blank on the second question.", "is_difficulty", True),
        # intentions: plans, not hypothetical pasts or denials
        ("Next time I will ask clarifying questions first.", "is_intention", True),
        ("I need to practise dynamic programming.", "is_intention", True),
        ("I'm going to do two mock interviews a week.", "is_intention", True),
        ("I was going to ask about the team but ran out of time.", "is_intention", False),
        ("If I had practised more, I would have passed.", "is_intention", False),
        ("I don't need to change anything.", "is_intention", False),
        ("I must say the office was lovely.", "is_intention", False),
        # learning
        ("I realised that I rush when I'm nervous.", "is_learning", True),
        ("Lesson learned: always test the microphone.", "is_learning", True),
        ("I didn't learn anything from that call.", "is_learning", False),
        # counterfactual self-criticism
        ("I should have asked about the input size.", "is_counterfactual", True),
        ("If only I had slept more.", "is_counterfactual", True),
        ("Stupid mistake on the off-by-one.", "is_counterfactual", True),
        ("I don't regret anything about it.", "is_counterfactual", False),
        ("I couldn't have done any better.", "is_counterfactual", False),
        ("I will ask about the input size.", "is_counterfactual", False),
    ],
)
def test_sentence_cues(text, key, expected):
    assert flags(text)[key] is expected


def test_hedges_and_certainty():
    assert flags("I think maybe it went kind of ok.")["hedges"] == 3
    assert flags("I think maybe it went kind of ok.")["certainty"] == 0
    not_sure = flags("I'm not sure the answer was right.")
    assert not_sure["hedges"] == 1 and not_sure["certainty"] == 0
    sure = flags("I'm sure I nailed the design, definitely my best round.")
    assert sure["certainty"] == 2 and sure["hedges"] == 0


def test_sentence_cues_on_doc_match_plain_text(nlp):
    doc = nlp("My mind went blank. Next time I will practise out loud.")
    rows = cues.sentence_cues(doc)
    assert len(rows) == len(list(doc.sents)) == 2
    assert rows[0]["is_difficulty"] and not rows[0]["is_intention"]
    assert rows[1]["is_intention"] and not rows[1]["is_difficulty"]


def test_shorthand_feelings_need_a_parse(nlp):
    doc = nlp("Nervous again. The recruiter was excited about the role.")
    shorthand, other = cues.sentence_cues(doc)
    assert shorthand["is_feeling"] and not other["is_feeling"]
    assert not flags("Nervous again.")["is_feeling"]  # plain text: no parse, first person needed


def _entry(nlp, text):
    from reflect_nlp.extract import entry_result

    return entry_result(nlp(text))


DEEP = (
    "The system design round went badly and I ran out of time. "
    "I felt embarrassed walking out. "
    "I should have sketched the components before diving into the database. "
    "Next time I will draw the big picture first. "
    "I sent a thank-you note to the recruiter this evening. "
    "I have two other interviews lined up next week."
)


def test_entry_features_deep_reflection(nlp):
    e = _entry(nlp, DEEP)["entry"]
    assert e["reflection_depth"] == 4
    assert all(e[k] for k in ("answered_what_went_wrong", "answered_how_it_felt", "answered_what_differently", "answered_next_time"))
    assert e["thank_you_mentioned"] and e["opportunities_mentioned"]
    assert e["rumination"] == pytest.approx(10 * 1 / 6)


def test_entry_features_shallow_and_confidence(nlp):
    e = _entry(nlp, "Had the call with Initech today. Thank you for reading my blog!")["entry"]
    assert e["reflection_depth"] == 0
    assert not e["thank_you_mentioned"] and not e["opportunities_mentioned"]
    assert e["confidence"] is None  # no hedge, no certainty cue
    assert e["rumination"] == 0.0
    hedgy = _entry(nlp, "I think it went ok. Maybe I was a bit slow, I guess.")["entry"]
    sure = _entry(nlp, "I know I nailed it. I'm certain the design was right.")["entry"]
    assert hedgy["confidence"] == -1.0 and sure["confidence"] == 1.0


def test_actions_offsets_and_category(nlp):
    text = "The behavioural round was fine. Next time I will research the company properly."
    rows = cues.actions(nlp(text))
    assert len(rows) == 1
    a = rows[0]
    assert a["sent_idx"] == 1 and a["text"] == "Next time I will research the company properly."
    assert text[a["start"] : a["end"]] == a["text"]
    linked = hasattr(weak_spots, "categories_in")
    assert a["category"] == ("preparation" if linked else None)


@pytest.mark.skipif(not hasattr(weak_spots, "categories_in"), reason="weak-spot categories not available")
def test_action_category_comes_from_the_plan_not_next_time(nlp):
    (a,) = cues.actions(nlp("Next time I will prepare three questions for the interviewer."))
    assert a["category"] == "questions_for_interviewer"  # not time_management from "next time"


@pytest.mark.parametrize("plan, category", [
    ("Need to answer, then stop talking.", "communication"),
    ("Next time I will keep my answers short.", "communication"),
    ("I need to actually learn this stuff, not just watch videos.", "knowledge_gap"),
    ("Need to read the docs properly.", "knowledge_gap"),
    ("I need to fix this.", None),
    ("Going to take tomorrow off from prep and go for a long walk.", None),  # rest from it, not work on it
    ("Next time I'll take time away from the screen to calm my nerves.", "nerves"),  # only the rested-from part drops
    ("Next time I will take a step back from the problem and ask clarifying questions.", "problem_solving"),
])
def test_action_categories_of_diary_shorthand(nlp, plan, category):
    (a,) = cues.actions(nlp(plan))
    assert a["category"] == category


def test_shorthand_and_quoted_intentions(nlp):
    rows = cues.actions(nlp('He said "we\'ll stop there". Need to answer, then stop talking.'))
    assert [r["text"] for r in rows] == ["Need to answer, then stop talking."]


def test_no_actions_for_hypotheticals(nlp):
    assert cues.actions(nlp("If I had practised more, I would have passed. I was going to ask.")) == []
