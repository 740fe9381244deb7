using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LabelFlip.Core.Internal;

/// <summary>
/// Argument checks for the public boundary. Each names the parameter, the allowed range and the value,
/// and keeps the throw out of line so the checked method stays small enough to inline.
/// </summary>
internal static class ThrowHelper
{
    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    public static void ThrowIfLess(int value, int min, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < min)
            ThrowOutOfRange(paramName, value, $"Must be at least {min}.");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void ThrowIfOutside(int value, int min, int max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < min || value > max)
            ThrowOutOfRange(paramName, value, $"Must be in [{min}, {max}].");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void ThrowIfOutside(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        // Written as a negated conjunction so NaN fails it too.
        if (!(double.IsFinite(value) && value >= min && value <= max))
            ThrowOutOfRange(paramName, value, $"Must be a finite number in [{min}, {max}].");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void ThrowIfNotPositiveFinite(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!(double.IsFinite(value) && value > 0))
            ThrowOutOfRange(paramName, value, "Must be a finite number greater than 0.");
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for <paramref name="paramName"/>.</summary>
    [DoesNotReturn]
    public static void ThrowOutOfRange(string? paramName, object? value, string message) =>
        throw new ArgumentOutOfRangeException(paramName, value, message);

    /// <summary>Throws an <see cref="ArgumentException"/> for <paramref name="paramName"/>.</summary>
    [DoesNotReturn]
    public static void ThrowArgument(string? paramName, string message) =>
        throw new ArgumentException(message, paramName);
}
