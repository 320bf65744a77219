"""Reading a matched span the way a careful reader would: is it negated, advice to others,
a hypothetical, a plan, a success, or about somebody else?

``reason(span, ...)`` returns one of ``REASONS`` (the mention does not count) or None (it is the
writer's own weak spot). Decisions, in the order they are checked:

- ``advice``: an imperative ("always ask questions"), a generic subject ("you should ...",
  "whenever you write ..." in a sentence without I/we), "it's important to ...", or a
  sentence that gives tips ("my advice", "I recommend").
- ``plan``: will/'ll/going to/want/need/plan to, first-person "should" without "have", or a
  sentence with "next time", "in the future", "from now on", "going forward".
- ``hypothetical``: might/may/would (also "would have": a counterfactual), an if/unless
  clause, a question, or a fear ("I was worried I'd freeze").
- ``negated``: a negation on the matched word or its clause ("I wasn't nervous", "no nerves",
  "without rambling"), unless the pattern is itself negative ("NOT * finish").
- ``success``: overcoming it ("I overcame my nerves", "managed to avoid rambling"), less of it
  ("less nervous") or a past habit ("I used to ramble"). "Nervous at first but it settled"
  still counts: the nerves were there.
- ``outside``: about life outside an interview, told by what the matched words attach to
  ("didn't finish college", "stuck in my old job", "nervous about applying", "anxious
  waiting for the result"), unless an interview word is attached too (LABELLING.md rules 8-9);
  and a feeling told before or after the interview ("nervous going into the interviews",
  "anxious the night before").
- ``other_person``: about somebody else ("the interviewer was late"); what happens then is the
  category's ``others`` policy (drop / keep / if_writer_affected). A device as subject ("the
  screen froze") is dropped only for categories with the ``drop`` policy.
- Regrets count: "I should have researched the company" is a weak spot, not a plan.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from . import lexicon

REASONS = ("advice", "plan", "hypothetical", "negated", "success", "outside", "other_person")

FIRST_PERSON = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
OTHER_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "their", "hers", "theirs",
                  "himself", "herself", "themselves"}
GENERIC = {"you", "your", "yourself", "one", "candidate", "candidates", "people", "everyone",
           "everybody", "anyone", "anybody", "someone", "somebody", "interviewee", "applicant"}
PEOPLE = {"interviewer", "recruiter", "manager", "engineer", "panel", "panelist", "person", "guy",
          "lady", "man", "woman", "friend", "colleague", "team", "company", "hr", "employer", "boss",
          "ceo", "cto", "founder", "developer", "lead", "director", "host", "coordinator", "other",
          # what the interviewer set: "the question was unclear" is not the writer's fault
          "question", "prompt", "task", "requirement", "description", "statement", "instruction",
          "process"}
DEVICES = {"screen", "video", "computer", "laptop", "call", "connection", "internet", "wifi", "app",
           "audio", "camera", "browser", "editor", "ide", "server", "phone", "line", "zoom", "market",
           # things of the hiring process that freeze or fail by themselves: "hiring was frozen"
           "hiring", "position", "headcount", "req", "budget", "opening"}
NEGATORS = {"not", "n't", "n’t", "never", "no", "nt", "without", "nothing", "none", "neither", "nor"}
PLAN_MODALS = {"will", "'ll", "’ll", "shall", "wo", "gonna"}
HYPO_MODALS = {"might", "may", "would"}
DUTY_MODALS = {"should", "must", "ought", "need"}
PLAN_VERBS = {"plan", "intend", "want", "need", "hope", "aim", "try", "resolve", "decide",
              "promise", "commit", "wanna", "gotta", "like"}
FEAR = {"worry", "worried", "afraid", "fear", "scared", "concern", "concerned", "terrified",
        "wonder", "hope", "dread", "expect", "imagine", "suppose", "assume"}
SUCCESS_VERBS = {"overcome", "conquer", "beat", "handle", "manage", "control", "calm", "shake",
                 "avoid", "prevent", "fix", "improve", "reduce", "minimize", "minimise", "master",
                 "tackle", "stop", "quit", "eliminate", "ditch"}
LESS = {"less", "fewer", "least"}
ADVICE_ADJ = {"important", "crucial", "essential", "vital", "key", "helpful", "wise", "best",
              "better", "good", "critical", "necessary", "useful", "worth"}
ADVICE_WORDS = {"advice", "tip", "recommend", "recommendation", "suggestion", "advise"}
PLAN_PHRASES = ("next time", "in the future", "in future", "from now on", "going forward",
                "moving forward", "next interview", "for the next", "my goal", "to do list",
                "todo", "action item")
# What a weak spot attaches to when it is about studies, career or the job hunt, not an interview.
OUTSIDE = {"college", "school", "university", "degree", "course", "class", "bootcamp", "career",
           "life", "job", "apply", "application", "wait", "result", "search", "hunt", "rejection",
           "quit", "relocate", "money", "family", "parent", "inbox", "meetup", "saving", "rent",
           "depression", "future",
           # "didn't know anyone there" is about a network, not a knowledge gap
           "anyone", "anybody", "someone", "somebody", "nobody", "people"}
INTERVIEW = {"interview", "interviewer", "question", "problem", "round", "onsite", "screen", "call",
             "whiteboard", "exercise", "challenge", "task", "test", "assignment", "puzzle"}
# What someone else says about the writer: "their feedback", "the recruiter's verdict".
REPORTS = {"feedback", "verdict", "reason", "assessment", "comment", "response", "explanation"}
LONG = {"week", "month", "year", "decade"}
_INTO_IT = re.compile(r"\b(?:during (?:the |my |our |that |this )?(?:\w+ )?(?:interview|call|round|onsite|screen|session|exercise)|"
                      r"by (?:round|the (?:second|third|last|end))|first (?:few )?minutes|in (?:the )?(?:first )?round)\b", re.I)
# Moments inside an interview: "nervous after the first question" is in it
MOMENTS = {"question", "problem", "hint", "part", "minute", "answer", "exercise", "task", "round", "follow",
           "section", "challenge", "puzzle", "start", "introduction", "intro", "break"}
AROUND = {"before", "after", "ahead"}  # "nervous before the interview" is not in it
ENTER_VERBS = {"go", "head"}  # "nervous walking in" is the start of it
ARG_DEPS = {"dobj", "prep", "agent", "xcomp", "acomp", "attr", "pobj", "pcomp"}  # not other clauses
CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "csubj", "parataxis", "acl", "conj"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}


def reason(span: Span, *, negative_pattern: bool = False, others: str = "drop",
           past_forms: frozenset[str] = frozenset(), sent: Span | None = None) -> str | None:
    """Why a matched span does not count as the writer's weak spot, or None when it does.

    Args:
        span: the matched tokens.
        negative_pattern: the pattern itself contains the negation ("NOT * finish").
        others: the category's policy for mentions about somebody else.
        past_forms: lower-cased inflected verb forms (e.g. "ran"), to tell "Ran out of time."
            (a diary sentence without subject) from an imperative.
        sent: the span's sentence, when the caller knows it (``span.sent`` walks the doc).
    """
    sent = sent if sent is not None else span.sent
    if not span.doc.has_annotation("DEP"):
        return _reason_without_parse(span, negative_pattern, sent)
    anchor = span.root
    inside = set(range(span.start, span.end))
    path = clause_path(anchor)
    chain = modal_chain(anchor)
    low = lexicon.span_text(sent).lower()

    subj = subject(path)
    if subj is not None and subj.i in inside and subj.pos_ == "PROPN":  # "Forgot" parsed as a name
        subj = None
    subj_kind = kind(subj) if subj is not None else "none"
    if subj_kind == "generic" and subj.lower_ == "you" and addressed(sent):
        subj_kind = "writer"  # the company talking to the writer, reported
    if _is_advice(sent, chain, subj, subj_kind, past_forms):
        return "advice"
    modal = _modality(chain, inside, subj_kind, low, past_forms, sent)
    if modal:
        return modal
    if not negative_pattern and _negated(path, inside):
        return "negated"
    if _success(span, chain, inside, path):
        return "success"
    if _outside(path, inside, negative_pattern) or _feeling_around_interview(span, path):
        return "outside"
    who = _owner(path, subj_kind, inside)
    if who in ("person", "generic"):  # "the other candidate was nervous"
        if others == "drop" or (others == "if_writer_affected" and not _mentions_writer(sent, subj)):
            return "other_person"
    elif who == "device" and others == "drop":
        return "other_person"
    return None


def writer_explicit(span: Span) -> bool:
    """The writer is the grammatical subject or possessor ("I froze", "my mind went blank")."""
    path = clause_path(span.root)
    s = subject(path)
    if s is None or kind(s) == "writer":  # no subject: a diary line ("Froze on Q1.")
        return True
    return any(t.lower_ in ("my", "our") for t in span) or any(
        c.dep_ == "poss" and c.lower_ in FIRST_PERSON for t in path for c in t.children)


def clause_path(tok: Token) -> list[Token]:
    """``tok`` and its heads up to the head of its clause (adjectives/nouns climb through conj)."""
    out = [tok]
    while tok.head is not tok:
        if tok.dep_ in CLAUSE_DEPS and not (tok.dep_ == "conj" and _conj_shares(tok)):
            break
        tok = tok.head
        out.append(tok)
    return out


def modal_chain(tok: Token) -> list[Token]:
    """``tok`` and its heads through complements (xcomp/ccomp) up to the main clause."""
    out = [tok]
    while tok.head is not tok and tok.dep_ not in ("ROOT", "advcl", "relcl", "parataxis", "acl", "dep",
                                                     "npadvmod", "appos", "intj", "meta"):
        if tok.dep_ == "conj" and not _conj_shares(tok):
            break
        tok = tok.head
        out.append(tok)
    return out


def subject(path: list[Token]) -> Token | None:
    """The grammatical subject of the clause, inherited from the first conjunct if needed."""
    for t in path:
        for c in t.children:
            if c.dep_ in SUBJ_DEPS and not _is_label(c):
                return c
    top = path[-1]
    while top.dep_ == "conj" and top.head is not top:
        top = top.head
        for c in top.children:
            if c.dep_ in SUBJ_DEPS:
                return c
    return None


def _is_label(tok: Token) -> bool:
    """"Verdict: answers were unclear": a word before a colon labels the line, it is no subject."""
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).text == ":" and all(c.is_punct for c in tok.children)


def kind(tok: Token) -> str:
    """writer / generic / person / device / neutral."""
    if _relative(tok):  # "somebody who needed help": who is the antecedent
        ante = tok.head.head
        if ante.dep_ == "attr":  # "I was the one who needed hints": the one is the subject
            ante = next((c for c in ante.head.children if c.dep_ in SUBJ_DEPS and c.lower_ != "it"), ante)
        return kind(ante)
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low == "you" and tok.i > 0 and tok.nbor(-1).lower_ in ("thank", "-"):
        return "neutral"  # "thank you notes" is not a generic "you"
    if low in FIRST_PERSON:
        return "writer"
    if low in GENERIC or lemma in GENERIC:
        return "generic"
    poss = [c.lower_ for c in tok.children if c.dep_ == "poss"]
    if any(p in FIRST_PERSON for p in poss):
        return "writer"
    if low in OTHER_PRONOUNS or lemma in PEOPLE or tok.pos_ == "PROPN" or any(p in OTHER_PRONOUNS for p in poss):
        return "person"
    if lemma in DEVICES or low in DEVICES:  # "Hiring" has the lemma "hire"
        return "device"
    return "neutral"


# -- the individual checks -----------------------------------------------------------------


def _conj_shares(tok: Token) -> bool:
    """Adjective/noun conjuncts, and "or/nor" lists of verbs, share the head's negation."""
    if tok.pos_ not in ("VERB", "AUX"):
        return True
    between = tok.doc[tok.head.i + 1: tok.i] if tok.head.i < tok.i else []
    return any(t.lower_ in ("or", "nor") for t in between) and not any(c.dep_ in SUBJ_DEPS for c in tok.children)


