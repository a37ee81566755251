using Framework.Tensors;
using Framework.Tests.Helpers;
using static Framework.Tests.Optimizers.OptimizerReferenceData;

namespace Framework.Tests.Optimizers;

/// <summary>Every optimizer and option against the Keras-formula references of tests/tools/optimizer_reference.py.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class OptimizerTrajectoryTests(Device device) : OnDevice(device)
{
    private static IEnumerable<string> AllScenarios => OptimizerScenarios.Create.Keys;

    private static IEnumerable<string> ElementwiseScenarios => OptimizerScenarios.Elementwise;

    // Schedules and clipping norms are formed in float64 on both sides but may round differently in the last bit.
    private static IEnumerable<string> ExactScenarios => AllScenarios.Where(k => !k.Contains("clip", StringComparison.Ordinal)
        && !k.Contains("exponential", StringComparison.Ordinal) && !k.Contains("cosine", StringComparison.Ordinal));

    [TestCaseSource(nameof(AllScenarios))]
    public void Apply_EightSteps_MatchesKerasReference(string scenario)
    {
        var (first, last) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario]());
        var expected = Trajectories[scenario];
        for (int v = 0; v < 2; v++)
        {
            TensorAssert.AllClose([.. expected.First[v].Select(x => (double)x)], first[v], 1e-6, 1e-6, $" (step 1, variable {v})");
            TensorAssert.AllClose([.. expected.Last[v].Select(x => (double)x)], last[v], 1e-6, 1e-6, $" (step {Steps}, variable {v})");
        }
    }

    [TestCaseSource(nameof(ExactScenarios))]
    public void Apply_ConstantRate_BitIdenticalToKerasFloat32Formula(string scenario)
    {
        var (_, last) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario]());
        for (int v = 0; v < 2; v++)
            AssertKerasExact(Trajectories[scenario].Last[v].Select(x => (double)x).ToArray(), last[v], $"variable {v}");
    }

    /// <summary>
    /// Bit-identical on the managed backend. On libtorch, Adam runs as lerp and addcdiv kernels, which may contract
    /// a multiply and an add into one fused multiply-add and divide before scaling: each step can move by an ulp or
    /// two, and eight steps accumulate at most a few. The stated tolerance there is 1e-6 relative (8 float32 ulp),
    /// still a hundred times tighter than any wrong formula (a wrong β or ε moves the values by 1e-4 or more).
    /// </summary>
    private void AssertKerasExact(double[] expected, double[] actual, string what)
    {
        if (!OnTorch) Assert.That(actual, Is.EqualTo(expected), what);
        else TensorAssert.AllClose(expected, actual, 0, 1e-6, $" ({what})");
    }

    [TestCaseSource(nameof(ElementwiseScenarios))]
    public void Apply_VariablesLongerThanOneVector_EveryElementMatchesReference(string scenario)
    {
        // 4·37 and 2·(3·37) elements: the SIMD loop runs, and a scalar tail of odd length remains.
        const int Repeat = 37;
        var (_, last) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario](), repeat: Repeat);
        bool exact = ExactScenarios.Contains(scenario);
        for (int v = 0; v < 2; v++)
        {
            var expected = OptimizerScenarios.Tile(Trajectories[scenario].Last[v], OptimizerScenarios.Shapes[v], Repeat);
            if (exact) AssertKerasExact(expected, last[v], $"variable {v}");
            else TensorAssert.AllClose(expected, last[v], 1e-6, 1e-6, $" (variable {v})");
        }
    }

    [TestCaseSource(nameof(AllScenarios))]
    public void Apply_Float64Variables_MatchesFloat32ReferenceWithinItsRounding(string scenario)
    {
        var (_, last) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario](), DType.Float64);
        for (int v = 0; v < 2; v++)
            TensorAssert.AllClose([.. Trajectories[scenario].Last[v].Select(x => (double)x)], last[v], 2e-5, 1e-5, $" (variable {v})");
    }

    [TestCaseSource(nameof(AllScenarios))]
    public void Apply_SameInputsTwice_BitIdenticalResults(string scenario)
    {
        var (_, a) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario](), repeat: 37);
        var (_, b) = OptimizerScenarios.Run(OptimizerScenarios.Create[scenario](), repeat: 37);
        Assert.That(b, Is.EqualTo(a));
    }
}
