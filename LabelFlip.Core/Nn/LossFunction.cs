using LabelFlip.Core.Internal;
using LabelFlip.Core.Poisoning;

namespace LabelFlip.Core.Nn;

/// <summary>
/// The loss <see cref="MlpTrainer"/> minimises, on the softmax p of each row's logits z against its (possibly noisy)
/// label y: the cross-entropy (the default) or one of the losses proposed as defences against label noise. Every loss
/// is computed per row in double precision with LabelFlip's own exp and log, so it gives the same bits on every
/// instruction set; its gradient with respect to the logits is then rounded to float32 once per entry.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="CrossEntropy"/>: −ln p_y.</item>
/// <item><see cref="LabelSmoothing"/>(ε) (Szegedy et al. 2016): the cross-entropy against (1 − ε)·onehot(y) + ε/k.
/// ε = 0 is the cross-entropy bit for bit.</item>
/// <item><see cref="GeneralizedCrossEntropy"/>(q) (Zhang and Sabuncu 2018): (1 − p_y^q)/q; the cross-entropy as
/// q → 0, the mean absolute error's 1 − p_y at q = 1.</item>
/// <item><see cref="SymmetricCrossEntropy"/>(α, β) (Wang et al. 2019): α·(−ln p_y) + β·RCE with the reverse
/// cross-entropy RCE = −Σ_c p_c·ln t_c against the one-hot label t, ln 0 clamped to A = −4 as in the paper, so
/// RCE = 4·(1 − p_y).</item>
/// <item><see cref="SoftBootstrapping"/>(β) and <see cref="HardBootstrapping"/>(β) (Reed et al. 2015): the
/// cross-entropy against β·onehot(y) + (1 − β)·p (soft; p differentiated too, i.e. β·CE + (1 − β)·entropy(p)) or
/// + (1 − β)·onehot(argmax p) (hard; the predicted class held constant, the first of equal largest logits). β = 1 is
/// the cross-entropy bit for bit.</item>
/// <item><see cref="ForwardCorrected"/>(T) (Patrini et al. 2017): −ln (Tᵀp)_y, T[i, j] = P(label j reported | clean
/// class i): the true noise matrix, or one estimated by the user.</item>
/// </list>
/// </remarks>
public sealed class LossFunction
{
    /// <summary>The name of <see cref="CrossEntropy"/>.</summary>
    public const string CrossEntropyName = "cross-entropy";

    /// <summary>The name of <see cref="LabelSmoothing"/>.</summary>
    public const string LabelSmoothingName = "label-smoothing";

    /// <summary>The name of <see cref="GeneralizedCrossEntropy"/>.</summary>
    public const string GeneralizedCrossEntropyName = "generalized-cross-entropy";

    /// <summary>The name of <see cref="SymmetricCrossEntropy"/>.</summary>
    public const string SymmetricCrossEntropyName = "symmetric-cross-entropy";

    /// <summary>The name of <see cref="SoftBootstrapping"/>.</summary>
    public const string SoftBootstrappingName = "soft-bootstrapping";

    /// <summary>The name of <see cref="HardBootstrapping"/>.</summary>
    public const string HardBootstrappingName = "hard-bootstrapping";

    /// <summary>The name of <see cref="ForwardCorrected"/>.</summary>
    public const string ForwardCorrectedName = "forward-corrected";

    /// <summary>A, the value of ln 0 in the symmetric cross-entropy's reverse term (Wang et al. 2019).</summary>
    public const double ReverseLogZero = Kernels.SymmetricCrossEntropyLoss.LogZero;

    private LossFunction(string name, double first = double.NaN, double second = double.NaN, TransitionMatrix? matrix = null)
    {
        Name = name;
        _first = first;
        _second = second;
        Matrix = matrix;
        _columns = matrix is null ? null : Columns(matrix);
    }

    private readonly double _first;
    private readonly double _second;
    private readonly double[]? _columns;

    /// <summary>The softmax cross-entropy, −ln p_y: the default.</summary>
    public static LossFunction CrossEntropy { get; } = new(CrossEntropyName);

    /// <summary>The loss's name, one of the <c>…Name</c> constants (the value of the run field <c>training.loss</c>).</summary>
    public string Name { get; }

