using Hearsay.Core;

namespace Hearsay.Server.Capabilities;

/// <summary>Why a model did not load, in plain words, whatever the engine threw; the log keeps the exception itself.</summary>
internal static class LoadFailure
{
    public static string Reason(string model, Exception exception) => exception switch
    {
        // Hearsay's own failures already name the file and what is wrong with it.
        HearsayException => exception.Message,
        IOException or UnauthorizedAccessException =>
            $"The model '{model}' could not be read ({Detail(exception)}). Check that its files are there and that the user " +
            "running Hearsay may read them, then restart Hearsay.",
        _ => $"The model '{model}' could not be loaded ({Detail(exception)}): its files are damaged or not a model this " +
             "capability can use. Install it again or choose another model; the log has the details.",
    };

    private static string Detail(Exception exception) => exception.Message.TrimEnd('.');
}
