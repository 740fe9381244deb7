using System.Diagnostics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// Starting points for the global sigmoid fit by variable projection (Golub and Pereyra 1973): with k and x0
/// fixed, f = L·σᵢ + b is linear in (L, b), so the best (L, b) inside their box has a closed form. The profile
/// cost, SS_res minimised over (L, b), is evaluated on a grid of (k, x0) covering the bounds, and the lowest
/// grid basins (local minima of the grid) become the starts that Levenberg–Marquardt polishes. Reuses its
/// workspace: nothing is allocated after the first call at a given size. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Grid: <see cref="KCount"/> values of k, geometric between the bounds when the lower one is positive (the
/// shape changes with ln k), else evenly spaced; x0 evenly spaced over the bounds clipped to the data range
/// widened by its span on each side (<see cref="UniformX0Count"/> values), plus the midpoint of every gap
/// between consecutive abscissae (up to <see cref="MaxX0Count"/> nodes in all), so that a steep step can be
/// placed in every gap (with k near its upper bound each gap is a separate local minimum, flat in x0, that a
/// local search cannot leave). Infinite bounds are replaced by limits from the data (|k| ≤ 200/span).
/// </para>
/// <para>
/// Cost: for a row of fixed k, uᵢ = e^{k(xᵢ − c)} (c = the middle of the data) is computed once, so each node
/// costs one exponential and n divisions: σᵢ = 1/(1 + uᵢ·e^{k(c − x0)}). When the two exponents could
/// overflow the row falls back to <see cref="SigmoidModel.Logistic"/>. The observations are centred first
/// (y − ȳ, b − ȳ), so the sums that make up the closed-form cost lose little to cancellation; the cost
/// ranks nodes, and the polished fits are compared by their true SS_res.
/// </para>
/// </remarks>
internal sealed class SigmoidGridSearch
{
    /// <summary>Values of k on the grid.</summary>
    internal const int KCount = 16;

    /// <summary>Evenly spaced values of x0 on the grid (gap midpoints come on top).</summary>
    internal const int UniformX0Count = 33;

    /// <summary>Most values of x0 (uniform and gap midpoints); further midpoints are dropped.</summary>
    internal const int MaxX0Count = 96;

    /// <summary>Most starting points returned (the lowest grid basins, and the best node of the steepest row).</summary>
    internal const int MaxStarts = 7;

    /// <summary>Starts kept for the best minima along x0 of the steepest row (k at its upper bound).</summary>
    internal const int SteepestStarts = 3;

    // Grid basins whose costs agree to this (relative) are taken to be one basin seen twice (for example a
    // plateau where the step lies outside the data), so a start is not spent on it twice.
    private const double SameBasin = 1e-10;

    // Golden-section steps per minimum of the steepest row.
    private const int RefineSteps = 30;

    // Largest |exponent| for which e^a·e^b cannot overflow or flush both factors: e^±700 is finite.
    private const double MaxFactoredExponent = ProfileSums.MaxExponent;

    private readonly double[] _k = new double[KCount];
    private readonly double[] _x0 = new double[MaxX0Count];
    private readonly double[] _cost = new double[KCount * MaxX0Count];
    private readonly int[] _best = new int[MaxStarts];
    private readonly double[] _bestX0 = new double[MaxStarts]; // x0 of each start: its node's, or refined along the steepest row
    private readonly double[] _steepestX0 = new double[MaxX0Count];
    private readonly double[] _steepestCost = new double[MaxX0Count];
    private readonly double[] _steepestNodeCost = new double[MaxX0Count];
    private readonly int[] _steepestColumn = new int[MaxX0Count];
    // Golden-section state of each minimum of the steepest row (they are refined in lockstep, a lane each).
    private readonly double[] _goldenA = new double[MaxX0Count], _goldenB = new double[MaxX0Count];
    private readonly double[] _goldenC = new double[MaxX0Count], _goldenD = new double[MaxX0Count];
    private readonly double[] _goldenFc = new double[MaxX0Count], _goldenFd = new double[MaxX0Count];
    private readonly bool[] _goldenMovedC = new bool[MaxX0Count];
    // A batch of x0 values at one k and their profile costs, with the batch kernel's workspace.
    private readonly double[] _batchX0 = new double[2 * MaxX0Count], _batchCost = new double[2 * MaxX0Count];
    private readonly double[] _laneV = new double[2 * MaxX0Count], _laneShift = new double[2 * MaxX0Count];
    private readonly double[] _laneS = new double[2 * MaxX0Count], _laneSS = new double[2 * MaxX0Count], _laneSY = new double[2 * MaxX0Count];
    private readonly int _lanes;
    private double[] _sortedX = [], _centredY = [], _factor = [];
    private int _x0Count;

