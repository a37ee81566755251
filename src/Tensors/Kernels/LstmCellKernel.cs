using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Framework.Tensors.Kernels;

/// <summary>The pointwise part of one LSTM step and its gradient, row by row, in Keras's gate order i, f, c, o.</summary>
/// <remarks>
/// A row of gates holds <c>4·units</c> values: input gate i, forget gate f, candidate g (Keras's "c" gate) and output
/// gate o, each <c>units</c> wide. The forward pass keeps the activated gates, which is all the backward pass needs
/// besides the cell states (tanh of the cell is recomputed rather than stored).
/// </remarks>
internal static partial class LstmCellKernel
{
    /// <summary>gates = act(gates + recurrentGates + bias) in place; c = f·cPrev + i·g; h = o·tanh(c). An empty bias means none.</summary>
    public static void Forward<T>(Span<T> gates, ReadOnlySpan<T> recurrentGates, ReadOnlySpan<T> bias, ReadOnlySpan<T> previousCell,
        Span<T> cell, Span<T> hidden, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && UsesAvx512(units))
        {
            ForwardAvx512(AsFloat(gates), AsReadOnlyFloat(recurrentGates), AsReadOnlyFloat(bias), AsReadOnlyFloat(previousCell), AsFloat(cell), AsFloat(hidden), units);
            return;
        }
        TensorPrimitives.Add(gates, recurrentGates, gates);
        int rows = cell.Length / units;
        for (int b = 0; b < rows; b++)
        {
            var row = gates.Slice(b * 4 * units, 4 * units);
            if (!bias.IsEmpty) TensorPrimitives.Add(row, bias, row);
            var ifGates = row[..(2 * units)];
            var candidate = row.Slice(2 * units, units);
            var output = row.Slice(3 * units, units);
            TensorPrimitives.Sigmoid(ifGates, ifGates);
            TensorPrimitives.Tanh(candidate, candidate);
            TensorPrimitives.Sigmoid(output, output);
            var c = cell.Slice(b * units, units);
            var h = hidden.Slice(b * units, units);
            TensorPrimitives.Multiply(row[..units], candidate, c);
            TensorPrimitives.FusedMultiplyAdd(row.Slice(units, units), previousCell.Slice(b * units, units), c, c);
            TensorPrimitives.Tanh(c, h);
            TensorPrimitives.Multiply(output, h, h);
        }
    }

    /// <summary>
    /// From the activated gates, the previous and current cell, and the gradients of h and c (c's including what flows
    /// back from the next step), the gradients of the pre-activation gates and of the previous cell.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> previousCell, ReadOnlySpan<T> cell,
        ReadOnlySpan<T> hiddenGrad, ReadOnlySpan<T> cellGrad, Span<T> gatesGrad, Span<T> previousCellGrad, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && UsesAvx512(units))
        {
            BackwardAvx512(AsReadOnlyFloat(gates), AsReadOnlyFloat(previousCell), AsReadOnlyFloat(cell), AsReadOnlyFloat(hiddenGrad), AsReadOnlyFloat(cellGrad), AsFloat(gatesGrad),
                AsFloat(previousCellGrad), units);
            return;
        }
        int rows = cell.Length / units;
        Span<T> tanhCell = units <= 1024 ? stackalloc T[units] : new T[units];
        for (int b = 0; b < rows; b++)
        {
            int r = b * units, g = 4 * b * units;
            TensorPrimitives.Tanh(cell.Slice(r, units), tanhCell);
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var one = Vector<T>.One;
                for (; j <= units - Vector<T>.Count; j += Vector<T>.Count)
                {
                    var i = new Vector<T>(gates[(g + j)..]);
                    var f = new Vector<T>(gates[(g + units + j)..]);
                    var cand = new Vector<T>(gates[(g + 2 * units + j)..]);
                    var o = new Vector<T>(gates[(g + 3 * units + j)..]);
                    var tc = new Vector<T>(tanhCell[j..]);
                    var dh = new Vector<T>(hiddenGrad[(r + j)..]);
                    var dc = new Vector<T>(cellGrad[(r + j)..]) + dh * o * (one - tc * tc);
                    (dh * tc * o * (one - o)).CopyTo(gatesGrad[(g + 3 * units + j)..]);
                    (dc * cand * i * (one - i)).CopyTo(gatesGrad[(g + j)..]);
                    (dc * new Vector<T>(previousCell[(r + j)..]) * f * (one - f)).CopyTo(gatesGrad[(g + units + j)..]);
                    (dc * i * (one - cand * cand)).CopyTo(gatesGrad[(g + 2 * units + j)..]);
                    (dc * f).CopyTo(previousCellGrad[(r + j)..]);
                }
            }
            for (; j < units; j++)
            {
                T i = gates[g + j], f = gates[g + units + j], cand = gates[g + 2 * units + j], o = gates[g + 3 * units + j];
                T tc = tanhCell[j], dh = hiddenGrad[r + j];
                T dc = cellGrad[r + j] + dh * o * (T.One - tc * tc);
                gatesGrad[g + 3 * units + j] = dh * tc * o * (T.One - o);
                gatesGrad[g + j] = dc * cand * i * (T.One - i);
                gatesGrad[g + units + j] = dc * previousCell[r + j] * f * (T.One - f);
                gatesGrad[g + 2 * units + j] = dc * i * (T.One - cand * cand);
                previousCellGrad[r + j] = dc * f;
            }
        }
    }

    private static Span<float> AsFloat<T>(Span<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private static ReadOnlySpan<float> AsReadOnlyFloat<T>(ReadOnlySpan<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);
}
