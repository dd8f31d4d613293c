namespace Course.Torch.Modules;

using static Course.Torch.torch.optim;

// The closed-form schedules behind torch.optim.lr_scheduler's factories.

public sealed class StepLR : lr_scheduler.LRScheduler
{
    readonly int stepSize; readonly double gamma;
    internal StepLR(Optimizer optimizer, int step_size, double gamma, int last_epoch) : base(optimizer, last_epoch)
    {
        if (step_size <= 0) throw new ArgumentException($"StepLR: step_size must be positive, got {step_size}.");
        stepSize = step_size; this.gamma = gamma;
        Start();
    }
    protected override double LearningRateAt(double baseLr, int epoch) => baseLr * Math.Pow(gamma, epoch / stepSize);
}

public sealed class ExponentialLR : lr_scheduler.LRScheduler
{
    readonly double gamma;
    internal ExponentialLR(Optimizer optimizer, double gamma, int last_epoch) : base(optimizer, last_epoch)
    {
        this.gamma = gamma;
        Start();
    }
    protected override double LearningRateAt(double baseLr, int epoch) => baseLr * Math.Pow(gamma, epoch);
}

public sealed class CosineAnnealingLR : lr_scheduler.LRScheduler
{
    readonly double tMax, etaMin;
    internal CosineAnnealingLR(Optimizer optimizer, double T_max, double eta_min, int last_epoch) : base(optimizer, last_epoch)
    {
        if (T_max <= 0) throw new ArgumentException($"CosineAnnealingLR: T_max must be positive, got {T_max}.");
        tMax = T_max; etaMin = eta_min;
        Start();
    }
    protected override double LearningRateAt(double baseLr, int epoch) => etaMin + (baseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;
}
