"""The online training modules: short lessons with a question each, read from the JSON files beside this module.

The content is the same in every city and changes with the code, reviewed like it: it lives in
`training/*.json` (one file per module, `sources.json` for the documents they cite), not in the database,
so a city created tomorrow has it at once and no migration has to copy it into each city. What is per
person — the lessons done and the modules completed — is stored (`LessonDone`, `ModuleCompleted`), by the
module's and the lesson's slug. Each lesson's question has one right answer and a feedback for every answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).with_name("training")


@dataclass(frozen=True)
class Answer:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    text: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Lesson:
    slug: str
    number: int
    title: str
    body: tuple[str, ...]
    say: tuple[str, ...]
    not_say: tuple[str, ...]
    question: Question | None


@dataclass(frozen=True)
class OnlineModule:
    slug: str
    title: str
    summary: str
    minutes: int
    introductory: bool
    sources: tuple[str, ...]
    lessons: tuple[Lesson, ...]

    def lesson(self, number: int) -> Lesson | None:
        return self.lessons[number - 1] if 1 <= number <= len(self.lessons) else None


def _question(data: dict | None) -> Question | None:
    if not data:
        return None
    return Question(text=data["text"], answers=tuple(Answer(a["text"], bool(a["correct"]), a["feedback"]) for a in data["answers"]))


def _module(data: dict, sources: dict[str, str]) -> OnlineModule:
    lessons = tuple(
        Lesson(
            slug=item["slug"],
            number=number,
            title=item["title"],
            body=tuple(item["body"]),
            say=tuple(item.get("say", ())),
            not_say=tuple(item.get("not_say", ())),
            question=_question(item.get("question")),
        )
        for number, item in enumerate(data["lessons"], start=1)
    )
    return OnlineModule(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        minutes=int(data["minutes"]),
        introductory=bool(data.get("introductory")),
        sources=tuple(sources[key] for key in data["sources"]),
        lessons=lessons,
    )


@cache
def online_modules() -> tuple[OnlineModule, ...]:
    """Every online module, in the order of their file names (the introductory one first)."""
    sources = json.loads((FOLDER / "sources.json").read_text(encoding="utf-8"))
    files = sorted(path for path in FOLDER.glob("*.json") if path.name != "sources.json")
    return tuple(_module(json.loads(path.read_text(encoding="utf-8")), sources) for path in files)


def online_module(slug: str) -> OnlineModule | None:
    return next((module for module in online_modules() if module.slug == slug), None)


def introductory_module() -> OnlineModule:
    return next(module for module in online_modules() if module.introductory)
