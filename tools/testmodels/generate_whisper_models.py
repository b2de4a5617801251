"""Generates the tiny Whisper test models and the transcripts an independent reference expects from them.

Writes to tests/assets/whisper/:

* tiny-en/ (the layout of tiny.en: 80 mel bins, gpt2 vocabulary, 51864 tokens) and tiny-multi/ (the token
  layout of large-v3: 128 mel bins, multilingual vocabulary, 100 languages, 51866 tokens), each with
  <name>-encoder.onnx, <name>-decoder.onnx, <name>-encoder.int8.onnx, <name>-decoder.int8.onnx and
  <name>-tokens.txt, exactly like sherpa-onnx's Whisper exports (see whisper_model.py);
* expected-transcripts.json: per case the reference's windows (seek, decoder prompt, greedy tokens, ...) and
  OpenAI-style segments, computed by whisper_reference.py from the PyTorch modules (never from ONNX);
* expected-mel.npz: reference log-mel windows.

The weights are random but seeded and shaped by hand (build_model) so that greedy decoding of real speech
exercises Whisper's rules; the seed is the first, from a base, whose decodings pass every acceptance check
(robust margins, rule coverage). Run from the repo root with Debian's interpreter:

    /usr/bin/python3 tools/testmodels/generate_whisper_models.py

If libonnxruntime.so is found (NuGet cache, or $HEARSAY_ORT_LIB), the exported files are also run through
ONNX Runtime and checked against the reference.
"""

import argparse
import itertools
import json
import math
import os
import pathlib
import sys
import time

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import whisper_model as wm  # noqa: E402
import whisper_reference as ref  # noqa: E402
from whisper_tokenizer import WhisperTokenizer  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("HEARSAY_TEST_ASSETS", REPO_ROOT.parent / "shared" / "models"))
OUTPUT_DIR = REPO_ROOT / "tests" / "assets" / "whisper"

torch.set_num_threads(1)

# ----------------------------------------------------------------------------------------------------------
# The hand-shaped decoder. Its residual stream (n_text_state = 16) is laid out as:
S = list(range(0, 6))  # text identity: each phrase token's direction is the previous one's, rotated by R_S
MEM = 6  # written by block 0's self-attention: the time of the latest timestamp token
TERM = 7  # input marker of phrase-final ("terminal") tokens
TS = 8  # timestamp drive
EOT = 9  # end-of-text drive
SPEECH = 10  # written by block 0's cross-attention: the mean of the encoder's speech-detector channel
RAMP = 11  # position / 448 * s_ramp (recency for the attention to the latest timestamp)
TIME = 12  # input: a timestamp token's time / 30 s * s_time
TILT = 13  # output: tilts the timestamp logits towards earlier or later times
CPOS, CNEG = 14, 15  # +K / -K in every position: keeps LayerNorm nearly linear and carries per-token biases

PARAMS = dict(
    enc_noise=0.3, proj_gain=40.0, det_gain=3.0, det_thr=3.0,  # encoder speech detector
    dec_noise=0.03, other_std=0.05, b_other=-10.0, b_special=-60.0, K=20.0, sigma_x=7.2, gamma=7.2,
    r=4.0, b_text=0.0, g=1.0, m_s_noise=0.05, m_audio_s=0.3,  # text phrases
    tau_text=1.0, tau_terminal=2.0, term_gain=30.0, ts_h_text=-4.0, ts_h_ts=1.0,  # timestamp drive
    a_ts=3.0, ts_s=0.5, s_time=3.0, s_tilt=10.0, b_ts=-8.0, ts_beta=0.015, ts_jitter=1.0,  # timestamps
    m_tilt=0.2, tilt_audio=0.7,
    s_ramp=4.0, att_ts=80.0, att_recency=4.0,  # attention to the latest timestamp
    a_eot=3.0, eot_alpha=20.0, eot_e0=2.5, eot_text_mem=0.0, eot_speech_w=1.0,  # end of text
    a_ns=20.0, b_ns=0.0, ns_slope=60.0, c_ns=12.0, gate_eot=0.5, gate_pre=10.0, initial_jitter=0.3,  # no-speech
    pos_noise=0.1, pos_noise_s=0.5,
    special_s=3.0, lang_audio=0.5, lang_spread=2.0, task_time=8.0, tilt_mem=0.5,  # SOT sequence, language id
)

# Each phrase is a chain of tokens; the last one is "terminal" (a timestamp follows). Byte strings are exact
# token bytes: partial UTF-8 sequences whose characters only decode across two tokens.
MODELS = {
    "tiny-en": dict(
        dims=wm.ModelDimensions(80, 1500, 16, 2, 2, 51864, 448, 16, 2, 2),
        vocabulary="gpt2.tiktoken",
        num_languages=99,
        base_seed=100,
        alignment_heads=[(1, 0)],
        phrases=[
            [" And", " so", " my", " fellow", " Americans", ","],
            [" ask", " not", " what", " your", " country", " can", " do", "."],
            [b" \xc3", b"\xbc", "ber", " all", "!"],  # " über"
            [" the", b"\xf0\x9f\x98", b"\x80", " is", " here", "?"],  # "😀"
            [b"\xe6\x97", b"\xa5", b"\xe6\x9c", b"\xac", " time", "..."],  # "日本"
            [" for", " you", " and", " me", " too"],
            [" We", " choose", " to", " go", " moon", " today", " now", " ok"],
        ],
    ),
    "tiny-multi": dict(
        dims=wm.ModelDimensions(128, 1500, 16, 2, 2, 51866, 448, 16, 2, 2),
        vocabulary="multilingual.tiktoken",
        num_languages=100,
        base_seed=200,
        alignment_heads=[(1, 1)],
        phrases=[
            [" And", " so", " my", " friends", ","],
            [" ask", " not", " what", " your", " country", " can", " do", "."],
            [b" \xc3", b"\xa9", "t", b"\xc3\xa9", " all", "!"],  # " été"
            [" the", b"\xf0\x9f\x98", b"\x80", " is", " here", "?"],  # "😀"
            [b"\xe3\x81", b"\xa1", " time", "..."],  # "ち"
            [" Guten", " Tag", " und", " danke", " schön"],
            [" We", " choose", " to", " go", " moon", " today", " now", " ok"],
        ],
    ),
}

