"""An independent reference for Whisper transcription: log-mel features, greedy decoding and the long-form loop.

It runs the PyTorch model of whisper_model.py directly (never the ONNX files) and follows OpenAI's
whisper/audio.py, whisper/decoding.py and whisper/transcribe.py for greedy decoding at temperature 0 with
timestamps, with one deliberate difference (the project's decision): the log-mel floor is computed per 30 s
window (see window_features), so memory stays bounded on long inputs. For a clip of at most 30 s this gives
exactly OpenAI's features (checked by openai_first_window_features).

Word timestamps (word_timestamps=True) follow OpenAI's transcribe() with whisper_word_timing.py: words added to
each window's segments, segment times refined from them, and the next window starting at the last word's end.

Not followed (not needed for greedy temperature-0 decoding with timestamps): beam search, best-of-N,
temperature fallback (only recorded as needs_fallback), prefix, without_timestamps, word probabilities,
clip_timestamps other than the whole file, hallucination_silence_threshold, fp16.

Numerics follow OpenAI: float32 model and log-softmax; sum_logprobs accumulates in float32 (OpenAI's
torch.zeros(n_batch) is float32); avg_logprob = sum_logprobs / (number of sampled tokens before EOT + 1).
"""

import math
import wave
import zlib

import numpy as np
import torch
from torch.nn import functional as F

import whisper_model
import whisper_word_timing

SAMPLE_RATE = 16000
N_FFT = 400
HOP_LENGTH = 160
CHUNK_LENGTH = 30
N_SAMPLES = CHUNK_LENGTH * SAMPLE_RATE  # 480000
N_FRAMES = N_SAMPLES // HOP_LENGTH  # 3000
FRAMES_PER_SECOND = SAMPLE_RATE // HOP_LENGTH  # 100

# transcribe() defaults
COMPRESSION_RATIO_THRESHOLD = 2.4
LOGPROB_THRESHOLD = -1.0
NO_SPEECH_THRESHOLD = 0.6
MAX_INITIAL_TIMESTAMP = 1.0


def load_wav(path):
    """16 kHz mono s16le WAV -> float32 samples in [-1, 1) (OpenAI's load_audio: int16 / 32768)."""
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == SAMPLE_RATE and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def load_mel_filters(path, n_mels):
    with np.load(path) as f:
        return torch.from_numpy(f[f"mel_{n_mels}"])


def log_spectrogram(audio, filters):
    """OpenAI's log_mel_spectrogram(audio, n_mels, padding=N_SAMPLES) before its max-8 floor and scaling.

    STFT of the audio followed by 30 s of zeros: n_fft 400, hop 160, periodic Hann window, centred frames
    with reflect padding, the last frame dropped; |X|^2, the mel filterbank, clamp at 1e-10, log10.
    Returns [n_mels, content_frames + 3000] float32, where content_frames = len(audio) // 160.
    """
    x = F.pad(torch.from_numpy(np.asarray(audio, dtype=np.float32)), (0, N_SAMPLES))
    window = torch.hann_window(N_FFT)
    stft = torch.stft(x, N_FFT, HOP_LENGTH, window=window, center=True, pad_mode="reflect", return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    mel = filters @ magnitudes
    return torch.clamp(mel, min=1e-10).log10()


def content_frames_of(log_spec):
    return log_spec.shape[-1] - N_FRAMES


def window_features(log_spec, seek, zero_beyond_content=True):
    """The decoder input for the 30 s window starting at frame `seek` (the project's per-window rule).

    Frames [seek, seek + 3000) of the log spectrogram; floor at (max of those 3000 frames) - 8; (x + 4) / 4;
    then, as OpenAI's pad_or_trim of the mel segment does, every frame at or beyond content_frames is 0.0.
    """
    content_frames = content_frames_of(log_spec)
    segment = log_spec[:, seek : seek + N_FRAMES]
    assert segment.shape[-1] == N_FRAMES
    segment = torch.maximum(segment, segment.max() - 8.0)
    segment = (segment + 4.0) / 4.0
    if zero_beyond_content:
        valid = min(N_FRAMES, content_frames - seek)
        segment = segment.clone()
        segment[:, valid:] = 0.0
    return segment


def openai_first_window_features(log_spec):
    """OpenAI's transcribe() features for the window at seek 0 (global floor over the whole padded file)."""
    content_frames = content_frames_of(log_spec)
    mel = torch.maximum(log_spec, log_spec.max() - 8.0)
    mel = (mel + 4.0) / 4.0
    segment = mel[:, : min(N_FRAMES, content_frames)]
    return F.pad(segment, (0, N_FRAMES - segment.shape[-1]))


def openai_language_detection_features(log_spec):
    """OpenAI's transcribe() language-detection input: pad_or_trim(mel, 3000), i.e. the first 3000 frames of
    the padded file *without* zeroing the frames past the content (they hold the log-mel of the zero padding)."""
    mel = torch.maximum(log_spec, log_spec.max() - 8.0)
    return ((mel + 4.0) / 4.0)[:, :N_FRAMES]


def compression_ratio(text):
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data))


