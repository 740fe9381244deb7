using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Data;

/// <summary>
/// Gaussian clusters exactly as the study's NumPy code drew them, in double precision (see
/// <see cref="StudyClusters"/>); <see cref="ToDataset"/> rounds the features to float as the study did before training.
/// </summary>
public sealed class StudyClusterSample
{
    private readonly double[] _features;
    private readonly int[] _labels;

    internal StudyClusterSample(double[] features, int[] labels, int featureCount, int classCount)
    {
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    /// <summary>Rows, row-major: row r occupies [r·FeatureCount, (r + 1)·FeatureCount).</summary>
    public ImmutableArray<double> Features => ImmutableCollectionsMarshal.AsImmutableArray(_features);

    /// <summary>The label of each row.</summary>
    public ImmutableArray<int> Labels => ImmutableCollectionsMarshal.AsImmutableArray(_labels);

    /// <summary>Number of rows.</summary>
    public int RowCount => _labels.Length;

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The same rows with each feature rounded to the nearest float (NumPy's <c>astype(np.float32)</c>).</summary>
    public Dataset ToDataset()
    {
        float[] features = new float[_features.Length];
        for (int i = 0; i < features.Length; i++)
            features[i] = (float)_features[i];
        return new Dataset(features, (int[])_labels.Clone(), FeatureCount, ClassCount, validate: true);
    }
}
