using System.Globalization;

namespace Framework.Tensors;

/// <summary>Process-wide setting for how many CPU threads one kernel call may use.</summary>
/// <remarks>
/// Kernels split their work across a pool of background workers; the calling thread always takes part.
/// Results never depend on the thread count: the matrix-multiply kernels block the computation the same way
/// for any value, so a model trains bit-identically with 1 or 16 threads.
/// </remarks>
public static class Threading
{
    private const string EnvironmentVariable = "FRAMEWORK_NUM_THREADS";
    private static int s_maxThreads = DefaultFrom(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Gets or sets the largest number of threads, the calling thread included, that one kernel call uses.</summary>
    /// <value>
    /// At least 1. Defaults to the <c>FRAMEWORK_NUM_THREADS</c> environment variable when it holds a positive integer,
    /// otherwise to <see cref="Environment.ProcessorCount"/>.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Threading.MaxThreads must be at least 1; received {value}.");
            Volatile.Write(ref s_maxThreads, value);
        }
    }

    // An unusable variable falls back to the processor count rather than failing the type initializer,
    // which would surface as a confusing TypeInitializationException on the first tensor operation.
    internal static int DefaultFrom(string? text)
    {
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : Environment.ProcessorCount;
    }
}
