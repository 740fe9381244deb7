using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Data;

/// <summary>
/// Per-feature standardisation, z = (x − mean) / scale, with the mean and scale fitted on one dataset
/// (the training rows) and applied unchanged to others (the test rows), so no test statistic leaks in.
/// </summary>
/// <remarks>
/// The mean and the population standard deviation (divisor n) are computed in double, two passes over the
/// rows in order, so they are the same on every machine. A constant feature has standard deviation 0 and
/// keeps scale 1: it is only centred. z is computed in double and rounded once to float.
/// </remarks>
public sealed class FeatureStandardization
{
    private readonly double[] _means;
    private readonly double[] _scales;

    private FeatureStandardization(double[] means, double[] scales)
    {
        _means = means;
        _scales = scales;
    }

    /// <summary>The mean of each feature over the fitted rows.</summary>
    public ImmutableArray<double> Means => ImmutableCollectionsMarshal.AsImmutableArray(_means);

    /// <summary>What each feature is divided by: its standard deviation, or 1 where that is 0.</summary>
    public ImmutableArray<double> Scales => ImmutableCollectionsMarshal.AsImmutableArray(_scales);

    /// <summary>Fits the means and scales on <paramref name="data"/>.</summary>
    /// <param name="data">The rows to fit on, at least 1.</param>
    public static FeatureStandardization Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.RowCount < 1)
            ThrowHelper.ThrowArgument(nameof(data), "Must hold at least one row to fit on.");
        int d = data.FeatureCount;
        ReadOnlySpan<float> x = data.FeatureSpan;
        double[] means = new double[d];
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int f = 0; f < d; f++)
                means[f] += x[r * d + f];
        }
        for (int f = 0; f < d; f++)
            means[f] /= data.RowCount;

        double[] scales = new double[d];
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int f = 0; f < d; f++)
            {
                double deviation = x[r * d + f] - means[f];
                scales[f] += deviation * deviation;
            }
        }
        for (int f = 0; f < d; f++)
        {
            double std = Math.Sqrt(scales[f] / data.RowCount);
            scales[f] = std > 0 ? std : 1.0;
        }
        return new FeatureStandardization(means, scales);
    }

    /// <summary>The standardised copy of <paramref name="data"/>, same labels.</summary>
    /// <param name="data">Rows with as many features as the fitted ones.</param>
    /// <exception cref="ArgumentException">The feature count differs, or a standardised value overflows a float.</exception>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = _means.Length;
        if (data.FeatureCount != d)
            ThrowHelper.ThrowArgument(nameof(data), $"Must have {d} features, as the fitted data; has {data.FeatureCount}.");
        ReadOnlySpan<float> x = data.FeatureSpan;
        float[] z = new float[x.Length];
        for (int i = 0; i < z.Length; i++)
        {
            int f = i % d;
            z[i] = (float)((x[i] - _means[f]) / _scales[f]);
        }
        // Validated: a tiny scale can push a far-out test value past float's range.
        return new Dataset(z, data.LabelSpan.ToArray(), d, data.ClassCount, validate: true);
    }
}