CASES = [
    dict(model="tiny-en", clip="audio/wav16k/jfk.wav", language=None, task="transcribe", prompt=None, int8=True),
    dict(model="tiny-en", clip="audio/wav16k/lj_LJ001-0001.wav", language=None, task="transcribe", prompt=None),
    dict(model="tiny-en", clip="audio/wav16k/arctic_aew_a0001.wav", language=None, task="transcribe", prompt=None),
    dict(model="tiny-en", clip="audio/wav16k/long_cathy_arctic_a0001_to_a0014.wav", language=None,
         task="transcribe", prompt=None),
    dict(model="tiny-en", clip="audio/wav16k/jfk.wav", language=None, task="transcribe",
         prompt="And so my fellow Americans, ask not."),
    dict(model="tiny-en", clip="audio/wav16k/ps_cards_001.wav", language=None, task="transcribe", prompt=None),
    dict(model="tiny-multi", clip="audio/wav16k/jfk.wav", language=None, task="transcribe", prompt=None, int8=True),
    dict(model="tiny-multi", clip="audio/wav16k/lj_LJ001-0001.wav", language=None, task="translate", prompt=None),
    dict(model="tiny-multi", clip="audio/wav16k/cathy_arctic_a0250.wav", language="de", task="transcribe",
         prompt="Guten Tag und danke schön."),
    dict(model="tiny-multi", clip="audio/wav16k/long_cathy_arctic_a0001_to_a0014.wav", language="en",
         task="transcribe", prompt=None),
    dict(model="tiny-multi", clip="audio/wav16k/ps_cards_001.wav", language="en", task="transcribe", prompt=None),
]

MIN_MARGIN = 1e-3  # smallest top-2 logit gap (after the filters) allowed at any greedy step
MIN_INT8_MARGIN = 0.01  # int8 cases: room for ONNX Runtime rounding differences in dynamic quantization
MIN_LANGUAGE_MARGIN = 0.05  # top-2 gap of the language logits
MIN_THRESHOLD_DISTANCE = 1e-3  # compression ratio, avg_logprob, no_speech_prob vs. their thresholds


def token_of(tokenizer, piece):
    if isinstance(piece, bytes):
        matches = [t for t, b in tokenizer.token_bytes.items() if b == piece and t < tokenizer.eot]
        assert len(matches) == 1, (piece, matches)
        return matches[0]
    ids = tokenizer.encode(piece)
    assert len(ids) == 1, (piece, ids)
    return ids[0]


def orthogonal(n, generator):
    q, r = torch.linalg.qr(torch.randn(n, n, generator=generator))
    return q * torch.sign(torch.diagonal(r))


