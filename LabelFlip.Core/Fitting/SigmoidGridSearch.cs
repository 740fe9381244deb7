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
/// local search cannot leave). Infinite bounds are replaced by limits from the data (|k| ≤ 200/span). The
/// steepest row is sampled again, 1/(2k) apart over the data, for the starts it always gets (see SelectBasins).
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

    // The steepest row is sampled more finely than the grid over the data (widened by 1/k): nodes 1/(2k) apart,
    // at most SteepestFineCount of them. Two minima along x0 of a step of width ~1/k can lie closer together
    // than the grid's spacing, the better one between two nodes neither of which is a minimum.
    private const double SteepestFineSpacing = 0.5;
    private const int SteepestFineCount = 160;

    // Most nodes of the steepest row: the grid's and the fine ones.
    private const int MaxSteepestCount = MaxX0Count + SteepestFineCount;

    // Minima of the steepest row refined by golden-section search: the lowest at their nodes (with nodes 1/(2k)
    // apart a node's cost is close to its minimum's, so the best few refined minima are among these).
    private const int RefinedMinima = 8;

    // Largest |exponent| for which e^a·e^b cannot overflow or flush both factors: e^±700 is finite.
    private const double MaxFactoredExponent = ProfileSums.MaxExponent;

    private readonly double[] _k = new double[KCount];
    private readonly double[] _x0 = new double[MaxX0Count];
    private readonly double[] _cost = new double[KCount * MaxX0Count];
    private readonly int[] _best = new int[MaxStarts];
    private readonly double[] _bestX0 = new double[MaxStarts]; // x0 of each start: its node's, or refined along the steepest row
    // The steepest row as sampled for its starts: each node's x0 (the grid's and the fine ones, ascending), its cost,
    // and its grid column (−1 for a fine node).
    private readonly double[] _rowX0 = new double[MaxSteepestCount];
    private readonly double[] _rowCost = new double[MaxSteepestCount];
    private readonly int[] _rowGridColumn = new int[MaxSteepestCount];
    // The steepest row's minima: the node of each, its cost there, and the best x0 and cost after refinement.
    private readonly int[] _minimumNode = new int[MaxSteepestCount];
    private readonly double[] _minimumNodeCost = new double[MaxSteepestCount];
    private readonly double[] _steepestX0 = new double[MaxSteepestCount];
    private readonly double[] _steepestCost = new double[MaxSteepestCount];
    // Golden-section state of each refined minimum (they are refined in lockstep, a lane each).
    private readonly double[] _goldenA = new double[RefinedMinima], _goldenB = new double[RefinedMinima];
    private readonly double[] _goldenC = new double[RefinedMinima], _goldenD = new double[RefinedMinima];
    private readonly double[] _goldenFc = new double[RefinedMinima], _goldenFd = new double[RefinedMinima];
    private readonly bool[] _goldenMovedC = new bool[RefinedMinima];
    // A batch of x0 values at one k and their profile costs, with the batch kernel's workspace.
    private readonly double[] _batchX0 = new double[MaxSteepestCount], _batchCost = new double[MaxSteepestCount];
    private readonly double[] _laneV = new double[MaxSteepestCount], _laneShift = new double[MaxSteepestCount];
    private readonly double[] _laneS = new double[MaxSteepestCount], _laneSS = new double[MaxSteepestCount], _laneSY = new double[MaxSteepestCount];
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
        // cannot reach it. Nor is a grid node near the minimum of its basin: with a gap a few times 1/k the best
        // step can sit near one end of the gap, and one gap can hold two minima closer together than the grid's
        // nodes. So the row is sampled 1/(2k) apart over the data, the lowest of its minima along x0 are refined
        // by golden-section search between their neighbouring nodes, and the best few refined minima take the
        // last slots (a refined minimum replaces the start of its own node if that is a start already).
        int top = (KCount - 1) * columns;
        bool factored = PrepareRow(x, KCount - 1, centre);
        int nodes = FillSteepestRow(x, factored, centre, box);
        int minima = 0;
        for (int node = 0; node < nodes; node++)
        {
            double cost = _rowCost[node];
            bool minimum = (node == 0 || _rowCost[node - 1] >= cost) && (node == nodes - 1 || _rowCost[node + 1] >= cost);
            if (!minimum || !double.IsFinite(cost))
                continue;
            // Beyond the data the row is a plateau (the step lies outside every point) with dozens of nodes equal
            // but for round-off: one of them is refined. Inside, a node costing the same as another can still
            // hide a step of its own between its neighbours (where L is held at 0 at the node itself).
            bool outside = _rowX0[node] < _sortedX[0] || _rowX0[node] > _sortedX[x.Length - 1];
            if (outside && SeenAlready(cost, minima))
                continue;
            _minimumNodeCost[minima] = cost;
            _minimumNode[minima] = node;
            minima++;
        }
        int refined = RefineSteepest(x, minima, nodes, factored, centre, box);
        for (int m = 0; m < refined; m++)
        {
            // The node itself stays a start with its refined x0 when it was chosen already.
            int column = _rowGridColumn[_minimumNode[m]];
            int already = column < 0 ? -1 : Array.IndexOf(_best, top + column, 0, found);
            if (already >= 0)
            {
                _bestX0[already] = _steepestX0[m];
                _steepestCost[m] = double.PositiveInfinity;
            }
        }
        for (int pick = 0; pick < SteepestStarts; pick++)
        {
            int best = -1;
            for (int m = 0; m < refined; m++)
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

    // The steepest row's nodes: the grid's, with their costs from the grid, and fine nodes 1/(2k) apart over the
    // data widened by 1/k on each side (within the grid's x0 range), whose costs are computed here. Returns
    // their count.
    private int FillSteepestRow(ReadOnlySpan<double> x, bool factored, double centre, in LinearBox box)
    {
        int columns = _x0Count, top = (KCount - 1) * columns;
        double k = Math.Abs(_k[KCount - 1]);
        double lo = Math.Max(_sortedX[0] - 1.0 / k, _x0[0]), hi = Math.Min(_sortedX[x.Length - 1] + 1.0 / k, _x0[columns - 1]);
        int fine = 0;
        double spacing = 0.0;
        if (k > 0 && double.IsFinite(k) && hi > lo)
        {
            spacing = Math.Max(SteepestFineSpacing / k, (hi - lo) / (SteepestFineCount - 1));
            fine = Math.Min((int)((hi - lo) / spacing) + 1, SteepestFineCount);
        }
        // Merge the two ascending lists; a fine node equal to a grid node is dropped.
        Span<double> batch = _batchX0.AsSpan(0, fine);
        int nodes = 0, column = 0, extra = 0;
        for (int f = 0; f <= fine; f++)
        {
            double value = f < fine ? lo + spacing * f : double.PositiveInfinity;
            while (column < columns && _x0[column] <= value)
            {
                _rowX0[nodes] = _x0[column];
                _rowCost[nodes] = _cost[top + column];
                _rowGridColumn[nodes++] = column;
                if (_x0[column++] == value)
                    value = double.NaN;
            }
            if (f == fine || double.IsNaN(value))
                continue;
            _rowX0[nodes] = value;
            _rowGridColumn[nodes++] = -1;
            batch[extra++] = value;
        }
        Span<double> costs = _batchCost.AsSpan(0, extra);
        ProfileCosts(x, KCount - 1, batch[..extra], factored, centre, box, costs);
        for (int node = 0, next = 0; node < nodes; node++)
        {
            if (_rowGridColumn[node] < 0)
                _rowCost[node] = costs[next++];
        }
        return nodes;
    }

    // Whether a minimum of the steepest row costs the same (to SameBasin) as one refined already.
    private bool SeenAlready(double cost, int minima)
    {
        for (int m = 0; m < minima; m++)
        {
            if (Math.Abs(_minimumNodeCost[m] - cost) <= SameBasin * Math.Max(Math.Abs(cost), Math.Abs(_minimumNodeCost[m])))
                return true;
        }
        return false;
    }

    // Golden-section search for the profile cost's minimum over x0 between the neighbouring nodes of each of the
    // lowest RefinedMinima of the steepest row's minima (moved to the front, lowest first; the earlier node wins a
    // tie), from the node itself: a fixed number of steps (the bracket shrinks to 0.618^30 ≈ 5e-7 of its width,
    // finer than the polish needs to start in the right basin), so the result depends only on the data. The
    // minima are refined in lockstep, each step's new points evaluated as one batch (a lane each); each minimum's
    // sequence of points is the one a search of it alone would take. Writes the best x0 seen and its cost, and
    // returns how many minima were refined.
    private int RefineSteepest(ReadOnlySpan<double> x, int minima, int nodes, bool factored, double centre, in LinearBox box)
    {
        const double InverseGolden = 0.6180339887498949;
        int refined = Math.Min(minima, RefinedMinima);
        for (int m = 0; m < refined; m++)
        {
            int lowest = m;
            for (int other = m + 1; other < minima; other++)
            {
                double cost = _minimumNodeCost[other], lowestCost = _minimumNodeCost[lowest];
                if (cost < lowestCost || (cost == lowestCost && _minimumNode[other] < _minimumNode[lowest]))
                    lowest = other;
            }
            (_minimumNodeCost[m], _minimumNodeCost[lowest]) = (_minimumNodeCost[lowest], _minimumNodeCost[m]);
            (_minimumNode[m], _minimumNode[lowest]) = (_minimumNode[lowest], _minimumNode[m]);
        }
        int row = KCount - 1;
        Span<double> batch = _batchX0.AsSpan(0, 2 * refined), costs = _batchCost.AsSpan(0, 2 * refined);
        for (int m = 0; m < refined; m++)
        {
            int node = _minimumNode[m];
            double a = _rowX0[Math.Max(node - 1, 0)], b = _rowX0[Math.Min(node + 1, nodes - 1)];
            _goldenA[m] = a;
            _goldenB[m] = b;
            _goldenC[m] = batch[2 * m] = b - InverseGolden * (b - a);
            _goldenD[m] = batch[2 * m + 1] = a + InverseGolden * (b - a);
            _steepestX0[m] = _rowX0[node];
            _steepestCost[m] = _minimumNodeCost[m];
        }
        ProfileCosts(x, row, batch, factored, centre, box, costs);
        for (int m = 0; m < refined; m++)
        {
            _goldenFc[m] = costs[2 * m];
            _goldenFd[m] = costs[2 * m + 1];
        }
        batch = batch[..refined];
        costs = costs[..refined];
        for (int step = 0; step < RefineSteps; step++)
        {
            for (int m = 0; m < refined; m++)
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
            for (int m = 0; m < refined; m++)
            {
                if (_goldenMovedC[m])
                    _goldenFc[m] = costs[m];
                else
                    _goldenFd[m] = costs[m];
            }
        }
        return refined;
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
