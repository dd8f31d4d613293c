using System.Text;
using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests.NN;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class SerializationTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "course-nn-tests-" + Guid.NewGuid().ToString("N"));
    public SerializationTests() => Directory.CreateDirectory(dir);
    public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

    static nn.Module<Tensor, Tensor> Model() => nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3));

    [Fact]
    public void Save_then_load_gives_identical_outputs()
    {
        manual_seed(1);
        var a = Model();
        // Move the batch-norm running stats off their defaults so buffers are checked too.
        a.forward(randn(4, 1, 6, 6, generator: new Generator(2)));
        a.eval();
        var path = Path.Combine(dir, "model.bin");
        a.save(path);
        manual_seed(99);
        var b = Model();
        b.load(path);
        b.eval();
        var x = randn(3, 1, 6, 6, generator: new Generator(3));
        Assert.True(a.forward(x).equal(b.forward(x)));
        Assert.Equal(["model.bin"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_old_file_and_no_temporary_one()
    {
        var path = Path.Combine(dir, "sub", "model.bin");
        Course.Shared.AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidOperationException>(() => Course.Shared.AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("writer failed");
        }));
        Assert.Equal("writer failed", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.bin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void File_bytes_follow_the_torchsharp_format()
    {
        var lin = nn.Linear(3, 2);
        var bn = nn.BatchNorm1d(2);
        var m = nn.Sequential(("fc", lin), ("bn", (nn.Module<Tensor, Tensor>)bn));
        var path = Path.Combine(dir, "w.bin");
        m.save(path);
        var bytes = File.ReadAllBytes(path);
        int pos = 0;
        long Leb() { long r = 0; int s = 0; while (true) { byte b = bytes[pos++]; r |= (long)(b & 0x7f) << s; if ((b & 0x80) == 0) return r; s += 7; } }
        Assert.Equal(7, Leb()); // fc.weight, fc.bias, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.num_batches_tracked
        var entries = new List<(string key, long dtype, long[] dims)>();
        for (int e = 0; e < 7; e++)
        {
            int len = (int)Leb();
            string key = Encoding.UTF8.GetString(bytes, pos, len); pos += len;
            long dtype = Leb();
            long ndim = Leb();
            var dims = new long[ndim];
            for (int d = 0; d < ndim; d++) dims[d] = Leb();
            long n = dims.Aggregate(1L, (x, y) => x * y);
            int width = dtype == 6 ? 4 : dtype == 4 ? 8 : 1;
            if (key == "fc.weight")
            {
                var first = BitConverter.ToSingle(bytes, pos);
                Assert.Equal(lin.weight.data<float>()[0, 0], first);
                var last = BitConverter.ToSingle(bytes, pos + 5 * 4);
                Assert.Equal(lin.weight.data<float>()[1, 2], last);
            }
            pos += (int)(n * width);
            entries.Add((key, dtype, dims));
        }
        Assert.Equal(bytes.Length, pos);
        Assert.Equal(("fc.weight", 6L), (entries[0].key, entries[0].dtype));
        Assert.Equal(new long[] { 2, 3 }, entries[0].dims);
        Assert.Equal(new[] { "fc.weight", "fc.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked" }, entries.Select(e => e.key));
        Assert.Equal(4L, entries[6].dtype);
        Assert.Empty(entries[6].dims);
    }

    [Fact]
    public void Truncated_or_mismatched_files_name_the_file_and_key()
    {
        var m = nn.Sequential(nn.Linear(3, 2));
        var path = Path.Combine(dir, "t.bin");
        m.save(path);
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(dir, "cut.bin");
        File.WriteAllBytes(cut, bytes[..^3]);
        var ex = Assert.Throws<InvalidDataException>(() => nn.Sequential(nn.Linear(3, 2)).load(cut));
        Assert.Contains("cut.bin", ex.Message);
        Assert.Contains("'0.bias'", ex.Message);

        var ex2 = Assert.Throws<ArgumentException>(() => nn.Sequential(nn.Linear(4, 2)).load(path));
        Assert.Contains("t.bin", ex2.Message);
        Assert.Contains("'0.weight'", ex2.Message);

        var ex3 = Assert.Throws<FileNotFoundException>(() => m.load(Path.Combine(dir, "none.bin")));
        Assert.Contains("none.bin", ex3.Message);
    }
}
