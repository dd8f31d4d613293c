using static Course.Torch.torch;

namespace Course.Torch;

/// <summary>
/// TorchSharp's <c>module.to(device)</c> idioms as generic extensions, so <c>var m = nn.Linear(2, 2).to(device)</c>
/// keeps its type (<c>Linear</c>, with <c>forward</c>). Everything lives on the CPU: CUDA requests throw.
/// </summary>
public static class ModuleExtensions
{
    public static T to<T>(this T module, Device device) where T : nn.Module
    {
        device.RequireCpu($"{module.GetType().Name}.to");
        return module;
    }

    public static T to<T>(this T module, DeviceType type) where T : nn.Module
    {
        Device.RequireCpu(type, $"{module.GetType().Name}.to");
        return module;
    }

    public static T to<T>(this T module, string device) where T : nn.Module => module.to(new Device(device));

    public static T to<T>(this T module, ScalarType dtype) where T : nn.Module
    {
        if (dtype != ScalarType.Float32) throw new NotSupportedException($"{module.GetType().Name}.to: only Float32 modules are supported, got {dtype}.");
        return module;
    }

    public static T cpu<T>(this T module) where T : nn.Module => module;
}
