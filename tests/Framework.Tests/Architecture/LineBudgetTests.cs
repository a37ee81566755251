namespace Framework.Tests.Architecture;

/// <summary>STYLE.md's size budgets (tinygrad's sz.py idea): a file that outgrows its budget needs a new type, not more lines.</summary>
public class LineBudgetTests
{
    private static string SourceRoot() => Helpers.RepoPaths.InRepo("src");

    private static IEnumerable<(string Path, int Lines)> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.EndsWith(".g.cs", StringComparison.Ordinal))
            .Select(p => (p, File.ReadLines(p).Count()));

    private static readonly string[] s_baseClasses = ["Layer.cs", "Optimizer.cs", "Model.cs", "Trackable.cs"];

    /// <summary>The budget for one file: concrete layers 150, optimizers 120, callbacks 150, base classes 400, anything 600.</summary>
    internal static int Budget(string path)
    {
        string name = Path.GetFileName(path);
        string folder = Path.GetFileName(Path.GetDirectoryName(path)!);
        string project = Path.GetRelativePath(SourceRoot(), path).Split(Path.DirectorySeparatorChar)[0];
        if (s_baseClasses.Contains(name)) return 400;
        if (folder == "Callbacks") return 150;
        if (project == "Layers" && folder == "Layers" && !name.StartsWith("LayerRegistry", StringComparison.Ordinal)) return 150;
        if (project == "Optimizers" && folder == "Optimizers" && name is "Sgd.cs" or "Adam.cs" or "AdamW.cs" or "RmsProp.cs") return 120;
        return 600;
    }

    [Test]
    public void SourceFiles_StayWithinTheirBudgets()
    {
        var over = SourceFiles().Where(f => f.Lines > Budget(f.Path))
            .Select(f => $"{Path.GetRelativePath(SourceRoot(), f.Path)}: {f.Lines} lines > {Budget(f.Path)}").ToList();
        Assert.That(over, Is.Empty, "Split these files (a new type or a partial Type.Concern.cs):\n" + string.Join("\n", over));
    }

    [Test]
    public void SourceFiles_AreFound()
    {
        // Guards the budget test against silently checking nothing if the layout moves.
        Assert.That(SourceFiles().Count(), Is.GreaterThan(50));
        Assert.That(Budget(Path.Combine(SourceRoot(), "Layers", "Layer.cs")), Is.EqualTo(400));
        Assert.That(Budget(Path.Combine(SourceRoot(), "Training", "Callbacks", "EarlyStopping.cs")), Is.EqualTo(150));
    }
}
