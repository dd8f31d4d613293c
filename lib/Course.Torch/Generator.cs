namespace Course.Torch;

public static partial class torch
{
    /// <summary>
    /// A seeded random stream (xoshiro256** seeded by SplitMix64): same seed, same numbers, on every machine.
    /// <c>torch.manual_seed(s)</c> reseeds the default generator; pass <c>generator:</c> for an independent stream.
    /// </summary>
    public sealed class Generator
    {
        ulong s0, s1, s2, s3;
        ulong seed;
        double spare; bool hasSpare;

        public Generator(ulong seed = 0, Device? device = null) { _ = device; manual_seed((long)seed); }
        public Generator(long seed) { manual_seed(seed); }

        public Generator manual_seed(long seed)
        {
            this.seed = (ulong)seed;
            ulong x = (ulong)seed;
            s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
            hasSpare = false;
            return this;
        }

        public long initial_seed() => (long)seed;
        public Generator seed_() => manual_seed(DateTime.UtcNow.Ticks);

        static ulong SplitMix(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        internal ulong NextU64()
        {
            ulong result = RotL(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = RotL(s3, 45);
            return result;
        }

        static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

        /// <summary>Uniform in [0, 1) with 24 random bits (exact in float).</summary>
        internal float NextFloat() => (NextU64() >> 40) * (1f / (1 << 24));

        /// <summary>Uniform in (0, 1) with 53 bits, never 0 (safe for log).</summary>
        internal double NextDoubleOpen() => ((NextU64() >> 11) + 0.5) * (1.0 / (1UL << 53));

        /// <summary>Standard normal by Box-Muller (pairs; the second value is kept for the next call).</summary>
        internal double NextNormal()
        {
            if (hasSpare) { hasSpare = false; return spare; }
            double u1 = NextDoubleOpen(), u2 = NextDoubleOpen();
            double r = Math.Sqrt(-2 * Math.Log(u1));
            double a = 2 * Math.PI * u2;
            spare = r * Math.Sin(a); hasSpare = true;
            return r * Math.Cos(a);
        }

        /// <summary>Uniform integer in [0, n) without modulo bias.</summary>
        internal long NextLong(long n)
        {
            if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"random: upper bound must be positive, got {n}.");
            ulong un = (ulong)n;
            ulong lim = ulong.MaxValue - ulong.MaxValue % un;
            while (true)
            {
                ulong x = NextU64();
                if (x < lim) return (long)(x % un);
            }
        }

        internal void FillUniform(Span<float> d, float lo, float hi)
        {
            float w = hi - lo;
            for (int i = 0; i < d.Length; i++) d[i] = lo + w * NextFloat();
        }

        internal void FillNormal(Span<float> d, float mean, float std)
        {
            for (int i = 0; i < d.Length; i++) d[i] = (float)(mean + std * NextNormal());
        }
    }

    static readonly Generator processGenerator = new(0L);
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, Generator> sessionGenerators = new();
    static Func<object?>? sessionOf;

    /// <summary>
    /// The generator random ops use without <c>generator:</c>. One per process, as in PyTorch, except where a host runs
    /// several programs side by side in one process (notebook sessions in the tests, several kernels): it names the
    /// running program through AppContext "Course.Session" (a <c>Func&lt;object?&gt;</c>), and each program gets its
    /// own generator, seeded 0 like a fresh process, so its numbers do not depend on what runs beside it.
    /// </summary>
    internal static Generator DefaultGenerator
    {
        get
        {
            var session = (sessionOf ??= AppContext.GetData("Course.Session") as Func<object?>)?.Invoke();
            return session is null ? processGenerator : sessionGenerators.GetValue(session, static _ => new Generator(0L));
        }
    }

    /// <summary>Seeds the default generator (all random ops without generator:) and returns it.</summary>
    public static Generator manual_seed(long seed) => DefaultGenerator.manual_seed(seed);
    public static long initial_seed() => DefaultGenerator.initial_seed();
    public static Generator default_generator => DefaultGenerator;

    public static partial class random
    {
        public static Generator manual_seed(long seed) => torch.manual_seed(seed);
    }
}
