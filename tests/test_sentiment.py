"""Sentiment backends, the weighted entry tone, and the benchmark's readers."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from reflect_nlp.components import sentiment

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", sorted(sentiment.BACKENDS))
def test_backends_follow_the_protocol(name):
    b = sentiment.get_backend(name)
    assert isinstance(b, sentiment.SentimentBackend)
    good, bad = b.score("I loved it, a great day.")[b.main], b.score("It was awful and I hated it.")[b.main]
    assert -1 <= bad < 0 < good <= 1


def test_unknown_backend_says_which_exist():
    with pytest.raises(ValueError, match="textblob"):
        sentiment.get_backend("nope")


def tone(nlp, text):
    return sentiment.weighted_tone(nlp(text))


def test_outcomes_and_contrast(nlp):
    assert tone(nlp, "I got the offer!") > 0
    assert tone(nlp, "They rejected me after the onsite.") < 0
    # contrast: what follows "but" decides
    assert tone(nlp, "It wasn't bad, but the second round was a disaster.") < 0
    assert tone(nlp, "The first round was rough, but overall I really enjoyed the day.") > 0
    # a later outcome reverses an earlier one
    assert tone(nlp, "I was rejected by Initech. Now I work at Globex and love it.") > 0
    assert tone(nlp, "Globex invited me to the onsite. In the end they rejected me.") < 0


def test_final_state_beats_the_past_it_is_told_against(nlp):
    verdict = lambda text: sentiment.final_verdict(list(nlp(text).sents))
    assert verdict("Now I work at Globex, two years after Initech rejected me.") == 1
    assert verdict("Today I work at Globex. Initech had rejected me twice before that.") == 1
    assert verdict("Initech rejected me, but now they rejected me again.") == -1
    assert verdict("Initech rejected me. Globex rejected me too.") == -1


def test_a_story_told_on_from_a_later_place_ends_there(nlp):
    verdict = lambda text: sentiment.final_verdict(list(nlp(text).sents))
    assert verdict("Initech rejected me for not knowing Go. Now I write Go all day at Globex.") == 1
    assert verdict("Initech rejected me. Years later, I lead the team that replaced their product.") == 1
    # still negative from the later place, or the rejection came after it
    assert verdict("Initech rejected me. Now I am still bitter and angry about it.") == -1
    assert verdict("Now I was ready. Initech rejected me anyway.") == -1


def test_selected_and_cleared_are_good_outcomes_other_peoples_are_not_the_writers(nlp):
    verdict = lambda text: sentiment.final_verdict(list(nlp(text).sents))
    assert verdict("Result: Selected for the SDE internship.") == 1
    assert verdict("I cleared all rounds.") == 1
    assert verdict("I wasn't selected for the role.") == -1
    assert verdict("I got the offer. Even candidates who didn't make it heard back kindly.") == 1
    assert verdict("Rejected after one week.") == -1  # a line without a person is the writer's


def test_later_lines_that_are_still_down_and_the_companys_words_keep_the_rejection(nlp):
    verdict = lambda text: sentiment.final_verdict(list(nlp(text).sents))
    assert verdict("I got rejected after the onsite. Since then I have not applied anywhere.") == -1
    assert verdict("Got the rejection email. A few months later, I'm still unemployed.") == -1
    assert verdict("I got rejected. Eventually I gave up applying.") == -1
    assert verdict("Today") == 0  # a later word without any outcome is no verdict
    assert verdict("Had my final round last week. They went with other candidates.") == -1
    assert verdict("The recruiter wrote: unfortunately you were not selected for the role.") == -1
    assert verdict("I haven't yet been selected for anything.") == -1
    assert verdict("Now I'm a nervous wreck.") == 0
    assert verdict("Rejected by Initech. Now I'm a lead engineer at Globex.") == 1


def test_final_verdict_without_sentiment_scores_does_not_crash():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert sentiment.final_verdict(list(nlp("I got rejected. Now I work at Globex.").sents)) == 1


def test_quoted_speech_is_not_the_writers_verdict_but_scare_quotes_are(nlp):
    verdict = lambda text: sentiment.final_verdict(list(nlp(text).sents))
    assert verdict('The lead said, "Alright, now we\'re going to walk through some exercises."') == 0
    assert verdict('I was "rejected" in the end.') == -1


def test_named_feelings_carry_the_late_mood(nlp):
    doc = nlp("We covered caching. The system design part was a terrible mess. Overall I felt happy with how I did.")
    *_, mess, felt = list(doc.sents)
    assert mess._.tone_weight == 0 and felt._.tone_weight == 1.0
    assert sentiment.tone_features(doc)["mood"] == pytest.approx(felt._.tone_score)


def test_self_criticism_reads_negative(nlp):
    assert tone(nlp, "I should have asked about the input. I should have talked through the brute force.") < 0


def test_the_ending_carries_the_weight(nlp):
    doc = nlp("I was thrilled to be invited. The round was a great chat about caching. In the end it was awful and I hated it.")
    first, *late = list(doc.sents)
    assert first._.tone_weight == 0 and sum(s._.tone_weight for s in late) == pytest.approx(1.0)
    # the happy opening does not outweigh how it ended
    assert sentiment.weighted_tone(doc) < 0


def test_code_and_neutral_narration(nlp):
    doc = nlp("The task was a BFS over a grid.\n\nfor (i = 0; i < n; i++) { q.push(grid[i]); }")
    narration, code = list(doc.sents)
    assert code._.tone_weight == 0 and narration._.tone_weight == 1.0
    assert sentiment.weighted_tone(doc) == 0.0
    assert sentiment.tone_features(doc) == {"mood": 0.0, "verdict": 0.0}


def test_tone_stays_in_range(nlp):
    extreme = sentiment.ToneModel(mood=5.0, verdict=5.0)
    assert sentiment.weighted_tone(nlp("I got the offer and I am so happy!"), extreme) == 1.0
    assert sentiment.weighted_tone(nlp("They rejected me. I hate this, it is awful."), extreme) == -1.0


def test_sentence_rows_and_entry_tone(nlp):
    doc = nlp("I was nervous. The interviewer asked about caching. I got the offer!")
    rows = sentiment.sentence_rows(doc)
    assert [r["sent_idx"] for r in rows] == [0, 1, 2]
    assert all(-1 <= r["polarity"] <= 1 and -1 <= r["vader"] <= 1 and r["weight"] >= 0 for r in rows)
    out = sentiment.entry_tone(doc, rows)
    assert set(out) == {"tone", "polarity_mean", "vader_mean"}
    assert out["vader_mean"] == pytest.approx(sum(r["vader"] for r in rows) / 3)
    assert sentiment.entry_tone(nlp(""), []) == {"tone": None, "polarity_mean": None, "vader_mean": None}


def test_ground_truth_reader_handles_bom_crlf_and_no_final_newline(tmp_path):
    bench = _bench("bench_sentiment")
    f = tmp_path / "gt.txt"
    f.write_bytes("\ufeff1_1\t-0.9\tterrible\tvery\r\n1_2\t2.5\tgreat".encode("utf-8"))
    assert bench.read_ground_truth(f) == [(-0.9, "terrible\tvery"), (2.5, "great")]
    assert bench.pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(0.9933, abs=1e-3)
    assert bench.pearson([1, 1, 1], [1, 2, 3]) is None


def test_tone_correlations_shape():
    bench = _bench("bench_sentiment")
    labels = [{"split": s, "tone": t} for s, t in [("dev", 0.1), ("dev", 0.5), ("dev", -0.4), ("test", 0.2), ("test", -0.2), ("test", 0.6)]]
    scores = [{"tone": x, "polarity_mean": x / 2, "vader_mean": -x} for x in (0.0, 0.4, -0.5, 0.1, -0.3, 0.5)]
    res = bench.tone_correlations(labels, scores)
    assert res["test"]["n"] == 3 and res["dev"]["tone"] > 0.9 and res["dev"]["vader_mean"] < -0.9


def test_cues_benchmark_writes_json(tmp_path, monkeypatch):
    bench = _bench("bench_cues")
    if not bench.CERED.exists():
        pytest.skip("CEReD not present")
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    assert bench.main(["--split", "val"]) == 0
    res = json.loads((tmp_path / "cues_val.json").read_text())
    assert res["n_sentences"] == 339
    assert set(res["labels"]) == {"Feeling", "Difficulty", "Intention", "Learning"}
    assert all(m["support"] >= 1 for m in res["labels"].values())


def test_fit_and_cross_validation_recover_a_linear_signal():
    bench = _bench("bench_sentiment")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = 0.5 * X[:, 0] + 0.2 * X[:, 1] + 0.3 + rng.normal(scale=0.05, size=60)
    assert bench.fit(X, y) == pytest.approx([0.5, 0.2], abs=0.03)
    cv = bench.cross_validate(X, y, np.ones(60, bool), repeats=3)
    assert cv["mean"] > 0.95 and cv["real_docs"] == cv["mean"]
    noise = bench.cross_validate(rng.normal(size=(60, 2)), y, np.ones(60, bool), repeats=3)
    assert noise["mean"] < 0.5
