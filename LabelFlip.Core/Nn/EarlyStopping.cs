using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Nn;

/// <summary>
/// Early stopping as an <see cref="IEpochObserver"/>: after every epoch it scores the network on held-out validation
/// rows (accuracy against their labels, noisy as they are: a defender has no others), keeps a copy of the best
/// network, and stops training once <see cref="Patience"/> epochs in a row have not beaten it. Ties keep the earlier
/// epoch. It draws no random numbers and never writes to the network it watches, so the run's training bits are those
/// of a run without it, up to the epoch it stops at.
/// </summary>
/// <remarks>After the first epoch it allocates nothing: the predictions go to a buffer made once and the best
/// network is copied into a clone made once.</remarks>
public sealed class EarlyStopping : IEpochObserver
{
    private readonly Dataset _validation;
    private readonly int[] _predicted;
    private Mlp? _best;

    /// <summary>Creates the observer for one training run.</summary>
    /// <param name="validation">The held-out rows, at least one; its features and classes must be the network's.</param>
    /// <param name="patience">Epochs without a better validation accuracy before training stops, at least 1; more than
    /// the epochs asked for means training is never stopped (and the best epoch is still kept).</param>
    /// <exception cref="ArgumentException"><paramref name="validation"/> has no rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patience"/> is below 1.</exception>
    public EarlyStopping(Dataset validation, int patience)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.RowCount == 0)
            ThrowHelper.ThrowArgument(nameof(validation), "Must have at least one row.");
        ThrowHelper.ThrowIfLess(patience, 1);
        _validation = validation;
        _predicted = new int[validation.RowCount];
        Patience = patience;
    }

    /// <summary>Epochs without a better validation accuracy before training stops.</summary>
    public int Patience { get; }

    /// <summary>The epoch (1-based) with the best validation accuracy so far, the first of equals; 0 before any epoch.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best validation accuracy so far; NaN before any epoch.</summary>
    public double BestAccuracy { get; private set; } = double.NaN;

    /// <summary>The last epoch seen: where training stopped, once it is over.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Whether this observer stopped training (false when every epoch ran).</summary>
    public bool Stopped { get; private set; }

    /// <summary>A copy of the network at <see cref="BestEpoch"/>.</summary>
    /// <exception cref="InvalidOperationException">No epoch has been seen.</exception>
    public Mlp BestModel => _best ?? throw new InvalidOperationException("No epoch has completed yet.");

    /// <inheritdoc />
    public bool EpochCompleted(int epoch, Mlp model, double meanLoss)
    {
        ArgumentNullException.ThrowIfNull(model);
        LastEpoch = epoch;
        model.Predict(_validation.FeatureSpan, _predicted);
        ReadOnlySpan<int> labels = _validation.LabelSpan;
        int correct = 0;
        for (int r = 0; r < _predicted.Length; r++)
            correct += _predicted[r] == labels[r] ? 1 : 0;
        double accuracy = (double)correct / _predicted.Length;
        if (_best is null || accuracy > BestAccuracy)
        {
            BestAccuracy = accuracy;
            BestEpoch = epoch;
            if (_best is null)
                _best = model.Clone();
            else
                model.Parameters.CopyTo(_best.Parameters);
            return true;
        }
        Stopped = epoch - BestEpoch >= Patience;
        return !Stopped;
    }
}
