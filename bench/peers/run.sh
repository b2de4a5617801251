#!/usr/bin/env bash
# The peers benchmark in one command: Hearsay beside whisper.cpp and sherpa-onnx (issue 16), everything it needs made
# on demand into git-ignored folders, then `Hearsay.Benchmarks peers`:
#   bench/peers/run.sh [--whisper-cpp SOURCE] [--rounds N] [--model tiny.en|base.en] [--precision fp32|int8] [--no-save]
# SOURCE is a checkout of https://github.com/ggml-org/whisper.cpp at the pinned tag v1.7.5; it is needed only until
# bench/peers/build/whisper.cpp exists. sherpa-onnx-node 1.13.8 comes from npm (package.json, package-lock.json).
# The models are the random-weight, real-dimension ones of tools/testmodels, converted for each engine. At fp32 (the
# default) Hearsay and sherpa-onnx run the fp32 ONNX files and whisper.cpp the f16 ggml file; at int8 (what the catalog
# installs for every English model) they run the int8 ONNX files, from a folder that holds only those as an
# installation does, and whisper.cpp a q8_0 file its own quantize tool makes from the f16 one.
# The figures are printed beside the previous run's in bench/peers/results/MODEL.json (MODEL-int8.json), which they
# then replace (--no-save leaves it, for exploratory runs).
set -euo pipefail

readonly whisper_cpp_commit=51c6961c7b64b406833f4b6a4a20e67142f69225 # v1.7.5

usage() { echo "usage: bench/peers/run.sh [--whisper-cpp SOURCE] [--rounds N] [--model tiny.en|base.en] [--precision fp32|int8] [--no-save]" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="$root/bench/peers"
source_dir=""
model="tiny.en"
precision="fp32"
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --whisper-cpp) [[ $# -ge 2 ]] || usage; source_dir="$2"; shift 2 ;;
    --model) [[ $# -ge 2 ]] || usage; model="$2"; bench_args+=("$1" "$2"); shift 2 ;;
    --rounds) [[ $# -ge 2 ]] || usage; bench_args+=("$1" "$2"); shift 2 ;;
    --precision) [[ $# -ge 2 && "$2" =~ ^(fp32|int8)$ ]] || usage; precision="$2"; bench_args+=("$1" "$2"); shift 2 ;;
    --no-save) bench_args+=("$1"); shift ;;
    *) usage ;;
  esac
done

whisper_cli="$peers/build/whisper.cpp/bin/whisper-cli"
whisper_quantize="$peers/build/whisper.cpp/bin/quantize"
if [[ ! -x "$whisper_cli" || ! -x "$whisper_quantize" ]]; then
  [[ -n "$source_dir" ]] || { echo "peers: whisper.cpp is not built yet: give its source with --whisper-cpp SOURCE" >&2; usage; }
  commit="$(git -C "$source_dir" rev-parse HEAD)"
  [[ "$commit" == "$whisper_cpp_commit" ]] || { echo "peers: $source_dir is at $commit, not v1.7.5 ($whisper_cpp_commit)" >&2; exit 2; }
  # Release, CPU only, tuned for this machine's instruction set as whisper.cpp's own build does by default.
  cmake -S "$source_dir" -B "$peers/build/whisper.cpp" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DWHISPER_BUILD_TESTS=OFF -DWHISPER_SDL2=OFF -DGGML_NATIVE=ON
  cmake --build "$peers/build/whisper.cpp" --config Release --target whisper-cli quantize -j "$(nproc)"
fi

[[ -d "$peers/node_modules/sherpa-onnx-node" ]] || npm ci --prefix "$peers" --no-audit --no-fund

cd "$root"
[[ -f "bench/models/$model/$model-encoder.onnx" ]] || /usr/bin/python3 tools/testmodels/whisper_model.py --real-dims "$model"
[[ -f "bench/models/$model/ggml-$model.bin" ]] || /usr/bin/python3 tools/testmodels/whisper_ggml.py --real-dims "$model"
if [[ "$precision" == int8 ]]; then
  [[ -f "bench/models/$model/ggml-$model-q8_0.bin" ]] ||
    "$whisper_quantize" "bench/models/$model/ggml-$model.bin" "bench/models/$model/ggml-$model-q8_0.bin" q8_0 >/dev/null
  mkdir -p "bench/models/$model/int8"
  for file in "$model-encoder.int8.onnx" "$model-decoder.int8.onnx" "$model-tokens.txt"; do
    ln -sfn "../$file" "bench/models/$model/int8/$file"
  done
fi
[[ -f bench/models/piper-medium-dims/voice.onnx ]] || /usr/bin/python3 tools/testmodels/piper_real_dims.py
[[ -f bench/models/piper-medium-dims/sherpa-onnx/model.onnx ]] || /usr/bin/python3 tools/testmodels/piper_sherpa.py

dotnet build bench/Hearsay.Benchmarks -c Release --nologo -v quiet
exec dotnet artifacts/bin/Hearsay.Benchmarks/release/Hearsay.Benchmarks.dll peers "${bench_args[@]}"
