"""A PyTorch Whisper, its sherpa-onnx export wrappers, and an int8 rewrite like sherpa-onnx's.

The architecture has the same maths as OpenAI's whisper/model.py:

* encoder: conv1 (kernel 3, padding 1) + GELU, conv2 (kernel 3, stride 2, padding 1) + GELU, sinusoidal
  positions, pre-LN residual self-attention blocks with a 4x GELU MLP, a final LayerNorm;
* decoder: token embedding + learned positions, pre-LN blocks with causal self-attention, cross-attention
  to the encoder output and the MLP, a final LayerNorm, logits = x @ token_embedding.T;
* attention scales q and k each by d_head^-0.25; the key projection has no bias.

The export wrappers have exactly the interface of sherpa-onnx's scripts/whisper/export-onnx.py:

* encoder: mel [n_audio, n_mels, T] -> n_layer_cross_k, n_layer_cross_v
  [n_text_layer, n_audio, T/2, n_text_state] (each decoder block's cross-attention key/value projection of
  the encoder output);
* decoder: tokens [n_audio, n_tokens] int64, in_n_layer_self_k_cache, in_n_layer_self_v_cache
  [n_text_layer, n_audio, n_text_ctx, n_text_state], n_layer_cross_k, n_layer_cross_v, offset [1] int64
  -> logits [n_audio, n_tokens, n_vocab], out_n_layer_self_k_cache, out_n_layer_self_v_cache.

Run as a script, it writes random-weight models with the real tiny.en / base.en dimensions for benchmarks:

    /usr/bin/python3 tools/testmodels/whisper_model.py --real-dims tiny.en [--out bench/models/tiny.en]
"""

import argparse
import dataclasses
import io
import math
import os
import pathlib
import shutil
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn
from torch.nn import functional as F

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_MODELS = pathlib.Path(os.environ.get("HEARSAY_TEST_ASSETS", REPO_ROOT.parent / "shared" / "models"))
OPSET = 17


@dataclasses.dataclass(frozen=True)
class ModelDimensions:
    n_mels: int
    n_audio_ctx: int
    n_audio_state: int
    n_audio_head: int
    n_audio_layer: int
    n_vocab: int
    n_text_ctx: int
    n_text_state: int
    n_text_head: int
    n_text_layer: int


