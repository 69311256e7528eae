"""Words that label ratings, stances and levels, the same in every output mode.

Badges are words, not colours, so they read right in a pipe, without colour
and to a screen reader; colour only repeats what the word says.
"""

from __future__ import annotations

from backcare.models import (
    Duration,
    Evidence,
    Layer,
    Level,
    Quality,
    Rating,
    ReviewLevel,
    Stance,
    Strength,
)


def disclaimer(emergency: str, inferred_region: str | None = None) -> str:
    """The disclaimer printed on every run, naming the emergency number to call.

    ``inferred_region`` names the region when it was guessed from the locale, so
    that someone elsewhere sees the guess and how to change it.
    """
    text = (
        "backcare offers general self-care information for adults (16 and over) who are"
        " not pregnant. It is not a substitute for professional medical advice, diagnosis"
        " or treatment. If you have any warning sign (run 'backcare red-flags'), see a"
        f" doctor; in an emergency call {emergency}."
    )
    if inferred_region:
        text += (
            f" Numbers are for {inferred_region}, going by your locale; set your region"
            " with --region or 'backcare config'."
        )
    return text


DISCLAIMER = disclaimer("999 (UK), 911 (US) or 112 (EU)")


def layer_state(layer: Layer) -> str:
    """Whether a layer's folder exists, as ``paths`` says it: exists, missing, cannot be read."""
    if layer.problem:
        return f"cannot be read: {layer.problem} (BC013)"
    return "exists" if layer.exists else "missing"


def short_disclaimer(emergency: str, inferred_region: str | None = None) -> str:
    """The disclaimer in one or two lines, for the end of a person's terminal output."""
    text = (
        "Self-care for adults 16+ who are not pregnant; not medical advice."
        f" Warning signs: 'backcare red-flags'. Emergency: call {emergency}."
    )
    if inferred_region:
        text += f" Numbers: {inferred_region} (your locale; see --region)."
    return text


SHORT_DISCLAIMER = short_disclaimer("999 (UK), 911 (US) or 112 (EU)")


RATING_BADGES: dict[Rating, str] = {
    Rating.SUPPORTED: "SUPPORTED",
    Rating.CONDITIONAL: "CONDITIONAL",
    Rating.MIXED: "MIXED",
    Rating.AGAINST: "AGAINST",
    Rating.UNASSESSED: "UNASSESSED",
}

RATING_MEANINGS: dict[Rating, str] = {
    Rating.SUPPORTED: "a guideline recommends it",
    Rating.CONDITIONAL: "a guideline says consider it, or only alongside exercise",
    Rating.MIXED: "guidelines disagree, or differ by topic",
    Rating.AGAINST: "a guideline advises against it",
    Rating.UNASSESSED: "guidelines say nothing either way",
}

RATING_STYLES: dict[Rating, str] = {
    Rating.SUPPORTED: "bold green",
    Rating.CONDITIONAL: "cyan",
    Rating.MIXED: "yellow",
    Rating.AGAINST: "bold red",
    Rating.UNASSESSED: "dim",
}

STANCE_WORDS: dict[Stance, str] = {
    Stance.RECOMMENDED: "Recommended",
    Stance.CONSIDER: "Consider",
    Stance.ONLY_WITH_EXERCISE: "Only with exercise",
    Stance.NOT_RECOMMENDED: "Not recommended",
    Stance.INSUFFICIENT_EVIDENCE: "Insufficient evidence",
    Stance.NOT_ADDRESSED: "Not addressed",
}

# How an evidence entry says what pain it is about; chronic-only entries set no rating.
DURATION_WORDS: dict[Duration, str] = {
    Duration.ACUTE: "acute and subacute pain",
    Duration.CHRONIC: "chronic pain only; not counted in the rating",
    Duration.ANY: "",
}
STRENGTH_WORDS: dict[Strength, str] = {
    Strength.STRONG: "strong recommendation",
    Strength.WEAK: "weak recommendation",
}
QUALITY_WORDS: dict[Quality, str] = {
    Quality.HIGH: "high-quality evidence",
    Quality.MODERATE: "moderate-quality evidence",
    Quality.LOW: "low-quality evidence",
}
REVIEW_WORDS: dict[ReviewLevel, str] = {
    ReviewLevel.ADVICE: "a pharmacist or an advice line",
    ReviewLevel.DOCTOR: "a doctor",
}


def qualifiers(e: Evidence) -> list[str]:
    """What an evidence entry is about and how strong it is, in words: topic first."""
    words = [e.topic or "", DURATION_WORDS[e.duration]]
    words.append(STRENGTH_WORDS[e.strength] if e.strength else "")
    words.append(QUALITY_WORDS[e.quality] if e.quality else "")
    return [w for w in words if w]


def after(days: int) -> str:
    """A review point's time in words: ``after about 2 weeks``."""
    if days % 7 == 0:
        weeks = days // 7
        return f"after about {weeks} week{'s' * (weeks != 1)}"
    return f"after about {days} day{'s' * (days != 1)}"


