"""Writes the real-dimension random-weight Whisper of whisper_model.py in whisper.cpp's ggml format.

The peers benchmark runs whisper.cpp on the same weights as Hearsay: this rebuilds the seeded model (the same
seed gives the same weights as the ONNX files, which is checked against the decoder's token embedding) and
writes the legacy ggml file whisper.cpp's loader reads (the layout of its models/convert-pt-to-ggml.py):

* int32 magic 0x67676d6c, then int32 n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
  n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype (1 = f16 weights);
* the mel filterbank: int32 n_mels, int32 n_fft_bins, then float32 row by row;
* the vocabulary without special tokens (whisper.cpp adds them): int32 count, then per token int32 length and
  its bytes, in rank order;
* per tensor of the state dict: int32 n_dims, int32 name length, int32 ftype, the dimensions innermost first,
  the name, the data. Matrices are f16; vectors, the conv biases (as [n, 1]) and the positional embeddings f32.

    /usr/bin/python3 tools/testmodels/whisper_ggml.py --real-dims tiny.en [--out bench/models/tiny.en/ggml-tiny.en.bin]
"""

import argparse
import base64
import pathlib
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper

GGML_MAGIC = 0x67676D6C
FTYPE_F32 = 0
FTYPE_F16 = 1
# whisper.cpp's loader wants these in f32 even in an f16 file.
KEEP_F32 = {
    "encoder.conv1.bias",
    "encoder.conv2.bias",
    "encoder.positional_embedding",
    "decoder.positional_embedding",
}


def vocabulary_tokens(tiktoken_path):
    """The tokens' bytes in rank order (the .tiktoken file is '<base64> <rank>' per line)."""
    ranked = {}
    for line in tiktoken_path.read_bytes().splitlines():
        if line:
            token, rank = line.split()
            ranked[int(rank)] = base64.b64decode(token)
    assert sorted(ranked) == list(range(len(ranked))), "ranks must be 0..n-1"
    return [ranked[i] for i in range(len(ranked))]


def write_ggml(model, filters, tokens, out_path):
    dims = model.dims
    with open(out_path, "wb") as out:
        header = (GGML_MAGIC, dims.n_vocab, dims.n_audio_ctx, dims.n_audio_state, dims.n_audio_head,
                  dims.n_audio_layer, dims.n_text_ctx, dims.n_text_state, dims.n_text_head, dims.n_text_layer,
                  dims.n_mels, FTYPE_F16)
        out.write(struct.pack(f"<{len(header)}i", *header))
        out.write(struct.pack("<2i", *filters.shape))
        out.write(filters.astype("<f4").tobytes())
        out.write(struct.pack("<i", len(tokens)))
        for token in tokens:
            out.write(struct.pack("<i", len(token)))
            out.write(token)
        for name, tensor in model.state_dict().items():
            data = tensor.detach().numpy().squeeze()
            if name in ("encoder.conv1.bias", "encoder.conv2.bias"):
                data = data.reshape(data.shape[0], 1)
            f16 = data.ndim >= 2 and name not in KEEP_F32
            data = data.astype("<f2" if f16 else "<f4")
            encoded = name.encode("utf-8")
            out.write(struct.pack("<3i", data.ndim, len(encoded), FTYPE_F16 if f16 else FTYPE_F32))
            out.write(struct.pack(f"<{data.ndim}i", *reversed(data.shape)))
            out.write(encoded)
            out.write(np.ascontiguousarray(data).tobytes())


def check_same_weights(model, onnx_decoder_path):
    """The ONNX decoder must hold this model's token embedding (same seed, same weights)."""
    expected = model.decoder.token_embedding.weight.detach().numpy()
    for initializer in onnx.load(str(onnx_decoder_path)).graph.initializer:
        if tuple(initializer.dims) == expected.shape:
            if np.array_equal(numpy_helper.to_array(initializer), expected):
                return
    raise SystemExit(f"{onnx_decoder_path} does not hold this seed's token embedding: regenerate both files")


def main(argv=None):
    from whisper_model import REAL_DIMS, REPO_ROOT, SHARED_MODELS, random_real_dims_model
    from whisper_reference import load_mel_filters

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real-dims", choices=sorted(REAL_DIMS), required=True)
    parser.add_argument("--out", type=pathlib.Path, help="output file (default bench/models/<name>/ggml-<name>.bin)")
    parser.add_argument("--seed", type=int, default=0, help="the seed whisper_model.py was given")
    args = parser.parse_args(argv)

    name = args.real_dims
    model_dir = REPO_ROOT / "bench" / "models" / name
    out_path = args.out or model_dir / f"ggml-{name}.bin"
    model = random_real_dims_model(name, args.seed)
    onnx_decoder = model_dir / f"{name}-decoder.onnx"
    if onnx_decoder.exists():
        check_same_weights(model, onnx_decoder)
    else:
        print(f"note: {onnx_decoder} not found, weights not cross-checked")
    filters = np.asarray(load_mel_filters(SHARED_MODELS / "whisper" / "mel_filters.npz", model.dims.n_mels))
    tokens = vocabulary_tokens(SHARED_MODELS / "whisper" / "gpt2.tiktoken")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_ggml(model, filters, tokens, out_path)
    print(f"{out_path}  {out_path.stat().st_size} bytes")


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    main()
