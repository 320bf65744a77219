"""Word lists and rules shared by the sentiment and cue components.

Rules run on one sentence's lower-cased text. They were written for interview reflections and
tuned on the CEReD train/val splits (student-teacher diaries); the benchmark reports them on its
test split. Each function takes a spaCy Span or a plain string.
"""
from __future__ import annotations

import re
import weakref
from typing import Union

from spacy.tokens import Doc, Span

Text = Union[Span, str]

_NEG = re.compile(r"\b(not|no|never|without|nothing|none|hardly|n't|nor)\b|n't\b")
_FIRST = {"i", "me", "my", "mine", "myself", "we", "us", "our"}


_TEXTS: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc: Doc.text re-joins every token on each access, and
    components and extract.py all read it."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text``, sliced from the doc's text: Span.text re-joins its tokens on every call
    and the rules read each sentence many times."""
    if not len(span):
        return span.text
    return doc_text(span.doc)[span.start_char:span.end_char]


def norm(x: Text) -> str:
    """Lower-case text with typographic apostrophes straightened."""
    s = span_text(x) if isinstance(x, Span) else x
    return s.lower().replace("\u2019", "'").replace("\u2018", "'")


def negated(text: str, start: int, window: int = 3) -> bool:
    """True when one of the ``window`` words before ``start`` is a negator."""
    before = re.findall(r"[\w']+", text[:start])[-window:]
    return any(_NEG.search(w) for w in before)


def _search(rx: re.Pattern, text: str, *, negatable: bool) -> bool:
    """Any match of ``rx`` that (if ``negatable``) is not negated."""
    return any(not (negatable and negated(text, m.start())) for m in rx.finditer(text))


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def is_first_person(x: Text) -> bool:
    return not _FIRST.isdisjoint(re.findall(r"[a-z]+", norm(x)))


# --- feelings ---------------------------------------------------------------------------
FEELING = _rx(
    r"fe(?:el|els|lt|eling|elings)",
    r"nervous(?:ness)?", r"anxi(?:ous|ety)", r"excit(?:ed|ing|ement)", r"happ(?:y|ier|iness)",
    r"glad", r"pleased", r"proud", r"reliev(?:ed)", r"relief", r"disappoint(?:ed|ing|ment)",
    r"frustrat(?:ed|ing|ion)", r"embarrass(?:ed|ing|ment)", r"ashamed", r"stress(?:ed|ful)?",
    r"upset", r"sad(?:ness)?", r"devastated", r"gutted", r"thrilled", r"scared", r"afraid",
    r"fear(?:ed|s)?", r"worr(?:y|ied|ies)", r"overwhelm(?:ed|ing)", r"calm", r"(?:un)?comfortable",
    r"confident", r"insecure", r"awkward", r"annoy(?:ed|ing)", r"angry", r"grateful",
    r"thankful", r"(?:dis)?satisf(?:ied|action|ying)", r"enjoy(?:ed|s)?", r"lov(?:e|ed)",
    r"hat(?:e|ed)", r"i (?:really )?(?:liked|like|didn't like|did not like)", r"hope(?:d)?",
    r"mood", r"tired", r"exhausted", r"bored", r"fun", r"(?:un)?pleasant(?:ly)?",
    r"surpris(?:ed|ing)", r"shock(?:ed)?", r"terrified", r"panic(?:ked)?", r"crushed",
    r"bummed", r"hurt", r"joy", r"pleasure", r"emotion(?:s|al)?", r"impress(?:ed)",
    r"curious", r"motivat(?:ed|ing)", r"demotivat(?:ed|ing)", r"encourag(?:ed|ing)",
    r"discourag(?:ed|ing)", r"great for me", r"(?:a )?good feeling", r"heart (?:was )?(?:racing|pounding)",
)


def has_feeling(x: Text) -> bool:
    """The writer names a feeling ("I wasn't nervous" counts: it answers how it felt).

    A feeling word needs a first-person word in the sentence ("the class was calm" is narration),
    or, on a parsed Span, no subject at all: journal shorthand such as "Nervous again."
    """
    t = norm(x)
    return bool(FEELING.search(t)) and (is_first_person(t) or _subjectless(x))


def _subjectless(x: Text) -> bool:
    return isinstance(x, Span) and x.doc.has_annotation("DEP") and not any(t.dep_.startswith("nsubj") for t in x)


# --- difficulties -----------------------------------------------------------------------
DIFFICULTY = _rx(
    r"problems?", r"difficult(?:y|ies)?", r"struggl(?:e|ed|es|ing)", r"troubles?", r"challeng(?:e|es|ing)",
    r"mistakes?", r"errors?", r"fail(?:ed|ure|ing)?", r"went wrong", r"go wrong", r"blank", r"stuck",
    r"forg(?:ot|otten|et)", r"confus(?:ed|ing|ion)", r"mess(?:ed)? up", r"unable", r"(?:was|were)n't able",
    r"(?:could|can)n't", r"could not", r"can ?not", r"did(?:n't| not) (?:manage|know|understand|work|finish|listen)",
    r"ran out of time", r"not enough time", r"bomb(?:ed)?", r"froze", r"freez(?:e|ing)", r"rambl(?:e|ed|ing)",
    r"weak(?:ness|nesses)?", r"lack(?:ed|ing)?", r"too (?:noisy|fast|slow|long|quiet|loud|much|little|hard|many)",
    r"disrupt(?:ed|ive|ion)?", r"chaos|chaotic", r"poor(?:ly)?", r"issues?", r"obstacles?", r"wrong",
    r"failed to", r"(?:did|could)n't (?:even )?get",
    # "bad", "hard", "worse" alone mostly describe other people or things; these phrases judge the outcome.
    r"(?:went|did|performed|answered|handled|explained|slept) (?:\w+ )?(?:badly|poorly)",
    r"bad (?:answer|job|interview|start|day|impression|habit)", r"(?:was|were|felt|found it|is) (?:\w+ )?(?:hard|harder)",
    r"hard time", r"not (?:good|great) enough", r"(?:tripped|slipped) up", r"(?:didn't|did not) go well",
)
_NO_DIFFICULTY = _rx(r"no (?:problems?|difficult(?:y|ies)|troubles?|issues?)", r"without (?:any )?(?:problems?|difficult(?:y|ies)|troubles?)")


def has_difficulty(x: Text) -> bool:
    """The sentence says something went wrong or was hard (not "no problem", "wasn't hard")."""
    t = norm(x)
    t = _NO_DIFFICULTY.sub(" ", t)
    return _search(DIFFICULTY, t, negatable=True)


# --- intentions -------------------------------------------------------------------------
INTENTION = _rx(
    r"next time",
    r"in (?:the )?future",
    r"from now on",
    r"(?:going|moving) forward,? (?:i|we)",
    # journal shorthand drops the "I": "Need to answer, then stop talking."
    r"(?:^|[,;:(\-]\s*)(?:really |still |definitely )?(?:need|have|want|plan|going|gonna|must|got) to (?!say|admit|mention|be honest)\w+",
    r"(?:i|we)(?:'ll| will| shall) (?!have been|be able to tell|describe|mention|say|write about|summari[sz]e|now|never forget|see\b)",
    r"(?:i|we)(?:'m| am| are) going to",
    r"(?:i|we) (?:really |still |just )?(?:need|have|want|plan|intend|aim|ought|got) to (?!say|admit|mention|point|note|add|confess|describe)\w+",
    r"(?:i|we) (?:must|should) (?!have\b|'ve\b|say|admit|mention|point|note|add|confess)(?:not )?\w+",
    r"(?:i|we)(?:'d| would) (?:also |really )?like to (?!say|add|mention|point|thank|describe|share)\w+",
    r"my (?:goal|plan|aim|intention|resolution) (?:is|will be|for)",
    r"make sure (?:to|i|that i)",
    r"i(?:'m| am) (?:planning|determined|going) to",
    r"to ?do:",
)
_NOT_INTENTION = _rx(r"(?:i|we) (?:was|were) going to", r"if (?:i|we) had", r"would have", r"'d have")


# A quote may run to the end of a sentence whose closing mark the parser gave to the next one
# ('...exercises.' then '"'): an opening mark is followed by a non-space.
_QUOTED = re.compile(r'"(?=\S)[^"]*(?:"|\Z)|\u201c[^\u201d]*(?:\u201d|\Z)')


def _unquoted(x: Text) -> str:
    """Lower-cased text with quoted speech blanked out (same length, so offsets still hold).

    Speech is three words or more: a scare-quoted word ('I was "rejected"') is the writer's own.
    """
    return _QUOTED.sub(lambda m: " " * len(m.group()) if len(m.group().split()) >= 3 else m.group(), norm(x))


def has_intention(x: Text) -> bool:
    """A forward-looking plan ("next time I will...", "I need to practise..."), not a hypothetical past.

    Quoted speech ("we'll stop there", said the interviewer) is not the writer's plan.
    """
    t = _unquoted(x)
    if _NOT_INTENTION.search(t) and not re.search(r"next time|from now on|in (?:the )?future", t):
        return False
    return any(
        not re.search(r"(?:do|does)n't (?:really )?$|do not (?:really )?$", t[: m.start()])
        for m in INTENTION.finditer(t)
    )


def intention_bounds(x: Text) -> tuple[int, int] | None:
    """(start, end) character offsets in the sentence of the first intention phrase."""
    t = _unquoted(x)
    m = INTENTION.search(t)
    if not m:
        return None
    end = m.end()
    # "next time" + "i will" + "make sure to": the phrase runs on while the matches chain up.
    while (nxt := INTENTION.search(t, end)) and nxt.start() <= end + 2:
        end = nxt.end()
    return m.start() + len(m.group()) - len(m.group().lstrip(",;:(- \t\n")), end


# --- learning ---------------------------------------------------------------------------
LEARNING = _rx(
    r"(?:i|we) (?:have |'ve |also |finally |then |suddenly |only )?(?:realized|realised|learned|learnt|discovered|found out|understood|became aware|figured out|recognized|recognised|came to the conclusion)",
    r"now (?:i|we) (?:know|understand|see|realize|realise)",
    r"(?:i|we) (?:now )?know (?:now|what|that i|that we|how)",
    r"taught me", r"teaches me", r"(?:showed|shown|shows|made|helped|allowed) me (?:to )?(?:realize|realise|see|understand|find|learn|discover|know)",
    r"lessons? (?:learned|learnt)", r"(?:the|my|a|key|big|biggest|main) lesson (?:here|is that|for me|i (?:learned|learnt|took))",
    r"(?:key |main |biggest )?takeaways?", r"(?:i|we) (?:take|took) away",
    r"gave me (?:an? )?(?:insight|idea|experience|lesson|opportunity to (?:find out|learn|try|see))",
    r"(?:it|this|that) (?:was|is) a (?:good |great |valuable |useful )?(?:lesson|learning)",
    r"(?:i|we) (?:got|gained) (?:a lot of |some |valuable |new )?(?:experience|insight)",
    r"(?:i|we) (?:learn|realize|realise)\b(?! to)",
)


def has_learning(x: Text) -> bool:
    """An insight the writer gained ("I realised...", "lesson learned"), not "I didn't learn anything"."""
    return _search(LEARNING, norm(x), negatable=True)


# --- counterfactual self-criticism --------------------------------------------------------
COUNTERFACTUAL = _rx(
    r"(?:i|we) (?:really |definitely |probably |just )?(?:should|could|would|might|ought to)(?:n't| not)? (?:have|'ve)\b",
    r"(?:i|we)(?:'d|'d not) have",
    r"should(?:n't)?'ve", r"could'?ve", r"would'?ve",
    r"if only", r"(?:i|we) wish (?:i|we)(?:'d| had| could have)", r"if (?:i|we) had(?:n't| not)? (?!to\b)",
    r"kick(?:ed|ing)? myself", r"(?:stupid|dumb|silly|rookie|careless|idiotic) (?:mistake|error|of me)",
    r"why did(?:n't| not) (?:i|we)", r"(?:i|we) regret", r"my (?:own )?fault", r"beat(?:ing)? myself up",
    r"(?:it )?would have been (?:better|smarter|wiser)",
)
_NOT_COUNTERFACTUAL = _rx(r"(?:could|would)(?:n't| not) have (?:done|gone|asked for|prepared) (?:any )?(?:better|more)", r"(?:do|did)(?:n't| not) regret")


def is_counterfactual(x: Text) -> bool:
    """Self-critical "I should have...", "if only", "stupid mistake" (rumination cues)."""
    t = _NOT_COUNTERFACTUAL.sub(" ", norm(x))
    return bool(COUNTERFACTUAL.search(t))


# --- hedging and certainty --------------------------------------------------------------
HEDGES = _rx(
    r"i think", r"i guess", r"i suppose", r"i believe", r"maybe", r"perhaps", r"probably", r"possibly",
    r"kind of", r"kinda", r"sort of", r"somewhat", r"not (?:really |so |too |entirely |completely )?sure",
    r"(?:i|we) (?:do|did)(?:n't| not) (?:really )?know (?:if|whether)", r"i don't know", r"i do not know",
    r"unsure", r"might", r"may have", r"it seem(?:s|ed)", r"i feel like", r"hopefully", r"i doubt",
    r"not (?:entirely )?certain", r"more or less", r"i'm not confident", r"not confident", r"i hope",
)
CERTAINTY = _rx(
    r"i know", r"i knew", r"definitely", r"certainly", r"clearly", r"absolutely", r"surely", r"for sure",
    r"without (?:a |any )?doubt", r"no doubt", r"(?:i'm|i am|i was|i felt) (?:really |very |completely |totally )?(?:sure|certain|confident|convinced)",
    r"undoubtedly", r"of course", r"there is no question", r"100 ?%", r"nailed it", r"crushed it",
)


def count_hedges(x: Text) -> int:
    return len(HEDGES.findall(norm(x)))


def count_certainty(x: Text) -> int:
    t = norm(x)
    return sum(not negated(t, m.start(), window=2) for m in CERTAINTY.finditer(t))


# --- outcomes ---------------------------------------------------------------------------
OUTCOME_POS = _rx(
    r"got (?:the|an|a|my|that) (?:offer|job|position|internship|role)", r"(?:received|accepted|signed) (?:an|the|their|my) offer",
    r"offered me", r"(?:made|gave|extended) me (?:an|the) offer", r"got (?:hired|accepted|in)", r"hired me",
    r"(?:was|were|got) hired", r"passed (?:the|my|all)", r"made it (?:to|through)", r"moved (?:me )?(?:on|forward) to",
    r"advanc(?:ed|ing) to", r"invited (?:me )?(?:to|for|back)", r"got (?:a|the) callback", r"got through",
    r"land(?:ed|ing)? (?:a|an|my|the|that|this|\w+ (?:job|role|offer|position))", r"(?:got|getting|get|was) accepted", r"i(?:'m| am) (?:joining|starting at)", r"now (?:i|we)(?: work| run| lead)",
    r"now (?:i|we)(?:'m| am|'re| are) (?:working|employed|happily|part of|on the)\b",
    r"(?:i|we) now (?:work|run|lead)", r"now (?:work|working|at|headed|cofounder|co-founder|founder|ceo|cto)",
    r"went on to", r"ended up (?:at|there|working|getting|joining|founding)", r"got the (?:gig|yes)",
    # Indian English: "Selected for Microsoft SDE", "Cleared round 2"
    r"selected (?:for|as|at|by|in)", r"cleared (?:the |all |every |both )?(?:rounds?|interviews?|final|technical|hr|coding|online)",
    r"got (?:some |two |three |multiple |several |an? )?(?:job )?offers?", r"had an offer", r"(?:was|got) hired",
    r"hired (?:me|as|right away|by)", r"(?:i|we) (?:joined|founded|co-?founded|created|launched)",
    # where the writer is now: the end of a story told from a better place
    r"(?:i|we)(?:'m| am| are|'re) (?:now|currently|today) (?:a|an|the) [\w -]{0,40}\b(?:at|of|for|with) [a-z]+",
    r"(?:now|today|these days),? (?:i|we)(?:'m| am| are|'re) (?:a|an|the) [\w -]{0,40}\b(?:at|of|for|with) [a-z]+",
    r"currently (?:work|working|employed|at)", r"(?:i|we)(?: have|'ve) been (?:at|with|working at|working for) ",
    r"(?:today|these days),? (?:i|we)",
    # the writer's verdict on the interview itself
    r"went (?:really |very |pretty |quite |so |super )?(?:well|great|smoothly|fine)", r"nailed it",
)
OUTCOME_NEG = _rx(
    r"reject(?:ed|ion|ions|s)?", r"turned (?:me )?down", r"did(?:n't| not) (?:get|pass|make it|land|hear back)",
    r"not (?:to )?mov(?:e|ing) forward", r"no offer", r"failed (?:the|my)", r"ghosted", r"never heard back",
    r"unsuccessful", r"not selected", r"went with (?:another|a different|other) candidates?",
    r"decided not to (?:proceed|move|hire|continue)", r"(?:was|got) (?:let go|fired)", r"escorted out", r"bombed",
    r"(?:could|did)n't (?:even )?get (?:a|an|the|past|through)",
    r"(?:wasn't|weren't|was not|were not|not) (?:\w+ )?(?:hired|selected|accepted)",
    r"went (?:really |very |pretty |quite |so |super )?(?:badly|poorly|terribly|horribly|wrong)",
    r"fell apart", r"(?:was|went) (?:\w+ )?(?:a mess|a disaster|a trainwreck)",
    r"(?:never|not|n't|haven't|hasn't|wasn't|weren't)(?: \w+){0,2} selected",
    r"(?:couldn't|could not|didn't|did not|failed to|wasn't able to|was not able to) clear",
)


# Resilience and encouragement read as hopeful even though their words are negative
# ("never give up", "don't lose hope"): the lexicons score them below zero.
RESILIENCE = _rx(
    r"(?:don't|do not|never|won't|will not|not) (?:ever )?(?:give up|giving up|lose (?:hope|faith)|let (?:it|them|that|anyone|a|one)|get discouraged)",
    r"keep (?:going|fighting|trying|working|at it|applying|your head up|pushing)", r"kept (?:at it|going|trying|applying|interviewing)",
    r"stick with it", r"still not giving up", r"(?:i'm|i am) still (?:going|here|trying)", r"made me stronger",
    r"landed on my feet", r"(?:blessing|best thing) in disguise",
    # negated comparatives that mean the opposite of their words
    r"(?:could|can)(?:n't|not| not) (?:be )?(?:happier|prouder|more (?:excited|thrilled|grateful|pleased))",
    r"(?:could|can)(?:n't|not| not) (?:have )?asked? for (?:more|better|a better)", r"not bad at all",
)
# A sentence told from later on ("Now I write React all day at Globex.", "Years later, ..."):
# where readers judge the story.
LATER = re.compile(
    r"^\W*(?:now|today|these days|nowadays|currently|since then|ever since|eventually|in the end|fast forward"
    r"|(?:a|one|two|three|a few|a couple of|several|\d+) (?:weeks?|months?|years?) later|years later"
    r"|shortly after(?:wards)?)\b"
)
# ... that is not still down: "Since then I have not applied", "I'm still unemployed", "I gave up"
_STILL_DOWN = re.compile(r"\bstill\b|\b(?:gave|give|giving) up\b|\bquit\b")


def is_resilient(x: Text) -> bool:
    return bool(RESILIENCE.search(norm(x)))


def is_later_and_better(x: Text) -> bool:
    """Told from a later point and not still down: "Now I write Go all day at Globex"."""
    t = norm(x)
    return bool(LATER.search(t)) and not _NEG.search(t) and not _STILL_DOWN.search(t)


def outcome(x: Text) -> int:
    """+1 for a good outcome ("I got the offer"), -1 for a bad one ("they rejected me"), else 0.

    The later-success lines of rejection stories ("now I work at ...") count as good outcomes; when
    both occur the later one in the sentence wins, as in "rejected by X, now I lead Y".
    """
    t = _unquoted(x)  # "now we're going to...", said the interviewer: not the writer's outcome
    neg, pos = [], []
    inside_neg = []  # a good phrase inside a bad one is the bad one: "not yet been selected for"
    for m in OUTCOME_NEG.finditer(t):
        # "I wasn't rejected" is good news; other negative patterns carry their own negation.
        (pos if m.group().startswith("reject") and negated(t, m.start(), 2) else neg).append(m.start())
        inside_neg.append((m.start(), m.end()))
    pos += [m.start() for m in OUTCOME_POS.finditer(t)
            if not negated(t, m.start(), 2) and not any(a <= m.start() < b for a, b in inside_neg)]
    if not neg and not pos:
        return 0
    return 1 if max(pos, default=-1) > max(neg, default=-1) else -1
