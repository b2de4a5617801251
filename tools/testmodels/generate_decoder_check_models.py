"""Writes small sherpa-onnx-style Whisper decoders with every parameter random (biases and layer-norm scales too),
for checking Hearsay's own decoder against ONNX Runtime running the same file.

The transcript test models are hand-shaped and leave biases at zero and layer norms at identity, so a decoder that
read a bias or a norm from the wrong place would still pass on them; these models would not let it. They are written
in both graph forms Hearsay reads: opset 13 (what sherpa-onnx's export-onnx.py uses: LayerNorm and GELU decomposed
into elementary nodes) and opset 17 (one LayerNormalization node), each in fp32 and in the int8 rewrite.

    /usr/bin/python3 tools/testmodels/generate_decoder_check_models.py

Output: tests/assets/whisper/decoder-check/opset{13,17}/decoder{,.int8}.onnx. Dimensions: 64 wide, 4 heads, 2 blocks,
a 1000-token vocabulary, 448 positions.
"""

import pathlib
import sys

import onnx
import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import whisper_model as wm  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO_ROOT / "tests" / "assets" / "whisper" / "decoder-check"
DIMS = wm.ModelDimensions(80, 1500, 64, 4, 1, 1000, 448, 64, 4, 2)


@torch.no_grad()
def random_model(seed=7):
    torch.manual_seed(seed)
    model = wm.Whisper(DIMS).eval()
    decoder = model.decoder
    nn.init.normal_(decoder.token_embedding.weight, std=0.5)
    nn.init.normal_(decoder.positional_embedding, std=0.5)
    for module in decoder.modules():
        if isinstance(module, nn.LayerNorm):
            nn.init.uniform_(module.weight, 0.5, 1.5)
            nn.init.normal_(module.bias, std=0.2)
        elif isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.normal_(module.bias, std=0.2)
    return model


def main():
    model = random_model()
    for opset in (13, 17):
        out_dir = OUTPUT_DIR / f"opset{opset}"
        out_dir.mkdir(parents=True, exist_ok=True)
        decoder = wm.export_decoder(model, opset=opset)
        onnx.checker.check_model(decoder, full_check=True)
        quantized, rewritten = wm.quantize_matmuls(decoder)
        assert rewritten == 8 * DIMS.n_text_layer, rewritten
        for name, proto in (("decoder.onnx", decoder), ("decoder.int8.onnx", quantized)):
            path = out_dir / name
            onnx.save(proto, str(path))
            print(f"{path.relative_to(REPO_ROOT)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