LEVEL_LABELS: dict[Level, str] = {
    Level.EMERGENCY: "EMERGENCY",
    Level.URGENT: "URGENT",
    Level.SOON: "SEE A DOCTOR SOON",
}

LEVEL_STYLES: dict[Level, str] = {
    Level.EMERGENCY: "bold white on red",
    Level.URGENT: "bold black on yellow",
    Level.SOON: "bold cyan",
}

NO_FLAGS_HEADING = "No warning signs: self-care is reasonable"
NO_FLAGS_NEXT = (
    "Start with 'backcare suggest --cause CAUSE' or 'backcare suggest --symptom SYMPTOM'"
    " (see 'backcare causes' and 'backcare symptoms'). If anything changes, run"
    " 'backcare check' again."
)

# ``suggest``'s title for the remedies listed under a warning-sign card. It lists
# every remedy that matches, those rated AGAINST too: it promises no relief.
AFTER_CARD_TITLE = "Once you have arranged that, remedies that match (check each one's rating)"
SUGGEST_TITLE = "Suggested remedies"

# Section headings of ``show`` that depend on whether the remedy cites the article.
ARTICLE_SOURCE = "article"
DESCRIPTION_HEADINGS = ("What the article says", "Description")
FOR_HEADINGS = ("The article suggests it for", "Suggested for")
GUIDELINES_HEADING = "What the guidelines say"
OTHER_EVIDENCE_HEADING = "Other evidence"
MIXED_POINTER = "see 'backcare show SLUG' for which"


def rating_legend() -> list[tuple[str, str]]:
    """(badge, meaning) for every rating, in order of support."""
    return [
        (
            RATING_BADGES[r],
            RATING_MEANINGS[r] + (f" ({MIXED_POINTER})" if r is Rating.MIXED else ""),
        )
        for r in Rating
    ]


def embedded(sentence: str) -> str:
    """A sentence as the tail of another: its first letter lower-cased, unless an acronym."""
    first = sentence.split(" ", 1)[0]
    if first == "A" or (first[:1].isupper() and first[1:].islower()):
        return sentence[0].lower() + sentence[1:]
    return sentence


# The titles of ``causes`` and ``symptoms``: the causes are the article's view.
TERM_TITLES = {"causes": "Causes the article names", "symptoms": "Symptoms"}
CAUSES_NOTE = "These are the causes the article names, not causes a guideline has established."
RECOVERY_TITLE = "What to expect"
REVIEW_TITLE = "When to get it looked at"

NO_SELF_CARE = "No self-care list is shown: these signs need help now, not home remedies."

# ``search``: warning signs its words touch without naming them.
TO_CHECK_TITLE = "To check"
TO_CHECK_INTRO = (
    "Some of your words touch these warning signs. If one of them applies to you, act on it:"
)


def matched_words(words: tuple[str, ...]) -> str:
    """The words of a search that touched a sign: ``your words: weight, loss``."""
    return "your words: " + ", ".join(words)


# ``check``, asked one question at a time.
CHECK_INTRO = (
    "Answer each question with y (yes), n (no), ? (not sure) or b (back one question)."
    " Emergency signs come first."
)
CHECK_PROMPT = "[y/n/?/b]"
CHECK_ANSWER_AGAIN = "Please answer y (yes), n (no), ? (not sure) or b (back)."
CHECK_FIRST_QUESTION = "This is the first question; there is no answer to go back to."
CHECK_UNSURE_EMERGENCY = (
    "Not sure counts as yes for an emergency sign: it is safer to be checked now"
    " and told it is nothing."
)
CHECK_UNSURE = "Not sure counts as yes, to be safe."


def check_scope_then(count: int) -> str:
    """Said after an answer that puts someone outside the guide: what is still asked."""
    return f"Only the {count} emergency questions follow, because they matter for everyone."


CHECK_INCOMPLETE = (
    "You stopped before every question was answered; this is what your answers so far mean."
)


def question_number(number: int, total: int, *, about_you: bool = False) -> str:
    """Progress through ``check``: ``About you, 1 of 2``, then ``Question 3 of 20``."""
    return f"{'About you,' if about_you else 'Question'} {number} of {total}"


NOT_FOR_YOU_HEADING = "This guide is not written for you"

UNSURE_HEADING = "You were not sure about (counted as yes):"
INCOMPLETE_HEADING = "Screening incomplete"
INCOMPLETE_NONE = (
    "No warning sign among your answers so far, but not every emergency question was answered."
)
NOT_ASKED_EMERGENCY = "Not asked yet: with any of these,"
NOT_ASKED_OTHERS = (
    "Also not asked: {count} other question{s}; run 'backcare check' again to finish."
)
WATCH_FOR = "Watch for these emergency signs from now on. With any of them,"


def read_as(text: str, names: list[str]) -> str:
    """How ``suggest`` read a symptom written in words: as the warning signs they name."""
    signs = "; ".join(names)
    return f"'{text}' reads as the warning sign{'s' * (len(names) != 1)}: {signs}."
