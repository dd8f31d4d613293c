// Every row is written against TorchSharp the way course notebooks are: torch's members unqualified, F for functional.
global using TorchSharp.Modules;
global using static TorchSharp.torch;
global using F = TorchSharp.torch.nn.functional;
