using Framework.Serialization;
using Framework.Tensors;

namespace Framework.Tests.Serialization.Checkpoints;

/// <summary>Restoring through CheckpointManager falls back to the newest intact checkpoint when newer ones are damaged.</summary>
public class CheckpointFallbackTests
{
    /// <summary>Saves ckpt-1..3 holding w = 1, 2, 3; returns the manager's directory.</summary>
    private static void SaveThree(TempDirectory dir)
    {
        var w = new Variable(Tensor.Scalar(0f), "w", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("w", w)), dir.Path, maxToKeep: 3);
        for (int i = 1; i <= 3; i++)
        {
            w.Assign(Tensor.Scalar((float)i));
            manager.Save();
        }
    }

    private static (CheckpointManager Manager, Variable W, List<string> Warnings, string? Restored) Restore(TempDirectory dir)
    {
        var w = new Variable(Tensor.Scalar(-1f), "w", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("w", w)), dir.Path, maxToKeep: 3);
        var warnings = new List<string>();
        string? restored = manager.RestoreOrInitialize(warnings.Add);
        return (manager, w, warnings, restored);
    }

    private static void FlipByte(string file, int offset)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[offset] ^= 0x10;
        File.WriteAllBytes(file, bytes);
    }

    [Test]
    public void RestoreOrInitialize_NewestCrcMismatch_RestoresPreviousAndSaysSo()
    {
        using var dir = new TempDirectory();
        SaveThree(dir);
        FlipByte(dir.File("ckpt-3.data-00000-of-00001"), 0);
        var (manager, w, warnings, restored) = Restore(dir);
        Assert.That(restored, Is.EqualTo(dir.File("ckpt-2")));
        Assert.That(w.Value.Item<float>(), Is.EqualTo(2f));
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("ckpt-3").And.Contain("falling back to").And.Contain("ckpt-2"));
        Assert.That(manager.SkippedOnRestore, Is.EqualTo(warnings));
        Assert.That(manager.LatestCheckpoint, Is.EqualTo(dir.File("ckpt-2")));
    }

    [Test]
    public void RestoreOrInitialize_TwoNewestDamaged_RestoresOldest()
    {
        using var dir = new TempDirectory();
        SaveThree(dir);
        File.Delete(dir.File("ckpt-3.data-00000-of-00001"));
        File.WriteAllBytes(dir.File("ckpt-2.index"), [1, 2, 3]);
        var (_, w, warnings, restored) = Restore(dir);
        Assert.That(restored, Is.EqualTo(dir.File("ckpt-1")));
        Assert.That(w.Value.Item<float>(), Is.EqualTo(1f));
        Assert.That(warnings, Has.Count.EqualTo(2));
    }

    [Test]
    public void RestoreOrInitialize_AllDamaged_ThrowsListingEachAndAssignsNothing()
    {
        using var dir = new TempDirectory();
        SaveThree(dir);
        foreach (int i in new[] { 1, 2, 3 }) File.Delete(dir.File($"ckpt-{i}.data-00000-of-00001"));
        var w = new Variable(Tensor.Scalar(-1f), "w", trainable: false);
        var manager = new CheckpointManager(new Checkpoint(("w", w)), dir.Path, maxToKeep: 3);
        var e = Assert.Throws<InvalidDataException>(() => manager.RestoreOrInitialize(_ => { }));
        Assert.That(e!.Message, Does.Contain("ckpt-1").And.Contain("ckpt-2").And.Contain("ckpt-3"));
        Assert.That(w.Value.Item<float>(), Is.EqualTo(-1f));
    }

    [Test]
    public void Save_AfterFallback_ReplacesTheDamagedCheckpoint()
    {
        using var dir = new TempDirectory();
        SaveThree(dir);
        FlipByte(dir.File("ckpt-3.data-00000-of-00001"), 0);
        var (manager, w, _, _) = Restore(dir);
        w.Assign(Tensor.Scalar(30f));
        Assert.That(manager.Save(), Is.EqualTo(dir.File("ckpt-3")), "numbering continues from the restored checkpoint");
        var (_, again, warnings, restored) = Restore(dir);
        Assert.That((restored, again.Value.Item<float>(), warnings.Count), Is.EqualTo((dir.File("ckpt-3"), 30f, 0)));
        BundleCheck.AssertValid(dir.File("ckpt-3"));
    }

    [Test]
    public void RestoreNewestValid_NotDamage_PropagatesWithoutTryingOlder()
    {
        int calls = 0;
        Assert.Throws<InvalidOperationException>(() => CheckpointFallback.RestoreNewestValid<int>(["a", "b"], _ => { calls++; throw new InvalidOperationException("mismatch"); }, _ => { }));
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(CheckpointFallback.RestoreNewestValid<int>([], _ => 1), Is.Null);
    }
}
