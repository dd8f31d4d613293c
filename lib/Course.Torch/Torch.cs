namespace Course.Torch;

/// <summary>
/// The root of the API, shaped like TorchSharp's <c>torch</c> class: factories, math functions, grad modes.
/// Course code uses it as <c>using static Course.Torch.torch;</c>. Split over many partial files.
/// </summary>
public static partial class torch
{
    /// <summary>Element types. Codes match TorchSharp/PyTorch (they are written into weight files).</summary>
    public enum ScalarType : sbyte
    {
        Byte = 0, Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, Float16 = 5, Float32 = 6, Float64 = 7, Bool = 11,
    }

    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>Device kinds; only the CPU exists here.</summary>
    public enum DeviceType { CPU = 0, CUDA = 1 }

    /// <summary>A device handle so TorchSharp-style <c>device:</c> arguments compile. Always the CPU.</summary>
    public sealed class Device
    {
        public DeviceType type { get; }
        public int index { get; }
        public Device(DeviceType type = DeviceType.CPU, int index = -1)
        {
            if (type != DeviceType.CPU) throw new NotSupportedException("Course.Torch runs on the CPU only; CUDA is not available.");
            this.type = type; this.index = index;
        }
        // The torch.CUDA handle exists so `cuda.is_available() ? CUDA : CPU` compiles; using it throws (RequireCpu).
        Device(DeviceType type, int index, bool _) { this.type = type; this.index = index; }
        internal static readonly Device CudaHandle = new(DeviceType.CUDA, -1, true);

        /// <summary>Throws a clear error when asked to place anything on a non-CPU device.</summary>
        internal void RequireCpu(string op)
        {
            if (type != DeviceType.CPU)
                throw new NotSupportedException($"{op}: device '{this}' requested, but this engine is CPU-only (torch.cuda.is_available() is false). Use torch.CPU.");
        }
        internal static void RequireCpu(DeviceType type, string op)
        {
            if (type != DeviceType.CPU)
                throw new NotSupportedException($"{op}: device type {type} requested, but this engine is CPU-only (torch.cuda.is_available() is false). Use torch.CPU.");
        }
        public Device(string description) : this(ParseDevice(description)) { }
        static DeviceType ParseDevice(string s) => s.StartsWith("cpu", StringComparison.OrdinalIgnoreCase)
            ? DeviceType.CPU
            : throw new NotSupportedException($"device '{s}': Course.Torch runs on the CPU only.");
        public override string ToString() => type == DeviceType.CPU ? "cpu" : "cuda";
        public static implicit operator Device(string description) => new(description);
    }

    public static readonly Device CPU = new(DeviceType.CPU);
    /// <summary>A CUDA handle for TorchSharp-style device selection; there is no GPU, so using it throws.</summary>
    public static readonly Device CUDA = Device.CudaHandle;
    public static Device device(string description) => new(description);

    public static class cuda
    {
        public static bool is_available() => false;
        public static int device_count() => 0;
    }

    /// <summary>Name of a dtype as PyTorch prints it.</summary>
    internal static string DTypeName(ScalarType t) => t.ToString();
}
