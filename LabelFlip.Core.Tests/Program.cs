using LabelFlip.Core.Tests.Nn;

namespace LabelFlip.Core.Tests;

/// <summary>
/// The test assembly's own entry point (GenerateProgramFile is off). The test host never calls it; the
/// instruction-set tests start this assembly as a child process with <c>isa-probe</c> under different
/// DOTNET_Enable* settings.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["isa-probe"])
        {
            Console.WriteLine(IsaProbe.Run());
            return 0;
        }
        if (args is ["detection-isa-probe"])
        {
            Console.WriteLine(Detection.DetectionIsaProbe.Run());
            return 0;
        }
        Console.Error.WriteLine("Usage: LabelFlip.Core.Tests isa-probe|detection-isa-probe");
        return 2;
    }
}
