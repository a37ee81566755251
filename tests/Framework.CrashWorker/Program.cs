using System.Globalization;
using Framework.CrashWorker;
using Framework.Serialization;
using Framework.Tensors;

// Usage:
//   Framework.CrashWorker DIRECTORY
//     The CheckpointManager loop of CrashTests: resumes from the directory's latest checkpoint, prints "ready STEP",
//     then saves forever (printing "saved" once, after the first save, so the test can aim its kills at warm saves):
//     every save sets all four weight vectors and the step to the same number, so a restored checkpoint is consistent
//     iff all of them agree.
//   Framework.CrashWorker PATH DIRECTORY FIRST COUNTED
//     One save path of SavePathCrashTests (see SavePaths.Names): saves the states FIRST, FIRST + 1, ... (every weight
//     of the model set to that number), printing "saving S" before and "saved S" after each. The save of FIRST is a
//     set-up save; then SaveSteps is armed, so with FRAMEWORK_CRASH_PAUSE_AT=N the N-th file-system step of the later
//     saves pauses (printing "crash-point N KIND PATH") for the test to kill the process there. After COUNTED armed saves
//     (0: never) it prints "done" and exits.
if (args.Length == 4)
    return SavePaths.Run(args[0], args[1], long.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Framework.CrashWorker DIRECTORY | Framework.CrashWorker PATH DIRECTORY FIRST COUNTED");
    return 2;
}
var shape = new Shape(64 * 1024);
var weights = Enumerable.Range(0, 4).Select(i => new Variable(Tensor.Zeros(shape), $"w{i}", trainable: false)).ToArray();
var step = new Variable(Tensor.Scalar(0, DType.Int64), "step", trainable: false);
var checkpoint = new Checkpoint([.. weights.Select((w, i) => ($"w{i}", (Trackable)w)), ("step", step)]);
var manager = new CheckpointManager(checkpoint, args[0], maxToKeep: 3);
manager.RestoreOrInitialize();
long resumed = step.Value.Item<long>(), s = resumed;
Console.WriteLine($"ready {s}");
Console.Out.Flush();
while (true)
{
    s++;
    using (var value = Tensor.Full(shape, s))
    {
        foreach (var w in weights) w.Assign(value);
    }
    step.Assign(Tensor.Scalar(s, DType.Int64));
    manager.Save();
    if (s == resumed + 1)
    {
        Console.WriteLine("saved");
        Console.Out.Flush();
    }
}
