"""Generate a realistic synthetic interview journal for benchmarks.

Each entry is a Markdown note with YAML front matter and 150-300 words built from varied
templated sentences: weak spots, feelings, plans, counterfactuals, hedges and technical
narration. Deterministic for a given seed.

Example:
    python benchmarks/gen_journal.py /tmp/journal --entries 1000 --seed 7
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

COMPANIES = [
    "Initech", "Globex", "Umbrella Health", "Hooli", "Stark Industries", "Wayne Enterprises",
    "Acme Corp", "Vandelay Imports", "Soylent", "Cyberdyne", "Tyrell Labs", "Wonka Foods",
    "Pied Piper", "Massive Dynamic", "Aperture Science", "Oscorp", "Dunder Mifflin", "Nakatomi",
]
ROLES = ["backend engineer", "data scientist", "frontend developer", "SRE", "ML engineer",
         "product analyst", "platform engineer", "full-stack developer", "data engineer"]
STAGES = ["phone screen", "technical screen", "onsite", "system design", "behavioral", "final round", "take-home review"]
OUTCOMES = ["offer", "rejected", "pending", "no response", "withdrawn"]
TOPICS = ["dynamic programming", "graph traversal", "SQL joins", "system design", "caching",
          "rate limiting", "binary search", "concurrency", "REST API design", "database indexing",
          "A/B testing", "feature engineering", "Kubernetes", "load balancing", "hash maps",
          "recursion", "message queues", "gradient boosting", "time complexity", "unit testing"]
SYSTEMS = ["a URL shortener", "a chat service", "a news feed", "a payment pipeline", "a search index",
           "a ride-sharing backend", "a metrics dashboard", "a recommendation engine", "a file sync tool"]
FEELINGS = ["nervous", "anxious", "confident", "frustrated", "calm", "overwhelmed", "relieved",
            "embarrassed", "excited", "tired", "proud", "rushed", "uneasy", "hopeful"]
PEOPLE = ["the interviewer", "the hiring manager", "the tech lead", "the recruiter", "the senior engineer", "the panel"]
PLANS = ["ask clarifying questions before writing code", "practise mock interviews twice a week",
         "prepare three STAR stories about conflict", "think out loud while I code",
         "review the company's product before the call", "write down the requirements first",
         "slow down and pause before answering", "test my code with edge cases",
         "prepare questions for the interviewer", "send a thank-you note the same day",
         "time-box the brute force solution", "draw the architecture before diving in"]
N = ["five", "ten", "fifteen", "twenty", "thirty", "forty-five"]

TEMPLATES = {
    "weak": [
        "My mind went blank when {person} asked about {topic}.",
        "I rambled for too long on the {topic} question and lost the thread.",
        "I forgot to ask clarifying questions before I started coding.",
        "I ran out of time on the {topic} problem and never tested my solution.",
        "I didn't ask {person} any questions at the end.",
        "I struggled to explain my approach to {topic} clearly.",
        "I jumped straight into code without a plan.",
        "I talked too fast and {person} had to ask me to repeat myself.",
        "I couldn't remember the time complexity of my own solution.",
        "My answer about my biggest weakness sounded rehearsed and vague.",
        "I got defensive when {person} pushed back on my design.",
        "I never mentioned the trade-offs of {topic}.",
    ],
    "feeling": [
        "I felt {feeling} during the {stage}.",
        "Honestly I was {feeling} the whole time.",
        "After the call I felt {feeling} but also a bit {feeling2}.",
        "Walking in, I was {feeling}, which did not help.",
        "By the end I felt {feeling} about how it went.",
    ],
    "plan": [
        "Next time I will {plan}.",
        "Before the next interview I want to {plan}.",
        "Going forward, I need to {plan}.",
        "My plan for next week is to {plan}.",
    ],
    "counterfactual": [
        "I should have {plan}.",
        "If I had prepared {topic} better, I would have been fine.",
        "I wish I had taken a moment to {plan}.",
    ],
    "hedge": [
        "I think it went okay, maybe.",
        "It is possible that they liked my answer on {topic}, but I am not sure.",
        "I guess the coding part was fine, sort of.",
        "I definitely nailed the {topic} question.",
        "I am certain my explanation of {topic} was correct.",
    ],
    "tech": [
        "{person_cap} asked me to design {system}.",
        "We spent about {n} minutes on {topic}.",
        "The coding question was a variation of a classic {topic} problem.",
        "I proposed using {topic} to keep latency low, and we discussed how it would scale.",
        "The second half was about {topic} and how I would monitor {system}.",
        "I wrote a solution in Python, then walked through a few test cases.",
        "They asked how I would handle failures in {system}.",
        "The {stage} had two parts: a short chat and a live coding exercise.",
        "We talked about my last project, where I migrated a service to {topic}.",
    ],
    "positive": [
        "The conversation about {topic} went really well.",
        "{person_cap} seemed genuinely interested in my project.",
        "I explained my approach clearly and caught a bug before they did.",
        "I handled the follow-up on {topic} better than last time.",
        "I sent a thank-you email to {person} afterwards.",
    ],
}
WEIGHTS = {"weak": 3, "feeling": 2, "plan": 2, "counterfactual": 1, "hedge": 2, "tech": 5, "positive": 2}


def sentence(rng: random.Random, kind: str, stage: str) -> str:
    person = rng.choice(PEOPLE)
    feeling, feeling2 = rng.sample(FEELINGS, 2)
    return rng.choice(TEMPLATES[kind]).format(
        person=person, person_cap=person[0].upper() + person[1:], topic=rng.choice(TOPICS),
        system=rng.choice(SYSTEMS), feeling=feeling, feeling2=feeling2, plan=rng.choice(PLANS),
        n=rng.choice(N), stage=stage,
    )


def entry(rng: random.Random, i: int, start: dt.date) -> tuple[str, str]:
    """Return (file name, Markdown text) for entry number ``i``."""
    company, stage = rng.choice(COMPANIES), rng.choice(STAGES)
    date = start + dt.timedelta(days=i // 3)
    target = rng.randint(150, 300)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    paragraphs, para, words = [], [], 0
    while words < target:
        s = sentence(rng, rng.choices(kinds, weights)[0], stage)
        para.append(s)
        words += len(s.split())
        if len(para) >= rng.randint(3, 6):
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    front = (
        f"---\ndate: {date.isoformat()}\ncompany: {company}\nrole: {rng.choice(ROLES)}\n"
        f"stage: {stage}\noutcome: {rng.choice(OUTCOMES)}\nself_rating: {rng.randint(1, 5)}\n---\n\n"
    )
    slug = company.lower().replace(" ", "-")
    return f"{date.isoformat()}-{i:05d}-{slug}.md", front + "\n\n".join(paragraphs) + "\n"


def generate(out: Path, entries: int, *, seed: int = 7, start: dt.date = dt.date(2023, 1, 2)) -> list[Path]:
    """Write ``entries`` notes into ``out`` (created if needed) and return their paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(entries):
        name, text = entry(rng, i, start)
        p = out / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    paths = generate(args.out, args.entries, seed=args.seed)
    print(f"wrote {len(paths)} entries to {args.out}")


if __name__ == "__main__":
    main()
