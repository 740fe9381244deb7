using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

/// <summary>
/// A test on the real Fashion-MNIST files. Skipped, with a message saying how to install them, when they are
/// missing on a developer's machine; run (and so failing with the loader's own message) when they are
/// missing under CI=true, where .ci/install-datasets.sh should have installed them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!underCi && !FashionMnist.IsInstalled())
        {
            Skip = $"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory}: run `bash .ci/install-datasets.sh` " +
                $"or `{FashionMnist.InstallCommand}`. Under CI=true this test fails instead.";
        }
    }
}
