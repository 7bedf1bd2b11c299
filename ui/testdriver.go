package ui

// driver walks the window by itself for the real-window tests: the
// autopilot of scripts/gui-smoke.sh and the benchmark, and the tour of
// scripts/screenshots.sh. Drivers only exist in builds tagged
// lpdesk_testdrivers (autopilot.go, tour.go, drivers.go); the shipped
// binary has neither them nor a code path the environment can switch on,
// which TestShippedBinaryHasNoTestDrivers (main package) checks in its
// symbol table.
type driver func(d *desk)

// driverFromEnv picks the driver the environment asks for. drivers.go
// sets it in builds tagged lpdesk_testdrivers; it is nil otherwise.
var driverFromEnv func() driver
