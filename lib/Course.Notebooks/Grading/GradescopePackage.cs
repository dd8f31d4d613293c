using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Course.Shared;

namespace Course.Notebooks.Grading;

/// <summary>
/// An autograder zip for Gradescope: <c>setup.sh</c> (the .NET runtime and an unprivileged user, once per image),
/// <c>run_autograder</c> (grades /autograder/submission into /autograder/results/results.json), this runner under
/// <c>runner/</c>, and under <c>course/</c> the instructor's notebook with the course files it needs, at their
/// relative places (<see cref="CourseLayout"/>). Entries are sorted and dated 2020-01-01: the same inputs give the
/// same bytes.
/// </summary>
public static class GradescopePackage
{
    private static readonly DateTimeOffset Stamp = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Executable = 0b111_101_101, Regular = 0b110_100_100; // 0755, 0644

    public const string UserName = "student";

    private const long LargeFile = 16L << 20;

    public static void Write(Exercise exercise, GradeOptions options, string zipPath)
    {
        var layout = CourseLayout.For(exercise);
        var notebook = (layout.NotebookFolder.Length == 0 ? "" : layout.NotebookFolder + "/") + Path.GetFileName(exercise.Path);
        var files = new SortedDictionary<string, (Func<Stream> Open, bool Executable)>(StringComparer.Ordinal)
        {
            ["setup.sh"] = (Text(SetupScript()), true),
            ["run_autograder"] = (Text(RunScript("course/" + notebook, options)), true),
            ["course/" + notebook] = (() => File.OpenRead(exercise.Path), false),
        };
        foreach (var (source, relative) in RunnerFiles()) files["runner/" + relative] = (() => File.OpenRead(source), false);
        foreach (var (source, relative) in layout.Files()) files["course/" + relative] = (() => File.OpenRead(source), false);

        AtomicFile.Write(zipPath, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, (open, executable)) in files)
            {
                using var from = open();
                // Large files (a native tensor library of hundreds of MB) compress at the fast level: minutes saved, a few percent lost.
                var level = from.Length > LargeFile ? CompressionLevel.Fastest : CompressionLevel.Optimal;
                var entry = zip.CreateEntry(name, level);
                entry.LastWriteTime = Stamp;
                entry.ExternalAttributes = unchecked((int)((0x8000u | (uint)(executable ? Executable : Regular)) << 16)); // S_IFREG | mode
                using var to = entry.Open();
                from.CopyTo(to);
            }
        });
    }

    private static Func<Stream> Text(string text) => () => new MemoryStream(Encoding.UTF8.GetBytes(text));

    /// <summary>The files this runner needs, from its deps.json: itself, its runtime config, and every library and resource listed.</summary>
    internal static IReadOnlyList<(string Source, string Relative)> RunnerFiles()
    {
        var assembly = typeof(GradescopePackage).Assembly.Location;
        var directory = Path.GetDirectoryName(assembly)!;
        var stem = Path.GetFileNameWithoutExtension(assembly);
        var relative = new SortedSet<string>(StringComparer.Ordinal) { stem + ".dll", stem + ".deps.json", stem + ".runtimeconfig.json" };
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, stem + ".deps.json")))!;
        var target = deps["runtimeTarget"]!["name"]!.GetValue<string>();
        foreach (var (_, library) in deps["targets"]![target]!.AsObject())
        {
            // Runtime assemblies sit flat beside the app, resources in a folder per culture, RID assets under runtimes/.
            foreach (var (path, _) in library?["runtime"]?.AsObject() ?? []) relative.Add(Path.GetFileName(path));
            foreach (var (path, _) in library?["native"]?.AsObject() ?? []) relative.Add(Path.GetFileName(path));
            foreach (var (path, info) in library?["resources"]?.AsObject() ?? [])
                relative.Add($"{info!["locale"]!.GetValue<string>()}/{Path.GetFileName(path)}");
            foreach (var (path, _) in library?["runtimeTargets"]?.AsObject() ?? []) relative.Add(path);
        }
        var missing = relative.Where(r => !File.Exists(Path.Combine(directory, r))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"the runner in {directory} lacks {string.Join(", ", missing)}, which its deps.json lists: rebuild it (dotnet build -c Release)");
        return relative.Select(r => (Path.Combine(directory, r), r)).ToList();
    }

    private static string SetupScript() => """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, while it builds the autograder image (Ubuntu): the .NET runtime the
        # grader runs on, and an unprivileged user that students' code runs as.
        set -euo pipefail
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends ca-certificates curl libc6 libgcc-s1 libstdc++6 zlib1g util-linux
        apt-get install -y -q --no-install-recommends libssl3 || apt-get install -y -q --no-install-recommends libssl1.1
        curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
        bash /tmp/dotnet-install.sh --channel 10.0 --runtime dotnet --install-dir /usr/local/dotnet
        ln -sf /usr/local/dotnet/dotnet /usr/local/bin/dotnet
        id -u student >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin student
        dotnet --list-runtimes

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string RunScript(string notebook, GradeOptions options)
    {
        var seconds = options.Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return $$"""
            #!/usr/bin/env bash
            # Gradescope runs this for each submission, as root, from /autograder. AUTOGRADER_ROOT points it at another
            # folder laid out the same way (source/, submission/, results/), to try the package on your machine.
            set -uo pipefail
            root="${AUTOGRADER_ROOT:-/autograder}"
            dotnet="$(command -v dotnet || echo /usr/local/dotnet/dotnet)"
            run_as=()
            # As root with setup.sh's user: students' code runs as that user and cannot read the instructor's notebooks.
            if [ "$(id -u)" = 0 ] && id -u {{UserName}} >/dev/null 2>&1; then
              chmod -R go-rwx "$root/source/course"
              run_as=(--run-as {{UserName}})
            fi
            mkdir -p "$root/results"
            exec "$dotnet" "$root/source/runner/Course.Notebooks.dll" grade "$root/source/{{notebook}}" "$root/submission" \
              --out "$root/results" --gradescope --timeout {{seconds}} --memory {{options.MemoryBytes >> 20}} --mode {{(options.TestMode ? "test" : "full")}} ${run_as[@]+"${run_as[@]}"}

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
