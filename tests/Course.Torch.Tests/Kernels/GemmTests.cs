using Course.Torch.Kernels;

namespace Course.Torch.Tests.Kernels;

public class GemmTests
{
    public static IEnumerable<object[]> Isas() =>
        Enum.GetValues<GemmIsa>().Where(GemmIsas.IsSupported).Select(i => new object[] { i.ToString() });

    /// <summary>Runs one product through the kernel under test and the naive oracle, with padded strides.</summary>
    private static void Check(GemmIsa isa, bool transA, bool transB, int m, int n, int k, bool accumulate,
        int pad = 0, int threads = 1, int seed = 1)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        int aRows = transA ? k : m, bRows = transB ? n : k;
        // Spans end exactly at the last element (no slack after the last row), as a sub-matrix view would.
        float[] a = KernelAssert.Random(seed, aRows == 0 ? 0 : (aRows - 1) * lda + (transA ? m : k));
        float[] b = KernelAssert.Random(seed + 1, bRows == 0 ? 0 : (bRows - 1) * ldb + (transB ? k : n));
        float[] c0 = KernelAssert.Random(seed + 2, m == 0 ? 0 : (m - 1) * ldc + n);
        float[] want = (float[])c0.Clone(), got = (float[])c0.Clone();
        var mag = new double[want.Length];
        ReferenceGemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, want, ldc, accumulate, mag);
        Gemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, got, ldc, accumulate, isa, threads);
        // Padding columns of C (between rows) must be untouched.
        for (int i = 0; i < m - 1; i++)
            for (int j = n; j < ldc; j++)
                Assert.Equal(c0[i * ldc + j], got[i * ldc + j]);
        KernelAssert.Close(want, got, mag, $"{isa} tA={transA} tB={transB} m={m} n={n} k={k} acc={accumulate} pad={pad} threads={threads}");
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void Odd_sizes_all_transposes_match_reference(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        int[] sizes = [1, 3, 7, 17, 33, 100];
        int seed = 0;
        foreach (bool tA in new[] { false, true })
        foreach (bool tB in new[] { false, true })
        foreach (int m in sizes)
        foreach (int n in new[] { 1, 7, 33, 100 })
        foreach (int k in new[] { 1, 17, 100 })
            Check(isa, tA, tB, m, n, k, accumulate: (seed & 1) == 1, pad: seed % 3 == 0 ? 5 : 0, seed: seed++);
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void Sizes_crossing_block_edges_match_reference(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        // 257/260 cross the 256 depth block and the 128-row block, leaving ragged register tiles both ways.
        Check(isa, false, false, 257, 45, 260, accumulate: false, pad: 3);
        Check(isa, true, true, 130, 70, 257, accumulate: true);
        Check(isa, true, false, 33, 100, 513, accumulate: true, pad: 1);
        Check(isa, false, true, 150, 40, 300, accumulate: false, pad: 2);
        Check(isa, false, false, 9, 2100, 20, accumulate: true);   // crosses the 2048-column block
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void Parallel_path_matches_reference(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        // > 3 MFLOP, so these fork; odd sizes give ragged chunks on every thread.
        Check(isa, false, false, 141, 121, 97, accumulate: false, threads: 2);
        Check(isa, true, true, 45, 260, 131, accumulate: true, pad: 7, threads: 3);
        Check(isa, false, true, 1000, 5, 400, accumulate: false, threads: 2);   // skinny: direct dot path, split rows
        Check(isa, true, false, 700, 3, 800, accumulate: true, threads: 2);     // skinny transposed A: column axpy path
        Check(isa, true, false, 2, 1500, 520, accumulate: true, threads: 2);    // two rows: direct path, split columns
    }

    [Fact]
    public void Parallel_path_with_deep_k_spans_several_column_blocks()
    {
        // Shared packed B is capped at 4M floats, so k = 7000 gives 576-column blocks: n = 600 needs two.
        Check(GemmIsas.Best, false, false, 8, 600, 7000, accumulate: false, threads: 2);
    }

    [Theory]
    [InlineData(false, false, 150, 170, 300)]   // blocked
    [InlineData(true, true, 90, 260, 200)]      // blocked, transposed
    [InlineData(false, true, 900, 5, 500)]      // direct, rows split
    public void Results_do_not_depend_on_the_thread_count(bool tA, bool tB, int m, int n, int k)
    {
        // Every element is summed in the same order on any number of threads: runs are reproducible across machines.
        float[] a = KernelAssert.Random(21, m * k), b = KernelAssert.Random(22, k * n);
        float[] one = new float[m * n], two = new float[m * n], three = new float[m * n];
        int lda = tA ? m : k, ldb = tB ? k : n;
        Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, one, n, false, GemmIsas.Best, 1);
        Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, two, n, false, GemmIsas.Best, 2);
        Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, three, n, false, GemmIsas.Best, 3);
        Assert.Equal(one, two);
        Assert.Equal(one, three);
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void Deep_small_products_split_k_and_match_reference(string isaName)
    {
        var isa = Enum.Parse<GemmIsa>(isaName);
        // C of at most 192x192 with k >= 1024 takes the split-k path (slices of k summed in order), on 1..3 threads.
        Assert.True(GemmSplitK.Applies(128, 128, 1024));
        Assert.False(GemmSplitK.Applies(128, 128, 1023));
        Assert.False(GemmSplitK.Applies(200, 192, 4096));
        Check(isa, true, false, 128, 128, 1024, accumulate: false, threads: 2);     // an MLP weight gradient gᵀX
        Check(isa, true, false, 128, 128, 1024, accumulate: true, threads: 1);
        Check(isa, false, true, 33, 190, 1500, accumulate: true, pad: 3, threads: 2); // 2 ragged slices
        Check(isa, true, true, 17, 9, 2600, accumulate: false, pad: 1, threads: 3);   // 4 slices, ragged tiles
        Check(isa, false, false, 191, 41, 5000, accumulate: true, threads: 2);       // capped at 4 slices
    }

    [Theory]
    [InlineData(true, false, 128, 128, 1024)]
    [InlineData(false, true, 100, 70, 2100)]
    public void Split_k_results_do_not_depend_on_the_thread_count(bool tA, bool tB, int m, int n, int k)
    {
        Assert.True(GemmSplitK.Applies(m, n, k));
        float[] a = KernelAssert.Random(31, m * k), b = KernelAssert.Random(32, k * n);
        int lda = tA ? m : k, ldb = tB ? k : n;
        var runs = new[] { 1, 2, 3, 2 }.Select(t =>
        {
            float[] c = KernelAssert.Random(33, m * n);
            Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, c, n, true, GemmIsas.Best, t);
            return c;
        }).ToArray();
        foreach (var r in runs.Skip(1)) Assert.Equal(runs[0], r);
    }

    [Theory]
    [InlineData(false, 128, 3, 1024, false, 0, 1)]   // the course's first-layer weight gradient
    [InlineData(true, 77, 5, 300, true, 4, 1)]       // Bᵀ, accumulate, padded strides, m not a multiple of the vector
    [InlineData(false, 900, 7, 600, true, 2, 2)]     // over 3 MFLOP: rows split across threads
    public void Tall_narrow_transposed_A_products_match_reference(bool tB, int m, int n, int k, bool acc, int pad, int threads)
    {
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmIsas.IsSupported))
            Check(isa, true, tB, m, n, k, acc, pad, threads);
    }

    [Theory]
    [InlineData(false, true, 1024, 128, 128, 2)]   // an MLP layer forward (x Wᵀ), parallel chunks
    [InlineData(false, true, 1024, 128, 128, 1)]
    [InlineData(false, false, 301, 70, 260, 3)]    // two depth blocks, ragged tiles
    [InlineData(true, false, 37, 9, 5, 1)]         // direct path
    [InlineData(false, true, 1000, 2, 128, 2)]     // two outputs: direct, rows split
    [InlineData(false, false, 64, 64, 2048, 2)]    // split-k shape: separate passes
    public void Bias_relu_and_mask_epilogues_equal_separate_passes_bitwise(bool tA, bool tB, int m, int n, int k, int threads)
    {
        float[] a = KernelAssert.Random(41, m * k), b = KernelAssert.Random(42, k * n);
        float[] bias = KernelAssert.Random(43, n), mask = KernelAssert.Random(44, m * n);
        int lda = tA ? m : k, ldb = tB ? k : n;
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmIsas.IsSupported))
        {
            // Separate passes: bias rows, accumulating GEMM, relu (x > 0 ? x : 0), mask select.
            float[] want = new float[m * n];
            for (int i = 0; i < m; i++) bias.CopyTo(want, i * n);
            Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, want, n, true, isa, threads);
            float[] relu = want.Select(v => Math.Max(v, 0f)).ToArray();
            float[] plain = new float[m * n];
            Gemm.Sgemm(tA, tB, m, n, k, a, lda, b, ldb, plain, n, false, isa, threads);
            float[] masked = plain.Select((v, i) => mask[i] > 0 ? v : 0f).ToArray();

            float[] got = new float[m * n];
            Gemm.SgemmBiasRelu(tA, tB, m, n, k, a, lda, b, ldb, got, n, bias, true, isa, threads);
            Assert.Equal(relu, got);
            Gemm.SgemmBiasRelu(tA, tB, m, n, k, a, lda, b, ldb, got, n, bias, false, isa, threads);
            Assert.Equal(want, got);
            Gemm.SgemmBiasRelu(tA, tB, m, n, k, a, lda, b, ldb, got, n, default, false, isa, threads, mask);
            Assert.Equal(masked, got);
        }
    }

    [Fact]
    public void Epilogue_errors_name_the_bias_and_mask_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.SgemmBiasRelu(false, false, 2, 3, 4, new float[8], 4, new float[12], 3,
            new float[6], 3, new float[2], false, GemmIsas.Best, 1));
        Assert.Contains("bias holds 2 elements, C has 3 columns", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.SgemmBiasRelu(false, false, 2, 3, 4, new float[8], 4, new float[12], 3,
            new float[6], 3, default, false, GemmIsas.Best, 1, new float[5]));
        Assert.Contains("mask holds 5 elements, C is 2x3", e.Message);
    }

    [Fact]
    public void Tiny_products_of_the_course_2d_models_are_exact()
    {
        // m=1, k=1, n=2: [3] x [[2, -1]] = [6, -3]; accumulate adds onto C.
        float[] c = [10, 20];
        Gemm.Sgemm(false, false, 1, 2, 1, [3f], 1, [2f, -1f], 2, c, 2, accumulate: true);
        Assert.Equal([16f, 17f], c);
        Gemm.Sgemm(false, true, 1, 2, 1, [3f], 1, [2f, -1f], 1, c, 2, accumulate: false);
        Assert.Equal([6f, -3f], c);
        // 2x2 times its transpose.
        float[] a = [1, 2, 3, 4], r = new float[4];
        Gemm.Sgemm(false, true, 2, 2, 2, a, 2, a, 2, r, 2, accumulate: false);
        Assert.Equal([5f, 11f, 11f, 25f], r);
    }

    [Fact]
    public void Zero_depth_clears_or_keeps_C()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Sgemm(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f], c);
        Gemm.Sgemm(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: false);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void Public_entry_uses_the_best_kernel_and_threads()
    {
        float[] a = KernelAssert.Random(3, 200 * 300), b = KernelAssert.Random(4, 300 * 150);
        float[] want = new float[200 * 150], got = new float[200 * 150];
        var mag = new double[want.Length];
        ReferenceGemm.Sgemm(false, false, 200, 150, 300, a, 300, b, 150, want, 150, false, mag);
        Gemm.Sgemm(false, false, 200, 150, 300, a, 300, b, 150, got, 150, accumulate: false);
        KernelAssert.Close(want, got, mag, "public Sgemm");
    }

    [Fact]
    public void Bad_shapes_name_the_operand_and_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 3, 4, 5, new float[14], 5, new float[20], 4, new float[12], 4, false));
        Assert.Contains("A is 3x5", e.Message);
        Assert.Contains("needs 15 elements", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, true, 3, 4, 5, new float[15], 5, new float[20], 4, new float[12], 4, false));
        Assert.Contains("Bᵀ is 5x4, stored 4x5 with ldb=4", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, -1, 4, 5, [], 5, [], 4, [], 4, false));
        Assert.Contains("m=-1", e.Message);
    }

    [Fact]
    public void Scaled_operands_match_reference()
    {
        // Large and small magnitudes in one product: the tolerance is relative to sum |a||b|, not to |c|.
        const int m = 64, n = 96, k = 700;
        float[] a = KernelAssert.Random(9, m * k, 10), b = KernelAssert.Random(10, k * n, 0.1f);
        float[] want = new float[m * n], got = new float[m * n];
        var mag = new double[want.Length];
        ReferenceGemm.Sgemm(false, false, m, n, k, a, k, b, n, want, n, false, mag);
        Gemm.Sgemm(false, false, m, n, k, a, k, b, n, got, n, false, GemmIsas.Best, 2);
        KernelAssert.Close(want, got, mag, "scaled operands");
    }
}