def sinusoids(length, channels, max_timescale=10000):
    """The encoder's fixed positions: sin then cos of position / max_timescale^(i / (channels/2 - 1))."""
    assert channels % 2 == 0
    half = channels // 2
    increment = math.log(max_timescale) / (half - 1)
    inverse_timescales = torch.exp(-increment * torch.arange(half))
    angles = torch.arange(length)[:, None] * inverse_timescales[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


# Emulation of the int8 graph (see quantize_matmuls): None for plain fp32, else a dict of per-weight
# quantized tensors keyed by the Linear module.
_INT8 = {"weights": None}


def dynamic_quantize_uint8(x):
    """ONNX DynamicQuantizeLinear on a float32 tensor, as ONNX Runtime computes it (float32 throughout)."""
    x = x.float()
    low = torch.clamp(x.min(), max=0.0)
    high = torch.clamp(x.max(), min=0.0)
    if bool(high == low):
        scale = torch.tensor(1.0, dtype=torch.float32)
    else:
        scale = (high - low) / torch.tensor(255.0, dtype=torch.float32)
    zero_point = torch.round(torch.clamp(0.0 - low / scale, 0.0, 255.0))  # round half to even
    q = torch.clamp(torch.round(x / scale) + zero_point, 0.0, 255.0)
    return q, scale, zero_point


# quantize_dynamic's reduce_range: 7-bit weights. Without VNNI, ONNX Runtime's uint8 x int8 kernels add pairs of
# products in 16 bits with saturation (vpmaddubsw); 2 x 255 x 64 fits, 2 x 255 x 127 does not, so only the reduced
# range gives exact results, and the same results, on every x86 CPU.
INT8_WEIGHT_LIMIT = 64


def quantize_weight_int8(weight_t):
    """Symmetric per-tensor int8 (range -64..64, zero point 0) of a MatMul B matrix [in, out]."""
    w = weight_t.detach().float().numpy()
    scale = np.float32(np.abs(w).max() / np.float32(INT8_WEIGHT_LIMIT))
    if scale == 0:
        scale = np.float32(1.0)
    q = np.clip(np.rint(w / scale), -INT8_WEIGHT_LIMIT, INT8_WEIGHT_LIMIT).astype(np.int8)
    return q, scale


class Linear(nn.Linear):
    """nn.Linear; under int8 emulation, DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul (+ bias)."""

    def forward(self, x):
        table = _INT8["weights"]
        if table is None:
            return super().forward(x)
        q_weight, w_scale = table[self]
        q_x, x_scale, x_zero = dynamic_quantize_uint8(x)
        # Integer product, exact in float64 (|sum| < 2^53).
        acc = torch.matmul((q_x - x_zero).double(), torch.from_numpy(q_weight.astype(np.float64)))
        scale = (x_scale * torch.tensor(w_scale, dtype=torch.float32)).float()
        y = acc.float() * scale
        return y if self.bias is None else y + self.bias


class MultiHeadAttention(nn.Module):
    def __init__(self, n_state, n_head):
        super().__init__()
        self.n_head = n_head
        self.query = Linear(n_state, n_state)
        self.key = Linear(n_state, n_state, bias=False)
        self.value = Linear(n_state, n_state)
        self.out = Linear(n_state, n_state)

    def attend(self, q, k, v, mask=None):
        """Scaled dot-product attention over heads; mask is added to the [.., n_q, n_k] scores."""
        batch, n_q, n_state = q.shape
        d_head = n_state // self.n_head
        scale = d_head**-0.25
        q = q.reshape(batch, n_q, self.n_head, d_head).transpose(1, 2) * scale
        k = k.reshape(batch, k.shape[1], self.n_head, d_head).permute(0, 2, 3, 1) * scale
        v = v.reshape(batch, v.shape[1], self.n_head, d_head).transpose(1, 2)
        scores = q @ k
        if mask is not None:
            scores = scores + mask
        weights = torch.softmax(scores.float(), dim=-1)
        return (weights @ v).transpose(1, 2).reshape(batch, n_q, n_state)

    def forward(self, x, source=None, mask=None):
        source = x if source is None else source
        return self.out(self.attend(self.query(x), self.key(source), self.value(source), mask))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, n_state, n_head, cross_attention=False):
        super().__init__()
        self.attn = MultiHeadAttention(n_state, n_head)
        self.attn_ln = nn.LayerNorm(n_state)
        self.cross_attn = MultiHeadAttention(n_state, n_head) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        n_mlp = 4 * n_state
        self.mlp = nn.Sequential(Linear(n_state, n_mlp), nn.GELU(), Linear(n_mlp, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x, audio=None, mask=None):
        x = x + self.attn(self.attn_ln(x), mask=mask)
        if self.cross_attn is not None:
            x = x + self.cross_attn(self.cross_attn_ln(x), audio)
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, n_state))
        self.blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer)])
        self.ln_post = nn.LayerNorm(n_state)

    def forward(self, mel):
        """mel [batch, n_mels, T] (T <= 2 * n_ctx, 3000 for 30 s) -> [batch, T/2, n_state]."""
        x = F.gelu(self.conv1(mel))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1)
        x = x + self.positional_embedding[: x.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, n_vocab, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.token_embedding = nn.Embedding(n_vocab, n_state)
        self.positional_embedding = nn.Parameter(torch.empty(n_ctx, n_state))
        self.blocks = nn.ModuleList(
            [ResidualAttentionBlock(n_state, n_head, cross_attention=True) for _ in range(n_layer)]
        )
        self.ln = nn.LayerNorm(n_state)
        mask = torch.full((n_ctx, n_ctx), -np.inf).triu_(1)
        self.register_buffer("mask", mask, persistent=False)

    def logits(self, x):
        return self.ln(x) @ self.token_embedding.weight.T

    def forward(self, tokens, audio):
        """Full-sequence decoding (no cache): tokens [batch, n] -> logits [batch, n, n_vocab]."""
        n = tokens.shape[-1]
        x = self.token_embedding(tokens) + self.positional_embedding[:n]
        for block in self.blocks:
            x = block(x, audio, mask=self.mask[:n, :n])
        return self.logits(x)


class Whisper(nn.Module):
    def __init__(self, dims: ModelDimensions):
        super().__init__()
        self.dims = dims
        self.encoder = AudioEncoder(
            dims.n_mels, dims.n_audio_ctx, dims.n_audio_state, dims.n_audio_head, dims.n_audio_layer
        )
        self.decoder = TextDecoder(
            dims.n_vocab, dims.n_text_ctx, dims.n_text_state, dims.n_text_head, dims.n_text_layer
        )

    @property
    def is_multilingual(self):
        return self.dims.n_vocab >= 51865

    @property
    def num_languages(self):
        return self.dims.n_vocab - 51765 - int(self.is_multilingual)


class EncoderExport(nn.Module):
    """sherpa-onnx's encoder: the encoder output projected by every decoder block's cross-attention key/value."""

    def __init__(self, model: Whisper):
        super().__init__()
        self.encoder = model.encoder
        self.decoder = model.decoder

    def forward(self, mel):
        audio = self.encoder(mel)
        keys = [block.cross_attn.key(audio) for block in self.decoder.blocks]
        values = [block.cross_attn.value(audio) for block in self.decoder.blocks]
        return torch.stack(keys), torch.stack(values)


class DecoderExport(nn.Module):
    """sherpa-onnx's decoder step, with its exact cache and mask semantics.

    Positions offset..offset+n_tokens-1 are decoded. For every layer, the self-attention key/value rows
    offset..offset+n_tokens-1 of the caches are overwritten with the new tokens' projections and attention runs
    over rows 0..offset+n_tokens-1; rows past that pass through unchanged. The causal mask added to the scores
    is mask[:n_tokens, :n_tokens] (as in sherpa-onnx), so a call is valid when offset == 0 (any n_tokens: causal
    attention over the new tokens) or n_tokens == 1 (any offset); other combinations fail with a broadcast
    error, as they do with the real exported models.
    """

    def __init__(self, model: Whisper):
        super().__init__()
        self.decoder = model.decoder

    def forward(self, tokens, in_k_cache, in_v_cache, cross_k, cross_v, offset):
        decoder = self.decoder
        n = tokens.shape[-1]
        end = offset[0] + n
        x = decoder.token_embedding(tokens) + decoder.positional_embedding[offset[0] : end]
        mask = decoder.mask[:n, :n]
        for i, block in enumerate(decoder.blocks):
            k_cache = in_k_cache[i, :, :end, :]
            v_cache = in_v_cache[i, :, :end, :]
            attn = block.attn
            h = block.attn_ln(x)
            q = attn.query(h)
            k_cache[:, -n:, :] = attn.key(h)
            v_cache[:, -n:, :] = attn.value(h)
            x = x + attn.out(attn.attend(q, k_cache, v_cache, mask))
            in_k_cache[i, :, :end, :] = k_cache
            in_v_cache[i, :, :end, :] = v_cache
            cross = block.cross_attn
            q = cross.query(block.cross_attn_ln(x))
            x = x + cross.out(cross.attend(q, cross_k[i], cross_v[i]))
            x = x + block.mlp(block.mlp_ln(x))
        x = decoder.ln(x)
        # As sherpa-onnx: the token embedding is the first MatMul input, so dynamic quantization (which only
        # quantizes MatMuls with a constant second input) leaves the logits projection in float.
        logits = torch.matmul(decoder.token_embedding.weight, x.permute(0, 2, 1)).permute(0, 2, 1)
        return logits, in_k_cache, in_v_cache


def empty_caches(dims: ModelDimensions, n_audio=1):
    shape = (dims.n_text_layer, n_audio, dims.n_text_ctx, dims.n_text_state)
    return torch.zeros(shape), torch.zeros(shape)


@torch.no_grad()
def export_encoder(model: Whisper):
    """The encoder as ONNX bytes (no metadata yet)."""
    mel = torch.zeros(1, model.dims.n_mels, 2 * model.dims.n_audio_ctx)
    buffer = io.BytesIO()
    torch.onnx.export(
        EncoderExport(model).eval(),
        (mel,),
        buffer,
        opset_version=OPSET,
        input_names=["mel"],
        output_names=["n_layer_cross_k", "n_layer_cross_v"],
        dynamic_axes={
            "mel": {0: "n_audio", 2: "T"},
            "n_layer_cross_k": {1: "n_audio", 2: "T"},
            "n_layer_cross_v": {1: "n_audio", 2: "T"},
        },
    )
    return onnx.load_from_string(buffer.getvalue())


@torch.no_grad()
def export_decoder(model: Whisper, opset=OPSET):
    """The decoder as ONNX bytes. sherpa-onnx exports with opset 13, where LayerNorm and GELU are decomposed into
    elementary nodes; opset 17 keeps LayerNormalization as one node."""
    dims = model.dims
    k_cache, v_cache = empty_caches(dims)
    cross = torch.zeros(dims.n_text_layer, 1, dims.n_audio_ctx, dims.n_text_state)
    tokens = torch.zeros(1, 1, dtype=torch.int64)
    offset = torch.tensor([3], dtype=torch.int64)
    buffer = io.BytesIO()
    torch.onnx.export(
        DecoderExport(model).eval(),
        (tokens, k_cache, v_cache, cross, cross.clone(), offset),
        buffer,
        input_names=[
            "tokens",
            "in_n_layer_self_k_cache",
            "in_n_layer_self_v_cache",
            "n_layer_cross_k",
            "n_layer_cross_v",
            "offset",
        ],
        output_names=["logits", "out_n_layer_self_k_cache", "out_n_layer_self_v_cache"],
        opset_version=opset,
        dynamic_axes={
            "tokens": {0: "n_audio", 1: "n_tokens"},
            "in_n_layer_self_k_cache": {1: "n_audio"},
            "in_n_layer_self_v_cache": {1: "n_audio"},
            "n_layer_cross_k": {1: "n_audio", 2: "T"},
            "n_layer_cross_v": {1: "n_audio", 2: "T"},
        },
    )
    return onnx.load_from_string(buffer.getvalue())


def set_metadata(model_proto, metadata):
    """Replaces metadata_props by the given key/values (values stringified like sherpa-onnx's str(value))."""
    del model_proto.metadata_props[:]
    for key, value in metadata.items():
        entry = model_proto.metadata_props.add()
        entry.key = key
        entry.value = str(value)


def sherpa_metadata(name, dims: ModelDimensions, tokenizer, language_order, alignment_heads=None):
    """The encoder metadata_props sherpa-onnx writes, in its order, and Hearsay's own `alignment_heads` after them
    when given ([(layer, head)], written "layer:head,..."; sherpa-onnx has no such key).

    language_order: the language tokens in the order to list them. sherpa-onnx takes OpenAI's
    all_language_tokens, which iterates a Python set of special-token strings, so the real files list the
    languages in an arbitrary (hash-seed dependent) order; all_language_codes is always parallel to it.
    """
    multilingual = dims.n_vocab >= 51865
    sot_sequence = tokenizer.sot_sequence(multilingual, "en", "transcribe")
    code_of = dict(zip(tokenizer.language_tokens, tokenizer.language_codes))
    return {
        "model_type": f"whisper-{name}",
        "version": "1",
        "maintainer": "k2-fsa",
        "n_mels": dims.n_mels,
        "n_audio_ctx": dims.n_audio_ctx,
        "n_audio_state": dims.n_audio_state,
        "n_audio_head": dims.n_audio_head,
        "n_audio_layer": dims.n_audio_layer,
        "n_vocab": dims.n_vocab,
        "n_text_ctx": dims.n_text_ctx,
        "n_text_state": dims.n_text_state,
        "n_text_head": dims.n_text_head,
        "n_text_layer": dims.n_text_layer,
        "sot_sequence": ",".join(map(str, sot_sequence)),
        "all_language_tokens": ",".join(map(str, language_order)),
        "all_language_codes": ",".join(code_of[t] for t in language_order),
        "sot": tokenizer.sot,
        "sot_index": sot_sequence.index(tokenizer.sot),
        "eot": tokenizer.eot,
        "blank_id": tokenizer.blank_id(),
        "is_multilingual": int(multilingual),
        "no_speech": tokenizer.no_speech,
        "non_speech_tokens": ",".join(map(str, tokenizer.non_speech_tokens())),
        "transcribe": tokenizer.transcribe,
        "translate": tokenizer.translate,
        "sot_prev": tokenizer.sot_prev,
        "sot_lm": tokenizer.sot_lm,
        "no_timestamps": tokenizer.no_timestamps,
    } | ({"alignment_heads": ",".join(f"{layer}:{head}" for layer, head in alignment_heads)} if alignment_heads else {})


def quantize_matmuls(model_proto):
    """Rewrites every MatMul whose second input is a float initializer the way onnxruntime's
    quantize_dynamic(op_types_to_quantize=["MatMul"], weight_type=QInt8, reduce_range=True) does:

        A -> DynamicQuantizeLinear -> (A_q uint8, A_scale, A_zero_point)
        MatMulInteger(A_q, B_q int8, A_zero_point, B_zero_point = 0) -> int32 -> Cast(float)
        Mul(that, Mul(A_scale, B_scale)) -> the MatMul's output

    B is quantized symmetrically per tensor to -64..64 (scale = max|B| / 64). One DynamicQuantizeLinear
    is shared by all MatMuls reading the same activation. Everything else (Conv, the attention MatMuls whose
    inputs are both activations, the logits MatMul whose constant is its first input) stays fp32.
    Returns a new ModelProto and the number of MatMuls rewritten.
    """
    model = onnx.ModelProto()
    model.CopyFrom(model_proto)
    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    used_elsewhere = {}
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in initializers and not (node.op_type == "MatMul" and i == 1):
                used_elsewhere[name] = True
    quantized_activation = {}
    quantized_weight = {}
    new_nodes = []
    rewritten = 0
    for node in graph.node:
        weight = node.input[1] if node.op_type == "MatMul" else None
        if weight not in initializers or initializers[weight].data_type != TensorProto.FLOAT:
            new_nodes.append(node)
            continue
        rewritten += 1
        activation = node.input[0]
        if activation not in quantized_activation:
            names = (f"{activation}_quantized", f"{activation}_scale", f"{activation}_zero_point")
            new_nodes.append(
                helper.make_node(
                    "DynamicQuantizeLinear", [activation], list(names), name=f"{activation}_QuantizeLinear"
                )
            )
            quantized_activation[activation] = names
        a_q, a_scale, a_zero = quantized_activation[activation]
        if weight not in quantized_weight:
            q, scale = quantize_weight_int8(torch.from_numpy(numpy_helper.to_array(initializers[weight]).copy()))
            names = (f"{weight}_quantized", f"{weight}_scale", f"{weight}_zero_point")
            graph.initializer.extend(
                [
                    numpy_helper.from_array(q, names[0]),
                    numpy_helper.from_array(np.array(scale, dtype=np.float32), names[1]),
                    numpy_helper.from_array(np.array(0, dtype=np.int8), names[2]),
                ]
            )
            quantized_weight[weight] = names
        b_q, b_scale, b_zero = quantized_weight[weight]
        output = node.output[0]
        base = node.name or output
        new_nodes.extend(
            [
                helper.make_node(
                    "MatMulInteger", [a_q, b_q, a_zero, b_zero], [f"{output}_MatMulInteger"], name=f"{base}_quant"
                ),
                helper.make_node(
                    "Cast", [f"{output}_MatMulInteger"], [f"{output}_cast"], to=TensorProto.FLOAT,
                    name=f"{base}_quant_cast",
                ),
                helper.make_node("Mul", [a_scale, b_scale], [f"{output}_scales_mul"], name=f"{base}_quant_scales_mul"),
                helper.make_node(
                    "Mul", [f"{output}_cast", f"{output}_scales_mul"], [output], name=f"{base}_quant_output_scale_mul"
                ),
            ]
        )
    del graph.node[:]
    graph.node.extend(new_nodes)
    # drop float weights that only the rewritten MatMuls used
    still_used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return model, rewritten


def int8_weight_table(model: Whisper):
    """The quantized weights the int8 graph holds, per Linear module (for emulate_int8)."""
    table = {}
    for module in model.modules():
        if isinstance(module, Linear):
            table[module] = quantize_weight_int8(module.weight.detach().T.contiguous())
    return table


class emulate_int8:
    """Context manager: inside it, every Linear computes like the rewritten int8 graph."""

    def __init__(self, model: Whisper):
        self.table = int8_weight_table(model)

    def __enter__(self):
        _INT8["weights"] = self.table
        return self

    def __exit__(self, *exc):
        _INT8["weights"] = None


def check_interface(encoder_proto, decoder_proto, dims: ModelDimensions):
    """onnx.checker plus the exact input/output names, element types and ranks of sherpa-onnx's models."""
    for proto in (encoder_proto, decoder_proto):
        onnx.checker.check_model(proto, full_check=True)
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64

    def signature(values):
        return [(v.name, v.type.tensor_type.elem_type, len(v.type.tensor_type.shape.dim)) for v in values]

    assert signature(encoder_proto.graph.input) == [("mel", f32, 3)], signature(encoder_proto.graph.input)
    assert signature(encoder_proto.graph.output) == [("n_layer_cross_k", f32, 4), ("n_layer_cross_v", f32, 4)]
    assert signature(decoder_proto.graph.input) == [
        ("tokens", i64, 2),
        ("in_n_layer_self_k_cache", f32, 4),
        ("in_n_layer_self_v_cache", f32, 4),
        ("n_layer_cross_k", f32, 4),
        ("n_layer_cross_v", f32, 4),
        ("offset", i64, 1),
    ], signature(decoder_proto.graph.input)
    assert signature(decoder_proto.graph.output) == [
        ("logits", f32, 3),
        ("out_n_layer_self_k_cache", f32, 4),
        ("out_n_layer_self_v_cache", f32, 4),
    ], signature(decoder_proto.graph.output)
    mel_dims = [d.dim_param or d.dim_value for d in encoder_proto.graph.input[0].type.tensor_type.shape.dim]
    assert mel_dims == ["n_audio", dims.n_mels, "T"], mel_dims


def write_model_files(model: Whisper, name, tokenizer, vocabulary_path, language_order, out_dir, int8=True,
                      alignment_heads=None):
    """Writes <name>-encoder.onnx, <name>-decoder.onnx, (<name>-*.int8.onnx) and <name>-tokens.txt; the encoder's
    metadata declares alignment_heads when given.

    Returns {file name: ModelProto}.
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    encoder = export_encoder(model)
    set_metadata(encoder, sherpa_metadata(name, model.dims, tokenizer, language_order, alignment_heads))
    decoder = export_decoder(model)
    check_interface(encoder, decoder, model.dims)
    files = {f"{name}-encoder.onnx": encoder, f"{name}-decoder.onnx": decoder}
    if int8:
        encoder_int8, n_encoder = quantize_matmuls(encoder)
        decoder_int8, n_decoder = quantize_matmuls(decoder)
        # encoder: per block attention q, k, v, out and two MLP layers; then each decoder block's cross k, v
        assert n_encoder == 6 * model.dims.n_audio_layer + 2 * model.dims.n_text_layer, n_encoder
        assert n_decoder == 8 * model.dims.n_text_layer, n_decoder  # self q,k,v,out; cross q,out; mlp 2
        check_interface(encoder_int8, decoder_int8, model.dims)
        files[f"{name}-encoder.int8.onnx"] = encoder_int8
        files[f"{name}-decoder.int8.onnx"] = decoder_int8
    for file_name, proto in files.items():
        onnx.save(proto, str(out_dir / file_name))
    # sherpa-onnx's tokens.txt is the .tiktoken file rewritten line by line ("<base64> <rank>"): the same bytes.
    shutil.copyfile(vocabulary_path, out_dir / f"{name}-tokens.txt")
    return files


REAL_DIMS = {
    "tiny.en": ModelDimensions(80, 1500, 384, 6, 4, 51864, 448, 384, 6, 4),
    "base.en": ModelDimensions(80, 1500, 512, 8, 6, 51864, 448, 512, 8, 6),
}


@torch.no_grad()
def random_real_dims_model(name, seed=0):
    """Random weights with the real dimensions, at roughly the real models' scales."""
    torch.manual_seed(seed)
    model = Whisper(REAL_DIMS[name]).eval()
    nn.init.normal_(model.decoder.token_embedding.weight, std=0.02)
    nn.init.normal_(model.decoder.positional_embedding, std=0.01)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real-dims", choices=sorted(REAL_DIMS), required=True)
    parser.add_argument("--out", type=pathlib.Path, help="output directory (default bench/models/<name>)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from whisper_tokenizer import WhisperTokenizer

    name = args.real_dims
    out_dir = args.out or REPO_ROOT / "bench" / "models" / name
    vocabulary = SHARED_MODELS / "whisper" / "gpt2.tiktoken"
    tokenizer = WhisperTokenizer(vocabulary, num_languages=99)
    model = random_real_dims_model(name, args.seed)
    write_model_files(model, name, tokenizer, vocabulary, tokenizer.language_tokens, out_dir)
    for path in sorted(out_dir.iterdir()):
        print(f"{path}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    main()
