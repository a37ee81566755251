using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Framework.Tensors;

/// <summary>Throw helpers: keep hot paths small and the wording of messages in one place.</summary>
internal static class Throw
{
    [DoesNotReturn, StackTraceHidden]
    public static void Argument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void NotSupported(string message) => throw new NotSupportedException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void Disposed(string what) =>
        throw new ObjectDisposedException(what, $"{what} was disposed (its buffer went back to the pool, e.g. when its TensorScope ended). Keep values that must outlive a scope with TensorScope.Keep or Tensor.Clone outside the scope.");

    [DoesNotReturn, StackTraceHidden]
    public static void DTypeNotSupported(string op, DType dtype) =>
        throw new NotSupportedException($"{op} is not defined for {dtype.Name()} tensors; cast to float32 first.");

    public static void IfDifferentDevices(string op, Tensor a, Tensor b)
    {
        if (a.Device != b.Device)
            throw new ArgumentException($"{op}: both tensors must be on the same device; received {a.Device} and {b.Device}. Move one with To(device).");
    }

    public static void IfDifferentDTypes(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: both tensors must have the same dtype; received {a.DType.Name()} {a.Shape} and {b.DType.Name()} {b.Shape}. Cast one with Cast(dtype).");
    }
}
