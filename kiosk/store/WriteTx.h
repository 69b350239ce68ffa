// The proof that a write transaction is open. Every write that must commit together with others
// (a check-in's attendance, outbox and audit rows) takes a `WriteTx&`; only Store::Transaction
// makes one, for the length of its callback, so such a write outside a transaction does not
// compile. Writes that open their own transaction say so and take none.
#pragma once

namespace kiosk::store {

struct Connection;

class WriteTx {
  public:
    WriteTx(const WriteTx&) = delete;
    WriteTx& operator=(const WriteTx&) = delete;

  private:
    friend struct Connection;  // Connection::Transaction, behind Store::Transaction
    WriteTx() = default;
};

}  // namespace kiosk::store
