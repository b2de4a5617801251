"""Reference Piper phonemizer: the independent oracle for Hearsay's phonemizer tests.

Hearsay runs the `espeak-ng` *program* (it must stay out of process, see DESIGN decision 4) and splits
text into clauses itself. This module does it the way Piper does: it calls the espeak-ng *library*
(`espeak_TextToPhonemes`, one clause per call, espeak's own clause splitter) through ctypes and applies
Piper's rules to each clause:

* the phonemes are NFD-decomposed (so "ç" becomes "c" + U+0327), language-switch flags such as "(fr)"
  are removed (as piper1-gpl does);
* the punctuation that ended the clause is appended: "." "?" "!" end the sentence; "," ":" ";" and the
  en/em dashes (espeak classes them as semicolons) append the mark and a space and keep the sentence open;
* a clause that ends without punctuation (end of text, a blank line) ends the sentence with nothing added.

Stock espeak-ng lacks Piper's `espeak_TextToPhonemesWithTerminator`, so the terminator is read from the
text the clause consumed (espeak advances the pointer one character past the clause's end).

Deliberate deviations from Piper, shared with Hearsay: an ellipsis and a clause that espeak cut without
punctuation (it caps clause length) join the next clause with a space, where Piper glues them together;
a sentence without phonemes (empty or whitespace-only text) is dropped, where Piper synthesizes it.

Phoneme ids follow piper-phonemize's `phonemes_to_ids`: BOS "^", pad "_" after BOS and after every
phoneme, EOS "$"; phonemes absent from the map are skipped.

Run with Debian's interpreter: /usr/bin/python3 (needs libespeak-ng1, installed with espeak-ng).
"""

import ctypes
import re
import unicodedata

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_CHARS_UTF8 = 1
_IPA = 0x02

_CLOSERS = "\"')]}»”’"
_LANGUAGE_FLAG = re.compile(r"\([^)]+\)")

_lib = None


def _espeak():
    global _lib
    if _lib is None:
        lib = ctypes.cdll.LoadLibrary("libespeak-ng.so.1")
        if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0) <= 0:
            raise RuntimeError("espeak_Initialize failed")
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        _lib = lib
    return _lib


def espeak_version():
    lib = _espeak()
    lib.espeak_Info.restype = ctypes.c_char_p
    return lib.espeak_Info(None).decode()


def _clauses(text, voice):
    """Yields (clause text, phonemes) pairs as espeak's own clause splitter produces them."""
    lib = _espeak()
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise RuntimeError(f"espeak-ng has no voice {voice!r}")
    data = text.encode("utf-8")
    buffer = ctypes.create_string_buffer(data)
    base = ctypes.addressof(buffer)
    pointer = ctypes.c_void_p(base)
    start = 0
    while pointer.value:
        phonemes = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _ESPEAK_CHARS_UTF8, _IPA).decode("utf-8")
        # The pointer stops one character into the next clause, or becomes NULL at the end.
        end = len(data) if not pointer.value else max(start, pointer.value - base - 1)
        if pointer.value:
            # Step back to the start of that (possibly multi-byte) UTF-8 character.
            while end > start and (data[end] & 0xC0) == 0x80:
                end -= 1
        yield data[start:end].decode("utf-8"), phonemes, not pointer.value
        start = end


def _terminator(clause_text, is_last):
    """Piper's punctuation for a clause: (mark to append, joiner before the next clause, ends sentence)."""
    stripped = clause_text.rstrip()
    trailing_space = clause_text[len(stripped):]
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1].rstrip()
    if stripped.endswith("...") or stripped.endswith("\u2026"):
        return "", " ", False
    last = stripped[-1:] if stripped else ""
    if last in (".", "?", "!"):
        return last, "", True
    if last in (",", ":", ";"):
        return last + " ", "", False
    if last in ("\u2013", "\u2014"):
        return "; ", "", False
    if is_last or trailing_space.replace("\r", "").count("\n") >= 2:
        return "", "", True
    return "", " ", False


def phonemize(text, voice):
    """Text -> list of sentences, each the NFD phoneme string Piper feeds to `phonemes_to_ids`."""
    sentences = []
    current = None
    joiner = ""
    for clause_text, phonemes, is_last in _clauses(text, voice):
        phonemes = _LANGUAGE_FLAG.sub("", phonemes)
        mark, next_joiner, ends_sentence = _terminator(clause_text, is_last)
        current = phonemes + mark if current is None else current + joiner + phonemes + mark
        joiner = next_joiner
        if ends_sentence:
            sentences.append(current)
            current = None
    if current is not None:
        sentences.append(current)
    return [unicodedata.normalize("NFD", s) for s in sentences if s.strip()]


def phoneme_ids(phonemes, id_map):
    """Piper's phonemes_to_ids with BOS, EOS and interspersed padding."""
    ids = list(id_map["^"]) + list(id_map["_"])
    for phoneme in phonemes:
        if phoneme not in id_map:
            continue
        ids.extend(id_map[phoneme])
        ids.extend(id_map["_"])
    ids.extend(id_map["$"])
    return ids
