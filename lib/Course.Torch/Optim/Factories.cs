using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class optim
    {
        // TorchSharp's factories. Each takes module parameters (a sequence of Parameter is a sequence of Tensor), plain
        // tensors (for fitting raw tensors such as a Gaussian's mean and log-variance) or explicit parameter groups
        // (each with its own learning rate).

        public static Modules.SGD SGD(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false, bool maximize = false)
            => new(Optimizer.Single(parameters, learningRate), momentum, dampening, weight_decay, nesterov, maximize);
        public static Modules.SGD SGD(IEnumerable<ParamGroup> parameters, double learningRate = 0, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false, bool maximize = false)
            => new(parameters, momentum, dampening, weight_decay, nesterov, maximize);

        public static Modules.Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
            => new(Optimizer.Single(parameters, lr), beta1, beta2, eps, weight_decay, amsgrad, maximize, false, "Adam");
        public static Modules.Adam Adam(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
            => new(parameters, beta1, beta2, eps, weight_decay, amsgrad, maximize, false, "Adam");

        public static Modules.AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false, bool maximize = false)
            => new(Optimizer.Single(parameters, lr), beta1, beta2, eps, weight_decay, amsgrad, maximize);
        public static Modules.AdamW AdamW(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false, bool maximize = false)
            => new(parameters, beta1, beta2, eps, weight_decay, amsgrad, maximize);
    }
}
