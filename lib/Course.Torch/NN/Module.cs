using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The non-generic base of every layer (TorchSharp's <c>nn.Module</c>): named parameters, buffers and
        /// submodules in registration order, train/eval mode, state dicts and weight files. Subclasses derive from
        /// <see cref="Module{T, TResult}"/>, keep their parts in private fields and end the constructor with
        /// <see cref="RegisterComponents"/>.
        /// </summary>
        public abstract partial class Module : IDisposable
        {
            readonly string name;
            internal readonly OrderedDictionary<string, Parameter> ownParameters = new();
            internal readonly OrderedDictionary<string, Tensor> ownBuffers = new();
            internal readonly HashSet<string> nonPersistent = new();
            internal readonly OrderedDictionary<string, Module> childModules = new();
            bool isTraining = true;

            protected Module(string name) => this.name = name;

            /// <summary>The name given to the constructor (the class name for built-in layers).</summary>
            public string GetName() => name;

            public bool training => isTraining;

            /// <summary>Sets training mode on this module and all submodules (dropout, batch norm follow it).</summary>
            public virtual Module train(bool on = true)
            {
                isTraining = on;
                foreach (var c in childModules.Values) c.train(on);
                return this;
            }

            public virtual Module eval() => train(false);

            // ---- registration ----------------------------------------------------------------------------------

            /// <summary>
            /// Registers this object's fields, as TorchSharp does: Module fields as submodules, Parameter fields as
            /// parameters, Tensor fields as buffers, each named after its field (null fields are skipped). Field
            /// lists are cached per type, so reflection runs once per class, not per forward.
            /// </summary>
            protected virtual void RegisterComponents() => Registration.Register(this);

            public virtual void register_parameter(string name, Parameter? param)
            {
                CheckName(name, "register_parameter");
                if (param is null) { ownParameters.Remove(name); return; }
                if (ownBuffers.ContainsKey(name) || childModules.ContainsKey(name))
                    throw new ArgumentException($"register_parameter: '{name}' is already a buffer or submodule of {this.name}.");
                ownParameters[name] = param;
            }

            public virtual void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name, "register_buffer");
                if (tensor is null) { ownBuffers.Remove(name); return; }
                if (ownParameters.ContainsKey(name) || childModules.ContainsKey(name))
                    throw new ArgumentException($"register_buffer: '{name}' is already a parameter or submodule of {this.name}.");
                ownBuffers[name] = tensor;
                if (persistent) nonPersistent.Remove(name); else nonPersistent.Add(name);
            }

            public virtual void register_module(string name, Module? submodule)
            {
                CheckName(name, "register_module");
                if (submodule is null) { childModules.Remove(name); return; }
                if (ReferenceEquals(submodule, this)) throw new ArgumentException($"register_module: module {this.name} cannot contain itself as '{name}'.");
                if (ownParameters.ContainsKey(name) || ownBuffers.ContainsKey(name))
                    throw new ArgumentException($"register_module: '{name}' is already a parameter or buffer of {this.name}.");
                childModules[name] = submodule;
            }

            static void CheckName(string name, string op)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"{op}: name '{name}' must be non-empty and contain no '.'.");
            }

            // ---- enumeration -----------------------------------------------------------------------------------

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (k, v) in ownParameters) yield return (k, v);
                if (!recurse) yield break;
                foreach (var (cn, c) in childModules)
                    foreach (var (k, v) in c.named_parameters(true)) yield return (cn + "." + k, v);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true)
            {
                // A parameter shared by two modules is yielded once, as in PyTorch.
                var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var (_, p) in named_parameters(recurse)) if (seen.Add(p)) yield return p;
            }

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool include_nonpersistent = true)
            {
                foreach (var (k, v) in ownBuffers)
                    if (include_nonpersistent || !nonPersistent.Contains(k)) yield return (k, v);
                if (!recurse) yield break;
                foreach (var (cn, c) in childModules)
                    foreach (var (k, v) in c.named_buffers(true, include_nonpersistent)) yield return (cn + "." + k, v);
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            public IEnumerable<(string name, Module module)> named_children() => childModules.Select(kv => (kv.Key, kv.Value));
            public IEnumerable<Module> children() => childModules.Values;

            /// <summary>This module and every submodule, depth first, each with its dotted path ("" for this one).</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (cn, c) in childModules)
                    foreach (var (k, m) in c.named_modules()) yield return (k.Length == 0 ? cn : cn + "." + k, m);
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            /// <summary>Runs fn on every submodule and then this one (PyTorch's apply), e.g. for custom init.</summary>
            public Module apply(Action<Module> fn)
            {
                foreach (var c in childModules.Values) c.apply(fn);
                fn(this);
                return this;
            }

            /// <summary>Drops (set_to_none) or zeroes every parameter's gradient.</summary>
            public virtual void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none || p.grad is null) p.grad = null;
                    else using (no_grad()) p.grad.zero_();
                }
            }

            // ---- state dict ------------------------------------------------------------------------------------

            /// <summary>Parameters, then persistent buffers, by dotted path (TorchSharp's order). Values alias the live tensors.</summary>
            public Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
            {
                destination ??= new Dictionary<string, Tensor>();
                foreach (var (k, p) in named_parameters()) destination.TryAdd(prefix + k, p);
                foreach (var (k, b) in named_buffers(include_nonpersistent: false)) destination.TryAdd(prefix + k, b);
                return destination;
            }

            /// <summary>
            /// Copies the values of source into this module's parameters and buffers (in place, so optimizers keep
            /// working). A shape or dtype mismatch always throws naming the key; with strict, so do missing and
            /// unexpected keys. Returns the missing and unexpected keys.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
                => StateDict.Load(this, source, strict, skip, where: null);

            // ---- weight files ----------------------------------------------------------------------------------

            /// <summary>Writes the state dict in TorchSharp's weight-file format (to a temporary file, then moved).</summary>
            public Module save(string location)
            {
                Serialization.WeightFile.Save(state_dict(), location);
                return this;
            }

            public Module save(Stream stream)
            {
                Serialization.WeightFile.Write(state_dict(), stream);
                return this;
            }

            /// <summary>Reads a TorchSharp weight file into this module. Errors name the file and the key.</summary>
            public Module load(string location, bool strict = true, IList<string>? skip = null)
            {
                var dict = Serialization.WeightFile.Load(location);
                StateDict.Load(this, dict, strict, skip, where: $"file '{location}'");
                return this;
            }

            public Module load(Stream stream, bool strict = true)
            {
                var dict = Serialization.WeightFile.Read(stream, "stream");
                StateDict.Load(this, dict, strict, null, where: "stream");
                return this;
            }

            // ---- TorchSharp compatibility (CPU only, managed memory) -------------------------------------------

            // to(device) / to(dtype) / cpu() are generic extensions (ModuleExtensions.cs) so they keep the module's type.
            public void Dispose() { }

            /// <summary>The layer's settings for ToString, e.g. "in_features=784, out_features=400, bias=True".</summary>
            protected virtual string extra_repr() => "";

            /// <summary>PyTorch's module printout: the name, settings and each child on its own indented line.</summary>
            public override string ToString()
            {
                var extra = extra_repr();
                if (childModules.Count == 0) return $"{name}({extra})";
                var sb = new System.Text.StringBuilder();
                sb.Append(name).Append('(');
                if (extra.Length > 0) sb.Append("\n  ").Append(extra);
                foreach (var (k, c) in childModules)
                    sb.Append("\n  (").Append(k).Append("): ").Append(c.ToString().Replace("\n", "\n  "));
                return sb.Append("\n)").ToString();
            }
        }

        /// <summary>A module with one input: override forward; call it with forward(x) or call(x).</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }
            public abstract TResult forward(T input);
            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs (e.g. a loss taking prediction and target, or x and a time step).</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }
            public abstract TResult forward(T1 input1, T2 input2);
            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }

        /// <summary>A module with three inputs.</summary>
        public abstract class Module<T1, T2, T3, TResult> : Module
        {
            protected Module(string name) : base(name) { }
            public abstract TResult forward(T1 input1, T2 input2, T3 input3);
            public TResult call(T1 input1, T2 input2, T3 input3) => forward(input1, input2, input3);
        }

        public static Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
    }
}
