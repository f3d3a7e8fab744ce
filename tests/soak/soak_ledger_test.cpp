// The soak's delivery ledger: which receiver owes which line, with churners coming and going.
#include <gtest/gtest.h>

#include "tests/soak/soak_ledger.hpp"

namespace soak {
namespace {

// Room 0: full receivers 1 and 2, sender 1 (also a receiver) and a churner 7 that vanishes.
class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    room_ = ledger_.add_room();
    ledger_.add_full_receiver(room_, 1);
    ledger_.add_full_receiver(room_, 2);
    ledger_.add_sender(1, room_);
  }
  DeliveryLedger ledger_;
  std::uint32_t room_ = 0;
};

TEST_F(LedgerTest, EveryLineAtEveryFullReceiverOrItIsLost) {
  for (int i = 0; i < 3; ++i) ledger_.take_seq(1);
  EXPECT_EQ(ledger_.outstanding(), 6u);
  for (const std::uint32_t seq : {0u, 1u, 2u}) EXPECT_EQ(ledger_.receive(1, 1, seq), DeliveryLedger::Receipt::first);
  EXPECT_EQ(ledger_.receive(2, 1, 0), DeliveryLedger::Receipt::first);
  EXPECT_EQ(ledger_.receive(2, 1, 0), DeliveryLedger::Receipt::duplicate);
  EXPECT_EQ(ledger_.receive(2, 1, 3), DeliveryLedger::Receipt::not_sent_yet);
  EXPECT_EQ(ledger_.echoed(1), 3u);
  EXPECT_EQ(ledger_.outstanding(), 2u);
  const DeliveryCounts counts = ledger_.reckon_full();
  EXPECT_EQ(counts.lost, 2u);  // receiver 2 never got lines 1 and 2
  EXPECT_EQ(counts.duplicated, 1u);
}

TEST_F(LedgerTest, AVanishedSenderCountsWhatItsReceiversAgreeOn) {
  ledger_.add_sender(7, room_);
  for (int i = 0; i < 3; ++i) ledger_.take_seq(7);  // the third one the server may never have read
  ledger_.receive(1, 7, 0);
  ledger_.receive(1, 7, 1);
  ledger_.receive(2, 7, 0);
  ledger_.vanished(7);
  EXPECT_EQ(ledger_.outstanding(), 0u);  // nothing more is awaited from it
  EXPECT_EQ(ledger_.reckon_full().lost, 1u);  // receiver 1 got line 1: receiver 2 lost it
}

TEST_F(LedgerTest, WindowReceiversAnswerForTheLinesInsideTheirWindow) {
  ledger_.add_window_receiver(9);
  for (int i = 0; i < 5; ++i) ledger_.take_seq(1);
  EXPECT_EQ(ledger_.receive(9, 1, 2), DeliveryLedger::Receipt::first);  // arrived in the middle
  EXPECT_EQ(ledger_.receive(9, 1, 4), DeliveryLedger::Receipt::first);  // 3 missing
  const DeliveryCounts window = ledger_.close_window(9);
  EXPECT_EQ(window.received, 2u);
  EXPECT_EQ(window.lost, 1u);
  EXPECT_EQ(ledger_.receive(9, 1, 4), DeliveryLedger::Receipt::not_receiver);  // gone
  EXPECT_EQ(ledger_.receive(2, 5, 0), DeliveryLedger::Receipt::unknown_sender);
}

}  // namespace
}  // namespace soak
