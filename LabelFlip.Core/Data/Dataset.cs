using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Data;

/// <summary>
/// An immutable labelled dataset: features in one contiguous row-major block (rows × features) and one
/// integer label in [0, classes) per row.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly int[] _labels;

    /// <summary>Creates a dataset from copies of <paramref name="features"/> and <paramref name="labels"/>.</summary>
    /// <param name="features">Row-major features, <paramref name="labels"/>.Length × <paramref name="featureCount"/> finite values.</param>
    /// <param name="labels">One class index in [0, <paramref name="classCount"/>) per row.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Number of classes, at least 2.</param>
    /// <exception cref="ArgumentException">A shape does not match, a feature is not finite or a label is out of range.</exception>
    public Dataset(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int featureCount, int classCount)
        : this(features.ToArray(), labels.ToArray(), featureCount, classCount, validate: true)
    {
    }

    // Takes ownership of the arrays: only for code that has just built them and never writes them again.
    internal Dataset(float[] features, int[] labels, int featureCount, int classCount, bool validate)
    {
        if (validate)
            Validate(features, labels, featureCount, classCount);
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    /// <summary>Number of rows (samples).</summary>
    public int RowCount => _labels.Length;

    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes; every label lies in [0, ClassCount).</summary>
    public int ClassCount { get; }

    /// <summary>All features, row-major: row r occupies [r·FeatureCount, (r + 1)·FeatureCount).</summary>
    public ImmutableArray<float> Features => ImmutableCollectionsMarshal.AsImmutableArray(_features);

    /// <summary>The label of each row.</summary>
    public ImmutableArray<int> Labels => ImmutableCollectionsMarshal.AsImmutableArray(_labels);

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> GetRow(int row)
    {
        ThrowHelper.ThrowIfOutside(row, 0, RowCount - 1);
        return _features.AsSpan(row * FeatureCount, FeatureCount);
    }

    /// <summary>How many rows carry each label.</summary>
    public int[] CountPerClass()
    {
        int[] counts = new int[ClassCount];
        foreach (int label in _labels)
            counts[label]++;
        return counts;
    }

    /// <summary>The same features with other labels, for example poisoned ones.</summary>
    /// <param name="labels">One label per row, each in [0, ClassCount).</param>
    public Dataset WithLabels(ReadOnlySpan<int> labels)
    {
        if (labels.Length != RowCount)
            ThrowHelper.ThrowArgument(nameof(labels), $"Must hold one label per row: expected {RowCount}, got {labels.Length}.");
        int[] copy = labels.ToArray();
        ValidateLabels(copy, ClassCount, nameof(labels));
        return new Dataset(_features, copy, FeatureCount, ClassCount, validate: false);
    }

    /// <summary>A new dataset of the given rows, in the given order.</summary>
    /// <param name="rows">Row indices, each in [0, RowCount); repeats are allowed.</param>
    public Dataset SelectRows(ReadOnlySpan<int> rows)
    {
        float[] features = new float[rows.Length * FeatureCount];
        int[] labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if ((uint)row >= (uint)RowCount)
                ThrowHelper.ThrowOutOfRange(nameof(rows), row, $"Row indices must be in [0, {RowCount - 1}]; entry {i} is not.");
            _features.AsSpan(row * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            labels[i] = _labels[row];
        }
        return new Dataset(features, labels, FeatureCount, ClassCount, validate: false);
    }

    internal ReadOnlySpan<float> FeatureSpan => _features;

    internal ReadOnlySpan<int> LabelSpan => _labels;

    private static void Validate(float[] features, int[] labels, int featureCount, int classCount)
    {
        ThrowHelper.ThrowIfLess(featureCount, 1);
        ThrowHelper.ThrowIfLess(classCount, 2);
        if ((long)labels.Length * featureCount != features.Length)
            ThrowHelper.ThrowArgument(nameof(features),
                $"Must hold labels.Length × featureCount = {labels.Length} × {featureCount} = {(long)labels.Length * featureCount} values; got {features.Length}.");
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                ThrowHelper.ThrowArgument(nameof(features),
                    $"Must be finite; row {i / featureCount}, feature {i % featureCount} is {features[i]}.");
        }
        ValidateLabels(labels, classCount, nameof(labels));
    }

    internal static void ValidateLabels(ReadOnlySpan<int> labels, int classCount, string paramName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                ThrowHelper.ThrowOutOfRange(paramName, labels[i], $"Labels must be in [0, {classCount - 1}]; label {i} is not.");
        }
    }
}
