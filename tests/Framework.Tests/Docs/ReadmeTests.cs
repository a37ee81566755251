using Framework.Tensors;

namespace Framework.Tests.Docs;

/// <summary>The README's code runs (Sep's README test): the tour below is the README's block, verbatim.</summary>
public class ReadmeTests
{
    private static string RepositoryFile(string name) => Helpers.RepoPaths.InRepo(name);

    [Test]
    public void Tour_RunsAndPrintsWhatTheReadmeSays()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            Tour();
        }
        finally
        {
            Console.SetOut(original);
        }
        var lines = output.ToString();
        Assert.That(lines, Does.Contain("tensor([[12., 24., 36.],"));
        Assert.That(lines, Does.Contain("(3,)"));
    }

    [Test]
    public void Tour_IsTheReadmeBlockVerbatim()
    {
        var readme = File.ReadAllText(RepositoryFile("README.md"));
        var source = File.ReadAllText(RepositoryFile("tests/Framework.Tests/Docs/ReadmeTests.cs"));
        int start = source.IndexOf('\n', source.IndexOf("{", source.IndexOf("static void Tour()", StringComparison.Ordinal), StringComparison.Ordinal)) + 1;
        int end = source.LastIndexOf("        // End of the README tour.", StringComparison.Ordinal);
        var body = source[start..end].Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart());
        Assert.That(readme.Replace("\r", ""), Does.Contain(string.Join('\n', body).TrimEnd()));
    }

    private static void Tour()
    {
        // Tensors: shape, dtype and device; NumPy broadcasting; readable printing.
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var y = (x * 2 + Tensor.FromArray(new float[] { 10, 20, 30 })).Relu();   // (2, 3) + (3,) broadcasts
        Console.WriteLine(y);            // tensor([[12., 24., 36.], [18., 30., 42.]], shape=(2, 3), dtype=float32)
        Console.WriteLine(y.Sum(axis: 0).Shape);        // (3,)
        Console.WriteLine(x.MatMul(x.Transpose()));     // (2, 3) @ (3, 2) → (2, 2)

        // Autograd: mark leaves, compute a scalar, call Backward.
        var w = Tensor.Ones([3, 1]).RequireGrad();
        var loss = x.MatMul(w).Square().Mean();
        loss.Backward();
        Console.WriteLine(w.Grad);       // d loss / d w, shape (3, 1)

        // Mutable training state is a Variable; optimizers update it in place.
        var v = new Variable(Tensor.Zeros([3]), "bias");
        v.AssignAdd(Tensor.Full([3], 0.5));

        // Inference without recording gradients, and scopes that recycle temporaries' memory.
        using (Autograd.NoGrad())
        using (var scope = TensorScope.Begin())
        {
            var probabilities = x.Softmax(axis: -1);     // numerically stable along the last axis
            float first = probabilities.Slice(0, 1).Max().Item<float>();
        }

        // Deterministic randomness whose state can be saved and restored.
        RandomGenerator.SetGlobalSeed(42);
        var noise = new float[4];
        RandomGenerator.Global.FillNormal(noise, 0f, 1f);
        // End of the README tour.
    }
}
