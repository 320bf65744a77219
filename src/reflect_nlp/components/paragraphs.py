"""The ``reflect_paragraphs`` component: a blank line always ends a sentence.

Ingest writes one paragraph per heading, list item or block, separated by blank lines; the
parser alone would glue "Nervous again." onto the paragraph before it. Add it before the parser.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("reflect_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Mark the token after each blank line (a whitespace token with two newlines) as a sentence start."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc
