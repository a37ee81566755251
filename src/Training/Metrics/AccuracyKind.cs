namespace Framework.Training;

/// <summary>Which comparison <see cref="Accuracy"/> makes.</summary>
public enum AccuracyKind
{
    /// <summary>Choose from the shapes of the first batch, as Keras's <c>"accuracy"</c> does.</summary>
    Auto,

    /// <summary>Integer labels against the arg-max of class scores.</summary>
    Sparse,

    /// <summary>One-hot targets against class scores, both by arg-max.</summary>
    Categorical,

    /// <summary>0/1 targets against predictions thresholded at 0.5.</summary>
    Binary,
}
