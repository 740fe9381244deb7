using System.Diagnostics.CodeAnalysis;

namespace LabelFlip.Sweep;

/// <summary>
/// Walks a command line option by option: <c>--opt value</c> and <c>--opt=value</c> alike. A missing value or an
/// unknown option is a <see cref="UsageException"/> naming the option, so every command words them the same way.
/// </summary>
internal sealed class OptionReader(IEnumerable<string> arguments)
{
    private readonly List<string> _args = [.. arguments.SelectMany(CommandLine.SplitEquals)];
    private int _next;
    private string _option = "";

    /// <summary>The arguments, with each --opt=value split in two.</summary>
    public IReadOnlyList<string> Arguments => _args;

    /// <summary>Skips <paramref name="count"/> arguments that the caller has read from <see cref="Arguments"/> itself.</summary>
    public void Skip(int count) => _next += count;

    /// <summary>The next option or argument, if any.</summary>
    public bool TryNext([NotNullWhen(true)] out string? option)
    {
        option = _next < _args.Count ? _args[_next++] : null;
        _option = option ?? "";
        return option is not null;
    }

    /// <summary>The current option's value: the next argument, unless there is none or it is an option itself.</summary>
    public string Value() => _next < _args.Count && !_args[_next].StartsWith("--", StringComparison.Ordinal)
        ? _args[_next++]
        : throw new UsageException($"{_option} needs a value");

    /// <summary>The current option's value as an integer.</summary>
    public int IntValue() => CommandLine.ParseInt(_option, Value());

    /// <summary>The error for an option or argument the command does not take.</summary>
    public UsageException Unexpected() =>
        new(_option.StartsWith('-') ? $"unknown option '{_option}'" : $"unexpected argument '{_option}'");
}