@torch.no_grad()
def build_model(spec, tokenizer, seed, params=PARAMS, silence_gate=None):
    """A Whisper with random (seeded) weights, shaped so that greedy decoding behaves like Whisper:

    * encoder: conv1 holds 4 zero-mean spectral projections (+/- pairs), conv2 channel 0 sums their
      rectified values: a speech detector (high on speech, low on silence and on the zeroed padding);
      everything else is random at a small scale;
    * decoder block 0: cross-attention with a zero query (uniform weights) copies the mean detector value
      into SPEECH; self-attention head 0 attends to the latest timestamp token (recency via RAMP) and copies
      its time into MEM; other weights random at a small scale (history- and audio-dependent noise);
    * decoder block 1's MLP is linear (GELU(u) - GELU(-u) = u) and applies a designed map h = x + M x + c:
      text phrases advance by the rotation R_S; terminal tokens drive a
      timestamp; after a timestamp, EOT wins once its time passes the fraction of speech in the window;
      the next phrase after a timestamp is chosen by that timestamp token; timestamp logits have a jittered
      downward trend (jumps of about 1-3 s) tilted by the text and the audio;
    * the token embedding (tied with the output projection) carries all of it; untouched tokens get tiny
      random rows and a -10 logit bias, special tokens -30.
    """
    p = params
    dims = spec["dims"]
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = wm.Whisper(dims).eval()
    d = dims.n_text_state
    assert d == 16 and dims.n_text_head == 2

    def rn(*shape):
        return torch.randn(*shape, generator=generator)

    # encoder
    enc = model.encoder
    n_mels, ea = dims.n_mels, dims.n_audio_state
    for param in enc.parameters():
        param.mul_(p["enc_noise"])
    for module in enc.modules():
        if isinstance(module, nn.LayerNorm):
            module.weight.fill_(1.0)
            module.bias.zero_()
    w1 = rn(ea, n_mels, 3) * p["enc_noise"] * 0.02
    n_proj = 4
    for i in range(n_proj):
        w = rn(n_mels)
        w = w - w.mean()
        w = w / w.norm() * p["proj_gain"] / math.sqrt(n_mels)
        w1[2 * i] = w[:, None] / 3
        w1[2 * i + 1] = -w[:, None] / 3
    enc.conv1.weight.copy_(w1)
    enc.conv1.bias.zero_()
    w2 = rn(ea, ea, 3) * p["enc_noise"] * 0.1
    b2 = torch.zeros(ea)
    w2[0] = 0
    w2[0, : 2 * n_proj, :] = p["det_gain"] / 3
    b2[0] = -p["det_thr"]
    enc.conv2.weight.copy_(w2)
    enc.conv2.bias.copy_(b2)

    # decoder
    dec = model.decoder
    for param in dec.parameters():
        param.zero_()
    for block in dec.blocks:
        for ln in (block.attn_ln, block.cross_attn_ln, block.mlp_ln):
            ln.weight.fill_(1.0)
        for linear in (block.attn.query, block.attn.key, block.attn.value, block.attn.out,
                       block.cross_attn.query, block.cross_attn.key, block.cross_attn.value, block.cross_attn.out):
            linear.weight.copy_(rn(*linear.weight.shape) * p["dec_noise"])
    K = p["K"]
    E = rn(dims.n_vocab, d) * p["other_std"]

    def bias(rows, b):  # a per-token logit bias, carried by the constant pair
        E[rows, CPOS] = b / (2 * K)
        E[rows, CNEG] = -b / (2 * K)

    bias(slice(None), torch.full((dims.n_vocab,), p["b_other"]))
    E[:, [MEM, TERM, RAMP, TIME]] = 0
    phrases = [[token_of(tokenizer, piece) for piece in phrase] for phrase in spec["phrases"]]
    active = [t for phrase in phrases for t in phrase]
    assert len(set(active)) == len(active)
    assert not set(active) & set(tokenizer.non_speech_tokens())
    R_S = orthogonal(len(S), generator)
    directions = {}
    for phrase in phrases:
        u = rn(len(S))
        u = u / u.norm()
        for t in phrase:
            directions[t] = u
            u = R_S @ u
    for t in active:
        E[t] = 0
        E[t, S] = directions[t] * p["r"]
        E[t, TS] = -p["tau_text"]
    for phrase in phrases:
        E[phrase[-1], TERM] = p["tau_terminal"]
    bias(active, torch.full((len(active),), p["b_text"]))
    n_special = tokenizer.timestamp_begin - tokenizer.eot - 1
    bias(slice(tokenizer.eot + 1, tokenizer.timestamp_begin), torch.full((n_special,), p["b_special"]))
    ts0 = tokenizer.timestamp_begin
    k = torch.arange(1501, dtype=torch.float32)
    ts = slice(ts0, ts0 + 1501)
    E[ts] = 0
    starts = torch.stack([directions[phrase[0]] for phrase in phrases])
    choice = torch.randint(len(phrases), (1501,), generator=generator)
    E[ts, S] = (starts[choice] @ R_S) * p["ts_s"]  # R_S^-1: after <|k|> comes the start of phrase choice[k]
    E[ts, TS] = p["a_ts"]
    E[ts, TIME] = k / 1500 * p["s_time"]
    E[ts, TILT] = k / 1500 * p["s_tilt"]
    jitter = rn(1501) * p["ts_jitter"]
    jitter[:51] *= p["initial_jitter"] / p["ts_jitter"]  # a flatter choice of the first timestamp (<= 1 s)
    bias(ts, p["b_ts"] - p["ts_beta"] * k + jitter)
    for t in [tokenizer.sot, tokenizer.transcribe, tokenizer.translate, tokenizer.sot_prev] + tokenizer.language_tokens:
        v = rn(len(S))
        E[t, S] = v / v.norm() * p["special_s"]
    languages = torch.tensor(tokenizer.language_tokens)
    E[languages, SPEECH] = rn(len(languages)) * p["lang_audio"]
    # the task tokens (never sampled: they are suppressed) look like timestamps to block 0's attention (TS), with
    # their own TIME: the first sampled step's MEM, hence its timestamp tilt, depends on the task
    for t, sign in ((tokenizer.transcribe, -1.0), (tokenizer.translate, 1.0)):
        E[t, TS] = p["a_ts"]
        E[t, TIME] = sign * p["task_time"]
    bias(languages, p["b_special"] + rn(len(languages)) * p["lang_spread"])
    E[tokenizer.eot] = 0
    E[tokenizer.eot, EOT] = p["a_eot"]
    E[tokenizer.no_speech] = 0
    E[tokenizer.no_speech, SPEECH] = p["a_ns"]
    bias(tokenizer.no_speech, torch.tensor(p["b_ns"]))
    dec.token_embedding.weight.copy_(E)
    positions = rn(dims.n_text_ctx, d) * p["pos_noise"]
    positions[:, S] = rn(dims.n_text_ctx, len(S)) * p["pos_noise_s"]
    positions[:, [MEM, TERM, TIME, SPEECH]] = 0
    positions[:, RAMP] = torch.arange(dims.n_text_ctx) / dims.n_text_ctx * p["s_ramp"]
    positions[:, CPOS] = K
    positions[:, CNEG] = -K
    dec.positional_embedding.copy_(positions)

    sigma_x = p["sigma_x"]

    def blind(row):
        """LayerNorm subtracts the mean over all dims; the +K/-K pair sums to zero, so moving a readout row's
        total onto it (negated) makes the readout ignore that mean."""
        total = row.sum()
        row[CPOS] -= total / 2
        row[CNEG] -= total / 2

    sa = dec.blocks[0].attn
    dh = d // dims.n_text_head
    sq = dh**0.5
    for linear in (sa.query, sa.key, sa.value):
        linear.weight[:dh] = 0
    sa.query.bias[:dh] = 0
    sa.query.bias[0] = 1.0
    sa.query.bias[1] = 1.0
    sa.key.weight[0, TS] = p["att_ts"] * sq * sigma_x / p["a_ts"]
    blind(sa.key.weight[0])
    sa.key.weight[1, RAMP] = p["att_recency"] * sq * sigma_x * dims.n_text_ctx / p["s_ramp"]
    blind(sa.key.weight[1])
    sa.value.weight[0, TIME] = sigma_x
    blind(sa.value.weight[0])
    sa.value.bias[:dh] = 0
    for linear in (sa.out, dec.blocks[1].attn.out, dec.blocks[0].cross_attn.out, dec.blocks[1].cross_attn.out):
        linear.weight[[MEM, TERM, TIME, SPEECH, RAMP, CPOS, CNEG]] = 0
    sa.out.weight[:, :dh] = 0
    sa.out.weight[MEM, 0] = 1.0
    ca = dec.blocks[0].cross_attn
    ca.query.weight.zero_()
    ca.query.bias.zero_()
    ca.value.weight.zero_()
    ca.value.weight[SPEECH, 0] = 1.0
    ca.out.weight.zero_()
    ca.out.weight[SPEECH, SPEECH] = 1.0
    if silence_gate is not None:
        # block 0's MLP, one unit: GELU(slope * (x0 - SPEECH)) adds to the EOT drive when the window holds
        # (almost) no speech, so such a window decodes to a timestamp and EOT (and is skipped as no speech)
        x0, slope = silence_gate
        mlp0 = dec.blocks[0].mlp
        mlp0[0].weight[0, SPEECH] = -slope * sigma_x
        blind(mlp0[0].weight[0])
        mlp0[0].bias[0] = slope * x0
        mlp0[2].weight[EOT, 0] = p["gate_eot"]

    Mx = torch.zeros(d, d)
    c = torch.zeros(d)
    Mx[np.ix_(S, S)] = p["g"] * R_S - torch.eye(len(S)) + rn(len(S), len(S)) * p["m_s_noise"]
    Mx[np.ix_(S, [SPEECH])] = rn(len(S), 1) * p["m_audio_s"]
    beta, at, st = p["ts_beta"], p["a_ts"], p["s_time"]
    gain = (p["ts_h_ts"] - p["ts_h_text"]) / (at + p["tau_text"])
    Mx[TS, TS] = gain - 1.0
    c[TS] = p["ts_h_ts"] - gain * at
    Mx[TS, MEM] = beta * 1500 / (at * st)  # the timestamp class level follows the latest timestamp
    Mx[TS, TERM] = p["term_gain"] / (at * p["tau_terminal"])
    Mx[TERM, TERM] = -1.0
    alpha, ae = p["eot_alpha"], p["a_eot"]
    f_coef = alpha + 1500 * beta
    Mx[EOT, TIME] = f_coef / (ae * st)
    Mx[EOT, MEM] = (-1500 * beta + p["eot_text_mem"]) / (ae * st)
    Mx[EOT, SPEECH] = -f_coef / (ae * 4.4) * p["eot_speech_w"]
    c[EOT] = (-f_coef * 0.4 / 4.4 + p["eot_e0"]) / ae
    Mx[TILT, S] = rn(len(S)) * p["m_tilt"]
    Mx[TILT, TILT] = -1.0
    Mx[TILT, SPEECH] = p["tilt_audio"]
    Mx[TILT, MEM] = p["tilt_mem"]
    Mx[TIME, TIME] = -1.0
    Mx[MEM, MEM] = -1.0
    Mx[RAMP, RAMP] = -1.0
    # no-speech logit = ns_slope * (x0 - SPEECH) + c_ns, x0 being the silence gate's threshold (0 without it)
    x0 = silence_gate[0] if silence_gate is not None else 0.0
    Mx[SPEECH, SPEECH] = -1.0 - p["ns_slope"] / p["a_ns"]
    c[SPEECH] = (p["c_ns"] + p["ns_slope"] * x0) / p["a_ns"]
    for row in Mx:
        blind(row)
    # gelu(u) - gelu(-u) = u exactly: hidden units gelu(LN(x)) and gelu(-LN(x)) make the MLP linear, with no
    # large offsets (which would waste the int8 graph's dynamic quantization range)
    A = Mx * sigma_x
    mlp = dec.blocks[-1].mlp
    W1 = torch.zeros(4 * d, d)
    W1[:d] = torch.eye(d)
    W1[d : 2 * d] = -torch.eye(d)
    W2 = torch.zeros(d, 4 * d)
    W2[:, :d] = A
    W2[:, d : 2 * d] = -A
    mlp[0].weight.copy_(W1)
    mlp[0].bias.zero_()
    mlp[2].weight.copy_(W2)
    mlp[2].bias.copy_(c)
    dec.ln.weight.fill_(p["gamma"])
    dec.ln.bias.zero_()
    return model


