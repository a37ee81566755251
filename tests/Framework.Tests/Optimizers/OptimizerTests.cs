using Framework.Tests.Helpers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Serialization;
using Framework.Tests.Serialization;

namespace Framework.Tests.Optimizers;

/// <summary>The base class: building, slot bookkeeping, argument errors, the iteration counter and tracked names.</summary>
[TestFixtureSource(typeof(TestDevices), nameof(TestDevices.Both))]
public class OptimizerTests(Device device) : OnDevice(device)
{
    private static Variable NewVariable(string name, params float[] values) => new(Tensor.FromArray(values, values.Length), name);

    private static Tensor Ones(Variable v) => Tensor.Ones(v.Shape);

    [Test]
    public void Apply_VariableNotBuiltFor_ThrowsNamingVariableAndOptimizer()
    {
        var a = NewVariable("dense/kernel", 1, 2);
        var stranger = NewVariable("dense_1/bias", 3);
        var adam = new Adam();
        adam.Apply([Ones(a)], [a]);

        var error = Assert.Throws<InvalidOperationException>(() => adam.Apply([Ones(stranger)], [stranger]));
        Assert.That(error!.Message, Does.Contain("dense_1/bias").And.Contain("Adam"));
    }

    [Test]
    public void Apply_GradientShapeMismatch_ThrowsArgumentWithBothShapes()
    {
        var a = NewVariable("w", 1, 2, 3);
        var error = Assert.Throws<ArgumentException>(() => new Sgd().Apply([Tensor.Ones([2])], [a]));
        Assert.That(error!.Message, Does.Contain("(2,)").And.Contain("expected (3,)").And.Contain("'w'"));
    }

    [Test]
    public void Apply_MoreGradientsThanVariables_ThrowsArgument()
    {
        var a = NewVariable("w", 1);
        var error = Assert.Throws<ArgumentException>(() => new Sgd().Apply([Ones(a), Ones(a)], [a]));
        Assert.That(error!.Message, Does.Contain("2 gradients for 1 variables"));
    }

    [Test]
    public void Apply_ThreeTimes_IterationsCountsThreeAndIsInt64()
    {
        var a = NewVariable("w", 1, 2);
        var rms = new RmsProp();
        for (int i = 0; i < 3; i++) rms.Apply([Ones(a)], [a]);
        Assert.That(rms.Iterations.DType, Is.EqualTo(DType.Int64));
        Assert.That(rms.Iterations.Value.Item<long>(), Is.EqualTo(3));
    }

    [Test]
    public void Apply_VariablesListedInAnotherOrder_SlotsFollowIdentityNotPosition()
    {
        // Two variables with the same name and shape: only identity tells their moments apart.
        var a1 = NewVariable("w", 1, 2);
        var b1 = NewVariable("w", -3, 4);
        var a2 = NewVariable("w", 1, 2);
        var b2 = NewVariable("w", -3, 4);
        var inOrder = new Adam(0.1);
        var reversed = new Adam(0.1);
        for (int step = 0; step < 3; step++)
        {
            inOrder.Apply([a1.Value * 2, b1.Value * 0.5], [a1, b1]);
            var gradients = step == 0 ? new[] { a2.Value * 2, b2.Value * 0.5 } : [b2.Value * 0.5, a2.Value * 2];
            reversed.Apply(gradients, step == 0 ? [a2, b2] : [b2, a2]);
        }
        Assert.That(a2.Value.ToArray<float>(), Is.EqualTo(a1.Value.ToArray<float>()));
        Assert.That(b2.Value.ToArray<float>(), Is.EqualTo(b1.Value.ToArray<float>()));
    }

    [Test]
    public void Children_Adam_MatchTfOptimizerV2NamesAndOrder()
    {
        var adam = new Adam(0.1, beta1: 0.8);
        Assert.That(adam.Children.Select(c => c.Name), Is.EqualTo(new[] { "iter", "beta_1", "beta_2", "decay", "learning_rate" }));
        var values = adam.Children.Skip(1).Select(c => ((Variable)c.Target).Value.Item<float>());
        Assert.That(values, Is.EqualTo(new[] { 0.8f, 0.999f, 0f, 0.1f }));
    }

