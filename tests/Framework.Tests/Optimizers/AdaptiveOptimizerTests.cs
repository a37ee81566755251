using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;

namespace Framework.Tests.Optimizers;

/// <summary>Adadelta, Adagrad, Adamax and Nadam: Keras's defaults, tf.keras's checkpoint names, and exact resumption.</summary>
/// <remarks>Their update formulas are checked against the Keras references in <see cref="OptimizerTrajectoryTests"/>.</remarks>
public class AdaptiveOptimizerTests
{
    private static Variable NewVariable(string name, params float[] values) => new(Tensor.FromArray(values, values.Length), name);

    private static IEnumerable<TestCaseData> Defaults()
    {
        TestCaseData Case(Optimizer optimizer, Dictionary<string, object?> expected) => new TestCaseData(optimizer, expected).SetArgDisplayNames(optimizer.Name);
        yield return Case(new Adadelta(), new() { ["learning_rate"] = 0.001, ["rho"] = 0.95, ["epsilon"] = 1e-7 });
        yield return Case(new Adagrad(), new() { ["learning_rate"] = 0.001, ["initial_accumulator_value"] = 0.1, ["epsilon"] = 1e-7 });
        yield return Case(new Adamax(), new() { ["learning_rate"] = 0.001, ["beta_1"] = 0.9, ["beta_2"] = 0.999, ["epsilon"] = 1e-7 });
        yield return Case(new Nadam(), new() { ["learning_rate"] = 0.001, ["beta_1"] = 0.9, ["beta_2"] = 0.999, ["epsilon"] = 1e-7 });
    }

    [TestCaseSource(nameof(Defaults))]
    public void GetConfig_DefaultConstructor_HasKerasDefaults(Optimizer optimizer, Dictionary<string, object?> expected)
    {
        var config = optimizer.GetConfig();
        foreach (var (key, value) in expected) Assert.That(config[key], Is.EqualTo(value), key);
        Assert.That(config.Keys.Except(["name", "clipnorm", "clipvalue", "global_clipnorm"]), Is.EquivalentTo(expected.Keys));
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        TestCaseData Case(Optimizer optimizer, string[] slots, string[] children) => new TestCaseData(optimizer, slots, children).SetArgDisplayNames(optimizer.Name);
        yield return Case(new Adadelta(), ["accum_grad", "accum_grad", "accum_var", "accum_var"], ["iter", "decay", "learning_rate", "rho"]);
        yield return Case(new Adagrad(), ["accumulator", "accumulator"], ["iter", "decay", "learning_rate"]);
        yield return Case(new Adamax(), ["m", "m", "v", "v"], ["iter", "beta_1", "beta_2", "decay", "learning_rate"]);
        yield return Case(new Nadam(), ["m", "m", "v", "v"], ["iter", "beta_1", "beta_2", "decay", "learning_rate", "u_product"]);
    }

    [TestCaseSource(nameof(Layouts))]
    public void SlotVariablesAndChildren_TwoVariables_TfKerasNamesAndOrder(Optimizer optimizer, string[] slots, string[] children)
    {
        var kernel = NewVariable("kernel", 1, 2);
        var bias = NewVariable("bias", 0);
        optimizer.BuildFor([kernel, bias]);
        Assert.That(optimizer.SlotVariables.Select(s => s.SlotName), Is.EqualTo(slots));
        Assert.That(optimizer.SlotVariables.Select(s => s.Original), Is.EqualTo(Enumerable.Repeat(new[] { kernel, bias }, slots.Length / 2).SelectMany(x => x)));
        Assert.That(optimizer.Children.Select(c => c.Name), Is.EqualTo(children));
    }

    [Test]
    public void BuildFor_Adagrad_AccumulatorStartsAtInitialValueInVariableDtype()
    {
        var w = new Variable(Tensor.Zeros([3], DType.Float64), "w");
        var adagrad = new Adagrad(initialAccumulatorValue: 0.25);
        adagrad.BuildFor([w]);
        var accumulator = adagrad.SlotVariables.Single().Slot.Value;
        Assert.That(accumulator.DType, Is.EqualTo(DType.Float64));
        Assert.That(accumulator.ToArray<double>(), Is.EqualTo(new[] { 0.25, 0.25, 0.25 }));
    }

