Console.WriteLine("hi"); return 0;
