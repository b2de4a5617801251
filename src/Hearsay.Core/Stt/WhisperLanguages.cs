namespace Hearsay.Core.Stt;

/// <summary>Whisper's languages: ISO codes, the lower-case English names OpenAI reports, and the aliases it accepts.</summary>
public static class WhisperLanguages
{
    private static readonly Dictionary<string, string> NamesByCode = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "english",
        ["zh"] = "chinese",
        ["de"] = "german",
        ["es"] = "spanish",
        ["ru"] = "russian",
        ["ko"] = "korean",
        ["fr"] = "french",
        ["ja"] = "japanese",
        ["pt"] = "portuguese",
        ["tr"] = "turkish",
        ["pl"] = "polish",
        ["ca"] = "catalan",
        ["nl"] = "dutch",
        ["ar"] = "arabic",
        ["sv"] = "swedish",
        ["it"] = "italian",
        ["id"] = "indonesian",
        ["hi"] = "hindi",
        ["fi"] = "finnish",
        ["vi"] = "vietnamese",
        ["he"] = "hebrew",
        ["uk"] = "ukrainian",
        ["el"] = "greek",
        ["ms"] = "malay",
        ["cs"] = "czech",
        ["ro"] = "romanian",
        ["da"] = "danish",
        ["hu"] = "hungarian",
        ["ta"] = "tamil",
        ["no"] = "norwegian",
        ["th"] = "thai",
        ["ur"] = "urdu",
        ["hr"] = "croatian",
        ["bg"] = "bulgarian",
        ["lt"] = "lithuanian",
        ["la"] = "latin",
        ["mi"] = "maori",
        ["ml"] = "malayalam",
        ["cy"] = "welsh",
        ["sk"] = "slovak",
        ["te"] = "telugu",
        ["fa"] = "persian",
        ["lv"] = "latvian",
        ["bn"] = "bengali",
        ["sr"] = "serbian",
        ["az"] = "azerbaijani",
        ["sl"] = "slovenian",
        ["kn"] = "kannada",
        ["et"] = "estonian",
        ["mk"] = "macedonian",
        ["br"] = "breton",
        ["eu"] = "basque",
        ["is"] = "icelandic",
        ["hy"] = "armenian",
        ["ne"] = "nepali",
        ["mn"] = "mongolian",
        ["bs"] = "bosnian",
        ["kk"] = "kazakh",
        ["sq"] = "albanian",
        ["sw"] = "swahili",
        ["gl"] = "galician",
        ["mr"] = "marathi",
        ["pa"] = "punjabi",
        ["si"] = "sinhala",
        ["km"] = "khmer",
        ["sn"] = "shona",
        ["yo"] = "yoruba",
        ["so"] = "somali",
        ["af"] = "afrikaans",
        ["oc"] = "occitan",
        ["ka"] = "georgian",
        ["be"] = "belarusian",
        ["tg"] = "tajik",
        ["sd"] = "sindhi",
        ["gu"] = "gujarati",
        ["am"] = "amharic",
        ["yi"] = "yiddish",
        ["lo"] = "lao",
        ["uz"] = "uzbek",
        ["fo"] = "faroese",
        ["ht"] = "haitian creole",
        ["ps"] = "pashto",
        ["tk"] = "turkmen",
        ["nn"] = "nynorsk",
        ["mt"] = "maltese",
        ["sa"] = "sanskrit",
        ["lb"] = "luxembourgish",
        ["my"] = "myanmar",
        ["bo"] = "tibetan",
        ["tl"] = "tagalog",
        ["mg"] = "malagasy",
        ["as"] = "assamese",
        ["tt"] = "tatar",
        ["haw"] = "hawaiian",
        ["ln"] = "lingala",
        ["ha"] = "hausa",
        ["ba"] = "bashkir",
        ["jw"] = "javanese",
        ["su"] = "sundanese",
        ["yue"] = "cantonese",
    };

    private static readonly Dictionary<string, string> CodesByAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        ["burmese"] = "my",
        ["valencian"] = "ca",
        ["flemish"] = "nl",
        ["haitian"] = "ht",
        ["letzeburgesch"] = "lb",
        ["pushto"] = "ps",
        ["panjabi"] = "pa",
        ["moldavian"] = "ro",
        ["moldovan"] = "ro",
        ["sinhalese"] = "si",
        ["castilian"] = "es",
        ["mandarin"] = "zh",
    };

    /// <summary>OpenAI's name for <paramref name="code"/> (e.g. <c>english</c>), or the code itself when unknown.</summary>
    public static string NameOf(string code) => NamesByCode.TryGetValue(code, out var name) ? name : code;

    /// <summary>Turns a code, a name or an alias (<c>en</c>, <c>English</c>, <c>castilian</c>) into a code.</summary>
    public static bool TryNormalize(string language, out string code)
    {
        if (NamesByCode.ContainsKey(language))
        {
            code = language.ToLowerInvariant();
            return true;
        }

        foreach (var (known, name) in NamesByCode)
        {
            if (string.Equals(name, language, StringComparison.OrdinalIgnoreCase))
            {
                code = known;
                return true;
            }
        }

        return CodesByAlias.TryGetValue(language, out code!);
    }
}
