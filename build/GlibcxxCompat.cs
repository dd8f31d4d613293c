// An MSBuild task (compiled by RoslynCodeTaskFactory, see TorchSharp.targets) that makes TorchSharp's native
// wrapper load on Linux systems whose libstdc++ is older than the one it was built against.
//
// libLibTorchSharp.so 0.107 asks for GLIBCXX_3.4.32 (GCC 13's libstdc++); Debian 12 and Ubuntu 22.04 ship
// 3.4.30, and the dynamic loader refuses the library. The only symbol bound to that version,
// std::ios_base_library_init(), is never called: GCC 13 emits an undefined reference to it only to order
// iostream start-up, and no relocation uses it (libtorch's own static ios_base::Init objects do that job on
// older systems). So the course's copy is patched in two places, both plain ELF fields:
//   - the symbol's entry in .gnu.version becomes 1 (global, unversioned);
//   - the GLIBCXX_3.4.32 entry of .gnu.version_r gets VER_FLG_WEAK, so a missing version is not fatal.
// The task refuses (with an error naming the symbol) when a missing version is bound to a symbol that a
// relocation does use: then the library really needs the newer libstdc++. Nothing is touched on systems
// that have every version the library asks for.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class CourseFixGlibcxxVersions : Task
{
    /// <summary>The native library to check and, if needed, patch in place (atomically).</summary>
    [Required] public string Library { get; set; } = "";

    /// <summary>The libstdc++.so.6 the process will load; found through ldconfig when empty.</summary>
    public string SystemLibStdCxx { get; set; } = "";

    /// <summary>"not-linux", "compatible", "already-patched" or "patched".</summary>
    [Output] public string Outcome { get; set; } = "";

    const uint ShtRela = 4, ShtDynsym = 11, ShtVerdef = 0x6ffffffd, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    const ushort VerFlagWeak = 2;

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) { Outcome = "not-linux"; return true; }
        var libstdcxx = string.IsNullOrEmpty(SystemLibStdCxx) ? FindLibStdCxx() : SystemLibStdCxx;
        if (libstdcxx is null || !File.Exists(libstdcxx))
        {
            Log.LogError($"Could not find the system's libstdc++.so.6 (tried ldconfig -p and the usual folders) to check {Library} against it. Install libstdc++6 (Debian, Ubuntu: apt-get install libstdc++6).");
            return false;
        }
        byte[] lib = File.ReadAllBytes(Library);
        var elf = new Elf(lib, Library);
        var defined = new HashSet<string>(new Elf(File.ReadAllBytes(libstdcxx), libstdcxx).DefinedVersions());
        var missing = elf.NeededVersions("libstdc++.so.6").Where(v => !defined.Contains(v.Name)).ToList();
        if (missing.Count == 0) { Outcome = "compatible"; return true; }
        if (missing.All(v => (v.Flags & VerFlagWeak) != 0)) { Outcome = "already-patched"; return true; }

        var relocated = elf.RelocatedSymbols();
        foreach (var version in missing)
        {
            foreach (var symbol in elf.SymbolsBoundTo(version.Index))
            {
                if (relocated.Contains(symbol.Index))
                {
                    Log.LogError($"{Path.GetFileName(Library)} calls {symbol.Name}@{version.Name}, which {libstdcxx} does not provide. " +
                                 $"This system's libstdc++ is too old for TorchSharp; install GCC 13's libstdc++ or use a newer Linux (Debian 13, Ubuntu 24.04).");
                    return false;
                }
                elf.WriteUInt16(symbol.VersymOffset, 1);
                Log.LogMessage(MessageImportance.Low, $"{Path.GetFileName(Library)}: {symbol.Name} unbound from {version.Name} (no relocation uses it)");
            }
            elf.WriteUInt16(version.FlagsOffset, (ushort)(version.Flags | VerFlagWeak));
        }

        var temp = $"{Library}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, lib);
            File.Replace(temp, Library, null);   // a rename: never half a library, and never the NuGet cache's file
        }
        finally { if (File.Exists(temp)) File.Delete(temp); }
        Log.LogMessage(MessageImportance.High,
            $"{Path.GetFileName(Library)}: {libstdcxx} lacks {string.Join(", ", missing.Select(v => v.Name))}; marked weak in the course's copy ({Library}).");
        Outcome = "patched";
        return true;
    }

    static string FindLibStdCxx()
    {
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "AArch64" : "x86-64";
        try
        {
            var psi = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var dir in new[] { "/sbin", "/usr/sbin" })
                if (File.Exists(Path.Combine(dir, "ldconfig"))) psi.FileName = Path.Combine(dir, "ldconfig");
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("libstdc++.so.6 ") && l.Contains(arch));
            if (line is not null) return line.Substring(line.LastIndexOf("=> ", StringComparison.Ordinal) + 3).Trim();
        }
        catch (Exception) { /* no ldconfig: fall back to the usual folders */ }
        var triplet = arch == "AArch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        return new[] { $"/lib/{triplet}", $"/usr/lib/{triplet}", "/usr/lib64", "/lib64", "/usr/lib" }
            .Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    // Plain classes, not records: RoslynCodeTaskFactory compiles against netstandard.
    sealed class NeededVersion
    {
        public NeededVersion(string name, ushort index, ushort flags, int flagsOffset) { Name = name; Index = index; Flags = flags; FlagsOffset = flagsOffset; }
        public string Name { get; } public ushort Index { get; } public ushort Flags { get; } public int FlagsOffset { get; }
    }
    sealed class VersionedSymbol
    {
        public VersionedSymbol(int index, string name, int versymOffset) { Index = index; Name = name; VersymOffset = versymOffset; }
        public int Index { get; } public string Name { get; } public int VersymOffset { get; }
    }
    sealed class Section
    {
        public Section(uint type, long offset, long size, uint link, long entrySize) { Type = type; Offset = offset; Size = size; Link = link; EntrySize = entrySize; }
        public uint Type { get; } public long Offset { get; } public long Size { get; } public uint Link { get; } public long EntrySize { get; }
    }

    /// <summary>Just enough of a little-endian ELF64 reader for symbol versions.</summary>
    sealed class Elf
    {
        readonly byte[] bytes;
        readonly Section[] sections;

        public Elf(byte[] bytes, string path)
        {
            this.bytes = bytes;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
                throw new InvalidDataException($"{path} is not an ELF file.");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw new InvalidDataException($"{path} is not a little-endian 64-bit ELF file.");
            long shoff = (long)U64(0x28);
            int shentsize = U16(0x3a), shnum = U16(0x3c);
            sections = Enumerable.Range(0, shnum).Select(i =>
            {
                long h = shoff + (long)i * shentsize;
                return new Section(U32(h + 4), (long)U64(h + 0x18), (long)U64(h + 0x20), U32(h + 0x28), (long)U64(h + 0x38));
            }).ToArray();
        }

        public IEnumerable<string> DefinedVersions()
        {
            foreach (var s in sections.Where(s => s.Type == ShtVerdef))
            {
                var strings = sections[s.Link];
                long entry = s.Offset;
                while (true)
                {
                    int auxCount = U16(entry + 6);
                    uint auxOffset = U32(entry + 12), next = U32(entry + 16);
                    if (auxCount > 0) yield return CString(strings.Offset + U32(entry + auxOffset));
                    if (next == 0) break;
                    entry += next;
                }
            }
        }

        public IEnumerable<NeededVersion> NeededVersions(string fromFile)
        {
            foreach (var s in sections.Where(s => s.Type == ShtVerneed))
            {
                var strings = sections[s.Link];
                long entry = s.Offset;
                while (true)
                {
                    int auxCount = U16(entry + 2);
                    string file = CString(strings.Offset + U32(entry + 4));
                    long aux = entry + U32(entry + 8);
                    for (int i = 0; i < auxCount; i++)
                    {
                        if (file == fromFile)
                            yield return new NeededVersion(CString(strings.Offset + U32(aux + 8)), U16(aux + 6), U16(aux + 4), (int)(aux + 4));
                        aux += U32(aux + 12);
                    }
                    uint next = U32(entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
        }

        public IEnumerable<VersionedSymbol> SymbolsBoundTo(ushort versionIndex)
        {
            var dynsym = sections.Single(s => s.Type == ShtDynsym);
            var versym = sections.Single(s => s.Type == ShtVersym);
            var strings = sections[dynsym.Link];
            long count = dynsym.Size / dynsym.EntrySize;
            for (int i = 0; i < count; i++)
            {
                long at = versym.Offset + 2L * i;
                if ((U16(at) & 0x7fff) == versionIndex)
                    yield return new VersionedSymbol(i, CString(strings.Offset + U32(dynsym.Offset + i * dynsym.EntrySize)), (int)at);
            }
        }

        public HashSet<int> RelocatedSymbols()
        {
            var used = new HashSet<int>();
            foreach (var s in sections.Where(s => s.Type == ShtRela))
                for (long at = s.Offset; at < s.Offset + s.Size; at += s.EntrySize)
                    used.Add((int)(U64(at + 8) >> 32));
            return used;
        }

        public void WriteUInt16(int offset, ushort value) { bytes[offset] = (byte)value; bytes[offset + 1] = (byte)(value >> 8); }

        ushort U16(long at) => BitConverter.ToUInt16(bytes, (int)at);
        uint U32(long at) => BitConverter.ToUInt32(bytes, (int)at);
        ulong U64(long at) => BitConverter.ToUInt64(bytes, (int)at);
        string CString(long at)
        {
            int end = Array.IndexOf(bytes, (byte)0, (int)at);
            return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
        }
    }
}
