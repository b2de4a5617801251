using System.CommandLine;
using Hearsay.Core;
using Hearsay.Core.Models;

namespace Hearsay.Cli.Commands.Models;

/// <summary><c>hearsay models rm ID</c> and <c>hearsay models verify [ID]</c>.</summary>
internal static class ModelsMaintenanceCommands
{
    private static readonly Argument<string[]> RemoveIds = new("id") { Description = "Installed model ids", Arity = ArgumentArity.OneOrMore };

    private static readonly Argument<string?> VerifyId = new("id") { Description = "One installed model (default: every installed model)", Arity = ArgumentArity.ZeroOrOne };

    public static Command CreateRemove(CliConsole console)
    {
        var command = new Command("rm", "Delete models from the store (partial downloads included)") { RemoveIds };
        CommandRunner.SetAction(command, console, async (parseResult, console, cancellationToken) =>
        {
            var store = (await ModelSources.OpenAsync(parseResult, cancellationToken)).Store;
            foreach (var id in parseResult.GetRequiredValue(RemoveIds))
            {
                var bytes = store.DiskUsage(ModelId.Validate(id));
                console.Error.WriteLine(await store.RemoveAsync(id, cancellationToken)
                    ? $"{id}: removed ({ByteSize.Format(bytes)} freed)"
                    : $"{id}: not in the store");
            }
        });
        return command;
    }

    public static Command CreateVerify(CliConsole console)
    {
        var command = new Command("verify", "Re-hash installed models against the sizes and hashes they were installed with") { VerifyId };
        CommandRunner.SetAction(command, console, async (parseResult, console, cancellationToken) =>
        {
            var store = (await ModelSources.OpenAsync(parseResult, cancellationToken)).Store;
            var ids = parseResult.GetValue(VerifyId) is { } one ? [one] : store.ListInstalled().Select(model => model.Id).ToList();
            var damaged = 0;
            foreach (var id in ids)
            {
                var problems = await store.VerifyAsync(id, cancellationToken);
                console.Out.WriteLine(problems.Count == 0 ? $"{id}: ok" : $"{id}: DAMAGED");
                foreach (var problem in problems)
                {
                    console.Out.WriteLine($"  {problem}");
                }

                damaged += problems.Count > 0 ? 1 : 0;
            }

            if (damaged > 0)
            {
                throw new HearsayException(
                    HearsayErrorCode.IntegrityCheckFailed,
                    $"{damaged} model(s) failed verification; reinstall with 'hearsay models rm ID' then 'hearsay models pull ID'.");
            }
        });
        return command;
    }
}
