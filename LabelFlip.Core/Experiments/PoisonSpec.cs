using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>The poison part of a run: the noise model and its strength. The defaults flip nothing.</summary>
/// <remarks>
/// <para>JSON paths: <c>poison.model</c>, <c>poison.fraction</c>, and per model <c>poison.matrix</c> ("matrix"),
/// <c>poison.target_class</c> and <c>poison.source_class</c> ("targeted"). A field that does not apply to the model
/// is left unset, and the canonical JSON of a run leaves it out, so configs written before these models keep their
/// fingerprints.</para>
/// <para><c>poison.fraction</c> p is the nominal share of training labels flipped. The class-conditional models
/// (<see cref="Poisoning.ClassConditionalLabelFlip"/>) follow the path T(p) = (1 − p)·I + p·M from no noise to their
/// full-strength matrix M (<see cref="Poisoning.TransitionMatrix.Towards"/>): for "symmetric", "pair" and
/// "random-asymmetric" M has a zero diagonal, so each class loses exactly a share p; for "matrix", M is
/// <see cref="Matrix"/> as given and class i loses p·(1 − M[i, i]) (p = 1 is the matrix itself), so curves of accuracy
/// against p keep their meaning for every model.</para>
/// <para><b>The reference network.</b> "adversarial", and "boundary" and "boundary-soft" on a file source (whose true
/// posterior is unknown), rank rows by a reference network: the run's own architecture (<c>model.hidden_widths</c>) and
/// training settings (<c>training.*</c>), trained by the same trainer on the CLEAN training labels from the run's stream
/// (seed, "poison", "reference"). It stands for an attacker who knows the victim's recipe and clean data but not its
/// seed. The stream is shared by every model and fraction, so a sweep trains it once per data draw, seed, width and
/// training settings, and every model of a run reads the same network.</para>
/// </remarks>
public sealed record PoisonSpec
{
    /// <summary>Uniform label flips: round(n·p) training labels, each to a uniformly drawn other class.</summary>
    public const string UniformModel = "uniform";

    /// <summary>Symmetric class-conditional noise: in every class, round(n_i·p) labels spread evenly over the other classes.</summary>
    public const string SymmetricModel = "symmetric";

    /// <summary>Pair noise: in every class i, round(n_i·p) labels become i + 1 mod k.</summary>
    public const string PairModel = "pair";

    /// <summary>Random asymmetric noise: T[i, i] = 1 − p and the rest of each row drawn at random, once per seed.</summary>
    public const string RandomAsymmetricModel = "random-asymmetric";

    /// <summary>A transition matrix of the user's, <see cref="Matrix"/>, reached at p = 1.</summary>
    public const string MatrixModel = "matrix";

    /// <summary>Targeted noise: a share p of <see cref="SourceClass"/> (or of every other class) becomes <see cref="TargetClass"/>.</summary>
    public const string TargetedModel = "targeted";

    /// <summary>Boundary noise: the round(n·p) rows nearest the decision boundary, each to its likeliest wrong class. The
    /// boundary is the Bayes posterior's for Gaussian clusters, the reference network's softmax for a file source.</summary>
    public const string BoundaryModel = "boundary";

    /// <summary>Soft boundary noise: round(n·p) rows sampled with probability rising as the margin falls (weights
    /// exp(−margin / <see cref="Poisoning.BoundaryLabelFlip.DefaultSoftTemperature"/>), see
    /// <see cref="Poisoning.BoundaryLabelFlip.Soft"/>), each to its likeliest wrong class; the same posterior as "boundary".</summary>
    public const string SoftBoundaryModel = "boundary-soft";

    /// <summary>A greedy loss-maximising attack (<see cref="Poisoning.AdversarialLabelFlip"/>): the round(n·p) rows whose
    /// flip raises the reference network's loss most, each to the class it finds least likely.</summary>
    public const string AdversarialModel = "adversarial";

    /// <summary>Every model, in the order the documentation lists them.</summary>
    public static readonly ImmutableArray<string> Models =
        [UniformModel, SymmetricModel, PairModel, RandomAsymmetricModel, MatrixModel, TargetedModel, BoundaryModel, SoftBoundaryModel, AdversarialModel];

    /// <summary>The noise model: one of <see cref="Models"/>.</summary>
    public string Model { get; init; } = UniformModel;

    /// <summary>The nominal fraction of training labels flipped, in [0, 1].</summary>
    public double Fraction { get; init; }

    /// <summary>"matrix": the transition matrix M at full strength, k rows of k probabilities each; empty otherwise.</summary>
    public ImmutableArray<ImmutableArray<double>> Matrix { get; init; } = [];

    /// <summary>"targeted": the class whose labels are flipped; null to flip every class other than the target.</summary>
    public int? SourceClass { get; init; }

    /// <summary>"targeted": the class the flipped labels become.</summary>
    public int? TargetClass { get; init; }

    /// <inheritdoc />
    public bool Equals(PoisonSpec? other) =>
        other is not null && Model == other.Model && Fraction.Equals(other.Fraction) && SourceClass == other.SourceClass &&
        TargetClass == other.TargetClass && Matrix.Length == other.Matrix.Length &&
        Matrix.Zip(other.Matrix).All(rows => rows.First.SequenceEqual(rows.Second));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Model);
        hash.Add(Fraction);
        hash.Add(SourceClass);
        hash.Add(TargetClass);
        foreach (ImmutableArray<double> row in Matrix)
        {
            foreach (double t in row)
                hash.Add(t);
        }
        return hash.ToHashCode();
    }
}
