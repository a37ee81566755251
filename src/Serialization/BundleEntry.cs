using Framework.Tensors;

namespace Framework.Serialization;

/// <summary>One tensor of a checkpoint bundle as listed in its <c>.index</c> file: key, element type, shape and location.</summary>
/// <remarks>
/// Entries come from <see cref="TensorBundleReader.Entries"/>. Their offsets and sizes have already been checked against
/// the data files, so reading an entry never allocates more than its shard holds.
/// </remarks>
public sealed class BundleEntry
{
    internal BundleEntry(string key, int dataType, Shape shape, long elementCount, int shardId, long offset, long size, uint maskedCrc32C, bool isSliced)
    {
        Key = key;
        DataType = dataType;
        Shape = shape;
        ElementCount = elementCount;
        ShardId = shardId;
        Offset = offset;
        Size = size;
        MaskedCrc32C = maskedCrc32C;
        IsSliced = isSliced;
    }

    /// <summary>The tensor's key, e.g. <c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>.</summary>
    public string Key { get; }

    /// <summary>The TensorFlow <c>DataType</c> number as stored (1 = float, 7 = string, 21 = variant, ...).</summary>
    public int DataType { get; }

    /// <summary>The element type as a framework <see cref="Tensors.DType"/>, or null for types the framework has no tensors of (strings, variants, float16, ...).</summary>
    public DType? DType => DataTypes.ToDType(DataType);

    /// <summary>Whether the tensor holds strings (<c>DT_STRING</c>); read it with <see cref="TensorBundleReader.ReadStrings(string)"/>.</summary>
    public bool IsString => DataType == DataTypes.String;

    /// <summary>The tensor's shape; <see cref="Shape.Scalar"/> for a scalar.</summary>
    public Shape Shape { get; }

    /// <summary>The number of elements: the product of the dimensions.</summary>
    public long ElementCount { get; }

    /// <summary>The index of the data file holding the payload (the <c>SSSSS</c> of <c>.data-SSSSS-of-NNNNN</c>).</summary>
    public int ShardId { get; }

    /// <summary>The byte offset of the payload in its data file.</summary>
    public long Offset { get; }

    /// <summary>The payload length in bytes.</summary>
    public long Size { get; }

    /// <summary>The masked CRC32C of the payload, as stored in the index.</summary>
    public uint MaskedCrc32C { get; }

    /// <summary>Whether the entry describes a partitioned tensor stored as slices, which this reader does not assemble.</summary>
    public bool IsSliced { get; }

    /// <summary>Formats as <c>key: DT_FLOAT (3, 4)</c> for messages and debugging.</summary>
    public override string ToString() => $"{Key}: {DataTypes.Name(DataType)} {Shape}";
}