def _is_imperative(root: Token, past_forms: frozenset[str]) -> bool:
    if root.tag_ != "VB" or any(c.dep_ in SUBJ_DEPS for c in root.children):
        return False
    low = root.lower_
    if low in past_forms or low.endswith("ed") or low != root.lemma_.lower():
        return False  # "Ran out of time." / "Forgot to mention X." : a diary line without "I"
    for c in root.children:
        if c.dep_ in ("aux", "auxpass") and not (c.lemma_ == "do" and c.tag_ in ("VB", "VBP")):
            return False  # "did not research" is past, "don't forget" is imperative
        if c.dep_ == "mark":
            return False
    return root.lemma_ not in PLAN_VERBS - {"try"}  # "Need to practise more." is a plan


def _is_advice(sent: Span, chain: list[Token], subj: Token | None, subj_kind: str, past_forms) -> bool:
    if _is_imperative(sent.root, past_forms):
        own_subj = any(c.dep_ in SUBJ_DEPS and c.lower_ in FIRST_PERSON for t in chain for c in t.children)
        if not own_subj:
            return True
    if subj_kind == "generic" and not any(t.tag_ in ("VBD", "VBN") and not _has_aux(t) for t in chain):
        return True
    for t in chain:
        kids = list(t.children)
        if any(c.dep_ in SUBJ_DEPS and c.lower_ == "it" for c in kids) and any(
                c.dep_ in ("acomp", "attr") and c.lemma_.lower() in ADVICE_ADJ for c in kids):
            return True
    if any(t.lemma_.lower() in ADVICE_WORDS for t in sent):
        return True
    # "put a comment whenever you write something not quite clear": a tip, unless the writer
    # is also a subject in the sentence ("you get 45 minutes and I ran out of time").
    generic = any(t.dep_ in SUBJ_DEPS and t.lower_ in ("you", "one") and t.head.tag_ in ("VB", "VBP", "VBZ", "MD")
                  for t in sent)
    if addressed(sent):
        return False
    diary = sent[0].lower_ in past_forms or sent[0].lower_.endswith("ed")  # "Forgot to send thank you notes"
    return generic and not diary and not any(t.dep_ in SUBJ_DEPS and t.lower_ in FIRST_PERSON for t in sent)