    [Test]
    public void SlotVariables_AdamOnTwoVariables_AllMThenAllVLikeTensorFlow()
    {
        var kernel = NewVariable("kernel", 1, 2);
        var bias = NewVariable("bias", 0);
        var adam = new Adam();
        adam.BuildFor([kernel, bias]);
        var slots = adam.SlotVariables.Select(s => (s.Original, s.SlotName)).ToArray();
        Assert.That(slots, Is.EqualTo(new[] { (kernel, "m"), (bias, "m"), (kernel, "v"), (bias, "v") }));
        Assert.That(adam.SlotVariables.All(s => s.Slot.Shape == s.Original.Shape && !s.Slot.Trainable), Is.True);
    }

    [Test]
    public void SlotVariables_AmsgradAndAdamW_AddVhatAndWeightDecayHyperparameter()
    {
        var w = NewVariable("w", 1);
        var adamw = new AdamW(amsgrad: true);
        adamw.BuildFor([w]);
        Assert.That(adamw.SlotVariables.Select(s => s.SlotName), Is.EqualTo(new[] { "m", "v", "vhat" }));
        Assert.That(adamw.Children.Select(c => c.Name), Is.EqualTo(new[] { "iter", "beta_1", "beta_2", "decay", "learning_rate", "weight_decay" }));
    }

    [TestCase(0.0, new string[0])]
    [TestCase(0.9, new[] { "momentum" })]
    public void SlotVariables_Sgd_MomentumSlotOnlyWithMomentum(double momentum, string[] expected)
    {
        var sgd = new Sgd(momentum: momentum);
        sgd.BuildFor([NewVariable("w", 1)]);
        Assert.That(sgd.SlotVariables.Select(s => s.SlotName), Is.EqualTo(expected));
        Assert.That(sgd.Children.Select(c => c.Name), Is.EqualTo(new[] { "iter", "decay", "learning_rate", "momentum" }));
    }

    [Test]
    public void SlotVariables_RmsPropCenteredWithMomentum_RmsMomentumMgInTfOrder()
    {
        var rms = new RmsProp(momentum: 0.5, centered: true);
        rms.BuildFor([NewVariable("w", 1)]);
        Assert.That(rms.SlotVariables.Select(s => s.SlotName), Is.EqualTo(new[] { "rms", "momentum", "mg" }));
        Assert.That(rms.Children.Select(c => c.Name), Is.EqualTo(new[] { "iter", "decay", "learning_rate", "momentum", "rho" }));
    }

    [Test]
    public void Children_WithSchedule_NoLearningRateVariableAsInTensorFlow()
    {
        var adam = new Adam(new ExponentialDecay(0.1, 10, 0.5));
        Assert.That(adam.Children.Select(c => c.Name), Is.EqualTo(new[] { "iter", "beta_1", "beta_2", "decay" }));
    }

