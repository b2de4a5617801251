/*
 * hearsay-phonemizer: espeak-ng's text-to-IPA path as a loop that stays initialised, for Hearsay's portable
 * phonemizer (docs/adr/0010-portable-phonemizer.md). It is linked with libespeak-ng into one WebAssembly module, so
 * like espeak-ng it is licensed under the GNU General Public License, version 3 or later.
 *
 * Each request is phonemized exactly as `espeak-ng -q -b 1 --ipa --stdin -v VOICE` phonemizes its standard input,
 * so the output is byte for byte the native program's (Debian 12's, see phonemize()). The protocol, on standard
 * input and output:
 *   started:  "READY <espeak-ng version>\n"
 *   request:  "<voice> <byte count>\n" then that many bytes of UTF-8 text
 *   answer:   "OK <byte count>\n" then the phoneme lines, or "ERR <byte count>\n" then a message
 * Counts make any byte in the text or the output safe (newlines, NUL, "[[", escapes). A malformed header ends the
 * loop with exit code 2; end of input ends it with 0.
 */
#include <espeak-ng/espeak_ng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VOICE 40
#define MAX_TEXT (16 * 1024 * 1024)

static int quiet_callback(short *wav, int samples, espeak_EVENT *events)
{
	(void)wav;
	(void)samples;
	(void)events;
	return 0;
}

static void answer(const char *kind, const char *bytes, size_t length)
{
	printf("%s %zu\n", kind, length);
	fwrite(bytes, 1, length, stdout);
	fflush(stdout);
}

static void answer_status(espeak_ng_STATUS status, const char *what)
{
	char message[512];
	char reason[400];
	espeak_ng_GetStatusCodeMessage(status, reason, sizeof(reason));
	int length = snprintf(message, sizeof(message), "%s: %s", what, reason);
	answer("ERR", message, (size_t)length);
}

/* The voice as the program chooses it: by name, else by language. */
static espeak_ng_STATUS select_voice(const char *name)
{
	espeak_ng_STATUS status = espeak_ng_SetVoiceByName(name);
	if (status == ENS_OK)
		return status;
	espeak_VOICE properties;
	memset(&properties, 0, sizeof(properties));
	properties.languages = name;
	return espeak_ng_SetVoiceByProperties(&properties);
}

static void phonemize(char *text, size_t length)
{
	char *output = NULL;
	size_t output_length = 0;
	FILE *trace = open_memstream(&output, &output_length);
	if (trace == NULL) {
		answer("ERR", "out of memory", 13);
		return;
	}

	espeak_SetPhonemeTrace(espeakPHONEMES_IPA, trace);
	/* The whole text, as Debian 12's espeak-ng (1.51+dfsg-10+deb12u2, "Fix dropping last byte of stdin input") reads
	 * --stdin; the 1.51 tag's program dropped the last byte. The parity tests compare with Debian's program. */
	if (length > 0)
		espeak_Synth(text, length + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakPHONEMES | espeakENDPAUSE, NULL, NULL);
	espeak_ng_STATUS status = espeak_ng_Synchronize();
	espeak_SetPhonemeTrace(espeakPHONEMES_IPA, stderr);
	fclose(trace);
	if (status == ENS_OK)
		answer("OK", output, output_length);
	else
		answer_status(status, "espeak-ng failed");
	free(output);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: hearsay-phonemizer DATA-FOLDER\n");
		return 2;
	}

	espeak_ng_InitializePath(argv[1]);
	espeak_ng_ERROR_CONTEXT context = NULL;
	espeak_ng_STATUS status = espeak_ng_Initialize(&context);
	if (status == ENS_OK)
		status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
	if (status != ENS_OK) {
		espeak_ng_PrintStatusCodeMessage(status, stderr, context);
		return 1;
	}
	espeak_SetSynthCallback(quiet_callback);
	/* espeak_Synth renders the audio of every clause, which is thrown away; at the fastest rate there is about 2.5
	 * times less of it (1.7 ms instead of 4.9 ms per sentence, bench phonemizer). The phonemes do not depend on the
	 * rate (it only shortens sounds and pauses); the parity tests compare them with the program at its default rate. */
	espeak_SetParameter(espeakRATE, espeakRATE_MAXIMUM, 0);
	printf("READY %s\n", espeak_Info(NULL));
	fflush(stdout);

	char voice[MAX_VOICE + 1];
	char current[MAX_VOICE + 1] = "";
	size_t length;
	char *text = NULL;
	int fields;
	while ((fields = scanf("%40s %zu", voice, &length)) == 2 && getchar() == '\n') {
		if (length > MAX_TEXT)
			return 2;
		char *grown = realloc(text, length + 1);
		if (grown == NULL)
			return 1;
		text = grown;
		if (fread(text, 1, length, stdin) != length)
			return 2;
		text[length] = 0;

		if (strcmp(voice, current) != 0) {
			status = select_voice(voice);
			if (status != ENS_OK) {
				current[0] = 0;
				answer_status(status, "voice not found");
				continue;
			}
			strcpy(current, voice);
		}
		phonemize(text, length);
	}
	free(text);
	return fields == EOF ? 0 : 2;
}
