using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Poisoning;

public class TransitionMatrixTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void Families_are_valid_row_stochastic_matrices_with_the_diagonal_one_minus_p(int k)
    {
        foreach (double p in new[] { 0.0, 0.1, 0.37, 0.5, 1.0 })
        {
            TransitionMatrix[] families =
            [
                TransitionMatrix.Symmetric(k, p), TransitionMatrix.Pair(k, p),
                TransitionMatrix.RandomAsymmetric(k, p, new RandomSource(3)), TransitionMatrix.Targeted(k, p, 0),
            ];
            foreach (TransitionMatrix t in families)
            {
                Assert.Null(TransitionMatrix.Problem(t.ToRows()));
                Assert.Equal(k, t.ClassCount);
            }
            for (int i = 0; i < k; i++)
            {
                Assert.Equal(1 - p, families[0][i, i], 1e-15);
                Assert.Equal(p, families[0].FlipShare(i)); // exact, not 1 − (1 − p)
                Assert.Equal(p, families[1][i, (i + 1) % k], 1e-15);
                Assert.Equal(1 - p, families[2][i, i], 1e-15);
            }
            Assert.Equal(0.0, families[3].FlipShare(0)); // the target keeps its labels
        }
    }

    [Fact]
    public void Symmetric_spreads_p_evenly_over_the_other_classes()
    {
        TransitionMatrix t = TransitionMatrix.Symmetric(5, 0.4);
        Assert.Equal(0.1, t[2, 4], 1e-15);
        Assert.Equal(0.6, t[2, 2], 1e-15);
    }

    [Fact]
    public void Problems_name_the_row_and_column()
    {
        Assert.Contains("row 1 sums to 0.9", TransitionMatrix.Problem([[1.0, 0.0], [0.5, 0.4]]));
        Assert.Contains("entry [0, 0] is 1.1", TransitionMatrix.Problem([[1.1, -0.1], [0.0, 1.0]]));
        Assert.Contains("entry [1, 0] is -0.1", TransitionMatrix.Problem([[1.0, 0.0], [-0.1, 1.1]]));
        Assert.Contains("row 0 has 3 entries", TransitionMatrix.Problem([[1.0, 0, 0], [0.0, 1.0]]));
        Assert.Contains("at least 2 classes", TransitionMatrix.Problem([[1.0]]));
        Assert.Contains("[0, 0] is NaN", TransitionMatrix.Problem([[double.NaN, 0.0], [0.0, 1.0]]));
        Assert.Null(TransitionMatrix.Problem([[1 / 3.0, 1 / 3.0, 1 / 3.0], [0, 1, 0], [0, 0, 1]]));
        Assert.NotNull(TransitionMatrix.Problem([[0.3333333, 0.3333333, 0.3333333], [0, 1, 0], [0, 0, 1]]));
        ArgumentException e = Assert.Throws<ArgumentException>("rows", () => new TransitionMatrix([[0.5, 0.6], [0.0, 1.0]]));
        Assert.Contains("row 0 sums to 1.1", e.Message);
    }

    [Fact]
    public void Arguments_are_checked_naming_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => TransitionMatrix.Symmetric(1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => TransitionMatrix.Pair(3, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => TransitionMatrix.Pair(3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("targetClass", () => TransitionMatrix.Targeted(3, 0.1, 3));
        Assert.Throws<ArgumentOutOfRangeException>("sourceClass", () => TransitionMatrix.Targeted(3, 0.1, 1, -1));
        Assert.Throws<ArgumentException>("sourceClass", () => TransitionMatrix.Targeted(3, 0.1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("from", () => TransitionMatrix.Pair(3, 0.1)[3, 0]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void Breakdown_points_are_where_the_true_label_stops_being_the_most_likely(int k)
    {
        Assert.Equal((k - 1) / (double)k, TransitionMatrix.SymmetricBreakdownFraction(k));
        Assert.Equal(TransitionMatrix.SymmetricBreakdownFraction(k), TransitionMatrix.BreakdownFraction(TransitionMatrix.Symmetric(k, 1.0))!.Value, 1e-15);
        Assert.Equal(0.5, TransitionMatrix.BreakdownFraction(TransitionMatrix.Pair(k, 1.0)));
        Assert.Equal(0.5, TransitionMatrix.BreakdownFraction(TransitionMatrix.Targeted(k, 1.0, 0, 1)));
        Assert.Null(TransitionMatrix.BreakdownFraction(TransitionMatrix.Symmetric(k, 0.0)));
        // Just below the point every class keeps its majority; at the point pair noise ties every class.
        Assert.Empty(TransitionMatrix.Pair(k, 0.49).ClassesNotMostLikelyReported());
        Assert.Equal(Enumerable.Range(0, k), TransitionMatrix.Pair(k, 0.5).ClassesNotMostLikelyReported());
        Assert.Empty(TransitionMatrix.Symmetric(k, TransitionMatrix.SymmetricBreakdownFraction(k) - 0.01).ClassesNotMostLikelyReported());
        Assert.Equal([1], TransitionMatrix.Targeted(k, 0.6, 0, 1).ClassesNotMostLikelyReported().ToArray());
    }

    [Fact]
    public void A_user_matrix_breaks_down_at_one_over_one_minus_the_diagonal_plus_the_largest_other()
    {
        // Class 0 keeps 0.2 and sends 0.8 to class 1: (1 − p) + 0.2p = 0.8p at p = 1/1.6.
        var m = new TransitionMatrix([[0.2, 0.8, 0.0], [0.0, 1.0, 0.0], [0.1, 0.0, 0.9]]);
        Assert.Equal(1 / 1.6, TransitionMatrix.BreakdownFraction(m));
        Assert.Equal([0], m.ClassesNotMostLikelyReported().ToArray());
        TransitionMatrix half = TransitionMatrix.Towards(m, 0.5);
        Assert.Equal(0.6, half[0, 0], 1e-15);
        Assert.Equal(0.5 * 0.8, half.FlipShare(0), 1e-15);
        Assert.Empty(half.ClassesNotMostLikelyReported());
    }

    [Fact]
    public void Random_off_diagonal_rows_follow_the_documented_draws()
    {
        var random = new RandomSource(11);
        TransitionMatrix m = TransitionMatrix.RandomOffDiagonal(3, new RandomSource(11));
        for (int i = 0; i < 3; i++)
        {
            double[] w = [.. Enumerable.Range(0, 2).Select(_ => -Math.Log(1 - random.NextDouble()))];
            int[] others = [.. Enumerable.Range(0, 3).Where(j => j != i)];
            Assert.Equal(0.0, m[i, i]);
            Assert.Equal(w[0] / (w[0] + w[1]), m[i, others[0]], 1e-12);
            Assert.Equal(w[1] / (w[0] + w[1]), m[i, others[1]], 1e-12);
        }
    }
}