def _has_aux(t: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in t.children)


def _modality(chain: list[Token], inside: set[int], subj_kind: str, low: str,
              past_forms: frozenset[str], sent: Span) -> str | None:
    for k, t in enumerate(chain):
        auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
        lows = [a.lower_ for a in auxes]
        perfect = "have" in lows or "'ve" in lows or "’ve" in lows or "of" in lows  # "should have", "would've"
        for a in auxes:
            w = a.lower_ if a.lower_ in ("'ll", "’ll", "wo") else a.lemma_.lower()
            if a.lower_ in ("'d", "’d"):  # "I'd misunderstood" is "I had", even when tagged as "would"
                participle = t.tag_ == "VBN" or t.lower_ in past_forms or t.lower_.endswith("ed")
                w = "have" if participle or a.tag_ != "MD" else "would"
            if w in PLAN_MODALS:
                return "plan"
            if w in HYPO_MODALS:  # "would have" too: a counterfactual, not something that happened
                return "hypothetical"
            if w in DUTY_MODALS and not perfect and a.tag_ == "MD":
                return "advice" if subj_kind == "generic" else "plan"
        if t.i in inside:
            continue
        lemma = t.lemma_.lower()
        if lemma == "go" and t.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in t.children):
            return "plan"  # "I'm going to practise"
        # "need to practise" plans the complement, not the subject ("knowledge gap, need to read")
        if lemma in PLAN_VERBS and t.tag_ not in ("VBD", "VBN") and k and chain[k - 1].dep_ in ("xcomp", "ccomp"):
            return "plan"
        if lemma in FEAR or t.lower_ in FEAR:
            return "hypothetical"
    for t in chain:
        if t.dep_ == "advcl":
            marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
            if marks & {"if", "unless", "whether", "lest"}:
                return "hypothetical"
            if marks & {"when", "whenever", "once"} and t.tag_ in ("VB", "VBP", "VBZ"):
                return "hypothetical"
    # a condition attached to the main clause: "If I get nervous, I ramble"
    top = chain[-1]
    for c in top.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children) \
                and top.tag_ not in ("VBD", "VBN"):
            return "hypothetical"
    if _is_question(sent):
        return "hypothetical"
    if any(p in low for p in PLAN_PHRASES):
        return "plan"
    return None


