using System.Text.Json;
using Hearsay.Contracts;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>Realtime sessions on a server whose transcription gate has one slot and no queue: finals wait, never drop.</summary>
public sealed class RealtimeLoadTests
{
    [Fact]
    public async Task FourSessions_GateWithoutQueue_EveryCommitCompletedAndTheFileEndpointsText()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SamplingSeed = 17, SttConcurrency = 1, SttQueue = 0 });
        string[] clips = ["lj_LJ001-0002.wav", "arctic_aew_a0002.wav", "cathy_arctic_a0122.wav", "arctic_axb_a0004.wav"];

        // Every session commits two clips back to back, so finals pile up far beyond the one slot.
        var results = await Task.WhenAll(clips.Select(async clip =>
        {
            var pcm = await RealtimeTranscriptionTests.Pcm(clip);
            await using var client = await RealtimeTestClient.ConnectAsync(server.BaseUrl, server.Ready.Token);
            await client.NextAsync("session.created");
            await client.SendAsync(new
            {
                type = "session.update",
                session = new { type = "transcription", audio = new { input = new { transcription = new { language = "en" }, turn_detection = (object?)null } } },
            });
            await client.NextAsync("session.updated");
            var transcripts = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                await client.AppendAsync(pcm, chunkBytes: 48000);
                await client.SendAsync(new { type = "input_audio_buffer.commit" });
            }

            for (var i = 0; i < 2; i++)
            {
                transcripts.Add((await client.NextAsync("conversation.item.input_audio_transcription.completed")).GetProperty("transcript").GetString()!);
            }

            Assert.Empty(client.SeenOf("conversation.item.input_audio_transcription.failed"));
            return (Pcm: pcm, Transcripts: transcripts);
        }));

        foreach (var (pcm, transcripts) in results)
        {
            var expected = await FileTranscriptAsync(server, pcm);
            Assert.All(transcripts, transcript => Assert.Equal(expected, transcript));
        }
    }

    private static async Task<string> FileTranscriptAsync(ServerUnderTest server, byte[] pcm)
    {
        // The gate has no queue: an upload while nothing else runs.
        using var form = RealtimeTranscriptionTests.WavForm(pcm, 24000, "en");
        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("text").GetString()!;
    }
}
