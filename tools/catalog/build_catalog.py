"""Writes src/Hearsay.Core/Models/Catalog/catalog.json, Hearsay's built-in model catalog, from the published records.

The records are ../shared/catalog/sources.json (relative to the repo root; HEARSAY_CATALOG_SOURCES overrides it).
Nothing is invented: a file goes in only with a recorded size and a recorded sha256 (or, where the publisher records
only that, an md5 and/or sha1), a model only when every file it needs to run goes in, and a revision-pinned URL is used
wherever the records give one. Every model and file left out is printed with the reason. See README.md here.

    /usr/bin/python3 tools/catalog/build_catalog.py            # write catalog.json and print the summary
    /usr/bin/python3 tools/catalog/build_catalog.py --check    # exit 1 if catalog.json is not what would be written
"""

import importlib.util
import json
import os
import pathlib
import re
import sys

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = REPO_ROOT.parent / "shared" / "catalog" / "sources.json"
SOURCES_VARIABLE = "HEARSAY_CATALOG_SOURCES"
OUTPUT = REPO_ROOT / "src" / "Hearsay.Core" / "Models" / "Catalog" / "catalog.json"

# The same rules as Hearsay.Core's ModelId and CatalogReader, so the catalog written here always loads.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ID_MAX_LENGTH = 128
FILE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
HASH_LENGTHS = {"sha256": 64, "md5": 32, "sha1": 40}
HEX = re.compile(r"^[0-9a-fA-F]+$")

PIPER_QUALITIES = ("x_low", "low", "medium", "high")
WHISPER_FILE = re.compile(r"^(?P<size>[a-z0-9][a-z0-9._-]*?)-(?P<part>encoder|decoder)(?P<int8>\.int8)?\.onnx$")
WHISPER_TOKENS = re.compile(r"^(?P<size>[a-z0-9][a-z0-9._-]*?)-tokens\.txt$")
# Catalog id suffix per precision: the int8 set is the default download, fp32 is the opt-in.
WHISPER_PRECISIONS = (("int8", ""), ("fp32", "-fp32"))

SILERO_VAD = {
    "id": "silero-vad",
    "kind": "vad",
    "engine": "silero-vad",
    "languages": [],
    "size_bytes": 0,
    "license": "MIT",
    "bundled": True,
    "description": "Silero VAD v6.2, built into Hearsay; nothing to download.",
    "files": [],
}

# What the product owner asked for at least, as (label, test on the kept ids). Reported, never enforced by inventing.
REQUIRED = (
    [(f"whisper-{size} (int8)", f"whisper-{size}") for size in ("tiny.en", "base.en", "small.en", "tiny", "base", "small")]
    + [(f"whisper-{size}-fp32 (where records allow)", f"whisper-{size}-fp32")
       for size in ("tiny.en", "base.en", "small.en", "tiny", "base", "small")]
    + [(f"piper-en_US-lessac-{quality}", f"piper-en_US-lessac-{quality}") for quality in ("low", "medium", "high")]
    + [("Piper en_US amy", re.compile(r"^piper-en_US-amy-")),
       ("Piper en_US ryan", re.compile(r"^piper-en_US-ryan-")),
       ("Piper en_US libritts_r (multi-speaker)", re.compile(r"^piper-en_US-libritts_r-")),
       ("Piper en_GB alba", re.compile(r"^piper-en_GB-alba-")),
       ("Piper de voice", re.compile(r"^piper-de_")),
       ("Piper fr voice", re.compile(r"^piper-fr_")),
       ("Piper es voice", re.compile(r"^piper-es_"))]
)


class SourceError(Exception):
    """sources.json says something malformed or self-contradictory: fix the records, never guess around them."""


