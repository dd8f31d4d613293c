namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Weight initialisers (TorchSharp's torch.nn.init). Each fills the tensor in place without recording a
        /// graph and returns it. fan_in = size(1) x receptive field, fan_out = size(0) x receptive field.
        /// </summary>
        public static class init
        {
            public enum FanInOut { FanIn = 0, FanOut = 1 }

            public enum NonlinearityType { Linear = 0, Conv1D = 1, Conv2D = 2, Conv3D = 3, ConvTranspose1D = 4, ConvTranspose2D = 5, ConvTranspose3D = 6, Sigmoid = 7, Tanh = 8, ReLU = 9, LeakyReLU = 10, SELU = 11 }

            /// <summary>The recommended gain for a nonlinearity (param is leaky_relu's negative slope, default 0.01).</summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double? param = null) => nonlinearity switch
            {
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                NonlinearityType.SELU => 3.0 / 4,
                _ => 1.0,
            };

            /// <summary>(fan_in, fan_out) of a weight of rank at least 2.</summary>
            public static (long fanIn, long fanOut) CalculateFanInAndFanOut(Tensor tensor)
            {
                if (tensor.shp.Length < 2)
                    throw new ArgumentException($"init: fan in and fan out need a tensor with at least 2 dims, got shape {tensor.ShapeStr}.");
                long receptive = 1;
                for (int i = 2; i < tensor.shp.Length; i++) receptive *= tensor.shp[i];
                return (tensor.shp[1] * receptive, tensor.shp[0] * receptive);
            }

            static long Fan(Tensor t, FanInOut mode) { var (i, o) = CalculateFanInAndFanOut(t); return mode == FanInOut.FanIn ? i : o; }

            public static Tensor uniform_(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.uniform_(low, high, generator);
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.normal_(mean, std, generator);
            }

            public static Tensor constant_(Tensor tensor, double val)
            {
                using (no_grad()) return tensor.fill_(val);
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            public static Tensor eye_(Tensor tensor)
            {
                if (tensor.shp.Length != 2) throw new ArgumentException($"eye_: expects a 2-D tensor, got shape {tensor.ShapeStr}.");
                using (no_grad()) return tensor.copy_(eye(tensor.shp[0], tensor.shp[1]));
            }

            /// <summary>U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fi, fo) = CalculateFanInAndFanOut(tensor);
                double a = Math.Sqrt(3.0) * gain * Math.Sqrt(2.0 / (fi + fo));
                return uniform_(tensor, -a, a, generator);
            }

            /// <summary>N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fi, fo) = CalculateFanInAndFanOut(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
            }

            /// <summary>U(-b, b) with b = gain(nonlinearity, a) * sqrt(3 / fan) (He). a = sqrt(5) gives PyTorch's Linear/Conv default, b = 1/sqrt(fan_in).</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU, Generator? generator = null)
            {
                long fan = Fan(tensor, mode);
                if (fan == 0) return tensor;
                double bound = Math.Sqrt(3.0) * calculate_gain(nonlinearity, a) / Math.Sqrt(fan);
                return uniform_(tensor, -bound, bound, generator);
            }

            /// <summary>N(0, std^2) with std = gain(nonlinearity, a) / sqrt(fan).</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU, Generator? generator = null)
            {
                long fan = Fan(tensor, mode);
                if (fan == 0) return tensor;
                return normal_(tensor, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(fan), generator);
            }

            /// <summary>PyTorch's default for Linear/Conv layers: kaiming_uniform_(a = sqrt(5)) weight, U(+-1/sqrt(fan_in)) bias.</summary>
            internal static void DefaultLayerInit(Tensor weight, Tensor? bias, long fanIn)
            {
                kaiming_uniform_(weight, Math.Sqrt(5));
                if (bias is not null)
                {
                    double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                    uniform_(bias, -bound, bound);
                }
            }
        }
    }
}
