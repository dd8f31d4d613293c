using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Lab;

/// <summary>
/// A small MNIST CNN used as a judge of generated digits: conv 1->16 (3x3, stride 2) -> conv 16->32 (3x3, stride 2)
/// -> linear 1568->128 (the feature layer) -> linear 128->10. Inputs are <c>[N,1,28,28]</c> (or <c>[N,784]</c>) in
/// [0,1], grey or binarized. <see cref="Features"/> gives the 128 ReLU features that
/// <see cref="Metrics.FrechetDistance(MnistClassifier, torch.Tensor, torch.Tensor)"/> compares.
/// </summary>
public sealed class MnistClassifier : nn.Module<torch.Tensor, torch.Tensor>
{
    public const int FeatureSize = 128;

    // Field names become the state-dict keys (conv1.weight, ...), so renaming them invalidates saved files.
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>A fresh, untrained classifier whose weights depend only on <paramref name="seed"/>.</summary>
    public MnistClassifier(int seed = 0) : base(nameof(MnistClassifier))
    {
        conv1 = nn.Conv2d(1, 16, 3, stride: 2, padding: 1);   // 28 -> 14
        conv2 = nn.Conv2d(16, 32, 3, stride: 2, padding: 1);  // 14 -> 7
        fc1 = nn.Linear(32 * 7 * 7, FeatureSize);
        fc2 = nn.Linear(FeatureSize, 10);
        // PyTorch's default init again (kaiming_uniform_ with a = sqrt 5 is U(-1/sqrt fan_in, 1/sqrt fan_in), as for
        // the bias), drawn from our own generator, so the global torch seed is neither used nor moved.
        using var g = new Generator((ulong)seed);
        using (no_grad())
            foreach (var (w, b) in new (torch.Tensor, torch.Tensor?)[] { (conv1.weight!, conv1.bias), (conv2.weight!, conv2.bias), (fc1.weight!, fc1.bias), (fc2.weight!, fc2.bias) })
            {
                var (fanIn, _) = nn.init.CalculateFanInAndFanOut(w);
                double bound = 1 / Math.Sqrt(fanIn);
                // Tensor.uniform_, not nn.init.uniform_: in TorchSharp 0.107 the latter ignores its generator.
                w.uniform_(-bound, bound, g);
                b?.uniform_(-bound, bound, g);
            }
        Seed = seed;
        RegisterComponents();
    }

    /// <summary>The seed the weights were initialised (and, after <see cref="Train"/>, the batches drawn) with.</summary>
    public int Seed { get; }

    /// <summary>How the classifier was trained (null when untrained or loaded from a file without it).</summary>
    public TrainingReport? Report { get; private set; }

    /// <summary>Logits <c>[N,10]</c>.</summary>
    public override torch.Tensor forward(torch.Tensor input) => fc2.forward(FeaturesOf(input));

    private torch.Tensor FeaturesOf(torch.Tensor input)
    {
        var x = AsImages(input, "MnistClassifier");
        x = conv1.forward(x).relu();
        x = conv2.forward(x).relu();
        return fc1.forward(x.flatten(1)).relu();
    }

    /// <summary>The penultimate layer: <c>[N,128]</c> ReLU features, computed in eval mode without a graph.</summary>
    public torch.Tensor Features(torch.Tensor images, int batchSize = 1000) => Batched(images, batchSize, FeaturesOf);

    /// <summary>The predicted digit of each image, int64 <c>[N]</c>.</summary>
    public torch.Tensor Predict(torch.Tensor images, int batchSize = 1000) =>
        Batched(images, batchSize, forward).argmax(1);

    /// <summary>Class probabilities (softmax of the logits), float32 <c>[N,10]</c>, eval mode, no graph.</summary>
    public torch.Tensor Probabilities(torch.Tensor images, int batchSize = 1000) =>
        Batched(images, batchSize, x => forward(x).softmax(1));

    /// <summary>Fraction of <paramref name="dataset"/> (labelled MNIST-shaped) classified correctly.</summary>
    public double Accuracy(Dataset dataset)
    {
        var labels = dataset.Labels ?? throw new ArgumentException($"MnistClassifier.Accuracy: dataset '{dataset.Name}' has no labels.");
        if (dataset.Count == 0) throw new ArgumentException($"MnistClassifier.Accuracy: dataset '{dataset.Name}' is empty.");
        var predicted = Predict(dataset.X).data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return (double)correct / labels.Length;
    }

