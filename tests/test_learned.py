"""The learned sentence reader (issue 14): a real model file, read as data, pinned by hash."""
from __future__ import annotations

import numpy as np
import pytest

from reflect_nlp.components import learned


@pytest.fixture(scope="module")
def combined():
    from reflect_nlp import build_pipeline

    return build_pipeline(reader="combined")


def test_shipped_files_match_their_pinned_hashes():
    assert learned.file_sha256(learned.MODEL_PATH) == learned.MODEL_SHA256
    assert learned.file_sha256(learned.VECTORS_PATH) == learned.VECTORS_SHA256
    with np.load(learned.MODEL_PATH, allow_pickle=False) as f:  # plain arrays, no pickled objects
        assert {"rows", "sparse", "dense", "bias", "categories", "threshold", "meta"} <= set(f.files)


def test_a_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / "learned_reader.npz"
    data = learned.MODEL_PATH.read_bytes()
    fake.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(learned.ModelFileError, match="SHA-256 differs"):
        learned.load_reader(str(fake))
    with pytest.raises(learned.ModelFileError, match="missing"):
        learned.load_reader(str(tmp_path / "gone.npz"))


def test_the_reader_adds_a_hit_the_rules_miss_with_its_sentence_as_evidence(combined, nlp):
    text = "The offer call went fine. I quoted a number way below what the role pays and they took it instantly."
    assert not [h for h in nlp(text)._.weak_spots if h["category"] == "compensation"]  # the rules alone miss it
    doc = combined(text)
    [hit] = [h for h in doc._.weak_spots if h["category"] == "compensation"]
    assert hit["pattern"].startswith(learned.PATTERN) and hit["score"] >= combined.get_pipe("reflect_learned").threshold
    assert doc.text[hit["start"]:hit["end"]] == hit["sentence"] == "I quoted a number way below what the role pays and they took it instantly."
    assert hit["sent_idx"] == 1


def test_the_reader_does_not_repeat_what_the_rules_found(combined):
    doc = combined("My mind went blank on the first question.")
    cats = [(h["sent_idx"], h["category"]) for h in doc._.weak_spots]
    assert len(cats) == len(set(cats))


def test_probabilities_one_row_per_sentence_in_range(combined):
    doc = combined("We talked about the weather. I froze. Then they asked about salary.")
    probs = combined.get_pipe("reflect_learned").probabilities(doc.sents)
    assert probs.shape == (3, len(learned.load_reader().categories))
    assert ((probs >= 0) & (probs <= 1)).all()


def test_negated_words_are_features_of_their_own(nlp):
    assert learned.sentence_features(nlp("I was nervous.")) != learned.sentence_features(nlp("I was not nervous."))


def test_unknown_words_are_read_from_their_pieces():
    wv = learned.load_word_vectors()
    assert "interviewingly" not in wv.index
    assert wv.row("interviewingly") is not None and wv.row("zzzqqq\u00e9") is None


def test_reader_choice_reaches_analysis_and_store(tmp_path):
    from reflect_nlp import analyze
    from reflect_nlp.errors import ReflectError

    texts = ["The offer call went fine. I quoted a number way below what the role pays and they took it instantly."]
    store = tmp_path / "store.sqlite"
    rules = analyze(texts, store=store)
    both = analyze(texts, store=store, reader="combined")
    assert rules.meta["reader"] == "rules" and both.meta["reader"] == "combined"
    assert both.meta["store"]["analysed"] == 1  # a rules result is never reused for the combined reader
    assert "compensation" in set(both.weak_spots["category"]) - set(rules.weak_spots["category"])
    with pytest.raises(ReflectError, match="Unknown reader"):
        analyze(texts, reader="neural")
