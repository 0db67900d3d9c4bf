"""Checks a short run of examples/mam (see mam.test)."""
import sys

values = {}
for line in open(sys.argv[1]):
    name, value = line.strip().split(": ")
    values.setdefault(name, []).append(float(value))
failures = []
arm, penalty = values["arm_nll"], values["penalty"]
if not arm[-1] < arm[0]:
    failures.append(f"the any-order NLL estimate did not fall: {arm}")
if not penalty[-1] < 0.5 * penalty[0]:
    failures.append(f"the penalty did not halve: {penalty}")
log_z = values["log_z"][0]
if abs(log_z) > 0.2:
    failures.append(f"f(all unknown) = {log_z}, not near 0")
entropy, nll = values["entropy"][0], values["marginal_nll"][0]
if not 0.0 <= nll - entropy < 0.5:
    failures.append(f"marginal NLL {nll} is not just above the entropy {entropy}")
if failures:
    sys.exit("\n".join(failures))
print(f"ok: NLL {nll:.3f} against entropy {entropy:.3f}, log Z {log_z:.3f}")