# ----------------------------------------------------------------------------------------------------------
# Cases and their expectations


def tokenizer_for(spec):
    return WhisperTokenizer(SHARED / "whisper" / spec["vocabulary"], spec["num_languages"])


def case_id(case):
    clip = pathlib.Path(case["clip"]).stem
    parts = [case["model"], clip, case["task"]]
    if case["language"]:
        parts.append(case["language"])
    if case["prompt"]:
        parts.append("prompt")
    return "-".join(parts)


def run_case(model, tokenizer, case, int8, filters, backend=None, alignment_heads=None):
    audio = ref.load_wav(SHARED / case["clip"])
    return ref.transcribe(
        model, tokenizer, audio, filters, language=case["language"], task=case["task"],
        initial_prompt=case["prompt"], int8=int8, backend=backend, alignment_heads=alignment_heads,
    )


def words_json(result):
    """The transcription with word timestamps: OpenAI's segments (refined times, words) and each window's seeks."""
    return {
        "text": result["text"],
        "segments": result["segments"],
        "windows": [{"seek": w["seek"], "next_seek": w["next_seek"], "tokens": w["tokens"]} for w in result["windows"]],
    }


def summarize(tokenizer, result):
    """Rule coverage and robustness figures of one transcription."""
    ts_begin = tokenizer.timestamp_begin
    s = dict(windows=len(result["windows"]), timestamp_pairs=0, utf8_splits=0, lone_utf8_pieces=0,
             single_timestamp_endings=0, eot_windows=0, length_limit_windows=0, skipped_windows=0,
             needs_fallback_windows=0, text_tokens=0, timestamp_tokens=0, min_margin=math.inf,
             min_timestamp_rule_margin=math.inf, min_threshold_distance=math.inf, special_tokens_sampled=0)
    for w in result["windows"]:
        tokens = w["tokens"]
        is_ts = [t >= ts_begin for t in tokens]
        s["timestamp_pairs"] += sum(1 for i in range(len(tokens) - 1) if is_ts[i] and is_ts[i + 1])
        s["timestamp_tokens"] += sum(is_ts)
        s["text_tokens"] += sum(1 for t in tokens if t < tokenizer.eot)
        s["special_tokens_sampled"] += sum(1 for t in tokens if tokenizer.eot < t < ts_begin)
        s["utf8_splits"] += utf8_splits(tokenizer, tokens)
        s["lone_utf8_pieces"] += sum(
            1 for t in tokens if t < tokenizer.eot and not valid_utf8(tokenizer.token_bytes[t]))
        s["single_timestamp_endings"] += int(w.get("single_timestamp_ending", False))
        s["eot_windows"] += int(w["ended_with_eot"])
        s["length_limit_windows"] += int(not w["ended_with_eot"])
        s["skipped_windows"] += int(w["skipped_as_no_speech"])
        s["needs_fallback_windows"] += int(w["needs_fallback"])
        s["min_margin"] = min(s["min_margin"], min(w["stats"]["margins"]))
        s["min_timestamp_rule_margin"] = min([s["min_timestamp_rule_margin"]] + w["stats"]["timestamp_rule_margins"])
        s["min_threshold_distance"] = min(
            s["min_threshold_distance"],
            abs(w["compression_ratio"] - ref.COMPRESSION_RATIO_THRESHOLD),
            abs(w["avg_logprob"] - ref.LOGPROB_THRESHOLD),
            abs(w["no_speech_prob"] - ref.NO_SPEECH_THRESHOLD),
        )
    if result["language_detection"]:
        s["language_margin"] = result["language_detection"]["margin"]
    return s


