using System.Text.Json;
using Framework.Layers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Helpers;
using Framework.Tests.Saving;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Layers;

/// <summary>LSTM and GRU as Keras users know them: weights, defaults, options, configuration, keys, saving and errors.</summary>
public class RecurrentLayerTests
{
    private static Tensor Input(int batch = 2, int steps = 5, int features = 3, int seed = 1) =>
        GradientChecker.Random(seed, -1, 1, batch, steps, features).Cast(DType.Float32);

    [Test]
    public void Lstm_Build_KerasShapesAndDefaultInitializers()
    {
        var lstm = new Lstm(8);
        var y = lstm.Apply(Input());
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 8)));
        Assert.That(lstm.Weights.Select(w => (w.Name, w.Shape)), Is.EqualTo(new[]
        {
            ("lstm_cell/kernel", new Shape(3, 32)), ("lstm_cell/recurrent_kernel", new Shape(8, 32)), ("lstm_cell/bias", new Shape(32)),
        }));
        // Unit forget bias: the f block (8…15) is 1, the others zeros.
        Assert.That(lstm.Cell.Bias!.Value.ToArray<float>(), Is.EqualTo(Enumerable.Range(0, 32).Select(i => i is >= 8 and < 16 ? 1f : 0f)));
        Assert.That(lstm.Cell.RecurrentInitializer, Is.InstanceOf<Orthogonal>());
        Assert.That(lstm.Cell.KernelInitializer, Is.InstanceOf<GlorotUniform>());
        var r = lstm.Cell.RecurrentKernel.Value;
        TensorAssert.AllClose([.. Enumerable.Range(0, 64).Select(i => i % 9 == 0 ? 1.0 : 0.0)], r.MatMul(r.Transpose()), atol: 1e-5);
    }

    [Test]
    public void Gru_Build_KerasShapes_BothResetModes()
    {
        var after = new Gru(6);
        after.Apply(Input());
        Assert.That(after.Weights.Select(w => (w.Name, w.Shape)), Is.EqualTo(new[]
        {
            ("gru_cell/kernel", new Shape(3, 18)), ("gru_cell/recurrent_kernel", new Shape(6, 18)), ("gru_cell/bias", new Shape(2, 18)),
        }));
        var before = new Gru(6, resetAfter: false, useBias: true);
        before.Apply(Input());
        Assert.That(before.Cell.Bias!.Shape, Is.EqualTo(new Shape(18)));
        var noBias = new Gru(6, useBias: false);
        noBias.Apply(Input());
        Assert.That(noBias.Weights, Has.Count.EqualTo(2));
    }

    [Test]
    public void Lstm_FusedAndComposedPaths_AgreeInFloat32OnWideVectors()
    {
        // units = 10 exercises the float kernels' 8-wide vector loop and tail; the composed path is plain tensor ops.
        RandomGenerator.SetGlobalSeed(3);
        var fused = new Lstm(10, returnSequences: true);
        var x = Input(3, 6, 4);
        fused.Apply(x);
        var composed = new Lstm(10, returnSequences: true);
        composed.Apply(x);
        composed.Cell.UseFusedKernels = false;
        for (int i = 0; i < 3; i++) composed.Weights[i].Assign(fused.Weights[i].Value);
        var (yf, yc) = (fused.Apply(x, training: true), composed.Apply(x, training: true));
        TensorAssert.AllClose(yc, yf, atol: 1e-6);
        (yf * yf).Sum().Backward();
        (yc * yc).Sum().Backward();
        for (int i = 0; i < 3; i++) TensorAssert.AllClose(composed.Weights[i].Grad!, fused.Weights[i].Grad!, atol: 1e-5);
    }

    [Test]
    public void Lstm_ReturnSequencesFalse_IsLastStepOfSequences()
    {
        var all = new Lstm(4, returnSequences: true);
        var x = Input();
        var sequences = all.Apply(x);
        var last = new Lstm(4);
        last.Apply(x);
        for (int i = 0; i < 3; i++) last.Weights[i].Assign(all.Weights[i].Value);
        TensorAssert.AllClose(sequences.Slice(1, 4, 1).Reshape(2, 4), last.Apply(x));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void GoBackwards_EqualsForwardOverReversedInput(bool lstm)
    {
        RecurrentLayer Make(bool backwards) => lstm ? new Lstm(4, returnSequences: true, goBackwards: backwards) : new Gru(4, returnSequences: true, goBackwards: backwards);
        var x = Input();
        var backwards = Make(true);
        var y = backwards.Apply(x);
        var forwards = Make(false);
        forwards.Apply(x);
        for (int i = 0; i < backwards.Weights.Count; i++) forwards.Weights[i].Assign(backwards.Weights[i].Value);
        var reversed = x.Transpose(1, 0, 2).Gather(Tensor.FromArray(new long[] { 4, 3, 2, 1, 0 })).Transpose(1, 0, 2);
        TensorAssert.AllClose(forwards.Apply(reversed), y);
    }

    [Test]
    public void ApplyWithStates_ReturnsFinalStatesAndContinuesFromInitialOnes()
    {
        var lstm = new Lstm(4, returnState: true);
        var x = Input(steps: 6);
        var whole = lstm.ApplyWithStates(x);
        Assert.That(whole.States, Has.Count.EqualTo(2));
        TensorAssert.AllClose(whole.Output, whole.States[0]);
        // Six steps at once equal three steps, then three more from the states reached.
        var first = lstm.ApplyWithStates(x.Slice(1, 0, 3));
        var second = lstm.ApplyWithStates(x.Slice(1, 3, 3), first.States);
        TensorAssert.AllClose(whole.States[1], second.States[1], atol: 1e-6);
        var e = Assert.Throws<ArgumentException>(() => lstm.ApplyWithStates(x, [whole.States[0]]));
        Assert.That(e!.Message, Does.Contain("takes 2 initial states"));
    }

    [Test]
    public void Apply_Rank2Input_ErrorNamesLayerAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new Lstm(4, name: "encoder").Apply(Tensor.Zeros([2, 3])));
        Assert.That(e!.Message, Does.Contain("encoder").And.Contain("(2, 3)"));
    }

    [TestCase("LSTM")]
    [TestCase("GRU")]
    public void Config_RoundTripsThroughJsonAndRegistry(string className)
    {
        Layer layer = className == "LSTM"
            ? new Lstm(7, unitForgetBias: false, returnSequences: true, goBackwards: true, recurrentInitializer: new Orthogonal(gain: 2, seed: 1))
            : new Gru(7, resetAfter: false, returnState: true, activation: "relu");
        var json = JsonSerializer.Serialize(layer.GetConfig());
        var again = LayerRegistry.Create(className, JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!);
        Assert.That(LayerRegistry.GetClassName(again), Is.EqualTo(className));
        Assert.That(JsonSerializer.Serialize(again.GetConfig()), Is.EqualTo(json));
        Assert.That(json, Does.Contain("\"recurrent_initializer\"").And.Contain("\"return_sequences\""));
    }

    [Test]
    public void FromConfig_Dropout_RejectedByName()
    {
        var e = Assert.Throws<NotSupportedException>(() => LayerRegistry.Create("LSTM", new Dictionary<string, object?> { ["units"] = 4, ["name"] = "l", ["dropout"] = 0.2 }));
        Assert.That(e!.Message, Does.Contain("'dropout'"));
    }

    [Test]
    public void SaveWeights_KeysAreKerasCellKeys_AndRestore()
    {
        var model = new Sequential([new Lstm(4), new Dense(1)], inputShape: [5, 3]);
        using var dir = new TempDirectory();
        model.SaveWeights(dir.File("w"));
        using (var reader = new CheckpointReader(dir.File("w")))
        {
            var keys = reader.ListVariables().Select(v => v.Key).ToArray();
            Assert.That(keys, Is.SupersetOf(new[] { "kernel", "recurrent_kernel", "bias" }.Select(w => $"layer_with_weights-0/cell/{w}/.ATTRIBUTES/VARIABLE_VALUE")));
        }
        var fresh = new Sequential([new Lstm(4), new Dense(1)], inputShape: [5, 3]);
        fresh.LoadWeights(dir.File("w"));
        var x = Input();
        Assert.That(fresh.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }

    [Test]
    public void ModelSaveLoad_LstmAndGru_PredictIdentically_AndSummaryShowsShapes()
    {
        var model = new Sequential([new Lstm(6, returnSequences: true), new Gru(5), new Dense(2)], inputShape: [5, 3]);
        using var dir = new SaveDirectory();
        model.Save(dir.ModelPath);
        var loaded = Model.Load(dir.ModelPath);
        var x = Input();
        Assert.That(loaded.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        var text = new StringWriter();
        ((Sequential)loaded).Summary(text);
        // LSTM: 4·6·(3 + 6 + 1) = 240; GRU (reset_after): 3·5·(6 + 5) + 2·15 = 195.
        Assert.That(text.ToString(), Does.Contain("(None, 5, 6)").And.Contain("240").And.Contain("(None, 5)").And.Contain("195"));
    }
}
