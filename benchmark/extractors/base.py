"""What an extractor is, how `--extractor` names one, and how its output is checked.

An extractor is any callable that takes one document (an object with ``doc_id`` and ``text``;
`evbench run` passes a `benchmark.input.corpus.Document`, which also has ``segments``) and returns its
events as submission-format dicts::

    {"type": "Contact.Meet", "realis": "actual",
     "trigger": {"start": 10, "end": 15, "text": "لقاء"},
     "arguments": [{"role": "Participant", "start": 0, "end": 6, "text": "لافروف"}]}

``id`` may be left out (the harness numbers events ``e1``, ``e2``, ... in order); ``realis``,
``arguments`` and ``cluster`` are optional. Offsets are Python ``str`` indices, half-open.

`--extractor` takes a built-in short name (``lexicon``, ``llm``, ``supervised``, ``majority``) or
``package.module:attr``. A class is instantiated first: with ``corpus=<the Corpus>`` when its
constructor accepts ``corpus``, plus the ``--option KEY=VALUE`` pairs as keyword arguments.
Anything else is used as it is.

A **trainable** extractor also has ``fit(train_documents)`` (`Trainable`): a sequence of
`TrainingDocument` (text, segments, gold events and entities). `evbench run` scores it
leave-one-document-out (`benchmark.extractors.harness.cross_validate`): for each document a fresh
extractor is built, fitted on the other documents only, and asked for that one document.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from benchmark.input.problems import InputError, Problem
from scorers.model import DocumentAnnotation, Entity, EventMention

BUILTIN = {
    "lexicon": "benchmark.extractors.lexicon:LexiconExtractor",
    "llm": "benchmark.extractors.llm:LLMExtractor",
    "supervised": "benchmark.extractors.supervised:SupervisedExtractor",
    "majority": "benchmark.extractors.majority:MajorityExtractor",
}


@runtime_checkable
class InputDocument(Protocol):
    """The least an extractor may rely on."""

    doc_id: str
    text: str


@runtime_checkable
class Extractor(Protocol):
    """Takes one document, returns its events as submission-format dicts."""

    def __call__(self, document: InputDocument) -> list[dict]: ...


@dataclass(frozen=True)
class TrainingDocument:
    """One document a trainable extractor may learn from: its text and its gold annotation.

    It has ``doc_id``, ``text`` and ``segments`` like the documents an extractor is asked about,
    so the same tokenisation serves training and prediction.
    """

    doc_id: str
    text: str
    segments: tuple[Any, ...]
    events: tuple[EventMention, ...]
    entities: tuple[Entity, ...]

    @classmethod
    def of(cls, document: Any, annotation: DocumentAnnotation) -> TrainingDocument:
        return cls(document.doc_id, document.text, tuple(getattr(document, "segments", ()) or ()), annotation.events, annotation.entities)


@runtime_checkable
class Trainable(Protocol):
    """An extractor that learns: `fit` is called once, before any document is extracted."""

    def fit(self, documents: Sequence[TrainingDocument]) -> None: ...


def is_trainable(obj: Any) -> bool:
    """True when `obj` (a class or an extractor) has a callable ``fit``."""
    return callable(getattr(obj, "fit", None))


class ExtractorError(Exception):
    """An extractor could not produce events for a document (server down, bad configuration).

    ``fatal`` (the default): every document would fail the same way, so the harness stops the
    run with a Problem naming the document and the CLI exits 2 with one line instead of a
    traceback. ``fatal=False``: only this document failed (a timeout, a server error on this
    request); the harness records it, goes on, and `evbench run` fails only when more than
    ``--max-failed-share`` of the documents failed. ``fix`` replaces the generic fix hint.
    Bugs in an extractor are ordinary exceptions and keep their traceback.

    An extractor that degrades instead of raising (an unparseable answer for one chunk still
    leaves the others) may keep a list ``failed_requests`` of messages; the harness counts a
    document as failed when that list grew while the document ran.
    """

    def __init__(self, message: str, *, fatal: bool = True, fix: str | None = None) -> None:
        super().__init__(message)
        self.fatal = fatal
        self.fix = fix


def resolve(spec: str) -> Any:
    """Import the object named by a built-in short name or ``package.module:attr``."""
    target = BUILTIN.get(spec, spec)
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise InputError([Problem("--extractor", "", f"{spec!r} is neither a built-in extractor nor package.module:callable",
                                  f"use one of {', '.join(sorted(BUILTIN))}, or e.g. mypkg.extract:run")])
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError([Problem("--extractor", "", f"cannot import module {module_name!r}: {exc}",
                                  "install the package or add its directory to PYTHONPATH")]) from None
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError([Problem("--extractor", "", f"module {module_name!r} has no attribute {attr!r}", "check the name after the colon")])
        obj = getattr(obj, part)
    if not callable(obj):
        raise InputError([Problem("--extractor", "", f"{spec!r} is not callable", "name a function, a class or a callable object")])
    return obj


def instantiate(obj: Any, corpus: Any = None, options: Mapping[str, Any] | None = None) -> Callable[[InputDocument], Iterable[dict]]:
    """Turn what `resolve` found into an extractor: classes are constructed, the rest is used as is."""
    options = dict(options or {})
    if inspect.isclass(obj):
        params = inspect.signature(obj).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        unknown = [k for k in options if k not in params and not takes_any]
        if unknown:
            allowed = ", ".join(n for n, p in params.items() if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and n != "corpus")
            raise InputError([Problem("--option", "", f"{obj.__name__} takes no option {', '.join(map(repr, unknown))}",
                                      f"use one of: {allowed or '(none)'}")])
        if "corpus" in params or takes_any:
            options.setdefault("corpus", corpus)
        return obj(**options)
    if options:
        raise InputError([Problem("--option", "", f"{getattr(obj, '__name__', obj)!r} is not a class, so it cannot take options",
                                  "drop --option, or name a class whose constructor takes them")])
    return obj


def system_name(extractor: Any, spec: str) -> str:
    """The name written into the submission: the extractor's ``name`` attribute, else the spec."""
    name = getattr(extractor, "name", None)
    return name if isinstance(name, str) and name else spec


def normalise_output(events: object, doc_id: str, spec: str) -> dict:
    """Wrap one document's events as a submission document object, numbering events without id.

    Anything that is not a list of dicts is reported as a Problem naming the document.
    """
    where = f"extractor {spec} on document {doc_id}"
    if isinstance(events, tuple) or (not isinstance(events, (list, dict, str, bytes)) and isinstance(events, Iterable)):
        events = list(events)
    if not isinstance(events, list):
        raise InputError([Problem(where, "", f"returned a {type(events).__name__}, not a list of event dicts", "return a list (possibly empty) of submission-format event objects")])
    out = []
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise InputError([Problem(where, f"$.events[{i}]", f"event is a {type(event).__name__}, not a dict", "return each event as a submission-format object")])
        if "id" not in event:
            event = {"id": f"e{i + 1}", **event}
        out.append(_plain_strings(event))
    return {"doc_id": doc_id, "events": out}


def _plain_strings(value: Any) -> Any:
    """The value with every str subclass (``numpy.str_`` from a trained model's labels) made a plain str.

    Validation interns type and role names, which only a plain str allows; anything else is left
    for validation to judge.
    """
    if isinstance(value, str):
        return value if type(value) is str else str(value)
    if isinstance(value, dict):
        return {_plain_strings(k): _plain_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_strings(v) for v in value]
    return value
