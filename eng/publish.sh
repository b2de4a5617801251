#!/usr/bin/env bash
# Publishes the self-contained, trimmed, single-file `hearsay` for one platform, the way an app bundles it:
#   eng/publish.sh RID [OUT_DIR]
# RID is linux-x64, linux-arm64, win-x64, win-arm64 or osx-arm64 (all cross-publish from Linux). OUT_DIR defaults to
# artifacts/publish/RID. The folder holds hearsay (hearsay.exe on Windows), ONNX Runtime's and Wasmtime's native
# libraries, and the portable phonemizer (espeak-ng-portable/: espeak-ng for WebAssembly and its data, GPL-3.0, run in
# a worker process, ADR 0010), and nothing else: drop it into the app's resources as it is. It then reports the sizes
# against the budget (hearsay itself ≤ 35 MB; everything ≤ 110 MB) and exits 1 if the budget is exceeded.
set -euo pipefail

readonly supported="linux-x64 linux-arm64 win-x64 win-arm64 osx-arm64"
readonly budget_hearsay=$((35 * 1000 * 1000))
readonly budget_total=$((110 * 1000 * 1000))

usage() { echo "usage: eng/publish.sh RID [OUT_DIR]   (RID: ${supported// /, })" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
rid="$1"
[[ " $supported " == *" $rid "* ]] || { echo "publish: unsupported RID '$rid'" >&2; usage; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${2:-$root/artifacts/publish/$rid}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# A stale file from an earlier publish would be shipped by mistake and counted in the sizes.
find "$out" -mindepth 1 -delete

# Trimming is safe: the server uses the Request Delegate Generator and source-generated JSON, and any trim warning
# fails the build (warnings are errors). Trimming rewrites the assemblies and drops their precompiled code, which left
# a cold start of 0.8 s spent compiling; ReadyToRun compiles them again ahead of time, and compressing the single
# file keeps that within the size budget. The code stays in each assembly rather than in one composite image: a
# bundled file is inflated whole when it is first loaded, so the 24 MB composite image was inflated at every start,
# while this way a process inflates only the assemblies it loads (the portable phonemizer's worker: 0.36 -> 0.23 s to
# its ready line on a loaded machine). It is also 2.6 MB smaller.
# ONNX Runtime's native library stays a separate file next to hearsay, so an installer and code signing see it for
# what it is. No debug symbols or XML docs ship.
dotnet publish "$root/src/Hearsay.Cli/Hearsay.Cli.csproj" -c Release -r "$rid" --nologo -v quiet -o "$out" \
    -p:SelfContained=true -p:PublishSingleFile=true -p:PublishTrimmed=true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -p:PublishDocumentationFiles=false -p:EventSourceSupport=false

# Not needed outside the build: import libraries, stray symbols, and ASP.NET Core's IIS module (Hearsay runs Kestrel).
find "$out" -type f \( -name '*.lib' -o -name '*.pdb' -o -name 'aspnetcorev2_inprocess.dll' \) -delete

# Sizes in bytes; the native libraries (their own builds, not ours to shrink) and the phonemizer are counted apart.
ort=0
wasmtime=0
phonemizer=0
rest=0
while IFS= read -r -d '' file; do
    size=$(stat -c %s "$file")
    case "${file#"$out"/}" in
        libonnxruntime.so | libonnxruntime.dylib | onnxruntime.dll) ort=$((ort + size)) ;;
        libwasmtime.so | libwasmtime.dylib | wasmtime.dll) wasmtime=$((wasmtime + size)) ;;
        espeak-ng-portable/*) phonemizer=$((phonemizer + size)) ;;
        *) rest=$((rest + size)) ;;
    esac
done < <(find "$out" -type f -print0)
total=$((ort + wasmtime + phonemizer + rest))

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
echo "publish: $rid -> $out"
(cd "$out" && find . -path ./espeak-ng-portable -prune -o -type f -printf '  %P\t%s bytes\n' | sort)
echo "  espeak-ng-portable/ ($(find "$out/espeak-ng-portable" -type f | wc -l) files)	$phonemizer bytes"
echo "publish: hearsay $(mb $rest) (budget $(mb $budget_hearsay)), ONNX Runtime $(mb $ort), Wasmtime $(mb $wasmtime)," \
     "portable phonemizer $(mb $phonemizer), total $(mb $total) (budget $(mb $budget_total))"

failed=0
if ((rest > budget_hearsay)); then
    echo "publish: hearsay without the native libraries and the phonemizer is $(mb $rest), over the $(mb $budget_hearsay) budget" >&2
    failed=1
fi
if ((total > budget_total)); then
    echo "publish: $rid is $(mb $total) in total, over the $(mb $budget_total) budget" >&2
    failed=1
fi
if [[ ! -f "$out/espeak-ng-portable/espeak-ng.wasm" ]] || ((wasmtime == 0)); then
    echo "publish: the portable phonemizer or Wasmtime's native library is missing from $out" >&2
    failed=1
fi
exit $failed