def _negated(path: list[Token], inside: set[int]) -> bool:
    for t in path:
        if t.lower_ == "without" and t.i not in inside:
            return True
        for c in t.children:
            if c.dep_ == "neg":
                return True
            if c.dep_ in ("advmod", "aux", "auxpass") and any(g.dep_ == "neg" for g in c.children):
                return True  # "Never once did I freeze", "didn't get stuck" (neg on the auxiliary)
            if c.dep_ == "det" and c.lower_ in ("no", "zero"):
                return True
            if c.dep_ == "advmod" and c.lower_ in ("longer", "anymore") and any(
                    g.lower_ in ("no", "not", "n't", "n’t") for g in c.children):
                return True
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            return True
        if t.dep_ == "pcomp" and t.head.lower_ == "without":
            return True
    return False


def _success(span: Span, chain: list[Token], inside: set[int], path: list[Token]) -> bool:
    for t in path:
        if any(c.lower_ in LESS and c.dep_ in ("advmod", "amod") for c in t.children if c.i not in inside):
            return True
    for t in chain[1:]:
        if t.i in inside:
            continue
        if t.lemma_.lower() in SUCCESS_VERBS and not any(c.dep_ == "neg" for c in t.children):
            return True
        if t.lemma_ == "use" and t.tag_ == "VBD" and any(c.dep_ == "xcomp" for c in t.children):
            return True
    return False


