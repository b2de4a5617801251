"""Makes a Piper voice readable by sherpa-onnx's offline TTS (its "vits" model with Piper's interface).

sherpa-onnx does not read Piper's voice.onnx.json; it wants the facts in the model's metadata_props and the
phoneme ids in a tokens.txt, as its scripts/piper/add_meta_data.py writes them for the published voices:

* metadata: model_type "vits", comment "piper" (selects Piper's inputs: input, input_lengths, scales),
  language (English name), voice (the espeak-ng voice), has_espeak 1, n_speakers, sample_rate;
* tokens.txt: one "<phoneme> <id>" line per phoneme_id_map entry (its first id), the newline left out.

The peers benchmark uses it on the random-weight medium voice of piper_real_dims.py; the voice itself is copied
unchanged apart from its metadata, so Hearsay and sherpa-onnx run the same weights.

    /usr/bin/python3 tools/testmodels/piper_sherpa.py [--voice bench/models/piper-medium-dims/voice.onnx] [--out DIR]

It writes DIR/model.onnx and DIR/tokens.txt (default: a sherpa-onnx folder beside the voice).
"""

import argparse
import json
import pathlib
import sys

import onnx


def sherpa_metadata(config):
    return {
        "model_type": "vits",
        "comment": "piper",
        "language": config["language"]["name_english"],
        "voice": config["espeak"]["voice"],
        "has_espeak": 1,
        "n_speakers": config["num_speakers"],
        "sample_rate": config["audio"]["sample_rate"],
    }


def tokens_lines(config):
    return [f"{phoneme} {ids[0]}\n" for phoneme, ids in config["phoneme_id_map"].items() if phoneme != "\n"]


def main(argv=None):
    repo_root = pathlib.Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voice", type=pathlib.Path,
                        default=repo_root / "bench" / "models" / "piper-medium-dims" / "voice.onnx")
    parser.add_argument("--out", type=pathlib.Path, help="output directory (default VOICE_DIR/sherpa-onnx)")
    args = parser.parse_args(argv)

    config = json.loads(args.voice.with_name(args.voice.name + ".json").read_text(encoding="utf-8"))
    out_dir = args.out or args.voice.parent / "sherpa-onnx"
    out_dir.mkdir(parents=True, exist_ok=True)
    model = onnx.load(str(args.voice))
    del model.metadata_props[:]
    for key, value in sherpa_metadata(config).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.save(model, str(out_dir / "model.onnx"))
    (out_dir / "tokens.txt").write_text("".join(tokens_lines(config)), encoding="utf-8")
    print(f"{out_dir / 'model.onnx'}, {out_dir / 'tokens.txt'}: {sherpa_metadata(config)}")


if __name__ == "__main__":
    sys.exit(main())
