namespace LabelFlip.Core.Fitting;

/// <summary>
/// The optima the global sigmoid fit has found so far (parameters and SS_res), as a watch on its polishes from
/// the grid: a polish stops at the first accepted step that comes near a known optimum (the exponent k(x − x0)
/// within <see cref="Closeness"/> of it over the data, L and b within <see cref="LinearCloseness"/> of their box)
/// without having beaten its SS_res by the margin a replacement needs. Levenberg–Marquardt never raises the cost,
/// and that near the sigmoid is the same curve to a tenth of its width: such a polish ends in that optimum again
/// (a different steep step needs x0 in another gap, at least about 1/k away, so the exponent differs by about 1 or
/// more). Running it to convergence cost most of the global fit's time (on the study's curves every start from
/// the grid ends in the fit from the start, after 10 to 35 iterations). Not a proof: the development check against
/// the brute force (Fitting README) found no fit it changed for the worse.
/// </summary>
internal struct KnownOptima : IStepWatch
{
    /// <summary>How near in (k, x0): the largest change of the exponent k(x − x0) over the data, |Δk|·max|x − x0| + |k|·|Δx0|.</summary>
    internal const double Closeness = 0.1;

    /// <summary>How near in L and b, as a fraction of the box's width (of max(|value|, 1) when unbounded).</summary>
    internal const double LinearCloseness = 1e-2;

    // Relative and absolute margin by which a point must be below a known optimum to count as a new one:
    // the fitter's replacement margin.
    private const double Margin = 1e-12, Floor = 1e-30;

    private readonly double[] _parameters, _sumsOfSquares, _width;
    private int _count;
    private double _xMin, _xMax;

    /// <summary>Room for <paramref name="capacity"/> optima.</summary>
    internal KnownOptima(int capacity)
    {
        _parameters = new double[capacity * SigmoidParameters.Count];
        _sumsOfSquares = new double[capacity];
        _width = new double[SigmoidParameters.Count];
    }

    /// <summary>Whether the last watched solve was stopped by this watch (the fitter clears it before each).</summary>
    internal bool Stopped { get; set; }

    /// <summary>Forgets every optimum; the box sets how near is near.</summary>
    internal void Reset(ReadOnlySpan<double> x, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        _xMin = _xMax = x[0];
        foreach (double v in x)
        {
            _xMin = Math.Min(_xMin, v);
            _xMax = Math.Max(_xMax, v);
        }
        _count = 0;
        Stopped = false;
        for (int j = 0; j < SigmoidParameters.Count; j++)
        {
            double width = upper[j] - lower[j];
            _width[j] = double.IsFinite(width) ? width : double.NaN; // NaN: relative to the value
        }
    }

    /// <summary>Adds a converged fit (when there is room; the first ones found are kept).</summary>
    internal void Add(ReadOnlySpan<double> parameters, double sumOfSquares)
    {
        if (_count == _sumsOfSquares.Length || !double.IsFinite(sumOfSquares))
            return;
        parameters.CopyTo(_parameters.AsSpan(_count * SigmoidParameters.Count, SigmoidParameters.Count));
        _sumsOfSquares[_count++] = sumOfSquares;
    }

    // Near: the exponent k(x − x0) moves by at most Closeness over the data (|Δk|·reach + |k|·|Δx0|, reach = the
    // largest |x − x0|), and L and b by at most LinearCloseness of their box's width (of max(|value|, 1) when unbounded).
    private readonly bool IsNear(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        for (int j = 0; j < SigmoidParameters.Count; j += 3) // L and b
        {
            double width = double.IsNaN(_width[j]) ? Math.Max(Math.Abs(q[j]), 1.0) : _width[j];
            if (!(Math.Abs(p[j] - q[j]) <= LinearCloseness * width))
                return false;
        }
        double reach = Math.Max(Math.Abs(_xMin - q[2]), Math.Abs(_xMax - q[2]));
        return Math.Abs(p[1] - q[1]) * reach + Math.Abs(q[1]) * Math.Abs(p[2] - q[2]) <= Closeness;
    }

    /// <inheritdoc />
    public bool ShouldStop(ReadOnlySpan<double> parameters, double sumOfSquares)
    {
        for (int o = 0; o < _count; o++)
        {
            double known = _sumsOfSquares[o];
            if (sumOfSquares < known - Margin * known - Floor)
                continue; // lower already: not on its way to this one
            bool near = IsNear(parameters, _parameters.AsSpan(o * SigmoidParameters.Count, SigmoidParameters.Count));
            if (near)
            {
                Stopped = true;
                return true;
            }
        }
        Stopped = false;
        return false;
    }
}
