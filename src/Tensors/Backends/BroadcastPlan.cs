namespace Framework.Tensors.Backends;

/// <summary>How to walk a contiguous output and its broadcast inputs as runs of contiguous (or repeated) elements.</summary>
/// <remarks>
/// Adjacent dimensions are merged whenever every operand is contiguous across them, so the common cases collapse to
/// one long run (same shapes), one run with a scalar (x + 1), or rows (a bias added to every row of a batch). Each
/// run's elements are either contiguous in an operand (stride 1) or one repeated element (stride 0), which is what
/// vectorised span kernels need.
/// </remarks>
internal sealed class BroadcastPlan
{
    private readonly int[] _outerDims;
    private readonly int[][] _outerStrides; // per operand (index 0 = the output), per outer dimension

    private BroadcastPlan(int inner, int[] outerDims, int[][] outerStrides, bool[] innerRepeated)
    {
        Inner = inner;
        _outerDims = outerDims;
        _outerStrides = outerStrides;
        InnerRepeated = innerRepeated;
        int runs = 1;
        foreach (int d in outerDims) runs *= d;
        Runs = inner == 0 ? 0 : runs;
    }

    /// <summary>Elements per run.</summary>
    public int Inner { get; }

    /// <summary>Number of runs.</summary>
    public int Runs { get; }

    /// <summary>Per operand (0 = output): true when a run reads one element repeatedly (stride 0).</summary>
    public bool[] InnerRepeated { get; }

    /// <summary>Plans the walk of <paramref name="output"/> with <paramref name="inputs"/> broadcast to it.</summary>
    public static BroadcastPlan Create(Shape output, params ReadOnlySpan<Shape> inputs)
    {
        int rank = output.Rank, count = inputs.Length + 1;
        var strides = new int[count][];
        strides[0] = output.Strides();
        for (int k = 0; k < inputs.Length; k++)
        {
            var s = new int[rank];
            var dims = inputs[k].Dims;
            int pad = rank - dims.Length, stride = 1;
            for (int i = dims.Length - 1; i >= 0; i--)
            {
                s[i + pad] = dims[i] == 1 && output.Dims[i + pad] != 1 ? 0 : stride;
                stride *= dims[i];
            }
            strides[k + 1] = s;
        }

        // Merge dimensions from the innermost outwards; dimensions of size 1 vanish.
        var mergedDims = new List<int>();
        var mergedStrides = new List<int[]>();
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = output.Dims[i];
            if (d == 1) continue;
            if (mergedDims.Count > 0)
            {
                int last = mergedDims.Count - 1;
                bool mergeable = true;
                for (int k = 0; k < count && mergeable; k++)
                    mergeable = strides[k][i] == mergedStrides[last][k] * mergedDims[last];
                if (mergeable)
                {
                    mergedDims[last] *= d;
                    continue;
                }
            }
            mergedDims.Add(d);
            var st = new int[count];
            for (int k = 0; k < count; k++) st[k] = strides[k][i];
            mergedStrides.Add(st);
        }

        if (mergedDims.Count == 0)
            return new BroadcastPlan(output.Size == 0 ? 0 : 1, [], NewJagged(count, 0), new bool[count]);

        int inner = mergedDims[0];
        var innerRepeated = new bool[count];
        for (int k = 0; k < count; k++) innerRepeated[k] = mergedStrides[0][k] == 0;
        int outerRank = mergedDims.Count - 1;
        var outerDims = new int[outerRank];
        var outerStrides = NewJagged(count, outerRank);
        for (int j = 0; j < outerRank; j++)
        {
            // mergedDims is innermost-first; outer dimensions are stored outermost-first.
            outerDims[j] = mergedDims[outerRank - j];
            for (int k = 0; k < count; k++) outerStrides[k][j] = mergedStrides[outerRank - j][k];
        }
        return new BroadcastPlan(inner, outerDims, outerStrides, innerRepeated);
    }

    /// <summary>Writes the starting element offset of run <paramref name="run"/> for every operand.</summary>
    public void Offsets(int run, Span<int> offsets)
    {
        offsets.Clear();
        for (int j = _outerDims.Length - 1; j >= 0; j--)
        {
            int d = _outerDims[j], index = run % d;
            run /= d;
            for (int k = 0; k < offsets.Length; k++) offsets[k] += index * _outerStrides[k][j];
        }
    }

    private static int[][] NewJagged(int count, int length)
    {
        var result = new int[count][];
        for (int k = 0; k < count; k++) result[k] = new int[length];
        return result;
    }
}
