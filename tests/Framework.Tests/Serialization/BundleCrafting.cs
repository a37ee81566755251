using Framework.Serialization.Protos;
using Framework.Serialization.Table;
using Google.Protobuf;

namespace Framework.Tests.Serialization;

/// <summary>Builds deliberately bad bundles whose index is structurally valid (correct block CRCs), to test entry validation.</summary>
internal static class BundleCrafting
{
    /// <summary>An entry for a float tensor of the given dims at offset/size in shard 0.</summary>
    public static BundleEntryProto FloatEntry(long offset, long size, params long[] dims)
    {
        var entry = new BundleEntryProto { Dtype = 1, Shape = new TensorShapeProto(), Offset = offset, Size = size, Crc32C = 1 };
        foreach (long d in dims)
            entry.Shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return entry;
    }

    /// <summary>Writes <c>prefix.index</c> with the given header and entries, and data files of the given contents.</summary>
    public static void Write(string prefix, BundleHeaderProto header, IEnumerable<(string Key, byte[] Value)> entries, params byte[][] shards)
    {
        using (var stream = File.Create(prefix + ".index"))
        {
            var builder = new TableBuilder(stream);
            builder.Add([], header.ToByteArray());
            foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                builder.Add(System.Text.Encoding.UTF8.GetBytes(key), value);
            builder.Finish();
        }
        for (int i = 0; i < shards.Length; i++)
            File.WriteAllBytes($"{prefix}.data-{i:D5}-of-{header.NumShards:D5}", shards[i]);
    }

    /// <summary>A single-shard header as TensorFlow writes it.</summary>
    public static BundleHeaderProto Header(int shards = 1) => new() { NumShards = shards, Version = new VersionDef { Producer = 1 } };

    /// <summary>Writes a one-entry bundle over a data file of <paramref name="dataLength"/> zero bytes.</summary>
    public static void WriteSingle(string prefix, string key, IMessage entry, int dataLength = 16) =>
        Write(prefix, Header(), [(key, entry.ToByteArray())], new byte[dataLength]);
}
