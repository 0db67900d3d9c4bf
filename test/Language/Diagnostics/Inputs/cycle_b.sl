// The other half of the cycle.
use cycle_a
