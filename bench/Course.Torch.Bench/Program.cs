Console.WriteLine("benchmark not built yet");
