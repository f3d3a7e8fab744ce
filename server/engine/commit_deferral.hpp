// When the end of a loop iteration's group commit (and the writes that carry what it committed) is
// put off. While a client that just sent us data has more waiting in its socket (a burst: lws reads
// at most its small receive buffer per iteration), committing now would commit, and send each
// receiver, a few lines at a time; a few iterations later one commit and one send per receiver
// carry the whole burst. An idle socket ends the wait at once, so a lone line pays nothing, and
// the wait is bounded, so a client that never stops sending cannot hold everyone's lines.
// Pure: the transport reports whether input is waiting; the program asks this before committing.
#pragma once

namespace chat {

class CommitDeferral {
 public:
  static constexpr int kMaxDeferredIterations = 16;

  // At the end of an iteration: true to put the commit off to a later iteration (at most
  // kMaxDeferredIterations in a row), false to commit now.
  bool put_off(bool more_input_waiting);

 private:
  int deferred_iterations_ = 0;
};

}  // namespace chat