def _outside(path: list[Token], inside: set[int], negative_pattern: bool = False) -> bool:
    """The match's words take a non-interview object ("finish college", "stuck in my job") or
    last longer than an interview ("stressed for weeks"; but "haven't practised for months"
    is the shortfall itself)."""
    near = []
    for t in path:
        for c in t.children:
            if c.i in inside or c.dep_ not in ARG_DEPS:
                continue
            near.append(c)
            if c.dep_ != "dobj":
                near.extend(g for g in c.children if g.dep_ in ("pobj", "pcomp", "dobj"))
    lemmas = {t.lemma_.lower() for t in near}
    if any(_life_phase(c) for t in path for c in t.children if c.dep_ == "advcl"):
        return True  # "I didn't know how to code when I started"
    long = not negative_pattern and any(
        t.dep_ == "pobj" and t.head.lower_ == "for" and t.lemma_.lower() in LONG for t in near)
    return (long or bool(lemmas & OUTSIDE)) and not lemmas & INTERVIEW


def _feeling_around_interview(span: Span, path: list[Token]) -> bool:
    """A feeling told before or after the interview, not in it: "nervous going into the
    interviews", "anxious the night before", "stressed after the call" (LABELLING.md rule 9).
    "Nervous before I answered" is in it: there "before" opens a clause, not a time."""
    if not lexicon.FEELING.fullmatch(lexicon.span_text(span).lower().strip()):
        return False  # only a feeling word itself: "too scared to ask" is about the asking
    if _INTO_IT.search(lexicon.span_text(span.sent)):
        return False  # "nervous before the onsite, calmer by round 2": it carried into the interview
    around = lambda prep: prep.lower_ in AROUND and any(
        g.dep_ == "pobj" and g.lemma_.lower() not in MOMENTS for g in prep.children)
    enters = lambda verb: verb.lemma_ in ENTER_VERBS and any(c.lower_ in ("in", "into") for c in verb.children)
    for t in path:
        if enters(t):
            return True  # "going in" parsed with the feeling hanging off the verb
        for c in t.children:
            if c.dep_ == "prep" and around(c):
                return True  # "before the interview"; not "after the first question", a moment in it
            if c.dep_ == "advmod" and c.lower_ == "ahead" and any(g.dep_ == "prep" and g.lower_ == "of" for g in c.children):
                return True  # "ahead of the interview"
            if c.dep_ == "npadvmod" and any(g.lower_ in AROUND for g in c.children):
                return True  # "the night before"
            if c.dep_ == "advmod" and c.lower_ in ("beforehand", "afterwards", "afterward"):
                return True
            if c.dep_ == "advcl" and enters(c):
                return True
            if c.dep_ == "prep" and any(g.dep_ == "pobj" and any(a.lemma_ == "lead" for a in g.children)
                                        for g in c.children):
                return True  # "in the days leading up to the onsite"
    return False


