using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Runs an LSTM over a whole time-major sequence whose input projection is already computed, returning every
    /// hidden and cell state: <c>states[0, t]</c> is h after step t and <c>states[1, t]</c> is c after step t.
    /// </summary>
    /// <remarks>
    /// <para>For each step t: <c>z = projectedInputs[t] + h·recurrentKernel</c>, gates in Keras's order i, f, c, o with
    /// σ on i, f, o and tanh on the candidate, <c>c = f·c + i·candidate</c>, <c>h = o·tanh(c)</c>.
    /// <c>projectedInputs</c> is <c>x·kernel + bias</c> for all steps at once, so the only per-step product is the
    /// recurrent one; the pointwise part of a step is one fused kernel.</para>
    /// <para>The gradient is one backward-through-time sweep: per step a fused pointwise kernel and one product with
    /// the recurrent kernel's transpose; the recurrent kernel's gradient is then one product over all steps.</para>
    /// </remarks>
    /// <param name="projectedInputs">(steps, batch, 4·units), float32 or float64.</param>
    /// <param name="recurrentKernel">(units, 4·units).</param>
    /// <param name="initialHidden">(batch, units).</param>
    /// <param name="initialCell">(batch, units).</param>
    /// <returns>The states, shape (2, steps, batch, units).</returns>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices do not fit together; the message names them.</exception>
    public static Tensor LstmSequence(Tensor projectedInputs, Tensor recurrentKernel, Tensor initialHidden, Tensor initialCell)
    {
        CheckLstmArguments(projectedInputs, recurrentKernel, initialHidden, initialCell);
        int steps = projectedInputs.Shape[0], batch = projectedInputs.Shape[1], units = recurrentKernel.Shape[0];
        var backend = projectedInputs.Backend;
        Shape stateShape = new(batch, units), gateShape = new(batch, 4 * units);
        var states = Empty(new Shape(2, steps, batch, units), projectedInputs.DType, projectedInputs.Device);
        var gates = Empty(new Shape(steps, batch, 4 * units), projectedInputs.DType, projectedInputs.Device);
        using (var recurrent = Empty(gateShape, projectedInputs.DType, projectedInputs.Device))
        {
            for (int t = 0; t < steps; t++)
            {
                using var hPrev = t == 0 ? initialHidden.Block(0, stateShape) : states.Block(t - 1, stateShape);
                using var cPrev = t == 0 ? initialCell.Block(0, stateShape) : states.Block(steps + t - 1, stateShape);
                using var x = projectedInputs.Block(t, gateShape);
                using var g = gates.Block(t, gateShape);
                using var h = states.Block(t, stateShape);
                using var c = states.Block(steps + t, stateShape);
                backend.MatMul(hPrev, false, recurrentKernel, false, recurrent, accumulate: false);
                backend.LstmCellForward(x, recurrent, cPrev, g, c, h);
            }
        }
        if (!(Needs(projectedInputs, recurrentKernel) || Needs(initialHidden, initialCell)))
        {
            gates.Dispose();
            return states;
        }
        return Record(states, nameof(LstmSequence), [projectedInputs, recurrentKernel, initialHidden, initialCell],
            grad => LstmSequenceBackward(grad, states, gates, projectedInputs, recurrentKernel, initialHidden, initialCell));
    }

    private static Tensor?[] LstmSequenceBackward(Tensor grad, Tensor states, Tensor gates, Tensor projectedInputs,
        Tensor recurrentKernel, Tensor initialHidden, Tensor initialCell)
    {
        int steps = gates.Shape[0], batch = gates.Shape[1], units = recurrentKernel.Shape[0];
        var backend = gates.Backend;
        Shape stateShape = new(batch, units), gateShape = new(batch, 4 * units);
        var gatesGrad = Empty(gates.Shape, gates.DType, gates.Device);
        // The gradients reaching h and c of step t−1 from step t; after the sweep, those of the initial states.
        var hiddenBack = Zeros(stateShape, gates.DType, gates.Device);
        var cellBack = Zeros(stateShape, gates.DType, gates.Device);
        using var hiddenGrad = Empty(stateShape, gates.DType, gates.Device);
        using var cellGrad = Empty(stateShape, gates.DType, gates.Device);
        for (int t = steps - 1; t >= 0; t--)
        {
            using (var gh = grad.Block(t, stateShape)) backend.Binary(BinaryOp.Add, gh, hiddenBack, hiddenGrad);
            using (var gc = grad.Block(steps + t, stateShape)) backend.Binary(BinaryOp.Add, gc, cellBack, cellGrad);
            using var cPrev = t == 0 ? initialCell.Block(0, stateShape) : states.Block(steps + t - 1, stateShape);
            using var c = states.Block(steps + t, stateShape);
            using var g = gates.Block(t, gateShape);
            using var dg = gatesGrad.Block(t, gateShape);
            backend.LstmCellBackward(g, cPrev, c, hiddenGrad, cellGrad, dg, cellBack);
            backend.MatMul(dg, false, recurrentKernel, true, hiddenBack, accumulate: false);
        }
        Tensor? kernelGrad = null;
        if (recurrentKernel.RequiresGrad)
        {
            // dR = Σ_t h_{t−1}ᵀ · dz_t: the initial state's term, then steps 1… as one product over (steps−1)·batch rows.
            kernelGrad = Empty(recurrentKernel.Shape, gates.DType, gates.Device);
            using (var g0 = gatesGrad.Block(0, gateShape)) backend.MatMul(initialHidden, true, g0, false, kernelGrad, accumulate: false);
            if (steps > 1)
            {
                using var hs = states.Block(0, new Shape((steps - 1) * batch, units));
                using var dz = gatesGrad.View(new Shape((steps - 1) * batch, 4 * units), batch * 4 * units);
                backend.MatMul(hs, true, dz, false, kernelGrad, accumulate: true);
            }
        }
        return [projectedInputs.RequiresGrad ? gatesGrad : null, kernelGrad,
            initialHidden.RequiresGrad ? hiddenBack : null, initialCell.RequiresGrad ? cellBack : null];
    }

    private static void CheckLstmArguments(Tensor projectedInputs, Tensor recurrentKernel, Tensor initialHidden, Tensor initialCell)
    {
        ArgumentNullException.ThrowIfNull(projectedInputs);
        ArgumentNullException.ThrowIfNull(recurrentKernel);
        ArgumentNullException.ThrowIfNull(initialHidden);
        ArgumentNullException.ThrowIfNull(initialCell);
        if (!projectedInputs.DType.IsFloatingPoint()) Throw.DTypeNotSupported(nameof(LstmSequence), projectedInputs.DType);
        foreach (var t in new[] { recurrentKernel, initialHidden, initialCell })
        {
            Throw.IfDifferentDTypes(nameof(LstmSequence), projectedInputs, t);
            Throw.IfDifferentDevices(nameof(LstmSequence), projectedInputs, t);
        }
        int units = recurrentKernel.Rank == 2 ? recurrentKernel.Shape[0] : -1;
        if (units <= 0 || recurrentKernel.Shape[1] != 4 * units)
            Throw.Argument($"LstmSequence: the recurrent kernel must be (units, 4·units); received {recurrentKernel.Shape}.", nameof(recurrentKernel));
        if (projectedInputs.Rank != 3 || projectedInputs.Shape[0] == 0 || projectedInputs.Shape[2] != 4 * units)
            Throw.Argument($"LstmSequence: projected inputs must be (steps ≥ 1, batch, 4·units = {4 * units}); received {projectedInputs.Shape}.", nameof(projectedInputs));
        var stateShape = new Shape(projectedInputs.Shape[1], units);
        if (initialHidden.Shape != stateShape || initialCell.Shape != stateShape)
            Throw.Argument($"LstmSequence: the initial states must be (batch, units) = {stateShape}; received {initialHidden.Shape} and {initialCell.Shape}.", nameof(initialHidden));
    }

    /// <summary>Block <paramref name="index"/> of this tensor's elements viewed as consecutive tensors of <paramref name="shape"/>, outside any scope (dispose it).</summary>
    private Tensor Block(int index, Shape shape)
    {
        var storage = Storage;
        storage.AddRef();
        return new Tensor(storage, Offset + index * shape.Size, shape, scoped: false);
    }
}