def valid_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def utf8_splits(tokenizer, tokens):
    """How many characters are split across two consecutive tokens (neither decodes alone, both together do)."""
    count = 0
    for a, b in zip(tokens, tokens[1:]):
        if a < tokenizer.eot and b < tokenizer.eot:
            ba, bb = tokenizer.token_bytes[a], tokenizer.token_bytes[b]
            if not valid_utf8(ba) and not valid_utf8(bb) and valid_utf8(ba + bb):
                count += 1
    return count


def acceptable(summaries, int8_summaries):
    """The acceptance checks a seed must pass; returns a list of failures (empty: accepted)."""
    failures = []
    total = {}
    for s in summaries.values():
        for key, value in s.items():
            if key.startswith("min_") or key == "language_margin":
                total[key] = min(total.get(key, math.inf), value)
            else:
                total[key] = total.get(key, 0) + value
    if total["min_margin"] < MIN_MARGIN:
        failures.append(f"top-2 margin {total['min_margin']:.2e}")
    if total["min_timestamp_rule_margin"] < MIN_MARGIN:
        failures.append(f"timestamp-rule margin {total['min_timestamp_rule_margin']:.2e}")
    if total.get("language_margin", math.inf) < MIN_LANGUAGE_MARGIN:
        failures.append(f"language margin {total['language_margin']:.2e}")
    if total["min_threshold_distance"] < MIN_THRESHOLD_DISTANCE:
        failures.append(f"threshold distance {total['min_threshold_distance']:.2e}")
    if total["special_tokens_sampled"]:
        failures.append("a language/special token was sampled")
    for key, least in (("utf8_splits", 3), ("single_timestamp_endings", 1), ("length_limit_windows", 1),
                       ("needs_fallback_windows", 1), ("skipped_windows", 1), ("timestamp_pairs", 20)):
        if total[key] < least:
            failures.append(f"{key} {total[key]} < {least}")
    if total["eot_windows"] < 0.75 * total["windows"]:
        failures.append("fewer than 3/4 of the windows end with EOT")
    if total["windows"] - total["needs_fallback_windows"] == 0:
        failures.append("every window needs fallback")
    for name, s in summaries.items():
        if "ps_cards" in name:
            continue  # the no-speech case
        if s["timestamp_pairs"] < 1 or s["text_tokens"] < 5:
            failures.append(f"{name}: too few segments or text tokens")
    for name, s in int8_summaries.items():
        if s["min_margin"] < MIN_INT8_MARGIN or s["min_timestamp_rule_margin"] < MIN_INT8_MARGIN:
            failures.append(f"{name} (int8): margin {min(s['min_margin'], s['min_timestamp_rule_margin']):.3f}")
    return failures, total


