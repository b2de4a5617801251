"""Generates two tiny Piper test voices and the audio they are expected to produce.

Writes to tests/assets/piper/:

* tiny-single.onnx(.json), tiny-multi.onnx(.json): random-weight, VITS-shaped models with exactly Piper's
  ONNX interface and config format, small enough to commit;
* expected-synthesis.json: phonemes, ids and output samples computed by the PyTorch modules themselves, so
  C# tests can check ONNX Runtime's output against an independent reference.

Everything is seeded, so re-running reproduces the files. Run from the repo root with Debian's interpreter
(PyTorch, onnx, numpy and espeak-ng come from apt):

    /usr/bin/python3 tools/testmodels/generate_piper_voices.py
"""

import base64
import io
import itertools
import json
import pathlib

import numpy as np
import onnx
import torch
from torch import nn
from torch.nn import functional as F

import piper_reference_phonemizer as phonemizer

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO_ROOT / "tests" / "assets" / "piper"

NUM_SYMBOLS = 256
HIDDEN = 32
UPSAMPLE_CHANNELS = 16
UPSAMPLE_STRIDE = 8
HOP = UPSAMPLE_STRIDE**2  # samples per frame: two transposed convolutions
# Log-durations are squashed into log(3) +- 0.6, i.e. 1.6-5.5 frames per phoneme
# at length_scale 1 (2-6 once rounded up).
LOG_DURATION_CENTER = float(np.log(3.0))
LOG_DURATION_SPREAD = 0.6
# ONNX Runtime may differ from PyTorch by ~1e-6; a duration this close to an integer could ceil differently.
MIN_DISTANCE_FROM_INTEGER = 1e-3

# Piper's espeak phoneme_id_map (as in en_US-lessac-medium): the symbol at index i has id [i].
PHONEME_SYMBOLS = (
    "_^$ !'(),-.:;?abcdefhijklmnopqrstuvwxyz"
    "æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ"
    "0123456789\u0327\u0303\u032a\u032f\u0329ʰˤε↓#\"↑\u033a\u033b"
)
PHONEME_ID_MAP = {symbol: [index] for index, symbol in enumerate(PHONEME_SYMBOLS)}

VOICES = [
    {
        "name": "tiny-single",
        "base_seed": 1001,
        "sample_rate": 22050,
        "speakers": [],
        "cases": [
            ("Hello world. This is a tiny voice, speaking!", None, 1.0),
            ("Hello world.", None, 0.5),
        ],
    },
    {
        "name": "tiny-multi",
        "base_seed": 2002,
        "sample_rate": 16000,
        "speakers": ["alba", "bryce", "cori", "dane"],
        "cases": [
            ("Hello world.", 0, 1.0),
            ("Hello world.", 2, 1.0),
        ],
    },
]


class TinyVoice(nn.Module):
    """A miniature VITS: phoneme encoder, duration predictor, length regulator and upsampling decoder.

    Noise enters only as randn_like(...) * scale, so the output is deterministic when noise_scale and
    noise_w are 0, as with real Piper voices.
    """

    def __init__(self, num_speakers):
        super().__init__()
        self.embedding = nn.Embedding(NUM_SYMBOLS, HIDDEN)
        self.speaker_embedding = nn.Embedding(num_speakers, HIDDEN) if num_speakers > 1 else None
        self.encoder = nn.ModuleList([nn.Conv1d(HIDDEN, HIDDEN, 3, padding=1) for _ in range(2)])
        self.duration_hidden = nn.Conv1d(HIDDEN, HIDDEN, 3, padding=1)
        self.duration_proj = nn.Conv1d(HIDDEN, 1, 1)
        self.upsample1 = upsampler(HIDDEN, UPSAMPLE_CHANNELS)
        self.upsample2 = upsampler(UPSAMPLE_CHANNELS, 1)
        self._init_weights()

    @torch.no_grad()
    def _init_weights(self):
        # Spread the durations over their whole range, yet let no speaker pin them all to one end.
        nn.init.normal_(self.duration_proj.weight, std=0.6)
        if self.speaker_embedding is not None:
            nn.init.normal_(self.speaker_embedding.weight, std=0.3)

    def forward(self, input, input_lengths, scales, sid=None):
        x, w = self.hidden_and_durations(input, input_lengths, scales, sid)
        frames, frame_mask = expand(x, torch.ceil(w))
        noise_scale = scales[0]
        z = (frames + torch.randn_like(frames) * noise_scale) * frame_mask
        return self.decode(z)

    def hidden_and_durations(self, input, input_lengths, scales, sid=None):
        """Encoder output [B, H, T] and the frames per phoneme [B, 1, T] before rounding up."""
        length_scale, noise_w = scales[1], scales[2]
        speaker = None if sid is None else self.speaker_embedding(sid).unsqueeze(-1)  # [B, H, 1]
        x, x_mask = self.encode(input, input_lengths, speaker)
        return x, self.durations(x, x_mask, speaker, length_scale, noise_w)

    def encode(self, input, input_lengths, speaker):
        """Phoneme ids [B, T] -> hidden states [B, H, T] and mask [B, 1, T]."""
        x_mask = sequence_mask(input_lengths, input.size(1)).unsqueeze(1)
        x = with_speaker(self.embedding(input).transpose(1, 2), speaker) * x_mask
        for conv in self.encoder:
            x = (x + torch.relu(conv(x))) * x_mask
        return x, x_mask

    def durations(self, x, x_mask, speaker, length_scale, noise_w):
        """As VITS: exp(logw) * mask * length_scale, logw coming from a small convolutional predictor."""
        h = torch.relu(self.duration_hidden(with_speaker(x, speaker) * x_mask))
        h = h + torch.randn_like(h) * noise_w
        logw = LOG_DURATION_CENTER + LOG_DURATION_SPREAD * torch.tanh(self.duration_proj(h * x_mask))
        return torch.exp(logw) * x_mask * length_scale

    def decode(self, z):
        """Frames [B, H, F] -> audio [B, 1, F * HOP] in (-1, 1)."""
        return torch.tanh(self.upsample2(F.leaky_relu(self.upsample1(z), 0.1)))


