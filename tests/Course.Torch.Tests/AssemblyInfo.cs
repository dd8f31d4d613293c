// Grad mode and anomaly mode are process-wide switches: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
