using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tensors.Backends;
using Framework.Tests.Optimizers;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Backends;

/// <summary>
/// A backend from outside the core (<see cref="HostArrayBackend"/>: the required interface only, the CPU kernels behind
/// copies) runs everything the framework does, and gives the managed backend's bits: so the optimizers' generic update
/// path equals the fused CPU kernels bit for bit, and nothing outside the backends assumes CPU memory.
/// </summary>
public class ExternalBackendTests
{
    private static readonly Device Opaque = HostArrayBackend.Opaque;

    // Every scenario whose optimizer has a fused kernel (SGD, Adam/AdamW, RMSprop, Adadelta), in both float dtypes.
    private static readonly string[] FusedScenarios =
    [
        "sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_amsgrad", "adamw", "adamw_amsgrad", "rmsprop",
        "rmsprop_momentum", "rmsprop_centered", "rmsprop_centered_momentum", "adadelta", "adadelta_large_epsilon",
    ];

    private static IEnumerable<TestCaseData> FusedCases() =>
        FusedScenarios.SelectMany(s => new[] { DType.Float32, DType.Float64 }.Select(d => new TestCaseData(s, d)));

    [OneTimeSetUp]
    public void RegisterTheExternalBackend() => HostArrayBackend.Register();

    [Test]
    public void FusedOptimizerKernels_AreOptional_TheBuiltInBackendsHaveThem()
    {
        Assert.That(BackendRegistry.For(Device.Cpu), Is.InstanceOf<IFusedOptimizerKernels>());
        Assert.That(BackendRegistry.For(Device.TorchCpu), Is.InstanceOf<IFusedOptimizerKernels>());
        Assert.That(BackendRegistry.For(Opaque), Is.Not.InstanceOf<IFusedOptimizerKernels>());
        Assert.That(Opaque.ToString(), Is.EqualTo("external:1"));
    }

    [TestCaseSource(nameof(FusedCases))]
    public void Optimizer_WithoutFusedKernels_GivesTheFusedCpuKernelsResultBitForBit(string scenario, DType dtype)
    {
        var fused = RunSteps(OptimizerScenarios.Create[scenario](), Device.Cpu, dtype);
        var generic = RunSteps(OptimizerScenarios.Create[scenario](), Opaque, dtype);
        Assert.That(generic.Keys, Is.EquivalentTo(fused.Keys));
        foreach (var (name, bits) in fused) Assert.That(generic[name], Is.EqualTo(bits), $"{scenario} {dtype.Name()}: {name}");
    }

    [Test]
    public void AdamFallback_FlushesSubnormalMoments_AsTheFusedKernelDoes()
    {
        // A gradient of 1e-38 makes m = 1e-39 (float32 subnormal): the fused kernel stores 0, and so must the fallback.
        var slots = RunSteps(new Adam(0.01), Opaque, DType.Float32);
        var m = slots["w0/m"].Select(b => BitConverter.Int64BitsToDouble(b)).ToArray();
        Assert.That(m.Count(x => x == 0), Is.GreaterThan(0), "the tiny gradients' moments were flushed to zero");
        Assert.That(m.Any(x => x != 0 && Math.Abs(x) < 1.1754943508222875e-38), Is.False, "no subnormal moment is kept");
    }

    [TestCase(0, TestName = "Fit_Save_Load_OnAnExternalBackend_MatchTheManagedBackendBitForBit(host memory)")]
    [TestCase(1, TestName = "Fit_Save_Load_OnAnExternalBackend_MatchTheManagedBackendBitForBit(opaque memory)")]
    public void Fit_Save_Load_OnAnExternalBackend_MatchTheManagedBackendBitForBit(int index)
    {
        var device = Device.External(index);
        var (x, y) = Images(32);
        var managed = TrainCnn(Device.Cpu, x, y);
        var external = TrainCnn(device, x, y);
        Assert.That(external.Weights.Select(w => w.Device), Is.All.EqualTo(device), "AddWeight created the weights on the model's device");
        Assert.That(external.Optimizer!.SlotVariables.Select(s => s.Slot.Device), Is.All.EqualTo(device));
        Assert.That(external.GetWeightValues(), Is.EqualTo(managed.GetWeightValues()), "same bits after Adadelta steps through the fallback");

        using var dir = new TempDirectory();
        external.SaveWeights(dir.File("external"));
        var restored = NewCnn(Device.Cpu);
        restored.Predict(x);
        restored.LoadWeights(dir.File("external"));
        Assert.That(restored.GetWeightValues(), Is.EqualTo(managed.GetWeightValues()), "saved from the external device, loaded on the CPU");

        managed.SaveWeights(dir.File("managed"));
        var reloaded = NewCnn(device);
        reloaded.Predict(x);
        reloaded.LoadWeights(dir.File("managed"));
        Assert.That(reloaded.GetWeightValues(), Is.EqualTo(managed.GetWeightValues()), "saved on the CPU, loaded on the external device");
    }

