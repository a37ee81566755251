using Framework.Layers;
using Framework.Optimizers;
using Framework.Tensors;
using Framework.Tests.Training.Persistence;
using Framework.Training;

namespace Framework.Tests.Docs;

/// <summary>The guide's snippet on registering custom optimizers, losses and metrics.</summary>
public partial class SavingGuideTests
{
    private static Model RegistrationSnippet(Sequential model)
    {
        // Snippet: custom-compile-registration
        OptimizerRegistry.Register("HeavyBall", config => new HeavyBall(
            ConfigReader.GetDouble(config, "learning_rate", 0.05), ConfigReader.GetDouble(config, "beta", 0.8)));
        LossRegistry.Register("ScaledMse", config => new ScaledMse(ConfigReader.GetDouble(config, "scale", 1.0)), "scaled_mse");
        MetricRegistry.Register("MeanAbsPrediction", config => new MeanAbsPrediction(ConfigReader.GetDouble(config, "offset", 0)));

        model.Compile(new HeavyBall(0.03, beta: 0.7), new ScaledMse(2.5), [new MeanAbsPrediction(0.25)]);
        model.Save("run.keras");                 // or "run.h5", or a directory
        var restored = Model.Load("run.keras");  // compiled with a HeavyBall, a ScaledMse and a MeanAbsPrediction
        // End of snippet.
        return restored;
    }

    [Test]
    public void CustomCompileRegistration_SaveAndLoad_CompilesWithTheCustomClassesAndConfigs()
    {
        var (x, _) = Data();
        var model = new Sequential([new Dense(3, activation: "relu"), new Dense(2)], inputShape: [x.Shape[1]]);
        var restored = RegistrationSnippet(model);
        Assert.That(restored.Optimizer, Is.TypeOf<HeavyBall>().With.Property(nameof(HeavyBall.Beta)).EqualTo(0.7));
        Assert.That(restored.Loss, Is.TypeOf<ScaledMse>().With.Property(nameof(ScaledMse.Scale)).EqualTo(2.5));
        Assert.That(restored.Metrics.Single(), Is.TypeOf<MeanAbsPrediction>().With.Property(nameof(MeanAbsPrediction.Offset)).EqualTo(0.25));
        Assert.That(restored.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
    }
}
