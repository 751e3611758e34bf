#include "model/state/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<StateParams> state_parameters() {
  ParamRows<StateParams> t;
  auto share = [&](std::string key, double max, std::string def, std::string meaning, auto member) {
    t.add({"state." + key, ValueType::real, "1", 0, max, {}, std::move(def), std::move(meaning), sources::stylised}, member);
  };
  share("capture_memory", 0.9999, "0.95",
        "Share of smoothed elite receipts and criminal revenue kept per step; the capture index is their ratio.",
        [](auto& s) -> auto& { return s.capture_memory; });
  share("will_loss", 1, "0",
        "Political will lost per unit of capture index: scales police presence and state operations by (1 - will_loss x "
        "capture). 0: capture is measured but does not feed back.",
        [](auto& s) -> auto& { return s.will_loss; });
  share("legitimacy_loss", 1, "0", "Share of the state's legitimacy lost per unit of capture index.",
        [](auto& s) -> auto& { return s.legitimacy_loss; });
  share("integrity_loss", 1, "0", "Share of every post's integrity lost per unit of capture index.",
        [](auto& s) -> auto& { return s.integrity_loss; });
  share("fiscal_loss", 1, "0", "Share of the police payroll diverted per unit of capture index.",
        [](auto& s) -> auto& { return s.fiscal_loss; });
  return t;
}

}  // namespace pocsim::model
