using TorchSharp;

namespace Course.Lab;

/// <summary>Where notebooks put their models and batches.</summary>
public static class Devices
{
    /// <summary>
    /// CUDA when this build of TorchSharp has it and a GPU is present (build with <c>-p:CourseTorchBackend=cuda</c>),
    /// else the CPU. Notebooks call it once (<c>var device = Devices.Best();</c>) and move models and batches there.
    /// </summary>
    public static torch.Device Best() => torch.cuda.is_available() ? torch.CUDA : torch.CPU;
}
