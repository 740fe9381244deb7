namespace LabelFlip.Core.Nn;

/// <summary>
/// Training produced a non-finite loss or non-finite weights (for example with a far too large learning rate);
/// no model is returned, because its weights would be meaningless.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="epoch"/> (1-based) and its mean <paramref name="loss"/>.</summary>
    public TrainingDivergedException(int epoch, double loss)
        : base($"Training diverged in epoch {epoch}: the mean loss is {loss} (or a weight is no longer finite). " +
               "Lower the learning rate.")
    {
        Epoch = epoch;
        Loss = loss;
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message of your own and its cause.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The epoch (1-based) at whose end the loss or a weight was found not finite.</summary>
    public int Epoch { get; }

    /// <summary>That epoch's mean loss (NaN or ±∞, or finite when only a weight went non-finite).</summary>
    public double Loss { get; }
}
