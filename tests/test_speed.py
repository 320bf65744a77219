"""The speed-ups must not change a single result: compiled attribute rules against spaCy's own
matcher, and the prefiltered weak-spot matcher against the full one. (Timings live in
benchmarks/bench_speed.py, not here.)"""
from __future__ import annotations

from spacy.pipeline import AttributeRuler

from reflect_nlp.components import cues, lexicon
from reflect_nlp.components.weak_spots import _words

TEXTS = [
    "I'm gonna practise more, y'all. There is a lot I ain't sure about, and let's be honest: I froze.",
    "Next time I will research the company and prepare three questions for the interviewer.",
    "We got ta talk about it... C'mon!  I didn't know   the answer\n\nNervous again. There were two rounds.",
    "Ran out of time on the graph question; I should have asked clarifying questions first.",
]


def test_compiled_attribute_rules_match_like_the_stock_matcher(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    assert ruler.match.__func__ is not AttributeRuler.match  # build_pipeline installed them
    for doc in nlp.pipe(TEXTS):
        stock = AttributeRuler.match(ruler, doc)  # spaCy's own Matcher, on the same doc
        assert ruler.match(doc) == [(attr, start, end) for attr, _, start, end in stock]


def test_prefiltered_weak_spot_matches_equal_the_full_matcher(nlp):
    comp = nlp.get_pipe("reflect_weak_spots")
    assert not comp._always_match  # the default raw token patterns ("I froze") name their words
    n = 0
    for doc in nlp.pipe(TEXTS):
        for sent in doc.sents:
            full = comp.matcher.full(sent, with_alignments=True)
            sub = comp.matcher.subset(_words(sent))
            assert (sub(sent, with_alignments=True) if sub else []) == full
            topics = comp.topic_matcher.subset(_words(sent))
            assert (topics(sent) if topics else []) == comp.topic_matcher.full(sent)
            n += len(full)
    assert n > 0  # the texts do exercise the patterns


def test_an_optional_token_adds_no_trigger():
    from reflect_nlp.components.weak_spots import _token_trigger

    assert _token_trigger([{"LOWER": "very", "OP": "{,2}"}, {"LOWER": "wobbly"}]) == (frozenset({"wobbly"}),)
    assert _token_trigger([{"LOWER": "very", "OP": "{0,2}"}, {"LEMMA": {"IN": ["wobble"]}}]) == (frozenset({"wobble"}),)
    assert _token_trigger([{"LOWER": "very", "OP": "+"}]) == (frozenset({"very"}),)


def test_a_token_pattern_without_words_runs_on_the_whole_doc(tmp_path):
    from reflect_nlp import build_pipeline

    tax = tmp_path / "t.toml"
    tax.write_text('extends = "default"\n[categories.scores]\ndescription = "numbers"\n'
                   '[[categories.scores.token_patterns]]\nid = "digits"\npattern = [{SHAPE = "dd"}]\n')
    comp = build_pipeline(taxonomy=str(tax)).get_pipe("reflect_weak_spots")
    assert comp._always_match


def test_span_text_equals_spacy_text(nlp):
    doc = nlp(TEXTS[2])
    assert lexicon.doc_text(doc) == doc.text
    for span in [*doc.sents, doc[1:4], doc[:0], doc[-2:]]:
        assert lexicon.span_text(span) == span.text


def test_pipeline_still_pickles(nlp):
    """Worker processes under 'spawn' (and users' own multiprocessing) pickle the pipeline."""
    import pickle

    clone = pickle.loads(pickle.dumps(nlp))
    text = "I'm gonna practise more, y'all."
    assert [(t.pos_, t.lemma_) for t in clone(text)] == [(t.pos_, t.lemma_) for t in nlp(text)]
    plan = "I froze. Next time I will prepare questions for the interviewer."
    assert cues.actions(clone(plan)) == cues.actions(nlp(plan))  # categories need the weak-spot component
    assert cues.actions(clone(plan))[0]["category"] == "questions_for_interviewer"


def test_attribute_rules_added_after_loading_still_apply(nlp):
    """Compiled rules must not go stale when the ruler gains rules (the API lets users add them)."""
    import pickle

    clone = pickle.loads(pickle.dumps(nlp))  # the session pipeline stays as it is
    ruler = clone.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "zorblax"}]], {"TAG": "UH", "POS": "INTJ"})
    tok = clone("I said zorblax today.")[2]
    assert (tok.tag_, tok.pos_) == ("UH", "INTJ")
    assert ruler.match.__func__ is not AttributeRuler.match  # recompiled, not dropped
    ruler.add([[{"NORM": "said"}]], {"TAG": "VBZ"})  # NORM: the compiler leaves it to spaCy
    doc = clone("I said zorblax today.")
    assert (doc[1].tag_, doc[2].tag_) == ("VBZ", "UH")
    assert ruler.match.__func__ is AttributeRuler.match
