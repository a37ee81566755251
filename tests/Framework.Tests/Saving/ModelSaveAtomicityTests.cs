using Framework.Layers;
using Framework.Training;
using Framework.Training.Saving;

namespace Framework.Tests.Saving;

/// <summary>A save that fails or crashes at any stage leaves the previous save complete and loadable.</summary>
public class ModelSaveAtomicityTests
{
    private static readonly float[] s_probe = [0.5f, -1, 2];

    private static Sequential NewModel(float bias)
    {
        var model = new Sequential([new Dense(2, biasInitializer: new Constant(bias))], inputShape: [3]);
        model.Compile("sgd", "mse");
        return model;
    }

    private static float[] Predict(Model model) => model.Predict(Framework.Tensors.Tensor.FromArray(s_probe, 1, 3)).ToArray<float>();

    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(p => Path.GetRelativePath(directory, p), File.ReadAllBytes);

    [Test]
    public void Save_FailsAfterWriting_PreviousSaveUntouchedAndNoLeftovers()
    {
        using var dir = new SaveDirectory();
        var old = NewModel(1);
        old.Save(dir.ModelPath);
        var before = Snapshot(dir.ModelPath);

        var ex = Assert.Throws<IOException>(() => Framework.Training.Persistence.ModelDirectoryFormat.Save(NewModel(2), dir.ModelPath, null, stage =>
        {
            if (stage == ModelDirectory.Stage.Written) throw new IOException("Injected failure before the swap.");
        }));

        Assert.That(ex!.Message, Does.Contain("Injected"));
        Assert.That(Snapshot(dir.ModelPath), Is.EqualTo(before));
        Assert.That(dir.Entries().Where(e => !e.StartsWith("model" + Path.DirectorySeparatorChar, StringComparison.Ordinal)), Is.EqualTo(new[] { "model" }));
        Assert.That(Predict(Framework.Training.Model.Load(dir.ModelPath)), Is.EqualTo(Predict(old)));
    }

    [Test]
    public void Save_CrashesBetweenRenames_LoadRecoversPreviousAndNextSaveCompletes()
    {
        using var dir = new SaveDirectory();
        var old = NewModel(1);
        old.Save(dir.ModelPath, new Dictionary<string, string> { ["which"] = "old" });

        Assert.Throws<IOException>(() => Framework.Training.Persistence.ModelDirectoryFormat.Save(NewModel(2), dir.ModelPath, null, stage =>
        {
            if (stage == ModelDirectory.Stage.PreviousMoved) throw new IOException("Injected crash between the renames.");
        }));
        Assert.That(Directory.Exists(dir.ModelPath), Is.False, "the crash left the swap half done");

        Assert.That(Predict(Framework.Training.Model.Load(dir.ModelPath)), Is.EqualTo(Predict(old)));
        Assert.That(Framework.Training.Model.ReadMetadata(dir.ModelPath).UserMetadata["which"], Is.EqualTo("old"));

        var newer = NewModel(3);
        newer.Save(dir.ModelPath);
        Assert.That(Predict(Framework.Training.Model.Load(dir.ModelPath)), Is.EqualTo(Predict(newer)));
        Assert.That(Directory.GetDirectories(dir.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "model" }));
    }

    [Test]
    public void Load_LeftoverPendingSave_IsIgnoredAndNextSaveRemovesIt()
    {
        using var dir = new SaveDirectory();
        var old = NewModel(1);
        old.Save(dir.ModelPath);
        string pending = dir.ModelPath + ".saving";
        Directory.CreateDirectory(pending);
        File.WriteAllText(Path.Combine(pending, "config.json"), "{ truncated");

        Assert.That(Predict(Framework.Training.Model.Load(dir.ModelPath)), Is.EqualTo(Predict(old)));
        NewModel(2).Save(dir.ModelPath);
        Assert.That(Directory.Exists(pending), Is.False);
    }

    [Test]
    public void Save_OverExistingSave_ReplacesIt()
    {
        using var dir = new SaveDirectory();
        NewModel(1).Save(dir.ModelPath);
        var newer = NewModel(2);
        newer.Save(dir.ModelPath);
        Assert.That(Predict(Framework.Training.Model.Load(dir.ModelPath)), Is.EqualTo(Predict(newer)));
        Assert.That(Directory.GetDirectories(dir.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "model" }));
    }

    [Test]
    public void Save_IntoUnrelatedNonEmptyDirectory_RefusesAndKeepsIt()
    {
        using var dir = new SaveDirectory();
        Directory.CreateDirectory(dir.ModelPath);
        File.WriteAllText(dir.In("notes.txt"), "mine");
        var ex = Assert.Throws<IOException>(() => NewModel(1).Save(dir.ModelPath));
        Assert.That(ex!.Message, Does.Contain(dir.ModelPath).And.Contain("not a saved model"));
        Assert.That(File.ReadAllText(dir.In("notes.txt")), Is.EqualTo("mine"));
    }
}
