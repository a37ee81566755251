using Framework.Tensors.Backends;

namespace Framework.Tensors;

/// <summary>Mutable, named training state: a weight, a slot of an optimizer, a step counter.</summary>
/// <remarks>
/// A variable owns a leaf tensor (<see cref="Value"/>) that lives outside every <see cref="TensorScope"/>. Using a
/// variable in an op uses that tensor (the conversion is implicit); when the variable is <see cref="Trainable"/>,
/// <see cref="Tensor.Backward"/> accumulates its gradient into <see cref="Grad"/>. The <c>Assign*</c> methods
/// update the elements in place and record no gradient.
/// </remarks>
public sealed class Variable : Trackable
{
    /// <summary>Creates a variable holding a copy of <paramref name="initialValue"/>.</summary>
    /// <param name="initialValue">The first value; its shape, dtype and device become the variable's.</param>
    /// <param name="name">A display name such as <c>dense_1/kernel</c>; not used as a checkpoint key.</param>
    /// <param name="trainable">Whether gradients are computed for it (only floating-point variables can be).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a trainable variable is not floating point.</exception>
    public Variable(Tensor initialValue, string name, bool trainable = true)
    {
        ArgumentNullException.ThrowIfNull(initialValue);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (trainable && !initialValue.DType.IsFloatingPoint())
            Throw.Argument($"Variable '{name}': only floating-point variables can be trainable; received {initialValue.DType.Name()}. Pass trainable: false.", nameof(trainable));
        Name = name;
        Trainable = trainable;
        Value = Tensor.EmptyUnscoped(initialValue.Shape, initialValue.DType, initialValue.Device);
        Value.Backend.Expand(initialValue, Value);
        Value.RequiresGrad = trainable;
    }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>Whether optimizers update it and gradients flow to it.</summary>
    public bool Trainable { get; }

    /// <summary>The current value, as a leaf tensor whose elements change on assignment (and that <see cref="MoveTo"/> replaces).</summary>
    public Tensor Value { get; private set; }

    /// <summary>The shape (fixed for the variable's lifetime).</summary>
    public Shape Shape => Value.Shape;

    /// <summary>The element type.</summary>
    public DType DType => Value.DType;

    /// <summary>The device holding the value.</summary>
    public Device Device => Value.Device;

    /// <summary>Counts writes of the elements (<see cref="Assign"/>, <see cref="AssignAdd"/>, <see cref="AssignSub"/>, a restore).</summary>
    /// <remarks>
    /// Lets a caller keep a host copy of a small variable (an optimizer's step counter) and read the device only after
    /// someone else wrote it: on libtorch, and above all on a GPU, every read of a value is a synchronisation.
    /// </remarks>
    internal long Version { get; private set; }

    /// <summary>Records a write of the elements made without the <c>Assign*</c> methods (a restore into their bytes).</summary>
    internal void MarkWritten() => Version++;

    /// <summary>The gradient accumulated since the last <see cref="ZeroGrad"/>, or null if none flowed here.</summary>
    public Tensor? Grad => Value.Grad;

    /// <summary>Uses the variable's current value in tensor expressions.</summary>
    public static implicit operator Tensor(Variable variable) => variable.Value;

    /// <summary>Moves the value, and any accumulated gradient, to <paramref name="device"/> (nothing happens if it is already there).</summary>
    /// <remarks>The elements are copied bit for bit; the old value is disposed, so tensors taken from <see cref="Value"/>
    /// before the move must not be used afterwards.</remarks>
    public void MoveTo(Device device)
    {
        if (device == Device) return;
        var old = Value;
        var moved = Tensor.EmptyUnscoped(old.Shape, old.DType, device);
        Tensor.CopyAcross(old, moved);
        moved.RequiresGrad = old.RequiresGrad;
        if (old.Grad is { } grad)
        {
            var movedGrad = Tensor.EmptyUnscoped(grad.Shape, grad.DType, device);
            Tensor.CopyAcross(grad, movedGrad);
            moved.Grad = movedGrad;
        }
        Value = moved;
        old.Dispose();
    }

    /// <summary>Forgets the accumulated gradient.</summary>
    public void ZeroGrad() => Value.Grad = null;

    /// <summary>Replaces the elements with <paramref name="value"/> (broadcast to the variable's shape).</summary>
    /// <exception cref="ArgumentException">The value cannot be broadcast to the variable's shape, or has another dtype.</exception>
    public void Assign(Tensor value)
    {
        Check(value, nameof(Assign));
        Value.Backend.Expand(value, Value);
        Version++;
    }

