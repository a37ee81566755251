using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training.Persistence;

/// <summary>Every Keras file in the shared fixtures loads, with the values their ORIGIN.md lists.</summary>
public class KerasFixtureLoadTests
{
    private static float[] First(Variable v, int n = 4) => v.Value.ToArray<float>()[..n];

    [Test]
    public void LoadWeights_Keras2WeightsVlenStrings_ValuesFromOrigin()
    {
        var model = new Sequential([new Dense(9, "relu"), new Dense(9, "softmax")], inputShape: [9]);
        var report = model.LoadWeights(FixturePaths.Fixture("keras2_weights_h5_dense", "weights_iteration.h5"));
        Assert.That(report.IsComplete, Is.True, report.ToString());
        Assert.That(First(model.Layers[0].Weights[0]), Is.EqualTo(new[] { 0.28939834f, -0.1736349f, 0.065567605f, -0.33284444f }));
        Assert.That(First(model.Layers[1].Weights[1], 3), Is.EqualTo(new[] { -0.28217056f, -0.13098626f, -0.34317562f }));
    }

    [Test]
    public void LoadWeights_Keras2WeightsFixedLengthStringsWithDropout_ValuesFromOrigin()
    {
        var model = new Sequential([new Dense(512), new Dense(512), new Dropout(0.5), new Dense(3)], inputShape: [4]);
        var report = model.LoadWeights(FixturePaths.Fixture("keras2_weights_h5_dropout_fixedstr", "iris_weight.h5"));
        Assert.That(report.IsComplete, Is.True, report.ToString());
        Assert.That(First(model.Layers[1].Weights[0]), Is.EqualTo(new[] { -0.036546417f, 0.008520946f, -0.015330888f, -0.044329017f }));
        Assert.That(model.Layers[3].Weights[1].Value.ToArray<float>(), Is.EqualTo(new[] { 0.0016185676f, 0.02360265f, -0.034876246f }));
    }