    /// <summary>A search whose batches of profile costs use the widest vector path accelerated here.</summary>
    internal SigmoidGridSearch()
        : this(ProfileSums.PreferredLanes)
    {
    }

    /// <summary>A search whose batches of profile costs use at most <paramref name="lanes"/> lanes (8, 4, 2 or 1):
    /// every width gives the same bits; tests compare them.</summary>
    internal SigmoidGridSearch(int lanes) => _lanes = lanes;

    /// <summary>Values of k of the last search.</summary>
    internal ReadOnlySpan<double> K => _k;

    /// <summary>Values of x0 of the last search, ascending.</summary>
    internal ReadOnlySpan<double> X0 => _x0.AsSpan(0, _x0Count);

    /// <summary>
    /// Writes up to <see cref="MaxStarts"/> starting points (L, k, x0, b), best grid basin first, into
    /// <paramref name="starts"/> and returns how many. Each is inside the bounds.
    /// </summary>
    /// <param name="x">Abscissae, finite, at least 2.</param>
    /// <param name="y">Observations, finite, as many.</param>
    /// <param name="lower">Lower bounds (L, k, x0, b), not NaN.</param>
    /// <param name="upper">Upper bounds, each ≥ the lower one.</param>
    /// <param name="starts">Destination, 4·<see cref="MaxStarts"/> values.</param>
    internal int FindStarts(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, Span<double> starts)
    {
        Debug.Assert(x.Length == y.Length && x.Length >= 2 && starts.Length >= 4 * MaxStarts);
        int n = x.Length;
        EnsureCapacity(n);
        Span<double> sortedX = _sortedX.AsSpan(0, n), centredY = _centredY.AsSpan(0, n);
        x.CopyTo(sortedX);
        sortedX.Sort();
        double xMin = sortedX[0], xMax = sortedX[n - 1];
        double span = xMax > xMin ? xMax - xMin : 1.0;
        double centre = 0.5 * xMin + 0.5 * xMax;
        double mean = 0.0;
        for (int i = 0; i < n; i++)
            mean += y[i];
        mean /= n;
        for (int i = 0; i < n; i++)
            centredY[i] = y[i] - mean;
        var box = new LinearBox(lower[0], upper[0], lower[3] - mean, upper[3] - mean);

        FillK(lower[1], upper[1], span);
        FillX0(lower[2], upper[2], sortedX, span);

        for (int row = 0; row < KCount; row++)
        {
            bool factored = PrepareRow(x, row, centre);
            ProfileCosts(x, row, _x0.AsSpan(0, _x0Count), factored, centre, box, _cost.AsSpan(row * _x0Count, _x0Count));
        }

        int found = SelectBasins(x, centre, box);
        for (int s = 0; s < found; s++)
        {
            int row = _best[s] / _x0Count;
            ProfileCost(x, row, _bestX0[s], PrepareRow(x, row, centre), centre, box, out double l, out double bCentred);
            Span<double> start = starts.Slice(4 * s, 4);
            start[0] = l;
            start[1] = _k[row];
            start[2] = _bestX0[s];
            start[3] = Math.Min(Math.Max(bCentred + mean, lower[3]), upper[3]); // undoing the centring can round out by an ulp
        }
        return found;
    }

    private void EnsureCapacity(int n)
    {
        if (_sortedX.Length >= n)
            return;
        _sortedX = new double[n];
        _centredY = new double[n];
        _factor = new double[n];
    }

