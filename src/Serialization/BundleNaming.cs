namespace Framework.Serialization;

/// <summary>File names of a bundle (spec 1.1): <c>P.index</c> and <c>P.data-SSSSS-of-NNNNN</c>.</summary>
internal static class BundleNaming
{
    /// <summary>The largest shard count the 5-digit file names can express.</summary>
    public const int MaxShards = 99999;

    /// <summary>The index file of <paramref name="prefix"/>.</summary>
    public static string IndexPath(string prefix) => prefix + ".index";

    /// <summary>The data file of shard <paramref name="shard"/> out of <paramref name="shardCount"/>.</summary>
    public static string DataPath(string prefix, int shard, int shardCount) => $"{prefix}.data-{shard:D5}-of-{shardCount:D5}";
}
