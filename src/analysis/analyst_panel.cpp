#include "analysis/analyst_panel.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>

#include "core/error.hpp"

namespace osprey {
namespace {

// Shared between Gather and every callback it hands out; a late callback keeps it alive.
struct Gathering {
  std::mutex mu;
  std::condition_variable all_in;
  std::vector<std::optional<Result<Answer>>> slots;  // one per (analyst, question) asked
  std::size_t pending = 0;
  bool closed = false;  // Gather has returned: later answers are dropped

  void Deliver(std::size_t slot, Result<Answer> answer) {
    std::lock_guard lock(mu);
    if (closed || slots[slot].has_value()) return;  // late, or a second answer
    slots[slot] = std::move(answer);
    if (--pending == 0) all_in.notify_all();
  }
};

}  // namespace

AnalystPanel::AnalystPanel(std::vector<Analyst*> analysts) : analysts_(std::move(analysts)) {
  for (const Analyst* a : analysts_) OSPREY_CHECK(a != nullptr, "AnalystPanel: null analyst");
}

std::size_t AnalystPanel::HistoryHours() const {
  std::size_t hours = 1;
  for (const Analyst* a : analysts_) hours = std::max(hours, a->HistoryHours());
  return hours;
}

PanelResult AnalystPanel::Gather(std::shared_ptr<const MarketSnapshot> snapshot,
                                 std::chrono::steady_clock::time_point deadline) {
  OSPREY_CHECK(snapshot != nullptr, "AnalystPanel: null snapshot");
  auto state = std::make_shared<Gathering>();
  // Slot layout: analyst after analyst, each analyst's questions in its Questions() order.
  std::vector<std::size_t> first_slot;
  first_slot.reserve(analysts_.size());
  std::size_t total = 0;
  for (const Analyst* a : analysts_) {
    first_slot.push_back(total);
    total += a->Questions().size();
  }
  state->slots.resize(total);
  state->pending = total;

  AnalystRequest request{std::move(snapshot), deadline, CancelToken()};
  for (std::size_t i = 0; i < analysts_.size(); ++i) {
    const std::span<const Question> questions = analysts_[i]->Questions();
    if (questions.empty()) continue;
    const std::size_t base = first_slot[i];
    // The callback owns what it needs: it may run after this call and after this panel is gone.
    analysts_[i]->Ask(
        request, questions,
        [state, base, asked = std::vector<Question>(questions.begin(), questions.end())](
            Question q, Result<Answer> answer) {
          const auto it = std::find(asked.begin(), asked.end(), q);
          if (it == asked.end()) return;  // not a question it was asked: ignored
          state->Deliver(base + static_cast<std::size_t>(it - asked.begin()), std::move(answer));
        });
  }

  std::unique_lock lock(state->mu);
  if (state->pending > 0) {
    state->all_in.wait_until(lock, deadline, [&] { return state->pending == 0; });
  }
  state->closed = true;
  const bool late = state->pending > 0;
  PanelResult out;
  for (std::size_t i = 0; i < analysts_.size(); ++i) {
    const std::span<const Question> questions = analysts_[i]->Questions();
    AnalystReport report{std::string(analysts_[i]->Name()), {}};
    for (std::size_t k = 0; k < questions.size(); ++k) {
      std::optional<Result<Answer>>& slot = state->slots[first_slot[i] + k];
      if (!slot.has_value()) {
        out.missing.push_back({report.analyst, questions[k], "no answer by the deadline"});
      } else if (!slot->has_value()) {
        out.missing.push_back({report.analyst, questions[k], slot->error().ToString()});
      } else {
        Answer answer = std::move(**slot);
        answer.question = questions[k];  // the question asked, whatever the analyst wrote
        report.answers.push_back(std::move(answer));
      }
    }
    if (!report.answers.empty()) out.reports.push_back(std::move(report));
  }
  lock.unlock();
  if (late) request.cancel.Cancel();
  return out;
}

}  // namespace osprey
