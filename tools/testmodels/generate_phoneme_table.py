"""Writes tests/assets/piper/expected-phonemes.json: Piper's phonemes and ids for a table of texts.

The oracle is piper_reference_phonemizer (espeak-ng's library, clause by clause, with Piper's rules), applied
with the real en_US-lessac-medium phoneme_id_map from the shared test assets. Hearsay's phonemizer, which
runs the espeak-ng program and finds clause boundaries itself, must produce the same sentences.

    /usr/bin/python3 tools/testmodels/generate_phoneme_table.py
"""

import json
import os
import pathlib

import piper_reference_phonemizer as reference

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ASSETS = pathlib.Path(os.environ.get("HEARSAY_TEST_ASSETS", REPO_ROOT.parent / "shared" / "models"))
VOICE_CONFIG = ASSETS / "piper" / "en_US-lessac-medium.onnx.json"
OUTPUT = REPO_ROOT / "tests" / "assets" / "piper" / "expected-phonemes.json"


def long_text(target_length):
    """A deterministic text of exactly target_length characters made of varied sentences."""
    sentences = [
        "The quick brown fox jumps over the lazy dog.",
        "Is this the 3rd time, or the 4th?",
        "She sells sea shells by the sea shore; the shells are surely seashells!",
        "At 7:45 p.m. the train, which was late, finally arrived.",
        "Numbers like 1,234 and 56.7 are read aloud: one by one.",
    ]
    text = ""
    index = 0
    while len(text) < target_length:
        text += sentences[index % len(sentences)] + " "
        index += 1
    text = text[:target_length]
    # End on a whole word so the cut itself adds no half-word.
    return text[: text.rstrip().rfind(" ")].rstrip() + "."


def unpunctuated_text(words):
    vocabulary = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike".split()
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


CASES = [
    ("simple", "Hello world."),
    ("clauses and sentences", "Hello world, this is a test. Is it working? Yes!"),
    # "what" alone in its clause has no stressed syllable: the espeak-ng program (Hearsay) gives it primary stress,
    # the library (Piper) does not. Hearsay's tests compare this case without stress marks.
    ("colon and semicolon", "Wait: what; really?", "stress"),
    ("no final punctuation", "Hello world"),
    ("trailing comma", "Well, then,"),
    ("numbers", "In 1984, 1,000,000 people paid 12.5% more on 3/4/2021."),
    ("decimals and money", "It costs $3.50, i.e. cheap."),
    ("abbreviations", "Dr. Smith lives at 221B Baker St. in London."),
    ("abbreviations before capitals", "Mr. and Mrs. Jones met at 5 p.m. Today was nice."),
    ("latin abbreviations", "Bring fruit, e.g. apples, etc. Then leave."),
    ("time and contractions", "It's 9:30 a.m.; don't be late!"),
    ("non-ascii", "Café déjà vu — naïve?"),
    ("accents", "Zoë's façade: crème brûlée, jalapeño, Ångström."),
    ("en dash", "Monday – Friday, nine – five."),
    ("ellipsis", "Hello... world."),
    ("unicode ellipsis", "Well… maybe."),
    ("repeated marks", "Wow!! Really?! No way."),
    ("quotes and brackets", "\"Hello,\" she said. (Quietly.) 'Bye.'"),
    ("emoji and symbols", "Smile 😀 & wave @ 5 o'clock."),
    ("paragraphs", "First paragraph\n\nSecond paragraph"),
    ("single newline", "Line one\nline two."),
    ("windows newlines", "One.\r\nTwo.\r\n\r\nThree"),
    ("square brackets", "Use [[brackets]] carefully."),
    # Other espeak voices, with the same phoneme_id_map (Piper's multilingual voices share it): NFD matters here,
    # e.g. German "ç" becomes "c" + U+0327.
    ("german", "Ich möchte das nicht. Grüße aus Köln!", None, "de"),
    ("french", "Ça va très bien, merci ; et vous ?", None, "fr"),
    ("spanish", "¿Dónde está el niño? ¡Mañana!", None, "es"),
    ("empty", ""),
    ("whitespace only", "   \n\t  "),
    ("punctuation only", "..."),
    ("long unpunctuated clause", unpunctuated_text(400)),
    ("10000 characters", long_text(10000)),
]


def transcript_cases():
    """The real recordings' reference transcripts: ordinary English as people write it."""
    rows = (ASSETS / "audio" / "transcripts.tsv").read_text(encoding="utf-8").splitlines()
    return [(f"transcript {name}", text.strip()) for name, text in (row.split("\t", 1) for row in rows if "\t" in row)]


def main():
    config = json.loads(VOICE_CONFIG.read_text(encoding="utf-8"))
    id_map = config["phoneme_id_map"]
    voice = config["espeak"]["voice"]
    cases = []
    for name, text, *options in CASES + transcript_cases():
        known_difference = options[0] if options else None
        case_voice = options[1] if len(options) > 1 else voice
        sentences = reference.phonemize(text, case_voice)
        case = {
            "name": name,
            "text": text,
            "sentences": [{"phonemes": p, "phoneme_ids": reference.phoneme_ids(p, id_map)} for p in sentences],
        }
        if case_voice != voice:
            case["espeak_voice"] = case_voice
        if known_difference:
            case["known_difference"] = known_difference
        cases.append(case)
    document = {
        "generator": "tools/testmodels/generate_phoneme_table.py",
        "espeak_ng_version": reference.espeak_version(),
        "voice_config": "piper/en_US-lessac-medium.onnx.json",
        "cases": cases,
    }
    # One case per line: readable diffs without one line per id.
    header = json.dumps({k: v for k, v in document.items() if k != "cases"}, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(case, ensure_ascii=False) for case in cases)
    OUTPUT.write_text(f'{header}, "cases": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {len(cases)} cases")


if __name__ == "__main__":
    main()
