package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// idle keeps a container running and does nothing else: shakedown adds the
// agent as an ephemeral container to pods that have none and execs
// `agent connect` in it, from the pod's own network namespace. Ephemeral
// containers can never be removed, so the idle ends on its own after --for
// (and at once on SIGTERM/SIGINT, when the pod goes): a run that crashed
// leaves nothing running for long. It exits 0 either way.
func idle(args []string) int {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	limit := fs.Duration("for", 15*time.Minute, "how long to stay up")
	fs.Parse(args)
	if fs.NArg() != 0 || *limit <= 0 {
		fmt.Fprintln(os.Stderr, "usage: agent idle [--for 15m]")
		return 2
	}
	sigs := make(chan os.Signal, 1)
	// As PID 1 a signal without a handler is ignored: the pod could not stop it before its grace period.
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	return idleUntil(time.After(*limit), sigs)
}

func idleUntil(expired <-chan time.Time, sigs <-chan os.Signal) int {
	select {
	case <-expired:
	case <-sigs:
	}
	return 0
}