    private torch.Tensor Batched(torch.Tensor images, int batchSize, Func<torch.Tensor, torch.Tensor> f)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"MnistClassifier: batch size must be positive, got {batchSize}.");
        var x = AsImages(images, "MnistClassifier");
        bool wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();   // activations and the per-batch parts; only the result leaves
            long n = x.shape[0];
            if (n <= batchSize) return f(x).MoveToOuterDisposeScope();
            var parts = new List<torch.Tensor>();
            for (long start = 0; start < n; start += batchSize)
                parts.Add(f(x.narrow(0, start, Math.Min(batchSize, n - start))));
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally { train(wasTraining); }
    }

    /// <summary>
    /// [N,1,28,28] as is; [N,784] and [N,28,28] reshaped; anything else is an error naming the shape. Bool images
    /// (binarized samples such as <c>x &gt; 0.5</c>) become 0/1 floats; int64 is refused, since its scale (0..255 or 0/1) is unknown.
    /// </summary>
    internal static torch.Tensor AsImages(torch.Tensor x, string op)
    {
        var s = x.shape;
        if (x.dtype == ScalarType.Bool) x = x.to(ScalarType.Float32);
        if (x.dtype != ScalarType.Float32)
            throw new ArgumentException(
                $"{op}: images must be float32 in [0,1] (or bool), got {x.dtype} with shape [{string.Join(", ", s)}]; " +
                "divide byte values by 255 first, e.g. x.to(float32) / 255.");
        if (s.Length == 4 && s[1] == 1 && s[2] == 28 && s[3] == 28) return x;
        if (s.Length == 2 && s[1] == 784 || s.Length == 3 && s[1] == 28 && s[2] == 28) return x.reshape(s[0], 1, 28, 28);
        throw new ArgumentException($"{op}: expected MNIST images [N,1,28,28] (or [N,784], [N,28,28]), got [{string.Join(", ", s)}].");
    }

    // ---- training --------------------------------------------------------------------------------------------

    // 2 epochs of batch 128, Adam at 5e-3 with cosine decay: 98.6% on the test set (98.3% binarized) in ~20-35 s on 2 cores.
    public const int DefaultEpochs = 2;
    public const int DefaultBatchSize = 128;
    public const double DefaultLearningRate = 5e-3;

    /// <summary>Settings and results of one training run.</summary>
    public sealed record TrainingReport(int Epochs, int Steps, int BatchSize, double LearningRate, int Seed, bool Binarized,
        int TrainCount, double FinalLoss, TimeSpan Elapsed);

    /// <summary>
    /// Trains a classifier with Adam on <paramref name="train"/> (default: the 60k MNIST training images): one epoch of
    /// batch 128 is 469 steps; the learning rate decays to 0 along a cosine over the run. <paramref name="steps"/>, when given, stops after that many steps (test mode). With
    /// <paramref name="binarized"/> each batch is thresholded at 0.5, the form the binarized-MNIST models sample in.
    /// Deterministic for a seed: init, batch order and the result.
    /// </summary>
    public static MnistClassifier Train(Dataset? train = null, int epochs = DefaultEpochs, int? steps = null, int batchSize = DefaultBatchSize,
        double learningRate = DefaultLearningRate, int seed = 0, bool binarized = false, bool showProgress = true)
    {
        train ??= Mnist.Train();
        if (train.Labels is null) throw new ArgumentException($"MnistClassifier.Train: dataset '{train.Name}' has no labels.");
        if (train.SampleSize != 784) throw new ArgumentException($"MnistClassifier.Train: dataset '{train.Name}' has samples of shape [{string.Join(",", train.SampleShape)}], expected [1,28,28].");
        if (epochs <= 0) throw new ArgumentOutOfRangeException(nameof(epochs), $"MnistClassifier.Train: epochs must be positive, got {epochs}.");
        if (steps is <= 0) throw new ArgumentOutOfRangeException(nameof(steps), $"MnistClassifier.Train: steps must be positive, got {steps}.");
        if (binarized) train = train.Binarize();

        var model = new MnistClassifier(seed);
        var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        int perEpoch = (train.Count + batchSize - 1) / batchSize;
        int total = Math.Min(steps ?? int.MaxValue, perEpoch * epochs);
        var progress = showProgress ? new Progress(total, "MNIST classifier", stepsPerEpoch: perEpoch) : null;
        var clock = Stopwatch.StartNew();
        int step = 0;
        double loss = double.NaN;
        model.train();
        for (int epoch = 0; epoch < epochs && step < total; epoch++)
        {
            foreach (var (x, y) in train.Batches(batchSize, seed: seed * 1000 + epoch))
            {
                if (step >= total) break;
                using var scope = NewDisposeScope();   // the step's tensors are freed when the iteration ends
                // Cosine decay to 0 over the run: the last steps average out minibatch noise (worth ~1% accuracy in one epoch).
                optimizer.ParamGroups.First().LearningRate = learningRate * 0.5 * (1 + Math.Cos(Math.PI * step / total));
                optimizer.zero_grad();
                var l = nn.functional.cross_entropy(model.forward(x), y);
                l.backward();
                optimizer.step();
                loss = l.item<float>();
                if (!double.IsFinite(loss))
                    throw new InvalidOperationException($"MnistClassifier.Train: loss became {loss} at step {step} (epoch {epoch}); lower the learning rate ({learningRate}).");
                progress?.Step(loss);
                step++;
            }
        }
        progress?.Done();
        model.eval();
        model.Report = new TrainingReport(epochs, step, batchSize, learningRate, seed, binarized, train.Count, loss, clock.Elapsed);
        return model;
    }

    /// <summary>
    /// The classifier trained on the full MNIST training set with these settings, loaded from
    /// <c>artifacts/cache/</c> when a previous run saved it there (the file is named by the settings), otherwise
    /// trained now and saved. Notebooks that judge samples share one trained copy this way.
    /// </summary>
    public static MnistClassifier Pretrained(int epochs = DefaultEpochs, int seed = 0, bool binarized = false, string? cacheDirectory = null,
        bool showProgress = true)
    {
        var path = Path.Combine(cacheDirectory ?? CacheDirectory(), CacheFileName(epochs, DefaultBatchSize, DefaultLearningRate, seed, binarized));
        if (File.Exists(path)) return Load(path, seed);
        var model = Train(epochs: epochs, seed: seed, binarized: binarized, showProgress: showProgress);
        model.Save(path);
        return model;
    }

    /// <summary>The weight-file name for a training setting, e.g. <c>mnist-classifier-e2-b128-lr0.005-seed0.dat</c>.</summary>
    public static string CacheFileName(int epochs, int batchSize, double learningRate, int seed, bool binarized) =>
        string.Create(CultureInfo.InvariantCulture,
            $"mnist-classifier-e{epochs}-b{batchSize}-lr{learningRate}-seed{seed}{(binarized ? "-bin" : "")}.dat");

    /// <summary>
    /// <c>artifacts/cache</c> at the repository root (found by walking up to <c>Course.sln</c> or <c>data/mnist</c>),
    /// or <c>course-cache</c> in the temp folder outside a repository. The search starts at <paramref name="from"/> when
    /// given, else at the current directory and the library's folder.
    /// </summary>
    public static string CacheDirectory(string? from = null)
    {
        foreach (var start in from is null ? DataLocator.StartDirectories() : [Path.GetFullPath(from)])
        {
            var sln = DataLocator.WalkUp(start, "Course.sln", isFile: true);
            if (sln is not null) return Path.Combine(Path.GetDirectoryName(sln)!, "artifacts", "cache");
            var data = DataLocator.WalkUp(start, Path.Combine("data", "mnist"));
            if (data is not null) return Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(data)!)!, "artifacts", "cache");
        }
        return Path.Combine(Path.GetTempPath(), "course-cache");
    }

    /// <summary>Writes the weights (TorchSharp's format; temporary file, then moved). Creates the folder.</summary>
    public MnistClassifier Save(string path)
    {
        // Notebooks running side by side (the test suite's two kernels) may both train and save the shared copy.
        Course.Shared.AtomicFile.Write(path, stream => save(stream));
        return this;
    }

    /// <summary>A classifier with the weights in <paramref name="path"/>; errors name the file and the key.</summary>
    public static MnistClassifier Load(string path, int seed = 0)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"MnistClassifier.Load: no weight file at '{Path.GetFullPath(path)}'; train one with MnistClassifier.Train(...).Save(path).", path);
        var model = new MnistClassifier(seed);
        model.load(path);
        model.eval();
        return model;
    }
}
