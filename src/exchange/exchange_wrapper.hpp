#pragma once
// ExchangeWrapper: an Exchange that forwards every call to another one (LevelDB's EnvWrapper).
// Derive from it to change one behaviour, e.g. FaultInjectingExchange, or a test double that
// records calls, without restating the rest of the port. Same thread contract as the wrapped
// exchange; the wrapped exchange must outlive the wrapper.

#include <string_view>
#include <vector>

#include "exchange/exchange.hpp"

namespace osprey {

class ExchangeWrapper : public Exchange {
 public:
  explicit ExchangeWrapper(Exchange& inner) : inner_(inner) {}

  Exchange& inner() const { return inner_; }

  Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) override {
    return inner_.GetSymbolInfo(symbol);
  }
  OrderAck PlaceOrder(const OrderRequest& request) override { return inner_.PlaceOrder(request); }
  OrderAck PlaceOco(const OcoRequest& request) override { return inner_.PlaceOco(request); }
  OrderAck CancelOrder(std::string_view symbol, std::string_view client_order_id) override {
    return inner_.CancelOrder(symbol, client_order_id);
  }
  Result<OrderState> QueryOrder(std::string_view symbol,
                                std::string_view client_order_id) override {
    return inner_.QueryOrder(symbol, client_order_id);
  }
  Result<std::vector<OrderState>> OpenOrders(std::string_view symbol) override {
    return inner_.OpenOrders(symbol);
  }
  Result<AccountSnapshot> Account() override { return inner_.Account(); }
  Result<Decimal> FreeBalance(std::string_view asset) override { return inner_.FreeBalance(asset); }
  Result<Decimal> TotalBalance(std::string_view asset) override {
    return inner_.TotalBalance(asset);
  }
  std::vector<ExchangeEvent> PollEvents() override { return inner_.PollEvents(); }

 private:
  Exchange& inner_;
};

}  // namespace osprey
