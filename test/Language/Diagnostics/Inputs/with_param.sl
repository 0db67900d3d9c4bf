// A module that (wrongly) declares a flag.
param width: int = 4