    private void FillK(double lower, double upper, double span)
    {
        double limit = 200.0 / span;
        double lo = double.IsFinite(lower) ? lower : -limit, hi = double.IsFinite(upper) ? upper : limit;
        if (hi < lo)
        {
            // Only one bound was replaced, and the data limit falls on the wrong side of the other.
            if (double.IsFinite(lower))
                hi = lo;
            else
                lo = hi;
        }
        _k[0] = lo;
        _k[KCount - 1] = hi;
        if (lo > 0)
        {
            double logRatio = DeterministicMath.Log(hi / lo);
            for (int j = 1; j < KCount - 1; j++)
                _k[j] = Math.Min(Math.Max(lo * DeterministicMath.Exp(logRatio * j / (KCount - 1)), lo), hi);
        }
        else
        {
            for (int j = 1; j < KCount - 1; j++)
                _k[j] = lo + (hi - lo) * j / (KCount - 1);
        }
    }

    private void FillX0(double lower, double upper, ReadOnlySpan<double> sortedX, double span)
    {
        double lo = Math.Min(Math.Max(sortedX[0] - span, lower), upper);
        double hi = Math.Min(Math.Max(sortedX[^1] + span, lower), upper);
        double spacing = (hi - lo) / (UniformX0Count - 1);
        int count = 0;
        for (int m = 0; m < UniformX0Count; m++)
            _x0[count++] = m == UniformX0Count - 1 ? hi : lo + spacing * m;
        for (int i = 1; i < sortedX.Length && count < MaxX0Count; i++)
        {
            double gap = sortedX[i] - sortedX[i - 1];
            double middle = 0.5 * sortedX[i - 1] + 0.5 * sortedX[i];
            if (gap > 0 && middle > lo && middle < hi)
                _x0[count++] = middle;
        }
        _x0Count = count;
        _x0.AsSpan(0, count).Sort();
    }

    // e^{k(xᵢ − c)} for the row's k, shared by its nodes: false when the factored form could overflow, and
    // the row's nodes then use the logistic directly.
    private bool PrepareRow(ReadOnlySpan<double> x, int row, double centre)
    {
        int n = x.Length;
        double k = _k[row];
        double reach = Math.Abs(k) * Math.Max(Math.Abs(_sortedX[0] - centre), Math.Abs(_sortedX[n - 1] - centre));
        if (!(reach <= MaxFactoredExponent))
            return false;
        Span<double> factor = _factor.AsSpan(0, n);
        for (int i = 0; i < n; i++)
            factor[i] = DeterministicMath.Exp(k * (x[i] - centre));
        return true;
    }

    // SS_res minimised over (L, b) in their box at k of the row and x0, less the Σ(y − ȳ)² common to every
    // node. Writes the minimising L and the centred b. The value depends only on (k, x0).
    private double ProfileCost(ReadOnlySpan<double> x, int row, double x0, bool factored, double centre, in LinearBox box, out double l, out double bCentred)
    {
        int n = x.Length;
        double k = _k[row];
        ReadOnlySpan<double> y = _centredY.AsSpan(0, n);
        double s = 0.0, ss = 0.0, sy = 0.0;
        double shift = k * (centre - x0);
        if (factored && Math.Abs(shift) <= MaxFactoredExponent)
        {
            // e^{k(xᵢ − x0)} = e^{k(xᵢ − c)}·e^{k(c − x0)}: one exponential per node instead of n.
            ReadOnlySpan<double> factor = _factor.AsSpan(0, n);
            double v = DeterministicMath.Exp(shift);
            for (int i = 0; i < n; i++)
            {
                double sigma = 1.0 / (1.0 + factor[i] * v);
                s += sigma;
                ss += sigma * sigma;
                sy += sigma * y[i];
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                double sigma = SigmoidModel.Logistic(k * (x[i] - x0), out _);
                s += sigma;
                ss += sigma * sigma;
                sy += sigma * y[i];
            }
        }
        return BoundedLinearFit(n, s, ss, sy, 0.0, box, out l, out bCentred);
    }