def upsampler(in_channels, out_channels):
    """A transposed convolution that makes exactly UPSAMPLE_STRIDE outputs per input step."""
    stride = UPSAMPLE_STRIDE
    return nn.ConvTranspose1d(in_channels, out_channels, 2 * stride, stride=stride, padding=stride // 2)


def with_speaker(x, speaker):
    return x if speaker is None else x + speaker


def sequence_mask(lengths, max_length):
    positions = torch.arange(max_length, dtype=lengths.dtype)
    return (positions.unsqueeze(0) < lengths.unsqueeze(1)).float()


def expand(x, durations):
    """Repeats phoneme t's hidden state durations[t] times (VITS's generate_path alignment).

    Returns frames [B, H, F] and their mask [B, 1, F], F being the longest total duration in the batch.
    """
    ends = torch.cumsum(durations, -1).transpose(1, 2)  # [B, T, 1]
    starts = ends - durations.transpose(1, 2)
    frame = torch.arange(ends.max().long(), dtype=durations.dtype).view(1, 1, -1)  # [1, 1, F]
    path = ((frame >= starts) & (frame < ends)).float()  # [B, T, F], one phoneme per frame
    return torch.matmul(x, path), path.sum(1, keepdim=True)


def voice_cases(voice):
    """One case per sentence: (text, sentence index, phonemes, ids, speaker id, length_scale)."""
    cases = []
    for text, speaker_id, length_scale in voice["cases"]:
        for index, phonemes in enumerate(phonemizer.phonemize(text, "en-us")):
            ids = phonemizer.phoneme_ids(phonemes, PHONEME_ID_MAP)
            cases.append((text, index, phonemes, ids, speaker_id, length_scale))
    return cases


def model_inputs(ids, speaker_id, noise_scale, length_scale, noise_w):
    inputs = (
        torch.tensor([ids], dtype=torch.int64),
        torch.tensor([len(ids)], dtype=torch.int64),
        torch.tensor([noise_scale, length_scale, noise_w], dtype=torch.float32),
    )
    return inputs if speaker_id is None else inputs + (torch.tensor([speaker_id], dtype=torch.int64),)


@torch.no_grad()
def durations_are_robust(model, cases):
    """True if no case has a pre-ceil duration within MIN_DISTANCE_FROM_INTEGER of an integer."""
    for _, _, _, ids, speaker_id, length_scale in cases:
        _, w = model.hidden_and_durations(*model_inputs(ids, speaker_id, 0.0, length_scale, 0.0))
        w = w.double()
        if (w - torch.round(w)).abs().min() < MIN_DISTANCE_FROM_INTEGER:
            return False
    return True


def build_model(voice, cases):
    """The model from the first seed at or after base_seed whose durations are safe to ceil."""
    for seed in itertools.count(voice["base_seed"]):
        torch.manual_seed(seed)
        model = TinyVoice(max(1, len(voice["speakers"]))).eval()
        if durations_are_robust(model, cases):
            return model, seed


def export_onnx(model, multi_speaker):
    """The model as ONNX bytes with Piper's input/output names, dtypes and dynamic axes."""
    input_names = ["input", "input_lengths", "scales"] + (["sid"] if multi_speaker else [])
    example = model_inputs([1, 0, 20, 0, 2], 0 if multi_speaker else None, 0.667, 1.0, 0.8)
    buffer = io.BytesIO()
    torch.onnx.export(
        model,
        example,
        buffer,
        opset_version=15,
        input_names=input_names,
        output_names=["output"],
        dynamic_axes={
            "input": {0: "batch_size", 1: "phonemes"},
            "input_lengths": {0: "batch_size"},
            "output": {0: "batch_size", 2: "time"},
        },
    )
    data = buffer.getvalue()
    check_onnx_interface(onnx.load_from_string(data), input_names)
    return data


def check_onnx_interface(model, input_names):
    onnx.checker.check_model(model, full_check=True)
    int64, float32 = onnx.TensorProto.INT64, onnx.TensorProto.FLOAT
    expected_inputs = {
        "input": (int64, ("batch_size", "phonemes")),
        "input_lengths": (int64, ("batch_size",)),
        "scales": (float32, (3,)),
        "sid": (int64, (1,)),
    }
    inputs = [tensor_signature(value) for value in model.graph.input]
    assert inputs == [(name, *expected_inputs[name]) for name in input_names], inputs
    outputs = [tensor_signature(value) for value in model.graph.output]
    assert outputs == [("output", float32, ("batch_size", 1, "time"))], outputs


def tensor_signature(value):
    """(name, element type, shape), a dynamic dimension given by its name."""
    tensor = value.type.tensor_type
    return value.name, tensor.elem_type, tuple(dim.dim_param or dim.dim_value for dim in tensor.shape.dim)


def voice_config(voice):
    return {
        "audio": {"sample_rate": voice["sample_rate"], "quality": "x_low"},
        "espeak": {"voice": "en-us"},
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": PHONEME_ID_MAP,
        "num_symbols": NUM_SYMBOLS,
        "num_speakers": max(1, len(voice["speakers"])),
        "speaker_id_map": {name: index for index, name in enumerate(voice["speakers"])},
        "piper_version": "1.0.0",
        "language": {
            "code": "en_US",
            "family": "en",
            "region": "US",
            "name_native": "English",
            "name_english": "English",
            "country_english": "United States",
        },
        "dataset": "hearsay-" + voice["name"],
    }


@torch.no_grad()
def expected_case(model, voice_name, case):
    text, index, phonemes, ids, speaker_id, length_scale = case
    inputs = model_inputs(ids, speaker_id, 0.0, length_scale, 0.0)
    audio = model(*inputs)
    _, w = model.hidden_and_durations(*inputs)
    assert audio.dtype == torch.float32 and audio.shape == (1, 1, int(torch.ceil(w).sum()) * HOP)
    samples = audio.flatten().numpy()
    peak = float(np.abs(samples).max())
    assert 0.1 <= peak <= 0.95, f"{voice_name} case {text!r}: peak {peak} is outside the useful range"
    return {
        "voice": voice_name,
        "text": text,
        "sentence_index": index,
        "phonemes": phonemes,
        "ids": ids,
        "speaker_id": speaker_id,
        "noise_scale": 0.0,
        "length_scale": length_scale,
        "noise_w": 0.0,
        "sample_count": len(samples),
        "samples_f32le_base64": base64.b64encode(samples.astype("<f4").tobytes()).decode("ascii"),
    }


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main():
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    expected = {
        "generator": "tools/testmodels/generate_piper_voices.py",
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "espeak_ng_version": phonemizer.espeak_version(),
        "voices": {},
    }
    for voice in VOICES:
        name = voice["name"]
        cases = voice_cases(voice)
        model, seed = build_model(voice, cases)
        (OUTPUT_DIR / f"{name}.onnx").write_bytes(export_onnx(model, bool(voice["speakers"])))
        write_json(OUTPUT_DIR / f"{name}.onnx.json", voice_config(voice))
        expected_cases = [expected_case(model, name, case) for case in cases]
        expected["voices"][name] = {"seed": seed, "cases": expected_cases}
    write_json(OUTPUT_DIR / "expected-synthesis.json", expected)


if __name__ == "__main__":
    main()
