#nullable enable
// Compiled twice: by MSBuild's RoslynCodeTaskFactory (Framework.Torch.targets, as the task below) and by the tests
// (linked with ELF_PATCH_WITHOUT_MSBUILD defined, to check the patch itself). No project dependencies and no spans (the task compiler targets netstandard).
using System;
using System.IO;
using System.Text;

namespace Framework.Torch.Build;

/// <summary>
/// Marks one version requirement of an ELF64 shared object weak (<c>VER_FLG_WEAK</c> in its <c>.gnu.version_r</c>
/// entry), so the dynamic loader no longer refuses to load it when that version is missing.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked against GCC 13's libstdc++ and records that it needs
/// <c>GLIBCXX_3.4.32</c>, for a single symbol (<c>_ZSt21ios_base_library_initv</c>, a marker GCC 13 emits) that no
/// relocation uses: the library never binds it. Debian 12 and Ubuntu 22.04 ship libstdc++ up to
/// <c>GLIBCXX_3.4.30</c>, so the loader rejects the whole library ("version `GLIBCXX_3.4.32' not found"). A weak
/// version need is checked only when present, which is what glibc does for exactly this case; every other
/// requirement keeps its check. Only the copy in the build output is changed, one flag byte of it.
/// </remarks>
public static class WeakVersionNeed
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Whether <paramref name="library"/> defines <paramref name="version"/> (e.g. a libstdc++ that has GLIBCXX_3.4.32).</summary>
    /// <remarks>A byte search for the NUL-terminated name, as <c>strings | grep</c> would: version names live in the
    /// dynamic string table, and an exact NUL-terminated match cannot be a prefix of a longer name.</remarks>
    public static bool Defines(byte[] library, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        return IndexOf(library, needle) >= 0;
    }

    /// <summary>
    /// The file offset of the <c>vna_flags</c> field of the requirement named <paramref name="version"/>, or -1 when
    /// the object does not require that version.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a little-endian ELF64 object, or a table runs past the end.</exception>
    public static long FlagsOffset(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("Not a little-endian ELF64 file.");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        if (shentsize < 64) throw new InvalidDataException($"Section header size {shentsize} is too small.");
        for (int i = 0; i < shnum; i++)
        {
            long header = Check(elf, shoff + (long)i * shentsize, 64);
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;
            long offset = (long)U64(elf, header + 24), size = (long)U64(elf, header + 32);
            uint link = U32(elf, header + 40), count = U32(elf, header + 44);
            Check(elf, offset, size);
            long strings = (long)U64(elf, Check(elf, shoff + (long)link * shentsize, 64) + 24);
            return FindAux(elf, offset, count, strings, version);
        }
        return -1;
    }

    /// <summary>A copy of <paramref name="elf"/> whose requirement of <paramref name="version"/> is weak (unchanged if it already is).</summary>
    /// <exception cref="InvalidDataException">The object does not require <paramref name="version"/>.</exception>
    public static byte[] Weaken(byte[] elf, string version)
    {
        long at = FlagsOffset(elf, version);
        if (at < 0) throw new InvalidDataException($"The library does not require {version}.");
        var copy = (byte[])elf.Clone();
        copy[at] |= (byte)VerFlgWeak;   // vna_flags is little-endian; VER_FLG_WEAK lives in its low byte
        return copy;
    }

    /// <summary>Walks the Verneed list (one entry per needed library) and each entry's Vernaux list (its versions).</summary>
    private static long FindAux(byte[] elf, long verneed, uint count, long strings, string version)
    {
        long entry = verneed;
        for (uint n = 0; n < count; n++)
        {
            Check(elf, entry, 16);
            int auxCount = U16(elf, entry + 2);
            long aux = entry + U32(elf, entry + 8);
            for (int a = 0; a < auxCount; a++)
            {
                Check(elf, aux, 16);
                if (NameAt(elf, strings + U32(elf, aux + 8)) == version) return aux + 4;
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, entry + 12);
            if (next == 0) break;
            entry += next;
        }
        return -1;
    }

    private static string NameAt(byte[] elf, long at)
    {
        Check(elf, at, 1);
        int end = Array.IndexOf(elf, (byte)0, (int)at);
        if (end < 0) throw new InvalidDataException("Unterminated string in the ELF string table.");
        return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
    }

    private static long Check(byte[] elf, long at, long length)
    {
        if (at < 0 || length < 0 || at + length > elf.Length)
            throw new InvalidDataException($"ELF table at {at} (+{length}) runs past the end of the {elf.Length}-byte file.");
        return at;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length;
             i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            if (Same(haystack, i, needle)) return i;
        }
        return -1;
    }

    /// <summary>Whether <paramref name="b"/> holds the bytes of <paramref name="part"/> at <paramref name="at"/>
    /// (spans are not available to MSBuild's netstandard task compiler).</summary>
    public static bool Same(byte[] b, int at, byte[] part)
    {
        if (at < 0 || at + part.Length > b.Length) return false;
        for (int j = 0; j < part.Length; j++)
        {
            if (b[at + j] != part[j]) return false;
        }
        return true;
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)Check(b, at, 2));
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)Check(b, at, 4));
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)Check(b, at, 8));
}

#if !ELF_PATCH_WITHOUT_MSBUILD
/// <summary>
/// The MSBuild task: writes <see cref="Destination"/> as <see cref="Source"/> with <see cref="Version"/> made weak,
/// but only when no system libstdc++ defines that version; otherwise leaves the plain copy alone.
/// </summary>
public sealed class WeakenVersionNeed : Microsoft.Build.Utilities.Task
{
    private static readonly string[] s_libstdcxx =
    {
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    /// <summary>The library as restored (in the NuGet cache); only read.</summary>
    [Microsoft.Build.Framework.Required] public string Source { get; set; } = "";

    /// <summary>Its copy in the build output, replaced (write to a temporary name, then rename) by the patched bytes.</summary>
    [Microsoft.Build.Framework.Required] public string Destination { get; set; } = "";

    /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

    /// <inheritdoc/>
    public override bool Execute()
    {
        string? system = Array.Find(s_libstdcxx, File.Exists);
        if (system != null && WeakVersionNeed.Defines(File.ReadAllBytes(system), Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{system} defines {Version}: {Destination} left as restored.");
            return true;
        }
        var patched = WeakVersionNeed.Weaken(File.ReadAllBytes(Source), Version);
        if (File.Exists(Destination) && new FileInfo(Destination).Length == patched.Length
            && WeakVersionNeed.Same(File.ReadAllBytes(Destination), 0, patched)) return true;
        // A fresh file renamed over the destination: never writes through a hard link into the package cache.
        string temporary = Destination + ".weakening";
        File.WriteAllBytes(temporary, patched);
        if (File.Exists(Destination)) File.Replace(temporary, Destination, null);
        else File.Move(temporary, Destination);
        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
            $"Framework.Torch: {system ?? "no libstdc++.so.6 found"} lacks {Version}; marked that unused requirement weak in {Destination} (see src/Torch/build/WeakVersionNeed.cs).");
        return true;
    }
}
#endif