    /// <summary>The transition matrix of <see cref="ForwardCorrected"/>; null for the other losses.</summary>
    public TransitionMatrix? Matrix { get; }

    /// <summary>ε of <see cref="LabelSmoothing"/>, q of <see cref="GeneralizedCrossEntropy"/>, α of
    /// <see cref="SymmetricCrossEntropy"/>, β of the bootstrapping losses; NaN for the others.</summary>
    public double Parameter => _first;

    /// <summary>β of <see cref="SymmetricCrossEntropy"/>; NaN for the others.</summary>
    public double SecondParameter => _second;

    /// <summary>Label smoothing with weight <paramref name="epsilon"/> spread evenly over the k classes.</summary>
    /// <param name="epsilon">ε in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is outside [0, 1] or NaN.</exception>
    public static LossFunction LabelSmoothing(double epsilon)
    {
        ThrowHelper.ThrowIfOutside(epsilon, 0.0, 1.0);
        return new(LabelSmoothingName, epsilon);
    }

    /// <summary>The generalized cross-entropy L_q.</summary>
    /// <param name="q">q in (0, 1]; Zhang and Sabuncu use 0.7.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside (0, 1] or NaN.</exception>
    public static LossFunction GeneralizedCrossEntropy(double q)
    {
        if (!(q > 0 && q <= 1))
            ThrowHelper.ThrowOutOfRange(nameof(q), q, "Must be in (0, 1].");
        return new(GeneralizedCrossEntropyName, q);
    }

    /// <summary>The symmetric cross-entropy α·CE + β·RCE.</summary>
    /// <param name="alpha">α, finite and ≥ 0; Wang et al. use 0.1 on CIFAR-10.</param>
    /// <param name="beta">β, finite and ≥ 0, not 0 together with α; Wang et al. use 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or both are 0.</exception>
    public static LossFunction SymmetricCrossEntropy(double alpha, double beta)
    {
        ThrowHelper.ThrowIfOutside(alpha, 0.0, double.MaxValue);
        ThrowHelper.ThrowIfOutside(beta, 0.0, double.MaxValue);
        if (alpha == 0 && beta == 0)
            ThrowHelper.ThrowOutOfRange(nameof(beta), beta, "Must be greater than 0 when alpha is 0.");
        return new(SymmetricCrossEntropyName, alpha, beta);
    }

    /// <summary>Soft bootstrapping: the target β·onehot(y) + (1 − β)·p.</summary>
    /// <param name="beta">β in [0, 1]; Reed et al. use 0.95.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is outside [0, 1] or NaN.</exception>
    public static LossFunction SoftBootstrapping(double beta)
    {
        ThrowHelper.ThrowIfOutside(beta, 0.0, 1.0);
        return new(SoftBootstrappingName, beta);
    }

    /// <summary>Hard bootstrapping: the target β·onehot(y) + (1 − β)·onehot(argmax p).</summary>
    /// <param name="beta">β in [0, 1]; Reed et al. use 0.8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is outside [0, 1] or NaN.</exception>
    public static LossFunction HardBootstrapping(double beta)
    {
        ThrowHelper.ThrowIfOutside(beta, 0.0, 1.0);
        return new(HardBootstrappingName, beta);
    }

    /// <summary>Forward correction with the noise's transition matrix: the true one, or an estimate.</summary>
    /// <param name="matrix">T, k × k, row i the distribution of the label reported for clean class i; k must be the
    /// data's class count when training.</param>
    public static LossFunction ForwardCorrected(TransitionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return new(ForwardCorrectedName, matrix: matrix);
    }

    /// <summary>The name and the parameters, e.g. <c>label-smoothing(0.1)</c>.</summary>
    public override string ToString() => Name switch
    {
        SymmetricCrossEntropyName => FormattableString.Invariant($"{Name}({_first}, {_second})"),
        CrossEntropyName or ForwardCorrectedName => Name,
        _ => FormattableString.Invariant($"{Name}({_first})"),
    };

    /// <summary>T by columns (T[i, y] at y·k + i), as <see cref="Kernels.ForwardCorrectedLoss"/> reads it.</summary>
    internal double[] ForwardColumns => _columns!;

    private static double[] Columns(TransitionMatrix matrix)
    {
        int k = matrix.ClassCount;
        double[] columns = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                columns[j * k + i] = matrix[i, j];
        }
        return columns;
    }
}
