using System.Threading.Channels;
using Hearsay.Contracts.Catalog;
using Hearsay.Contracts.Status;
using Hearsay.Core;
using Hearsay.Core.Stt;
using Hearsay.Core.Tts;
using Hearsay.Server.Downloads;

namespace Hearsay.Server.Capabilities;

/// <summary>The capabilities and downloads as one status, and its subscribers (the <c>/v1/status/events</c> streams).</summary>
internal sealed class StatusHub
{
    private readonly Lock _gate = new();
    private readonly List<Channel<HearsayStatus>> _subscribers = [];

    public StatusHub(
        EngineCapability<ISpeechToTextEngine> stt, EngineCapability<ITextToSpeechEngine> tts, ModelDownloads downloads, ToolInventory tools)
    {
        Stt = stt;
        Tts = tts;
        Downloads = downloads;
        Tools = tools;
        stt.Changed += () => Publish(null);
        tts.Changed += () => Publish(null);
        tools.Changed += () => Publish(null);
        downloads.Changed += progress => Publish(IsFinal(progress) ? progress : null);
    }

    public EngineCapability<ISpeechToTextEngine> Stt { get; }

    public EngineCapability<ITextToSpeechEngine> Tts { get; }

    public ModelDownloads Downloads { get; }

    public ToolInventory Tools { get; }

    public HearsayStatus Current => new(Stt.Status, Tts.Status, Downloads.Current, HearsayVersion.Release, Tools.Current);

    /// <summary>
    /// Looks again for the external programs, and lets a capability that lacked one try again, so a program installed
    /// while the server runs takes effect without a restart. Cheap: programs are looked for at most every couple of
    /// seconds. Any change is published.
    /// </summary>
    public void Refresh()
    {
        Tools.Refresh();
        Stt.RetryIfUnavailable();
        Tts.RetryIfUnavailable();
    }

    /// <summary>
    /// A stream of statuses: the current one first, then one per change. A slow reader misses intermediate statuses,
    /// never the latest one.
    /// </summary>
    public ChannelReader<HearsayStatus> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<HearsayStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            channel.Writer.TryWrite(Current);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private static bool IsFinal(DownloadProgress progress) =>
        progress.Phase is DownloadProgress.Installed or DownloadProgress.Failed or DownloadProgress.Cancelled;

    /// <summary>Sends the current status; a download that just ended is in it once, so watchers see how it ended.</summary>
    private void Publish(DownloadProgress? ended)
    {
        lock (_gate)
        {
            var status = Current;
            if (ended is not null)
            {
                status = status with { Downloads = [.. status.Downloads.Where(download => download.Model != ended.Model), ended] };
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(status);
            }
        }
    }
}
