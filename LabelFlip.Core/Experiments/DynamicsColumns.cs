using System.Collections.Immutable;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The quantities of <see cref="TrainingDynamics"/> by the names that the run log, <c>results.json</c> and
/// <c>dynamics.csv</c> give them, in one order.
/// </summary>
internal static class DynamicsColumns
{
    /// <summary>The recorded epochs.</summary>
    public const string Epoch = "epoch";

    /// <summary>The JSON object of a record that holds the dynamics.</summary>
    public const string Property = "dynamics";

    /// <summary>Each quantity: its name, how to read it, whether it is a share (in [0, 1]) rather than a loss (≥ 0),
    /// and whether it belongs to the flipped rows (so it is absent when none was flipped) rather than the clean ones
    /// (absent when all were) or the test rows (always present).</summary>
    public static readonly ImmutableArray<Quantity> Quantities =
    [
        new("test_accuracy", d => d.TestAccuracy, IsShare: true, Group.Test),
        new("clean_accuracy", d => d.CleanAccuracy, IsShare: true, Group.Clean),
        new("memorization_rate", d => d.MemorizationRate, IsShare: true, Group.Flipped),
        new("flipped_true_accuracy", d => d.FlippedTrueAccuracy, IsShare: true, Group.Flipped),
        new("clean_loss", d => d.CleanLoss, IsShare: false, Group.Clean),
        new("flipped_loss", d => d.FlippedLoss, IsShare: false, Group.Flipped),
    ];

    /// <summary>The rows a quantity is measured on.</summary>
    public enum Group
    {
        /// <summary>The test rows.</summary>
        Test,

        /// <summary>The training rows whose label was not flipped.</summary>
        Clean,

        /// <summary>The training rows whose label was flipped.</summary>
        Flipped,
    }

    /// <summary>One quantity.</summary>
    public sealed record Quantity(string Name, Func<TrainingDynamics, ImmutableArray<double>> Get, bool IsShare, Group Rows);

    /// <summary>Dynamics from values in <see cref="Quantities"/> order (empty where a group has no rows).</summary>
    public static TrainingDynamics Create(ImmutableArray<int> epochs, IReadOnlyList<ImmutableArray<double>> values) =>
        new(epochs, values[0], values[1], values[2], values[3], values[4], values[5]);

    /// <summary>The epochs a run of <paramref name="epochs"/> records every <paramref name="every"/>: m, 2m, … and the last.</summary>
    public static ImmutableArray<int> ExpectedEpochs(int epochs, int every)
    {
        var list = ImmutableArray.CreateBuilder<int>(DynamicsRecorder.RecordedEpochCount(epochs, every));
        for (int e = every; e <= epochs; e += every)
            list.Add(e);
        if (epochs % every != 0)
            list.Add(epochs);
        return list.MoveToImmutable();
    }
}