    // ProfileCost at the row's k for every x0 of x0s, the same bits for each: the factored form's sums go through
    // ProfileSums in lanes across x0 (one exponential per x0, as there); an x0 it cannot take goes through
    // ProfileCost itself.
    private void ProfileCosts(ReadOnlySpan<double> x, int row, ReadOnlySpan<double> x0s, bool factored, double centre, in LinearBox box, Span<double> costs)
    {
        int n = x.Length, count = x0s.Length;
        if (!factored)
        {
            for (int j = 0; j < count; j++)
                costs[j] = ProfileCost(x, row, x0s[j], factored, centre, box, out _, out _);
            return;
        }
        double k = _k[row];
        Span<double> v = _laneV.AsSpan(0, count), shifts = _laneShift.AsSpan(0, count);
        Span<double> arguments = _laneS.AsSpan(0, count); // free until the sums
        for (int j = 0; j < count; j++)
        {
            double shift = k * (centre - x0s[j]);
            shifts[j] = shift;
            arguments[j] = Math.Abs(shift) <= MaxFactoredExponent ? shift : 0.0; // beyond: ProfileCost below
        }
        ProfileSums.Exponentials(arguments, v, _lanes);
        Span<double> s = _laneS.AsSpan(0, count), ss = _laneSS.AsSpan(0, count), sy = _laneSY.AsSpan(0, count);
        ProfileSums.Compute(_factor.AsSpan(0, n), _centredY.AsSpan(0, n), v, s, ss, sy, _lanes);
        for (int j = 0; j < count; j++)
        {
            costs[j] = Math.Abs(shifts[j]) <= MaxFactoredExponent
                ? BoundedLinearFit(n, s[j], ss[j], sy[j], 0.0, box, out _, out _)
                : ProfileCost(x, row, x0s[j], factored, centre, box, out _, out _);
        }
    }

    /// <summary>
    /// The (L, b) in the box minimising Σ (L·σᵢ + b − yᵢ)² − Σ yᵢ², from the sums Σσ, Σσ², Σσy and Σy.
    /// A convex quadratic on a box: the unconstrained minimiser if it lies inside, else the best of the
    /// minimisers along the four edges (each a clipped one-dimensional minimiser).
    /// </summary>
    internal static double BoundedLinearFit(int n, double s, double ss, double sy, double sumY, in LinearBox box, out double l, out double b)
    {
        double variance = ss - s * s / n; // n·Var(σ); 0 when σ is constant over the data
        bool constant = !(variance > 1e-14 * ss);
        if (!constant)
        {
            l = (sy - s * sumY / n) / variance;
            b = (sumY - l * s) / n;
            if (l >= box.LowerL && l <= box.UpperL && b >= box.LowerB && b <= box.UpperB)
                return Cost(n, s, ss, sy, sumY, l, b);
        }

        double best = double.PositiveInfinity;
        l = b = 0.0;
        if (constant)
        {
            // σ constant: L and b trade off along a line; take the L nearest 0 in the box.
            double lConstant = Math.Min(Math.Max(0.0, box.LowerL), box.UpperL);
            Consider(n, s, ss, sy, sumY, lConstant, Math.Min(Math.Max((sumY - lConstant * s) / n, box.LowerB), box.UpperB), ref best, ref l, ref b);
        }
        for (int edge = 0; edge < 2; edge++)
        {
            double lEdge = edge == 0 ? box.LowerL : box.UpperL;
            if (double.IsFinite(lEdge))
                Consider(n, s, ss, sy, sumY, lEdge, Math.Min(Math.Max((sumY - lEdge * s) / n, box.LowerB), box.UpperB), ref best, ref l, ref b);
            double bEdge = edge == 0 ? box.LowerB : box.UpperB;
            if (double.IsFinite(bEdge))
            {
                double lFree = ss > 0 ? (sy - bEdge * s) / ss : 0.0;
                Consider(n, s, ss, sy, sumY, Math.Min(Math.Max(lFree, box.LowerL), box.UpperL), bEdge, ref best, ref l, ref b);
            }
        }
        return best;
    }

    private static void Consider(int n, double s, double ss, double sy, double sumY, double l, double b, ref double best, ref double bestL, ref double bestB)
    {
        double cost = Cost(n, s, ss, sy, sumY, l, b);
        if (cost < best)
        {
            best = cost;
            bestL = l;
            bestB = b;
        }
    }

    // Σ (L·σᵢ + b − yᵢ)² − Σ yᵢ², expanded in the sums.
    private static double Cost(int n, double s, double ss, double sy, double sumY, double l, double b) =>
        l * l * ss + 2.0 * l * b * s + n * b * b - 2.0 * l * sy - 2.0 * b * sumY;

