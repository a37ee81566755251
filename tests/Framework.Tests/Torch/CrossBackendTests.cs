using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Torch;

/// <summary>Choosing the backend with one line, and checkpoints that do not depend on the backend that wrote them.</summary>
public class CrossBackendTests
{
    private static Sequential NewModel() => new([new TestLinear(8, seed: 11), new TestRelu(), new TestLinear(2, seed: 12)]);

    private static Sequential Compiled(Device device)
    {
        var model = NewModel();
        model.Compile(new Adam(learningRate: 0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new Accuracy()]);
        model.To(device);
        return model;
    }

    [TestCase(DeviceType.TorchCpu, DeviceType.Cpu)]
    [TestCase(DeviceType.Cpu, DeviceType.TorchCpu)]
    public void SaveWeights_OnOneBackend_LoadsBitIdenticallyOnTheOther(DeviceType trainedOn, DeviceType loadedOn)
    {
        var (x, y) = ToyData.Blobs(64);
        var trained = Compiled(new Device(trainedOn, 0));
        trained.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        using var dir = new TempDirectory();
        trained.SaveWeights(dir.File("w"));

        var loaded = Compiled(new Device(loadedOn, 0));
        loaded.Predict(x);                                    // builds the weights on the loading backend
        loaded.Optimizer!.BuildFor(loaded.TrainableWeights);  // and the optimizer's slots
        loaded.LoadWeights(dir.File("w"));
        Assert.That(loaded.Weights.Select(w => w.Device), Is.All.EqualTo(new Device(loadedOn, 0)));
        Assert.That(loaded.GetWeightValues(), Is.EqualTo(trained.GetWeightValues()), "bit-identical weights");
        var slots = (trained.Optimizer!.SlotVariables.ToArray(), loaded.Optimizer!.SlotVariables.ToArray());
        Assert.That(slots.Item2, Has.Length.EqualTo(slots.Item1.Length).And.Length.GreaterThan(0));
        for (int i = 0; i < slots.Item1.Length; i++)
            Assert.That(slots.Item2[i].Slot.Value.ToArray<float>(), Is.EqualTo(slots.Item1[i].Slot.Value.ToArray<float>()), slots.Item1[i].Slot.Name);
    }

    [Test]
    public void ModelTo_MovesWeightsAndSlots_AndTrainingContinuesFromTheSameValues()
    {
        RandomGenerator.SetGlobalSeed(11);   // the initial weights and shuffles do not depend on which tests ran before
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled(Device.Cpu);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        var before = model.GetWeightValues();

        model.To(Device.TorchCpu);
        Assert.That(model.Device, Is.EqualTo(Device.TorchCpu));
        Assert.That(model.Weights.Select(w => w.Device), Is.All.EqualTo(Device.TorchCpu));
        Assert.That(model.Optimizer!.SlotVariables.Select(s => s.Slot.Device), Is.All.EqualTo(Device.TorchCpu));
        Assert.That(model.GetWeightValues(), Is.EqualTo(before), "moving copies bit for bit");

        // Host data: Fit, Evaluate and Predict move each batch to the model's device.
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][2], Is.LessThan(history["loss"][0]));
        var logs = model.Evaluate(x, y, verbose: 0);
        Assert.That(logs["accuracy"], Is.GreaterThan(0.9));
        var predictions = model.Predict(x);
        Assert.That(predictions.Device, Is.EqualTo(Device.TorchCpu));
        Assert.That(predictions.Shape, Is.EqualTo(new Shape(64, 2)));
    }

    [Test]
    public void SameTraining_OnBothBackends_AgreesWithinFloat32Rounding()
    {
        // libtorch sums in another order and uses other exp/log kernels: after 8 Adam steps the weights differ by
        // rounding only, which stays far below 1e-4 on values of order 1 (a wrong kernel would differ by ~1e-2).
        var (x, y) = ToyData.Blobs(64);
        RandomGenerator.SetGlobalSeed(5);
        var managed = Compiled(Device.Cpu);
        managed.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, shuffle: false);
        var torch = Compiled(Device.TorchCpu);
        torch.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, shuffle: false);
        var (a, b) = (managed.GetWeightValues(), torch.GetWeightValues());
        for (int i = 0; i < a.Count; i++)
            TensorAssert.AllClose([.. a[i].Select(v => (double)v)], [.. b[i].Select(v => (double)v)], 1e-4, 1e-4, $" (weight {i})");
    }

    [Test]
    public void TensorTo_RoundTripsEveryDType()
    {
        var values = Tensor.FromArray(new double[] { 1.5, -2.25, 3e-310, double.MaxValue });
        var back = values.To(Device.TorchCpu).To(Device.Cpu);
        Assert.That(back.ToArray<double>(), Is.EqualTo(values.ToArray<double>()));
        var ints = Tensor.FromArray(new long[] { long.MinValue, 0, long.MaxValue });
        Assert.That(ints.To(Device.TorchCpu).ToArray<long>(), Is.EqualTo(ints.ToArray<long>()));
        var flags = Tensor.FromArray(new bool[] { true, false, true });
        Assert.That(flags.To(Device.TorchCpu).ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
    }

    [Test]
    public void Cuda_WithoutACudaLibtorch_KeepsTheClearError()
    {
        if (Framework.Torch.TorchDevices.CudaAvailable) Assert.Ignore("A CUDA libtorch and GPU are present here; this checks the error without them.");
        var ex = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], device: Device.Cuda(0)));
        Assert.That(ex!.Message, Does.Contain("cuda:0").And.Contain("CUDA"));
    }

    [Test]
    public void Cuda_WhenPresent_TrainsLikeTheCpu()
    {
        if (!Framework.Torch.TorchDevices.CudaAvailable)
            Assert.Ignore("No CUDA libtorch or NVIDIA GPU here: the tests reference TorchSharp-cpu. Reference a CUDA TorchSharp package on a GPU machine to run this.");
        var (x, y) = ToyData.Blobs(64);
        var model = Compiled(Device.Cuda(0));
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][2], Is.LessThan(history["loss"][0]));
        Assert.That(model.Weights.Select(w => w.Device), Is.All.EqualTo(Device.Cuda(0)));
    }
}
