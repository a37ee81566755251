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

    /// <summary>Adam's first-moment decay rate hyperparameter.</summary>
    public const string Beta1 = "beta_1";

    /// <summary>Adam's second-moment decay rate hyperparameter.</summary>
    public const string Beta2 = "beta_2";

    /// <summary>The legacy time-based learning-rate decay hyperparameter every tf.keras OptimizerV2 saves (always 0 here).</summary>
    public const string Decay = "decay";

    /// <summary>RMSprop's discounting factor hyperparameter.</summary>
    public const string Rho = "rho";

    /// <summary>AdamW's decoupled weight decay hyperparameter (the name TensorFlow Addons' AdamW saves).</summary>
    public const string WeightDecay = "weight_decay";

    /// <summary>SGD's velocity slot and RMSprop's momentum slot; also the momentum hyperparameter of both.</summary>
    public const string Momentum = "momentum";

    /// <summary>RMSprop's moving average of squared gradients.</summary>
    public const string Rms = "rms";

    /// <summary>RMSprop's moving average of gradients (centered variant).</summary>
    public const string Mg = "mg";

    /// <summary>Adadelta's running average of squared gradients (Keras 3's <c>accumulated_grad</c>).</summary>
    public const string AccumulatedGrad = "accum_grad";

    /// <summary>Adadelta's running average of squared updates (Keras 3's <c>accumulated_delta_var</c>).</summary>
    public const string AccumulatedDelta = "accum_var";

    /// <summary>Adagrad's sum of squared gradients.</summary>
    public const string Accumulator = "accumulator";

    /// <summary>Nadam's product of the momentum schedule so far (Keras 3's <c>_u_product</c>).</summary>
    public const string UProduct = "u_product";
}