    [Test]
    public void Moves_BetweenDevicesWithAndWithoutHostMemory_CopyBitForBit()
    {
        var values = Tensor.RandomNormal([3, 5], generator: new RandomGenerator(4));
        var expected = values.ToArray<float>();
        var opaque = values.To(Opaque);
        var otherOpaque = opaque.To(HostArrayBackend.OtherOpaque);   // neither side has host memory: staged on the host
        var withHost = otherOpaque.To(HostArrayBackend.WithHostMemory);
        Assert.That(otherOpaque.Device, Is.EqualTo(HostArrayBackend.OtherOpaque));
        Assert.That(withHost.To(Device.Cpu).ToArray<float>(), Is.EqualTo(expected));

        var variable = new Variable(values, "v");
        variable.MoveTo(Opaque);
        variable.MoveTo(HostArrayBackend.OtherOpaque);
        Assert.That(variable.Device, Is.EqualTo(HostArrayBackend.OtherOpaque));
        Assert.That(variable.Value.ToArray<float>(), Is.EqualTo(expected));
    }

    [Test]
    public void RandomFills_OnAnExternalBackend_DrawTheSameNumbersAsOnTheCpu()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var cpu = Tensor.RandomUniform([7, 3], -1, 1, new RandomGenerator(9), dtype);
            var external = Tensor.RandomUniform([7, 3], -1, 1, new RandomGenerator(9), dtype, Opaque);
            Assert.That(external.Device, Is.EqualTo(Opaque));
            Assert.That(external.Cast(DType.Float64).ToArray<double>(), Is.EqualTo(cpu.Cast(DType.Float64).ToArray<double>()), dtype.Name());
        }
    }

    [Test]
    public void RangeChecks_OnAnExternalBackend_NameTheOffendingValue()
    {
        var table = Tensor.Zeros([4, 2], device: Opaque);
        var gather = Assert.Throws<ArgumentOutOfRangeException>(() => table.Gather(Tensor.FromSpan<long>([1, 4], [2], Opaque)));
        Assert.That(gather!.Message, Does.Contain("index 4 at position 1"));
        Assert.That(table.Gather(Tensor.FromSpan<long>([3, 0], [2], Opaque)).Shape, Is.EqualTo(new Shape(2, 2)));

        var logits = Tensor.Zeros([2, 3], device: Opaque);
        var labels = Tensor.FromSpan<long>([0, 3], [2], Opaque);
        var loss = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.SparseSoftmaxCrossEntropyWithLogits(labels, logits));
        Assert.That(loss!.Message, Does.Contain("label 3 at position 1"));
    }

    /// <summary>Applies six steps of seeded gradients (every seventh element tiny, to reach subnormal moments) to two
    /// variables on <paramref name="device"/>; returns the bits of the variables and slots by name.</summary>
    private static Dictionary<string, long[]> RunSteps(Optimizer optimizer, Device device, DType dtype)
    {
        var rng = new RandomGenerator(17);
        Shape[] shapes = [new(37), new(5, 64)];   // a tail shorter than a vector, and whole vectors
        Tensor Draw(Shape shape, bool tiny)
        {
            var values = new double[shape.Size];
            rng.FillNormal(values, 0, 1);
            double scale = dtype == DType.Float64 ? 1e-307 : 1e-37;
            if (tiny) for (int i = 0; i < values.Length; i += 7) values[i] *= scale;
            return Tensor.FromSpan<double>(values, shape, device).Cast(dtype);
        }
        var variables = shapes.Select((s, i) => new Variable(Draw(s, tiny: false), $"w{i}")).ToArray();
        for (int step = 0; step < 6; step++)
        {
            using var scope = TensorScope.Begin();
            optimizer.Apply([.. shapes.Select(s => Draw(s, tiny: true))], variables);
        }
        long[] Bits(Variable v) => [.. v.Value.Cast(DType.Float64).ToArray<double>().Select(BitConverter.DoubleToInt64Bits)];
        var result = variables.ToDictionary(v => v.Name, Bits);
        foreach (var slot in optimizer.SlotVariables) result[$"{slot.Original.Name}/{slot.SlotName}"] = Bits(slot.Slot);
        return result;
    }

    private static (Tensor X, Tensor Y) Images(int n)
    {
        var x = Tensor.RandomNormal([n, 6, 6, 1], generator: new RandomGenerator(21));
        var y = Tensor.FromSpan<long>([.. Enumerable.Range(0, n).Select(i => (long)(i % 3))], [n]);
        return (x, y);
    }

    private static Sequential NewCnn(Device device)
    {
        var model = new Sequential(
        [
            new Conv2D(4, 3, kernelInitializer: new GlorotUniform(seed: 1)),
            new MaxPooling2D(2),
            new Flatten(),
            new Dense(3, kernelInitializer: new GlorotUniform(seed: 2)),
        ]);
        model.Compile(new Adadelta(1.0), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        model.To(device);
        return model;
    }

    private static Sequential TrainCnn(Device device, Tensor x, Tensor y)
    {
        var model = NewCnn(device);
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, shuffle: false);
        return model;
    }
}
