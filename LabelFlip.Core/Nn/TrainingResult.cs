using System.Collections.Immutable;

namespace LabelFlip.Core.Nn;

/// <summary>The outcome of a training run that converged to finite values.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(Mlp model, ImmutableArray<double> epochLosses)
    {
        Model = model;
        EpochLosses = epochLosses;
    }

    /// <summary>The trained network.</summary>
    public Mlp Model { get; }

    /// <summary>
    /// The mean training loss (<see cref="TrainingOptions.Loss"/>) of each epoch: the per-row losses computed during that epoch's forward
    /// passes (each with the weights before its batch's step), summed in row order in double, divided by the rows.
    /// </summary>
    public ImmutableArray<double> EpochLosses { get; }

    /// <summary>The last epoch's mean loss.</summary>
    public double FinalLoss => EpochLosses[^1];
}
