"""Errors a user can cause. Each message says what went wrong and what to do about it.

Only ``cli.py`` turns these into exit codes (each class's ``exit_code``; docs/ERRORS.md).
"""
from __future__ import annotations


class ReflectError(Exception):
    """Base class for every error reflect-nlp raises on purpose."""

    exit_code = 1


class JournalNotFoundError(ReflectError):
    """The journal path does not exist."""

    exit_code = 2


class EmptyJournalError(ReflectError):
    """The journal exists but holds no readable reflection."""

    exit_code = 3


class ModelNotFoundError(ReflectError):
    """No spaCy English model is installed (the message says how to install one)."""

    exit_code = 4


class TaxonomyError(ReflectError):
    """A taxonomy file is malformed (the message names the file and line)."""

    exit_code = 5


class OutputError(ReflectError):
    """The output folder or store cannot be written."""

    exit_code = 6
