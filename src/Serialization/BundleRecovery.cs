namespace Framework.Serialization;

/// <summary>Replaces an existing bundle in place so that a complete bundle is reachable by name at every instant, and
/// finds that bundle again after a crash (issue 12, defect 2).</summary>
/// <remarks>
/// <para>A bundle is two kinds of file, <c>P.index</c> and <c>P.data-…</c>, and no file system renames two files at once:
/// between the renames of a replacement, <c>P.index</c> describes the other generation's data. So before replacing, the
/// current pair gets second names by hard links (no copy), the <em>recovery pair</em> <c>P.previous.index</c> +
/// <c>P.previous.data-…</c>. The protocol, for a new bundle already written under temporary names and fsynced:</para>
/// <list type="number">
/// <item>If <c>P.previous.index</c> exists, an earlier replacement was interrupted: if <c>P</c> does not verify, it is
/// mixed and the recovery pair, the complete bundle, is kept as it is; if it verifies, the crash came after its index
/// rename, <c>P</c> is the newer complete bundle and the recovery index is deleted. Then (unless kept) stale <c>P.previous.data-…</c> files (a crash while
/// linking; without their index they are no bundle) are deleted, each <c>P.data-…</c> is linked to its recovery name, then
/// <c>P.index</c>, and the directory is synced.</item>
/// <item>The new data files are renamed over <c>P.data-…</c>, then the new index over <c>P.index</c>; the directory is synced.</item>
/// <item><c>P.previous.index</c> is deleted, then the recovery data files and data files of <c>P</c> the new index does not name.</item>
/// </list>
/// <para>Invariant: while <c>P.previous.index</c> is absent, <c>P</c> is complete (or was never written); while it exists,
/// the recovery pair is complete, because it was linked from a complete <c>P</c> and renames over <c>P</c> never change the
/// files it links to. Readers therefore use <see cref="ReadablePrefix"/>: with no recovery index, <c>P</c>; with one,
/// <c>P</c> if every tensor's CRC verifies (the replacement finished, or the mixed files happen to agree), else the recovery
/// pair. After a successful save only <c>P.index</c> and <c>P.data-…</c> exist, exactly what TensorFlow reads.</para>
/// </remarks>
public static class BundleRecovery
{
    /// <summary>What is appended to a prefix to name its recovery pair.</summary>
    public const string Suffix = ".previous";

    /// <summary>The prefix of the recovery pair of <paramref name="prefix"/>.</summary>
    public static string RecoveryPrefix(string prefix) => prefix + Suffix;

    /// <summary>Step 1: makes sure a complete copy of the current bundle at <paramref name="prefix"/> is reachable under the recovery prefix.</summary>
    public static void Preserve(string prefix)
    {
        string recovery = RecoveryPrefix(prefix);
        if (File.Exists(BundleNaming.IndexPath(recovery)))
        {
            // P is mixed: the recovery pair is the complete bundle, and stays as it is.
            if (ReadablePrefix(prefix) != prefix) return;
            // P verifies: the crash came after its index rename, so P is newer than the recovery pair, which goes.
            AtomicFile.Delete(BundleNaming.IndexPath(recovery));
        }
        foreach (string stale in BundleNaming.ExistingDataFiles(recovery).ToList()) AtomicFile.Delete(stale);
        foreach (string data in BundleNaming.ExistingDataFiles(prefix).ToList())
            AtomicFile.Link(data, recovery + Path.GetFileName(data)[Path.GetFileName(prefix).Length..]);
        AtomicFile.Link(BundleNaming.IndexPath(prefix), BundleNaming.IndexPath(recovery));
        AtomicFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix)));
    }

    /// <summary>Step 3: removes the recovery pair and the data files of <paramref name="prefix"/> outside <paramref name="current"/>.</summary>
    public static void Discard(string prefix, IReadOnlyCollection<string> current)
    {
        string recovery = RecoveryPrefix(prefix);
        AtomicFile.Delete(BundleNaming.IndexPath(recovery));
        foreach (string data in BundleNaming.ExistingDataFiles(recovery).ToList()) AtomicFile.Delete(data);
        var keep = new HashSet<string>(current.Select(Path.GetFullPath), StringComparer.Ordinal);
        foreach (string data in BundleNaming.ExistingDataFiles(prefix).Where(d => !keep.Contains(Path.GetFullPath(d))).ToList()) AtomicFile.Delete(data);
    }

    /// <summary>The prefix whose files hold the complete bundle of <paramref name="prefix"/>: itself, or after a crash in the
    /// middle of its replacement, its recovery pair.</summary>
    public static string ReadablePrefix(string prefix)
    {
        string recovery = RecoveryPrefix(prefix);
        if (!File.Exists(BundleNaming.IndexPath(recovery))) return prefix;
        try
        {
            using var reader = new TensorBundleReader(prefix);
            reader.VerifyAll(reader.Entries);
            return prefix;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return recovery;
        }
        catch (NotSupportedException)
        {
            // Sliced tensors cannot be verified here; our writer never writes them, so this bundle is not one of its replacements.
            return prefix;
        }
    }
}
