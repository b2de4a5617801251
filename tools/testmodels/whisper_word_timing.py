"""The reference for word timestamps: OpenAI's whisper/timing.py procedure, written for the PyTorch model of
whisper_model.py and the tokenizer of whisper_tokenizer.py (no numba, no tiktoken).

For one decoded window: the decoder runs once more over [*sot_sequence, no_timestamps, *text tokens, eot] (one
call, all positions at once, as the C# engine does it; under whisper_model.emulate_int8 this matters), the
cross-attention scores q.k/sqrt(d) of the alignment heads are kept, cut to the window's audio frames
(num_frames // 2), softmaxed over them, normalized per head and frame over the tokens (population std), median
filtered over the frames (width 7, reflect padding), averaged over the heads; the rows from no_timestamps to the
last text token are aligned to frames by dynamic time warping on the negated matrix; words are cut from the
tokens as OpenAI's tokenizer does (split_to_word_tokens), punctuation merged into its neighbours, and
add_word_timestamps' duration rules applied. Not computed: the word probabilities (the API does not return them).
"""

import string

import numpy as np
import torch
from torch.nn import functional as F

TOKENS_PER_SECOND = 50  # 16000 / 160 / 2
MEDIAN_FILTER_WIDTH = 7
PREPEND_PUNCTUATIONS = "\"'“¿([{-"
APPEND_PUNCTUATIONS = "\"'.。,，!！?？:：”)]}、"
SENTENCE_END_MARKS = ".。!！?？"
UNSPACED_LANGUAGES = {"zh", "ja", "th", "lo", "my", "yue"}