    [Test]
    public void Apply_Nadam_UProductAdvancesOncePerStepNotPerVariable()
    {
        var (a, b) = (NewVariable("a", 1, 2), NewVariable("b", 3));
        var nadam = new Nadam();
        for (int i = 0; i < 3; i++) nadam.Apply([Tensor.Ones([2]), Tensor.Ones([1])], [a, b]);
        float expected = 1f;
        for (int t = 1; t <= 3; t++) expected = expected * 0.9f * (1f - 0.5f * MathF.Pow(0.96f, t));
        Assert.That(nadam.UProduct.Value.Item<float>(), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Resumable()
    {
        yield return new TestCaseData((Func<Optimizer>)(() => new Adadelta(1.0))).SetArgDisplayNames("Adadelta");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adagrad(0.1))).SetArgDisplayNames("Adagrad");
        yield return new TestCaseData((Func<Optimizer>)(() => new Adamax(0.01))).SetArgDisplayNames("Adamax");
        yield return new TestCaseData((Func<Optimizer>)(() => new Nadam(0.01))).SetArgDisplayNames("Nadam");
    }

    [TestCaseSource(nameof(Resumable))]
    public void Restore_AfterThreeSteps_ContinuesBitIdenticallyToUninterruptedRun(Func<Optimizer> create)
    {
        using var dir = new TempDirectory();
        var (w, optimizer) = (NewVariable("w", 0.5f, -1.25f, 2f, 0.1f), create());
        Tensor Gradient(Variable v) => (v.Value - 0.25) * 3;
        for (int i = 0; i < 3; i++) optimizer.Apply([Gradient(w)], [w]);
        string saved = new Checkpoint(("w", w), ("optimizer", optimizer)).Save(dir.File("ckpt"));

        var (resumedW, resumed) = (NewVariable("w", 0, 0, 0, 0), create());
        new Checkpoint(("w", resumedW), ("optimizer", resumed)).Restore(saved).AssertExistingObjectsMatched();
        for (int i = 0; i < 5; i++)
        {
            optimizer.Apply([Gradient(w)], [w]);
            resumed.Apply([Gradient(resumedW)], [resumedW]);
        }

        Assert.That(resumedW.Value.ToArray<float>(), Is.EqualTo(w.Value.ToArray<float>()));
        Assert.That(resumed.Iterations.Value.Item<long>(), Is.EqualTo(8));
    }

    private static IEnumerable<TestCaseData> InvalidArguments()
    {
        TestCaseData Case(Func<object> create, string message) => new TestCaseData(create, message).SetArgDisplayNames(message);
        yield return Case(() => new Adadelta(rho: 1), "Adadelta: rho must be in [0, 1); received rho=1.");
        yield return Case(() => new Adadelta(epsilon: -1), "Adadelta: epsilon must be non-negative and finite; received epsilon=-1.");
        yield return Case(() => new Adagrad(initialAccumulatorValue: -0.1), "Adagrad: initialAccumulatorValue must be non-negative and finite; received initialAccumulatorValue=-0.1.");
        yield return Case(() => new Adagrad(0), "Adagrad: learningRate must be positive; received learningRate=0.");
        yield return Case(() => new Adamax(beta2: 1), "Adamax: beta2 must be in [0, 1); received beta2=1.");
        yield return Case(() => new Nadam(beta1: -0.1), "Nadam: beta1 must be in [0, 1); received beta1=-0.1.");
    }

    [TestCaseSource(nameof(InvalidArguments))]
    public void Constructor_ArgumentOutOfRange_ThrowsWithNameAndReceivedValue(Func<object> create, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.That(error!.Message, Does.StartWith(message));
    }
}
