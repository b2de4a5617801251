"""Writes a random-weight Piper voice with the real dimensions of a Piper "medium" (or "high") voice.

The tiny test voices (generate_piper_voices.py) make ONNX Runtime's Run negligible; this one makes it cost what a
real voice costs, so benchmarks time text-to-speech realistically. Same ONNX interface (`input`, `input_lengths`,
`scales` -> `output` [1, 1, samples]), single speaker, 22050 Hz, hop 256. The sizes are piper_train's
(vits/lightning.py defaults, `--quality high` overrides in __main__.py), as VITS's SynthesizerTrn.infer uses them:

* text encoder: 256-symbol embedding, 6 post-norm transformer layers 192 wide, 2 heads with relative positions
  (window 4), feed-forward 768 wide with kernel 3, projection to 2 x 192 (prior mean and log-scale);
* stochastic duration predictor (reverse): 1x1 conv, a dilated depthwise-separable stack (DDSConv: 3 layers,
  kernel 3, 192 wide), 1x1 conv, then 3 conv flows with a DDSConv each. Deviation: each flow shifts and scales
  (affine) where VITS evaluates a rational-quadratic spline; that is elementwise work on [1, 1, phonemes], nothing
  next to the convolutions. Durations are a per-symbol base times the predictor's random variation (see
  PHONE_FRAMES), so speech has a real pace;
* flow: 4 mean-only coupling layers, each a 4-layer WaveNet (kernel 5, 192 wide, gated tanh x sigmoid), run on
  every frame: after the decoder, the largest cost;
* HiFi-GAN decoder, per quality (DECODERS). Piper's medium voices (en_US-lessac-medium, ~63 MB) use the default:
  256 channels, upsampling 8x8x4, ResBlock2 with kernels 3/5/7. "high" (~114 MB) is HiFi-GAN V1: 512 channels,
  8x8x2x2, ResBlock1 with kernels 3/7/11, about four times the decoder work of medium.

Untraced parts of VITS (posterior encoder, the duration predictor's training flows) are left out, as Piper's
export leaves them out of the ONNX file. Medium: 15.6 M parameters, 62.8 MB (the real voice: 63.2 MB); high:
28.3 M, 113.5 MB. The config is the real en_US-lessac-medium.onnx.json (phoneme_id_map, espeak voice, inference
scales, so length_scale 1.1) with `dataset` and `audio.quality` changed.

Run from the repo root with Debian's interpreter (seeded, so reruns give the same bytes; 10-30 s on 2 cores):

    /usr/bin/python3 tools/testmodels/piper_real_dims.py [--quality medium|high] [--out DIR] [--seed 0]

It writes bench/models/piper-<quality>-dims/voice.onnx + voice.onnx.json (git-ignored), checks the ONNX file
(onnx.checker, Piper's interface), prints the size and speech rate, and when libonnxruntime.so is found (see
ort_ctypes.py) runs the file and compares it with PyTorch.
"""

import argparse
import json
import math
import os
import pathlib
import time
import unicodedata

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

import generate_piper_voices as tiny
import piper_reference_phonemizer as phonemizer

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_MODELS = pathlib.Path(os.environ.get("HEARSAY_TEST_ASSETS", REPO_ROOT.parent / "shared" / "models"))
REAL_CONFIG = SHARED_MODELS / "piper" / "en_US-lessac-medium.onnx.json"

HIDDEN = 192  # hidden_channels = inter_channels (x-low voices use 96)
FILTER = 768  # the encoder's feed-forward width
HEADS, ENCODER_LAYERS, WINDOW = 2, 6, 4  # WINDOW: relative positions -4..4, as VITS's attention
DURATION_FLOWS, DDS_LAYERS = 3, 3  # the 4 conv flows minus the one VITS drops at inference
COUPLING_LAYERS, WAVENET_LAYERS, WAVENET_KERNEL = 4, 4, 5
LRELU_SLOPE = 0.1
DECODERS = {
    "medium": dict(channels=256, rates=(8, 8, 4), up_kernels=(16, 16, 8), resblock=2,
                   kernels=(3, 5, 7), dilations=((1, 2), (2, 6), (3, 12))),
    "high": dict(channels=512, rates=(8, 8, 2, 2), up_kernels=(16, 16, 4, 4), resblock=1,
                 kernels=(3, 7, 11), dilations=((1, 3, 5),) * 3),
}
SAMPLE_RATE, HOP = 22050, 256
# Random weights cannot learn durations, so each id has a base duration, as a trained voice roughly gives them:
# PHONE_FRAMES for phones (IPA letters), 1 frame for the pads between them, stress marks, spaces and punctuation.
# The predictor's output scales it by exp(+-DURATION_SPREAD). With the pads that makes ~6.5 frames per phone
# (~13 phones/s), the pace of real English voices; report() checks it on CALIBRATION_TEXT.
PHONE_FRAMES, DURATION_SPREAD = 3.6, 0.3
CALIBRATION_TEXT = "The quick brown fox jumps over the lazy dog."
OUTPUT_PEAK = 0.6  # the calibration sentence's peak (at the voice's noise); tanh keeps any output inside (-1, 1)