def default_alignment_heads(n_layer, n_head):
    """OpenAI's choice for a model without a published set: every head of the upper half of the layers."""
    return [(layer, head) for layer in range(n_layer // 2, n_layer) for head in range(n_head)]


@torch.no_grad()
def cross_attention_scores(model, audio, tokens, heads):
    """[len(heads), len(tokens), n_audio_ctx] scaled scores q.k/sqrt(d) of the given (layer, head) pairs, from
    one decoder call over all tokens at offset 0."""
    decoder = model.decoder
    n = len(tokens)
    x = decoder.token_embedding(torch.tensor([tokens])) + decoder.positional_embedding[:n]
    mask = decoder.mask[:n, :n]
    scores = {}
    for i, block in enumerate(decoder.blocks):
        x = x + block.attn(block.attn_ln(x), mask=mask)
        cross = block.cross_attn
        q = cross.query(block.cross_attn_ln(x))
        k = cross.key(audio)
        d_head = q.shape[-1] // cross.n_head
        for layer, head in heads:
            if layer == i:
                qh = q[0, :, head * d_head : (head + 1) * d_head] * d_head**-0.25
                kh = k[0, :, head * d_head : (head + 1) * d_head] * d_head**-0.25
                scores[(layer, head)] = qh @ kh.T
        x = x + cross.out(cross.attend(q, k, cross.value(audio)))
        x = x + block.mlp(block.mlp_ln(x))
    return torch.stack([scores[h] for h in heads])


def median_filter(x, width):
    """Median over a sliding window of `width` along the last axis, reflect-padded (OpenAI's median_filter)."""
    pad = width // 2
    if x.shape[-1] <= pad:
        return x
    padded = F.pad(x[None], (pad, pad, 0, 0), mode="reflect")[0]
    return padded.unfold(-1, width, 1).sort()[0][..., pad]


def dtw(cost_matrix):
    """OpenAI's dtw_cpu and backtrace: float32 accumulated costs, ties broken towards moving along the frames.
    Returns (text_indices, time_indices) of the path."""
    x = np.asarray(cost_matrix, dtype=np.float64)
    n, m = x.shape
    cost = np.full((n + 1, m + 1), np.inf, dtype=np.float32)
    trace = -np.ones((n + 1, m + 1), dtype=np.int8)
    cost[0, 0] = 0
    for j in range(1, m + 1):
        for i in range(1, n + 1):
            c0, c1, c2 = cost[i - 1, j - 1], cost[i - 1, j], cost[i, j - 1]
            if c0 < c1 and c0 < c2:
                c, t = c0, 0
            elif c1 < c0 and c1 < c2:
                c, t = c1, 1
            else:
                c, t = c2, 2
            cost[i, j] = x[i - 1, j - 1] + c
            trace[i, j] = t
    trace[0, :] = 2
    trace[:, 0] = 1
    i, j = n, m
    path = []
    while i > 0 or j > 0:
        path.append((i - 1, j - 1))
        t = trace[i, j]
        if t == 0:
            i, j = i - 1, j - 1
        elif t == 1:
            i -= 1
        else:
            j -= 1
    path = np.array(path[::-1])
    return path[:, 0], path[:, 1]


def _decode(tokenizer, tokens):
    """decode_with_timestamps for text tokens and eot: the special token as its name."""
    text = []
    pending = b""
    for t in tokens:
        if t >= tokenizer.eot:
            text.append(pending.decode("utf-8", errors="replace"))
            pending = b""
            text.append("<|endoftext|>" if t == tokenizer.eot else f"<|{t}|>")
        else:
            pending += tokenizer.token_bytes[t]
    text.append(pending.decode("utf-8", errors="replace"))
    return "".join(text)


def split_tokens_on_unicode(tokenizer, tokens):
    decoded_full = _decode(tokenizer, tokens)
    words, word_tokens, current, offset = [], [], [], 0
    for token in tokens:
        current.append(token)
        decoded = _decode(tokenizer, current)
        if "\ufffd" not in decoded or decoded_full[offset + decoded.index("\ufffd")] == "\ufffd":
            words.append(decoded)
            word_tokens.append(current)
            current = []
            offset += len(decoded)
    return words, word_tokens


def split_to_word_tokens(tokenizer, tokens, language):
    subwords, subword_tokens = split_tokens_on_unicode(tokenizer, tokens)
    if language in UNSPACED_LANGUAGES:
        return subwords, subword_tokens
    words, word_tokens = [], []
    for subword, pieces in zip(subwords, subword_tokens):
        special = pieces[0] >= tokenizer.eot
        with_space = subword.startswith(" ")
        punctuation = subword.strip() in string.punctuation
        if special or with_space or punctuation or not words:
            words.append(subword)
            word_tokens.append(list(pieces))
        else:
            words[-1] = words[-1] + subword
            word_tokens[-1].extend(pieces)
    return words, word_tokens


def find_alignment(model, tokenizer, audio, sot_sequence, text_tokens, num_frames, heads, language):
    """OpenAI's find_alignment without the probabilities: [{word, tokens, start, end}] in window seconds."""
    if not text_tokens:
        return []
    tokens = [*sot_sequence, tokenizer.no_timestamps, *text_tokens, tokenizer.eot]
    weights = cross_attention_scores(model, audio, tokens, heads)
    weights = weights[:, :, : num_frames // 2].softmax(dim=-1)
    std, mean = torch.std_mean(weights, dim=-2, keepdim=True, unbiased=False)
    weights = (weights - mean) / std
    weights = median_filter(weights, MEDIAN_FILTER_WIDTH)
    matrix = weights.mean(dim=0)[len(sot_sequence) : -1]
    text_indices, time_indices = dtw(-matrix.double().numpy())
    words, word_tokens = split_to_word_tokens(tokenizer, text_tokens + [tokenizer.eot], language)
    if len(word_tokens) <= 1:
        return []
    boundaries = np.pad(np.cumsum([len(t) for t in word_tokens[:-1]]), (1, 0))
    jumps = np.pad(np.diff(text_indices), (1, 0), constant_values=1).astype(bool)
    jump_times = time_indices[jumps] / TOKENS_PER_SECOND
    starts = jump_times[boundaries[:-1]]
    ends = jump_times[boundaries[1:]]
    return [dict(word=w, tokens=t, start=float(s), end=float(e))
            for w, t, s, e in zip(words, word_tokens, starts, ends)]


def merge_punctuations(alignment, prepended=PREPEND_PUNCTUATIONS, appended=APPEND_PUNCTUATIONS):
    i, j = len(alignment) - 2, len(alignment) - 1
    while i >= 0:
        previous, following = alignment[i], alignment[j]
        if previous["word"].startswith(" ") and previous["word"].strip() in prepended:
            following["word"] = previous["word"] + following["word"]
            following["tokens"] = previous["tokens"] + following["tokens"]
            previous["word"], previous["tokens"] = "", []
        else:
            j = i
        i -= 1
    i, j = 0, 1
    while j < len(alignment):
        previous, following = alignment[i], alignment[j]
        if not previous["word"].endswith(" ") and following["word"] in appended:
            previous["word"] = previous["word"] + following["word"]
            previous["tokens"] = previous["tokens"] + following["tokens"]
            following["word"], following["tokens"] = "", []
        else:
            i = j
        j += 1


def add_word_timestamps(segments, model, tokenizer, audio, sot_sequence, num_frames, heads, language,
                        last_speech_timestamp):
    """OpenAI's add_word_timestamps: sets segment["words"] and refines the segments' start and end."""
    if not segments:
        return
    per_segment = [[t for t in s["tokens"] if t < tokenizer.eot] for s in segments]
    text_tokens = [t for tokens in per_segment for t in tokens]
    alignment = find_alignment(model, tokenizer, audio, sot_sequence, text_tokens, num_frames, heads, language)
    durations = np.array([a["end"] - a["start"] for a in alignment])
    durations = durations[durations.nonzero()]
    median_duration = min(0.7, float(np.median(durations) if len(durations) > 0 else 0.0))
    max_duration = median_duration * 2
    if len(durations) > 0:
        for i in range(1, len(alignment)):
            if alignment[i]["end"] - alignment[i]["start"] > max_duration:
                if alignment[i]["word"] in SENTENCE_END_MARKS:
                    alignment[i]["end"] = alignment[i]["start"] + max_duration
                elif alignment[i - 1]["word"] in SENTENCE_END_MARKS:
                    alignment[i]["start"] = alignment[i]["end"] - max_duration
    merge_punctuations(alignment)
    time_offset = segments[0]["seek"] * 160 / 16000
    index = 0
    for segment, tokens in zip(segments, per_segment):
        saved = 0
        words = []
        while index < len(alignment) and saved < len(tokens):
            timing = alignment[index]
            if timing["word"]:
                words.append(dict(word=timing["word"], start=round(time_offset + timing["start"], 2),
                                  end=round(time_offset + timing["end"], 2)))
            saved += len(timing["tokens"])
            index += 1
        if words:
            if words[0]["end"] - last_speech_timestamp > median_duration * 4 and (
                words[0]["end"] - words[0]["start"] > max_duration
                or (len(words) > 1 and words[1]["end"] - words[0]["start"] > max_duration * 2)
            ):
                if len(words) > 1 and words[1]["end"] - words[1]["start"] > max_duration:
                    boundary = max(words[1]["end"] / 2, words[1]["end"] - max_duration)
                    words[0]["end"] = words[1]["start"] = boundary
                words[0]["start"] = max(0, words[0]["end"] - max_duration)
            if segment["start"] < words[0]["end"] and segment["start"] - 0.5 > words[0]["start"]:
                words[0]["start"] = max(0, min(words[0]["end"] - median_duration, segment["start"]))
            else:
                segment["start"] = words[0]["start"]
            if segment["end"] > words[-1]["start"] and segment["end"] + 0.5 < words[-1]["end"]:
                words[-1]["end"] = max(words[-1]["start"] + median_duration, segment["end"])
            else:
                segment["end"] = words[-1]["end"]
            last_speech_timestamp = segment["end"]
        segment["words"] = words


def last_end(segments):
    """OpenAI's get_end: the last word's end, else the last segment's end, else None."""
    for segment in reversed(segments):
        for word in reversed(segment.get("words", [])):
            return word["end"]
    return segments[-1]["end"] if segments else None