    [Test]
    public void LoadWeights_Keras3WeightsIntoCompiledModel_RestoresAdamState()
    {
        var model = new Sequential([new Dense(12, "relu"), new Dense(8, "relu"), new Dense(1, "sigmoid")], inputShape: [8]);
        model.Compile(new Adam(), new BinaryCrossentropy());
        var report = model.LoadWeights(FixturePaths.Fixture("keras3_weights_h5", "model.weights.h5"));
        Assert.That(report.IsComplete, Is.True, report.ToString());
        Assert.That(model.Layers[2].Weights[1].Value.ToArray<float>(), Is.EqualTo(new[] { -0.70722103f }));
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 5850L }));
        var kernel0 = model.TrainableWeights[0];
        var m = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, kernel0) && s.SlotName == "m").Slot;
        var v = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, kernel0) && s.SlotName == "v").Slot;
        Assert.That(First(m), Is.EqualTo(new[] { -0.0025002072f, -0.0028053373f, -0.0019334593f, 0.0046746517f }));
        Assert.That(First(v), Is.EqualTo(new[] { 0.0028475458f, 0.019544126f, 0.006622672f, 0.0026038948f }));
    }

    [Test]
    public void Load_Keras21FullModel_ListConfigOldAdamNames_CompiledWithState()
    {
        var model = (Sequential)Model.Load(FixturePaths.Fixture("keras2_full_model_h5_adam_2.1.4", "iris_model.h5"));
        Assert.That(model.Layers.Select(l => ((Dense)l).Units), Is.EqualTo(new[] { 20, 3 }));
        Assert.That(((Dense)model.Layers[1]).Activation, Is.EqualTo("softmax"));
        Assert.That(model.Optimizer, Is.TypeOf<Adam>());
        Assert.That(model.Loss, Is.TypeOf<CategoricalCrossentropy>());
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 900L }));
        Assert.That(First(model.Layers[0].Weights[0]), Is.EqualTo(new[] { 0.2028396f, -0.1416198f, -0.19770515f, 0.29392454f }));
        var m = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, model.TrainableWeights[0]) && s.SlotName == "m").Slot;
        Assert.That(First(m), Is.EqualTo(new[] { 0.13186668f, 0f, 0f, -0.080009244f }));
        var v = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, model.TrainableWeights[0]) && s.SlotName == "v").Slot;
        Assert.That(First(v), Is.EqualTo(new[] { 0.21098544f, 0f, 0f, 0.2824032f }));
    }

    [Test]
    public void Load_TfKerasFullModel_RmsPropState()
    {
        var model = Model.Load(FixturePaths.Fixture("keras2_full_model_h5_rmsprop_tfkeras", "iris_model.h5"));
        Assert.That(model.Optimizer, Is.TypeOf<RmsProp>());
        Assert.That(model.Loss, Is.TypeOf<SparseCategoricalCrossentropy>());
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 300L }));
        var rms = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, model.TrainableWeights[0])).Slot;
        Assert.That(First(rms), Is.EqualTo(new[] { 0f, 0.005175669f, 0f, 0.0030113605f }));
    }

    [Test]
    public void Load_Keras22FullModelSgd_TrainsOn()
    {
        var model = Model.Load(FixturePaths.Fixture("keras2_full_model_h5_sgd", "xor.h5"));
        Assert.That(model.Optimizer, Is.TypeOf<Sgd>());
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(1.0));
        Assert.That(model.Optimizer.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 2000L }));
        Assert.That(model.Weights[1].Value.ToArray<float>(), Is.EqualTo(new[] { -0.97855365f, 1.5454291f, -1.1189175f, -0.79127413f }));
        var x = Tensor.FromSpan<float>([0, 0, 0, 1, 1, 0, 1, 1], new Shape(4, 2));
        var y = Tensor.FromSpan<float>([0, 1, 1, 0], new Shape(4, 1));
        model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        Assert.That(model.Optimizer.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 2001L }));
    }

    [Test]
    public void Load_Keras3LegacyFullModel_InterleavedAdamStateAndLearningRate()
    {
        var model = Model.Load(FixturePaths.Fixture("keras3_legacy_full_model_h5", "model.h5"));
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 3750L }));
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.01f));
        Assert.That(model.Weights[5].Value.ToArray<float>(), Is.EqualTo(new[] { -0.124949865f }));
        var bias0 = model.TrainableWeights[1];
        var v = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, bias0) && s.SlotName == "v").Slot;
        Assert.That(First(v), Is.EqualTo(new[] { 0.000032041666f, 0.000005958877f, 0.0000422118f, 0.00015344404f }));
    }

    [Test]
    public void Load_Keras3Archive_CompiledWithAdamState()
    {
        var model = Model.Load(FixturePaths.Fixture("keras3_keras_archive_small", "model.keras"));
        Assert.That(model.Loss, Is.TypeOf<BinaryCrossentropy>());
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 1300L }));
        Assert.That(model.Weights[3].Value.ToArray<float>(), Is.EqualTo(new[] { 0.0788219f }));
        var kernel1 = model.TrainableWeights[2];
        var m = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, kernel1) && s.SlotName == "m").Slot;
        Assert.That(First(m), Is.EqualTo(new[] { -0.022775766f, 0.017408177f, -0.0030833844f, 0.0011833534f }));
    }

    [Test]
    public void Load_Keras39ArchiveWithDropoutAndLeakyRelu_ValuesAndAdamState()
    {
        var model = (Sequential)Model.Load(FixturePaths.Fixture("keras3_keras_archive_dropout", "final_model.keras"));
        Assert.That(model.Layers.Select(l => l.GetType().Name), Is.EqualTo(new[] { "Dense", "Dropout", "Dense", "LeakyReLU", "Dense", "LeakyReLU", "Dense" }));
        Assert.That(model.Loss, Is.TypeOf<MeanSquaredError>());
        Assert.That(model.Optimizer!.Iterations.Value.ToArray<long>(), Is.EqualTo(new[] { 21600L }));
        Assert.That(First(model.Layers[0].Weights[0]), Is.EqualTo(new[] { -1.3490441f, 0.39645234f, -1.1934034f, -1.5625393f }));
        Assert.That(model.Layers[6].Weights[1].Value.ToArray<float>(), Is.EqualTo(new[] { 0.20310135f, 0.117633544f }));
        var bias3 = model.TrainableWeights[7];
        var v = model.Optimizer.SlotVariables.Single(s => ReferenceEquals(s.Original, bias3) && s.SlotName == "v").Slot;
        Assert.That(v.Value.ToArray<float>(), Is.EqualTo(new[] { 0.00010277373f, 0.000035527202f }));
    }

    [Test]
    public void LoadWeights_KerasSavedModelVariables_StrictIgnoresKerasApiMetricState()
    {
        var model = new Sequential([new Flatten(), new Dense(100, "relu"), new Dense(10, "softmax")], inputShape: [28, 28]);
        var report = model.LoadWeights(FixturePaths.Fixture("keras_savedmodel_vars_mnist_mlp", "variables"));
        Assert.That(report.Matched, Has.Count.EqualTo(4));
        Assert.That(First(model.Layers[1].Weights[0]), Is.EqualTo(new[] { -0.038003013f, 0.024796717f, 0.03240955f, 0.062201887f }));
    }
}