class IncrementalDecoder:
    """The decoder run the way the ONNX decoder is called: the initial tokens in one call (offset 0), then one
    token per call, with a key/value cache. Under whisper_model.emulate_int8 every projection is computed like
    the int8 graph, whose dynamic quantization depends on which positions share a call, hence this pattern."""

    def __init__(self, model, audio):
        self.decoder = model.decoder
        self.audio = audio  # encoder output [1, n_audio_ctx, n_audio_state]
        self.cross = [
            (block.cross_attn.key(audio), block.cross_attn.value(audio)) for block in self.decoder.blocks
        ]
        self.keys = [None] * len(self.decoder.blocks)
        self.values = [None] * len(self.decoder.blocks)
        self.length = 0

    def __call__(self, tokens):
        """tokens: list of ints, decoded at positions length..length+n-1 -> logits [n, n_vocab]."""
        decoder = self.decoder
        n = len(tokens)
        offset = self.length
        x = decoder.token_embedding(torch.tensor([tokens])) + decoder.positional_embedding[offset : offset + n]
        mask = decoder.mask[offset : offset + n, : offset + n]
        for i, block in enumerate(decoder.blocks):
            attn = block.attn
            h = block.attn_ln(x)
            q, k, v = attn.query(h), attn.key(h), attn.value(h)
            self.keys[i] = k if self.keys[i] is None else torch.cat([self.keys[i], k], dim=1)
            self.values[i] = v if self.values[i] is None else torch.cat([self.values[i], v], dim=1)
            x = x + attn.out(attn.attend(q, self.keys[i], self.values[i], mask))
            cross = block.cross_attn
            q = cross.query(block.cross_attn_ln(x))
            x = x + cross.out(cross.attend(q, *self.cross[i]))
            x = x + block.mlp(block.mlp_ln(x))
        self.length += n
        return decoder.logits(x)[0]


class TorchBackend:
    """Runs the PyTorch model: start(features [n_mels, 3000]) encodes a window and returns a decoder callable."""

    def __init__(self, model):
        self.model = model

    def start(self, features):
        return IncrementalDecoder(self.model, self.model.encoder(features.unsqueeze(0)))


@torch.no_grad()
def detect_language(backend, tokenizer, features):
    """OpenAI's detect_language: the logits after [sot] alone, every non-language token masked, argmax."""
    logits = backend.start(features)([tokenizer.sot])[0].clone()
    mask = torch.ones(logits.shape[-1], dtype=torch.bool)
    mask[tokenizer.language_tokens] = False
    logits[mask] = -np.inf
    token = int(logits.argmax())
    probs = logits.softmax(dim=-1)
    language_logits = logits[tokenizer.language_tokens]
    top2 = torch.topk(language_logits, 2).values
    return {
        "language": tokenizer.language_codes[tokenizer.language_tokens.index(token)],
        "token": token,
        "probs": {code: float(probs[t]) for t, code in zip(tokenizer.language_tokens, tokenizer.language_codes)},
        "margin": float(top2[0] - top2[1]),
    }


