namespace Framework.Tensors.Kernels;

/// <summary>The loop body that <see cref="CpuParallel.For{TBody}(int, ref TBody)"/> runs once per index.</summary>
/// <remarks>Implemented by small unmanaged structs so that a parallel loop allocates nothing per call.</remarks>
internal interface IParallelBody
{
    /// <summary>Processes one index; may run on any pool thread, concurrently with other indices.</summary>
    void Invoke(int index);
}
