namespace Framework.Optimizers;

/// <summary>Names of optimizer state as TensorFlow's Keras optimizers write them into checkpoints.</summary>
/// <remarks>These strings are part of the checkpoint file format: changing one breaks compatibility with tf.keras.</remarks>
public static class OptimizerNames
{
    /// <summary>The iteration counter.</summary>
    public const string Iterations = "iter";

    /// <summary>The learning-rate hyperparameter.</summary>
    public const string LearningRate = "learning_rate";

    /// <summary>Adam's first-moment slot.</summary>
    public const string FirstMoment = "m";

    /// <summary>Adam's second-moment slot.</summary>
    public const string SecondMoment = "v";

    /// <summary>AMSGrad's running maximum of the second moment.</summary>
    public const string MaxSecondMoment = "vhat";

    /// <summary>SGD's momentum slot.</summary>
    public const string Momentum = "momentum";

    /// <summary>RMSprop's moving average of squared gradients.</summary>
    public const string Rms = "rms";

    /// <summary>RMSprop's moving average of gradients (centered variant).</summary>
    public const string Mg = "mg";
}
