using Framework.Tensors.Backends;
using static Framework.Tensors.Autograd;

namespace Framework.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Runs an LSTM over a whole time-major sequence and returns every hidden and cell state: <c>states[0, t]</c> is h
    /// after step t and <c>states[1, t]</c> is c after step t.
    /// </summary>
    /// <remarks>
    /// <para>For each step t: <c>z = inputs[t]·kernel + bias + h·recurrentKernel</c>, gates in Keras's order i, f, c, o
    /// with σ on i, f, o and tanh on the candidate, <c>c = f·c + i·candidate</c>, <c>h = o·tanh(c)</c>.</para>
    /// <para>The input projection of all steps is one matrix product over steps·batch rows; each step then multiplies
    /// only by the recurrent kernel, and its pointwise part (bias, activations, c, h) is one fused kernel. The gradient
    /// is one backward-through-time sweep: per step the fused pointwise gradient, one product with the recurrent
    /// kernel's transpose (made once), and the step's contributions to the kernels' gradients, accumulated while the
    /// step's gate gradients are still in cache; the input's gradient is one product at the end.</para>
    /// </remarks>
    /// <param name="inputs">(steps, batch, features), float32 or float64.</param>
    /// <param name="kernel">(features, 4·units).</param>
    /// <param name="recurrentKernel">(units, 4·units).</param>
    /// <param name="bias">(4·units), or null for none.</param>
    /// <param name="initialHidden">(batch, units).</param>
    /// <param name="initialCell">(batch, units).</param>
    /// <returns>The states, shape (2, steps, batch, units).</returns>
    /// <exception cref="ArgumentException">The shapes, dtypes or devices do not fit together; the message names them.</exception>
    public static Tensor LstmSequence(Tensor inputs, Tensor kernel, Tensor recurrentKernel, Tensor? bias, Tensor initialHidden, Tensor initialCell)
    {
        var lstm = new LstmShapes(inputs, kernel, recurrentKernel, bias, initialHidden, initialCell);
        var backend = inputs.Backend;
        var states = Empty(new Shape(2, lstm.Steps, lstm.Batch, lstm.Units), inputs.DType, inputs.Device);
        // The input projection of every step, which each step's kernel turns into its activated gates in place.
        var gates = Empty(new Shape(lstm.Steps, lstm.Batch, 4 * lstm.Units), inputs.DType, inputs.Device);
        using (var rows = inputs.Block(0, new Shape(lstm.Steps * lstm.Batch, lstm.Features)))
        using (var projected = gates.Block(0, new Shape(lstm.Steps * lstm.Batch, 4 * lstm.Units)))
            backend.MatMul(rows, false, kernel, false, projected, accumulate: false);
        using (var recurrent = Empty(lstm.GateShape, inputs.DType, inputs.Device))
        {
            for (int t = 0; t < lstm.Steps; t++)
            {
                using var hPrev = lstm.Hidden(states, t - 1);
                using var cPrev = lstm.Cell(states, t - 1);
                using var g = gates.Block(t, lstm.GateShape);
                using var h = states.Block(t, lstm.StateShape);
                using var c = states.Block(lstm.Steps + t, lstm.StateShape);
                backend.MatMul(hPrev, false, recurrentKernel, false, recurrent, accumulate: false);
                backend.LstmCellForward(g, recurrent, bias, cPrev, c, h);
            }
        }
        Tensor[] all = bias is null ? [inputs, kernel, recurrentKernel, initialHidden, initialCell] : [inputs, kernel, recurrentKernel, initialHidden, initialCell, bias];
        if (!all.Any(Needs))
        {
            gates.Dispose();
            return states;
        }
        return Record(states, nameof(LstmSequence), all, grad => LstmSequenceBackward(lstm, grad, states, gates));
    }

    private static Tensor?[] LstmSequenceBackward(LstmShapes lstm, Tensor grad, Tensor states, Tensor gates)
    {
        var (backend, dtype, device) = (gates.Backend, gates.DType, gates.Device);
        var gatesGrad = Empty(gates.Shape, dtype, device);
        // The gradients reaching h and c of step t−1 from step t; after the sweep, those of the initial states.
        var hiddenBack = Zeros(lstm.StateShape, dtype, device);
        var cellBack = Zeros(lstm.StateShape, dtype, device);
        var kernelGrad = Empty(lstm.KernelArg.Shape, dtype, device);
        var recurrentGrad = Empty(lstm.RecurrentArg.Shape, dtype, device);
        using var hiddenGrad = Empty(lstm.StateShape, dtype, device);
        using var cellGrad = Empty(lstm.StateShape, dtype, device);
        // Rᵀ once, so that each step's product reads it in place (a transposed operand would be repacked every step).
        using var recurrentTransposed = Empty(new Shape(4 * lstm.Units, lstm.Units), dtype, device);
        backend.Transpose(lstm.RecurrentArg, [1, 0], recurrentTransposed);
        for (int t = lstm.Steps - 1; t >= 0; t--)
        {
            using (var gh = grad.Block(t, lstm.StateShape)) backend.Binary(BinaryOp.Add, gh, hiddenBack, hiddenGrad);
            using (var gc = grad.Block(lstm.Steps + t, lstm.StateShape)) backend.Binary(BinaryOp.Add, gc, cellBack, cellGrad);
            using var cPrev = lstm.Cell(states, t - 1);
            using var hPrev = lstm.Hidden(states, t - 1);
            using var c = states.Block(lstm.Steps + t, lstm.StateShape);
            using var g = gates.Block(t, lstm.GateShape);
            using var dg = gatesGrad.Block(t, lstm.GateShape);
            using var x = lstm.InputsArg.Block(t, new Shape(lstm.Batch, lstm.Features));
            backend.LstmCellBackward(g, cPrev, c, hiddenGrad, cellGrad, dg, cellBack);
            backend.MatMul(dg, false, recurrentTransposed, false, hiddenBack, accumulate: false);
            // dR += h_{t−1}ᵀ·dz_t and dK += x_tᵀ·dz_t: small products per step beat one over all steps here.
            bool first = t == lstm.Steps - 1;
            backend.MatMul(hPrev, true, dg, false, recurrentGrad, accumulate: !first);
            backend.MatMul(x, true, dg, false, kernelGrad, accumulate: !first);
        }
        using var allGates = gatesGrad.Block(0, new Shape(lstm.Steps * lstm.Batch, 4 * lstm.Units));
        Tensor? inputsGrad = null, biasGrad = null;
        if (lstm.InputsArg.RequiresGrad)
        {
            inputsGrad = Empty(lstm.InputsArg.Shape, dtype, device);
            using var rows = inputsGrad.Block(0, new Shape(lstm.Steps * lstm.Batch, lstm.Features));
            backend.MatMul(allGates, false, lstm.KernelArg, true, rows, accumulate: false);
        }
        if (lstm.BiasArg is { RequiresGrad: true })
        {
            biasGrad = Empty(lstm.BiasArg.Shape, dtype, device);
            backend.Reduce(ReduceOp.Sum, allGates, 0, biasGrad);
        }
        return lstm.BiasArg is null ? [inputsGrad, kernelGrad, recurrentGrad, hiddenBack, cellBack]
            : [inputsGrad, kernelGrad, recurrentGrad, hiddenBack, cellBack, biasGrad];
    }

    /// <summary>Block <paramref name="index"/> of this tensor's elements viewed as consecutive tensors of <paramref name="shape"/>, outside any scope (dispose it).</summary>
    private Tensor Block(int index, Shape shape)
    {
        var storage = Storage;
        storage.AddRef();
        return new Tensor(storage, Offset + index * shape.Size, shape, scoped: false);
    }

    /// <summary>The arguments and sizes of one <see cref="LstmSequence"/> call, checked.</summary>
    private sealed class LstmShapes
    {
        public LstmShapes(Tensor inputs, Tensor kernel, Tensor recurrentKernel, Tensor? bias, Tensor initialHidden, Tensor initialCell)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            ArgumentNullException.ThrowIfNull(kernel);
            ArgumentNullException.ThrowIfNull(recurrentKernel);
            ArgumentNullException.ThrowIfNull(initialHidden);
            ArgumentNullException.ThrowIfNull(initialCell);
            if (!inputs.DType.IsFloatingPoint()) Throw.DTypeNotSupported(nameof(LstmSequence), inputs.DType);
            foreach (var t in new[] { kernel, recurrentKernel, initialHidden, initialCell, bias ?? inputs })
            {
                Throw.IfDifferentDTypes(nameof(LstmSequence), inputs, t);
                Throw.IfDifferentDevices(nameof(LstmSequence), inputs, t);
            }
            Units = recurrentKernel.Rank == 2 ? recurrentKernel.Shape[0] : -1;
            if (Units <= 0 || recurrentKernel.Shape[1] != 4 * Units)
                Throw.Argument($"LstmSequence: the recurrent kernel must be (units, 4·units); received {recurrentKernel.Shape}.", nameof(recurrentKernel));
            if (inputs.Rank != 3 || inputs.Shape[0] == 0)
                Throw.Argument($"LstmSequence: inputs must be (steps ≥ 1, batch, features); received {inputs.Shape}.", nameof(inputs));
            (Steps, Batch, Features) = (inputs.Shape[0], inputs.Shape[1], inputs.Shape[2]);
            if (kernel.Shape != new Shape(Features, 4 * Units))
                Throw.Argument($"LstmSequence: the kernel must be (features, 4·units) = ({Features}, {4 * Units}); received {kernel.Shape}.", nameof(kernel));
            if (bias is not null && bias.Shape != new Shape(4 * Units))
                Throw.Argument($"LstmSequence: the bias must be (4·units) = ({4 * Units},); received {bias.Shape}.", nameof(bias));
            StateShape = new Shape(Batch, Units);
            GateShape = new Shape(Batch, 4 * Units);
            if (initialHidden.Shape != StateShape || initialCell.Shape != StateShape)
                Throw.Argument($"LstmSequence: the initial states must be (batch, units) = {StateShape}; received {initialHidden.Shape} and {initialCell.Shape}.", nameof(initialHidden));
            (InputsArg, KernelArg, RecurrentArg, BiasArg, InitialHidden, InitialCell) = (inputs, kernel, recurrentKernel, bias, initialHidden, initialCell);
        }

        public int Steps { get; }
        public int Batch { get; }
        public int Features { get; }
        public int Units { get; }
        public Shape StateShape { get; }
        public Shape GateShape { get; }
        public Tensor InputsArg { get; }
        public Tensor KernelArg { get; }
        public Tensor RecurrentArg { get; }
        public Tensor? BiasArg { get; }
        public Tensor InitialHidden { get; }
        public Tensor InitialCell { get; }

        /// <summary>h after step t (the initial state for t = −1), as a view to dispose.</summary>
        public Tensor Hidden(Tensor states, int t) => t < 0 ? InitialHidden.Block(0, StateShape) : states.Block(t, StateShape);

        /// <summary>c after step t (the initial state for t = −1), as a view to dispose.</summary>
        public Tensor Cell(Tensor states, int t) => t < 0 ? InitialCell.Block(0, StateShape) : states.Block(Steps + t, StateShape);
    }
}
