"""Words that label ratings, stances and levels, the same in every output mode.

Badges are words, not colours, so they read right in a pipe, without colour
and to a screen reader; colour only repeats what the word says.
"""

from __future__ import annotations

from backcare.models import Level, Rating, Stance

DISCLAIMER = (
    "backcare offers general self-care information for adults (16 and over). It is not a"
    " substitute for professional medical advice, diagnosis or treatment. If you have any"
    " warning sign (run 'backcare red-flags'), see a doctor; in an emergency call 999, 911"
    " or 112."
)

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


NO_SELF_CARE = "No self-care list is shown: these signs need help now, not home remedies."