    // Grid nodes no higher than any of their 8 neighbours (ties go to the lower index, so a flat plateau
    // counts once), the lowest MaxStarts of them, lowest first; then the steepest row's best refined minima.
    private int SelectBasins(ReadOnlySpan<double> x, double centre, in LinearBox box)
    {
        int columns = _x0Count, found = 0;
        for (int row = 0; row < KCount; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int at = row * columns + column;
                double cost = _cost[at];
                if (!IsBasin(row, column, cost))
                    continue;
                bool duplicate = false;
                for (int s = 0; s < found; s++)
                    duplicate |= Math.Abs(_cost[_best[s]] - cost) <= SameBasin * Math.Max(Math.Abs(cost), Math.Abs(_cost[_best[s]]));
                if (duplicate)
                    continue;
                // Insert into the sorted list of the best; the earlier node wins a tie.
                int position = found;
                while (position > 0 && _cost[_best[position - 1]] > cost)
                    position--;
                if (position >= MaxStarts)
                    continue;
                for (int s = Math.Min(found, MaxStarts - 1); s > position; s--)
                    _best[s] = _best[s - 1];
                _best[position] = at;
                found = Math.Min(found + 1, MaxStarts);
            }
        }
        for (int s = 0; s < found; s++)
            _bestX0[s] = _x0[_best[s] % columns];

