using Framework.Optimizers;
using Framework.Tensors;

namespace Framework.Tests.Docs;

/// <summary>docs/optimizers.md: its example is the block below verbatim and runs, and its table lists every optimizer.</summary>
public class OptimizersGuideTests
{
    private static string Guide => File.ReadAllText(Helpers.RepoPaths.InRepo("docs/optimizers.md")).Replace("\r", "");

    [Test]
    public void Example_RunsAndMovesTheWeightsAsTheCommentSays()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            Example();
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.That(output.ToString(), Does.Contain("Adadelta rho=0.95, Nadam lr=0.001"));
        // Keras's Adagrad in float32: a = 0.1 + g², w ← w − (lr · g) / sqrt(a + 1e-7).
        float step = 0.5f * 0.1f / MathF.Sqrt(0.1f + 0.5f * 0.5f + 1e-7f);
        Assert.That(output.ToString(), Does.Contain(Tensor.FromArray(new[] { 1 - step, 2 + step }, 2).ToString()));
    }

    [Test]
    public void Example_IsTheGuideBlockVerbatim()
    {
        var source = File.ReadAllText(Helpers.RepoPaths.InRepo("tests/Framework.Tests/Docs/OptimizersGuideTests.cs"));
        int start = source.IndexOf('\n', source.IndexOf("{", source.LastIndexOf("private static void Example()", StringComparison.Ordinal), StringComparison.Ordinal)) + 1;
        int end = source.LastIndexOf("        // End of the guide's example.", StringComparison.Ordinal);
        var body = source[start..end].Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart());
        Assert.That(Guide, Does.Contain(string.Join('\n', body).TrimEnd()));
    }

    [Test]
    public void Table_ListsEveryFactoryNameWithItsClass()
    {
        foreach (var name in OptimizerFactory.Names)
            Assert.That(Guide, Does.Contain($"| `{name}` | `{OptimizerFactory.Create(name).GetType().Name}` |"), name);
    }

    private static void Example()
    {
        var adadelta = new Adadelta(learningRate: 1.0);                 // keras.optimizers.Adadelta(learning_rate=1.0)
        var nadam = OptimizerFactory.Create("nadam");                   // Keras's defaults
        var copy = OptimizerFactory.FromConfig(adadelta.GetConfig());   // what whole-model saving does
        Console.WriteLine($"{copy.Name} rho={copy.GetConfig()["rho"]}, {nadam.Name} lr={nadam.LearningRate}");

        var w = new Variable(Tensor.FromArray(new float[] { 1, 2 }, 2), "w");
        var adagrad = new Adagrad(learningRate: 0.1) { ClipNorm = 1.0 };
        adagrad.Apply([Tensor.FromArray(new float[] { 0.5f, -0.5f }, 2)], [w]);
        Console.WriteLine(w.Value);                                     // each element moved by 0.1 · 0.5 / sqrt(0.1 + 0.25)
        // End of the guide's example.
    }
}
