namespace Course.Torch;

public static partial class torch
{
    public static partial class optim
    {
        public static partial class lr_scheduler
        {
            /// <summary>
            /// Sets each parameter group's learning rate from its initial one as a function of the epoch counter.
            /// Construction applies epoch 0; each step() advances one epoch. Closed forms, so the sequences are exact.
            /// </summary>
            public abstract class LRScheduler
            {
                protected readonly Optimizer optimizer;
                protected int last_epoch;
                double[] lastLr = [];

                protected LRScheduler(Optimizer optimizer, int last_epoch)
                {
                    this.optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
                    this.last_epoch = last_epoch;
                }

                /// <summary>Called at the end of each derived constructor (after its fields are set): applies the first epoch.</summary>
                protected void Start()
                {
                    if (last_epoch == -1) foreach (var g in optimizer.groups) g.InitialLearningRate = g.LearningRate;
                    step();
                }

                /// <summary>The learning rate of a group with initial rate baseLr at epoch.</summary>
                protected abstract double LearningRateAt(double baseLr, int epoch);

                public virtual void step()
                {
                    last_epoch++;
                    lastLr = new double[optimizer.groups.Count];
                    for (int i = 0; i < optimizer.groups.Count; i++)
                    {
                        var g = optimizer.groups[i];
                        g.LearningRate = LearningRateAt(g.InitialLearningRate, last_epoch);
                        lastLr[i] = g.LearningRate;
                    }
                }

                /// <summary>The learning rate of each parameter group after the last step.</summary>
                public IEnumerable<double> get_last_lr() => lastLr;
                public int LastEpoch => last_epoch;
            }

            /// <summary>lr = initial * gamma^floor(epoch / step_size).</summary>
            public static LRScheduler StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1, bool verbose = false)
                => new Modules.StepLR(optimizer, step_size, gamma, last_epoch);

            /// <summary>lr = initial * gamma^epoch.</summary>
            public static LRScheduler ExponentialLR(Optimizer optimizer, double gamma = 0.1, int last_epoch = -1, bool verbose = false)
                => new Modules.ExponentialLR(optimizer, gamma, last_epoch);

            /// <summary>lr = eta_min + (initial - eta_min) (1 + cos(pi epoch / T_max)) / 2.</summary>
            public static LRScheduler CosineAnnealingLR(Optimizer optimizer, double T_max, double eta_min = 0, int last_epoch = -1, bool verbose = false)
                => new Modules.CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch);
        }
    }
}
