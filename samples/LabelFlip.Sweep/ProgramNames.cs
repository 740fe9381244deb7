namespace LabelFlip.Sweep;

/// <summary>How the running program names itself and its commands, in help, hints and error lines.</summary>
/// <param name="Program">Prefix of every error line and of the --version line.</param>
/// <param name="Sweep">The command that runs a sweep.</param>
/// <param name="Merge">The command that merges shards.</param>
internal sealed record ProgramNames(string Program, string Sweep, string Merge)
{
    /// <summary>The standalone program: <c>labelflip-sweep</c> and <c>labelflip-sweep merge</c>.</summary>
    public static ProgramNames Standalone { get; } = new("labelflip-sweep", "labelflip-sweep", "labelflip-sweep merge");

    /// <summary>The installed tool: <c>labelflip sweep</c> and <c>labelflip merge</c>.</summary>
    public static ProgramNames Tool { get; } = new("labelflip", "labelflip sweep", "labelflip merge");
}
