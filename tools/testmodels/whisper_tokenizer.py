"""Whisper's tokenizer, written from OpenAI's rules (whisper/tokenizer.py) without tiktoken.

Everything the test models and the reference need: the byte-level BPE encoder (GPT-2's pre-tokenizer
pattern, then byte-pair merges by rank), byte-level decoding, and the special-token layout that
`get_encoding` builds on top of the real `.tiktoken` vocabularies:

    <|endoftext|>, <|startoftranscript|>, one <|xx|> per language (the first num_languages of LANGUAGES),
    <|translate|>, <|transcribe|>, <|startoflm|>, <|startofprev|>, <|nospeech|>, <|notimestamps|>,
    <|0.00|> ... <|30.00|>

numbered consecutively from the size of the vocabulary file.
"""

import base64
import unicodedata

# OpenAI's LANGUAGES, in its order (the order fixes the language token ids).
LANGUAGE_CODES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg "
    "lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so "
    "af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue"
).split()
assert len(LANGUAGE_CODES) == 100

N_TIMESTAMPS = 1501  # <|0.00|> ... <|30.00|>


def load_ranks(path):
    """The mergeable ranks of a .tiktoken file: {token bytes: rank}."""
    ranks = {}
    with open(path, "r", encoding="ascii") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    return ranks


def _is_letter(c):
    return unicodedata.category(c).startswith("L")


def _is_number(c):
    return unicodedata.category(c).startswith("N")


_CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def pretokenize(text):
    """Splits text exactly as GPT-2's pattern (which Whisper's encodings use) does:

    's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+

    The alternatives are tried in order at each position, as a regex engine would.
    """
    pieces = []
    i, n = 0, len(text)

    def run(start, predicate):
        j = start
        while j < n and predicate(text[j]):
            j += 1
        return j

    def other(c):
        return not (c.isspace() or _is_letter(c) or _is_number(c))

    while i < n:
        match = next((c for c in _CONTRACTIONS if text.startswith(c, i)), None)
        if match is not None:
            pieces.append(match)
            i += len(match)
            continue
        start = i + 1 if text[i] == " " and i + 1 < n else i
        matched = False
        for predicate in (_is_letter, _is_number, other):
            if predicate(text[start]):
                end = run(start, predicate)
                pieces.append(text[i:end])
                i = end
                matched = True
                break
        if matched:
            continue
        # whitespace: \s+(?!\S) then \s+
        end = run(i, str.isspace)
        if end == n or end - 1 == i:
            pieces.append(text[i:end])
            i = end
        else:
            pieces.append(text[i : end - 1])  # leave one space to prefix the next word
            i = end - 1
    return pieces


def byte_pair_encode(piece, ranks):
    """tiktoken's byte_pair_merge: merge the adjacent pair of lowest rank (leftmost on ties) until none merges."""
    if piece in ranks:
        return [ranks[piece]]
    parts = [piece[i : i + 1] for i in range(len(piece))]
    while len(parts) > 1:
        best, best_rank = None, None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best_rank is None or rank < best_rank):
                best, best_rank = i, rank
        if best is None:
            break
        parts[best : best + 2] = [parts[best] + parts[best + 1]]
    return [ranks[p] for p in parts]


class WhisperTokenizer:
    """Vocabulary and special tokens of one Whisper model (English-only or multilingual)."""

    def __init__(self, vocabulary_path, num_languages):
        self.ranks = load_ranks(vocabulary_path)
        self.num_languages = num_languages
        self.token_bytes = {rank: token for token, rank in self.ranks.items()}
        n = len(self.ranks)
        specials = ["<|endoftext|>", "<|startoftranscript|>"]
        specials += [f"<|{code}|>" for code in LANGUAGE_CODES[:num_languages]]
        specials += ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>"]
        specials += ["<|notimestamps|>"] + [f"<|{i * 0.02:.2f}|>" for i in range(N_TIMESTAMPS)]
        self.special_tokens = {name: n + index for index, name in enumerate(specials)}
        for name, token in self.special_tokens.items():
            self.token_bytes[token] = name.encode("ascii")
        self.n_vocab = n + len(specials)
        s = self.special_tokens
        self.eot = s["<|endoftext|>"]
        self.sot = s["<|startoftranscript|>"]
        self.translate = s["<|translate|>"]
        self.transcribe = s["<|transcribe|>"]
        self.sot_lm = s["<|startoflm|>"]
        self.sot_prev = s["<|startofprev|>"]
        self.no_speech = s["<|nospeech|>"]
        self.no_timestamps = s["<|notimestamps|>"]
        self.timestamp_begin = s["<|0.00|>"]
        self.language_codes = LANGUAGE_CODES[:num_languages]
        self.language_tokens = [s[f"<|{code}|>"] for code in self.language_codes]

    def encode(self, text):
        """tiktoken's encode_ordinary (the text must hold no special-token strings)."""
        tokens = []
        for piece in pretokenize(text):
            tokens.extend(byte_pair_encode(piece.encode("utf-8"), self.ranks))
        return tokens

    def decode_bytes(self, tokens):
        return b"".join(self.token_bytes[t] for t in tokens)

    def decode(self, tokens):
        """OpenAI's Tokenizer.decode: drops timestamp tokens, joins the bytes, decodes UTF-8 with errors="replace"."""
        return self.decode_bytes([t for t in tokens if t < self.timestamp_begin]).decode("utf-8", errors="replace")

    def language_token(self, code):
        return self.special_tokens[f"<|{code}|>"]

    def sot_sequence(self, multilingual, language=None, task=None):
        """OpenAI's Tokenizer.sot_sequence: [sot] for English-only models, else [sot, language, task]."""
        if not multilingual:
            return [self.sot]
        sequence = [self.sot, self.language_token(language or "en")]
        sequence.append(self.translate if task == "translate" else self.transcribe)
        return sequence

    def non_speech_tokens(self):
        """OpenAI's Tokenizer.non_speech_tokens, computed with this vocabulary."""
        symbols = list('"#()*+/:;<=>@[\\]^_`{|}~「」『』')
        symbols += "<< >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪".split()
        # symbols that may be one token or several: suppress the first token (they share their first UTF-8 bytes)
        miscellaneous = set("♩♪♫♬♭♮♯")
        assert all(0x2640 <= ord(c) <= 0x267F for c in miscellaneous)
        result = {self.encode(" -")[0], self.encode(" '")[0]}
        for symbol in symbols + sorted(miscellaneous):
            for tokens in (self.encode(symbol), self.encode(" " + symbol)):
                if len(tokens) == 1 or symbol in miscellaneous:
                    result.add(tokens[0])
        return sorted(result)

    def blank_id(self):
        return self.encode(" ")[0]
