using System.IO.Compression;
using System.Security.Cryptography;

namespace Course.Lab.Tests;

public class MnistTests
{
    [Fact]
    public void Training_set_has_60000_images_first_label_5_and_the_published_histogram()
    {
        var train = Mnist.Train(dataDirectory: TestRepo.MnistDir);
        Assert.Equal(60_000, train.Count);
        Assert.Equal([1, 28, 28], train.SampleShape);
        Assert.Equal([60_000L, 1, 28, 28], train.Shape);
        Assert.Equal(5, train.Labels![0]);
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.LabelCounts());
        Assert.InRange(train.Data.Min(), 0f, 0f);
        Assert.InRange(train.Data.Max(), 1f, 1f);
    }

    [Fact]
    public void Test_set_has_10000_images_and_sums_to_the_label_count()
    {
        var test = Mnist.Test(dataDirectory: TestRepo.MnistDir);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(10_000, test.LabelCounts().Sum());
        Assert.Equal(7, test.Labels![0]); // the first test digit is a 7
    }

    [Fact]
    public void Decoded_bytes_are_cached_for_the_process()
    {
        var a = MnistFiles.Load(TestRepo.MnistDir, MnistFiles.TestImages);
        var b = MnistFiles.Load(TestRepo.MnistDir, MnistFiles.TestImages);
        Assert.Same(a, b);
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte")]
    [InlineData("train-labels-idx1-ubyte")]
    [InlineData("t10k-images-idx3-ubyte")]
    [InlineData("t10k-labels-idx1-ubyte")]
    public void Committed_files_match_the_published_checksums(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(TestRepo.MnistDir, name + ".gz")), CompressionMode.Decompress);
        var hash = Convert.ToHexStringLower(SHA256.HashData(gz));
        Assert.Equal(MnistFiles.Sha256[name], hash);
    }

    [Fact]
    public void Binarized_is_pixel_above_127()
    {
        var grey = Mnist.Test(dataDirectory: TestRepo.MnistDir);
        var bin = Mnist.Test(binarized: true, dataDirectory: TestRepo.MnistDir);
        var (raw, _) = Mnist.RawBytes(train: false, TestRepo.MnistDir);
        var bytes = raw.Span;
        var expected = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) expected[i] = bytes[i] > 127 ? 1f : 0f;
        int firstDiff = bin.Data.AsSpan().CommonPrefixLength(expected);
        Assert.True(firstDiff == expected.Length, $"pixel {firstDiff}: byte {(firstDiff < bytes.Length ? bytes[firstDiff] : -1)} binarized to {(firstDiff < bin.Data.Length ? bin.Data[firstDiff] : -1)}");
        Assert.True(bin.Data.AsSpan().SequenceEqual(grey.Binarize(0.5f).Data), "Binarize(0.5) of the grey set differs from binarized loading");
        Assert.Equal(grey.Labels, bin.Labels);
    }

    [Fact]
    public void Truncated_file_gives_an_error_naming_file_checksum_and_fix()
    {
        var dir = TestRepo.TempDir("mnist-truncated");
        try
        {
            var source = File.ReadAllBytes(Path.Combine(TestRepo.MnistDir, "t10k-images-idx3-ubyte.gz"));
            File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), source[..(source.Length / 2)]);
            File.Copy(Path.Combine(TestRepo.MnistDir, "t10k-labels-idx1-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));

            var e = Assert.Throws<InvalidDataException>(() => Mnist.Test(dataDirectory: dir));
            Assert.Contains(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), e.Message);
            Assert.Contains(MnistFiles.Sha256["t10k-images-idx3-ubyte"], e.Message);
            Assert.Contains("git checkout -- data/mnist", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Valid_gzip_with_wrong_content_fails_the_checksum()
    {
        var dir = TestRepo.TempDir("mnist-wrong");
        try
        {
            File.Copy(Path.Combine(TestRepo.MnistDir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
            using (var gz = new GZipStream(File.Create(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz")), CompressionLevel.Fastest))
                gz.Write(new byte[10_008]);
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Test(dataDirectory: dir));
            Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
            Assert.Contains(MnistFiles.Sha256["t10k-labels-idx1-ubyte"], e.Message);
            Assert.Contains("SHA-256", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Missing_file_names_the_file_and_how_to_restore_it()
    {
        var dir = TestRepo.TempDir("mnist-missing");
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => Mnist.Train(dataDirectory: dir));
            Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
            Assert.Contains(MnistFiles.Sha256["train-images-idx3-ubyte"], e.Message);
            Assert.Contains("data/README.md", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Idx_parser_rejects_bad_magic_and_size_mismatch()
    {
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => MnistFiles.Parse([0, 0, 9, 1, 0, 0, 0, 1, 5], "x")).Message);
        var e = Assert.Throws<InvalidDataException>(() => MnistFiles.Parse([0, 0, 8, 1, 0, 0, 0, 3, 5], "y"));
        Assert.Contains("need 3 bytes", e.Message);
        var ok = MnistFiles.Parse([0, 0, 8, 1, 0, 0, 0, 2, 5, 6], "z");
        Assert.Equal([2], ok.Dims);
        Assert.Equal([5, 6], ok.Payload.ToArray());
    }
}