    [Test]
    public void LearningRate_FollowsScheduleUntilSet_ThenConstant()
    {
        var w = NewVariable("w", 1);
        var sgd = new Sgd(new PiecewiseConstantDecay([0], [0.5, 0.25]));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.5));
        sgd.Apply([Ones(w)], [w]);
        Assert.That(sgd.LearningRate, Is.EqualTo(0.25));
        sgd.LearningRate = 0.125;
        Assert.That(sgd.Schedule, Is.Null);
        Assert.That(sgd.Children.Select(c => c.Name), Does.Contain("learning_rate"));
        sgd.Apply([Ones(w)], [w]);
        Assert.That(w.Value.Item<float>(), Is.EqualTo(1f - 0.5f - 0.125f));
    }

    [Test]
    public void LearningRate_VariableRestoredFromCheckpoint_RestoredValueDrivesUpdates()
    {
        var w = NewVariable("w", 1);
        var sgd = new Sgd(0.5);
        var stored = (Variable)sgd.Children.Single(c => c.Name == "learning_rate").Target;
        stored.Assign(Tensor.Scalar(0.25f));
        Assert.That(sgd.GetConfig()["learning_rate"], Is.EqualTo(0.25));
        sgd.Apply([Ones(w)], [w]);
        Assert.That(w.Value.Item<float>(), Is.EqualTo(0.75f));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.25));
    }

    private static IEnumerable<TestCaseData> InvalidArguments()
    {
        TestCaseData Case(Func<object> create, string message) => new TestCaseData(create, message).SetArgDisplayNames(message);
        yield return Case(() => new Adam(-0.001), "Adam: learningRate must be positive; received learningRate=-0.001.");
        yield return Case(() => new Adam(double.NaN), "Adam: learningRate must be positive; received learningRate=NaN.");
        yield return Case(() => new Adam(beta1: 1), "Adam: beta1 must be in [0, 1); received beta1=1.");
        yield return Case(() => new Adam(beta2: -0.5), "Adam: beta2 must be in [0, 1); received beta2=-0.5.");
        yield return Case(() => new Adam(epsilon: -1e-7), "Adam: epsilon must be non-negative and finite; received epsilon=-1E-07.");
        yield return Case(() => new AdamW(weightDecay: -0.1), "AdamW: weightDecay must be non-negative and finite; received weightDecay=-0.1.");
        yield return Case(() => new AdamW(0), "AdamW: learningRate must be positive; received learningRate=0.");
        yield return Case(() => new Sgd(-1), "Sgd: learningRate must be positive; received learningRate=-1.");
        yield return Case(() => new Sgd(momentum: 1.5), "Sgd: momentum must be in [0, 1]; received momentum=1.5.");
        yield return Case(() => new RmsProp(rho: 1), "RmsProp: rho must be in [0, 1); received rho=1.");
        yield return Case(() => new RmsProp(momentum: -0.1), "RmsProp: momentum must be in [0, 1]; received momentum=-0.1.");
        yield return Case(() => new RmsProp(epsilon: double.PositiveInfinity), "RmsProp: epsilon must be non-negative and finite; received epsilon=Infinity.");
        yield return Case(() => new Adam { ClipNorm = 0 }, "Adam: ClipNorm must be positive; received ClipNorm=0.");
        yield return Case(() => new Sgd { ClipValue = -1 }, "Sgd: ClipValue must be positive; received ClipValue=-1.");
        yield return Case(() => new RmsProp { GlobalClipNorm = double.NaN }, "RmsProp: GlobalClipNorm must be positive; received GlobalClipNorm=NaN.");
        yield return Case(() => new Adam().LearningRate = -2, "Adam: LearningRate must be positive; received LearningRate=-2.");
    }

    [TestCaseSource(nameof(InvalidArguments))]
    public void Constructor_ArgumentOutOfRange_ThrowsWithNameAndReceivedValue(Func<object> create, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.That(error!.Message, Does.StartWith(message));
    }

    [Test]
    public void Iterations_AssignedFromOutside_ScheduleAndNextStepContinueFromTheAssignedCount()
    {
        var schedule = new ExponentialDecay(0.1, decaySteps: 1, decayRate: 0.5);
        var (w, sgd) = (NewVariable("w", 1, 2), new Sgd(schedule));
        sgd.Apply([Ones(w)], [w]);   // the optimizer's host copy of the counter now says 1

        sgd.Iterations.Assign(Tensor.Scalar(7, DType.Int64));

        Assert.That(sgd.LearningRate, Is.EqualTo(schedule.At(7)));
        sgd.Apply([Ones(w)], [w]);
        Assert.That(sgd.Iterations.Value.Item<long>(), Is.EqualTo(8));
        Assert.That(sgd.LearningRate, Is.EqualTo(schedule.At(8)));
    }

    [Test]
    public void Restore_IntoAnOptimizerThatStepped_ContinuesFromTheRestoredCount()
    {
        using var dir = new TempDirectory();
        var schedule = new ExponentialDecay(0.1, decaySteps: 1, decayRate: 0.5);
        var (w, sgd) = (NewVariable("w", 1, 2), new Sgd(schedule));
        sgd.Apply([Ones(w)], [w]);
        string saved = new Checkpoint(("w", w), ("optimizer", sgd)).Save(dir.File("ckpt"));
        for (int i = 0; i < 3; i++) sgd.Apply([Ones(w)], [w]);

        // On the managed backend the restore writes the counter's bytes directly, past Assign.
        new Checkpoint(("w", w), ("optimizer", sgd)).Restore(saved).AssertExistingObjectsMatched();

        Assert.That(sgd.LearningRate, Is.EqualTo(schedule.At(1)));
        sgd.Apply([Ones(w)], [w]);
        Assert.That(sgd.Iterations.Value.Item<long>(), Is.EqualTo(2));
    }
}
