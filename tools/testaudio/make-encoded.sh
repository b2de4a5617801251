#!/usr/bin/env bash
# Encodes real clips from ../shared/models/audio/orig with the real encoders (ffmpeg's libopus, libvorbis, libmp3lame
# and its FLAC encoder) into tests/assets/audio/encoded: the files the in-process decoders are tested on against
# ffmpeg's own decode of the same file. The files are committed; run this again only to change the set:
#   tools/testaudio/make-encoded.sh
# HEARSAY_TEST_ASSETS overrides ../shared/models. Bit-exact flags keep the encoder's version string out of the files.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
clips="${HEARSAY_TEST_ASSETS:-$root/../shared/models}/audio/orig"
out="$root/tests/assets/audio/encoded"
mkdir -p "$out"
find "$out" -mindepth 1 -delete

encode() {
    local name="$1" clip="$2"
    shift 2
    ffmpeg -hide_banner -loglevel error -nostdin -i "$clips/$clip" -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
        "$@" "$out/$name"
}

# WebM and Ogg with Opus, as browsers and voice notes make them: mono and stereo, low and high bit rates.
encode jfk-opus-16k-mono-24kbps.webm jfk.wav -c:a libopus -b:a 24k
encode cathy-opus-48k-stereo-64kbps.webm cathy_arctic_a0038.wav -c:a libopus -b:a 64k
encode jfk-opus-16k-mono-32kbps.opus jfk.wav -c:a libopus -b:a 32k
encode lj-opus-22k-mono-12kbps-voip.ogg lj_LJ001-0001.wav -c:a libopus -b:a 12k -application voip
# Vorbis, in Ogg and in WebM.
encode lj-vorbis-22k-mono-q2.ogg lj_LJ001-0001.wav -c:a libvorbis -q:a 2
encode cathy-vorbis-48k-stereo-q6.ogg cathy_arctic_a0038.wav -c:a libvorbis -q:a 6
encode lj-vorbis-22k-mono-q4.webm lj_LJ001-0001.wav -c:a libvorbis -q:a 4
# MP3: MPEG-1, -2 and -2.5, CBR and VBR, with and without the Xing/LAME header, with an ID3v2 tag.
encode jfk-mp3-16k-mono-32kbps-id3.mp3 jfk.wav -c:a libmp3lame -b:a 32k -metadata title="Inaugural address" -id3v2_version 4
encode lj-mp3-22k-mono-vbr-q4.mp3 lj_LJ001-0001.wav -c:a libmp3lame -q:a 4
encode cathy-mp3-48k-stereo-128kbps-noxing.mp3 cathy_arctic_a0038.wav -c:a libmp3lame -b:a 128k -write_xing 0
encode arctic-mp3-8k-mono-16kbps.mp3 arctic_aew_a0001.wav -c:a libmp3lame -b:a 16k -ar 8000
# MP3 stereo: real stereo (below) so joint stereo switches between MS and left/right frames; MPEG-1 at 320 kbit/s and
# at VBR -q:a 0 (speech onsets give short blocks), MPEG-2 at 24 kHz and MPEG-2.5 at 11.025 kHz.
mp3stereo="pan=stereo|c0=c0|c1=0.7*c1,adelay=0|37"
encode wyoming-mp3-44k-stereo-320kbps.mp3 wyoming_turn_on_the_living_room_lamp.wav -t 2 -c:a libmp3lame -b:a 320k
encode cathy-mp3-48k-stereo-vbr-q0.mp3 cathy_arctic_a0038.wav -af "$mp3stereo" -c:a libmp3lame -q:a 0
encode arctic-mp3-24k-stereo-48kbps.mp3 arctic_aew_a0002.wav -af "$mp3stereo" -ar 24000 -c:a libmp3lame -b:a 48k
encode arctic-mp3-11k-stereo-24kbps.mp3 arctic_aew_a0003.wav -af "$mp3stereo" -ar 11025 -c:a libmp3lame -b:a 24k
# MPEG Layer II (ffmpeg's own mp2 encoder), which is not decoded in-process: it goes to ffmpeg, or is refused.
encode arctic-mp2-16k-mono-32kbps.mp2 arctic_axb_a0005.wav -c:a mp2 -b:a 32k
# FLAC: 16 and 24 bits, mono and stereo, fastest and strongest compression, a small block size.
encode jfk-flac-16k-mono-16bit-level8.flac jfk.wav -c:a flac -compression_level 8
encode cathy-flac-48k-stereo-24bit-level0.flac cathy_arctic_a0038.wav -c:a flac -compression_level 0 -sample_fmt s32 -bits_per_raw_sample 24
encode lj-flac-22k-mono-16bit-block576.flac lj_LJ001-0001.wav -c:a flac -frame_size 576
# Real stereo (the right channel quieter and 37 ms late, so the side channel is not silence): mid/side and left/side.
stereo="pan=stereo|c0=c0|c1=0.7*c0,adelay=0|37"
encode arctic-flac-16k-stereo-16bit-midside.flac arctic_aew_a0001.wav -af "$stereo" -c:a flac -ch_mode mid_side -compression_level 12
encode arctic-flac-16k-stereo-24bit-leftside.flac arctic_aew_a0001.wav -af "$stereo" -c:a flac -ch_mode left_side \
    -sample_fmt s32 -bits_per_raw_sample 24

(cd "$out" && ls -l | awk 'NR > 1 { printf "%8d  %s\n", $5, $9 }')
