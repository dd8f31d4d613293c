using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        // Factories with TorchSharp's names: nn.Linear(...) returns a Modules.Linear, and so on.

        public static Modules.Linear Linear(long inputSize, long outputSize, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
            => new(inputSize, outputSize, hasBias);

        public static Modules.Conv2d Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
            PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), (padding, padding), null, (dilation, dilation), groups, Zeros(padding_mode, bias));

        public static Modules.Conv2d Conv2d(long in_channels, long out_channels, long kernelSize, Padding padding, long stride = 1, long dilation = 1,
            PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), null, padding, (dilation, dilation), groups, Zeros(padding_mode, bias));

        public static Modules.Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
            (long, long)? dilation = null, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, kernelSize, stride ?? (1, 1), padding ?? (0, 0), null, dilation ?? (1, 1), groups, Zeros(padding_mode, bias));

        static bool Zeros(PaddingModes mode, bool bias) => mode is PaddingModes.Zeros or PaddingModes.Constant
            ? bias
            : throw new NotSupportedException($"Conv2d: padding_mode {mode} is not supported; pad with nn.functional.pad first.");

        public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long output_padding = 0,
            long dilation = 1, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (output_padding, output_padding), (dilation, dilation), groups, Zeros(padding_mode, bias));

        public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, (long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
            (long, long)? output_padding = null, (long, long)? dilation = null, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, kernelSize, stride ?? (1, 1), padding ?? (0, 0), output_padding ?? (0, 0), dilation ?? (1, 1), groups, Zeros(padding_mode, bias));

        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules)
        {
            var s = new Sequential();
            foreach (var m in modules) s.append(m);
            return s;
        }

        public static Sequential Sequential(params (string name, Module<Tensor, Tensor> submodule)[] modules)
        {
            var s = new Sequential();
            foreach (var (n, m) in modules) s.append(n, m);
            return s;
        }

        public static Sequential Sequential(IEnumerable<Module<Tensor, Tensor>> modules) => Sequential(modules.ToArray());
        public static Sequential Sequential(IEnumerable<(string name, Module<Tensor, Tensor> submodule)> modules) => Sequential(modules.ToArray());

        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
        public static ModuleList<Module> ModuleList(params Module[] modules) => new(modules);
        public static ModuleDict<T> ModuleDict<T>(params (string, T)[] modules) where T : Module => new(modules);

        public static Modules.ReLU ReLU(bool inplace = false) => new();
        public static Modules.LeakyReLU LeakyReLU(double negative_slope = 0.01, bool inplace = false) => new(negative_slope);
        public static Modules.SiLU SiLU(bool inplace = false) => new();
        public static Modules.GELU GELU() => new("none");
        public static Modules.GELU GELU(string approximate) => new(approximate);
        public static Modules.Sigmoid Sigmoid() => new();
        public static Modules.Tanh Tanh() => new();
        public static Modules.Softplus Softplus(double beta = 1, double threshold = 20) => new(beta, threshold);
        public static Modules.ELU ELU(double alpha = 1, bool inplace = false) => new(alpha);
        public static Modules.Softmax Softmax(long dim) => new(dim);
        public static Modules.LogSoftmax LogSoftmax(long dim) => new(dim);
        public static Modules.Identity Identity() => new();

        public static Modules.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
        public static Modules.Unflatten Unflatten(long dim, long[] unflattened_size) => new(dim, unflattened_size);
        public static Modules.Dropout Dropout(double p = 0.5, bool inplace = false) => new(p);

        public static Modules.BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
            => new(num_features, eps, momentum, affine, track_running_stats);
        public static Modules.BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
            => new(num_features, eps, momentum, affine, track_running_stats);
        public static Modules.LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
            => new(normalized_shape, eps, elementwise_affine);
        public static Modules.LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
            => new([normalized_shape], eps, elementwise_affine);
        public static Modules.GroupNorm GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, Device? device = null, ScalarType? dtype = null)
            => new(num_groups, num_channels, eps, affine);
        public static Modules.Embedding Embedding(long num_embeddings, long embedding_dims, Device? device = null, ScalarType? dtype = null)
            => new(num_embeddings, embedding_dims);

        public static Modules.MaxPool2d MaxPool2d(long kernelSize, long? stride = null, long? padding = null, long? dilation = null, bool ceil_mode = false)
            => new([kernelSize], stride is null ? null : [stride.Value], padding is null ? null : [padding.Value], dilation is null ? null : [dilation.Value], ceil_mode);
        public static Modules.MaxPool2d MaxPool2d((long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null, (long, long)? dilation = null, bool ceil_mode = false)
            => new([kernelSize.Item1, kernelSize.Item2], stride is { } s ? [s.Item1, s.Item2] : null, padding is { } p ? [p.Item1, p.Item2] : null, dilation is { } d ? [d.Item1, d.Item2] : null, ceil_mode);
        public static Modules.AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true)
            => new([kernel_size], stride is null ? null : [stride.Value], [padding], ceil_mode, count_include_pad);
        public static Modules.AvgPool2d AvgPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null, bool ceil_mode = false, bool count_include_pad = true)
            => new([kernel_size.Item1, kernel_size.Item2], stride is { } s ? [s.Item1, s.Item2] : null, padding is { } p ? [p.Item1, p.Item2] : null, ceil_mode, count_include_pad);

        public static Modules.Upsample Upsample(long[]? size = null, double[]? scale_factor = null, UpsampleMode mode = UpsampleMode.Nearest, bool? align_corners = null)
            => new(size, scale_factor, mode == UpsampleMode.Nearest ? InterpolationMode.Nearest : throw new NotSupportedException($"Upsample: mode {mode} is not supported; use Nearest."));

        public static Modules.MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);
        public static Modules.L1Loss L1Loss(Reduction reduction = Reduction.Mean) => new(reduction);
        public static Modules.BCELoss BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);
        public static Modules.BCEWithLogitsLoss BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weights = null) => new(weight, reduction, pos_weights);
        public static Modules.CrossEntropyLoss CrossEntropyLoss(Tensor? weight = null, long? ignore_index = null, Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            => new(weight, ignore_index, reduction, label_smoothing);
        public static Modules.NLLLoss NLLLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, -100, reduction);
        public static Modules.KLDivLoss KLDivLoss(Reduction reduction = Reduction.Mean, bool log_target = false) => new(reduction, log_target);
        public static Modules.GaussianNLLLoss GaussianNLLLoss(bool full = false, double eps = 1e-6, Reduction reduction = Reduction.Mean) => new(full, eps, reduction);
    }
}

/// <summary>Upsample modes (TorchSharp's UpsampleMode); only Nearest is implemented.</summary>
public enum UpsampleMode { Nearest = 0, Linear = 1, Bilinear = 2, Bicubic = 3, Trilinear = 4 }