def whisper_language_codes():
    """OpenAI's LANGUAGES order (it fixes the language token ids); tiny/base/small/medium know the first 99."""
    path = REPO_ROOT / "tools" / "testmodels" / "whisper_tokenizer.py"
    spec = importlib.util.spec_from_file_location("whisper_tokenizer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    codes = list(module.LANGUAGE_CODES[:99])
    if len(codes) != 99 or codes[0] != "en" or codes[-1] != "su":
        raise SourceError(f"{path}: LANGUAGE_CODES is not Whisper's list")
    return codes


class Summary:
    def __init__(self):
        self.kept = []  # (id, file count, size_bytes, note)
        self.models_out = []  # (subject, reason)
        self.files_out = []  # (record id, path, reason)
        self.required = []  # (label, status)
        self.unpinned = []  # ids whose URLs follow a branch, because no url_pinned is on record
        self.notes = []

    def print(self, out):
        out.write("Kept:\n")
        for model_id, count, size, note in self.kept:
            out.write(f"  {model_id}: {count} file(s), {size} bytes{note}\n")
        out.write("\nRequired by the product owner:\n")
        for label, status in self.required:
            out.write(f"  {label}: {status}\n")
        out.write("\nModels left out:\n")
        for subject, reason in self.models_out:
            out.write(f"  {subject}: {reason}\n")
        out.write("\nFiles left out:\n")
        for record_id, path, reason in self.files_out:
            out.write(f"  {record_id} / {path}: {reason}\n")
        if self.unpinned:
            self.notes.append("no url_pinned on record, so these URLs follow resolve/main: " + ", ".join(self.unpinned))
        if self.notes:
            out.write("\nNotes:\n")
            for note in self.notes:
                out.write(f"  {note}\n")


def basename(path):
    return path.rsplit("/", 1)[-1]


def hashes_of(record, where):
    """The recorded hashes, validated and lowercased: {name: hex}."""
    result = {}
    for name, length in HASH_LENGTHS.items():
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) != length or not HEX.match(value):
            raise SourceError(f"{where}: {name} {value!r} is not {length} hex digits")
        result[name] = value.lower()
    return result


def why_unusable(record, where):
    """None when the file has a size and a hash on record, else the reason it cannot be verified."""
    size = record.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
        raise SourceError(f"{where}: size {size!r} is not a positive integer")
    hashes = hashes_of(record, where)
    if size is None and not hashes:
        return "no size and no hash recorded"
    if size is None:
        return "a hash but no size recorded"
    if not hashes:
        return "a size but no sha256, md5 or sha1 recorded"
    return None


def download_url(record, where):
    """url_pinned when the records give one (it must be url with the branch replaced by the revision), else url."""
    url = record.get("url")
    if not isinstance(url, str) or not url:
        raise SourceError(f"{where}: no url")
    pinned = record.get("url_pinned")
    if pinned is None:
        return url, False
    revision = record.get("revision")
    if not isinstance(revision, str) or not re.fullmatch(r"[0-9a-f]{40}", revision):
        raise SourceError(f"{where}: url_pinned without a 40-hex revision")
    if pinned != url.replace("/resolve/main/", f"/resolve/{revision}/", 1):
        raise SourceError(f"{where}: url_pinned {pinned} is not {url} at revision {revision}")
    return pinned, True


def catalog_file(record, where):
    url, _ = download_url(record, where)
    entry = {"path": basename(record["path"]), "url": url, "size": record["size"]}
    hashes = hashes_of(record, where)
    # The strongest recorded hash only; md5/sha1 stand in only where no sha256 is on record.
    if "sha256" in hashes:
        entry["sha256"] = hashes["sha256"]
    else:
        entry.update((name, hashes[name]) for name in ("md5", "sha1") if name in hashes)
    return entry


def licence_fields(text, short_by_prefix):
    """A short value only where the record's own words say it; otherwise the record's words."""
    for prefix, short in short_by_prefix:
        if text.startswith(prefix):
            return {"license": short, "license_note": text}
    return {"license": text}


WHISPER_LICENCES = (("MIT for the OpenAI Whisper weights", "MIT"),)
PIPER_LICENCES = (("rhasspy/piper-voices repo tag: MIT;", "MIT (piper-voices repo tag)"),)


