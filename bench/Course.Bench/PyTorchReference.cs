using System.Diagnostics;
using System.Globalization;
using Course.Shared;

namespace Course.Bench;

/// <summary>
/// Runs the PyTorch side of --compare: pytorch_reference.py (rows a-g, outside the repository) and
/// bench/python/dispatch.py (row h), and parses their tables, so both libraries are timed in one invocation.
/// </summary>
public static class PyTorchReference
{
    public const string InstallHint =
        "install it with: apt-get install -y python3-torch python3-numpy libopenblas0-openmp";

    /// <summary>&lt;repo&gt;/../shared/bench/pytorch_reference.py, the repo being the folder holding Course.sln.</summary>
    public static string? DefaultScriptPath()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Course.sln"))) continue;
                var script = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench", "pytorch_reference.py"));
                if (File.Exists(script)) return script;
            }
        }
        return null;
    }

    /// <summary>bench/python/dispatch.py as copied beside the benchmark's assembly.</summary>
    public static string DispatchScriptPath() => Path.Combine(AppContext.BaseDirectory, "python", "dispatch.py");

    /// <summary>Null when python can import torch; otherwise what is missing and how to install it.</summary>
    public static string? CheckTorch(string python)
    {
        try
        {
            var (code, _, err) = Run(python, null, ["-c", "import torch, numpy"]);
            return code == 0 ? null : $"{python} cannot import torch/numpy ({LastLine(err)}); {InstallHint}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot start {python} ({e.Message}); {InstallHint}";
        }
    }

    /// <summary>Runs one script with the shared timing options; returns its '#' machine lines and its rows.</summary>
    /// <remarks>
    /// With <paramref name="sameNativeSettings"/>, PyTorch runs under the allocator and OpenMP settings this process
    /// applied to itself (<see cref="NativeTuning.ChildEnvironment"/>): on a busy machine libgomp's default spinning
    /// costs either library several times its idle step time, so only like-for-like settings give a ratio that means
    /// something.
    /// </remarks>
    public static (IReadOnlyList<string> Info, IReadOnlyList<RowResult> Rows) RunScript(
        string python, string script, int reps, double targetSeconds, int threads, bool sameNativeSettings = true)
    {
        var env = sameNativeSettings && NativeTuning.IsApplied ? NativeTuning.ChildEnvironment() : null;
        var (code, output, err) = Run(python, env, [script, "--reps", reps.ToString(CultureInfo.InvariantCulture),
            "--target-s", targetSeconds.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        if (code != 0)
            throw new InvalidOperationException($"{python} {script} exited with code {code}: {LastLine(err)}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var info = lines.Where(l => l.StartsWith('#')).ToList();
        info.Add(env is null
            ? "# PyTorch environment: as inherited (libgomp and glibc malloc defaults unless set)"
            : "# PyTorch environment: " + string.Join("  ", env.Select(kv => $"{kv.Key}={kv.Value}")) + " (the settings TorchSharp runs with here)");
        return (info, Parse(lines, script));
    }

    /// <summary>Parses the rows between the dashed line under the header and the "~GF/s:" footnote.</summary>
    public static IReadOnlyList<RowResult> Parse(IEnumerable<string> lines, string source)
    {
        var rows = new List<RowResult>();
        bool inTable = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("benchmark")) { inTable = true; continue; }
            if (!inTable || line.Length == 0 || line.StartsWith("---")) continue;
            if (line.StartsWith("~GF/s")) break;
            var tok = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int numeric = 0;
            while (numeric < 6 && numeric < tok.Length - 1 && double.TryParse(tok[^(numeric + 1)], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                numeric++;
            if (numeric < 5)
                throw new FormatException($"{source}: cannot parse row '{line}'");
            double F(int fromEnd) => double.Parse(tok[^fromEnd], CultureInfo.InvariantCulture);
            // Trailing fields: med min max steps/s [GF/s] inner.
            double med = F(numeric) / 1e3, min = F(numeric - 1) / 1e3, max = F(numeric - 2) / 1e3;
            double? gf = numeric == 6 ? F(2) : null;
            int inner = (int)F(1);
            // Names are printed padded to 56 columns; keep their own spacing ("b  VAE ...").
            string name = line.Length > 56 && line[56] == ' ' ? line[..56].TrimEnd() : string.Join(' ', tok[..^numeric]);
            rows.Add(new RowResult(tok[0], name, new BenchStats(med, min, max, inner, 0), gf is { } g ? g * 1e9 * med : null));
        }
        if (rows.Count == 0) throw new FormatException($"{source}: no result table in its output");
        return rows;
    }

    private static (int Code, string Out, string Err) Run(string exe, IReadOnlyDictionary<string, string>? env, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (env is not null)
            foreach (var (name, value) in env) psi.Environment[name] = value;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var errTask = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, errTask.Result);
    }

    private static string LastLine(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no error output";
}