NO_SPEECH_CLIP = "audio/wav16k/ps_cards_001.wav"


@torch.no_grad()
def speech_level(model, clip, filters):
    """The decoder's SPEECH value (block 0's cross-attention: mean of the encoder's detector channel) for the
    first window of a clip."""
    features = ref.window_features(ref.log_spectrogram(ref.load_wav(SHARED / clip), filters), 0)
    return float(model.encoder(features.unsqueeze(0))[0, :, 0].mean())


def silence_gate(model, cases, filters):
    """(x0, slope) for build_model's silence gate: open for the no-speech clip only, closed for the others."""
    clips = {c["clip"] for c in cases}
    if NO_SPEECH_CLIP not in clips:
        return None
    silent = speech_level(model, NO_SPEECH_CLIP, filters)
    others = min(speech_level(model, clip, filters) for clip in clips - {NO_SPEECH_CLIP})
    if others - silent < 0.05:
        return None
    x0 = (silent + others) / 2
    return x0, PARAMS["gate_pre"] / (x0 - silent)


def choose_seed(name, spec, tokenizer, cases, max_tries):
    filters = ref.load_mel_filters(SHARED / "whisper" / "mel_filters.npz", spec["dims"].n_mels)
    for seed in itertools.islice(itertools.count(spec["base_seed"]), max_tries):
        model = build_model(spec, tokenizer, seed)
        gate = silence_gate(model, cases, filters)
        if gate is None:
            print(f"{name} seed {seed}: rejected: no room for the silence gate", flush=True)
            continue
        model = build_model(spec, tokenizer, seed, silence_gate=gate)
        results, int8_results = {}, {}
        summaries, int8_summaries = {}, {}
        for case in cases:
            cid = case_id(case)
            results[cid] = run_case(model, tokenizer, case, False, filters)
            summaries[cid] = summarize(tokenizer, results[cid])
            if case.get("int8"):
                int8_results[cid] = run_case(model, tokenizer, case, True, filters)
                int8_summaries[cid] = summarize(tokenizer, int8_results[cid])
        failures, total = acceptable(summaries, int8_summaries)
        print(f"{name} seed {seed}: {'accepted' if not failures else 'rejected: ' + '; '.join(failures)}", flush=True)
        if not failures:
            return seed, gate, model, results, int8_results, summaries, int8_summaries, total
    raise SystemExit(f"{name}: no acceptable seed in {max_tries} tries")


# ----------------------------------------------------------------------------------------------------------
# Checks


@torch.no_grad()
def check_decoder_cache(model, tokenizer):
    """The export wrapper called like the C# engine (all initial tokens at offset 0, then one token per call,
    feeding back its caches) gives the same logits as decoding the whole sequence at once."""
    dims = model.dims
    mel = torch.randn(1, dims.n_mels, 3000, generator=torch.Generator().manual_seed(7))
    cross_k, cross_v = wm.EncoderExport(model)(mel)
    ts = tokenizer.timestamp_begin
    tokens = [tokenizer.sot_prev, 220, 262, tokenizer.sot, ts + 3, 843, 523, ts + 40]
    full = model.decoder(torch.tensor([tokens]), model.encoder(mel))[0]
    decoder = wm.DecoderExport(model)
    k_cache, v_cache = wm.empty_caches(dims)
    initial = 4
    logits, k_cache, v_cache = decoder(torch.tensor([tokens[:initial]]), k_cache, v_cache, cross_k, cross_v,
                                       torch.tensor([0]))
    steps = [logits[0]]
    for i in range(initial, len(tokens)):
        logits, k_cache, v_cache = decoder(torch.tensor([[tokens[i]]]), k_cache.clone(), v_cache.clone(), cross_k,
                                           cross_v, torch.tensor([i]))
        steps.append(logits[0])
    difference = float((torch.cat(steps) - full).abs().max())
    scale = float(full.abs().max())
    assert difference <= 1e-5 * max(1.0, scale), (difference, scale)
    assert float(k_cache[:, :, len(tokens):].abs().max()) == 0.0  # rows past offset + n_tokens are untouched
    return difference


def check_metadata(proto, tokenizer, dims):
    meta = {p.key: p.value for p in proto.metadata_props}
    expected_keys = [
        "model_type", "version", "maintainer", "n_mels", "n_audio_ctx", "n_audio_state", "n_audio_head",
        "n_audio_layer", "n_vocab", "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "sot_sequence",
        "all_language_tokens", "all_language_codes", "sot", "sot_index", "eot", "blank_id", "is_multilingual",
        "no_speech", "non_speech_tokens", "transcribe", "translate", "sot_prev", "sot_lm", "no_timestamps",
        "alignment_heads",
    ]
    assert [p.key for p in proto.metadata_props] == expected_keys
    assert int(meta["n_vocab"]) == dims.n_vocab == tokenizer.n_vocab
    tokens = [int(t) for t in meta["all_language_tokens"].split(",")]
    codes = meta["all_language_codes"].split(",")
    assert sorted(tokens) == tokenizer.language_tokens
    assert all(tokenizer.language_token(c) == t for c, t in zip(codes, tokens))
    return meta


class OrtBackend:
    """Runs the exported .onnx files through ONNX Runtime (ort_ctypes), called as the C# engine calls them."""

    def __init__(self, runtime, encoder_path, decoder_path, dims):
        self.encoder = runtime.session(encoder_path)
        self.decoder = runtime.session(decoder_path)
        self.dims = dims

    def start(self, features):
        cross_k, cross_v = self.encoder.run({"mel": features.unsqueeze(0).numpy()},
                                            ["n_layer_cross_k", "n_layer_cross_v"])
        return _OrtDecoder(self, cross_k, cross_v)


