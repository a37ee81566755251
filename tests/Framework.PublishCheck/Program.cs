using System.Globalization;
using Framework.Tensors;

// Usage: Framework.PublishCheck
//   Computes a small matrix product and its gradient on libtorch's CPU (Device.TorchCpu) and prints
//   "torch-cpu 7 10 15 22 grad 3 7 3 7": the libtorch backend loaded from wherever the application was deployed.
var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).To(Device.TorchCpu).RequireGrad();
var product = a.MatMul(a.Detach());
product.Sum().Backward();
Console.WriteLine($"{product.Device} {Format(product)} grad {Format(a.Grad!)}");
return 0;

static string Format(Tensor t) => string.Join(' ', t.ToArray<float>().Select(v => v.ToString(CultureInfo.InvariantCulture)));