def whisper_models(record, summary, languages_99):
    record_id = record["id"]
    files = {}
    for file in record["files"]:
        name = basename(file["path"])
        if name in files:
            raise SourceError(f"{record_id}: {name} listed twice")
        files[name] = file

    sizes = sorted({m.group("size") for m in (WHISPER_FILE.match(n) or WHISPER_TOKENS.match(n) for n in files) if m})
    used = set()
    reasons_by_file = {}
    models = []
    for size in sizes:
        english_only = size.endswith(".en")
        record_languages = record.get("languages") or []
        if english_only != (record_languages == ["en"]):
            raise SourceError(f"{record_id}: languages {record_languages} do not fit the model name {size}")
        if not english_only and not str(record_languages[0]).startswith("multilingual"):
            raise SourceError(f"{record_id}: languages {record_languages} are neither ['en'] nor multilingual")

        for precision, suffix in WHISPER_PRECISIONS:
            model_id = f"whisper-{size}{suffix}"
            dot = ".int8" if precision == "int8" else ""
            needed = [f"{size}-encoder{dot}.onnx", f"{size}-decoder{dot}.onnx", f"{size}-tokens.txt"]
            problems = []
            for name in needed:
                if name not in files:
                    problems.append(f"{name} is not listed in sources.json")
                elif (reason := why_unusable(files[name], f"{record_id}/{name}")) is not None:
                    problems.append(f"{name} has {reason}")
            if problems:
                summary.models_out.append((model_id, "; ".join(problems)))
                for name in needed:
                    if name in files and why_unusable(files[name], f"{record_id}/{name}") is None:
                        reasons_by_file.setdefault(name, f"recorded, but the {precision} set it belongs to is incomplete")
                continue

            entry_files = [catalog_file(files[name], f"{record_id}/{name}") for name in needed]
            used.update(needed)
            revisions = sorted({files[name].get("revision") or "unpinned" for name in needed})
            if len(revisions) > 1:
                summary.notes.append(f"{model_id}: its files are pinned to different revisions {revisions}")
            language_text = "English only" if english_only else "multilingual, 99 languages"
            entry = {
                "id": model_id,
                "kind": "stt",
                "engine": "whisper-onnx",
                "languages": ["en"] if english_only else list(languages_99),
                "quality": precision,
                "size_bytes": sum(file["size"] for file in entry_files),
                **licence_fields(record["license"], WHISPER_LICENCES),
                "description": f"Whisper {size} ({language_text}), {precision}, sherpa-onnx export",
                "source": f"https://huggingface.co/{record['hf_repo']}",
                "files": entry_files,
            }
            models.append(entry)

    for name, file in files.items():
        if name in used:
            continue
        own = why_unusable(file, f"{record_id}/{name}")
        if own is not None:
            reason = own
        elif name in reasons_by_file:
            reason = reasons_by_file[name]
        else:
            reason = "not part of a sherpa-onnx Whisper encoder/decoder/tokens set"
        summary.files_out.append((record_id, name, reason))
    return models


def piper_model(record, summary):
    record_id = record["id"]
    voice = record.get("voice") or {}
    key = voice.get("key")
    parts = key.split("-") if isinstance(key, str) else []
    if len(parts) != 3 or record_id != f"piper-{key}":
        raise SourceError(f"{record_id}: voice key {key!r} is not LANG_REGION-name-quality matching the id")
    locale, name, quality = parts
    if quality != voice.get("quality") or quality not in PIPER_QUALITIES:
        raise SourceError(f"{record_id}: quality {voice.get('quality')!r} does not fit the voice key {key}")
    if [language.replace("-", "_") for language in record.get("languages") or []] != [locale]:
        raise SourceError(f"{record_id}: languages {record.get('languages')} do not fit the voice key {key}")

    files = {basename(file["path"]): file for file in record["files"]}
    needed = [f"{key}.onnx", f"{key}.onnx.json"]
    problems = []
    for file_name in needed:
        if file_name not in files:
            problems.append(f"{file_name} is not listed in sources.json")
        elif (reason := why_unusable(files[file_name], f"{record_id}/{file_name}")) is not None:
            problems.append(f"{file_name} has {reason}")
    for file_name, file in files.items():
        if file_name not in needed:
            summary.files_out.append((record_id, file_name, "not one of VOICE.onnx, VOICE.onnx.json"))
    if problems:
        summary.models_out.append((record_id, "; ".join(problems)))
        for file_name in needed:
            if file_name in files:
                own = why_unusable(files[file_name], f"{record_id}/{file_name}")
                summary.files_out.append((record_id, file_name, own or "recorded, but the voice is incomplete"))
        return None

    entry_files = [catalog_file(files[file_name], f"{record_id}/{file_name}") for file_name in needed]
    speakers = voice.get("num_speakers")
    description = f"Piper voice {name} ({locale}), {quality} quality"
    entry = {
        "id": record_id,
        "kind": "tts",
        "engine": "piper",
        "languages": [locale.split("_")[0]],
        "locale": locale,
        "quality": quality,
    }
    if isinstance(speakers, int) and not isinstance(speakers, bool) and speakers > 1:
        entry["speakers"] = speakers
        description += f", {speakers} speakers"
    entry.update({
        "size_bytes": sum(file["size"] for file in entry_files),
        **licence_fields(record["license"], PIPER_LICENCES),
        "description": description,
        "source": f"https://huggingface.co/{record['hf_repo']}",
        "files": entry_files,
    })
    if not any(file.get("url_pinned") for file in files.values()):
        summary.unpinned.append(record_id)
    return entry


