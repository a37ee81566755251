using Framework.Serialization;
using Framework.Tensors;
using Framework.Training.Persistence;

namespace Framework.Tests.Training.Persistence;

/// <summary>A Keras file is checked from its metadata before any value is read, and assigned only after every read succeeded.</summary>
public class WeightAssignmentsTests
{
    [Test]
    public void Apply_AReadFails_NothingAssigned()
    {
        var first = new Variable(Tensor.Zeros([2]), "first");
        var second = new Variable(Tensor.Zeros([3]), "second");
        using var into = new WeightAssignments("w.weights.h5");
        into.Match(first, new SavedValue("layers/a/vars/0", new Shape(2), DType.Float32, () => Tensor.FromArray(new float[] { 1, 2 })));
        into.Match(second, new SavedValue("layers/b/vars/0", new Shape(3), DType.Float32, () => throw new InvalidDataException("'w.weights.h5': 'layers/b/vars/0' is corrupt")));
        var ex = Assert.Throws<InvalidDataException>(() => into.Apply(strict: true));
        Assert.That(ex!.Message, Does.Contain("layers/b/vars/0"));
        Assert.That(first.Value.ToArray<float>(), Is.EqualTo(new float[] { 0, 0 }), "the first value was assigned before the second failed");
        Assert.That(second.Value.ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0 }));
    }

    [Test]
    public void Apply_StrictMismatch_ThrowsBeforeReadingAnything()
    {
        var variable = new Variable(Tensor.Zeros([2]), "v");
        var missing = new Variable(Tensor.Zeros([2]), "missing");
        int reads = 0;
        using var into = new WeightAssignments("w.weights.h5");
        into.Match(variable, new SavedValue("layers/a/vars/0", new Shape(2), DType.Float32, () => { reads++; return Tensor.Ones([2]); }));
        into.Missing("layers/a/vars/1", missing);
        Assert.Throws<CheckpointMismatchException>(() => into.Apply(strict: true));
        Assert.That(reads, Is.Zero);
        Assert.That(variable.Value.ToArray<float>(), Is.EqualTo(new float[] { 0, 0 }));
    }

    [Test]
    public void Match_OtherShape_IsAMismatchAndNeverRead()
    {
        var variable = new Variable(Tensor.Zeros([2]), "v");
        using var into = new WeightAssignments("w.weights.h5");
        into.Match(variable, new SavedValue("layers/a/vars/0", new Shape(1_000_000_000), DType.Float32, () => throw new AssertionException("read")));
        var report = into.Apply(strict: false);
        Assert.That(report.Mismatches.Select(m => m.Key), Is.EqualTo(new[] { "layers/a/vars/0" }));
    }

    [Test]
    public void Apply_TheReadTensorsBecomeTheValues()
    {
        var variable = new Variable(Tensor.Zeros([2]), "v");
        var read = Tensor.FromArray(new float[] { 3, 4 });
        using var into = new WeightAssignments("w.weights.h5");
        into.Match(variable, new SavedValue("layers/a/vars/0", new Shape(2), DType.Float32, () => read));
        Assert.That(into.Apply(strict: true).IsComplete, Is.True);
        Assert.That(variable.Value, Is.SameAs(read));
        Assert.That(variable.Value.ToArray<float>(), Is.EqualTo(new float[] { 3, 4 }));
    }

    [Test]
    public void Apply_IntoANewModel_ReadsEachValueIntoItsVariable()
    {
        var variable = new Variable(Tensor.Zeros([2]), "v");
        var storage = variable.Value;
        using var into = new WeightAssignments("m.keras", intoNewModel: true);
        into.Match(variable, new SavedValue("layers/a/vars/0", new Shape(2), DType.Float32, () => throw new AssertionException("a new tensor was read"),
            target => target.Overwrite<float, int>(0, (span, _) => span.Fill(7))));
        into.Apply(strict: true);
        Assert.That(variable.Value, Is.SameAs(storage));
        Assert.That(variable.Value.ToArray<float>(), Is.EqualTo(new float[] { 7, 7 }));
    }
}
