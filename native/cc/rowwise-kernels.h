#pragma once

namespace ferry {

// Kernels over the last dimension d of `rows` contiguous rows, accumulating in
// double like the js reference (which computes in JS numbers) and rounding once.
void softmaxRows(const float* x, float* y, long rows, int d);
void softmaxBackwardRows(const float* y, const float* dy, float* dx, long rows, int d);
void rmsnormRows(const float* x, const float* gamma, float* y, long rows, int d, double eps);
void rmsnormBackwardRows(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, long rows, int d, double eps);
void layernormRows(const float* x, const float* gamma, const float* beta, float* y, long rows, int d, double eps);
void layernormBackwardRows(const float* x, const float* gamma, const float* dy, float* dx, float* dgamma, float* dbeta, long rows, int d,
                           double eps);

enum class Activation { Silu = 0, Gelu = 1 };
void activationForward(Activation act, const float* x, float* y, long n);
// dx = dy * f'(x).
void activationBackward(Activation act, const float* x, const float* dy, float* dx, long n);

}  // namespace ferry
