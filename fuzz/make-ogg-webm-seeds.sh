#!/usr/bin/env bash
# Makes the Ogg and WebM seeds in fuzz/corpus/ogg-webm: a third of a second of real clips through ffmpeg's libopus
# and libvorbis, small so that each smoke execution stays fast. Committed; run again only to change them.
# HEARSAY_TEST_ASSETS overrides ../shared/models.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clips="${HEARSAY_TEST_ASSETS:-$root/../shared/models}/audio/orig"
out="$root/fuzz/corpus/ogg-webm"
mkdir -p "$out"
find "$out" -mindepth 1 -delete

seed() {
    local name="$1" clip="$2"
    shift 2
    ffmpeg -hide_banner -loglevel error -nostdin -t 0.33 -i "$clips/$clip" -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
        "$@" "$out/$name"
}

seed opus-mono.opus jfk.wav -c:a libopus -b:a 24k
seed opus-stereo.webm cathy_arctic_a0038.wav -c:a libopus -b:a 32k
seed vorbis-mono.ogg lj_LJ001-0001.wav -c:a libvorbis -q:a 0
seed vorbis-stereo.webm cathy_arctic_a0038.wav -c:a libvorbis -q:a 0
