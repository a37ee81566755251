using Framework.Layers;
using Framework.Tests.Serialization;
using Framework.Tests.Serialization.Checkpoints;
using Framework.Training;
using Framework.Training.Persistence;

namespace Framework.Tests.Training.Persistence;

/// <summary>A failed save of a Keras file leaves the previous file complete and loadable, and no temporary file behind.</summary>
public class KerasFileAtomicSaveTests
{
    [Test]
    public void WriteAtomically_FailsMidWrite_PreviousFileIntactAndNoTemporaryLeft()
    {
        using var dir = new TempDirectory();
        var (x, _) = CheckpointModels.Data();
        var model = new Sequential([new Dense(3)], inputShape: [4]);
        model.Save(dir.File("m.keras"));
        byte[] before = File.ReadAllBytes(dir.File("m.keras"));
        Assert.Throws<IOException>(() => H5Output.WriteAtomically(dir.File("m.keras"), stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("disk full (injected)");
        }));
        Assert.That(File.ReadAllBytes(dir.File("m.keras")), Is.EqualTo(before));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "m.keras" }));
        Assert.That(Model.Load(dir.File("m.keras")).Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }

    [TestCase("m.h5")]
    [TestCase("m.keras")]
    public void Save_UnbuiltModelOverExistingFile_RefusedBeforeTouchingIt(string name)
    {
        using var dir = new TempDirectory();
        new Sequential([new Dense(3)], inputShape: [4]).Save(dir.File(name));
        byte[] before = File.ReadAllBytes(dir.File(name));
        var e = Assert.Throws<InvalidOperationException>(() => new Sequential([new Dense(3)]).Save(dir.File(name)));
        Assert.That(e!.Message, Does.Contain(name).And.Contain("not built"));
        Assert.That(File.ReadAllBytes(dir.File(name)), Is.EqualTo(before));
    }
}
