namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// The factory nn.Linear(...) hides the core's internal class Course.Torch.Linear from code nested in
            /// torch.nn (Functional.cs calls Linear.Forward). This nested alias keeps that call resolving; it can go
            /// once Functional.cs writes global::Course.Torch.Linear.Forward (or the class is renamed).
            /// </summary>
            internal static class Linear
            {
                public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias) => global::Course.Torch.Linear.Forward(input, weight, bias);
            }
        }
    }
}