class _OrtDecoder:
    def __init__(self, backend, cross_k, cross_v):
        self.backend = backend
        self.cross = (cross_k, cross_v)
        k, v = wm.empty_caches(backend.dims)
        self.k, self.v = k.numpy(), v.numpy()
        self.length = 0

    def __call__(self, tokens):
        logits, self.k, self.v = self.backend.decoder.run(
            {
                "tokens": np.array([tokens], dtype=np.int64),
                "in_n_layer_self_k_cache": self.k,
                "in_n_layer_self_v_cache": self.v,
                "n_layer_cross_k": self.cross[0],
                "n_layer_cross_v": self.cross[1],
                "offset": np.array([self.length], dtype=np.int64),
            },
            ["logits", "out_n_layer_self_k_cache", "out_n_layer_self_v_cache"],
        )
        self.length += len(tokens)
        return torch.from_numpy(logits[0])


def compare_results(expected, actual):
    """Differences between two transcriptions, as text (empty: same tokens, segments and decisions)."""
    problems = []
    if expected["language"] != actual["language"]:
        problems.append(f"language {expected['language']} != {actual['language']}")
    if len(expected["windows"]) != len(actual["windows"]):
        problems.append(f"{len(expected['windows'])} != {len(actual['windows'])} windows")
    for a, b in zip(expected["windows"], actual["windows"]):
        if a["tokens"] != b["tokens"] or a["seek"] != b["seek"]:
            problems.append(f"window at seek {a['seek']}: tokens differ")
    if [s["tokens"] for s in expected["segments"]] != [s["tokens"] for s in actual["segments"]]:
        problems.append("segments differ")
    return problems


def max_field_difference(expected, actual, field):
    return max((abs(a[field] - b[field]) for a, b in zip(expected["windows"], actual["windows"])), default=0.0)


# ----------------------------------------------------------------------------------------------------------
# Outputs


def window_json(window, eot):
    return {
        "seek": window["seek"],
        "segment_size": window["segment_size"],
        "prompt_tokens": window["initial_tokens"],
        "sampled_tokens": window["tokens"] + ([eot] if window["ended_with_eot"] else []),
        "ended_with_eot": window["ended_with_eot"],
        "text": window["text"],
        "sum_logprob": window["sum_logprob"],
        "avg_logprob": window["avg_logprob"],
        "no_speech_prob": window["no_speech_prob"],
        "compression_ratio": window["compression_ratio"],
        "needs_fallback": window["needs_fallback"],
        "skipped_as_no_speech": window["skipped_as_no_speech"],
        "single_timestamp_ending": window.get("single_timestamp_ending"),
        "next_seek": window["next_seek"],
        "min_top2_margin": min(window["stats"]["margins"]),
        "min_timestamp_rule_margin": min(window["stats"]["timestamp_rule_margins"], default=None),
    }


def case_json(case, precision, tokenizer, result, summary, word_result):
    windows = [window_json(window, tokenizer.eot) for window in result["windows"]]
    detection = result["language_detection"]
    if detection is not None:
        top = sorted(detection["probs"].items(), key=lambda kv: -kv[1])[:5]
        detection = {
            "language": detection["language"],
            "token": detection["token"],
            "top2_logit_margin": detection["margin"],
            "top5_probabilities": {code: prob for code, prob in top},
        }
    return {
        "id": f"{case_id(case)}-{precision}",
        "model": case["model"],
        "precision": precision,
        "clip": case["clip"],
        "options": {
            "language": case["language"],
            "task": case["task"],
            "prompt": case["prompt"],
            "temperatures": [0.0],
            "condition_on_previous_text": True,
        },
        "language": result["language"],
        "language_detection": detection,
        "duration": result["duration"],
        "content_frames": result["content_frames"],
        "text": result["text"],
        "segments": result["segments"],
        "windows": windows,
        "coverage": {k: v for k, v in summary.items() if not k.startswith("min_")},
        "min_top2_margin": summary["min_margin"],
        "word_timestamps": words_json(word_result),
    }


