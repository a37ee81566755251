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

    /// <summary>The data files of <paramref name="prefix"/> that exist, of any shard count (temporaries excluded).</summary>
    public static IEnumerable<string> ExistingDataFiles(string prefix)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(prefix));
        if (directory is null || !Directory.Exists(directory)) yield break;
        string name = Path.GetFileName(prefix);
        foreach (string file in Directory.EnumerateFiles(directory, name + ".*"))
        {
            string rest = Path.GetFileName(file)[name.Length..];
            if (rest.StartsWith(".data-", StringComparison.Ordinal) && rest.Contains("-of-", StringComparison.Ordinal) && !rest.Contains(".tempstate", StringComparison.Ordinal))
                yield return file;
        }
    }
}
