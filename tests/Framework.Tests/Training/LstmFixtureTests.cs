using Framework.Layers;
using Framework.Optimizers;
using Framework.Serialization;
using Framework.Tensors;
using Framework.Tests.Serialization;
using Framework.Training;

namespace Framework.Tests.Training;

/// <summary>Keras's Sequential(LSTM(32), Dense(1)) SavedModel variables (fixture keras_savedmodel_vars_lstm) into the same model here.</summary>
public class LstmFixtureTests
{
    private static string Prefix => FixturePaths.Fixture("keras_savedmodel_vars_lstm", "variables");

    private static Sequential Model() => new([new Lstm(32), new Dense(1)], inputShape: [7, 3]);

    [Test]
    public void LoadWeights_KerasLstmSavedModel_ValuesFromOrigin()
    {
        var model = Model();
        // Strict (default) loading skips the metric variables under keras_api/, as Keras's own loader does.
        var report = model.LoadWeights(Prefix);
        Assert.That(report.Missing, Is.Empty);
        Assert.That(report.Matched, Has.Count.EqualTo(5));

        // Keras keys the LSTM's weights variables/0…2 (their first path in the SavedModel's graph); the match follows
        // the object graph to layer_with_weights-0/cell/{kernel, recurrent_kernel, bias}.
        var cell = ((Lstm)model.Layers[0]).Cell;
        Assert.That(cell.Kernel.Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.042379137f, -0.10382442f, 0.12972207f, 0.14533602f }));
        Assert.That(cell.RecurrentKernel.Value.ToArray<float>()[..4], Is.EqualTo(new[] { 0.067697614f, -0.04060637f, -0.057699002f, -0.07259652f }));
        Assert.That(cell.Bias!.Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.0049920157f, -0.009661067f, 0.010140669f, -0.008957874f }));
        var dense = model.Layers[1].Weights;
        Assert.That(dense[0].Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.21711817f, 0.40458935f, 0.113708176f, -0.38518882f }));
        Assert.That(dense[1].Value.ToArray<float>(), Is.EqualTo(new[] { -0.009985654f }));

        // Trained with unit_forget_bias: the forget block of the bias is still near 1 after 10 steps.
        var forget = cell.Bias.Value.ToArray<float>()[32..64];
        Assert.That(forget.Average(), Is.EqualTo(1).Within(0.05));
        var y = model.Predict(Tensor.Ones([2, 7, 3]));
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 1)));
    }

    [Test]
    public void LoadWeights_CompiledWithAdam_RestoresNewLayoutSlotsAndIterations()
    {
        var model = Model();
        model.Compile(new Adam(), new MeanSquaredError());
        model.LoadWeights(Prefix, strict: false);
        var adam = model.Optimizer!;
        var kernel = ((Lstm)model.Layers[0]).Cell.Kernel;
        Variable SlotOf(Variable v, string name) => adam.SlotVariables.Single(s => ReferenceEquals(s.Original, v) && s.SlotName == name).Slot;
        Assert.That(adam.Iterations.Value.Item<long>(), Is.EqualTo(10));
        Assert.That(SlotOf(kernel, "m").Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.005693757f, -0.0054706144f, 0.0015699174f, -0.0037881755f }));
        var recurrent = ((Lstm)model.Layers[0]).Cell.RecurrentKernel;
        Assert.That(SlotOf(recurrent, "m").Value.ToArray<float>()[..4], Is.EqualTo(new[] { -0.00036102222f, -0.00019058987f, 0.000069919384f, -0.00006357717f }));
        Assert.That(SlotOf(model.Layers[1].Weights[1], "m").Value.ToArray<float>(), Is.EqualTo(new[] { 0.43416858f }));
    }
}