def mel_arrays(long_seeks):
    """Reference decoder inputs (float32 [n_mels, 3000]) for the C# feature tests, and the claim check.

    long_seeks: {n_mels: window seeks of the long clip's cases} (non-zero seeks test the per-window floor).
    """
    arrays = {}
    for n_mels in (80, 128):
        filters = ref.load_mel_filters(SHARED / "whisper" / "mel_filters.npz", n_mels)
        for clip in ("jfk", "lj_LJ001-0001", "arctic_aew_a0001", "cathy_arctic_a0250"):
            log_spec = ref.log_spectrogram(ref.load_wav(SHARED / "audio" / "wav16k" / f"{clip}.wav"), filters)
            window = ref.window_features(log_spec, 0)
            # for a clip of at most 30 s the per-window rule gives exactly OpenAI's transcribe() features
            assert torch.equal(window, ref.openai_first_window_features(log_spec)), clip
            assert torch.equal(
                ref.language_detection_features(log_spec), ref.openai_language_detection_features(log_spec))
            if clip == "jfk" or (clip == "lj_LJ001-0001" and n_mels == 80):
                arrays[f"{clip}_seek0_{n_mels}"] = window.numpy()
            if clip == "jfk" and n_mels == 128:
                arrays["jfk_langid_128"] = ref.language_detection_features(log_spec).numpy()
        clip = "long_cathy_arctic_a0001_to_a0014"
        log_spec = ref.log_spectrogram(ref.load_wav(SHARED / "audio" / "wav16k" / f"{clip}.wav"), filters)
        for seek in sorted(set(long_seeks.get(n_mels, [])) | ({0} if n_mels == 80 else set())):
            arrays[f"{clip}_seek{seek}_{n_mels}"] = ref.window_features(log_spec, seek).numpy()
    return {name: np.ascontiguousarray(a, dtype=np.float32) for name, a in arrays.items()}


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def file_info(path):
    import hashlib

    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-tries", type=int, default=100, help="seeds to try per model")
    parser.add_argument("--no-ort", action="store_true", help="skip the ONNX Runtime cross-check")
    args = parser.parse_args(argv)
    started = time.time()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    runtime = None
    if not args.no_ort:
        import ort_ctypes

        library = ort_ctypes.find_library()
        if library:
            runtime = ort_ctypes.Runtime(library)
            print(f"ONNX Runtime {runtime.version} from {library}")
        else:
            print("ONNX Runtime not found: skipping the cross-check")
    expected = {
        "generator": "tools/testmodels/generate_whisper_models.py",
        "reference": "tools/testmodels/whisper_reference.py",
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "numpy_version": np.__version__,
        "opset": wm.OPSET,
        "shared_models": "../shared/models (clip paths are relative to it)",
        "models": {},
        "cases": [],
    }
    ort_report = {}
    long_seeks = {}
    for name, spec in MODELS.items():
        tokenizer = tokenizer_for(spec)
        cases = [c for c in CASES if c["model"] == name]
        seed, gate, model, results, int8_results, summaries, int8_summaries, total = choose_seed(
            name, spec, tokenizer, cases, args.max_tries)
        out_dir = OUTPUT_DIR / name
        order = list(tokenizer.language_tokens)
        # sherpa-onnx lists the languages in Python set order; mimic that with a seeded shuffle
        np.random.default_rng(seed).shuffle(order)
        files = wm.write_model_files(model, name, tokenizer, SHARED / "whisper" / spec["vocabulary"], order, out_dir,
                                     alignment_heads=spec["alignment_heads"])
        metadata = check_metadata(files[f"{name}-encoder.onnx"], tokenizer, spec["dims"])
        cache_difference = check_decoder_cache(model, tokenizer)
        expected["models"][name] = {
            "seed": seed,
            "silence_gate": {"x0": gate[0], "slope": gate[1]},
            "dims": dict(vars(spec["dims"])),
            "metadata": metadata,
            "timestamp_begin": tokenizer.timestamp_begin,
            "alignment_heads": [list(h) for h in spec["alignment_heads"]],
            "files": {f.name: file_info(f) for f in sorted(out_dir.iterdir())},
            "decoder_cache_check_max_difference": cache_difference,
            "coverage": {k: v for k, v in total.items()},
        }
        filters = ref.load_mel_filters(SHARED / "whisper" / "mel_filters.npz", spec["dims"].n_mels)
        for case in cases:
            cid = case_id(case)
            heads = spec["alignment_heads"]
            words = run_case(model, tokenizer, case, False, filters, alignment_heads=heads)
            expected["cases"].append(case_json(case, "fp32", tokenizer, results[cid], summaries[cid], words))
            if cid in int8_results:
                words = run_case(model, tokenizer, case, True, filters, alignment_heads=heads)
                expected["cases"].append(
                    case_json(case, "int8", tokenizer, int8_results[cid], int8_summaries[cid], words))
            if "long_" in case["clip"]:
                long_seeks.setdefault(spec["dims"].n_mels, []).extend(
                    w["seek"] for w in results[cid]["windows"] if w["seek"] > 0)
        if runtime is not None:
            filters = ref.load_mel_filters(SHARED / "whisper" / "mel_filters.npz", spec["dims"].n_mels)
            for precision, suffix, table in (("fp32", "", results), ("int8", ".int8", int8_results)):
                backend = OrtBackend(runtime, out_dir / f"{name}-encoder{suffix}.onnx",
                                     out_dir / f"{name}-decoder{suffix}.onnx", spec["dims"])
                for cid, result in table.items():
                    case = next(c for c in cases if case_id(c) == cid)
                    actual = run_case(model, tokenizer, case, False, filters, backend=backend)
                    ort_report[f"{cid}-{precision}"] = {
                        "problems": compare_results(result, actual),
                        "max_avg_logprob_difference": max_field_difference(result, actual, "avg_logprob"),
                        "max_no_speech_prob_difference": max_field_difference(result, actual, "no_speech_prob"),
                    }
                    print(f"  ONNX Runtime {cid} {precision}: {ort_report[f'{cid}-{precision}']}", flush=True)
    all_margins = [c["min_top2_margin"] for c in expected["cases"] if c["precision"] == "fp32"]
    expected["smallest_top2_margin_fp32"] = min(all_margins)
    int8_margins = [c["min_top2_margin"] for c in expected["cases"] if c["precision"] == "int8"]
    expected["smallest_top2_margin_int8"] = min(int8_margins) if int8_margins else None
    if runtime is not None:
        expected["onnxruntime_cross_check"] = {"version": runtime.version, "cases": ort_report}
    write_json(OUTPUT_DIR / "expected-transcripts.json", expected)
    np.savez_compressed(OUTPUT_DIR / "expected-mel.npz", **mel_arrays(long_seeks))
    print(f"done in {time.time() - started:.0f} s")
    failed = [k for k, v in ort_report.items() if v["problems"]]
    if failed:
        raise SystemExit(f"ONNX Runtime disagrees with the reference on {failed}")


if __name__ == "__main__":
    main()
