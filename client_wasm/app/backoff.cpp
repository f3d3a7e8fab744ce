// Exponential backoff with a cap and a random spread.
#include "backoff.hpp"

#include <algorithm>

namespace chat::client {

double Backoff::delay(int failed_attempts, double unit) const {
  double seconds = initial_seconds;
  // A loop instead of pow(): stops as soon as the cap is reached, so huge counts cannot overflow.
  for (int i = 0; i < failed_attempts && seconds < max_seconds; ++i) seconds *= factor;
  return std::min(seconds, max_seconds) * (1.0 - spread * std::clamp(unit, 0.0, 1.0));
}

}  // namespace chat::client
