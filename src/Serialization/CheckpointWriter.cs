using System.Buffers;
using Framework.Tensors;
using Google.Protobuf;

namespace Framework.Serialization;

/// <summary>Writes the object graph rooted at a trackable as an object-based TensorFlow checkpoint.</summary>
internal static class CheckpointWriter
{
    /// <summary>Writes every variable of the graph, in node order, then the serialized graph, atomically.</summary>
    public static void Write(Trackable root, string prefix)
    {
        var nodes = ObjectGraphBuilder.Build(root);
        foreach (var node in nodes)
        {
            if (node.Object is TrackableRandomGenerator generator) generator.CaptureState();
        }
        var graph = ObjectGraphBuilder.ToProto(nodes);
        // Host variables are written straight from their own memory: no staging copy. A staging buffer as large as the
        // largest tensor (400 MB at 100M parameters) was fresh memory whose first touch cost more than the disk write.
        long largest = nodes.Select(n => n.Object is Variable v && !VariableBytes.TryGet(v, out _) ? (long)v.Shape.Size * v.DType.SizeInBytes() : 0).DefaultIfEmpty(0).Max();
        byte[] staging = largest == 0 ? [] : ArrayPool<byte>.Shared.Rent((int)Math.Min(largest, Array.MaxLength));
        try
        {
            using var writer = new TensorBundleWriter(prefix);
            foreach (var node in nodes)
            {
                if (node.Object is not Variable variable) continue;
                if (VariableBytes.TryGet(variable, out var own))
                {
                    writer.Add(node.ValueKey!, variable.DType, variable.Shape, own);
                    continue;
                }
                var bytes = staging.AsSpan(0, variable.Shape.Size * variable.DType.SizeInBytes());
                TensorBytes.CopyTo(variable.Value, bytes);
                writer.Add(node.ValueKey!, variable.DType, variable.Shape, bytes);
            }
            writer.AddStrings(CheckpointKey.ObjectGraphKey, Shape.Scalar, [graph.ToByteArray()]);
            writer.Finish();
        }
        finally
        {
            if (staging.Length > 0) ArrayPool<byte>.Shared.Return(staging);
        }
    }
}