def validate(models):
    seen = set()
    for model in models:
        model_id = model["id"]
        assert ID_PATTERN.match(model_id) and len(model_id) <= ID_MAX_LENGTH and ".." not in model_id, model_id
        assert model_id.lower() not in seen, f"duplicate id {model_id}"
        seen.add(model_id.lower())
        assert model["kind"] in ("stt", "tts", "vad"), model_id
        assert model["size_bytes"] == sum(file["size"] for file in model["files"]), model_id
        assert model["files"] or model.get("bundled") is True, model_id
        assert len({file["path"].lower() for file in model["files"]}) == len(model["files"]), model_id
        for file in model["files"]:
            where = f"{model_id}/{file['path']}"
            assert FILE_NAME_PATTERN.match(file["path"]) and file["path"] not in (".", ".."), where
            assert file["url"].startswith("https://"), where
            assert file["url"].endswith("/" + file["path"]), where
            assert isinstance(file["size"], int) and not isinstance(file["size"], bool) and file["size"] > 0, where
            hashes = [name for name in HASH_LENGTHS if name in file]
            assert hashes, where
            for name in hashes:
                assert len(file[name]) == HASH_LENGTHS[name] and re.fullmatch(r"[0-9a-f]+", file[name]), where
            assert all(value is not None for value in file.values()), where
        assert all(value is not None for value in model.values()), model_id


def build(sources_path, summary):
    with open(sources_path, encoding="utf-8") as f:
        sources = json.load(f)
    languages_99 = whisper_language_codes()

    models = [dict(SILERO_VAD)]
    for record in sources["models"]:
        engine = record.get("engine")
        if engine == "whisper-onnx":
            models.extend(whisper_models(record, summary, languages_99))
        elif engine == "piper":
            entry = piper_model(record, summary)
            if entry is not None:
                models.append(entry)
        else:
            reason = ("whisper.cpp ggml file: another engine, not used by Hearsay" if engine == "whisper-ggml"
                      else f"engine {engine!r} is not one Hearsay runs")
            summary.models_out.append((record["id"], reason))
            for file in record.get("files", []):
                summary.files_out.append((record["id"], basename(file["path"]), reason))

    for archive in sources.get("github_release_archives", []):
        summary.files_out.append(("github_release_archives", archive["path"],
                                  "tar.bz2 archive (.NET cannot unpack it natively) with no size on record; "
                                  "the same models come as single files from Hugging Face"))

    models.sort(key=lambda model: (model["kind"], model["id"]))
    validate(models)
    kept_ids = {model["id"] for model in models}
    for model in models:
        summary.kept.append((model["id"], len(model["files"]), model["size_bytes"],
                             " (bundled)" if model.get("bundled") else ""))
    out_reasons = dict(summary.models_out)
    for label, test in REQUIRED:
        if isinstance(test, str):
            status = "kept" if test in kept_ids else f"LEFT OUT: {out_reasons.get(test, 'no record in sources.json')}"
        else:
            matches = sorted(model_id for model_id in kept_ids if test.match(model_id))
            status = f"kept ({', '.join(matches)})" if matches else "LEFT OUT: no complete record in sources.json"
        summary.required.append((label, status))
    return {"models": models}


def render(catalog):
    return json.dumps(catalog, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.stderr.write(__doc__)
        return 2
    sources_path = pathlib.Path(os.environ.get(SOURCES_VARIABLE) or DEFAULT_SOURCES)
    summary = Summary()
    try:
        text = render(build(sources_path, summary))
    except (OSError, ValueError, KeyError, SourceError) as e:
        sys.stderr.write(f"{sources_path}: {type(e).__name__}: {e}\n")
        return 1
    if check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != text:
            sys.stderr.write(f"{OUTPUT.relative_to(REPO_ROOT)} is out of date: run tools/catalog/build_catalog.py\n")
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    sys.stdout.write(f"Wrote {OUTPUT.relative_to(REPO_ROOT)} from {sources_path}\n\n")
    summary.print(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