        // The steepest row always gets starts: there every gap between abscissae is a basin of its own (a step
        // placed in it, flat in x0 only when the gap is wide against 1/k), so a noisy curve has dozens of them,
        // and the best of them can rank below basins elsewhere on the grid while the polish of any of those
        // cannot reach it. Nor is a node the minimum of its basin: with a gap a few times 1/k the best step can
        // sit near one end of the gap, between two nodes. So every minimum of the row along x0 is refined by a
        // golden-section search between its two neighbouring nodes, and the best few refined minima take the
        // last slots (a refined minimum replaces the start of its own node if that is a start already).
        int top = (KCount - 1) * columns;
        bool factored = PrepareRow(x, KCount - 1, centre);
        int minima = 0;
        for (int column = 0; column < columns; column++)
        {
            int at = top + column;
            bool minimum = (column == 0 || _cost[at - 1] >= _cost[at]) && (column == columns - 1 || _cost[at + 1] >= _cost[at]);
            if (!minimum || !double.IsFinite(_cost[at]))
                continue;
            // Beyond the data the row is a plateau (the step lies outside every point) with dozens of nodes equal
            // but for round-off: one of them is refined. Inside, a node costing the same as another can still
            // hide a step of its own between its neighbours (where L is held at 0 at the node itself).
            bool outside = _x0[column] < _sortedX[0] || _x0[column] > _sortedX[x.Length - 1];
            if (outside && SeenAlready(_cost[at], minima))
                continue;
            _steepestNodeCost[minima] = _cost[at];
            _steepestColumn[minima] = column;
            minima++;
        }
        RefineSteepest(x, minima, factored, centre, box);
        for (int m = 0; m < minima; m++)
        {
            // The node itself stays a start with its refined x0 when it was chosen already.
            int already = Array.IndexOf(_best, top + _steepestColumn[m], 0, found);
            if (already >= 0)
            {
                _bestX0[already] = _steepestX0[m];
                _steepestCost[m] = double.PositiveInfinity;
            }
        }
        for (int pick = 0; pick < SteepestStarts; pick++)
        {
            int best = -1;
            for (int m = 0; m < minima; m++)
            {
                if (double.IsFinite(_steepestCost[m]) && (best < 0 || _steepestCost[m] < _steepestCost[best]))
                    best = m;
            }
            if (best < 0)
                break;
            int slot = found < MaxStarts ? found++ : MaxStarts - 1 - pick;
            _best[slot] = top;
            _bestX0[slot] = _steepestX0[best];
            _steepestCost[best] = double.PositiveInfinity;
        }
        return found;
    }

    // Whether a minimum of the steepest row costs the same (to SameBasin) as one refined already.
    private bool SeenAlready(double cost, int minima)
    {
        for (int m = 0; m < minima; m++)
        {
            if (Math.Abs(_steepestNodeCost[m] - cost) <= SameBasin * Math.Max(Math.Abs(cost), Math.Abs(_steepestNodeCost[m])))
                return true;
        }
        return false;
    }

    // Golden-section search for the profile cost's minimum over x0 between the neighbouring nodes of each of the
    // steepest row's minima, from the node itself: a fixed number of steps (the bracket shrinks to 0.618^30 ≈ 5e-7
    // of its width, finer than the polish needs to start in the right basin), so the result depends only on the
    // data. The minima are refined in lockstep, each step's new points evaluated as one batch (a lane each); each
    // minimum's sequence of points is the one a search of it alone would take. Writes the best x0 seen and its cost.
    private void RefineSteepest(ReadOnlySpan<double> x, int minima, bool factored, double centre, in LinearBox box)
    {
        const double InverseGolden = 0.6180339887498949;
        int row = KCount - 1, columns = _x0Count;
        Span<double> batch = _batchX0.AsSpan(0, 2 * minima), costs = _batchCost.AsSpan(0, 2 * minima);
        for (int m = 0; m < minima; m++)
        {
            int column = _steepestColumn[m];
            double a = _x0[Math.Max(column - 1, 0)], b = _x0[Math.Min(column + 1, columns - 1)];
            _goldenA[m] = a;
            _goldenB[m] = b;
            _goldenC[m] = batch[2 * m] = b - InverseGolden * (b - a);
            _goldenD[m] = batch[2 * m + 1] = a + InverseGolden * (b - a);
            _steepestX0[m] = _x0[column];
            _steepestCost[m] = _steepestNodeCost[m];
        }
        ProfileCosts(x, row, batch, factored, centre, box, costs);
        for (int m = 0; m < minima; m++)
        {
            _goldenFc[m] = costs[2 * m];
            _goldenFd[m] = costs[2 * m + 1];
        }
        batch = batch[..minima];
        costs = costs[..minima];
        for (int step = 0; step < RefineSteps; step++)
        {
            for (int m = 0; m < minima; m++)
            {
                double fc = _goldenFc[m], fd = _goldenFd[m];
                if (fc < _steepestCost[m])
                    (_steepestCost[m], _steepestX0[m]) = (fc, _goldenC[m]);
                if (fd < _steepestCost[m])
                    (_steepestCost[m], _steepestX0[m]) = (fd, _goldenD[m]);
                double a = _goldenA[m], b = _goldenB[m];
                if (fc <= fd)
                {
                    _goldenB[m] = b = _goldenD[m];
                    _goldenD[m] = _goldenC[m];
                    _goldenFd[m] = fc;
                    _goldenC[m] = batch[m] = b - InverseGolden * (b - a);
                    _goldenMovedC[m] = true;
                }
                else
                {
                    _goldenA[m] = a = _goldenC[m];
                    _goldenC[m] = _goldenD[m];
                    _goldenFc[m] = fd;
                    _goldenD[m] = batch[m] = a + InverseGolden * (b - a);
                    _goldenMovedC[m] = false;
                }
            }
            ProfileCosts(x, row, batch, factored, centre, box, costs);
            for (int m = 0; m < minima; m++)
            {
                if (_goldenMovedC[m])
                    _goldenFc[m] = costs[m];
                else
                    _goldenFd[m] = costs[m];
            }
        }
    }

    /// <summary>The box of (L, b): a start of the polish must lie in it.</summary>
    internal readonly record struct LinearBox(double LowerL, double UpperL, double LowerB, double UpperB);

    private bool IsBasin(int row, int column, double cost)
    {
        int columns = _x0Count, at = row * columns + column;
        for (int r = Math.Max(row - 1, 0); r <= Math.Min(row + 1, KCount - 1); r++)
        {
            for (int c = Math.Max(column - 1, 0); c <= Math.Min(column + 1, columns - 1); c++)
            {
                int other = r * columns + c;
                if (other == at)
                    continue;
                double neighbour = _cost[other];
                if (neighbour < cost || (neighbour == cost && other < at))
                    return false;
            }
        }
        return true;
    }
}