def channel_norm(norm, x):
    """LayerNorm over channels of [B, C, T], as VITS's modules.LayerNorm."""
    return norm(x.transpose(1, 2)).transpose(1, 2)


class RelativeAttention(nn.Module):
    """VITS's multi-head self-attention with learned relative-position keys and values (shared by heads).

    VITS gets the relative terms by padding and reshaping; this gathers them with a one-hot [T, T, 2W+1] of the
    offset j - i (zero outside the window): the same sums.
    """

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Conv1d(HIDDEN, HIDDEN, 1) for _ in range(4))
        depth = HIDDEN // HEADS
        self.rel_k = nn.Parameter(torch.randn(2 * WINDOW + 1, depth) * depth**-0.5)
        self.rel_v = nn.Parameter(torch.randn(2 * WINDOW + 1, depth) * depth**-0.5)

    def forward(self, x, mask):
        b, _, t = x.shape
        q, k, v = (conv(x).view(b, HEADS, -1, t).transpose(2, 3) for conv in (self.q, self.k, self.v))
        q = q * (HIDDEN // HEADS) ** -0.5
        positions = torch.arange(t)
        offsets = positions.view(1, -1) - positions.view(-1, 1)
        one_hot = (offsets.unsqueeze(-1) == torch.arange(-WINDOW, WINDOW + 1)).float()  # [T, T, 2W+1]
        rel_scores = torch.matmul(torch.matmul(q, self.rel_k.t()).unsqueeze(3), one_hot.transpose(1, 2)).squeeze(3)
        scores = torch.matmul(q, k.transpose(2, 3)) + rel_scores
        pair_mask = mask.unsqueeze(2) * mask.unsqueeze(3)  # [B, 1, T, T]
        weights = torch.softmax(scores.masked_fill(pair_mask == 0, -1e4), dim=-1)
        rel_weights = torch.matmul(weights.unsqueeze(3), one_hot).squeeze(3)  # [B, H, T, 2W+1]
        out = torch.matmul(weights, v) + torch.matmul(rel_weights, self.rel_v)
        return self.o(out.transpose(2, 3).reshape(b, HIDDEN, t))


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(tiny.NUM_SYMBOLS, HIDDEN)
        nn.init.normal_(self.embedding.weight, 0.0, HIDDEN**-0.5)
        self.attention = nn.ModuleList(RelativeAttention() for _ in range(ENCODER_LAYERS))
        self.ffn_in = nn.ModuleList(nn.Conv1d(HIDDEN, FILTER, 3, padding=1) for _ in range(ENCODER_LAYERS))
        self.ffn_out = nn.ModuleList(nn.Conv1d(FILTER, HIDDEN, 3, padding=1) for _ in range(ENCODER_LAYERS))
        self.norm1 = nn.ModuleList(nn.LayerNorm(HIDDEN) for _ in range(ENCODER_LAYERS))
        self.norm2 = nn.ModuleList(nn.LayerNorm(HIDDEN) for _ in range(ENCODER_LAYERS))
        self.proj = nn.Conv1d(HIDDEN, 2 * HIDDEN, 1)

    def forward(self, ids, lengths):
        """ids [B, T] -> hidden [B, H, T], prior mean and log-scale [B, H, T] each, mask [B, 1, T]."""
        mask = tiny.sequence_mask(lengths, ids.size(1)).unsqueeze(1)
        x = self.embedding(ids).transpose(1, 2) * math.sqrt(HIDDEN) * mask
        for attention, ffn_in, ffn_out, norm1, norm2 in zip(
                self.attention, self.ffn_in, self.ffn_out, self.norm1, self.norm2):
            x = channel_norm(norm1, x + attention(x, mask))
            y = ffn_out(torch.relu(ffn_in(x * mask)) * mask) * mask
            x = channel_norm(norm2, x + y)
        x = x * mask
        mean, log_scale = (self.proj(x) * mask).split(HIDDEN, 1)
        return x, mean, log_scale, mask


class DDSConv(nn.Module):
    """Dilated depthwise-separable convolutions (dilation 1, 3, 9) with LayerNorm and GELU, residual."""

    def __init__(self):
        super().__init__()
        self.depthwise = nn.ModuleList(
            nn.Conv1d(HIDDEN, HIDDEN, 3, groups=HIDDEN, dilation=3**i, padding=3**i) for i in range(DDS_LAYERS))
        self.pointwise = nn.ModuleList(nn.Conv1d(HIDDEN, HIDDEN, 1) for _ in range(DDS_LAYERS))
        self.norm1 = nn.ModuleList(nn.LayerNorm(HIDDEN) for _ in range(DDS_LAYERS))
        self.norm2 = nn.ModuleList(nn.LayerNorm(HIDDEN) for _ in range(DDS_LAYERS))

    def forward(self, x, mask, condition=None):
        if condition is not None:
            x = x + condition
        for depthwise, pointwise, norm1, norm2 in zip(self.depthwise, self.pointwise, self.norm1, self.norm2):
            y = F.gelu(channel_norm(norm1, depthwise(x * mask)))
            x = x + F.gelu(channel_norm(norm2, pointwise(y)))
        return x * mask


class ConvFlow(nn.Module):
    """One of the duration predictor's flows: channel 0 conditions the transform of channel 1."""

    def __init__(self):
        super().__init__()
        self.pre = nn.Conv1d(1, HIDDEN, 1)
        self.convs = DDSConv()
        self.proj = nn.Conv1d(HIDDEN, 2, 1)

    def forward(self, z, mask, condition):
        z0, z1 = z.split(1, 1)
        shift, log_scale = (self.proj(self.convs(self.pre(z0), mask, condition)) * mask).split(1, 1)
        return torch.cat([z0, (z1 - shift) * torch.exp(-torch.tanh(log_scale)) * mask], 1)


class DurationPredictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("base_frames", base_frames())
        self.pre = nn.Conv1d(HIDDEN, HIDDEN, 1)
        self.convs = DDSConv()
        self.proj = nn.Conv1d(HIDDEN, HIDDEN, 1)
        self.flows = nn.ModuleList(ConvFlow() for _ in range(DURATION_FLOWS))

    def forward(self, ids, x, mask, noise_w):
        """Frames per id [B, 1, T] at length_scale 1, before rounding up."""
        condition = self.proj(self.convs(self.pre(x), mask)) * mask
        z = torch.randn_like(x[:, :2]) * noise_w
        for flow in self.flows:
            z = flow(torch.flip(z, [1]), mask, condition)
        variation = torch.exp(DURATION_SPREAD * torch.tanh(z[:, 1:]))
        return self.base_frames[ids].unsqueeze(1) * variation * mask


def base_frames():
    """Frames per symbol id before the predictor's variation: PHONE_FRAMES for IPA letters, 1 for the rest."""
    frames = torch.ones(tiny.NUM_SYMBOLS)
    for symbol, (symbol_id,) in tiny.PHONEME_ID_MAP.items():
        if is_phone(symbol):
            frames[symbol_id] = PHONE_FRAMES
    return frames


def is_phone(symbol):
    """IPA letters, not pads, BOS/EOS, spaces, punctuation, stress or length marks."""
    return unicodedata.category(symbol) in ("Ll", "Lo")


class CouplingLayer(nn.Module):
    """VITS's mean-only ResidualCouplingLayer in reverse: a WaveNet on one half shifts the other half."""

    def __init__(self):
        super().__init__()
        half = HIDDEN // 2
        self.pre = nn.Conv1d(half, HIDDEN, 1)
        self.dilated = nn.ModuleList(
            nn.Conv1d(HIDDEN, 2 * HIDDEN, WAVENET_KERNEL, padding=WAVENET_KERNEL // 2) for _ in range(WAVENET_LAYERS))
        self.res_skip = nn.ModuleList(
            nn.Conv1d(HIDDEN, HIDDEN if i == WAVENET_LAYERS - 1 else 2 * HIDDEN, 1) for i in range(WAVENET_LAYERS))
        self.post = nn.Conv1d(HIDDEN, half, 1)

    def forward(self, x, mask):
        x0, x1 = x.split(HIDDEN // 2, 1)
        h = self.pre(x0) * mask
        skip = torch.zeros_like(h)
        for i, (dilated, res_skip) in enumerate(zip(self.dilated, self.res_skip)):
            gate, signal = dilated(h).split(HIDDEN, 1)
            out = res_skip(torch.tanh(gate) * torch.sigmoid(signal))
            if i < WAVENET_LAYERS - 1:
                h = (h + out[:, :HIDDEN]) * mask
                out = out[:, HIDDEN:]
            skip = skip + out
        shift = self.post(skip * mask) * mask
        return torch.cat([x0, (x1 - shift) * mask], 1)


class ResBlock(nn.Module):
    """HiFi-GAN ResBlock1 (each dilated conv followed by an undilated one) or ResBlock2 (dilated convs only)."""

    def __init__(self, channels, kernel, dilations, kind):
        super().__init__()
        self.dilated = nn.ModuleList(
            nn.Conv1d(channels, channels, kernel, dilation=d, padding=d * (kernel - 1) // 2) for d in dilations)
        self.undilated = nn.ModuleList(
            nn.Conv1d(channels, channels, kernel, padding=(kernel - 1) // 2) for _ in dilations) if kind == 1 else None

    def forward(self, x):
        for i, dilated in enumerate(self.dilated):
            y = dilated(F.leaky_relu(x, LRELU_SLOPE))
            if self.undilated is not None:
                y = self.undilated[i](F.leaky_relu(y, LRELU_SLOPE))
            x = x + y
        return x


class Generator(nn.Module):
    """HiFi-GAN: frames [B, 192, F] -> audio [B, 1, F * 256] in (-1, 1)."""

    def __init__(self, channels, rates, up_kernels, resblock, kernels, dilations):
        super().__init__()
        assert math.prod(rates) == HOP
        self.pre = nn.Conv1d(HIDDEN, channels, 7, padding=3)
        self.ups = nn.ModuleList(
            nn.ConvTranspose1d(channels >> i, channels >> (i + 1), k, u, padding=(k - u) // 2)
            for i, (u, k) in enumerate(zip(rates, up_kernels)))
        self.resblocks = nn.ModuleList(
            nn.ModuleList(ResBlock(channels >> (i + 1), k, d, resblock) for k, d in zip(kernels, dilations))
            for i in range(len(rates)))
        self.post = nn.Conv1d(channels >> len(rates), 1, 7, padding=3, bias=False)

    def forward(self, x):
        x = self.pre(x)
        for up, blocks in zip(self.ups, self.resblocks):
            x = up(F.leaky_relu(x, LRELU_SLOPE))
            x = sum(block(x) for block in blocks) / len(blocks)
        return torch.tanh(self.post(F.leaky_relu(x)))


class RealDimsVoice(nn.Module):
    """VITS's SynthesizerTrn.infer with Piper's ONNX inputs."""

    def __init__(self, quality):
        super().__init__()
        self.encoder = TextEncoder()
        self.duration = DurationPredictor()
        self.flow = nn.ModuleList(CouplingLayer() for _ in range(COUPLING_LAYERS))
        self.decoder = Generator(**DECODERS[quality])

    def forward(self, input, input_lengths, scales):
        noise_scale, length_scale, noise_w = scales[0], scales[1], scales[2]
        x, mean, log_scale, mask = self.encoder(input, input_lengths)
        w = self.duration(input, x, mask, noise_w) * length_scale
        prior, frame_mask = tiny.expand(torch.cat([mean, log_scale], 1), torch.ceil(w))
        mean, log_scale = prior.split(HIDDEN, 1)
        z = mean + torch.randn_like(mean) * torch.exp(log_scale) * noise_scale
        for layer in reversed(self.flow):  # VITS flips the channels before each reversed coupling
            z = layer(torch.flip(z, [1]), frame_mask)
        return self.decoder(z * frame_mask)


@torch.no_grad()
def build_model(quality, seed):
    """Seeded random weights at unit gain (activations stay O(1): no denormals to slow a benchmark), then the
    last convolution scaled so that the calibration sentence peaks at OUTPUT_PEAK."""
    torch.manual_seed(seed)
    model = RealDimsVoice(quality).eval()
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.ConvTranspose1d)):
            fan_in = module.in_channels // module.groups * module.kernel_size[0] / module.stride[0]
            nn.init.normal_(module.weight, 0.0, fan_in**-0.5)
    for flow in model.duration.flows:  # weak shifts, else one random offset pins every duration to one end
        flow.proj.weight *= 0.3
        nn.init.zeros_(flow.proj.bias)
    before_tanh = []
    hook = model.decoder.post.register_forward_hook(lambda module, inputs, output: before_tanh.append(output))
    model(*calibration_inputs(noise=True))
    hook.remove()
    model.decoder.post.weight *= math.atanh(OUTPUT_PEAK) / float(before_tanh[0].abs().max())
    return model


def calibration_inputs(noise):
    (phonemes,) = phonemizer.phonemize(CALIBRATION_TEXT, "en-us")
    ids = phonemizer.phoneme_ids(phonemes, tiny.PHONEME_ID_MAP)
    return tiny.model_inputs(ids, None, 0.667 if noise else 0.0, 1.0, 0.8 if noise else 0.0)


def voice_config(quality):
    if not REAL_CONFIG.is_file():
        raise SystemExit(f"missing {REAL_CONFIG} (the real voice config to copy; set HEARSAY_TEST_ASSETS)")
    config = json.loads(REAL_CONFIG.read_text(encoding="utf-8"))
    assert config["phoneme_id_map"] == tiny.PHONEME_ID_MAP and config["audio"]["sample_rate"] == SAMPLE_RATE
    config["audio"]["quality"] = quality
    config["dataset"] = f"hearsay-piper-{quality}-dims"
    return config


@torch.no_grad()
def report(model, path):
    """Prints size and speech rate, checks the output, and compares ONNX Runtime with PyTorch when it is found."""
    parameters = sum(p.numel() for p in model.parameters())
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, {parameters / 1e6:.2f} M parameters")
    inputs = calibration_inputs(noise=True)
    audio = model(*inputs).numpy()
    symbols = {symbol_id: symbol for symbol, (symbol_id,) in tiny.PHONEME_ID_MAP.items()}
    phonemes = sum(is_phone(symbols[symbol_id]) for symbol_id in inputs[0][0].tolist())
    seconds = audio.size / SAMPLE_RATE
    assert np.isfinite(audio).all() and np.abs(audio).max() < 1.0
    print(f"{CALIBRATION_TEXT!r} at length_scale 1: {phonemes} phonemes, {seconds:.2f} s "
          f"({phonemes / seconds:.1f} phonemes/s, {audio.size / HOP / phonemes:.1f} frames per phoneme), "
          f"peak {np.abs(audio).max():.2f}")
    assert 11 <= phonemes / seconds <= 16, "durations are not realistic"
    import ort_ctypes

    library = ort_ctypes.find_library()
    if library is None:
        print("ONNX Runtime not found (set HEARSAY_ORT_LIB): skipped the PyTorch/ONNX comparison")
        return
    session = ort_ctypes.Runtime(library, threads=os.cpu_count()).session(path)
    ids, lengths, scales = calibration_inputs(noise=False)
    feeds = {"input": ids.numpy(), "input_lengths": lengths.numpy(), "scales": scales.numpy()}
    session.run(feeds, ["output"])  # warm-up
    started = time.perf_counter()
    (ort_audio,) = session.run(feeds, ["output"])
    elapsed = time.perf_counter() - started
    expected = model(ids, lengths, scales).numpy()
    difference = float(np.abs(ort_audio - expected).max())
    print(f"ONNX Runtime {session.rt.version}: {elapsed * 1000:.0f} ms for {expected.size / SAMPLE_RATE:.2f} s "
          f"(real-time factor {elapsed * SAMPLE_RATE / expected.size:.3f}), max |ORT - PyTorch| {difference:.1e}")
    assert ort_audio.shape == expected.shape and difference < 1e-3


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", choices=sorted(DECODERS), default="medium")
    parser.add_argument("--out", type=pathlib.Path, help="output directory (default bench/models/piper-QUALITY-dims)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out_dir = args.out or REPO_ROOT / "bench" / "models" / f"piper-{args.quality}-dims"
    out_dir.mkdir(parents=True, exist_ok=True)
    config = voice_config(args.quality)
    model = build_model(args.quality, args.seed)
    path = out_dir / "voice.onnx"
    path.write_bytes(tiny.export_onnx(model, multi_speaker=False))
    tiny.write_json(out_dir / "voice.onnx.json", config)
    report(model, path)


if __name__ == "__main__":
    main()
