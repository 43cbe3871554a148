"""Each catalog says each product term with its own glossary's word (locales/<lang>/glossary.toml):
a German fee is always a "Gebühr", never a "Strafgebühr"; an Arabic reschedule never نقل. Where an
English string uses a glossary term, its translation uses that language's word for it; a word the
glossary rules out appears nowhere. Right-to-left catalogs isolate what they interpolate."""

import glob
import os
import re
import tomllib

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGS = sorted(glob.glob(os.path.join(ROOT, "locales", "*", "LC_MESSAGES", "messages.po")))
RTL = {"ar", "he", "fa", "ur"}
ISOLATED = re.compile("\u2068[^\u2069]*\u2069")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def language(path):
    return path.split(os.sep)[-3]


def glossary(lang):
    with open(os.path.join(ROOT, "locales", lang, "glossary.toml"), "rb") as f:
        return tomllib.load(f)["terms"]


def entries(path):
    """(English texts, translated forms) of every entry: singular and plural, every form."""
    with open(path, "rb") as f:
        for message in read_po(f):
            if message.id:
                english = (message.id,) if isinstance(message.id, str) else message.id
                forms = (message.string,) if isinstance(message.string, str) else message.string
                yield message, english, forms


def uses(english, term):
    """Whether the English uses the term in its words (a placeholder's name such as %(professional)s is no word)."""
    return any(re.search(term["english"], PLACEHOLDER.sub("", text), re.IGNORECASE) for text in english)


def says(forms, words):
    return any(word.casefold() in form.casefold() for form in forms for word in words)


@pytest.mark.parametrize("path", CATALOGS, ids=language)
def test_every_catalog_has_a_glossary_for_the_products_terms(path):
    terms = glossary(language(path))
    for name in (
        "session",
        "request",
        "waitlist",
        "client",
        "professional",
        "workstation",
        "cancel",
        "reschedule",
        "late cancellation",
        "charge",
        "fee",
        "hub",
    ):
        assert terms.get(name, {}).get("use"), f"{language(path)}: no word for {name!r}"


@pytest.mark.parametrize("path", CATALOGS, ids=language)
def test_translations_use_the_glossarys_word_for_each_term(path):
    terms = glossary(language(path))
    problems = []
    for message, english, forms in entries(path):
        for name, term in terms.items():
            if english[0] in term.get("paraphrased", ()) or not uses(english, term):
                continue
            if not says(forms, term["use"]):
                problems.append((name, english[0], forms[0]))
    assert not problems, problems[:5]


@pytest.mark.parametrize("path", CATALOGS, ids=language)
def test_no_translation_uses_a_word_the_glossary_rules_out(path):
    terms = glossary(language(path))
    problems = [
        (name, english[0], word)
        for message, english, forms in entries(path)
        for name, term in terms.items()
        for word in term.get("never", ())
        if says(forms, [word]) and (not term.get("never_only_for_term") or uses(english, term))
    ]
    assert not problems, problems[:5]


@pytest.mark.parametrize("path", [p for p in CATALOGS if language(p) in RTL], ids=language)
def test_right_to_left_catalogs_isolate_every_interpolated_text(path):
    """A Latin name or email inside Arabic text is drawn in its own direction, so "<name@example.org>"
    does not come out mirrored: each %(…)s sits inside FSI … PDI (U+2068 … U+2069)."""
    problems = [
        (english[0], form)
        for message, english, forms in entries(path)
        for form in forms
        if re.search(r"%\(\w+\)s", ISOLATED.sub("", form))
    ]
    assert not problems, problems[:5]
