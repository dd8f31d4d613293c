namespace Course.Torch;

/// <summary>Convolution padding by name (TorchSharp's Padding): Valid = none, Same = output size equals input size.</summary>
public enum Padding { Valid = 0, Same = 1 }
