using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Shared;
using TorchSharp;

namespace Course.Lab;

/// <summary>
/// What a notebook knows about a model it trained, saved beside its weights so a later notebook (08's scoreboard)
/// can compare families without retraining them.
/// </summary>
/// <param name="Family">Display name, e.g. "PixelCNN".</param>
/// <param name="Notebook">The notebook that trains it, e.g. "02-autoregressive-pixelcnn.ipynb".</param>
/// <param name="Likelihood">"exact", "bound" or "none".</param>
/// <param name="TestNllNats">Test negative log-likelihood (or its bound) per image in nats, when the family has one.</param>
/// <param name="NllData">Which data the NLL is measured on, e.g. "binarized MNIST (threshold 0.5)" or "dequantized MNIST".</param>
/// <param name="TrainSeconds">Wall-clock training time.</param>
/// <param name="Parameters">Number of trained parameters.</param>
/// <param name="SampleSecondsPerImage">Sampling time per image, measured with a batch of <paramref name="SampleBatch"/>.</param>
/// <param name="SampleBatch">Batch size of that timing.</param>
/// <param name="Extra">Further named figures (steps, settings, other metrics).</param>
public sealed record ModelCard(
    string Family,
    string Notebook,
    string Likelihood,
    double? TestNllNats,
    string? NllData,
    double TrainSeconds,
    long Parameters,
    double? SampleSecondsPerImage,
    int SampleBatch,
    IReadOnlyDictionary<string, double>? Extra = null)
{
    /// <summary>Bits per dimension of <see cref="TestNllNats"/> for 784-pixel images, when there is an NLL.</summary>
    [JsonIgnore]
    public double? TestBitsPerDim => TestNllNats is { } nats ? Metrics.BitsPerDim(nats, 784) : null;
}

/// <summary>
/// Trained models saved for later notebooks, one folder each under <c>artifacts/checkpoints/</c> at the repository
/// root: <c>weights.dat</c> (TorchSharp's <c>Module.save</c> format), <c>card.json</c> (a <see cref="ModelCard"/>) and,
/// when given, <c>samples.dat</c> (a tensor of generated images). Every file is written to a temporary file and moved,
/// so a reader never sees half a checkpoint.
/// </summary>
public static class Checkpoints
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary><c>artifacts/checkpoints</c> beside <c>artifacts/cache</c> (see <see cref="MnistClassifier.CacheDirectory"/>).</summary>
    public static string Directory(string? from = null) =>
        Path.Combine(Path.GetDirectoryName(MnistClassifier.CacheDirectory(from))!, "checkpoints");

    /// <summary>The folder of checkpoint <paramref name="name"/> (a short lowercase name such as <c>pixelcnn</c>).</summary>
    public static string PathOf(string name, string? root = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', '.', ' ']) >= 0)
            throw new ArgumentException($"Checkpoints: '{name}' is not a checkpoint name (use letters, digits, '-' or '_').", nameof(name));
        return Path.Combine(root ?? Directory(), name);
    }

    /// <summary>Saves weights, card and (optionally) samples under <paramref name="name"/>; returns the folder.</summary>
    public static string Save(string name, torch.nn.Module model, ModelCard card, torch.Tensor? samples = null, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(card);
        if (card.Likelihood is not ("exact" or "bound" or "none"))
            throw new ArgumentException($"Checkpoints.Save(\"{name}\"): Likelihood must be \"exact\", \"bound\" or \"none\", got \"{card.Likelihood}\".");
        var folder = PathOf(name, root);
        AtomicFile.Write(Path.Combine(folder, "weights.dat"), stream => model.save(stream));
        if (samples is not null)
        {
            // Tensor.save writes by path only, so it goes to a temporary sibling that is then moved into place.
            var target = Path.Combine(folder, "samples.dat");
            var temp = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                using var cpu = samples.detach().cpu();
                cpu.save(temp);
                File.Move(temp, target, overwrite: true);
            }
            finally { File.Delete(temp); }
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "card.json"), JsonSerializer.Serialize(card, Json));
        return folder;
    }

    /// <summary>True when checkpoint <paramref name="name"/> has its weights and card.</summary>
    public static bool Exists(string name, string? root = null)
    {
        var folder = PathOf(name, root);
        return File.Exists(Path.Combine(folder, "weights.dat")) && File.Exists(Path.Combine(folder, "card.json"));
    }

    /// <summary>The card of checkpoint <paramref name="name"/>.</summary>
    public static ModelCard Card(string name, string? root = null)
    {
        var path = Path.Combine(PathOf(name, root), "card.json");
        Require(name, path);
        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoints: '{path}' is not a model card ({e.Message}); run the notebook that trains '{name}' again.", e);
        }
    }

    /// <summary>Loads the weights of <paramref name="name"/> into <paramref name="model"/> (same architecture) and returns it.</summary>
    public static T LoadInto<T>(string name, T model, string? root = null) where T : torch.nn.Module
    {
        var path = Path.Combine(PathOf(name, root), "weights.dat");
        Require(name, path);
        try { model.load(path); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException(
                $"Checkpoints: the weights in '{path}' do not fit {model.GetType().Name} ({e.Message}). The notebook that saves '{name}' " +
                "may have changed its model since; run it again.", e);
        }
        return model;
    }

    /// <summary>The samples saved with <paramref name="name"/>.</summary>
    public static torch.Tensor Samples(string name, string? root = null)
    {
        var path = Path.Combine(PathOf(name, root), "samples.dat");
        Require(name, path);
        return torch.Tensor.load(path);
    }

    private static void Require(string name, string path)
    {
        if (File.Exists(path)) return;
        var card = Path.Combine(Path.GetDirectoryName(path)!, "card.json");
        string who = "";
        if (File.Exists(card) && !path.EndsWith("card.json", StringComparison.Ordinal))
        {
            try { who = $" (notebook {JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(card), Json)?.Notebook})"; }
            catch (JsonException) { }
        }
        throw new FileNotFoundException($"Checkpoints: '{name}' has no {Path.GetFileName(path)} at '{path}'; run the notebook that trains it first{who}.", path);
    }
}
