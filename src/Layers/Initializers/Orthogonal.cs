using Framework.Tensors;

namespace Framework.Layers;

/// <summary>A (semi-)orthogonal matrix times a gain, the default recurrent-kernel initializer of LSTM and GRU (Keras <c>orthogonal</c>).</summary>
/// <remarks>
/// Keras's algorithm: the weight is viewed as a matrix of <c>rows = product of all but the last dimension</c> by
/// <c>cols = last dimension</c>; a standard normal matrix of <c>(max(rows, cols), min(rows, cols))</c> is drawn, its
/// QR decomposition taken, Q's columns multiplied by the signs of R's diagonal (which makes the result independent of
/// the QR routine and uniformly distributed over orthogonal matrices), Q transposed when <c>rows &lt; cols</c>, and
/// scaled by the gain. Q comes from Gram–Schmidt in float64 with a second orthogonalization pass; Gram–Schmidt
/// already yields R with a positive diagonal, so its Q is the sign-corrected one. Rows (or columns, whichever are
/// fewer) of the result are orthonormal.
/// </remarks>
/// <param name="gain">The multiplier applied to the orthogonal matrix; must be positive.</param>
/// <param name="seed">A seed for reproducible values, or null to draw from <see cref="RandomGenerator.Global"/>.</param>
public sealed class Orthogonal(double gain = 1.0, long? seed = null) : RandomInitializer(seed)
{
    /// <summary>The multiplier applied to the orthogonal matrix.</summary>
    public double Gain { get; } = gain > 0 ? gain
        : throw new ArgumentOutOfRangeException(nameof(gain), gain, $"Orthogonal: gain must be positive; received gain={gain}.");

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ConfigWith(new() { ["gain"] = Gain });

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shape has rank below 2 (Keras accepts only matrices and higher).</exception>
    protected override void Fill(Span<float> values, Shape shape, RandomGenerator generator)
    {
        if (shape.Rank < 2)
            throw new ArgumentException($"Orthogonal needs a weight of rank 2 or more; received shape {shape}.", nameof(shape));
        int cols = shape[-1], rows = shape.Size / Math.Max(1, cols);
        if (values.Length == 0) return;
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        var draws = new float[tall * narrow];
        generator.FillNormal(draws, 0f, 1f);
        var q = OrthonormalColumns(draws, tall, narrow);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                // q holds (tall, narrow) by columns; when rows < cols the weight is its transpose.
                double v = rows >= cols ? q[c * tall + r] : q[r * tall + c];
                values[r * cols + c] = (float)(Gain * v);
            }
        }
    }

    /// <summary>The Q of the QR decomposition with positive R diagonal of the (m, n) row-major matrix a, m ≥ n, returned column by column (column j at <c>[j·m, (j+1)·m)</c>).</summary>
    private static double[] OrthonormalColumns(float[] a, int m, int n)
    {
        var q = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) q[j * m + i] = a[i * n + j];
        for (int j = 0; j < n; j++)
        {
            var column = q.AsSpan(j * m, m);
            // Two passes of modified Gram–Schmidt against the earlier columns keep Q orthogonal to working precision.
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    var previous = q.AsSpan(k * m, m);
                    double dot = System.Numerics.Tensors.TensorPrimitives.Dot<double>(previous, column);
                    for (int i = 0; i < m; i++) column[i] -= dot * previous[i];
                }
            }
            double norm = System.Numerics.Tensors.TensorPrimitives.Norm<double>(column);
            if (norm == 0)
                throw new InvalidOperationException("Orthogonal: the random matrix drawn is rank-deficient; draw again with another seed.");
            System.Numerics.Tensors.TensorPrimitives.Divide(column, norm, column);
        }
        return q;
    }
}