def _life_phase(clause: Token) -> bool:
    """"when I started out" / "when I first started": a stage of a career, not an interview
    (a bare "when I finally started" can be the start of coding in the interview)."""
    if clause.lemma_.lower() not in ("start", "begin", "graduate") or not any(
            c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "before") for c in clause.children):
        return False
    if clause.lemma_.lower() == "graduate":
        return True
    return any(c.lower_ == "out" and c.dep_ == "prt" or c.dep_ in ("dobj", "xcomp") and c.lemma_.lower() in OUTSIDE
               or c.lower_ == "first" and c.dep_ == "advmod"  # "when I first started"
               for c in clause.children)


def _owner(path: list[Token], subj_kind: str, inside: set[int]) -> str:
    for t in path:
        if t.lemma_.lower() in REPORTS:  # "their feedback: not enough depth" is about the writer
            continue
        for c in t.children:
            if c.dep_ == "poss":
                k = kind(c)
                if k == "writer":
                    return "writer"
                if k == "person":
                    return "person"
    return subj_kind


def addressed(sent: Span) -> bool:
    """"you" is the writer being spoken to, not anyone: inside a quotation ("We don't think you
    know enough JS"), or the subject of a past event ("the software you wrote")."""
    quotes = 0
    for t in sent:
        if t.is_quote:
            quotes += 1
        elif t.lower_ == "you" and t.dep_ in SUBJ_DEPS:
            if quotes % 2 or (t.head.tag_ == "VBD" and not _has_aux(t.head)):
                return True
    return False


def _relative(tok: Token) -> bool:
    """"who/that/which" as the subject of a relative clause."""
    return tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl" and tok.head.head is not tok.head


def _mentions_writer(sent: Span, subj: Token | None) -> bool:
    """The writer is in the clause: for "somebody who needed help", in the relative clause only."""
    where = subj.head.subtree if subj is not None and _relative(subj) else sent
    return any(t.lower_ in FIRST_PERSON and t is not subj for t in where)


def _is_question(sent: Span) -> bool:
    """"Did I ramble?", "What if I freeze?" — not "I undersold myself??" (an exclamation)."""
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if not words or not lexicon.span_text(sent).rstrip().rstrip("\"')*").endswith("?"):
        return False
    first = words[0]
    return first.tag_ in ("MD", "WDT", "WP", "WRB") or first.lemma_ in ("be", "do", "have")


def _reason_without_parse(span: Span, negative_pattern: bool, sent: Span) -> str | None:
    """Crude word-window checks for a pipeline without a parser (``--model blank``)."""
    low = lexicon.span_text(sent).lower()
    before = [t.lower_ for t in span.doc[max(sent.start, span.start - 4): span.start]]
    if any(p in low for p in PLAN_PHRASES) or any(w in PLAN_MODALS for w in before):
        return "plan"
    if any(w in HYPO_MODALS for w in before) or low.rstrip().endswith("?"):
        return "hypothetical"
    if not negative_pattern and (any(w in NEGATORS for w in before) or any(t.lower_ in NEGATORS for t in span)):
        return "negated"
    return None
