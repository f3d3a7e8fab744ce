// Exponential backoff with a cap.
#include "backoff.hpp"

#include <algorithm>

namespace chat::client {

double Backoff::delay(int failed_attempts) const {
  double seconds = initial_seconds;
  // A loop instead of pow(): stops as soon as the cap is reached, so huge counts cannot overflow.
  for (int i = 0; i < failed_attempts && seconds < max_seconds; ++i) seconds *= factor;
  return std::min(seconds, max_seconds);
}

}  // namespace chat::client
