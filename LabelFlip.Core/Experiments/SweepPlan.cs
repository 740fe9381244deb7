namespace LabelFlip.Core.Experiments;

/// <summary>The runs of a sweep in their canonical order: by poison fraction, then width, then seed, as the config lists them.</summary>
internal static class SweepPlan
{
    public static IEnumerable<RunKey> Runs(SweepConfig config)
    {
        foreach (double fraction in config.PoisonFractions)
        {
            foreach (int width in config.HiddenWidths)
            {
                foreach (ulong seed in config.Seeds)
                    yield return new RunKey(fraction, width, seed);
            }
        }
    }
}