    /// <summary>Makes <paramref name="value"/> the variable's value without copying its elements, and disposes the old value:
    /// for loaders that read a file into new tensors and assign them only once every read succeeded, so a load copies the
    /// model's values once, not twice.</summary>
    /// <remarks>The variable takes <paramref name="value"/> over: the caller must not use or dispose it afterwards (it leaves any
    /// <see cref="TensorScope"/>). As after <see cref="MoveTo"/>, tensors taken from <see cref="Value"/> before must not be used
    /// afterwards. The accumulated gradient is kept.</remarks>
    /// <exception cref="ArgumentException">The value's shape, dtype or device differs from the variable's, or it is not a leaf.</exception>
    public void TakeOver(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Shape != Shape || value.DType != DType || value.Device != Device || !value.IsLeaf || ReferenceEquals(value, Value))
            Throw.Argument($"Variable '{Name}'.TakeOver: expected a new leaf tensor {Shape} {DType.Name()} on {Device}; received {value.Shape} {value.DType.Name()} on {value.Device}.", nameof(value));
        var old = Value;
        // The variable outlives every scope: the scope that created the tensor must not dispose it when it ends.
        value.Scope = null;
        value.RequiresGrad = old.RequiresGrad;
        value.Grad = old.Grad;
        Value = value;
        old.Dispose();
    }

    /// <summary>Replaces the elements in place with what <paramref name="fill"/> writes, row-major, into the variable's own
    /// storage: for loaders that decode a file straight into the variables of a model they are creating.</summary>
    /// <remarks>If <paramref name="fill"/> throws, the elements are partly overwritten: use it only where the old values need
    /// not survive a failure (a model that is dropped when its load fails); otherwise read into a new tensor
    /// (<see cref="Tensor.Create{T, TState}"/>) and <see cref="TakeOver"/> once every read succeeded.</remarks>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the variable's element type.</exception>
    /// <exception cref="NotSupportedException">The variable is not in host memory.</exception>
    public void Overwrite<T, TState>(TState state, System.Buffers.SpanAction<T, TState> fill) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(fill);
        if (DTypeExtensions.Of<T>() != DType)
            Throw.Argument($"Variable '{Name}'.Overwrite<{typeof(T).Name}>: the variable's dtype is {DType.Name()}.", "T");
        if (Value.Storage is not Storage.CpuStorage storage)
        {
            Throw.NotSupported($"Variable '{Name}'.Overwrite: the variable is on {Device}, not in host memory.");
            return;
        }
        fill(storage.Span<T>().Slice(Value.Offset, Value.Size), state);
    }

    /// <summary>Adds <paramref name="delta"/> (broadcast) to the elements in place.</summary>
    /// <exception cref="ArgumentException">The delta cannot be broadcast to the variable's shape, or has another dtype.</exception>
    public void AssignAdd(Tensor delta)
    {
        Check(delta, nameof(AssignAdd));
        Value.Backend.Binary(BinaryOp.Add, Value, delta, Value);
        Version++;
    }

    /// <summary>Subtracts <paramref name="delta"/> (broadcast) from the elements in place.</summary>
    /// <exception cref="ArgumentException">The delta cannot be broadcast to the variable's shape, or has another dtype.</exception>
    public void AssignSub(Tensor delta)
    {
        Check(delta, nameof(AssignSub));
        Value.Backend.Binary(BinaryOp.Sub, Value, delta, Value);
        Version++;
    }

    /// <summary>Formats as <c>Variable 'dense/kernel' (784, 128) float32</c>.</summary>
    public override string ToString() => $"Variable '{Name}' {Shape} {DType.Name()}";

    private void Check(Tensor value, string op)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.DType != DType)
            Throw.Argument($"Variable '{Name}'.{op}: expected dtype {DType.Name()}; received {value.DType.Name()}.", nameof(value));
        if (value.Device != Device)
            Throw.Argument($"Variable '{Name}'.{op}: expected a tensor on {Device}; received one on {value.Device}.", nameof(value));
        if (!Shape.TryBroadcast(value.Shape, Shape, out var fitted) || fitted != Shape)
            Throw.Argument($"Variable '{Name}'.{op}: a value of shape {value.Shape} does not fit the variable's shape {Shape}.", nameof(value));
    }
}