class GreedyDecoding:
    """OpenAI's DecodingTask.run for one 30 s window: greedy (temperature 0), with timestamps, default
    suppress_tokens "-1", suppress_blank, max_initial_timestamp 1.0, sample_len = n_text_ctx // 2."""

    def __init__(self, model, tokenizer, language, task, prompt_tokens):
        dims = model.dims
        self.model = model
        self.tokenizer = tokenizer
        self.n_ctx = dims.n_text_ctx
        self.sample_len = dims.n_text_ctx // 2
        sot_sequence = tokenizer.sot_sequence(model.is_multilingual, language, task)
        self.sot_sequence = list(sot_sequence)
        initial = list(sot_sequence)
        if prompt_tokens:
            initial = [tokenizer.sot_prev] + list(prompt_tokens)[-(self.n_ctx // 2 - 1) :] + initial
        self.initial_tokens = initial
        self.sample_begin = len(initial)
        self.sot_index = initial.index(tokenizer.sot)
        precision = CHUNK_LENGTH / dims.n_audio_ctx  # 0.02 s
        self.max_initial_timestamp_index = round(MAX_INITIAL_TIMESTAMP / precision)
        suppress = set(tokenizer.non_speech_tokens())
        suppress.update(
            [tokenizer.transcribe, tokenizer.translate, tokenizer.sot, tokenizer.sot_prev, tokenizer.sot_lm]
        )
        suppress.add(tokenizer.no_speech)
        self.suppress_tokens = sorted(suppress)
        self.blank_tokens = tokenizer.encode(" ") + [tokenizer.eot]

    def apply_filters(self, logits, tokens, stats):
        """SuppressBlank, SuppressTokens, ApplyTimestampRules, in OpenAI's order; logits modified in place."""
        tok = self.tokenizer
        ts_begin = tok.timestamp_begin
        if len(tokens) == self.sample_begin:
            logits[self.blank_tokens] = -np.inf
        logits[self.suppress_tokens] = -np.inf
        # ApplyTimestampRules
        logits[tok.no_timestamps] = -np.inf
        sampled = tokens[self.sample_begin :]
        last_was_timestamp = len(sampled) >= 1 and sampled[-1] >= ts_begin
        penultimate_was_timestamp = len(sampled) < 2 or sampled[-2] >= ts_begin
        if last_was_timestamp:
            if penultimate_was_timestamp:  # has to be non-timestamp
                logits[ts_begin:] = -np.inf
            else:  # cannot be normal text tokens
                logits[: tok.eot] = -np.inf
        timestamps = [t for t in sampled if t >= ts_begin]
        if timestamps:
            # timestamps shouldn't decrease; a segment must have a nonzero length
            if last_was_timestamp and not penultimate_was_timestamp:
                timestamp_last = timestamps[-1]
            else:
                timestamp_last = timestamps[-1] + 1
            logits[ts_begin:timestamp_last] = -np.inf
        if len(tokens) == self.sample_begin:
            logits[:ts_begin] = -np.inf  # the first sampled token is a timestamp
            logits[ts_begin + self.max_initial_timestamp_index + 1 :] = -np.inf
        # if the probability mass of the timestamps beats every text token, sample a timestamp
        logprobs = F.log_softmax(logits.float(), dim=-1)
        timestamp_logprob = logprobs[ts_begin:].logsumexp(dim=-1)
        max_text_token_logprob = logprobs[:ts_begin].max()
        if bool(torch.isfinite(timestamp_logprob)) and bool(torch.isfinite(max_text_token_logprob)):
            stats["timestamp_rule_margins"].append(abs(float(timestamp_logprob - max_text_token_logprob)))
        if timestamp_logprob > max_text_token_logprob:
            logits[:ts_begin] = -np.inf
            stats["timestamp_rule_forced"] += 1

    @torch.no_grad()
    def run(self, features, backend):
        tok = self.tokenizer
        decoder = backend.start(features)
        tokens = list(self.initial_tokens)
        sum_logprob = torch.zeros(1, dtype=torch.float32)
        no_speech_prob = math.nan
        stats = {"margins": [], "timestamp_rule_margins": [], "timestamp_rule_forced": 0}
        step_logits = decoder(tokens)
        for i in range(self.sample_len):
            if i == 0:
                probs_at_sot = step_logits[self.sot_index].float().softmax(dim=-1)
                no_speech_prob = float(probs_at_sot[tok.no_speech])
            logits = step_logits[-1].clone()
            self.apply_filters(logits, tokens, stats)
            top2 = torch.topk(logits, 2)
            next_token = int(logits.argmax())
            assert next_token == int(top2.indices[0])
            stats["margins"].append(float(top2.values[0] - top2.values[1]))
            logprobs = F.log_softmax(logits.float(), dim=-1)
            if tokens[-1] != tok.eot:
                sum_logprob += logprobs[next_token]
            tokens.append(next_token)
            if next_token == tok.eot or len(tokens) > self.n_ctx:
                break
            step_logits = decoder([next_token])
        sampled = tokens[self.sample_begin :]
        ended_with_eot = tok.eot in sampled
        if ended_with_eot:
            sampled = sampled[: sampled.index(tok.eot)]
        text = tok.decode(sampled).strip()
        sum_logprob = float(sum_logprob[0])
        return {
            "initial_tokens": list(self.initial_tokens),
            "sample_begin": self.sample_begin,
            "tokens": sampled,
            "ended_with_eot": ended_with_eot,
            "text": text,
            "sum_logprob": sum_logprob,
            "avg_logprob": sum_logprob / (len(sampled) + 1),
            "no_speech_prob": no_speech_prob,
            "compression_ratio": compression_ratio(text),
            "temperature": 0.0,
            "stats": stats,
        }


def transcribe(model, tokenizer, audio, filters, *, language=None, task="transcribe", initial_prompt=None,
               condition_on_previous_text=True, int8=False, backend=None, alignment_heads=None):
    """OpenAI's transcribe() with temperature=[0], no word timestamps, the whole file as one clip, and the
    per-window mel floor. Returns the verbose_json-like result plus per-window details for the C# tests.

    int8: compute every projection like the int8 graph (whisper_model.emulate_int8).
    backend: what runs the encoder and decoder (default: the PyTorch model itself).
    alignment_heads: [(layer, head)] to add word timestamps with (OpenAI's word_timestamps=True); None for none.
    """
    backend = backend or TorchBackend(model)
    context = whisper_model.emulate_int8(model) if int8 else _NoContext()
    with context:
        return _transcribe(model, tokenizer, audio, filters, language, task, initial_prompt,
                           condition_on_previous_text, backend, alignment_heads)


class _NoContext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _transcribe(model, tokenizer, audio, filters, language, task, initial_prompt, condition_on_previous_text, backend,
                alignment_heads):
    log_spec = log_spectrogram(audio, filters)
    content_frames = content_frames_of(log_spec)
    language_detection = None
    if language is None:
        if not model.is_multilingual:
            language = "en"
        else:
            language_detection = detect_language(backend, tokenizer, language_detection_features(log_spec))
            language = language_detection["language"]

    input_stride = N_FRAMES // model.dims.n_audio_ctx  # 2 mel frames per output token
    time_precision = input_stride * HOP_LENGTH / SAMPLE_RATE  # 0.02 s
    seek = 0
    all_tokens = []
    all_segments = []
    windows = []
    prompt_reset_since = 0
    initial_prompt_tokens = tokenizer.encode(" " + initial_prompt.strip()) if initial_prompt is not None else []
    all_tokens.extend(initial_prompt_tokens)
    last_speech_timestamp = 0.0

    while seek < content_frames:
        time_offset = float(seek * HOP_LENGTH / SAMPLE_RATE)
        segment_size = min(N_FRAMES, content_frames - seek)
        segment_duration = segment_size * HOP_LENGTH / SAMPLE_RATE
        features = window_features(log_spec, seek)
        prompt = all_tokens[prompt_reset_since:]
        decoding = GreedyDecoding(model, tokenizer, language, task, prompt)
        result = decoding.run(features, backend)
        needs_fallback = False
        if result["compression_ratio"] > COMPRESSION_RATIO_THRESHOLD:
            needs_fallback = True  # too repetitive
        if result["avg_logprob"] < LOGPROB_THRESHOLD:
            needs_fallback = True  # average log probability is too low
        if result["no_speech_prob"] > NO_SPEECH_THRESHOLD:
            needs_fallback = False  # silence
        tokens = result["tokens"]
        window = {
            "seek": seek,
            "segment_size": segment_size,
            "initial_tokens": result["initial_tokens"],
            "tokens": tokens,
            "ended_with_eot": result["ended_with_eot"],
            "text": result["text"],
            "sum_logprob": result["sum_logprob"],
            "avg_logprob": result["avg_logprob"],
            "no_speech_prob": result["no_speech_prob"],
            "compression_ratio": result["compression_ratio"],
            "needs_fallback": needs_fallback,
            "stats": result["stats"],
        }
        windows.append(window)

        # no voice activity check
        should_skip = result["no_speech_prob"] > NO_SPEECH_THRESHOLD
        if result["avg_logprob"] > LOGPROB_THRESHOLD:
            should_skip = False  # don't skip if the logprob is high enough, despite the no_speech_prob
        window["skipped_as_no_speech"] = should_skip
        if should_skip:
            seek += segment_size  # fast-forward to the next segment boundary
            window["next_seek"] = seek
            continue

        current_segments = []
        ts_begin = tokenizer.timestamp_begin
        is_timestamp = [t >= ts_begin for t in tokens]
        single_timestamp_ending = is_timestamp[-2:] == [False, True]
        consecutive = [i + 1 for i in range(len(tokens) - 1) if is_timestamp[i] and is_timestamp[i + 1]]

        def new_segment(start, end, segment_tokens):
            text_tokens = [t for t in segment_tokens if t < tokenizer.eot]
            return {
                "seek": seek,
                "start": start,
                "end": end,
                "text": tokenizer.decode(text_tokens),
                "tokens": list(segment_tokens),
                "temperature": result["temperature"],
                "avg_logprob": result["avg_logprob"],
                "compression_ratio": result["compression_ratio"],
                "no_speech_prob": result["no_speech_prob"],
            }

        if consecutive:
            slices = list(consecutive)
            if single_timestamp_ending:
                slices.append(len(tokens))
            last_slice = 0
            for current_slice in slices:
                sliced = tokens[last_slice:current_slice]
                start_pos = sliced[0] - ts_begin
                end_pos = sliced[-1] - ts_begin
                start = time_offset + start_pos * time_precision
                end = time_offset + end_pos * time_precision
                current_segments.append(new_segment(start, end, sliced))
                last_slice = current_slice
            if single_timestamp_ending:
                # single timestamp at the end means no speech after the last timestamp.
                seek += segment_size
            else:
                # otherwise, ignore the unfinished segment and seek to the last timestamp
                last_timestamp_pos = tokens[last_slice - 1] - ts_begin
                seek += last_timestamp_pos * input_stride
        else:
            duration = segment_duration
            timestamps = [t for t in tokens if t >= ts_begin]
            if timestamps and timestamps[-1] != ts_begin:
                # no consecutive timestamps but it has a timestamp; use the last one.
                duration = (timestamps[-1] - ts_begin) * time_precision
            current_segments.append(new_segment(time_offset, time_offset + duration, tokens))
            seek += segment_size

        if alignment_heads is not None:
            with torch.no_grad():
                audio_features = model.encoder(features.unsqueeze(0))
            whisper_word_timing.add_word_timestamps(
                current_segments, model, tokenizer, audio_features, decoding.sot_sequence, segment_size,
                alignment_heads, language, last_speech_timestamp)
            if not single_timestamp_ending:
                last_word_end = whisper_word_timing.last_end(current_segments)
                if last_word_end is not None and last_word_end > time_offset:
                    seek = round(last_word_end * FRAMES_PER_SECOND)
            last_word_end = whisper_word_timing.last_end(current_segments)
            if last_word_end is not None:
                last_speech_timestamp = last_word_end

        # if a segment is instantaneous or does not contain text, clear it
        for segment in current_segments:
            if segment["start"] == segment["end"] or segment["text"].strip() == "":
                segment["text"] = ""
                segment["tokens"] = []
                if alignment_heads is not None:
                    segment["words"] = []
        for segment in current_segments:
            all_segments.append({"id": len(all_segments), **segment})
        all_tokens.extend(t for segment in current_segments for t in segment["tokens"])
        if not condition_on_previous_text or result["temperature"] > 0.5:
            prompt_reset_since = len(all_tokens)
        window["single_timestamp_ending"] = single_timestamp_ending
        window["next_seek"] = seek

    return {
        "text": tokenizer.decode(all_tokens[len(initial_prompt_tokens) :]),
        "segments": all_segments,
        "language": language,
        "language_detection": language_detection,
        "windows": windows,
        "content_frames": content_frames,
        "duration": len(audio) / SAMPLE_RATE,
    }


def language_detection_features(log_spec):
    """Language-detection input under the per-window rule: frames [0, 3000) floored by their own maximum,
    and (as OpenAI's pad_or_trim(mel, N_FRAMES)) not zeroed past the content."""
    return window_features(log_spec, 0, zero_beyond_content=False)
